"""Tests for retrieval.query.who_said: «ماذا قال X؟» and "What did X say?", as understood."""

from __future__ import annotations

import pytest

from retrieval.query.understanding import understand
from retrieval.query.who_said import read_who_said


@pytest.mark.parametrize(
    ("question", "name", "topic", "when", "year"),
    [
        ("ماذا قال شي؟", "شي", None, None, None),
        ("ماذا قالت ميركل؟", "ميركل", None, None, None),
        ("ما الذي قاله ترامب", "ترامب", None, None, None),
        ("ما الذي قالته ميركل؟", "ميركل", None, None, None),
        ("بماذا صرح أردوغان؟", "أردوغان", None, None, None),
        ("بم صرح أردوغان", "أردوغان", None, None, None),
        ("ماذا صرّح الجبير؟", "الجبير", None, None, None),
        ("ماذا يقول نتنياهو؟", "نتنياهو", None, None, None),
        ("ماذا قال شي عن الإنترنت؟", "شي", "الإنترنت", None, None),
        ("ماذا قال بوتين بشأن سوريا؟", "بوتين", "سوريا", None, None),
        ("ماذا قال ماكرون حول الهجرة؟", "ماكرون", "الهجرة", None, None),
        ("ما رأي ترامب في اتفاق باريس؟", "ترامب", "اتفاق باريس", None, None),
        ("ماذا قال أردوغان أمس؟", "أردوغان", None, "أمس", None),
        ("ماذا قال ترامب في 2017؟", "ترامب", None, "في 2017", 2017),
        ("ماذا قال شي جين بينغ عن الاقتصاد الرقمي أمس؟", "شي جين بينغ", "الاقتصاد الرقمي", "أمس", None),
        ("ماذا قال التقرير عن النفط؟", "التقرير", "النفط", None, None),
        ("ماذا قال لافروف يوم الأحد؟", "لافروف", None, "يوم الأحد", None),
        ("ماذا قالت ميركل عن اللاجئين عام 2015؟", "ميركل", "اللاجئين", "عام 2015", 2015),
    ],
)
def test_arabic_questions(
    question: str, name: str, topic: str | None, when: str | None, year: int | None
) -> None:
    asked = understand(question)
    assert (asked.form, asked.person, asked.topic, asked.when, asked.year, asked.language) == (
        "who_said", name, topic, when, year, "ar"
    )


@pytest.mark.parametrize(
    ("question", "name", "topic", "when", "year"),
    [
        ("What did Xi say?", "Xi", None, None, None),
        ("what did Xi say about the internet?", "Xi", "the internet", None, None),
        ("What did Trump tell reporters?", "Trump", None, None, None),
        ("What did Trump tell reporters about trade?", "Trump", "trade", None, None),
        ("What has Erdogan said on Syria?", "Erdogan", "Syria", None, None),
        ("What does Merkel say about refugees?", "Merkel", "refugees", None, None),
        ("what Macron said", "Macron", None, None, None),
        ("What did Putin say yesterday?", "Putin", None, "yesterday", None),
        ("What did Xi Jinping say in 2017?", "Xi Jinping", None, "in 2017", 2017),
    ],
)
def test_english_questions(
    question: str, name: str, topic: str | None, when: str | None, year: int | None
) -> None:
    asked = understand(question)
    assert (asked.form, asked.person, asked.topic, asked.when, asked.year, asked.language) == (
        "who_said", name, topic, when, year, "en"
    )


@pytest.mark.parametrize(
    "question",
    [
        "ما هي عاصمة فرنسا؟",
        "كم عدد سكان مصر؟",
        "ماذا حدث في لندن؟",
        "متى افتتح المؤتمر؟",
        "What is the capital of France?",
        "How many people died?",
    ],
)
def test_other_questions_are_not_about_speakers(question: str) -> None:
    asked = understand(question)
    assert asked.form == "search" and not asked.asks_person and asked.person is None


@pytest.mark.parametrize("text", ["", "؟", "ماذا قال", "ماذا قال هو؟", "What did they say?"])
def test_the_form_reads_no_person_where_there_is_none(text: str) -> None:
    assert read_who_said(text) is None
