"""The index's segments on disk: immutable files of vectors, passages and term counts.

Layout of an index folder::

    manifest.json          the current generation: model, articles, files, segments
    segments/<id>.faiss    a FAISS IndexFlatIP with one segment's vectors
    segments/<id>.jsonl    a header line, then one passage a line (same order)
    segments/<id>.lex.npz  the passages' term counts for BM25 (NumPy arrays, no pickle)
    .lock                  held by the indexer while it writes

Segments are written (and flushed) before a manifest names them, and a manifest is
switched in with one atomic rename, so a crash at any moment leaves the previous
generation or the new one, never a mix. Segments no manifest names are left-overs of
an interrupted build: the indexer reads them as an embedding cache, then removes them.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import mmap
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import faiss
import numpy as np

from retrieval.errors import IndexCorruptError
from retrieval.index.bm25 import TermCounts
from retrieval.index.files import sha256_file, write_atomic
from retrieval.index.manifest import MANIFEST, Manifest, SegmentEntry
from retrieval.index.passage_table import PassageTable
from retrieval.index.vectors import flat_vectors
from retrieval.text.normalize import copy_key
from retrieval.types import Passage

SEGMENTS = "segments"

log = logging.getLogger(__name__)


def new_segment_id() -> str:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
    return f"{stamp}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class Segment:
    """One segment read from disk: passages, their embedding keys and vectors (same order).

    ``vectors`` may be a view into memory that ``owner`` holds (a FAISS index): keep
    the segment, not only the array, for as long as the vectors are used.
    """

    segment_id: str
    fingerprint: str
    passages: Sequence[Passage]  # a PassageTable when read from disk
    keys: tuple[str, ...]
    vectors: np.ndarray
    owner: object = field(default=None, compare=False, repr=False)
    terms: TermCounts | None = field(default=None, compare=False, repr=False)
    copies: np.ndarray | None = field(default=None, compare=False, repr=False)  # copy_key per row


def segment_paths(folder: Path, segment_id: str) -> tuple[Path, Path]:
    base = Path(folder) / SEGMENTS
    return base / f"{segment_id}.faiss", base / f"{segment_id}.jsonl"


def codes_path(folder: Path, segment_id: str, quantizer: str) -> Path:
    return Path(folder) / SEGMENTS / f"{segment_id}.{quantizer}.ivf"


def _lexical_path(folder: Path, segment_id: str) -> Path:
    return Path(folder) / SEGMENTS / f"{segment_id}.lex.npz"


def write_segment(
    folder: Path,
    segment_id: str,
    fingerprint: str,
    passages: list[Passage],
    keys: list[str],
    vectors: np.ndarray,
    terms: TermCounts | None = None,
) -> SegmentEntry:
    """Write one immutable segment, durably, and return its manifest entry.

    ``terms`` are the passages' BM25 term counts, written beside the vectors.
    """
    if not (len(passages) == len(keys) == len(vectors)) or (terms is not None and len(terms) != len(keys)):
        raise ValueError("passages, keys, vectors and terms must have the same length")
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    faiss_path, jsonl_path = segment_paths(folder, segment_id)
    faiss_path.parent.mkdir(parents=True, exist_ok=True)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    vectors_sha = write_atomic(faiss_path, faiss.serialize_index(index).tobytes())
    lines = [
        json.dumps(
            {"segment": segment_id, "fingerprint": fingerprint, "count": len(passages)},
            ensure_ascii=False,
        )
    ]
    lines.extend(json.dumps(_passage_row(p, k), ensure_ascii=False) for p, k in zip(passages, keys))
    passages_sha = write_atomic(jsonl_path, ("\n".join(lines) + "\n").encode("utf-8"))
    lexical_sha = None
    if terms is not None:
        lexical_sha = write_atomic(_lexical_path(folder, segment_id), terms.to_bytes())
    return SegmentEntry(len(passages), vectors_sha, passages_sha, lexical_sha)


def _passage_row(passage: Passage, key: str) -> dict:
    row = {"a": passage.article_id, "i": passage.index, "s": passage.start, "e": passage.end,
           "t": passage.text, "k": key, "c": f"{copy_key(passage.text):016x}"}
    if passage.speakers:
        row["sp"] = list(passage.speakers)
    return row


def read_segment(
    folder: Path, segment_id: str, expected: SegmentEntry | None = None, *, vectors: bool = True
) -> Segment:
    """Read a segment; with ``expected``, check its size and checksums first.

    With ``vectors=False`` the vector file is not read (the segment's ``vectors`` is
    empty): an approximate index reads the segment's codes instead.

    Raises:
        IndexCorruptError: a file is missing, truncated or does not match its checksum.
    """
    faiss_path, jsonl_path = segment_paths(folder, segment_id)
    if expected is not None:
        verify_segment(folder, segment_id, expected)
    try:
        index = None
        if vectors:
            raw = faiss_path.read_bytes()
            index = faiss.deserialize_index(np.frombuffer(raw, dtype=np.uint8))
        raw_rows = jsonl_path.read_bytes()
        lines = raw_rows.decode("utf-8").splitlines()
        header = json.loads(lines[0])
        rows = [json.loads(line) for line in lines[1:]]
        texts = _mapped_lines(jsonl_path, raw_rows) if header.get("count") == len(rows) else None
    except IndexCorruptError:
        raise
    except FileNotFoundError as exc:
        raise IndexCorruptError(f"index file {exc.filename} is missing") from None
    except Exception as exc:  # faiss raises RuntimeError, json ValueError, ...
        log.debug("reading segment %s: %s", segment_id, exc)  # FAISS's C++ message, for developers
        what = "vectors" if isinstance(exc, RuntimeError) else "passages"
        raise IndexCorruptError(f"index segment {segment_id} is damaged (its {what} cannot be read)") from None
    if header.get("count") != len(rows) or (index is not None and index.ntotal != len(rows)):
        raise IndexCorruptError(f"index segment {segment_id} is truncated")
    passages = PassageTable(
        [
            Passage(article_id=r["a"], index=r["i"], text=r["t"], start=r["s"], end=r["e"],
                    speakers=tuple(r.get("sp", ())))
            for r in rows
        ],
        rows_file=texts,
    )
    found = flat_vectors(index) if index is not None else np.zeros((0, 0), dtype=np.float32)
    return Segment(
        segment_id=segment_id,
        fingerprint=header.get("fingerprint", ""),
        passages=passages,
        keys=tuple(r["k"] for r in rows),
        copies=np.array([int(r["c"], 16) if "c" in r else copy_key(r["t"]) for r in rows], dtype=np.uint64),
        vectors=found,
        owner=index,
        terms=read_terms(folder, segment_id, len(rows)),
    )


def _mapped_lines(path: Path, raw: bytes) -> tuple[mmap.mmap, np.ndarray] | None:
    """The passages file mapped read-only, and where each of its rows' lines starts and
    ends (``bounds[i]:bounds[i+1]`` holds row i and its newline).

    The passages' texts are read from the mapping when asked for, not kept in memory;
    segment files are immutable (replaced by rename, never rewritten), so the mapping
    stays valid even after a compaction removes the file.
    """
    newlines = np.flatnonzero(np.frombuffer(raw, np.uint8) == 10)
    if not len(newlines) or newlines[-1] != len(raw) - 1:
        return None
    with open(path, "rb") as file:
        mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    if len(mapped) != len(raw):
        return None
    return mapped, (newlines + 1).astype(np.int64)


def read_terms(folder: Path, segment_id: str, count: int) -> TermCounts | None:
    """A segment's term counts, or None when it has none (an index built before them)."""
    path = _lexical_path(folder, segment_id)
    if not path.exists():
        return None
    try:
        terms = TermCounts.from_bytes(path.read_bytes())
    except Exception as exc:  # zip, numpy or decoding errors: the file is damaged
        log.debug("reading %s: %s", path, exc)
        raise IndexCorruptError(f"index file {path} is damaged (it cannot be read)") from None
    if len(terms) != count:
        raise IndexCorruptError(f"index file {path} is truncated")
    return terms


