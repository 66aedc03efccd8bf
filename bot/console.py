"""Console front end: answers as terminal text or JSON, and the interactive chat."""

from __future__ import annotations

import json
import sys
from typing import Callable, Iterator, TextIO

from bot.formatting import RLM, person_notes, source_parts, statements_heading
from retrieval.errors import NewsqaError
from retrieval.query import MAX_QUESTION_CHARS, Question, understand
from retrieval.text.normalize import strip_invisible
from retrieval.types import Answer, Hit, Person, Source

EXIT_WORDS = {"exit", "quit", "خروج", ":q"}
MORE_WORDS = {"more", "المزيد", "مزيد", "+"}


def _safe(text: str) -> str:
    """Text from articles or users, safe to print: no escape sequences, no bidi overrides."""
    return strip_invisible(text)


def format_source(source: Source) -> str:
    """One line naming where a passage comes from: agency, place, date, link or file."""
    return _safe(" · ".join(source_parts(source, path=True)))


def _hit_text(hit: Hit, *, statement: bool = False) -> str:
    lines = [f"{RLM}{hit.rank}. {_safe(hit.passage.text)}"]
    lines.append(f"{RLM}   ↳ {format_source(hit.source)}")
    lines.extend(f"{RLM}   ↳ {format_source(other)}" for other in hit.also_in)
    where = f"     {_safe(hit.source.title)} — sentence {hit.passage.index + 1}"
    if statement:
        lines.append(f"{where} — {_safe(hit.speaker or '')}")
    else:
        lines.append(f"{where}, score {hit.score:.3f}")
    return "\n".join(lines)


def render_text(answer: Answer, more_hint: str = "ask without -k to see them all") -> str:
    """An Answer as plain text for a terminal (logical order; RLM-led Arabic lines).

    When a person's statements are cut short, a last line says how many are left and
    ``more_hint`` how to see them.

    Control characters and bidi overrides in the articles never reach the terminal.
    """
    person = answer.person
    blocks = person_notes(person) if person else []
    if not answer.found:
        blocks.append(
            f"{RLM}لم أجد في الأخبار المفهرسة ما يجيب عن «{_safe(answer.question)}». "
            "جرّب صياغة أخرى أو كلمات أدق.\n"
            "Nothing relevant was found in the indexed articles; try rephrasing."
        )
        return "\n\n".join(blocks)
    statements = person is not None and person.found
    if statements:
        blocks.append(statements_heading(person))
    blocks.extend(_hit_text(h, statement=statements) for h in answer.hits)
    left = person.total - answer.hits[-1].rank if statements else 0
    if left > 0:
        blocks.append(f"{RLM}… {left} تصريحات أخرى / {left} more statements ({more_hint}).")
    return "\n\n".join(blocks)


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


def render_people(people: list[Person], total: int) -> str:
    """Who is quoted most: a numbered list with statement and article counts."""
    if not people:
        return (
            f"{RLM}لا أحد مقتبَس في الأخبار المفهرسة بعد.\n"
            "Nobody is quoted in the indexed news yet."
        )
    lines = [f"{RLM}🗣️ الأكثر اقتباسا / Most quoted ({len(people)} / {total}):"]
    for n, person in enumerate(people, start=1):
        lines.append(
            f"{RLM}{n}. {_safe(person.name)} — {person.statements} تصريح/statements, "
            f"{person.articles} مقال/articles"
        )
    name = _safe(people[0].name)
    lines.append(f"{RLM}اسأل مثلا: ماذا قال {name}؟ / Ask, e.g.: What did {name} say?")
    return "\n".join(lines)


def render_json(answer: Answer) -> str:
    """An Answer as a JSON list of hits (empty when nothing relevant was found)."""
    return json.dumps([hit_to_json(h) for h in answer.hits], ensure_ascii=False, indent=2)


def chat(
    ask: Callable[[Question, int, int], Answer],
    *,
    k: int = 5,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> None:
    """An interactive session: one question a line, "المزيد"/"more" for the next results.

    Leaves on end of input (Ctrl-D), "exit" or "خروج". Uses readline history when the
    input is a terminal. Each line is understood (``retrieval.query.understanding``) before
    it is asked; a line too long is cut, and the session says so.
    """
    interactive = stdin.isatty()
    if interactive:
        _start_terminal(stdout)
    last: tuple[Question, int] | None = None
    for text in _lines(stdin, stdout, interactive):
        if text.lower() in EXIT_WORDS:
            return
        if text.lower() in MORE_WORDS:
            if last is None:
                print("Ask a question first. / اطرح سؤالًا أولًا.", file=stdout)
                continue
            question, offset = last[0], last[1] + k
        else:
            try:
                question, offset = understand(text, cut=True), 0
            except NewsqaError as exc:
                print(f"error: {exc}", file=stdout)
                continue
            if question.cut:
                print(f"(question cut to {MAX_QUESTION_CHARS:,} characters)", file=stdout)
        try:
            result = ask(question, k, offset)
        except NewsqaError as exc:
            print(f"error: {exc}", file=stdout)
            continue
        if offset and not result.found:
            print("No more results. / لا مزيد من النتائج.", file=stdout)
        else:
            print(render_text(result, more_hint="type “more”"), file=stdout)
        print(file=stdout)
        last = (question, offset)


def _start_terminal(stdout: TextIO) -> None:
    """Line editing and history, and a greeting saying how the session works."""
    try:
        import readline  # noqa: F401, PLC0415  (line editing and history)
    except ImportError:
        pass
    print(
        f"{RLM}اسأل عن الأخبار المفهرسة. «المزيد» لنتائج إضافية، «خروج» أو Ctrl-D للخروج.\n"
        "Ask about the indexed news. 'more' for more results; 'exit' or Ctrl-D to leave.",
        file=stdout,
    )


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
