"""Index size against latency, recall and memory: 10k, 100k and 1M passages.

Usage: .venv/bin/python bench/scale.py [--sizes 10000 100000 1000000] [--queries 200] [--runs 3] [--work DIR]

For each size, a seeds folder of ANT articles, copied (each copy's sentences marked with
its number, so no two passages are the same) until there are that many passages, is
indexed by newsqa's own indexer. Embedding is not what this measures: passages get the
real multilingual-e5 vectors of a pool of real ANT passages, each with noise of its own
(``ReplayEmbedder``); questions are real, embedded by the real model. Then, in the same
run, for each size:

- the vector search alone: exact FAISS (IndexFlatIP) against the approximate index
  (IVF, 8-bit codes, re-ranked by the exact vectors) at several ``nprobe``: recall@10
  against exact (a row counts when its exact score reaches the 10th best: copies of one
  text share one vector), and p50 time;
- the whole answer (`NewsService.answer`: question embedding, dense + BM25, fusion,
  gate, copies, hits with context): p50 and p95 over the questions, median of runs;
- the served index's memory: resident memory grown by loading it (vectors, passages,
  BM25, speakers; the model is loaded before and not counted).

Prints a table and writes bench/results/scale.json (sizes measured before and not now
are kept); bench/plots.py draws it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import shutil
import statistics
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np

from retrieval.index import approximate as ann
from retrieval.index.indexer import update_index
from retrieval.index.loaded import load_index
from retrieval.index.segments import read_segment
from retrieval.index.vectors import FaissIndex
from retrieval.ingest.chunking import chunk_sentences
from retrieval.ingest.readers import parse_trec
from retrieval.model.embedder import unit_rows
from retrieval.service import NewsService
from retrieval.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent
ANT = ROOT.parent / "shared" / "data" / "news" / "antcorpus.tar.gz"
RESULTS = ROOT / "bench" / "results"
POOL = 4000  # real passages embedded for the vector pool
NOISE = 0.25


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class ReplayEmbedder:
    """Passages get real e5 vectors from a pool, each with noise of its own; questions go
    to the real model. Same fingerprint as the real model: the index is "its" index."""

    def __init__(self, real, pool: np.ndarray):
        self.real, self.pool = real, pool
        self.name, self.fingerprint, self.dimension = real.name, real.fingerprint, real.dimension

    def embed_passages(self, texts):
        out = np.empty((len(texts), self.dimension), np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            rng = np.random.default_rng(seed)
            out[i] = self.pool[seed % len(self.pool)] + NOISE * rng.normal(size=self.dimension) / np.sqrt(self.dimension)
        return unit_rows(out)

    def embed_queries(self, texts):
        return self.real.embed_queries(texts)

    def warm_up(self):
        getattr(self.real, "warm_up", lambda: None)()


def ant_articles(limit: int | None = None) -> list[tuple[str, str]]:
    """(name, TREC text) of ANT articles with a body."""
    found = []
    with tarfile.open(ANT) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith(".txt"):
                text = tar.extractfile(member).read().decode("utf-8", errors="replace")
                if parse_trec(member.name, text):
                    found.append((Path(member.name).name, text))
                    if limit and len(found) >= limit:
                        break
    return found


def make_seeds(folder: Path, articles: list[tuple[str, str]], passages: int) -> None:
    """Copies of the articles, each copy's lines marked, until about ``passages`` passages."""
    folder.mkdir(parents=True)
    total, copy = 0, 0
    while total < passages:
        for name, text in articles:
            marked = text.replace(".\n", f" [{copy}].\n") if copy else text
            (folder / f"c{copy:03}-{name}").write_text(marked, encoding="utf-8")
            body = parse_trec(name, marked)[0]
            total += len(chunk_sentences(body.text, body.body_start, max_chars=600, min_chars=60))
            if total >= passages:
                return
        copy += 1


