"""Tests for retrieval.query.understanding: one step from raw text to a typed Question."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from retrieval.errors import QuestionError
from retrieval.query import MAX_QUESTION_CHARS, Query, Question, understand
from retrieval.query.understanding import FORMS, checked, language_of


def _clean(text: str) -> str:
    return understand(text).text


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_empty_question_is_refused(question):
    with pytest.raises(QuestionError, match="empty"):
        _clean(question)


def test_huge_question_is_refused_with_its_length():
    with pytest.raises(QuestionError, match="102,400 characters"):
        _clean("س" * 102_400)
    assert _clean("  ماذا   قال\nشي؟ ") == "ماذا قال شي؟"
    assert len(_clean("x" * MAX_QUESTION_CHARS)) == MAX_QUESTION_CHARS


@pytest.mark.parametrize(
    "question",
    [
        "😀😀",
        "؟؟ !!",
        "\u200b\u200c\u200d\ufeff",
        "\u202e\u2066\u2069\u200f\u200e",
        "\x07\x08\x1b\x7f",
    ],
)
def test_junk_questions_are_refused_before_searching(question):
    with pytest.raises(QuestionError, match="empty|no words"):
        _clean(question)


def test_invisible_and_control_characters_are_stripped_from_questions():
    assert _clean("ماذا\u200b قال \u202eشي\u202c؟\x1b[31m") == "ماذا قال شي؟"  # the whole escape goes
    assert _clean("\u2067What did Xi say?\u2069") == "What did Xi say?"


@pytest.mark.parametrize(
    ("text", "reason"),
    [("", "empty"), ("\u200b \u200f", "empty"), ("😀 ؟!", "no_words"), ("x" * 1001, "too_long"), (None, "not_text")],
)
def test_each_refusal_says_why_for_front_ends_to_word_it(text, reason):
    with pytest.raises(QuestionError) as refused:
        understand(text)
    assert refused.value.reason == reason


def test_a_long_message_is_cut_when_asked_and_says_so():
    question = understand("  " + "س " * 800, cut=True)
    assert question.cut and len(question.text) <= MAX_QUESTION_CHARS and not question.text.endswith(" ")
    assert not understand("ماذا قال شي؟", cut=True).cut
    with pytest.raises(QuestionError, match="empty"):
        understand("\u200b" * 5000, cut=True)  # nothing left once cleaned: never cut to nothing


@pytest.mark.parametrize(
    ("text", "language"),
    [("ماذا قال شي؟", "ar"), ("What did Xi say?", "en"), ("What did شي say?", "en"),
     ("ماذا قال Macron؟", "ar"), ("Qu'a dit Macron ?", "en"), ("2017", ""), ("习近平说了什么？", "other"),
     ("Что сказал Си?", "other")],
)
def test_the_language_to_answer_in(text, language):
    assert language_of(text) == language == understand(text).language


def test_a_plain_question_is_a_search():
    question = understand("ما هي عاصمة فرنسا؟")
    assert question == Question("ما هي عاصمة فرنسا؟", "ar", "search")


def test_checked_understands_text_and_limits_paging_by_kind():
    assert checked(Query("ماذا قال شي؟", 500)).question.person == "شي"  # statements: up to 100,000
    with pytest.raises(QuestionError, match="between 1 and 50"):
        checked(Query("ما هي عاصمة فرنسا؟", 51))
    with pytest.raises(QuestionError) as refused:
        checked(Query(understand("ماذا قال شي؟"), 3, -1))
    assert refused.value.reason == "paging"


class HowMany:
    """A new question form, as a newcomer would add it: «كم مرة قال X …؟» / "How many
    times did X say …?" is a «who said what» question (the answer counts the statements)."""

    name = "how_many"
    _ASK = re.compile(r"^(?:كم مرة|كم مره)\s+(?:قال|قالت|صرح|صرحت|تحدث|تحدثت)\s+(?P<name>[^؟?]+?)\s*[؟?]?$")

    def read(self, question: Question) -> Question | None:
        match = self._ASK.match(question.text)
        if match is None:
            return None
        return replace(question, form=self.name, person=match.group("name"))


def test_a_new_question_form_is_one_class_and_one_line_in_forms():
    forms = (HowMany(), *FORMS)
    question = understand("كم مرة قال شي؟", forms=forms)
    assert (question.form, question.person, question.asks_person) == ("how_many", "شي", True)
    assert understand("ماذا قال شي؟", forms=forms).form == "who_said"  # the others still read theirs
    assert understand("كم مرة قال شي؟").form == "search"  # not in the default forms
