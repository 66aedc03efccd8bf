"""Telegram rendering: answers, context and commands as escaped HTML (pure); buttons are in
``bot.telegram.keyboards``."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Iterable, Sequence

from bot.formatting import (
    ELLIPSIS,
    RLM,
    cut,
    format_date,
    person_notes,
    place_text,
    safe_url,
    statements_heading,
)
from retrieval.query.understanding import MAX_QUESTION_CHARS
from retrieval.text.normalize import question_terms, term_spans
from retrieval.types import Answer, Hit, Passage, Source

#: Telegram's limit for one message, in UTF-16 code units (we count the tags too).
MESSAGE_LIMIT = 4096
#: Results shown per reply (and per "المزيد").
PAGE_SIZE = 3
#: A person's statements shown per reply (they are read one after another).
STATEMENTS_PAGE = 5
#: Articles per /sources page.
SOURCES_PAGE = 10
_TITLE_CHARS = 60
#: Sources listed under a statement that several articles carry.
MAX_ALSO_IN = 5


def telegram_length(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


# -- highlighting ---------------------------------------------------------------------

def highlight(text: str, terms: Iterable[str]) -> str:
    """``text`` escaped for HTML, with the words matching ``terms`` in <b>.

    Matching is on normalised words (see ``retrieval.text.normalize.term_spans``), but the
    original characters are what is shown.
    """
    out: list[str] = []
    last = 0
    for start, end in term_spans(text, frozenset(terms)):
        out.append(html.escape(text[last:start]))
        out.append(f"<b>{html.escape(text[start:end])}</b>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


# -- sources ----------------------------------------------------------------------------


def source_line(source: Source, *, link: bool = True) -> str:
    """«title · agency · place، region · date» as HTML, the title linked when there is a url."""
    name = cut(" ".join(source.title.split()), _TITLE_CHARS) if source.title else ""
    parts: list[str] = []
    url = safe_url(source.url) if link else None
    label = name or source.agency or source.path
    if url:
        parts.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(label)}</a>')
    else:
        parts.append(html.escape(label))
    if source.agency and source.agency != label:
        parts.append(html.escape(source.agency))
    place = place_text(source)
    if place:
        parts.append(html.escape(place))
    if source.date:
        parts.append(format_date(source.date))
    return " · ".join(parts)


def source_text(source: Source) -> str:
    """The source line as plain text (for inline result descriptions)."""
    return html.unescape(re.sub(r"<[^>]+>", "", source_line(source, link=False)))


# -- answers ----------------------------------------------------------------------------

NOTHING_FOUND = (
    f"{RLM}🤷 لم أجد في الأخبار المفهرسة ما يجيب عن سؤالك.\n"
    f"{RLM}جرّب صياغة أخرى، أو كلمات أدق: اسم شخص أو مكان أو حدث.\n\n"
    "I found nothing in the indexed news that answers your question.\n"
    "Try rephrasing it, or use more specific words: a name, a place, an event."
)
NO_MORE = "لا مزيد من النتائج / No more results"
QUESTION_CUT = (
    f"{RLM}✂️ قُصّ سؤالك إلى {MAX_QUESTION_CHARS} حرف.\n"
    f"Your question was cut to {MAX_QUESTION_CHARS:,} characters."
)


def _hit_html(rank: int, text: str, terms: frozenset[str], source: Source, also_in=()) -> str:
    lines = f"{RLM}<b>{rank}.</b> {highlight(text, terms)}\n{RLM}📰 {source_line(source)}"
    for other in also_in:
        lines += f"\n{RLM}📰 {source_line(other)}"
    return lines


def _fit(render, text: str, limit: int) -> str:
    """``render(text)``, with ``text`` cut (ending in "…") until the result fits ``limit``."""
    whole = render(text)
    if telegram_length(whole) <= limit:
        return whole
    lo, hi = 0, len(text)
    while lo < hi:  # the longest cut whose rendering still fits
        mid = (lo + hi + 1) // 2
        if telegram_length(render(cut(text, mid))) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return render(cut(text, lo) if lo else ELLIPSIS)


def hit_block(hit: Hit, terms: frozenset[str], limit: int = MESSAGE_LIMIT) -> str:
    """One numbered result with its source line, at most ``limit`` long."""
    also_in = hit.also_in[:MAX_ALSO_IN]
    return _fit(lambda t: _hit_html(hit.rank, t, terms, hit.source, also_in), hit.passage.text, limit)


def pack_messages(blocks: Sequence[str], limit: int = MESSAGE_LIMIT) -> list[str]:
    """Join blocks with blank lines into as few messages as fit in ``limit`` each."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        candidate = f"{current}\n\n{block}" if current else block
        if telegram_length(candidate) <= limit:
            current = candidate
        else:
            if current:
                messages.append(current)
            current = block
    if current:
        messages.append(current)
    return messages


