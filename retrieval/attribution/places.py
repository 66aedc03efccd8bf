"""A place or an office glued to «ب»/«ل» between a title and a name («مدير شرطة بجدة
عبدالله الثقفي»، «الناطق باسم المحكمة الابتدائية بمدنين عبد المجيد ليشيهب»، «مدير إدارة
شؤون المعلمين بتعليم تبوك صالح أبو هاشم»), told from a name that begins with the same
letters («بندر»، «بلاتر»، «ليلى») by the article itself: the word without its «ب» stands
elsewhere in it («في جدة»، «منطقة جازان»، «التعليم»), which a name's letters do not.

A place not glued to anything («رئيس باراغواي هوراسيو كارتيس»، «رئيس وزراء مالطا جوزيف
موسكات») is told the same way: the article has it after «في» elsewhere («في باراغواي»),
where no one's given name stands (glued to «ب» is not enough: «بحسن نية»).

The article's words are kept in the ``known`` mapping the name reader already carries,
under keys «@word» that no name form can take, each with the words seen right after it,
and the words seen as a place under «@@word», with the word after them.
"""

from __future__ import annotations

import retrieval.attribution.reporting as R
from retrieval.attribution.names import Known, is_known, name_end
from retrieval.attribution.tokens import QUOTE_CHARS, Token, is_definite

_MARK = "@"
_IN = "@@"
_IN_WORDS = frozenset({"في", "وفي"})
_GLUED = ("ب", "ل")
_ARTICLED = ("لل", "بال", "وال", "فال", "كال")
_PREFIX_LETTERS = frozenset("وفلبك")  # the first letters of the prefixes above


def add_article_words(known: dict[str, set[str]], token_lists: list[list[Token]]) -> None:
    """Record every word of the article, bare of a leading «و»/«ف» and with «لل…»/«بال…»
    read as «ال…», with the words that follow it."""
    remember = known.setdefault
    for tokens in token_lists:
        for k, token in enumerate(tokens):
            if not token.word:
                continue
            norm, following = token.norm, _next_word(tokens, k)
            remember(_MARK + norm, set()).add(following)
            if norm[0] in _PREFIX_LETTERS and len(norm) > 3:
                for form in _prefixed_forms(norm):
                    remember(_MARK + form, set()).add(following)
            if k and tokens[k - 1].norm in _IN_WORDS and _ends_phrase(following):  # «في باراغواي،»
                remember(_IN + norm, set()).add(following)


def _ends_phrase(following: str) -> bool:
    """Whether the phrase «في …» ends before ``following`` (punctuation, the end, «و…», a
    preposition or a time word): «في باراغواي، …», not «في حسن سير العمل»."""
    return not following or following.startswith("و") or following in R.PREPOSITIONS or following in R.TIME_WORDS


def _prefixed_forms(norm: str) -> list[str]:
    """The other forms a word stands under: without «و»/«ف», «لل…»/«بال…» as «ال…»."""
    forms = [norm[1:]] if norm[0] in "وف" else []
    for prefix in _ARTICLED:
        if norm.startswith(prefix) and len(norm) > len(prefix) + 2:
            forms.append("ال" + norm[len(prefix):])
    return forms


def _stands_alone(word: str, known: Known) -> str | None:
    """How the article uses ``word`` («بجدة») elsewhere: "place" when its stem stands on its
    own («جدة»), "noun" when the stem takes the article («التعليم»: an office, whose place
    follows), None when it does neither (a name's letters: «بندر»; a place that begins with
    «ب», «بيشة», is no «ب» and a word, and the title reader takes it as a lone name)."""
    stem = word[1:]
    if len(stem) < 3:
        return None
    if _MARK + stem in known:
        return "place"
    if _MARK + "ال" + stem in known:
        return "noun"
    return None


def _next_word(tokens: list[Token], k: int) -> str:
    """The word after token ``k``, past a quote mark; "" at the end or other punctuation."""
    for token in tokens[k + 1 : k + 3]:
        if token.word:
            return token.norm
        if token.raw not in QUOTE_CHARS:
            return ""
    return ""


def name_after_place(tokens: list[Token], start: int, stop: int, known: Known) -> int | None:
    """Where the name read at ``start:stop`` really starts when its first word is «ب»/«ل»
    and a place or office the article uses (see the module); None when it is a name."""
    word = tokens[start].norm
    if stop - start < 3 or is_definite(word):
        return None
    if _IN + word in known:  # «في باراغواي»: the word is a place
        return _name_after_words(tokens, start + 1 + (tokens[start + 1].norm in known[_IN + word]), stop, known)
    if not word.startswith(_GLUED) or is_definite(word[1:]):
        return None
    use = _stands_alone(word, known)
    if use is None:
        return None
    after = tokens[start + 1].norm
    if after in R.NAME_PARTICLES or not is_definite(after) and _place_word(after):
        return None  # «لبنى بنت خالد»: a name goes on; «بأمانة منطقة جازان يحيى …»: a longer place
    k = start + 1
    while k < stop and is_definite(tokens[k].norm) and not is_known(tokens[k].norm, known):
        k += 1  # «بوادي الدواسر متعب آل قويد»: the place's own words
    phrase = tokens[k].norm in known.get(_MARK + word[1:], ())  # «تعليم جازان» stands elsewhere
    if k == start + 1 and (use == "noun" or phrase) and stop - k >= 3:
        k += 1  # «بتعليم تبوك صالح أبو هاشم»: the office, then the place it serves
    return _name_after_words(tokens, k, stop, known)


def _name_after_words(tokens: list[Token], k: int, stop: int, known: Known) -> int | None:
    """``k`` when a name of two words or more starts there and ends at ``stop``."""
    if stop - k < 2 or is_definite(tokens[k].norm) or _place_word(tokens[k].norm) or tokens[k].norm in R.NAME_PARTICLES:
        return None  # «لإطلاق البرنامج ستكون»: no name starts there
    return k if name_end(tokens, k, known) == stop else None


def _place_word(norm: str) -> bool:
    """A word of a place's or an institution's name («منطقة», «جدة», «البنك»), never a name's."""
    return norm in R.TITLE_WORDS or norm in R.PLACES or norm in R.ORGANISATIONS
