"""Roles no list knows as titles before a name (``retrieval.attribution.roles``)."""

from __future__ import annotations

import pytest

from retrieval.attribution.names import NO_NAMES
from retrieval.attribution.roles import one_of
from retrieval.attribution.tokens import tokenize


def group(sentence: str) -> tuple[str, str | None] | None:
    """The group's words and the name after them, for the subject right after the verb."""
    tokens = tokenize(sentence)
    found = one_of(tokens, 1, NO_NAMES)
    if found is None:
        return None
    end, name = found
    words = " ".join(t.raw for t in tokens[1:end] if t.word)
    return words, " ".join(t.raw for t in tokens[name[0] : name[1]]) if name else None


@pytest.mark.parametrize("sentence, expected", [
    ("وقال أحد المسؤولين إن الأسعار سترتفع.", ("أحد المسؤولين", None)),
    ("وأكدت إحدى المشاركات أن المهرجان ناجح.", ("إحدى المشاركات", None)),
    ("وقال بعض المسؤولين في الشركة إن الأسعار سترتفع.", ("بعض المسؤولين في الشركة", None)),
    ("وقال عدد من الخبراء إن الأسعار سترتفع.", ("عدد من الخبراء", None)),
    ("وتحدث أحد أعضاء الفريق حسن أبو السعود عن الأفكار الجديدة.", ("أحد أعضاء الفريق", "حسن أبو السعود")),
    ("وقال أحد المسؤولين في الشركة محمد العلي إن الأسعار سترتفع.", ("أحد المسؤولين في الشركة", "محمد العلي")),
    ("وقال أحد سكان القرية نصر النواجعة: منذ صدور القرار نعيش في قلق.", ("أحد سكان القرية", "نصر النواجعة")),
])
def test_one_of_a_group_and_the_name_that_follows(sentence, expected):
    assert group(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "وأبدى عدد من المتطوعات سعادتهن وحرصهن على المشاركة.",  # several people: no one named
    "وقال بعض المسؤولين محمد العلي وخالد السعد إن الأسعار سترتفع.",
    "كان أحد المقيمين الأجانب يمازح المسحراتي ويستمع إليه.",  # what he did, not his name
    "وقال أحد كبار مشايخ مأرب علي غريب إن الوضع مستقر.",  # the group's words go on past «كبار»
])
def test_no_name_read_into_a_group(sentence):
    found = one_of(tokenize(sentence), 1, NO_NAMES)
    assert found is None or found[1] is None


def test_a_number_is_no_group():
    assert one_of(tokenize("حسب عدد الخطباء بالمناطق"), 1, NO_NAMES) is None
    assert group("ويمشي أحد") is None