def page_size(answer: Answer) -> int:
    """How many results one reply shows: more for a person's statements."""
    return STATEMENTS_PAGE if answer.person is not None and answer.person.found else PAGE_SIZE


def render_answer(answer: Answer, *, note: str | None = None, first_page: bool = True) -> list[str]:
    """An answer as Telegram HTML messages, each within MESSAGE_LIMIT, split between hits.

    Args:
        answer: the answer; no hits renders the "nothing found" message.
        note: a line to put first (e.g. that the question was cut).
        first_page: whether this is the first reply to the question (a person's
            heading and notes go on it only).

    Returns:
        One or more message texts.
    """
    blocks = [note] if note else []
    person = answer.person
    if person is not None and first_page:
        blocks += [html.escape(text) for text in person_notes(person)]
    if not answer.found:
        return pack_messages([*blocks, NOTHING_FOUND])
    terms = question_terms(answer.question)
    if person is not None and person.found:
        terms = question_terms(" ".join(person.names))  # the person's name, not «قال»
        if first_page:
            blocks.append(html.escape(statements_heading(person)))
    blocks += [hit_block(hit, terms) for hit in answer.hits]
    return pack_messages(blocks)


def render_context(
    passage: Passage, source: Source, before: Sequence[str], after: Sequence[str]
) -> str:
    """A passage in bold with the sentences around it, and its source, in one message."""
    before, after = list(before), list(after)

    def render(text: str) -> str:
        body = " ".join(
            [*map(html.escape, before), f"<b>{html.escape(text)}</b>", *map(html.escape, after)]
        )
        return f"{RLM}📖 <b>السياق</b> / Context\n{RLM}📰 {source_line(source)}\n\n{RLM}{body}"

    # Drop the farthest sentences first, then cut the passage itself.
    while telegram_length(render(passage.text)) > MESSAGE_LIMIT and (before or after):
        if len(before) >= len(after):
            before.pop(0)
        else:
            after.pop()
    return _fit(render, passage.text, MESSAGE_LIMIT)


# -- inline mode --------------------------------------------------------------------------


def inline_title(hit: Hit) -> str:
    """A short plain title for an inline result."""
    return cut(" ".join(hit.passage.text.split()), 60)


def inline_message(question: str, hit: Hit) -> str:
    """The message an inline result posts: the question, then the passage and its source."""
    head = f"{RLM}❓ {html.escape(cut(' '.join(question.split()), 300))}\n\n"
    terms = question_terms(question)
    return head + hit_block(hit, terms, MESSAGE_LIMIT - telegram_length(head))


# -- commands ---------------------------------------------------------------------------------

HELP = (
    f"{RLM}👋 أهلاً! أنا أجيب عن الأسئلة من الأخبار المفهرسة.\n"
    f"{RLM}اكتب سؤالك، مثلاً: «ماذا قال شي؟»، فأرسل لك أقرب المقاطع مع مصادرها، "
    "والكلمات المطابقة بالخط العريض.\n"
    f"{RLM}• «المزيد» يعرض النتائج التالية، و📖 يعرض المقطع في سياقه.\n"
    f"{RLM}• في المجموعات: اذكرني (@) أو ردّ على رسالتي أو استخدم /ask.\n"
    f"{RLM}• في أي محادثة: اكتب اسمي ثم سؤالك (الوضع المضمّن).\n"
    f"{RLM}«ماذا قال فلان؟» يعرض كل تصريحاته، و/speakers من يُقتبس أكثر.\n"
    f"{RLM}الأوامر: /sources المقالات، /speakers المتحدثون، /stats إحصاءات الفهرس، /help هذه الرسالة.\n\n"
    "👋 Hello! I answer questions from the indexed news.\n"
    "Type a question, e.g. “What did Xi say?”, and I send the closest passages with "
    "their sources, the matching words in bold.\n"
    "• “المزيد” (more) shows the next results; 📖 shows a passage in its context.\n"
    "• In groups: mention me, reply to me, or use /ask.\n"
    "• In any chat: type my @name and a question (inline mode).\n"
    "“What did X say?” lists all of X's statements; /speakers shows who is quoted most.\n"
    "Commands: /sources articles, /speakers people quoted, /stats index stats, /help this message."
)

#: (command, Arabic description) for setMyCommands.
COMMANDS = (
    ("start", "البدء والتعريف بالبوت"),
    ("help", "كيف تسأل / How to ask"),
    ("ask", "اطرح سؤالاً (في المجموعات)"),
    ("sources", "المقالات المفهرسة"),
    ("speakers", "من يُقتبس أكثر (اسأل: ماذا قال…؟)"),
    ("stats", "إحصاءات الفهرس"),
    ("reindex", "إعادة الفهرسة (للمشرفين)"),
)

