"""The bot remembers each chat's conversation: follow-ups through the real python-telegram-bot
stack against the fake Bot API, the context across a restart, /reset, the user's language."""

from __future__ import annotations

import re
import sqlite3

import bot.i18n as i18n
from tests.test_telegram import api, bot, button, buttons, seeds, service, settle, wait  # noqa: F401


def ranks(call) -> list[int]:
    return [int(n) for n in re.findall(r"<b>(\d+)\.</b>", call.params["text"])]


def sentences(call) -> set[int]:
    """The sentence numbers (place in the article) of the passages a reply shows."""
    return {int(n) for n in re.findall(r"\((?:الجملة|sentence) (\d+)\)", call.params["text"])}


async def test_follow_ups_in_one_chat(api, service):
    async with bot(api, service):
        api.push_message("ماذا قال وانغ؟", user_id=7)
        [wang] = await wait(api, "sendMessage", chat_id=7)
        api.push_message("وماذا عن شي؟", user_id=7)
        [_, xi] = await wait(api, "sendMessage", 2, chat_id=7)
        api.push_message("ماذا قال أيضا؟", user_id=7)
        [*_, more] = await wait(api, "sendMessage", 3, chat_id=7)
        api.push_message("متى قال ذلك؟", user_id=7)
        [*_, when] = await wait(api, "sendMessage", 4, chat_id=7)
        api.push_message("ماذا قال أيضا؟", user_id=7)
        [*_, nothing_left] = await wait(api, "sendMessage", 5, chat_id=7)
    assert "«وانغ هو نينغ»" in wang.params["text"] and sentences(wang) == {11, 12}
    text = xi.params["text"]
    assert "عن: ماذا قال شي؟" in text and "ما قاله «شي جين بينغ»: 8 تصريحات" in text
    assert "وانغ" not in text and ranks(xi) == [1, 2, 3, 4, 5]
    assert "عن: ماذا قال شي جين بينغ أيضا؟" in more.params["text"]
    assert sentences(more) and not sentences(more) & sentences(xi)  # none of those already shown
    assert len(sentences(xi) | sentences(more)) == 8
    assert "3 ديسمبر 2017" in when.params["text"] and "شينخوا" in when.params["text"]
    assert "<b>1.</b>" not in when.params["text"]  # the date and source, not a new search
    assert "لا تصريحات أخرى" in nothing_left.params["text"]


async def test_a_follow_up_in_a_new_chat_is_a_question_of_its_own(api, service):
    async with bot(api, service):
        api.push_message("وماذا عن شي؟", user_id=8)
        [xi] = await wait(api, "sendMessage", chat_id=8)
        api.push_message("متى قال ذلك؟", user_id=9)
        [plain] = await wait(api, "sendMessage", chat_id=9)
    assert "ما قاله «شي جين بينغ»" in xi.params["text"]
    assert "قيل ذلك في" not in plain.params["text"]  # nothing was shown in that chat


async def test_the_context_survives_a_restart_and_reset_clears_it(api, service):
    async with bot(api, service):
        api.push_message("ماذا قال وانغ؟", user_id=7)
        await wait(api, "sendMessage", chat_id=7)
    stored = service.folder / "chats.sqlite"
    with sqlite3.connect(stored) as db:
        [(key,)] = db.execute("SELECT key FROM chats").fetchall()
    assert key == "telegram:7"
    async with bot(api, service):  # a new bot process, the same index folder
        api.push_message("وماذا عن شي؟", user_id=7)
        [_, xi] = await wait(api, "sendMessage", 2, chat_id=7)
        api.push_message("/reset", user_id=7)
        [*_, reset] = await wait(api, "sendMessage", 3, chat_id=7)
        api.push_message("ماذا قال أيضا؟", user_id=7)
        [*_, after] = await wait(api, "sendMessage", 4, chat_id=7)
    assert "عن: ماذا قال شي؟" in xi.params["text"]
    assert reset.params["text"] == i18n.text("reset_done", "ar")
    assert "عن:" not in after.params["text"] and "شي جين بينغ" not in after.params["text"].split("\n")[0]


async def test_a_corrupt_context_file_starts_empty_with_a_warning(api, service, caplog):
    (service.folder / "chats.sqlite").write_bytes(b"this is not a database" * 100)
    async with bot(api, service):
        api.push_message("ماذا قال وانغ؟", user_id=7)
        [wang] = await wait(api, "sendMessage", chat_id=7)
        api.push_message("وماذا عن شي؟", user_id=7)
        [_, xi] = await wait(api, "sendMessage", 2, chat_id=7)
    assert "وانغ هو نينغ" in wang.params["text"] and "عن: ماذا قال شي؟" in xi.params["text"]
    assert "chats.sqlite" in caplog.text and (service.folder / "chats.sqlite.corrupt").exists()


async def test_typed_more_gives_the_next_page(api, service):
    async with bot(api, service):
        api.push_message("ماذا قال شي؟", user_id=7)
        [first] = await wait(api, "sendMessage", chat_id=7)
        api.push_message("المزيد", user_id=7)
        [_, second] = await wait(api, "sendMessage", 2, chat_id=7)
        api.push_message("المزيد", user_id=7)
        [*_, third] = await wait(api, "sendMessage", 3, chat_id=7)
    assert ranks(first) == [1, 2, 3, 4, 5] and ranks(second) == [6, 7, 8]
    assert third.params["text"] == i18n.text("no_more", "ar")


async def test_an_english_user_gets_english_buttons_headers_and_help(api, service):
    async with bot(api, service):
        api.push_message("/help", user_id=5, language_code="en-GB")
        [help_] = await wait(api, "sendMessage", chat_id=5)
        api.push_message("What did Xi say?", user_id=5, language_code="en-GB")
        [_, answer] = await wait(api, "sendMessage", 2, chat_id=5)
        api.push_message("when was that?", user_id=5, language_code="en-GB")
        [*_, when] = await wait(api, "sendMessage", 3, chat_id=5)
        api.push_message("/help", user_id=6, language_code="fr")
        [fallback] = await wait(api, "sendMessage", chat_id=6)
        await settle(api)
    assert help_.params["text"] == i18n.text("help", "en")
    text = answer.params["text"]
    assert "What شي جين بينغ said: 8 statements" in text and "(sentence 1)" in text
    assert "3 December 2017" in text and "ديسمبر" not in text
    assert [label for label, _ in buttons(answer)][-1] == "More ⬇️"
    assert "That was said on" in when.params["text"] and "3 December 2017" in when.params["text"]
    assert fallback.params["text"] == i18n.text("help", "ar")  # neither language: Arabic


async def test_the_more_button_moves_the_conversation_on(api, service):
    async with bot(api, service):
        api.push_message("ماذا قال شي؟", user_id=7)
        [first] = await wait(api, "sendMessage", chat_id=7)
        api.push_callback(button(first, "m1|"), message=first.result, user_id=7)
        [_, second] = await wait(api, "sendMessage", 2, chat_id=7)
        api.push_message("ماذا قال أيضا؟", user_id=7)
        [*_, nothing_left] = await wait(api, "sendMessage", 3, chat_id=7)
    assert ranks(second) == [6, 7, 8]
    assert "لا تصريحات أخرى" in nothing_left.params["text"]  # all eight were shown
