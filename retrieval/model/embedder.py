"""The Embedder port: text in, unit float32 vectors out; and a tiny deterministic fake.

The real embedders (``retrieval.model.embedding``: sentence-transformers;
``retrieval.model.fast_embedding``: ONNX Runtime, OpenVINO) and ``FakeEmbedder`` pass the
same contract test (tests/test_ports.py).
"""

from __future__ import annotations

import hashlib
import threading
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from retrieval.text.normalize import normalize_arabic, words


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

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages; returns an (n, dimension) float32 array of unit rows.

        A passage's vector is the one it gets alone, to rounding; on an int8 path, whose
        runs share one activation scale, within the quality gate (``retrieval.model.paths``).
        """
        ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions; returns an (n, dimension) float32 array of unit rows, each
        the vector its question gets alone (to rounding), on every path."""
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

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            self.calls += 1
            self.passages_embedded += len(texts)
        return self._embed(list(texts))

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        with self._lock:
            self.queries_embedded += len(texts)
        return self._embed(list(texts))


