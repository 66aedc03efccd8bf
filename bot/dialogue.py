"""One message of a conversation, for every front end (pure): resolve it against the chat's
context, say what to ask the engine, and what the chat remembers afterwards.

    message ─plan(context)─▶ Step (turn, query) ─engine─▶ Answer ─remember─▶ ChatContext

The console keeps the context in memory for the session; the Telegram bot keeps one per
chat in ``bot.chat_store`` so that it survives a restart.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from bot.chat_store import ChatStore
from retrieval.conversation.context import (
    ChatContext,
    Reply,
    after_page,
    after_question,
    touched,
)
from retrieval.conversation.followups import ASK, DETAILS, MORE, Turn, resolve
from retrieval.query.types import Query
from retrieval.types import Answer, Hit

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    """What to do with one message.

    Attributes:
        turn: what the message asks (see ``retrieval.conversation.followups``).
        context: the chat's context it was read against (None: none, or expired).
        query: what to ask the engine (None: nothing to search — the date and place of
            what was shown, or «المزيد» with no next page).
    """

    turn: Turn
    context: ChatContext | None
    query: Query | None


def plan(
    text: str, context: ChatContext | None, *, now: float, k: int, is_person: Callable[[str], bool]
) -> Step:
    """Read a message against the chat's context and say what to ask for ``k`` hits.

    Raises:
        QuestionError: the message is empty or has no words.
    """
    turn = resolve(text, context, now=now, is_person=is_person)
    fresh = context if context is not None and context.fresh(now) else None
    query = None
    if turn.kind == ASK:
        query = Query(turn.question, k, 0, turn.exclude)
    elif turn.kind == MORE and fresh is not None and fresh.next_offset is not None:
        query = Query(fresh.question, k, fresh.next_offset, fresh.exclude)
    return Step(turn, fresh, query)


def remember(
    step: Step, answer: Answer | None, shown: Sequence[Hit], language: str, next_offset: int | None, now: float
) -> ChatContext | None:
    """The chat's context after the reply to ``step`` showed ``shown`` in ``language``."""
    turn = step.turn
    if turn.kind == ASK and answer is not None:
        reply = Reply(answer, tuple(shown), language, next_offset)
        return after_question(step.context, turn.question, turn.exclude, reply, now)
    if turn.kind == MORE and step.context is not None and answer is not None:
        return after_page(step.context, Reply(answer, tuple(shown), language, next_offset), now)
    if turn.kind == DETAILS and step.context is not None:
        return touched(step.context, now)
    return step.context


class Conversations:
    """Chats' contexts in a ``ChatStore``, as ``ChatContext``: a stored context that cannot
    be read (damaged, an older version) is dropped with a warning, never a crash."""

    def __init__(self, store: ChatStore):
        self.store = store

    def get(self, chat: str, now: float) -> ChatContext | None:
        data = self.store.load(chat, now)
        if data is None:
            return None
        try:
            return ChatContext.from_dict(data)
        except ValueError as exc:
            log.warning("dropped the conversation of %s: it could not be read (%s)", chat, exc)
            self.store.clear(chat)
            return None

    def put(self, chat: str, context: ChatContext | None, now: float) -> None:
        if context is None:
            return
        try:
            self.store.save(chat, context.to_dict(), now)
        except ValueError:  # too large to keep (very long article ids): keep what matters most
            log.info("the conversation of %s is too large to keep whole; keeping its last question", chat)
            self.store.save(chat, replace(context, seen=context.seen[-20:], shown=context.shown[:5]).to_dict(), now)

    def clear(self, chat: str) -> None:
        self.store.clear(chat)

    def close(self) -> None:
        self.store.close()
