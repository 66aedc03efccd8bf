"""Bring the index up to date with the seeds, in phases: scan, plan, embed and write, commit.

Only new and changed articles are chunked and only passages whose text was never
embedded with this model are sent to it. Segments are flushed as they are done and the
new manifest is switched in atomically at the end, so a crash leaves the previous index
and the next run resumes from the segments already written.
"""

from __future__ import annotations

import errno
import logging
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from retrieval.errors import IndexCorruptError, IndexWriteError, SeedsError
from retrieval.index.approximate import code_segments
from retrieval.index.catalog import ArticleEntry
from retrieval.index.files import (
    IndexLock,
    check_index_path,
    check_seeds_path,
    write_error,
)
from retrieval.index.manifest import (
    FileEntry,
    Manifest,
    now_iso,
    read_manifest,
    write_manifest,
)
from retrieval.index.plan import (
    FreshArticle,
    Job,
    Plan,
    Scan,
    article_job,
    model_change,
    plan_update,
    scan_lines,
    vectors_tag,
)
from retrieval.index.segments import (
    remove_unreferenced,
    segment_ids_on_disk,
    verify_segment,
)
from retrieval.index.writer import (
    VectorCache,
    Written,
    moved_job,
    read_segments,
    write_jobs,
)
from retrieval.ingest.articles import read_article_file
from retrieval.ingest.passages import passage_keys, recipe
from retrieval.ingest.seedfiles import seed_files
from retrieval.model.backends import EmbedBackend, LocalBackend, WorkerLoad, rates_line
from retrieval.model.embedder import Embedder
from retrieval.types import Progress, Skipped

log = logging.getLogger(__name__)


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
    skipped: tuple[Skipped, ...] = ()
    rebuilt_because: str | None = None
    generation: int = 0
    where: str = "this machine"  # where the passages were embedded
    workers: tuple[WorkerLoad, ...] = ()

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
        if self.where != LocalBackend.where and self.workers:
            line += f"; on {self.where}, {rates_line(self.workers)}"
        return line


def update_index(
    seeds: Path, folder: Path, embedder: Embedder, *, full: bool = False,
    on_progress: Progress | None = None, follow_links: bool = False, titles: bool = True,
    backend: EmbedBackend | None = None,
) -> IndexReport:
    """Bring the index in ``folder`` up to date with the articles in ``seeds``.

    Args:
        seeds: the folder of articles.
        folder: the index folder.
        embedder: the model to embed with.
        full: rebuild from scratch: re-read every file and re-embed every passage.
        on_progress: called with (passages embedded, passages to embed) as it goes.
        follow_links: read files reached through symbolic links that leave ``seeds``.
        titles: put each article's title before its sentences in the model's input (the
            default; off only to measure what it brings, see ``newsqa eval --ablation``).
        backend: where to embed (a Ray cluster); None: ``embedder``, in this process.

    Returns:
        An IndexReport (``summary()`` gives the one-line summary).

    Raises:
        SeedsError: the seeds folder is missing or holds no readable article.
        LockedError: another indexer is writing this index.
        IndexWriteError: the index folder cannot be written (disk full, read-only).
        EmbeddingError: the backend failed for good (the previous index is left as it was).
    """
    started = time.perf_counter()
    seeds, folder = Path(seeds), Path(folder)
    check_seeds_path(seeds)
    check_index_path(folder)
    lock = IndexLock(folder)
    try:
        lock.acquire()
    except OSError as exc:
        if exc.errno not in _READ_ONLY:
            raise write_error(folder, exc) from exc
        return _read_only(seeds, folder, embedder, exc, started, full=full, titles=titles, follow_links=follow_links)
    try:
        with lock:
            old, base, rebuilt_because = _open_base(folder, embedder, full, recipe(titles))
            scan = scan_seeds(seeds, base, follow_links=follow_links, titles=titles)
            pending = set() if full else segment_ids_on_disk(folder) - set(base.segments)
            plan = plan_update(scan, base, pending)
            jobs = FreshJobs(seeds, scan.fresh, titles=titles)
            backend = backend or LocalBackend(embedder)
            written = _embed_and_write(folder, plan, base, scan, jobs, embedder, backend, on_progress, titles)
            manifest = _commit(folder, embedder, base, old, scan, plan, written)
    except OSError as exc:
        raise write_error(folder, exc) from exc
    for line in scan_lines(scan, base):
        log.info("%s", line)
    return IndexReport(
        added=scan.added, changed=scan.changed, removed=len(scan.gone), unchanged=len(scan.kept),
        embedded=written.embedded, cached=written.cached,
        articles=len(manifest.articles), passages=manifest.passage_count, generation=manifest.generation,
        seconds=time.perf_counter() - started, skipped=scan.skipped + tuple(jobs.empty),
        rebuilt_because=rebuilt_because, where=backend.where, workers=tuple(backend.loads()),
    )