def verify_segment(
    folder: Path, segment_id: str, expected: SegmentEntry, quantizer: str | None = None
) -> None:
    """Check a segment's files against the checksums its manifest entry records.

    Raises:
        IndexCorruptError: a file is missing or does not match.
    """
    faiss_path, jsonl_path = segment_paths(folder, segment_id)
    checks = [(faiss_path, expected.vectors_sha256), (jsonl_path, expected.passages_sha256)]
    if expected.lexical_sha256:
        checks.append((_lexical_path(folder, segment_id), expected.lexical_sha256))
    if expected.codes_sha256 and quantizer:
        checks.append((codes_path(folder, segment_id, quantizer), expected.codes_sha256))
    for path, digest in checks:
        try:
            ok = sha256_file(path) == digest
        except FileNotFoundError:
            raise IndexCorruptError(f"index file {path} is missing") from None
        if not ok:
            raise IndexCorruptError(f"index file {path} is damaged (checksum mismatch)")


#: The approximate index's folder (its quantisers; see ``retrieval.index.approximate``).
ANN = "ann"


def segment_ids_on_disk(folder: Path) -> set[str]:
    base = Path(folder) / SEGMENTS
    if not base.is_dir():
        return set()
    return {p.name[: -len(".jsonl")] for p in base.glob("*.jsonl")}


def remove_unreferenced(folder: Path, manifest: Manifest | None) -> int:
    """Delete segment files (and stray temporaries) that ``manifest`` does not name.

    Call only while holding the index lock. Returns the number of files removed.
    """
    keep = set(manifest.segments) if manifest else set()
    quantizer = manifest.ann.quantizer if manifest and manifest.ann else None
    base = Path(folder) / SEGMENTS
    removed = 0
    if base.is_dir():
        for path in base.iterdir():
            stem = path.name.split(".")[0] if not path.name.startswith(".") else None
            stale_codes = path.suffix == ".ivf" and path.name.split(".")[1] != quantizer
            if stem is None or stem not in keep or stale_codes:
                path.unlink(missing_ok=True)
                removed += 1
    if (Path(folder) / ANN).is_dir():
        for path in (Path(folder) / ANN).iterdir():
            if path.name != f"{quantizer}.faiss":
                path.unlink(missing_ok=True)
                removed += 1
    for path in Path(folder).glob(f".{MANIFEST}.*.tmp"):
        path.unlink(missing_ok=True)
        removed += 1
    return removed


