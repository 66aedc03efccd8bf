"""Vector indexes: exact inner-product search over unit vectors (= cosine)."""

from __future__ import annotations

from typing import Protocol

import faiss
import numpy as np


class VectorIndex(Protocol):
    """Search a fixed set of unit vectors; rows are numbered from 0 in insertion order."""

    dimension: int

    def __len__(self) -> int: ...

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top ``k`` rows for each query: (scores, rows), each (n_queries, k).

        Rows past the end are -1 with score -inf when fewer than ``k`` vectors exist.
        """
        ...


class FaissIndex:
    """Exact search with FAISS ``IndexFlatIP``."""

    def __init__(self, vectors: np.ndarray):
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.dimension = vectors.shape[1]
        self._index = faiss.IndexFlatIP(self.dimension)
        if len(vectors):
            self._index.add(vectors)

    @classmethod
    def empty(cls, dimension: int) -> FaissIndex:
        """An index with no rows yet; ``add`` blocks of rows to it."""
        return cls(np.zeros((0, dimension), dtype=np.float32))

    def add(self, block: np.ndarray) -> None:
        """Append rows (copied into the index)."""
        if len(block):
            self._index.add(np.ascontiguousarray(block, dtype=np.float32))

    def rows(self, start: int, stop: int) -> np.ndarray:
        """Rows ``start:stop`` as a read-only view into the index (valid while it lives)."""
        return flat_vectors(self._index)[start:stop]

    def __len__(self) -> int:
        return self._index.ntotal

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        k = max(1, k)
        if not len(self):
            n = len(queries)
            return np.full((n, k), -np.inf, dtype=np.float32), np.full((n, k), -1, dtype=np.int64)
        scores, rows = self._index.search(queries, k)
        scores = np.where(rows < 0, -np.inf, scores).astype(np.float32)
        return scores, rows.astype(np.int64)


class NumpyIndex:
    """The same contract in plain NumPy: a reference for tests."""

    def __init__(self, vectors: np.ndarray):
        self._vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.dimension = self._vectors.shape[1]

    def __len__(self) -> int:
        return len(self._vectors)

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


def flat_vectors(index) -> np.ndarray:
    """The vectors stored in a FAISS flat index, as a read-only view (no copy).

    The view is valid only while ``index`` is alive: keep a reference to it.
    """
    if not index.ntotal:
        return np.zeros((0, index.d), dtype=np.float32)
    view = faiss.rev_swig_ptr(index.get_xb(), index.ntotal * index.d)
    view = view.reshape(index.ntotal, index.d)
    view.flags.writeable = False
    return view
