"""Who may use the bot and how fast, and the language to answer in (shared by the handlers)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import BadRequest

import bot.telegram.render as render
from bot.i18n import reply_language, text
from bot.telegram.state import BotState, update_ids

log = logging.getLogger(__name__)


def user_language(update: Update, detected: str | None = None) -> str:
    """The reply's language: the message's (``detected``), else the Telegram user's, else Arabic."""
    user = update.effective_user
    return reply_language(detected or None, user.language_code if user else None)


def chat_key(chat_id: int | None) -> str:
    """The key of a chat's conversation in the store."""
    return f"telegram:{chat_id}"


async def admit(update: Update, state: BotState) -> bool:
    """Refuse strangers politely (telling nothing about the index); False if refused."""
    if state.allowed(*update_ids(update)):
        return True
    user_id, chat_id = update_ids(update)
    log.info("refused user %s in chat %s", user_id, chat_id)
    refused = text("refused", user_language(update))
    if update.callback_query:
        await update.callback_query.answer(refused, show_alert=True)
    elif update.effective_message:
        await update.effective_message.reply_text(refused)
    return False


async def within_rate(update: Update, state: BotState, language: str) -> bool:
    """Count a question against the user's per-minute limit; False (told once) if over."""
    user_id, _ = update_ids(update)
    wait = state.question_limiter.hit(user_id)
    if not wait:
        return True
    if state.question_limiter.first_refusal(user_id):
        message = render.rate_limited(state.settings.rate_limit, wait, language)
        if update.callback_query:
            await update.callback_query.answer(message, show_alert=True)
        else:
            await update.effective_message.reply_text(message)
    elif update.callback_query:
        await update.callback_query.answer()
    return False


async def edit_quietly(call) -> None:
    """An edit that may fail harmlessly ("message is not modified", too old to edit)."""
    try:
        await call
    except BadRequest as exc:
        log.debug("edit refused: %s", exc)
