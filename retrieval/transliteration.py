"""Compare Latin-script names with Arabic ones through their consonant skeletons."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from retrieval.normalize import normalize_arabic

# Arabic letters that Latin spellings usually render as vowels, or not at all.
_ARABIC_VOWELS = frozenset("اويىءئؤأإآع")
_ARABIC_FOREIGN = str.maketrans({"ڤ": "ف", "پ": "ب", "گ": "ج", "چ": "ج", "ژ": "ز", "ڨ": "ق"})

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
    "j": ("ج", "خ", ""),
    "k": ("ك", "ق", "خ"),
    "l": ("ل",),
    "m": ("م",),
    "n": ("ن",),
    "p": ("ب", "ف"),
    "q": ("ق", "ك"),
    "r": ("ر",),
    "s": ("س", "ص", "ز", "ش"),
    "t": ("ت", "ط"),
    "v": ("ف", "ب", ""),
    "x": ("ش", "كس", "س", "ز"),
    "z": ("ز", "ظ", "ذ", "ض", "س", "تس"),
}
_SOFT_C = ("س", "ص", "ك")  # c before e, i, y
_LATIN_VOWELS = frozenset("aeiouyw")
_LATIN_PREFIX = re.compile(r"^(?:al|el|ad|ar|as|at|an|ash|az)-")


def has_latin(text: str) -> bool:
    """Whether the text contains Latin letters."""
    return any("a" <= ch.lower() <= "z" for ch in text)


def arabic_skeleton(word: str) -> str:
    """The consonant skeleton of one Arabic word, as a Latin spelling would keep it.

    Drops the article, long vowels, hamza carriers, «ع» and a final «ه» (ta marbuta),
    and merges doubled letters: «الأسد» -> «سد», «نتنياهو» -> «نتنه», «عباس» -> «بس».
    """
    word = normalize_arabic(word).translate(_ARABIC_FOREIGN)
    if word.startswith("ال") and len(word) > 3:
        word = word[2:]
    if word.endswith("ه") and len(word) > 2:
        word = word[:-1]
    letters = [ch for ch in word if ch not in _ARABIC_VOWELS and ch.isalpha()]
    return _merge_doubles("".join(letters))


def _merge_doubles(text: str) -> str:
    return "".join(ch for i, ch in enumerate(text) if i == 0 or ch != text[i - 1])


def _latin_letters(word: str) -> str:
    """Lower-case ASCII letters of a Latin word, accents removed, without an Arabic article."""
    word = unicodedata.normalize("NFKD", word.lower())
    word = "".join(ch for ch in word if "a" <= ch <= "z" or ch == "-")
    return _LATIN_PREFIX.sub("", word).replace("-", "")


def _graphemes(word: str) -> list[tuple[str, ...]]:
    """The Arabic alternatives of each consonant group of a Latin word, vowels dropped."""
    groups: list[tuple[str, ...]] = []
    i = 0
    while i < len(word):
        for size in (3, 2):
            chunk = word[i : i + size]
            if chunk in _DIGRAPHS and not (chunk == "ng" and i + 2 < len(word) and word[i + 2] in "aeiou"):
                groups.append(_DIGRAPHS[chunk])
                i += size
                break
        else:
            ch = word[i]
            if ch == "c" and i + 1 < len(word) and word[i + 1] in "eiy":
                groups.append(_SOFT_C)
            elif ch in _LETTERS:
                groups.append(_LETTERS[ch])
            i += 1
    if word.endswith("h") and groups and groups[-1] == _LETTERS["h"]:
        groups.pop()  # a final h is a vowel's (Attiyah, Shah)
    # Doubled consonants are written once, as the Arabic skeleton merges them too.
    return [group for n, group in enumerate(groups) if n == 0 or group != groups[n - 1]]


@lru_cache(maxsize=4096)
def latin_pattern(word: str) -> re.Pattern[str] | None:
    """A regular expression matching the Arabic skeletons that may spell a Latin word.

    Args:
        word: one Latin-script word ("Erdogan", "Xi", "al-Jubeir").

    Returns:
        A compiled pattern to ``fullmatch`` against ``arabic_skeleton`` of one or more
        joined Arabic words, or None when the word has no consonant.
    """
    groups = _graphemes(_latin_letters(word))
    if not any(any(alt for alt in group) for group in groups):
        return None
    parts = []
    for group in groups:
        options = sorted({alt for alt in group if alt}, key=len, reverse=True)
        body = "(?:" + "|".join(options) + ")"
        parts.append(body + "?" if "" in group else body)
    return re.compile("".join(parts) + "$")


def latin_matches(word: str, arabic: str) -> bool:
    """Whether a Latin word may be a spelling of an Arabic word (or words, joined)."""
    pattern = latin_pattern(word)
    skeleton = _merge_doubles("".join(arabic_skeleton(part) for part in arabic.split()))
    return bool(pattern and skeleton and pattern.match(_merge_doubles(skeleton)))
