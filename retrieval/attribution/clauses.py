"""One sentence's reporting construction: who speaks (a name, a title, no one named) and how."""

from __future__ import annotations

from dataclasses import dataclass, replace

import retrieval.attribution.reporting as R
from retrieval.attribution.headlines import (
    HEADLINE_WORDS,
    colon_subject,
    is_known_mention,
    signed_quote,
    verb_subject,
)
from retrieval.attribution.mentions import Mention, parse_subject
from retrieval.attribution.names import NO_NAMES, Known, is_known, named_after_was
from retrieval.attribution.openings import (
    after_subheading,
    clause_start,
    impersonal_speaker,
    preceded_speaker,
    relative_speaker,
    subject_start,
)
from retrieval.attribution.sources import (
    same_source,
    source_mention,
    through_mouth,
    titled_before,
)
from retrieval.attribution.tokens import (
    QUOTE_CHARS,
    Token,
    delivers_words,
    is_definite,
    strip_prefix,
    verb_form,
)
from retrieval.text.normalize import normalize_arabic

_NEGATIONS = R.norm_set("لم ولم لن ولن قد وقد فقد")
_CLAUSE_MARKERS = R.norm_set("فيما بينما ثم حيث كما لكنه لكنها ولكنه وهو وهي")
_ALMANAC = tuple(normalize_arabic(w) for w in "في مثل هذا اليوم".split())
_PUNCT_BEFORE_VERB = frozenset("،,:؛;-–")
_LOOKAHEAD = 10


@dataclass(frozen=True)
class Clause:
    """What a sentence's first reporting construction says about its speaker.

    Attributes:
        kind: "speaker" (a person or a title speaks), "continuation" (a verb with no
            subject: the last speaker goes on), "other" (an organisation, an unnamed
            source or a group speaks), or "none" (not a statement).
        how: "verb", "name_first", "source_phrase", "headline", "participle",
            "continuation".
        mention: the speaker's noun phrase, when there is one.
        feminine: the verb's or participle's agreement, when it tells.
        actor: in a sentence that is not a statement, a person acting in a
            speech event («وألقى وانغ كلمة»), who may go on speaking.
        position: the index of the token where the construction starts.
    """

    kind: str
    how: str = ""
    mention: Mention | None = None
    feminine: bool | None = None
    actor: Mention | None = None
    position: int = 0


NONE = Clause("none")
_IN_IT = frozenset(("فيها", "فيه"))  # «كلمة أشاد فيها»: the speech is where it was said


def analyse_sentence(tokens: list[Token], known: Known = NO_NAMES, *, headline: bool = False) -> Clause:
    """Find the first reporting construction of a sentence.

    Args:
        tokens: the sentence's tokens (see ``retrieval.attribution.tokens.tokenize``).
        known: the article's name forms (see ``retrieval.attribution.names.add_known``).
        headline: the sentence is the article's headline, whose grammar is terser:
            «بوتين يتحدى واشنطن: لن نتراجع», «نتنياهو يتوعّد» (see ``_headline_verb``).

    Returns:
        The construction, or a "none" clause (with a speech actor, if any).
    """
    start = clause_start(tokens)
    if tuple(t.norm for t in tokens[: len(_ALMANAC)]) == _ALMANAC:
        return NONE  # «في مثل هذا اليوم …»: an almanac line
    found = _headline(tokens, known, headline) or _preceded(tokens, start, known) or _after_lead(tokens, known)
    if found:
        return found
    signer = signed_quote(tokens, known)
    if signer is not None:
        return Clause("speaker", "quote", signer)
    if headline:
        found = _headline_verb(tokens, known)
        if found:
            return found
    for k in range(start, len(tokens)):
        if not tokens[k].word or tokens[k].quoted:
            continue
        if k == start and (tokens[k].norm in R.IMPERSONAL or tokens[k].norm[1:] in R.IMPERSONAL):
            found = impersonal_speaker(tokens, k, known)
            return Clause("speaker", "verb", found[0], found[1], position=found[2]) if found else NONE
        found = _source_phrase(tokens, k, known) or _reporting_verb(tokens, k, start, known)
        found = found or _participle(tokens, k, start, known)
        if found and found.kind == "other":  # «وأشارت المجموعة …، وأضافت الدبيسي …»
            after_source = _after_source(tokens, k + 1, known) if found.how == "source_phrase" else None
            return after_source or _person_later(tokens, k + 1, known) or _through_mouth(
                tokens, k + 1, known) or replace(found, position=k)
        if found:
            return replace(found, position=k)
    return Clause("none", actor=_speech_actor(tokens, start, known))


