"""The Telegram bot's settings: the token, the Bot API server, who may use it, webhook mode."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from retrieval.errors import SettingsError
from retrieval.settings import build_settings, read_config

TELEGRAM_API_DEFAULT = "https://api.telegram.org/bot"
_TOKEN_RE = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")


@dataclass(frozen=True)
class TelegramSettings:
    """What the bot can be told. Environment variables win over the file's ``[telegram]`` table.

    Environment variable / ``[telegram]`` key for each field:
        token            TELEGRAM_BOT_TOKEN / token
        api_base_url     TELEGRAM_API_BASE_URL / api_base_url (a local Bot API server)
        allowed_users    NEWSQA_ALLOWED_USERS / allowed_users (comma-separated ids)
        allowed_chats    NEWSQA_ALLOWED_CHATS / allowed_chats
        admins           NEWSQA_ADMINS / admins
        rate_limit       NEWSQA_RATE_LIMIT / rate_limit (questions per minute per user)
        webhook_url      NEWSQA_WEBHOOK_URL / webhook_url (empty: long polling)
        webhook_listen   NEWSQA_WEBHOOK_LISTEN / webhook_listen
        webhook_port     NEWSQA_WEBHOOK_PORT / webhook_port
        chats_file       NEWSQA_CHATS_FILE / chats_file (each chat's conversation; default
                         index/chats.sqlite; "memory": not kept across restarts)
    """

    token: str | None = None
    api_base_url: str = TELEGRAM_API_DEFAULT
    allowed_users: frozenset[int] = frozenset()
    allowed_chats: frozenset[int] = frozenset()
    admins: frozenset[int] = frozenset()
    rate_limit: int = 12
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    chats_file: str | None = None

    def require_token(self) -> str:
        """The bot token, or a clear error when it is missing or malformed."""
        token = (self.token or "").strip()
        if not token:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is not set. Create a bot with @BotFather in Telegram, "
                "then run: TELEGRAM_BOT_TOKEN='123456:ABC...' newsqa bot"
            )
        if not _TOKEN_RE.match(token):
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN does not look like a bot token (expected '<digits>:<35 "
                "letters>', as @BotFather gives it). Check for quotes or spaces."
            )
        return token

    @property
    def private(self) -> bool:
        """Whether an allow-list restricts who may use the bot."""
        return bool(self.allowed_users or self.allowed_chats)


_ENV = {
    "token": "TELEGRAM_BOT_TOKEN",
    "api_base_url": "TELEGRAM_API_BASE_URL",
    "allowed_users": "NEWSQA_ALLOWED_USERS",
    "allowed_chats": "NEWSQA_ALLOWED_CHATS",
    "admins": "NEWSQA_ADMINS",
    "rate_limit": "NEWSQA_RATE_LIMIT",
    "webhook_url": "NEWSQA_WEBHOOK_URL",
    "webhook_listen": "NEWSQA_WEBHOOK_LISTEN",
    "webhook_port": "NEWSQA_WEBHOOK_PORT",
    "chats_file": "NEWSQA_CHATS_FILE",
}


def load_telegram_settings(
    env: Mapping[str, str] | None = None, config_file: Path | None = None
) -> TelegramSettings:
    """Read the bot's settings from the ``[telegram]`` table of the settings file and the environment.

    Raises:
        SettingsError: a value is invalid or the file cannot be read.
    """
    env = os.environ if env is None else env
    data, path = read_config(env, config_file)
    table = data.get("telegram", {})
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: telegram must be a table ([telegram])")
    settings = build_settings(TelegramSettings, table, _ENV, env, f"{path} [telegram]")
    if settings.rate_limit < 0:
        raise SettingsError("NEWSQA_RATE_LIMIT must be 0 (no limit) or more")
    return settings
