"""Stages that drop candidates: below the relevance gate, and copies of a better passage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from retrieval.pipeline import Candidate, Request

if TYPE_CHECKING:
    from retrieval.search import LoadedIndex


class RelevanceFilter:
    """Keeps candidates whose dense cosine reaches the question's gate threshold.

    The threshold comes from ``retrieval.gate.RelevanceGate`` (the best score of unrelated
    background sentences plus a margin); it is compared with the dense cosine even when
    another score ranks the candidates.
    """

    name = "gate"

    def apply(self, index: LoadedIndex, request: Request, candidates: list[Candidate]) -> list[Candidate]:
        return [c for c in candidates if c.dense >= request.threshold]


class DropCopies:
    """Keeps the best of passages with the same normalised text (wire copies, reprints)."""

    name = "copies"

    def apply(self, index: LoadedIndex, request: Request, candidates: list[Candidate]) -> list[Candidate]:
        seen: set[int] = set()
        kept = []
        for candidate in candidates:
            key = int(index.copy_keys[candidate.position])
            if key not in seen:
                seen.add(key)
                kept.append(candidate)
        return kept
