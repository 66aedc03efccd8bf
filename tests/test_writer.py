"""The indexer's writer (retrieval/index/writer.py): batches handed to an embedding backend
with several in flight, results written in order, the vector cache's bookkeeping, and a
backend that fails leaving the previous index as it was."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest

from retrieval.errors import EmbeddingError
from retrieval.index import plan as plan_module
from retrieval.index.indexer import update_index
from retrieval.index.loaded import load_index
from retrieval.index.manifest import read_manifest
from retrieval.index.writer import VectorCache
from retrieval.model.backends import LocalBackend, WorkerLoad
from retrieval.model.embedder import FakeEmbedder

SENTENCES = [
    "وقال الوزير إن الحكومة ستواصل الإصلاح الاقتصادي في السنوات المقبلة.",
    "وأضاف أن النمو سيبلغ نحو ستة بالمئة هذا العام رغم الصعوبات.",
    "وتستهدف الحملة ملايين الأطفال في جميع المحافظات خلال الأسابيع المقبلة.",
    "وأعلنت الوزارة عن خطة جديدة لدعم المزارعين في المناطق الريفية.",
]


class AheadBackend:
    """A backend that, like a cluster, pulls ``in_flight`` batches before giving back the
    first, and embeds with a local embedder; it records how far ahead it ran."""

    where = "a test cluster"

    def __init__(self, embedder, in_flight: int = 4, fail_after: int | None = None):
        self.embedder, self.in_flight, self.fail_after = embedder, in_flight, fail_after
        self.batches = 0
        self.most_ahead = 0

    def embed_batches(self, batches: Iterable[Sequence[str]]) -> Iterator[np.ndarray]:
        pending: list[list[str]] = []
        source = iter(batches)
        while True:
            for batch in source:
                pending.append(list(batch))
                if len(pending) == self.in_flight:
                    break
            if not pending:
                return
            self.most_ahead = max(self.most_ahead, len(pending))
            if self.fail_after is not None and self.batches >= self.fail_after:
                raise EmbeddingError("the test cluster is gone")
            self.batches += 1
            batch = pending.pop(0)
            if batch:
                yield self.embedder.embed_passages(batch)
            else:
                yield np.zeros((0, self.embedder.dimension), dtype=np.float32)

    def loads(self) -> list[WorkerLoad]:
        return [WorkerLoad("w1", 10, 1.0), WorkerLoad("w2", 20, 1.0)]

    def close(self) -> None:
        pass


@pytest.fixture
def many_seeds(seed_dir: Path) -> Path:
    """Twelve articles, two of them wire copies of another (the same text, other files)."""
    for n in range(10):
        lines = [f"خبر رقم {n}: {s} وذلك في اليوم {n + i}." for i, s in enumerate(SENTENCES)]
        (seed_dir / f"a{n:02d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for copy in ("copy1.txt", "copy2.txt"):
        (seed_dir / copy).write_text((seed_dir / "a03.txt").read_text(encoding="utf-8"), encoding="utf-8")
    return seed_dir


def _by_passage(folder: Path) -> dict[tuple[str, int], tuple[str, tuple[float, ...]]]:
    index = load_index(folder)
    return {
        (p.article_id, p.index): (p.text, tuple(np.round(index.vectors.take(np.array([row]))[0], 6)))
        for row, p in enumerate(index.passages)
    }


def test_several_batches_in_flight_give_the_same_index_as_one_at_a_time(
    many_seeds, tmp_path, monkeypatch
):
    monkeypatch.setattr(plan_module, "SEGMENT_PASSAGES", 7)  # many segments, split articles
    embedder = FakeEmbedder()
    one = update_index(many_seeds, tmp_path / "one", embedder, backend=LocalBackend(embedder))
    ahead = AheadBackend(FakeEmbedder(), in_flight=4)
    many = update_index(many_seeds, tmp_path / "many", FakeEmbedder(), backend=ahead)
    assert ahead.most_ahead == 4  # it really ran ahead
    assert _by_passage(tmp_path / "one") == _by_passage(tmp_path / "many")
    assert (one.embedded, one.cached, one.passages) == (many.embedded, many.cached, many.passages)
    assert many.cached == 8 and many.embedded == many.passages - 8  # the copies' passages
    assert one.workers and one.workers[0].worker == "local"
    assert "workers" not in one.summary()  # a local build's summary is as before
    assert many.summary().endswith("; on a test cluster, 2 workers: 10/s, 20/s")


def test_a_backend_that_fails_leaves_the_previous_index_and_the_next_run_resumes(
    many_seeds, index_dir, monkeypatch
):
    monkeypatch.setattr(plan_module, "SEGMENT_PASSAGES", 8)
    update_index(many_seeds, index_dir, FakeEmbedder())
    before = read_manifest(index_dir)
    for n in range(10):
        path = many_seeds / f"a{n:02d}.txt"
        path.write_text(path.read_text(encoding="utf-8").replace("خبر", "نبأ"), encoding="utf-8")
    with pytest.raises(EmbeddingError, match="the test cluster is gone"):
        update_index(many_seeds, index_dir, FakeEmbedder(), backend=AheadBackend(FakeEmbedder(), 3, fail_after=3))
    assert read_manifest(index_dir) == before  # the index still serves the old articles
    assert [p.text.startswith("خبر") for p in load_index(index_dir).passages if p.article_id == "a00.txt"][0]
    fake = FakeEmbedder()
    report = update_index(many_seeds, index_dir, fake)  # the lock was released; resumes
    assert report.changed == 10 and report.cached > 0 and fake.passages_embedded < 40


def test_the_cache_keeps_a_vector_while_a_segment_in_flight_needs_it():
    cache = VectorCache(Counter())  # keys the scan never counted (files edited after it)
    assert cache.claim(["k1", "k2", "k1"]) == ["k1", "k2"]  # segment 1 embeds k1, k2
    assert cache.claim(["k2", "k3"]) == ["k3"]  # segment 2: k2 is on its way already
    cache.put(["k1", "k2"], np.eye(2, 3, dtype=np.float32))
    for key in ["k1", "k2", "k1"]:  # segment 1 is written
        cache.take(key)
    assert cache.missing(["k1", "k2"]) == ["k1"]  # k1 is done with, k2 kept for segment 2
    cache.put(["k3"], np.eye(1, 3, dtype=np.float32))
    assert cache.take("k2")[1] == 1 and cache.take("k3")[0] == 1
    assert len(cache) == 0 and not cache.pending and not cache.claimed


def test_counted_keys_stay_until_their_last_use_across_claims():
    cache = VectorCache(Counter({"k": 2}))
    cache.offer(["k"], np.eye(1, 3, dtype=np.float32))
    assert cache.claim(["k"]) == []  # held: nothing to embed
    cache.take("k")
    assert len(cache) == 1  # the scan counted one more use
    assert cache.claim(["k"]) == []
    cache.take("k")
    assert len(cache) == 0
