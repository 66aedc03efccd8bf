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
_KEEP_CONTROLS = frozenset("\n\t")


def strip_invisible(text: str, *, keep_newlines: bool = False) -> str:
    """Text without invisible characters that could hide or reorder what is shown.

    Format characters (zero-width spaces and joiners, bidi marks, embeddings, overrides
    and isolates, the BOM, soft hyphens) are removed; control characters (terminal escape
    sequences start with one) become spaces. Newlines and tabs stay when
    ``keep_newlines`` is set.

    Args:
        text: any text.
        keep_newlines: keep ``\\n`` and ``\\t`` (for multi-line text such as passages).

    Returns:
        The text, the same length or shorter.
    """
    if text.isprintable():  # the common case: nothing to do
        return text
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if category == "Cf":
            continue
        if category == "Cc" and not (keep_newlines and ch in _KEEP_CONTROLS):
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def has_words(text: str) -> bool:
    """Whether ``text`` holds at least one letter or digit (emoji and punctuation do not count)."""
    return any(ch.isalnum() for ch in text)


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
