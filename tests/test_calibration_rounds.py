"""The calibration's timing (no model): the candidate paths are timed in turn, round after
round, so that a busy moment on the machine cannot make the slower path look faster."""

from __future__ import annotations

import time

import numpy as np

from retrieval.model import calibration
from retrieval.model.calibration import calibrate


class SleepyGraph:
    """A path that takes ``seconds`` a call, plus ``busy`` a question while the machine is
    busy (its first ``busy_questions`` questions)."""

    def __init__(self, seconds: float, machine: dict):
        self.seconds, self.machine = seconds, machine

    def run(self, count: int, question: bool = False) -> np.ndarray:
        extra = 0.0
        if question:
            extra = self.machine["busy"] if self.machine["questions"] < self.machine["busy_questions"] else 0.0
            self.machine["questions"] += 1
        time.sleep(self.seconds + extra)
        return np.tile(np.eye(1, 4, dtype=np.float32), (count, 1))


class FakeEmbedder:
    query_prefix = "query: "

    def embed_with(self, graph, texts, batch_size, *, prefix=None):
        if isinstance(graph, SleepyGraph):
            return graph.run(len(texts), question=prefix == self.query_prefix)
        return graph.run(len(texts))


def test_a_busy_moment_does_not_choose_the_slower_path():
    # The machine is busy for the first 54 questions: the three question paths' warm-up and
    # first round when timed in turn; timed one path after another (as the calibration once
    # was), the whole of onnxruntime-f32's timing, the fastest path, which then lost.
    machine = {"questions": 0, "busy_questions": 2 * 3 + 16 * 3, "busy": 0.004}
    speeds = {"onnxruntime-f32": 0.001, "onnxruntime-int8": 0.002, "onnxruntime-q4": 0.0025}
    record = calibrate(FakeEmbedder(), ["text"] * 4, make_graph=lambda path: SleepyGraph(speeds[path], machine),
                       flags=["avx2"], openvino=False, threads=0, say=lambda line: None)
    assert record.questions.path == "onnxruntime-f32"
    assert record.passages.path == "onnxruntime-f32"
    questions = {t.path: t.per_second for t in record.trials if t.use == "questions"}
    assert questions["onnxruntime-f32"] > questions["onnxruntime-int8"] > questions["onnxruntime-q4"]


def test_each_candidate_is_timed_once_a_round_in_turn(monkeypatch):
    order = []

    class Recording:
        def __init__(self, path):
            self.path = path

        def run(self, count):
            order.append(self.path)
            return np.ones((count, 4), np.float32) / 2

    monkeypatch.setattr(calibration, "QUESTIONS", ("ماذا قال شي؟",))
    calibrate(FakeEmbedder(), ["text"], make_graph=Recording, flags=["avx2"], openvino=False, threads=0,
              say=lambda line: None, rounds=3)
    questions = order[-9:]  # the questions' three rounds, after their warm-up
    assert questions == ["onnxruntime-f32", "onnxruntime-int8", "onnxruntime-q4"] * 3
