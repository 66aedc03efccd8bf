"""Answering: the one function every front end calls, over a loaded index."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from retrieval.background import BACKGROUND_SENTENCES
from retrieval.embedding import Embedder
from retrieval.errors import QuestionError
from retrieval.normalize import has_words, strip_invisible
from retrieval.search import LoadedIndex, search_distinct
from retrieval.types import Answer

#: Longest question accepted (characters); front ends cut longer messages first.
MAX_QUESTION_CHARS = 1000
#: Most results one question may ask for.
MAX_K = 50


@dataclass(frozen=True)
class Query:
    """A question to answer: ``k`` hits starting after the first ``offset``."""

    question: str
    k: int = 5
    offset: int = 0


@dataclass(frozen=True)
class RelevanceGate:
    """Decides which scores count as answers, per question.

    A passage must score at least ``min_score`` and, when background vectors are
    given, beat the question's best score against unrelated everyday sentences by
    ``margin`` (see ``retrieval.background``): a threshold that adapts to each
    question, since cosine levels differ from one question to another.
    """

    min_score: float = 0.0
    margin: float = 0.0
    background: np.ndarray | None = None

    @classmethod
    def for_embedder(cls, embedder: Embedder, *, min_score: float, margin: float | None):
        """A gate for ``embedder``; ``margin=None`` uses ``min_score`` alone."""
        if margin is None:
            return cls(min_score=min_score)
        background = embedder.embed_passages(list(BACKGROUND_SENTENCES))
        return cls(min_score=min_score, margin=margin, background=background)

    def thresholds(self, query_vectors: np.ndarray) -> np.ndarray:
        """The lowest score that counts as an answer, for each query vector."""
        floor = np.full(len(query_vectors), self.min_score, dtype=np.float32)
        if self.background is None or not len(self.background):
            return floor
        best = (query_vectors @ self.background.T).max(axis=1) + self.margin
        return np.maximum(floor, best)


def clean_question(question: str) -> str:
    """Check a question and return it cleaned: invisible characters out, spaces collapsed.

    Zero-width and bidi-control characters are dropped and control characters become
    spaces before anything is checked, so they can neither hide an empty question nor
    reach a terminal.

    Raises:
        QuestionError: it is empty, longer than MAX_QUESTION_CHARS, or has no letter or
            digit (only emoji or punctuation: nothing to search for).
    """
    if not isinstance(question, str):
        raise QuestionError("the question must be text")
    text = " ".join(strip_invisible(question).split())
    if not text:
        raise QuestionError("the question is empty: type a question, e.g. «ماذا قال شي؟»")
    if len(text) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"the question is too long ({len(text):,} characters; at most "
            f"{MAX_QUESTION_CHARS:,}): ask it in fewer words"
        )
    if not has_words(text):
        raise QuestionError(
            "the question has no words (only symbols or emoji): ask in words, "
            "e.g. «ماذا قال شي؟»"
        )
    return text


def answer_many(
    queries: Sequence[Query],
    index: LoadedIndex,
    embedder: Embedder,
    *,
    gate: RelevanceGate,
    context: int = 1,
) -> list[Answer]:
    """Answer several questions with one model call and one search (the bot batches).

    Args:
        queries: the questions; each must pass ``clean_question``.
        index: the loaded index.
        embedder: the model the index was built with.
        gate: which scores count as answers.
        context: how many sentences before and after each hit to include.

    Returns:
        One Answer per query, in order.

    Raises:
        QuestionError: a question is empty or too long.
    """
    if not queries:
        return []
    texts = [clean_question(q.question) for q in queries]
    for q in queries:
        if not 1 <= q.k <= MAX_K or q.offset < 0:
            raise QuestionError(f"k must be between 1 and {MAX_K} and offset at least 0")
    vectors = embedder.embed_queries(texts)
    thresholds = gate.thresholds(vectors)
    found = search_distinct(
        index, vectors, ks=[q.k for q in queries], offsets=[q.offset for q in queries],
        thresholds=thresholds, context=context,
    )
    return [Answer(question=text, hits=hits) for text, hits in zip(texts, found)]


def answer(
    question: str,
    index: LoadedIndex,
    embedder: Embedder,
    *,
    k: int = 5,
    offset: int = 0,
    gate: RelevanceGate,
    context: int = 1,
) -> Answer:
    """Answer one question: the ranked passages that answer it, with sources and context.

    An Answer with no hits means nothing passed the relevance gate.
    """
    return answer_many([Query(question, k, offset)], index, embedder, gate=gate, context=context)[0]
