"""Bring the index up to date with the seeds: embed only what is new or changed."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from retrieval import articles as article_io
from retrieval.chunking import chunk_sentences
from retrieval.embedding import Embedder
from retrieval.errors import IndexCorruptError, SeedsError
from retrieval.fsutil import IndexLock
from retrieval.store import (
    ArticleEntry,
    FileEntry,
    Manifest,
    Segment,
    embed_key,
    new_segment_id,
    now_iso,
    read_manifest,
    read_segment,
    remove_unreferenced,
    segment_ids_on_disk,
    write_manifest,
    verify_segment,
    write_segment,
)
from retrieval.types import Article, Passage

log = logging.getLogger(__name__)

#: Passages per segment written during a build (also the crash-resume granularity).
SEGMENT_PASSAGES = 1024
#: Passages handed to the model at once.
EMBED_BATCH = 128
#: Rewrite a segment when less than this share of its passages is still live.
MIN_LIVE_SHARE = 0.5
#: Segments smaller than this (the small ones each re-index leaves) are merged...
SMALL_SEGMENT = SEGMENT_PASSAGES // 4
#: ...into one once there would be more than this many of them.
MAX_SMALL_SEGMENTS = 16


def article_passages(article: Article) -> list[Passage]:
    """Split an article into its sentence passages (pure)."""
    spans = chunk_sentences(article.text, article.body_start)
    return [
        Passage(article_id=article.article_id, index=i, text=s.text, start=s.start, end=s.end)
        for i, s in enumerate(spans)
    ]


def embedding_input(passage: Passage) -> str:
    """The text fed to the model for a passage (the cache is keyed on it)."""
    return passage.text


@dataclass(frozen=True)
class IndexReport:
    """What one indexing run did."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    embedded: int = 0
    cached: int = 0
    articles: int = 0
    passages: int = 0
    seconds: float = 0.0
    skipped: tuple[article_io.Skipped, ...] = ()
    rebuilt_because: str | None = None
    generation: int = 0

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        line = (
            f"added {self.added:,}, changed {self.changed:,}, removed {self.removed:,} articles; "
            f"embedded {self.embedded:,} passages ({self.cached:,} cached) in {self.seconds:.1f} s"
            f" — index: {self.articles:,} articles, {self.passages:,} passages"
        )
        if self.skipped:
            line += f"; {len(self.skipped)} file(s) skipped"
        return line


@dataclass
class _Work:
    """An article's passages waiting to be written into a segment."""

    article_id: str
    content_hash: str
    source: object
    passages: list[Passage]
    keys: list[str]
    vectors: np.ndarray | None  # known already (moved from a compacted segment)


class _Cache:
    """Vectors already computed with this model, keyed by embedding input."""

    def __init__(self, dimension: int):
        self.dimension = dimension
        self._rows: dict[str, np.ndarray] = {}

    def add_segment(self, segment: Segment) -> None:
        for key, vector in zip(segment.keys, segment.vectors):
            self._rows.setdefault(key, vector)

    def get(self, key: str) -> np.ndarray | None:
        return self._rows.get(key)

    def put(self, key: str, vector: np.ndarray) -> None:
        self._rows[key] = vector

    def __len__(self) -> int:
        return len(self._rows)


def _file_unchanged(entry: FileEntry | None, stat, manifest: Manifest) -> bool:
    return (
        entry is not None
        and entry.size == stat.st_size
        and entry.mtime_ns == stat.st_mtime_ns
        and all(a in manifest.articles for a in entry.articles)
    )


def _check_segments(folder: Path, manifest: Manifest) -> None:
    for sid, entry in manifest.segments.items():
        verify_segment(folder, sid, entry)


