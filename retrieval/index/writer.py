"""Embed what the plan needs and write it into new segments: memory bounded by one segment."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import numpy as np

from retrieval.errors import IndexCorruptError
from retrieval.index.bm25 import TermCounts
from retrieval.index.catalog import ArticleEntry
from retrieval.index.manifest import SegmentEntry
from retrieval.index.plan import Job, segment_batches
from retrieval.index.segments import (
    Segment,
    new_segment_id,
    read_segment,
    write_segment,
)
from retrieval.model.embedder import Embedder
from retrieval.text.terms import terms
from retrieval.types import Progress, Source

log = logging.getLogger(__name__)

#: Passages handed to the model at once.
EMBED_BATCH = 128


class VectorCache:
    """Vectors already computed with this model, kept only while a later passage needs them.

    ``uses`` counts, for each key, the passages still to be written with it; a vector
    is dropped when its count reaches zero, so the cache holds what the rest of the
    run will reuse (wire copies, interrupted builds), not everything embedded so far.
    """

    def __init__(self, uses: Counter):
        self.uses = Counter(uses)
        self._vectors: dict[str, np.ndarray] = {}

    def offer(self, keys: Iterable[str], vectors: np.ndarray) -> None:
        """Keep the vectors of ``keys`` that some passage still needs (copied)."""
        for key, vector in zip(keys, vectors):
            if self.uses.get(key) and key not in self._vectors:
                self._vectors[key] = np.array(vector, dtype=np.float32)

    def put(self, keys: Iterable[str], vectors: np.ndarray) -> None:
        """Keep vectors just embedded for passages being written now, counted or not (an
        article edited after the scan has keys the scan did not count)."""
        for key, vector in zip(keys, vectors):
            self._vectors[key] = np.array(vector, dtype=np.float32)

    def missing(self, keys: Iterable[str]) -> list[str]:
        """The distinct keys, in first-seen order, that have no vector yet."""
        return [k for k in dict.fromkeys(keys) if k not in self._vectors]

    def to_embed(self) -> int:
        """How many distinct counted keys have no vector yet (the run's embedding work)."""
        return sum(1 for k in self.uses if k not in self._vectors)

    def take(self, key: str) -> np.ndarray:
        """The vector of ``key`` for one passage; forgotten once its last use is taken."""
        vector = self._vectors[key]
        left = self.uses.get(key, 0) - 1
        if left <= 0:
            del self._vectors[key]
            self.uses.pop(key, None)
        else:
            self.uses[key] = left
        return vector

    def __len__(self) -> int:
        return len(self._vectors)


def read_segments(folder: Path, segment_ids: Iterable[str]) -> dict[str, Segment]:
    """The segments that can be read, by id; damaged ones are logged and left out."""
    read: dict[str, Segment] = {}
    for sid in sorted(segment_ids):
        try:
            read[sid] = read_segment(folder, sid)
        except IndexCorruptError as exc:
            log.info("not reusing segment %s: %s", sid, exc)
    return read


def moved_job(
    article_id: str, entry: ArticleEntry, segments: dict[str, Segment], *, titles: bool = True
) -> Job:
    """A kept article's passages, keys and content, taken from the segments it is in."""
    passages, keys = [], []
    for sid in entry.segments:
        segment = segments[sid]
        for passage, key in zip(segment.passages, segment.keys):
            if passage.article_id == article_id:
                passages.append(passage)
                keys.append(key)
    lead = entry.source.title if titles else None
    return Job(article_id, entry.content_hash, entry.source, tuple(passages), tuple(keys), lead)


@dataclass
class Written:
    """What writing the jobs produced: new segments and where each article went."""

    segments: dict[str, SegmentEntry] = field(default_factory=dict)
    articles: dict[str, ArticleEntry] = field(default_factory=dict)
    embedded: int = 0
    cached: int = 0


def write_jobs(
    folder: Path,
    jobs: Iterable[Job],
    embedder: Embedder,
    cache: VectorCache,
    *,
    on_progress: Progress | None = None,
) -> Written:
    """Embed the passages the cache lacks and write the jobs into new segments.

    ``jobs`` may be a generator: they are consumed a segment at a time. Each segment
    is embedded, written and flushed before the next is started, so a crash loses at
    most one segment's work and memory holds one segment at a time.
    """
    written = Written()
    parts: dict[str, list[tuple[str, int]]] = {}
    made: dict[str, tuple[str, Source]] = {}  # each article's content hash and source
    total = cache.to_embed()
    for batch in segment_batches(jobs):
        keys = [k for job, start, stop in batch for k in job.keys[start:stop]]
        missing = cache.missing(keys)
        texts = {k: text for job, start, stop in batch
                 for text, k in zip(job.inputs(start, stop), job.keys[start:stop])}
        for begin in range(0, len(missing), EMBED_BATCH):
            chunk = missing[begin : begin + EMBED_BATCH]
            cache.put(chunk, embedder.embed_passages([texts[k] for k in chunk]))
            written.embedded += len(chunk)
            if on_progress is not None:
                on_progress(min(written.embedded, total), total)
        written.cached += len(keys) - len(missing)
        vectors = np.stack([cache.take(k) for k in keys])
        sid = new_segment_id()
        passages = [p for job, start, stop in batch for p in job.passages[start:stop]]
        counts = TermCounts.count(
            terms(text) for job, start, stop in batch for text in job.inputs(start, stop)
        )
        written.segments[sid] = write_segment(
            folder, sid, embedder.fingerprint, passages, keys, vectors, counts
        )
        for job, start, stop in batch:
            parts.setdefault(job.article_id, []).append((sid, stop - start))
            made[job.article_id] = (job.content_hash, job.source)
    for article_id, (content_hash, source) in made.items():
        written.articles[article_id] = ArticleEntry(content_hash, tuple(parts[article_id]), source)
    return written
