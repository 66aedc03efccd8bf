"""The bot's handlers: questions, buttons, commands, inline queries, errors."""

from __future__ import annotations

import asyncio
import logging
import traceback
from dataclasses import replace

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

import bot.telegram.keyboards as keyboards
import bot.telegram.render as render
from bot.telegram.state import BotState, QuestionRecord, bot_state, update_ids
from bot.telegram.transport import redact
from retrieval.errors import NewsqaError, QuestionError
from retrieval.query import Query, understand
from retrieval.types import Answer

log = logging.getLogger(__name__)

#: Sentences shown before and after a passage by the context button.
CONTEXT_WINDOW = 3
#: Results offered in inline mode.
INLINE_RESULTS = 5
#: Results asked for per reply: a page, and one more to know whether «المزيد» is needed.
#: People listed by /speakers.
SPEAKERS_SHOWN = 20
_ASKED = max(render.PAGE_SIZE, render.STATEMENTS_PAGE) + 1


async def on_private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat is a question; so is a photo's or a document's caption."""
    message = update.effective_message
    await _ask(update, context, message.text or message.caption or "")


async def on_unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A sticker, a voice note, a photo without caption…: say what the bot understands."""
    state = bot_state(context)
    if await _admit(update, state):
        _, chat_id = update_ids(update)
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


async def _admit(update: Update, state: BotState) -> bool:
    """Refuse strangers politely (telling nothing about the index); False if refused."""
    if state.allowed(*update_ids(update)):
        return True
    user_id, chat_id = update_ids(update)
    log.info("refused user %s in chat %s", user_id, chat_id)
    if update.callback_query:
        await update.callback_query.answer(render.REFUSED, show_alert=True)
    elif update.effective_message:
        await update.effective_message.reply_text(render.REFUSED)
    return False


async def _within_rate(update: Update, state: BotState) -> bool:
    """Count a question against the user's per-minute limit; False (told once) if over."""
    user_id, _ = update_ids(update)
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
    state = bot_state(context)
    message = update.effective_message
    if not await _admit(update, state):
        return
    user_id, chat_id = update_ids(update)
    async with state.order.ticket(chat_id) as ticket:
        try:
            question = understand(text, cut=True)
        except QuestionError as exc:
            await ticket.turn()
            await message.reply_text(render.ASK_HOW if exc.reason == "empty" else render.TEXT_ONLY, do_quote=True)
            return
        if not await _within_rate(update, state):
            return
        token, record = state.questions.add(question, chat_id, user_id)
        answer = await state.batcher.answer(Query(question, _ASKED, 0))
        await ticket.turn()
        await _send_answer(
            message, answer, token, record, 0, render.QUESTION_CUT if question.cut else None
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
    page = render.page_size(answer)
    shown = answer.hits[:page]
    record.remember(shown)
    more = offset + page if len(answer.hits) > page else None
    keyboard = keyboards.answer_keyboard(token, [h.rank for h in shown], more) if shown else None
    texts = render.render_answer(replace(answer, hits=shown), note=note, first_page=offset == 0)
    for i, text in enumerate(texts):
        last = i == len(texts) - 1
        await reply_to.reply_text(text, reply_markup=keyboard if last else None, do_quote=i == 0)


# -- handlers: buttons -----------------------------------------------------------------------


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """«المزيد», context and /sources paging; anything stale or forged gets a polite answer."""
    state = bot_state(context)
    query = update.callback_query
    if not await _admit(update, state):
        return
    data = keyboards.parse_callback(query.data)
    message = query.message if isinstance(query.message, Message) else None
    if data is None or message is None:
        await query.answer(render.STALE)
        return
    if data.kind == keyboards.SOURCES:
        await _show_sources(state, data.number, edit=query)
        return
    record = state.questions.get(data.token)
    user_id, _ = update_ids(update)
    if record is None:
        await query.answer(render.STALE)
    elif not record.belongs_to(message.chat.id, user_id):
        await query.answer(render.NOT_YOURS, show_alert=True)
    elif data.kind == keyboards.MORE:
        await _more(update, state, data, record, message)
    else:
        await _context(state, query, data.number, record, message)


async def _more(
    update: Update, state: BotState, data: keyboards.Callback, record: QuestionRecord, message: Message
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
            query_more = Query(record.question, _ASKED, data.number)
            answer = await state.batcher.answer(query_more)
        except Exception:
            record.served.discard(data.number)  # so that the button can be pressed again
            raise
        await query.answer(None if answer.found else render.NO_MORE)
        await _edit_quietly(
            query.edit_message_reply_markup(keyboards.without_more(message.reply_markup))
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
    if await _admit(update, bot_state(context)):
        await update.effective_message.reply_text(render.HELP)


async def on_sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = bot_state(context)
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
    keyboard = keyboards.sources_keyboard(offset, total)
    if edit is None:
        await reply_to.reply_text(text, reply_markup=keyboard)
    else:
        await edit.answer()
        await _edit_quietly(edit.edit_message_text(text, reply_markup=keyboard))


async def on_speakers(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/speakers: who is quoted most, so people know whom to ask about."""
    state = bot_state(context)
    if await _admit(update, state):
        people = await asyncio.to_thread(state.service.people)
        await update.effective_message.reply_text(render.render_people(people[:SPEAKERS_SHOWN], len(people)))


async def on_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    state = bot_state(context)
    if await _admit(update, state):
        s = await asyncio.to_thread(state.service.stats)
        await update.effective_message.reply_text(
            render.render_stats(s.articles, s.passages, s.model, s.built_at)
        )


async def on_reindex(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins only: bring the index up to date with the seeds and report what changed."""
    state = bot_state(context)
    message = update.effective_message
    user_id, _ = update_ids(update)
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
    state = bot_state(context)
    query = update.inline_query
    user_id, _ = update_ids(update)
    private = state.settings.private

    async def nothing(text: str, parameter: str) -> None:
        button = InlineQueryResultsButton(text=text, start_parameter=parameter)
        await query.answer([], cache_time=0, is_personal=True, button=button)

    if not state.allowed(user_id, None):
        await nothing(render.INLINE_REFUSED, "private")
        return
    try:
        question = understand(query.query, cut=True)
    except QuestionError:
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
                render.inline_message(question.text, hit),
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
    log.error("error while handling an update: %s", redact(text, context.bot.token))
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
            "could not tell the user about the error: %s", redact(repr(exc), context.bot.token)
        )
