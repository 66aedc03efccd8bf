"""What both front ends write the same way (pure): sources, hits grouped by article or by
speaker, a person's heading and notes, cut text — in the reply's language, from ``bot.i18n``."""

from __future__ import annotations

import re
from typing import Sequence

from bot.i18n import RLM, format_date, listing, number, plural, text
from bot.i18n import display_url as _display_url
from retrieval.text.normalize import question_terms, strip_invisible, term_spans
from retrieval.types import Answer, Hit, PersonAnswer, Source

__all__ = ["RLM", "ELLIPSIS", "format_date", "place_text", "cut", "safe_url", "display_url", "source_parts",
           "group_by_article", "group_by_speaker", "speaker_heading", "shows_speaker", "statements_heading",
           "person_notes", "answer_notes", "others_heading", "statement_sections", "lists_statements",
           "statements_total", "plain", "rtl", "people_lines"]

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


def group_by_speaker(hits: Sequence[Hit]) -> list[tuple[str, list[Hit]]]:
    """A «من قال …؟» answer's hits by speaker (``Hit.speaker``), speakers in the order they
    first come (the engine puts the most relevant first), each one's hits in rank order."""
    groups: dict[str, list[Hit]] = {}
    for hit in hits:
        groups.setdefault(hit.speaker or hit.passage.speaker or "", []).append(hit)
    return list(groups.items())


def speaker_heading(name: str, count: int, language: str) -> str:
    """The line above one speaker's statements in a «من قال …؟» answer: «🗣️ عادل الجبير — تصريحان»."""
    return text("claim_speaker", language, name=plain(name), count=plural(count, "statement", language))


def shows_speaker(hit: Hit, statements: bool) -> bool:
    """Whether to name who says a passage: only in a search's results, and only when the
    sentence does not name them itself («وأضاف أن …»). A person's statements list has
    the name in its heading."""
    speaker = hit.speaker or hit.passage.speaker
    if statements or not speaker:
        return False
    return not term_spans(hit.passage.text, question_terms(speaker))


def statements_heading(person: PersonAnswer, language: str) -> str:
    """The line above a person's statements: who (the canonical name), how many, about what
    and when — or, when no statement fell in the time asked, that these are from every date."""
    topic, when = plain(person.topic), plain(person.when)
    time = ""
    if when:
        time = text("no_statement_dated" if person.all_times else "in_time", language, when=when)
    return text(
        "statements_heading",
        language,
        name=plain(person.name),
        topic=text("about_topic", language, topic=topic) if topic else "",
        time=time,
        count=plural(person.listed, "statement", language),
    )


def others_heading(person: PersonAnswer, language: str) -> str:
    """The line above a person's statements that are not about the topic asked."""
    return text(
        "other_statements", language, name=plain(person.name), topic=plain(person.topic),
        count=plural(person.total - person.listed, "statement", language),
    )


def person_notes(person: PersonAnswer, language: str, *, searched: bool = False) -> list[str]:
    """What the reader must know about a «who said what» answer: nobody of that name is
    quoted (and the closest names; with ``searched``, the passages that follow name them).
    That no statement fell in the time asked is said in the heading."""
    asked = plain(person.asked)
    if not person.found and searched:
        return [text("nobody_quoted", language, name=asked)]
    if not person.found:
        if person.closest:
            names = listing([plain(n) for n in person.closest], language)
            return [text("nobody_quoted_closest", language, name=asked, names=names)]
        return [text("nobody_quoted_none", language, name=asked)]
    return []


def answer_notes(answer: Answer, language: str) -> list[str]:
    """Every person's notes (``person_notes``); the search's passages follow only an answer
    about one person."""
    searched = answer.found and len(answer.people) == 1
    notes = [line for person in answer.people for line in person_notes(person, language, searched=searched)]
    found = [person for person in answer.people if person.found]
    if len(found) > 1:  # who is in the answer, before the first person's long list
        people = [f"{plain(p.name)} ({plural(p.total, 'statement', language)})" for p in found]
        notes.insert(0, text("people_summary", language, people=listing(people, language)))
    return notes


def lists_statements(answer: Answer) -> bool:
    """Whether the answer lists people's statements (someone it asks about is quoted)."""
    return any(person.found for person in answer.people)


def statements_total(answer: Answer) -> int:
    """How many statements the answer has in all, over every page."""
    return sum(person.total for person in answer.people if person.found)


def statement_sections(answer: Answer, language: str, first_page: bool = True) -> list[tuple[list[str], list[Hit]]]:
    """A page of people's statements cut into sections, each (its heading lines, its hits):
    each person's statements (about the topic, when the question names one), then each
    person's other statements («تصريحات أخرى»). A section's heading goes where the section
    starts (a heading for a topic with no statement about it, on the first page)."""
    found = [(i, person) for i, person in enumerate(answer.people) if person.found]
    order = [(i, person, False) for i, person in found] + [(i, person, True) for i, person in found]
    sections, start = [], 1
    for n, (i, person, aside) in enumerate(order):
        count = person.total - person.listed if aside else person.listed
        hits = [h for h in answer.hits if h.person == i and h.aside == aside]
        begins = any(h.rank == start for h in hits) or (first_page and n == 0 and bool(hits))
        if not aside and count == 0 and person.on_topic is not None:
            begins = first_page
        heading = [others_heading(person, language) if aside else statements_heading(person, language)]
        if hits or begins:
            sections.append((heading if begins else [], hits))
        start += count
    return sections


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


def people_lines(
    people: Sequence, total: int, language: str, organisations: Sequence = (), organisations_total: int = 0
) -> list[str]:
    """Who is quoted most, as plain lines in one language: a heading, one line a person,
    then (when given) organisations and outlets under their own heading, and a hint (or
    the one line saying nobody is quoted yet). Both front ends write them their own way."""
    if not people and not organisations:
        return [text("speakers_empty", language)]
    lines = []
    if people:
        lines.append(text("speakers_head", language, shown=number(len(people)), total=number(total)))
        lines += _speaker_lines(people, language)
    if organisations:
        lines += ([""] if lines else []) + [text(
            "speakers_organisations_head", language, shown=number(len(organisations)),
            total=number(organisations_total or len(organisations)),
        )]
        lines += _speaker_lines(organisations, language)
    hint = people[0].name if people else organisations[0].name
    return lines + [text("speakers_hint", language, name=plain(hint))]


def _speaker_lines(people: Sequence, language: str) -> list[str]:
    return [
        text("speakers_line", language, rank=n, name=plain(p.name),
             statements=plural(p.statements, "statement", language), articles=plural(p.articles, "article", language))
        for n, p in enumerate(people, start=1)
    ]
