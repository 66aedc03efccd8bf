"""One person, one name across an archive: spellings and short forms grouped under the most used full name."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from retrieval.text.normalize import normalize_arabic
from retrieval.text.spellings import PATRONYMICS, compact_key, speaker_key

#: Words after which the next ones are a parent's or a family's name, not the person's
#: own: «سعود» does not end «محمد بن سلمان آل سعود» as a surname does.
_LINKS = frozenset(speaker_key(w) for w in "بن ابن بنت آل أبو ابو أبي أم عبد ولد ال".split())
#: Words that make a namesake of the same name: «ترامب جونيور» is not «ترامب».
_ABU = speaker_key("أبو")
_GENERATIONS = frozenset(speaker_key(w) for w in "جونيور الابن الأب الثاني الثالث الرابع الأصغر الأكبر".split())
#: A short form joins the most quoted of several full names it fits only when that one
#: has this many times the statements of the others together («ترامب» for «دونالد
#: ترامب» rather than «ميلانيا ترامب»); otherwise the short form stays apart.
DOMINANT = 5
#: Letters Arabic writes one foreign sound with: g as «ج» or «غ», a Turkish k as «ق» or «ك».
#: Stricter than the matcher's loose key (``spellings._LOOSE`` also merges «ق» with «ج»):
#: grouping joins two people for good («قاسم»/«جاسم» must stay apart), matching only
#: finds candidates to score.
_SOUNDS = str.maketrans({"غ": "ج", "ك": "ق"})


@dataclass(frozen=True)
class NameGroup:
    """One person's stored names, as grouped across the archive.

    Attributes:
        name: the display name: the most quoted spelling of the most quoted full name.
        names: every stored name of the person, ``name`` first, then most quoted first.
        short: whether the person is known only by a short form that fits several
            people («الجبير» with two al-Jubeirs quoted): a lone name, not resolved.
    """

    name: str
    names: tuple[str, ...]
    short: bool = False


def name_words(name: str) -> tuple[str, ...]:
    """A name's word keys, «عبد» joined to the next word («عبد العزيز» and «عبدالعزيز» agree)."""
    return _abd_joined(speaker_key(name).split())


def _spelled(name: str) -> tuple[str, ...]:
    """A name's words as spelled (normalised), «عبد» joined to the next word."""
    return _abd_joined(normalize_arabic(name).split())


def _abd_joined(words: list[str]) -> tuple[str, ...]:
    """Words with «عبد» joined to the one after it."""
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] == "عبد":
            joined[-1] += word
        else:
            joined.append(word)
    return tuple(joined)


def group_names(counts: Mapping[str, int]) -> list[NameGroup]:
    """Group the stored names of people into persons across the whole archive.

    Spellings sharing a ``speaker_key`` (or the same letters, spaces aside) are one
    person. A shorter form — a lone surname («ترامب»), a first and family name, a
    Chinese family name first («شي») — joins the full name it starts or ends when that
    full name is the only person it fits, or the dominant one (``DOMINANT``); the end
    of a name is tried before its start, and a part after «بن»/«آل»/«أبو» is a parent's
    or a family's name, not a surname. The given and family name without the «بن …»
    chain between them («عزام الدخيل» for «عزام بن محمد الدخيل») count as its end.
    Namesakes stay apart: «ترامب جونيور» and
    «إيفانكا ترامب» are other people than «دونالد ترامب».

    Args:
        counts: each stored name (of a person) -> its number of statements.

    Returns:
        The persons, most statements first.
    """
    spellings: dict[tuple[str, ...], list[str]] = {}
    for name in counts:
        words = name_words(name)
        if words:
            spellings.setdefault(words, []).append(name)
    _merge_compact(spellings)
    _merge_transliterations(spellings)
    weight = {words: sum(counts[n] for n in names) for words, names in spellings.items()}
    parent = {words: words for words in spellings}

    def root(words: tuple[str, ...]) -> tuple[str, ...]:
        while parent[words] != words:
            parent[words] = parent[parent[words]]
            words = parent[words]
        return words

    ends, starts = _frames(spellings)
    strays = _strays(spellings, weight)
    for words, base in strays.items():
        parent[words] = base
    unresolved = set()
    for words in sorted(spellings, key=lambda w: (-len(w), w)):  # the longest first: chains resolve
        if words in strays:
            continue
        chosen = _choose(words, spellings[words], ends, starts, root, weight)
        if chosen is None:
            unresolved.add(words)
        elif chosen is not False:
            parent[words] = chosen
    members: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for words in spellings:
        members.setdefault(root(words), []).append(words)
    groups = [_group(forms, spellings, counts, weight, unresolved, strays) for forms in members.values()]
    return sorted(groups, key=lambda g: (-sum(counts[n] for n in g.names), g.name))


