"""The approximate vector index for large archives: FAISS IVF with 8-bit scalar quantisation.

Below ``ANN_MIN_PASSAGES`` the index is searched exactly (``FaissIndex``). Above it, a
coarse quantiser is trained once on a sample of the vectors and kept in the index
folder; every segment then also stores its vectors as IVF codes (384 bytes a vector
instead of 1,536) in a file named after that quantiser, written by the indexer before
the manifest that names them. Loading merges the segments' codes (no vector is read,
nor assigned again), so a million passages load in seconds and take about 400 MB.
Chosen and tuned by measurement: ``bench/scale.py``.

Here: the index itself, its files (the quantiser, each segment's codes, the exact vectors
mapped from the segment files) and the indexer's step that trains and codes.
"""

from __future__ import annotations

import hashlib
import logging
import math
import random
import uuid
from dataclasses import replace
from pathlib import Path

import faiss
import numpy as np

from retrieval.errors import IndexCorruptError
from retrieval.index.files import write_atomic
from retrieval.index.manifest import AnnEntry, SegmentEntry
from retrieval.index.segments import ANN, codes_path, read_segment, segment_paths
from retrieval.index.vectors import all_threads

log = logging.getLogger(__name__)

#: From this many passages on, the index is searched approximately.
ANN_MIN_PASSAGES = 200_000
#: Inverted lists probed per question: at 1M passages recall@10 against exact search is
#: 0.985 at 32 (0.9915 at 48, for 1 ms more; see bench/RESULTS.md).
NPROBE = 32
#: Vectors the quantiser is trained on at most.
TRAIN_SAMPLE = 100_000
#: The approximate search fetches this many times k rows, then ranks them by their exact
#: vectors (mapped from the segments' files, not held in memory): recall@10 against
#: exact search rises from 0.95 (wherever ``nprobe`` is) to 0.985 at 1M passages, for
#: about 0.5 ms.
REFINE = 4
#: Retrain when the index has grown this many times past what the quantiser saw.
RETRAIN_GROWTH = 4


def list_count(passages: int) -> int:
    """How many inverted lists for an index of ``passages``: about 4·√n, 256 to 16,384."""
    return int(min(16_384, max(256, 4 * math.sqrt(max(1, passages)))))


