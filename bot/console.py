"""Console front end: answers as terminal text or JSON (the chat session is ``bot.chat``)."""

from __future__ import annotations

import json

from bot.formatting import (
    group_by_article,
    people_lines,
    person_notes,
    plain,
    rtl,
    shows_speaker,
    source_parts,
    statements_heading,
)
from bot.i18n import plural, reply_language, text
from retrieval.query import Question
from retrieval.query.understanding import language_of
from retrieval.types import Answer, Hit, Person, Source


def format_source(source: Source, language: str = "ar") -> str:
    """One line naming where passages come from: the title when the article has one of its
    own, agency, place, date, and the link (decoded for reading) or file."""
    return " · ".join(source_parts(source, language, path=True))


def _hit_lines(hit: Hit, language: str, statements: bool) -> list[str]:
    where = text("sentence_of", language, n=hit.passage.index + 1)
    line = f"{hit.rank}. {plain(hit.passage.text)} ({where})"
    if shows_speaker(hit, statements):
        line += " " + text("said_by", language, name=plain(hit.speaker or hit.passage.speaker))
    lines = [rtl(line)]
    lines.extend(rtl(f"   ↳ {format_source(other, language)}") for other in hit.also_in)
    return lines


def _source_line(hit: Hit, language: str) -> str:
    parts = source_parts(hit.source, language, path=True, title=hit.titled)
    return rtl("📰 " + " · ".join(parts))


def render_text(
    answer: Answer,
    language: str | None = None,
    *,
    about: str | None = None,
    more_hint: str | None = None,
    first_page: bool = True,
) -> str:
    """An Answer as plain text for a terminal, in ``language`` (default: the question's).

    Hits are grouped by article: one source line, then the article's passages, each with
    its place in the article. ``about`` is the line saying how a follow-up was understood.
    When a person's statements are cut short, a last line says how many are left and
    ``more_hint`` how to see them; the heading and notes go on the ``first_page`` only.
    Control characters and bidi overrides in the articles never reach the terminal.
    """
    language = language or reply_language(language_of(answer.question) or None)
    blocks = _heading(answer, language, about, first_page)
    person = answer.person
    if not answer.found:
        if person is None or person.found:
            key = "unsupported_language" if language_of(answer.question) == "other" else "nothing_found_for"
            blocks.append(text(key, language, question=plain(answer.question)))
        return "\n\n".join(blocks)
    statements = person is not None and person.found
    for first, hits in group_by_article(answer.hits):
        lines = [_source_line(first, language)]
        for hit in hits:
            lines += _hit_lines(hit, language, statements)
        blocks.append("\n".join(lines))
    left = person.total - answer.hits[-1].rank if statements else 0
    if left > 0:
        hint = more_hint or text("hint_without_k", language)
        blocks.append(text("more_statements", language, count=plural(left, "statement", language), hint=hint))
    return "\n\n".join(blocks)


def _heading(answer: Answer, language: str, about: str | None, first_page: bool) -> list[str]:
    """How a follow-up was understood, then (first page) the person's notes and heading."""
    lines = [text("about", language, question=plain(about))] if about else []
    person = answer.person
    if person is not None and first_page:
        lines += person_notes(person, language, searched=answer.found)
        if person.found and answer.found:
            lines.append(statements_heading(person, language))
    return ["\n".join(lines)] if lines else []


def hit_to_json(hit: Hit) -> dict:
    s = hit.source
    return {
        "rank": hit.rank,
        "score": round(hit.score, 4),
        "text": hit.passage.text,
        "article_id": hit.passage.article_id,
        "title": s.title,
        "sentence_index": hit.passage.index,
        "span": [hit.passage.start, hit.passage.end],
        "context_before": list(hit.context_before),
        "context_after": list(hit.context_after),
        "speaker": hit.speaker or hit.passage.speaker,
        "source": source_to_json(s),
        "also_in": [source_to_json(other) for other in hit.also_in],
    }


def source_to_json(s: Source) -> dict:
    return {
        "agency": s.agency,
        "place": s.place,
        "region": s.region,
        "date": s.date.isoformat() if s.date else None,
        "url": s.url,
        "path": s.path,
    }


def render_json(answer: Answer, question: Question) -> str:
    """An Answer as one JSON object: the question as understood, the person asked about
    (when it asks what someone said), how many hits there are in all, and the hits."""
    person = answer.person
    found = person is not None and person.found
    data = {
        "question": {
            "text": question.text, "language": question.language, "form": question.form,
            "person": question.person, "topic": question.topic, "when": question.when, "year": question.year,
        },
        "person": None if person is None else {
            "asked": person.asked, "found": found, "name": person.names[0] if found else None,
            "names": list(person.names), "total": person.total, "topic": person.topic, "when": person.when,
            "all_times": person.all_times, "closest": list(person.closest),
        },
        "total": person.total if found else len(answer.hits),
        "hits": [hit_to_json(h) for h in answer.hits],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def render_json_list(answer: Answer) -> str:
    """The hits alone, as a JSON list: the form ``ask --json`` printed before 0.2
    (``--json-list``; to be removed in a later release)."""
    return json.dumps([hit_to_json(h) for h in answer.hits], ensure_ascii=False, indent=2)


def render_people(people: list[Person], total: int, language: str = "ar") -> str:
    """Who is quoted most: a numbered list with statement and article counts."""
    return "\n".join(people_lines(people, total, language))

