"""Console front end: answers as terminal text or JSON (the chat session is ``bot.chat``)."""

from __future__ import annotations

import json

from bot.formatting import (
    answer_notes,
    group_by_article,
    group_by_speaker,
    lists_statements,
    people_lines,
    plain,
    rtl,
    shows_speaker,
    source_parts,
    speaker_heading,
    statement_sections,
    statements_total,
)
from bot.i18n import plural, reply_language, text
from retrieval.query import Question
from retrieval.query.understanding import language_of
from retrieval.types import Answer, Hit, Person, PersonAnswer, Source


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
    its place in the article (the statements that answer «من قال …؟» first by speaker,
    under a heading each; people's statements under a heading for each person, and those
    not about the topic asked under one more). ``about`` is the line saying how a
    follow-up was understood.
    When a person's statements are cut short, a last line says how many are left and
    ``more_hint`` how to see them; the heading and notes go on the ``first_page`` only.
    Control characters and bidi overrides in the articles never reach the terminal.
    """
    language = language or reply_language(language_of(answer.question) or None)
    blocks = _heading(answer, language, about, first_page)
    person = answer.person
    if answer.claim is not None:
        return "\n\n".join(blocks + _by_speaker(answer, language))
    if not answer.found:
        if person is None or person.found:
            key = "unsupported_language" if language_of(answer.question) == "other" else "nothing_found_for"
            blocks.append(text(key, language, question=plain(answer.question)))
        return "\n\n".join(blocks)
    statements = lists_statements(answer)
    sections = statement_sections(answer, language, first_page) if statements else [([], list(answer.hits))]
    for n, (heading, hits) in enumerate(sections):
        if heading and n == 0 and blocks:  # under the notes and the follow-up line
            blocks[0] += "\n" + "\n".join(heading)
        elif heading:
            blocks.append("\n".join(heading))
        for first, article_hits in group_by_article(hits):
            lines = [_source_line(first, language)]
            for hit in article_hits:
                lines += _hit_lines(hit, language, statements)
            blocks.append("\n".join(lines))
    left = statements_total(answer) - answer.hits[-1].rank if statements else 0
    if left > 0:
        hint = more_hint or text("hint_without_k", language)
        blocks.append(text("more_statements", language, count=plural(left, "statement", language), hint=hint))
    return "\n\n".join(blocks)


def _by_speaker(answer: Answer, language: str) -> list[str]:
    """A «من قال …؟» answer: each speaker's heading, then their statements by article; or
    the line saying no statement matches."""
    if not answer.found:
        return [text("claim_nothing", language, claim=plain(answer.claim))]
    blocks = []
    for name, hits in group_by_speaker(answer.hits):
        lines = [speaker_heading(name, len(hits), language)]
        for first, article_hits in group_by_article(hits):
            lines.append(_source_line(first, language))
            for hit in article_hits:
                lines += _hit_lines(hit, language, statements=True)
        blocks.append("\n".join(lines))
    return blocks


def _heading(answer: Answer, language: str, about: str | None, first_page: bool) -> list[str]:
    """How a follow-up was understood, then (first page) the notes on the people asked
    about; each person's heading goes above their statements (``statement_sections``)."""
    lines = [text("about", language, question=plain(about))] if about else []
    if first_page:
        lines += answer_notes(answer, language)
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
    (when it asks what someone said) and ``people`` (all of them, when it names several),
    how many hits there are in all, the hits (a person's statements say whose they are, as
    a position in ``people``, and whether they are ``aside``: not about the topic asked),
    and (for «من قال …؟») the speakers, each with the positions of their hits in ``hits``."""
    statements = lists_statements(answer)
    extra = (lambda h: {"person": h.person, "aside": h.aside}) if statements else (lambda h: {})
    data = {
        "question": {
            "text": question.text, "language": question.language, "form": question.form,
            "person": question.person, "topic": question.topic, "when": question.when, "year": question.year,
        },
        "person": None if answer.person is None else person_to_json(answer.person),
        "people": [person_to_json(p) for p in answer.people],
        "total": statements_total(answer) if statements else len(answer.hits),
        "hits": [hit_to_json(h) | extra(h) for h in answer.hits],
        "speakers": _speakers_json(answer),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def person_to_json(person: PersonAnswer) -> dict:
    """What was found of one person asked about: ``name`` is the name shown (canonical),
    ``on_topic`` how many of the ``total`` statements are about the topic (null without one)."""
    return {
        "asked": person.asked, "found": person.found, "name": person.name if person.found else None,
        "names": list(person.names), "total": person.total, "on_topic": person.on_topic, "topic": person.topic,
        "when": person.when, "all_times": person.all_times, "closest": list(person.closest),
    }


def _speakers_json(answer: Answer) -> list[dict]:
    """Each speaker of a «من قال …؟» answer: the name, the positions (from 0) of their
    statements in the answer's ``hits``, and how many there are."""
    position = {hit.rank: i for i, hit in enumerate(answer.hits)}
    groups = [(group.name, [position[r] for r in group.ranks if r in position]) for group in answer.speakers]
    return [{"name": name, "hits": hits, "count": len(hits)} for name, hits in groups if hits]


def render_json_list(answer: Answer) -> str:
    """The hits alone, as a JSON list: the form ``ask --json`` printed before 0.2
    (``--json-list``; to be removed in a later release)."""
    return json.dumps([hit_to_json(h) for h in answer.hits], ensure_ascii=False, indent=2)


def render_people(
    people: list[Person], total: int, language: str = "ar", organisations: list[Person] = (), organisations_total: int = 0
) -> str:
    """Who is quoted most: a numbered list with statement and article counts (then the
    organisations and outlets, when given), in ``language``."""
    return "\n".join(people_lines(people, total, language, organisations, organisations_total))

