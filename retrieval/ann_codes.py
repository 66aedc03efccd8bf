"""The indexer's approximate-index step: train the quantiser when needed, code every segment."""

from __future__ import annotations

import logging
import random
import uuid
from dataclasses import replace
from pathlib import Path

import numpy as np

from retrieval import ann
from retrieval.ann_store import read_quantizer, write_codes, write_quantizer
from retrieval.store import AnnEntry, SegmentEntry, read_segment

log = logging.getLogger(__name__)


def code_segments(
    folder: Path, segments: dict[str, SegmentEntry], previous: AnnEntry | None, passages: int
) -> tuple[AnnEntry | None, dict[str, SegmentEntry]]:
    """The approximate index for a generation of ``passages`` in ``segments``.

    Below ``ann.ANN_MIN_PASSAGES`` there is none. Above, the previous quantiser is kept
    unless the index grew ``RETRAIN_GROWTH`` times past what it was trained on; every
    segment without codes under it gets them (one segment in memory at a time). Files
    are written before the manifest that names them, like the segments themselves.

    Returns:
        The quantiser's entry (or None) and the segments' entries with their codes.
    """
    if passages < ann.ANN_MIN_PASSAGES:
        return None, {sid: replace(e, codes_sha256=None) for sid, e in segments.items()}
    entry = previous
    if entry is None or passages > ann.RETRAIN_GROWTH * entry.trained_on:
        entry = _train(folder, segments, passages)
    quantizer = read_quantizer(folder, entry)
    coded = {}
    for sid, segment in segments.items():
        if segment.codes_sha256 and entry is previous:
            coded[sid] = segment
            continue
        vectors = read_segment(folder, sid).vectors
        coded[sid] = replace(
            segment, codes_sha256=write_codes(folder, sid, entry.quantizer, ann.segment_codes(quantizer, vectors))
        )
    return entry, coded


def _train(folder: Path, segments: dict[str, SegmentEntry], passages: int) -> AnnEntry:
    lists = ann.list_count(passages)
    sample = _sample(folder, list(segments), ann.TRAIN_SAMPLE)
    log.info("training the approximate index: %d lists on %d vectors", lists, len(sample))
    quantizer = uuid.uuid4().hex[:12]
    sha = write_quantizer(folder, quantizer, ann.train_quantizer(sample, lists))
    return AnnEntry(quantizer=quantizer, sha256=sha, lists=lists, trained_on=passages)


def _sample(folder: Path, segment_ids: list[str], size: int) -> np.ndarray:
    """Up to ``size`` vectors, from segments taken in a random (but repeatable) order."""
    order = sorted(segment_ids)
    random.Random(0).shuffle(order)
    blocks, total = [], 0
    for sid in order:
        vectors = np.array(read_segment(folder, sid).vectors)
        blocks.append(vectors)
        total += len(vectors)
        if total >= size:
            break
    return np.concatenate(blocks)[:size]
