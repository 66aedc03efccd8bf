"""The int8 graph of the exported model: every MatMul in dynamic int8 except the one or
two whose inputs carry outliers, kept in float32 where measuring shows they matter.

Dynamic quantization scales each MatMul's input by its largest value. Where one input
carries outliers far beyond the rest, nearly all its values fall into a handful of int8
steps and the error runs on through the later layers. In multilingual-e5-small that is
layer 4's feed-forward output (its input reaches 45× its 99.9th percentile; the next
MatMul 21×): in float32, the vectors' cosine with float32 went from 0.9964 to 0.9981 on 200
ANT passages, and no other MatMul gained more than 0.0003 (measured one by one on a
Zen 4 CPU, bench/RESULTS.md). LLM.int8() (Dettmers et al., 2022) keeps such outlier
features in 16 bits for the same reason.

How the float ones are chosen, for any model: one float32 run over ``SAMPLE`` records how
far each MatMul input's largest value stands above its 99.9th percentile; the MatMuls are
tried in float32 in that order, each kept only if the mean cosine with float32 over the
sample rises by ``MIN_GAIN``, at most ``MAX_FLOAT``; the first that gains less ends it.
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path

import numpy as np

from retrieval.errors import ModelError
from retrieval.model.onnx_export import CONFIG_FILE, EMBEDDINGS_FILE, PLAIN_FILE, quiet

log = logging.getLogger(__name__)

INT8_FILE = "model.int8-mha.onnx"
OLD_INT8_FILE = "model.int8.onnx"  # attention unfused, every MatMul int8 (before 0.3.1)
#: What was chosen, beside the graph: the float MatMuls and the sample's cosines.
INT8_NOTE = "model.int8-mha.json"

MIN_GAIN = 0.0005  # a float MatMul costs ~3 % of the compute; this is ~14 % of the distance
MAX_FLOAT = 3

#: News-like sentences for the activation statistics and the cosine check (any model:
#: the outliers sit in a model's features, not in particular words).
SAMPLE = (
    "passage: قال الرئيس الفرنسي إيمانويل ماكرون إن بلاده لن تتراجع عن الإصلاحات.",
    "passage: أعلنت وزارة الصحة تسجيل 120 إصابة جديدة بفيروس كورونا خلال الساعات الـ24 الماضية.",
    "passage: (رويترز) - ارتفعت أسعار النفط اليوم الثلاثاء بعد قرار أوبك خفض الإنتاج.",
    "passage: وأضاف المتحدث باسم الخارجية أن المحادثات ستستأنف في جنيف الأسبوع المقبل.",
    "passage: شهدت العاصمة مظاهرات حاشدة احتجاجا على ارتفاع الأسعار والبطالة.",
    "passage: فاز المنتخب المغربي على نظيره البرتغالي بهدف نظيف في كأس العالم.",
    "passage: وأكد وزير المالية أن العجز في الميزانية سينخفض إلى 3 في المئة العام المقبل.",
    "passage: The United Nations said on Monday that aid convoys had reached the city.",
    "passage: Shares in the company fell 8% after it cut its profit forecast for the year.",
    "query: ماذا قال ترامب عن الاتفاق النووي؟",
    "query: متى تأسست جامعة القاهرة؟",
    "query: كم عدد سكان المملكة العربية السعودية؟",
    "query: What did Merkel say about refugees?",
    "query: من قال إن الإنترنت يحتاج إلى قواعد؟",
    "passage: ودعا الأمين العام للأمم المتحدة إلى وقف فوري لإطلاق النار في اليمن وسوريا وليبيا.",
    "passage: أفادت وكالة الأنباء الرسمية بأن الملك استقبل في قصره وفدا من رجال الأعمال.",
)


def int8_graph(folder: Path) -> Path:
    """The folder's int8 graph, made from its float32 graph the first time (atomic).

    Raises:
        ModelError: it cannot be made (the quantizer failed, the folder is read-only).
    """
    folder = Path(folder)
    target = folder / INT8_FILE
    if target.is_file():
        return target
    log.info("making the int8 graph (once, a few seconds)")
    config = json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    try:
        with quiet(), tempfile.TemporaryDirectory(dir=folder, prefix=".int8-") as work:
            note = _make(folder / PLAIN_FILE, Path(work), _sample_feeds(folder, config),
                         config.get("attention_heads", 0), config["dimension"])
            Path(work, "graph.onnx").replace(target)
        (folder / INT8_NOTE).write_text(json.dumps(note, indent=1), encoding="utf-8")
        (folder / OLD_INT8_FILE).unlink(missing_ok=True)
    except Exception as exc:  # noqa: BLE001 - any failure means "no int8 path"
        raise ModelError(f"the int8 graph could not be made in {folder} ({exc})") from exc
    kept = ", ".join(note["float"]) or "none"
    log.info("int8 graph: %d MatMuls in int8, kept float32: %s; cosine with float32 on the sample %.4f (all int8: %.4f)",
             note["int8_matmuls"], kept, note["cosine"], note["cosine_all_int8"])
    return target


def _sample_feeds(folder: Path, config: dict) -> dict[str, np.ndarray]:
    """SAMPLE as the graph takes it: word vectors and the attention mask, padded."""
    from tokenizers import Tokenizer  # noqa: PLC0415

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    ids = [e.ids for e in tokenizer.encode_batch(list(SAMPLE))]
    length = max(len(i) for i in ids)
    padded = np.full((len(ids), length), config["pad_token_id"], dtype=np.int64)
    mask = np.zeros((len(ids), length), dtype=np.int64)
    for row, i in enumerate(ids):
        padded[row, : len(i)], mask[row, : len(i)] = i, 1
    words = np.load(folder / EMBEDDINGS_FILE, mmap_mode="r")
    return {"inputs_embeds": np.asarray(words[padded]), "attention_mask": mask}


def outlier_ratio(values: np.ndarray, mask: np.ndarray) -> float:
    """How far a MatMul input's largest magnitude stands above its 99.9th percentile (real
    tokens only): the scale dynamic int8 takes against the scale most values need."""
    real = np.abs(values[mask.astype(bool)] if values.ndim == 3 else values)
    typical = float(np.percentile(real, 99.9))
    return float(real.max()) / typical if typical > 0 else 1.0


def _make(plain: Path, work: Path, feeds: dict, heads: int, width: int) -> dict:
    """Write work/graph.onnx (int8 but for the chosen float MatMuls); return what was chosen."""
    import onnx  # noqa: PLC0415
    import onnxruntime as ort  # noqa: PLC0415
    from onnxruntime.quantization import QuantType, quantize_dynamic  # noqa: PLC0415
    from onnxruntime.transformers.fusion_options import FusionOptions  # noqa: PLC0415
    from onnxruntime.transformers.optimizer import optimize_model  # noqa: PLC0415

    options = FusionOptions("bert")
    options.use_multi_head_attention = True  # Q, K and V stay MatMuls, so they can be int8
    level = logging.getLogger().level
    logging.disable(logging.WARNING)  # "consider pre-processing": the fused graph needs none
    # Without the heads the optimizer leaves attention unfused: 15 % slower, same vectors.
    fused = optimize_model(str(plain), model_type="bert", num_heads=heads, hidden_size=width if heads else 0,
                           opt_level=1, optimization_options=options)
    fused_file = work / "fused.onnx"
    fused.save_model_to_file(str(fused_file))
    graph = fused.model.graph
    weights = {i.name for i in graph.initializer}
    matmuls = [n for n in graph.node if n.op_type == "MatMul" and n.input[1] in weights]

    def run(path: Path) -> np.ndarray:
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        return session.run(None, feeds)[0]

    probe = onnx.load(str(fused_file))
    probe.graph.output.extend(onnx.helper.make_tensor_value_info(n.input[0], onnx.TensorProto.FLOAT, None)
                              for n in matmuls)
    outputs = ort.InferenceSession(probe.SerializeToString(), providers=["CPUExecutionProvider"]).run(None, feeds)
    reference = outputs[0] / np.linalg.norm(outputs[0], axis=1, keepdims=True)
    ratios = {n.name: outlier_ratio(x, feeds["attention_mask"]) for n, x in zip(matmuls, outputs[1:])}

    def quantized(keep_float: list[str]) -> tuple[Path, float]:
        out = work / f"int8-{len(keep_float)}.onnx"
        quantize_dynamic(str(fused_file), str(out), weight_type=QuantType.QInt8, per_channel=True,
                         nodes_to_exclude=keep_float, extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
        vectors = run(out)
        vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        return out, float(np.sum(vectors * reference, axis=1).mean())

    best, cosine = quantized([])
    all_int8, keep = cosine, []
    for name in sorted(ratios, key=ratios.get, reverse=True)[:MAX_FLOAT]:
        candidate, trial = quantized([*keep, name])
        if trial - cosine < MIN_GAIN:
            break
        best, cosine, keep = candidate, trial, [*keep, name]
    logging.getLogger().setLevel(level)
    best.replace(work / "graph.onnx")
    return {"float": keep, "outlier_ratio": {n: round(ratios[n], 1) for n in keep}, "int8_matmuls": len(matmuls) - len(keep),
            "cosine": round(cosine, 5), "cosine_all_int8": round(all_int8, 5), "sample": len(SAMPLE)}
