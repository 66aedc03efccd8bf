"""The frozen dataclasses that carry data from ingestion to the reply."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict, dataclass, field
from typing import Callable


@dataclass(frozen=True, slots=True)
class Source:
    """Where an article comes from.

    Attributes:
        path: the file it was read from, relative to the seeds folder.
        title: the article's title, or one derived from its first sentence.
        agency: the news agency or outlet (e.g. "شينخوا", "Jawhara FM").
        place: the dateline's place (e.g. "ووتشن").
        region: the dateline's region or country (e.g. "تشجيانغ").
        date: the article's date.
        url: a link to the original, when known.
    """

    path: str
    title: str
    agency: str | None = None
    place: str | None = None
    region: str | None = None
    date: dt.date | None = None
    url: str | None = None

    def to_dict(self) -> dict:
        data = asdict(self)
        data["date"] = self.date.isoformat() if self.date else None
        return data

    @classmethod
    def from_dict(cls, data: dict, shared: dict | None = None) -> Source:
        """The source ``to_dict`` wrote; with ``shared``, equal agencies, places, regions
        and dates are one object across every source read with it (a big index's
        manifest repeats them a million times)."""
        one = (lambda value: shared.setdefault(value, value)) if shared is not None else (lambda value: value)
        date = data.get("date")
        return cls(
            path=one(data["path"]),
            title=data["title"],
            agency=one(data.get("agency")),
            place=one(data.get("place")),
            region=one(data.get("region")),
            date=one(dt.date.fromisoformat(date)) if date else None,
            url=data.get("url"),
        )


@dataclass(frozen=True)
class Article:
    """One news article: its text and its source.

    Attributes:
        article_id: stable id, the relative path, plus ``#N`` for the N-th record
            of a file that holds several articles.
        source: where it comes from.
        text: the article's full text (dateline included, if any).
        body_start: offset in ``text`` where the body begins (after a dateline).
        title_end: when more than 0, ``text[:title_end]`` is the article's headline, a
            passage of its own («الوزير: سنرد على أي اعتداء» is a statement too).
    """

    article_id: str
    source: Source
    text: str
    body_start: int = 0
    title_end: int = 0

    @property
    def content_hash(self) -> str:
        """A hash of everything that ends up in the index for this article."""
        h = hashlib.sha256()
        h.update(self.text.encode("utf-8"))
        h.update(b"\0")
        h.update(repr(sorted(self.source.to_dict().items())).encode("utf-8"))
        h.update(b"\0%d %d" % (self.body_start, self.title_end))
        return h.hexdigest()


@dataclass(frozen=True)
class Span:
    """A sentence found by the chunker: character offsets into a text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Passage:
    """One sentence passage of an article: the unit that is embedded and returned.

    Attributes:
        article_id: the article it belongs to.
        index: its position among the article's passages, from 0.
        text: the sentence.
        start, end: its character span in the article's text.
        speakers: the people whose statements it reports (see ``retrieval.attribution.statements``),
            the main one first; empty when it is not a statement by a named person.
    """

    article_id: str
    index: int
    text: str
    start: int
    end: int
    speakers: tuple[str, ...] = ()

    @property
    def speaker(self) -> str | None:
        return self.speakers[0] if self.speakers else None


@dataclass(frozen=True)
class Hit:
    """A passage returned for a question.

    Attributes:
        rank: its place among the answers, from 1.
        score: what ranked it (a cosine, or a fused score).
        passage: the sentence.
        source: the article it comes from.
        context_before, context_after: the sentences around it.
        speaker: who says it, when it is a statement by a named person.
        also_in: the sources of wire copies of the same sentence (shown once).
        titled: whether ``source.title`` is the article's own title (False when it was
            cut from the article's first sentence: not worth showing as a title).
        person: in a «who said what» answer, which of ``Answer.people`` says it (0: the
            first; a question may name two people).
        aside: a statement of the person that is not about the topic asked (offered
            after those that are, as "other statements").
    """

    rank: int
    score: float
    passage: Passage
    source: Source
    context_before: tuple[str, ...] = ()
    context_after: tuple[str, ...] = ()
    speaker: str | None = None
    also_in: tuple[Source, ...] = ()
    titled: bool = True
    person: int = 0
    aside: bool = False


