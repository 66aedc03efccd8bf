"""Stages over one question's candidates: the relevance gate, statements' order, wire copies."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from retrieval.index.loaded import LoadedIndex
from retrieval.query.types import Candidate, Request


class RelevanceFilter:
    """Keeps candidates whose dense cosine reaches the question's gate threshold.

    The threshold comes from ``retrieval.query.gate.RelevanceGate`` (the best score of
    unrelated background sentences plus a margin); it is compared with the dense cosine
    even when another score ranks the candidates. A person's statements are listed
    whole: the gate does not apply to them.
    """

    name = "gate"

    def apply(self, index: LoadedIndex, request: Request, candidates: list[Candidate]) -> list[Candidate]:
        if request.lists_statements:
            return candidates
        return [c for c in candidates if c.dense >= request.threshold]


class StatementOrder:
    """A person's statements grouped by article, each article's in order; the articles
    newest first, or, when the question names a topic, most relevant to it first (an
    article counts as relevant as its most relevant statement). Other lists pass as they are.
    """

    name = "statement-order"

    def apply(self, index: LoadedIndex, request: Request, candidates: list[Candidate]) -> list[Candidate]:
        if not request.lists_statements:
            return candidates
        by_article: dict[str, list[Candidate]] = {}
        for candidate in candidates:
            by_article.setdefault(index.passages[candidate.position].article_id, []).append(candidate)
        if request.topic is not None:
            relevance = {
                aid: float(np.max(index.vectors_at([c.position for c in group]) @ request.topic))
                for aid, group in by_article.items()
            }
            articles = sorted(by_article, key=lambda aid: (-relevance[aid], aid))
        else:
            articles = sorted(by_article, key=lambda aid: _newest_first(index, aid))
        return [
            c for aid in articles for c in sorted(by_article[aid], key=lambda c: index.passages[c.position].index)
        ]


def _newest_first(index: LoadedIndex, article_id: str) -> tuple:
    date = index.source(article_id).date
    return (date is None, -(date.toordinal() if date else 0), article_id)


class DropCopies:
    """Keeps the first of passages with the same normalised text (wire copies, reprints);
    the others' positions go with it (``Candidate.copies``), so that a statement is shown
    once with every source that carried it."""

    name = "copies"

    def apply(self, index: LoadedIndex, request: Request, candidates: list[Candidate]) -> list[Candidate]:
        first: dict[int, int] = {}  # copy key -> index in kept
        kept: list[Candidate] = []
        copies: dict[int, list[int]] = {}
        for candidate in candidates:
            key = int(index.copy_keys[candidate.position])
            if key in first:
                copies.setdefault(first[key], []).append(candidate.position)
            else:
                first[key] = len(kept)
                kept.append(candidate)
        for i, positions in copies.items():
            kept[i] = replace(kept[i], copies=kept[i].copies + tuple(positions))
        return kept
