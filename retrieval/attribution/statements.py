"""Who said what in one article: each sentence's speaker, with continuations, titles and aliases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import retrieval.attribution.reporting as R
from retrieval.attribution.clauses import Clause, analyse_sentence
from retrieval.attribution.known import known_names, subjects, titled_mentions
from retrieval.attribution.names import name_word
from retrieval.attribution.people import (
    FORMER,
    Cast,
    CastMember,
    bare_title_word,
    gender_fits,
    nation_keys,
)
from retrieval.attribution.tokens import (
    QUOTE_CHARS,
    Token,
    is_definite,
    is_title_head,
    strip_prefix,
    tokenize,
    verb_form,
)
from retrieval.text.normalize import normalize_arabic
from retrieval.text.spellings import speaker_key

_OPEN_ENDINGS = frozenset("،,:؛;")
_SPEECH_OPENERS = frozenset(("إن", "إنه", "إنها", "انه", "ان", "وإن", "وان", "وأن", "أنه", "وأنه"))
_QUOTE_LOOKAHEAD = 3  # how many sentences a quotation may run over
_CUT_POSITION = 3  # a construction this far into the rest of a cut sentence belongs to it
_LEAD_REACH = 2  # how many body sentences a headline's title may be looked up in
_LEAD_TITLE_WORDS = 5  # how long a headline's title may run before its colon or verb


@dataclass(frozen=True)
class Statement:
    """A sentence's speaker.

    Attributes:
        speaker: the person's fullest name as written in the article («شي جين بينغ»),
            without titles.
        key: ``speaker_key(speaker)``, for matching.
        aliases: keys of the other forms of the name seen in the article («شي»).
        title: a title seen with the person («الرئيس الصيني»), if any.
        feminine: the person's gender when the article shows it, else None.
        how: how the sentence names the speaker: "verb" («قال شي»), "name_first"
            («شي قال»), "source_phrase" («بحسب شي»), "headline" («شي: …»), "title"
            («وقال الرئيس»), "continuation" («وأضاف»), "participle» («مضيفا»),
            "quote" (a quotation running on from the previous sentence).
    """

    speaker: str
    key: str
    aliases: tuple[str, ...]
    title: str | None
    feminine: bool | None
    how: str


def attribute_article(sentences: Sequence[str], *, title: str | None = None) -> list[Statement | None]:
    """Attribute each sentence of an article to the named person who says it.

    Args:
        sentences: the article's sentences in order (as ``chunk_sentences`` splits them).
        title: the article's headline, if any; a person named there («أردوغان: …») is
            known from the first sentence on.

    Returns:
        One entry per sentence: its statement's speaker, or None when the sentence is
        not a statement by a named person (narration, an organisation or an unnamed
        source speaking, a continuation whose speaker is unclear).
    """
    sentences = [_without_stray_quote(sentence) for sentence in sentences]
    token_lists = [tokenize(sentence) for sentence in sentences]
    headline = bool(title) and bool(sentences) and sentences[0].strip() == " ".join(title.split())
    title_tokens = token_lists[0] if headline else tokenize(title) if title else None  # a headline passage: read once
    known = known_names(token_lists, title_tokens)
    titled = [titled_mentions(tokens, known) for tokens in token_lists]
    cast = Cast(later_titles=[(i, mention) for i, mentions in enumerate(titled) for mention in mentions])
    if title_tokens:
        for mention in titled_mentions(title_tokens, known) + subjects(title_tokens, known):
            cast.person(mention, -1)
    clauses = [analyse_sentence(tokens, known, headline=headline and i == 0) for i, tokens in enumerate(token_lists)]
    results: list[tuple[CastMember, str] | None] = [None] * len(sentences)
    quote_until, quoted = -1, None
    for i, clause in enumerate(clauses):
        for mention in titled[i]:
            cast.person(mention, i, speaking=False)
        if i <= quote_until and quoted is not None:
            results[i] = _spoke(cast, quoted, "quote", i)
            continue
        results[i] = _resolve(cast, clause, i, sentences, token_lists, results[i - 1] if i else None)
        if results[i] is not None and _opens_quote(sentences[i]):
            quote_until, quoted = _quote_end(sentences, clauses, i), results[i][0]
    if headline and results[0] is None and clauses[0].kind in ("none", "speaker"):
        results[0] = _headline_of_lead(token_lists, results)
    return [_statement(*result) if result else None for result in results]


def _headline_of_lead(
    token_lists: list[list[Token]], results: list[tuple[CastMember, str] | None]
) -> tuple[CastMember, str] | None:
    """A headline led by a title without a name («رئيس وزراء البحرين: …»، «نائب تركي يطالب
    …»): the person the first statement of the body quotes with that post (its head word in
    that sentence, no other nationality in the words after it)."""
    tokens = token_lists[0]
    end = _lead_end(tokens)
    if end is None:
        return None
    lead = tokens[:end]
    head = bare_title_word(lead[0].norm)
    nations = {key for t in lead if _nationality(t.norm) for key in nation_keys(t.norm)}
    for j in range(1, min(len(token_lists), _LEAD_REACH + 1)):
        if results[j] is None:
            continue
        body = token_lists[j]
        for k, token in enumerate(body):
            if token.word and bare_title_word(token.norm) == head:
                after = body[k + 1 : k + 1 + _LEAD_TITLE_WORDS]
                post = {key for t in after if _nationality(t.norm) for key in nation_keys(t.norm)}
                if not (nations and post and not nations & post):
                    return results[j][0], "headline"
        return None
    return None


def _nationality(norm: str) -> bool:
    """«التركي»، «تركي»: a word that says which country."""
    return norm in R.GENTILICS or norm in R.BARE_GENTILICS


def _lead_end(tokens: list[Token]) -> int | None:
    """Where a headline's lead ends when it is a title alone: at a colon, or before a
    reporting verb («تؤكد»، «يطالب»), within a few words; else None. A former holder
    («رئيس غامبيا السابق») is not the one the body quotes with the post."""
    if not tokens or not tokens[0].word or not is_title_head(tokens[0].norm):
        return None
    for k in range(1, min(len(tokens), _LEAD_TITLE_WORDS + 1)):
        token = tokens[k]
        if token.raw == ":":
            return k
        if not token.word or token.norm in FORMER:
            return None
        if verb_form(token):
            return k
        if not (is_definite(token.norm) or _nationality(token.norm) or token.norm in R.PLACES
                or token.norm in R.TITLE_WORDS or name_word(tokens, k)):
            return None
    return None


def _without_stray_quote(sentence: str) -> str:
    """A sentence without a quote mark left open before «وأضاف»، «وقال»: a quotation never
    starts with a connector and a reporting verb, the mark belongs to the paragraph before."""
    stripped = sentence.lstrip()
    if stripped[:1] not in QUOTE_CHARS:
        return sentence
    first = stripped[1:].split(maxsplit=1)
    word = normalize_arabic(first[0]) if first else ""
    return stripped[1:].lstrip() if word.startswith("و") and strip_prefix(word) in R.VERBS else sentence


def _resolve(
    cast: Cast,
    clause: Clause,
    i: int,
    sentences: Sequence[str],
    token_lists: list[list[Token]],
    previous: tuple[CastMember, str] | None,
) -> tuple[CastMember, str] | None:
    """The speaker of sentence ``i`` given its clause and the sentence before."""
    cut = previous and (_is_open(sentences[i - 1]) or _starts_speech(token_lists[i]))
    if cut and (clause.kind == "none" or clause.position > _CUT_POSITION):
        return _spoke(cast, previous[0], "continuation", i)  # the rest of a cut sentence
    if clause.kind == "speaker" and clause.mention is not None:
        person = _speaker(cast, clause, i)
        if person is None:
            cast.floor = None  # an unnamed source took the floor
            return None
        return _spoke(cast, person, "title" if clause.mention.kind == "title" else clause.how, i)
    if clause.kind == "continuation":
        person = cast.continuing(clause.feminine)
        if clause.how == "participle":  # «مضيفا: …» goes on with the sentence before only, or its speech
            before = previous[0] if previous else person if person and person.last_seen == i - 1 else None
            person = before if before and gender_fits(before, clause.feminine) else None
        return _spoke(cast, person, clause.how, i) if person else None
    if clause.kind == "other":
        cast.floor = None
    elif clause.actor is not None:  # «وألقى وانغ كلمة»: Wang may go on speaking
        cast.floor = cast.person(clause.actor, i)
    return None


def _speaker(cast: Cast, clause: Clause, i: int) -> CastMember | None:
    """The person a speaker clause names, by name or by title."""
    mention = clause.mention
    if mention.kind == "title":
        return cast.by_title(mention, i, clause.feminine)
    person = cast.person(mention, i)
    if clause.feminine is not None and clause.how in ("verb", "name_first") and not person.verb_gender:
        person.feminine, person.verb_gender = clause.feminine, True  # «أكدت سميرة …، عضو الحزب»
    return person


def _spoke(cast: Cast, person: CastMember, how: str, i: int) -> tuple[CastMember, str]:
    """Record that ``person`` speaks in sentence ``i`` and so has the floor."""
    person.last_spoke = person.last_seen = i
    cast.floor = person
    return person, how


def _statement(person: CastMember, how: str) -> Statement:
    """The public record of a person's statement."""
    name = person.display
    return Statement(name, speaker_key(name), person.aliases, person.title_raw, person.feminine, how)


def _is_open(sentence: str) -> bool:
    """Whether a sentence was cut before its end (a comma, an unclosed bracket)."""
    text = sentence.rstrip()
    return bool(text) and text[-1] in _OPEN_ENDINGS or text.count("(") > text.count(")")


def _starts_speech(tokens: list[Token]) -> bool:
    """A sentence that opens with «إن …»/«وأن …»: the previous speaker's words go on."""
    return bool(tokens) and tokens[0].word and tokens[0].raw in _SPEECH_OPENERS


def _opens_quote(sentence: str) -> bool:
    """Whether a quotation opened in the sentence is still open at its end."""
    return (
        sentence.count("«") > sentence.count("»")
        or sentence.count("“") > sentence.count("”")
        or sentence.count('"') % 2 == 1
    )


def _quote_end(sentences: Sequence[str], clauses: list[Clause], i: int) -> int:
    """The last sentence of a quotation left open in sentence ``i``: the one that closes it,
    when no reporting construction comes first (else ``i``: it does not run on)."""
    for j in range(i + 1, min(len(sentences), i + 1 + _QUOTE_LOOKAHEAD)):
        if clauses[j].kind != "none":
            return i
        if any(mark in sentences[j] for mark in '»”"'):
            return j
    return i
