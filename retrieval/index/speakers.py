"""Who is quoted in the index: each person's statements under one name, found when the index is loaded."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace
from typing import Sequence

from retrieval.attribution.speaker_kinds import ORGANISATION, PERSON, speaker_kind
from retrieval.attribution.titles import without_title
from retrieval.index.passage_table import PassageView
from retrieval.text.normalize import normalize_arabic
from retrieval.text.persons import DOMINANT, NameGroup, group_names, name_words
from retrieval.text.spellings import (
    PATRONYMICS,
    SpeakerMatcher,
    closest_names,
    latin_without_title,
    speaker_key,
)
from retrieval.text.transliteration import has_latin
from retrieval.types import Passage, Person

log = logging.getLogger(__name__)

#: How many lookups a directory remembers (the last questions' people).
REMEMBERED = 256


class SpeakerDirectory:
    """Every speaker stored with the passages, and where their statements are.

    The stored names are sorted once, on first use (most indexes are never asked): names
    of people are grouped into persons across the archive (``group_names``: spellings,
    and short forms such as «ترامب» with the one full name they fit, «دونالد ترامب»);
    organisations and outlets («فرانس برس», «وكالة الأنباء …») are kept apart; phrases
    taken for names («لأمر ترامب», «سنحدد موقفنا») are left out (see ``speaker_kind``).
    """

    def __init__(self, passages: Sequence[Passage]):
        self._positions: dict[str, list[int]] = {}
        if isinstance(passages, PassageView):  # the served index: no Passage made
            said = passages.statements()
        else:
            said = [(position, p.speakers) for position, p in enumerate(passages) if p.speakers]
        for position, names in said:
            for name in names:
                self._positions.setdefault(name, []).append(position)
        self._passages = passages
        self._sorted: _Sorted | None = None
        # Answers to the last questions: a question asked deeper (the pipeline's next
        # round) or again looks a person up once (a «did you mean» over every name: 0.1-0.4 s).
        self._remembered: dict[tuple[str, str, int], list[str]] = {}

    @property
    def names(self) -> list[str]:
        """The distinct speaker names, as stored."""
        return list(self._positions)

    def match(self, asked: str) -> list[str]:
        """The stored names of the person asked about, the person's display name first,
        then the rest of their names (see ``match_speakers``).

        When the best-matching names are one person's («ترامب» stored and known to be
        «دونالد ترامب»), or, asked in Arabic, one person's far more than anyone's
        (``DOMINANT``), only that person is given; when they fit several people alike
        («عباس»), all of them are.
        Organisations and phrases are never matched.
        """
        return self._remember(("match", asked, 0), lambda: self._match(asked))

    def _remember(self, key: tuple[str, str, int], make) -> list[str]:
        found = self._remembered.get(key)
        if found is None:
            if len(self._remembered) >= REMEMBERED:
                self._remembered.clear()
            found = self._remembered[key] = make()
        return list(found)

    def _match(self, asked: str) -> list[str]:
        found = self._sort()
        ranked = found.matcher().match(asked)
        if not ranked:  # «الرئيس ترامب», "King Salman": the person without the title asked
            bare = latin_without_title(asked) if has_latin(asked) else without_title(asked)
            ranked = found.matcher().match(bare) if bare else []
        if not ranked:
            return []
        groups = list(dict.fromkeys(found.person_of[name] for name, _ in ranked))
        top = list(dict.fromkeys(found.person_of[name] for name, score in ranked if score == ranked[0][1]))
        if len(top) == 1 and not top[0].short:
            groups = top
        elif len(top) > 1 and (not has_latin(asked) or _different_people(top)):
            # A Latin name has more spellings than the grouping joins (a vowel more or
            # less in one word and a letter in another): only people told apart by their
            # given names («الباجي قائد السبسي», «حافظ قايد السبسي») give way to the one
            # quoted far more.
            lead = max(top, key=found.weight)
            if found.weight(lead) >= DOMINANT * (sum(map(found.weight, top)) - found.weight(lead)):
                groups = [lead]
        return [name for group in groups for name in group.names]

    def canonical(self, name: str) -> str:
        """The display name of the person (or organisation) ``name`` is: the most quoted
        spelling of their most quoted full name («بنيامين نتنياهو» for «نتانياهو»); a
        name nobody quoted matches comes back as it is."""
        found = self._sort()
        if name in found.person_of:
            return found.person_of[name].name
        if name in found.organisation_of:
            return found.organisation_of[name]
        matched = self.match(name)
        return matched[0] if matched else name

    def closest(self, asked: str, limit: int = 3) -> list[str]:
        """Quoted people whose names come closest to ``asked`` (nobody quoted is called
        that), each once under their display name, best first."""
        def closest() -> list[str]:
            found = self._sort()
            names = closest_names(asked, found.person_of, limit * 4)
            return list(dict.fromkeys(found.person_of[name].name for name in names))[:limit]
        return self._remember(("closest", asked, limit), closest)

    def statements(self, names: Sequence[str]) -> list[int]:
        """Positions of the passages quoting any of ``names``, in index order, each once."""
        found: set[int] = set()
        for name in names:
            found.update(self._positions.get(name, ()))
        return sorted(found)

    def people(self) -> list[Person]:
        """Everyone quoted, each person once under their display name, most statements first."""
        return self._listed((group.name, group.names) for group in self._sort().groups)

    def organisations(self) -> list[Person]:
        """Organisations and outlets quoted («فرانس برس», «الأمم المتحدة»), most statements first."""
        return self._listed(self._sort().organisations)

    def _listed(self, entries) -> list[Person]:
        listed = []
        for name, names in entries:
            positions = self.statements(names)
            articles = {_article_id(self._passages, p) for p in positions}
            listed.append(Person(name, tuple(names), len(positions), len(articles)))
        return sorted(listed, key=lambda p: (-p.statements, -p.articles, p.name))

    def prepare(self) -> None:
        """Sort the names now (a second over a large archive) rather than on the first
        «who said what» question: a process that serves many questions does it first."""
        self._sort()

    @property
    def prepared(self) -> bool:
        return self._sorted is not None

    def _sort(self) -> _Sorted:
        if self._sorted is None:  # built on first use; a race builds it twice, alike
            self._sorted = _Sorted({name: len(positions) for name, positions in self._positions.items()})
        return self._sorted


class _Sorted:
    """The stored names sorted into persons, organisations and phrases (left out)."""

    def __init__(self, counts: dict[str, int]):
        kinds = {name: speaker_kind(name) for name in counts}
        people = {name: count for name, count in counts.items() if kinds[name] == PERSON}
        dropped = sorted(name for name, kind in kinds.items() if kind not in (PERSON, ORGANISATION))
        if dropped:
            log.debug("%d speaker names are phrases, not names, left out: %s", len(dropped), " | ".join(dropped))
        led = _led_names(dropped, people)
        for phrase, rest in led.items():
            people[rest] = people.get(rest, 0) + counts[phrase]
        self.counts = counts
        groups = _with_phrases(group_names(people), led)
        self.groups: list[NameGroup] = _with_spilled(groups, [name for name in dropped if name not in led])
        self.person_of = {name: group for group in self.groups for name in group.names}
        by_key: dict[str, list[str]] = {}
        for name, kind in kinds.items():
            if kind == ORGANISATION:
                by_key.setdefault(speaker_key(name), []).append(name)
        self.organisations = []
        for names in by_key.values():
            shown = max(names, key=lambda n: (counts[n], len(n.split()), n))
            self.organisations.append((shown, [shown, *sorted(set(names) - {shown})]))
        self.organisation_of = {name: shown for shown, names in self.organisations for name in names}
        self._matcher: SpeakerMatcher | None = None

    def matcher(self) -> SpeakerMatcher:
        if self._matcher is None:
            self._matcher = SpeakerMatcher(self.person_of)
        return self._matcher

    def weight(self, group: NameGroup) -> int:
        """How many statements carry the person's names (a passage with two counted twice)."""
        return sum(self.counts.get(name, 0) for name in group.names)  # a name read out of a phrase has none


