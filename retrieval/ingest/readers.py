"""Article formats, read without touching the disk: plain text, TREC <DOC>, JSON and JSON Lines.

Each reader turns a file's text into Articles (and the records it had to skip); one
helper, ``with_fallbacks``, fills what a format leaves out from the dateline (place,
region, date, agency) and the body (a title from the first sentence). ``FORMATS`` is the
table from a file to its reader.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Callable

from retrieval.ingest.dateline import Dateline, parse_dateline
from retrieval.types import Article, Skipped, Source

_JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")

_HEADLINE_WORDS = 4  # a title of fewer words is a label, not a headline passage
_TITLE_MAX = 120  # a first line at least this long is a paragraph, not a title
_DERIVED_TITLE_MAX = 80
_TERMINATORS = ".؟?!"
_FIRST_SENTENCE = re.compile(r"[^\n]*?[.؟?!](?=\s|$)|[^\n]+")

_TREC_TAGS = ("DOCNO", "URL", "SRC", "CAT", "TITLE", "TIME", "AUTHOR", "ABSTRACT", "TEXT")
_TREC_DOC = re.compile(r"<DOC>(.*?)(?:</DOC>|(?=<DOC>)|\Z)", re.DOTALL)
_TREC_OPEN = re.compile(r"<({})>".format("|".join(_TREC_TAGS)))
# Only entities closed by ";": a bare "&para" in a URL's query must stay as it is.
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")

_JSON_TEXT_FIELDS = ("content", "text", "body")
_JSON_DATE_FIELDS = ("date", "date_extracted", "published")
_JSON_AGENCY_FIELDS = ("source", "agency")

Reader = Callable[[str, str], tuple[list[Article], list[Skipped]]]


def with_fallbacks(
    rel_path: str,
    article_id: str,
    text: str,
    body_start: int,
    dateline: Dateline | None,
    *,
    title: str | None = None,
    agency: str | None = None,
    date: dt.date | None = None,
    url: str | None = None,
    title_in_text: bool = False,
) -> Article:
    """An Article whose source takes what the format gave, and the rest from the dateline
    and the body: the place and region always, the agency and date when the format has
    none, and a title from the body's first sentence when there is no title.

    A title that reads as a headline (``is_headline``) becomes the article's first
    passage: put in front of the text, unless it is there already (``title_in_text``, a
    plain-text file's first line) or the body opens with it.
    """
    title_end = 0
    if title and is_headline(title):
        if title_in_text:
            title_end = text.index(title) + len(title)
        elif not text[body_start:].startswith(title):
            title = " ".join(title.split())
            text = f"{title}\n{text}"
            body_start += len(title) + 1
            title_end = len(title)
    return Article(
        article_id=article_id,
        source=Source(
            path=rel_path,
            title=title or _title_from_body(text[body_start:] or text),
            agency=agency or (dateline.agency if dateline else None),
            place=dateline.place if dateline else None,
            region=dateline.region if dateline else None,
            date=date or (dateline.date if dateline else None),
            url=url or None,
        ),
        text=text,
        body_start=body_start,
        title_end=title_end,
    )


def is_headline(title: str) -> bool:
    """Whether a title is news text of its own: a line of at least four words (a
    headline), not a label such as a QA set's «الحرب العالمية الثانية (3)»."""
    return "\n" not in title.strip() and len(title.split()) >= _HEADLINE_WORDS


def _dateline_and_body(body: str) -> tuple[Dateline | None, int]:
    """The dateline at the start of ``body`` (if any) and where the text after it starts."""
    dateline = parse_dateline(body)
    return dateline, (_skip_space(body, dateline.end) if dateline else 0)


def parse_text_article(rel_path: str, text: str) -> Article | None:
    """Read a plain-text article: an optional title line, a dateline, the body.

    Args:
        rel_path: the file's path relative to the seeds folder.
        text: the file's content.

    Returns:
        The article, or None when the file holds no body text.
    """
    text = _clean(text)
    title = None
    body_start = 0
    dateline = parse_dateline(text)
    if dateline is None:
        first_line, _, rest = text.partition("\n")
        if _is_title_line(first_line) and rest.strip():
            title = first_line.strip()
            body_start = len(first_line) + 1
            dateline = parse_dateline(text[body_start:])
            if dateline is not None:
                body_start += dateline.end
    else:
        body_start = dateline.end
    body_start = _skip_space(text, body_start)
    if body_start >= len(text):
        return None
    return with_fallbacks(rel_path, rel_path, text, body_start, dateline, title=title, title_in_text=True)


def parse_trec(rel_path: str, text: str) -> list[Article]:
    """Read TREC-style <DOC> blocks, as in the ANT corpus, leniently.

    A tag's content runs to its closing tag, or to the next known opening tag
    when the closing tag is missing; HTML entities are unescaped.

    Args:
        rel_path: the file's path relative to the seeds folder.
        text: the file's content.

    Returns:
        One article per <DOC> with a TEXT or an ABSTRACT. The id is rel_path
        when the file holds one <DOC>, else rel_path#N (N from 0).
    """
    return _read_trec(rel_path, text)[0]


def parse_json_records(rel_path: str, records: list[dict] | dict) -> tuple[list[Article], list[Skipped]]:
    """Read news records such as SaudiNewsNet's (title url source date content).

    Args:
        rel_path: the file's path relative to the seeds folder.
        records: the records of a JSON array (ids rel_path#i), or the one
            record of a single-object file (id rel_path).

    Returns:
        The articles, and the records skipped (no text, or not an object).
    """
    if isinstance(records, dict):
        return _read_records(rel_path, [(None, records)])
    return _read_records(rel_path, list(enumerate(records)))


def read_text(rel_path: str, text: str) -> tuple[list[Article], list[Skipped]]:
    """A plain-text file: one article."""
    article = parse_text_article(rel_path, text)
    if article is None:
        return [], [Skipped(rel_path, "no article text after the title and dateline")]
    return [article], []


#: From a file to its reader: the first row whose test accepts (path, text) wins.
FORMATS: tuple[tuple[str, Callable[[Path, str], bool], Reader], ...] = (
    ("JSON", lambda path, text: path.suffix.lower() == ".json", lambda r, t: _read_json(r, t)),
    ("JSON Lines", lambda path, text: path.suffix.lower() in _JSON_LINES_SUFFIXES, lambda r, t: _read_json_lines(r, t)),
    ("TREC <DOC>", lambda path, text: text.lstrip().startswith("<DOC>"), lambda r, t: _read_trec(r, t)),
    ("plain text", lambda path, text: True, read_text),
)


def reader_for(path: Path, text: str) -> Reader:
    """The reader for a file, by its name and content (see ``FORMATS``)."""
    return next(reader for _, accepts, reader in FORMATS if accepts(path, text))


def _newlines(text: str) -> str:
    """Turn CRLF and CR into LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _clean(text: str) -> str:
    """Drop a BOM, turn CRLF and CR into LF, strip surrounding whitespace."""
    return _newlines(text.lstrip("\ufeff")).strip()


def _skip_space(text: str, offset: int) -> int:
    """The first offset at or after ``offset`` that is not whitespace."""
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return offset


def _is_title_line(line: str) -> bool:
    """A short line that does not end like a sentence."""
    line = line.strip()
    return bool(line) and len(line) < _TITLE_MAX and not line.endswith(tuple(_TERMINATORS))


def _title_from_body(body: str) -> str:
    """The body's first sentence, cut on a word boundary when it is long."""
    sentence = _FIRST_SENTENCE.match(body.strip()).group(0).strip()
    if len(sentence) <= _DERIVED_TITLE_MAX:
        return sentence.rstrip(".").strip()
    cut = sentence[: _DERIVED_TITLE_MAX + 1].rsplit(None, 1)[0]
    if len(cut) > _DERIVED_TITLE_MAX:  # a single very long word
        cut = cut[:_DERIVED_TITLE_MAX]
    return cut.rstrip(" ،,;:.-") + "…"


def _parse_date(value: object) -> dt.date | None:
    """A date from "YYYY-MM-DD..." (ISO 8601, with or without time) or "DD/MM/YYYY"."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    match = _ISO_DATE.match(value)
    if match:
        year, month, day = match.groups()
    else:
        match = _DMY_DATE.match(value)
        if not match:
            return None
        day, month, year = match.groups()
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _unescape(text: str) -> str:
    return _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)


def _trec_fields(block: str) -> dict[str, str]:
    """The tags of one <DOC> block; an unclosed tag runs to the next opening tag."""
    fields: dict[str, str] = {}
    openings = list(_TREC_OPEN.finditer(block))
    for i, opening in enumerate(openings):
        name = opening.group(1)
        limit = openings[i + 1].start() if i + 1 < len(openings) else len(block)
        close = block.find(f"</{name}>", opening.end(), limit)
        content = block[opening.end() : close if close != -1 else limit]
        fields.setdefault(name, _unescape(content).strip())
    return fields


def _read_trec(rel_path: str, text: str) -> tuple[list[Article], list[Skipped]]:
    blocks = [match.group(1) for match in _TREC_DOC.finditer(_clean(text))]
    articles, skipped = [], []
    for n, block in enumerate(blocks):
        article_id = rel_path if len(blocks) == 1 else f"{rel_path}#{n}"
        fields = _trec_fields(block)
        body = _clean(fields.get("TEXT") or fields.get("ABSTRACT") or "")
        if not body:
            docno = fields.get("DOCNO")
            name = f"document {n}" + (f" ({docno})" if docno else "")
            skipped.append(Skipped(rel_path, f"{name} has no TEXT or ABSTRACT"))
            continue
        dateline, body_start = _dateline_and_body(body)
        articles.append(
            with_fallbacks(
                rel_path, article_id, body, body_start, dateline,
                title=fields.get("TITLE"), agency=fields.get("SRC"),
                date=_parse_date(fields.get("TIME")), url=fields.get("URL"),
            )
        )
    return articles, skipped


def _read_json(rel_path: str, text: str) -> tuple[list[Article], list[Skipped]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [Skipped(rel_path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")]
    if not isinstance(data, (dict, list)):
        return [], [Skipped(rel_path, f"JSON holds a {type(data).__name__}, not an article or a list of articles")]
    return parse_json_records(rel_path, data)


def _read_json_lines(rel_path: str, text: str) -> tuple[list[Article], list[Skipped]]:
    """JSON Lines: record i is the i-th non-blank line, so a bad line shifts no id."""
    records, skipped = [], []
    lines = [(number, line) for number, line in enumerate(text.split("\n"), start=1) if line.strip()]
    for index, (number, line) in enumerate(lines):
        try:
            records.append((index, json.loads(line)))
        except json.JSONDecodeError as exc:
            skipped.append(Skipped(rel_path, f"invalid JSON at line {number}: {exc.msg}"))
    articles, missed = _read_records(rel_path, records)
    return articles, skipped + missed


def _read_records(rel_path: str, records: list[tuple[int | None, object]]) -> tuple[list[Article], list[Skipped]]:
    """Articles from (index, record) pairs; index None means the file's only record."""
    articles, skipped = [], []
    for index, record in records:
        article_id = rel_path if index is None else f"{rel_path}#{index}"
        name = "the record" if index is None else f"record {index}"
        if not isinstance(record, dict):
            skipped.append(Skipped(rel_path, f"{name} is not a JSON object"))
            continue
        article = _record_article(rel_path, article_id, record)
        if article is None:
            fields = " or ".join(f'"{field}"' for field in _JSON_TEXT_FIELDS)
            skipped.append(Skipped(rel_path, f"{name} has no text (no {fields} field with text)"))
        else:
            articles.append(article)
    return articles, skipped


def _record_article(rel_path: str, article_id: str, record: dict) -> Article | None:
    body = _clean(_first_text(record, _JSON_TEXT_FIELDS) or "")
    if not body:
        return None
    dateline, body_start = _dateline_and_body(body)
    return with_fallbacks(
        rel_path, article_id, body, body_start, dateline,
        title=_first_text(record, ("title",)),
        agency=_first_text(record, _JSON_AGENCY_FIELDS),
        date=_parse_date(_first_text(record, _JSON_DATE_FIELDS)),
        url=_first_text(record, ("url",)),
    )


def _first_text(record: dict, fields: tuple[str, ...]) -> str | None:
    """The first of ``fields`` that holds a non-blank string."""
    for field in fields:
        value = record.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
