"""Embedding without PyTorch: ONNX Runtime or OpenVINO over the exported model (run time).

``OnnxEmbedder`` implements the ``Embedder`` port with the files ``retrieval.model.onnx_export``
writes: the tokenizer, the memory-mapped word vectors and a graph. Measured on this
project's 2-core machine against float32 sentence-transformers at batch 64 on the same
2,000 ANT sentences (``bench/embedding_paths.py``): OpenVINO in bfloat16, batch 16,
sorted by length, embeds passages 3.1× as fast (cosine 0.99999 with float32); ONNX
Runtime with 4-bit weights starts in 0.1 s and embeds a question in 10 ms (cosine
0.99993), so questions use it and nothing imports torch.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Sequence

import numpy as np

from retrieval.model.onnx_export import CONFIG_FILE, EMBEDDINGS_FILE, PLAIN_FILE


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


class _Graph:
    """One compiled graph: ONNX Runtime (4-bit weights) or OpenVINO (bfloat16)."""

    def __init__(self, folder: Path, config: dict, backend: str, threads: int | None):
        self.backend = backend
        self._lock = threading.Lock()  # an OpenVINO request serves one call at a time
        if backend == "openvino":
            import openvino as ov  # noqa: PLC0415

            settings = {"PERFORMANCE_HINT": "LATENCY", "INFERENCE_PRECISION_HINT": "bf16"}
            if threads:
                settings["INFERENCE_NUM_THREADS"] = threads
                # Pinned, every process with fewer threads than cores takes the first
                # cores: two 1-thread processes (two Ray workers on one machine, the bot
                # beside an indexer) shared one core at half speed each. Measured.
                settings["ENABLE_CPU_PINNING"] = False
            compiled = ov.Core().compile_model(ov.Core().read_model(str(folder / PLAIN_FILE)), "CPU", settings)
            self._request = compiled.create_infer_request()
        else:
            import onnxruntime as ort  # noqa: PLC0415

            options = ort.SessionOptions()
            options.intra_op_num_threads = threads or 0
            options.inter_op_num_threads = 1
            self._session = ort.InferenceSession(
                str(folder / config["model"]), options, providers=["CPUExecutionProvider"]
            )

    def run(self, inputs: dict[str, np.ndarray]) -> np.ndarray:
        if self.backend == "openvino":
            with self._lock:
                return np.array(self._request.infer(inputs)[0])
        return self._session.run(None, inputs)[0]


class OnnxEmbedder:
    """The ``Embedder`` port over the exported model: no torch, float32 unit rows.

    Questions go through ONNX Runtime (4-bit weights, ready in a tenth of a second);
    passages through OpenVINO in bfloat16 when it is installed (the fastest path
    measured), else ONNX Runtime. The passage graph is compiled on first use, so a
    program that only asks questions never pays for it.

    Args:
        name: the model's name (as the settings give it).
        fingerprint: the model's fingerprint: the vectors agree with the float32 model's
            (cosine ≥ 0.9999 measured), so an index built either way serves both.
        folder: what ``retrieval.model.onnx_export`` wrote.
        passages: "openvino" or "onnxruntime".
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
        passages: str = "openvino",
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
        self.passage_backend = passages
        self.threads = threads
        self.path = f"onnx/{passages}"  # what the index's manifest records
        self._tokenizer = None
        self._tokenizer_lock = threading.Lock()
        self._lazy = None
        if (self.folder / "tokenizer.skeleton.json").exists():
            self._lazy = LazyUnigramTokenizer(self.folder, self.max_length)
        self.word_embeddings = np.load(self.folder / EMBEDDINGS_FILE, mmap_mode="r")
        self._queries = _Graph(self.folder, config, "onnxruntime", threads)
        self._passages: _Graph | None = None

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if self._passages is None:
            try:
                self._passages = _Graph(self.folder, self.config, self.passage_backend, self.threads)
            except ImportError:  # no OpenVINO: ONNX Runtime serves passages too
                self._passages = self._queries
        return self._embed([self.passage_prefix + t for t in texts], self.batch_size, self._passages)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._embed([self.query_prefix + t for t in texts], max(1, len(texts)), self._queries)

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

    def _embed(self, texts: list[str], batch_size: int, graph: _Graph) -> np.ndarray:
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
        return f"OnnxEmbedder(name={self.name!r}, fingerprint={self.fingerprint!r}, passages={self.passage_backend!r})"