@dataclass(frozen=True)
class Person:
    """One person quoted in the index, with the spellings their statements carry.

    Attributes:
        name: the fullest spelling seen («شي جين بينغ»).
        names: every spelling stored with their statements.
        statements: how many passages quote them.
        articles: in how many articles.
    """

    name: str
    names: tuple[str, ...]
    statements: int
    articles: int


@dataclass(frozen=True)
class PersonAnswer:
    """What a «who said what» question found (``Answer.person``).

    Attributes:
        asked: the person as the question names them («شي», "Xi").
        names: the speakers in the index that are this person; empty when nobody
            quoted matches (the hits are then the normal search's).
        total: how many of their statements there are (the hits are one page of them).
        topic: what about, when the question says so.
        when: the time the question names, as written («في 2017»).
        all_times: no statement fell in that time, so all of them are given instead.
        closest: when nobody quoted matches, the quoted people whose names come
            closest to the one asked (fullest spelling), best first.
        on_topic: with a topic, how many of the ``total`` statements are about it (they
            come first; the others are offered after them); None without a topic.
        canonical: the name to show for them (the spelling the archive uses most).
    """

    asked: str
    names: tuple[str, ...] = ()
    total: int = 0
    topic: str | None = None
    when: str | None = None
    all_times: bool = False
    closest: tuple[str, ...] = ()
    on_topic: int | None = None
    canonical: str | None = None

    @property
    def found(self) -> bool:
        return bool(self.names)

    @property
    def name(self) -> str:
        """Who they are, for a heading: the canonical name, else the best match, else as asked."""
        return self.canonical or (self.names[0] if self.names else self.asked)

    @property
    def listed(self) -> int:
        """How many statements the answer lists first: those about the topic, or all."""
        return self.total if self.on_topic is None else self.on_topic


@dataclass(frozen=True)
class SpeakerGroup:
    """One speaker's statements in a «من قال …؟» answer (``Answer.speakers``).

    Attributes:
        name: who says them (the person's canonical name when the index knows one).
        ranks: the ranks of their hits in ``Answer.hits``, in order.
    """

    name: str
    ranks: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.ranks)


@dataclass(frozen=True)
class Answer:
    """What every front end renders for a question.

    ``hits`` holds the passages above the relevance threshold, best first (for a «who
    said what» question: the person's statements, grouped by article; for «من قال …؟»:
    the statements that match, grouped by speaker). When it is empty, nothing relevant
    was found.

    ``claim`` is what a «من قال …؟» question asks about (None for any other question),
    and ``speakers`` its hits' speakers, the most relevant first.

    ``people`` are the people a «who said what» question names, each with what was found
    (``person`` is the first: «ماذا قال ترامب وأردوغان؟» names two); each hit says whose
    statement it is (``Hit.person``).
    """

    question: str
    hits: tuple[Hit, ...] = field(default_factory=tuple)
    person: PersonAnswer | None = None
    claim: str | None = None
    speakers: tuple[SpeakerGroup, ...] = ()
    people: tuple[PersonAnswer, ...] = ()

    def __post_init__(self) -> None:
        # ``person`` is the first of ``people`` (a question may name two): either may be given.
        if not self.people and self.person is not None:
            object.__setattr__(self, "people", (self.person,))
        elif self.people and self.person is None:
            object.__setattr__(self, "person", self.people[0])

    @property
    def found(self) -> bool:
        return bool(self.hits)


@dataclass(frozen=True)
class Skipped:
    """A file, or a record in a file, that was not read as an article.

    Attributes:
        path: the file, relative to the seeds folder.
        reason: why, in words meant for a person.
    """

    path: str
    reason: str


#: Called with (done, total) as long work goes on (embedding while indexing): a progress bar.
Progress = Callable[[int, int], None]
