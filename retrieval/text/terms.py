"""Search terms (pure): normalised Arabic words, lightly stemmed; a question's without its
question words, polite forms and particles; a topic's words found in a passage.

The stemmer was chosen by measurement over Snowball Arabic (PyStemmer) and Larkey's
light10: within a point of each other, and this one is pure Python with no dependency.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from retrieval.text.normalize import normalize_arabic, words
from retrieval.text.transliteration import (
    arabic_form,
    has_latin,
    latin_pattern,
    merge_doubles,
)

# Written normalised (أ إ آ -> ا, ى -> ي, ة -> ه). Removed from questions only: question
# words, polite forms, pronouns and the commonest particles.
_QUESTION_WORDS = """
ما ماذا من متي اين كيف لماذا لما كم هل اي ايه ايها ايهما ايش شو وين ليش امتي كيفيه
وما وماذا ومن ومتي واين وكيف ولماذا وكم وهل واي فما فمن فكيف فهل بماذا بكم
"""
_POLITE = """
فضلك فضلكم لو سمحت سمحتم ارجو نرجو اريد نريد اود اعرف معرفه اخبرني اخبرنا قل لي ممكن
يمكن يمكنك حدثني اشرح وضح اذكر عرف
"""
_FUNCTION_WORDS = """
هو هي هم هن هما انا نحن انت انتم ذلك تلك هذا هذه هؤلاء الذي التي الذين اللذين اللتين اللاتي
في علي الي عن مع او ام و ف ثم قد لقد كان كانت كانوا يكون تكون تم ان انه انها لا لم لن ليس
ب ل ك عند منذ بين حتي كل بعض غير اذا اذ به بها له لها فيه فيها منه منها عليه عليها اليه
وهو وهي وفي وعلي والي وعن ومع
"""
QUERY_STOP = frozenset((_QUESTION_WORDS + _POLITE + _FUNCTION_WORDS).split())

_ARTICLES = ("وال", "فال", "بال", "كال", "لل", "ال")
_SUFFIXES = ("هما", "كما", "تين", "تان", "هم", "هن", "كم", "نا", "ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")


def stem(word: str) -> str:
    """A light stem of a normalised word: و/ف, the article (ال، وال، بال…) or a single
    ب/ل/ك, then one pronoun or plural suffix, are taken off while enough letters remain."""
    if len(word) > 3 and word[0] in "وف":
        word = word[1:]
    for prefix in _ARTICLES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    else:
        if len(word) >= 5 and word[0] in "بلك":
            word = word[1:]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if word.endswith(("ه", "ي")) and len(word) >= 4:
        word = word[:-1]
    return word


def terms(text: str, *, query: bool = False) -> list[str]:
    """The BM25 terms of a text: normalised, stemmed words; a question also loses its
    question words, polite forms and particles."""
    found = words(normalize_arabic(text))
    if query:
        found = [w for w in found if w not in QUERY_STOP]
    return [stem(w) for w in found]


# -- a topic's words in a passage -----------------------------------------------------------

# Normalised (ة -> ه). Looser than ``stem``: a topic's word is found in any of its forms
# («سوريا» in «السورية», «إيران» in «الإيراني», «اللاجئين» in «لاجئ»).
_LOOSE_PREFIXES = ("وال", "فال", "بال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
_LOOSE_SUFFIXES = ("يين", "يون", "يه", "ين", "ون", "ات", "ان", "يا", "ه", "ي", "ا")
_LONG_VOWELS = frozenset("اوي")
_LATIN_STOP = frozenset({"the", "of", "a", "an", "and", "in", "on", "about", "to", "for", "with"})
#: Shortest Arabic word a Latin topic word may be matched with (shorter ones match too much).
_LATIN_MIN_ARABIC = 4


def topic_words(topic: str) -> list[str]:
    """The words of a topic to look for in a passage: normalised, without question words,
    particles or English function words («الحرب في سوريا» -> ["الحرب", "سوريا"])."""
    return [w for w in words(normalize_arabic(topic)) if w not in QUERY_STOP and w.lower() not in _LATIN_STOP]


@lru_cache(maxsize=1 << 16)
def word_forms(word: str) -> frozenset[str]:
    """The loose forms of a normalised Arabic word: itself, without a prefix (و، ال، بال، ل…),
    without a plural, nisba or feminine ending, and, for forms of five letters or more, the
    same with the long vowels inside left out («هولندا» and «هولاندا» agree)."""
    starts = [word] + [word[len(p) :] for p in _LOOSE_PREFIXES if word.startswith(p) and len(word) - len(p) >= 3]
    forms = set()
    for start in starts:
        forms.add(start)
        forms.update(start[: -len(s)] for s in _LOOSE_SUFFIXES if start.endswith(s) and len(start) - len(s) >= 3)
    vowelless = {_vowelless(f) for f in forms if len(f) >= 5}
    return frozenset(forms | vowelless)


def _vowelless(form: str) -> str:
    """A form without the long vowels inside it, marked (compared only with others so made)."""
    return "~" + form[0] + "".join(c for c in form[1:-1] if c not in _LONG_VOWELS) + form[-1]


def share_mentioned(topic: Sequence[str], text: str) -> float:
    """The share (0-1) of a topic's words (``topic_words``) that ``text`` contains in some
    form (``word_forms``); a Latin-script word counts when an Arabic word of the text is a
    spelling of it ("Iran" in «الإيراني», see ``retrieval.text.transliteration``)."""
    if not topic:
        return 0.0
    written = words(normalize_arabic(text))
    forms: set[str] = set()
    for word in written:
        forms |= word_forms(word)
    found = sum(_latin_found(word, forms) if has_latin(word) else not word_forms(word).isdisjoint(forms)
                for word in topic)
    return found / len(topic)


def _latin_found(word: str, forms: set[str]) -> bool:
    """Whether one of the Arabic forms spells the Latin word (both long enough to tell; as
    ``latin_matches`` decides, the word's pattern made once)."""
    pattern = latin_pattern(word) if len(word) >= _LATIN_MIN_ARABIC else None
    if pattern is None:
        return False
    return any(pattern.fullmatch(_spelled(form)) for form in forms if len(form) >= _LATIN_MIN_ARABIC and form[0] != "~")


@lru_cache(maxsize=1 << 16)
def _spelled(form: str) -> str:
    """An Arabic form as a Latin spelling would render it (``arabic_form``)."""
    return merge_doubles(arabic_form(form))
