"""The names an article knows before its sentences are attributed: names with a title
anywhere, names of statement subjects, single words that follow reporting verbs more than
once («وقال كيري» … «وأوضح كيري»), names of two definite words («الحبيب الصيد»), the
headline's name, and full names whose family name speaks alone elsewhere («علي شريف
العمادي» … «وأكد العمادي أن»). The names read in each sentence lean on them: a name the
article knows ends where it ends, a lone word it knows is a person."""

from __future__ import annotations

import retrieval.attribution.reporting as R
from retrieval.attribution.clauses import analyse_sentence
from retrieval.attribution.mentions import Mention, parse_subject
from retrieval.attribution.names import add_known, ends_phrase, name_end, name_word
from retrieval.attribution.places import add_article_words
from retrieval.attribution.tokens import (
    COMMAS,
    Token,
    adjectival_head,
    is_definite,
    is_title_head,
    strip_prefix,
    unglued,
    verb_form,
)

_LEAD_WORDS = 10  # how far into a headline a lead's colon may stand
_RECURRING = 2  # a lone word after reporting verbs this often is a name
_GIVEN_NAMES = 2  # how many names may stand before a family name («سليمان جاسر الحربش»)


def known_names(token_lists: list[list[Token]], title_tokens: list[Token] | None) -> dict[str, set[str]]:
    """The article's name forms: names with a title anywhere, names of statement subjects,
    and single words that follow reporting verbs more than once («وقال كيري» … «وأوضح كيري»)."""
    known: dict[str, set[str]] = {}
    separate = title_tokens is not None and not any(t is title_tokens for t in token_lists)
    everything = ([title_tokens] if separate else []) + token_lists
    add_article_words(known, everything)
    lone = {(word,) for word in _recurring_subjects(everything)}
    for name in lone | _definite_names(everything) | family_names(everything):
        add_known(known, name)
    headline = _headline_name(title_tokens) if title_tokens else None
    if headline and _named_in_body(headline, [t for t in token_lists if t is not title_tokens]):
        add_known(known, headline)
    for tokens in everything:
        for mention in titled_mentions(tokens, known) + subjects(tokens, known):
            add_known(known, mention.name_norm)
    return known


def _headline_name(tokens: list[Token]) -> tuple[str, ...] | None:
    """The name before the colon of a headline («أردوغان : تركيا الأقوى»), or of two words
    or more before its reporting verb, maybe after a lead and a colon («استقالات … : محسن
    مرزوق ينفي»), if it is one."""
    colon = next((k for k, t in enumerate(tokens[:5]) if t.raw == ":"), None)
    if colon and name_end(tokens, 0) == colon:
        return tuple(t.norm for t in tokens[:colon])
    lead = next((k for k, t in enumerate(tokens[:_LEAD_WORDS]) if t.raw == ":"), None)
    for start in [0] + ([lead + 1] if lead is not None else []):
        end = name_end(tokens, start) if start < len(tokens) else start
        if end - start >= 2 and end < len(tokens) and verb_form(tokens[end]):
            return tuple(t.norm for t in tokens[start:end])
    if colon == 2 and name_end(tokens, 0) == 1 and tokens[1].norm.startswith("بال") and len(tokens[1].norm) > 4:
        return tokens[0].norm, tokens[1].norm  # «رضا بالحاج :»: a family name Bel- reads like «ب» + «ال»
    return None


def _named_in_body(name: tuple[str, ...], token_lists: list[list[Token]]) -> bool:
    """Whether the body names the person of a headline «X : …»: a word of the name right
    after a reporting verb or a definite title («ووصف بالحاج …»، «الوزير الجبير»), not only as a
    place («في قفصة») or not at all («رسمي : …»)."""
    words = set(name)
    for tokens in token_lists:
        for k in range(1, len(tokens)):
            before = tokens[k - 1]
            if tokens[k].norm in words and before.word and (
                strip_prefix(before.norm) in R.VERBS or before.norm in R.GENTILICS
                or before.norm in R.TITLE_HEADS and is_definite(before.norm)  # not «مدير طرق الشرقية»: governed
            ):
                return True
    return False


