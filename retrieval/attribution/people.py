"""The people of one article: their names, titles and gender, and who has the floor."""

from __future__ import annotations

from dataclasses import dataclass, field

import retrieval.attribution.reporting as R
from retrieval.attribution.mentions import Mention
from retrieval.attribution.tokens import is_and_title, is_definite
from retrieval.text.spellings import (
    PATRONYMICS,
    articleless_key,
    compact_key,
    speaker_key,
)

_SYNONYMS = {"ناطق": "متحدث", "حكومه": "وزراء", "اميركي": "امريكي", "مرشد": "زعيم"}
FORMER = frozenset(("السابق", "الاسبق", "السابقه"))  # a former holder of a post (normalised)
_GENERIC = frozenset(("العام", "الدائم", "الخاص", "الجديد", "المنتخب", "الاعلي"))
_TITLE_BREAKS = frozenset(("في", "لدي", "باسم", "و"))
_COUNTERPART = "نظير"
_OFFICIAL = frozenset(("مسؤول", "دبلوماسي"))  # «المسؤول الروسي» points back to a titled Russian
_EPITHET_REACH = 2  # how many sentences back the speaker an epithet stands for may have spoken


@dataclass
class CastMember:
    """A person of the article, as its sentences reveal them.

    Attributes:
        names: the forms of the name (normalised words -> as written).
        spoken: the forms seen as the subject of a statement.
        titles: the titles seen with the person (normalised words), split at «و».
        title_raw: the first title seen, as written.
        feminine: the gender, once a statement's verb or title shows it.
        verb_gender: whether a verb agreeing with the person told the gender (a
            title's masculine form does not: «عضو»، «رئيس» are said of women too).
        last_seen: the last sentence that mentions the person.
        last_spoke: the last sentence the person said.
    """

    names: dict[tuple[str, ...], str] = field(default_factory=dict)
    spoken: set[tuple[str, ...]] = field(default_factory=set)
    titles: list[tuple[str, ...]] = field(default_factory=list)
    title_raw: str | None = None
    feminine: bool | None = None
    verb_gender: bool = False
    last_seen: int = -1
    last_spoke: int = -1

    def add(self, mention: Mention, index: int, *, speaking: bool = True) -> None:
        """Learn a mention's name and titles; only a speaking mention tells the gender."""
        if mention.name_norm and mention.name_norm not in self.names:
            self.names[mention.name_norm] = mention.name
        if speaking and mention.name_norm:
            self.spoken.add(mention.name_norm)
        for title in split_titles(mention.title_norm):
            if title not in self.titles:
                self.titles.append(title)
        if mention.title and self.title_raw is None:
            self.title_raw = mention.title
        if speaking and self.feminine is None and mention.feminine is not None:
            self.feminine = mention.feminine
        self.last_seen = max(self.last_seen, index)

    @property
    def display(self) -> str:
        """The fullest form that begins or ends with a form seen speaking («دونالد ترامب» for
        «ترامب»; not «فوز ماكرون رسميا», a misreading around «ماكرون»)."""
        spoken = self.spoken or set(self.names)
        forms = [form for form in self.names if any(_frames(form, short) for short in spoken)]
        return self.names[max(forms or list(self.names), key=len)] if self.names else ""

    @property
    def aliases(self) -> tuple[str, ...]:
        """Keys of the other forms of the name, each spelt as in the full name when it is a
        part of it written with other spaces («الجرو شي» -> «الجروشي»)."""
        words = self.display.split()
        key = speaker_key(self.display)
        forms = {speaker_key(_respaced(raw, words)) for raw in self.names.values()}
        return tuple(sorted(forms - {key}))


def _respaced(form: str, words: list[str]) -> str:
    """``form`` as the words of the full name write it, when it is some of them («الجرو شي»)."""
    target = compact_key(form)
    for start in range(len(words)):
        for end in range(start + 1, len(words) + 1):
            if compact_key("".join(words[start:end])) == target:
                return " ".join(words[start:end])
    return form


def gender_fits(person: CastMember, feminine: bool | None) -> bool:
    """Whether a verb's or title's gender (None: unknown) agrees with the person's."""
    return feminine is None or person.feminine is None or person.feminine == feminine


