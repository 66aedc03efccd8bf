"""What both front ends write the same way (pure): sources, hits grouped by article, a
person's heading and notes, cut text — in the reply's language, from ``bot.i18n``."""

from __future__ import annotations

import re
from typing import Sequence

from bot.i18n import RLM, format_date, listing, plural, text
from bot.i18n import display_url as _display_url
from retrieval.text.normalize import question_terms, strip_invisible, term_spans
from retrieval.types import Hit, PersonAnswer, Source

__all__ = ["RLM", "ELLIPSIS", "format_date", "place_text", "cut", "safe_url", "display_url", "source_parts",
           "group_by_article", "shows_speaker", "statements_heading", "person_notes", "plain", "rtl", "people_lines"]

ELLIPSIS = "…"
_URL_CHARS = 1024
_ARABIC = re.compile("[\u0600-\u06ff]")


def place_text(source: Source) -> str:
    """«ووتشن، تشجيانغ»: the dateline's place and region, or ""."""
    return "، ".join(p for p in (source.place, source.region) if p)


def cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters (at a space if one is near), with "…"."""
    if len(text) <= limit:
        return text
    head = text[: max(0, limit - 1)]
    space = head.rfind(" ")
    if space >= len(head) - 20 and space > 0:
        head = head[:space]
    return head.rstrip() + ELLIPSIS


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a plain http(s) link of sensible length, else None."""
    if url and len(url) <= _URL_CHARS and re.match(r"^https?://[^\s<>\"]+$", url, re.I):
        return url
    return None


def display_url(url: str) -> str:
    """A link as people read it: percent escapes decoded (``bot.i18n.display_url``)."""
    return _display_url(url)


def plain(value: str | None) -> str:
    """A name or words from the index or the user, with no control or bidi characters."""
    return " ".join(strip_invisible(value or "").split())


def source_parts(source: Source, language: str, *, path: bool = False, title: bool = False) -> list[str]:
    """The parts of a source line, in order: the title (with ``title``), the agency, place,
    date (in ``language``) and, with ``path``, the link (decoded for reading) or file —
    «شينخوا · ووتشن، تشجيانغ · 3 ديسمبر 2017 · a.txt»."""
    parts = [f"«{plain(source.title)}»" if title and source.title else "", source.agency or "",
             place_text(source), format_date(source.date, language)]
    if not any(parts[1:3]) and not title:
        parts[0] = plain(source.title)  # nothing else names the article
    if path:
        url = safe_url(source.url)
        parts.append(display_url(url) if url else source.path)
    return [plain(p) for p in parts if p]


def group_by_article(hits: Sequence[Hit]) -> list[tuple[Hit, list[Hit]]]:
    """Hits grouped by article, articles in the order they first come, each article's hits
    in rank order: (its first hit, the hits) pairs, so one source line serves them all."""
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.passage.article_id, []).append(hit)
    return [(group[0], group) for group in groups.values()]


def shows_speaker(hit: Hit, statements: bool) -> bool:
    """Whether to name who says a passage: only in a search's results, and only when the
    sentence does not name them itself («وأضاف أن …»). A person's statements list has
    the name in its heading."""
    speaker = hit.speaker or hit.passage.speaker
    if statements or not speaker:
        return False
    return not term_spans(hit.passage.text, question_terms(speaker))


def statements_heading(person: PersonAnswer, language: str) -> str:
    """The line above a person's statements: who, how many, about what and when."""
    topic, when = plain(person.topic), plain(person.when)
    return text(
        "statements_heading",
        language,
        name=plain(person.names[0]),
        topic=text("about_topic", language, topic=topic) if topic else "",
        time=text("in_time", language, when=when) if when and not person.all_times else "",
        count=plural(person.total, "statement", language),
    )


def person_notes(person: PersonAnswer, language: str, *, searched: bool = False) -> list[str]:
    """What the reader must know about a «who said what» answer: nobody of that name is
    quoted (and the closest names; with ``searched``, the passages that follow name them),
    or no statement fell in the time asked."""
    asked = plain(person.asked)
    if not person.found and searched:
        return [text("nobody_quoted", language, name=asked)]
    if not person.found:
        if person.closest:
            names = listing([plain(n) for n in person.closest], language)
            return [text("nobody_quoted_closest", language, name=asked, names=names)]
        return [text("nobody_quoted_none", language, name=asked)]
    if person.all_times:
        return [text("no_statement_dated", language, when=plain(person.when))]
    return []


def rtl(line: str) -> str:
    """A line that holds Arabic starts with the right-to-left mark (a terminal or a chat
    then keeps numbers and punctuation in their place); other lines as they are."""
    return RLM + line if _ARABIC.search(line) and not line.startswith(RLM) else line


def details_lines(sources: Sequence[Source], detail: str, language: str) -> list[str]:
    """«متى قال ذلك؟», «أين؟», «من أي مصدر؟» about what was just shown: a heading, then each
    article's date, place, agency and link or file, once per article."""
    lines = [text(f"details_{detail}", language)]
    seen: set[tuple] = set()
    for source in sources:
        key = (source.path, source.url, source.date, source.agency)
        if key not in seen:
            seen.add(key)
            lines.append(rtl("• " + " · ".join(_detail_parts(source, detail, language))))
    return lines


def _detail_parts(source: Source, detail: str, language: str) -> list[str]:
    """The asked detail first: the date (when), the place (where) or the agency (source)."""
    parts = source_parts(source, language, path=True)
    first = {"when": format_date(source.date, language), "where": place_text(source)}.get(detail, "")
    first = plain(first)
    if first in parts:
        parts.remove(first)
        parts.insert(0, first)
    return parts


def people_lines(people: Sequence, total: int, language: str) -> list[str]:
    """Who is quoted most, as plain lines: a heading, one line a person, a hint (or the one
    line saying nobody is quoted yet). Both front ends write them their own way."""
    if not people:
        return [text("speakers_empty", language)]
    lines = [text("speakers_head", language, shown=len(people), total=f"{total:,}")]
    lines += [
        text("speakers_line", language, rank=n, name=plain(p.name),
             statements=plural(p.statements, "statement", language), articles=plural(p.articles, "article", language))
        for n, p in enumerate(people, start=1)
    ]
    return lines + [text("speakers_hint", language, name=plain(people[0].name))]
