"""Building and running the bot: the PTB Application, long polling or a webhook."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import InvalidToken
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import HTTPXRequest

import bot.telegram.handlers as h
import bot.telegram.render as render
from bot.batcher import AnswerBatcher
from bot.chat_store import open_chats
from bot.dialogue import Conversations
from bot.telegram.settings import TelegramSettings
from bot.telegram.state import BotState, ChatOrder, QuestionStore, SlidingWindowLimiter
from bot.telegram.transport import (
    REJECTED_TOKEN_GRACE,
    SEND_RETRY_SECONDS,
    RedactToken,
    UpdatesRequest,
    api_urls,
    check_token,
    rate_limiter,
)
from retrieval.errors import SettingsError
from retrieval.service import NewsService, open_service
from retrieval.settings import Settings

log = logging.getLogger(__name__)

#: The updates the bot asks Telegram for.
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
#: The file, in the index folder, that keeps each chat's conversation across restarts.
CHATS_FILE = "chats.sqlite"
#: Inline queries arrive while people type: they get this many times the question limit.
INLINE_RATE_FACTOR = 5


def build_application(
    service: NewsService,
    settings: TelegramSettings,
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
    token = settings.require_token()
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its INFO lines show the token
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    app = _application(
        token,
        settings.api_base_url,
        relax_limits=relax_limits,
        send_retry_seconds=SEND_RETRY_SECONDS if send_retry_seconds is None else send_retry_seconds,
        token_grace=REJECTED_TOKEN_GRACE if token_grace is None else token_grace,
    )
    limit = settings.rate_limit
    app.bot_data["newsqa"] = BotState(
        service=service,
        settings=settings,
        batcher=AnswerBatcher(service.answer_many),
        questions=QuestionStore(),
        conversations=Conversations(open_chats(chats_file(settings, service))),
        question_limiter=SlidingWindowLimiter(limit),
        inline_limiter=SlidingWindowLimiter(limit * INLINE_RATE_FACTOR),
        order=ChatOrder(),
        watch=watch,
        stop=app.stop_running,
    )
    app.add_handlers(_handlers())
    app.add_error_handler(h.on_error)
    return app


def chats_file(settings: TelegramSettings, service: NewsService) -> Path | None:
    """Where chats' conversations are kept: ``chats_file`` (NEWSQA_CHATS_FILE), by default
    ``chats.sqlite`` in the index folder; "memory" keeps them in memory only (lost on restart)."""
    if settings.chats_file == "memory":
        return None
    return Path(settings.chats_file).expanduser() if settings.chats_file else service.folder / CHATS_FILE


def _application(
    token: str, api_base_url: str, *, relax_limits: bool, send_retry_seconds: float, token_grace: float
) -> Application:
    """PTB's Application with newsqa's connections, limits and defaults (no handlers yet)."""
    base_url, base_file_url = api_urls(api_base_url)
    app = None

    def rejected() -> None:
        _token_rejected(app)

    app = (
        Application.builder()
        .token(token)
        .base_url(base_url)
        .base_file_url(base_file_url)
        .request(
            HTTPXRequest(
                connection_pool_size=512 if relax_limits else 64,
                connect_timeout=5.0,
                read_timeout=10.0,
                write_timeout=10.0,
                pool_timeout=5.0,
            )
        )
        .get_updates_request(
            UpdatesRequest(
                connection_pool_size=2, connect_timeout=5.0, read_timeout=10.0, pool_timeout=5.0,
                grace=token_grace, on_rejected=rejected,
            )
        )
        .rate_limiter(rate_limiter(relax_limits, send_retry_seconds))
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
    return app


def _handlers() -> list:
    private, groups = filters.ChatType.PRIVATE, filters.ChatType.GROUPS
    return [
        CommandHandler("start", h.on_help),
        CommandHandler("help", h.on_help),
        CommandHandler("ask", h.on_ask),
        CommandHandler("sources", h.on_sources),
        CommandHandler("stats", h.on_stats),
        CommandHandler("speakers", h.on_speakers),
        CommandHandler("reindex", h.on_reindex),
        CommandHandler("reset", h.on_reset),
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, h.on_private_text),
        MessageHandler(private & filters.CAPTION, h.on_private_text),
        MessageHandler(groups & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND, h.on_group_text),
        MessageHandler(private & filters.COMMAND, h.on_help),  # unknown commands
        MessageHandler(private & ~filters.StatusUpdate.ALL, h.on_unsupported),
        CallbackQueryHandler(h.on_button),
        InlineQueryHandler(h.on_inline_query),
    ]


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
    await app.bot.set_my_commands([BotCommand(name, about) for name, about in render.commands("ar")])
    await app.bot.set_my_commands(
        [BotCommand(name, about) for name, about in render.commands("en")], language_code="en"
    )
    if state.watch:
        from retrieval.watch import SeedWatcher

        state.watcher = SeedWatcher(state.service)
        state.watcher.start()
    log.info("bot @%s is up", app.bot.username)


async def _post_shutdown(app: Application) -> None:
    state: BotState = app.bot_data["newsqa"]
    await state.batcher.close()
    await asyncio.to_thread(state.conversations.close)
    if state.watcher is not None:
        await asyncio.to_thread(state.watcher.stop)
        state.watcher = None


def webhook_options(settings: TelegramSettings, token: str) -> dict:
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


def run_bot(settings: Settings, telegram: TelegramSettings, *, watch: bool = True) -> None:
    """Run the bot until interrupted: check the token, load the model and index, serve.

    Long polling by default; a webhook server when ``telegram.webhook_url`` is set.

    Raises:
        SettingsError: the token is missing, malformed or rejected by Telegram (raised
            before the model loads), or Telegram kept rejecting it while running.
    """
    token = telegram.require_token()
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    for handler in root.handlers:
        handler.addFilter(RedactToken(token))
    username = asyncio.run(check_token(telegram))
    log.info("token accepted: bot @%s; loading the model and the index", username)

    from bot.progress import progress_bar

    with progress_bar() as on_progress:
        service = open_service(settings, on_progress=on_progress)
    if service.build_report is not None:
        log.info("index built: %s", service.build_report.summary())
    service.warm_up()
    app = build_application(service, telegram, watch=watch)
    state: BotState = app.bot_data["newsqa"]
    try:
        if telegram.webhook_url:
            options = webhook_options(telegram, token)
            log.info("webhook on %s:%s/%s", options["listen"], options["port"], options["url_path"])
            app.run_webhook(**options, allowed_updates=ALLOWED_UPDATES)
        else:
            log.info("long polling %s", urlsplit(telegram.api_base_url).netloc)
            app.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        if not state.fatal:
            raise
    if state.fatal:
        raise SettingsError(state.fatal)
