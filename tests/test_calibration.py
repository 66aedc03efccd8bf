"""Choosing the embedding paths per machine: the calibration times the real paths of the
real model, keeps the fastest that passes the quality gate, records it, and ``auto`` uses
the record; a forced path is honoured (or refused, where it would be emulated)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.cli import main
from retrieval.errors import ModelError
from retrieval.model import calibration
from retrieval.model.calibration import (
    Calibration,
    calibrate,
    read_calibration,
    record_file,
    write_calibration,
)
from retrieval.model.embedding import embedder_from_settings, load_embedder
from retrieval.model.fast_embedding import Graph, OnnxEmbedder
from retrieval.model.int8 import (
    INT8_FILE,
    INT8_NOTE,
    MAX_FLOAT,
    MIN_GAIN,
    OLD_INT8_FILE,
    int8_graph,
)
from retrieval.model.onnx_export import CONFIG_FILE, fast_model_folder
from retrieval.model.paths import MIN_MEAN_COSINE, Trial
from retrieval.settings import load_settings
from tests.conftest import SEED_FILE, model_cache_dir

pytestmark = pytest.mark.model

MODEL = "multilingual-e5-small"


@pytest.fixture(scope="module")
def real_folder(real_embedder) -> Path:
    int8_graph(real_embedder.folder)  # made once, in the shared cache
    return real_embedder.folder


@pytest.fixture
def cache(real_folder, tmp_path) -> Path:
    """A cache of its own (records written here, not in the user's), whose model files
    are links to the shared cache's."""
    models = tmp_path / "cache" / "models"
    exported = models / real_folder.name
    exported.mkdir(parents=True)
    for file in real_folder.iterdir():
        if file.is_file():
            (exported / file.name).symlink_to(file)
    for bundle in (model_cache_dir() / "models").glob(f"{MODEL}-*"):
        (models / bundle.name).symlink_to(bundle)
    return tmp_path / "cache"


def exported(cache: Path) -> Path:
    return next((cache / "models").glob("onnx-*"))


class LossyGraph:
    """A path that is fastest of all and wrong: its vectors drift far from float32."""

    def __init__(self, inner):
        self.inner, self.rng = inner, np.random.default_rng(0)

    def run(self, inputs):
        out = self.inner.run(inputs)
        return out + self.rng.normal(0, 0.01, out.shape).astype(np.float32)


def test_the_fastest_path_that_passes_the_gate_is_chosen_and_recorded(real_embedder, cache):
    folder = exported(cache)
    embedder = OnnxEmbedder(MODEL, real_embedder.fingerprint, folder, threads=1)
    reference = Graph(folder, "onnxruntime-f32", 1)

    def make_graph(path):  # q4's graph is replaced by one that drifts and costs nothing
        return LossyGraph(reference) if path == "onnxruntime-q4" else Graph(folder, path, 1)

    texts = [line for line in SEED_FILE.read_text(encoding="utf-8").splitlines() if len(line) > 40][:12]
    lines = []
    record = calibrate(embedder, texts, make_graph=make_graph, flags=["avx2", "fma"], openvino=False,
                       threads=1, say=lines.append)
    lossy = [t for t in record.trials if t.path == "onnxruntime-q4"]
    assert lossy and not any(t.passes for t in lossy)  # the drift is caught in both uses
    assert {t.cosine_mean for t in lossy} and max(t.cosine_mean for t in lossy) < 0.995
    assert record.passages.path != "onnxruntime-q4" and record.questions.path != "onnxruntime-q4"
    passing = [t for t in record.trials if t.use == "passages" and t.passes]
    assert record.passages.per_second == max(t.per_second for t in passing)
    assert {t.batch_size for t in record.trials if t.use == "passages" and t.path == record.passages.path} == {8, 16, 32}
    assert any("fails the quality gate" in line for line in lines)
    assert write_calibration(folder, record) == record_file(folder, 1)
    again = read_calibration(folder, 1)
    assert again.as_json() == record.as_json() and read_calibration(folder, 2) is None  # per thread count


def chosen(passages: str, batch: int, questions: str) -> Calibration:
    return Calibration(
        "test CPU", calibration.calibration_key(0), 0, Trial("passages", passages, batch, 30.0, 1.0, 1.0),
        Trial("questions", questions, 1, 50.0, 1.0, 1.0), (), "2026-12-06T00:00:00Z", 1.0)


def test_auto_uses_the_record_and_calibrates_only_where_there_is_none(cache, monkeypatch):
    calls = []

    def quick(embedder, texts, **kw):
        calls.append(len(texts))
        return chosen("onnxruntime-f32", 8, "onnxruntime-f32")

    monkeypatch.setattr(calibration, "calibrate", quick)
    first = load_embedder(MODEL, cache, progress=False)
    second = load_embedder(MODEL, cache, progress=False)
    assert calls == [calibration.MAX_PASSAGES]  # once: the second read the record
    for embedder in (first, second):
        assert (embedder.path, embedder.batch_size, embedder.question_path) == ("onnxruntime-f32", 8, "onnxruntime-f32")
    write_calibration(exported(cache), chosen("onnxruntime-q4", 32, "onnxruntime-int8"))
    third = load_embedder(MODEL, cache, progress=False)
    assert (third.path, third.batch_size, third.question_path) == ("onnxruntime-q4", 32, "onnxruntime-int8")
    assert third.embed_queries(["ماذا قال شي؟"]).shape == (1, 384)


def test_a_forced_path_is_honoured_and_agrees_with_the_reference(cache, real_embedder, monkeypatch):
    monkeypatch.setattr(calibration, "calibrate", lambda *a, **k: pytest.fail("a forced path times nothing"))
    monkeypatch.setenv("NEWSQA_EMBEDDING", "onnxruntime-int8")
    monkeypatch.setenv("NEWSQA_CACHE", str(cache))
    forced = embedder_from_settings(load_settings(env=None))
    assert (forced.path, forced.question_path) == ("onnxruntime-int8", "onnxruntime-int8")
    texts = [line for line in SEED_FILE.read_text(encoding="utf-8").splitlines() if len(line) > 40]
    cosine = np.sum(forced.embed_passages(texts) * real_embedder.embed_passages(texts), axis=1)
    assert cosine.mean() >= 0.99  # int8: close, not equal
    assert forced.path == "onnxruntime-int8"  # it ran on that path, no fallback


def test_a_forced_bfloat16_path_is_refused_on_a_cpu_without_bfloat16(cache, monkeypatch):
    monkeypatch.setattr(calibration, "cpu_flags", lambda: ["avx2", "fma"])
    with pytest.raises(ModelError, match="needs bfloat16 arithmetic"):
        load_embedder(MODEL, cache, embedding="openvino-bf16", progress=False)
    monkeypatch.setattr(calibration, "cpu_flags", lambda: ["avx2", "fma", "avx512_bf16", "amx_bf16"])
    allowed = load_embedder(MODEL, cache, embedding="openvino-bf16", progress=False)
    assert allowed.path == "openvino-bf16"


def test_newsqa_model_shows_the_choice_and_its_figures(cache, monkeypatch, capsys):
    write_calibration(exported(cache), chosen("onnxruntime-f32", 8, "onnxruntime-q4"))
    monkeypatch.setenv("NEWSQA_CACHE", str(cache))
    monkeypatch.delenv("NEWSQA_EMBEDDING", raising=False)
    assert main(["model", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["passages"], shown["batch_size"], shown["questions"]) == ("onnxruntime-f32", 8, "onnxruntime-q4")
    assert shown["calibration"]["cpu"] == "test CPU" and shown["setting"] == "auto"
    assert shown["int8_graph"]["float"][0] == "/bert/encoder/layer.4/output/dense/MatMul"
    assert main(["model"]) == 0
    out = capsys.readouterr().out
    assert "passages: onnxruntime-f32, batch 8; questions: onnxruntime-q4 (measured fastest here)" in out
    assert "MatMuls in int8, kept in float32: layer.4/output/dense/MatMul" in out
    monkeypatch.setenv("NEWSQA_EMBEDDING", "onnxruntime-f32")
    assert main(["model"]) == 0
    assert "set by NEWSQA_EMBEDDING=onnxruntime-f32" in capsys.readouterr().out


def test_a_worker_is_sent_only_the_graph_its_passage_path_runs(cache, real_embedder):
    from retrieval.model.shipping import model_payload

    for path, graph in (("onnxruntime-int8", INT8_FILE), ("openvino-f32", "model.plain.onnx")):
        embedder = OnnxEmbedder(MODEL, real_embedder.fingerprint, exported(cache), passages=path)
        files = set(model_payload(embedder).files)
        assert graph in files and not {INT8_FILE, "model.plain.onnx", "model.q4.onnx"} - {graph} & files


def test_the_int8_graph_fuses_attention_and_keeps_the_outlier_matmul_float(real_folder):
    """Left unfused (the optimizer cannot read the heads from the graph) it ran 15 % slower;
    all in int8, layer 4's feed-forward output (inputs 45× their 99.9th percentile) moved
    the vectors as much as the other 71 MatMuls together."""
    import onnx

    graph = onnx.load(str(real_folder / INT8_FILE), load_external_data=False).graph
    ops = [node.op_type for node in graph.node]
    assert ops.count("MultiHeadAttention") == 12  # one per layer of multilingual-e5-small
    note = json.loads((real_folder / INT8_NOTE).read_text(encoding="utf-8"))
    # The first tried and kept on every CPU measured (int8 kernels differ between CPUs,
    # so a second may be kept where int8 is coarser).
    assert note["float"][0] == "/bert/encoder/layer.4/output/dense/MatMul" and len(note["float"]) <= MAX_FLOAT
    assert ops.count("MatMulInteger") == note["int8_matmuls"] == 72 - len(note["float"])
    assert note["cosine"] - note["cosine_all_int8"] >= MIN_GAIN and note["cosine"] >= MIN_MEAN_COSINE
    assert not (real_folder / OLD_INT8_FILE).exists()


def test_a_folder_exported_before_the_heads_were_recorded_gets_them(real_folder, tmp_path):
    """An older cache is completed in place (its int8 graph is then made fused), not re-exported."""
    config = json.loads((real_folder / CONFIG_FILE).read_text(encoding="utf-8"))
    assert config["attention_heads"] == 12
    old = tmp_path / "models" / "onnx-old"
    old.mkdir(parents=True)
    (old / CONFIG_FILE).write_text(json.dumps({k: v for k, v in config.items() if k != "attention_heads"}))
    bundle = next((model_cache_dir() / "models").glob(f"{MODEL}-*"))
    assert fast_model_folder(bundle, tmp_path, "old") == old
    assert json.loads((old / CONFIG_FILE).read_text(encoding="utf-8")) == config
