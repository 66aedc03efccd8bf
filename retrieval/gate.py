"""The relevance gate: which cosine counts as an answer, per question."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.background import BACKGROUND_SENTENCES
from retrieval.ports import Embedder


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
