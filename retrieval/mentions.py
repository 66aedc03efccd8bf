"""Tokens and noun phrases of a sentence: who is named, with which title, and what is not a person."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

from retrieval import reporting as R
from retrieval.normalize import normalize_arabic

_TOKEN = re.compile(r"[\w\u064b-\u065f\u0670\u0640]+|[^\s\w]")
_TANWEEN = re.compile("[\u064b-\u064d]")
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
_OPENERS = frozenset("«“")
_CLOSERS = frozenset("»”")
_COMMAS = frozenset("،,")
_QUOTE_CHARS = frozenset('«»“”"')
_MAX_NAME_UNITS = 4
_SKIPPED = frozenset(normalize_arabic(w) for w in "أيضا كذلك بدوره بدورها بذلك بهذا بدوره مجددا".split())
_MAX_QUOTED_NAME = 4


@dataclass(frozen=True)
class Token:
    """One word or punctuation mark of a sentence.

    Attributes:
        raw: the text as written.
        norm: ``normalize_arabic(raw)`` ("" never: empty words become punctuation).
        word: whether it is a word (else punctuation).
        quoted: whether it lies inside a quotation.
    """

    raw: str
    norm: str
    word: bool
    quoted: bool


@dataclass(frozen=True)
class Mention:
    """A noun phrase that may be the subject of a statement.

    Attributes:
        kind: "person" (a name), "title" (a title alone), "unnamed" (a source
            without a name), "org" (an institution, a place, a group) or "none".
        name: the name as written ("" when there is none).
        name_norm: the name's normalised tokens.
        title: the title as written, if any.
        title_norm: the title's normalised tokens.
        feminine: True/False when the title tells, else None.
        end: the index of the first token after the phrase.
    """

    kind: str
    name: str = ""
    name_norm: tuple[str, ...] = ()
    title: str | None = None
    title_norm: tuple[str, ...] = ()
    feminine: bool | None = None
    end: int = 0


def tokenize(sentence: str) -> list[Token]:
    """Split a sentence into word and punctuation tokens, marking quoted ones."""
    tokens: list[Token] = []
    depth = 0
    straight_open = False
    for match in _TOKEN.finditer(sentence):
        raw = match.group()
        norm = normalize_arabic(raw)
        if not norm or not (norm[0].isalnum()):
            char = raw[0]
            if char in _OPENERS:
                depth += 1
            elif char in _CLOSERS:
                depth = max(0, depth - 1)
            elif char == '"':
                straight_open = not straight_open
            tokens.append(Token(raw, norm or raw, False, depth > 0 or straight_open))
            continue
        tokens.append(Token(raw, norm, True, depth > 0 or straight_open))
    return tokens


def strip_prefix(norm: str) -> str:
    """The word without a leading conjunction و/ف when what is left is a reporting verb."""
    if len(norm) > 2 and norm[0] in "وف" and norm[1:] in R.VERBS:
        return norm[1:]
    return norm


def is_definite(norm: str) -> bool:
    """Whether a normalised word carries the article ال."""
    return len(norm) > 3 and norm.startswith("ال")


def _is_title_head(norm: str) -> bool:
    return norm in R.TITLE_HEADS


def _is_prepositional(norm: str) -> bool:
    """A word glued to a preposition or conjunction with the article: بالقول، للتخلي، والأمن."""
    return len(norm) > 4 and norm[:3] in ("بال", "لال", "وال", "فال", "كال") or norm.startswith("لل")


def _title_word(tokens: list[Token], k: int) -> bool:
    """Whether token k may continue a title chain."""
    norm = tokens[k].norm
    if norm in R.TITLE_WORDS or norm in R.GENTILICS or norm in R.PLACES or _is_title_head(norm):
        return True
    if norm.startswith("لل") or (norm.startswith("ل") and norm[1:] in R.PLACES):
        return True
    if norm.startswith("و") and (_is_title_head(norm[1:]) or is_definite(norm[1:])):
        return True
    return is_definite(norm) and norm not in R.TIME_WORDS and norm not in R.ORGANISATIONS - R.TITLE_WORDS


def _title_end(tokens: list[Token], i: int, known: Collection[str]) -> int:
    """The end of a title chain that starts with the head at ``i``."""
    k, n = i + 1, len(tokens)
    while k < n:
        token = tokens[k]
        if not token.word:
            break
        norm = token.norm
        if norm == "باسم" and k + 1 < n:
            k = _named_complement(tokens, k + 1, known)
            continue
        if norm in ("لدى", "في", "إلى", "الى") and k + 1 < n and tokens[k + 1].word and (
            is_definite(tokens[k + 1].norm) or tokens[k + 1].norm in R.PLACES
        ):
            k += 2
            continue
        if norm == "و" and k + 1 < n and _is_title_head(tokens[k + 1].norm):
            k += 2
            continue
        if norm in R.TIME_WORDS and norm not in R.TITLE_WORDS or not _title_word(tokens, k):
            break
        k += 1
    return k


def _named_complement(tokens: list[Token], k: int, known: Collection[str]) -> int:
    """After «باسم»: skip the body or person spoken for; return where the speaker may start."""
    if is_definite(tokens[k].norm) or tokens[k].norm in R.PLACES:
        return k + 1
    run = k
    while run < len(tokens) and tokens[run].word and _name_word(tokens, run):
        run += 1
    for size in range(min(3, run - k), 0, -1):  # a name already seen in the article
        if " ".join(t.norm for t in tokens[k : k + size]) in known:
            return k + size
    return k + max(1, run - k - 2) if run - k >= 3 else k + 1


def _name_word(tokens: list[Token], k: int) -> bool:
    """Whether token k may be part of a person's name."""
    token = tokens[k]
    norm = token.norm
    if not token.word or norm.isdigit():
        return False
    if norm in R.STOPS or norm in R.TIME_WORDS or norm in R.PREPOSITIONS or norm in R.COMMON_WORDS:
        return False
    if norm in R.PLACES or norm in R.GENTILICS or _is_title_head(norm) or norm in R.ORGANISATIONS:
        return False
    if strip_prefix(norm) in R.VERBS or norm in R.PARTICIPLES or _is_prepositional(norm):
        return False
    if _TANWEEN.search(token.raw):
        return False
    raw = _MARKS.sub("", token.raw)
    return not (len(norm) > 3 and raw.endswith(("ه", "ها", "هم", "هما")) and not norm.endswith("الله"))


