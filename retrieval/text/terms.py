"""Search terms (pure): normalised Arabic words, lightly stemmed; a question's without its
question words, polite forms and particles.

The stemmer was chosen by measurement over Snowball Arabic (PyStemmer) and Larkey's
light10: within a point of each other, and this one is pure Python with no dependency.
"""

from __future__ import annotations

from retrieval.text.normalize import normalize_arabic, words

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
