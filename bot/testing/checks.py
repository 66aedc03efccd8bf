"""What the real Bot API refuses, and how it decodes requests: the fake server's checks (pure)."""

from __future__ import annotations

import email.parser
import email.policy
import html
import json
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

_TEXT_PARAMS = frozenset(
    (
        "text caption query parse_mode url secret_token callback_query_id inline_query_id "
        "next_offset inline_message_id language_code action description short_description "
        "switch_pm_text switch_pm_parameter"
    ).split()
)
_ALLOWED_TAGS = frozenset(
    "b strong i em u ins s strike del a code pre tg-spoiler span blockquote tg-emoji".split()
)
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)((?:\s[^<>]*)?)>")
_BAD_AMP = re.compile(r"&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)")


def html_problem(text: str) -> str | None:
    """Why Telegram would refuse ``text`` in HTML parse mode, or None if it parses."""
    stack: list[str] = []
    for match in _TAG.finditer(text):
        closing, name = match.group(1), match.group(2).lower()
        if name not in _ALLOWED_TAGS:
            return f"unsupported start tag {name!r}"
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            return f"unmatched end tag {name!r}"
    if stack:
        return f"unclosed tag {stack[-1]!r}"
    rest = _TAG.sub("", text)
    if "<" in rest or ">" in rest:
        return "unescaped < or >"
    if _BAD_AMP.search(rest):
        return "unescaped &"
    return None


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True)
class Call:
    """One request the bot made.

    Attributes:
        method: the Bot API method.
        params: its decoded parameters.
        at: when it arrived (time.monotonic()).
        result: what the server answered (a sent Message's dict, True…), None on error.
        error: the HTTP error code it was answered with, if any.
    """

    method: str
    params: dict[str, Any]
    at: float = field(compare=False)
    result: Any = field(default=None, compare=False)
    error: int | None = None


class ApiError(Exception):
    """Answer the request with an error, the way the Bot API does."""

    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code = code
        self.description = description


def check_text(params: dict, key: str) -> None:
    text = params.get(key)
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if utf16_length(text) > 4096:
        raise ApiError(400, "Bad Request: message is too long")
    if params.get("parse_mode") == "HTML":
        problem = html_problem(text)
        if problem:
            raise ApiError(400, f"Bad Request: can't parse entities: {problem}")


def check_markup(markup: Any) -> None:
    if not isinstance(markup, dict):
        return
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def strip_tags(text: str) -> str:
    return html.unescape(_TAG.sub("", text))


def _value(key: str, raw: str) -> Any:
    if key in _TEXT_PARAMS:
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def decode_params(content_type: str, body: bytes) -> dict[str, Any]:
    """The parameters of a request sent as JSON, a form, or multipart form data."""
    if not body:
        return {}
    if "application/json" in content_type:
        return json.loads(body)
    if "multipart/form-data" in content_type:
        head = f"Content-Type: {content_type}\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        params = {}
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name:
                params[name] = _value(
                    name, part.get_content() if part.get_content_type().startswith("text") else ""
                )
        return params
    return {k: _value(k, v) for k, v in parse_qsl(body.decode("utf-8"), keep_blank_values=True)}
