"""Incremental indexing: only new and changed passages are embedded; damage is rebuilt."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from retrieval.errors import LockedError, SeedsError
from retrieval.index import indexer
from retrieval.index import plan as indexer_module
from retrieval.index import writer as segment_writer
from retrieval.index.files import IndexLock
from retrieval.index.indexer import FreshJobs, scan_seeds, update_index
from retrieval.index.loaded import load_index
from retrieval.index.manifest import MANIFEST, Manifest, read_manifest
from retrieval.index.plan import FreshArticle
from retrieval.index.segments import segment_ids_on_disk
from retrieval.model.embedder import FakeEmbedder

ARTICLE_A = "بكين 5 مارس 2018 (شينخوا) افتتحت الدورة السنوية للمجلس الوطني لنواب الشعب في العاصمة بكين صباح اليوم.\nوقال رئيس مجلس الدولة إن النمو الاقتصادي سيبلغ نحو 6.5 بالمئة.\nوأضاف أن الحكومة ستواصل الإصلاح في السنوات المقبلة رغم كل الصعوبات.\n"
ARTICLE_B = "القاهرة 10 يناير 2019 (أ ش أ) أعلنت وزارة الصحة المصرية عن حملة تطعيم جديدة ضد شلل الأطفال في البلاد.\nوتستهدف الحملة ملايين الأطفال في جميع المحافظات خلال الأسابيع المقبلة.\n"


def texts(folder: Path) -> set[str]:
    return {p.text for p in load_index(folder).passages}


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def seeds(tmp_path: Path, seed_dir: Path) -> Path:
    write(seed_dir / "a.txt", ARTICLE_A)
    return seed_dir


def test_first_build_embeds_every_passage(seeds: Path, index_dir: Path, fake_embedder):
    report = update_index(seeds, index_dir, fake_embedder)
    assert (report.added, report.changed, report.removed) == (2, 0, 0)
    assert report.embedded == fake_embedder.passages_embedded == report.passages
    assert report.passages == 13 + 3
    manifest = read_manifest(index_dir)
    assert manifest.fingerprint == fake_embedder.fingerprint
    assert set(manifest.articles) == {"000_762f75904539e59f.txt", "a.txt"}
    assert manifest.articles["a.txt"].source.agency == "شينخوا"
    assert "وأضاف أن الحكومة ستواصل الإصلاح في السنوات المقبلة رغم كل الصعوبات." in texts(index_dir)


def test_second_run_without_changes_embeds_nothing(seeds, index_dir, fake_embedder):
    update_index(seeds, index_dir, fake_embedder)
    before = (index_dir / MANIFEST).read_bytes()
    report = update_index(seeds, index_dir, fake_embedder)
    assert not report.touched and report.embedded == 0
    assert (index_dir / MANIFEST).read_bytes() == before
    assert "added 0, changed 0, removed 0 articles; embedded 0 passages (0 cached)" in report.summary()


def test_add_edit_rename_delete(seeds, index_dir):
    embedder = FakeEmbedder()
    update_index(seeds, index_dir, embedder)

    write(seeds / "b.txt", ARTICLE_B)
    report = update_index(seeds, index_dir, embedder)
    assert (report.added, report.changed, report.removed, report.embedded) == (1, 0, 0, 2)
    assert "وتستهدف الحملة ملايين الأطفال في جميع المحافظات خلال الأسابيع المقبلة." in texts(index_dir)

    # Edit one sentence: only that sentence is embedded again.
    edited = ARTICLE_A.replace("ستواصل الإصلاح", "ستواصل الإصلاح والانفتاح")
    write(seeds / "a.txt", edited)
    report = update_index(seeds, index_dir, embedder)
    assert (report.added, report.changed, report.removed) == (0, 1, 0)
    assert report.embedded == 1 and report.cached == 2
    now = texts(index_dir)
    assert "وأضاف أن الحكومة ستواصل الإصلاح والانفتاح في السنوات المقبلة رغم كل الصعوبات." in now
    assert "وأضاف أن الحكومة ستواصل الإصلاح في السنوات المقبلة رغم كل الصعوبات." not in now

    # Rename: the article moves, nothing is embedded.
    (seeds / "b.txt").rename(seeds / "renamed.txt")
    report = update_index(seeds, index_dir, embedder)
    assert (report.added, report.removed, report.embedded, report.cached) == (1, 1, 0, 2)
    assert set(load_index(index_dir).by_article) == {
        "000_762f75904539e59f.txt", "a.txt", "renamed.txt"
    }

    # Delete: its passages disappear.
    (seeds / "renamed.txt").unlink()
    report = update_index(seeds, index_dir, embedder)
    assert report.removed == 1 and report.embedded == 0
    assert "وتستهدف الحملة ملايين الأطفال في جميع المحافظات خلال الأسابيع المقبلة." not in texts(index_dir)
    assert embedder.passages_embedded == 16 + 2 + 1


def test_incremental_equals_clean_build(seeds, index_dir, tmp_path):
    embedder = FakeEmbedder()
    update_index(seeds, index_dir, embedder)
    write(seeds / "b.txt", ARTICLE_B)
    write(seeds / "a.txt", ARTICLE_A.replace("6.5", "7"))
    update_index(seeds, index_dir, embedder)
    clean = tmp_path / "clean"
    update_index(seeds, clean, FakeEmbedder())
    a, b = load_index(index_dir), load_index(clean)
    assert sorted((p.article_id, p.index, p.text) for p in a.passages) == sorted(
        (p.article_id, p.index, p.text) for p in b.passages
    )


def test_full_rebuild_embeds_everything_again(seeds, index_dir):
    embedder = FakeEmbedder()
    update_index(seeds, index_dir, embedder)
    report = update_index(seeds, index_dir, embedder, full=True)
    assert report.embedded == report.passages == 16
    assert report.rebuilt_because == "full rebuild requested"


def test_touch_without_change_reads_but_does_not_embed(seeds, index_dir):
    embedder = FakeEmbedder()
    update_index(seeds, index_dir, embedder)
    os.utime(seeds / "a.txt", ns=(1, 1))
    report = update_index(seeds, index_dir, embedder)
    assert report.embedded == 0 and not report.touched
    assert read_manifest(index_dir).files["a.txt"].mtime_ns == 1


def test_bad_files_are_skipped_and_named(seeds, index_dir, fake_embedder, caplog):
    (seeds / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (seeds / "latin1.txt").write_bytes("café résumé".encode("latin-1"))
    (seeds / "empty.txt").write_bytes(b"")
    report = update_index(seeds, index_dir, fake_embedder)
    assert {s.path for s in report.skipped} == {"binary.bin", "latin1.txt", "empty.txt"}
    assert report.articles == 2
    assert "3 file(s) skipped" in report.summary()
    assert "latin1.txt" in caplog.text
    # Skipped files are remembered, not re-read, but still reported.
    again = update_index(seeds, index_dir, fake_embedder)
    assert {s.path for s in again.skipped} == {"binary.bin", "latin1.txt", "empty.txt"}


def test_empty_seed_folder_is_a_clear_error(tmp_path, index_dir, fake_embedder):
    empty = tmp_path / "nothing"
    empty.mkdir()
    with pytest.raises(SeedsError, match="no article could be read"):
        update_index(empty, index_dir, fake_embedder)
    with pytest.raises(SeedsError, match="does not exist"):
        update_index(tmp_path / "missing", index_dir, fake_embedder)
    assert not (index_dir / MANIFEST).exists()


def test_other_model_rebuilds_everything(seeds, index_dir):
    update_index(seeds, index_dir, FakeEmbedder(name="model-one"))
    other = FakeEmbedder(name="model-two")
    report = update_index(seeds, index_dir, other)
    assert report.rebuilt_because and "model-one" in report.rebuilt_because
    assert other.passages_embedded == 16
    assert read_manifest(index_dir).model == "model-two"


def test_int8_and_float_vectors_never_share_an_index(seeds, index_dir):
    """Same model, another vector family: every passage is embedded again; same family
    (another float path): nothing is."""
    first = FakeEmbedder()
    first.path = "openvino-f32"
    update_index(seeds, index_dir, first)
    write(seeds / "b.txt", ARTICLE_B)
    other_float = FakeEmbedder()
    other_float.path = "onnxruntime-q4"
    report = update_index(seeds, index_dir, other_float)
    assert report.rebuilt_because is None and other_float.passages_embedded < 16
    assert read_manifest(index_dir).embedding == ("onnxruntime-q4", "openvino-f32")
    int8 = FakeEmbedder()
    int8.path = "onnxruntime-int8"
    report = update_index(seeds, index_dir, int8)
    assert report.rebuilt_because and "not mixed" in report.rebuilt_because
    assert "onnxruntime-q4, openvino-f32" in report.rebuilt_because
    assert int8.passages_embedded == report.passages  # all of them, again
    assert read_manifest(index_dir).embedding == ("onnxruntime-int8",)
    back = FakeEmbedder()
    back.path = "openvino-f32"
    assert update_index(seeds, index_dir, back).rebuilt_because  # and back again


def test_corrupt_segment_is_reported_and_rebuilt(seeds, index_dir, caplog):
    embedder = FakeEmbedder()
    update_index(seeds, index_dir, embedder)
    segment = next((index_dir / "segments").glob("*.faiss"))
    data = segment.read_bytes()
    segment.write_bytes(data[: len(data) // 2])
    report = update_index(seeds, index_dir, embedder)
    assert report.rebuilt_because and "damaged" in report.rebuilt_because
    assert report.passages == 16 and len(load_index(index_dir).passages) == 16


def test_interrupted_build_resumes_from_written_segments(seeds, index_dir, monkeypatch):
    """A build that dies after writing some segments leaves the old index; the next run
    reuses the vectors it had already computed."""
    for i in range(6):
        write(seeds / f"n{i}.txt", f"خبر رقم {i} عن موضوع جديد تماما هذا الأسبوع في المدينة. " + " ".join(
            f"الجملة {i}-{j} عن موضوع مختلف تماما عن غيره من المواضيع الأخرى." for j in range(8)))
    monkeypatch.setattr(indexer_module, "SEGMENT_PASSAGES", 10)
    crashing = FakeEmbedder()
    calls = {"n": 0}
    real = crashing.embed_passages

    def dies_on_third_call(texts, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # like Ctrl-C or a kill between two batches
        return real(texts, **kw)

    crashing.embed_passages = dies_on_third_call
    with pytest.raises(KeyboardInterrupt):
        update_index(seeds, index_dir, crashing)
    assert read_manifest(index_dir) is None  # nothing was switched in
    assert segment_ids_on_disk(index_dir)  # but finished segments are on disk

    fresh = FakeEmbedder()
    report = update_index(seeds, index_dir, fresh)
    assert report.cached >= 10 and report.embedded == report.passages - report.cached
    assert len(segment_ids_on_disk(index_dir)) == len(read_manifest(index_dir).segments)


def test_small_segments_are_merged_and_large_ones_left_alone(seeds, index_dir, monkeypatch):
    monkeypatch.setattr(indexer_module, "SEGMENT_PASSAGES", 8)
    monkeypatch.setattr(indexer_module, "SMALL_SEGMENT", 5)
    monkeypatch.setattr(indexer_module, "MAX_SMALL_SEGMENTS", 3)
    embedder = FakeEmbedder()
    update_index(seeds, index_dir, embedder)
    large = {sid for sid, s in read_manifest(index_dir).segments.items() if s.count >= 5}
    assert large
    for i in range(7):
        write(seeds / f"x{i}.txt", f"مقال إضافي رقم {i} عن الاقتصاد والتجارة والصناعة في المنطقة العربية هذا العام.\n"
              f"وفيه جملة ثانية رقم {i} عن الأسواق والأسعار والاستثمار الأجنبي في البلاد.\n")
        update_index(seeds, index_dir, embedder)
        segments = read_manifest(index_dir).segments
        assert sum(1 for s in segments.values() if s.count < 5) <= 3
        assert large <= set(segments)  # never rewritten by an unrelated edit
    manifest = read_manifest(index_dir)
    assert manifest.passage_count == len(load_index(index_dir).passages) == 16 + 14
    assert embedder.passages_embedded == 16 + 14  # compaction copies vectors, never re-embeds


def test_lock_keeps_a_second_indexer_out(seeds, index_dir, fake_embedder):
    with IndexLock(index_dir):
        with pytest.raises(LockedError, match="another indexer"):
            update_index(seeds, index_dir, fake_embedder)
    update_index(seeds, index_dir, fake_embedder)  # released: works


def test_manifest_is_json_with_counts_and_checksums(seeds, index_dir, fake_embedder):
    update_index(seeds, index_dir, fake_embedder)
    data = json.loads((index_dir / MANIFEST).read_text(encoding="utf-8"))
    assert data["counts"] == {"articles": 2, "passages": 16, "files": 2, "segments": 1}
    assert data["model"] == "fake-embedder" and data["dimension"] == 64
    (segment,) = data["segments"].values()
    assert len(segment["vectors_sha256"]) == 64 and segment["count"] == 16
    assert data["articles"]["a.txt"]["hash"]


def test_subfolders_are_indexed(seeds, index_dir, fake_embedder):
    (seeds / "2019" / "jan").mkdir(parents=True)
    shutil.move(seeds / "a.txt", seeds / "2019" / "jan" / "a.txt")
    update_index(seeds, index_dir, fake_embedder)
    assert "2019/jan/a.txt" in read_manifest(index_dir).articles


def test_a_secret_linked_into_the_seeds_is_never_indexed(seed_dir, index_dir, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("PASSWORD=hunter2 هذه كلمة السر للخادم الرئيسي.\n", encoding="utf-8")
    (seed_dir / "p.txt").symlink_to(secret)
    report = update_index(seed_dir, index_dir, FakeEmbedder())
    assert report.articles == 1 and [s.path for s in report.skipped] == ["p.txt"]
    loaded = load_index(index_dir)
    assert not any("hunter2" in p.text for p in loaded.passages)
    assert "p.txt" not in loaded.manifest.articles
    report = update_index(seed_dir, index_dir, FakeEmbedder(), follow_links=True)
    assert report.added == 1 and "p.txt" in load_index(index_dir).manifest.articles


def test_a_big_json_lines_file_is_logged_in_a_few_lines(seed_dir, index_dir, caplog):
    records = [json.dumps({"title": f"خبر {i}", "content": f"خبر رقم {i} عن الاقتصاد."}, ensure_ascii=False) for i in range(2000)]
    records[10] = records[20] = records[30] = records[40] = records[50] = records[60] = '{"title": "no text"}'
    (seed_dir / "big.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    with caplog.at_level("INFO", logger="retrieval"):
        report = update_index(seed_dir, index_dir, FakeEmbedder())
    assert report.added == 1 + 1994
    lines = caplog.text.splitlines()
    assert len(lines) < 12, caplog.text
    assert any("added 1,994 articles from big.jsonl" in line for line in lines)
    assert any("Skipped big.jsonl: 3 more records" in line for line in lines)
    caplog.clear()
    (seed_dir / "big.jsonl").unlink()
    with caplog.at_level("INFO", logger="retrieval"):
        update_index(seed_dir, index_dir, FakeEmbedder())
    assert "removed 1,994 articles from big.jsonl" in caplog.text and len(caplog.text.splitlines()) < 4


def test_change_lines_names_single_articles():
    from retrieval.index.plan import change_lines

    assert change_lines("added", ["b.txt", "a.jsonl#1", "a.jsonl#0"]) == ["added a.jsonl#0", "added a.jsonl#1", "added b.txt"]
    assert change_lines("removed", [f"x.jsonl#{i}" for i in range(6)]) == ["removed 6 articles from x.jsonl"]


def test_a_huge_article_is_split_across_segments(seed_dir, index_dir, monkeypatch):
    """Memory while indexing is bounded by a segment, not by the longest article."""
    monkeypatch.setattr(indexer_module, "SEGMENT_PASSAGES", 50)
    sentences = " ".join(f"الجملة رقم {i} من مقال طويل جدا يتحدث عن أمور كثيرة ومختلفة في هذه الأيام." for i in range(260))
    (seed_dir / "long.txt").write_text(sentences + "\n", encoding="utf-8")
    sizes = []
    real_write = segment_writer.write_segment
    monkeypatch.setattr(segment_writer, "write_segment", lambda *a: sizes.append(len(a[3])) or real_write(*a))
    report = update_index(seed_dir, index_dir, FakeEmbedder())
    assert report.passages == 260 + 13 and max(sizes) <= 50
    entry = read_manifest(index_dir).articles["long.txt"]
    assert len(entry.parts) >= 5 and entry.passages == 260
    loaded = load_index(index_dir)
    rows = loaded.by_article["long.txt"]
    assert [loaded.passages[r].index for r in rows] == list(range(260))
    # Editing another article leaves the long one where it is.
    (seed_dir / "other.txt").write_text("خبر قصير عن الطقس.\n", encoding="utf-8")
    update_index(seed_dir, index_dir, FakeEmbedder())
    assert read_manifest(index_dir).articles["long.txt"].parts == entry.parts


def test_the_vector_cache_forgets_what_no_passage_needs_any_more():
    from retrieval.index.plan import Job
    from retrieval.index.writer import VectorCache

    jobs = [Job("a", "h", None, (), ("k1", "k2", "k1")), Job("b", "h", None, (), ("k2",))]
    cache = VectorCache(Counter(k for job in jobs for k in job.keys))
    assert cache.to_embed() == 2
    cache.offer(["k1", "k2", "unused"], np.eye(3, dtype=np.float32))
    assert cache.to_embed() == 0
    assert len(cache) == 2 and cache.missing(["k1", "k3", "k3"]) == ["k3"]
    cache.take("k1")
    assert len(cache) == 2
    cache.take("k1")
    cache.take("k2")
    assert len(cache) == 1
    cache.take("k2")
    assert len(cache) == 0
    cache.put(["k9"], np.eye(1, 3, dtype=np.float32))  # embedded for a key the scan never counted
    assert len(cache) == 1 and cache.take("k9")[0] == 1 and len(cache) == 0


def test_a_loaded_index_holds_its_vectors_once(seed_dir, index_dir):
    for i in range(3):
        (seed_dir / f"n{i}.txt").write_text(f"خبر رقم {i} عن الاقتصاد.\n", encoding="utf-8")
    update_index(seed_dir, index_dir, FakeEmbedder())
    segments = {}
    loaded = load_index(index_dir, segments=segments)
    everything = loaded.vectors.rows(0, len(loaded.vectors))
    assert segments and all(np.shares_memory(s.vectors, everything) for s in segments.values())


def test_the_model_never_sees_invisible_characters():
    from retrieval.ingest.passages import embedding_input
    from retrieval.types import Passage

    passage = Passage("a.txt", 0, "\u200fقال الوزير إن الأمر مهم.\u200f", 0, 27)
    assert embedding_input(passage, "عنوان\u200b الخبر") == "عنوان الخبر: قال الوزير إن الأمر مهم."
    assert embedding_input(passage, None) == "قال الوزير إن الأمر مهم."


def empty_manifest() -> Manifest:
    embedder = FakeEmbedder()
    return Manifest(embedder.name, embedder.fingerprint, embedder.dimension, "2026-01-01T00:00:00+00:00", 0)


def test_a_scan_keeps_fresh_articles_by_reference_not_their_text(seeds: Path):
    write(seeds / "b.txt", ARTICLE_B)
    scan = scan_seeds(seeds, empty_manifest())
    assert all(type(ref) is FreshArticle for ref in scan.fresh)
    assert {ref.path for ref in scan.fresh} >= {"a.txt", "b.txt"}
    # the scan counts exactly the keys the written jobs will have
    keys = [k for job in FreshJobs(seeds, scan.fresh) for k in job.keys]
    assert sorted(scan.uses.elements()) == sorted(keys)


def test_an_article_edited_or_removed_between_scan_and_write(seeds: Path, caplog):
    write(seeds / "b.txt", ARTICLE_B)
    scan = scan_seeds(seeds, empty_manifest())
    write(seeds / "a.txt", ARTICLE_A.replace("6.5", "7"))  # edited after the scan
    (seeds / "b.txt").unlink()  # removed after the scan
    jobs = {job.article_id: job for job in FreshJobs(seeds, scan.fresh)}
    assert "b.txt" not in jobs and "b.txt changed while it was being indexed" in caplog.text
    assert any("7 بالمئة" in p.text for p in jobs["a.txt"].passages)


def test_an_edit_during_indexing_is_caught_by_the_next_run(seeds: Path, index_dir: Path, monkeypatch):
    write(seeds / "b.txt", ARTICLE_B)
    scan = indexer.scan_seeds

    def scan_then_edit(*args, **kwargs):
        found = scan(*args, **kwargs)
        write(seeds / "b.txt", ARTICLE_B.replace("ملايين", "عشرات"))
        os.utime(seeds / "b.txt", ns=(1, 1))  # a new mtime, as an edit gives
        return found

    monkeypatch.setattr(indexer, "scan_seeds", scan_then_edit)
    update_index(seeds, index_dir, FakeEmbedder())
    monkeypatch.setattr(indexer, "scan_seeds", scan)
    assert any("عشرات" in t for t in texts(index_dir))  # what was on disk when written
    again = update_index(seeds, index_dir, FakeEmbedder())
    assert again.embedded == 0 and again.changed == 0 and any("عشرات" in t for t in texts(index_dir))


def _read_only(monkeypatch):
    """The index folder as a read-only one answers (the tests run as root, which may write)."""
    import errno as errno_module

    def refuse(self, wait=False):
        raise PermissionError(errno_module.EACCES, "Permission denied", str(self.path))

    monkeypatch.setattr(indexer.IndexLock, "acquire", refuse)


def test_a_read_only_index_with_nothing_to_change_is_up_to_date(seeds, index_dir, monkeypatch):
    update_index(seeds, index_dir, FakeEmbedder())
    before = read_manifest(index_dir)
    _read_only(monkeypatch)
    fake = FakeEmbedder()
    report = update_index(seeds, index_dir, fake)
    assert not report.touched and report.unchanged == len(before.articles) and report.passages == before.passage_count
    assert fake.passages_embedded == 0 and read_manifest(index_dir) == before


def test_a_read_only_index_that_needs_writing_says_what_and_why(seeds, index_dir, monkeypatch):
    from retrieval.errors import IndexWriteError

    update_index(seeds, index_dir, FakeEmbedder())
    write(seeds / "new.txt", ARTICLE_B)
    _read_only(monkeypatch)
    with pytest.raises(IndexWriteError, match=r"is read-only \(Permission denied\) and needs writing: 1 article\(s\)"):
        update_index(seeds, index_dir, FakeEmbedder())
    with pytest.raises(IndexWriteError, match="needs writing: there is no index yet"):
        update_index(seeds, index_dir.parent / "fresh-index", FakeEmbedder())


def test_a_seeds_path_that_is_a_file_says_so(tmp_path, index_dir):
    a_file = tmp_path / "seeds.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(SeedsError, match="is a file, not a folder: point NEWSQA_SEEDS"):
        update_index(a_file, index_dir, FakeEmbedder())
    with pytest.raises(SeedsError, match="does not exist"):
        update_index(tmp_path / "nowhere", index_dir, FakeEmbedder())
