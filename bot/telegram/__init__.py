"""The Telegram front end: a python-telegram-bot Application over NewsService.

Modules: ``app`` (building and running), ``handlers``, ``state`` (limits, remembered
questions, reply order), ``transport`` (retries, tokens, URLs), ``render`` (HTML and
keyboards), ``settings``.
"""

from bot.telegram.app import (
    ALLOWED_UPDATES,
    build_application,
    polling,
    run_bot,
    webhook_options,
)
from bot.telegram.settings import (
    TELEGRAM_API_DEFAULT,
    TelegramSettings,
    load_telegram_settings,
)
from bot.telegram.state import BotState, ChatOrder, QuestionStore, SlidingWindowLimiter
from bot.telegram.transport import RedactToken, api_urls, check_token

__all__ = [
    "ALLOWED_UPDATES",
    "TELEGRAM_API_DEFAULT",
    "BotState",
    "ChatOrder",
    "QuestionStore",
    "RedactToken",
    "SlidingWindowLimiter",
    "TelegramSettings",
    "api_urls",
    "build_application",
    "check_token",
    "load_telegram_settings",
    "polling",
    "run_bot",
    "webhook_options",
]
