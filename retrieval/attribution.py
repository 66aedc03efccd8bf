"""Who said what in one article: each sentence's speaker, with continuations, titles and aliases."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from retrieval import reporting as R
from retrieval.clauses import Clause, analyse_sentence
from retrieval.mentions import Mention, Token, add_known, is_definite, parse_subject, tokenize
from retrieval.speakers import compact_key, speaker_key

_TERMINAL = frozenset(".!?؟…")
_CLOSERS = "\"'»”’)]} "
_OPEN_ENDINGS = frozenset("،,:؛;")
_SPEECH_OPENERS = frozenset(("إن", "إنه", "إنها", "انه", "ان", "وإن", "وان", "وأن", "أنه", "وأنه"))
_QUOTE_LOOKAHEAD = 3
_SYNONYMS = {"ناطق": "متحدث", "حكومه": "وزراء", "اميركي": "امريكي", "اميركيه": "امريكي"}


@dataclass(frozen=True)
class Statement:
    """A sentence's speaker.

    Attributes:
        speaker: the person's fullest name as written in the article («شي جين بينغ»),
            without titles.
        key: ``speaker_key(speaker)``.
        aliases: keys of the other forms of the name seen in the article («شي»).
        title: a title seen with the person («الرئیس الصيني»), if any.
        feminine: the person's gender when the article shows it, else None.
        how: how the sentence names the speaker: "verb", "name_first",
            "source_phrase", "headline", "title", "continuation", "participle", "quote".
    """

    speaker: str
    key: str
    aliases: tuple[str, ...]
    title: str | None
    feminine: bool | None
    how: str


@dataclass
class _Person:
    """A person of the article, as the sentences reveal them."""

    names: dict[tuple[str, ...], str] = field(default_factory=dict)  # normalised -> as written
    titles: list[tuple[str, ...]] = field(default_factory=list)
    title_raw: str | None = None
    feminine: bool | None = None
    last_seen: int = -1
    last_spoke: int = -1

    def add(self, mention: Mention, index: int) -> None:
        if mention.name_norm and mention.name_norm not in self.names:
            self.names[mention.name_norm] = mention.name
        if mention.title_norm and mention.title_norm not in self.titles:
            self.titles.append(mention.title_norm)
            self.title_raw = self.title_raw or mention.title
        if self.feminine is None and mention.feminine is not None:
            self.feminine = mention.feminine
        self.last_seen = max(self.last_seen, index)

    @property
    def display(self) -> str:
        return max(self.names.items(), key=lambda item: len(item[0]))[1] if self.names else ""


def _name_keys(name_norm: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(speaker_key(word) for word in name_norm if word not in R.NAME_PARTICLES)


def same_name(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two name forms may be one person: one holds the other's words, or they
    are the same letters once spaces are ignored («الجرو شي» / «الجروشي»)."""
    if compact_key("".join(a)) == compact_key("".join(b)):
        return True
    short, long = sorted((_name_keys(a), _name_keys(b)), key=len)
    if not short:
        return False
    return f" {' '.join(short)} " in f" {' '.join(long)} "


def _gender_fits(person: _Person, feminine: bool | None) -> bool:
    return feminine is None or person.feminine is None or person.feminine == feminine


@dataclass
class _Article:
    """The people of one article and who has the floor."""

    people: list[_Person] = field(default_factory=list)
    history: list[_Person] = field(default_factory=list)  # speakers since the last break
    cataphora: list[tuple[int, Mention]] = field(default_factory=list)

    def person(self, mention: Mention, index: int) -> _Person:
        """The person a named mention refers to (the most recently seen one), created if new."""
        candidates = [p for p in self.people if any(same_name(mention.name_norm, n) for n in p.names)]
        person = max(candidates, key=lambda p: p.last_seen) if candidates else None
        if person is None:
            person = _Person()
            self.people.append(person)
        person.add(mention, index)
        return person

    def by_title(self, mention: Mention, index: int, feminine: bool | None) -> _Person | None:
        """The person a title alone refers to: the latest compatible one, else a later one."""
        fits = [
            p
            for p in self.people
            if _gender_fits(p, feminine) and _gender_fits(p, mention.feminine)
            and any(titles_compatible(mention.title_norm, t) for t in p.titles)
        ]
        if fits:
            return max(fits, key=lambda p: (p.last_spoke, p.last_seen))
        for later, named in self.cataphora:
            if later > index and titles_compatible(mention.title_norm, named.title_norm):
                if _gender_fits(_Person(feminine=named.feminine), feminine):
                    return self.person(named, index)
        return None

    def continuing(self, feminine: bool | None) -> _Person | None:
        """The most recent speaker since the last break whose gender fits the verb."""
        for person in reversed(self.history):
            if _gender_fits(person, feminine):
                return person
        return None