def _merge_compact(spellings: dict[tuple[str, ...], list[str]]) -> None:
    """Merge the forms that are the same letters once spaces are ignored («الجرو شي»)."""
    by_compact: dict[str, tuple[str, ...]] = {}
    for words in list(spellings):
        key = compact_key(" ".join(words))
        first = by_compact.setdefault(key, words)
        if first != words and len(key) > 3:
            spellings[first].extend(spellings.pop(words))


def _merge_transliterations(spellings: dict[tuple[str, ...], list[str]]) -> None:
    """Merge the spellings of one foreign name of two words or more that differ only where
    Arabic has no single letter for a sound: a g («سيرغي لافروف»، «سيرجي لافروف»; «لاغارد»،
    «لاجارد»), a Turkish k («قورتولموش»، «كورتولموش») or a silent French h («فرانسوا هولاند»،
    «فرنسوا أولاند»). Every word must agree; «كمال» and «جمال» stay two names."""
    by_sound: dict[tuple[str, ...], tuple[str, ...]] = {}
    for words in list(spellings):
        if len(words) < 2:
            continue
        first = by_sound.setdefault(tuple(_sound_key(word) for word in words), words)
        if first != words:
            spellings[first].extend(spellings.pop(words))


def _sound_key(word: str) -> str:
    """A name word's key with g and k letters merged and an opening h read as silent."""
    word = word.translate(_SOUNDS)
    return "ا" + word[1:] if word.startswith("ه") and len(word) >= 4 else word


def _frames(spellings) -> tuple[dict, dict]:
    """For every run of words that ends (starts) a longer form: the forms it ends (starts).

    A lone word is looked up as spelled, and by its key only when that key is long
    enough to tell (four letters): «بشر» (people) is not «بشار», «بوينغ» not «بينغ»,
    though their keys agree; «نتانياهو» is «نتنياهو».
    """
    ends: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    starts: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for words, names in spellings.items():
        spelled = [normalize_arabic(name).split() for name in names]
        for size in range(1, len(words)):
            head, tail = words[:size], words[size:]
            if head[-1] in _LINKS or tail[0] in _GENERATIONS or tail[-1] in _GENERATIONS:
                continue  # «محمد بن», «ترامب جونيور»: not a short form of this name
            for key in _lone_keys(tail, [w[-1] for w in spelled]) if len(tail) == 1 else (tail,):
                ends.setdefault(key, []).append(words)
            for key in _lone_keys(head, [w[0] for w in spelled]) if size == 1 else (head,):
                starts.setdefault(key, []).append(words)
        given_and_family = _without_patronyms(words)
        if given_and_family and len(words) == 3:  # «محمد الزعبي» for «محمد إسماعيل الزعبي»: as
            for spelling in map(_spelled, names):  # spelled, for keys would make «حسن حسني» of «حسين … حسيني»
                if len(spelling) == 3:
                    ends.setdefault(("=", spelling[0], spelling[2]), []).append(words)
        elif given_and_family:
            ends.setdefault(given_and_family, []).append(words)
            if len(given_and_family) == 3:  # «صالح أبوهاشم», the family written as one word
                ends.setdefault(name_words(f"{given_and_family[0]} {''.join(given_and_family[1:])}"), []).append(words)
    return ends, starts


