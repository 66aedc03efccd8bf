"""Telegram rendering (pure): answers, context and commands as escaped HTML, in the reply's
language (texts from ``bot.i18n``); buttons are in ``bot.telegram.keyboards``."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Iterable, Sequence

from bot.formatting import (
    ELLIPSIS,
    answer_notes,
    cut,
    details_lines,
    display_url,
    group_by_article,
    group_by_speaker,
    lists_statements,
    people_lines,
    place_text,
    plain,
    rtl,
    safe_url,
    shows_speaker,
    speaker_heading,
    statement_sections,
)
from bot.i18n import RLM, format_date, plural, text
from retrieval.query.understanding import MAX_QUESTION_CHARS, language_of
from retrieval.text.normalize import question_terms, term_spans
from retrieval.types import Answer, Hit, Passage, Person, Source

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
#: The bot's commands, in the order Telegram's menu shows them (descriptions: ``bot.i18n``).
COMMAND_NAMES = ("start", "help", "ask", "sources", "speakers", "stats", "reset", "reindex")


def telegram_length(value: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji counts twice)."""
    return len(value.encode("utf-16-le")) // 2


def t(key: str, language: str, **values: object) -> str:
    """A catalog text for HTML: the values escaped (the entries hold no markup)."""
    return text(key, language, **{k: html.escape(str(v), quote=False) for k, v in values.items()})


# -- highlighting ---------------------------------------------------------------------

def highlight(value: str, terms: Iterable[str]) -> str:
    """``value`` escaped for HTML, with the words matching ``terms`` in <b>.

    Matching is on normalised words (see ``retrieval.text.normalize.term_spans``), but the
    original characters are what is shown.
    """
    out: list[str] = []
    last = 0
    for start, end in term_spans(value, frozenset(terms)):
        out.append(html.escape(value[last:start]))
        out.append(f"<b>{html.escape(value[start:end])}</b>")
        last = end
    out.append(html.escape(value[last:]))
    return "".join(out)


# -- sources ----------------------------------------------------------------------------


def source_line(source: Source, language: str = "ar", *, link: bool = True, titled: bool = True) -> str:
    """«title · agency · place، region · date» as HTML; the title (when the article has one
    of its own, ``titled``) or else the agency is the link when there is a url; with no
    agency, place or date, the link as people read it."""
    name = cut(plain(source.title), _TITLE_CHARS) if titled and source.title else ""
    url = safe_url(source.url) if link else None
    place, date = place_text(source), format_date(source.date, language)
    label = name or source.agency or (cut(display_url(source.url), _TITLE_CHARS) if url else "")
    label = label or (cut(plain(source.title), _TITLE_CHARS) if not (place or date) else "") or source.path
    parts = [f'<a href="{html.escape(url, quote=True)}">{html.escape(label)}</a>' if url else html.escape(label)]
    if source.agency and source.agency != label:
        parts.append(html.escape(source.agency))
    parts += [html.escape(p) for p in (place, date) if p]
    return " · ".join(parts)


def source_text(source: Source, language: str = "ar") -> str:
    """The source line as plain text (for inline result descriptions)."""
    return html.unescape(re.sub(r"<[^>]+>", "", source_line(source, language, link=False)))


# -- answers ----------------------------------------------------------------------------


def question_cut(language: str) -> str:
    """The note above an answer to a question that was cut to fit."""
    return t("question_cut", language, characters=plural(MAX_QUESTION_CHARS, "character", language))


def _hit_html(hit: Hit, body: str, terms: frozenset[str], language: str, statements: bool) -> str:
    where = t("sentence_of", language, n=hit.passage.index + 1)
    line = f"{RLM}<b>{hit.rank}.</b> {highlight(body, terms)} <i>({where})</i>"
    if shows_speaker(hit, statements):
        line += " " + t("said_by", language, name=plain(hit.speaker or hit.passage.speaker))
    for other in hit.also_in[:MAX_ALSO_IN]:
        line += f"\n{RLM}   ↳ 📰 {source_line(other, language)}"
    return line


