"""A woman's role no list knows as a title, between a feminine reporting verb and her name
(«وأوضحت المسنة صفية علي الألمعي أن …»)."""

from __future__ import annotations

import retrieval.attribution.reporting as R
from retrieval.attribution.names import Known, name_end, name_word, subject_ends
from retrieval.attribution.tokens import Token, is_definite, verb_form
from retrieval.text.normalize import MARKS
from retrieval.text.spellings import PATRONYMICS

_CALLED = frozenset({"وتدعي", "وتسمي", "تدعي", "تسمي"})  # "named" (normalised), before a woman's name


def role_then_name(tokens: list[Token], i: int, known: Known) -> tuple[int, int] | None:
    """Where the name stands after a feminine noun no list knows as a title, right after a
    feminine reporting verb, when a name of two words or more and then what was said follow
    («وأوضحت المسنة صفية علي الألمعي أن …»، «اتهمت المواطنة حنان بن زيد …»): the noun is
    the woman's role. The name opens with a given name (no article, no «بن»); a masculine
    word before a name is too often a given name itself («الباجي قايد السبسي»)."""
    j, verb = i + 1, verb_form(tokens[i - 1]) if i > 0 else None
    if verb is None or not verb.feminine or verb.plural:
        return None  # right after «وقالت»، «أوضحت»، «تقول»: a woman speaks
    if not MARKS.sub("", tokens[i].raw).endswith("ة") or j >= len(tokens) or not tokens[j].word:
        return None
    if tokens[j].norm in _CALLED:
        j += 1  # «قالت الوالدة وتدعى إليزابيث أوسبورن»
    if j >= len(tokens) or tokens[j].norm.lstrip("وف") in R.COMPLEMENTISERS:
        return None  # «تشير الصورة فإن …»: what the picture shows, no one named
    if is_definite(tokens[j].norm) or tokens[j].norm in PATRONYMICS or not name_word(tokens, j):
        return None
    stop = name_end(tokens, j, known)
    if stop - j < 2 or not subject_ends(tokens, stop):
        return None
    words = [t.norm for t in tokens[j:stop]]
    if any(word in R.OBJECT_PRONOUNS or word.endswith("ات") and is_definite(word) for word in words):
        return None  # «فقلت لها»، «أصحاب العقارات»: a verb and its object, a plural noun
    return j, stop
