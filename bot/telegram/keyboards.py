"""Telegram buttons (pure): what a button asks for, encoded in its callback data, and the
keyboards under answers and /sources pages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import text
from bot.telegram.render import SOURCES_PAGE

#: Telegram's limit for a button's callback data, in bytes.
CALLBACK_LIMIT = 64
CALLBACK_VERSION = "1"
MORE, CONTEXT, SOURCES = "m", "c", "s"
_CALLBACK = re.compile(r"([mcs])1\|([A-Za-z0-9_-]{0,22})\|([0-9]{1,6})")


@dataclass(frozen=True)
class Callback:
    """What a button asks for.

    Attributes:
        kind: MORE (next results from ``number``), CONTEXT (hit ranked ``number``)
            or SOURCES (the page starting at ``number``).
        token: the server-side record of the question ("" for SOURCES).
        number: an offset or a rank.
    """

    kind: str
    token: str
    number: int

    def encode(self) -> str:
        data = f"{self.kind}{CALLBACK_VERSION}|{self.token}|{self.number}"
        if parse_callback(data) != self:
            raise ValueError(f"invalid callback: {self!r}")
        return data


def parse_callback(data: object) -> Callback | None:
    """The Callback in a button's data, or None for anything malformed, old or forged."""
    if not isinstance(data, str) or len(data.encode("utf-8")) > CALLBACK_LIMIT:
        return None
    match = _CALLBACK.fullmatch(data)
    if match is None:
        return None
    kind, token, number = match.group(1), match.group(2), int(match.group(3))
    if (kind == SOURCES) == bool(token):  # a token for answers, none for sources
        return None
    if kind == CONTEXT and number < 1:
        return None
    return Callback(kind, token, number)


def answer_keyboard(
    token: str, ranks: Sequence[int], next_offset: int | None, language: str = "ar"
) -> InlineKeyboardMarkup | None:
    """A context button per shown result and, when there are more, «المزيد» / "More"."""
    rows = []
    if ranks:
        rows.append(
            [
                InlineKeyboardButton(
                    text("button_context", language, rank=r), callback_data=Callback(CONTEXT, token, r).encode()
                )
                for r in ranks
            ]
        )
    if next_offset is not None:
        rows.append(
            [
                InlineKeyboardButton(
                    text("button_more", language), callback_data=Callback(MORE, token, next_offset).encode()
                )
            ]
        )
    return InlineKeyboardMarkup(rows) if rows else None


def without_more(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """``markup`` less its «المزيد» button (once the next results are shown)."""
    if markup is None:
        return None
    rows = [
        row
        for row in markup.inline_keyboard
        if not any((c := parse_callback(b.callback_data)) and c.kind == MORE for b in row)
    ]
    return InlineKeyboardMarkup(rows) if rows else None


def sources_keyboard(
    offset: int, total: int, page: int = SOURCES_PAGE, language: str = "ar"
) -> InlineKeyboardMarkup | None:
    """«السابق» / «التالي» ("Previous" / "Next") buttons for a /sources page."""
    buttons = []
    if offset > 0:
        prev = max(0, offset - page)
        buttons.append(
            InlineKeyboardButton(text("button_prev", language), callback_data=Callback(SOURCES, "", prev).encode())
        )
    if offset + page < total:
        buttons.append(
            InlineKeyboardButton(
                text("button_next", language), callback_data=Callback(SOURCES, "", offset + page).encode()
            )
        )
    return InlineKeyboardMarkup([buttons]) if buttons else None
