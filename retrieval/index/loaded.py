"""One generation of the index loaded for searching: passages, vectors, sources, context."""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from retrieval.errors import ModelMismatchError
from retrieval.index.approximate import (
    ApproximateIndex,
    map_vectors,
    read_codes,
    read_quantizer,
)
from retrieval.index.bm25 import BM25
from retrieval.index.catalog import ArticleCatalog
from retrieval.index.files import allow_open_files
from retrieval.index.manifest import Manifest, require_manifest
from retrieval.index.passage_table import ArticleRows, PassageTable, PassageView
from retrieval.index.segments import Segment, read_segment, read_terms
from retrieval.index.speakers import SpeakerDirectory
from retrieval.index.vectors import FaissIndex, VectorIndex
from retrieval.types import Passage, Source

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
    passages: Sequence[Passage]
    vectors: VectorIndex
    row_passage: np.ndarray
    by_article: Mapping[str, Sequence[int]]
    position_row: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    copy_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    lexical: BM25 | None = None
    speakers: SpeakerDirectory = field(default_factory=lambda: SpeakerDirectory(()))

    def vector(self, position: int) -> np.ndarray:
        """The vector of the passage at ``position``."""
        return self.vectors_at(np.array([position]))[0]

    def vectors_at(self, positions: np.ndarray) -> np.ndarray:
        """The vectors of the passages at ``positions`` (one call, not one per passage)."""
        return self.vectors.take(self.position_row[np.asarray(positions, dtype=np.int64)])

    def source(self, article_id: str) -> Source:
        articles = self.manifest.articles
        if isinstance(articles, ArticleCatalog):  # as read from disk: no entry is made
            return articles.source_of(article_id)
        return articles[article_id].source

    def sources(self, offset: int, limit: int) -> tuple[list[tuple[str, Source]], int]:
        """A page of the articles (id, source), sorted by id, and how many there are."""
        articles = self.manifest.articles
        if isinstance(articles, ArticleCatalog):  # already sorted by id
            codes = range(offset, min(offset + limit, len(articles)))
            return [(articles.article_id(c), articles.source(c)) for c in codes], len(articles)
        items = sorted(articles.items())
        return [(aid, entry.source) for aid, entry in items[offset : offset + limit]], len(items)

    def passage(self, article_id: str, index: int) -> Passage | None:
        rows = self.by_article.get(article_id, ())
        if 0 <= index < len(rows):
            return self.passages[rows[index]]
        return None

    def text(self, position: int) -> str:
        """The text of the passage at ``position`` (read without making the whole passage)."""
        read = getattr(self.passages, "text", None)
        return read(position) if read is not None else self.passages[position].text

    def passage_text(self, article_id: str, index: int) -> str | None:
        """The text of passage ``index`` of an article, or None."""
        rows = self.by_article.get(article_id, ())
        return self.text(rows[index]) if 0 <= index < len(rows) else None

    def context(self, passage: Passage, window: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The texts of up to ``window`` passages before and after ``passage``."""
        rows = self.by_article.get(passage.article_id, ())
        i = passage.index
        before = tuple(self.text(r) for r in rows[max(0, i - window) : i])
        after = tuple(self.text(r) for r in rows[i + 1 : i + 1 + window])
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
    manifest = require_manifest(folder, files=False)  # the seed files are the indexer's
    if fingerprint is not None and manifest.fingerprint != fingerprint:
        raise ModelMismatchError(
            f"the index in {folder} was built with model {manifest.model} "
            f"(fingerprint {manifest.fingerprint}) but the model in use is "
            f"{model or 'another'} (fingerprint {fingerprint}); "
            "run `newsqa index` to rebuild it with this model"
        )
    allow_open_files(2 * len(manifest.segments) + 256)  # two mapped files a segment
    cache = segments if segments is not None else {}
    for sid in list(cache):
        if sid not in manifest.segments:
            del cache[sid]
    codes = manifest.articles.codes()  # read from disk: an ArticleCatalog
    vectors, passages, positions, terms, live, copies = _read_generation(folder, manifest, cache, codes)
    row_passage = np.concatenate(positions) if positions else np.zeros(0, dtype=np.int64)
    lexical = BM25(terms, live) if all(t is not None for t in terms) else None
    del terms, live
    loaded = LoadedIndex(
        manifest=manifest,
        passages=passages,
        vectors=vectors,
        row_passage=row_passage,
        by_article=ArticleRows(passages, catalog=manifest.articles, codes=codes),
        position_row=np.flatnonzero(row_passage >= 0),
        copy_keys=np.concatenate(copies) if copies else np.zeros(0, np.uint64),
        lexical=lexical,
        speakers=SpeakerDirectory(passages),
    )
    del codes
    release_free_memory()
    return loaded


def release_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``).

    Loading a large index parses every segment and builds BM25 postings; what was
    transient is freed but would stay in the process's resident memory, counted
    against a server that only needs what it keeps. A no-op where there is no glibc.
    """
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _read_generation(folder: Path, manifest: Manifest, cache: dict[str, Segment], codes: dict[str, int]):
    """Every segment's vectors (exact or approximate), live passages, terms and copy keys.

    The segments are kept in ``cache`` without what the served index does not need
    (their vectors are the index's, their term counts are read again when needed).

    Returns:
        (vectors, passages, positions, terms, live, copies): positions[i] maps segment
        i's rows to passage positions (-1 for dead rows); live[i] lists its live rows.
    """
    approximate = manifest.ann is not None and all(e.codes_sha256 for e in manifest.segments.values())
    if approximate:
        vectors = ApproximateIndex(read_quantizer(folder, manifest.ann))
    else:
        vectors = FaissIndex.empty(manifest.dimension)
    tables, positions, terms, live, copies = [], [], [], [], []
    served = manifest.articles.served_from()  # segment id -> codes of the articles it serves
    spans: dict[str, tuple[int, int]] = {}
    count = 0
    for sid, entry in manifest.segments.items():
        segment = cache.get(sid)
        if segment is None or (not approximate and not len(segment.vectors)):
            segment = read_segment(folder, sid, entry, vectors=not approximate)
        start = len(vectors)
        if approximate:
            exact = map_vectors(folder, sid, entry.count, manifest.dimension)
            vectors.add_segment(read_codes(folder, sid, entry, manifest.ann.quantizer), start, exact)
        else:
            vectors.add(segment.vectors)  # the one copy; the segment's own is dropped below
        spans[sid] = (start, len(vectors))
        table = segment.passages  # a PassageTable: read_segment makes every Segment
        keep = _live_rows(table, codes, served.get(sid))
        rows = np.full(len(table), -1, dtype=np.int64)
        rows[keep] = count + np.arange(len(keep))
        count += len(keep)
        tables.append(table)
        positions.append(rows)
        terms.append(segment.terms if segment.terms is not None else read_terms(folder, sid, len(table)))
        live.append(keep)
        copies.append(segment.copies[keep])
        cache[sid] = replace(
            segment, passages=table, keys=(), terms=None,
            vectors=np.zeros((0, manifest.dimension), np.float32), owner=None,
        )
    if approximate:
        vectors.finish()
    else:  # cached segments now point into the one index
        for sid, (start, stop) in spans.items():
            cache[sid] = replace(cache[sid], vectors=vectors.rows(start, stop), owner=vectors)
    return vectors, PassageView(tables, live), positions, terms, live, copies


def _live_rows(table: PassageTable, codes: dict[str, int], served: np.ndarray | None) -> np.ndarray:
    """The rows of a segment whose article is served from it (others were replaced).

    Args:
        codes: every article's code in the manifest's catalog.
        served: the codes of the articles the manifest serves from this segment.
    """
    if served is None:
        return np.zeros(0, np.int64)
    mine = np.array([codes.get(aid, -1) for aid in table.article_ids], np.int64)
    return np.flatnonzero(np.isin(table.article_codes, np.flatnonzero(np.isin(mine, served))))