@dataclass
class Cast:
    """The people of one article and who has the floor.

    Attributes:
        people: everyone named so far.
        floor: the person whose words a continuation («وأضاف») would go on with; None
            after an organisation or an unnamed source has spoken.
        later_titles: titled mentions of the whole article, (sentence, mention), for a
            title used before the name it goes with («الأمين العام» … «الأمين العام، أنطونيو
            غوتيريس»).
    """

    people: list[CastMember] = field(default_factory=list)
    floor: CastMember | None = None
    later_titles: list[tuple[int, Mention]] = field(default_factory=list)

    def person(self, mention: Mention, index: int, *, speaking: bool = True) -> CastMember:
        """The person a named mention refers to (the most recently seen one), created if new."""
        holder = self._title_holder(mention, index)
        if holder is not None:
            holder.last_seen = max(holder.last_seen, index)
            return holder
        candidates = [p for p in self.people if any(same_name(mention.name_norm, n) for n in p.names)]
        person = max(candidates, key=lambda p: p.last_seen) if candidates else None
        if person is None:
            person = CastMember()
            self.people.append(person)
        person.add(mention, index, speaking=speaking)
        return person

    def by_title(self, mention: Mention, index: int, feminine: bool | None) -> CastMember | None:
        """The person a title alone refers to: the latest compatible one, else a later one."""
        fits = [
            p
            for p in self.people
            if gender_fits(p, feminine)
            and gender_fits(p, mention.feminine)
            and any(titles_compatible(mention.title_norm, title) for title in p.titles)
            and not any(_other_country(mention.title_norm, title) for title in p.titles)
        ]
        if _title_parts(mention.title_norm)[2]:  # «وزيرة ألمانية»: one seen with that country first
            placed = [p for p in fits if any(_same_country(mention.title_norm, title) for title in p.titles)]
            if placed:
                return max(placed, key=lambda p: (p.last_spoke, p.last_seen))
            later = self._later_titled(mention, index, feminine, country=True)
            if later is not None:
                return later
        if fits:
            return max(fits, key=lambda p: (p.last_spoke, p.last_seen))
        addressed = [  # «المهندس السيد»: the one named «… المهندس عدنان السيد» before
            p for p in self.people
            if gender_fits(p, feminine) and any(title[-1] == mention.title_norm[0] for title in p.titles)
        ]
        if len(addressed) == 1:
            return addressed[0]
        later = self._later_titled(mention, index, feminine, country=False)
        return later if later is not None else self._epithet_of_floor(mention, index, feminine)

    def _epithet_of_floor(self, mention: Mention, index: int, feminine: bool | None) -> CastMember | None:
        """The person speaking just before, when a definite title that fits nobody has another
        head than theirs and shares a country or a complement with their title: «ووصف رئيس
        الدبلوماسية الأميركية …» after «وزير الخارجية الأميركي جون كيري». Never the same
        post in another country, never a post above theirs, never a title of their head
        (``titles_compatible`` already said it is another post)."""
        floor, title = self.floor, mention.title_norm
        if floor is None or index - floor.last_spoke > _EPITHET_REACH or not floor.titles:
            return None
        if not any(is_definite(word) for word in title[:2]) or FORMER & set(title):
            return None
        if not gender_fits(floor, feminine) or not gender_fits(floor, mention.feminine):
            return None
        head, complements, nations = _title_parts(title)
        shared = False
        for known in floor.titles:
            known_head, known_complements, known_nations = _title_parts(known)
            if known_head == head or head in {bare_title_word(word) for word in known[1:]}:
                return None  # another post of that head («وزير الداخلية» after «وزير النقل»), or one above his
            if nations and known_nations and not nations & known_nations:
                return None  # another country's
            shared = shared or bool(nations & known_nations or complements & known_complements)
        return floor if shared else None

    def _later_titled(
        self, mention: Mention, index: int, feminine: bool | None, *, country: bool
    ) -> CastMember | None:
        """The person named later with a title the mention may stand for (and the same country)."""
        for later, named in self.later_titles:
            if later > index and titles_compatible(mention.title_norm, named.title_norm) and (
                not country or _same_country(mention.title_norm, named.title_norm)
            ):
                if feminine is None or named.feminine is None or named.feminine == feminine:
                    return self.person(named, index, speaking=False)
        return None

    def _title_holder(self, mention: Mention, index: int) -> CastMember | None:
        """The person a title's complement misread as a name stands for: «أمير عسير» when
        the article knows «أمير منطقة عسير الأمير فيصل بن خالد», «المدير التنفيذي لسوق عكاظ»
        when it knows him as «… الدكتور راشد الغامدي» (the same head, every word of the
        "name" in that person's title)."""
        if not mention.title_norm or not mention.name_norm:
            return None
        head = _title_parts(mention.title_norm)[0]
        words = set(mention.name_norm)

        def holds(title: tuple[str, ...]) -> bool:
            return _title_parts(title)[0] == head and words <= set(title)

        fits = [p for p in self.people if any(holds(title) for title in p.titles)]
        if len(fits) == 1:
            return fits[0]
        if not fits:
            later = [named for at, named in self.later_titles if at > index and holds(named.title_norm)]
            if len({named.name_norm for named in later}) == 1:
                return self.person(later[0], index, speaking=False)
        return None

    def continuing(self, feminine: bool | None) -> CastMember | None:
        """The person who has the floor, when the verb's gender fits them: a continuation
        never skips back over another speaker to an earlier one."""
        if self.floor is not None and gender_fits(self.floor, feminine):
            return self.floor
        return None