def _recurring_subjects(token_lists: list[list[Token]]) -> list[str]:
    """Indefinite words that come alone right after a reporting verb at least twice (not
    the given name of a longer name)."""
    counts: dict[str, int] = {}
    for tokens in token_lists:
        for k, token in enumerate(tokens[:-1]):
            alone = k + 2 >= len(tokens) or not name_word(tokens, k + 2)  # not «خميس» of «أوضح خميس الجهيناوي»
            if token.word and strip_prefix(token.norm) in R.VERBS and tokens[k + 1].word and alone:
                counts[tokens[k + 1].norm] = counts.get(tokens[k + 1].norm, 0) + 1
    return [
        word
        for word, count in counts.items()
        if count >= _RECURRING
        and not is_definite(word)
        and word not in R.STOPS
        and word not in R.TITLE_HEADS
        and word not in R.NAME_PARTICLES
    ]


def _definite_names(token_lists: list[list[Token]]) -> set[tuple[str, str]]:
    """Names of two definite words («الحبيب الصيد»، «الصادق المهدي»), which read like a
    title's body: found when the second word speaks alone elsewhere in the article («وأضاف
    الصيد أن»، «ودعا المهدي،») and the pair ends a subject (before أن/إن, a comma or a
    preposition), or when a post follows the pair right after a verb (``_post_after``)."""
    alone = {
        tokens[k + 1].norm
        for tokens in token_lists
        for k in range(len(tokens) - 2)
        if tokens[k].word and strip_prefix(tokens[k].norm) in R.VERBS and _plain_definite(tokens[k + 1])
        and ends_phrase(tokens[k + 2])
    }
    return {
        (tokens[k].norm, tokens[k + 1].norm)
        for tokens in token_lists
        for k in range(1, len(tokens) - 2)
        if _plain_definite(tokens[k]) and _plain_definite(tokens[k + 1])
        and (tokens[k + 1].norm in alone and ends_phrase(tokens[k + 2]) or _post_after(tokens, k))
    }


#: Forms of address without the article («شيخ»، «دكتور»، «د»), and «آية» (ayatollah).
_ADDRESS = frozenset(w[2:] if w.startswith("ال") else w for w in R.FORMS_OF_ADDRESS) | R.norm_set("آية")


def _post_after(tokens: list[Token], k: int) -> bool:
    """Two definite words right after a reporting verb and before a post in apposition
    («وقال البحري الهذيلي كاتب عام الاتحاد المحلي …»): a name, not a title's body."""
    post = tokens[k + 2]  # not a form of address before another name («المرجع الديني آية الله …»)
    return (tokens[k - 1].word and strip_prefix(tokens[k - 1].norm) in R.VERBS and post.word
            and is_title_head(post.norm) and not is_definite(post.norm) and post.norm not in _ADDRESS)


def _plain_definite(token: Token) -> bool:
    """A definite word that is no title, nationality, place, organisation or time word."""
    norm = token.norm
    return token.word and is_definite(norm) and not (
        norm in R.TITLE_HEADS or norm in R.TITLE_WORDS or norm in R.GENTILICS or norm in R.PLACES
        or norm in R.ORGANISATIONS or norm in R.TIME_WORDS or norm in R.STOPS or norm in R.COMMON_WORDS
    )


def titled_mentions(tokens: list[Token], known: dict[str, set[str]]) -> list[Mention]:
    """Every «TITLE NAME» in a sentence, whatever its role («… للرئيس السابق باراك أوباما»)."""
    found = []
    for i, token in enumerate(tokens):
        after_head = i > 0 and tokens[i - 1].norm in R.TITLE_HEADS and not adjectival_head(tokens, i - 1)
        if not token.word or adjectival_head(tokens, i) or after_head:  # not «ممثلة بالرئيس …»: «represented by»
            continue
        view = tokens if token.norm in R.TITLE_HEADS else unglued(tokens, i)
        if view is not None:
            mention = parse_subject(view, i, known)
            if mention is not None and mention.kind == "person":
                found.append(mention)
    return found