def _person_later(tokens: list[Token], start: int, known: Known) -> Clause | None:
    """A person the article names reporting in a later clause («، وأضافت الدبيسي») of a
    sentence an organisation opened."""
    for k in range(start + 1, len(tokens)):
        clause = tokens[k].word and not tokens[k - 1].word and tokens[k].norm.startswith("و") and not tokens[k].quoted
        found = clause and _reporting_verb(tokens, k, k, known)
        mention = found.mention if found and found.kind == "speaker" else None
        if mention is not None and mention.kind == "person" and is_known(" ".join(mention.name_norm), known):
            return replace(found, position=k)
    return None


def _after_source(tokens: list[Token], start: int, known: Known) -> Clause | None:
    """The person who speaks after a body cited as the source («وبحسب رويترز، قال هولاند
    إن …»): the first reporting verb's subject, a post or a name with a title or known."""
    k = next((n for n in range(start, len(tokens)) if tokens[n].word and verb_form(tokens[n])), None)
    found = _reporting_verb(tokens, k, k, known) if k is not None else None
    mention = found.mention if found and found.kind == "speaker" else None
    named = mention is not None and (mention.title_norm or is_known_mention(mention, known))
    return replace(found, position=k) if named else None


def _through_mouth(tokens: list[Token], start: int, known: Known) -> Clause | None:
    """«نفت الوزارة، على لسان الناطق باسمها X، …»: X speaks (``sources.through_mouth``)."""
    mouth = through_mouth(tokens, start, known)
    return Clause("speaker", "source_phrase", mouth) if mouth is not None else None


def _reporting_verb(tokens: list[Token], k: int, start: int, known: Known) -> Clause | None:
    """The construction built on a reporting verb at ``k``, or None."""
    form = verb_form(tokens[k])
    if form is None:
        return None
    previous = tokens[k - 1] if k > 0 else None
    if previous is not None and previous.norm in R.SPEECH_NOUNS and k + 1 < len(tokens) and tokens[k + 1].norm in _IN_IT:
        actor = _speech_actor(tokens, start, known) or _actor_before(tokens, k, start, known)
        if actor is None or actor.kind not in ("person", "title"):
            actor = titled_before(tokens, start, k, known)
        return Clause("speaker", "verb", actor, form.feminine) if actor is not None else None
    embedded = k != start and previous.word and previous.norm in R.RELATIVES | R.COMPLEMENTISERS
    if embedded:
        return _relative_speech(tokens, k, form, known)
    if previous is not None and previous.norm in R.NEGATIONS:
        return None  # «ولم تذكر …»: nothing said
    prefixed = strip_prefix(tokens[k].norm) != tokens[k].norm
    subject, how = None, "verb"
    first = None
    if not (prefixed or k == start or _looks_like_verb(tokens[start], known)):
        first = parse_subject(tokens, start, known)
    trusted = first is not None and (first.kind != "person" or is_known_mention(first, known) or named_after_was(
        tokens, start, first.name, first.name_norm))
    if trusted and first.end <= k and all(t.norm in R.AUXILIARIES for t in tokens[first.end : k]):
        subject, how = first, "name_first"
    elif prefixed or k == start or _verb_may_start_clause(tokens, k, start) or after_subheading(
        tokens, k, start, known
    ):
        subject = parse_subject(tokens, subject_start(tokens, k + 1), known)
    else:
        return None
    if not _has_content(tokens, subject.end if subject else k + 1, form):
        return None
    if how == "verb" and same_source(tokens, k + 1, subject):  # «وأضاف المصدر نفسه»: the one before
        return Clause("continuation", "continuation", None, form.feminine)
    return _clause_for(tokens, k, start, subject, how, form, known)


def _verb_may_start_clause(tokens: list[Token], k: int, start: int) -> bool:
    """Whether an unprefixed verb at ``k`` (not the first word) opens a clause."""
    previous = tokens[k - 1]
    if not previous.word:
        return previous.raw in _PUNCT_BEFORE_VERB or previous.raw in QUOTE_CHARS
    if previous.norm in R.CONNECTORS or previous.norm in _CLAUSE_MARKERS or previous.norm in ("هكذا", "وهكذا"):
        return True
    if k == start + 1 and _looks_like_verb(previous, NO_NAMES):
        return True  # «ومضى يقول»
    return tokens[start].norm in R.PREPOSITIONS or tokens[start].norm.startswith(("وفي", "وعن", "وخلال", "وحول"))


def _clause_for(
    tokens: list[Token], k: int, start: int, subject: Mention | None, how: str, form: R.VerbForm, known: Known
) -> Clause:
    """The clause for a reporting verb at ``k`` with its subject (or none)."""
    if form.plural:
        return Clause("other", how, subject)
    if subject is None:
        actor = _actor_before(tokens, k, start, known) if k > start else None
        if actor is not None:
            return _speaker_or_other(actor, "verb", form.feminine)
        return Clause("continuation", "continuation", None, form.feminine)
    if subject.kind == "org":
        embedded = _embedded_speaker(tokens, subject.end, known)
        if embedded is not None:
            return Clause("speaker", "source_phrase", embedded)
    return _speaker_or_other(subject, how, form.feminine)


