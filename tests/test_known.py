"""Tests for retrieval.attribution.known: the names an article knows before attribution."""

from __future__ import annotations

from retrieval.attribution.known import family_names, known_names
from retrieval.attribution.names import is_known
from retrieval.attribution.statements import attribute_article
from retrieval.attribution.tokens import tokenize


def speakers(sentences: list[str]) -> list[str | None]:
    return [s.speaker if s else None for s in attribute_article(sentences)]


ARTICLE = [
    "وفي كلمته للمجلس، أشاد الرئيس المنتهية ولايته، علي شريف العمادي بخطة عمل المؤسسة.",
    "وأكد العمادي على أن برنامج الخطة الجديدة سيضاعف الاستفادة.",
    "وشدد العمادي على أهمية الأشهر المقبلة.",
]


def test_a_full_name_whose_family_name_speaks_alone() -> None:
    tokens = [tokenize(sentence) for sentence in ARTICLE]
    assert ("علي", "شريف", "العمادي") in family_names(tokens)
    assert is_known("العمادي", known_names(tokens, None))
    assert speakers(ARTICLE) == ["علي شريف العمادي"] * 3


def test_no_family_name_from_a_verb_a_plural_or_a_word_never_before_what_was_said() -> None:
    tokens = [tokenize(sentence) for sentence in [
        "واستشهد الحربش ببيانات التقرير.",  # no title before: «واستشهد» is a verb, not a given name
        "وأشار الحربش إلى أن النهج ناجح.",
        "وقال الباحثون إن الدراسة مهمة.",  # a plural
        "وأكد رئيس الفريق محمد الباحثون.",
        "وتعتبر ألبانيا من البلاد الجميلة.",  # nothing said after it
        "وقال الوزير علي ألبانيا.",
    ]]
    assert family_names(tokens) == set()
