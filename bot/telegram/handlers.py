"""The bot's handlers: commands, buttons, inline queries, errors; questions and follow-ups
are in ``bot.telegram.asking``."""

from __future__ import annotations

import asyncio
import logging
import traceback

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

import bot.telegram.asking as asking
import bot.telegram.keyboards as keyboards
import bot.telegram.render as render
from bot.i18n import text
from bot.telegram.access import admit, chat_key, edit_quietly, user_language
from bot.telegram.asking import on_ask, on_group_text, on_private_text
from bot.telegram.state import BotState, bot_state, update_ids
from bot.telegram.transport import redact
from retrieval.errors import NewsqaError, QuestionError
from retrieval.query import Query, understand
from retrieval.query.understanding import language_of

__all__ = [
    "on_ask", "on_button", "on_error", "on_group_text", "on_help", "on_inline_query", "on_private_text",
    "on_reindex", "on_reset", "on_sources", "on_speakers", "on_stats", "on_unsupported",
]

log = logging.getLogger(__name__)

#: Results offered in inline mode.
INLINE_RESULTS = 5
#: People listed by /speakers.
SPEAKERS_SHOWN = 20


async def on_unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, a voice note, a photo without caption…: say what the bot understands."""
    state = bot_state(context)
    if await admit(update, state):
        _, chat_id = update_ids(update)
        async with state.order.ticket(chat_id) as ticket:
            await ticket.turn()
            await update.effective_message.reply_text(text("text_only", user_language(update)), do_quote=True)


# -- handlers: buttons ----------------------------------------------------------------------


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """«المزيد», context and /sources paging; anything stale or forged gets a polite answer."""
    state = bot_state(context)
    query = update.callback_query
    if not await admit(update, state):
        return
    data = keyboards.parse_callback(query.data)
    message = query.message if isinstance(query.message, Message) else None
    language = user_language(update)
    if data is None or message is None:
        await query.answer(text("stale", language))
        return
    if data.kind == keyboards.SOURCES:
        await _show_sources(state, data.number, language, edit=query)
        return
    record = state.questions.get(data.token)
    user_id, _ = update_ids(update)
    if record is None:
        await query.answer(text("stale", language))
    elif not record.belongs_to(message.chat.id, user_id):
        await query.answer(text("not_yours", language), show_alert=True)
    elif data.kind == keyboards.MORE:
        await asking.more(update, state, data, record, message)
    else:
        await asking.show_context(state, query, data.number, record, message)


# -- handlers: commands ----------------------------------------------------------------------


async def on_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, /help (and unknown commands): how to ask, in the user's language."""
    if await admit(update, bot_state(context)):
        await update.effective_message.reply_text(text("help", user_language(update)))


async def on_reset(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reset: forget the chat's conversation; the next question starts afresh."""
    state = bot_state(context)
    if await admit(update, state):
        _, chat_id = update_ids(update)
        async with state.order.ticket(chat_id) as ticket:
            await ticket.turn()  # after the replies before it, and what they remembered
            await asyncio.to_thread(state.conversations.clear, chat_key(chat_id))
            await update.effective_message.reply_text(text("reset_done", user_language(update)))


async def on_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = bot_state(context)
    if await admit(update, state):
        await _show_sources(state, 0, user_language(update), reply_to=update.effective_message)


async def _show_sources(
    state: BotState, offset: int, language: str, *, reply_to: Message | None = None, edit=None
) -> None:
    """A /sources page: a new message (``reply_to``) or the same message edited (``edit``)."""
    page, total = await asyncio.to_thread(state.service.sources, offset, render.SOURCES_PAGE)
    if offset and offset >= total:
        await edit.answer(text("stale", language))
        return
    body = render.render_sources(page, offset, total, language)
    keyboard = keyboards.sources_keyboard(offset, total, language=language)
    if edit is None:
        await reply_to.reply_text(body, reply_markup=keyboard)
    else:
        await edit.answer()
        await edit_quietly(edit.edit_message_text(body, reply_markup=keyboard))


async def on_speakers(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/speakers: who is quoted most, so people know whom to ask about."""
    state = bot_state(context)
    if await admit(update, state):
        people = await asyncio.to_thread(state.service.people)
        await update.effective_message.reply_text(
            render.render_people(people[:SPEAKERS_SHOWN], len(people), user_language(update))
        )


async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = bot_state(context)
    if await admit(update, state):
        s = await asyncio.to_thread(state.service.stats)
        await update.effective_message.reply_text(
            render.render_stats(s.articles, s.passages, s.model, s.built_at, user_language(update))
        )


async def on_reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins only: bring the index up to date with the seeds and report what changed."""
    state = bot_state(context)
    message = update.effective_message
    user_id, _ = update_ids(update)
    language = user_language(update)
    if not state.is_admin(user_id):
        if await admit(update, state):
            await message.reply_text(text("admins_only", language))
        return
    await message.reply_text(text("reindex_started", language))
    try:
        report = await asyncio.to_thread(state.service.reindex)
    except NewsqaError as exc:
        await message.reply_text(render.reindex_failed(str(exc), language))
        return
    log.info("re-indexed at the request of %s: %s", user_id, report.summary())
    await message.reply_text(render.reindex_done(report.summary(), language))


# -- handlers: inline mode ---------------------------------------------------------------------


async def on_inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """«@bot question» in any chat: the top passages as results to post."""
    state = bot_state(context)
    query = update.inline_query
    user_id, _ = update_ids(update)
    private = state.settings.private
    language = user_language(update, language_of(query.query))

    async def nothing(key: str, parameter: str) -> None:
        button = InlineQueryResultsButton(text=text(key, language), start_parameter=parameter)
        await query.answer([], cache_time=0, is_personal=True, button=button)

    if not state.allowed(user_id, None):
        await nothing("inline_refused", "private")
        return
    try:
        question = understand(query.query, cut=True)
    except QuestionError:
        await nothing("inline_empty", "help")
        return
    if state.inline_limiter.hit(user_id):
        await nothing("inline_slow", "help")
        return
    answer = await state.batcher.answer(Query(question, INLINE_RESULTS, 0))
    if not answer.found:
        await nothing("inline_nothing", "help")
        return
    results = [
        InlineQueryResultArticle(
            id=str(hit.rank),
            title=render.inline_title(hit),
            description=render.source_text(hit.source, language),
            input_message_content=InputTextMessageContent(
                render.inline_message(question.text, hit, language),
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
    trace = "".join(traceback.format_exception(error)) if error else "unknown error"
    log.error("error while handling an update: %s", redact(trace, context.bot.token))
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query:
            try:
                await update.callback_query.answer(text("error", user_language(update)), show_alert=True)
                return
            except BadRequest:  # already answered: say it in the chat instead
                pass
        if update.effective_message:
            await update.effective_message.reply_text(text("error", user_language(update)))
    except Exception as exc:  # the user cannot be told; the log already says why
        log.warning(
            "could not tell the user about the error: %s", redact(repr(exc), context.bot.token)
        )
