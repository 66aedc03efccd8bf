"""Tests for bot/telegram/render.py (and the shared bot/formatting.py): limits, escaping, highlighting, callback data, texts."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import replace

import pytest

import bot.i18n as i18n
from bot.formatting import RLM, format_date
from bot.telegram import render
from bot.telegram.keyboards import (
    CONTEXT,
    MORE,
    SOURCES,
    Callback,
    answer_keyboard,
    parse_callback,
    sources_keyboard,
    without_more,
)
from bot.telegram.render import (
    MESSAGE_LIMIT,
    highlight,
    render_answer,
    render_context,
    telegram_length,
)
from bot.testing import html_problem
from retrieval.text.normalize import question_terms
from retrieval.types import Answer, Hit, Passage, PersonAnswer, Source, SpeakerGroup

XINHUA = Source(
    path="000.txt",
    title="قال الرئيس الصيني شي جين بينغ",
    agency="شينخوا",
    place="ووتشن",
    region="تشجيانغ",
    date=dt.date(2017, 12, 3),
)


def hit(rank: int, text: str, source: Source = XINHUA) -> Hit:
    return Hit(
        rank=rank,
        score=0.9,
        passage=Passage("000.txt", rank - 1, text, 0, len(text)),
        source=source,
    )


def assert_valid(message: str) -> None:
    assert telegram_length(message) <= MESSAGE_LIMIT
    assert html_problem(message) is None, html_problem(message)


# -- limits ------------------------------------------------------------------------------


def test_a_huge_passage_is_cut_with_an_ellipsis_under_the_limit():
    text = "قال شي & <b> " * 3000  # escaping makes it several times longer
    [message] = render_answer(Answer("ماذا قال شي؟", (hit(1, text),)))
    assert_valid(message)
    assert telegram_length(message) > MESSAGE_LIMIT - 200  # cut close to the limit, not far
    assert "…" in message
    assert "شينخوا" in message  # the source line survives the cut


def test_many_long_hits_are_split_between_hits():
    hits = tuple(hit(n, f"جملة رقم {n} " + "كلمة " * 400) for n in range(1, 9))
    messages = render_answer(Answer("سؤال", hits))
    assert len(messages) > 1
    for message in messages:
        assert_valid(message)
    numbers = [int(n) for m in messages for n in re.findall(r"<b>(\d+)\.</b>", m)]
    assert numbers == list(range(1, 9))  # every hit once, in order, none cut in two
    assert all("…" not in m for m in messages)


def test_length_is_counted_in_utf16_units():
    assert telegram_length("📰") == 2
    hits = (hit(1, "📰" * 5000),)
    [message] = render_answer(Answer("x", hits))
    assert telegram_length(message) <= MESSAGE_LIMIT < len(message.encode("utf-16-le"))


def test_a_note_comes_first():
    messages = render_answer(Answer("q", (hit(1, "نص"),)), note=render.question_cut("ar"))
    assert messages[0].startswith(render.question_cut("ar"))
    assert "1,000 حرف" in render.question_cut("ar") and "1,000 characters" in render.question_cut("en")


# -- escaping and sources --------------------------------------------------------------------


def test_everything_is_escaped():
    source = Source(
        path="a.json",
        title="<script>Tom & Jerry</script>",
        agency="A&B",
        url="https://example.com/a?x=1&y='2'",
    )
    [message] = render_answer(
        Answer("الأرباح", (hit(1, "قالت <b>الشركة</b> إن الأرباح & الإيرادات ارتفعت", source),))
    )
    assert_valid(message)
    assert "&lt;b&gt;الشركة&lt;/b&gt;" in message
    assert "&amp; الإيرادات" in message
    assert "&lt;script&gt;Tom &amp; Jerry&lt;/script&gt;" in message
    assert 'href="https://example.com/a?x=1&amp;y=&#x27;2&#x27;"' in message
    assert "A&amp;B" in message
    assert "<b>الأرباح</b>" in message


def test_only_web_links_are_linked():
    for url in ("javascript:alert(1)", 'https://x.org/"onclick', "https://x.org/<b>"):
        assert "href" not in render.source_line(Source(path="a", title="T", url=url))
    assert (
        render.source_line(Source(path="a", title="T", url="https://x.org/p"))
        == '<a href="https://x.org/p">T</a>'
    )


def test_source_line_shows_title_agency_place_and_arabic_date():
    line = render.source_line(XINHUA)
    assert line == "قال الرئيس الصيني شي جين بينغ · شينخوا · ووتشن، تشجيانغ · 3 ديسمبر 2017"
    assert render.source_line(Source(path="p.txt", title="", agency="رويترز")) == "رويترز"


def test_the_source_line_follows_the_reply_language_and_hides_a_title_cut_from_the_text():
    assert render.source_line(XINHUA, "en").endswith("3 December 2017")
    assert render.source_line(XINHUA, titled=False) == "شينخوا · ووتشن، تشجيانغ · 3 ديسمبر 2017"
    encoded = Source(path="a", title="", url="https://ar.example.com/%D8%B4%D9%8A")
    assert render.source_line(encoded) == '<a href="https://ar.example.com/%D8%B4%D9%8A">https://ar.example.com/شي</a>'
    assert format_date(dt.date(2020, 1, 31), "ar") == "31 يناير 2020"


def test_arabic_lines_start_with_a_right_to_left_mark():
    [message] = render_answer(Answer("شي", (hit(1, "قال شي."), hit(2, "2017 كان عاما."))))
    for line in filter(None, message.split("\n")):
        assert line.startswith(RLM)


# -- highlighting ------------------------------------------------------------------------------


def test_matched_question_words_are_bold_but_not_stop_words():
    text = "قال الرئيس الصيني شي جين بينغ ماذا في الصين"
    out = highlight(text, question_terms("ماذا قال شي في الصين؟"))
    assert "<b>قال</b>" in out and "<b>شي</b>" in out and "<b>الصين</b>" in out
    assert "<b>ماذا</b>" not in out and "<b>في</b>" not in out
    assert "<b>الصيني</b>" not in out


def test_highlighting_matches_normalised_words_and_keeps_the_original():
    out = highlight("وقَالَ الرئيسُ إنّ الإنترنت مهمة", question_terms("ماذا قال الرئيس عن الانترنت"))
    assert "<b>وقَالَ</b>" in out  # diacritics and a leading و
    assert "<b>الرئيسُ</b>" in out
    assert "<b>الإنترنت</b>" in out  # إ matches ا


def test_english_highlighting_ignores_case_stop_words_and_one_letter_words():
    terms = question_terms("What did Xi say about a Summit?")
    assert terms == {"xi", "say", "summit"}
    out = highlight("President XI said a summit is what matters", terms)
    assert out == "President <b>XI</b> said a <b>summit</b> is what matters"


def test_highlighting_escapes_around_bold_words():
    assert highlight("<شي> & شي", {"شي"}) == "&lt;<b>شي</b>&gt; &amp; <b>شي</b>"


# -- «من قال …؟»: statements by speaker ----------------------------------------------------------

RIYADH = Source(path="jubeir.txt", title="t", agency="رويترز", place="الرياض", date=dt.date(2017, 6, 6))


def statement(rank: int, text: str, speaker: str, source: Source = RIYADH) -> Hit:
    passage = Passage(source.path, rank - 1, text, 0, len(text), (speaker,))
    return Hit(rank=rank, score=0.9, passage=passage, source=source, speaker=speaker, titled=False)


BY_SPEAKER = Answer(
    "من تحدث عن قطر؟",
    (
        statement(1, "قال عادل الجبير إن على قطر أن تتوقف.", "عادل الجبير"),
        statement(2, "وأكد الجبير أن الأزمة مع قطر طويلة.", "عادل الجبير"),
        statement(3, "قال شي إن الصين صديقة لقطر.", "شي جين بينغ", XINHUA),
    ),
    claim="قطر",
    speakers=(SpeakerGroup("عادل الجبير", (1, 2)), SpeakerGroup("شي جين بينغ", (3,))),
)


def test_who_said_answers_have_a_bold_heading_per_speaker_then_their_statements():
    [message] = render_answer(BY_SPEAKER)
    assert_valid(message)
    jubeir, xi = message.split("\n\n<b>")
    assert jubeir.startswith(f"<b>{RLM}🗣️ عادل الجبير — تصريحان</b>\n{RLM}📰 رويترز · الرياض · 6 يونيو 2017\n")
    assert "<b>1.</b>" in jubeir and "<b>2.</b>" in jubeir and "<b>قطر</b>" in jubeir
    assert xi.startswith(f"{RLM}🗣️ شي جين بينغ — تصريح واحد</b>\n{RLM}📰 ") and "<b>3.</b>" in xi
    assert "— عادل الجبير" not in message  # the heading names the speaker, not each line
    assert render.page_size(BY_SPEAKER) == render.STATEMENTS_PAGE


def test_who_said_answers_follow_the_reply_language_and_a_page_keeps_its_speakers():
    [message] = render_answer(BY_SPEAKER, "en")
    assert "<b>🗣️ عادل الجبير — 2 statements</b>" in message and "6 June 2017" in message
    [page] = render_answer(replace(BY_SPEAKER, hits=BY_SPEAKER.hits[1:]), "en", first_page=False)
    assert "— 1 statement</b>" in page and "<b>1.</b>" not in page and "<b>3.</b>" in page


def test_who_said_with_no_statement_says_so_and_lists_nothing():
    [message] = render_answer(Answer("من قال إن <X>؟", claim="<X>"), note=render.question_cut("ar"))
    assert_valid(message)
    assert message.startswith(render.question_cut("ar"))
    assert i18n.text("claim_nothing", "ar", claim="&lt;X&gt;") in message
    [english] = render_answer(Answer("Who said X?", claim="X"), "en")
    assert english == "🤷 I found no statement in the indexed news that matches “X”."


def test_long_statements_by_speaker_are_split_between_statements():
    hits = tuple(statement(n, f"قال الجبير {n} " + "كلمة " * 400, "عادل الجبير") for n in range(1, 7))
    answer = Answer("من قال؟", hits, claim="كلمة", speakers=(SpeakerGroup("عادل الجبير", tuple(range(1, 7))),))
    messages = render_answer(answer)
    assert len(messages) > 1 and all(html_problem(m) is None and telegram_length(m) <= MESSAGE_LIMIT for m in messages)
    assert [int(n) for m in messages for n in re.findall(r"<b>(\d+)\.</b>", m)] == list(range(1, 7))


# -- «ماذا قال X وY عن Z؟»: a heading per person, the statements about the topic first ---------------

TRUMP = PersonAnswer("ترامب", ("دونالد ترامب", "ترامب"), total=3, topic="سوريا", on_topic=1, canonical="دونالد ترامب")
ERDOGAN = PersonAnswer("أردوغان", ("رجب طيب أردوغان",), total=2, topic="سوريا", on_topic=0)


def said(rank: int, text: str, person: int, aside: bool) -> Hit:
    return replace(statement(rank, text, ("دونالد ترامب", "رجب طيب أردوغان")[person]), person=person, aside=aside)


TWO_PEOPLE = Answer(
    "ماذا قال ترامب وأردوغان عن سوريا؟",
    (
        said(1, "قال ترامب إن الأسد شرير.", 0, False),
        said(2, "قال ترامب إن الصين تتلاعب بالعملة.", 0, True),
        said(3, "وأضاف ترامب أن الوظائف ستعود.", 0, True),
        said(4, "قال أردوغان إن هولندا ستدفع الثمن.", 1, True),
        said(5, "وأضاف أردوغان أن تركيا الأقوى.", 1, True),
    ),
    people=(TRUMP, ERDOGAN),
)


def test_two_people_get_a_heading_each_and_the_other_statements_come_last():
    [message] = render_answer(TWO_PEOPLE)
    assert_valid(message)
    headings = [
        "🗣️ ما قاله «دونالد ترامب» عن «سوريا»: تصريح واحد",
        "🗣️ ما قاله «رجب طيب أردوغان» عن «سوريا»: لا تصريحات",
        "🗒️ تصريحات أخرى لـ«دونالد ترامب» (ليست عن «سوريا»): تصريحان",
        "🗒️ تصريحات أخرى لـ«رجب طيب أردوغان» (ليست عن «سوريا»): تصريحان",
    ]
    places = [message.index(h) for h in headings]
    assert places == sorted(places)
    assert message.index("<b>1.</b>") < places[1] < places[2] < message.index("<b>2.</b>") < places[3]
    assert message.index("<b>3.</b>") < places[3] < message.index("<b>4.</b>")
    assert "<b>ترامب</b>" in message and "<b>أردوغان</b>" in message  # both names in bold
    assert TWO_PEOPLE.person is TRUMP and render.page_size(TWO_PEOPLE) == render.STATEMENTS_PAGE
    # who is in the answer comes first, before the first person's (possibly long) list
    assert message.index("👥 دونالد ترامب (3 تصريحات)، رجب طيب أردوغان (تصريحان)") < places[0]


def test_a_later_page_has_only_the_headings_of_sections_starting_on_it():
    [page] = render_answer(replace(TWO_PEOPLE, hits=TWO_PEOPLE.hits[2:]), first_page=False)
    assert "دونالد ترامب" not in page and "تصريحات أخرى لـ«رجب طيب أردوغان»" in page
    assert page.index("<b>3.</b>") < page.index("تصريحات أخرى") < page.index("<b>4.</b>")


def test_the_heading_shows_the_canonical_name_and_says_when_no_statement_fell_in_the_time():
    person = PersonAnswer("نتانياهو", ("بنيامين نتتنياهو", "بنيامين نتنياهو"), total=2, when="في 2015",
                          all_times=True, canonical="بنيامين نتنياهو")
    answer = Answer("ماذا قال نتانياهو في 2015؟", (statement(1, "قال نتنياهو كذا.", "بنيامين نتتنياهو"),), person)
    [message] = render_answer(answer)
    assert "ما قاله «بنيامين نتنياهو» (لا تصريح «في 2015»، فهذه من كل التواريخ): تصريحان" in message
    [english] = render_answer(answer, "en")
    assert "What بنيامين نتنياهو said (none “في 2015”, so from every date): 2 statements" in english


# -- nothing found, context, commands ------------------------------------------------------------


def test_nothing_found_is_in_the_reply_language_and_suggests_rephrasing():
    [message] = render_answer(Answer("سؤال"))
    assert message == i18n.text("nothing_found", "ar") and "صياغة" in message and "I found" not in message
    [message] = render_answer(Answer("question"), "en")
    assert "rephras" in message and "لم أجد" not in message
    [chinese] = render_answer(Answer("习近平说了什么"), "en")
    assert chinese == i18n.text("unsupported_language", "en")


def test_context_shows_the_passage_in_bold_between_its_sentences():
    passage = Passage("a", 5, "الجملة <المهمة>.", 0, 10)
    text = render_context(passage, XINHUA, ("قبلها.",), ("بعدها.",))
    assert_valid(text)
    assert "قبلها. <b>الجملة &lt;المهمة&gt;.</b> بعدها." in text
    assert "شينخوا" in text


def test_a_huge_context_drops_far_sentences_first_then_cuts():
    passage = Passage("a", 5, "المقطع المهم.", 0, 10)
    before = tuple(f"قبل {i} " + "س" * 500 for i in range(10))
    after = tuple(f"بعد {i} " + "ص" * 500 for i in range(10))
    text = render_context(passage, XINHUA, before, after)
    assert_valid(text)
    assert "<b>المقطع المهم.</b>" in text
    assert "قبل 9" in text and "بعد 0" in text and "قبل 0" not in text
    huge = Passage("a", 5, "& " * 5000, 0, 10)
    text = render_context(huge, XINHUA, (), ())
    assert_valid(text)
    assert text.endswith("…</b>")


def test_help_and_commands_in_both_languages():
    assert "أهلاً" in i18n.text("help", "ar") and "Hello" in i18n.text("help", "en")
    assert "Hello" not in i18n.text("help", "ar")
    assert "/sources" in i18n.text("help", "ar") and "/reset" in i18n.text("help", "en")
    assert [n for n, _ in render.commands("en")] == [n for n, _ in render.commands("ar")]
    assert all(re.fullmatch(r"[a-z]+", name) for name, _ in render.commands("ar"))
    assert {name for name, _ in render.commands("ar")} >= {"start", "help", "sources", "stats", "reindex"}


def test_stats_and_sources_pages():
    stats = render.render_stats(1234, 56789, "multilingual-e5-small", "2024-05-01T10:20:00+00:00")
    assert "1,234" in stats and "56,789" in stats and "1 مايو 2024" in stats and "10:20" in stats
    english = render.render_stats(1, 2, "m", "2024-05-01T10:20:00+00:00", "en")
    assert "1 May 2024" in english and "Articles" in english
    assert_valid(stats)
    page = [(f"a{i}", Source(path=f"a{i}", title=f"<t{i}>", agency="وكالة")) for i in range(10, 20)]
    text = render.render_sources(page, 10, 57)
    assert_valid(text)
    assert "11–20 من 57" in text and "<b>11.</b> &lt;t10&gt;" in text
    long_urls = [
        (s[0], Source(path=s[1].path, title="t", url="https://e.org/" + "x" * 1000)) for s in page
    ]
    assert_valid(render.render_sources(long_urls, 0, 10))
    assert "لا مقالات" in render.render_sources([], 0, 0)


def test_inline_texts():
    h = hit(1, "قال شي " * 2000)
    message = render.inline_message("ماذا قال شي؟ " * 200, h)
    assert_valid(message)
    assert message.startswith(RLM + "❓")
    assert len(render.inline_title(h)) <= 60
    assert render.source_text(Source(path="a", title="A & B", url="https://x")) == "A & B"


def test_user_facing_answers_fit_a_callback_answer():
    for text in (
        i18n.text("stale", "ar"),
        i18n.text("already_shown", "ar"),
        i18n.text("no_more", "ar"),
        i18n.text("error", "ar"),
        i18n.text("refused", "ar"),
        render.rate_limited(12, 59.2),
    ):
        assert len(text) <= 200


# -- callback data and keyboards ------------------------------------------------------------------


@pytest.mark.parametrize(
    "callback",
    [Callback(MORE, "AbC-_123xyz", 3), Callback(CONTEXT, "t0k3n", 12), Callback(SOURCES, "", 40)],
)
def test_callback_data_round_trips(callback):
    data = callback.encode()
    assert len(data.encode()) <= 64
    assert parse_callback(data) == callback


@pytest.mark.parametrize(
    "data",
    [
        None,
        42,
        "",
        "m",
        "m1",
        "m1|tok",
        "m1|tok|",
        "m1|tok|x",
        "m1|tok|-1",
        "m1|tok|3|4",
        "m2|tok|3",
        "x1|tok|3",
        "M1|tok|3",
        "m1|tok|3 ",
        " m1|tok|3",
        "m1|to k|3",
        "m1|tók|3",
        "m1||3",
        "c1||3",
        "c1|tok|0",
        "s1|tok|10",
        "m1|" + "a" * 23 + "|3",
        "m1|tok|1234567",
        "m1|tok|3\n",
        "c1|tok|٣",
        "m1|tok|" + "9" * 70,
    ],
)
def test_malformed_callback_data_is_none(data):
    assert parse_callback(data) is None


def test_encoding_an_invalid_callback_fails():
    with pytest.raises(ValueError):
        Callback(MORE, "bad token", 1).encode()
    with pytest.raises(ValueError):
        Callback(SOURCES, "tok", 1).encode()


def test_answer_keyboard_has_context_buttons_and_more():
    markup = answer_keyboard("tok", [4, 5, 6], 6)
    rows = markup.inline_keyboard
    assert [parse_callback(b.callback_data) for b in rows[0]] == [
        Callback(CONTEXT, "tok", r) for r in (4, 5, 6)
    ]
    assert rows[1][0].text.startswith("المزيد")
    assert parse_callback(rows[1][0].callback_data) == Callback(MORE, "tok", 6)
    assert len(answer_keyboard("tok", [1], None).inline_keyboard) == 1  # no more: no button
    assert answer_keyboard("tok", [], None) is None
    kept = without_more(markup)
    assert kept.inline_keyboard == (rows[0],)
    assert without_more(None) is None
    assert without_more(answer_keyboard("tok", [], 3)) is None


def test_sources_keyboard_pages():
    assert sources_keyboard(0, 5) is None
    first = sources_keyboard(0, 25).inline_keyboard[0]
    assert [parse_callback(b.callback_data).number for b in first] == [10]
    middle = sources_keyboard(10, 25).inline_keyboard[0]
    assert [parse_callback(b.callback_data).number for b in middle] == [0, 20]
    last = sources_keyboard(20, 25).inline_keyboard[0]
    assert [parse_callback(b.callback_data).number for b in last] == [10]


def test_escaping_matches_html_escape():
    text = "a<b>&\"'"
    assert highlight(text, set()) == html.escape(text)