def _fit(render, value: str, limit: int) -> str:
    """``render(value)``, with ``value`` cut (ending in "…") until the result fits ``limit``."""
    whole = render(value)
    if telegram_length(whole) <= limit:
        return whole
    lo, hi = 0, len(value)
    while lo < hi:  # the longest cut whose rendering still fits
        mid = (lo + hi + 1) // 2
        if telegram_length(render(cut(value, mid))) <= limit:
            lo = mid
        else:
            hi = mid - 1
    return render(cut(value, lo) if lo else ELLIPSIS)


def hit_block(
    hit: Hit, terms: frozenset[str], limit: int = MESSAGE_LIMIT, language: str = "ar", *, statements: bool = False
) -> str:
    """One numbered passage with its place in the article, at most ``limit`` long."""
    return _fit(lambda body: _hit_html(hit, body, terms, language, statements), hit.passage.text, limit)


def article_line(hit: Hit, language: str) -> str:
    """The line above an article's passages: where they come from."""
    return f"{RLM}📰 {source_line(hit.source, language, titled=hit.titled)}"


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
    """How many results one reply shows: more for people's statements and for «من قال …؟»."""
    statements = lists_statements(answer) or answer.claim is not None
    return STATEMENTS_PAGE if statements else PAGE_SIZE


def render_answer(
    answer: Answer,
    language: str = "ar",
    *,
    note: str | None = None,
    about: str | None = None,
    first_page: bool = True,
) -> list[str]:
    """An answer as Telegram HTML messages, each within MESSAGE_LIMIT, split between passages.

    Passages are grouped by article: one source line, then the article's passages (the
    statements that answer «من قال …؟» first by speaker, under a heading each; people's
    statements under a heading for each person, and those not about the topic asked
    under one more).

    Args:
        answer: the answer; no hits renders the "nothing found" message.
        language: the reply's language ("ar" or "en"); passages stay as written.
        note: a line to put first (e.g. that the question was cut), already HTML.
        about: how a follow-up was understood (shown as «عن: …»).
        first_page: whether this is the first reply to the question (a person's
            heading and notes go on it only).
    """
    head = [note] if note else []
    if about:
        head.append(t("about", language, question=plain(about)))
    person = answer.person
    if answer.claim is not None:
        return pack_messages(_by_speaker(answer, language, head))
    if first_page:
        head += [html.escape(line, quote=False) for line in answer_notes(answer, language)]
    if not answer.found:
        if person is None or person.found:
            key = "unsupported_language" if _other_script(answer.question) else "nothing_found"
            head.append(t(key, language))
        return pack_messages(["\n".join(head)])
    statements = lists_statements(answer)
    names = " ".join(name for p in answer.people for name in p.names)
    terms = question_terms(names if statements else answer.question)  # the names, not «قال»
    sections = statement_sections(answer, language, first_page) if statements else [([], list(answer.hits))]
    blocks = []
    for n, (heading, hits) in enumerate(sections):
        lines = [html.escape(line, quote=False) for line in heading]
        if n == 0:  # under the notes
            head, lines = head + lines, []
        for i, (first, article_hits) in enumerate(group_by_article(hits)):
            lead = "\n".join((lines if i == 0 else []) + [article_line(first, language)])
            room = MESSAGE_LIMIT - telegram_length(lead) - 1
            blocks.append(lead + "\n" + hit_block(article_hits[0], terms, room, language, statements=statements))
            blocks += [hit_block(h, terms, MESSAGE_LIMIT, language, statements=statements) for h in article_hits[1:]]
        if lines and not hits:  # a topic with no statement about it
            blocks.append("\n".join(lines))
    return pack_messages((["\n".join(head)] if head else []) + blocks)


def _by_speaker(answer: Answer, language: str, head: list[str]) -> list[str]:
    """The blocks of a «من قال …؟» answer: each speaker's heading in bold, then their
    statements by article; or the line saying no statement matches."""
    if not answer.found:
        return ["\n".join([*head, t("claim_nothing", language, claim=plain(answer.claim))])]
    blocks = ["\n".join(head)] if head else []
    terms = question_terms(answer.claim)
    for name, hits in group_by_speaker(answer.hits):
        heading = f"<b>{html.escape(speaker_heading(name, len(hits), language), quote=False)}</b>"
        for i, (first, article_hits) in enumerate(group_by_article(hits)):
            lead = (heading + "\n" if i == 0 else "") + article_line(first, language)
            room = MESSAGE_LIMIT - telegram_length(lead) - 1
            blocks.append(lead + "\n" + hit_block(article_hits[0], terms, room, language, statements=True))
            blocks += [hit_block(h, terms, MESSAGE_LIMIT, language, statements=True) for h in article_hits[1:]]
    return blocks


