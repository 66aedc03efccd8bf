"""The approximate index of large archives: trained once, codes per segment, same answers."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.index import approximate as ann
from retrieval.index import plan as planning
from retrieval.index.approximate import ApproximateIndex
from retrieval.index.indexer import update_index
from retrieval.index.loaded import load_index
from retrieval.index.manifest import read_manifest
from retrieval.index.segments import read_segment
from retrieval.index.vectors import FaissIndex, NumpyIndex
from retrieval.model.embedder import FakeEmbedder


def unit(rows):
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_codes_merged_from_segments_search_like_the_exact_index():
    rng = np.random.default_rng(3)
    centres = unit(rng.normal(size=(40, 32)))
    vectors = unit(centres[rng.integers(0, 40, 6000)] + 0.3 * rng.normal(size=(6000, 32)))
    quantizer = ann.train_quantizer(vectors[:4000], ann.list_count(6000))
    approximate = ApproximateIndex(quantizer)
    for start in range(0, 6000, 1000):  # six "segments"
        approximate.add_segment(ann.segment_codes(quantizer, vectors[start : start + 1000]), start)
    queries = unit(centres[:20] + 0.2 * rng.normal(size=(20, 32)))
    _, exact = NumpyIndex(vectors).search(queries, 10)
    scores, rows = approximate.search(queries, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(rows, exact)])
    assert recall >= 0.9 and len(approximate) == 6000 and approximate.dimension == 32
    assert np.all(np.diff(scores, axis=1) <= 1e-6)
    assert np.allclose(approximate.rows(1234, 1236), vectors[1234:1236], atol=0.02)


def test_exact_vectors_rank_what_the_codes_found():
    rng = np.random.default_rng(5)
    centres = unit(rng.normal(size=(20, 32)))
    vectors = unit(centres[rng.integers(0, 20, 6000)] + 0.15 * rng.normal(size=(6000, 32)))  # crowded
    quantizer = ann.train_quantizer(vectors[:4000], ann.list_count(6000))
    codes_only, refined = ApproximateIndex(quantizer), ApproximateIndex(quantizer)
    for start in range(0, 6000, 1000):
        codes = ann.segment_codes(quantizer, vectors[start : start + 1000])
        codes_only.add_segment(codes, start)
        refined.add_segment(codes, start, vectors[start : start + 1000])
    assert refined.refines and not codes_only.refines
    queries = unit(centres[:20] + 0.1 * rng.normal(size=(20, 32)))
    _, exact = NumpyIndex(vectors).search(queries, 10)

    def recall(index):
        return np.mean([len(set(a) & set(b)) / 10 for a, b in zip(index.search(queries, 10)[1], exact)])

    assert recall(refined) >= 0.97 and recall(refined) > recall(codes_only)
    scores, rows = refined.search(queries[:1], 10)
    assert np.allclose(scores[0], vectors[rows[0]] @ queries[0], atol=1e-6)  # exact cosines
    assert np.array_equal(refined.rows(1234, 1236), vectors[1234:1236])


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(ann, "ANN_MIN_PASSAGES", 40)
    monkeypatch.setattr(planning, "SEGMENT_PASSAGES", 16)


WORDS = ("اقتصاد سياسة رياضة طقس مدرسة جامعة مستشفى طريق قطار مطار سوق نفط غاز كهرباء ماء زراعة "
         "صناعة تجارة سياحة ثقافة فن موسيقى سينما كتاب مكتبة متحف بحر نهر جبل صحراء غابة مدينة قرية "
         "حكومة برلمان انتخابات وزير رئيس سفير جيش شرطة محكمة قانون ضريبة ميزانية بنك عملة أسهم").split()


def write_articles(seeds, count, start=0):
    rng = np.random.default_rng(start)
    for i in range(start, start + count):
        sentences = " ".join(
            "قال المتحدث إن " + " و".join(rng.choice(WORDS, 6, replace=False)) + " أمور مهمة هذا العام."
            for _ in range(4)
        )
        (seeds / f"a{i:03}.txt").write_text(sentences + "\n", encoding="utf-8")


def test_a_large_index_is_served_approximately_and_kept_up_to_date(small_threshold, seed_dir, index_dir):
    embedder = FakeEmbedder()
    write_articles(seed_dir, 5)
    update_index(seed_dir, index_dir, embedder)
    assert read_manifest(index_dir).ann is None  # small: exact search
    assert isinstance(load_index(index_dir).vectors, FaissIndex)
    write_articles(seed_dir, 10, start=5)
    update_index(seed_dir, index_dir, embedder)
    manifest = read_manifest(index_dir)
    assert manifest.ann is not None and all(e.codes_sha256 for e in manifest.segments.values())
    codes = set((index_dir / "segments").glob(f"*.{manifest.ann.quantizer}.ivf"))
    assert len(codes) == len(manifest.segments)
    loaded = load_index(index_dir)
    assert isinstance(loaded.vectors, ApproximateIndex) and len(loaded.vectors) >= manifest.passage_count
    assert loaded.vectors.refines  # the segments' exact vectors are mapped, and match
    flat = np.concatenate([read_segment(index_dir, sid).vectors for sid in manifest.segments])
    assert np.array_equal(loaded.vectors.rows(0, len(flat)), flat)
    # A passage's own vector finds that passage first.
    for position in (0, 20, manifest.passage_count - 1):
        _, rows = loaded.vectors.search(loaded.vector(position)[None, :], 1)
        assert loaded.row_passage[rows[0][0]] == position
    # A small edit keeps the quantiser and codes only the new segment.
    write_articles(seed_dir, 1, start=15)
    update_index(seed_dir, index_dir, embedder)
    again = read_manifest(index_dir)
    assert again.ann == manifest.ann
    assert codes <= set((index_dir / "segments").glob("*.ivf"))


def test_damaged_codes_are_found_and_the_index_rebuilt(small_threshold, seed_dir, index_dir, caplog):
    write_articles(seed_dir, 15)
    update_index(seed_dir, index_dir, FakeEmbedder())
    path = next((index_dir / "segments").glob("*.ivf"))
    path.write_bytes(path.read_bytes()[:50])
    report = update_index(seed_dir, index_dir, FakeEmbedder())
    assert report.rebuilt_because and "damaged" in report.rebuilt_because
    assert isinstance(load_index(index_dir).vectors, ApproximateIndex)


def test_shrinking_below_the_threshold_goes_back_to_exact_search(small_threshold, seed_dir, index_dir):
    write_articles(seed_dir, 15)
    update_index(seed_dir, index_dir, FakeEmbedder())
    for path in seed_dir.glob("a0*.txt"):
        if path.name >= "a003":
            path.unlink()
    update_index(seed_dir, index_dir, FakeEmbedder())
    assert read_manifest(index_dir).ann is None
    assert not list((index_dir / "segments").glob("*.ivf")) and not list((index_dir / "ann").glob("*"))
    assert isinstance(load_index(index_dir).vectors, FaissIndex)