def update_index(
    seeds: Path,
    folder: Path,
    embedder: Embedder,
    *,
    full: bool = False,
    progress: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    follow_links: bool = False,
) -> IndexReport:
    """Bring the index in ``folder`` up to date with the articles in ``seeds``.

    Unchanged files are not even read (size and mtime match the manifest); unchanged
    articles keep their vectors; new and changed articles are chunked and only
    passages whose text was never embedded with this model are sent to it. Segments
    are flushed as they are done and the new manifest is switched in atomically at the
    end, so a crash leaves the previous index and the next run resumes from the
    segments already written.

    Args:
        seeds: the folder of articles.
        folder: the index folder.
        embedder: the model to embed with.
        full: rebuild from scratch: re-read every file and re-embed every passage.
        progress: show a progress bar while embedding.
        on_progress: called with (done, total) passages after each embedding batch.
        follow_links: read files reached through symbolic links that leave ``seeds``.

    Returns:
        An IndexReport (``summary()`` gives the one-line summary).

    Raises:
        SeedsError: the seeds folder is missing or holds no readable article.
        LockedError: another indexer is writing this index.
    """
    started = time.perf_counter()
    folder = Path(folder)
    seeds = Path(seeds)
    if not seeds.is_dir():
        raise SeedsError(f"the seeds folder {seeds} does not exist; put articles there")
    with IndexLock(folder):
        rebuilt_because = None
        old: Manifest | None = None
        try:
            old = read_manifest(folder)
            if old is not None:
                _check_segments(folder, old)
        except IndexCorruptError as exc:
            rebuilt_because = f"{exc}; rebuilding from the seeds"
            log.warning("%s", rebuilt_because)
            old = None
        if old is not None and old.fingerprint != embedder.fingerprint:
            rebuilt_because = (
                f"the index was built with model {old.model} ({old.fingerprint}), not "
                f"{embedder.name} ({embedder.fingerprint}); rebuilding from the seeds"
            )
            log.warning("%s", rebuilt_because)
            old = None
        if full:
            rebuilt_because = rebuilt_because or "full rebuild requested"
            old = None
        base = old or Manifest(
            model=embedder.name,
            fingerprint=embedder.fingerprint,
            dimension=embedder.dimension,
            built_at=now_iso(),
            generation=0,
        )

        # 1. Scan the seeds: which articles are new, changed, unchanged, gone.
        files: dict[str, FileEntry] = {}
        kept: dict[str, ArticleEntry] = {}
        fresh: list[Article] = []
        paths, skipped = article_io.seed_files(seeds, follow_links=follow_links)
        added = changed = 0
        for path in paths:
            rel = path.relative_to(seeds).as_posix()
            try:
                stat = path.stat()
            except OSError:
                continue  # deleted while we scan
            prior = base.files.get(rel)
            if _file_unchanged(prior, stat, base):
                files[rel] = prior
                kept.update({a: base.articles[a] for a in prior.articles})
                if prior.skipped:
                    skipped.append(article_io.Skipped(rel, prior.skipped))
                continue
            found, problems = article_io.read_article_file(path, rel)
            skipped.extend(problems)
            files[rel] = FileEntry(
                size=stat.st_size,
                mtime_ns=stat.st_mtime_ns,
                articles=tuple(a.article_id for a in found),
                skipped=problems[0].reason if problems and not found else None,
            )
            for article in found:
                entry = base.articles.get(article.article_id)
                if article.article_id in kept:
                    log.warning("duplicate article id %s; keeping the first", article.article_id)
                elif entry is not None and entry.content_hash == article.content_hash:
                    kept[article.article_id] = entry
                else:
                    if entry is None:
                        added += 1
                    else:
                        changed += 1
                    fresh.append(article)
        fresh_ids = {a.article_id for a in fresh}
        gone = [a for a in base.articles if a not in kept and a not in fresh_ids]
        if not kept and not fresh:
            raise SeedsError(
                f"no article could be read in {seeds}"
                + (f" ({len(skipped)} file(s) skipped: see the warnings above)" if skipped else "")
                + "; add .txt, .json/.jsonl or <DOC> files"
            )

        # 2. The embedding cache: vectors of replaced articles and of interrupted builds.
        cache = _Cache(embedder.dimension)
        stale_segments = {
            base.articles[a].segment
            for a in list(gone) + [a for a in fresh_ids if a in base.articles]
        }
        pending = segment_ids_on_disk(folder) - set(base.segments)
        if full:
            pending = set()
        # Segments the manifest names were checksummed above: read each once, unchecked.
        loaded: dict[str, Segment] = {}
        for sid in sorted(stale_segments | pending):
            try:
                loaded[sid] = read_segment(folder, sid)
            except IndexCorruptError as exc:
                log.info("not using segment %s as cache: %s", sid, exc)
                continue
            if loaded[sid].fingerprint == embedder.fingerprint:
                cache.add_segment(loaded[sid])

        # 3. Compaction: rewrite segments that are mostly dead, and merge the small
        #    segments that incremental runs leave once there are many of them. Large
        #    segments are left alone, so a small edit never rewrites a big index.
        live_by_segment: dict[str, int] = {}
        for entry in kept.values():
            live_by_segment[entry.segment] = live_by_segment.get(entry.segment, 0) + entry.passages
        to_rewrite = {
            sid
            for sid, live in live_by_segment.items()
            if live < MIN_LIVE_SHARE * base.segments[sid].count
        }
        small = {sid for sid, live in live_by_segment.items() if live < SMALL_SEGMENT}
        if len(small) + 1 > MAX_SMALL_SEGMENTS:
            to_rewrite |= small
        moved: dict[str, list[tuple[Passage, str, np.ndarray]]] = {}
        for sid in sorted(to_rewrite):
            segment = loaded.get(sid) or read_segment(folder, sid)
            for passage, key, vector in zip(segment.passages, segment.keys, segment.vectors):
                if kept.get(passage.article_id, None) and kept[passage.article_id].segment == sid:
                    moved.setdefault(passage.article_id, []).append((passage, key, vector))

        # 4. Chunk the fresh articles, embed what the cache lacks, write segments.
        articles_out = {a: e for a, e in kept.items() if e.segment not in to_rewrite}
        segments_out = {sid: base.segments[sid] for sid in {e.segment for e in articles_out.values()}}
        work: list[_Work] = []
        for aid in sorted(moved):
            rows = moved[aid]
            work.append(
                _Work(aid, kept[aid].content_hash, kept[aid].source, [r[0] for r in rows],
                      [r[1] for r in rows], np.stack([r[2] for r in rows]))
            )
        for article in fresh:
            passages = article_passages(article)
            if not passages:
                skipped.append(article_io.Skipped(article.source.path, f"{article.article_id}: no sentence to index"))
                continue
            keys = [embed_key(embedding_input(p)) for p in passages]
            work.append(_Work(article.article_id, article.content_hash, article.source, passages, keys, None))
        to_embed = len({k for w in work if w.vectors is None for k in w.keys if cache.get(k) is None})
        counts = {"embedded": 0, "cached": 0}
        bar = None
        if progress and to_embed:
            from tqdm import tqdm  # noqa: PLC0415

            bar = tqdm(total=to_embed, unit="passage", desc="Embedding", dynamic_ncols=True)

        def flush(batch: list[_Work]) -> None:
            missing = sorted({k for w in batch if w.vectors is None for k in w.keys if cache.get(k) is None})
            texts = {k: embedding_input(p) for w in batch for p, k in zip(w.passages, w.keys)}
            for start in range(0, len(missing), EMBED_BATCH):
                chunk = missing[start : start + EMBED_BATCH]
                for key, vector in zip(chunk, embedder.embed_passages([texts[k] for k in chunk])):
                    cache.put(key, vector)
                counts["embedded"] += len(chunk)
                if bar is not None:
                    bar.update(len(chunk))
                if on_progress is not None:
                    on_progress(counts["embedded"], to_embed)
            fresh_rows = sum(len(w.keys) for w in batch if w.vectors is None)
            counts["cached"] += fresh_rows - len(missing)
            vectors = np.concatenate(
                [w.vectors if w.vectors is not None else np.stack([cache.get(k) for k in w.keys]) for w in batch]
            )
            sid = new_segment_id()
            segments_out[sid] = write_segment(
                folder, sid, embedder.fingerprint,
                [p for w in batch for p in w.passages], [k for w in batch for k in w.keys], vectors,
            )
            for w in batch:
                articles_out[w.article_id] = ArticleEntry(w.content_hash, sid, len(w.passages), w.source)

        try:
            batch: list[_Work] = []
            size = 0
            for job in work:
                batch.append(job)
                size += len(job.passages)
                if size >= SEGMENT_PASSAGES:
                    flush(batch)
                    batch, size = [], 0
            if batch:
                flush(batch)
        finally:
            if bar is not None:
                bar.close()
        embedded, cached = counts["embedded"], counts["cached"]
        indexed = set(articles_out)
        files = {
            rel: FileEntry(f.size, f.mtime_ns, tuple(a for a in f.articles if a in indexed), f.skipped)
            for rel, f in files.items()
        }

        if old is not None and not fresh and not gone and not to_rewrite and files == old.files:
            manifest = old  # nothing changed: keep the generation as it is
            remove_unreferenced(folder, manifest)
        else:
            manifest = _commit(folder, embedder, base, old, articles_out, files, segments_out)

    report = IndexReport(
        added=added,
        changed=changed,
        removed=len(gone),
        unchanged=len(kept),
        embedded=embedded,
        cached=cached,
        articles=len(manifest.articles),
        passages=manifest.passage_count,
        seconds=time.perf_counter() - started,
        skipped=tuple(skipped),
        rebuilt_because=rebuilt_because,
        generation=manifest.generation,
    )
    for aid in sorted(fresh_ids):
        log.info("%s %s", "changed" if aid in base.articles else "added", aid)
    for aid in gone:
        log.info("removed %s", aid)
    return report


def _commit(folder, embedder, base, old, articles_out, files, segments_out) -> Manifest:
    """Write the new manifest (the atomic switch), then drop what it no longer names."""
    manifest = Manifest(
        model=embedder.name,
        fingerprint=embedder.fingerprint,
        dimension=embedder.dimension,
        built_at=now_iso(),
        generation=base.generation + 1,
        articles=dict(sorted(articles_out.items())),
        files=dict(sorted(files.items())),
        segments=dict(sorted(segments_out.items())),
    )
    write_manifest(folder, manifest)
    removed = remove_unreferenced(folder, manifest)
    if removed:
        log.debug("removed %d unreferenced index files", removed)
    return manifest