def _name_end(tokens: list[Token], j: int, known: Collection[str]) -> int:
    """The end of the name that starts at ``j`` (== j when none does)."""
    k, units, particle = j, 0, False
    while k < len(tokens) and _name_word(tokens, k):
        norm = tokens[k].norm
        if is_definite(norm) and units > 1 and not particle:
            break
        if norm in R.NAME_PARTICLES or norm == "عبد":
            particle = True
        else:
            units += 0 if particle else 1
            particle = False
        if units > _MAX_NAME_UNITS:
            break
        k += 1
    while k > j and tokens[k - 1].norm in R.NAME_PARTICLES:
        k -= 1
    return _split_known(tokens, j, k, known)


def _split_known(tokens: list[Token], j: int, k: int, known: Collection[str]) -> int:
    """Cut a name where a known name ends and another person's name begins («ترامب بوتين»).

    ``known`` maps each name form to the full names it belongs to (see ``add_known``);
    a plain collection gives no owners, and nothing is cut.
    """
    if k - j < 2 or not isinstance(known, Mapping):
        return k
    for cut in range(j + 1, k):
        head = " ".join(t.norm for t in tokens[j:cut])
        tail = tokens[cut].norm
        if head in known and tail in known and not known[head] & known[tail]:
            return cut
    return k