def _title_parts(title: tuple[str, ...]) -> tuple[str, set[str], set[str]]:
    """(head, complements, nationalities) of a title, articles and endings removed."""
    def bare(word: str) -> str:
        word = word[2:] if is_definite(word) else word[1:] if word.startswith("لل") else word
        return _SYNONYMS.get(word, word)

    head = bare(title[0])
    head = _SYNONYMS.get(head[:-1], head[:-1]) if head.endswith("ه") else head
    complements: set[str] = set()
    nations: set[str] = set()
    for word in title[1:]:
        if word in ("في", "لدى", "باسم", "و"):
            break
        if word in R.GENTILICS or word in R.PLACES:
            nations.add(speaker_key(bare(word).rstrip("ه").rstrip("ي")))
        elif word not in ("العام", "الدائم", "الخاص", "الجديد", "المنتخب", "الاعلي"):
            complements.add(bare(word))
    return head, complements, nations


def titles_compatible(reference: tuple[str, ...], known: tuple[str, ...]) -> bool:
    """Whether a title used alone («الرئيس الصيني») may refer to a person known with
    another («الرئيس الصيني»، «الرئيس»): same head noun, no conflicting complement or
    nationality."""
    if not reference or not known:
        return False
    head, complements, nations = _title_parts(reference)
    known_head, known_complements, known_nations = _title_parts(known)
    if head != known_head:
        return False
    if complements and known_complements and not complements & known_complements:
        return False
    return not (nations and known_nations and not nations & known_nations)


def _is_open(sentence: str) -> bool:
    """Whether a sentence was cut before its end (a comma, an unclosed bracket)."""
    text = sentence.rstrip()
    if text and text[-1] in _OPEN_ENDINGS:
        return True
    return text.count("(") > text.count(")")


def _opens_quote(sentence: str) -> bool:
    return sentence.count("«") > sentence.count("»") or sentence.count("“") > sentence.count("”") or sentence.count('"') % 2 == 1


def _closes_quote(sentence: str) -> bool:
    return any(mark in sentence for mark in '»”"')


def _known_names(token_lists: list[list[Token]], title_tokens: list[Token] | None) -> dict[str, set[str]]:
    """Name forms of the article (form -> full names), from titled mentions and subjects anywhere."""
    known: dict[str, set[str]] = {}
    for tokens in ([title_tokens] if title_tokens else []) + token_lists:
        for mention in _titled_mentions(tokens, known) + _subjects(tokens, known):
            add_known(known, mention.name_norm)
    return known


def _titled_mentions(tokens: list[Token], known: dict[str, set[str]]) -> list[Mention]:
    """Every «TITLE NAME» in a sentence, whatever its role."""
    found = []
    for i, token in enumerate(tokens):
        if token.word and token.norm in R.TITLE_HEADS and (i == 0 or tokens[i - 1].norm not in R.TITLE_HEADS):
            mention = parse_subject(tokens, i, known)
            if mention is not None and mention.kind == "person":
                found.append(mention)
    return found


def _subjects(tokens: list[Token], known: dict[str, set[str]]) -> list[Mention]:
    clause = analyse_sentence(tokens, known)
    mention = clause.mention or clause.actor
    return [mention] if mention is not None and mention.kind == "person" else []


