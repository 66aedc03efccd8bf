"""Every embedding path on this CPU against plain sentence-transformers and the CPU's peak.

Usage: .venv/bin/python bench/cpu_paths.py [--passages 200] [--rounds 3] [--threads 0]
       [--questions ../shared/data/qa/arcd.json]

- Text: ANT passages chunked as the indexer chunks them (``bench/embedding_paths.py``),
  questions the first 80 characters of 50 of them, or 150 real questions of a
  SQuAD-format file (``--questions``: ARCD's are 15.6 tokens on average).
- Baseline, in the same run: plain sentence-transformers ``encode`` over the whole list,
  float32, its default batch (32) and its own length sorting, the same threads.
- Paths: each one this CPU may use (``retrieval.model.paths.candidates``) at its best
  batch of 8/16/32, interleaved with the baseline round by round (a busy machine slows
  all alike); medians over rounds of passages/s and of the ratio to the baseline's rate in
  the same round, the cosine of its vectors with the baseline's, and its share of the
  measured float32 peak and of the peak of its own arithmetic (int8 and 4-bit: ONNX
  Runtime's int8 multiply; bfloat16: PyTorch's, where the CPU has it) (``bench/roofline.py``:
  FLOPs from the real token counts).
- Questions: each ONNX Runtime path one at a time (as ``ask`` embeds them), the paths in
  turn round after round, ms each against the float32 roofline bound and its own
  arithmetic's (a 14-token question is far from either peak: its weights are read once
  for few rows).
- The calibration's choice for these threads (``newsqa model``), marked ``*``.

Prints the CPU and its flags first; writes bench/results/cpu_paths.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ and tests/ (run as a script)

from bench.embedding_paths import sentences  # noqa: E402
from bench.machine import cpu  # noqa: E402
from bench.roofline import bfloat16_peak, float32_peak, int8_peak, model_flops, own_peak  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def timed(call) -> tuple[float, np.ndarray]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=0, help="0: one per core")
    parser.add_argument("--questions", type=Path, help="a SQuAD-format file whose questions to time")
    args = parser.parse_args()
    threads = args.threads or os.cpu_count()

    import torch  # noqa: PLC0415
    from sentence_transformers import SentenceTransformer  # noqa: PLC0415

    from retrieval.model.bundle import build_bundled_model  # noqa: PLC0415
    from retrieval.model.calibration import cpu_flags, read_calibration  # noqa: PLC0415
    from retrieval.model.embedding import load_embedder  # noqa: PLC0415
    from retrieval.model.fast_embedding import Graph  # noqa: PLC0415
    from retrieval.model.int8 import int8_graph  # noqa: PLC0415
    from retrieval.model.paths import PASSAGE_BATCHES, candidates  # noqa: PLC0415
    from retrieval.settings import load_settings  # noqa: PLC0415

    settings = load_settings()
    torch.set_num_threads(threads)
    embedder = load_embedder(settings.model, settings.cache_dir, embedding="onnxruntime-f32", threads=args.threads)
    int8_graph(embedder.folder)
    record = read_calibration(embedder.folder, args.threads)
    texts = sentences(args.passages)
    questions = [t[:80] for t in texts[:50]]
    if args.questions:
        from retrieval.evaluation import load_squad  # noqa: PLC0415

        asked = [item.question for item, _ in load_squad(args.questions)[1]]
        questions = asked[:: max(1, len(asked) // 150)][:150]
    tokens = [len(e.ids) for e in embedder._full_tokenizer().encode_batch([embedder.passage_prefix + t for t in texts])]
    q_tokens = [len(e.ids) for e in embedder._full_tokenizer().encode_batch([embedder.query_prefix + q for q in questions])]
    per_passage = statistics.mean(model_flops(t) for t in tokens)
    per_question = statistics.mean(model_flops(t) for t in q_tokens)
    print(f"{cpu()}; {threads} threads; {len(texts)} ANT passages, mean {statistics.mean(tokens):.0f} tokens")
    rows_at_peak = 16 * int(statistics.median(tokens))
    peak32, peak8 = float32_peak(rows_at_peak, 5), int8_peak(rows_at_peak, 5)
    peaks = {"f32": peak32, "bf16": bfloat16_peak(rows_at_peak, 5), "int8": peak8}
    print(f"peak: float32 {peak32:,.0f} GFLOP/s, int8 {peak8 or 0:,.0f} GOP/s"
          + (f", bfloat16 {peaks['bf16']:,.0f} GFLOP/s" if peaks["bf16"] else "")
          + f"; a passage {per_passage / 1e9:.2f} GFLOP, float32 ceiling {peak32 * 1e9 / per_passage:.1f} passages/s")

    st = SentenceTransformer(str(build_bundled_model(settings.cache_dir, progress=False)), local_files_only=True)
    baseline = lambda: st.encode(texts, prompt_name="passage", batch_size=32, normalize_embeddings=True)  # noqa: E731
    paths = candidates("passages", cpu_flags(), openvino=find_spec("openvino") is not None)
    graphs = {p: Graph(embedder.folder, p, args.threads or None) for p in paths}
    batches = {}
    for path, graph in graphs.items():  # each path's best batch, on a slice
        sample = texts[:64]
        batches[path] = min(PASSAGE_BATCHES, key=lambda b: timed(lambda: embedder.embed_with(graph, sample, b))[0])
    st.encode(texts[:32], prompt_name="passage")
    rates: dict[str, list[float]] = {p: [] for p in ["baseline", *paths]}
    ratios: dict[str, list[float]] = {p: [] for p in paths}
    cosines: dict[str, float] = {}
    for _ in range(args.rounds):
        seconds, reference = timed(baseline)
        rates["baseline"].append(len(texts) / seconds)
        for path, graph in graphs.items():
            seconds, vectors = timed(lambda: embedder.embed_with(graph, texts, batches[path]))
            rates[path].append(len(texts) / seconds)
            ratios[path].append(rates[path][-1] / rates["baseline"][-1])
            cosines[path] = float(np.sum(vectors * reference, axis=1).mean())
    chosen = record.passages.path if record else None
    base = statistics.median(rates["baseline"])
    print(f"\n{'passages':<26} {'batch':>5} {'per s':>7} {'× baseline':>11} {'share of f32 peak':>18} "
          f"{'of its own':>11} {'cosine':>8}")
    print(f"{'sentence-transformers f32':<26} {32:>5} {base:>7.1f} {1.0:>11.2f} {base * per_passage / 1e9 / peak32:>18.0%} "
          f"{base * per_passage / 1e9 / peak32:>11.0%} {1.0:>8.4f}")
    rows = []
    for path in paths:
        rate, ratio = statistics.median(rates[path]), statistics.median(ratios[path])
        share = rate * per_passage / 1e9 / peak32
        own = own_peak(path, peaks)
        share_own = rate * per_passage / 1e9 / own if own else None
        rows.append({"path": path, "batch": batches[path], "per_second": rate, "ratio": ratio, "share_f32_peak": share,
                     "share_own_peak": share_own, "cosine": cosines[path], "chosen": path == chosen})
        print(f"{path + (' *' if path == chosen else ''):<26} {batches[path]:>5} {rate:>7.1f} {ratio:>11.2f} {share:>18.0%} "
              f"{format(share_own, '.0%') if share_own else '—':>11} {cosines[path]:>8.4f}")
    bound = per_question / (peak32 * 1e9)
    print(f"\n{'questions, one at a time':<26} {'ms':>7} {'× f32 bound':>12} {'× its own':>10}  (f32 bound {bound * 1e3:.1f} ms; "
          f"{len(questions)} questions, mean {statistics.mean(q_tokens):.1f} tokens)")
    q_paths = candidates("questions", cpu_flags(), openvino=False)
    q_graphs = {path: graphs.get(path) or Graph(embedder.folder, path, args.threads or None) for path in q_paths}
    q_runs: dict[str, list[float]] = {path: [] for path in q_paths}
    for path, graph in q_graphs.items():
        for q in questions[:3]:
            embedder.embed_with(graph, [q], 1, prefix=embedder.query_prefix)
    for _ in range(args.rounds):  # the paths in turn: a busy moment slows a round of each
        for path, graph in q_graphs.items():
            q_runs[path].append(timed(lambda: [embedder.embed_with(graph, [q], 1, prefix=embedder.query_prefix)
                                               for q in questions])[0] / len(questions))
    q_rows = []
    for path in q_paths:
        ms = statistics.median(q_runs[path]) * 1e3
        own = own_peak(path, peaks)
        own_bound = per_question / (own * 1e9) if own else None
        q_rows.append({"path": path, "ms": ms, "bound_ms": bound * 1e3, "own_bound_ms": own_bound and own_bound * 1e3,
                       "chosen": record is not None and path == record.questions.path})
        print(f"{path + (' *' if q_rows[-1]['chosen'] else ''):<26} {ms:>7.1f} {ms / 1e3 / bound:>12.2f} "
              f"{format(ms / 1e3 / own_bound, '.2f') if own_bound else '—':>10}")
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "cpu_paths.json").write_text(json.dumps({
        "cpu": cpu(), "threads": threads, "passages": len(texts), "peak_f32_gflops": peak32, "peak_int8_gops": peak8,
        "peak_bf16_gflops": peaks["bf16"],
        "gflop_per_passage": per_passage / 1e9, "baseline_per_second": base, "paths": rows, "questions": q_rows,
        "question_tokens": statistics.mean(q_tokens),
        "calibration": record.as_json() if record else None}, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
