"""The embedding-backend port: batches of passages in, their vectors out in order; the local backend.

The indexer hands an ``EmbedBackend`` the batches of passages its vector cache lacks and
writes what comes back, in the order it handed them out. ``LocalBackend`` embeds them in
this process; ``retrieval.model.ray_backend.RayBackend`` on the workers of a Ray cluster.
Both pass the same contract test (tests/test_backends.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from retrieval.model.embedder import Embedder


@dataclass(frozen=True)
class WorkerLoad:
    """What one embedding worker did in a run: passages embedded and seconds spent on them."""

    worker: str
    passages: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Passages a second while the worker was embedding (0 before it embedded any)."""
        return self.passages / self.seconds if self.seconds > 0 else 0.0

    def added(self, passages: int, seconds: float) -> WorkerLoad:
        return WorkerLoad(self.worker, self.passages + passages, self.seconds + seconds)


@runtime_checkable
class EmbedBackend(Protocol):
    """Where passages are embedded during an index build.

    Attributes:
        where: a few words for people ("this machine", "Ray at 10.0.0.5:6379").
        in_flight: the most batches handed to workers and not yet given back; the
            backend never pulls more than this from ``batches`` ahead of what it yielded,
            so memory stays bounded however long the build is.
    """

    where: str
    in_flight: int

    def embed_batches(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        """Embed each batch of passages; yield one (len(batch), dimension) float32 array of
        unit rows per batch, in the order of ``batches``. An empty batch gives an empty
        array, in its place (the indexer uses one to mark a segment with nothing to embed).

        Raises:
            EmbeddingError: the backend failed for good (the index is then left as it was).
        """
        ...

    def loads(self) -> list[WorkerLoad]:
        """Each worker's work so far in this run (one entry per worker that embedded)."""
        ...

    def close(self) -> None:
        """Release the workers (idempotent)."""
        ...


class LocalBackend:
    """Embeds in this process with ``embedder``: one batch at a time, one worker."""

    where = "this machine"
    in_flight = 1

    def __init__(self, embedder: Embedder):
        self.embedder = embedder
        self._load = WorkerLoad("local")

    def embed_batches(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        for batch in batches:
            batch = list(batch)
            if not batch:
                yield np.zeros((0, self.embedder.dimension), dtype=np.float32)
                continue
            started = time.perf_counter()
            vectors = self.embedder.embed_passages(batch)
            self._load = self._load.added(len(batch), time.perf_counter() - started)
            yield vectors

    def loads(self) -> list[WorkerLoad]:
        return [self._load] if self._load.passages else []

    def close(self) -> None:
        pass


def rates_line(loads: Sequence[WorkerLoad]) -> str:
    """Each worker's rate in a few words: "2 workers: 31/s, 29/s" (empty for none)."""
    if not loads:
        return ""
    rates = ", ".join(f"{load.rate:,.0f}/s" for load in loads)
    return f"{len(loads)} worker{'s' if len(loads) != 1 else ''}: {rates}"