def _quoted_name(tokens: list[Token], k: int) -> tuple[int, int] | None:
    """A short name in quotes at ``k`` («"طارق الجروشي"»): its (start, end) or None."""
    if k >= len(tokens) or tokens[k].word or tokens[k].raw not in _QUOTE_CHARS:
        return None
    start = end = k + 1
    while end < len(tokens) and tokens[end].word and end - start < _MAX_QUOTED_NAME:
        end += 1
    if start < end < len(tokens) and tokens[end].raw in _QUOTE_CHARS and all(
        _name_word(tokens, m) for m in range(start, end)
    ):
        return start, end
    return None


def _find_quoted_name(tokens: list[Token], i: int, limit: int = 14) -> tuple[int, int, int] | None:
    """A quoted name within a long role after ``i``: (role end, name start, name end)."""
    for k in range(i, min(len(tokens), i + limit)):
        token = tokens[k]
        if token.word and token.norm in R.COMPLEMENTISERS:
            return None
        if not token.word and token.raw == ":":
            return None
        span = _quoted_name(tokens, k)
        if span:
            return k, span[0], span[1]
    return None


def _join(tokens: list[Token], start: int, end: int) -> tuple[str, tuple[str, ...]]:
    """The raw text and normalised tokens of ``tokens[start:end]`` (words only)."""
    words = [t for t in tokens[start:end] if t.word]
    return " ".join(t.raw for t in words), tuple(t.norm for t in words)


def _feminine_title(title_norm: tuple[str, ...]) -> bool | None:
    if not title_norm:
        return None
    head = title_norm[0]
    if head in R.FEMININE_TITLES:
        return True
    return False if head in R.TITLE_HEADS and head not in R.UNNAMED_HEADS else None


def _org_end(tokens: list[Token], i: int) -> int:
    """The end of a non-person noun phrase (an institution, a place, a group)."""
    k = i + 1
    while k < len(tokens) and tokens[k].word:
        norm = tokens[k].norm
        if norm in R.STOPS or norm in R.PREPOSITIONS or norm in R.TIME_WORDS:
            break
        if strip_prefix(norm) in R.VERBS and not tokens[k].quoted:
            break
        k += 1
    return k


def _apposition(tokens: list[Token], k: int, known: Collection[str]) -> tuple[int, int] | None:
    """A title after a name («قطان، سفير خادم الحرمين»): its (start, end) or None."""
    start = k + 1 if k < len(tokens) and tokens[k].raw in _COMMAS else k
    if start < len(tokens) and tokens[start].word and _is_title_head(tokens[start].norm):
        return start, _title_end(tokens, start, known)
    return None


def _person(tokens: list[Token], name: tuple[int, int], title: tuple[int, int] | None, end: int) -> Mention:
    """A person mention from token spans."""
    name_raw, name_norm = _join(tokens, *name)
    title_raw, title_norm = _join(tokens, *title) if title else (None, ())
    return Mention("person", name_raw, name_norm, title_raw, title_norm, _feminine_title(title_norm), end)


def _after_title(tokens: list[Token], i: int, known: Collection[str]) -> Mention:
    """The mention that starts with the title head at ``i``: a titled person or a title alone."""
    end = _title_end(tokens, i, known)
    quoted = _quoted_name(tokens, end) or None
    if quoted:
        return _person(tokens, quoted, (i, end), quoted[1] + 1)
    name_end = _name_end(tokens, end, known)
    if name_end > end:
        return _with_apposition(tokens, (end, name_end), (i, end), known)
    if end < len(tokens) and tokens[end].raw in _COMMAS:  # «الأمين العام، أنطونيو غوتيريس، أن»
        name_end = _name_end(tokens, end + 1, known)
        after = tokens[name_end] if name_end < len(tokens) else None
        if name_end > end + 1 and (after is None or not after.word or after.norm in R.COMPLEMENTISERS):
            return _person(tokens, (end + 1, name_end), (i, end), name_end)
    far = _find_quoted_name(tokens, end)
    if far:
        return _person(tokens, (far[1], far[2]), (i, far[0]), far[2] + 1)
    title_raw, title_norm = _join(tokens, i, end)
    kind = "unnamed" if tokens[i].norm in R.UNNAMED_HEADS else "title"
    return Mention(kind, title=title_raw, title_norm=title_norm, feminine=_feminine_title(title_norm), end=end)


