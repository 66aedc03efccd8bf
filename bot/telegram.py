"""The Telegram front end: a python-telegram-bot Application over NewsService."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
import traceback
from contextlib import asynccontextmanager
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any, Callable, Hashable
from urllib.parse import urlsplit

from telegram import (
    Bot,
    BotCommand,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

from bot import render
from bot.batcher import AnswerBatcher
from retrieval.answer import MAX_QUESTION_CHARS, Query
from retrieval.errors import NewsqaError, SettingsError
from retrieval.normalize import has_words, strip_invisible
from retrieval.service import NewsService
from retrieval.settings import TELEGRAM_API_DEFAULT, Settings
from retrieval.types import Answer, Hit

log = logging.getLogger(__name__)

#: The updates the bot asks Telegram for.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
#: Sentences shown before and after a passage by the context button.
CONTEXT_WINDOW = 3
#: Results offered in inline mode.
INLINE_RESULTS = 5
#: Inline queries arrive while people type: they get this many times the question limit.
INLINE_RATE_FACTOR = 5
#: Questions remembered for the «المزيد» and context buttons.
REMEMBERED_QUESTIONS = 10_000
#: How long an outgoing call that fails on the network (timeouts, 5xx) is retried.
SEND_RETRY_SECONDS = 60.0
#: Waits between those attempts: 0.5 s, doubling, at most this.
SEND_RETRY_MAX_WAIT = 8.0
#: How long getUpdates may keep answering 401 before the bot gives up and exits.
REJECTED_TOKEN_GRACE = 60.0
#: How long the start-up check waits for Telegram to be reachable.
STARTUP_WAIT = 30.0


# -- small pieces of state ---------------------------------------------------------------


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

    question: str
    chat_id: int | None = None  # where it was asked, and by whom: the buttons are theirs
    user_id: int | None = None
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
        self, question: str, chat_id: int | None = None, user_id: int | None = None
    ) -> tuple[str, QuestionRecord]:
        token = secrets.token_urlsafe(8)
        record = self._records[token] = QuestionRecord(question, chat_id, user_id)
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
    settings: Settings
    batcher: AnswerBatcher
    questions: QuestionStore
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


def _state(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.bot_data["newsqa"]


def _ids(update: Update) -> tuple[int | None, int | None]:
    user, chat = update.effective_user, update.effective_chat
    return (user.id if user else None), (chat.id if chat else None)


# -- outgoing calls: Telegram's limits, and retries on network errors ---------------------


class RetryingRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (Telegram's flood limits, RetryAfter) that also retries
    calls failing on the network for up to ``retry_seconds``.

    Delivery is at-least-once: a call whose answer was lost (a read timeout, a dropped
    connection) may have reached Telegram and is sent again, so in rare cases a
    message arrives twice; it is never silently lost while Telegram comes back within
    ``retry_seconds``. Refusals (bad request, blocked by the user, bad token) are not
    retried.
    """

    def __init__(self, *args, retry_seconds: float = SEND_RETRY_SECONDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.retry_seconds = retry_seconds

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        deadline = time.monotonic() + self.retry_seconds
        wait = 0.5
        while True:
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except NetworkError as exc:
                if isinstance(exc, BadRequest) or time.monotonic() + wait > deadline:
                    raise
                log.warning("%s failed (%s); retrying in %.1f s", endpoint, exc, wait)
                await asyncio.sleep(wait)
                wait = min(SEND_RETRY_MAX_WAIT, wait * 2)


class UpdatesRequest(HTTPXRequest):
    """The getUpdates connection: a 401 may be a passing fault on Telegram's side.

    A 401 is retried (PTB's polling loop backs off up to 30 s) until it has lasted
    ``grace`` seconds; then ``on_rejected`` is called (the bot stops and exits with an
    error, so a supervisor sees it) instead of polling silently ending while the
    process lives on.
    """

    def __init__(self, *args, grace: float, on_rejected: Callable[[], None], **kwargs):
        super().__init__(*args, **kwargs)
        self.grace = grace
        self.on_rejected = on_rejected
        self._rejected_since: float | None = None

    async def post(self, *args, **kwargs):
        try:
            result = await super().post(*args, **kwargs)
        except InvalidToken:
            now = time.monotonic()
            self._rejected_since = self._rejected_since or now
            if now - self._rejected_since >= self.grace:
                self.on_rejected()
                raise
            log.warning("Telegram answered getUpdates with 401 Unauthorized; retrying")
            raise NetworkError("401 Unauthorized (retrying)") from None
        self._rejected_since = None
        return result


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


def _rate_limiter(relax: bool, retry_seconds: float) -> AIORateLimiter:
    if relax:  # for benchmarks against the fake server
        return RetryingRateLimiter(
            overall_max_rate=100_000, group_max_rate=100_000, max_retries=3,
            retry_seconds=retry_seconds,
        )
    return RetryingRateLimiter(max_retries=3, retry_seconds=retry_seconds)


def api_urls(base_url: str) -> tuple[str, str]:
    """PTB's ``base_url`` and ``base_file_url`` for a Bot API server.

    PTB appends the token to the base URL (or fills a ``{token}`` placeholder), so
    ``http://127.0.0.1:8081/bot`` becomes ``http://127.0.0.1:8081/bot<token>/getMe``; the
    files live under ``…/file/bot<token>``.
    """
    base = (base_url or TELEGRAM_API_DEFAULT).strip()
    if "{" not in base:  # no placeholder: the URL must end in "/bot"
        base = base.rstrip("/")
        base = base if base.endswith("/bot") else base + "/bot"
    head, sep, tail = base.rpartition("/bot")
    file_url = f"{head}/file/bot{tail}" if sep else base.rstrip("/") + "/file/bot"
    return base, file_url


# -- the application --------------------------------------------------------------------------


def build_application(
    service: NewsService,
    settings: Settings,
    *,
    watch: bool = True,
    relax_limits: bool = False,
    send_retry_seconds: float | None = None,
    token_grace: float | None = None,
) -> Application:
    """The bot, ready to run: handlers, limits, commands registered at start.

    Args:
        service: an opened NewsService.
        settings: token, API URL, allow-lists, admins, rate limit.
        watch: start a SeedWatcher (re-index when the seeds change) while running.
        relax_limits: lift Telegram's flood limits (only for benchmarks on a fake server).
        send_retry_seconds: how long a send failing on the network is retried.
        token_grace: how long getUpdates may answer 401 before the bot stops
            (``BotState.fatal`` then says why).

    Raises:
        SettingsError: the token is missing or malformed.
    """
    token = settings.require_telegram_token()
    send_retry_seconds = SEND_RETRY_SECONDS if send_retry_seconds is None else send_retry_seconds
    token_grace = REJECTED_TOKEN_GRACE if token_grace is None else token_grace
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines show the token
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    base_url, base_file_url = api_urls(settings.telegram_api_base_url)
    pool = 512 if relax_limits else 64
    app = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .request(
            HTTPXRequest(
                connection_pool_size=pool,
                connect_timeout=5.0,
                read_timeout=10.0,
                write_timeout=10.0,
                pool_timeout=5.0,
            )
        )
        .get_updates_request(
            UpdatesRequest(
                connection_pool_size=2, connect_timeout=5.0, read_timeout=10.0, pool_timeout=5.0,
                grace=token_grace, on_rejected=lambda: _token_rejected(app),
            )
        )
        .rate_limiter(_rate_limiter(relax_limits, send_retry_seconds))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)
            )
        )
        .concurrent_updates(1024 if relax_limits else 256)
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .build()
    )
    limit = settings.rate_limit
    app.bot_data["newsqa"] = BotState(
        service=service,
        settings=settings,
        batcher=AnswerBatcher(service.answer_many),
        questions=QuestionStore(),
        question_limiter=SlidingWindowLimiter(limit),
        inline_limiter=SlidingWindowLimiter(limit * INLINE_RATE_FACTOR),
        order=ChatOrder(),
        watch=watch,
        stop=app.stop_running,
    )
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    app.add_handlers(
        [
            CommandHandler("start", on_help),
            CommandHandler("help", on_help),
            CommandHandler("ask", on_ask),
            CommandHandler("sources", on_sources),
            CommandHandler("stats", on_stats),
            CommandHandler("reindex", on_reindex),
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_private_text),
            MessageHandler(private & filters.CAPTION, on_private_text),
            MessageHandler(groups & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND, on_group_text),
            MessageHandler(private & filters.COMMAND, on_help),  # unknown commands
            MessageHandler(private & ~filters.StatusUpdate.ALL, on_unsupported),
            CallbackQueryHandler(on_button),
            InlineQueryHandler(on_inline_query),
        ]
    )
    app.add_error_handler(on_error)
    return app