def served_memory(folder: Path) -> float:
    """MB of resident memory that loading the index adds, in a fresh process (no model)."""
    import subprocess
    import sys

    code = (
        "import sys; sys.argv=['x']; from bench.scale import rss_mb; from retrieval.index.loaded import load_index;"
        f"before = rss_mb(); index = load_index({str(folder)!r}); print(rss_mb() - before)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def vector_search(folder: Path, queries: np.ndarray) -> dict:
    """Exact against approximate search over the index's vectors, and their times."""
    loaded = load_index(folder)
    exact = FaissIndex.empty(loaded.manifest.dimension)
    for sid in loaded.manifest.segments:
        exact.add(read_segment(folder, sid).vectors)
    truth = exact.search(queries, 10)[0][:, -1]  # each question's 10th best exact score
    result = {"exact_ms": _p50_ms(lambda q: exact.search(q, 10), queries)}
    if isinstance(loaded.vectors, ann.ApproximateIndex):
        for nprobe in (8, 16, 32, 48, 64, 128):
            loaded.vectors._index.nprobe = nprobe
            rows = loaded.vectors.search(queries, 10)[1]
            recall = _recall(exact, queries, rows, truth)
            result[f"nprobe{nprobe}"] = {
                "recall10": round(recall, 4),
                "ms": _p50_ms(lambda q: loaded.vectors.search(q, 10), queries),
            }
        loaded.vectors._index.nprobe = ann.NPROBE
    return result


def _recall(exact: FaissIndex, queries: np.ndarray, rows: np.ndarray, tenth: np.ndarray) -> float:
    """Recall@10 against exact search, fair to equal vectors: a returned row counts when
    its exact score reaches the 10th best exact score (copies of one text have one vector,
    and which of them exact search lists is arbitrary)."""
    found = []
    for query, got, bar in zip(queries, rows, tenth):
        got = got[got >= 0]
        scores = exact.take(got) @ query if len(got) else np.zeros(0)
        found.append(min(10, int(np.sum(scores >= bar - 1e-5))) / 10)
    return float(np.mean(found))


def _p50_ms(search, queries: np.ndarray) -> float:
    times = []
    for q in queries:
        started = time.perf_counter()
        search(q[None, :])
        times.append(1000 * (time.perf_counter() - started))
    return round(statistics.median(times), 3)


def answer_latency(service: NewsService, questions: list[str], runs: int) -> dict:
    p50s, p95s = [], []
    for _ in range(runs):
        times = []
        for question in questions:
            started = time.perf_counter()
            service.answer(question, k=5)
            times.append(1000 * (time.perf_counter() - started))
        times.sort()
        p50s.append(statistics.median(times))
        p95s.append(times[int(0.95 * (len(times) - 1))])
    return {"p50_ms": round(statistics.median(p50s), 2), "p95_ms": round(statistics.median(p95s), 2)}


def questions_pool(count: int) -> list[str]:
    data = json.loads((ROOT.parent / "shared" / "data" / "qa" / "arcd.json").read_text(encoding="utf-8"))
    found = [qa["question"] for a in data["data"] for p in a["paragraphs"] for qa in p["qas"]]
    return found[:count]


def measure(size: int, articles, real, pool, questions, runs: int, work: Path, keep: bool) -> dict:
    seeds, index = work / f"seeds-{size}", work / f"index-{size}"
    built = work / f"built-{size}.json"
    embedder = ReplayEmbedder(real, pool)
    if keep and built.exists() and (index / "manifest.json").exists():
        report = json.loads(built.read_text(encoding="utf-8"))  # built by an earlier run
        print(f"{size:,} passages: reusing the index built in {report['build_s']} s", flush=True)
    else:
        make_seeds(seeds, articles, size)
        started = time.perf_counter()
        report = {"passages": update_index(seeds, index, embedder).passages,
                  "build_s": round(time.perf_counter() - started, 1)}
        built.write_text(json.dumps(report), encoding="utf-8")
    served_mb = served_memory(index)
    service = NewsService(seeds, index, embedder, min_score=0.0, margin=0.0)
    service.open(build=False)
    service.warm_up().join()  # as the bot does once it is up
    vectors = real.embed_queries(questions)
    result = {
        "passages": report["passages"],
        "approximate": service.index.manifest.ann is not None,
        "build_s": report["build_s"],
        "served_mb": round(served_mb, 1),
        "search": vector_search(index, vectors),
        "answer": answer_latency(service, questions, runs),
    }
    if not keep:
        shutil.rmtree(seeds)
        shutil.rmtree(index)
    return result


def _embed_ms(real, questions: list[str]) -> float:
    times = []
    for question in questions[:50]:
        started = time.perf_counter()
        real.embed_queries([question])
        times.append(1000 * (time.perf_counter() - started))
    return round(statistics.median(times), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", help="keep the seeds and indexes here; a later run with the same "
                        "folder measures them again without rebuilding (build time: the first run's)")
    args = parser.parse_args()
    logging.disable(logging.INFO)
    from retrieval.model.embedding import embedder_from_settings

    real = embedder_from_settings(load_settings())
    articles = ant_articles()
    sample = [s.text for name, text in articles[:600] for s in chunk_sentences(parse_trec(name, text)[0].text)][:POOL]
    pool = real.embed_passages(sample)
    questions = questions_pool(args.queries)
    results = {"model": real.name, "approximate_from": ann.ANN_MIN_PASSAGES, "nprobe": ann.NPROBE, "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="newsqa-scale-") as tmp:
        work = Path(args.work) if args.work else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            result = measure(size, articles, real, pool, questions, args.runs, work, keep=bool(args.work))
            result["embed_query_ms"] = _embed_ms(real, questions)
            results["sizes"][str(size)] = result
            print(json.dumps({size: result}, ensure_ascii=False), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / "scale.json"
    if path.exists():  # sizes measured in other runs stay, unless measured again now
        before = json.loads(path.read_text(encoding="utf-8"))
        results["sizes"] = {**before.get("sizes", {}), **results["sizes"]}
        results["sizes"] = dict(sorted(results["sizes"].items(), key=lambda item: int(item[0])))
    path.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print("\npassages  index   build_s  served_MB  exact_ms  answer_p50  answer_p95  recall@10(nprobe)")
    for size, r in results["sizes"].items():
        probe = r["search"].get(f"nprobe{ann.NPROBE}", {})
        print(f"{r['passages']:>9,} {'IVF' if r['approximate'] else 'flat':>6} {r['build_s']:>8.1f} "
              f"{r['served_mb']:>10.0f} {r['search']['exact_ms']:>9.2f} {r['answer']['p50_ms']:>11.2f} "
              f"{r['answer']['p95_ms']:>11.2f}  {probe.get('recall10', '-')}")


if __name__ == "__main__":
    main()
