"""Indexing on a Ray cluster against a local build: passages/s with 1 and 2 worker nodes.

Usage: .venv/bin/python bench/ray_index.py [--folders culture technology] [--runs 3]

Needs the ray extra (make ray). In one run, on the same ANT articles (extracted from
../shared/data/news/antcorpus.tar.gz into a temporary folder):

- local: ``update_index`` with the default embedder on this machine (all its cores);
- ray-1, ray-2: a Ray cluster on this machine (127.0.0.1 only) with a head node that has
  no CPU and 1 or 2 worker nodes of 1 CPU each; ``update_index`` with the Ray backend;
- writer: the same build with a model that costs nothing (the fake embedder): how fast
  the machine that owns the index scans, writes and commits, the ceiling of one driver
  however many workers embed.

Each build is a full build into a new folder; the median of ``--runs`` builds is kept.
Figures: passages embedded a second end to end (scan to commit), each worker's own rate
(passages / seconds it spent embedding), the cluster's start (connecting, shipping the
model, loading it on the workers) apart, and the projected time for 10 M passages on N
workers: N × the per-worker rate × the 2-node scaling efficiency, capped by the writer.
Prints a table with the CPU and its flags; writes bench/results/ray_index.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ and tests/ (run as a script)

from bench.machine import cpu  # noqa: E402
from retrieval.index.indexer import update_index  # noqa: E402
from retrieval.model.backends import LocalBackend  # noqa: E402
from retrieval.model.embedder import FakeEmbedder  # noqa: E402
from retrieval.model.embedding import embedder_from_settings  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402

ANT = ROOT.parent / "shared" / "data" / "news" / "antcorpus.tar.gz"
RESULTS = ROOT / "bench" / "results" / "ray_index.json"
TARGET = 10_000_000
PROJECTED_WORKERS = (1, 2, 8, 32, 128)


def extract(folders: list[str], into: Path) -> Path:
    seeds = into / "seeds"
    seeds.mkdir()
    with tarfile.open(ANT) as tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if member.isfile() and len(parts) >= 3 and parts[-2] in folders:
                (seeds / f"{parts[-2]}-{parts[-1]}").write_bytes(tar.extractfile(member).read())
    return seeds


def busy_jiffies() -> tuple[int, int]:
    """(busy, all) CPU time of the whole machine so far, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return sum(values) - values[3] - values[4], sum(values)


def builds(seeds: Path, work: Path, embedder, backend, runs: int, label: str) -> dict:
    """``runs`` full builds; the median's figures, with the machine's busy cores."""
    rows = []
    for run in range(runs):
        busy0, all0 = busy_jiffies()
        report = update_index(seeds, work / f"{label}-{run}", embedder, full=True, backend=backend)
        busy1, all1 = busy_jiffies()
        workers = [{"worker": w.worker, "passages": w.passages, "rate": round(w.rate, 1)} for w in report.workers]
        rows.append({"seconds": report.seconds, "embedded": report.embedded,
                     "rate": report.embedded / report.seconds, "workers": workers,
                     "busy_cores": round((busy1 - busy0) / max(1, all1 - all0) * os.cpu_count(), 2)})
        if hasattr(backend, "_loads"):
            backend._loads.clear()  # each run's worker rates on their own
        print(f"  {label} run {run + 1}: {rows[-1]['rate']:.1f} passages/s", flush=True)
    median = sorted(rows, key=lambda r: r["rate"])[len(rows) // 2]
    worker_rates = [w["rate"] for r in rows for w in r["workers"]]
    return {**median, "runs": [round(r["rate"], 1) for r in rows],
            "worker_rate": statistics.median(worker_rates) if worker_rates else None}


def on_ray(nodes: int, seeds: Path, work: Path, embedder, runs: int) -> dict:
    from retrieval.model.ray_backend import RayBackend  # noqa: PLC0415
    from tests.ray_cluster import local_cluster  # noqa: PLC0415  (the tests' loopback cluster)

    with local_cluster(nodes) as (cluster, _):
        started = time.perf_counter()
        backend = RayBackend.connect(cluster.address, embedder)
        try:
            list(backend.embed_batches([["warm-up"]] * len(backend.actors)))  # models loaded
            backend._loads.clear()
            start = time.perf_counter() - started
            result = builds(seeds, work, embedder, backend, runs, f"ray-{nodes}")
        finally:
            backend.close()
    return {**result, "start_seconds": round(start, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folders", nargs="+", default=["culture", "technology"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    embedder = embedder_from_settings(load_settings())
    with tempfile.TemporaryDirectory(prefix="newsqa-ray-bench-") as tmp:
        work = Path(tmp)
        seeds = extract(args.folders, work)
        print(f"{len(list(seeds.iterdir()))} ANT articles ({', '.join(args.folders)}); {cpu()}", flush=True)
        results = {
            "local": builds(seeds, work, embedder, LocalBackend(embedder), args.runs, "local"),
            "ray-1": on_ray(1, seeds, work, embedder, args.runs),
            "ray-2": on_ray(2, seeds, work, embedder, args.runs),
        }
        fake = FakeEmbedder(dimension=embedder.dimension)
        results["writer"] = builds(seeds, work, fake, LocalBackend(fake), args.runs, "writer")
    report(results, args)


def report(results: dict, args) -> None:
    local = results["local"]["rate"]
    print(f"\n{'build':<8} {'passages/s':>11} {'× local':>8} {'per worker':>11} {'busy cores':>11} {'cluster start':>14}")
    for label in ("local", "ray-1", "ray-2", "writer"):
        r = results[label]
        per = f"{r['worker_rate']:.1f}" if label.startswith("ray") else "-"
        start = f"{r['start_seconds']:.1f} s" if "start_seconds" in r else "-"
        print(f"{label:<8} {r['rate']:>11.1f} {r['rate'] / local:>8.2f} {per:>11} {r['busy_cores']:>11.2f} {start:>14}")
    one, two = results["ray-1"]["rate"], results["ray-2"]["rate"]
    efficiency = two / (2 * one)
    per_worker = two / 2  # end to end, with two workers sharing the driver: the conservative one
    ceiling = results["writer"]["rate"]
    print(f"\n2-node scaling efficiency {efficiency:.2f}; writer ceiling {ceiling:,.0f} passages/s; "
          f"projected with {per_worker:.1f} passages/s a worker (ray-2's end-to-end rate / 2)")
    projection = {}
    for n in PROJECTED_WORKERS:
        rate = min(n * per_worker, ceiling)
        projection[n] = {"passages_per_second": round(rate, 1), "hours": round(TARGET / rate / 3600, 1)}
        print(f"  {n:>4} workers of 1 CPU: {rate:>8,.0f} passages/s → 10 M passages in {TARGET / rate / 3600:,.1f} h")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "measured": time.strftime("%Y-%m-%d"), "cpu": cpu(), "folders": args.folders, "runs": args.runs,
        "results": results, "efficiency_2_nodes": round(efficiency, 3), "per_worker_rate": per_worker,
        "writer_ceiling": round(ceiling, 1), "projection_10M": projection,
    }, indent=2))
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
