"""Choosing the embedding paths for this machine: time each on real text, keep the fastest
that passes the quality gate (of those within 5 % of it, the one with the better vectors:
``paths.fastest``), and record the choice beside the exported model.

Runs once per CPU (model, flags, cores), thread count and runtime versions: the first
time the model is used with ``NEWSQA_EMBEDDING=auto`` (about a minute on 2 cores), or
again with ``newsqa model --calibrate``. Passages are timed for throughput at batches of
8, 16 and 32 (sorted by length, as the indexer embeds them); questions one at a time,
as ``ask`` and the bot embed them. Every path's vectors are compared with float32 ONNX
Runtime's on the same texts (``retrieval.model.paths``: cosine mean ≥ 0.995, lowest ≥ 0.98).
The record, ``calibration/<key>.json`` in the exported model's folder, holds the CPU,
the choice and every trial.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import platform
import re
import sys
import time
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from retrieval.model.paths import PASSAGE_BATCHES, REFERENCE, Trial, candidates, fastest

log = logging.getLogger(__name__)

FORMAT = 1
SHOWN_FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_bf16", "amx_int8")
MAX_PASSAGES = 64
#: Timings of each candidate path (interleaved; the median is kept).
ROUNDS = 3
#: Questions in both languages, of the lengths people ask (the calibration's question set).
QUESTIONS = (
    "ماذا قال شي؟", "What did Xi say?", "ما هي أسباب ارتفاع أسعار النفط هذا الشهر؟",
    "من فاز في الانتخابات البرلمانية؟", "Who won the election?", "متى تبدأ القمة العربية في الرياض؟",
    "كم عدد اللاجئين الذين عبروا الحدود؟", "What did the minister say about the budget?",
    "ما موقف الحكومة من الاتفاق النووي؟", "أين وقع الانفجار؟", "Quels pays ont signé l'accord?",
    "ماذا قالت ميركل عن الهجرة؟", "How many people died in the earthquake?",
    "لماذا استقال رئيس الوزراء؟", "ما نتيجة مباراة الأهلي والزمالك؟", "من قال إن الاقتصاد سيتعافى؟",
)
#: Used when the seeds hold too little text: news sentences of typical length.
SAMPLE = (
    "قال الرئيس إن الحكومة ستواصل العمل على تحسين الأوضاع الاقتصادية خلال العام المقبل.",
    "أعلنت وزارة الصحة تسجيل عشرات الإصابات الجديدة في عدد من المحافظات يوم الأحد.",
    "وأكد وزير الخارجية في مؤتمر صحفي أن بلاده تدعم الحل السياسي للأزمة وترفض التدخل الخارجي.",
    "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار المنتجين خفض الإنتاج.",
    "The minister said the talks would continue next week in the capital.",
    "وشارك في المؤتمر ممثلون عن أكثر من ثلاثين دولة ومنظمة دولية لمناقشة قضايا المناخ والطاقة.",
    "من جهته، أوضح المتحدث باسم الجيش أن العملية العسكرية حققت أهدافها دون خسائر في صفوف المدنيين.",
    "وذكرت وكالة الأنباء الرسمية أن الاجتماع تناول سبل تعزيز التعاون الثنائي في مجالات التجارة والاستثمار.",
)


@dataclass(frozen=True)
class Calibration:
    """The paths chosen for this machine, and every trial that chose them."""

    cpu: str
    key: str
    threads: int
    passages: Trial
    questions: Trial
    trials: tuple[Trial, ...]
    measured_at: str
    seconds: float

    def as_json(self) -> dict:
        return {"format": FORMAT, "cpu": self.cpu, "key": self.key, "threads": self.threads,
                "passages": self.passages.as_json(), "questions": self.questions.as_json(),
                "trials": [t.as_json() for t in self.trials], "measured_at": self.measured_at,
                "seconds": round(self.seconds, 1)}

    @classmethod
    def from_json(cls, data: dict) -> "Calibration":
        return cls(str(data["cpu"]), str(data["key"]), int(data["threads"]),
                   Trial.from_json(data["passages"]), Trial.from_json(data["questions"]),
                   tuple(Trial.from_json(t) for t in data["trials"]), str(data["measured_at"]),
                   float(data["seconds"]))

    def summary(self) -> str:
        """One line: what was chosen, how fast."""
        return (f"passages: {self.passages.path}, batch {self.passages.batch_size}, "
                f"{self.passages.per_second:.1f}/s; questions: {self.questions.path}, "
                f"{1000 / self.questions.per_second:.1f} ms each ({self.cpu}, "
                f"{self.threads or 'all'} threads)")


def cpu_flags() -> list[str]:
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return next((ln.split(":", 1)[1].split() for ln in info.splitlines() if ln.startswith("flags")), [])


def cpu_description() -> str:
    """"2 × AMD EPYC (avx2 fma)": cores, model, and the flags that matter for embedding."""
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        info = ""
    model = next((ln.split(":", 1)[1].strip() for ln in info.splitlines() if ln.startswith("model name")),
                 platform.processor() or "unknown CPU")
    shown = [f for f in SHOWN_FLAGS if f in cpu_flags()]
    return f"{os.cpu_count()} × {model} ({' '.join(shown) or 'no AVX2'})"


def calibration_key(threads: int) -> str:
    """Names a record: this CPU, its flags, the thread count and the runtimes' versions."""
    parts = [cpu_description(), " ".join(sorted(cpu_flags())), str(threads)]
    for package in ("onnxruntime", "openvino"):
        try:
            parts.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package} -")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def record_file(folder: Path, threads: int) -> Path:
    return Path(folder) / "calibration" / f"{calibration_key(threads)}.json"


