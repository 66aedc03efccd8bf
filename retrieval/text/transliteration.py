"""Compare Latin-script names with Arabic ones: how each Latin letter may be written in Arabic."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from retrieval.text.normalize import normalize_arabic

# Arabic letters a Latin spelling usually leaves out: hamza carriers and «ع».
_ARABIC_SILENT = frozenset("ءئؤع")
_ARABIC_FOREIGN = str.maketrans({"ڤ": "ف", "پ": "ب", "گ": "ج", "چ": "ج", "ژ": "ز", "ڨ": "ق", "ى": "ي"})

# Latin letter groups -> the Arabic letters they may stand for; "" makes it optional.
_DIGRAPHS = {
    "sch": ("ش",),
    "tch": ("تش", "ش"),
    "sh": ("ش",),
    "ch": ("ش", "تش", "ك", "خ", "ج"),
    "kh": ("خ", "ك"),
    "gh": ("غ", "ج", "ق", ""),
    "th": ("ث", "ت", "ذ", "ط", "س"),
    "dh": ("ذ", "ض", "د"),
    "ph": ("ف",),
    "zh": ("ج", "ز", "تش", "ش"),
    "ts": ("تس", "تش", "ز"),
    "tz": ("تز", "ز", "تس"),
    "dt": ("ت", "د"),
    "dj": ("ج",),
    "ck": ("ك",),
    "qu": ("ك", "ق"),
    "ng": ("نغ", "نج", "نك", "ن"),
    "ks": ("كس",),
}
_LETTERS = {
    "b": ("ب",),
    "c": ("ك", "ق", "س", "تش"),
    "d": ("د", "ض"),
    "f": ("ف",),
    "g": ("ج", "غ", "ق", "ك"),
    "h": ("ه", "ح", "خ", ""),
    "j": ("ج", "خ"),
    "k": ("ك", "ق"),
    "l": ("ل",),
    "m": ("م",),
    "n": ("ن",),
    "p": ("ب", "ف"),
    "q": ("ق", "ك", "تش"),
    "r": ("ر",),
    "s": ("س", "ص", "ز", "ش"),
    "t": ("ت", "ط"),
    "v": ("ف", "ب"),
    "x": ("ش", "كس", "س", "ز"),
    "z": ("ز", "ظ", "ذ", "ض", "س", "تس"),
}
_SOFT_C = ("س", "ص", "ك")  # c before e, i, y
# What a Latin vowel letter may be written as in Arabic (besides nothing): «ترامب» for u,
# «سبايسر» for i, «زايبرت» for ei.
_VOWELS = {
    "a": ("ا",),
    "e": ("ي", "ا", "اي"),
    "i": ("ي", "اي"),
    "o": ("و",),
    "u": ("و", "ا"),
    "y": ("ي",),
    "w": ("و",),
}
_LATIN_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|at|an|ash|az)-")


def has_latin(text: str) -> bool:
    """Whether the text contains Latin letters."""
    return any("a" <= ch.lower() <= "z" for ch in text)


def arabic_form(word: str) -> str:
    """One Arabic word as a Latin spelling would render it, for matching.

    Drops the article, a final «ه» (ta marbuta), hamza carriers and «ع», and merges
    doubled letters; long vowels stay, as the Latin vowels must allow them:
    «الأسد» -> «اسد», «العطية» -> «طي», «عباس» -> «باس».
    """
    word = normalize_arabic(word).translate(_ARABIC_FOREIGN)
    if word.startswith("ال") and len(word) > 4:
        word = word[2:]
    if word.endswith("ه") and len(word) > 2:
        word = word[:-1]
    return merge_doubles("".join(ch for ch in word if ch not in _ARABIC_SILENT and ch.isalpha()))


def merge_doubles(text: str) -> str:
    """Letters written twice in a row, once (a shadda is rarely written)."""
    return "".join(ch for i, ch in enumerate(text) if i == 0 or ch != text[i - 1])


def _latin_letters(word: str) -> str:
    """Lower-case ASCII letters of a Latin word, accents removed, without an Arabic article."""
    word = unicodedata.normalize("NFKD", word.lower())
    word = "".join(ch for ch in word if "a" <= ch <= "z" or ch == "-")
    return _LATIN_PREFIX.sub("", word).replace("-", "")


def _groups(word: str) -> list[tuple[str, tuple[str, ...]]]:
    """The word as ("c", Arabic consonants) and ("v", Arabic vowel spellings) groups."""
    groups: list[tuple[str, tuple[str, ...]]] = []
    i = 0
    while i < len(word):
        ch = word[i]
        if i == 0 and ch in "yw":  # a first y/w is a consonant: Yuval, Wang, Yi
            groups.append(("c", ("ي",) if ch == "y" else ("و",)))
            i += 1
            continue
        if ch in _VOWELS:
            allowed = ("",) + _VOWELS[ch]
            if groups and groups[-1][0] == "v":  # a run of vowels: each letter written or not
                allowed = tuple({a + b for a in groups.pop()[1] for b in allowed})
            groups.append(("v", allowed))
            i += 1
            continue
        chunk = next((word[i : i + n] for n in (3, 2) if word[i : i + n] in _DIGRAPHS), None)
        if chunk and not (chunk == "ng" and i + 2 < len(word) and word[i + 2] in "aeiou"):
            options, i = _DIGRAPHS[chunk], i + len(chunk)
        else:
            options = _SOFT_C if ch == "c" and word[i + 1 : i + 2] in ("e", "i", "y") else _LETTERS.get(ch, ())
            i += 1
        if options and not (groups and groups[-1] == ("c", options)):  # a doubled letter is written once
            groups.append(("c", options))
    if word.endswith("h") and groups and groups[-1] == ("c", _LETTERS["h"]):
        groups.pop()  # a final h is a vowel's (Attiyah, Shah)
    return groups


@lru_cache(maxsize=4096)
def latin_pattern(word: str) -> re.Pattern[str] | None:
    """A regular expression matching the Arabic forms that may spell a Latin word.

    Consonants map to the Arabic letters they may stand for (g -> ج/غ/ق, sh -> ش, x -> ش
    as in Xi); a Latin vowel may be written as a long vowel (a -> ا, o -> و, u -> و/ا,
    e -> ي/ا, i -> ي/اي) or not at all, but an Arabic long vowel needs a Latin vowel in
    its place, so that "Tamim" matches «تميم» and not «توم».

    Args:
        word: one Latin-script word ("Erdogan", "Xi", "al-Jubeir").

    Returns:
        A compiled pattern to ``fullmatch`` against ``arabic_form`` of one or more
        joined Arabic words, or None when the word has no consonant.
    """
    groups = _groups(_latin_letters(word))
    if not any(kind == "c" and any(options) for kind, options in groups):
        return None
    parts = ["ا?"]  # a written alef (hamza seat) before the first letter
    for _, options in groups:
        body = "(?:" + "|".join(sorted({alt for alt in options if alt}, key=len, reverse=True)) + ")"
        parts.append(body + "?" if "" in options else body)
    return re.compile("".join(parts))


def latin_matches(word: str, arabic: str) -> bool:
    """Whether a Latin word may be a spelling of an Arabic word (or words, joined)."""
    pattern = latin_pattern(word)
    form = merge_doubles("".join(arabic_form(part) for part in arabic.split()))
    return bool(pattern and form and pattern.fullmatch(form))
