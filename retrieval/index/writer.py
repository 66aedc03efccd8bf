"""Embed what the plan needs and write it into new segments: memory bounded by one segment."""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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
from retrieval.model.backends import EmbedBackend
from retrieval.text.terms import terms
from retrieval.types import Progress, Source

log = logging.getLogger(__name__)

#: Passages handed to the model at once.
EMBED_BATCH = 128


class VectorCache:
    """Vectors already computed with this model, kept only while a later passage needs them.

    ``uses`` counts, for each key, the passages still to be written with it as the scan
    planned them; ``pending`` counts the uses of segments handed out for embedding and
    not yet written (``claim``). A vector is dropped when both reach zero, so the cache
    holds what the rest of the run will reuse (wire copies, interrupted builds, keys of
    segments still in flight), not everything embedded so far.
    """

    def __init__(self, uses: Counter):
        self.uses = Counter(uses)
        self.pending: Counter = Counter()
        self.claimed: set[str] = set()
        self._vectors: dict[str, np.ndarray] = {}

    def offer(self, keys: Iterable[str], vectors: np.ndarray) -> None:
        """Keep the vectors of ``keys`` that some passage still needs (copied)."""
        for key, vector in zip(keys, vectors):
            if self.uses.get(key) and key not in self._vectors:
                self._vectors[key] = np.array(vector, dtype=np.float32)

    def claim(self, keys: Sequence[str]) -> list[str]:
        """Plan a segment with ``keys``: count their uses as pending and return the distinct
        keys, in first-seen order, that are neither held nor already being embedded (the
        ones this segment must embed); they count as being embedded until ``put``."""
        self.pending.update(keys)
        todo = [k for k in dict.fromkeys(keys) if k not in self._vectors and k not in self.claimed]
        self.claimed.update(todo)
        return todo

    def put(self, keys: Iterable[str], vectors: np.ndarray) -> None:
        """Keep vectors just embedded for passages being written (counted by the scan or not:
        an article edited after the scan has keys it did not count)."""
        for key, vector in zip(keys, vectors):
            self._vectors[key] = np.array(vector, dtype=np.float32)
            self.claimed.discard(key)

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
        if left > 0:
            self.uses[key] = left
        else:
            self.uses.pop(key, None)
        if self.pending.get(key, 0) > 1:
            self.pending[key] -= 1
        else:
            self.pending.pop(key, None)
        if left <= 0 and not self.pending.get(key):
            del self._vectors[key]
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


@dataclass(frozen=True)
class _Request:
    """One batch handed to the backend: its keys, and the segment it completes, if last."""

    keys: tuple[str, ...]
    segment: list[tuple[Job, int, int]] | None


def write_jobs(
    folder: Path,
    jobs: Iterable[Job],
    backend: EmbedBackend,
    fingerprint: str,
    cache: VectorCache,
    *,
    on_progress: Progress | None = None,
) -> Written:
    """Embed the passages the cache lacks on ``backend`` and write the jobs into new segments.

    ``jobs`` may be a generator: they are consumed a segment at a time, as the backend
    asks for more batches (at most ``backend.in_flight`` ahead of what it gave back), so
    several batches are embedding at once while memory stays bounded. Results come back
    in order and each segment is written and flushed as soon as its last batch is back,
    so a crash loses at most the segments in flight.
    """
    written = Written()
    parts: dict[str, list[tuple[str, int]]] = {}
    made: dict[str, tuple[str, Source]] = {}  # each article's content hash and source
    total = cache.to_embed()
    requests: deque[_Request] = deque()

    def batches() -> Iterator[list[str]]:
        for segment in segment_batches(jobs):
            keys = [k for job, start, stop in segment for k in job.keys[start:stop]]
            todo = cache.claim(keys)
            texts = {k: text for job, start, stop in segment
                     for text, k in zip(job.inputs(start, stop), job.keys[start:stop])}
            chunks = [todo[b : b + EMBED_BATCH] for b in range(0, len(todo), EMBED_BATCH)] or [[]]
            for n, chunk in enumerate(chunks):
                requests.append(_Request(tuple(chunk), segment if n == len(chunks) - 1 else None))
                yield [texts[k] for k in chunk]

    for vectors in backend.embed_batches(batches()):
        request = requests.popleft()
        if request.keys:
            cache.put(request.keys, vectors)
            written.embedded += len(request.keys)
            if on_progress is not None:
                on_progress(min(written.embedded, total), total)
        if request.segment is not None:
            sid = _write_segment(folder, request.segment, fingerprint, cache, written)
            for job, start, stop in request.segment:
                parts.setdefault(job.article_id, []).append((sid, stop - start))
                made[job.article_id] = (job.content_hash, job.source)
    written.cached = sum(entry.count for entry in written.segments.values()) - written.embedded
    for article_id, (content_hash, source) in made.items():
        written.articles[article_id] = ArticleEntry(content_hash, tuple(parts[article_id]), source)
    return written


def _write_segment(
    folder: Path, segment: list[tuple[Job, int, int]], fingerprint: str, cache: VectorCache,
    written: Written,
) -> str:
    """Write one segment whose vectors are all in the cache; its id."""
    keys = [k for job, start, stop in segment for k in job.keys[start:stop]]
    vectors = np.stack([cache.take(k) for k in keys])
    sid = new_segment_id()
    passages = [p for job, start, stop in segment for p in job.passages[start:stop]]
    counts = TermCounts.count(
        terms(text) for job, start, stop in segment for text in job.inputs(start, stop)
    )
    written.segments[sid] = write_segment(folder, sid, fingerprint, passages, keys, vectors, counts)
    return sid