def read_calibration(folder: Path, threads: int) -> Calibration | None:
    """This machine's record, or None (never measured here, or unreadable)."""
    try:
        return Calibration.from_json(json.loads(record_file(folder, threads).read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_calibration(folder: Path, record: Calibration) -> Path | None:
    """Write the record atomically; None (and a warning) where the folder is read-only."""
    target = record_file(folder, record.threads)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp.write_text(json.dumps(record.as_json(), indent=1) + "\n", encoding="utf-8")
        temp.replace(target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        log.warning("the embedding paths' calibration could not be saved in %s (%s); it will run again", target.parent, exc)
        return None
    return target


def calibration_texts(seeds: Path | None) -> list[str]:
    """Up to MAX_PASSAGES sentences of the articles in ``seeds`` (real text of the user's
    own news), topped up from SAMPLE; repeated to MAX_PASSAGES so timings are long enough."""
    found: list[str] = []
    try:
        files = sorted(Path(seeds).glob("*.txt"))[:50] if seeds else []
        for file in files:
            text = file.read_text(encoding="utf-8", errors="replace")
            found += [s.strip() for s in re.split(r"(?<=[.!?؟])\s+|\n+", text) if len(s.strip()) >= 40]
            if len(found) >= MAX_PASSAGES:
                break
    except OSError:
        pass
    found = (found + list(SAMPLE))[:MAX_PASSAGES]
    return [found[i % len(found)] for i in range(MAX_PASSAGES)]


def calibrate(
    embedder, texts: Sequence[str], *, make_graph: Callable[[str], object], flags: Sequence[str],
    openvino: bool, threads: int, say: Callable[[str], None] = log.info, rounds: int = ROUNDS,
) -> Calibration:
    """Time every candidate path on ``texts`` and QUESTIONS and choose for this machine.

    The candidates are timed in turn, round after round, and each keeps the median of its
    rounds: a burst of other work on the machine then slows one round of every path, not
    every round of one path (timed one path after another, a busy moment once made the
    slower question path look 10 % faster).

    Args:
        embedder: an OnnxEmbedder (its tokenizer and ``embed_with`` run each graph).
        make_graph: path name → a graph (``fast_embedding.Graph``); a path whose graph
            cannot be made (no OpenVINO, the int8 graph fails) is left out.
        flags: the CPU's flags (bfloat16 paths only where native).
        openvino: whether OpenVINO is installed.
        rounds: timings of each candidate (the median is kept).
    """
    started = time.monotonic()
    graphs: dict[str, object] = {}
    trials: list[Trial] = []
    for use in ("passages", "questions"):
        paths = candidates(use, flags, openvino)
        paths.sort(key=lambda p: p != REFERENCE)  # the reference first: the others compare with it
        for path in paths:
            if path not in graphs:
                try:
                    graphs[path] = make_graph(path)
                except Exception as exc:  # noqa: BLE001 - a path that cannot run is no candidate
                    say(f"  {path}: unavailable ({exc})")
        runs = [(path, 16 if use == "passages" else 1) for path in paths if path in graphs]
        if not runs:
            raise RuntimeError(f"no embedding path could run for {use}")
        say(f"  {use}: {', '.join(path for path, _ in runs)}, in turn, {rounds} rounds …")
        found, reference = _interleaved(embedder, graphs, use, runs, texts, rounds, None)
        for trial in found:
            say(f"  {use} {trial.path}, batch {trial.batch_size}: {trial.per_second:.1f}/s, cosine "
                f"{trial.cosine_mean:.4f}{'' if trial.passes else ' — ' + trial.verdict()}")
        trials += found
        best = fastest(found)
        if best is None:
            raise RuntimeError(f"no embedding path passed the quality gate for {use}")
        if use == "passages":
            others = [(best.path, batch) for batch in PASSAGE_BATCHES if batch != best.batch_size]
            for trial in _interleaved(embedder, graphs, use, others, texts, rounds, reference)[0]:
                trials.append(trial)
                say(f"  {use} {trial.path}, batch {trial.batch_size}: {trial.per_second:.1f}/s")
    chosen = {use: fastest([t for t in trials if t.use == use]) for use in ("passages", "questions")}
    return Calibration(
        cpu_description(), calibration_key(threads), threads, chosen["passages"], chosen["questions"],
        tuple(trials), time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), time.monotonic() - started)


def _interleaved(embedder, graphs, use, runs, texts, rounds, reference) -> tuple[list[Trial], np.ndarray]:
    """One trial per (path, batch) of ``runs``: timed once each per round, in turn, the
    median of ``rounds`` kept; vectors compared with ``reference`` (None: the first run's,
    the reference path's) on the same texts. Returns the trials and the reference vectors."""
    if use == "passages":
        def embed(path, batch):
            return embedder.embed_with(graphs[path], texts, batch)
        count = len(texts)
        for path, batch in runs:
            embedder.embed_with(graphs[path], texts[:batch], batch)  # warm up
    else:
        def embed(path, batch):
            return np.vstack([embedder.embed_with(graphs[path], [q], 1, prefix=embedder.query_prefix)
                              for q in QUESTIONS])
        count = len(QUESTIONS)
        for path, _ in runs:
            embedder.embed_with(graphs[path], QUESTIONS[:2], 1, prefix=embedder.query_prefix)
    seconds: dict[tuple[str, int], list[float]] = {run: [] for run in runs}
    vectors: dict[tuple[str, int], np.ndarray] = {}
    for _ in range(max(1, rounds)):
        for run in runs:
            begun = time.perf_counter()
            vectors[run] = embed(*run)
            seconds[run].append(time.perf_counter() - begun)
    if reference is None:
        reference = vectors[runs[0]]
    found = []
    for run in runs:
        cosine = np.sum(vectors[run] * reference, axis=1)
        found.append(Trial(use, run[0], run[1], count / float(np.median(seconds[run])),
                           float(cosine.mean()), float(cosine.min())))
    return found, reference


def progress_reporter(progress: bool) -> Callable[[str], None]:
    def say(message: str) -> None:
        if progress:
            print(message, file=sys.stderr, flush=True)
        else:
            log.info("%s", message)

    return say


def calibrate_folder(folder: Path, name: str, fingerprint: str, *, threads: int, seeds: Path | None,
                     progress: bool = True) -> Calibration:
    """Calibrate the exported model in ``folder`` on this machine and record the choice."""
    from importlib.util import find_spec  # noqa: PLC0415

    from retrieval.model.fast_embedding import Graph, OnnxEmbedder  # noqa: PLC0415

    say = progress_reporter(progress)
    say("Timing the embedding paths on this CPU to choose the fastest (once per machine, about a minute) …")
    embedder = OnnxEmbedder(name, fingerprint, folder, threads=threads or None)
    embedder.warm_up()
    record = calibrate(
        embedder, calibration_texts(seeds), make_graph=lambda path: Graph(Path(folder), path, threads or None),
        flags=cpu_flags(), openvino=find_spec("openvino") is not None, threads=threads, say=say)
    write_calibration(folder, record)
    say(f"Embedding paths chosen in {record.seconds:.0f} s: {record.summary()}")
    return record
