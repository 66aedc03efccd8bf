"""A sentence's word and punctuation tokens, and what single words look like (verbs, titles, articles)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import retrieval.attribution.reporting as R
from retrieval.text.normalize import (
    DIACRITICS,
    TATWEEL,
    normalize_arabic,
    strip_invisible,
)

_TOKEN = re.compile(rf"[\w{DIACRITICS}{TATWEEL}]+|[^\s\w]")
TANWEEN = re.compile("[\u064b-\u064d]")
COMMAS = frozenset("،,")
QUOTE_CHARS = frozenset('«»“”"')
_OPENERS = frozenset("«“")
_normalize = lru_cache(maxsize=1 << 16)(normalize_arabic)  # words repeat: normalise each once
_CLOSERS = frozenset("»”")


@dataclass(frozen=True)
class Token:
    """One word or punctuation mark of a sentence.

    Attributes:
        raw: the text as written.
        norm: ``normalize_arabic(raw)`` for a word; the mark itself for punctuation.
        word: whether it is a word (else punctuation).
        quoted: whether it lies inside a quotation.
    """

    raw: str
    norm: str
    word: bool
    quoted: bool


def tokenize(sentence: str) -> list[Token]:
    """Split a sentence into word and punctuation tokens, marking those inside quotes.

    Args:
        sentence: one sentence as written.

    Returns:
        The tokens in order; a lone tatweel or diacritic counts as punctuation. Bidi
        marks and zero-width characters are left out («‏والمؤتمرات» is «والمؤتمرات»).
    """
    sentence = strip_invisible(sentence)
    tokens: list[Token] = []
    depth = 0
    straight_open = False
    for match in _TOKEN.finditer(sentence):
        raw = match.group()
        norm = _normalize(raw)
        if norm and norm[0].isalnum():
            tokens.append(Token(raw, norm, True, depth > 0 or straight_open))
            continue
        char = raw[0]
        if char in _OPENERS:
            depth += 1
        elif char in _CLOSERS:
            depth = max(0, depth - 1)
        elif char == '"':
            straight_open = not straight_open
        tokens.append(Token(raw, norm or raw, False, depth > 0 or straight_open))
    return tokens


def strip_prefix(norm: str) -> str:
    """The word without a leading conjunction و/ف when what is left is a reporting verb."""
    if len(norm) > 2 and norm[0] in "وف" and norm[1:] in R.VERBS:
        return norm[1:]
    return norm


def verb_form(token: Token) -> R.VerbForm | None:
    """The reporting verb a token is («وقالت» -> قال, feminine), if it is one outside quotes."""
    return R.VERBS.get(strip_prefix(token.norm)) if token.word and not token.quoted else None


def is_definite(norm: str) -> bool:
    """Whether a normalised word carries the article ال."""
    return len(norm) > 3 and norm.startswith("ال")


def hamza_initial(token: Token) -> bool:
    """A word written with «أل»/«إل» («ألفة»، «إلهام»): its «ال» is no article, though the
    normalised form reads like one."""
    raw = token.raw[1:] if token.raw.startswith("و") and len(token.raw) > 3 else token.raw
    return raw.startswith(("أل", "إل"))


def is_title_head(norm: str) -> bool:
    """Whether a normalised word opens a title or role («الرئيس»، «وزير»، «المتحدث»)."""
    return norm in R.TITLE_HEADS


_REPRESENTED = frozenset({"ممثل", "ممثله"})


def adjectival_head(tokens: list[Token], i: int) -> bool:
    """A title head that is an adjective of the definite noun before it («الكعبة المشرفة»،
    «الإنجاز المشرف»), not a post («وأوضح المشرف العام على المهرجان …»); «ممثلة في/بـ»
    ("represented by") is one wherever it stands."""
    if tokens[i].norm in _REPRESENTED and i + 1 < len(tokens) and tokens[i + 1].norm.startswith(("في", "ب")):
        return True
    if tokens[i].norm not in R.ADJECTIVAL_HEADS or i == 0 or not tokens[i - 1].word:
        return False
    before = tokens[i - 1].norm
    return is_definite(before) and not is_title_head(before)


_SECRETARY_OF = R.norm_set("عام العام سر السر")


def given_amin(tokens: list[Token], k: int) -> bool:
    """«السفير أمين شلبي»: «أمين» right after a title (or after a comma) and before a name is
    the given name Amin, not the title «أمين عام» (secretary)."""
    if tokens[k].norm != "امين" or k == 0 or k + 1 >= len(tokens) or not tokens[k + 1].word:
        return False
    following = tokens[k + 1].norm
    if following in _SECRETARY_OF or is_title_head(following) or following in R.TITLE_WORDS:
        return False
    if tokens[k - 1].raw in COMMAS:  # «رئيس بعثة الصندوق إلى تونس، أمين ماتي،»: a name set off
        return not is_definite(following) and following not in R.ORGANISATIONS
    return tokens[k - 1].word and is_definite(tokens[k - 1].norm) and is_title_head(tokens[k - 1].norm)


def is_and_title(norm: str) -> bool:
    """«و» glued to a title's head («ورئيس»، «وعضو»): a second title begins."""
    return norm.startswith("و") and is_title_head(norm[1:])


