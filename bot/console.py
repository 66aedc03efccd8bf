"""Console front end: answers as terminal text or JSON, and the interactive chat."""

from __future__ import annotations

import json
import sys
import time
from typing import Callable, Iterator, TextIO

from bot.dialogue import Step, plan, remember
from bot.formatting import (
    details_lines,
    group_by_article,
    person_notes,
    plain,
    rtl,
    shows_speaker,
    source_parts,
    statements_heading,
)
from bot.i18n import plural, reply_language, text
from retrieval.conversation.context import ChatContext
from retrieval.conversation.followups import DETAILS, MORE
from retrieval.errors import NewsqaError
from retrieval.query import MAX_K, MAX_QUESTION_CHARS, Query, Question
from retrieval.query.understanding import language_of
from retrieval.types import Answer, Hit, Person, Source

EXIT_WORDS = {"exit", "quit", "خروج", ":q"}
RESET_WORDS = {"reset", "/reset", "جديد", "من جديد"}

Ask = Callable[[Query], Answer]


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
    if not people:
        return text("speakers_empty", language)
    lines = [text("speakers_head", language, shown=len(people), total=f"{total:,}")]
    for n, person in enumerate(people, start=1):
        lines.append(text(
            "speakers_line", language, rank=n, name=plain(person.name),
            statements=plural(person.statements, "statement", language),
            articles=plural(person.articles, "article", language),
        ))
    lines.append(text("speakers_hint", language, name=plain(people[0].name)))
    return "\n".join(lines)


def chat(
    ask: Ask,
    *,
    k: int = 5,
    is_person: Callable[[str], bool] = lambda name: False,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    visual: bool = False,
    clock: Callable[[], float] = time.time,
) -> None:
    """An interactive session that remembers: follow-ups («وماذا عن X؟», «ماذا قال أيضا؟»,
    «متى قال ذلك؟», "what about X?") are read against the session's last question.

    One question a line; «المزيد»/"more" for the next results, "reset" to start over; leaves
    on end of input (Ctrl-D), "exit" or «خروج». With input from a pipe each question is
    echoed before its answer. ``visual`` writes Arabic in visual order for terminals that
    do not reorder right-to-left text.
    """
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    interactive = stdin.isatty()

    def say(value: str) -> None:
        if visual:
            from bot.visual import visual as to_visual  # noqa: PLC0415 (python-bidi, only when asked)

            value = to_visual(value)
        print(value, file=stdout, flush=True)

    if interactive:
        _start_terminal(say)
    context: ChatContext | None = None
    for line in _lines(stdin, stdout, interactive):
        if line.lower() in EXIT_WORDS:
            return
        if not interactive:
            say(rtl(f"؟ {plain(line)}"))
        if line.lower() in RESET_WORDS:
            context = None
            say(text("reset_done", reply_language(language_of(line) or None)) + "\n")
            continue
        context = _one(line, context, ask, k=k, is_person=is_person, say=say, now=clock())
        say("")


def _one(
    line: str, context: ChatContext | None, ask: Ask, *, k: int, is_person, say, now: float
) -> ChatContext | None:
    """Answer one line of the session; the context after it."""
    try:
        asked = k + 1 if k < MAX_K else k  # one more: is there a next page?
        step = plan(line, context, now=now, k=asked, is_person=is_person)
    except NewsqaError as exc:
        say(text("error_prefix", reply_language(language_of(line) or None), message=str(exc)))
        return context
    fresh = step.context
    language = reply_language(step.turn.language or (fresh.language if fresh else None))
    if step.turn.kind == DETAILS:
        shown = fresh.shown if fresh else ()
        say("\n".join(details_lines([s.source for s in shown], step.turn.detail, language))
            if shown else text("details_nothing", language))
        return remember(step, None, (), language, None, now)
    if step.query is None:
        say(text("console_no_more" if fresh is not None else "console_ask_first", language))
        return context
    if step.turn.question is not None and step.turn.question.cut:
        say(text("console_cut", language, characters=plural(MAX_QUESTION_CHARS, "character", language)))
    try:
        answer = ask(step.query)
    except NewsqaError as exc:
        say(text("error_prefix", language, message=str(exc)))
        return context
    shown = answer.hits[:k]
    next_offset = step.query.offset + k if len(answer.hits) > k else None
    say(_reply(step, answer, shown, language, fresh))
    return remember(step, answer, shown, language, next_offset, now)


def _reply(step: Step, answer: Answer, shown: tuple[Hit, ...], language: str, fresh: ChatContext | None) -> str:
    if step.turn.kind == MORE and not shown:
        return text("console_no_more", language)
    if step.turn.exclude and not shown and fresh is not None and fresh.who:
        return text("no_other_statements", language, name=plain(fresh.who))
    page = Answer(answer.question, shown, answer.person)
    return render_text(
        page, language, about=step.turn.about, more_hint=text("hint_type_more", language),
        first_page=step.query.offset == 0,
    )


def _start_terminal(say: Callable[[str], None]) -> None:
    """Line editing and history, and a greeting saying how the session works."""
    try:
        import readline  # noqa: F401, PLC0415  (line editing and history)
    except ImportError:
        pass
    say(text("console_greeting", "ar") + "\n" + text("console_greeting", "en"))


def _lines(stdin: TextIO, stdout: TextIO, interactive: bool) -> Iterator[str]:
    """The session's non-blank lines, stripped, until end of input."""
    while True:
        if interactive:
            try:
                line = input("؟ ")
            except EOFError:
                print(file=stdout)
                return
        else:
            line = stdin.readline()
            if not line:
                return
        if line.strip():
            yield line.strip()