def _token_rejected(app: Application) -> None:
    """getUpdates kept answering 401: record why and stop the bot (run_bot then exits 2)."""
    state: BotState = app.bot_data["newsqa"]
    state.fatal = (
        "Telegram keeps rejecting TELEGRAM_BOT_TOKEN (401 Unauthorized): the token was "
        "revoked or is wrong. Get the current one from @BotFather (/token), then restart"
    )
    log.error("%s", state.fatal)
    state.stop()


async def _post_init(app: Application) -> None:
    state: BotState = app.bot_data["newsqa"]
    await app.bot.set_my_commands([BotCommand(name, text) for name, text in render.COMMANDS])
    if state.watch:
        from retrieval.watch import SeedWatcher

        state.watcher = SeedWatcher(state.service)
        state.watcher.start()
    log.info("bot @%s is up", app.bot.username)


async def _post_shutdown(app: Application) -> None:
    state: BotState = app.bot_data["newsqa"]
    await state.batcher.close()
    if state.watcher is not None:
        await asyncio.to_thread(state.watcher.stop)
        state.watcher = None


# -- handlers: questions ---------------------------------------------------------------------


async def on_private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat is a question; so is a photo's or a document's caption."""
    message = update.effective_message
    await _ask(update, context, message.text or message.caption or "")


async def on_unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, a voice note, a photo without caption…: say what the bot understands."""
    state = _state(context)
    if await _admit(update, state):
        _, chat_id = _ids(update)
        async with state.order.ticket(chat_id) as ticket:
            await ticket.turn()
            await update.effective_message.reply_text(render.TEXT_ONLY, do_quote=True)