def is_prepositional(norm: str) -> bool:
    """A word glued to a preposition or conjunction with the article: بالقول، للتخلي، والأمن;
    not a name of five letters that begins like «ف»/«ك» and the article («فالون»، «كالفن»),
    unless two letters after the article make a word the lists know («فالله»)."""
    if norm.startswith("لل") or len(norm) > 4 and norm[:3] in ("بال", "لال", "وال"):
        return True
    return norm[:3] in ("فال", "كال") and (len(norm) > 5 or len(norm) == 5 and (
        "ال" + norm[3:] in R.COMMON_WORDS or norm[3:] == "له"))


def prefixed_title_word(norm: str) -> bool:
    """«لولاية»، «لسوريا»، «لرئيس»: a preposition glued to a title word, a place or a noun."""
    rest = norm[1:]
    return norm[:1] in ("ل", "ب") and (
        rest in R.TITLE_WORDS
        or rest in R.PLACES
        or rest in R.ORGANISATIONS
        or rest in R.TITLE_HEADS
        or rest in R.SPEECH_NOUNS
        or rest in R.COMMON_WORDS
    )


def unglued(tokens: list[Token], i: int) -> list[Token] | None:
    """The tokens with a preposition or conjunction taken off a title at ``i``
    («للرئيس» -> «الرئيس», «لوزير» -> «وزير», «والرئيس» -> «الرئيس»), or None."""
    token = tokens[i]
    norm = token.norm
    if norm.startswith("لل") and "ال" + norm[2:] in R.TITLE_HEADS:
        raw, norm = "ال" + token.raw[2:], "ال" + norm[2:]
    elif norm[:1] in ("ل", "ب", "و") and norm[1:] in R.TITLE_HEADS:
        raw, norm = token.raw[1:], norm[1:]
    else:
        return None
    return tokens[:i] + [Token(raw, norm, True, token.quoted)] + tokens[i + 1 :]


def without_preposition(token: Token) -> Token:
    """The word without a glued «لـ»: «لوزير» -> «وزير», «للرئيس» -> «الرئيس»."""
    if token.norm.startswith("لل"):
        return Token("ال" + token.raw[2:], "ال" + token.norm[2:], True, token.quoted)
    return Token(token.raw[1:].lstrip("ـ"), token.norm[1:], True, token.quoted)


_TIME_ADJECTIVES = R.norm_set("سابق لاحق متأخر مبكر")


def after_earlier_time(tokens: list[Token], i: int) -> int:
    """How many tokens «في وقت سابق» (or «لاحق») takes between a verb and its subject."""
    words = [t.norm for t in tokens[i : i + 3]]
    return 3 if words[:2] == ["في", "وقت"] and words[2:] and words[2] in _TIME_ADJECTIVES else 0


def past_date(tokens: list[Token], i: int) -> int:
    """Where the subject starts after a date between verb and subject, set off by a comma
    («أعلن اليوم السبت 25 فيفري 2017، رئيس الحكومة …») or before a title; else ``i``."""
    k = i
    while k < min(len(tokens), i + 6) and tokens[k].word:
        dated = tokens[k].norm.isdigit() or k > i and tokens[k - 1].norm.isdigit()
        if not (tokens[k].norm in R.TIME_WORDS or dated or k + 1 < len(tokens) and tokens[k + 1].norm.isdigit()):
            break
        k += 1
    if k == i or tokens[i].norm not in R.TIME_WORDS or k >= len(tokens):
        return i
    if tokens[k].raw in COMMAS:
        return k + 1
    return k if tokens[k].word and is_title_head(tokens[k].norm) else i  # «أكد أمس وزير الخارجية …»


def join_words(tokens: list[Token], start: int, end: int) -> tuple[str, tuple[str, ...]]:
    """The text (without tatweel: «حســــبو» is «حسبو») and normalised words of
    ``tokens[start:end]`` (words only)."""
    words = [t for t in tokens[start:end] if t.word]
    return " ".join(t.raw.replace(TATWEEL, "") for t in words), tuple(t.norm for t in words)


#: Dashes that set off a signature («"…" — دونالد ترامب») or a name («وأوضح - صالح عباس، …»).
DASHES = frozenset("-–—")


def delivers_words(tokens: list[Token], start: int) -> bool:
    """Whether thanks, condolences or congratulations follow within reach of ``start``
    («رفع الوزير أسمى آيات التهاني»), as «رفع»، «تقدم»، «قدم» need (``R.OBJECT_NEEDS``)."""
    return any(t.norm in R.OBJECT_NEEDS for t in tokens[start : start + R.OBJECT_REACH])


def quoted_run_end(tokens: list[Token], k: int, longest: int = 4) -> int | None:
    """The index after a short quoted run of words that opens at ``k`` («نزاهة»، "حراك تونس
    الإرادة"، »المدينة»), or None."""
    if k >= len(tokens) or tokens[k].raw not in QUOTE_CHARS:
        return None
    for j in range(k + 1, min(len(tokens), k + longest + 2)):
        if tokens[j].raw in QUOTE_CHARS:
            return j + 1 if j > k + 1 else None
        if not tokens[j].word:
            return None
    return None


def initial_dot(tokens: list[Token], j: int, k: int) -> bool:
    """A Latin initial inside a name that starts at ``j`` («لورا إيه. كولانجيلو»): the
    letter's name after the first word, or its dot, with a word after the dot."""
    letter = k - 1 if tokens[k].raw == "." else k
    return (j < letter and tokens[letter].norm in R.LETTER_NAMES and letter + 2 < len(tokens)
            and tokens[letter + 1].raw == "." and tokens[letter + 2].word)
