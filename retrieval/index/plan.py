"""What a re-index must do, decided without touching the disk: the scan's result and the plan."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterator

from retrieval.index.catalog import ArticleEntry
from retrieval.index.manifest import FileEntry, Manifest, SegmentEntry
from retrieval.ingest.passages import article_passages, embed_key, embedding_input
from retrieval.model.paths import vector_family
from retrieval.types import Article, Passage, Skipped, Source

#: Passages per segment written during a build (also the crash-resume granularity).
SEGMENT_PASSAGES = 1024
#: Rewrite a segment when less than this share of its passages is still live.
MIN_LIVE_SHARE = 0.5
#: Segments smaller than this (the small ones each re-index leaves) are merged...
SMALL_SEGMENT = SEGMENT_PASSAGES // 4
#: ...into one once there would be more than this many of them.
MAX_SMALL_SEGMENTS = 16


@dataclass(frozen=True, slots=True)
class FreshArticle:
    """A new or changed article, by reference: its text is read again when it is written,
    so a scan of a large folder does not hold the folder's text."""

    article_id: str
    path: str  # its file, relative to the seeds folder


@dataclass(frozen=True)
class Scan:
    """What the seeds hold compared with the index (phase 1's result).

    Attributes:
        files: every seed file with the articles read from it.
        kept: unchanged articles, with their entries from the index.
        fresh: new and changed articles, in the order they were read.
        gone: ids of indexed articles no longer in the seeds.
        added, changed: how many of ``fresh`` are new and changed.
        skipped: files and records that could not be read.
        uses: the embedding key of every passage of the fresh articles, with how many
            passages have it (so a vector embedded once serves every copy of a text).
    """

    files: dict[str, FileEntry]
    kept: dict[str, ArticleEntry]
    fresh: tuple[FreshArticle, ...]
    gone: tuple[str, ...]
    added: int
    changed: int
    skipped: tuple[Skipped, ...]
    uses: Counter = field(default_factory=Counter)


@dataclass(frozen=True)
class Job:
    """An article whose passages go into new segments: fresh, or moved by compaction.

    ``lead`` is what goes before each sentence in the model's and BM25's input (the
    title, or nothing).
    """

    article_id: str
    content_hash: str
    source: Source
    passages: tuple[Passage, ...]
    keys: tuple[str, ...]
    lead: str | None = None

    def inputs(self, start: int = 0, stop: int | None = None) -> list[str]:
        """The model's input for passages ``start:stop``."""
        return [embedding_input(p, self.lead) for p in self.passages[start:stop]]


@dataclass(frozen=True)
class Plan:
    """What to keep, write and reuse (phase 2's result).

    Attributes:
        keep: articles that stay in their segments.
        keep_segments: the segments that stay, with their entries.
        move: ids of kept articles in segments being rewritten (compaction); their
            passages come from those segments and go into new ones.
        rewrite: segments being compacted away.
        cache_from: segments whose vectors may be reused (replaced or removed
            articles, compacted segments, and segments of an interrupted build).

    The fresh articles (``Scan.fresh``) are chunked as they are written, a segment at
    a time (``article_job``), not here: memory holds one segment's articles.
    """

    keep: dict[str, ArticleEntry]
    keep_segments: dict[str, SegmentEntry]
    move: tuple[str, ...]
    rewrite: frozenset[str]
    cache_from: frozenset[str]

    def changes_anything(self, scan: Scan, old: Manifest | None) -> bool:
        """Whether a new generation must be written."""
        return (
            old is None
            or bool(scan.fresh or self.move or scan.gone or self.rewrite)
            or scan.files != old.files
        )


def plan_update(scan: Scan, base: Manifest, pending: set[str]) -> Plan:
    """Decide what to keep and compact, and which vectors may be reused (pure).

    Args:
        scan: the seeds compared with ``base``.
        base: the index being updated (an empty manifest for a new index).
        pending: segments on disk that ``base`` does not name (an interrupted build).

    Returns:
        The plan.
    """
    replaced = [a for a in scan.gone] + [a.article_id for a in scan.fresh if a.article_id in base.articles]
    stale = {sid for aid in replaced for sid in base.articles[aid].segments}
    rewrite = _segments_to_compact(scan.kept, base)
    keep = {a: e for a, e in scan.kept.items() if not set(e.segments) & rewrite}
    move = tuple(sorted(a for a in scan.kept if a not in keep))
    keep_segments = {sid: base.segments[sid] for e in keep.values() for sid in e.segments}
    return Plan(
        keep=keep,
        keep_segments=keep_segments,
        move=move,
        rewrite=frozenset(rewrite),
        cache_from=frozenset(stale | rewrite | pending),
    )


