"""Kill the indexer at many moments: the index must always load and the next run complete."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from retrieval.index.indexer import update_index
from retrieval.index.loaded import load_index
from retrieval.model.embedder import FakeEmbedder
from retrieval.service import NewsService

WORKER = Path(__file__).with_name("index_worker.py")
KILL_POINTS = 24

pytestmark = pytest.mark.slow


def content(folder: Path) -> list[tuple[str, int, str]]:
    return sorted((p.article_id, p.index, p.text) for p in load_index(folder).passages)


def add_articles(seeds: Path, count: int) -> None:
    for i in range(count):
        sentences = " ".join(
            f"وقال المتحدث رقم {i} في الجملة {j} إن الأمر مهم جدا لكل الناس في البلاد." for j in range(6)
        )
        (seeds / f"article_{i:03}.txt").write_text(
            f"تونس 1 مارس 2017 (وات) {sentences}\n", encoding="utf-8"
        )


def run_worker(seeds: Path, index: Path, kill_after: float | None) -> float:
    """Run the indexer in a child; SIGKILL it ``kill_after`` s after it is ready.

    Returns the seconds it ran after being ready.
    """
    child = subprocess.Popen(
        [sys.executable, str(WORKER), str(seeds), str(index)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert child.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    if kill_after is None:
        assert child.wait(timeout=120) == 0
    else:
        try:
            child.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    return time.perf_counter() - started


def test_sigkill_at_any_moment_leaves_a_usable_index(tmp_path, seed_dir):
    clean = tmp_path / "clean"
    add_articles(seed_dir, 40)
    update_index(seed_dir, clean, FakeEmbedder())
    expected = content(clean)
    for path in seed_dir.glob("article_*.txt"):
        path.unlink()
    base = tmp_path / "base"
    update_index(seed_dir, base, FakeEmbedder())  # the "old" index: the seed only
    old = content(base)

    duration = min(  # the faster of two runs: a busy machine slows one, and late kills test nothing
        run_worker(*_scenario(tmp_path / f"timing{n}", seed_dir, base), kill_after=None) for n in range(2)
    )
    outcomes = {"old": 0, "new": 0}
    for point in range(KILL_POINTS):
        seeds, index = _scenario(tmp_path / f"kill{point}", seed_dir, base)
        run_worker(seeds, index, kill_after=duration * (point + 0.5) / KILL_POINTS)
        now = content(index)  # loads: never a damaged or mixed index
        assert now in (old, expected), f"kill point {point}: a mix of generations"
        outcomes["old" if now == old else "new"] += 1
        service = NewsService(seeds, index, FakeEmbedder(), min_score=-1.0)
        service.open(build=False)
        assert service.answer("ماذا قال شي؟").found
        report = update_index(seeds, index, FakeEmbedder())
        assert content(index) == expected, f"kill point {point}: next run differs"
        if now == old:
            assert report.added == 40
    # Many kills must hit mid-build (a kill after the build tests nothing); how many
    # depends on the machine's load between the timing runs and the kills.
    assert outcomes["old"] >= KILL_POINTS // 4, outcomes


def _scenario(folder: Path, seed_dir: Path, base_index: Path) -> tuple[Path, Path]:
    """A copy of the old index and of the seeds with 40 new articles."""
    import shutil

    seeds = folder / "seeds"
    index = folder / "index"
    shutil.copytree(seed_dir, seeds)
    shutil.copytree(base_index, index)
    add_articles(seeds, 40)
    return seeds, index