def _without_patronyms(words: tuple[str, ...]) -> tuple[str, ...] | None:
    """The given and family name of «X بن Y [بن W …] Z» («عزام الدخيل»), with a family
    «أبو Z» kept whole («صالح أبو هاشم» for «صالح بن إبراهيم أبو هاشم»), or of «X Y Z»
    without its middle name («محمد الزعبي» for «محمد إسماعيل الزعبي»); else None: not
    when the family is «آل …» (its last word is not a surname; «محمد آل سعود» is many
    princes), nor for «X بن Y» alone, whose «بن Y» is what tells the person apart
    («محمد بن سلمان»)."""
    if words[-1] in _GENERATIONS or words[0] in _LINKS:
        return None
    if len(words) == 3 and not (set(words) & _LINKS):
        return words[0], words[-1]
    if len(words) < 4 or words[1] not in PATRONYMICS:
        return None
    if words[-2] == _ABU and words[-3] not in _LINKS:
        return words[0], words[-2], words[-1]
    return None if words[-2] in _LINKS else (words[0], words[-1])


def _strays(spellings, weight) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Forms that are another stored name with one stray word, each -> that name.

    The sentence's next word was read into the name («نفى أحمد نجيب الشابي اعتزام …»,
    «وزير المالية … حافظ بن صالح ارجاء …»), or the word before it («المحاسب محمد مقديش»,
    «مالطا جوزيف موسكات»). The archive tells: the word is part of no other stored name,
    the rest is a stored name at least as quoted, of three words or more for a word after
    it (a compound given name of two, «محمد الناصر», «صلاح الدين», takes a real surname:
    «محمد الناصر جبيرة» is someone else), of two or more not starting with «بن» for a
    word before it. Over ANT's 8,500 news articles this joins 4 forms, each rightly.
    """
    used = Counter(word for words in spellings for word in set(words))
    found = {}
    for words in spellings:
        if len(words) < 3:
            continue
        rest = words[:-1]
        if len(rest) >= 3 and used[words[-1]] == 1 and rest in spellings and weight[rest] >= weight[words]:
            found[words] = rest
            continue
        rest = words[1:]
        if (used[words[0]] == 1 and rest in spellings and rest[0] not in _LINKS
                and weight[rest] >= weight[words]):
            found[words] = rest
    return found


def _lone_keys(words: tuple[str, ...], spelled: list[str]) -> set[tuple[str, ...]]:
    """The keys a lone word is filed under: as spelled, and its key when long enough."""
    keys = {("=", word) for word in spelled}
    return keys | {words} if len(words[0]) >= 4 else keys


def _choose(words, names, ends, starts, root, weight):
    """The person a shorter form joins; None when it fits several; False when none."""
    if len(words) == 1:
        keys = _lone_keys(words, [normalize_arabic(n).split()[0] for n in names])
    else:
        keys = {words} | {("=", *spelled) for n in names if len(spelled := _spelled(n)) == 2}
    for frames in (ends, starts):
        people: dict[tuple[str, ...], int] = {}
        for form in dict.fromkeys(form for key in keys for form in frames.get(key, ())):
            top = root(form)
            people[top] = people.get(top, 0) + weight[form]
        if not people:
            continue
        if len(people) == 1:
            return next(iter(people))
        best = max(people, key=lambda p: (people[p], p))
        if people[best] >= DOMINANT * (sum(people.values()) - people[best]):
            return best
        return None
    return False


def _group(forms, spellings, counts, weight, unresolved, strays=()) -> NameGroup:
    """The person of these forms: named by the most quoted spelling of the most quoted
    form of two words or more (the only form when it is a lone name), never a stray one."""
    full = [f for f in forms if len(f) > 1 and f not in strays] or forms
    main = max(full, key=lambda f: (weight[f], len(f), f))
    name = max(spellings[main], key=lambda n: (counts[n], -_oddity(n), n))
    rest = sorted((n for f in forms for n in spellings[f] if n != name), key=lambda n: (-counts[n], n))
    return NameGroup(name, (name, *rest), short=len(forms) == 1 and forms[0] in unresolved)


def _oddity(name: str) -> int:
    """How many letters in a row repeat in a name («نتتنياهو»): a typo's mark."""
    text = normalize_arabic(name)
    return sum(1 for a, b in zip(text, text[1:]) if a == b and a.isalpha())