def article_job(article: Article, *, titles: bool = True) -> Job:
    """A Job for an article: its passages and their embedding keys."""
    passages = article_passages(article)
    lead = article.source.title if titles else None
    return Job(
        article_id=article.article_id,
        content_hash=article.content_hash,
        source=article.source,
        passages=tuple(passages),
        keys=tuple(embed_key(embedding_input(p, lead)) for p in passages),
        lead=lead,
    )


def _segments_to_compact(kept: dict[str, ArticleEntry], base: Manifest) -> set[str]:
    """Segments mostly dead, and the small ones once there are many of them.

    Large segments are left alone, so a small edit never rewrites a big index.
    """
    live: dict[str, int] = {}
    for entry in kept.values():
        for sid, count in entry.parts:
            live[sid] = live.get(sid, 0) + count
    rewrite = {sid for sid, n in live.items() if n < MIN_LIVE_SHARE * base.segments[sid].count}
    small = {sid for sid, n in live.items() if n < SMALL_SEGMENT}
    if len(small) + 1 > MAX_SMALL_SEGMENTS:
        rewrite |= small
    return rewrite


def segment_batches(jobs: list[Job], size: int | None = None) -> Iterator[list[tuple[Job, int, int]]]:
    """Group jobs into segments of at most ``size`` passages: lists of (job, start, stop).

    A long article is split across segments, so a segment (and the memory to write
    it) never grows with the size of one article.
    """
    size = size or SEGMENT_PASSAGES
    batch: list[tuple[Job, int, int]] = []
    room = size
    for job in jobs:
        start = 0
        while start < len(job.passages):
            stop = min(len(job.passages), start + room)
            batch.append((job, start, stop))
            room -= stop - start
            start = stop
            if room == 0:
                yield batch
                batch, room = [], size
    if batch:
        yield batch


def change_lines(verb: str, article_ids: list[str], per_file: int = 5) -> list[str]:
    """Log lines for what changed: one per article, or one per file that holds many.

    ``change_lines("added", ids)`` gives "added a.txt" for each article, but
    "added 20,000 articles from big.jsonl" for a file with more than ``per_file``.
    """
    by_file: dict[str, list[str]] = {}
    for aid in sorted(article_ids):
        by_file.setdefault(aid.split("#", 1)[0], []).append(aid)
    lines = []
    for path, ids in by_file.items():
        if len(ids) > per_file:
            lines.append(f"{verb} {len(ids):,} articles from {path}")
        else:
            lines.extend(f"{verb} {aid}" for aid in ids)
    return lines


def scan_lines(scan: Scan, base: Manifest) -> list[str]:
    """What the scan found changed, added and removed, as log lines (``change_lines``)."""
    fresh = [a.article_id for a in scan.fresh]
    lines = []
    for verb, ids in (
        ("changed", [a for a in fresh if a in base.articles]),
        ("added", [a for a in fresh if a not in base.articles]),
        ("removed", list(scan.gone)),
    ):
        lines += change_lines(verb, ids)
    return lines


def model_change(old: Manifest, embedder) -> str | None:
    """Why the index must be embedded again with ``embedder`` (another model, or vectors of
    another family: int8 and float vectors never share an index), or None."""
    if old.fingerprint != embedder.fingerprint:
        return (f"the index was built with model {old.model} ({old.fingerprint}), not "
                f"{embedder.name} ({embedder.fingerprint}); rebuilding from the seeds")
    path = getattr(embedder, "path", "")
    recorded = {vector_family(p) for p in old.embedding}
    if recorded and recorded != {vector_family(path)}:
        return (f"the index holds {' and '.join(sorted(recorded))} vectors ({', '.join(old.embedding)}) and "
                f"passages are now embedded by {path} ({vector_family(path)}); embedding every passage "
                "again so the two are not mixed")
    return None


def vectors_tag(embedder) -> str:
    """What a segment records of the vectors it holds: the model's fingerprint, plus
    "+int8" for int8 vectors (only vectors with the same tag are reused)."""
    family = vector_family(getattr(embedder, "path", ""))
    return embedder.fingerprint + ("" if family == "float" else f"+{family}")
