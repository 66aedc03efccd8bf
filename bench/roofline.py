"""A roofline for embedding on this CPU: its measured matrix-multiply peak against what
each embedding path reaches, from the model's FLOPs on real token counts.

Usage: .venv/bin/python bench/roofline.py [--sentences 400] [--runs 5]

- Peak: the best of ``--runs`` timings of the model's own matrix shapes (a batch of 16
  passages of the corpus's median length: Q/K/V/output 384×384, feed-forward 384×1536
  and 1536×384), float32 with numpy's BLAS and int8 with ONNX Runtime's
  ``MatMulInteger``, on every core.
- Work: multilingual-e5-small has 12 layers of width 384 (feed-forward 1536): about
  2 × (4·384² + 2·384·1536) = 3.5 MFLOP a token a layer in its matrices, plus attention
  (4 · tokens · 384 a token a layer); each passage's FLOPs come from its real token count
  ("passage: " prefix included), and each question's ("query: ").
- Paths: passages a second of the default passage path and of ONNX Runtime (the
  embedder's own batching and sorting) on ANT sentences, and single questions a second on
  the question path; each as GFLOP/s and as a share of the float32 peak.

Figures only, printed with the CPU and its flags; this is the first part of the
per-machine choice of path (issue 22), not the choice itself.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tarfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # bench/ and tests/ (run as a script)

from bench.machine import cpu  # noqa: E402

ANT = ROOT.parent / "shared" / "data" / "news" / "antcorpus.tar.gz"
HIDDEN, FFN, LAYERS = 384, 1536, 12


def model_flops(tokens: int) -> float:
    """FLOPs of one sequence of ``tokens`` tokens through the encoder's matrices and attention."""
    matrices = 2 * (4 * HIDDEN * HIDDEN + 2 * HIDDEN * FFN) * tokens
    attention = 4 * tokens * tokens * HIDDEN
    return LAYERS * (matrices + attention)


def shapes(rows: int) -> list[tuple[int, int, int]]:
    """(m, k, n) of one layer's matrix multiplies for ``rows`` tokens."""
    return [(rows, HIDDEN, HIDDEN)] * 4 + [(rows, HIDDEN, FFN), (rows, FFN, HIDDEN)]


def best_seconds(call, runs: int) -> float:
    call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def float32_peak(rows: int, runs: int) -> float:
    rng = np.random.default_rng(0)
    pairs = [(rng.standard_normal((m, k), dtype=np.float32), rng.standard_normal((k, n), dtype=np.float32))
             for m, k, n in shapes(rows)]
    flops = sum(2 * m * k * n for m, k, n in shapes(rows))
    seconds = best_seconds(lambda: [a @ b for a, b in pairs], runs)
    return flops / seconds / 1e9


