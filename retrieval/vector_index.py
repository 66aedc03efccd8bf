"""The FAISS vector index: exact inner-product search over unit vectors (= cosine)."""

from __future__ import annotations

import os

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