def _with_apposition(
    tokens: list[Token], name: tuple[int, int], title: tuple[int, int] | None, known: Collection[str]
) -> Mention:
    """A person whose name may be followed by a title in apposition."""
    after = _apposition(tokens, name[1], known)
    if after and title is None:
        return _person(tokens, name, after, after[1])
    return _person(tokens, name, title, after[1] if after else name[1])


def parse_subject(tokens: list[Token], i: int, known: Collection[str] = ()) -> Mention | None:
    """The noun phrase that starts at token ``i``, as the subject of a statement.

    Args:
        tokens: the sentence's tokens.
        i: where the phrase should start (just after a verb, or at a clause start).
        known: normalised name forms already seen in the article (full names and
            their single words), used to accept «الجبير» as a name and to split
            «ترامب بوتين».

    Returns:
        None when no subject starts here (a complementiser, a colon, a quote, a
        preposition: the verb's subject is implied); else the mention.
    """
    while i < len(tokens) and tokens[i].word and tokens[i].norm in _SKIPPED:
        i += 1
    if i >= len(tokens) or not tokens[i].word:
        quoted = _quoted_name(tokens, i)
        return _person(tokens, quoted, None, quoted[1] + 1) if quoted and _after_quote_is_stop(tokens, quoted[1]) else None
    norm = tokens[i].norm
    if norm in R.COMPLEMENTISERS or norm in R.PREPOSITIONS or norm in R.STOPS or norm in R.TIME_WORDS:
        return None
    if norm in R.PARTICIPLES or _is_prepositional(norm) or norm.startswith(("بان", "بأن")):
        return None
    if strip_prefix(norm) in R.VERBS or norm in R.SPEECH_OBJECTS:
        return None
    if _is_title_head(norm):
        return _after_title(tokens, i, known)
    if norm in R.ORGANISATIONS or norm in R.PLACES or norm in R.COMMON_WORDS:
        return Mention("org", end=_org_end(tokens, i))
    if is_definite(norm) and norm not in known and not _family_like(norm):
        return Mention("org", end=_org_end(tokens, i))
    end = _name_end(tokens, i, known)
    if end == i:
        return Mention("org", end=_org_end(tokens, i))
    return _with_apposition(tokens, (i, end), None, known)


def _after_quote_is_stop(tokens: list[Token], k: int) -> bool:
    """Whether the token after a closing quote ends a subject (a comma, إن/أن, a colon)."""
    k += 1
    return k >= len(tokens) or not tokens[k].word or tokens[k].norm in R.COMPLEMENTISERS


def _family_like(norm: str) -> bool:
    """A definite word that looks like a family name («السيسي»، «الجروشي») rather than a noun."""
    return norm.endswith("ي") and len(norm) >= 6 and norm not in R.GENTILICS and norm not in R.TITLE_WORDS


def name_forms(name_norm: tuple[str, ...]) -> set[str]:
    """The forms under which a name is known: the full name and its single words."""
    forms = {" ".join(name_norm)}
    if len(name_norm) > 1:
        forms.update(word for word in name_norm if word not in R.NAME_PARTICLES and len(word) > 1)
    return forms


def add_known(known: dict[str, set[str]], name_norm: tuple[str, ...]) -> None:
    """Record a name's forms in ``known`` (form -> the full names it belongs to)."""
    full = " ".join(name_norm)
    for form in name_forms(name_norm):
        known.setdefault(form, set()).add(full)
