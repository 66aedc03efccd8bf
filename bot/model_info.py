"""``newsqa model``: the model and the embedding paths this machine uses, and the figures
that chose them (``newsqa model --calibrate`` measures them again)."""

from __future__ import annotations

import json

from retrieval.errors import ModelError
from retrieval.settings import Settings


def cmd_model(args, settings: Settings) -> int:
    from retrieval.model.calibration import calibrate_folder, read_calibration  # noqa: PLC0415
    from retrieval.model.embedding import load_embedder  # noqa: PLC0415
    from retrieval.model.fast_embedding import OnnxEmbedder  # noqa: PLC0415

    # Calibrating needs only the exported model: load it on a path that times nothing.
    embedding = "onnxruntime-f32" if args.calibrate and settings.embedding == "auto" else settings.embedding
    embedder = load_embedder(settings.model, settings.cache_dir, embedding=embedding,
                             threads=settings.threads, seeds=settings.seeds)
    record = None
    if isinstance(embedder, OnnxEmbedder):
        if args.calibrate:
            record = calibrate_folder(embedder.folder, embedder.name, embedder.fingerprint,
                                      threads=settings.threads, seeds=settings.seeds)
        else:
            record = read_calibration(embedder.folder, settings.threads)
    elif args.calibrate:
        raise ModelError(f"the model {settings.model!r} runs on PyTorch here: it has no ONNX paths to time")
    in_use = _in_use(settings, embedder, record)
    if args.json:
        print(json.dumps({
            "model": embedder.name, "fingerprint": embedder.fingerprint, "setting": settings.embedding,
            "folder": str(getattr(embedder, "folder", getattr(embedder, "source", ""))),
            **in_use, "calibration": record.as_json() if record else None,
            "int8_graph": _int8_note(embedder),
        }, ensure_ascii=False, indent=1))
        return 0
    for line in _lines(settings, embedder, record, in_use):
        print(line)
    return 0


def _int8_note(embedder) -> dict | None:
    """What the int8 graph keeps in float32 and the cosines that chose it (None: not made)."""
    from retrieval.model.int8 import INT8_NOTE  # noqa: PLC0415

    note = getattr(embedder, "folder", None) and embedder.folder / INT8_NOTE
    if not note or not note.is_file():
        return None
    try:
        return json.loads(note.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _in_use(settings: Settings, embedder, record) -> dict:
    """The passage and question paths this machine uses with these settings."""
    if settings.embedding == "auto" and record is not None:
        return {"passages": record.passages.path, "batch_size": record.passages.batch_size,
                "questions": record.questions.path}
    return {"passages": getattr(embedder, "path", "torch"), "batch_size": getattr(embedder, "batch_size", None),
            "questions": getattr(embedder, "question_path", getattr(embedder, "path", "torch"))}


def _lines(settings: Settings, embedder, record, in_use: dict) -> list[str]:
    folder = getattr(embedder, "folder", getattr(embedder, "source", ""))
    why = "measured fastest here" if settings.embedding == "auto" else f"set by NEWSQA_EMBEDDING={settings.embedding}"
    lines = [
        f"model: {embedder.name} (fingerprint {embedder.fingerprint}, {embedder.dimension} dimensions)",
        f"folder: {folder}",
        f"passages: {in_use['passages']}, batch {in_use['batch_size']}; questions: {in_use['questions']} ({why})",
    ]
    if record is None:
        lines.append("calibration: none for this CPU and thread count"
                     + ("" if not hasattr(embedder, "folder") else " (newsqa model --calibrate measures it)"))
        return lines
    lines += [
        f"calibration: {record.cpu}, {record.threads or 'all'} threads, {record.measured_at}, "
        f"{record.seconds:.0f} s (newsqa model --calibrate measures it again)",
        f"  {'use':<10} {'path':<17} {'batch':>5} {'per second':>11} {'cosine mean':>12} {'lowest':>8}  gate",
    ]
    for trial in record.trials:
        lines.append(f"  {trial.use:<10} {trial.path:<17} {trial.batch_size:>5} {trial.per_second:>11.1f} "
                     f"{trial.cosine_mean:>12.4f} {trial.cosine_min:>8.4f}  {'passes' if trial.passes else 'fails'}")
    note = _int8_note(embedder)
    if note:
        kept = ", ".join(name.removeprefix("/bert/encoder/") for name in note["float"]) or "none"
        lines.append(f"int8 graph: {note['int8_matmuls']} MatMuls in int8, kept in float32: {kept} "
                     f"(cosine with float32 on {note['sample']} sentences {note['cosine']:.4f}; "
                     f"all in int8 {note['cosine_all_int8']:.4f})")
    return lines
