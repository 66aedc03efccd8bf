"""The embedding model: the ``Embedder`` port, the bundled model built offline, and its paths
(PyTorch sentence-transformers, ONNX Runtime, OpenVINO), and where a build embeds (this
machine, or the workers of a Ray cluster: ``retrieval.model.ray_backend``, an extra).

Exports ``Embedder``, ``FakeEmbedder``, ``load_embedder``/``embedder_from_settings`` and the
``EmbedBackend`` port with its ``LocalBackend``.
"""

from retrieval.model.backends import EmbedBackend, LocalBackend, WorkerLoad
from retrieval.model.embedder import Embedder, FakeEmbedder
from retrieval.model.embedding import embedder_from_settings, load_embedder

__all__ = [
    "EmbedBackend", "Embedder", "FakeEmbedder", "LocalBackend", "WorkerLoad",
    "embedder_from_settings", "load_embedder",
]
