"""BM25 (pure): each segment's term counts, and the scores over the live passages.

The terms are those of ``retrieval.text.terms``. Each segment stores only its term
counts; idf and the mean length are computed when the index is loaded, over the live
passages, so segments stay immutable and the index incremental.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np

#: BM25 parameters, tuned on ARCD and checked on TyDi QA (both best near k1 0.5-0.9, b 0.25-0.4).
K1 = 0.7
B = 0.3

_LATIN = re.compile("[a-z]")


@dataclass(frozen=True)
class TermCounts:
    """One segment's term counts: a local vocabulary and, per passage, (term id, count) pairs.

    Attributes:
        terms: the segment's vocabulary.
        ptr: passage i's pairs are ``ids[ptr[i]:ptr[i+1]]`` and ``tfs[...]``.
        ids: term ids (into ``terms``).
        tfs: how often each term occurs in the passage.
        lens: each passage's length in terms.
    """

    terms: tuple[str, ...]
    ptr: np.ndarray
    ids: np.ndarray
    tfs: np.ndarray
    lens: np.ndarray

    @classmethod
    def count(cls, term_lists: Iterable[Sequence[str]]) -> TermCounts:
        vocab: dict[str, int] = {}
        ptr, ids, tfs, lens = [0], [], [], []
        for passage_terms in term_lists:
            counts: dict[int, int] = {}
            for term in passage_terms:
                i = vocab.setdefault(term, len(vocab))
                counts[i] = counts.get(i, 0) + 1
            for i in sorted(counts):
                ids.append(i)
                tfs.append(min(counts[i], 65535))
            ptr.append(len(ids))
            lens.append(min(len(passage_terms), 65535))
        return cls(
            terms=tuple(vocab),
            ptr=np.array(ptr, np.int64),
            ids=np.array(ids, np.int64),
            tfs=np.array(tfs, np.uint16),
            lens=np.array(lens, np.uint16),
        )

    def __len__(self) -> int:
        return len(self.lens)

    def to_bytes(self) -> bytes:
        """A compressed .npz of plain arrays: reading it needs no pickle."""
        buffer = io.BytesIO()
        vocabulary = "\n".join(self.terms).encode("utf-8")
        np.savez_compressed(
            buffer,
            terms=np.frombuffer(vocabulary, np.uint8),
            ptr=self.ptr.astype(np.int32),
            ids=self.ids.astype(np.uint16 if len(self.terms) < 65536 else np.uint32),
            tfs=self.tfs.astype(np.uint8 if self.tfs.max(initial=0) < 256 else np.uint16),
            lens=self.lens,
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> TermCounts:
        with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
            vocabulary = arrays["terms"].tobytes().decode("utf-8")
            return cls(
                terms=tuple(vocabulary.split("\n")) if vocabulary else (),
                ptr=arrays["ptr"].astype(np.int64),
                ids=arrays["ids"].astype(np.int64),
                tfs=arrays["tfs"].astype(np.uint16),
                lens=arrays["lens"].astype(np.uint16),
            )


class BM25:
    """BM25 over the live passages of several segments; idf and mean length computed here.

    score(d, q) = Σ_{t ∈ set(q)} idf(t)·tf·(k1+1) / (tf + k1·(1 − b + b·|d|/avgdl)),
    idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5)) (Lucene's, never negative).
    """

    def __init__(self, segments: Sequence[TermCounts], live: Sequence[np.ndarray], *, k1: float = K1, b: float = B):
        """``live[i]``: the rows of segment i that are served, in order; they become
        positions 0, 1, … across the segments (as ``LoadedIndex.passages``)."""
        vocab: dict[str, int] = {}
        rows, cols, tfs, lens = [], [], [], []
        base = 0
        for seg, keep in zip(segments, live):
            keep = np.asarray(keep, dtype=np.int64)
            position = np.full(len(seg), -1, np.int64)
            position[keep] = base + np.arange(len(keep))
            doc = np.repeat(np.arange(len(seg)), np.diff(seg.ptr))
            chosen = position[doc] >= 0
            remap = np.array([vocab.setdefault(t, len(vocab)) for t in seg.terms], np.int64)
            rows.append(position[doc][chosen])
            cols.append(remap[seg.ids[chosen]] if len(remap) else np.zeros(0, np.int64))
            tfs.append(seg.tfs[chosen].astype(np.float32))
            lens.append(seg.lens[keep].astype(np.float32))
            base += len(keep)
        self.vocab = vocab
        self.size = base
        row = np.concatenate(rows) if rows else np.zeros(0, np.int64)
        col = np.concatenate(cols) if cols else np.zeros(0, np.int64)
        tf = np.concatenate(tfs) if tfs else np.zeros(0, np.float32)
        length = np.concatenate(lens) if lens else np.zeros(0, np.float32)
        df = np.bincount(col, minlength=len(vocab)).astype(np.float32)
        idf = np.log1p((base - df + 0.5) / (df + 0.5)).astype(np.float32)
        avgdl = max(float(length.mean()) if len(length) else 1.0, 1e-9)
        weight = idf[col] * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length[row] / avgdl))
        order = np.argsort(col, kind="stable")  # by term: a term's passages are contiguous
        self._rows = row[order].astype(np.int32)  # 6 bytes a posting in all
        self._weights = weight[order].astype(np.float16)  # ranks as float32 does (tested)
        self._starts = np.concatenate([[0], np.cumsum(np.bincount(col, minlength=len(vocab)))])

    def scores(self, query_terms: Sequence[str]) -> np.ndarray:
        """The BM25 score of every passage (by position) for a question's terms."""
        out = np.zeros(self.size, np.float32)
        for j in sorted({self.vocab[t] for t in query_terms if t in self.vocab}):
            lo, hi = self._starts[j], self._starts[j + 1]
            out[self._rows[lo:hi]] += self._weights[lo:hi]  # a passage occurs once per term
        return out

    def weight(self, query_terms: Sequence[str]) -> float:
        """How much to trust the lexical side for a question: the share of its terms that
        the index knows and that are not Latin words. 0 for an English question (even its
        "the" or "of", found in some Arabic passage, never count), so that the fused
        score falls back to the dense one."""
        if not query_terms:
            return 0.0
        known = sum(1 for t in query_terms if t in self.vocab and not _LATIN.search(t))
        return known / len(query_terms)
