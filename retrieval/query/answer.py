"""Answering over a loaded index: questions understood and checked, then the pipeline."""

from __future__ import annotations

from typing import Sequence

from retrieval.index.loaded import LoadedIndex
from retrieval.model.embedder import Embedder
from retrieval.query.gate import RelevanceGate
from retrieval.query.pipeline import Pipeline, default_pipeline
from retrieval.query.types import DEFAULT_K, Query, Question
from retrieval.query.understanding import checked
from retrieval.types import Answer


def answer_many(
    queries: Sequence[Query],
    index: LoadedIndex,
    embedder: Embedder,
    *,
    gate: RelevanceGate,
    pipeline: Pipeline | None = None,
    context: int = 1,
) -> list[Answer]:
    """Answer several questions with one model call and one search (the bot batches).

    A «who said what» question («ماذا قال شي؟», "What did Xi say?") gets the person's
    statements; when nobody quoted matches the name, it gets the normal search's
    answer, with ``Answer.person`` saying so.

    Args:
        queries: the questions (``Question`` or raw text, understood here).
        index: the loaded index.
        embedder: the model the index was built with.
        gate: which scores count as answers.
        pipeline: the retrieval stages (``default_pipeline()`` when None).
        context: how many sentences before and after each hit to include.

    Returns:
        One Answer per query, in order.

    Raises:
        QuestionError: a question is empty, too long or has no words, or k/offset are
            out of range (checked for all before any is answered).
    """
    checked_queries = [checked(q) for q in queries]
    return (pipeline or default_pipeline()).answer(index, embedder, gate, checked_queries, context)


def answer(
    question: Question | str,
    index: LoadedIndex,
    embedder: Embedder,
    *,
    k: int | None = DEFAULT_K,
    offset: int = 0,
    gate: RelevanceGate,
    pipeline: Pipeline | None = None,
    context: int = 1,
) -> Answer:
    """Answer one question: the ranked passages that answer it, with sources and context.

    An Answer with no hits means nothing passed the relevance gate.
    """
    return answer_many(
        [Query(question, k, offset)], index, embedder, gate=gate, pipeline=pipeline, context=context
    )[0]
