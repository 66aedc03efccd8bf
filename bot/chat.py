"""The console's conversation (``newsqa chat``): one question a line, follow-ups read against
the session's last question, the answers as terminal text."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from typing import Callable, Iterator, TextIO

from bot.console import render_text
from bot.dialogue import Step, plan, remember
from bot.formatting import details_lines, plain, rtl
from bot.i18n import plural, reply_language, text
from retrieval.conversation.context import ChatContext
from retrieval.conversation.followups import DETAILS, MORE
from retrieval.errors import NewsqaError
from retrieval.query import MAX_K, MAX_QUESTION_CHARS, Query
from retrieval.query.understanding import language_of
from retrieval.types import Answer, Hit

EXIT_WORDS = {"exit", "quit", "خروج", ":q"}
RESET_WORDS = {"reset", "/reset", "جديد", "من جديد"}

Ask = Callable[[Query], Answer]


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
    page = replace(answer, hits=shown)
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
