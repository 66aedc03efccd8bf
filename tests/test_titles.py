"""The title before a name, as a question gives it: ``without_title``."""

from __future__ import annotations

import pytest

from retrieval.attribution.titles import without_title


@pytest.mark.parametrize("asked, name", [
    ("الرئيس ترامب", "ترامب"),
    ("المستشارة الألمانية أنغيلا ميركل", "أنغيلا ميركل"),
    ("سمو الأمير فيصل بن خالد", "فيصل بن خالد"),
    ("د. أحمد زويل", "أحمد زويل"),
    ("العاهل السعودي الملك سلمان", "سلمان"),
    ("المتحدث باسم الكرملين ديمتري بيسكوف", "ديمتري بيسكوف"),
    ("الرئيس السيسي", "السيسي"),  # a family name that ends like a nationality
])
def test_the_name_after_a_title(asked, name):
    assert without_title(asked) == name


@pytest.mark.parametrize("asked", ["ترامب", "عبد الفتاح السيسي", "الرئيس الفرنسي", "وزير الخارجية",
                                   "زوجة ترامب", "الأمير"])
def test_no_title_or_nobody_after_it(asked):
    assert without_title(asked) is None