def _different_people(groups: list[NameGroup]) -> bool:
    """Whether the people's display names are full names whose first words all differ
    (``speaker_key``): other people, not spellings of one foreign name."""
    firsts = [speaker_key(group.name.split()[0]) for group in groups if len(group.name.split()) > 1]
    return len(firsts) == len(groups) and len(set(firsts)) == len(firsts)


def _led_names(phrases: list[str], people: dict[str, int]) -> dict[str, str]:
    """The phrases that are a person's name after one or two words of the sentence before
    it («بمدنين عبد المجيد ليشيهب»: a title's «in Medenine»; «لأصحاب المخابز محمد بوعنان»),
    each -> that name: two words or more, a name by ``speaker_kind``, opening with a word
    that opens two other people's names in the archive (a given name: «محمد»، «منجي»; not
    «هونغ كونغ» or «انتخابات مبكرة»), not with «بن» (a place: «بن قردان»), no «و» inside
    (two things: «تعاون وتنسيق»). Two words are tried before one («برئاسة الجمهورية رضا
    بوقزي»), never splitting «عبد …». Over ANT's 8,500 news articles this finds 20, 18 of
    them right (the two wrong: «عالي فلاحي», «أبو عياض» in «مقتل أبو عياض»)."""
    firsts = Counter(words[0] for words in map(name_words, people) if len(words) >= 2)
    led = {}
    for phrase in phrases:
        words = phrase.split()
        for k in (2, 1):
            rest = words[k:]
            if len(rest) < 2 or words[k - 1] == "عبد" or normalize_arabic(rest[0]) in PATRONYMICS:
                continue
            if any(w.startswith("و") for w in rest[1:]) or firsts[name_words(" ".join(rest))[0]] < 2:
                continue
            if speaker_kind(" ".join(rest)) == PERSON:
                led[phrase] = " ".join(rest)
                break
    return led


