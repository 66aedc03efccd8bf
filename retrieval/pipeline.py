"""Retrieval as a short pipeline of named stages over one candidate type.

    retrievers (dense FAISS, …) -> fusion -> stages (copies, gate, …) -> hits

Each retriever returns scored candidates for every question; a fusion merges the lists
(one list passes through as it is); stages filter and re-rank; the first ``offset + k``
survivors become Hits with their sources and context. When the stages leave fewer than
needed and a retriever could give more, the pipeline asks again, deeper.

A new stage is one module with a class that has ``name`` and ``apply`` (see
``retrieval.ports.Stage``) plus one line in ``default_pipeline``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Sequence

import numpy as np

from retrieval.types import Hit

if TYPE_CHECKING:
    from retrieval.ports import Retriever, Stage
    from retrieval.search import LoadedIndex


@dataclass(frozen=True)
class Request:
    """One question as the stages see it.

    Attributes:
        text: the question, cleaned.
        vector: its embedding (unit float32).
        k: how many hits to return...
        offset: ...after skipping this many (paging).
        threshold: the lowest dense cosine that counts as an answer (the relevance gate).
    """

    text: str
    vector: np.ndarray = field(repr=False)
    k: int = 5
    offset: int = 0
    threshold: float = -math.inf

    @property
    def needed(self) -> int:
        return self.offset + self.k


@dataclass(frozen=True)
class Candidate:
    """A passage proposed for a question.

    Attributes:
        position: the passage's position in ``LoadedIndex.passages``.
        score: what ranks it now (the dense cosine, or a fused score).
        dense: its dense cosine with the question, kept through fusion for the gate.
    """

    position: int
    score: float
    dense: float


@dataclass(frozen=True)
class Found:
    """A retriever's candidates for one question, best first.

    Attributes:
        candidates: what it found.
        more: whether asking deeper could find more that pass the gate.
        weight: how much this retriever trusts itself for this question (0–1).
        score_of: this retriever's score for any passage position (for a fusion that
            needs it for candidates another retriever found), when it can tell.
    """

    candidates: list[Candidate]
    more: bool = False
    weight: float = 1.0
    score_of: Callable[[int], float] | None = field(default=None, repr=False)


Fusion = Callable[["LoadedIndex", Request, list[Found]], list[Candidate]]


def first_list(index: LoadedIndex, request: Request, found: list[Found]) -> list[Candidate]:
    """The fusion for a single retriever: its list as it is."""
    return found[0].candidates


@dataclass(frozen=True)
class Pipeline:
    """Retrievers, a fusion and stages: questions in, Hits out."""

    retrievers: tuple[Retriever, ...]
    stages: tuple[Stage, ...] = ()
    fusion: Fusion = first_list
    first_depth: Callable[[Request], int] = lambda r: 2 * r.needed + 10
    growth: int = 4

    def with_stage(self, stage: Stage, *, before: str | None = None) -> Pipeline:
        """A copy with ``stage`` added last, or before the stage named ``before``."""
        stages = list(self.stages)
        names = [s.name for s in stages]
        stages.insert(names.index(before) if before in names else len(stages), stage)
        return replace(self, stages=tuple(stages))

    def prepare(self, index: LoadedIndex, texts: Sequence[str]) -> None:
        """What the retrievers can do with the questions' text alone (BM25 scoring):
        ``answer`` runs it while the questions are being embedded."""
        for retriever in self.retrievers:
            prepare = getattr(retriever, "prepare", None)
            if prepare is not None:
                prepare(index, texts)

    def run(self, index: LoadedIndex, requests: Sequence[Request], context: int = 1) -> list[tuple[Hit, ...]]:
        """The hits of each request, ranked ``offset+1 …`` with sources and ``context``
        sentences on either side."""
        results: list[list[Candidate]] = [[] for _ in requests]
        pending = list(range(len(requests)))
        depth = max((self.first_depth(requests[i]) for i in pending), default=0)
        while pending:
            batch = [requests[i] for i in pending]
            found = [r.retrieve(index, batch, depth) for r in self.retrievers]
            still = []
            for j, i in enumerate(pending):
                lists = [f[j] for f in found]
                candidates = self.fusion(index, requests[i], lists)
                for stage in self.stages:
                    candidates = stage.apply(index, requests[i], candidates)
                results[i] = candidates
                if len(candidates) < requests[i].needed and any(f.more for f in lists):
                    still.append(i)
            pending = still
            depth *= self.growth
        return [assemble(index, r, c, context) for r, c in zip(requests, results)]


def assemble(index: LoadedIndex, request: Request, candidates: list[Candidate], context: int) -> tuple[Hit, ...]:
    """Hits ranked ``offset+1 .. offset+k`` from the surviving candidates, with sources and context."""
    hits = []
    for rank, candidate in enumerate(candidates[request.offset : request.needed], start=request.offset + 1):
        passage = index.passages[candidate.position]
        before, after = index.context(passage, context)
        hits.append(
            Hit(
                rank=rank,
                score=float(candidate.score),
                passage=passage,
                source=index.source(passage.article_id),
                context_before=before,
                context_after=after,
            )
        )
    return tuple(hits)


def default_pipeline() -> Pipeline:
    """The search newsqa runs: the one place where stages are put together."""
    from retrieval.dense import DenseRetriever  # noqa: PLC0415
    from retrieval.filters import DropCopies, RelevanceFilter  # noqa: PLC0415
    from retrieval.hybrid import LexicalBonus, LexicalRetriever  # noqa: PLC0415

    return Pipeline(
        retrievers=(DenseRetriever(), LexicalRetriever()),
        fusion=LexicalBonus(),
        stages=(RelevanceFilter(), DropCopies()),
    )
