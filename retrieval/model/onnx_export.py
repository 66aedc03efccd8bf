"""Export the embedding model to ONNX once, for fast embedding without PyTorch (set-up time).

Needs torch, transformers, onnx and onnxruntime; run once per model fingerprint, into
the newsqa cache, atomically (a temporary folder renamed into place, the config file
written last). ``retrieval.model.fast_embedding`` serves the result.

The graph takes word vectors and the attention mask and returns the mean-pooled,
L2-normalised sentence embedding: sentence-transformers' modules (Transformer →
Pooling(mean) → Normalize) in one graph. The 250k × 384 word-embedding table stays out
of the graph as a memory-mapped float32 .npy, so loading is free and a question reads
only its rows. Files written:

- ``model.plain.onnx``: float32, standard ONNX operators; OpenVINO reads it (and computes
  in bfloat16 on CPUs with AVX512_BF16/AMX);
- ``model.q4.onnx``: ONNX Runtime, linear layers as 4-bit MatMulNBits, block 32,
  symmetric: the bundled weights are Q4_0 with blocks of 32 already, so they are
  reproduced exactly;
- ``model.int8-mha.onnx``: ONNX Runtime, attention fused and the linear layers dynamic
  int8 (weights per output channel) but for outlier ones, made the first time the int8
  path is timed or asked for (``retrieval.model.int8``);
- ``word_embeddings.npy``, ``tokenizer.json``, the lazy tokenizer's files (``pieces*.npy``,
  ``tokenizer.skeleton.json``), and ``onnx-config.json`` (last: the folder is complete).
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np

from retrieval.errors import ModelError

log = logging.getLogger(__name__)

PLAIN_FILE = "model.plain.onnx"
Q4_FILE = "model.q4.onnx"
EMBEDDINGS_FILE = "word_embeddings.npy"
CONFIG_FILE = "onnx-config.json"
FORMAT_VERSION = 1


@contextlib.contextmanager
def quiet():
    """The exporters' warnings and INFO lines say nothing a user can act on."""
    logging.disable(logging.INFO)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logging.disable(logging.NOTSET)


def fast_model_folder(model_folder: Path, cache_dir: Path, fingerprint: str) -> Path:
    """The exported model for ``model_folder``: built the first time, then reused.

    Raises:
        ModelError: the model cannot be exported (not BERT with mean pooling, …).
    """
    target = Path(cache_dir) / "models" / f"onnx-{fingerprint}"
    if (target / CONFIG_FILE).is_file():
        _complete_config(target, model_folder)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    log.info("exporting the model to ONNX for fast embedding (once, about a minute)")
    work = Path(tempfile.mkdtemp(prefix=".onnx-", dir=target.parent))
    try:
        with quiet():
            export_onnx(model_folder, work)
        shutil.rmtree(target, ignore_errors=True)
        work.rename(target)
    except Exception as exc:  # noqa: BLE001 - any failure means "no fast path"
        shutil.rmtree(work, ignore_errors=True)
        raise ModelError(f"the model could not be exported to ONNX ({exc})") from exc
    return target


def export_onnx(model_folder: str | Path, out_dir: str | Path, quantize: bool = True) -> Path:
    """Export a local sentence-transformers folder (BERT, mean pooling) to ONNX, offline.

    Build into a temporary folder and rename it into place (as the model bundle does); the
    config file is written last. Returns the graph OnnxEmbedder serves by default.
    """
    from transformers import AutoModel

    model_folder, out_dir = Path(model_folder), Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    st_config, prompts, normalize = _sentence_transformers_config(model_folder)
    bert = AutoModel.from_pretrained(model_folder, local_files_only=True, attn_implementation="eager",
                                     **st_config.get("model_args", {})).eval()
    config = bert.config
    if config.model_type != "bert" or getattr(config, "position_embedding_type", "absolute") != "absolute":
        raise ValueError(f"only BERT with absolute positions is supported, not {config.model_type}")
    served = plain = _export_graph(bert, normalize, out_dir)
    if quantize:
        served = _quantize_4bit(plain, config, out_dir / Q4_FILE)
    shutil.copyfile(model_folder / "tokenizer.json", out_dir / "tokenizer.json")
    write_lazy_tokenizer(out_dir / "tokenizer.json", out_dir)
    (out_dir / CONFIG_FILE).write_text(json.dumps({
        "format": FORMAT_VERSION, "model": served.name, "dimension": config.hidden_size,
        "max_seq_length": min(st_config.get("max_seq_length") or 512, config.max_position_embeddings),
        "pad_token_id": config.pad_token_id or 0,
        "attention_heads": config.num_attention_heads,
        "query_prefix": prompts.get("query", ""),
        "passage_prefix": prompts.get("passage", prompts.get("document", "")),
    }, indent=1), encoding="utf-8")
    return served


