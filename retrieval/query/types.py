"""The query side's data: a question as understood, and what flows through the pipeline.

    text ─understand─▶ Question ─(+ k, offset)─▶ Query ─embed─▶ Request
    Request ─retrievers─▶ Found (one per retriever) ─fusion─▶ Candidate[] ─stages─▶ Hit[]

Every stage and retriever imports its types from here, and nothing else of the pipeline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from retrieval.types import PersonAnswer

#: Most results one search may ask for.
MAX_K = 50
#: Results a search gives when no number is asked for.
DEFAULT_K = 5
#: Most statements one «who said what» answer may list at once.
MAX_STATEMENTS = 100_000
#: The form of «من قال …؟» / "Who said …?" questions (``retrieval.query.said_what``).
SAID_WHAT = "said_what"


@dataclass(frozen=True)
class Question:
    """A question as understood (``retrieval.query.understanding``): cleaned, checked, read.

    Attributes:
        text: the question, cleaned (invisible characters out, spaces collapsed).
        language: the language it is written in: "ar", "en" (Latin script), "other"
            (another script: the model matches it poorly against Arabic news, so it is
            answered with nothing) or "" (no letters: the front end picks the language).
        form: which question form read it: "search" when none did (a plain search),
            "who_said" for «ماذا قال X؟» / "What did X say?", "said_what" for «من قال …؟» /
            "Who said …?".
        person: the person it asks about, as written («شي», "Xi"), when it asks what
            someone said.
        topic: what about, when it says so («عن النفط» -> «النفط»); for «من قال …؟», the
            claim or topic asked about («من قال إن X؟» -> «X»).
        when: a time it names, as written («أمس», «في 2017», "yesterday").
        year: the year, when ``when`` names one.
        cut: the message was longer than a question may be and was cut to fit.
    """

    text: str
    language: str = "ar"
    form: str = "search"
    person: str | None = None
    topic: str | None = None
    when: str | None = None
    year: int | None = None
    cut: bool = False

    @property
    def supported(self) -> bool:
        """Whether it is written in a language the index can be searched with."""
        return self.language != "other"

    @property
    def asks_person(self) -> bool:
        """Whether it asks what a person said (answered with all their statements)."""
        return self.person is not None

    @property
    def asks_who(self) -> bool:
        """Whether it asks who said something (answered with the matching statements, by speaker)."""
        return self.form == SAID_WHAT

    @property
    def search_text(self) -> str:
        """What the search looks for: the claim of a «من قال …؟» question, else the question."""
        return self.topic if self.asks_who and self.topic else self.text


@dataclass(frozen=True)
class Query:
    """A question to answer: ``k`` hits starting after the first ``offset``.

    ``question`` is a ``Question`` (as every front end makes it, with ``understand``) or
    raw text, understood when it is answered. ``k=None`` asks for the usual amount:
    DEFAULT_K search results, or every statement of the person a «who said what»
    question names. ``exclude`` holds passages already shown, as (article id, passage
    index), left out of the answer («ماذا قال أيضا؟»: statements not yet shown).
    """

    question: Question | str
    k: int | None = DEFAULT_K
    offset: int = 0
    exclude: frozenset[tuple[str, int]] = frozenset()


@dataclass(frozen=True)
class Request:
    """One question as the retrievers and stages see it.

    Attributes:
        question: the question, understood.
        vector: its embedding (unit float32).
        k: how many hits to return (None: all of a person's statements)...
        offset: ...after skipping this many (paging).
        threshold: the lowest dense cosine that counts as an answer (the relevance gate).
        topic: the embedding of the question's topic, when it asks what a person said
            about something (the statements about it are selected with it).
        topic_baseline: what everyday sentences score against the topic at best (its
            background cosine; 0 without background sentences).
        person: whom the speaker retriever found for a «who said what» question (set by
            the pipeline after retrieval; None for any other question).
        exclude: passages already shown, as (article id, passage index), left out.
    """

    question: Question
    vector: np.ndarray = field(repr=False)
    k: int | None = DEFAULT_K
    offset: int = 0
    threshold: float = -math.inf
    topic: np.ndarray | None = field(default=None, repr=False)
    topic_baseline: float = 0.0
    person: PersonAnswer | None = None
    exclude: frozenset[tuple[str, int]] = frozenset()

    @property
    def text(self) -> str:
        """What the search retrievers look for (``Question.search_text``)."""
        return self.question.search_text

    @property
    def lists_statements(self) -> bool:
        """Whether the answer is a person's statements (the person asked is quoted)."""
        return self.person is not None and self.person.found

    @property
    def limit(self) -> int | None:
        """How many hits to return: ``k`` statements (None: all), or ``k`` search results
        (DEFAULT_K when None, at most MAX_K)."""
        if self.lists_statements:
            return self.k
        return min(self.k or DEFAULT_K, MAX_K)

    @property
    def needed(self) -> int | None:
        """How many candidates must survive the stages (None: every one)."""
        return None if self.limit is None else self.offset + self.limit


@dataclass(frozen=True)
class Candidate:
    """A passage proposed for a question.

    Attributes:
        position: the passage's position in ``LoadedIndex.passages``.
        score: what ranks it now (the dense cosine, or a fused score).
        dense: its dense cosine with the question, kept through fusion for the gate.
        copies: positions of wire copies of the same text folded into it (their
            sources are shown with a statement).
        aside: a person's statement that is not about the topic asked (listed after
            those that are).
    """

    position: int
    score: float
    dense: float
    copies: tuple[int, ...] = ()
    aside: bool = False


@dataclass(frozen=True)
class Found:
    """A retriever's candidates for one question, best first.

    Attributes:
        candidates: what it found.
        more: whether asking deeper could find more that pass the gate.
        weight: how much this retriever trusts itself for this question (0–1).
        score_of: this retriever's score for any passage position (for a fusion that
            needs it for candidates another retriever found), when it can tell.
        person: for a «who said what» question, whom the speaker retriever found
            (``names`` empty when nobody quoted matches).
    """

    candidates: list[Candidate]
    more: bool = False
    weight: float = 1.0
    score_of: Callable[[int], float] | None = field(default=None, repr=False)
    person: PersonAnswer | None = None