async def on_group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """In groups, only messages that mention the bot or reply to it are questions."""
    message = update.effective_message
    question = _addressed_question(message, context.bot.id, context.bot.username)
    if question is not None:
        await _ask(update, context, question)


async def on_ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _ask(update, context, " ".join(context.args or []))


def _addressed_question(message: Message, bot_id: int, username: str | None) -> str | None:
    """The question in a group message (or caption) addressed to the bot, else None."""
    text = message.text or message.caption or ""
    parse = message.parse_entities if message.text else message.parse_caption_entities
    handle = f"@{username}".lower() if username else None
    mentioned = False
    for entity, value in parse([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if (entity.type == MessageEntity.MENTION and value.lower() == handle) or (
            entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id
        ):
            mentioned = True
            text = text.replace(value, " ")
    replied = message.reply_to_message
    if mentioned or (replied and replied.from_user and replied.from_user.id == bot_id):
        return text
    return None


def _cut_question(text: str) -> tuple[str, bool]:
    """The question without invisible characters, cut to MAX_QUESTION_CHARS; and whether it was cut."""
    text = " ".join(strip_invisible(text).split())
    if len(text) > MAX_QUESTION_CHARS:
        return text[:MAX_QUESTION_CHARS].rstrip(), True
    return text, False


async def _admit(update: Update, state: BotState) -> bool:
    """Refuse strangers politely (telling nothing about the index); False if refused."""
    if state.allowed(*_ids(update)):
        return True
    user_id, chat_id = _ids(update)
    log.info("refused user %s in chat %s", user_id, chat_id)
    if update.callback_query:
        await update.callback_query.answer(render.REFUSED, show_alert=True)
    elif update.effective_message:
        await update.effective_message.reply_text(render.REFUSED)
    return False


async def _within_rate(update: Update, state: BotState) -> bool:
    """Count a question against the user's per-minute limit; False (told once) if over."""
    user_id, _ = _ids(update)
    wait = state.question_limiter.hit(user_id)
    if not wait:
        return True
    if state.question_limiter.first_refusal(user_id):
        text = render.rate_limited(state.settings.rate_limit, wait)
        if update.callback_query:
            await update.callback_query.answer(text, show_alert=True)
        else:
            await update.effective_message.reply_text(text)
    elif update.callback_query:
        await update.callback_query.answer()
    return False


async def _ask(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    state = _state(context)
    message = update.effective_message
    if not await _admit(update, state):
        return
    user_id, chat_id = _ids(update)
    async with state.order.ticket(chat_id) as ticket:
        question, was_cut = _cut_question(text)
        if not question or not has_words(question):
            await ticket.turn()
            await message.reply_text(
                render.ASK_HOW if not question else render.TEXT_ONLY, do_quote=True
            )
            return
        if not await _within_rate(update, state):
            return
        token, record = state.questions.add(question, chat_id, user_id)
        answer = await state.batcher.answer(Query(question, render.PAGE_SIZE + 1, 0))
        await ticket.turn()
        await _send_answer(
            message, answer, token, record, 0, render.QUESTION_CUT if was_cut else None
        )


async def _send_answer(
    reply_to: Message,
    answer: Answer,
    token: str,
    record: QuestionRecord,
    offset: int,
    note: str | None = None,
) -> None:
    """Send one page of results replying to ``reply_to``; buttons on the last message."""
    shown = answer.hits[: render.PAGE_SIZE]
    record.remember(shown)
    more = offset + render.PAGE_SIZE if len(answer.hits) > render.PAGE_SIZE else None
    keyboard = render.answer_keyboard(token, [h.rank for h in shown], more) if shown else None
    texts = render.render_answer(Answer(answer.question, shown), note=note)
    for i, text in enumerate(texts):
        last = i == len(texts) - 1
        await reply_to.reply_text(text, reply_markup=keyboard if last else None, do_quote=i == 0)


# -- handlers: buttons -----------------------------------------------------------------------


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """«المزيد», context and /sources paging; anything stale or forged gets a polite answer."""
    state = _state(context)
    query = update.callback_query
    if not await _admit(update, state):
        return
    data = render.parse_callback(query.data)
    message = query.message if isinstance(query.message, Message) else None
    if data is None or message is None:
        await query.answer(render.STALE)
        return
    if data.kind == render.SOURCES:
        await _show_sources(state, data.number, edit=query)
        return
    record = state.questions.get(data.token)
    user_id, _ = _ids(update)
    if record is None:
        await query.answer(render.STALE)
    elif not record.belongs_to(message.chat.id, user_id):
        await query.answer(render.NOT_YOURS, show_alert=True)
    elif data.kind == render.MORE:
        await _more(update, state, data, record, message)
    else:
        await _context(state, query, data.number, record, message)


async def _more(
    update: Update, state: BotState, data: render.Callback, record: QuestionRecord, message: Message
) -> None:
    query = update.callback_query
    if data.number in record.served:
        await query.answer(render.ALREADY_SHOWN)
        return
    if not await _within_rate(update, state):
        return
    record.served.add(data.number)
    async with state.order.ticket(message.chat.id) as ticket:
        try:
            query_more = Query(record.question, render.PAGE_SIZE + 1, data.number)
            answer = await state.batcher.answer(query_more)
        except Exception:
            record.served.discard(data.number)  # so that the button can be pressed again
            raise
        await query.answer(None if answer.found else render.NO_MORE)
        await _edit_quietly(
            query.edit_message_reply_markup(render.without_more(message.reply_markup))
        )
        if answer.found:
            await ticket.turn()
            await _send_answer(message, answer, data.token, record, data.number)


async def _context(
    state: BotState, query, rank: int, record: QuestionRecord, message: Message
) -> None:
    article_id, index, text_hash = record.refs.get(rank, ("", -1, 0))
    found = await asyncio.to_thread(
        state.service.passage_in_context, article_id, index, CONTEXT_WINDOW
    )
    if found is None or hash(found.passage.text) != text_hash:  # gone, or changed by a re-index
        await query.answer(render.STALE)
        return
    await query.answer()
    await message.reply_text(
        render.render_context(found.passage, found.source, found.before, found.after), do_quote=True
    )


async def _edit_quietly(call) -> None:
    """An edit that may fail harmlessly ("message is not modified", too old to edit)."""
    try:
        await call
    except BadRequest as exc:
        log.debug("edit refused: %s", exc)


# -- handlers: commands ----------------------------------------------------------------------


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if await _admit(update, _state(context)):
        await update.effective_message.reply_text(render.HELP)


async def on_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = _state(context)
    if await _admit(update, state):
        await _show_sources(state, 0, reply_to=update.effective_message)


async def _show_sources(
    state: BotState, offset: int, *, reply_to: Message | None = None, edit=None
) -> None:
    """A /sources page: a new message (``reply_to``) or the same message edited (``edit``)."""
    page, total = await asyncio.to_thread(state.service.sources, offset, render.SOURCES_PAGE)
    if offset and offset >= total:
        await edit.answer(render.STALE)
        return
    text = render.render_sources(page, offset, total)
    keyboard = render.sources_keyboard(offset, total)
    if edit is None:
        await reply_to.reply_text(text, reply_markup=keyboard)
    else:
        await edit.answer()
        await _edit_quietly(edit.edit_message_text(text, reply_markup=keyboard))


async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = _state(context)
    if await _admit(update, state):
        s = await asyncio.to_thread(state.service.stats)
        await update.effective_message.reply_text(
            render.render_stats(s.articles, s.passages, s.model, s.built_at)
        )


async def on_reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins only: bring the index up to date with the seeds and report what changed."""
    state = _state(context)
    message = update.effective_message
    user_id, _ = _ids(update)
    if not state.is_admin(user_id):
        if await _admit(update, state):
            await message.reply_text(render.ADMINS_ONLY)
        return
    await message.reply_text(render.REINDEX_STARTED)
    try:
        report = await asyncio.to_thread(state.service.reindex)
    except NewsqaError as exc:
        await message.reply_text(render.reindex_failed(str(exc)))
        return
    log.info("re-indexed at the request of %s: %s", user_id, report.summary())
    await message.reply_text(render.reindex_done(report.summary()))


# -- handlers: inline mode ---------------------------------------------------------------------


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """«@bot question» in any chat: the top passages as results to post."""
    state = _state(context)
    query = update.inline_query
    user_id, _ = _ids(update)
    private = bool(state.settings.allowed_users or state.settings.allowed_chats)

    async def nothing(text: str, parameter: str) -> None:
        button = InlineQueryResultsButton(text=text, start_parameter=parameter)
        await query.answer([], cache_time=0, is_personal=True, button=button)

    if not state.allowed(user_id, None):
        await nothing(render.INLINE_REFUSED, "private")
        return
    question, _ = _cut_question(query.query)
    if not question:
        await nothing(render.INLINE_EMPTY, "help")
        return
    if state.inline_limiter.hit(user_id):
        await nothing(render.INLINE_SLOW, "help")
        return
    answer = await state.batcher.answer(Query(question, INLINE_RESULTS, 0))
    if not answer.found:
        await nothing(render.INLINE_NOTHING, "help")
        return
    results = [
        InlineQueryResultArticle(
            id=str(hit.rank),
            title=render.inline_title(hit),
            description=render.source_text(hit.source),
            input_message_content=InputTextMessageContent(
                render.inline_message(question, hit),
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            ),
        )
        for hit in answer.hits
    ]
    await query.answer(results, cache_time=0 if private else 60, is_personal=private)


# -- errors ---------------------------------------------------------------------------------------


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (never the token) and tell the user briefly."""
    error = context.error
    text = "".join(traceback.format_exception(error)) if error else "unknown error"
    log.error("error while handling an update: %s", _redact(text, context.bot.token))
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query:
            try:
                await update.callback_query.answer(render.ERROR, show_alert=True)
                return
            except BadRequest:  # already answered: say it in the chat instead
                pass
        if update.effective_message:
            await update.effective_message.reply_text(render.ERROR)
    except Exception as exc:  # the user cannot be told; the log already says why
        log.warning(
            "could not tell the user about the error: %s", _redact(repr(exc), context.bot.token)
        )


def _redact(text: str, token: str) -> str:
    if not token:
        return text
    return text.replace(token, "<token>").replace(token.split(":")[-1], "<token>")


class RedactToken(logging.Filter):
    """A handler filter that hides the bot token in every log line."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redact(record.getMessage(), self.token)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _redact(
                logging.Formatter().formatException(record.exc_info), self.token
            )
        return True


# -- running ------------------------------------------------------------------------------------


def webhook_options(settings: Settings, token: str) -> dict:
    """Arguments for ``run_webhook``/``start_webhook``: listen, port, path, URL, secret.

    The local path is the path of ``webhook_url`` (a reverse proxy forwards it to
    ``listen:port``); Telegram proves itself with a secret token made from the bot token.
    """
    url = settings.webhook_url or ""
    path = urlsplit(url).path.strip("/") or "telegram"
    secret = hashlib.sha256(f"newsqa-webhook:{token}".encode()).hexdigest()[:48]
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": path,
        "webhook_url": url,
        "secret_token": secret,
    }


@asynccontextmanager
async def polling(app: Application, *, timeout: float = 10):
    """Run ``app`` with long polling inside the current event loop (no signal handlers).

    What ``run_polling`` does, for programs and tests that own their event loop.
    """
    state: BotState = app.bot_data["newsqa"]
    state.stopped = asyncio.Event()
    state.stop = state.stopped.set
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    await app.updater.start_polling(poll_interval=0, timeout=timeout, allowed_updates=ALLOWED_UPDATES)
    await app.start()
    try:
        yield app
    finally:
        try:
            await app.updater.stop()
        except InvalidToken:  # polling ended on a rejected token: state.fatal says so
            if not state.fatal:
                raise
        await app.stop()
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)


async def check_token(settings: Settings, *, wait: float = STARTUP_WAIT) -> str:
    """Ask Telegram who the bot is (getMe) before anything heavy is loaded.

    Network faults are retried for up to ``wait`` seconds.

    Returns:
        The bot's username.

    Raises:
        SettingsError: Telegram rejects the token, or cannot be reached in time. The
            message never contains the token.
    """
    token = settings.require_telegram_token()
    base_url, base_file_url = api_urls(settings.telegram_api_base_url)
    request = HTTPXRequest(connect_timeout=5.0, read_timeout=10.0)
    bot = Bot(token, base_url=base_url, base_file_url=base_file_url, request=request)
    host = urlsplit(base_url).netloc
    deadline = time.monotonic() + wait
    delay = 0.5
    try:
        while True:
            try:
                me = await bot.get_me()
                return me.username
            except InvalidToken:
                raise SettingsError(
                    f"Telegram ({host}) rejected TELEGRAM_BOT_TOKEN (401 Unauthorized): the "
                    "token is wrong or was revoked. Get the current one from @BotFather "
                    "(/token) and set TELEGRAM_BOT_TOKEN again"
                ) from None
            except NetworkError as exc:
                if time.monotonic() + delay > deadline:
                    raise SettingsError(
                        f"cannot reach the Telegram Bot API at {host} "
                        f"({_redact(str(exc), token)}); check the network or TELEGRAM_API_BASE_URL"
                    ) from None
                log.warning("Telegram is not reachable yet (%s); retrying", _redact(str(exc), token))
                await asyncio.sleep(delay)
                delay = min(5.0, delay * 2)
    finally:
        await request.shutdown()


def run_bot(settings: Settings, *, watch: bool = True) -> None:
    """Run the bot until interrupted: check the token, load the model and index, serve.

    Long polling by default; a webhook server when ``settings.webhook_url`` is set.

    Raises:
        SettingsError: the token is missing, malformed or rejected by Telegram (raised
            before the model loads), or Telegram kept rejecting it while running.
    """
    token = settings.require_telegram_token()
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    for handler in root.handlers:
        handler.addFilter(RedactToken(token))
    username = asyncio.run(check_token(settings))
    log.info("token accepted: bot @%s; loading the model and the index", username)

    from bot.progress import progress_bar
    from retrieval.embedding import embedder_from_settings

    embedder = embedder_from_settings(settings)
    service = NewsService.from_settings(settings, embedder)
    with progress_bar() as on_progress:
        report = service.open(build=True, on_progress=on_progress)
    if report is not None:
        log.info("index built: %s", report.summary())
    app = build_application(service, settings, watch=watch)
    state: BotState = app.bot_data["newsqa"]
    try:
        if settings.webhook_url:
            options = webhook_options(settings, token)
            log.info("webhook on %s:%s/%s", options["listen"], options["port"], options["url_path"])
            app.run_webhook(**options, allowed_updates=ALLOWED_UPDATES)
        else:
            log.info("long polling %s", urlsplit(settings.telegram_api_base_url).netloc)
            app.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        if not state.fatal:
            raise
    if state.fatal:
        raise SettingsError(state.fatal)