def int8_peak(rows: int, runs: int) -> float | None:
    """GOP/s of ONNX Runtime's MatMulInteger (uint8 × int8) on the same shapes; None without onnx."""
    try:
        import onnxruntime as ort  # noqa: PLC0415
        from onnx import TensorProto, helper  # noqa: PLC0415
    except ImportError:
        return None
    nodes, inputs, outputs, feeds = [], [], [], {}
    rng = np.random.default_rng(0)
    for i, (m, k, n) in enumerate(shapes(rows)):
        inputs += [helper.make_tensor_value_info(f"a{i}", TensorProto.UINT8, [m, k]),
                   helper.make_tensor_value_info(f"b{i}", TensorProto.INT8, [k, n])]
        outputs.append(helper.make_tensor_value_info(f"c{i}", TensorProto.INT32, [m, n]))
        nodes.append(helper.make_node("MatMulInteger", [f"a{i}", f"b{i}"], [f"c{i}"]))
        feeds[f"a{i}"] = rng.integers(0, 255, (m, k), dtype=np.uint8)
        feeds[f"b{i}"] = rng.integers(-127, 127, (k, n), dtype=np.int8)
    graph = helper.make_graph(nodes, "gemms", inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    ops = sum(2 * m * k * n for m, k, n in shapes(rows))
    return ops / best_seconds(lambda: session.run(None, feeds), runs) / 1e9


def bfloat16_peak(rows: int, runs: int) -> float | None:
    """GFLOP/s of PyTorch's bfloat16 matrix multiply (oneDNN) on the same shapes, where the
    CPU computes bfloat16 itself (AVX512_BF16 or AMX); None elsewhere (it would be emulated)."""
    from retrieval.model.calibration import cpu_flags  # noqa: PLC0415
    from retrieval.model.paths import native_bf16  # noqa: PLC0415

    if not native_bf16(cpu_flags()):
        return None
    import torch  # noqa: PLC0415

    generator = torch.Generator().manual_seed(0)
    pairs = [(torch.randn(m, k, generator=generator).bfloat16(), torch.randn(k, n, generator=generator).bfloat16())
             for m, k, n in shapes(rows)]
    flops = sum(2 * m * k * n for m, k, n in shapes(rows))
    with torch.inference_mode():
        return flops / best_seconds(lambda: [a @ b for a, b in pairs], runs) / 1e9


def own_peak(path: str, peaks: dict[str, float | None]) -> float | None:
    """The peak of the arithmetic a path computes in: its precision's, and 4-bit weights
    are multiplied in int8 (``accuracy_level=4``, ``retrieval.model.onnx_export``)."""
    arithmetic = path.rsplit("-", 1)[-1]
    return peaks.get({"q4": "int8"}.get(arithmetic, arithmetic))


def sentences(count: int) -> list[str]:
    found = []
    with tarfile.open(ANT) as tar:
        for member in tar:
            if member.isfile() and "/culture/" in member.name:
                text = tar.extractfile(member).read().decode("utf-8", "replace")
                found += [line.strip() for line in text.splitlines() if len(line.strip()) > 30]
                if len(found) >= count:
                    return found[:count]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=400)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    from retrieval.model.embedding import embedder_from_settings  # noqa: PLC0415
    from retrieval.model.fast_embedding import OnnxEmbedder  # noqa: PLC0415
    from retrieval.settings import load_settings  # noqa: PLC0415

    embedder = embedder_from_settings(load_settings())
    texts = sentences(args.sentences)
    tokenizer = embedder._full_tokenizer()
    passage_tokens = [len(e.ids) for e in tokenizer.encode_batch([embedder.passage_prefix + t for t in texts])]
    question_tokens = [len(e.ids) for e in tokenizer.encode_batch([embedder.query_prefix + t[:80] for t in texts])]
    median = int(statistics.median(passage_tokens))
    rows = 16 * median
    print(f"{cpu()}; {len(texts)} ANT sentences, median {median} tokens (passage), "
          f"{int(statistics.median(question_tokens))} (question)")
    peak32 = float32_peak(rows, args.runs)
    peak8 = int8_peak(rows, args.runs)
    print(f"peak: float32 {peak32:,.0f} GFLOP/s (numpy BLAS)"
          + (f", int8 {peak8:,.0f} GOP/s (ONNX Runtime MatMulInteger)" if peak8 else ", int8: onnx not installed"))
    per_passage = statistics.mean(model_flops(t) for t in passage_tokens)
    per_question = statistics.mean(model_flops(t) for t in question_tokens[:50])
    print(f"work: {per_passage / 1e9:.2f} GFLOP a passage, {per_question / 1e9:.2f} GFLOP a question; "
          f"float32 ceiling {peak32 * 1e9 / per_passage:,.0f} passages/s, "
          f"question at batch 1 ≥ {per_question / (peak32 * 1e9) * 1e3:.2f} ms")
    paths = {"default passage path": embedder}
    if isinstance(embedder, OnnxEmbedder) and embedder.path != "onnxruntime-q4":
        paths["ONNX Runtime (4-bit weights)"] = OnnxEmbedder(
            embedder.name, embedder.fingerprint, embedder.folder, passages="onnxruntime-q4")
    print(f"\n{'path':<30} {'passages/s':>11} {'GFLOP/s':>9} {'share of f32 peak':>18}")
    for label, path in paths.items():
        path.embed_passages(texts[:32])
        seconds = statistics.median(best_seconds(lambda: path.embed_passages(texts), 1) for _ in range(3))
        rate = len(texts) / seconds
        print(f"{label:<30} {rate:>11.1f} {rate * per_passage / 1e9:>9.1f} {rate * per_passage / 1e9 / peak32:>17.0%}")
    questions = [t[:80] for t in texts[:50]]
    embedder.embed_queries(questions[:2])
    started = time.perf_counter()
    for question in questions:
        embedder.embed_queries([question])
    each = (time.perf_counter() - started) / len(questions)
    bound = per_question / (peak32 * 1e9)
    print(f"{'question, batch 1':<30} {each * 1e3:>9.2f} ms  (float32 roofline bound {bound * 1e3:.2f} ms: "
          f"{each / bound:.1f}× it)")


if __name__ == "__main__":
    main()
