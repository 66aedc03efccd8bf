"""Shared fixtures: seed folders, the fake embedder, the real model (one per session)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from retrieval.model.embedder import FakeEmbedder
from retrieval.service import NewsService

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = ROOT / "seeds" / "000_762f75904539e59f.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def model_cache_dir() -> Path:
    """Where the real model folder is built: shared across test runs (and with the CLI)."""
    if os.environ.get("NEWSQA_CACHE"):
        return Path(os.environ["NEWSQA_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsqa"


@pytest.fixture
def seed_dir(tmp_path: Path) -> Path:
    """A seeds folder holding a copy of the seed article."""
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    return folder


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def fake_service(seed_dir, index_dir, fake_embedder):
    """A NewsService over the seed article with the fake model; no relevance floor
    (the fake model's scores mean little)."""
    service = NewsService(seed_dir, index_dir, fake_embedder, min_score=-1.0)
    service.open()
    return service


@pytest.fixture(scope="session")
def real_embedder():
    """The real multilingual-e5-small as newsqa runs it by default (ONNX), built once per session."""
    from retrieval.model.embedding import load_embedder

    return load_embedder("multilingual-e5-small", model_cache_dir())


@pytest.fixture(scope="session")
def torch_embedder():
    """The same model through sentence-transformers and PyTorch (the reference path)."""
    from retrieval.model.embedding import load_embedder

    return load_embedder("multilingual-e5-small", model_cache_dir(), embedding="torch")


@pytest.fixture(scope="session")
def seed_service(real_embedder, tmp_path_factory):
    """A NewsService over the seed article with the real model (built once)."""
    from retrieval.service import open_service
    from retrieval.settings import Settings

    base = tmp_path_factory.mktemp("seed-service")
    seeds = base / "seeds"
    seeds.mkdir()
    shutil.copy(SEED_FILE, seeds / SEED_FILE.name)
    return open_service(Settings(seeds=seeds, index=base / "index"), embedder=real_embedder)


def listening() -> set[tuple[str, int]]:
    """The machine's listening TCP sockets (address, port), from /proc/net/tcp and tcp6."""
    import ipaddress

    found = set()
    for name, width in (("tcp", 4), ("tcp6", 16)):
        path = f"/proc/net/{name}"
        if not os.path.exists(path):
            continue
        for line in open(path).read().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            if state != "0A":  # LISTEN
                continue
            address, port = local.split(":")
            raw = bytes.fromhex(address)
            raw = b"".join(raw[i : i + 4][::-1] for i in range(0, width, 4))  # host order words
            ip = ipaddress.ip_address(raw)
            found.add((str(getattr(ip, "ipv4_mapped", None) or ip), int(port, 16)))
    return found


def require_ray():
    """tests/ray_cluster.py, or a skip where Ray is not installed; CI installs it, so
    there a missing Ray fails instead."""
    import os as _os

    if _os.environ.get("CI") == "true":
        import tests.ray_cluster  # noqa: F401  (fails loudly: CI must run these tests)
    return pytest.importorskip("tests.ray_cluster", reason="Ray is not installed (make ray)")


@pytest.fixture(scope="session")
def ray_cluster():
    """A real Ray cluster on 127.0.0.1 for the session: a head with no CPU and two worker
    nodes of 1 CPU (tests/ray_cluster.py); yields (cluster, worker nodes). The cluster
    remembers the machine's listening ports from before it started
    (``cluster.listening_before``, None where /proc/net/tcp is missing). A test that
    removes a node must run last (tests/test_ray_index.py's does)."""
    ray_cluster_module = require_ray()
    before = listening() if Path("/proc/net/tcp").exists() else None
    with ray_cluster_module.local_cluster(2) as (cluster, workers):
        cluster.listening_before = before
        yield cluster, workers
