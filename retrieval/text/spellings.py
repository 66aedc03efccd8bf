"""A person's name in its spellings (pure): matching keys, and finding the person asked among speakers."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from functools import lru_cache

from retrieval.text.normalize import normalize_arabic
from retrieval.text.transliteration import (
    MAQSURA,
    has_latin,
    latin_matches,
    latin_pattern,
    run_forms,
)

_NON_WORD = re.compile(r"[^\w\s]|_")
_SPACES = re.compile(r"\s+")
_LONG_VOWELS = frozenset("اويىءئؤ")
_LOOSE = str.maketrans({"غ": "ج", "ق": "ج", "ط": "ت", "ص": "س", "ظ": "ز", "ذ": "ز", "ض": "د", "ح": "ه", "ث": "س"})
PATRONYMICS = frozenset({"بن", "ابن", "بنت"})  # «son of», «daughter of»
_PARTICLES = frozenset(
    {"بن", "ابن", "بنت", "ال", "ابو", "ابي", "عبد", "دي", "دو", "فون", "دير", "van", "von", "de", "al", "el", "bin"}
)
_LATIN_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an"})
#: European particles written with the name that follows: "Le Pen" «لوبان» (French le
#: sounds «لو»), "de Mistura" «دي ميستورا», "von der Leyen" «فون دير لاين».
_LATIN_PARTICLES = {"le": "lo", "la": "la", "de": "de", "du": "du", "di": "di", "da": "da", "del": "del",
                    "van": "van", "von": "von", "der": "der", "den": "den", "dos": "dos"}
#: «عبد» written apart from the name it goes with: "Abdel Ghaffar", "Abdul Rahman".
_LATIN_ABD = frozenset({"abd", "abdel", "abdul", "abdal", "abdol", "abdelal"})
#: After a Latin name, what makes another person of the same name ("Donald Trump Jr.").
_LATIN_GENERATIONS = frozenset({"jr", "junior", "sr", "senior", "ii", "iii", "iv"})
_MIN_SCORE = 0.5
#: Words of a post or a form of address written before an English name: "President
#: Trump", "Saudi Foreign Minister Adel al-Jubeir", "Crown Prince Mohammed bin Salman".
_LATIN_TITLES = frozenset(
    """president vice prime minister premier chancellor king queen prince princess crown emir
    sheikh sheik sultan pope ayatollah imam dr doctor prof professor mr mrs ms sir lord dame
    senator governor mayor secretary general gen foreign defense defence interior finance
    state of the spokesman spokeswoman spokesperson ambassador envoy deputy former chief
    leader judge colonel col marshal field commander director head his her highness
    majesty excellency""".split()
)


def _token_key(word: str) -> str:
    """A word's key: doubled letters merged, then (for words of 4+ letters) the long
    vowels inside it dropped: «نتتنياهو» -> «نتنهو», but «تميم» -> «تمم», not «تم»."""
    word = "".join(ch for i, ch in enumerate(word) if i == 0 or ch != word[i - 1])
    if len(word) >= 4 and not word.isascii():
        word = word[0] + "".join(ch for ch in word[1:-1] if ch not in _LONG_VOWELS) + word[-1]
    return word


@lru_cache(maxsize=1 << 16)
def speaker_key(name: str) -> str:
    """The normalised key of a person's name, for matching spellings of it.

    Normalises the Arabic (diacritics, أ/إ/آ -> ا, ة -> ه, ى -> ي), drops punctuation,
    collapses spaces, and in each word of four letters or more drops the long vowels
    inside it and merges doubled letters, so that «نتنياهو», «نتانياهو» and
    «نتتنياهو» share the key «نتنهو».

    Args:
        name: a name as written («رجب طيب أردوغان», "Xi Jinping").

    Returns:
        The key, words separated by single spaces ("" for a blank name).
    """
    text = _SPACES.sub(" ", _NON_WORD.sub(" ", normalize_arabic(name))).strip()
    return " ".join(_token_key(word) for word in text.split())


@lru_cache(maxsize=1 << 16)
def compact_key(name: str) -> str:
    """The key of a name with its spaces removed: «الجرو شي» and «الجروشي» agree."""
    return _token_key(_SPACES.sub("", _NON_WORD.sub("", normalize_arabic(name))))


def articleless_key(words: list[str]) -> str:
    """The compact key of a name of two words or more with each word's article dropped
    («كريم الهلالي» and «كريم هلالي» agree); "" for a single word."""
    if len(words) < 2:
        return ""
    return compact_key("".join(w[2:] if w.startswith("ال") and len(w) > 4 else w for w in words))


def match_speakers(name: str, speakers: Iterable[str]) -> list[tuple[str, float]]:
    """Find the speakers that are the person asked about.

    Arabic names match word by word on their keys (a short name must be a whole word of
    the speaker's name, never a piece of one); Latin-script names match Arabic speakers
    through their spelling (see ``retrieval.text.transliteration``). When the name asked is a
    single word that is some speaker's family name (last word), speakers who merely have
    it as a first name are left out: «عباس» means «محمود عباس», not «عباس عراقجي»; a name
    that is nobody's last word («شي») still finds those who bear it first («شي جين بينغ»).
    A single Arabic word written as asked in some names leaves out the names that only
    share its key («سلمان» is not «سليمان»), not the other spellings of those names.

    Args:
        name: the person as asked ("شي", "Xi", «أردوغان», "Donald Trump").
        speakers: distinct speaker names (as stored with the statements).

    Returns:
        (speaker, score) pairs, best first, scores in (0, 1].
    """
    latin = has_latin(name)
    query = _latin_query(_words(name)) if latin else _words(name)
    if not query:
        return []
    found: dict[str, tuple[float, str]] = {}
    for speaker in dict.fromkeys(speakers):
        words = _words(speaker, maqsura=latin)
        if not words:
            continue
        result = _score(query, words, latin)
        if result is not None:
            found[speaker] = result
    if len(query) == 1 and not latin:
        # A lone word found as spelled in some names is not the look-alike others have:
        # «سلمان» is «سلمان بن عبد العزيز», not «… سليمان» (their keys agree); other
        # spellings of those very names stay («بنيامين نتانياهو» with «بنيامين نتنياهو»).
        spelled = {speaker_key(s) for s in found if query[0] in _words(s)}
        if spelled:
            found = {s: r for s, r in found.items() if speaker_key(s) in spelled}
    if len(query) == 1 and any(position == "last" for _, position in found.values()):
        found = {s: r for s, r in found.items() if r[1] in ("last", "all")}
    ranked = sorted(
        ((speaker, round(score, 3)) for speaker, (score, _) in found.items()), key=lambda item: (-item[1], item[0])
    )
    return [item for item in ranked if item[1] >= _MIN_SCORE]


def _words(name: str, maqsura: bool = False) -> list[str]:
    """The words of a name, normalised (Latin lower-cased); with ``maqsura``, a «ى» kept
    apart from «ي» (as ``MAQSURA``), for a Latin spelling to match."""
    name = name.replace("ى", MAQSURA) if maqsura else name
    return _SPACES.sub(" ", _NON_WORD.sub(" ", normalize_arabic(name))).split()


def latin_without_title(name: str) -> str | None:
    """An English name without the post or form of address written before it ("President
    Trump" → "Trump", "US Secretary of State John Kerry" → "John Kerry"): the run of title
    words that opens it (after a country's word: "Saudi", "US"), never the name's last
    word ("Martin Luther King"); None when it opens with no title."""
    words = name.split()
    keys = [_NON_WORD.sub("", word).lower() for word in words]
    start = 1 if len(keys) > 2 and keys[0] not in _LATIN_TITLES and keys[1] in _LATIN_TITLES else 0
    end = start
    while end < len(keys) - 1 and keys[end] in _LATIN_TITLES:
        end += 1
    return " ".join(words[end:]) if end > start else None


def _latin_query(words: list[str]) -> list[str]:
    """A Latin name's words, particles joined to the next word: "Le Pen" -> "lopen",
    "von der Leyen" -> "vonderleyen"; a word after an Arabic article ("al", "el") is
    marked "al-", for it must match a word written with «ال» ("Al-Khamis" is «الخميس»,
    not the first name «خميس»)."""
    joined: list[str] = []
    particle = article = ""
    for word in words:
        if word in _LATIN_ARTICLES:
            article = "al-"
            continue
        if word in _LATIN_PARTICLES and word is not words[-1]:
            particle += _LATIN_PARTICLES[word]
            continue
        if word in _LATIN_ABD and word is not words[-1]:  # "Abdel Ghaffar": «عبد الغفار», one name
            particle += word
            continue
        joined.append(article + particle + word)
        particle = article = ""
    return joined


def _score(query: list[str], words: list[str], latin: bool) -> tuple[float, str] | None:
    """(score, where the query matched: "all", "last", "first", "middle") or None."""
    if not latin and compact_key("".join(query)) == compact_key("".join(words)):
        return 1.0, "all"
    bare = "" if latin else articleless_key(query)
    if bare and bare == articleless_key(words):
        return 0.95, "all"  # «كريم هلالي» for «كريم الهلالي»
    spans = _align(query, words, latin)
    if spans is None:
        if len(words) < len(query) and _stored_short(query, words, latin):
            return 0.85 * (0.95 if latin else 1.0), "last"  # the speaker is stored under a shorter form
        return None
    matched, loose = spans
    if len(query) == 1 and min(matched) > 0 and words[min(matched) - 1] in PATRONYMICS:
        return None  # "Salman" is not «فيصل بن سلمان», Salman's son
    penalty = (0.9 if loose else 1.0) * (0.95 if latin else 1.0)
    content = [i for i, word in enumerate(words) if word not in _PARTICLES]
    if set(content) <= matched:
        return penalty, "all"
    if content and content[-1] in matched:
        return 0.9 * penalty, "last"
    if content and content[0] in matched:
        return 0.8 * penalty, "first"
    return 0.6 * penalty, "middle"


def _stored_short(query: list[str], words: list[str], latin: bool) -> bool:
    """Whether a speaker stored under a shorter form of the name («مورفي», «السبسي») is
    the end of the name asked ("James Murphy", «الباجي قائد السبسي»): its words are the
    query's last ones; a single Arabic word is never the given name asked («كرم» is not
    «كريم الهلالي»), two words may be («عبدرب الرسول» for «عبدرب الرسول الخميس», «نبيهة
    كمون» for "Nabiha Kammoun Tlili"), not before "Jr."/"III"."""
    tail = query[-len(words):]
    if latin:  # the family name asked, or (two words or more) the start of the name asked
        heads = [query[: len(words)]] if len(words) > 1 and query[-1] not in _LATIN_GENERATIONS else []
        for part in [tail, *heads]:
            spans = _align(part, words, True)
            if spans is not None and spans[0] == set(range(len(words))):
                return True
        return False
    spans = _align(words, query, False)
    return spans is not None and (len(words) > 1 or max(spans[0]) == len(query) - 1)


def _align(query: list[str], words: list[str], latin: bool) -> tuple[set[int], bool] | None:
    """Match each query word, in order, to one or more consecutive speaker words.

    Returns:
        (the indices of the speaker words matched, whether a loose match was needed),
        or None when some query word matches nothing.
    """
    matched: set[int] = set()
    loose = False
    position = 0
    for word in query:
        hit = _find(word, words, position, latin)
        if hit is None:
            return None
        start, end, was_loose = hit
        matched.update(range(start, end))
        loose = loose or was_loose
        position = end
    return matched, loose


def _find(word: str, words: list[str], position: int, latin: bool) -> tuple[int, int, bool] | None:
    """The first span of ``words`` from ``position`` that ``word`` spells."""
    for start in range(position, len(words)):
        for end in range(start + 1, min(len(words), start + 3) + 1):
            span = " ".join(words[start:end])
            if latin:
                if word.startswith("al-") and not words[start].startswith("ال"):
                    continue
                if words[start] == "ال" and end - start > 1:  # a family's «آل»: "Al Khalifa" «آل خليفة»
                    span = " ".join(words[start + 1 : end])
                if latin_matches(word, span):
                    return start, end, False
                continue
            exact = compact_key(word) == compact_key(span)
            if exact or compact_key(word).translate(_LOOSE) == compact_key(span).translate(_LOOSE):
                return start, end, not exact
    return None


class SpeakerMatcher:
    """``match_speakers`` over a fixed set of names, fast: an index of the names' word runs.

    A stored name can only match when one of its runs of one to three words has the
    loose key (``compact_key`` with look-alike letters merged) of a run of the name
    asked, or, for a Latin-script name, when one of its runs is spelled by the first
    or the last Latin word. Only those candidates are scored, with the very rules of
    ``match_speakers``.
    """

    def __init__(self, names: Iterable[str]):
        self.names = list(dict.fromkeys(names))
        self._by_key: dict[str, set[str]] = {}
        self._forms: list[tuple[str, str]] = []
        for name in self.names:
            runs = _runs(_words(name))
            for run in runs:
                self._by_key.setdefault(_loose_key(run), set()).add(name)
            for run in _runs(_words(name, maqsura=True)) if "ى" in name else runs:
                self._forms.extend((form, name) for form in run_forms(run.split()))
            self._by_key.setdefault(_loose_key(name), set()).add(name)

    def match(self, asked: str) -> list[tuple[str, float]]:
        """The stored names that are the person asked about, best first (see ``match_speakers``)."""
        return match_speakers(asked, self._candidates(asked))

    def _candidates(self, asked: str) -> list[str]:
        words = _words(asked)
        if has_latin(asked):
            query = _latin_query(words)  # the first word, and the last (a name stored by the family name)
            patterns = [p for p in {latin_pattern(w) for w in query[:1] + query[-1:]} if p is not None]
            found = {name for form, name in self._forms if form and any(p.fullmatch(form) for p in patterns)}
        else:
            found = set(self._by_key.get(_loose_key(asked), ()))
            for run in _runs(words):
                found |= self._by_key.get(_loose_key(run), set())
        return [name for name in self.names if name in found]


def _runs(words: list[str]) -> list[str]:
    """Every run of one to three consecutive words, joined by spaces."""
    return [" ".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + 3) + 1)]


def _loose_key(text: str) -> str:
    return compact_key(text).translate(_LOOSE)


#: How close (0-1, difflib's ratio of loose keys) a name must come to be suggested.
CLOSE_ENOUGH = 0.75


def closest_names(asked: str, names: Iterable[str], limit: int = 3) -> list[str]:
    """The names that come closest to ``asked`` without being that person, best first:
    for «nobody of that name is quoted; did you mean …?». An Arabic name is compared
    with every run of one to three words of each name (on loose keys, so «نتنياهو» is
    close to «نتانياهو» and «بوتن» to «بوتين»); a Latin-script name is not compared
    (its Arabic spellings are too many to measure a distance to): the list is then empty.
    """
    if has_latin(asked) or not _words(asked):
        return []
    matcher = SequenceMatcher(None, b=_loose_key(asked))  # the target is analysed once

    def ratio(run: str) -> float:
        # difflib's two bounds first (as get_close_matches does): most runs share too few
        # letters with the target to come close, and are left after counting them.
        matcher.set_seq1(_loose_key(run))
        if matcher.real_quick_ratio() < CLOSE_ENOUGH or matcher.quick_ratio() < CLOSE_ENOUGH:
            return 0.0
        return matcher.ratio()

    scored = []
    for name in dict.fromkeys(names):
        best = max(map(ratio, _runs(_words(name))), default=0.0)
        if best >= CLOSE_ENOUGH:
            scored.append((-best, name))
    return [name for _, name in sorted(scored)[:limit]]
