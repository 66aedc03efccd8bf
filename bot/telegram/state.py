"""What the bot's handlers share: limits, remembered questions, reply order, the state object."""

from __future__ import annotations

import asyncio
import secrets
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable

from telegram import Update
from telegram.ext import ContextTypes

from bot.batcher import AnswerBatcher
from bot.dialogue import Conversations
from bot.telegram.settings import TelegramSettings
from retrieval.query import Question
from retrieval.service import NewsService
from retrieval.types import Hit

#: Questions remembered for the «المزيد» and context buttons.
REMEMBERED_QUESTIONS = 10_000


class SlidingWindowLimiter:
    """At most ``limit`` events per ``period`` seconds for each key (0 = no limit)."""

    def __init__(
        self, limit: int, period: float = 60.0, clock: Callable[[], float] = time.monotonic
    ):
        self.limit = limit
        self.period = period
        self._clock = clock
        self._events: dict[Hashable, deque[float]] = {}
        self._warned: set[Hashable] = set()

    def hit(self, key: Hashable) -> float:
        """Count one event for ``key``.

        Returns:
            0.0 when it is allowed, else the seconds until the next one would be.
        """
        if self.limit <= 0:
            return 0.0
        now = self._clock()
        if len(self._events) > 10_000:  # forget idle keys now and then
            for k in [k for k, w in self._events.items() if not w or w[-1] <= now - self.period]:
                del self._events[k]
        window = self._events.setdefault(key, deque())
        while window and window[0] <= now - self.period:
            window.popleft()
        if len(window) < self.limit:
            window.append(now)
            self._warned.discard(key)
            return 0.0
        return window[0] + self.period - now

    def first_refusal(self, key: Hashable) -> bool:
        """True once per run of refusals, so a flood gets one friendly message."""
        if key in self._warned:
            return False
        self._warned.add(key)
        return True


@dataclass
class QuestionRecord:
    """A question answered in a chat, for its buttons: the hits shown and pages served."""

    question: Question
    chat_id: int | None = None  # where it was asked, and by whom: the buttons are theirs
    user_id: int | None = None
    language: str = "ar"  # the language of the replies (buttons, labels)
    exclude: frozenset[tuple[str, int]] = frozenset()  # passages its answer leaves out (shown before)
    refs: dict[int, tuple[str, int, int]] = field(default_factory=dict)  # rank -> id, index, hash
    served: set[int] = field(default_factory=lambda: {0})

    def belongs_to(self, chat_id: int | None, user_id: int | None) -> bool:
        return chat_id == self.chat_id and user_id == self.user_id

    def remember(self, hits: tuple[Hit, ...]) -> None:
        for hit in hits:
            self.refs[hit.rank] = (
                hit.passage.article_id,
                hit.passage.index,
                hash(hit.passage.text),
            )


class QuestionStore:
    """A bounded LRU of QuestionRecords under short random tokens (for callback data)."""

    def __init__(self, size: int = REMEMBERED_QUESTIONS):
        self.size = size
        self._records: OrderedDict[str, QuestionRecord] = OrderedDict()

    def add(
        self,
        question: Question,
        chat_id: int | None = None,
        user_id: int | None = None,
        *,
        language: str = "ar",
        exclude: frozenset[tuple[str, int]] = frozenset(),
    ) -> tuple[str, QuestionRecord]:
        token = secrets.token_urlsafe(8)
        record = self._records[token] = QuestionRecord(question, chat_id, user_id, language=language, exclude=exclude)
        while len(self._records) > self.size:
            self._records.popitem(last=False)
        return token, record

    def get(self, token: str) -> QuestionRecord | None:
        record = self._records.get(token)
        if record is not None:
            self._records.move_to_end(token)
        return record


@dataclass
class BotState:
    """What the handlers share, kept in ``application.bot_data``."""

    service: NewsService
    settings: TelegramSettings
    batcher: AnswerBatcher
    questions: QuestionStore
    conversations: Conversations
    question_limiter: SlidingWindowLimiter
    inline_limiter: SlidingWindowLimiter
    order: ChatOrder
    watch: bool
    watcher: Any = None
    fatal: str | None = None  # why the bot stopped by itself, if it did
    stop: Callable[[], None] = lambda: None  # how it stops itself (set by the runner)
    stopped: asyncio.Event | None = None  # set once it stopped itself (under polling())

    def allowed(self, user_id: int | None, chat_id: int | None) -> bool:
        """Whether the allow-lists (if any) let this user or chat in; admins always."""
        s = self.settings
        if not s.allowed_users and not s.allowed_chats:
            return True
        return user_id in s.allowed_users or user_id in s.admins or chat_id in s.allowed_chats

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admins


def bot_state(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.bot_data["newsqa"]


def update_ids(update: Update) -> tuple[int | None, int | None]:
    user, chat = update.effective_user, update.effective_chat
    return (user.id if user else None), (chat.id if chat else None)


class ChatOrder:
    """Keeps each chat's replies in the order its messages arrived.

    A handler takes a ticket when its message arrives and sends inside the ticket;
    sending waits until every earlier ticket of the same chat is done (sent, failed
    or abandoned), so a reply delayed by network retries is never overtaken.
    """

    def __init__(self):
        self._tails: dict[int, asyncio.Future] = {}

    def ticket(self, chat_id: int | None) -> _Ticket:
        loop = asyncio.get_running_loop()
        previous = self._tails.get(chat_id)
        mine = loop.create_future()
        self._tails[chat_id] = mine
        return _Ticket(self, chat_id, previous, mine)

    def _done(self, ticket: _Ticket) -> None:
        if not ticket.mine.done():
            ticket.mine.set_result(None)
        if self._tails.get(ticket.chat_id) is ticket.mine:
            del self._tails[ticket.chat_id]


@dataclass
class _Ticket:
    order: ChatOrder
    chat_id: int | None
    previous: asyncio.Future | None
    mine: asyncio.Future

    async def turn(self) -> None:
        """Wait until the chat's earlier replies are out."""
        if self.previous is not None:
            await asyncio.shield(self.previous)

    async def __aenter__(self) -> _Ticket:
        return self

    async def __aexit__(self, *exc) -> None:
        self.order._done(self)
