"""Questions and follow-ups in a chat, and the buttons under answers: each message is read
against the chat's conversation (``bot.dialogue``), answered, and remembered."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace

from telegram import Message, MessageEntity, Update
from telegram.ext import ContextTypes

import bot.dialogue as dialogue
import bot.telegram.keyboards as keyboards
import bot.telegram.render as render
from bot.i18n import text
from bot.telegram.access import (
    admit,
    chat_key,
    edit_quietly,
    user_language,
    within_rate,
)
from bot.telegram.state import BotState, QuestionRecord, bot_state, update_ids
from retrieval.conversation.context import Reply, after_page
from retrieval.conversation.followups import DETAILS, MORE
from retrieval.errors import QuestionError
from retrieval.query import Query
from retrieval.query.understanding import language_of
from retrieval.types import Answer, Hit

log = logging.getLogger(__name__)

#: Sentences shown before and after a passage by the context button.
CONTEXT_WINDOW = 3
#: Results asked for per reply: a page, and one more to know whether «المزيد» is needed.
ASKED = max(render.PAGE_SIZE, render.STATEMENTS_PAGE) + 1


async def on_private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text in a private chat is a question; so is a photo's or a document's caption."""
    message = update.effective_message
    await _ask(update, context, message.text or message.caption or "")


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
    value = message.text or message.caption or ""
    parse = message.parse_entities if message.text else message.parse_caption_entities
    handle = f"@{username}".lower() if username else None
    mentioned = False
    for entity, written in parse([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        if (entity.type == MessageEntity.MENTION and written.lower() == handle) or (
            entity.type == MessageEntity.TEXT_MENTION and entity.user and entity.user.id == bot_id
        ):
            mentioned = True
            value = value.replace(written, " ")
    replied = message.reply_to_message
    if mentioned or (replied and replied.from_user and replied.from_user.id == bot_id):
        return value
    return None


async def _ask(update: Update, context: ContextTypes.DEFAULT_TYPE, message_text: str) -> None:
    """A message in a conversation: a question, or a follow-up read against the chat's context."""
    state = bot_state(context)
    message = update.effective_message
    if not await admit(update, state):
        return
    user_id, chat_id = update_ids(update)
    async with state.order.ticket(chat_id) as ticket:
        await ticket.turn()  # a conversation goes in order: read it once the last reply is out
        now = time.time()
        stored = await asyncio.to_thread(state.conversations.get, chat_key(chat_id), now)
        try:
            step = await asyncio.to_thread(
                dialogue.plan, message_text, stored, now=now, k=ASKED, is_person=state.service.is_quoted
            )
        except QuestionError as exc:
            await ticket.turn()
            key = "ask_how" if exc.reason == "empty" else "text_only"
            await message.reply_text(text(key, user_language(update, language_of(message_text))), do_quote=True)
            return
        language = user_language(update, step.turn.language)
        if step.query is None:  # the date and place of what was shown, or «المزيد» with nothing next
            await ticket.turn()
            await message.reply_text(_no_search(step, language), do_quote=True)
            await _remember(state, chat_id, dialogue.remember(step, None, (), language, None, now), now)
            return
        if not await within_rate(update, state, language):
            return
        token, record = state.questions.add(
            step.query.question, chat_id, user_id, language=language, exclude=step.query.exclude
        )
        answer = await state.batcher.answer(step.query)
        await ticket.turn()
        cut_note = render.question_cut(language) if step.turn.question and step.turn.question.cut else None
        shown, next_offset = await _send_answer(
            message, answer, token, record, step.query.offset, cut_note, about=step.turn.about, step=step
        )
        await _remember(state, chat_id, dialogue.remember(step, answer, shown, language, next_offset, now), now)


def _no_search(step: dialogue.Step, language: str) -> str:
    if step.turn.kind == DETAILS:
        shown = step.context.shown if step.context else ()
        return render.render_details([s.source for s in shown], step.turn.detail, language)
    return text("no_more" if step.context is not None else "console_ask_first", language)


async def _remember(state: BotState, chat_id: int | None, conversation, now: float) -> None:
    await asyncio.to_thread(state.conversations.put, chat_key(chat_id), conversation, now)


async def _send_answer(
    reply_to: Message,
    answer: Answer,
    token: str,
    record: QuestionRecord,
    offset: int,
    note: str | None = None,
    *,
    about: str | None = None,
    step: dialogue.Step | None = None,
) -> tuple[tuple[Hit, ...], int | None]:
    """Send one page of results replying to ``reply_to``; buttons on the last message.

    Returns the hits shown and where the next page starts (None: no more)."""
    language = record.language
    page = render.page_size(answer)
    shown = answer.hits[:page]
    record.remember(shown)
    more = offset + page if len(answer.hits) > page else None
    if not shown and step is not None and _nothing_new(step):
        texts = [_nothing_new(step)(language)]
    else:
        keyboard = keyboards.answer_keyboard(token, [h.rank for h in shown], more, language) if shown else None
        texts = render.render_answer(
            replace(answer, hits=shown), language, note=note, about=about, first_page=offset == 0
        )
    for i, value in enumerate(texts):
        last = i == len(texts) - 1
        await reply_to.reply_text(value, reply_markup=keyboard if last and shown else None, do_quote=i == 0)
    return shown, more


def _nothing_new(step: dialogue.Step):
    """What to say when a follow-up finds nothing new: no more pages, no other statements."""
    if step.turn.kind == MORE:
        return lambda language: text("no_more", language)
    if step.turn.exclude and step.context is not None and step.context.who:
        return lambda language: render.t("no_other_statements", language, name=step.context.who)
    return None


# -- buttons under answers ------------------------------------------------------------


async def more(
    update: Update, state: BotState, data: keyboards.Callback, record: QuestionRecord, message: Message
) -> None:
    query = update.callback_query
    if data.number in record.served:
        await query.answer(text("already_shown", record.language))
        return
    if not await within_rate(update, state, record.language):
        return
    record.served.add(data.number)
    async with state.order.ticket(message.chat.id) as ticket:
        try:
            query_more = Query(record.question, ASKED, data.number, record.exclude)
            answer = await state.batcher.answer(query_more)
        except Exception:
            record.served.discard(data.number)  # so that the button can be pressed again
            raise
        await query.answer(None if answer.found else text("no_more", record.language))
        await edit_quietly(
            query.edit_message_reply_markup(keyboards.without_more(message.reply_markup))
        )
        if answer.found:
            await ticket.turn()
            shown, next_offset = await _send_answer(message, answer, data.token, record, data.number)
            await _paged(state, message.chat.id, record, answer, shown, next_offset)


async def _paged(state: BotState, chat_id: int, record: QuestionRecord, answer: Answer, shown, next_offset) -> None:
    """A page shown by the button: the chat's context moves on when it is about that question."""
    now = time.time()
    stored = await asyncio.to_thread(state.conversations.get, chat_key(chat_id), now)
    if stored is not None and stored.question == record.question and stored.exclude == record.exclude:
        reply = Reply(answer, shown, record.language, next_offset)
        await _remember(state, chat_id, after_page(stored, reply, now), now)


async def show_context(
    state: BotState, query, rank: int, record: QuestionRecord, message: Message
) -> None:
    article_id, index, text_hash = record.refs.get(rank, ("", -1, 0))
    found = await asyncio.to_thread(
        state.service.passage_in_context, article_id, index, CONTEXT_WINDOW
    )
    if found is None or hash(found.passage.text) != text_hash:  # gone, or changed by a re-index
        await query.answer(text("stale", record.language))
        return
    await query.answer()
    await message.reply_text(
        render.render_context(
            found.passage, found.source, found.before, found.after, record.language, titled=found.titled
        ),
        do_quote=True,
    )
