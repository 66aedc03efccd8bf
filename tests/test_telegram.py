"""The real PTB Application (bot/telegram.py) against a fake Bot API server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from telegram.ext import AIORateLimiter, Application

import bot.i18n as i18n
from bot import telegram as tg
from bot.telegram import (
    ALLOWED_UPDATES,
    TELEGRAM_API_DEFAULT,
    SlidingWindowLimiter,
    TelegramSettings,
    api_urls,
    build_application,
    polling,
    render,
    run_bot,
)
from bot.testing import BOT_USERNAME, TOKEN, Call, FakeBotApi
from retrieval.errors import SettingsError
from retrieval.model.embedder import FakeEmbedder
from retrieval.service import NewsService
from retrieval.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = ROOT / "seeds" / "000_762f75904539e59f.txt"
#: FakeEmbedder scores: "ماذا قال شي؟" finds 5 passages above this, GIBBERISH none.
FAKE_MIN_SCORE = 0.15
GIBBERISH = "qwxz"
ESCAPE_ARTICLE = {
    "title": "Tom & <Jerry>",
    "url": "https://example.com/news?a=1&b=2",
    "agency": "وكالة <الاختبار>",
    "text": "قالت الشركة إن <b>الأرباح</b> & الإيرادات ارتفعت كثيرا هذا العام.",
}


# -- harness ------------------------------------------------------------------------------------


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server
    # Telegram would have refused these: bad HTML, too long, unknown method…
    assert [(c.method, c.error) for c in server.calls if c.error in (400, 404)] == []


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    folder = tmp_path / "seeds"
    folder.mkdir()
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    (folder / "escape.json").write_text(
        json.dumps(ESCAPE_ARTICLE, ensure_ascii=False), encoding="utf-8"
    )
    return folder


@pytest.fixture
def service(seeds: Path, tmp_path: Path) -> NewsService:
    svc = NewsService(seeds, tmp_path / "index", FakeEmbedder(), min_score=FAKE_MIN_SCORE)
    svc.open(build=True)
    return svc


def settings_for(api: FakeBotApi, **changes) -> TelegramSettings:
    changes.setdefault("rate_limit", 0)
    return TelegramSettings(token=TOKEN, api_base_url=api.base_url, **changes)


@asynccontextmanager
async def bot(api: FakeBotApi, service: NewsService, **changes):
    app = build_application(service, settings_for(api, **changes), watch=False)
    async with polling(app, timeout=5):
        yield app


async def wait(
    api: FakeBotApi, method: str, count: int = 1, *, chat_id=None, timeout=10.0
) -> list[Call]:
    """The successful calls of ``method`` (to ``chat_id``), once there are ``count``."""

    def match(call: Call) -> bool:
        return call.error is None and (chat_id is None or call.params.get("chat_id") == chat_id)

    return await asyncio.to_thread(api.wait_for, method, count, timeout, match)


async def settle(api: FakeBotApi, service_chat: int = 999_999) -> None:
    """Wait until the bot has handled everything pushed so far (a /help round trip)."""
    before = len(api.sent_to(service_chat))
    api.push_message("/help", user_id=service_chat)
    await wait(api, "sendMessage", before + 1, chat_id=service_chat)
    await asyncio.sleep(0.05)


def buttons(call: Call) -> list[tuple[str, str]]:
    markup = call.params.get("reply_markup") or {"inline_keyboard": []}
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


def button(call: Call, prefix: str) -> str:
    return next(data for _, data in buttons(call) if data.startswith(prefix))


def assert_html_reply(call: Call, to_message: dict | None = None) -> None:
    assert call.params["parse_mode"] == "HTML"
    assert call.params["link_preview_options"] == {"is_disabled": True}
    if to_message is not None:
        assert call.params["reply_parameters"]["message_id"] == to_message["message_id"]


# -- questions over the seed, with the real model -----------------------------------------------


@pytest.mark.model
@pytest.mark.parametrize("question", ["ماذا قال شي؟", "What did Xi say?"])
async def test_a_question_over_the_seed_is_answered(api, seed_service, question):
    async with bot(api, seed_service):
        asked = api.push_message(question, user_id=501)
        [reply] = await wait(api, "sendMessage", chat_id=501)
    assert_html_reply(reply, asked)
    text = reply.params["text"]
    arabic = question.startswith("ماذا")
    heading = "🗣️ ما قاله «شي جين بينغ»: 8 تصريحات" if arabic else "🗣️ What شي جين بينغ said: 8 statements"
    assert text.startswith(render.RLM + heading if arabic else heading)  # Xi's statements, in the asker's language
    assert f"\n{render.RLM}<b>1.</b> قال الرئيس الصيني <b>شي</b> <b>جين</b> <b>بينغ</b> إن" in text
    date = "3 ديسمبر 2017" if arabic else "3 December 2017"
    assert text.count(f"📰 شينخوا · ووتشن، تشجيانغ · {date}") == 1  # one source line for the article
    assert "<b>5.</b>" in text and "<b>6.</b>" not in text and "وانغ" not in text
    more = "المزيد ⬇️" if arabic else "More ⬇️"
    assert [t for t, _ in buttons(reply)] == ["📖 1", "📖 2", "📖 3", "📖 4", "📖 5", more]


@pytest.mark.model
async def test_more_and_context_over_the_seed(api, seed_service):
    async with bot(api, seed_service):
        api.push_message("ماذا قال شي؟", user_id=502)
        [first] = await wait(api, "sendMessage", chat_id=502)
        api.push_callback(button(first, "m1|"), message=first.result, user_id=502)
        [_, more] = await wait(api, "sendMessage", 2, chat_id=502)
        api.push_callback(button(first, "c1|"), message=first.result, user_id=502)
        [_, _, context] = await wait(api, "sendMessage", 3, chat_id=502)
    assert "<b>6.</b>" in more.params["text"] and "<b>شي</b>" in more.params["text"]
    assert "تصريحات" not in more.params["text"]  # the heading is on the first page only
    first_line = first.params["text"].split("<b>1.</b> ", 1)[1].split("\n")[0].split(" <i>")[0]
    passage = first_line.replace("<b>", "").replace("</b>", "")  # without the highlighting
    assert "السياق" in context.params["text"]
    assert f"<b>{passage}</b>" in context.params["text"]
    assert "📰 شينخوا · ووتشن" in context.params["text"]  # no title cut from the first sentence


# -- more, context, forged buttons --------------------------------------------------------------


async def test_more_shows_the_next_results_as_a_reply_and_only_once(api, service):
    async with bot(api, service):
        api.push_message("الرئيس شي والإنترنت", user_id=7)
        [first] = await wait(api, "sendMessage", chat_id=7)
        assert "<b>3.</b>" in first.params["text"] and "<b>4.</b>" not in first.params["text"]
        more = button(first, "m1|")
        assert [t for t, _ in buttons(first)] == ["📖 1", "📖 2", "📖 3", "المزيد ⬇️"]
        api.push_callback(more, message=first.result, user_id=7)
        [_, second] = await wait(api, "sendMessage", 2, chat_id=7)
        [edit] = await wait(api, "editMessageReplyMarkup")
        api.push_callback(more, message=first.result, user_id=7)  # pressed twice
        answers = await wait(api, "answerCallbackQuery", 2)
    assert_html_reply(second, first.result)  # follows the first reply
    assert "<b>4.</b>" in second.params["text"] and "<b>1.</b>" not in second.params["text"]
    assert [t for t, _ in buttons(second)][:2] == ["📖 4", "📖 5"]
    assert edit.params["message_id"] == first.result["message_id"]
    assert [t for t, _ in buttons(Call("", edit.params, 0))] == ["📖 1", "📖 2", "📖 3"]
    assert answers[1].params["text"] == i18n.text("already_shown", "ar")
    assert len(api.sent_to(7)) == 2


async def test_context_button_shows_the_passage_among_its_sentences(api, service):
    async with bot(api, service):
        api.push_message("ماذا قال شي؟", user_id=7)
        [first] = await wait(api, "sendMessage", chat_id=7)
        api.push_callback(button(first, "c1|"), message=first.result, user_id=7)
        [_, context] = await wait(api, "sendMessage", 2, chat_id=7)
        [answered] = await wait(api, "answerCallbackQuery")
    assert_html_reply(context, first.result)
    text = context.params["text"]
    assert "السياق" in text and "شينخوا" in text
    bold = [part.split("</b>")[0] for part in text.split("<b>")[1:]]
    assert any(len(b) > 20 for b in bold)  # the passage itself in bold
    assert text.count(". ") >= 2  # with sentences around it
    assert answered.params.get("text") is None


@pytest.mark.parametrize(
    "data",
    [
        "garbage",
        "",
        "m1|AAAAAAAAAAA|3",
        "c1|AAAAAAAAAAA|1",
        "m1|tok|x",
        "c1|tok|0",
        "s1|tok|0",
        "m9|tok|3",
        "x" * 64,
        "m1|tok|3|<b>",
    ],
)
async def test_forged_or_stale_callbacks_get_a_polite_answer(api, service, data):
    async with bot(api, service):
        api.push_callback(data, message=api.bot_message(7, 5000), user_id=7)
        [answered] = await wait(api, "answerCallbackQuery")
        await settle(api)
    assert answered.params["text"] == i18n.text("stale", "ar")
    assert api.sent_to(7) == []


async def test_a_context_button_for_a_passage_that_changed_is_stale(api, service, seeds):
    async with bot(api, service):
        api.push_message("الأرباح", user_id=7)
        [first] = await wait(api, "sendMessage", chat_id=7)
        (seeds / "escape.json").unlink()  # every passage is gone or different now
        (seeds / SEED_FILE.name).write_text("خبر آخر تماما. عن موضوع جديد.\n", encoding="utf-8")
        await asyncio.to_thread(service.reindex)
        api.push_callback(button(first, "c1|"), message=first.result, user_id=7)
        [answered] = await wait(api, "answerCallbackQuery")
    assert answered.params["text"] == i18n.text("stale", "ar")


# -- access -------------------------------------------------------------------------------------


async def test_strangers_are_refused_politely_and_learn_nothing(api, service):
    async with bot(api, service, allowed_users=frozenset({42}), allowed_chats=frozenset({-500})):
        for text in ("ماذا قال شي؟", "/sources", "/stats", "/help"):
            api.push_message(text, user_id=7)
        refusals = await wait(api, "sendMessage", 4, chat_id=7)
        api.push_callback("s1||10", message=api.bot_message(7, 5000), user_id=7)
        [callback] = await wait(api, "answerCallbackQuery")
        api.push_inline_query("ماذا قال شي؟", user_id=7)
        [inline] = await wait(api, "answerInlineQuery")
        api.push_message("ماذا قال شي؟", user_id=42)
        [allowed] = await wait(api, "sendMessage", chat_id=42)
        api.push_mention("ماذا قال شي؟", user_id=7, chat_id=-500)
        [in_allowed_group] = await wait(api, "sendMessage", chat_id=-500)
    assert {c.params["text"] for c in refusals} == {i18n.text("refused", "ar")}
    assert callback.params["text"] == i18n.text("refused", "ar") and callback.params["show_alert"] is True
    assert inline.params["results"] == []
    assert inline.params["button"]["text"] == i18n.text("inline_refused", "ar")
    assert "شينخوا" in allowed.params["text"]
    assert "شينخوا" in in_allowed_group.params["text"]


async def test_reindex_by_an_admin_and_by_anyone_else(api, service, seeds):
    (seeds / "new.txt").write_text("خبر جديد عن الطاقة الشمسية في المدينة.\n", encoding="utf-8")
    generation = service.stats().generation
    async with bot(api, service, admins=frozenset({1})):
        api.push_message("/reindex", user_id=2)
        [refused] = await wait(api, "sendMessage", chat_id=2)
        await settle(api)
        assert service.stats().generation == generation
        api.push_message("/reindex", user_id=1)
        started, done = await wait(api, "sendMessage", 2, chat_id=1)
        api.push_message("/stats", user_id=1)
        [_, _, stats] = await wait(api, "sendMessage", 3, chat_id=1)
    assert refused.params["text"] == i18n.text("admins_only", "ar")
    assert started.params["text"] == i18n.text("reindex_started", "ar")
    assert "added 1" in done.params["text"] and "3 articles" in done.params["text"]
    assert service.stats().generation > generation
    assert "المقالات: <b>3</b>" in stats.params["text"]


# -- groups -------------------------------------------------------------------------------------


async def test_in_groups_only_mentions_replies_and_ask_are_answered(api, service):
    group = -100500
    async with bot(api, service):
        api.push_message("ماذا قال شي؟", user_id=7, chat_id=group, chat_type="group")
        mention = api.push_mention("ماذا قال شي؟", user_id=7, chat_id=group)
        [first] = await wait(api, "sendMessage", chat_id=group)
        reply_to_bot = api.push_message(
            "ماذا قال شي؟",
            user_id=8,
            chat_id=group,
            chat_type="group",
            reply_to=api.bot_message(group, first.result["message_id"], chat_type="group"),
        )
        ask = api.push_message(
            f"/ask@{BOT_USERNAME} ماذا قال شي؟", user_id=9, chat_id=group, chat_type="supergroup"
        )
        empty_ask = api.push_message("/ask", user_id=9, chat_id=group, chat_type="supergroup")
        other = api.push_message(
            "@someone_else ماذا قال شي؟",
            user_id=7,
            chat_id=group,
            chat_type="group",
            entities=[{"type": "mention", "offset": 0, "length": 13}],
        )
        replies = await wait(api, "sendMessage", 4, chat_id=group)
        await settle(api)
    assert len(api.sent_to(group)) == 4
    quoted = {c.params["reply_parameters"]["message_id"] for c in replies}
    assert quoted == {
        mention["message_id"],
        reply_to_bot["message_id"],
        ask["message_id"],
        empty_ask["message_id"],
    }
    assert other["message_id"] not in quoted
    assert [
        c.params["text"]
        for c in replies
        if c.params["reply_parameters"]["message_id"] == empty_ask["message_id"]
    ] == [i18n.text("ask_how", "ar")]
    assert "<b>شي</b>" in first.params["text"]


# -- inline mode --------------------------------------------------------------------------------


async def test_inline_query_offers_the_top_passages(api, service):
    async with bot(api, service):
        api.push_inline_query("ماذا قال شي؟", user_id=7)
        api.push_inline_query("   ", user_id=7)
        api.push_inline_query(GIBBERISH, user_id=7)
        calls = await wait(api, "answerInlineQuery", 3)
    by_query = {c.params["inline_query_id"]: c.params for c in calls}
    found, empty, nothing = (by_query[str(i)] for i in (1, 2, 3))
    results = found["results"]
    assert 1 <= len(results) <= tg.handlers.INLINE_RESULTS
    assert len({r["id"] for r in results}) == len(results)
    content = results[0]["input_message_content"]
    assert content["parse_mode"] == "HTML" and "<b>شي</b>" in content["message_text"]
    assert content["link_preview_options"] == {"is_disabled": True}
    assert "شينخوا" in results[0]["description"]
    assert empty["results"] == [] and empty["button"]["text"] == i18n.text("inline_empty", "ar")
    assert nothing["results"] == [] and nothing["button"]["text"] == i18n.text("inline_nothing", "en")  # Latin


# -- abuse: rate limit, long messages -----------------------------------------------------------


async def test_rate_limit_answers_once_with_a_friendly_message(api, service):
    async with bot(api, service, rate_limit=2):
        for _ in range(5):
            api.push_message("ماذا قال شي؟", user_id=7)
        api.push_message("ماذا قال شي؟", user_id=8)
        await wait(api, "sendMessage", chat_id=8)
        await wait(api, "sendMessage", 3, chat_id=7)
        await settle(api)
    texts = [c.params["text"] for c in api.sent_to(7)]
    assert len(texts) == 3
    assert sum("شينخوا" in t for t in texts) == 2
    [slow] = [t for t in texts if "شينخوا" not in t]
    assert slow == render.rate_limited(2, 60, "ar") and "سؤالان في الدقيقة" in slow


async def test_a_20000_character_message_is_cut_and_answered(api, service):
    async with bot(api, service):
        api.push_message(("ماذا قال شي؟ " * 2000)[:20_000], user_id=7)
        [reply] = await wait(api, "sendMessage", chat_id=7)
    text = reply.params["text"]
    assert text.startswith(render.question_cut("ar"))
    assert "1,000 حرف" in text
    assert "شينخوا" in text


# -- rendering in the real flow -----------------------------------------------------------------


async def test_article_html_is_sent_escaped(api, service):
    async with bot(api, service):
        api.push_message("الأرباح", user_id=7)
        [reply] = await wait(api, "sendMessage", chat_id=7)
    text = reply.params["text"]
    assert "&lt;b&gt;<b>الأرباح</b>&lt;/b&gt; &amp; الإيرادات" in text
    assert '<a href="https://example.com/news?a=1&amp;b=2">Tom &amp; &lt;Jerry&gt;</a>' in text
    assert "وكالة &lt;الاختبار&gt;" in text


async def test_no_result_reply_suggests_rephrasing(api, service):
    async with bot(api, service):
        asked = api.push_message(GIBBERISH, user_id=7)
        [reply] = await wait(api, "sendMessage", chat_id=7)
    assert reply.params["text"] == i18n.text("nothing_found", "en")  # asked in Latin letters
    assert_html_reply(reply, asked)
    assert "reply_markup" not in reply.params


# -- commands -----------------------------------------------------------------------------------


async def test_commands_are_registered_at_start_with_arabic_descriptions(api, service):
    async with bot(api, service):
        registered, english = await wait(api, "setMyCommands", 2)
    commands = registered.params["commands"]
    assert english.params["language_code"] == "en" and "reset" in [c["command"] for c in english.params["commands"]]
    assert not any("\u0600" <= ch <= "\u06ff" for c in english.params["commands"] for ch in c["description"])
    assert [c["command"] for c in commands] == [name for name, _ in render.commands("ar")]
    assert all(any("\u0600" <= ch <= "\u06ff" for ch in c["description"]) for c in commands)


async def test_start_help_and_unknown_commands_show_help(api, service):
    async with bot(api, service):
        for text in ("/start", "/help", "/whatever"):
            api.push_message(text, user_id=7)
        replies = await wait(api, "sendMessage", 3, chat_id=7)
    assert [c.params["text"] for c in replies] == [i18n.text("help", "ar")] * 3


async def test_sources_are_paged_with_buttons(api, service, seeds):
    for i in range(11):
        (seeds / f"extra{i:02}.txt").write_text(f"خبر رقم {i} عن الاقتصاد.\n", encoding="utf-8")
    await asyncio.to_thread(service.reindex)
    async with bot(api, service):
        api.push_message("/sources", user_id=7)
        [page] = await wait(api, "sendMessage", chat_id=7)
        api.push_callback(button(page, "s1|"), message=page.result, user_id=7)
        [edit] = await wait(api, "editMessageText")
    assert "(1–10 من 13)" in page.params["text"] and "<b>10.</b>" in page.params["text"]
    assert [t for t, _ in buttons(page)] == ["التالي ←"]
    assert edit.params["message_id"] == page.result["message_id"]
    assert "(11–13 من 13)" in edit.params["text"] and edit.params["parse_mode"] == "HTML"
    assert [t for t, _ in buttons(Call("", edit.params, 0))] == ["→ السابق"]


# -- robustness ---------------------------------------------------------------------------------


async def test_an_error_is_logged_without_the_token_and_the_user_is_told(
    api, service, caplog, monkeypatch
):
    def broken(queries):
        raise RuntimeError(f"index exploded while calling https://api.telegram.org/bot{TOKEN}/x")

    monkeypatch.setattr(service, "answer_many", broken)
    caplog.set_level(logging.DEBUG)
    caplog.handler.addFilter(tg.RedactToken(TOKEN))  # run_bot puts it on every log handler
    async with bot(api, service):
        api.push_message("ماذا قال شي؟", user_id=7)
        [reply] = await wait(api, "sendMessage", chat_id=7)
        api.push_message("ماذا قال شي؟", user_id=8)  # the bot is still up
        await wait(api, "sendMessage", chat_id=8)
    assert reply.params["text"] == i18n.text("error", "ar")
    assert "index exploded" in caplog.text
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text


async def test_network_errors_on_send_are_retried(api, service):
    api.fail_next("sendMessage", 1, status=502)
    async with bot(api, service):
        api.push_message("ماذا قال شي؟", user_id=7)
        [reply] = await wait(api, "sendMessage", chat_id=7)
    attempts = api.calls_of("sendMessage")
    assert [c.error for c in attempts] == [502, None]
    assert "شينخوا" in reply.params["text"]


async def test_the_outgoing_limiter_spreads_a_burst(api, service):
    app = build_application(service, settings_for(api), watch=False)
    assert isinstance(app.bot.rate_limiter, AIORateLimiter)
    async with app:
        await asyncio.gather(*(app.bot.send_message(7, f"رسالة {i}") for i in range(90)))
    times = [c.at for c in api.calls_of("sendMessage")]
    assert len(times) == 90
    # 30 a second at most: the last 60 wait 2 s, less what the first 30 took to send.
    assert max(times) - min(times) >= 1.5


async def test_relaxed_limits_for_benchmarks(api, service):
    app = build_application(service, settings_for(api), watch=False, relax_limits=True)
    async with app:
        started = time.monotonic()
        await asyncio.gather(*(app.bot.send_message(7, f"رسالة {i}") for i in range(40)))
    assert len(api.calls_of("sendMessage")) == 40
    assert time.monotonic() - started < 5


async def test_the_seed_watcher_runs_while_the_bot_does(api, service):
    app = build_application(service, settings_for(api), watch=True)
    state = app.bot_data["newsqa"]
    async with polling(app, timeout=5):
        assert state.watcher is not None
    assert state.watcher is None


@pytest.mark.slow
async def test_a_new_article_is_served_while_the_bot_keeps_answering(api, service, seeds):
    """The watcher inside the running bot picks up a new article within seconds;
    questions asked during the re-index are answered from the previous index."""
    app = build_application(service, settings_for(api), watch=True)
    state = app.bot_data["newsqa"]
    async with polling(app, timeout=5):
        assert await asyncio.to_thread(state.watcher.ready.wait, 10)
        (seeds / "solar.txt").write_text(
            "الرباط 2 يناير 2020 (لاماب) افتتحت المغرب محطة نور للطاقة الشمسية في ورزازات.\n",
            encoding="utf-8",
        )
        started = time.monotonic()
        asked = 0
        while "solar.txt" not in service.index.by_article:
            assert time.monotonic() - started < 10, "the new article was not picked up"
            asked += 1
            api.push_message("ماذا قال شي؟", user_id=500 + asked)
            await wait(api, "sendMessage", 1, chat_id=500 + asked)
            await asyncio.sleep(0.1)
        api.push_message("محطة نور للطاقة الشمسية في ورزازات", user_id=700)
        (reply,) = await wait(api, "sendMessage", 1, chat_id=700)
        assert "ورزازات" in reply.params["text"] and "لاماب" in reply.params["text"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_webhook_mode(api, service):
    settings = settings_for(
        api,
        webhook_url="https://bot.example.com/newsqa-hook",
        webhook_listen="127.0.0.1",
        webhook_port=free_port(),
    )
    options = tg.webhook_options(settings, TOKEN)
    assert options["url_path"] == "newsqa-hook" and TOKEN not in options["secret_token"]
    app = build_application(service, settings, watch=False)
    update = {"update_id": 1, "message": api.message("ماذا قال شي؟", user_id=7)}
    url = f"http://127.0.0.1:{settings.webhook_port}/newsqa-hook"
    async with app:
        await app.updater.start_webhook(**options, allowed_updates=ALLOWED_UPDATES)
        await app.start()
        try:
            async with httpx.AsyncClient() as client:
                forged = await client.post(
                    url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
                )
                good = await client.post(
                    url,
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": options["secret_token"]},
                )
            [reply] = await wait(api, "sendMessage", chat_id=7)
        finally:
            await app.updater.stop()
            await app.stop()
    [hook] = api.calls_of("setWebhook")
    assert hook.params["url"] == "https://bot.example.com/newsqa-hook"
    assert hook.params["secret_token"] == options["secret_token"]
    assert forged.status_code == 403 and good.status_code == 200
    assert "شينخوا" in reply.params["text"]


# -- settings and start-up ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "token, message", [(None, "not set"), ("  ", "not set"), ("abc", "does not look like")]
)
def test_a_missing_or_malformed_token_is_a_clear_settings_error(
    service, token, message, monkeypatch
):
    with pytest.raises(SettingsError, match=message):
        build_application(service, TelegramSettings(token=token))

    def must_not_load(*args, **kwargs):
        raise AssertionError("the model was loaded before the token was checked")

    monkeypatch.setattr("retrieval.model.embedding.load_embedder", must_not_load)
    with pytest.raises(SettingsError, match="TELEGRAM_BOT_TOKEN"):
        run_bot(Settings(), TelegramSettings(token=token))


@pytest.mark.parametrize("webhook", [None, "https://bot.example.com/hook"])
def test_run_bot_loads_the_model_and_index_then_runs(api, tmp_path, seeds, monkeypatch, webhook, caplog):
    ran = {}
    monkeypatch.setattr("retrieval.model.embedding.load_embedder", lambda model, cache, **kw: FakeEmbedder())
    monkeypatch.setattr(
        Application, "run_polling", lambda self, **kw: ran.update(polling=kw, app=self)
    )
    monkeypatch.setattr(
        Application, "run_webhook", lambda self, **kw: ran.update(webhook=kw, app=self)
    )
    settings = Settings(seeds=seeds, index=tmp_path / "idx")
    handlers = logging.getLogger().handlers
    run_bot(settings, settings_for(api, webhook_url=webhook), watch=False)
    for handler in handlers:  # the token is kept out of every log line
        redact = [f for f in handler.filters if isinstance(f, tg.RedactToken)]
        assert redact
        handler.removeFilter(redact[0])
    state = ran["app"].bot_data["newsqa"]
    assert state.service.stats().articles == 2 and state.watch is False
    if webhook:
        assert ran["webhook"]["webhook_url"] == webhook and ran["webhook"]["url_path"] == "hook"
        assert ran["webhook"]["allowed_updates"] == ALLOWED_UPDATES
    else:
        assert ran["polling"]["allowed_updates"] == ALLOWED_UPDATES


def test_api_urls_for_telegram_and_local_servers():
    assert api_urls(TELEGRAM_API_DEFAULT) == (
        "https://api.telegram.org/bot",
        "https://api.telegram.org/file/bot",
    )
    assert api_urls("http://127.0.0.1:8081/bot") == (
        "http://127.0.0.1:8081/bot",
        "http://127.0.0.1:8081/file/bot",
    )
    assert api_urls("http://127.0.0.1:8081/bot/") == api_urls("http://127.0.0.1:8081/bot")
    assert api_urls("http://127.0.0.1:8081/") == api_urls("http://127.0.0.1:8081/bot")
    assert api_urls("http://127.0.0.1:8081") == api_urls("http://127.0.0.1:8081/bot")
    assert api_urls("http://h/bot{token}/") == ("http://h/bot{token}/", "http://h/file/bot{token}/")


def test_sliding_window_limiter():
    now = [0.0]
    limiter = SlidingWindowLimiter(2, 60.0, clock=lambda: now[0])
    assert limiter.hit("u") == 0 and limiter.hit("u") == 0
    assert limiter.hit("u") == pytest.approx(60.0)
    assert limiter.first_refusal("u") and not limiter.first_refusal("u")
    assert limiter.hit("v") == 0  # per user
    now[0] = 30.0
    assert limiter.hit("u") == pytest.approx(30.0)
    now[0] = 60.5
    assert limiter.hit("u") == 0
    assert limiter.first_refusal("u")  # a new run of refusals is told again
    assert SlidingWindowLimiter(0).hit("u") == 0


# -- hardening: tokens, network faults, order, odd messages ---------------------------------------

OTHER_TOKEN = "987654321:AAEotherOTHERother0123456789abcdefghi"


def run_cli(*argv: str, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *argv], env={**os.environ, **env}, cwd=ROOT,
        capture_output=True, text=True, timeout=timeout,
    )


def test_a_rejected_token_is_one_line_exit_2_and_never_printed(api, tmp_path):
    result = run_cli(
        "bot", env={"TELEGRAM_BOT_TOKEN": OTHER_TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
                    "NEWSQA_MODEL": str(tmp_path / "no-model-needed")},
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stdout == ""
    assert "rejected TELEGRAM_BOT_TOKEN (401 Unauthorized)" in result.stderr
    assert "@BotFather" in result.stderr
    assert OTHER_TOKEN not in result.stderr and OTHER_TOKEN.split(":")[1] not in result.stderr
    [call] = api.calls_of("getMe")  # asked once, before loading any model
    assert call.error == 401


def test_bot_logs_have_timestamps(api, seeds, tmp_path):
    child = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "bot", "--no-watch"], cwd=ROOT, text=True,
        env={**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": api.base_url,
             "NEWSQA_SEEDS": str(seeds), "NEWSQA_INDEX": str(tmp_path / "idx")},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        line = child.stderr.readline()
    finally:
        child.kill()
        child.wait()
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} INFO bot.telegram.app: token accepted", line), line


async def test_a_passing_401_from_get_updates_is_retried(api, service):
    api.fail_next("getUpdates", 2, status=401)
    async with bot(api, service) as app:
        api.push_message("ماذا قال شي؟", user_id=7)
        [reply] = await wait(api, "sendMessage", chat_id=7, timeout=15)
        assert app.bot_data["newsqa"].fatal is None
    assert "شينخوا" in reply.params["text"]


async def test_a_lasting_401_from_get_updates_stops_the_bot(api, service):
    api.fail_for("getUpdates", 60, status=401)
    app = build_application(service, settings_for(api), watch=False, token_grace=1.0)
    async with polling(app, timeout=1):
        state = app.bot_data["newsqa"]
        await asyncio.wait_for(state.stopped.wait(), 15)
    assert "keeps rejecting TELEGRAM_BOT_TOKEN" in state.fatal


def test_run_bot_exits_with_an_error_when_the_token_is_revoked_while_running(api, seeds, tmp_path, monkeypatch):
    monkeypatch.setattr("retrieval.model.embedding.load_embedder", lambda model, cache, **kw: FakeEmbedder())
    monkeypatch.setattr("bot.telegram.app.REJECTED_TOKEN_GRACE", 1.0)
    api.fail_for("getUpdates", 60, status=401)  # getMe still works: revoked after the start
    settings = Settings(seeds=seeds, index=tmp_path / "idx")
    started = time.monotonic()
    with pytest.raises(SettingsError, match="keeps rejecting"):
        run_bot(settings, settings_for(api), watch=False)
    assert time.monotonic() - started < 30


async def test_answers_survive_seconds_of_server_errors_in_order(api, service):
    async with bot(api, service):
        api.fail_for("sendMessage", 3.0, status=500)
        outage_ends = time.monotonic() + 3.0
        first = api.push_message("ماذا قال شي؟", user_id=7)
        await asyncio.sleep(0.05)
        second = api.push_message("What did Xi say?", user_id=7)
        await asyncio.sleep(0.05)
        third = api.push_message("😀", user_id=7)
        replies = await wait(api, "sendMessage", 3, chat_id=7, timeout=30)
    order = [c.params["reply_parameters"]["message_id"] for c in replies]
    assert order == [first["message_id"], second["message_id"], third["message_id"]]
    failed = api.calls_of("sendMessage", lambda c: c.error == 500)
    assert failed and min(c.at for c in replies) >= outage_ends  # retried through it all


async def test_a_lost_response_is_sent_again_at_least_once(api, service):
    api.drop_next("sendMessage")
    async with bot(api, service):
        api.push_message("ماذا قال شي؟", user_id=7)
        replies = await wait(api, "sendMessage", 2, chat_id=7, timeout=20)
    # At-least-once, as docs/telegram.md says: the answer arrived, then was sent again.
    assert replies[0].params["text"] == replies[1].params["text"]


async def test_reindex_serves_a_generation_written_by_hand(api, service, seeds):
    from retrieval.index.indexer import update_index

    async with bot(api, service, admins=frozenset({1})):
        (seeds / "solar.txt").write_text("خبر عن الطاقة الشمسية في المغرب.\n", encoding="utf-8")
        await asyncio.to_thread(update_index, seeds, service.folder, FakeEmbedder())
        api.push_message("/reindex", user_id=1)
        done = await wait(api, "sendMessage", 2, chat_id=1)
        api.push_message("/stats", user_id=1)
        stats = await wait(api, "sendMessage", 3, chat_id=1)
    assert "added 0" in done[1].params["text"] and "index: 3 articles" in done[1].params["text"]
    assert "<b>3</b>" in stats[2].params["text"]


async def test_captions_are_questions_and_stickers_get_a_hint(api, service):
    async with bot(api, service):
        api.push_media("photo", caption="ماذا قال شي؟", user_id=7)
        [answer] = await wait(api, "sendMessage", chat_id=7)
        api.push_media("sticker", user_id=8)
        [hint] = await wait(api, "sendMessage", chat_id=8)
        api.push_media("photo", caption=f"@{BOT_USERNAME} ماذا قال شي؟", chat_id=-100500,
                       chat_type="group", user_id=9)
        await asyncio.sleep(0.3)
    assert "شينخوا" in answer.params["text"]
    assert hint.params["text"] == i18n.text("text_only", "ar")


@pytest.mark.parametrize("junk, reply", [("😀🎉", "text_only"), ("\u200b\u200f\u202e", "ask_how")])
async def test_junk_questions_are_not_searched(api, service, junk, reply):
    async with bot(api, service):
        api.push_message(junk, user_id=7)
        [sent] = await wait(api, "sendMessage", chat_id=7)
    assert sent.params["text"] == i18n.text(reply, "ar")


async def test_another_users_buttons_are_refused_and_the_owner_keeps_them(api, service):
    async with bot(api, service):
        asked = api.push_message("ماذا قال شي؟", user_id=7)
        [answer] = await wait(api, "sendMessage", chat_id=7)
        more = button(answer, "m1|")
        shown = api.bot_message(8, 9999)  # the data replayed from another chat
        query_id = api.push_callback(more, message=shown, user_id=8)
        [refusal] = await wait(api, "answerCallbackQuery")
        own = api.bot_message(7, answer.result["message_id"])
        own["reply_markup"] = answer.params["reply_markup"]
        api.push_callback(more, message=own, user_id=7)
        page = await wait(api, "sendMessage", 2, chat_id=7)
    assert refusal.params["callback_query_id"] == query_id
    assert refusal.params["text"] == i18n.text("not_yours", "ar")
    assert not api.sent_to(8)
    assert page[1].params["reply_parameters"]["message_id"] == answer.result["message_id"]
    assert asked  # the owner's «المزيد» still works


async def test_speakers_command_and_statement_pages(api, service):
    async with bot(api, service):
        api.push_message("/speakers", user_id=7)
        [people] = await wait(api, "sendMessage", chat_id=7)
        api.push_message("ماذا قال شي؟", user_id=8)
        [first] = await wait(api, "sendMessage", chat_id=8)
        api.push_callback(button(first, "m1|"), message=first.result, user_id=8)
        [_, second] = await wait(api, "sendMessage", 2, chat_id=8)
    assert "شي جين بينغ — 8 تصريحات" in people.params["text"] and "وانغ هو نينغ — تصريحان" in people.params["text"]
    assert "ما قاله «شي جين بينغ»: 8 تصريحات" in first.params["text"]
    assert "<b>5.</b>" in first.params["text"] and "<b>6.</b>" not in first.params["text"]
    assert "<b>6.</b>" in second.params["text"] and "<b>8.</b>" in second.params["text"]
    assert "المزيد ⬇️" not in [t for t, _ in buttons(second)]