def same_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two name forms may be one person: one holds the other's words («شي» in
    «شي جين بينغ»), or the same letters once spaces are ignored («الجرو شي» in «طارق
    الجروشي»), spelling variants allowed («نتانياهو»/«نتنياهو»), a family name without
    its article («طيب»، «سمير الطيب»; «كريم هلالي»، «كريم الهلالي»). A kunya alone («أبو
    عبدالمجيد») is not the person named like the son, but a family name «أبو راس» is
    «عبدالله أبو راس»."""
    if _kunya_apart(a, b) or _kunya_apart(b, a):
        return False
    short, long = sorted((a, b), key=lambda name: (len(name), len("".join(name))))
    if _fathers_name(short, long):
        return False  # «خالد الفيصل» in «بندر بن خالد الفيصل»: his son
    bare = articleless_key(list(short))
    if bare and bare == articleless_key(list(long)):
        return True  # «كريم هلالي» and «كريم الهلالي»
    target = compact_key("".join(short))
    if len(short) == 1 < len(long) and long[-1].startswith("ال") and compact_key(long[-1][2:]) == target:
        return True  # «طيب» for «سمير الطيب»: a family name without its article
    for start in range(len(long)):
        for end in range(start + 1, len(long) + 1):
            if compact_key("".join(long[start:end])) == target:
                return True
    short_keys, long_keys = sorted((_name_keys(a), _name_keys(b)), key=len)
    return bool(short_keys) and f" {' '.join(short_keys)} " in f" {' '.join(long_keys)} "


_KUNYA = R.norm_set("أبو ابو أبي ابي أم ام")


def _fathers_name(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``short``, a name of two words or more, stands in ``long`` only right after
    «بن/ابن/بنت»: the father's name in his child's («خالد الفيصل» in «بندر بن خالد الفيصل»),
    not another form of it (one word may be a family named «بن …»: «ضاوي», «عبدالله بن ضاوي»)."""
    if len(short) < 2:
        return False
    size, keys = len(short), [speaker_key(word) for word in long]
    target = [speaker_key(word) for word in short]
    places = [k for k in range(len(long) - size + 1) if keys[k : k + size] == target]
    return bool(places) and all(k > 0 and long[k - 1] in PATRONYMICS for k in places)


