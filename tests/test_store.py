"""The index on disk: atomic writes, checksums, clear errors for damage."""

from __future__ import annotations

import json
import resource

import numpy as np
import pytest

from retrieval.errors import IndexCorruptError, IndexMissingError, ModelMismatchError
from retrieval.index.files import allow_open_files, write_atomic
from retrieval.index.indexer import update_index
from retrieval.index.loaded import load_index
from retrieval.index.manifest import MANIFEST
from retrieval.index.passage_table import PassageTable
from retrieval.index.segments import read_segment, remove_unreferenced, write_segment
from retrieval.types import Passage


def test_write_atomic_replaces_whole_file_and_leaves_no_temporaries(tmp_path):
    target = tmp_path / "f.bin"
    write_atomic(target, b"old")
    digest = write_atomic(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert len(digest) == 64
    assert [p.name for p in tmp_path.iterdir()] == ["f.bin"]


def test_segment_round_trip(tmp_path):
    passages = [Passage("a", i, f"جملة {i}", i * 10, i * 10 + 6) for i in range(3)]
    vectors = np.eye(3, 8, dtype=np.float32)
    entry = write_segment(tmp_path, "s1", "fp", passages, ["k0", "k1", "k2"], vectors)
    segment = read_segment(tmp_path, "s1", entry)
    assert tuple(segment.passages) == tuple(passages)
    assert segment.keys == ("k0", "k1", "k2") and segment.fingerprint == "fp"
    assert np.array_equal(segment.vectors, vectors)


def test_texts_are_read_from_the_mapped_file_and_outlive_its_removal(tmp_path):
    passages = [Passage("a", i, f"«جملة» {i}\n\"مقتبسة\" ✓", i * 10, i * 10 + 6, ("شي",) * (i % 2)) for i in range(5)]
    entry = write_segment(tmp_path, "s1", "fp", passages, [f"k{i}" for i in range(5)], np.eye(5, 8, dtype=np.float32))
    table = read_segment(tmp_path, "s1", entry).passages
    held = PassageTable(passages).nbytes() - sum(len(p.text.encode()) for p in passages)
    assert table.nbytes() == held  # no text in memory
    for path in (tmp_path / "segments").iterdir():
        path.unlink()  # as a compaction does while the old generation is still served
    assert list(table) == passages


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(IndexMissingError, match="newsqa index"):
        load_index(tmp_path / "index")


@pytest.fixture
def built(seed_dir, index_dir, fake_embedder):
    update_index(seed_dir, index_dir, fake_embedder)
    return index_dir


def test_truncated_segment_file_is_detected(built):
    path = next((built / "segments").glob("*.faiss"))
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(IndexCorruptError, match="damaged"):
        load_index(built)


def test_edited_passages_file_is_detected(built):
    path = next((built / "segments").glob("*.jsonl"))
    path.write_text(path.read_text(encoding="utf-8").replace("شي", "X"), encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="checksum"):
        load_index(built)


def test_missing_segment_file_is_detected(built):
    next((built / "segments").glob("*.jsonl")).unlink()
    with pytest.raises(IndexCorruptError, match="missing"):
        load_index(built)


@pytest.mark.parametrize("content", [b"", b"{not json", b'{"format": 99}', b"[]"])
def test_damaged_manifest_is_detected(built, content):
    (built / MANIFEST).write_bytes(content)
    with pytest.raises(IndexCorruptError, match="manifest"):
        load_index(built)


def test_index_from_another_model_is_refused(built):
    with pytest.raises(ModelMismatchError, match="fake-embedder"):
        load_index(built, fingerprint="0123456789abcdef", model="other-model")


def test_unreferenced_files_are_removed(built):
    stray = built / "segments" / "20200101T000000-deadbeef.jsonl"
    stray.write_text("{}\n")
    (built / f".{MANIFEST}.123.tmp").write_text("half")
    manifest = json.loads((built / MANIFEST).read_text())
    from retrieval.index.manifest import read_manifest

    assert remove_unreferenced(built, read_manifest(built)) == 2
    assert not stray.exists()
    assert len(list((built / "segments").iterdir())) == 3 * len(manifest["segments"])  # faiss, jsonl, lex
    load_index(built)


def test_loading_raises_the_open_file_limit_a_large_index_needs(tmp_path):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    low = min(soft, 256)
    resource.setrlimit(resource.RLIMIT_NOFILE, (low, hard))
    try:
        allow_open_files(low + 100)
        now = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
        assert now == (low + 100 if hard == resource.RLIM_INFINITY or hard >= low + 100 else hard)
        allow_open_files(10)  # never lowered
        assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] == now
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
