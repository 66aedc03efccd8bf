"""`newsqa ask` wall time against plain sentence-transformers loading and embedding one question.

Usage: .venv/bin/python bench/console.py [--runs 5]

The baseline, as the issue states it: a fresh Python process that imports
sentence-transformers, loads the bundled multilingual-e5-small from its folder and embeds
one question (what any console tool built on it pays before it can search). Against it,
in the same run and alternating with it: a fresh `newsqa ask QUESTION` over the index of
`seeds/` (built first), and `newsqa chat` reading that question and `exit` (ready, one
answer, gone), and `newsqa bot` against the fake Bot API server on 127.0.0.1, from its
start to its reply to a question waiting for it (ready, one answer). Prints medians of
wall times and the ratios to the baseline.
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


def bot_ready(env: dict) -> float:
    """Seconds from starting `newsqa bot` to its reply to a question already waiting."""
    from bot.testing.fake_api import TOKEN, FakeBotApi  # noqa: PLC0415

    with FakeBotApi() as api:
        api.push_message(QUESTION)
        bot_env = {**env, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url}
        started = time.perf_counter()
        process = subprocess.Popen([NEWSQA, "bot", "--no-watch"], env=bot_env, cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            api.wait_for("sendMessage", timeout=60)
            return time.perf_counter() - started
        finally:
            process.terminate()
            process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from retrieval.model.bundle import build_bundled_model
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
        times: dict[str, list[float]] = {
            "sentence-transformers load + 1 question": [], "newsqa ask": [],
            "newsqa chat (1 question)": [], "newsqa bot (ready, 1 answer)": [],
        }
        for _ in range(args.runs):
            times["sentence-transformers load + 1 question"].append(wall([sys.executable, "-c", baseline]))
            times["newsqa ask"].append(wall([NEWSQA, "ask", QUESTION], env=env))
            times["newsqa chat (1 question)"].append(wall([NEWSQA, "chat"], stdin=f"{QUESTION}\nexit\n", env=env))
            times["newsqa bot (ready, 1 answer)"].append(bot_ready(env))
    base = statistics.median(times["sentence-transformers load + 1 question"])
    print(f"\nwall time, median of {args.runs} fresh processes (alternating):")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"  {name:<42} {median:6.2f} s  ratio {median / base:.2f}  (runs: {', '.join(f'{v:.2f}' for v in values)})")


if __name__ == "__main__":
    main()
