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
