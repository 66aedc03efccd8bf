"""The dense retriever: nearest passages by cosine in the FAISS index."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from retrieval.index.loaded import LoadedIndex
from retrieval.query.types import Candidate, Found, Request


class DenseRetriever:
    """Candidates from the vector index: the ``depth`` rows nearest each question.

    Rows of removed or replaced articles (not yet compacted away) are skipped.
    """

    name = "dense"

    def prepare(self, index: LoadedIndex, texts: Sequence[str]) -> None:
        """Nothing to do before the questions' vectors are known."""

    def retrieve(self, index: LoadedIndex, requests: Sequence[Request], depth: int) -> list[Found]:
        """The nearest rows for each request; none for one answered by a person's statements."""
        found = [Found([], weight=0.0) for _ in requests]
        wanted = [i for i, r in enumerate(requests) if not r.lists_statements]
        total = len(index.vectors)
        if not wanted:
            return found
        depth = max(1, min(depth, total))
        scores, rows = index.vectors.search(np.stack([requests[i].vector for i in wanted]), depth)
        for i, row_scores, row_ids in zip(wanted, scores, rows):
            candidates = []
            for score, row in zip(row_scores.tolist(), row_ids.tolist()):
                if row < 0:
                    break
                position = int(index.row_passage[row])
                if position >= 0:
                    candidates.append(Candidate(position, score, score))
            lowest = row_scores[-1] if len(row_scores) else -np.inf
            found[i] = Found(candidates, depth < total and lowest >= requests[i].threshold)
        return found
