"""NewsService: opening, rebuilding damaged indexes, swapping in new generations."""

from __future__ import annotations

import threading
import time

import pytest

from retrieval.errors import IndexMissingError, ModelMismatchError
from retrieval.index.indexer import update_index
from retrieval.index.manifest import MANIFEST
from retrieval.model.embedder import FakeEmbedder
from retrieval.service import NewsService


def make(seed_dir, index_dir, embedder=None):
    return NewsService(seed_dir, index_dir, embedder or FakeEmbedder(), min_score=-1.0)


def test_open_builds_a_missing_index(seed_dir, index_dir):
    service = make(seed_dir, index_dir)
    report = service.open()
    assert report is not None and report.added == 1
    assert service.stats().passages == 13 and service.stats().articles == 1
    assert make(seed_dir, index_dir).open() is None  # second time: just loads


def test_open_without_build_raises(seed_dir, index_dir):
    with pytest.raises(IndexMissingError):
        make(seed_dir, index_dir).open(build=False)


def test_index_of_another_model_is_reported_and_rebuilt(seed_dir, index_dir, caplog):
    update_index(seed_dir, index_dir, FakeEmbedder(name="old-model"))
    service = make(seed_dir, index_dir, FakeEmbedder(name="new-model"))
    with pytest.raises(ModelMismatchError):
        service.open(build=False)
    report = service.open()
    assert "old-model" in caplog.text and report.rebuilt_because
    assert service.stats().model == "new-model"


def test_corrupt_index_is_reported_and_rebuilt(seed_dir, index_dir, caplog):
    update_index(seed_dir, index_dir, FakeEmbedder())
    (index_dir / MANIFEST).write_text("{half a manif", encoding="utf-8")
    service = make(seed_dir, index_dir)
    service.open()
    assert "damaged" in caplog.text
    assert service.answer("ماذا قال شي؟").found


def test_a_damaged_segment_is_reported_once_in_plain_words(seed_dir, index_dir, caplog):
    import logging

    update_index(seed_dir, index_dir, FakeEmbedder())
    faiss_file = next((index_dir / "segments").glob("*.faiss"))
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])  # half-written vectors
    with caplog.at_level(logging.INFO):
        make(seed_dir, index_dir).open()
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "is damaged" in warnings[0] and "rebuilding" in warnings[0]
    assert "faiss" not in caplog.text.replace(".faiss", "")  # no C++ error text from FAISS


def test_an_index_path_that_is_a_file_is_one_clear_error(tmp_path, seed_dir):
    from retrieval.errors import SettingsError
    from retrieval.service import open_service
    from retrieval.settings import Settings

    a_file = tmp_path / "index.txt"
    a_file.write_text("mine", encoding="utf-8")
    for index in (a_file, a_file / "inside"):
        with pytest.raises(SettingsError, match="is a file, not a folder: point NEWSQA_INDEX"):
            open_service(Settings(seeds=seed_dir, index=index), embedder=FakeEmbedder())
    assert a_file.read_text(encoding="utf-8") == "mine"


def test_questions_are_answered_from_the_old_index_during_a_reindex(seed_dir, index_dir):
    embedder = FakeEmbedder()
    service = make(seed_dir, index_dir, embedder)
    service.open()
    for i in range(20):
        (seed_dir / f"new{i}.txt").write_text(f"خبر جديد رقم {i} عن الطاقة الشمسية.\n", encoding="utf-8")
    embedder.delay = 0.05  # each embedding batch is slow now
    done = threading.Event()
    worker = threading.Thread(target=lambda: (service.reindex(), done.set()))
    worker.start()
    answered = 0
    latencies = []
    while not done.is_set():
        started = time.perf_counter()
        result = service.answer("الطاقة الشمسية", k=1)
        latencies.append(time.perf_counter() - started)
        assert result.found
        answered += 1
        time.sleep(0.005)
    worker.join()
    assert answered >= 1
    assert service.stats().articles == 21
    top = service.answer("خبر جديد رقم 7 عن الطاقة الشمسية", k=1).hits[0]
    assert top.passage.article_id == "new7.txt"


def test_listeners_hear_about_reindexes(seed_dir, index_dir):
    service = make(seed_dir, index_dir)
    service.open()
    heard = []
    service.listeners.append(heard.append)
    service.listeners.append(lambda report: 1 / 0)  # a broken listener is logged, not raised
    (seed_dir / "x.txt").write_text("خبر عن الاقتصاد.\n", encoding="utf-8")
    report = service.reindex()
    assert heard == [report] and report.added == 1


