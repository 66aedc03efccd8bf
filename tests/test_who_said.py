"""Tests for retrieval.query.who_said: «ماذا قال X؟» and "What did X say?", as understood."""

from __future__ import annotations

import datetime as dt

import pytest

from retrieval.query.understanding import understand
from retrieval.query.who_said import people_named, read_who_said, time_span


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


D = dt.date


@pytest.mark.parametrize(
    ("question", "name", "topic", "when", "span"),
    [
        ("ماذا قال ترامب بين 2016 و2017؟", "ترامب", None, "بين 2016 و2017", (D(2016, 1, 1), D(2017, 12, 31))),
        ("ماذا قال ترامب بين عامي 2016 و 2017؟", "ترامب", None, "بين عامي 2016 و 2017",
         (D(2016, 1, 1), D(2017, 12, 31))),
        ("ماذا قال ترامب عن سوريا من 2016 إلى 2017؟", "ترامب", "سوريا", "من 2016 إلى 2017",
         (D(2016, 1, 1), D(2017, 12, 31))),
        ("ماذا قال أردوغان منذ 2016؟", "أردوغان", None, "منذ 2016", (D(2016, 1, 1), None)),
        ("ماذا قال أردوغان قبل 2017؟", "أردوغان", None, "قبل 2017", (None, D(2016, 12, 31))),
        ("ماذا قال أردوغان بعد 2016؟", "أردوغان", None, "بعد 2016", (D(2017, 1, 1), None)),
        ("ماذا قال أردوغان في مارس 2017؟", "أردوغان", None, "في مارس 2017", (D(2017, 3, 1), D(2017, 3, 31))),
        ("ماذا قال أردوغان في آذار 2017؟", "أردوغان", None, "في آذار 2017", (D(2017, 3, 1), D(2017, 3, 31))),
        ("ماذا قال أردوغان في فيفري 2016؟", "أردوغان", None, "في فيفري 2016", (D(2016, 2, 1), D(2016, 2, 29))),
        ("ماذا قال ترامب في 2017؟", "ترامب", None, "في 2017", (D(2017, 1, 1), D(2017, 12, 31))),
        ("What did Trump say between 2016 and 2017?", "Trump", None, "between 2016 and 2017",
         (D(2016, 1, 1), D(2017, 12, 31))),
        ("What did Trump say about Iran from 2016 to 2017?", "Trump", "Iran", "from 2016 to 2017",
         (D(2016, 1, 1), D(2017, 12, 31))),
        ("What did Trump say since 2016?", "Trump", None, "since 2016", (D(2016, 1, 1), None)),
        ("What did Trump say before 2017?", "Trump", None, "before 2017", (None, D(2016, 12, 31))),
        ("What did Trump say in March 2017?", "Trump", None, "in March 2017", (D(2017, 3, 1), D(2017, 3, 31))),
        ("What did Trump say in December 2016?", "Trump", None, "in December 2016",
         (D(2016, 12, 1), D(2016, 12, 31))),
    ],
)
def test_date_ranges_and_months_are_read_as_spans_of_days(question, name, topic, when, span) -> None:
    asked = understand(question)
    assert (asked.person, asked.topic, asked.when) == (name, topic, when)
    assert time_span(asked.when) == span


@pytest.mark.parametrize("when", [None, "", "أمس", "yesterday", "يوم الأحد"])
def test_time_words_without_a_year_are_no_span(when) -> None:
    assert time_span(when) is None


QUOTED = {"ترامب", "أردوغان", "اردوغان", "ميركل", "وليد المعلم", "عبد الله ولد الشيخ", "عبد الله"}


def known(name: str) -> bool:
    """Like the index's speakers: a name, or the start of one, that someone quoted goes by."""
    return any(q == name or q.startswith(name + " ") for q in QUOTED)


@pytest.mark.parametrize(
    ("name", "people"),
    [
        ("ترامب وأردوغان", ("ترامب", "أردوغان")),
        ("ترامب و أردوغان", ("ترامب", "أردوغان")),
        ("ترامب وأردوغان وميركل", ("ترامب", "أردوغان", "ميركل")),
        ("ترامب، أردوغان", ("ترامب", "أردوغان")),
        ("ترامب ووليد المعلم", ("ترامب", "وليد المعلم")),
        ("وليد المعلم", ("وليد المعلم",)),
        ("عبد الله ولد الشيخ", ("عبد الله ولد الشيخ",)),
        ("عبد الله وترامب", ("عبد الله", "ترامب")),
        ("ترامب وماكرون", ("ترامب وماكرون",)),  # Macron is nobody quoted: not cut
        ("Trump and Merkel", ("Trump", "Merkel")),
        ("Trump & Merkel", ("Trump", "Merkel")),
        ("Xi Jinping", ("Xi Jinping",)),
    ],
)
def test_two_people_are_cut_at_and_only_between_known_names(name, people) -> None:
    assert people_named(name, known) == people


def test_two_people_in_a_question_stay_one_person_string_until_the_index_is_asked() -> None:
    asked = understand("ماذا قال ترامب و أردوغان عن سوريا؟")
    assert (asked.person, asked.topic) == ("ترامب و أردوغان", "سوريا")
    asked = understand("What did Trump and Merkel say?")
    assert asked.person == "Trump and Merkel"