def _complete_config(folder: Path, model_folder: Path) -> None:
    """A folder exported before the config named the attention heads gets them (atomic)."""
    config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    if "attention_heads" in config:
        return
    try:
        heads = json.loads((Path(model_folder) / "config.json").read_text(encoding="utf-8"))["num_attention_heads"]
        temp = folder / f".{CONFIG_FILE}.tmp"
        temp.write_text(json.dumps({**config, "attention_heads": int(heads)}, indent=1), encoding="utf-8")
        temp.replace(folder / CONFIG_FILE)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.debug("attention heads not recorded in %s (%s)", folder, exc)


def _sentence_transformers_config(model_folder: Path) -> tuple[dict, dict, bool]:
    """The folder's sentence-transformers settings, its prompts, and whether it normalises.

    Raises:
        ValueError: its modules are not Transformer + mean Pooling (+ Normalize).
    """
    read = lambda name: json.loads((model_folder / name).read_text(encoding="utf-8"))  # noqa: E731
    modules = [m["type"].rsplit(".", 1)[-1] for m in read("modules.json")]
    pooling = read("1_Pooling/config.json")
    other = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v and k != "pooling_mode_mean_tokens"]
    if modules[:2] != ["Transformer", "Pooling"] or not pooling.get("pooling_mode_mean_tokens") or other:
        raise ValueError(f"only Transformer + mean Pooling (+ Normalize) is supported: {modules} {pooling}")
    prompts = {}
    if (model_folder / "config_sentence_transformers.json").exists():
        prompts = read("config_sentence_transformers.json").get("prompts") or {}
    return read("sentence_bert_config.json"), prompts, "Normalize" in modules


def _export_graph(bert, normalize: bool, out_dir: Path) -> Path:
    """The encoder with mean pooling as a float32 ONNX graph over input embeddings (the
    embedding table is saved beside it: the run time looks tokens up itself)."""
    import torch

    class Encoder(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = bert

        def forward(self, inputs_embeds, attention_mask):
            hidden = self.bert(inputs_embeds=inputs_embeds, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)  # = ST Pooling (mean)
            return torch.nn.functional.normalize(pooled, p=2, dim=1) if normalize else pooled

    table = bert.get_input_embeddings().weight.detach().float().numpy()
    np.save(out_dir / EMBEDDINGS_FILE, np.ascontiguousarray(table))
    plain = out_dir / PLAIN_FILE
    example = torch.from_numpy(table[[[0, 41, 1294, 12, 2], [0, 41, 2, 1, 1]]].copy())
    with torch.inference_mode():
        torch.onnx.export(
            Encoder(), (example, torch.tensor([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]])), str(plain),
            dynamo=False, opset_version=17,
            input_names=["inputs_embeds", "attention_mask"], output_names=["sentence_embedding"],
            dynamic_axes={"inputs_embeds": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                          "sentence_embedding": {0: "batch"}})
    return plain


def _quantize_4bit(plain: Path, config, target: Path) -> Path:
    """The graph with attention fused and its MatMul weights in 4 bits (blocks of 32)."""
    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import (
        DefaultWeightOnlyQuantConfig,
        MatMulNBitsQuantizer,
    )
    from onnxruntime.transformers.fusion_options import FusionOptions
    from onnxruntime.transformers.optimizer import optimize_model

    options = FusionOptions("bert")
    options.use_multi_head_attention = True  # Q, K, V stay MatMuls, so they can be 4-bit
    fused = optimize_model(str(plain), model_type="bert", num_heads=config.num_attention_heads,
                           hidden_size=config.hidden_size, opt_level=1, optimization_options=options)
    level = logging.getLogger().level  # the quantizer turns the root logger to INFO
    algo = DefaultWeightOnlyQuantConfig(block_size=32, is_symmetric=True, accuracy_level=4)
    quantizer = MatMulNBitsQuantizer(fused.model, block_size=32, is_symmetric=True,
                                     accuracy_level=4, algo_config=algo)
    quantizer.process()
    logging.getLogger().setLevel(level)
    onnx.save(quantizer.model.model, str(target))
    return target


def write_lazy_tokenizer(tokenizer_json: Path, out_dir: Path) -> None:
    """Files for LazyUnigramTokenizer: the vocabulary sorted (memory-mapped at run time)
    and the tokenizer.json without it."""
    data = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))
    model = data["model"]
    if model["type"] != "Unigram" or model.get("byte_fallback"):
        return  # OnnxEmbedder then uses the full tokenizer for queries too
    vocab = model["vocab"]
    longest = max(len(piece) for piece, _ in vocab)
    order = sorted(range(len(vocab)), key=lambda i: vocab[i][0])
    np.save(out_dir / "pieces.npy", np.array([vocab[i][0] for i in order], dtype=f"<U{longest}"))
    np.save(out_dir / "piece_ids.npy", np.array(order, dtype=np.int32))
    np.save(out_dir / "piece_scores.npy", np.array([vocab[i][1] for i in order], dtype=np.float64))
    keep = sorted({t["id"] for t in data["added_tokens"]} | {min(range(len(vocab)), key=lambda i: vocab[i][1])})
    data["model"] = {**model, "vocab": []}
    data["lazy"] = {"longest": longest, "keep": {str(i): vocab[i] for i in keep}}
    (out_dir / "tokenizer.skeleton.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