def test_passage_in_context_and_sources(seed_dir, index_dir):
    service = make(seed_dir, index_dir)
    service.open()
    view = service.passage_in_context("000_762f75904539e59f.txt", 7, window=2)
    assert view.passage.text.startswith("وقال شي إن الصين")
    assert len(view.before) == 2 and len(view.after) == 2
    assert view.source.agency == "شينخوا"
    assert service.passage_in_context("000_762f75904539e59f.txt", 99) is None
    assert service.passage_in_context("gone.txt", 0) is None
    page, total = service.sources(0, 10)
    assert total == 1 and page[0][0] == "000_762f75904539e59f.txt"


def test_a_generation_written_by_another_indexer_is_served(seed_dir, index_dir):
    """`newsqa index` run by hand while the bot runs: /reindex, /stats and answers see it."""
    service = make(seed_dir, index_dir)
    service.open()
    assert service.stats().articles == 1
    (seed_dir / "solar.txt").write_text("خبر عن الطاقة الشمسية في المغرب.\n", encoding="utf-8")
    update_index(seed_dir, index_dir, FakeEmbedder())  # another process, in effect
    assert service.stats().articles == 2  # /stats notices at once
    report = service.reindex()  # nothing left to do, but the served generation is stale
    assert report.added == 0 and service.index.manifest.generation == report.generation


def test_reindex_reloads_when_the_disk_generation_differs(seed_dir, index_dir):
    service = make(seed_dir, index_dir)
    service.open()
    (seed_dir / "solar.txt").write_text("خبر عن الطاقة الشمسية في المغرب.\n", encoding="utf-8")
    update_index(seed_dir, index_dir, FakeEmbedder())
    service._checked_at = time.monotonic() + 3600  # no periodic check: only reindex() can tell
    report = service.reindex()
    assert report.added == 0 and report.articles == 2
    assert service.index.manifest.generation == report.generation
    top = service.answer("الطاقة الشمسية في المغرب", k=1).hits[0]
    assert top.passage.article_id == "solar.txt"


def test_answers_pick_up_a_new_generation_and_survive_a_broken_one(seed_dir, index_dir, caplog):
    service = make(seed_dir, index_dir)
    service.open()
    (seed_dir / "solar.txt").write_text("خبر عن الطاقة الشمسية في المغرب.\n", encoding="utf-8")
    update_index(seed_dir, index_dir, FakeEmbedder())
    service._checked_at = 0.0
    top = service.answer("الطاقة الشمسية في المغرب", k=1).hits[0]
    assert top.passage.article_id == "solar.txt"
    generation = service.index.manifest.generation
    (index_dir / MANIFEST).write_text('{"format": 1, "generation": 99', encoding="utf-8")
    service._checked_at = 0.0
    assert service.answer("الطاقة الشمسية في المغرب", k=1).found  # still the good one
    assert service.index.manifest.generation == generation and "still serving" in caplog.text


def test_background_vectors_are_kept_by_model_fingerprint(seed_dir, index_dir, tmp_path):
    from retrieval.query.gate import background_vectors

    embedder = FakeEmbedder()
    cache = tmp_path / "cache"
    first = NewsService(seed_dir, index_dir, embedder, min_score=0.0, margin=0.0, cache_dir=cache)
    calls = embedder.calls
    again = NewsService(seed_dir, index_dir, embedder, min_score=0.0, margin=0.0, cache_dir=cache)
    assert embedder.calls == calls  # the second start embedded nothing
    assert (first.gate.background == again.gate.background).all()
    other = FakeEmbedder(name="other")
    assert len(list(cache.glob("background-*.npy"))) == 1
    background_vectors(other, cache)
    assert len(list(cache.glob("background-*.npy"))) == 2  # one file per model


def test_warming_up_runs_the_embedders_warm_up_in_the_background(seed_dir, index_dir):
    class Warmable(FakeEmbedder):
        warmed = threading.Event()

        def warm_up(self):
            self.warmed.set()

    embedder = Warmable()
    service = make(seed_dir, index_dir, embedder)
    service.open()
    assert not service.index.speakers.prepared  # sorted on first use only, by default
    service.warm_up().join(timeout=10)
    assert embedder.warmed.is_set()
    assert service.index.speakers.prepared  # who is quoted, sorted before any question
    (seed_dir / "extra.txt").write_text("وقال الوزير أحمد سالم إن الاجتماع كان مثمرا.\n", encoding="utf-8")
    service.reindex()
    assert service.index.speakers.prepared  # each new generation, before it is served
    plain = make(seed_dir, index_dir)  # nothing to warm: a no-op
    plain.open()
    thread = plain.warm_up()
    thread.join(timeout=10)
    assert not thread.is_alive() and plain.answer("ماذا قال شي؟").question
