"""The lexical retriever: candidates by BM25 over the index's term postings.

Its scores are added to the dense cosine as a bonus (``retrieval.query.fusion``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from retrieval.index.loaded import LoadedIndex
from retrieval.query.types import Candidate, Found, Request
from retrieval.text.terms import terms

#: The lexical side proposes at least this many candidates.
LEXICAL_DEPTH = 50
#: ``prepare`` scores at most this many questions of a batch (a score array each, as long
#: as the index: 4 MB at a million passages); the rest are scored when retrieved.
REMEMBERED = 8


class LexicalRetriever:
    """Candidates by BM25 over normalised, lightly stemmed terms of «title: sentence».

    Each candidate's ``score`` is its BM25 score divided by the question's best (0–1],
    and its ``dense`` cosine is computed from its vector, for the gate and the fusion.

    Scoring needs only the question's text: ``prepare`` does it while the question is
    being embedded (on another core), and ``retrieve`` takes the result.
    """

    name = "lexical"

    def __init__(self) -> None:
        self._ranked: OrderedDict[tuple[int, str], _Ranked] = OrderedDict()
        self._lock = threading.Lock()

    def prepare(self, index: LoadedIndex, texts: Sequence[str]) -> None:
        """Score ``texts`` now (the first ``REMEMBERED``); ``retrieve`` takes the results."""
        if index.lexical is None:
            return
        for text in texts[:REMEMBERED]:
            ranked = self._rank(index, text)
            with self._lock:
                self._ranked[(id(index.lexical), text)] = ranked
                while len(self._ranked) > REMEMBERED:
                    self._ranked.popitem(last=False)

    def retrieve(self, index: LoadedIndex, requests: Sequence[Request], depth: int) -> list[Found]:
        return [self._one(index, request, max(depth, LEXICAL_DEPTH)) for request in requests]

    def _rank(self, index: LoadedIndex, text: str) -> _Ranked:
        query_terms = terms(text, query=True)
        scores = index.lexical.scores(query_terms)
        best = float(scores.max()) if len(scores) else 0.0
        top = _best(scores, LEXICAL_DEPTH) if best > 0 else np.zeros(0, np.int64)
        return _Ranked(index.lexical, scores, best, index.lexical.weight(query_terms), top)

    def _one(self, index: LoadedIndex, request: Request, depth: int) -> Found:
        if index.lexical is None or request.lists_statements:
            return Found([], weight=0.0)
        with self._lock:  # taken, not kept: a score array is as long as the index
            ranked = self._ranked.pop((id(index.lexical), request.text), None)
        if ranked is None or ranked.lexical is not index.lexical:
            ranked = self._rank(index, request.text)
        scores, best = ranked.scores, ranked.best
        if best <= 0:
            return Found([], weight=0.0)
        deeper = depth > LEXICAL_DEPTH and len(ranked.top) == LEXICAL_DEPTH  # more may match
        top = _best(scores, depth) if deeper else ranked.top
        dense = index.vectors_at(top) @ request.vector
        candidates = [Candidate(int(p), float(scores[p]) / best, float(d)) for p, d in zip(top, dense)]
        # Deeper lexical candidates only add a small bonus: the dense side decides when
        # the pipeline must look deeper.
        return Found(candidates, more=False, weight=ranked.weight, score_of=lambda p: float(scores[p]) / best)


@dataclass(frozen=True)
class _Ranked:
    """One question's BM25 scores over the index, and its best ``LEXICAL_DEPTH`` positions."""

    lexical: object  # the BM25 they were computed on (a new generation has another)
    scores: np.ndarray
    best: float
    weight: float
    top: np.ndarray


def _best(scores: np.ndarray, depth: int) -> np.ndarray:
    """The positions of the ``depth`` best positive scores, best first (ties: lower position).

    Only the passages that hold a question term are ranked: at a million passages that
    is a small share, and selecting among them is much cheaper than among all.
    """
    hits = np.flatnonzero(scores > 0)
    if len(hits) > depth:
        hits = np.sort(hits[np.argpartition(-scores[hits], depth - 1)[:depth]])
    return hits[np.argsort(-scores[hits], kind="stable")]


