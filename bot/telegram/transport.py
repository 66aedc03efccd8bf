"""Talking to the Bot API: flood limits and retries, getUpdates' 401s, URLs, the token check, redaction."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Callable
from urllib.parse import urlsplit

from telegram import Bot
from telegram.error import BadRequest, InvalidToken, NetworkError
from telegram.ext import AIORateLimiter
from telegram.request import HTTPXRequest

from bot.telegram.settings import TELEGRAM_API_DEFAULT, TelegramSettings
from retrieval.errors import SettingsError

log = logging.getLogger(__name__)

#: How long an outgoing call that fails on the network (timeouts, 5xx) is retried.
SEND_RETRY_SECONDS = 60.0
#: Waits between those attempts: 0.5 s, doubling, at most this.
SEND_RETRY_MAX_WAIT = 8.0
#: How long getUpdates may keep answering 401 before the bot gives up and exits.
REJECTED_TOKEN_GRACE = 60.0
#: How long the start-up check waits for Telegram to be reachable.
STARTUP_WAIT = 30.0


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


def rate_limiter(relax: bool, retry_seconds: float) -> AIORateLimiter:
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


def redact(text: str, token: str) -> str:
    if not token:
        return text
    return text.replace(token, "<token>").replace(token.split(":")[-1], "<token>")


class RedactToken(logging.Filter):
    """A handler filter that hides the bot token in every log line."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage(), self.token)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact(
                logging.Formatter().formatException(record.exc_info), self.token
            )
        return True


async def check_token(settings: TelegramSettings, *, wait: float = STARTUP_WAIT) -> str:
    """Ask Telegram who the bot is (getMe) before anything heavy is loaded.

    Network faults are retried for up to ``wait`` seconds.

    Returns:
        The bot's username.

    Raises:
        SettingsError: Telegram rejects the token, or cannot be reached in time. The
            message never contains the token.
    """
    token = settings.require_token()
    base_url, base_file_url = api_urls(settings.api_base_url)
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
                        f"({redact(str(exc), token)}); check the network or TELEGRAM_API_BASE_URL"
                    ) from None
                log.warning("Telegram is not reachable yet (%s); retrying", redact(str(exc), token))
                await asyncio.sleep(delay)
                delay = min(5.0, delay * 2)
    finally:
        await request.shutdown()
