"""Answering: the one function every front end calls, over a loaded index."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Sequence

from retrieval.errors import QuestionError
from retrieval.gate import RelevanceGate
from retrieval.normalize import has_words, strip_invisible
from retrieval.pipeline import Pipeline, Request, default_pipeline
from retrieval.ports import Embedder
from retrieval.search import LoadedIndex
from retrieval.speakers import parse_speaker_question
from retrieval.types import Answer, PersonAnswer
from retrieval.whosaid import find_statements

__all__ = ["DEFAULT_K", "MAX_K", "MAX_QUESTION_CHARS", "MAX_STATEMENTS", "Query", "RelevanceGate", "answer", "answer_many",
           "clean_question", "validate_query"]

#: Longest question accepted (characters); front ends cut longer messages first.
MAX_QUESTION_CHARS = 1000
#: Most results one question may ask for.
MAX_K = 50
#: Results a search gives when no number is asked for.
DEFAULT_K = 5
#: Most statements one «who said what» answer may list at once.
MAX_STATEMENTS = 100_000


@dataclass(frozen=True)
class Query:
    """A question to answer: ``k`` hits starting after the first ``offset``.

    ``k=None`` asks for the usual amount: DEFAULT_K search results, or every statement
    of the person a «who said what» question names.
    """

    question: str
    k: int | None = DEFAULT_K
    offset: int = 0


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


def validate_query(query: Query, max_k: int = MAX_K) -> Query:
    """``query`` with its question cleaned (see ``clean_question``) and k, offset checked.

    Raises:
        QuestionError: the question cannot be asked, or k/offset are out of range.
    """
    text = clean_question(query.question)
    if (query.k is not None and not 1 <= query.k <= max_k) or query.offset < 0:
        raise QuestionError(f"k must be between 1 and {max_k} and offset at least 0")
    return Query(text, query.k, query.offset)


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
    statements (``retrieval.whosaid``); when nobody quoted matches the name, it gets the
    normal search's answer, with ``Answer.person`` saying so.

    Args:
        queries: the questions.
        index: the loaded index.
        embedder: the model the index was built with.
        gate: which scores count as answers.
        pipeline: the retrieval stages (``default_pipeline()`` when None).
        context: how many sentences before and after each hit to include.

    Returns:
        One Answer per query, in order.

    Raises:
        QuestionError: a question is empty, too long or has no words, or k/offset are
            out of range.
    """
    queries = [validate_query(q, MAX_STATEMENTS) for q in queries]
    answers: list[Answer | None] = [None] * len(queries)
    searches: list[tuple[int, Query, PersonAnswer | None]] = []
    for i, query in enumerate(queries):
        asked = parse_speaker_question(query.question)
        if asked is None:
            searches.append((i, validate_query(query), None))
            continue
        found = find_statements(
            asked, index, embed_query=lambda t: embedder.embed_queries([t])[0], context=context
        )
        if found.person.found:
            stop = None if query.k is None else query.offset + query.k
            answers[i] = Answer(query.question, found.hits[query.offset : stop], found.person)
        else:
            k = DEFAULT_K if query.k is None else min(query.k, MAX_K)
            searches.append((i, Query(query.question, k, query.offset), found.person))
    for (i, _, person), result in zip(searches, _search([q for _, q, _ in searches], index, embedder, gate, pipeline, context)):
        answers[i] = replace(result, person=person)
    return answers


def _search(
    queries: list[Query], index: LoadedIndex, embedder: Embedder, gate: RelevanceGate,
    pipeline: Pipeline | None, context: int,
) -> list[Answer]:
    """The normal search: one model call for all the questions, then the pipeline."""
    if not queries:
        return []
    pipeline = pipeline or default_pipeline()
    texts = [q.question for q in queries]
    if len(index.passages) >= PREPARE_BESIDE:  # BM25 on the other core, while embedding
        prepared = _helper().submit(pipeline.prepare, index, texts)
        vectors = embedder.embed_queries(texts)
        prepared.result()
    else:
        vectors = embedder.embed_queries(texts)
    thresholds = gate.thresholds(vectors)
    requests = [
        Request(q.question, vectors[i], q.k or DEFAULT_K, q.offset, float(thresholds[i]))
        for i, q in enumerate(queries)
    ]
    found = pipeline.run(index, requests, context)
    return [Answer(question=q.question, hits=hits) for q, hits in zip(queries, found)]


#: From this many passages on, a question's BM25 scores (2-4 ms at a million) are
#: computed on another thread while it is embedded; below, scoring takes well under a
#: millisecond and is done in turn (a thread would have nothing to hide).
PREPARE_BESIDE = 200_000
_HELPER: ThreadPoolExecutor | None = None
_HELPER_LOCK = threading.Lock()


def _helper() -> ThreadPoolExecutor:
    """The thread that runs a search's text-only work while its questions are embedded."""
    global _HELPER
    with _HELPER_LOCK:
        if _HELPER is None:
            _HELPER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsqa-prepare")
        return _HELPER


def answer(
    question: str,
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
