"""The EmbedBackend contract (retrieval/model/backends.py), for the local backend and the Ray
backend on a real Ray cluster of this machine (127.0.0.1 only), and model shipping
(retrieval/model/shipping.py)."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import numpy as np
import pytest

from retrieval.errors import EmbeddingError
from retrieval.model.backends import EmbedBackend, LocalBackend, WorkerLoad, rates_line
from retrieval.model.embedder import FakeEmbedder
from retrieval.model.shipping import (
    ModelPayload,
    embedder_from_payload,
    model_payload,
    unpack,
)
from tests.conftest import ROOT, require_ray


@pytest.fixture
def cluster(ray_cluster):
    """The session's two-node cluster (tests/conftest.py)."""
    return ray_cluster


def _local(embedder, cluster_fixture):
    return LocalBackend(embedder)


def _on_ray(embedder, cluster_fixture):
    from retrieval.model.ray_backend import RayBackend

    running, _ = cluster_fixture
    return RayBackend.connect(running.address, embedder)


BACKENDS = [
    pytest.param(_local, id="local"),
    pytest.param(_on_ray, id="ray", marks=pytest.mark.slow),
]


@pytest.fixture(params=BACKENDS)
def make_backend(request):
    made = []
    cluster_fixture = request.getfixturevalue("cluster") if request.param is _on_ray else None

    def make(embedder):
        backend = request.param(embedder, cluster_fixture)
        made.append(backend)
        return backend

    yield make
    for backend in made:
        backend.close()


def _batches(seed: int = 7) -> list[list[str]]:
    rng = random.Random(seed)
    sizes = [rng.choice([0, 1, 3, 17, 40]) for _ in range(30)]
    return [[f"خبر رقم {b}-{i} عن الاقتصاد والسياسة {rng.random():.6f}" for i in range(n)]
            for b, n in enumerate(sizes)]


def test_a_backend_gives_every_batch_back_in_order_with_the_embedders_vectors(make_backend):
    embedder = FakeEmbedder()
    backend = make_backend(embedder)
    assert isinstance(backend, EmbedBackend) and backend.in_flight >= 1 and backend.where
    batches = _batches()
    results = list(backend.embed_batches(iter(batches)))
    assert len(results) == len(batches)
    for batch, vectors in zip(batches, results):
        assert vectors.shape == (len(batch), embedder.dimension) and vectors.dtype == np.float32
        if batch:
            np.testing.assert_allclose(vectors, embedder.embed_passages(batch), atol=1e-6)
    loads = backend.loads()
    assert sum(load.passages for load in loads) == sum(map(len, batches))
    assert all(load.seconds > 0 and load.rate > 0 for load in loads)


def test_a_backend_never_pulls_more_than_in_flight_batches_ahead(make_backend):
    backend = make_backend(FakeEmbedder(delay=0.01))
    pulled = yielded = 0
    ahead = []

    def batches():
        nonlocal pulled
        for batch in _batches(3):
            pulled += 1
            ahead.append(pulled - yielded)
            yield batch

    for _ in backend.embed_batches(batches()):
        yielded += 1
    assert yielded == pulled == 30
    assert max(ahead) <= backend.in_flight


def test_a_backend_handles_no_batches_and_empty_ones(make_backend):
    backend = make_backend(FakeEmbedder(dimension=16))
    assert list(backend.embed_batches([])) == []
    empties = list(backend.embed_batches([[], []]))
    assert [v.shape for v in empties] == [(0, 16), (0, 16)]
    assert backend.loads() == []


@pytest.mark.slow
def test_the_ray_backend_uses_every_node_with_cpus(cluster):
    from retrieval.model.ray_backend import RayBackend

    running, workers = cluster
    backend = RayBackend.connect(running.address, FakeEmbedder(delay=0.02))
    try:
        assert len(backend.actors) == 2 and backend.in_flight == 4  # the head has no CPU
        list(backend.embed_batches([["نص قصير"]] * 20))
        assert len(backend.loads()) == 2  # both nodes embedded
        assert {load.worker.split("/")[1] for load in backend.loads()} == {
            w.node_id[:6] for w in workers
        }
    finally:
        backend.close()
    backend.close()  # idempotent


@pytest.mark.slow
def test_losing_every_worker_node_is_one_clear_error(tmp_path):
    """No node left to embed on: an EmbeddingError that says so, not a hang."""
    from retrieval.model.ray_backend import RayBackend

    with require_ray().local_cluster(1) as (running, workers):
        backend = RayBackend.connect(running.address, FakeEmbedder(delay=0.2))
        backend.grace, backend.poll = 1.0, 0.5
        results = backend.embed_batches([["نص"]] * 200)
        next(results)
        running.remove_node(workers[0], allow_graceful=False)
        with pytest.raises(EmbeddingError, match="no node with a CPU.*previous index is unchanged"):
            list(results)
        backend.close()


