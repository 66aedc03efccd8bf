"""Console front end: answers as terminal text or JSON, and the interactive chat."""

from __future__ import annotations

import json
import sys
from typing import Callable, TextIO

from bot.formatting import RLM, source_parts
from retrieval.answer import MAX_QUESTION_CHARS
from retrieval.errors import NewsqaError
from retrieval.normalize import strip_invisible
from retrieval.types import Answer, Hit, Source

EXIT_WORDS = {"exit", "quit", "خروج", ":q"}
MORE_WORDS = {"more", "المزيد", "مزيد", "+"}


def _safe(text: str) -> str:
    """Text from articles or users, safe to print: no escape sequences, no bidi overrides."""
    return strip_invisible(text)


def format_source(source: Source) -> str:
    """One line naming where a passage comes from: agency, place, date, link or file."""
    return _safe(" · ".join(source_parts(source, path=True)))


def _hit_text(hit: Hit) -> str:
    lines = [f"{RLM}{hit.rank}. {_safe(hit.passage.text)}"]
    lines.append(f"{RLM}   ↳ {format_source(hit.source)}")
    lines.append(
        f"     {_safe(hit.source.title)} — sentence {hit.passage.index + 1}, score {hit.score:.3f}"
    )
    return "\n".join(lines)


def render_text(answer: Answer) -> str:
    """An Answer as plain text for a terminal (logical order; RLM-led Arabic lines).

    Control characters and bidi overrides in the articles never reach the terminal.
    """
    if not answer.found:
        return (
            f"{RLM}لم أجد في الأخبار المفهرسة ما يجيب عن «{_safe(answer.question)}». "
            "جرّب صياغة أخرى أو كلمات أدق.\n"
            "Nothing relevant was found in the indexed articles; try rephrasing."
        )
    return "\n\n".join(_hit_text(h) for h in answer.hits)


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
        "source": {
            "agency": s.agency,
            "place": s.place,
            "region": s.region,
            "date": s.date.isoformat() if s.date else None,
            "url": s.url,
            "path": s.path,
        },
    }


def render_json(answer: Answer) -> str:
    """An Answer as a JSON list of hits (empty when nothing relevant was found)."""
    return json.dumps([hit_to_json(h) for h in answer.hits], ensure_ascii=False, indent=2)


def chat(
    ask: Callable[[str, int, int], Answer],
    *,
    k: int = 5,
    stdin: TextIO = sys.stdin,
    stdout: TextIO = sys.stdout,
) -> None:
    """An interactive session: one question a line, "المزيد"/"more" for the next results.

    Leaves on end of input (Ctrl-D), "exit" or "خروج". Uses readline history when the
    input is a terminal.
    """
    interactive = stdin.isatty()
    if interactive:
        try:
            import readline  # noqa: F401, PLC0415  (line editing and history)
        except ImportError:
            pass
        print(
            f"{RLM}اسأل عن الأخبار المفهرسة. «المزيد» لنتائج إضافية، «خروج» أو Ctrl-D للخروج.\n"
            "Ask about the indexed news. 'more' for more results; 'exit' or Ctrl-D to leave.",
            file=stdout,
        )
    last: tuple[str, int] | None = None
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
        text = line.strip()
        if not text:
            continue
        if text.lower() in EXIT_WORDS:
            return
        if text.lower() in MORE_WORDS:
            if last is None:
                print("Ask a question first. / اطرح سؤالًا أولًا.", file=stdout)
                continue
            question, offset = last[0], last[1] + k
        else:
            if len(text) > MAX_QUESTION_CHARS:
                print(f"(question cut to {MAX_QUESTION_CHARS:,} characters)", file=stdout)
                text = text[:MAX_QUESTION_CHARS]
            question, offset = text, 0
        try:
            result = ask(question, k, offset)
        except NewsqaError as exc:
            print(f"error: {exc}", file=stdout)
            continue
        if offset and not result.found:
            print("No more results. / لا مزيد من النتائج.", file=stdout)
        else:
            print(render_text(result), file=stdout)
        print(file=stdout)
        last = (question, offset)
