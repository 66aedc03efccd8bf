"""One contract per port, run against the real adapter and the fake: Embedder, VectorIndex, Retriever."""

from __future__ import annotations

import numpy as np
import pytest

from retrieval.index.vectors import FaissIndex, NumpyIndex, VectorIndex
from retrieval.model.embedder import Embedder, FakeEmbedder
from retrieval.model.paths import MIN_MEAN_COSINE, vector_family
from retrieval.query.protocols import Retriever


def unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


# -- VectorIndex: FAISS and the NumPy reference ------------------------------------------------


@pytest.fixture(params=[FaissIndex, NumpyIndex], ids=["faiss", "numpy"])
def make(request):
    return request.param


def test_both_implement_the_protocol(make):
    assert isinstance(make(unit(np.eye(3, dtype=np.float32))), VectorIndex)


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


# -- Embedder: the sentence-transformers model and the fake --------------------------------------


@pytest.fixture(params=["fake", pytest.param("real", marks=pytest.mark.model)])
def embedder(request):
    if request.param == "fake":
        return FakeEmbedder()
    return request.getfixturevalue("real_embedder")


def test_embedder_contract(embedder):
    assert isinstance(embedder, Embedder)
    assert embedder.name and len(embedder.fingerprint) == 16 and embedder.dimension > 0
    texts = ["قال الرئيس الصيني شي جين بينغ إن الصين تتمنى.", "سقطت أمطار غزيرة على المدينة.", ""]
    passages = embedder.embed_passages(texts)
    queries = embedder.embed_queries(["ماذا قال شي؟", "What did Xi say?"])
    for vectors, n in ((passages, 3), (queries, 2)):
        assert vectors.shape == (n, embedder.dimension) and vectors.dtype == np.float32
        assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert embedder.embed_passages([]).shape == (0, embedder.dimension)
    assert embedder.embed_queries([]).shape == (0, embedder.dimension)
    # Deterministic, and a batch gives what one text at a time gives: exactly on a float
    # path; on an int8 path (chosen where the CPU multiplies int8 fastest) a run's
    # activations share one scale, so a passage moves with its batch, within the quality
    # gate (questions run alone there: a question's vector never depends on another's).
    again = np.concatenate([embedder.embed_passages([t]) for t in texts])
    if vector_family(getattr(embedder, "path", "")) == "int8":
        assert np.sum(passages * again, axis=1).min() >= MIN_MEAN_COSINE
    else:
        assert np.allclose(passages, again, atol=1e-4)
    one_by_one = np.concatenate([embedder.embed_queries([q]) for q in ["ماذا قال شي؟", "What did Xi say?"]])
    assert np.allclose(queries, one_by_one, atol=1e-4)
    # The question about Xi is nearer Xi's sentence than the weather.
    assert (queries[0] @ passages[0]) > (queries[0] @ passages[1])


# -- Retriever: the dense FAISS retriever and a fake ---------------------------------------------


class ListRetriever:
    """A fake retriever: fixed candidates, whatever the question."""

    name = "list"

    def __init__(self, positions):
        self.positions = positions

    def prepare(self, index, texts):
        pass

    def retrieve(self, index, requests, depth):
        from retrieval.query.types import Candidate, Found

        picked = self.positions[:depth]
        return [
            Found([Candidate(p, 1.0 - i / 100, 1.0 - i / 100) for i, p in enumerate(picked)],
                  more=depth < len(self.positions))
            for _ in requests
        ]


@pytest.fixture(params=["dense", "fake"])
def retriever(request):
    from retrieval.query.dense import DenseRetriever

    return DenseRetriever() if request.param == "dense" else ListRetriever(list(range(13)))


def test_retriever_contract(retriever, seed_dir, index_dir, fake_embedder):
    from retrieval.index.indexer import update_index
    from retrieval.index.loaded import load_index
    from retrieval.query.types import Question, Request

    update_index(seed_dir, index_dir, fake_embedder)
    index = load_index(index_dir)
    assert isinstance(retriever, Retriever) and retriever.name
    vectors = fake_embedder.embed_queries(["ماذا قال شي؟", "الاقتصاد الرقمي"])
    requests = [Request(Question("ماذا قال شي؟"), vectors[0]), Request(Question("الاقتصاد الرقمي"), vectors[1])]
    shallow = retriever.retrieve(index, requests, 3)
    deep = retriever.retrieve(index, requests, 100)
    assert len(shallow) == len(deep) == 2
    for few, many in zip(shallow, deep):
        assert len(few.candidates) <= 3 and few.more
        assert len(many.candidates) == 13 and not many.more  # everything, and it says so
        assert all(0 <= c.position < len(index.passages) for c in many.candidates)
        scores = [c.score for c in many.candidates]
        assert scores == sorted(scores, reverse=True)
        assert [c.position for c in few.candidates] == [c.position for c in many.candidates][:3]


@pytest.mark.parametrize("name", ["dense", "lexical", "speaker"])
def test_every_retriever_of_the_default_pipeline_keeps_the_contract(name, seed_dir, index_dir, fake_embedder):
    """One Found per request, in order; valid positions; ``prepare`` then ``retrieve``."""
    from retrieval.index.indexer import update_index
    from retrieval.index.loaded import load_index
    from retrieval.query import default_pipeline, understand
    from retrieval.query.types import Request

    update_index(seed_dir, index_dir, fake_embedder)
    index = load_index(index_dir)
    retriever = default_pipeline().retriever(name)
    assert isinstance(retriever, Retriever) and retriever.name == name
    texts = ["ماذا قال شي؟", "الاقتصاد الرقمي", "What did Nobody Known say?"]
    vectors = fake_embedder.embed_queries(texts)
    requests = [Request(understand(t), v, k=None if i == 0 else 5) for i, (t, v) in enumerate(zip(texts, vectors))]
    retriever.prepare(index, texts)
    found = retriever.retrieve(index, requests, 5)
    assert len(found) == len(requests)
    for one in found:
        assert all(0 <= c.position < len(index.passages) for c in one.candidates)
        assert 0.0 <= one.weight <= 1.0
    if name == "speaker":  # Xi's statements, every one; nobody for the others
        assert found[0].person.names == ("شي جين بينغ",) and len(found[0].candidates) == 8
        assert found[1].person is None and not found[1].candidates
        assert found[2].person is not None and not found[2].person.found


def test_a_view_of_faiss_memory_keeps_its_index_alive():
    import gc

    import faiss

    from retrieval.index.vectors import flat_vectors

    vectors = unit(np.random.default_rng(5).normal(size=(300, 16)))
    index = faiss.IndexFlatIP(16)
    index.add(vectors)
    view = flat_vectors(index)[100:200]
    del index
    gc.collect()
    _ = [np.ones(10_000) for _ in range(50)]  # reuse freed memory, were it freed
    assert np.array_equal(view, vectors[100:200]) and not view.flags.writeable