def _with_phrases(groups: list[NameGroup], led: dict[str, str]) -> list[NameGroup]:
    """The people with the phrases that end with their names (``_led_names``)."""
    of = {name: group for group in groups for name in group.names}
    return _with_names(groups, {phrase: of[rest] for phrase, rest in led.items()})


def _with_names(groups: list[NameGroup], person_of: dict[str, NameGroup]) -> list[NameGroup]:
    """The groups with each phrase added to its person's names (the statements are theirs,
    the phrase is never the name shown)."""
    extra: dict[NameGroup, list[str]] = {}
    for phrase, group in person_of.items():
        extra.setdefault(group, []).append(phrase)
    return [replace(g, names=g.names + tuple(extra[g])) if g in extra else g for g in groups]


def _with_spilled(groups: list[NameGroup], phrases: list[str]) -> list[NameGroup]:
    """The people with the phrases that begin with one of their names, words of the
    sentence spilled into it («دونالد ترامب بإبقاء», «لوبان سياسة»): the statements
    are theirs, the phrase is not shown."""
    person_of = {name: group for group in groups for name in group.names}
    spilled: dict[str, NameGroup] = {}
    for phrase in phrases:
        words = phrase.split()
        k = next((k for k in range(len(words) - 1, 0, -1) if " ".join(words[:k]) in person_of), 0)
        lead = person_of[" ".join(words[:k])] if k else None
        # not «أوباما وأطلق» («و» starts another clause), nor into a lone word («نصر لـ»)
        if lead is not None and not words[k].startswith("و") and len(lead.name.split()) > 1:
            spilled[phrase] = lead
    if spilled:
        log.debug("phrases counted with the person they begin with: %s", spilled)
    return _with_names(groups, spilled)


def _article_id(passages: Sequence[Passage], position: int) -> str:
    if isinstance(passages, PassageView):
        return passages.article_id(position)
    return passages[position].article_id
