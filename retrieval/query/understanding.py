"""Understanding a question (pure): raw text in, a typed ``Question`` out, once for every front end.

The text is cleaned and checked (``QuestionError`` says what is wrong), its language
found, and the question forms tried in turn: the first that reads it says what it asks
(a person's statements, who said something, …); a question no form reads is a plain
search. A new question form is one module with a class that has ``name`` and ``read``
(see ``Form``) plus one line in ``FORMS``; the front ends and the pipeline need no change.
"""

from __future__ import annotations

import re
from typing import Protocol, Sequence, runtime_checkable

from retrieval.errors import QuestionError
from retrieval.query.said_what import SaidWhat
from retrieval.query.types import MAX_K, MAX_STATEMENTS, Query, Question
from retrieval.query.who_said import WhoSaid
from retrieval.text.normalize import has_words, strip_invisible

#: Longest question accepted (characters); front ends that take long messages cut them.
MAX_QUESTION_CHARS = 1000

_ARABIC_LETTER = re.compile("[\u0620-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")
_ANY_LETTER = re.compile(r"[^\W\d_]")


@runtime_checkable
class Form(Protocol):
    """A kind of question: recognises its own and says what they ask."""

    name: str

    def read(self, question: Question) -> Question | None:
        """``question`` with what this form finds in it (its ``form`` set to ``name``), or
        None when it is not this kind of question."""
        ...


#: The question forms, tried in order; a question none reads is a plain search.
FORMS: tuple[Form, ...] = (WhoSaid(), SaidWhat())


def understand(text: str, *, cut: bool = False, forms: Sequence[Form] | None = None) -> Question:
    """Turn what a person typed into a ``Question``: cleaned, checked and read.

    Zero-width and bidi-control characters are dropped and control characters become
    spaces before anything is checked, so they can neither hide an empty question nor
    reach a terminal; runs of spaces become one.

    Args:
        text: the message as typed.
        cut: cut a question longer than MAX_QUESTION_CHARS to fit (``Question.cut`` says
            so) instead of refusing it, for front ends that take long messages (chat).
        forms: the question forms to try (None: ``FORMS``).

    Returns:
        The question, its language, and what the first form that reads it found.

    Raises:
        QuestionError: it is empty, too long, or has no letter or digit (only emoji or
            punctuation: nothing to search for); ``reason`` says which.
    """
    if not isinstance(text, str):
        raise QuestionError("the question must be text", "not_text")
    clean = " ".join(strip_invisible(text).split())
    was_cut = len(clean) > MAX_QUESTION_CHARS
    if was_cut and not cut:
        raise QuestionError(
            f"the question is too long ({len(clean):,} characters; at most "
            f"{MAX_QUESTION_CHARS:,}): ask it in fewer words",
            "too_long",
        )
    if was_cut:
        clean = clean[:MAX_QUESTION_CHARS].rstrip()
    if not clean:
        raise QuestionError("the question is empty: type a question, e.g. «ماذا قال شي؟»", "empty")
    if not has_words(clean):
        raise QuestionError(
            "the question has no words (only symbols or emoji): ask in words, e.g. «ماذا قال شي؟»",
            "no_words",
        )
    question = Question(clean, language_of(clean), cut=was_cut)
    for form in FORMS if forms is None else forms:
        read = form.read(question)
        if read is not None:
            return read
    return question


def language_of(text: str) -> str:
    """The language the question is written in, as far as newsqa answers in it.

    "en" when Latin letters outnumber Arabic ones (English, French…: answered in
    English), "ar" when Arabic letters are there and not outnumbered; "other" when most
    letters are of another script (Chinese, Cyrillic…: the model matches those poorly
    against Arabic news, so nothing is answered); "" when the text has no letters at all
    ("2017؟"): the front end then answers in the user's language.
    """
    arabic, latin = len(_ARABIC_LETTER.findall(text)), len(_LATIN_LETTER.findall(text))
    others = len(_ANY_LETTER.findall(text)) - arabic - latin
    if others > arabic + latin:
        return "other"
    if latin > arabic:
        return "en"
    return "ar" if arabic else ""


def checked(query: Query) -> Query:
    """``query`` with its question understood (when given as text) and its paging checked.

    A search may ask for 1 to MAX_K results, a «who said what» question for up to
    MAX_STATEMENTS statements at once.

    Raises:
        QuestionError: the question cannot be asked, or k/offset are out of range.
    """
    question = query.question if isinstance(query.question, Question) else understand(query.question)
    most = MAX_STATEMENTS if question.asks_person else MAX_K
    if (query.k is not None and not 1 <= query.k <= most) or query.offset < 0:
        raise QuestionError(f"k must be between 1 and {most} and offset at least 0", "paging")
    return Query(question, query.k, query.offset, query.exclude)
