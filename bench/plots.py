"""Draw the benchmark figures as PNG: throughput by embedding path; latency and memory by size.

Usage: .venv/bin/python bench/plots.py   (after embedding_paths.py and scale.py)

Reads bench/results/embedding.json and bench/results/scale.json; writes
bench/results/embedding_paths.png and bench/results/scale.png.
"""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"


def embedding_plot() -> None:
    data = json.loads((RESULTS / "embedding.json").read_text(encoding="utf-8"))
    names = list(data["paths"])
    rates = [data["paths"][n]["passages_per_s"] for n in names]
    ratios = [data["paths"][n]["ratio"] for n in names]
    fig, ax = plt.subplots(figsize=(9, 4.5))
    bars = ax.barh(names[::-1], rates[::-1], color=["#888"] * (len(names) - 1) + ["#444"])
    for bar, ratio in zip(bars, ratios[::-1]):
        ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2, f" {ratio:.2f}×", va="center")
    ax.set_xlabel("passages per second (median of rounds; same 2-core machine, same text)")
    ax.set_title(f"Embedding {data['sentences']:,} ANT news sentences, by path")
    fig.tight_layout()
    fig.savefig(RESULTS / "embedding_paths.png", dpi=120)


def scale_plot() -> None:
    data = json.loads((RESULTS / "scale.json").read_text(encoding="utf-8"))
    sizes = sorted(data["sizes"].values(), key=lambda r: r["passages"])
    n = [r["passages"] for r in sizes]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.5))
    left.plot(n, [r["answer"]["p50_ms"] for r in sizes], "o-", label="answer p50 (embedding included)")
    left.plot(n, [r["answer"]["p95_ms"] for r in sizes], "o--", label="answer p95")
    left.plot(n, [r["search"]["exact_ms"] for r in sizes], "s-", label="exact FAISS search alone")
    probe = f"nprobe{data['nprobe']}"
    served = [(r["passages"], r["search"][probe]["ms"]) for r in sizes if probe in r["search"]]
    if served:  # the approximate search, where the index uses it
        left.plot(*zip(*served), "D", label=f"approximate search alone (IVF, nprobe {data['nprobe']})")
    left.set_xscale("log")
    left.set_xlabel("passages in the index")
    left.set_ylabel("milliseconds")
    left.legend()
    left.set_title("Latency by index size")
    right.plot(n, [r["served_mb"] for r in sizes], "o-")
    right.axhline(1536, color="#999", linestyle=":", label="1.5 GB")
    right.set_xscale("log")
    right.set_xlabel("passages in the index")
    right.set_ylabel("MB of resident memory for the index")
    right.legend()
    right.set_title("Served index memory (model not counted)")
    fig.tight_layout()
    fig.savefig(RESULTS / "scale.png", dpi=120)


if __name__ == "__main__":
    if (RESULTS / "embedding.json").exists():
        embedding_plot()
    if (RESULTS / "scale.json").exists():
        scale_plot()
