"""Benchmark: full build of the ANT corpus, then re-indexing after editing one article.

Usage:
    .venv/bin/python bench/index_ant.py [--limit N] [--fake] [--edits 5]

Extracts ../shared/data/news/antcorpus.tar.gz into a temporary folder (never into the
repository), builds an index of it from scratch, then edits one article (one sentence
changed) several times and re-indexes after each edit. Prints the full build time, the
median re-index time and their ratio. --fake uses the deterministic fake embedder
(measures everything but the model); the default is the real model.
"""

from __future__ import annotations

import argparse
import logging
import resource
import statistics
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bot.progress import progress_bar
from retrieval.index.indexer import update_index
from retrieval.model.embedder import FakeEmbedder
from retrieval.model.embedding import load_embedder
from retrieval.settings import load_settings

ANT = ROOT.parent / "shared" / "data" / "news" / "antcorpus.tar.gz"


def extract(limit: int | None, into: Path) -> Path:
    with tarfile.open(ANT) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and m.name.endswith(".txt")]
        members.sort(key=lambda m: m.name)
        if limit:
            members = members[:limit]
        tar.extractall(into, members=members, filter="data")
    return into


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N articles")
    parser.add_argument("--fake", action="store_true", help="fake embedder instead of the model")
    parser.add_argument("--edits", type=int, default=5, help="re-index runs to take the median of")
    args = parser.parse_args()
    if not ANT.exists():
        print(f"skipped: {ANT} is not there", file=sys.stderr)
        return 0
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("retrieval.ingest.articles").setLevel(logging.ERROR)
    settings = load_settings()
    embedder = FakeEmbedder(dimension=384) if args.fake else load_embedder(
        settings.model, settings.cache_dir, embedding=settings.embedding, threads=settings.threads
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory(prefix="newsqa-bench-") as tmp:
        seeds = extract(args.limit, Path(tmp) / "seeds")
        index = Path(tmp) / "index"
        files = sorted(seeds.rglob("*.txt"))
        print(f"ANT corpus: {len(files):,} files; model: {embedder.name}")
        started = time.perf_counter()
        with progress_bar() as on_progress:
            full = update_index(seeds, index, embedder, on_progress=on_progress)
        full_s = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"full build: {full_s:.1f} s ({full.passages / full_s:.1f} passages/s) — {full.summary()}")
        print(f"peak memory of the process: {peak:,.0f} MB ({before:,.0f} MB before indexing: the model)")
        edit_times, noop_times = [], []
        for i in range(args.edits):
            target = files[(i * 997) % len(files)]
            text = target.read_text(encoding="utf-8")
            marker = "</TEXT>"
            target.write_text(text.replace(marker, f"\nجملة مضافة للاختبار رقم {i}.\n{marker}", 1), encoding="utf-8")
            started = time.perf_counter()
            report = update_index(seeds, index, embedder)
            edit_times.append(time.perf_counter() - started)
            assert report.changed == 1 and report.embedded >= 1, report.summary()
            print(f"  edit {i + 1}: {edit_times[-1]:.2f} s — {report.summary()}")
            started = time.perf_counter()
            update_index(seeds, index, embedder)
            noop_times.append(time.perf_counter() - started)
        median = statistics.median(edit_times)
        print(f"re-index after editing one article: median {median:.2f} s "
              f"(min {min(edit_times):.2f}, max {max(edit_times):.2f}) over {len(edit_times)} edits")
        print(f"re-index with nothing changed: median {statistics.median(noop_times):.2f} s")
        print(f"ratio re-index / full build: {median / full_s:.2%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