REFUSED = (
    f"{RLM}🔒 عذراً، هذا البوت خاص ولا يمكنك استخدامه.\n"
    "Sorry, this bot is private; you cannot use it."
)
ADMINS_ONLY = f"{RLM}🔒 هذا الأمر للمشرفين فقط.\nThis command is for admins only."
ERROR = (
    f"{RLM}⚠️ حدث خطأ أثناء معالجة رسالتك، حاول مرة أخرى بعد قليل.\n"
    "Something went wrong; please try again in a moment."
)
TEXT_ONLY = (
    f"{RLM}✍️ أفهم الأسئلة المكتوبة بالكلمات فقط (أو تعليق الصورة). اكتب سؤالك، مثلاً: ماذا قال شي؟\n"
    "I understand questions written in words (or a photo's caption). Type your question, "
    "e.g. What did Xi say?"
)
NOT_YOURS = "هذه الأزرار لمن طرح السؤال؛ اطرح سؤالك / These buttons belong to whoever asked"
STALE = "انتهت صلاحية هذا الزر، اطرح السؤال من جديد / This button has expired; ask again"
ALREADY_SHOWN = "معروض أعلاه / Already shown above"
ASK_HOW = (
    f"{RLM}اكتب سؤالك بعد الأمر، مثلاً: /ask ماذا قال شي؟\n"
    "Write your question after the command, e.g. /ask What did Xi say?"
)
# Inline mode: the button above the results (short: Telegram cuts it).
INLINE_REFUSED = "🔒 بوت خاص / Private bot"
INLINE_EMPTY = "اكتب سؤالك / Type a question"
INLINE_SLOW = "⏳ على مهلك / Slow down"
INLINE_NOTHING = "لا نتائج، أعد الصياغة / Nothing found, rephrase"
REINDEX_STARTED = f"{RLM}⏳ جارٍ إعادة الفهرسة…\nRe-indexing…"


def rate_limited(limit: int, wait_seconds: float) -> str:
    """The friendly message for someone asking faster than ``limit`` questions a minute."""
    wait = max(1, round(wait_seconds))
    return (
        f"{RLM}⏳ على مهلك! يمكنك طرح {limit} أسئلة في الدقيقة؛ حاول بعد {wait} ثانية.\n"
        f"Easy there! You can ask {limit} questions a minute; try again in {wait} s."
    )


def reindex_done(summary: str) -> str:
    return f"{RLM}✅ تمّت إعادة الفهرسة.\nRe-indexed: {html.escape(summary)}"


def reindex_failed(message: str) -> str:
    return f"{RLM}❌ تعذّرت إعادة الفهرسة.\nRe-indexing failed: {html.escape(message)}"


def _format_timestamp(value: str) -> str:
    try:
        stamp = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return html.escape(str(value))
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.timezone.utc)
    return f"{format_date(stamp.date())}، {stamp:%H:%M} UTC"


def render_stats(articles: int, passages: int, model: str, built_at: str) -> str:
    """The /stats message."""
    return (
        f"{RLM}📊 <b>إحصاءات الفهرس</b> / Index stats\n"
        f"{RLM}المقالات / Articles: <b>{articles:,}</b>\n"
        f"{RLM}المقاطع / Passages: <b>{passages:,}</b>\n"
        f"{RLM}النموذج / Model: <code>{html.escape(model)}</code>\n"
        f"{RLM}آخر فهرسة / Last indexed: {_format_timestamp(built_at)}"
    )


def render_sources(page: Sequence[tuple[str, Source]], offset: int, total: int) -> str:
    """A /sources page: numbered articles with their source lines."""
    if not total:
        return f"{RLM}📚 لا مقالات في الفهرس بعد.\nNo articles are indexed yet."
    head = f"{RLM}📚 <b>المقالات المفهرسة</b> / Indexed articles"
    head += f" ({offset + 1}–{offset + len(page)} / {total:,})"
    for link in (True, False):  # links dropped only if they make the page too long
        lines = [head] + [
            f"{RLM}<b>{n}.</b> {source_line(source, link=link)}"
            for n, (_, source) in enumerate(page, start=offset + 1)
        ]
        text = "\n".join(lines)
        if telegram_length(text) <= MESSAGE_LIMIT:
            break
    return text


def render_people(people, total: int) -> str:
    """The /speakers message: who is quoted most, with counts."""
    if not people:
        return f"{RLM}🗣️ لا أحد مقتبَس في الأخبار المفهرسة بعد.\nNobody is quoted in the indexed news yet."
    lines = [f"{RLM}🗣️ <b>الأكثر اقتباسا</b> / Most quoted ({len(people)} / {total:,})"]
    for n, person in enumerate(people, start=1):
        lines.append(
            f"{RLM}<b>{n}.</b> {html.escape(person.name)} — {person.statements} "
            f"تصريح في {person.articles} مقال"
        )
    lines.append(f"{RLM}اسأل: ماذا قال {html.escape(people[0].name)}؟")
    return "\n".join(lines)
