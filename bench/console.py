"""`newsqa ask` wall time against plain sentence-transformers loading and embedding one question.

Usage: .venv/bin/python bench/console.py [--runs 5]

The baseline, as the issue states it: a fresh Python process that imports
sentence-transformers, loads the bundled multilingual-e5-small from its folder and embeds
one question (what any console tool built on it pays before it can search). Against it,
in the same run and alternating with it: a fresh `newsqa ask QUESTION` over the index of
`seeds/` (built first), and `newsqa chat` reading that question and `exit` (ready, one
answer, gone). Prints medians of wall times and the ratios to the baseline.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWSQA = str(ROOT / ".venv" / "bin" / "newsqa")
QUESTION = "ماذا قال شي؟"


def wall(cmd: list[str], *, stdin: str | None = None, env: dict | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, input=stdin, text=True, capture_output=True, check=True, env=env, cwd=ROOT)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from retrieval.model_bundle import build_bundled_model
    from retrieval.settings import load_settings

    settings = load_settings()
    folder = build_bundled_model(settings.cache_dir, progress=False)
    with tempfile.TemporaryDirectory(prefix="newsqa-console-") as tmp:
        env = {**os.environ, "NEWSQA_SEEDS": str(ROOT / "seeds"), "NEWSQA_INDEX": str(Path(tmp) / "index")}
        subprocess.run([NEWSQA, "index", "-q", "--no-progress"], check=True, env=env, cwd=ROOT)
        baseline = (
            "from sentence_transformers import SentenceTransformer;"
            f"m = SentenceTransformer({str(folder)!r}, device='cpu');"
            f"m.encode(['query: ' + {QUESTION!r}], normalize_embeddings=True)"
        )
        times: dict[str, list[float]] = {"sentence-transformers load + 1 question": [], "newsqa ask": [], "newsqa chat (1 question)": []}
        for _ in range(args.runs):
            times["sentence-transformers load + 1 question"].append(wall([sys.executable, "-c", baseline]))
            times["newsqa ask"].append(wall([NEWSQA, "ask", QUESTION], env=env))
            times["newsqa chat (1 question)"].append(wall([NEWSQA, "chat"], stdin=f"{QUESTION}\nexit\n", env=env))
    base = statistics.median(times["sentence-transformers load + 1 question"])
    print(f"\nwall time, median of {args.runs} fresh processes (alternating):")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<42} {median:6.2f} s  ratio {median / base:.2f}  (runs: {', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
