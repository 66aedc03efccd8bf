"""The model as a payload for remote workers, and the embedder a worker builds from it.

A Ray worker may run on a machine that has none of this machine's files, so the model
travels through Ray's object store: ``model_payload`` packs what the embedder needs (its
files as zero-copy byte arrays, its options), ``embedder_from_payload`` unpacks it on the
worker into a folder of its own (once per machine, written atomically and reused) and
builds the same kind of embedder, with the same fingerprint, on the worker's cores.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from retrieval.errors import EmbeddingError
from retrieval.model.embedder import Embedder, FakeEmbedder

#: Where workers unpack models: <temp>/newsqa-ray-models/<fingerprint>-<kind>-<digest>/.
MODELS_DIR = "newsqa-ray-models"
_DONE = ".newsqa-complete"


@dataclass(frozen=True)
class ModelPayload:
    """Everything a worker needs to embed as this machine's embedder does.

    Attributes:
        kind: "onnx" (ONNX Runtime / OpenVINO), "torch" (sentence-transformers) or "fake".
        name, fingerprint, dimension: the embedder's own.
        files: relative path → the file's bytes (uint8 arrays: Ray ships them zero-copy).
        options: the embedder's settings (passage runtime, batch size, …).
    """

    kind: str
    name: str
    fingerprint: str
    dimension: int
    files: dict[str, np.ndarray] = field(default_factory=dict)
    options: dict = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Bytes of model files shipped."""
        return sum(a.nbytes for a in self.files.values())

    def digest(self) -> str:
        """12 hex digits naming the files (paths and sizes) and options."""
        listing = sorted((p, a.nbytes) for p, a in self.files.items())
        blob = json.dumps([self.kind, self.fingerprint, listing, self.options], sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


def _file(path: Path) -> np.ndarray:
    """A file's bytes, mapped rather than read (Ray copies them into its object store)."""
    if path.stat().st_size == 0:
        return np.zeros(0, dtype=np.uint8)
    return np.memmap(path, dtype=np.uint8, mode="r")


def model_payload(embedder: Embedder) -> ModelPayload:
    """Pack ``embedder`` for remote workers.

    Raises:
        EmbeddingError: this kind of embedder cannot be shipped (its files are not known).
    """
    from retrieval.model.embedding import SentenceTransformerEmbedder  # noqa: PLC0415
    from retrieval.model.fast_embedding import OnnxEmbedder  # noqa: PLC0415
    from retrieval.model.onnx_export import CONFIG_FILE, EMBEDDINGS_FILE  # noqa: PLC0415

    base = dict(name=embedder.name, fingerprint=embedder.fingerprint, dimension=embedder.dimension)
    if isinstance(embedder, FakeEmbedder):
        return ModelPayload("fake", **base, options={"delay": embedder.delay})
    if isinstance(embedder, OnnxEmbedder):
        # The lazy tokenizer's files are left behind: a worker embeds thousands of passages
        # and uses the whole tokenizer.
        graph = embedder.graph_file(embedder.path).name  # the one graph its passage path runs
        wanted = {CONFIG_FILE, "tokenizer.json", graph, EMBEDDINGS_FILE}
        files = {name: _file(embedder.folder / name) for name in sorted(wanted)}
        options = {"passages": embedder.path, "batch_size": embedder.batch_size}
        return ModelPayload("onnx", **base, files=files, options=options)
    if isinstance(embedder, SentenceTransformerEmbedder) and Path(embedder.source).is_dir():
        folder = Path(embedder.source)
        files = {
            path.relative_to(folder).as_posix(): _file(path)
            for path in sorted(folder.rglob("*"))
            if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts)
        }
        options = {"batch_size": embedder.batch_size, "bfloat16": embedder.bfloat16}
        return ModelPayload("torch", **base, files=files, options=options)
    raise EmbeddingError(
        f"the model {embedder.name!r} cannot be sent to Ray workers: only the bundled model, "
        "a local model folder and the fast ONNX path can (NEWSQA_MODEL names a folder)"
    )


def unpack(payload: ModelPayload, root: Path | None = None) -> Path:
    """The payload's files in a folder of this machine, written once and reused.

    The folder is filled under a temporary name and renamed into place, so a worker that
    dies while writing leaves nothing another worker would take for a whole model.
    """
    root = Path(root or Path(tempfile.gettempdir()) / MODELS_DIR)
    folder = root / f"{payload.fingerprint}-{payload.kind}-{payload.digest()}"
    if (folder / _DONE).exists():
        return folder
    root.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=".partial-", dir=root))
    try:
        for name, data in payload.files.items():
            target = partial / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "wb") as out:
                out.write(memoryview(np.ascontiguousarray(data)).cast("B"))
        (partial / _DONE).write_text(payload.fingerprint, encoding="utf-8")
        try:
            os.rename(partial, folder)
        except OSError:  # another worker on this machine finished first
            if not (folder / _DONE).exists():
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    return folder


def embedder_from_payload(payload: ModelPayload, *, threads: int | None = None,
                          root: Path | None = None) -> Embedder:
    """The embedder ``payload`` describes, built on this machine with ``threads`` threads."""
    if payload.kind == "fake":
        fake = FakeEmbedder(payload.dimension, payload.name, delay=payload.options.get("delay", 0.0))
        fake.fingerprint = payload.fingerprint
        return fake
    folder = unpack(payload, root)
    if payload.kind == "onnx":
        from retrieval.model.fast_embedding import OnnxEmbedder  # noqa: PLC0415

        return OnnxEmbedder(
            payload.name, payload.fingerprint, folder, threads=threads,
            # A worker embeds passages only, by the path the driver's index records.
            passages=payload.options["passages"], questions=payload.options["passages"],
            batch_size=payload.options["batch_size"],
        )
    if payload.kind == "torch":
        import torch  # noqa: PLC0415

        from retrieval.model.embedding import SentenceTransformerEmbedder  # noqa: PLC0415

        if threads:
            torch.set_num_threads(threads)
        return SentenceTransformerEmbedder(
            payload.name, folder, payload.fingerprint,
            batch_size=payload.options["batch_size"], bfloat16=payload.options["bfloat16"],
        )
    raise EmbeddingError(f"unknown model payload kind {payload.kind!r}")