def attribute_article(sentences: Sequence[str], *, title: str | None = None) -> list[Statement | None]:
    """Attribute each sentence of an article to the named person who says it.

    Args:
        sentences: the article's sentences in order (as ``chunk_sentences`` splits them).
        title: the article's headline, if any; a speaker named there («أردوغان: …»)
            is known from the first sentence on.

    Returns:
        One entry per sentence: its statement's speaker, or None when the sentence is
        not a statement by a named person (narration, an organisation or an unnamed
        source speaking, a continuation whose speaker is unclear).
    """
    token_lists = [tokenize(sentence) for sentence in sentences]
    title_tokens = tokenize(title) if title else None
    known = _known_names(token_lists, title_tokens)
    article = _Article()
    titled = [_titled_mentions(tokens, known) for tokens in token_lists]
    article.cataphora = [(i, mention) for i, mentions in enumerate(titled) for mention in mentions]
    if title_tokens:
        for mention in _titled_mentions(title_tokens, known) + _subjects(title_tokens, known):
            article.person(mention, -1)
    clauses = [analyse_sentence(tokens, known) for tokens in token_lists]
    results: list[tuple[_Person, str] | None] = [None] * len(sentences)
    quote_until, quote_person = -1, None
    for i, clause in enumerate(clauses):
        for mention in titled[i]:
            article.person(mention, i)
        if i <= quote_until and quote_person is not None:
            results[i] = _spoke(article, quote_person, "quote", i)
            continue
        results[i] = _resolve(article, clause, i, sentences, token_lists, results)
        if results[i] is not None and _opens_quote(sentences[i]):
            quote_until = _quote_end(sentences, clauses, i)
            quote_person = results[i][0]
    return [_statement(result) if result else None for result in results]


def _resolve(
    article: _Article,
    clause: Clause,
    i: int,
    sentences: Sequence[str],
    token_lists: list[list[Token]],
    results: list[tuple[_Person, str] | None],
) -> tuple[_Person, str] | None:
    """The speaker of sentence ``i`` given its clause and what came before."""
    previous = results[i - 1] if i > 0 else None
    if clause.kind == "speaker" and clause.mention is not None:
        person = _speaker(article, clause, i)
        if person is None:
            article.history.clear()  # an unnamed source took the floor
            return None
        return _spoke(article, person, "title" if clause.mention.kind == "title" else clause.how, i)
    if clause.kind == "continuation":
        if clause.how == "participle":
            person = previous[0] if previous and _gender_fits(previous[0], clause.feminine) else None
        else:
            person = article.continuing(clause.feminine)
        return _spoke(article, person, clause.how, i) if person else None
    if clause.kind == "other":
        article.history.clear()
        return None
    if previous and (_is_open(sentences[i - 1]) or _starts_speech(token_lists[i])):
        return _spoke(article, previous[0], "continuation", i)
    if clause.actor is not None:
        actor = article.person(clause.actor, i)
        article.history = [p for p in article.history if p is not actor] + [actor]
    return None


def _speaker(article: _Article, clause: Clause, i: int) -> _Person | None:
    """The person a speaker clause names, by name or by title."""
    mention = clause.mention
    if mention.kind == "title":
        return article.by_title(mention, i, clause.feminine)
    person = article.person(mention, i)
    if person.feminine is None and clause.feminine is not None and clause.how in ("verb", "name_first"):
        person.feminine = clause.feminine
    return person


def _spoke(article: _Article, person: _Person, how: str, i: int) -> tuple[_Person, str]:
    """Record that ``person`` has the floor at sentence ``i``."""
    person.last_spoke = person.last_seen = i
    article.history = [p for p in article.history if p is not person] + [person]
    return person, how


def _starts_speech(tokens: list[Token]) -> bool:
    """A sentence that opens with «إن …»/«وأن …»: the previous speaker's words go on."""
    return bool(tokens) and tokens[0].word and tokens[0].raw in _SPEECH_OPENERS


def _quote_end(sentences: Sequence[str], clauses: list[Clause], i: int) -> int:
    """The last sentence of a quotation opened in sentence ``i`` (``i`` when it does not run on)."""
    for j in range(i + 1, min(len(sentences), i + 1 + _QUOTE_LOOKAHEAD)):
        if clauses[j].kind != "none":
            return i
        if _closes_quote(sentences[j]):
            return j
    return i


def _statement(result: tuple[_Person, str]) -> Statement:
    person, how = result
    speaker = person.display
    key = speaker_key(speaker)
    full = compact_key(speaker)
    aliases = sorted(
        {speaker_key(raw) for raw in person.names.values() if compact_key(raw) != full} - {key}
    )
    return Statement(speaker, key, tuple(aliases), person.title_raw, person.feminine, how)
