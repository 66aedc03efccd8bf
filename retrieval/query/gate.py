"""The relevance gate: which cosine counts as an answer, per question."""

from __future__ import annotations

import hashlib
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.index.files import write_atomic
from retrieval.model.embedder import Embedder
from retrieval.query.background import BACKGROUND_SENTENCES

log = logging.getLogger(__name__)


def background_vectors(embedder: Embedder, cache: Path | None = None) -> np.ndarray:
    """The background sentences embedded as passages: from ``cache`` when there, else
    embedded now (and kept there; a cache that cannot be written is only logged)."""
    digest = hashlib.sha256("\n".join(BACKGROUND_SENTENCES).encode()).hexdigest()[:12]
    path = Path(cache) / f"background-{embedder.fingerprint}-{digest}.npy" if cache else None
    if path is not None and path.is_file():
        try:
            vectors = np.load(path, allow_pickle=False)
            if vectors.shape == (len(BACKGROUND_SENTENCES), embedder.dimension):
                return vectors.astype(np.float32)
        except (OSError, ValueError) as exc:
            log.debug("background cache %s unreadable (%s); embedding again", path, exc)
    vectors = embedder.embed_passages(list(BACKGROUND_SENTENCES))
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            buffer = io.BytesIO()
            np.save(buffer, vectors, allow_pickle=False)
            write_atomic(path, buffer.getvalue())
        except OSError as exc:
            log.debug("cannot keep the background vectors in %s: %s", path, exc)
    return vectors


@dataclass(frozen=True)
class RelevanceGate:
    """Decides which scores count as answers, per question.

    A passage must score at least ``min_score`` and, when background vectors are
    given, beat the question's best score against unrelated everyday sentences by
    ``margin`` (see ``retrieval.query.background``): a threshold that adapts to each
    question, since cosine levels differ from one question to another.
    """

    min_score: float = 0.0
    margin: float = 0.0
    background: np.ndarray | None = None

    @classmethod
    def for_embedder(
        cls, embedder: Embedder, *, min_score: float, margin: float | None, cache: Path | None = None
    ):
        """A gate for ``embedder``; ``margin=None`` uses ``min_score`` alone.

        The background sentences' vectors are kept in ``cache`` (a folder), under the
        model's fingerprint, so that a start does not embed them again.
        """
        if margin is None:
            return cls(min_score=min_score)
        return cls(min_score=min_score, margin=margin, background=background_vectors(embedder, cache))

    def thresholds(self, query_vectors: np.ndarray) -> np.ndarray:
        """The lowest score that counts as an answer, for each query vector."""
        floor = np.full(len(query_vectors), self.min_score, dtype=np.float32)
        if self.background is None or not len(self.background):
            return floor
        best = (query_vectors @ self.background.T).max(axis=1) + self.margin
        return np.maximum(floor, best)

    def baselines(self, query_vectors: np.ndarray) -> np.ndarray:
        """What the best everyday sentence scores against each vector (0 without background
        sentences): a topic's own level, which a statement about it must beat."""
        if self.background is None or not len(self.background) or not len(query_vectors):
            return np.zeros(len(query_vectors), dtype=np.float32)
        return (query_vectors @ self.background.T).max(axis=1)
