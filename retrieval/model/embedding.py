"""Loading the model the settings name (bundled, a local folder, a cached hub id) by the
embedding path they name; and the PyTorch sentence-transformers embedder."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from retrieval.errors import ModelError
from retrieval.model.bundle import build_bundled_model, bundled_model_fingerprint
from retrieval.model.embedder import Embedder, unit_rows
from retrieval.model.paths import PATHS, SETTINGS, legacy_path, refusal
from retrieval.settings import BUNDLED_MODEL

log = logging.getLogger(__name__)


#: Files whose content identifies a local model cheaply (weights are identified by size).
_CONFIG_SUFFIXES = (".json", ".txt", ".model", ".py", ".yaml", ".yml")
_WEIGHT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth", ".onnx", ".msgpack", ".h5", ".gguf")
_MODEL_HINT = (
    "Set NEWSQA_MODEL to a local sentence-transformers folder, or unset it to use the "
    f"bundled {BUNDLED_MODEL}."
)


class SentenceTransformerEmbedder:
    """A sentence-transformers model behind the Embedder protocol.

    The model is loaded in the constructor, offline. Vectors are float32 and unit length.
    If the model defines ``query``/``passage`` prompts (E5 does: ``"query: "`` and
    ``"passage: "``) they are applied; otherwise texts are embedded as they are.
    Calls may come from several threads: a lock guards the model, and long passage
    lists release it between batches so that questions are not kept waiting.

    Args:
        name: the model's name or path, as the user gave it.
        source: the folder (or hub id) to load.
        fingerprint: identifies the exact weights.
        batch_size: passages per forward pass.
        bfloat16: run the matrix products in bfloat16 (``torch.autocast``). Off by
            default: about twice as fast on CPUs with AVX512-BF16 or AMX, and vectors stay
            within cosine 0.9999 of float32, but it is slower on CPUs without them.

    Attributes:
        name: the model's name or path, as the user gave it.
        fingerprint: identifies the exact weights; recorded in the index manifest.
        dimension: length of each vector (384 for multilingual-e5-small).
        source: the folder (or hub id) the model was loaded from.
    """

    def __init__(
        self,
        name: str,
        source: str | Path,
        fingerprint: str,
        *,
        batch_size: int = 64,
        bfloat16: bool = False,
    ):
        self.name = name
        self.source = str(source)
        self.fingerprint = fingerprint
        self.batch_size = batch_size
        self.bfloat16 = bfloat16
        self.path = "torch/bfloat16" if bfloat16 else "torch/float32"  # recorded in the manifest
        self._lock = threading.Lock()
        self._model = _load_sentence_transformer(name, self.source)
        dimension = _embedding_dimension(self._model)
        if not dimension:
            raise ModelError(f"model {name!r} does not say how long its vectors are")
        self.dimension = int(dimension)
        prompts = getattr(self._model, "prompts", None) or {}
        self.query_prompt = "query" if prompts.get("query") else None
        self.passage_prompt = next((p for p in ("passage", "document") if prompts.get(p)), None)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages in batches, longest first (less padding), in the given order.

        Returns:
            An (n, dimension) float32 array of unit rows, row i for texts[i].
        """
        texts = list(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        # Sorting the whole list (not only within one encode call) keeps each batch's
        # lengths close, and lets the lock be released between batches.
        order = np.argsort([-len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), self.batch_size):
            rows = order[start : start + self.batch_size]
            batch = [texts[i] for i in rows]
            out[rows] = self._encode(batch, self.passage_prompt, self.batch_size)
        return out

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions, all in one batch (the bot batches concurrent questions).

        Returns:
            An (n, dimension) float32 array of unit rows, row i for texts[i].
        """
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        return self._encode(texts, self.query_prompt, len(texts))

    def _encode(self, texts: list[str], prompt_name: str | None, batch_size: int) -> np.ndarray:
        import torch

        with self._lock, torch.inference_mode():
            autocast = torch.autocast(
                self._model.device.type, dtype=torch.bfloat16, enabled=self.bfloat16
            )
            with autocast:
                vectors = self._model.encode(
                    texts,
                    prompt_name=prompt_name,
                    batch_size=batch_size,
                    show_progress_bar=False,
                    normalize_embeddings=True,
                    convert_to_numpy=True,
                )
        vectors = np.asarray(vectors, dtype=np.float32)
        return unit_rows(vectors) if self.bfloat16 else np.ascontiguousarray(vectors)

    def __repr__(self) -> str:
        return (
            f"SentenceTransformerEmbedder(name={self.name!r}, fingerprint={self.fingerprint!r}, "
            f"dimension={self.dimension})"
        )


def embedder_from_settings(settings) -> Embedder:
    """The model a Settings object names, by the embedding path it names, with its threads."""
    return load_embedder(
        settings.model, settings.cache_dir, embedding=settings.embedding, threads=settings.threads,
        seeds=settings.seeds,
    )


#: What NEWSQA_EMBEDDING may name (``retrieval.model.paths``). "auto": the paths measured
#: fastest on this machine when the model exports to ONNX, else PyTorch.
EMBEDDING_PATHS = SETTINGS


def load_embedder(
    model: str,
    cache_dir: Path,
    *,
    embedding: str = "auto",
    threads: int = 0,
    progress: bool = True,
    bfloat16: bool = False,
    seeds: Path | None = None,
) -> Embedder:
    """Load the embedding model named by the settings, offline.

    Args:
        model: ``"multilingual-e5-small"`` (settings.BUNDLED_MODEL) for the bundled model,
            built once into the cache; otherwise a local sentence-transformers folder, or a
            hub id already in the local Hugging Face cache.
        cache_dir: the newsqa cache directory (Settings.cache_dir).
        embedding: one of EMBEDDING_PATHS; the fast paths export the model to ONNX once,
            and "auto" times them on this machine once (``retrieval.model.calibration``).
        threads: the runtime's threads (0: one per core).
        progress: print what happens while the bundled model is built and calibrated.
        bfloat16: with the torch path, compute in bfloat16; default off.
        seeds: the seeds folder, whose sentences the calibration times paths on.

    Raises:
        ModelError: the model cannot be built or loaded; the message says why.
    """
    model = model.strip()
    if not model:
        raise ModelError(f"no model named. {_MODEL_HINT}")
    if embedding not in EMBEDDING_PATHS:
        raise ModelError(f"unknown embedding path {embedding!r}: one of {', '.join(EMBEDDING_PATHS)}")
    if model == BUNDLED_MODEL:
        folder, fingerprint = build_bundled_model(cache_dir, progress=progress), bundled_model_fingerprint()
    elif Path(model).expanduser().is_dir():
        folder = Path(model).expanduser()
        fingerprint = local_model_fingerprint(folder)
    else:
        folder = fingerprint = None
    if folder is not None and embedding != "torch":
        fast = _fast_embedder(model, folder, fingerprint, cache_dir, embedding, threads, seeds, progress)
        if fast is not None:
            return fast
    if threads:
        import torch  # noqa: PLC0415

        torch.set_num_threads(threads)
    if folder is not None:
        return SentenceTransformerEmbedder(model, folder, fingerprint, bfloat16=bfloat16)
    local = Path(model).expanduser()
    if local.exists():
        raise ModelError(f"model {model!r} could not be loaded: not a folder. {_MODEL_HINT}")
    if model.startswith((".", "/", "~")) or model.count("/") > 1:
        raise ModelError(f"model {model!r} could not be loaded: no such folder. {_MODEL_HINT}")
    fingerprint = hub_model_fingerprint(model)
    return SentenceTransformerEmbedder(model, model, fingerprint, bfloat16=bfloat16)


def _fast_embedder(model, folder, fingerprint, cache_dir, embedding, threads, seeds, progress) -> Embedder | None:
    """The ONNX embedder for a local model folder; None (torch then) when "auto" cannot have it."""
    from retrieval.model.fast_embedding import OnnxEmbedder  # noqa: PLC0415
    from retrieval.model.onnx_export import fast_model_folder  # noqa: PLC0415

    try:
        exported = fast_model_folder(Path(folder), Path(cache_dir), fingerprint)
        passages, questions, batch = _chosen_paths(exported, model, fingerprint, embedding, threads, seeds, progress)
        return OnnxEmbedder(model, fingerprint, exported, passages=passages, questions=questions,
                            threads=threads or None, batch_size=batch)
    except (ModelError, ImportError, OSError) as exc:
        if embedding != "auto":
            raise ModelError(f"model {model!r} cannot use the {embedding} path: {exc}") from exc
        log.warning("fast embedding unavailable (%s); using PyTorch", exc)
        return None


def _chosen_paths(exported, model, fingerprint, embedding, threads, seeds, progress) -> tuple[str, str, int]:
    """(passage path, question path, passage batch) for the setting on this machine."""
    from retrieval.model.calibration import (  # noqa: PLC0415
        calibrate_folder,
        cpu_flags,
        read_calibration,
    )

    flags = cpu_flags()
    if embedding in PATHS:
        refused = refusal(embedding, flags)
        if refused:
            raise ModelError(refused)
        return embedding, embedding, 16
    if embedding != "auto":  # the older names
        return legacy_path(embedding, flags), "onnxruntime-q4", 16
    record = read_calibration(exported, threads)
    if record is None:
        try:
            record = calibrate_folder(exported, model, fingerprint, threads=threads,
                                                  seeds=seeds, progress=progress)
        except Exception as exc:  # noqa: BLE001 - a failed timing must not stop the program
            log.warning("the embedding paths could not be timed (%s); using openvino-f32 and onnxruntime-q4", exc)
            return legacy_path("openvino", flags), "onnxruntime-q4", 16
    return record.passages.path, record.questions.path, record.passages.batch_size


def local_model_fingerprint(folder: Path) -> str:
    """16 hex digits for a local model folder: config contents, weight names and sizes.

    Cheap: weight files are not read, only their sizes; small config and tokenizer files
    are hashed. Hidden files and folders (``.git``, ``.cache``) are ignored.
    """
    digest = hashlib.sha256(b"local-model\n")
    for path in sorted(Path(folder).rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        name = relative.as_posix()
        if path.name.endswith(_WEIGHT_SUFFIXES):
            digest.update(f"{name}\0{path.stat().st_size}\n".encode())
        elif path.name.endswith(_CONFIG_SUFFIXES):
            digest.update(f"{name}\0{hashlib.sha256(path.read_bytes()).hexdigest()}\n".encode())
    return digest.hexdigest()[:16]


def hub_model_fingerprint(model_id: str) -> str:
    """16 hex digits for a hub id: the id plus the cached snapshot's commit, if known."""
    commit = ""
    try:
        from huggingface_hub import snapshot_download

        commit = Path(snapshot_download(model_id, local_files_only=True)).name
    except Exception:  # noqa: BLE001 - no cached snapshot: the id alone identifies it
        pass
    return hashlib.sha256(f"hub-model\n{model_id}@{commit}".encode()).hexdigest()[:16]


def _load_sentence_transformer(name: str, source: str):
    # The hub is never reached: newsqa runs where there is no network. These must be set
    # before huggingface_hub is first imported; local_files_only covers the case where it
    # already was.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelError(
            f"model {name!r} could not be loaded: sentence-transformers is not installed "
            f"({exc}). Run: pip install sentence-transformers"
        ) from exc
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # "Loading weights" bars say nothing useful here
    except ImportError:
        pass
    try:
        model = SentenceTransformer(source, local_files_only=True)
        model.eval()
        return model
    except Exception as exc:  # noqa: BLE001 - any failure here means "cannot load"
        cause = str(exc).strip().splitlines()[0].rstrip(".") if str(exc).strip() else ""
        cause = cause or type(exc).__name__
        if not Path(source).exists():
            cause = (
                "it is not a local folder, and not in the local Hugging Face cache "
                f"(newsqa never downloads models) [{cause}]"
            )
        raise ModelError(f"model {name!r} could not be loaded: {cause}. {_MODEL_HINT}") from exc


def _embedding_dimension(model) -> int | None:
    for attr in ("get_embedding_dimension", "get_sentence_embedding_dimension"):
        method = getattr(model, attr, None)
        if method is not None:
            return method()
    return None