#: What a folder we may read but not write answers when we try to write it.
_READ_ONLY = (errno.EACCES, errno.EPERM, errno.EROFS)


def _read_only(seeds: Path, folder: Path, embedder: Embedder, exc: OSError, started: float, *,
               full: bool, titles: bool, follow_links: bool) -> IndexReport:
    """Where the index cannot be written: "up to date" when nothing would change, else
    one error that says what needs writing. Nothing is written either way."""
    old, base, because = _open_base(folder, embedder, full, recipe(titles))
    scan = scan_seeds(seeds, base, follow_links=follow_links, titles=titles)
    changes = len(scan.fresh) + len(scan.gone)
    if old is None or because or changes:
        what = because or ("there is no index yet" if old is None else f"{changes:,} article(s) of {seeds} changed")
        raise IndexWriteError(
            f"the index folder {folder} is read-only ({exc.strerror or exc}) and needs writing: "
            f"{what}. Make it writable, or point NEWSQA_INDEX at a folder you can write"
        )
    log.info("the index folder %s is read-only; it is up to date", folder)
    return IndexReport(
        unchanged=len(scan.kept), articles=len(old.articles), passages=old.passage_count,
        generation=old.generation, seconds=time.perf_counter() - started, skipped=scan.skipped,
    )


def _open_base(
    folder: Path, embedder: Embedder, full: bool, made: str
) -> tuple[Manifest | None, Manifest, str | None]:
    """The index to update (or None), the manifest to start from, and why it is rebuilt."""
    because = None
    old: Manifest | None = None
    generation = 0
    try:
        old = read_manifest(folder)
        generation = old.generation if old is not None else 0
        if old is not None:
            quantizer = old.ann.quantizer if old.ann else None
            for sid, entry in old.segments.items():
                verify_segment(folder, sid, entry, quantizer)
    except IndexCorruptError as exc:
        because = f"{exc}; rebuilding from the seeds"
        log.warning("%s", because)
        old = None
    if old is not None and (changed := model_change(old, embedder)):
        because = changed
        log.warning("%s", because)
        old = None
    if old is not None and old.recipe != made:
        because = (
            "the index was made by another version of newsqa (passages, their inputs or "
            "their speakers are made differently now); rebuilding from the seeds"
        )
        log.warning("%s", because)
        old = None
    if full:
        because = because or "full rebuild requested"
        old = None
    base = old or Manifest(
        model=embedder.name,
        fingerprint=embedder.fingerprint,
        dimension=embedder.dimension,
        built_at=now_iso(),
        generation=generation,  # generations only grow, even across rebuilds
        recipe=made,
    )
    return old, base, because


def scan_seeds(seeds: Path, base: Manifest, *, follow_links: bool = False, titles: bool = True) -> Scan:
    """Phase 1: compare the seeds with the index.

    Unchanged files (same size and mtime) are not even read; the articles of the
    others are compared with the index by content hash. New and changed articles are
    kept by reference with their passages' embedding keys, not their text.

    Raises:
        SeedsError: no article could be read.
    """
    paths, skipped = seed_files(seeds, follow_links=follow_links)
    files: dict[str, FileEntry] = {}
    kept: dict[str, ArticleEntry] = {}
    fresh: list[FreshArticle] = []
    fresh_ids: set[str] = set()
    uses: Counter = Counter()
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
                skipped.append(Skipped(rel, prior.skipped))
            continue
        found, problems = read_article_file(path, rel)
        skipped.extend(problems)
        files[rel] = FileEntry(
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
            articles=tuple(a.article_id for a in found),
            skipped=problems[0].reason if problems and not found else None,
        )
        for article in found:
            entry = base.articles.get(article.article_id)
            if article.article_id in kept or article.article_id in fresh_ids:
                log.warning("duplicate article id %s; keeping the first", article.article_id)
            elif entry is not None and entry.content_hash == article.content_hash:
                kept[article.article_id] = entry
            else:
                added += entry is None
                changed += entry is not None
                fresh.append(FreshArticle(article.article_id, rel))
                fresh_ids.add(article.article_id)
                uses.update(passage_keys(article, titles=titles))
    gone = tuple(a for a in base.articles if a not in kept and a not in fresh_ids)
    if not kept and not fresh:
        raise SeedsError(
            f"no article could be read in {seeds}"
            + (f" ({len(skipped)} file(s) skipped: see the warnings above)" if skipped else "")
            + "; add .txt, .json/.jsonl or <DOC> files"
        )
    return Scan(files, kept, tuple(fresh), gone, added, changed, tuple(skipped), uses)


