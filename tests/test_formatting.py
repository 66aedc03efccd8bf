"""What both front ends write the same way: the people quoted, in one language."""

from __future__ import annotations

from bot.formatting import people_lines
from bot.i18n import RLM
from retrieval.types import Person

PEOPLE = [Person("دونالد ترامب", ("دونالد ترامب", "ترامب"), 12, 3), Person("شي جين بينغ", ("شي جين بينغ",), 1, 1)]
OUTLETS = [Person("فرانس برس", ("فرانس برس",), 2, 2)]


def test_people_then_organisations_in_english():
    assert people_lines(PEOPLE, 40, "en", OUTLETS, 3) == [
        "🗣️ Most quoted (2 of 40)",
        "1. دونالد ترامب — 12 statements · 3 articles",
        "2. شي جين بينغ — 1 statement · 1 article",
        "",
        "🏢 Organisations and outlets, not people (1 of 3)",
        "1. فرانس برس — 2 statements · 2 articles",
        "Ask, e.g.: What did دونالد ترامب say?",
    ]


def test_people_in_arabic():
    lines = people_lines(PEOPLE, 1234, "ar")
    assert lines[0] == f"{RLM}🗣️ الأكثر اقتباسا (2 من 1,234)"
    assert lines[1] == f"{RLM}1. دونالد ترامب — 12 تصريحا · 3 مقالات"
    assert lines[2] == f"{RLM}2. شي جين بينغ — تصريح واحد · مقال واحد"
    assert lines[-1] == f"{RLM}اسأل مثلا: ماذا قال دونالد ترامب؟"


def test_nobody_quoted():
    assert people_lines([], 0, "en") == ["🗣️ Nobody is quoted in the indexed news yet."]
    assert people_lines([], 0, "en", OUTLETS, 1)[0] == "🏢 Organisations and outlets, not people (1 of 1)"
