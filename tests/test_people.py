"""The people of an article: when two name forms are one person (retrieval.attribution.people)."""

from __future__ import annotations

import pytest

from retrieval.attribution.people import same_name
from retrieval.text.normalize import normalize_arabic


def words(name: str) -> tuple[str, ...]:
    return tuple(normalize_arabic(name).split())


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("شي", "شي جين بينغ"),  # a word of the full name
        ("الجرو شي", "طارق الجروشي"),  # the same letters, spaces aside
        ("نتانياهو", "بنيامين نتنياهو"),  # a spelling variant
        ("طيب", "سمير الطيب"),  # a family name without its article
        ("كريم هلالي", "كريم الهلالي"),  # the same name, one word with its article
        ("أبو راس", "عبدالله أبو راس"),  # a family name «أبو …»
        ("أبو عباة", "إبراهيم أبوعباة"),  # … written as one word
        ("أبو سعد", "ابو سعد"),  # one kunya, two spellings
        ("بن سلمان", "محمد بن سلمان"),  # «بن …» is how he is called
        ("ضاوي", "عبدالله سعيد بن ضاوي"),  # one word after «بن» may be the family's name
        ("خالد الفيصل", "خالد الفيصل بن عبدالعزيز"),
    ],
)
def test_forms_of_one_name(a: str, b: str) -> None:
    assert same_name(words(a), words(b))
    assert same_name(words(b), words(a))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("كريم هلالي", "كريم الهاشمي"),
        ("ترامب", "أوباما"),
        ("علي", "سمير الطيب"),
        ("أبو عبدالمجيد", "عبدالمجيد سعد"),  # the father of an Abdulmajid, not Abdulmajid
        ("خالد الفيصل", "بندر بن خالد الفيصل"),  # the father's name in his son's
        ("متعب بن عبدالله", "سعد بن متعب بن عبدالله"),
    ],
)
def test_different_names(a: str, b: str) -> None:
    assert not same_name(words(a), words(b))
