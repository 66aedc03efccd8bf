"""Fusion: one candidate list for a question from the retrievers' lists, taken by name.

A «who said what» question whose person is quoted is answered by the speaker retriever's
list (``StatementsOrSearch``); any other question by the dense and lexical lists.

For those, measured on ARCD and TyDi QA (``newsqa eval --ablation``): plain reciprocal-rank fusion
loses to dense alone, because the dense side is much the stronger; adding the lexical
score as a bonus on top of the dense cosine earns its place:

    fused = cosine + LEXICAL_BONUS · w · bm25 / max(bm25)

over the union of both lists, where ``w`` is the share of the question's terms that the
index knows and that are not Latin words: 0 for an English question, which then keeps
its dense ranking untouched.
"""

from __future__ import annotations

from typing import Mapping

from retrieval.index.loaded import LoadedIndex
from retrieval.query.protocols import Fusion
from retrieval.query.types import Candidate, Found, Request

#: Weight of the normalised BM25 score added to the cosine (flat from 0.04 to 0.12 on
#: both dev sets; tuned on ARCD, checked on TyDi).
LEXICAL_BONUS = 0.08


class LexicalBonus:
    """The fusion: dense candidates first, each raised by the lexical evidence it has.

    ``fused = dense + bonus · w · lexical`` over the union of the lists; when the lexical
    side has nothing (or ``w`` is 0) the dense list passes through unchanged.
    """

    def __init__(self, bonus: float = LEXICAL_BONUS):
        self.bonus = bonus

    def __call__(self, index: LoadedIndex, request: Request, found: Mapping[str, Found]) -> list[Candidate]:
        dense, lexical = found["dense"], found.get("lexical")
        if lexical is None or lexical.weight <= 0 or lexical.score_of is None:
            return dense.candidates
        union = {c.position: c for c in lexical.candidates}
        union.update({c.position: c for c in dense.candidates})
        gain = self.bonus * lexical.weight
        fused = [
            Candidate(c.position, c.dense + gain * lexical.score_of(c.position), c.dense)
            for c in union.values()
        ]
        return sorted(fused, key=lambda c: (-c.score, c.position))


class StatementsOrSearch:
    """The speaker retriever's list for a question that asks what a quoted person said;
    for any other question, ``search`` (the dense list raised by lexical evidence).

    A «who said what» question about someone nobody quoted is answered by the search,
    so the person gets at least the passages that mention them.
    """

    def __init__(self, search: Fusion | None = None):
        self.search = search or LexicalBonus()

    def __call__(self, index: LoadedIndex, request: Request, found: Mapping[str, Found]) -> list[Candidate]:
        if request.lists_statements and "speaker" in found:
            return found["speaker"].candidates
        return self.search(index, request, found)


def first_list(index: LoadedIndex, request: Request, found: Mapping[str, Found]) -> list[Candidate]:
    """The fusion for a single retriever: its list as it is."""
    return next(iter(found.values())).candidates