def _kunya_apart(kunya: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether ``kunya`` is a name «أبو X» alone that ``other`` does not hold as it stands:
    «أبو عبدالمجيد» is the father of an Abdulmajid, not «عبدالمجيد سعد»."""
    if len(kunya) != 2 or kunya[0] not in _KUNYA:
        return False
    whole = compact_key("".join(kunya))
    return not any(compact_key("".join(other[k : k + 2])) == whole or compact_key(other[k]) == whole
                   for k in range(len(other)))  # «أبو راس» in «هاني أبوراس» too


def split_titles(title: tuple[str, ...]) -> list[tuple[str, ...]]:
    """A title's parts joined by «و»: «سفير … والمندوب الدائم» -> two titles."""
    parts: list[list[str]] = [[]]
    after_and = False
    for word in title:
        if word == "و":
            after_and = True
            continue
        if parts[-1] and is_and_title(word):
            parts.append([word[1:]])
        elif parts[-1] and after_and and word in R.TITLE_HEADS:
            parts.append([word])
        else:
            parts[-1].append(word)
        after_and = False
    return [tuple(part) for part in parts if part]


def titles_compatible(reference: tuple[str, ...], known: tuple[str, ...]) -> bool:
    """Whether a title used alone («الرئيس الصيني»، «الوزير») may refer to a person known
    with another: the same head noun, no conflicting complement («وزير الدفاع» is not
    «وزير الخارجية») or nationality («الصيني» is not «الأمريكي»), not a former holder."""
    if not reference or not known:
        return False
    head, complements, nations = _title_parts(reference)
    known_head, known_complements, known_nations = _title_parts(known)
    if known_head == _COUNTERPART:  # «نظيره المصري»: the same post as someone else's, in Egypt
        return bool(nations & known_nations)
    if head in _OFFICIAL and is_definite(reference[0]):  # «المسؤول الروسي»: the Russian named before
        return bool(nations & known_nations) and not (FORMER & set(known))
    if head != known_head or bool(FORMER & set(known)) != bool(FORMER & set(reference)):
        return False
    if head == "رئيس" and known_complements and not complements:
        return False  # «الرئيس» alone is a president, not «رئيس الوزراء»
    if complements and known_complements and not complements & known_complements:
        return False
    return not (nations and known_nations and not nations & known_nations)


def _same_country(reference: tuple[str, ...], known: tuple[str, ...]) -> bool:
    """Whether a title names the country of another («وزيرة ألمانية», «وزيرة الدفاع الألمانية»)."""
    return bool(_title_parts(reference)[2] & _title_parts(known)[2])


def _other_country(reference: tuple[str, ...], known: tuple[str, ...]) -> bool:
    """Whether a person's title is the same post in another country («وزير الخارجية
    السعودي» for a reference to «وزير الخارجية المصري»)."""
    head, _, nations = _title_parts(reference)
    known_head, _, known_nations = _title_parts(known)
    return head == known_head and bool(nations) and bool(known_nations) and not nations & known_nations


def _title_parts(title: tuple[str, ...]) -> tuple[str, set[str], set[str]]:
    """(head, complements, nationalities) of a title, articles and endings removed."""
    head = bare_title_word(title[0])
    if head.startswith(_COUNTERPART):  # «نظيره»، «نظيرته»
        head = _COUNTERPART
    elif head.endswith("ه"):  # «وزيرة» -> «وزير»
        head = _SYNONYMS.get(head[:-1], head[:-1])
    complements: set[str] = set()
    nations: set[str] = set()
    for word in title[1:]:
        if word in _TITLE_BREAKS:
            break
        if word in R.GENTILICS or word in R.BARE_GENTILICS or word in R.PLACES:
            nations.update(nation_keys(word))
        elif word not in _GENERIC:
            complements.add(bare_title_word(word))
    return head, complements, nations


def nation_keys(word: str) -> set[str]:
    """The keys a nationality or a place is compared by, article and ending aside
    («التركية»، «تركي»); «ألمانية» begins like an article: both readings of the word."""
    return {speaker_key(form.rstrip("ه").rstrip("ي")) for form in (bare_title_word(word), word)}


def bare_title_word(word: str) -> str:
    """A title word without its article and with its usual synonym («الناطق» -> «متحدث»)."""
    word = word[2:] if is_definite(word) else word[1:] if word.startswith("لل") else word
    return _SYNONYMS.get(word, word)


def _name_keys(name_norm: tuple[str, ...]) -> tuple[str, ...]:
    """The keys of a name's words, particles («بن»، «آل») left out."""
    return tuple(speaker_key(word) for word in name_norm if word not in R.NAME_PARTICLES)


def _frames(form: tuple[str, ...], short: tuple[str, ...]) -> bool:
    """Whether ``short`` starts or ends ``form`` (compared by keys)."""
    long_keys, short_keys = _name_keys(form), _name_keys(short)
    size = len(short_keys)
    return bool(size) and (long_keys[:size] == short_keys or long_keys[-size:] == short_keys)
