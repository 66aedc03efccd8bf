"""Headlines, whose grammar is terser than the body's: «أردوغان : تركيا الأقوى», «ماكرون يرفض …»,
«بوتين يتحدى واشنطن: لن نتراجع», «بعد قرار أممي : نتنياهو يتوعّد»; and a quotation signed
after a dash, as a tweet is quoted («"…" — دونالد ترامب»)."""

from __future__ import annotations

from dataclasses import replace

import retrieval.attribution.reporting as R
from retrieval.attribution.mentions import Mention, parse_subject
from retrieval.attribution.names import Known, is_known
from retrieval.attribution.tokens import (
    DASHES,
    QUOTE_CHARS,
    Token,
    delivers_words,
    is_definite,
    verb_form,
)

#: How far into a sentence a headline's colon may stand.
HEADLINE_WORDS = 9


def is_known_mention(mention: Mention, known: Known) -> bool:
    """A person named with a title before the name, or under a name (or a first word of
    a longer name, «وانغ هو نينغ») seen elsewhere in the article."""
    if mention.title_norm and not mention.apposed:
        return True
    words = mention.name_norm
    return is_known(" ".join(words), known) or len(words) > 1 and is_known(words[0], known)


def colon_subject(tokens: list[Token], known: Known, *, headline: bool = False) -> Mention | None:
    """The subject before a colon at the start of a sentence («أردوغان: …», «الوزير: …»),
    when no verb comes first; a name the article does not otherwise quote («قفصة : …»،
    «رسمي : …») is a place or a label, not a speaker."""
    for k, token in enumerate(tokens[: HEADLINE_WORDS + 1]):
        if not token.word:
            if token.raw != ":" or k == 0:
                return None
            mention = parse_subject(tokens, 0, known)
            if mention is None or mention.end != k and not (headline and _circumstance(tokens, mention, k, known)):
                return None
            if mention.kind == "person" and not is_known_mention(mention, known):
                return None
            if mention.kind == "unnamed" and len(mention.title_norm) > 1:  # «محلل أمريكي: …»: the
                return replace(mention, kind="title")  # analyst the article names, if it does
            return mention
        if verb_form(token) or token.norm in R.PARTICIPLES:
            return None
    return None


def _circumstance(tokens: list[Token], mention: Mention, colon: int, known: Known) -> bool:
    """A person the article names (by name alone), then where, when or to whom they speak
    before the colon («ماكرون في أول خطاب له : …», «شوقي الطبيب بعد لقائه الشاهد : …»,
    «قطان لرؤساء تحرير الصحف : …»): a phrase that opens with a preposition, no verb in it."""
    words = mention.name_norm
    if mention.kind != "person" or mention.title_norm or not words:
        return False  # «أستاذ تاريخ في الأزهر :»: a title and a word are no name the article knows
    if not (is_known(" ".join(words), known) or is_known(words[0], known)):
        return False
    first = tokens[mention.end]
    addressee = first.norm.startswith("ل") and len(first.norm) > 3 and not is_definite(first.norm)
    if not first.word or not (first.norm in R.PREPOSITIONS or addressee or first.norm == "لـ"):
        return False
    return all(t.word and not t.quoted and verb_form(t) is None for t in tokens[mention.end : colon])


def verb_subject(tokens: list[Token], known: Known) -> Mention | None:
    """A headline «NAME VERB …» where a person the article names speaks: a reporting
    verb even with nothing after it («نتنياهو يتوعّد»), or any present-tense verb when
    what is said follows a colon or a quote («بوتين يتحدى واشنطن: لن نتراجع»). The name
    may follow a lead and a colon («بعد قرار أممي : نتنياهو يتوعّد»). An action with
    nothing said («أردوغان يصل إلى الدوحة») is not a statement. A title may stand for the
    name before a reporting verb («وزير التعليم يدعو …»)."""
    starts = [0] + [c + 1 for c, t in enumerate(tokens[: HEADLINE_WORDS + 1]) if t.raw == ":" and not t.quoted]
    for start in starts:
        mention = parse_subject(tokens, start, known) if start < len(tokens) else None
        if mention is None or mention.end >= len(tokens) or not tokens[mention.end].word:
            continue
        verb = tokens[mention.end]
        form = verb_form(verb)
        if form is not None and form.needs is R.OBJECT_NEEDS and not delivers_words(tokens, mention.end + 1):
            continue  # «دورتموند يرفع السعة …»: what it raises is no words
        if mention.kind == "title" and form is not None:
            return mention  # «وزير التعليم يدعو …»: the minister the article names
        if mention.kind != "person" or not is_known_mention(mention, known):
            continue
        said = any(t.raw == ":" or t.raw in QUOTE_CHARS for t in tokens[mention.end + 1 :])
        present = verb.norm[:1] in ("ي", "ت") and len(verb.norm) >= 4 and not is_definite(verb.norm)
        if form is not None or present and said:
            return mention
    return None


def signed_quote(tokens: list[Token], known: Known) -> Mention | None:
    """The person who signs a quotation: a sentence that opens with a quote and ends
    with a dash and a name («"الإعلام يكذب دائما" — دونالد ترامب»)."""
    if len(tokens) < 4 or tokens[0].raw not in QUOTE_CHARS:
        return None
    for k in range(len(tokens) - 2, 0, -1):
        if tokens[k].raw in DASHES and not tokens[k].quoted:
            if tokens[k - 1].raw not in QUOTE_CHARS:
                return None
            mention = parse_subject(tokens, k + 1, known)
            ends = mention is not None and mention.end >= len(tokens) - 1
            return mention if ends and mention.kind == "person" else None
        if tokens[k].quoted:
            return None
    return None
