"""Passages per second by embedding path, against float32 sentence-transformers, same text.

Usage: .venv/bin/python bench/embedding_paths.py [--sentences 2000] [--rounds 3]

The text: the first N sentences of ANT articles, chunked as newsqa chunks them and
given to the model as the indexer gives them (``embedding_input``, without titles). Each
path embeds the same slices, interleaved slice by slice (every path embeds slice k
before any moves to slice k+1), so a busy machine slows all paths alike. A round's
rate is N / the path's summed time; its ratio is that rate over the baseline's in the
same round. Prints medians over rounds and the cosine of each path's vectors with
float32's (mean and lowest), and writes bench/results/embedding.json.

Paths: torch float32 at batch 64 (the baseline: the project before), torch bfloat16,
ONNX Runtime with 4-bit weights, OpenVINO bfloat16 at batches 16/32/64 (sorted by
length), and OpenVINO unsorted (to show what sorting brings).

Its baseline embeds the same unsorted slices, which plain ``encode`` never does (it
sorts the whole list by length itself): ``bench/cpu_paths.py`` measures against plain
``encode`` over the whole text, every path this CPU may use, and the CPU's peak.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tarfile
import time
from pathlib import Path

import numpy as np

from retrieval.ingest.chunking import chunk_sentences
from retrieval.ingest.passages import embedding_input
from retrieval.ingest.readers import parse_trec
from retrieval.model.bundle import build_bundled_model, bundled_model_fingerprint
from retrieval.model.embedding import load_embedder
from retrieval.model.fast_embedding import OnnxEmbedder
from retrieval.model.onnx_export import fast_model_folder
from retrieval.settings import load_settings
from retrieval.types import Passage

ROOT = Path(__file__).resolve().parent.parent
ANT = ROOT.parent / "shared" / "data" / "news" / "antcorpus.tar.gz"
RESULTS = ROOT / "bench" / "results"


def sentences(count: int) -> list[str]:
    found: list[str] = []
    with tarfile.open(ANT) as tar:
        for member in sorted(tar.getmembers(), key=lambda m: m.name):
            if not (member.isfile() and member.name.endswith(".txt")):
                continue
            for article in parse_trec(member.name, tar.extractfile(member).read().decode("utf-8", "replace")):
                chunks = chunk_sentences(article.text, article.body_start, max_chars=600, min_chars=60)
                found += [embedding_input(Passage("x", 0, c.text, 0, 0), None) for c in chunks]
            if len(found) >= count:
                return found[:count]
    return found


def paths(cache: Path) -> dict:
    """name -> a function embedding passages."""
    settings = load_settings()
    folder = fast_model_folder(build_bundled_model(cache, progress=False), cache, bundled_model_fingerprint())
    torch32 = load_embedder(settings.model, cache, embedding="torch")
    torch32.batch_size = 64
    torch16 = load_embedder(settings.model, cache, embedding="torch", bfloat16=True)

    def onnx(backend: str, batch: int) -> OnnxEmbedder:
        return OnnxEmbedder("e5", "x", folder, passages=backend, batch_size=batch)

    unsorted = onnx("openvino-bf16", 16)

    def no_sorting(texts):
        ids = unsorted._token_ids([unsorted.passage_prefix + t for t in texts])
        out = np.zeros((len(texts), unsorted.dimension), np.float32)
        unsorted.embed_passages(["x"])  # compile
        for start in range(0, len(ids), 16):
            out[start : start + 16] = unsorted._passages.run(unsorted._inputs(ids[start : start + 16]))
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    return {
        "torch float32, batch 64 (baseline)": torch32.embed_passages,
        "torch bfloat16, batch 64": torch16.embed_passages,
        "ONNX Runtime 4-bit, batch 16": onnx("onnxruntime-q4", 16).embed_passages,
        "OpenVINO bfloat16, batch 16 (default)": onnx("openvino-bf16", 16).embed_passages,
        "OpenVINO bfloat16, batch 32": onnx("openvino-bf16", 32).embed_passages,
        "OpenVINO bfloat16, batch 64": onnx("openvino-bf16", 64).embed_passages,
        "OpenVINO bfloat16, batch 16, unsorted": no_sorting,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--slices", type=int, default=8)
    args = parser.parse_args()
    texts = sentences(args.sentences)
    runners = paths(load_settings().cache_dir)
    for run in runners.values():
        run(texts[:40])  # load and warm up
    cuts = np.linspace(0, len(texts), args.slices + 1).astype(int)
    base = next(iter(runners))
    rates = {name: [] for name in runners}
    ratios = {name: [] for name in runners}
    vectors: dict[str, np.ndarray] = {}
    for round_number in range(args.rounds):
        spent = {name: 0.0 for name in runners}
        parts: dict[str, list] = {name: [] for name in runners}
        for k in range(args.slices):
            part = texts[cuts[k] : cuts[k + 1]]
            for name, run in runners.items():
                started = time.perf_counter()
                parts[name].append(run(part))
                spent[name] += time.perf_counter() - started
        for name in runners:
            rates[name].append(len(texts) / spent[name])
            ratios[name].append(rates[name][-1] / (len(texts) / spent[base]))
            vectors.setdefault(name, np.concatenate(parts[name]))
        print(f"round {round_number + 1}: load {os.getloadavg()[0]:.1f}", flush=True)
    reference = vectors[base]
    rows = {}
    print(f"\n{len(texts):,} sentences (mean {statistics.fmean(map(len, texts)):.0f} chars), "
          f"{args.rounds} rounds\n")
    print(f"{'path':<40} {'passages/s':>11} {'vs float32':>11} {'cos mean':>9} {'cos min':>9}")
    for name in runners:
        cosine = np.sum(vectors[name] * reference, axis=1)
        rows[name] = {
            "passages_per_s": round(statistics.median(rates[name]), 1),
            "ratio": round(statistics.median(ratios[name]), 2),
            "rounds": [round(r, 1) for r in rates[name]],
            "cos_mean": round(float(cosine.mean()), 5),
            "cos_min": round(float(cosine.min()), 5),
        }
        r = rows[name]
        print(f"{name:<40} {r['passages_per_s']:>11.1f} {r['ratio']:>10.2f}× {r['cos_mean']:>9.5f} {r['cos_min']:>9.5f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "embedding.json").write_text(json.dumps({"sentences": len(texts), "paths": rows}, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
