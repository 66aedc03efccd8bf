"""«Who said what»: every statement of a person, grouped by article, each with its source.

Statements are attributed when indexing (``retrieval.attribution``); here the person
asked is found among the speakers, their statements are gathered, wire copies folded
into one with all their sources, and the articles ordered: newest first, or by
relevance to the topic the question names. All of them, not a top-k: ``k`` and
``offset`` only page through the list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import numpy as np

from retrieval.normalize import normalize_arabic
from retrieval.search import LoadedIndex
from retrieval.speakers import SpeakerQuestion
from retrieval.types import Hit, Passage, PersonAnswer

#: Time words the question may use, as days before today.
_RELATIVE_DAYS = {"اليوم": 0, "today": 0, "امس": 1, "أمس": 1, "البارحه": 1, "yesterday": 1}

EmbedQuery = Callable[[str], np.ndarray]


@dataclass(frozen=True)
class Statements:
    """A person's statements, ordered and folded, ready to page through."""

    person: PersonAnswer
    hits: tuple[Hit, ...]


def find_statements(
    question: SpeakerQuestion,
    index: LoadedIndex,
    *,
    embed_query: EmbedQuery | None = None,
    context: int = 1,
    today: dt.date | None = None,
) -> Statements:
    """Everything the person asked about said, in the order to show it.

    Args:
        question: the parsed «who said what» question.
        index: the loaded index (its ``speakers`` directory).
        embed_query: turns the topic into a vector, to rank articles by it.
        context: sentences before and after each statement.
        today: the date relative time words («أمس») count from.

    Returns:
        The person (``names`` empty when nobody quoted matches) and all their statements.
    """
    names = tuple(index.speakers.match(question.name))
    person = PersonAnswer(question.name, names, 0, question.topic, question.when)
    if not names:
        return Statements(person, ())
    positions = index.speakers.statements(names)
    dated, all_times = _in_time(positions, index, question, today or dt.date.today())
    ordered = _order(dated, index, question.topic, embed_query)
    hits = _fold_copies(ordered, index, set(names), context)
    return Statements(
        PersonAnswer(question.name, names, len(hits), question.topic, question.when, all_times), hits
    )


def _in_time(
    positions: list[int], index: LoadedIndex, question: SpeakerQuestion, today: dt.date
) -> tuple[list[int], bool]:
    """The statements within the time the question names; all of them (and True) if none is."""
    wanted = _date_test(question, today)
    if wanted is None:
        return positions, False
    kept = [p for p in positions if wanted(index.source(index.passages[p].article_id).date)]
    return (kept, False) if kept else (positions, True)


def _date_test(question: SpeakerQuestion, today: dt.date) -> Callable[[dt.date | None], bool] | None:
    if question.year:
        return lambda date: date is not None and date.year == question.year
    days = _RELATIVE_DAYS.get(normalize_arabic(question.when or "").removeprefix("في ").strip())
    if days is None:
        return None
    day = today - dt.timedelta(days=days)
    return lambda date: date == day


def _order(
    positions: list[int], index: LoadedIndex, topic: str | None, embed_query: EmbedQuery | None
) -> list[int]:
    """Articles newest first (or most relevant to the topic first), statements in article order."""
    by_article: dict[str, list[int]] = {}
    for position in positions:
        by_article.setdefault(index.passages[position].article_id, []).append(position)
    if topic and embed_query is not None:
        vector = embed_query(topic)
        relevance = {aid: float((index.vectors_at(ps) @ vector).max()) for aid, ps in by_article.items()}
        articles = sorted(by_article, key=lambda aid: (-relevance[aid], aid))
    else:
        articles = sorted(by_article, key=lambda aid: _newest_first(index, aid))
    return [p for aid in articles for p in sorted(by_article[aid], key=lambda p: index.passages[p].index)]


def _newest_first(index: LoadedIndex, article_id: str) -> tuple:
    date = index.source(article_id).date
    return (date is None, -(date.toordinal() if date else 0), article_id)


def _fold_copies(positions: list[int], index: LoadedIndex, names: set[str], context: int) -> tuple[Hit, ...]:
    """One hit per distinct statement, in order; wire copies add their sources to the first."""
    first: dict[int, int] = {}
    copies: dict[int, list[Passage]] = {}
    for position in positions:
        key = int(index.copy_keys[position])
        if key in first:
            copies.setdefault(key, []).append(index.passages[position])
        else:
            first[key] = position
    hits = []
    for rank, (key, position) in enumerate(first.items(), start=1):
        passage = index.passages[position]
        before, after = index.context(passage, context)
        others = {p.article_id: index.source(p.article_id) for p in copies.get(key, ()) if p.article_id != passage.article_id}
        hits.append(
            Hit(
                rank=rank,
                score=1.0,
                passage=passage,
                source=index.source(passage.article_id),
                context_before=before,
                context_after=after,
                speaker=next((s for s in passage.speakers if s in names), passage.speaker),
                also_in=tuple(others.values()),
            )
        )
    return tuple(hits)
