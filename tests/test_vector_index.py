"""One contract, two vector indexes: FAISS and the NumPy reference."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.vector_index import FaissIndex, NumpyIndex


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(params=[FaissIndex, NumpyIndex], ids=["faiss", "numpy"])
def make(request):
    return request.param


def test_finds_the_nearest_rows_in_order(make):
    rng = np.random.default_rng(7)
    vectors = unit(rng.normal(size=(50, 16)))
    index = make(vectors)
    assert len(index) == 50 and index.dimension == 16
    scores, rows = index.search(vectors[[3, 17]], 5)
    assert rows[:, 0].tolist() == [3, 17]
    assert np.allclose(scores[:, 0], 1.0, atol=1e-5)
    assert np.all(np.diff(scores, axis=1) <= 1e-6)  # descending
    expected = np.argsort(-(vectors[[3]] @ vectors.T), axis=1)[0, :5]
    assert rows[0].tolist() == expected.tolist()


def test_asking_for_more_than_there_is_pads_with_minus_one(make):
    index = make(unit(np.eye(3, dtype=np.float32)))
    scores, rows = index.search(unit(np.ones((1, 3), dtype=np.float32)), 5)
    assert sorted(rows[0, :3].tolist()) == [0, 1, 2]
    assert rows[0, 3:].tolist() == [-1, -1]
    assert np.all(np.isneginf(scores[0, 3:]))


def test_empty_index(make):
    index = make(np.zeros((0, 4), dtype=np.float32))
    scores, rows = index.search(unit(np.ones((2, 4), dtype=np.float32)), 3)
    assert len(index) == 0 and rows.shape == (2, 3) and np.all(rows == -1)


def test_both_agree(make):
    rng = np.random.default_rng(1)
    vectors = unit(rng.normal(size=(200, 32)))
    queries = unit(rng.normal(size=(10, 32)))
    _, rows = make(vectors).search(queries, 10)
    _, ref = NumpyIndex(vectors).search(queries, 10)
    assert rows.tolist() == ref.tolist()
