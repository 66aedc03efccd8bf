"""One typed settings object, read from the environment and an optional TOML file."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Mapping

from retrieval.errors import SettingsError

#: The model used when NEWSQA_MODEL is not set: built once from the offline bundle.
BUNDLED_MODEL = "multilingual-e5-small"

#: A passage is an answer only when it beats the question's best score against
#: unrelated background sentences by this much (see retrieval/background.py).
DEFAULT_MARGIN = 0.0
#: And it must score at least this (cosine); the margin does most of the work.
DEFAULT_MIN_SCORE = 0.0

TELEGRAM_API_DEFAULT = "https://api.telegram.org/bot"
_TOKEN_RE = re.compile(r"^\d{5,}:[A-Za-z0-9_-]{30,}$")


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsqa"


@dataclass(frozen=True)
class Settings:
    """Everything newsqa can be told. Environment variables win over the file.

    Environment variable / TOML key for each field:
        seeds            NEWSQA_SEEDS / seeds                 (default ./seeds)
        index            NEWSQA_INDEX / index                 (default ./index)
        model            NEWSQA_MODEL / model                 (default the bundled e5-small)
        cache_dir        NEWSQA_CACHE / cache_dir             (default ~/.cache/newsqa)
        min_score        NEWSQA_MIN_SCORE / min_score   (cosine floor for an answer)
        margin           NEWSQA_MARGIN / margin         (over the background sentences)
        threads          NEWSQA_THREADS / threads       (model threads; 0: PyTorch's default)
        follow_links     NEWSQA_FOLLOW_LINKS / follow_links (read links that leave the seeds folder)
        telegram_token   TELEGRAM_BOT_TOKEN / telegram.token
        telegram_api_base_url TELEGRAM_API_BASE_URL / telegram.api_base_url
        allowed_users    NEWSQA_ALLOWED_USERS / telegram.allowed_users (comma-separated ids)
        allowed_chats    NEWSQA_ALLOWED_CHATS / telegram.allowed_chats
        admins           NEWSQA_ADMINS / telegram.admins
        rate_limit       NEWSQA_RATE_LIMIT / telegram.rate_limit (questions per minute per user)
        webhook_url      NEWSQA_WEBHOOK_URL / telegram.webhook_url (empty: long polling)
        webhook_listen   NEWSQA_WEBHOOK_LISTEN / telegram.webhook_listen
        webhook_port     NEWSQA_WEBHOOK_PORT / telegram.webhook_port
    """

    seeds: Path = Path("seeds")
    index: Path = Path("index")
    model: str = BUNDLED_MODEL
    cache_dir: Path = field(default_factory=_default_cache_dir)
    min_score: float = DEFAULT_MIN_SCORE
    margin: float = DEFAULT_MARGIN
    threads: int = 0
    follow_links: bool = False
    telegram_token: str | None = None
    telegram_api_base_url: str = TELEGRAM_API_DEFAULT
    allowed_users: frozenset[int] = frozenset()
    allowed_chats: frozenset[int] = frozenset()
    admins: frozenset[int] = frozenset()
    rate_limit: int = 12
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443

    def with_overrides(self, **changes) -> Settings:
        """A copy with the given fields changed (None values are ignored)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def require_telegram_token(self) -> str:
        """The bot token, or a clear error when it is missing or malformed."""
        token = (self.telegram_token or "").strip()
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


_ENV = {
    "seeds": "NEWSQA_SEEDS",
    "index": "NEWSQA_INDEX",
    "model": "NEWSQA_MODEL",
    "cache_dir": "NEWSQA_CACHE",
    "min_score": "NEWSQA_MIN_SCORE",
    "margin": "NEWSQA_MARGIN",
    "threads": "NEWSQA_THREADS",
    "follow_links": "NEWSQA_FOLLOW_LINKS",
    "telegram_token": "TELEGRAM_BOT_TOKEN",
    "telegram_api_base_url": "TELEGRAM_API_BASE_URL",
    "allowed_users": "NEWSQA_ALLOWED_USERS",
    "allowed_chats": "NEWSQA_ALLOWED_CHATS",
    "admins": "NEWSQA_ADMINS",
    "rate_limit": "NEWSQA_RATE_LIMIT",
    "webhook_url": "NEWSQA_WEBHOOK_URL",
    "webhook_listen": "NEWSQA_WEBHOOK_LISTEN",
    "webhook_port": "NEWSQA_WEBHOOK_PORT",
}
_TELEGRAM_KEYS = {
    "token": "telegram_token",
    "api_base_url": "telegram_api_base_url",
    "allowed_users": "allowed_users",
    "allowed_chats": "allowed_chats",
    "admins": "admins",
    "rate_limit": "rate_limit",
    "webhook_url": "webhook_url",
    "webhook_listen": "webhook_listen",
    "webhook_port": "webhook_port",
}


def _id_set(name: str, value) -> frozenset[int]:
    if isinstance(value, (list, tuple, set, frozenset)):
        items = list(value)
    else:
        items = [p for p in re.split(r"[,\s]+", str(value)) if p]
    try:
        return frozenset(int(i) for i in items)
    except ValueError:
        raise SettingsError(f"{name} must be a list of numeric Telegram ids, got {value!r}") from None


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE | _FALSE:
        return text in _TRUE
    raise ValueError(value)


def _convert(name: str, value) -> object:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind == "Path":
            return Path(str(value)).expanduser()
        if kind == "float":
            return float(value)
        if kind == "int":
            return int(value)
        if kind == "bool":
            return _boolean(value)
        if kind == "frozenset[int]":
            return _id_set(name, value)
        text = str(value).strip()
        return text or None if kind == "str | None" else text
    except (TypeError, ValueError):
        raise SettingsError(f"setting {name} has an invalid value: {value!r}") from None


def load_settings(
    env: Mapping[str, str] | None = None, config_file: Path | None = None
) -> Settings:
    """Read settings from a TOML file (if any) and the environment.

    The file is ``NEWSQA_CONFIG`` if set, else ``./newsqa.toml`` if it exists.

    Raises:
        SettingsError: a value is invalid or the named file cannot be read.
    """
    env = os.environ if env is None else env
    values: dict[str, object] = {}
    path = config_file or (Path(env["NEWSQA_CONFIG"]) if env.get("NEWSQA_CONFIG") else None)
    if path is None and Path("newsqa.toml").is_file():
        path = Path("newsqa.toml")
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"cannot read config file {path}: {exc}") from None
        for key, value in data.items():
            if key == "telegram" and isinstance(value, dict):
                for tkey, tvalue in value.items():
                    if tkey not in _TELEGRAM_KEYS:
                        raise SettingsError(f"{path}: unknown key telegram.{tkey}")
                    values[_TELEGRAM_KEYS[tkey]] = tvalue
            elif key in _ENV:
                values[key] = value
            else:
                raise SettingsError(f"{path}: unknown key {key!r}")
    for name, var in _ENV.items():
        if env.get(var, "").strip():
            values[name] = env[var]
    settings = Settings(**{k: _convert(k, v) for k, v in values.items()})
    if not -1.0 <= settings.min_score <= 1.0:
        raise SettingsError("NEWSQA_MIN_SCORE must be between -1 and 1")
    if not -1.0 <= settings.margin <= 1.0:
        raise SettingsError("NEWSQA_MARGIN must be between -1 and 1")
    if settings.threads < 0:
        raise SettingsError("NEWSQA_THREADS must be 0 (PyTorch's default) or more")
    if settings.rate_limit < 0:
        raise SettingsError("NEWSQA_RATE_LIMIT must be 0 (no limit) or more")
    return settings