def _speaker_or_other(mention: Mention, how: str, feminine: bool | None) -> Clause:
    """A person or a title speaks; anything else is another kind of speaker."""
    if mention.kind in ("person", "title"):
        return Clause("speaker", how, mention, feminine)
    return Clause("other", how, mention, feminine)


def _has_content(tokens: list[Token], start: int, form: R.VerbForm) -> bool:
    """Whether something is said after the verb and its subject (the particle a verb
    needs is enough: «رحبت ماي بالقرار»)."""
    if form.needs is R.OBJECT_NEEDS:  # «رفع الوزير التهاني»: what he delivers, right after him
        return delivers_words(tokens, start)
    rest = tokens[start:]
    if form.needs:
        return any(_satisfies(token, form.needs) for token in rest if not token.quoted)
    words = sum(1 for token in rest if token.word)
    return words >= 2 or any(token.raw in QUOTE_CHARS for token in rest)


def _satisfies(token: Token, needs: frozenset[str]) -> bool:
    """Whether a token opens the content a verb needs (عن، بـ، إلى، a colon or a quote)."""
    if token.norm in needs:
        return True
    if "ب" in needs and token.word and token.norm.startswith("ب") and len(token.norm) > 2:
        return True
    return ":" in needs and (token.raw in QUOTE_CHARS or token.norm in ("بقوله", "قائلا", "بالقول"))


def _participle(tokens: list[Token], k: int, start: int, known: Known) -> Clause | None:
    """A participle that reports speech («، مشيرا إلى أن»): whose subject it continues."""
    feminine = R.PARTICIPLES.get(tokens[k].norm)
    if feminine is None or len([t for t in tokens[k + 1 :] if t.word]) < 2 and not any(
        t.raw in QUOTE_CHARS for t in tokens[k + 1 :]
    ):
        return None
    if k == start:
        return Clause("continuation", "participle", None, feminine)
    actor = _actor_before(tokens, k, start, known)
    if actor is None:
        return None
    return _speaker_or_other(actor, "participle", feminine)


def _actor_before(tokens: list[Token], limit: int, start: int, known: Known) -> Mention | None:
    """The subject of the last clause that opens before ``limit`` in the sentence."""
    positions = [start]
    for q in range(start + 1, limit):
        previous = tokens[q - 1]
        if (not previous.word and previous.raw in "،,") or previous.norm in _CLAUSE_MARKERS:
            positions.append(q)
        elif tokens[q].word and tokens[q].norm.startswith("و") and len(tokens[q].norm) > 3:
            positions.append(q)
    first, best, stranger = None, None, None
    for q in sorted(set(positions)):
        mention = _clause_subject(tokens, q, start, known)
        if mention is None or mention.end > limit:
            continue
        if q == start:
            first = mention
        if mention.kind == "title" or mention.kind == "person" and is_known_mention(mention, known):
            best = mention
        elif mention.kind == "person":
            stranger = replace(mention, kind="none")  # someone unknown acts: not the last speaker
    return best or first or stranger


def _clause_subject(tokens: list[Token], q: int, start: int, known: Known) -> Mention | None:
    """The subject of a clause at ``q``: a noun phrase before a verb, or after one."""
    if q >= len(tokens) or not tokens[q].word or tokens[q].quoted:
        return None
    if tokens[q].norm in _NEGATIONS:
        q += 1
    if q >= len(tokens) or not tokens[q].word:
        return None
    norm = tokens[q].norm
    if norm in R.PREPOSITIONS or norm in R.STOPS or norm in R.COMPLEMENTISERS or norm in R.PARTICIPLES:
        return None
    if q != start and (is_definite(norm) or norm in R.ORGANISATIONS or norm in R.COMMON_WORDS):
        return None  # a noun, not the verb of a clause
    if q == start and not _looks_like_verb(tokens[q], known):
        first = parse_subject(tokens, q, known)
        verb_follows = first is not None and first.end < len(tokens) and tokens[first.end].word
        if verb_follows and first.kind in ("person", "title"):
            return first
    mention = parse_subject(tokens, q + 1, known)
    if mention is not None:
        return mention if mention.kind != "none" else None
    if q + 1 < len(tokens) and tokens[q + 1].norm in R.PREPOSITIONS:
        for skip in (2, 3, 4):  # «وتحدث في المظاهرة أيضا X»: past a short phrase
            later = parse_subject(tokens, q + skip, known)
            if later is not None and later.kind in ("person", "title"):
                return later
    return None


