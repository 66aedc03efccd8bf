"""The engine's ports: the protocols its adapters implement, and tiny fakes for fast tests.

- ``Embedder``: text in, unit float32 vectors out (sentence-transformers; ``FakeEmbedder``).
- ``VectorIndex``: top-k inner-product search over unit vectors (FAISS; ``NumpyIndex``).
- ``Retriever``: a question in, scored candidate passages out (dense FAISS search, …).
- ``Stage``: candidates in, candidates out (fusion, filters, the relevance gate).

One contract test (tests/test_ports.py) runs each protocol against its real and fake
implementations.
"""

from __future__ import annotations

import hashlib
import threading
from typing import TYPE_CHECKING, Protocol, Sequence, runtime_checkable

import numpy as np

from retrieval.normalize import normalize_arabic, words

if TYPE_CHECKING:
    from retrieval.pipeline import Candidate, Found, Request
    from retrieval.search import LoadedIndex


@runtime_checkable
class Embedder(Protocol):
    """What the indexer and the search need from a model.

    Attributes:
        name: the model's name or path, as the user gave it.
        fingerprint: identifies the exact weights; recorded in the index manifest.
        dimension: length of each vector.
    """

    name: str
    fingerprint: str
    dimension: int

    def embed_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        """Embed passages; returns an (n, dimension) float32 array of unit rows."""
        ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions; returns an (n, dimension) float32 array of unit rows."""
        ...


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(vectors / norms, dtype=np.float32)


class FakeEmbedder:
    """A tiny deterministic embedder for fast tests: hashed bag of normalised words.

    Texts that share words get similar vectors, so search behaves sensibly.
    It counts what it embeds (``passages_embedded``, ``calls``) so tests can check
    that unchanged passages are never embedded twice.
    """

    def __init__(self, dimension: int = 64, name: str = "fake-embedder", delay: float = 0.0):
        self.name = name
        self.dimension = dimension
        self.fingerprint = hashlib.sha256(f"{name}:{dimension}".encode()).hexdigest()[:16]
        self.delay = delay
        self.calls = 0
        self.passages_embedded = 0
        self.queries_embedded = 0
        self._lock = threading.Lock()

    def _vector(self, text: str) -> np.ndarray:
        vec = np.zeros(self.dimension, dtype=np.float32)
        tokens = words(normalize_arabic(text)) or [text]
        for token in tokens:
            digest = hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self.dimension
            sign = 1.0 if digest[4] & 1 else -1.0
            vec[bucket] += sign
        vec[0] += 0.5  # every text shares a little, like real models do
        return vec

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if self.delay:
            import time

            time.sleep(self.delay)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return unit_rows(np.stack([self._vector(t) for t in texts]))

    def embed_passages(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        with self._lock:
            self.calls += 1
            self.passages_embedded += len(texts)
        return self._embed(list(texts))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            self.queries_embedded += len(texts)
        return self._embed(list(texts))


@runtime_checkable
class VectorIndex(Protocol):
    """Search a fixed set of unit vectors; rows are numbered from 0 in insertion order."""

    dimension: int

    def __len__(self) -> int: ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` rows for each query: (scores, rows), each (n_queries, k).

        Rows past the end are -1 with score -inf when fewer than ``k`` vectors exist.
        """
        ...

    def take(self, rows: np.ndarray) -> np.ndarray:
        """The vectors of the given rows, (len(rows), dimension)."""
        ...


class NumpyIndex:
    """The same contract in plain NumPy: a reference for tests."""

    def __init__(self, vectors: np.ndarray):
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.dimension = self._vectors.shape[1]

    def __len__(self) -> int:
        return len(self._vectors)

    def take(self, rows: np.ndarray) -> np.ndarray:
        return self._vectors[np.asarray(rows, dtype=np.int64)]

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        queries = np.asarray(queries, dtype=np.float32)
        k = max(1, k)
        n = len(queries)
        scores = np.full((n, k), -np.inf, dtype=np.float32)
        rows = np.full((n, k), -1, dtype=np.int64)
        if len(self):
            sims = queries @ self._vectors.T
            top = min(k, len(self))
            order = np.argsort(-sims, axis=1, kind="stable")[:, :top]
            rows[:, :top] = order
            scores[:, :top] = np.take_along_axis(sims, order, axis=1)
        return scores, rows


@runtime_checkable
class Retriever(Protocol):
    """Finds candidate passages for questions: one candidate generator of the pipeline."""

    name: str

    def retrieve(self, index: LoadedIndex, requests: Sequence[Request], depth: int) -> list[Found]:
        """The best ``depth`` candidates for each request (fewer when there are no more).

        Each candidate carries its ``dense`` cosine with the question, whatever this
        retriever ranks by, so that the relevance gate works after fusion.
        """
        ...


@runtime_checkable
class Stage(Protocol):
    """Turns one question's candidates into others: a filter, a re-ranker, the gate."""

    name: str

    def apply(self, index: LoadedIndex, request: Request, candidates: list[Candidate]) -> list[Candidate]:
        """The candidates to keep, best first."""
        ...