def test_joining_a_cluster_that_is_not_there_is_one_clear_error():
    pytest.importorskip("ray")
    from retrieval.model.ray_backend import RayBackend

    with pytest.raises(EmbeddingError, match="cannot join the Ray cluster at 127.0.0.1:9"):
        RayBackend.connect("127.0.0.1:9", FakeEmbedder())
    with pytest.raises(EmbeddingError, match="no Ray address"):
        RayBackend.connect("  ", FakeEmbedder())


def test_a_model_that_cannot_be_shipped_says_so():
    class Opaque:
        name, fingerprint, dimension = "opaque", "f" * 16, 8

    with pytest.raises(EmbeddingError, match="cannot be sent to Ray workers"):
        model_payload(Opaque())


def test_rates_line_and_worker_loads():
    load = WorkerLoad("a").added(60, 2.0).added(40, 2.0)
    assert (load.passages, load.seconds, load.rate) == (100, 4.0, 25.0)
    assert WorkerLoad("idle").rate == 0.0
    assert rates_line([]) == ""
    assert rates_line([load, WorkerLoad("b", 30, 1.0)]) == "2 workers: 25/s, 30/s"


def test_a_fake_payload_builds_the_same_embedder():
    fake = FakeEmbedder(dimension=32, name="fake-x")
    payload = model_payload(fake)
    assert payload.kind == "fake" and payload.files == {} and payload.size == 0
    rebuilt = embedder_from_payload(payload)
    assert (rebuilt.name, rebuilt.fingerprint, rebuilt.dimension) == ("fake-x", fake.fingerprint, 32)
    np.testing.assert_array_equal(rebuilt.embed_passages(["نص"]), fake.embed_passages(["نص"]))


def test_unpacking_writes_the_files_once_and_atomically(tmp_path):
    files = {"a.json": np.frombuffer(b'{"x": 1}', dtype=np.uint8), "sub/b.bin": np.arange(5, dtype=np.uint8),
             "empty": np.zeros(0, dtype=np.uint8)}
    payload = ModelPayload("onnx", "m", "0123456789abcdef", 8, files, {"passages": "onnxruntime"})
    folder = unpack(payload, tmp_path)
    assert (folder / "a.json").read_bytes() == b'{"x": 1}'
    assert (folder / "sub" / "b.bin").read_bytes() == bytes(range(5))
    assert (folder / "empty").read_bytes() == b""
    (folder / "a.json").write_bytes(b"kept")  # a second unpack reuses the folder as it is
    assert unpack(payload, tmp_path) == folder and (folder / "a.json").read_bytes() == b"kept"
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]  # no partial folder left


@pytest.mark.model
def test_the_real_model_ships_and_embeds_the_same_on_a_worker(real_embedder, tmp_path):
    payload = model_payload(real_embedder)
    assert payload.kind == "onnx" and "tokenizer.skeleton.json" not in payload.files
    assert payload.size > 100e6  # the weights travel, not a path
    worker = embedder_from_payload(payload, threads=1, root=tmp_path)
    assert worker.fingerprint == real_embedder.fingerprint and worker.folder.parent == tmp_path
    texts = ["قال الرئيس إن الاقتصاد ينمو.", "افتتح المعرض الدولي للكتاب أبوابه أمس."]
    cosine = np.sum(worker.embed_passages(texts) * real_embedder.embed_passages(texts), axis=1)
    assert cosine.min() >= 0.9999


def test_without_ray_installed_the_error_says_how_to_install_it(monkeypatch):
    from retrieval.model.ray_backend import RayBackend

    monkeypatch.setitem(sys.modules, "ray", None)  # import ray fails as if not installed
    with pytest.raises(EmbeddingError, match=r"Ray is not installed: pip install -e '\.\[ray\]'"):
        RayBackend.connect("127.0.0.1:6379", FakeEmbedder())


@pytest.mark.model
@pytest.mark.parametrize("how", ["option", "environment"])
def test_newsqa_index_with_a_wrong_ray_address_is_one_line_and_changes_nothing(how, tmp_path):
    pytest.importorskip("ray")
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text("قال الوزير إن الاقتصاد ينمو بسرعة هذا العام.\n", encoding="utf-8")
    env = dict(os.environ, NEWSQA_SEEDS=str(seeds), NEWSQA_INDEX=str(tmp_path / "index"))
    argv = [sys.executable, "-m", "bot.cli", "index"]
    if how == "option":
        argv += ["--ray", "127.0.0.1:9"]
    else:
        env["NEWSQA_RAY_ADDRESS"] = "127.0.0.1:9"
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith("newsqa: error: cannot join the Ray cluster at 127.0.0.1:9: nothing answers")
    assert "Traceback" not in done.stderr and not (tmp_path / "index").exists()


@pytest.mark.slow
def test_the_test_cluster_listens_on_127_0_0_1_only(cluster):
    import ipaddress

    from tests.conftest import listening

    running, workers = cluster
    if running.listening_before is None:
        pytest.skip("no /proc/net/tcp here")
    opened = listening() - running.listening_before
    assert opened, "the cluster opened no port?"
    assert [a for a in opened if not ipaddress.ip_address(a[0]).is_loopback] == []
