"""Embedding without PyTorch: ONNX Runtime or OpenVINO over the exported model (run time).

``OnnxEmbedder`` implements the ``Embedder`` port with the files ``retrieval.model.onnx_export``
writes: the tokenizer, the memory-mapped word vectors and the graphs. Passages and
questions each run on one path of ``retrieval.model.paths`` (runtime × precision), by
default the ones ``retrieval.model.calibration`` timed fastest on this machine among
those whose vectors pass the quality gate; nothing imports torch. Measured paths, per
CPU, in ``bench/RESULTS.md`` (``bench/cpu_paths.py``).
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from retrieval.model.int8 import int8_graph
from retrieval.model.onnx_export import (
    CONFIG_FILE,
    EMBEDDINGS_FILE,
    PLAIN_FILE,
    Q4_FILE,
)
from retrieval.model.paths import precision, runtime


class LazyUnigramTokenizer:
    """Tokenises a few short texts exactly as tokenizer.json does, without building its
    250k-piece vocabulary (tokenizers takes ~0.85 s for that; this loads in ~5 ms).

    Per call: normalise and pre-tokenise with the real normaliser and pre-tokeniser, find
    every vocabulary piece that is a substring of a word (binary search in the memory-mapped
    sorted pieces), build a Unigram model of just those pieces plus the special tokens and
    the lowest-scoring piece (the unknown-token penalty depends on it), encode, and map the
    ids back. The Viterbi lattice has the same pieces and scores, so the result is the same.
    About 2 ms per question.
    """

    def __init__(self, folder: Path, max_length: int = 512):
        from tokenizers import Tokenizer

        folder = Path(folder)
        self.skeleton = json.loads((folder / "tokenizer.skeleton.json").read_text(encoding="utf-8"))
        lazy = self.skeleton.pop("lazy")
        self.longest = lazy["longest"]
        self.keep = {int(i): tuple(v) for i, v in lazy["keep"].items()}
        self.pieces = np.load(folder / "pieces.npy", mmap_mode="r")
        self.ids = np.load(folder / "piece_ids.npy", mmap_mode="r")
        self.scores = np.load(folder / "piece_scores.npy", mmap_mode="r")
        self.max_length = max_length
        self._from_str = Tokenizer.from_str
        probe = {**self.skeleton, "added_tokens": [], "post_processor": None}
        probe["model"] = {**probe["model"], "vocab": [list(v) for v in self.keep.values()], "unk_id": 0}
        probe = Tokenizer.from_str(json.dumps(probe))
        self.normalizer, self.pre_tokenizer = probe.normalizer, probe.pre_tokenizer
        self.skeleton["normalizer"] = None  # texts are normalised once, here; keeps from_str small

    def encode_ids(self, texts: Sequence[str]) -> list[list[int]]:
        subs = set()
        texts = [self.normalizer.normalize_str(t) for t in texts] if self.normalizer else list(texts)
        for text in texts:
            for word, _ in self.pre_tokenizer.pre_tokenize_str(text):
                subs.update(word[i:j] for i in range(len(word))
                            for j in range(i + 1, min(len(word), i + self.longest) + 1))
        probe = np.array(sorted(subs), dtype=self.pieces.dtype)
        at = np.minimum(np.searchsorted(self.pieces, probe), len(self.pieces) - 1)
        found = at[np.asarray(self.pieces[at]) == probe]
        entries = {int(i): (str(p), float(s)) for p, i, s in
                   zip(self.pieces[found], self.ids[found], self.scores[found])}
        entries.update(self.keep)
        global_ids = sorted(entries)
        local = {g: i for i, g in enumerate(global_ids)}
        data = dict(self.skeleton)
        data["model"] = {**data["model"], "vocab": [list(entries[g]) for g in global_ids],
                         "unk_id": local[data["model"]["unk_id"]]}
        data["added_tokens"] = [{**t, "id": local[t["id"]]} for t in data["added_tokens"]]
        post = json.loads(json.dumps(data["post_processor"]))
        for special in ((post or {}).get("special_tokens") or {}).values():
            special["ids"] = [local[i] for i in special["ids"]]
        data["post_processor"] = post
        tokenizer = self._from_str(json.dumps(data))
        tokenizer.enable_truncation(self.max_length)
        return [[global_ids[i] for i in e.ids] for e in tokenizer.encode_batch(texts)]


def graph_file(folder: Path, path: str) -> Path:
    """The graph file a path runs (the int8 one is made the first time)."""
    if precision(path) == "int8":
        return int8_graph(folder)
    return folder / (Q4_FILE if precision(path) == "q4" else PLAIN_FILE)


class Graph:
    """One compiled graph of one path (``retrieval.model.paths``): OpenVINO or ONNX Runtime."""

    def __init__(self, folder: Path, path: str, threads: int | None):
        self.path = path
        self._lock = threading.Lock()  # an OpenVINO request serves one call at a time
        if runtime(path) == "openvino":
            import openvino as ov  # noqa: PLC0415

            settings = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": precision(path)}
            if threads:
                settings["INFERENCE_NUM_THREADS"] = threads
                # Pinned, every process with fewer threads than cores takes the first
                # cores: two 1-thread processes (two Ray workers on one machine, the bot
                # beside an indexer) shared one core at half speed each. Measured.
                settings["ENABLE_CPU_PINNING"] = False
            core = ov.Core()
            compiled = core.compile_model(core.read_model(str(folder / PLAIN_FILE)), "CPU", settings)
            self._request = compiled.create_infer_request()
        else:
            import onnxruntime as ort  # noqa: PLC0415

            options = ort.SessionOptions()
            options.intra_op_num_threads = threads or 0
            options.inter_op_num_threads = 1
            self._session = ort.InferenceSession(str(graph_file(folder, path)), options, providers=["CPUExecutionProvider"])

    def run(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        if runtime(self.path) == "openvino":
            with self._lock:
                return np.array(self._request.infer(inputs)[0])
        return self._session.run(None, inputs)[0]


class OnnxEmbedder:
    """The ``Embedder`` port over the exported model: no torch, float32 unit rows.

    Passages and questions each go through one path of ``retrieval.model.paths``: by
    default the ones ``retrieval.model.calibration`` measured fastest on this machine
    (passages for throughput, questions for one at a time). The passage graph is
    compiled on first use, so a program that only asks questions never pays for it.

    Args:
        name: the model's name (as the settings give it).
        fingerprint: the model's fingerprint.
        folder: what ``retrieval.model.onnx_export`` wrote.
        passages: the passage path (``path`` records it: the index's manifest keeps it).
        questions: the question path (ONNX Runtime: it loads in a tenth of a second).
        threads: threads for the runtimes (None: one per core).
        batch_size: passages per run; they are sorted by token count first.
    """

    LAZY_MAX_TEXTS = 8  # up to this many questions use the lazy tokenizer

    def __init__(
        self,
        name: str,
        fingerprint: str,
        folder: str | Path,
        *,
        passages: str = "openvino-f32",
        questions: str = "onnxruntime-q4",
        threads: int | None = None,
        batch_size: int = 16,
    ):
        self.name, self.fingerprint = name, fingerprint
        self.folder = Path(folder)
        config = json.loads((self.folder / CONFIG_FILE).read_text(encoding="utf-8"))
        self.config = config
        self.dimension = config["dimension"]
        self.max_length = config["max_seq_length"]
        self.pad_id = config["pad_token_id"]
        self.query_prefix, self.passage_prefix = config["query_prefix"], config["passage_prefix"]
        self.batch_size = batch_size
        self.path, self.question_path = passages, questions  # path: what the manifest records
        self.threads = threads
        self._tokenizer = None
        self._tokenizer_lock = threading.Lock()
        self._lazy = None
        if (self.folder / "tokenizer.skeleton.json").exists():
            self._lazy = LazyUnigramTokenizer(self.folder, self.max_length)
        self.word_embeddings = np.load(self.folder / EMBEDDINGS_FILE, mmap_mode="r")
        self._queries = Graph(self.folder, questions, threads)
        self._passages: Graph | None = None

    def graph_file(self, path: str) -> Path:
        return graph_file(self.folder, path)

    @property
    def passage_backend(self) -> str:
        return runtime(self.path)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if self._passages is None:
            if self.path == self.question_path:
                self._passages = self._queries
            else:
                try:
                    self._passages = Graph(self.folder, self.path, self.threads)
                except ImportError:  # no OpenVINO: ONNX Runtime in float32 serves passages
                    self.path = "onnxruntime-f32"
                    self._passages = Graph(self.folder, self.path, self.threads)
        return self.embed_with(self._passages, texts, self.batch_size)

    def embed_with(self, graph: "Graph", texts: Sequence[str], batch_size: int, *, prefix: str | None = None) -> np.ndarray:
        """Texts through any graph (the calibration times each path this way)."""
        prefix = self.passage_prefix if prefix is None else prefix
        return self._embed([prefix + t for t in texts], batch_size, graph)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        # Dynamic int8 scales a run's activations by their largest value: questions asked
        # together (the bot batches concurrent ones) would move each other's vectors, so
        # on an int8 path each question runs alone and gets the vector it gets alone.
        batch = 1 if precision(self.question_path) == "int8" else max(1, len(texts))
        return self._embed([self.query_prefix + t for t in texts], batch, self._queries)

    def warm_up(self) -> None:
        """Load the whole tokenizer now (about a second): a process that answers many
        questions then tokenizes each in microseconds instead of the lazy tokenizer's 1-2 ms."""
        self._full_tokenizer()

    def _token_ids(self, texts: list[str]) -> list[list[int]]:
        if self._tokenizer is None and self._lazy is not None and len(texts) <= self.LAZY_MAX_TEXTS:
            return self._lazy.encode_ids(texts)
        return [e.ids for e in self._full_tokenizer().encode_batch(texts)]

    def _full_tokenizer(self):
        with self._tokenizer_lock:
            if self._tokenizer is None:
                from tokenizers import Tokenizer  # noqa: PLC0415

                tokenizer = Tokenizer.from_file(str(self.folder / "tokenizer.json"))
                tokenizer.no_padding()
                tokenizer.enable_truncation(max_length=self.max_length)
                self._tokenizer = tokenizer
        return self._tokenizer

    def _embed(self, texts: list[str], batch_size: int, graph: Graph) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        ids = self._token_ids(texts)
        order = np.argsort([-len(i) for i in ids], kind="stable")  # longest first: little padding
        for start in range(0, len(ids), batch_size):
            rows = order[start : start + batch_size]
            out[rows] = graph.run(self._inputs([ids[i] for i in rows]))
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms  # the graph normalises already; this only removes rounding

    def _inputs(self, batch: list[list[int]]) -> dict[str, np.ndarray]:
        length = max(len(i) for i in batch)
        ids = np.full((len(batch), length), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.int64)
        for row, i in enumerate(batch):
            ids[row, : len(i)] = i
            mask[row, : len(i)] = 1
        return {"inputs_embeds": self.word_embeddings[ids], "attention_mask": mask}

    def __repr__(self) -> str:
        return (f"OnnxEmbedder(name={self.name!r}, fingerprint={self.fingerprint!r}, "
                f"passages={self.path!r}, questions={self.question_path!r})")
