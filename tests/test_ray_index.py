"""`newsqa index --ray` on a real two-node Ray cluster on this machine (127.0.0.1 only, 1 CPU
per node): the ANT culture and technology folders give the same index as a local build,
both nodes embed, and losing a node mid-build still ends with a complete index."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT, SHARED_DATA

pytestmark = [pytest.mark.slow, pytest.mark.model]

ANT = SHARED_DATA / "news" / "antcorpus.tar.gz"
FOLDERS = ("culture", "technology")
QUESTIONS = [
    "ماذا قال وزير الثقافة؟",
    "معرض الكتاب الدولي",
    "هواتف ذكية جديدة",
    "What did the minister say about the festival?",
]


@pytest.fixture(scope="module")
def ant_seeds(tmp_path_factory) -> Path:
    if not ANT.exists():
        pytest.skip(f"{ANT} is not here")
    seeds = tmp_path_factory.mktemp("ant-seeds")
    with tarfile.open(ANT) as tar:
        for member in tar.getmembers():
            parts = Path(member.name).parts
            if member.isfile() and len(parts) >= 3 and parts[-2] in FOLDERS:
                (seeds / f"{parts[-2]}-{parts[-1]}").write_bytes(tar.extractfile(member).read())
    assert len(list(seeds.iterdir())) > 150
    return seeds


@pytest.fixture(scope="module")
def local_index(ant_seeds, real_embedder, tmp_path_factory) -> Path:
    from retrieval.index.indexer import update_index

    folder = tmp_path_factory.mktemp("local") / "index"
    update_index(ant_seeds, folder, real_embedder)
    return folder


def _newsqa(seeds: Path, index: Path, address: str) -> subprocess.Popen:
    env = dict(os.environ, NEWSQA_SEEDS=str(seeds), NEWSQA_INDEX=str(index),
               RAY_USAGE_STATS_ENABLED="0", PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "index", "--ray", address, "--no-progress"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def _answers(index: Path, embedder) -> list[list[tuple[str, int]]]:
    from retrieval.service import open_service
    from retrieval.settings import Settings

    service = open_service(Settings(seeds=index.parent, index=index), embedder=embedder, build=False)
    return [[(h.passage.article_id, h.passage.index) for h in service.answer(q, k=5).hits] for q in QUESTIONS]


def assert_same_index(built: Path, local: Path, embedder) -> None:
    """Same passages (text, spans, speakers), same lexical data, vectors equal up to
    floating-point noise, and the same answers to the same questions."""
    from retrieval.index.loaded import load_index
    from retrieval.text.terms import terms

    ours, theirs = load_index(built), load_index(local)
    assert set(ours.manifest.articles) == set(theirs.manifest.articles)
    key = lambda p: (p.article_id, p.index)  # noqa: E731
    assert sorted(ours.passages, key=key) == sorted(theirs.passages, key=key)
    where = {key(p): i for i, p in enumerate(theirs.passages)}
    order = np.array([where[key(p)] for p in ours.passages])
    a = ours.vectors_at(np.arange(len(ours.passages)))
    b = theirs.vectors_at(order)
    assert np.sum(a * b, axis=1).min() >= 0.9999
    for question in QUESTIONS:
        query = terms(question)
        np.testing.assert_allclose(ours.lexical.scores(query), theirs.lexical.scores(query)[order], rtol=1e-6)
    assert ours.speakers.people() == theirs.speakers.people()  # names, spellings, counts
    assert _answers(built, embedder) == _answers(local, embedder)


def _embedding_actors(address: str) -> list[dict]:
    """The build's embedding actors, from the cluster's own actor table (what `ray list
    actors` shows; that command needs the dashboard, which comes with ray[default])."""
    import ray

    ray.init(address=address, log_to_driver=False, logging_level="WARNING")
    try:
        return [a for a in ray._private.state.actors().values() if a["ActorClassName"] == "NewsqaEmbedWorker"]
    finally:
        ray.shutdown()


@pytest.fixture
def cluster(ray_cluster):
    """The session's two-node cluster (tests/conftest.py); the last test here removes a node."""
    return ray_cluster


def test_a_ray_build_is_the_local_build_and_runs_on_both_nodes(
    cluster, ant_seeds, local_index, real_embedder, tmp_path
):
    cluster, workers = cluster
    earlier = {a["ActorID"] for a in _embedding_actors(cluster.address)}
    process = _newsqa(ant_seeds, tmp_path / "index", cluster.address)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert f"on Ray at {cluster.address}, 2 workers: " in out
    actors = [a for a in _embedding_actors(cluster.address) if a["ActorID"] not in earlier]
    assert len(actors) == 2 and {a["Address"]["NodeID"] for a in actors} == {w.node_id for w in workers}
    assert_same_index(tmp_path / "index", local_index, real_embedder)


def test_ctrl_c_cancels_a_ray_build_and_leaves_the_previous_index(
    cluster, ant_seeds, real_embedder, tmp_path
):
    from retrieval.index.files import IndexLock
    from retrieval.index.indexer import update_index
    from retrieval.index.manifest import read_manifest

    cluster, _ = cluster
    seeds, index = tmp_path / "seeds", tmp_path / "index"
    seeds.mkdir()
    for path in sorted(ant_seeds.iterdir())[:3]:
        shutil.copy(path, seeds)
    update_index(seeds, index, real_embedder)
    before = read_manifest(index)
    for path in sorted(ant_seeds.iterdir())[3:]:
        shutil.copy(path, seeds)
    process = _newsqa(seeds, index, cluster.address)
    time.sleep(9)  # the workers are embedding by then
    assert process.poll() is None, "the build ended before Ctrl-C"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130 and "Traceback" not in err
    assert read_manifest(index) == before
    with IndexLock(index):  # released
        pass
    assert all(a["State"] == "DEAD" for a in _embedding_actors(cluster.address))


def test_losing_a_node_mid_build_still_ends_with_the_complete_index(
    cluster, ant_seeds, local_index, real_embedder, tmp_path
):
    """Runs last in this file: it takes a node away from the session's cluster."""
    cluster, workers = cluster
    earlier = {a["ActorID"] for a in _embedding_actors(cluster.address)}
    process = _newsqa(ant_seeds, tmp_path / "index", cluster.address)
    started = time.monotonic()
    while time.monotonic() - started < 8 and process.poll() is None:
        time.sleep(0.1)
    assert process.poll() is None, "the build ended before the node could be removed"
    cluster.remove_node(workers[1], allow_graceful=False)
    out, err = process.communicate(timeout=600)
    assert process.returncode == 0, err
    assert "Traceback" not in err
    actors = [a for a in _embedding_actors(cluster.address) if a["ActorID"] not in earlier]
    # The lost node's actor was restarted on the node that is left, which finished the build.
    assert [a["NumRestarts"] for a in actors if a["NumRestarts"]] == [1]
    assert {a["Address"]["NodeID"] for a in actors} == {workers[0].node_id}
    assert_same_index(tmp_path / "index", local_index, real_embedder)
