"""The embedding paths of the exported model, and how one is chosen (pure: no I/O).

A path is a runtime and a precision over one graph of ``retrieval.model.onnx_export``:

- ``openvino-f32``, ``openvino-bf16``: OpenVINO over the float32 graph, computing in
  float32 or bfloat16. bfloat16 is offered only where the CPU has bfloat16 arithmetic
  (AVX512_BF16 or AMX): elsewhere OpenVINO quietly runs float32 and PyTorch emulates it
  at a tenth of the speed, so it is never chosen there, and forcing it is refused.
- ``onnxruntime-f32``: ONNX Runtime over the float32 graph (the reference every other
  path is checked against);
- ``onnxruntime-int8``: dynamic int8 (weights int8 per output channel, activations
  quantized per batch), the arithmetic AVX2/VNNI do fastest, kept only if its vectors
  pass the quality gate;
- ``onnxruntime-q4``: 4-bit weights (the bundled weights are 4-bit already), ready in a
  tenth of a second.

Vectors from the float paths agree within cosine 0.9999; int8 only within the gate, so an
index never mixes int8 vectors with float ones (see ``vector_family``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from retrieval.settings import EMBEDDING_SETTINGS

#: What NEWSQA_EMBEDDING may name (the settings check it; the paths are among them).
SETTINGS = EMBEDDING_SETTINGS
PATHS = ("openvino-f32", "openvino-bf16", "onnxruntime-f32", "onnxruntime-int8", "onnxruntime-q4")

#: The path every other one is compared with.
REFERENCE = "onnxruntime-f32"

#: The quality gate: a path's vectors against the reference's, on the same texts.
MIN_MEAN_COSINE = 0.995
MIN_COSINE = 0.98

BF16_FLAGS = ("avx512_bf16", "amx_bf16")
PASSAGE_BATCHES = (8, 16, 32)
#: Paths timed within this share of the fastest are as fast as it (rounds on a busy
#: machine differ by a few per cent): the one with the better vectors is kept. On a Zen 4
#: CPU OpenVINO bfloat16 and ONNX Runtime int8 timed 148.5 and 147.1 passages/s in one
#: calibration, and the choice between them had flipped from one run to the next.
AS_FAST = 0.95


def runtime(path: str) -> str:
    return path.split("-", 1)[0]


def precision(path: str) -> str:
    return path.split("-", 1)[1]


def vector_family(path: str) -> str:
    """"int8" or "float": vectors of one family may share an index, never of both."""
    return "int8" if path.endswith("int8") else "float"


def native_bf16(flags: Iterable[str]) -> bool:
    """Whether a CPU with these /proc/cpuinfo flags computes bfloat16 itself."""
    return any(f in BF16_FLAGS for f in flags)


def legacy_path(setting: str, flags: Iterable[str]) -> str:
    """The path the older settings meant: "openvino" (bfloat16 where native) and "onnx"."""
    if setting == "onnx":
        return "onnxruntime-q4"
    return "openvino-bf16" if native_bf16(flags) else "openvino-f32"


def candidates(use: str, flags: Iterable[str], openvino: bool) -> list[str]:
    """The paths worth timing for passages or for questions on this CPU.

    Questions stay on ONNX Runtime: it starts in a tenth of a second, OpenVINO compiles
    for a second or more, which a one-question ``newsqa ask`` would pay every time.
    """
    flags = set(flags)
    found = []
    for path in PATHS:
        if runtime(path) == "openvino" and (use == "questions" or not openvino):
            continue
        if precision(path) == "bf16" and not native_bf16(flags):
            continue
        found.append(path)
    return found


def refusal(path: str, flags: Iterable[str]) -> str | None:
    """Why this CPU cannot honour a forced path, or None."""
    if precision(path) == "bf16" and not native_bf16(flags):
        return (
            f"NEWSQA_EMBEDDING={path} needs bfloat16 arithmetic (AVX512_BF16 or AMX), which "
            "this CPU lacks: OpenVINO would run it in float32. Use openvino-f32, or auto"
        )
    return None


@dataclass(frozen=True)
class Trial:
    """One path timed on the calibration texts.

    Attributes:
        use: "passages" or "questions".
        path: one of PATHS.
        batch_size: texts per run (1 for questions).
        per_second: texts embedded a second.
        cosine_mean, cosine_min: its vectors against the reference path's.
    """

    use: str
    path: str
    batch_size: int
    per_second: float
    cosine_mean: float
    cosine_min: float

    @property
    def passes(self) -> bool:
        return self.cosine_mean >= MIN_MEAN_COSINE and self.cosine_min >= MIN_COSINE

    def verdict(self) -> str:
        if self.passes:
            return "passes"
        return (f"fails the quality gate (cosine mean {self.cosine_mean:.4f}, lowest {self.cosine_min:.4f}; "
                f"needs ≥ {MIN_MEAN_COSINE} and ≥ {MIN_COSINE})")

    def as_json(self) -> dict:
        return {"use": self.use, "path": self.path, "batch_size": self.batch_size,
                "per_second": round(self.per_second, 2), "cosine_mean": round(self.cosine_mean, 5),
                "cosine_min": round(self.cosine_min, 5), "passes": self.passes}

    @classmethod
    def from_json(cls, data: dict) -> "Trial":
        return cls(str(data["use"]), str(data["path"]), int(data["batch_size"]),
                   float(data["per_second"]), float(data["cosine_mean"]), float(data["cosine_min"]))


def fastest(trials: Sequence[Trial]) -> Trial | None:
    """The fastest trial that passes the quality gate (None if none does); among those
    within ``AS_FAST`` of it, the one whose vectors agree best with the reference's."""
    passing = [t for t in trials if t.passes]
    if not passing:
        return None
    top = max(t.per_second for t in passing)
    near = (t for t in passing if t.per_second >= AS_FAST * top)
    return max(near, key=lambda t: (round(t.cosine_mean, 4), t.per_second))  # 1e-4: rounding, not quality