def train_quantizer(sample: np.ndarray, lists: int) -> bytes:
    """An empty IVF-SQ8 index trained on ``sample`` (unit vectors), serialised."""
    sample = np.ascontiguousarray(sample, dtype=np.float32)
    lists = max(1, min(lists, len(sample) // 39))  # FAISS wants ~39 points per centroid
    coarse = faiss.IndexFlatIP(sample.shape[1])
    index = faiss.IndexIVFScalarQuantizer(
        coarse, sample.shape[1], lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
    )
    with all_threads():
        index.train(sample)
    return faiss.serialize_index(index).tobytes()


def segment_codes(quantizer: bytes, vectors: np.ndarray) -> bytes:
    """One segment's vectors as IVF codes under ``quantizer`` (ids 0 … n-1), serialised."""
    index = faiss.deserialize_index(np.frombuffer(quantizer, dtype=np.uint8))
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    with all_threads():
        index.add_with_ids(vectors, np.arange(len(vectors), dtype=np.int64))
    return faiss.serialize_index(index).tobytes()


class ApproximateIndex:
    """The ``VectorIndex`` of a large archive: the segments' IVF codes merged into one.

    Rows are numbered as in the exact index (segment after segment), so the rest of the
    engine cannot tell them apart, but ``search`` probes ``NPROBE`` lists and scores
    8-bit codes, and ``rows`` gives decoded (approximate) vectors.
    """

    def __init__(self, quantizer: bytes):
        self._index = faiss.deserialize_index(np.frombuffer(quantizer, dtype=np.uint8))
        self._index.nprobe = NPROBE
        self.dimension = self._index.d
        self._mapped = False
        self._exact: list[np.ndarray] = []  # each segment's exact vectors, memory-mapped
        self._starts: list[int] = []
        self._segments = 0

    def add_segment(self, codes: bytes, offset: int, exact: np.ndarray | None = None) -> None:
        """Merge one segment's codes, its rows starting at ``offset``; ``exact`` are its
        float vectors (a memory map), used to rank what the codes found. Either every
        segment has them or none."""
        segment = faiss.deserialize_index(np.frombuffer(codes, dtype=np.uint8))
        self._index.merge_from(segment, offset)
        self._mapped = False
        self._segments += 1
        if exact is not None:
            self._exact.append(exact)
            self._starts.append(offset)

    def finish(self) -> None:
        """Copy each inverted list into memory of its exact size, once every segment is in.

        Merging segment after segment grows each list's storage geometrically, a third
        more memory than the codes need on average; this gives it back.
        """
        grown = self._index.invlists
        exact = faiss.ArrayInvertedLists(grown.nlist, grown.code_size)
        for lst in range(grown.nlist):
            size = grown.list_size(lst)
            if size:
                exact.add_entries(lst, size, grown.get_ids(lst), grown.get_codes(lst))
        self._index.replace_invlists(exact, True)  # the index owns it and frees the old lists
        exact.this.disown()
        self._mapped = False

    def __len__(self) -> int:
        return self._index.ntotal

    @property
    def refines(self) -> bool:
        """Whether results are ranked by exact vectors (every segment's are mapped)."""
        return 0 < len(self._exact) == self._segments

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        queries = np.ascontiguousarray(queries, dtype=np.float32)
        k = max(1, k)
        depth = k * REFINE if self.refines else k
        scores, rows = self._index.search(queries, depth)
        scores = np.where(rows < 0, -np.inf, scores).astype(np.float32)
        rows = rows.astype(np.int64)
        if depth == k:
            return scores, rows
        best_scores = np.full((len(queries), k), -np.inf, np.float32)
        best_rows = np.full((len(queries), k), -1, np.int64)
        for i, query in enumerate(queries):
            found = rows[i][rows[i] >= 0]
            exact = self._exact_rows(found) @ query
            order = np.lexsort((found, -exact))[:k]  # equal vectors: lower row first, as exact search
            best_scores[i, : len(order)], best_rows[i, : len(order)] = exact[order], found[order]
        return best_scores, best_rows

    def rows(self, start: int, stop: int) -> np.ndarray:
        """Rows ``start:stop``, decoded from their codes."""
        return self.take(np.arange(start, stop))

    def take(self, rows: np.ndarray) -> np.ndarray:
        """The given rows: their exact vectors when mapped, else decoded from their codes."""
        if self.refines:
            return self._exact_rows(np.asarray(rows, np.int64))
        if not self._mapped:
            self._index.make_direct_map()
            self._mapped = True
        if not len(rows):
            return np.zeros((0, self.dimension), np.float32)
        return np.stack([self._index.reconstruct(int(r)) for r in rows])

    def _exact_rows(self, rows: np.ndarray) -> np.ndarray:
        out = np.empty((len(rows), self.dimension), np.float32)
        segments = (np.searchsorted(self._starts, rows, side="right") - 1).tolist()
        for i, (row, s) in enumerate(zip(rows.tolist(), segments)):  # rows lie in many segments
            out[i] = self._exact[s][row - self._starts[s]]
        return out


# -- its files ----------------------------------------------------------------------------


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


# -- the indexer's step --------------------------------------------------------------------


def code_segments(
    folder: Path, segments: dict[str, SegmentEntry], previous: AnnEntry | None, passages: int
) -> tuple[AnnEntry | None, dict[str, SegmentEntry]]:
    """The approximate index for a generation of ``passages`` in ``segments``.

    Below ``ANN_MIN_PASSAGES`` there is none. Above, the previous quantiser is kept
    unless the index grew ``RETRAIN_GROWTH`` times past what it was trained on; every
    segment without codes under it gets them (one segment in memory at a time). Files
    are written before the manifest that names them, like the segments themselves.

    Returns:
        The quantiser's entry (or None) and the segments' entries with their codes.
    """
    if passages < ANN_MIN_PASSAGES:
        return None, {sid: replace(e, codes_sha256=None) for sid, e in segments.items()}
    entry = previous
    if entry is None or passages > RETRAIN_GROWTH * entry.trained_on:
        entry = _train(folder, segments, passages)
    quantizer = read_quantizer(folder, entry)
    coded = {}
    for sid, segment in segments.items():
        if segment.codes_sha256 and entry is previous:
            coded[sid] = segment
            continue
        vectors = read_segment(folder, sid).vectors
        coded[sid] = replace(
            segment, codes_sha256=write_codes(folder, sid, entry.quantizer, segment_codes(quantizer, vectors))
        )
    return entry, coded


def _train(folder: Path, segments: dict[str, SegmentEntry], passages: int) -> AnnEntry:
    lists = list_count(passages)
    sample = _sample(folder, list(segments), TRAIN_SAMPLE)
    log.info("training the approximate index: %d lists on %d vectors", lists, len(sample))
    quantizer = uuid.uuid4().hex[:12]
    sha = write_quantizer(folder, quantizer, train_quantizer(sample, lists))
    return AnnEntry(quantizer=quantizer, sha256=sha, lists=lists, trained_on=passages)


def _sample(folder: Path, segment_ids: list[str], size: int) -> np.ndarray:
    """Up to ``size`` vectors, from segments taken in a random (but repeatable) order."""
    order = sorted(segment_ids)
    random.Random(0).shuffle(order)
    blocks, total = [], 0
    for sid in order:
        vectors = np.array(read_segment(folder, sid).vectors)
        blocks.append(vectors)
        total += len(vectors)
        if total >= size:
            break
    return np.concatenate(blocks)[:size]
