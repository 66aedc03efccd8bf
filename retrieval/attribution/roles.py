"""Roles no list knows as titles before a name: a woman's role after a feminine reporting
verb («وأوضحت المسنة صفية علي الألمعي أن …»), one of a group («أحد أعضاء الفريق حسن أبو
السعود»)."""

from __future__ import annotations

import retrieval.attribution.reporting as R
from retrieval.attribution.names import Known, name_end, name_word, subject_ends
from retrieval.attribution.tokens import Token, is_definite, is_prepositional, verb_form
from retrieval.text.normalize import MARKS
from retrieval.text.spellings import PATRONYMICS

#: One, or some, of a group: «أحد المسؤولين»، «إحدى المشاركات»، «بعض السكان»، «عدد من الخبراء».
_ONE_OF = R.norm_set("أحد احد إحدى احدى بعض عدد")
_ONE = R.norm_set("أحد احد إحدى احدى")
_GROUP_WORDS = 4  # how many words the group may take («أحد أعضاء المكتب التنفيذي للحزب»)
_CALLED = frozenset({"وتدعي", "وتسمي", "تدعي", "تسمي", "ويدعي", "يدعي", "ويسمي"})  # "named" (normalised)


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


def one_of(tokens: list[Token], i: int, known: Known) -> tuple[int, tuple[int, int] | None] | None:
    """One (or some) of a group as a verb's subject («وقال أحد المسؤولين إن»، «وتحدث أحد
    أعضاء الفريق حسن أبو السعود عن»): where the group's words end, and the name that
    follows them when one person is meant, if any. None when token ``i`` opens no such
    phrase. Without a name it is an unnamed source, never the person speaking before.

    The name is two words or more, not definite, right after a definite word of the group
    («أعضاء الفريق»), or after «ويدعى» («أحد السكان ويدعى ياجويي ساليفه»)."""
    if tokens[i].norm not in _ONE_OF:
        return None
    k = i + 1
    if k < len(tokens) and tokens[k].norm == "من":
        k += 1  # «عدد من الخبراء»، «أحد من حضروا»
    elif tokens[i].norm == "عدد":
        return None  # «حسب عدد الخطباء»: a number, not people
    if k >= len(tokens) or not tokens[k].word or tokens[k].norm in R.COMPLEMENTISERS:
        return None
    k += 1  # the group: «المسؤولين»، «أعضاء»
    while k < min(len(tokens), i + 2 + _GROUP_WORDS) and tokens[k].word and (
        is_definite(tokens[k].norm) or is_prepositional(tokens[k].norm)
        or tokens[k].norm in ("في", "من") and k + 1 < len(tokens) and is_definite(tokens[k + 1].norm)
    ):
        k += 1  # «أعضاء الفريق»، «المسؤولين في الشركة»، «الخبراء بالمركز»
    if tokens[i].norm not in _ONE or k >= len(tokens):
        return k, None  # «بعض»، «عدد»: several people, no one named
    start = k + 1 if tokens[k].norm in _CALLED else k
    if start == k and not is_definite(tokens[k - 1].norm):
        return k, None
    if start < len(tokens) and name_word(tokens, start) and not is_definite(tokens[start].norm):
        stop = name_end(tokens, start, known)
        if stop - start >= 2 and _said_after(tokens, stop):
            return k, (start, stop)
    return k, None


def _said_after(tokens: list[Token], k: int) -> bool:
    """What was said opens at ``k``: a comma, colon or quote, أن/إن, «بأن», «عن» («تحدث عن»)."""
    if k >= len(tokens) or not tokens[k].word:
        return True
    norm = tokens[k].norm
    return norm in R.COMPLEMENTISERS or norm == "عن" or norm.startswith(("بان", "بأن"))