def _looks_like_verb(token: Token, known: Known) -> bool:
    """A clause's first word glued to «و» that is no title, body or known name: a verb («وزار»)."""
    norm = token.norm
    if not norm.startswith("و") or len(norm) < 4 or is_known(norm, known):
        return False
    rest = norm[1:]
    return not (rest in R.TITLE_HEADS or rest in R.ORGANISATIONS or is_known(rest, known) or norm in R.TITLE_HEADS)


def _embedded_speaker(tokens: list[Token], start: int, known: Known) -> Mention | None:
    """A person whose words a channel reports («قال مكتب نتنياهو إن رئيس الوزراء أكد …»)."""
    for k in range(start, min(len(tokens), start + _LOOKAHEAD)):
        if tokens[k].word and tokens[k].norm in R.COMPLEMENTISERS:
            mention = parse_subject(tokens, k + 1, known)
            if mention is None or mention.kind not in ("person", "title"):
                return None
            end = mention.end
            while end < len(tokens) and tokens[end].norm in R.AUXILIARIES:
                end += 1
            if end < len(tokens) and verb_form(tokens[end]) and strip_prefix(tokens[end].norm) == tokens[end].norm:
                return mention
            return None
    return None


def _relative_speech(tokens: list[Token], k: int, form: R.VerbForm, known: Known) -> Clause | None:
    """«كلمة أردوغان التي قال فيها …»: the speaker is the owner of the speech noun."""
    relative = k - 1
    if tokens[relative].norm not in R.RELATIVES:
        return None
    antecedent = None if form.present else relative_speaker(tokens, k, known)
    if antecedent is not None:  # «… فرنسوا هولاند الذي قال إن …»
        return Clause("speaker", "verb", antecedent, form.feminine)
    if form.present:  # «الهجرة التي يقول ماكرون إنها …»: a named speaker, then what he says
        mention = parse_subject(tokens, k + 1, known)
        after = tokens[mention.end] if mention is not None and mention.end < len(tokens) else None
        if mention is not None and mention.kind == "person" and after is not None and after.norm in R.COMPLEMENTISERS:
            return Clause("speaker", "verb", mention, form.feminine)
    for n in range(relative - 1, max(-1, relative - 5), -1):
        if tokens[n].norm in R.SPEECH_NOUNS:
            mention = parse_subject(tokens, n + 1, known)
            if mention is not None and mention.kind == "person" and mention.end == relative:
                return Clause("speaker", "verb", mention, form.feminine)
            return None
    return None


def _source_phrase(tokens: list[Token], k: int, known: Known) -> Clause | None:
    """«بحسب X»، «نقلت الوكالة عن X قوله»: X speaks (``sources``)."""
    mention = source_mention(tokens, k, known)
    return _speaker_or_other(mention, "source_phrase", None) if mention is not None else None


def _headline(tokens: list[Token], known: Known, headline: bool) -> Clause | None:
    """«أردوغان: …»: the name before a headline's colon speaks (``headlines``)."""
    mention = colon_subject(tokens, known, headline=headline)
    return _speaker_or_other(mention, "headline", None) if mention is not None else None


def _headline_verb(tokens: list[Token], known: Known) -> Clause | None:
    """«بوتين يتحدى واشنطن: …», «نتنياهو يتوعّد»: a headline's name, then a verb (``headlines``)."""
    mention = verb_subject(tokens, known)
    return Clause("speaker", "headline", mention, position=mention.end) if mention is not None else None


def _after_lead(tokens: list[Token], known: Known) -> Clause | None:
    """A headline whose statement follows a lead and a colon («في اجتماع الكتلة : طوبال
    يصرح بأنه …»): the clause after the colon, when a person speaks in it."""
    for c, token in enumerate(tokens[: HEADLINE_WORDS + 1]):
        if token.raw == ":" and not token.quoted and 0 < c < len(tokens) - 2:
            if any(t.word and verb_form(t) for t in tokens[:c]):
                return None  # «وأضاف العجلان: …»: a reporting verb leads, no headline
            clause = analyse_sentence(tokens[c + 1 :], known)
            if clause.kind == "speaker":
                return replace(clause, position=clause.position + c + 1)
            return None
    return None


def _preceded(tokens: list[Token], start: int, known: Known) -> Clause | None:
    """«وسبق لـ X أن أعلن …»: X speaks (``openings``)."""
    found = preceded_speaker(tokens, start, known)
    return Clause("speaker", "verb", found[0], found[1]) if found else None


def _speech_actor(tokens: list[Token], start: int, known: Known) -> Mention | None:
    """The person who delivers a speech in a sentence that reports none («وألقى وانغ كلمة»)."""
    if not any(token.norm in R.SPEECH_NOUNS for token in tokens):
        return None
    mention = _clause_subject(tokens, start, start, known)
    return mention if mention is not None and mention.kind == "person" and is_known_mention(mention, known) else None