def _file_unchanged(entry: FileEntry | None, stat, manifest: Manifest) -> bool:
    return (
        entry is not None
        and entry.size == stat.st_size
        and entry.mtime_ns == stat.st_mtime_ns
        and all(a in manifest.articles for a in entry.articles)
    )


def _embed_and_write(
    folder: Path, plan: Plan, base: Manifest, scan: Scan, jobs: Iterable[Job], embedder: Embedder,
    backend: EmbedBackend, on_progress: Progress | None, titles: bool,
) -> Written:
    """Phases 3 and 4: reuse what was embedded before, embed the rest, write new segments."""
    segments = read_segments(folder, plan.cache_from)
    needed = {sid for aid in plan.move for sid in base.articles[aid].segments} - set(segments)
    segments.update(read_segments(folder, needed))
    moved = [moved_job(aid, base.articles[aid], segments, titles=titles) for aid in plan.move]
    cache = VectorCache(scan.uses + Counter(k for job in moved for k in job.keys))
    tag = vectors_tag(embedder)  # model and vector family: int8 vectors are never reused as float
    for segment in segments.values():
        if segment.fingerprint == tag:
            cache.offer(segment.keys, segment.vectors)
    del segments  # the cache keeps what the jobs need
    return write_jobs(folder, chain(moved, jobs), backend, tag, cache, on_progress=on_progress)


class FreshJobs:
    """The fresh articles' jobs, read again from their files one file at a time (phase 3).

    An article that disappeared or became empty since the scan is left out (the next
    run sees its file changed); ``empty`` lists the articles with no sentence to index.
    """

    def __init__(self, seeds: Path, fresh: Sequence[FreshArticle], *, titles: bool = True):
        self.seeds, self.fresh, self.titles = seeds, fresh, titles
        self.empty: list[Skipped] = []

    def __iter__(self) -> Iterator[Job]:
        wanted: dict[str, set[str]] = {}
        for ref in self.fresh:
            wanted.setdefault(ref.path, set()).add(ref.article_id)
        for rel, ids in wanted.items():  # files in scan order, each read once
            found, _ = read_article_file(self.seeds / rel, rel)
            articles = [a for a in found if a.article_id in ids]
            if len(articles) < len(ids):
                log.warning("%s changed while it was being indexed; the next run indexes it again", rel)
            for article in articles:
                ids.discard(article.article_id)  # a duplicate id: the first, as the scan kept
                job = article_job(article, titles=self.titles)
                if job.passages:
                    yield job
                else:
                    self.empty.append(Skipped(article.source.path, f"{article.article_id}: no sentence to index"))


def _commit(
    folder: Path,
    embedder: Embedder,
    base: Manifest,
    old: Manifest | None,
    scan: Scan,
    plan: Plan,
    written: Written,
) -> Manifest:
    """Phase 5: switch to the new manifest atomically, then drop what it no longer names."""
    articles = {**plan.keep, **written.articles}
    files = {
        rel: FileEntry(f.size, f.mtime_ns, tuple(a for a in f.articles if a in articles), f.skipped)
        for rel, f in scan.files.items()
    }
    if old is not None and not plan.changes_anything(scan, old) and files == old.files:
        remove_unreferenced(folder, old)
        return old  # nothing changed: the generation stays as it is
    segments = dict(sorted({**plan.keep_segments, **written.segments}.items()))
    live = sum(a.passages for a in articles.values())
    ann_entry, segments = code_segments(folder, segments, base.ann, live)
    manifest = Manifest(
        model=embedder.name,
        fingerprint=embedder.fingerprint,
        dimension=embedder.dimension,
        built_at=now_iso(),
        generation=base.generation + 1,
        recipe=base.recipe,
        ann=ann_entry,
        embedding=_paths(base, embedder, written),
        articles=dict(sorted(articles.items())),
        files=dict(sorted(files.items())),
        segments=segments,
    )
    write_manifest(folder, manifest)
    removed = remove_unreferenced(folder, manifest)
    if removed:
        log.debug("removed %d unreferenced index files", removed)
    return manifest


def _paths(base: Manifest, embedder: Embedder, written: Written) -> tuple[str, ...]:
    """The embedding paths whose vectors the new generation holds."""
    made = {getattr(embedder, "path", embedder.name)} if written.embedded else set()
    return tuple(sorted(set(base.embedding) | made))
