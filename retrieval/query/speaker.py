"""The speaker retriever: every statement of the person a «who said what» question names.

Statements are attributed when indexing (``retrieval.attribution``); here the person asked
is found among the index's speakers (spellings and Latin script tolerated, see
``retrieval.text.spellings``) and all their statements are proposed, within the time the
question names when it names one (a year, a month, a range: ``who_said.time_span``). A
question naming two people is asked once for each (``people_asked``). Not a top-k: the
stages order them (``StatementOrder``), fold wire copies (``DropCopies``), and ``k`` and
``offset`` only page through the list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Callable, Sequence

from retrieval.index.loaded import LoadedIndex
from retrieval.query.types import Candidate, Found, Question, Request
from retrieval.query.who_said import people_named, time_span
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
        person = PersonAnswer(
            question.person, names, len(positions), question.topic, question.when, all_times,
            canonical=canonical_name(index, names),
        )
        return Found([Candidate(p, 1.0, 1.0) for p in positions], person=person)


def canonical_name(index: LoadedIndex, names: Sequence[str]) -> str:
    """The name to show for the person ``names`` are: the speaker directory's canonical
    spelling when it has one, else the spelling of ``names`` with the most statements (the
    fuller one on a tie): «بنيامين نتنياهو», not a typo carried by one article."""
    canonical = getattr(index.speakers, "canonical", None)
    if canonical is not None:
        return canonical(names[0]) or names[0]
    counts = {name: len(index.speakers.statements([name])) for name in names}
    return max(names, key=lambda name: (counts[name], len(name.split()), name))


def people_asked(index: LoadedIndex, question: Question) -> list[Question]:
    """The question once for each person it names: «ماذا قال ترامب وأردوغان؟» is two
    questions, one about each (``who_said.people_named``, with the index's speakers)."""
    if question.person is None:
        return [question]
    people = people_named(question.person, lambda name: bool(index.speakers.match(name)))
    return [question] if len(people) < 2 else [replace(question, person=name) for name in people]


def _in_time(positions: list[int], index: LoadedIndex, question: Question, today: dt.date) -> tuple[list[int], bool]:
    """The statements within the time the question names; all of them (and True) if none is."""
    wanted = _date_test(question, today)
    if wanted is None:
        return positions, False
    kept = [p for p in positions if wanted(index.source(index.passages[p].article_id).date)]
    return (kept, False) if kept else (positions, True)


def _date_test(question: Question, today: dt.date) -> Callable[[dt.date | None], bool] | None:
    span = time_span(question.when)
    if span is not None:
        first, last = span
        return lambda date: date is not None and (first is None or date >= first) and (last is None or date <= last)
    if question.year:
        return lambda date: date is not None and date.year == question.year
    days = _RELATIVE_DAYS.get(normalize_arabic(question.when or "").removeprefix("في ").strip())
    if days is None:
        return None
    day = today - dt.timedelta(days=days)
    return lambda date: date == day
