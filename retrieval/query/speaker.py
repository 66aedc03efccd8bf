"""The speaker retriever: every statement of the person a «who said what» question names.

Statements are attributed when indexing (``retrieval.attribution``); here the person asked
is found among the index's speakers (spellings and Latin script tolerated, see
``retrieval.text.spellings``) and all their statements are proposed, within the time the
question names when it names one. Not a top-k: the stages order them
(``StatementOrder``), fold wire copies (``DropCopies``), and ``k`` and ``offset`` only page
through the list.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Sequence

from retrieval.index.loaded import LoadedIndex
from retrieval.query.types import Candidate, Found, Question, Request
from retrieval.text.normalize import normalize_arabic
from retrieval.types import PersonAnswer

#: Time words the question may use, as days before today.
_RELATIVE_DAYS = {"اليوم": 0, "today": 0, "امس": 1, "أمس": 1, "البارحه": 1, "yesterday": 1}


class SpeakerRetriever:
    """Candidates for questions that ask what a person said: all of that person's statements.

    Each ``Found`` carries the person (``PersonAnswer``): the speakers in the index that
    are them (none when nobody quoted matches; the fusion then answers with the search),
    and whether the time the question names held none of their statements (then all of
    them are proposed). Other questions get an empty list.

    Args:
        today: the date relative time words («أمس», "today") count from.
    """

    name = "speaker"

    def __init__(self, today: Callable[[], dt.date] = dt.date.today):
        self.today = today

    def prepare(self, index: LoadedIndex, texts: Sequence[str]) -> None:
        """Nothing to prepare: finding a person is a lookup."""

    def retrieve(self, index: LoadedIndex, requests: Sequence[Request], depth: int) -> list[Found]:
        return [self._one(index, request.question) for request in requests]

    def _one(self, index: LoadedIndex, question: Question) -> Found:
        if question.person is None:
            return Found([], weight=0.0)
        names = tuple(index.speakers.match(question.person))
        if not names:
            closest = tuple(index.speakers.closest(question.person))
            person = PersonAnswer(question.person, (), 0, question.topic, question.when, closest=closest)
            return Found([], weight=0.0, person=person)
        positions, all_times = _in_time(index.speakers.statements(names), index, question, self.today())
        person = PersonAnswer(question.person, names, len(positions), question.topic, question.when, all_times)
        return Found([Candidate(p, 1.0, 1.0) for p in positions], person=person)


def _in_time(positions: list[int], index: LoadedIndex, question: Question, today: dt.date) -> tuple[list[int], bool]:
    """The statements within the time the question names; all of them (and True) if none is."""
    wanted = _date_test(question, today)
    if wanted is None:
        return positions, False
    kept = [p for p in positions if wanted(index.source(index.passages[p].article_id).date)]
    return (kept, False) if kept else (positions, True)


def _date_test(question: Question, today: dt.date) -> Callable[[dt.date | None], bool] | None:
    if question.year:
        return lambda date: date is not None and date.year == question.year
    days = _RELATIVE_DAYS.get(normalize_arabic(question.when or "").removeprefix("في ").strip())
    if days is None:
        return None
    day = today - dt.timedelta(days=days)
    return lambda date: date == day
