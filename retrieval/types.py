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
        topic: what about, when the question says so (statements ranked by it).
        when: the time the question names, as written («في 2017»).
        all_times: no statement fell in that time, so all of them are given instead.
        closest: when nobody quoted matches, the quoted people whose names come
            closest to the one asked (fullest spelling), best first.
    """

    asked: str
    names: tuple[str, ...] = ()
    total: int = 0
    topic: str | None = None
    when: str | None = None
    all_times: bool = False
    closest: tuple[str, ...] = ()

    @property
    def found(self) -> bool:
        return bool(self.names)


@dataclass(frozen=True)
class Answer:
    """What every front end renders for a question.

    ``hits`` holds the passages above the relevance threshold, best first (for a «who
    said what» question: the person's statements, grouped by article). When it is
    empty, nothing relevant was found.
    """

    question: str
    hits: tuple[Hit, ...] = field(default_factory=tuple)
    person: PersonAnswer | None = None

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