def _other_script(question: str) -> bool:
    return language_of(question) == "other"


def render_details(sources: Sequence[Source], detail: str, language: str) -> str:
    """«متى قال ذلك؟» / "where?": the date, place and sources of what was just shown."""
    if not sources:
        return t("details_nothing", language)
    lines = [html.escape(line, quote=False) for line in details_lines(sources, detail, language)]
    return pack_messages(["\n".join(lines)])[0]


def render_context(
    passage: Passage,
    source: Source,
    before: Sequence[str],
    after: Sequence[str],
    language: str = "ar",
    *,
    titled: bool = True,
) -> str:
    """A passage in bold with the sentences around it, and its source (its title only when
    the article has one of its own, ``titled``), in one message."""
    before, after = list(before), list(after)
    head = t("context_head", language)

    def render(value: str) -> str:
        body = " ".join(
            [*map(html.escape, before), f"<b>{html.escape(value)}</b>", *map(html.escape, after)]
        )
        return f"{head}\n{RLM}📰 {source_line(source, language, titled=titled)}\n\n{RLM}{body}"

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


def inline_message(question: str, hit: Hit, language: str = "ar") -> str:
    """The message an inline result posts: the question, then the passage and its source."""
    head = rtl(f"❓ {html.escape(cut(' '.join(question.split()), 300))}") + "\n\n"
    head += article_line(hit, language) + "\n"
    terms = question_terms(question)
    return head + hit_block(hit, terms, MESSAGE_LIMIT - telegram_length(head), language)


# -- commands ---------------------------------------------------------------------------------


def commands(language: str) -> list[tuple[str, str]]:
    """(command, description) pairs for setMyCommands, in ``language``."""
    return [(name, text(f"command_{name}", language)) for name in COMMAND_NAMES]


def rate_limited(limit: int, wait_seconds: float, language: str = "ar") -> str:
    """The friendly message for someone asking faster than ``limit`` questions a minute."""
    wait = max(1, round(wait_seconds))
    return t(
        "rate_limited", language,
        questions=plural(limit, "question", language), wait=plural(wait, "second", language),
    )


def reindex_done(summary: str, language: str = "ar") -> str:
    return t("reindex_done", language, summary=summary)


def reindex_failed(message: str, language: str = "ar") -> str:
    return t("reindex_failed", language, message=message)


def _format_timestamp(value: str, language: str) -> str:
    try:
        stamp = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return html.escape(str(value))
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.timezone.utc)
    return text("date_time", language, date=format_date(stamp.date(), language), time=f"{stamp:%H:%M}")


def render_stats(articles: int, passages: int, model: str, built_at: str, language: str = "ar") -> str:
    """The /stats message."""
    body = text(
        "stats", language, articles=f"<b>{articles:,}</b>", passages=f"<b>{passages:,}</b>",
        model=f"<code>{html.escape(model)}</code>", built_at=_format_timestamp(built_at, language),
    )
    return f"<b>{t('stats_head', language)}</b>\n{body}"


def render_sources(page: Sequence[tuple[str, Source]], offset: int, total: int, language: str = "ar") -> str:
    """A /sources page: numbered articles with their source lines."""
    if not total:
        return t("sources_empty", language)
    head = "<b>" + t("sources_head", language, first=offset + 1, last=offset + len(page), total=f"{total:,}") + "</b>"
    for link in (True, False):  # links dropped only if they make the page too long
        lines = [head] + [
            f"{RLM}<b>{n}.</b> {source_line(source, language, link=link)}"
            for n, (_, source) in enumerate(page, start=offset + 1)
        ]
        value = "\n".join(lines)
        if telegram_length(value) <= MESSAGE_LIMIT:
            break
    return value


def render_people(people: Sequence[Person], total: int, language: str = "ar") -> str:
    """The /speakers message: who is quoted most, with counts."""
    lines = [html.escape(line, quote=False) for line in people_lines(people, total, language)]
    if people:
        lines[0] = f"<b>{lines[0]}</b>"
    return "\n".join(lines)
