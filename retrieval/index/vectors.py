"""The VectorIndex port and its exact implementations: FAISS, and NumPy as a reference.

Top-k inner-product search over unit vectors (= cosine). The approximate index for large
archives (``retrieval.index.approximate``) implements the same port.
"""

from __future__ import annotations

import os
from typing import Protocol, runtime_checkable

import faiss
import numpy as np

#: FAISS's threads for searching. One question at a time scans faster on one thread:
#: measured on this project's 2-core machine, a 40,000-vector search takes 2.7 ms on one
#: thread and 25 ms on two (OpenMP's start-up and waiting dominate); a busy machine makes
#: it worse. Training the approximate index uses every core (see ``all_threads``).
SEARCH_THREADS = 1
faiss.omp_set_num_threads(SEARCH_THREADS)


class all_threads:
    """Within it, FAISS uses every core (training and coding large batches)."""

    def __enter__(self):
        faiss.omp_set_num_threads(os.cpu_count() or 1)

    def __exit__(self, *exc):
        faiss.omp_set_num_threads(SEARCH_THREADS)


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

    def take(self, rows: np.ndarray) -> np.ndarray:
        """The given rows (a copy)."""
        return flat_vectors(self._index)[rows]

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


class _Borrowed:
    """Memory of a FAISS index seen as a NumPy array; the array keeps the index alive."""

    def __init__(self, owner, address: int, shape: tuple[int, int]):
        self.owner = owner
        self.__array_interface__ = {
            "data": (address, True), "shape": shape, "typestr": "<f4", "version": 3,
        }


def flat_vectors(index) -> np.ndarray:
    """The vectors stored in a FAISS flat index, as a read-only view (no copy).

    The array holds a reference to ``index``, so the memory stays valid as long as
    the array (or any view of it) lives.
    """
    if not index.ntotal:
        return np.zeros((0, index.d), dtype=np.float32)
    raw = faiss.rev_swig_ptr(index.get_xb(), index.ntotal * index.d)
    view = np.asarray(_Borrowed(index, raw.__array_interface__["data"][0], (index.ntotal, index.d)))
    view.flags.writeable = False
    return view