def subjects(tokens: list[Token], known: dict[str, set[str]]) -> list[Mention]:
    """The speaker a sentence names, when the name is trustworthy (titled, or two words or more)."""
    mention = analyse_sentence(tokens, known).mention
    if mention is None or mention.kind != "person":
        return []
    after = tokens[mention.end] if mention.end < len(tokens) else None
    before_content = after is not None and (after.norm in R.COMPLEMENTISERS or after.raw in "،,:")
    trusted = mention.title_norm and not mention.apposed or len(mention.name_norm) > 1 or before_content
    return [mention] if trusted else []


def family_names(token_lists: list[list[Token]]) -> set[tuple[str, ...]]:
    """Full names that end in a definite family name («سليمان جاسر الحربش»، «علي شريف
    العمادي») when that family name also speaks alone right after a reporting verb in the
    article, before what he said («وأضاف العجلان أن …»، «وأشار الحربش إلى أن …»): the man
    the article calls by his family name. The given names before it are indefinite name
    words, no verb, after a title or a form of address."""
    alone = {
        tokens[k + 1].norm
        for tokens in token_lists
        for k in range(len(tokens) - 1)
        if tokens[k].word and strip_prefix(tokens[k].norm) in R.VERBS and _family_word(tokens, k + 1)
        and _what_was_said(tokens, k + 2)
    }
    names = set()
    for tokens in token_lists:
        for m, token in enumerate(tokens):
            if token.norm not in alone or not _family_word(tokens, m):
                continue
            start = m
            while start > max(0, m - _GIVEN_NAMES) and _given_word(tokens, start - 1):
                start -= 1
            while start < m and not _before_a_name(tokens, start):
                start += 1  # «واستشهد الحربش»: a verb, not a given name
            if start < m:
                names.add(tuple(t.norm for t in tokens[start : m + 1]))
    return names


def _before_a_name(tokens: list[Token], start: int) -> bool:
    """What may stand right before a full name: a title's head or its last word, maybe set
    off by a comma («الكاتب علي سعد الموسى»، «… المنتهية ولايته، علي شريف العمادي»)."""
    k = start - 1
    if k >= 1 and tokens[k].raw in COMMAS:
        k -= 1
    norm = tokens[k].norm if k >= 0 and tokens[k].word else ""
    return norm in R.TITLE_HEADS or norm in R.HONORIFICS or norm in R.TITLE_WORDS or norm in R.GENTILICS


def _what_was_said(tokens: list[Token], k: int) -> bool:
    """What was said opens at ``k``: a colon, a comma or a quote, أن/إن, «على/إلى أن»."""
    if k >= len(tokens) or not tokens[k].word:
        return k < len(tokens) and tokens[k].raw not in ".)"
    norm = tokens[k].norm
    if norm in ("علي", "الي", "إلى") and k + 1 < len(tokens):
        norm = tokens[k + 1].norm
    return norm in R.COMPLEMENTISERS


def _family_word(tokens: list[Token], k: int) -> bool:
    """A definite word that may be a family name: no title, nationality, place, body or time,
    nor the ending of a plural or of a feminine noun («الباحثون»، «الجوازات»، «المقاومة»)."""
    return name_word(tokens, k) and _plain_definite(tokens[k]) and not tokens[k].norm.endswith(("ه", "ات", "ون", "ين"))


def _given_word(tokens: list[Token], k: int) -> bool:
    """An indefinite name word that is no verb: a given name or a father's."""
    norm = tokens[k].norm
    return name_word(tokens, k) and not is_definite(norm) and strip_prefix(norm) not in R.VERBS
