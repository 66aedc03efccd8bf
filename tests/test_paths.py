"""The embedding paths, the quality gate and which paths a CPU may use (pure)."""

from __future__ import annotations

import pytest

from retrieval.model.paths import (
    AS_FAST,
    MIN_COSINE,
    MIN_MEAN_COSINE,
    PATHS,
    REFERENCE,
    SETTINGS,
    Trial,
    candidates,
    fastest,
    legacy_path,
    native_bf16,
    refusal,
    vector_family,
)

AVX2 = ["sse4_2", "avx", "avx2", "fma"]
SAPPHIRE = AVX2 + ["avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16", "amx_int8"]


def trial(path, per_second, mean=1.0, lowest=1.0, use="passages"):
    return Trial(use, path, 16, per_second, mean, lowest)


def test_every_path_is_a_setting_and_the_reference_is_a_path():
    assert set(PATHS) <= set(SETTINGS)
    assert REFERENCE in PATHS and "auto" in SETTINGS and "torch" in SETTINGS


def test_bfloat16_is_offered_only_where_the_cpu_computes_it():
    assert not native_bf16(AVX2)
    assert native_bf16(SAPPHIRE) and native_bf16(["amx_bf16"])
    assert "openvino-bf16" not in candidates("passages", AVX2, openvino=True)
    assert "openvino-bf16" in candidates("passages", SAPPHIRE, openvino=True)
    assert legacy_path("openvino", AVX2) == "openvino-f32"
    assert legacy_path("openvino", SAPPHIRE) == "openvino-bf16"
    assert legacy_path("onnx", AVX2) == "onnxruntime-q4"


def test_questions_stay_on_onnx_runtime_and_no_openvino_means_onnx_runtime_only():
    assert all(p.startswith("onnxruntime-") for p in candidates("questions", SAPPHIRE, openvino=True))
    assert candidates("passages", AVX2, openvino=False) == ["onnxruntime-f32", "onnxruntime-int8", "onnxruntime-q4"]
    assert "openvino-f32" in candidates("passages", AVX2, openvino=True)


def test_a_forced_bfloat16_path_is_refused_where_it_would_be_emulated():
    reason = refusal("openvino-bf16", AVX2)
    assert reason and "AVX512_BF16 or AMX" in reason and "openvino-f32" in reason
    assert refusal("openvino-bf16", SAPPHIRE) is None
    assert all(refusal(p, AVX2) is None for p in PATHS if p != "openvino-bf16")


def test_the_gate_needs_both_the_mean_and_the_lowest_cosine():
    assert trial("onnxruntime-int8", 10, MIN_MEAN_COSINE, MIN_COSINE).passes
    assert not trial("onnxruntime-int8", 10, MIN_MEAN_COSINE - 1e-4, 0.999).passes
    assert not trial("onnxruntime-int8", 10, 0.999, MIN_COSINE - 1e-4).passes
    assert "fails the quality gate" in trial("x-int8", 10, 0.98, 0.9).verdict()


def test_the_fastest_passing_path_wins_and_a_fast_lossy_one_never_does():
    trials = [trial("onnxruntime-f32", 20), trial("openvino-f32", 25),
              trial("onnxruntime-int8", 40, mean=0.990, lowest=0.97)]
    assert fastest(trials).path == "openvino-f32"
    assert fastest([trial("onnxruntime-int8", 40, mean=0.99)]) is None
    assert fastest([]) is None


def test_within_the_timing_noise_the_path_with_the_better_vectors_wins():
    bf16, int8 = trial("openvino-bf16", 148.5, 1.0, 1.0), trial("onnxruntime-int8", 150.0, 0.9985, 0.998)
    assert fastest([bf16, int8]).path == "openvino-bf16"  # 1 % slower: as fast
    assert fastest([trial("openvino-bf16", 100.0, 1.0, 1.0), int8]).path == "onnxruntime-int8"  # a third slower
    assert 100.0 < AS_FAST * 150.0 < 148.5
    # Cosines alike to the fourth decimal (one path at two batch sizes): the faster.
    assert fastest([trial("openvino-bf16", 183.5, 0.999996), trial("openvino-bf16", 187.8, 0.999991)]).per_second == 187.8


def test_a_trial_round_trips_through_json():
    original = trial("onnxruntime-q4", 12.345678, 0.99993, 0.99989, use="questions")
    again = Trial.from_json(original.as_json())
    assert again.path == original.path and again.use == "questions" and again.passes
    assert again.per_second == pytest.approx(12.35)


def test_int8_vectors_are_a_family_of_their_own():
    assert vector_family("onnxruntime-int8") == "int8"
    assert {vector_family(p) for p in PATHS if p != "onnxruntime-int8"} == {"float"}
    assert vector_family("onnx/openvino") == vector_family("torch/float32") == "float"  # older indexes
