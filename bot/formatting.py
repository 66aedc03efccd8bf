"""What both front ends write the same way: dates, places, cut text, the source of a passage (pure)."""

from __future__ import annotations

import datetime as dt
import re

from retrieval.text.normalize import strip_invisible
from retrieval.types import PersonAnswer, Source

#: Right-to-left mark: starts Arabic lines so numbers and punctuation keep their place.
RLM = "\u200f"
ELLIPSIS = "…"
MONTHS = (
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
)
_URL_CHARS = 1024


def format_date(date: dt.date | None) -> str:
    """A date the way Arabic news writes it: «3 ديسمبر 2017»."""
    if date is None:
        return ""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


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


def source_parts(source: Source, *, path: bool = False) -> list[str]:
    """The parts of a source line, in order: agency (or title), place, date, and with
    ``path`` the link or file — «شينخوا · ووتشن، تشجيانغ · 3 ديسمبر 2017 · a.txt»."""
    parts = [source.agency or source.title, place_text(source), format_date(source.date)]
    if path:
        parts.append(source.url or source.path)
    return [p for p in parts if p]


def _plain(text: str | None) -> str:
    """A name or words from the index or the user, with no control or bidi characters."""
    return " ".join(strip_invisible(text or "").split())


def statements_heading(person: PersonAnswer) -> str:
    """The line above a person's statements: who, how many, about what and when."""
    name = _plain(person.names[0])
    topic, when = _plain(person.topic), _plain(person.when)
    about = f" عن «{topic}»" if topic else ""
    about_en = f" about “{topic}”" if topic else ""
    when = f" ({when})" if when and not person.all_times else ""
    return (
        f"{RLM}🗣️ تصريحات «{name}»{about}{when}: {person.total}\n"
        f"Statements by {name}{about_en}{when}: {person.total}"
    )


def person_notes(person: PersonAnswer) -> list[str]:
    """What the reader must know about a «who said what» answer: nobody found, no date matched."""
    asked, when = _plain(person.asked), _plain(person.when)
    if not person.found:
        return [
            f"{RLM}لم أجد في الأخبار المفهرسة تصريحات منسوبة إلى «{asked}»؛ هذه نتائج البحث العادي.\n"
            f"Nobody called “{asked}” is quoted in the indexed news; here is the normal search."
        ]
    if person.all_times:
        return [
            f"{RLM}لا تصريحات بتاريخ «{when}»؛ هذه كل تصريحاته.\n"
            f"No statement dated “{when}”; here are all of them."
        ]
    return []
