"""How a sentence opens before its clause: list marks, connectors («ولكن»، «غير أن»،
«بيد أن») and set phrases («بهذه المناسبة»، «وفي هذا السياق»)."""

from __future__ import annotations

import retrieval.attribution.reporting as R
from retrieval.attribution.tokens import Token
from retrieval.text.normalize import normalize_arabic

_LEADING_MARKS = frozenset("*•·.-–—،,")
_LEADING_PHRASES = tuple(
    tuple(normalize_arabic(word) for word in phrase.split())
    for phrase in ("بهذه المناسبة", "في هذه المناسبة", "في هذا السياق", "في هذا الإطار", "في هذا الصدد")
)


def clause_start(tokens: list[Token]) -> int:
    """The index after leading marks («* قالت»), connectors and auxiliaries («ولكن»، «غير أن»)."""
    k = next((n for n, token in enumerate(tokens) if token.word or token.raw not in _LEADING_MARKS), len(tokens))
    leading = R.CONNECTORS | R.AUXILIARIES
    k += _leading_phrase(tokens, k)
    while k < len(tokens) and tokens[k].word and tokens[k].norm in leading:
        k += 1
        if k < len(tokens) and tokens[k - 1].norm in ("غير", "الا", "بيد") and tokens[k].norm in ("ان", "أن"):
            k += 1
    return k


def _leading_phrase(tokens: list[Token], k: int) -> int:
    """How many tokens a set phrase that opens a sentence takes («بهذه المناسبة»، «وفي هذا
    السياق»), with a comma after it: not a subject, the clause starts after it."""
    for phrase in _LEADING_PHRASES:
        words = [t.norm for t in tokens[k : k + len(phrase)]]
        if words and words[0].startswith("و") and words[0][1:] == phrase[0]:
            words[0] = words[0][1:]
        if tuple(words) == phrase:
            end = k + len(phrase)
            return len(phrase) + (end < len(tokens) and tokens[end].raw in "،,")
    return 0
