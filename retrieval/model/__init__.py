"""The embedding model: the ``Embedder`` port, the bundled model built offline, and its paths
(PyTorch sentence-transformers, ONNX Runtime, OpenVINO).

Exports ``Embedder``, ``FakeEmbedder`` and ``load_embedder``/``embedder_from_settings``.
"""

from retrieval.model.embedder import Embedder, FakeEmbedder
from retrieval.model.embedding import embedder_from_settings, load_embedder

__all__ = ["Embedder", "FakeEmbedder", "embedder_from_settings", "load_embedder"]
