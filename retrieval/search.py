"""One generation of the index loaded for searching: passages, vectors, sources, context."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from retrieval.errors import ModelMismatchError
from retrieval.lexical import BM25
from retrieval.speaker_index import SpeakerDirectory
from retrieval.ann import ApproximateIndex
from retrieval.store import Manifest, Segment, read_codes, read_quantizer, read_segment, require_manifest
from retrieval.ports import VectorIndex
from retrieval.types import Passage, Source
from retrieval.vector_index import FaissIndex

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadedIndex:
    """One generation of the index, in memory and ready to search.

    Attributes:
        manifest: the generation's manifest.
        passages: every live passage.
        vectors: the vector index over every row of the generation's segments, the
            rows of removed or replaced articles included (until compaction drops them).
        row_passage: for each vector row, its position in ``passages``, or -1 when the
            row is no longer live.
        by_article: for each article, its passages' positions in passage order.
        position_row: for each passage position, its vector row.
        copy_keys: for each passage position, ``normalize.copy_key`` of its text.
        lexical: BM25 over the passages (None for an index built without term counts).
        speakers: who is quoted, and where.
    """

    manifest: Manifest
    passages: tuple[Passage, ...]
    vectors: VectorIndex
    row_passage: np.ndarray
    by_article: dict[str, tuple[int, ...]]
    position_row: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    copy_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    lexical: BM25 | None = None
    speakers: SpeakerDirectory = field(default_factory=lambda: SpeakerDirectory(()))

    def vector(self, position: int) -> np.ndarray:
        """The vector of the passage at ``position``."""
        row = int(self.position_row[position])
        return self.vectors.rows(row, row + 1)[0]

    def vectors_at(self, positions: np.ndarray) -> np.ndarray:
        """The vectors of the passages at ``positions`` (one call, not one per passage)."""
        return self.vectors.take(self.position_row[np.asarray(positions, dtype=np.int64)])

    def source(self, article_id: str) -> Source:
        return self.manifest.articles[article_id].source

    def passage(self, article_id: str, index: int) -> Passage | None:
        rows = self.by_article.get(article_id, ())
        if 0 <= index < len(rows):
            return self.passages[rows[index]]
        return None

    def context(self, passage: Passage, window: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The texts of up to ``window`` passages before and after ``passage``."""
        rows = self.by_article.get(passage.article_id, ())
        i = passage.index
        before = tuple(self.passages[r].text for r in rows[max(0, i - window) : i])
        after = tuple(self.passages[r].text for r in rows[i + 1 : i + 1 + window])
        return before, after


def load_index(
    folder: Path,
    *,
    fingerprint: str | None = None,
    model: str | None = None,
    segments: dict[str, Segment] | None = None,
) -> LoadedIndex:
    """Load the current generation of the index in ``folder``.

    The vectors are held once: segments read from disk are copied into one FAISS
    index and their own copies dropped; the cached segments then point into it.

    Args:
        folder: the index folder.
        fingerprint: the query model's fingerprint; must match the index's.
        model: the query model's name, for the error message.
        segments: segments already loaded (by id); reused instead of read again, and
            updated with the ones read now (so a reload after a re-index is cheap).

    Raises:
        IndexMissingError: there is no index.
        IndexCorruptError: a file is damaged, missing or truncated.
        ModelMismatchError: the index was built with another model.
    """
    manifest = require_manifest(folder)
    if fingerprint is not None and manifest.fingerprint != fingerprint:
        raise ModelMismatchError(
            f"the index in {folder} was built with model {manifest.model} "
            f"(fingerprint {manifest.fingerprint}) but the model in use is "
            f"{model or 'another'} (fingerprint {fingerprint}); "
            "run `newsqa index` to rebuild it with this model"
        )
    cache = segments if segments is not None else {}
    for sid in list(cache):
        if sid not in manifest.segments:
            del cache[sid]
    vectors, passages, positions, terms, live, copies = _read_generation(folder, manifest, cache)
    row_passage = np.concatenate(positions) if positions else np.zeros(0, dtype=np.int64)
    rows_of: dict[str, list[int]] = {}
    for position, passage in enumerate(passages):
        rows_of.setdefault(passage.article_id, []).append(position)
    by_article = {
        aid: tuple(sorted(rows, key=lambda r: passages[r].index)) for aid, rows in rows_of.items()
    }
    lexical = BM25(terms, live) if all(t is not None for t in terms) else None
    return LoadedIndex(
        manifest=manifest,
        passages=tuple(passages),
        vectors=vectors,
        row_passage=row_passage,
        by_article=by_article,
        position_row=np.flatnonzero(row_passage >= 0),
        copy_keys=np.concatenate(copies) if copies else np.zeros(0, np.uint64),
        lexical=lexical,
        speakers=SpeakerDirectory(passages),
    )


def _read_generation(folder: Path, manifest: Manifest, cache: dict[str, Segment]):
    """Every segment's vectors (exact or approximate), live passages, terms and copy keys.

    Returns:
        (vectors, passages, positions, terms, live, copies): positions[i] maps segment
        i's rows to passage positions (-1 for dead rows); live[i] lists its live rows.
    """
    approximate = manifest.ann is not None and all(e.codes_sha256 for e in manifest.segments.values())
    if approximate:
        vectors = ApproximateIndex(read_quantizer(folder, manifest.ann))
    else:
        vectors = FaissIndex.empty(manifest.dimension)
    passages: list[Passage] = []
    positions: list[np.ndarray] = []
    spans: dict[str, tuple[int, int]] = {}
    terms, live, copies = [], [], []
    for sid, entry in manifest.segments.items():
        segment = cache.get(sid)
        if segment is None or (not approximate and not len(segment.vectors)):
            segment = read_segment(folder, sid, entry, vectors=not approximate)
        start = len(vectors)
        if approximate:
            vectors.add_segment(read_codes(folder, sid, entry, manifest.ann.quantizer), start)
        else:
            vectors.add(segment.vectors)  # the one copy; the segment's own is dropped below
        spans[sid] = (start, len(vectors))
        cache[sid] = replace(segment, vectors=np.zeros((0, manifest.dimension), np.float32), owner=None)
        rows = np.full(len(segment.passages), -1, dtype=np.int64)
        for i, passage in enumerate(segment.passages):
            article = manifest.articles.get(passage.article_id)
            if article is not None and sid in article.segments:
                rows[i] = len(passages)
                passages.append(passage)
        positions.append(rows)
        terms.append(segment.terms)
        live.append(np.flatnonzero(rows >= 0))
        copies.append(segment.copies[rows >= 0])
    if not approximate:  # cached segments now point into the one index
        for sid, (start, stop) in spans.items():
            cache[sid] = replace(cache[sid], vectors=vectors.rows(start, stop), owner=vectors)
    return vectors, passages, positions, terms, live, copies
