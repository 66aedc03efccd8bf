"""The approximate index's files: the quantiser, segments' IVF codes and mapped vectors.

Each segment's exact vectors are mapped from its vector file (see ``retrieval.ann``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from retrieval.errors import IndexCorruptError
from retrieval.fsutil import write_atomic
from retrieval.store import ANN, AnnEntry, SegmentEntry, codes_path, segment_paths


def _quantizer_path(folder: Path, quantizer: str) -> Path:
    return Path(folder) / ANN / f"{quantizer}.faiss"


def write_quantizer(folder: Path, quantizer: str, data: bytes) -> str:
    """Write a trained quantiser durably; returns its sha256."""
    path = _quantizer_path(folder, quantizer)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomic(path, data)


def write_codes(folder: Path, segment_id: str, quantizer: str, data: bytes) -> str:
    """Write a segment's IVF codes under ``quantizer`` durably; returns their sha256."""
    return write_atomic(codes_path(folder, segment_id, quantizer), data)


def read_checked(path: Path, sha256: str) -> bytes:
    """A file's bytes, checked against its manifest checksum.

    Raises:
        IndexCorruptError: missing or damaged.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise IndexCorruptError(f"index file {path} is missing") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise IndexCorruptError(f"index file {path} is damaged (checksum mismatch)")
    return data


def read_quantizer(folder: Path, ann: AnnEntry) -> bytes:
    return read_checked(_quantizer_path(folder, ann.quantizer), ann.sha256)


def read_codes(folder: Path, segment_id: str, entry: SegmentEntry, quantizer: str) -> bytes:
    return read_checked(codes_path(folder, segment_id, quantizer), entry.codes_sha256 or "")


def map_vectors(folder: Path, segment_id: str, count: int, dimension: int) -> np.ndarray | None:
    """A segment's float vectors, memory-mapped from its vector file (read-only; pages
    are read when touched), or None when the file is not laid out as expected.

    The file is a FAISS flat index: a header, then the vectors' length (8 bytes)
    and the ``count × dimension`` float32 vectors, last.
    """
    path, _ = segment_paths(folder, segment_id)
    data = count * dimension * 4
    try:
        size = path.stat().st_size
        if count == 0 or size < data + 8:
            return None
        with open(path, "rb") as file:
            file.seek(size - data - 8)
            if int.from_bytes(file.read(8), "little") not in (data, count * dimension):
                return None  # FAISS writes the length in floats (or, in some versions, bytes)
        mapped = np.memmap(path, dtype=np.float32, mode="r", offset=size - data, shape=(count, dimension))
        return np.asarray(mapped)  # a plain array over the mapping: indexing it is cheaper
    except OSError:
        return None
