"""The machine a benchmark ran on, in one line: cores, CPU model and the flags that matter."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def cpu() -> str:
    """"2 × Intel(R) Xeon(R) Processor (avx2 fma avx512f …)" from /proc/cpuinfo."""
    info = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    lines = info.splitlines()
    model = next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("model name")),
                 platform.processor() or "unknown CPU")
    flags = next((ln.split(":", 1)[1].split() for ln in lines if ln.startswith("flags")), [])
    wanted = [f for f in ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_bf16", "amx_int8")
              if f in flags]
    return f"{os.cpu_count()} × {model} ({' '.join(wanted) or 'no AVX2'})"
