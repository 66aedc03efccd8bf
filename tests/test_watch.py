"""The seed watcher: new, edited and deleted articles are served within seconds."""

from __future__ import annotations

import threading
import time

import pytest

from retrieval.model.embedder import FakeEmbedder
from retrieval.service import NewsService
from retrieval.watch import SeedWatcher

pytestmark = pytest.mark.slow


def wait_for(condition, timeout: float = 10.0) -> float:
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise AssertionError("timed out")
        time.sleep(0.05)
    return time.perf_counter() - started


@pytest.fixture
def service(seed_dir, index_dir):
    service = NewsService(seed_dir, index_dir, FakeEmbedder(delay=0.02), min_score=-1.0)
    service.open()
    return service


def test_watcher_picks_up_new_edited_and_deleted_articles(service, seed_dir):
    with SeedWatcher(service, debounce=0.3) as watcher:
        assert watcher.ready.wait(10)
        stop = threading.Event()
        answered, failures = [], []

        def ask_continuously():
            while not stop.is_set():
                try:
                    answered.append(service.answer("ماذا قال شي؟", k=1).found)
                except Exception as exc:  # noqa: BLE001 — recorded, asserted below
                    failures.append(exc)
                time.sleep(0.01)

        asker = threading.Thread(target=ask_continuously)
        asker.start()
        try:
            (seed_dir / "solar.txt").write_text(
                "الرباط 2 يناير 2020 (لاماب) افتتحت محطة الطاقة الشمسية الجديدة.\n", encoding="utf-8"
            )
            took = wait_for(lambda: "solar.txt" in service.index.by_article)
            assert took < 5
            (seed_dir / "solar.txt").write_text(
                "الرباط 2 يناير 2020 (لاماب) افتتحت محطة الرياح الجديدة.\n", encoding="utf-8"
            )
            wait_for(lambda: any("الرياح" in p.text for p in service.index.passages))
            (seed_dir / "solar.txt").unlink()
            wait_for(lambda: "solar.txt" not in service.index.by_article)
        finally:
            stop.set()
            asker.join()
    assert not failures and len(answered) > 10 and all(answered)


def test_burst_of_changes_is_indexed_once_settled(service, seed_dir):
    runs = []
    service.listeners.append(runs.append)
    with SeedWatcher(service, debounce=0.5, catch_up=False) as watcher:
        assert watcher.ready.wait(10)
        for i in range(10):
            (seed_dir / f"burst{i}.txt").write_text(f"خبر رقم {i} عن الزراعة.\n", encoding="utf-8")
            time.sleep(0.02)
        wait_for(lambda: len(service.index.by_article) == 11)
        time.sleep(1.0)
    assert sum(r.added for r in runs) == 10
    assert len(runs) <= 2  # one burst, not ten re-indexes
