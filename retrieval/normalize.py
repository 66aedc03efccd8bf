"""Arabic normalisation for matching: diacritics, tatweel, letter variants, spaces."""

from __future__ import annotations

import re
import unicodedata

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "ة": "ه",
        # Persian/Urdu forms that turn up in Arabic news text.
        "ی": "ي",
        "ک": "ك",
        # Arabic-Indic and Eastern Arabic-Indic digits -> ASCII.
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
    }
)
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+", re.UNICODE)


def normalize_arabic(text: str) -> str:
    """Normalise text for matching, the way the evaluation does.

    Removes diacritics and tatweel, maps أ إ آ ٱ to ا, ى to ي, ة to ه, Arabic-Indic
    digits to ASCII, lower-cases Latin letters and collapses whitespace.

    Args:
        text: any text.

    Returns:
        The normalised text.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_LETTERS).lower()
    return _SPACES.sub(" ", text).strip()


def words(text: str) -> list[str]:
    """Split (already normalised) text into word tokens."""
    return _WORD.findall(text)
