"""Arabic normalisation for matching: diacritics, tatweel, letter variants, spaces."""

from __future__ import annotations

import hashlib
import re
import unicodedata

#: Harakat, tanween, shadda, sukun, superscript alef, Quranic marks: the one table of
#: Arabic diacritics (as a regex character range) that every module uses.
DIACRITICS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
TATWEEL = "\u0640"
_DIACRITICS = re.compile(f"[{DIACRITICS}]")
MARKS = re.compile(f"[{DIACRITICS}{TATWEEL}]")
#: A word as written: letters and digits with their diacritics and tatweel.
WRITTEN_WORD = re.compile(rf"[\w{DIACRITICS}{TATWEEL}]+")
#: The letter variants that spelling mixes up: أ إ آ ٱ -> ا, ى -> ي, ة -> ه.
LETTER_VARIANTS = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"}
_FOLD = str.maketrans(LETTER_VARIANTS)
_LETTERS = str.maketrans(
    {
        **LETTER_VARIANTS,
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
#: Terminal escape sequences, whole: CSI (``ESC [ … final``, colours and cursor moves),
#: OSC (``ESC ] … BEL`` or ``ESC \\``, titles and links) and the short ones (``ESC c``,
#: ``ESC ( B``); the eight-bit CSI too. Dropping only the ESC would leave ``[31m`` glued
#: to a word.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"
    r"|\x1b[ -/]*[0-~]"
)


def strip_invisible(text: str, *, keep_newlines: bool = False) -> str:
    """Text without invisible characters that could hide or reorder what is shown.

    Format characters (zero-width spaces and joiners, bidi marks, embeddings, overrides
    and isolates, the BOM, soft hyphens) are removed; terminal escape sequences (colours,
    cursor moves, titles) and other control characters become spaces. Newlines and tabs stay when
    ``keep_newlines`` is set.

    Args:
        text: any text.
        keep_newlines: keep ``\\n`` and ``\\t`` (for multi-line text such as passages).

    Returns:
        The text, the same length or shorter.
    """
    if text.isprintable():  # the common case: nothing to do
        return text
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPES.sub(" ", text)
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


def copy_key(text: str) -> int:
    """A 64-bit key of a text's normalised form: two passages with the same key are copies
    of one sentence (wire copies, reprints), whatever their diacritics or letter variants."""
    digest = hashlib.blake2b(normalize_arabic(text).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


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
    text = MARKS.sub("", text)
    text = text.translate(_LETTERS).lower()
    return _SPACES.sub(" ", text).strip()


def fold_letters(text: str) -> str:
    """Text with the letter variants folded: أ إ آ ٱ -> ا, ى -> ي, ة -> ه."""
    return text.translate(_FOLD)


def strip_marks(text: str) -> str:
    """Text without diacritics and tatweel, and with the letter variants folded
    (أ إ آ ٱ -> ا, ى -> ي, ة -> ه); nothing else changes (case, digits, spaces)."""
    return MARKS.sub("", text).translate(_FOLD)


def words(text: str) -> list[str]:
    """Split (already normalised) text into word tokens."""
    return _WORD.findall(text)


# -- matching a question's words in a passage ---------------------------------------------

STOP_WORDS = frozenset(
    normalize_arabic(w)
    for w in (
        # Arabic: question words, particles, pronouns, very common verbs of being.
        "ما ماذا من متى أين اين كيف لماذا لم لمن كم أي هل ماهي ماهو وما وماذا ومن "
        "في فى على علي إلى الى عن مع منذ حتى بين عند لدى لدي نحو خلال ضد حول دون "
        "و أو او ثم أم بل لا لن قد لقد إن ان أن إنه انه أنه كان كانت يكون تكون كانوا "
        "هو هي هم هن هما نحن أنا انا أنت انت أنتم انتم هذا هذه ذلك تلك هؤلاء أولئك "
        "الذي التي الذين اللذين اللتين اللواتي اللاتي ذو ذات كل بعض غير سوى أيضا ايضا "
        "به بها له لها لهم فيه فيها منه منها عنه عنها عليه عليها إليه اليه إليها اليها "
        "هناك هنا إذا اذا إذ اذ كما لكن لكن بعد قبل عندما حيث يا أي ال"
        # English.
        " a an the of to in on at for by with from into about as and or but not no "
        "is are was were be been being am do does did done has have had having "
        "what who whom whose which when where why how it its this that these those "
        "there their they them he him his she her we us our you your i me my "
        "can could would should will shall may might must than then so if"
    ).split()
)
_PREFIXES = ("وبال", "وال", "بال", "كال", "فال", "لل", "ال", "و", "ف", "ب", "ل", "ك")


def match_key(word: str) -> str:
    """A normalised word with a common Arabic prefix (و، ال، بال…) taken off."""
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= max(2, 4 - len(prefix)):
            return word[len(prefix) :]
    return word


def question_terms(question: str) -> frozenset[str]:
    """The words of a question worth matching: no stop words, at least 2 letters."""
    keys = (
        match_key(w)
        for w in words(normalize_arabic(question))
        if len(w) >= 2 and w not in STOP_WORDS and not w.isdigit()
    )
    return frozenset(k for k in keys if k not in STOP_WORDS)


def term_spans(text: str, terms: frozenset[str]) -> list[tuple[int, int]]:
    """Where in ``text`` (as written) the words matching ``terms`` are: (start, end) pairs.

    Matching is on normalised words (diacritics, letter variants, a leading و/ال…).
    """
    spans = []
    for match in WRITTEN_WORD.finditer(text):
        plain = normalize_arabic(match.group(0))
        if plain and (plain in terms or match_key(plain) in terms):
            spans.append(match.span())
    return spans
