"""Read news articles from the seeds folder: plain text, TREC <DOC> files, JSON and JSON Lines."""

from __future__ import annotations

import datetime as dt
import errno
import html
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from retrieval.dateline import parse_dateline
from retrieval.errors import SeedsError
from retrieval.types import Article, Source

log = logging.getLogger(__name__)

# Editor and download leftovers that are never articles.
_TEMP_SUFFIXES = ("~", ".swp", ".tmp", ".part")
_JSON_LINES_SUFFIXES = (".jsonl", ".ndjson")

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


@dataclass(frozen=True)
class Skipped:
    """A file, or a record in a file, that was not read as an article.

    Attributes:
        path: the file, relative to the seeds folder.
        reason: why, in words meant for a person.
    """

    path: str
    reason: str


@dataclass(frozen=True)
class ReadResult:
    """Everything found in the seeds folder: the articles and what was skipped."""

    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]


def read_articles(seeds_dir: Path) -> ReadResult:
    """Read every article file under a folder, skipping what cannot be read.

    Files are visited recursively in sorted order; hidden files and folders
    (names starting with ".") and editor temp files are ignored. A file that is
    not UTF-8 text, is binary, empty or invalid JSON is skipped with a reason
    and a logged warning, never an exception.

    Args:
        seeds_dir: the folder that holds the article files.

    Returns:
        The articles in a deterministic order, and the files or records skipped.

    Raises:
        SeedsError: if seeds_dir does not exist or is not a folder.
    """
    seeds_dir = Path(seeds_dir)
    if not seeds_dir.exists():
        raise SeedsError(
            f"The seeds folder {seeds_dir} does not exist: create it and put article files in it."
        )
    if not seeds_dir.is_dir():
        raise SeedsError(
            f"The seeds folder {seeds_dir} is not a folder: point the seeds setting at a folder of article files."
        )

    articles: list[Article] = []
    files, skipped = _article_files(seeds_dir)
    for rel_path in files:
        found, missed = _read_file(seeds_dir / rel_path, rel_path)
        articles.extend(found)
        skipped.extend(missed)
    log_skipped(skipped)
    return ReadResult(articles=tuple(articles), skipped=tuple(skipped))


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
    body = text[body_start:]
    if not body:
        return None
    source = Source(
        path=rel_path,
        title=title or _title_from_body(body),
        agency=dateline.agency if dateline else None,
        place=dateline.place if dateline else None,
        region=dateline.region if dateline else None,
        date=dateline.date if dateline else None,
    )
    return Article(article_id=rel_path, source=source, text=text, body_start=body_start)


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


def seed_files(seeds_dir: Path, *, follow_links: bool = False) -> tuple[list[Path], list[Skipped]]:
    """The article files under ``seeds_dir``, in the order they are read, and what was left out.

    Hidden files and folders and editor temporaries are left out silently. Symbolic
    links that lead out of ``seeds_dir`` are left out with a warning (a secret file
    linked into the folder must never become an answer) unless ``follow_links`` is set;
    so are broken links and link loops.

    Returns:
        (paths, skipped): the files to read, and the links skipped with their reasons.
    """
    seeds_dir = Path(seeds_dir)
    found, skipped = _article_files(seeds_dir, follow_links=follow_links)
    log_skipped(skipped)
    return [seeds_dir / rel for rel in found], skipped


def read_article_file(path: Path, rel_path: str) -> tuple[list[Article], list[Skipped]]:
    """Read one article file; what cannot be read is returned as Skipped and logged.

    Args:
        path: the file.
        rel_path: its path relative to the seeds folder (forward slashes).

    Returns:
        The articles it holds, and the records or the file skipped.
    """
    articles, skipped = _read_file(Path(path), rel_path)
    log_skipped(skipped)
    return articles, skipped


#: Above this many problems in one file, the log shows the first few and a count.
LOG_PER_FILE = 5


def log_skipped(skipped: list[Skipped]) -> None:
    """Warn about what was skipped: each item, or for a file with many, the first few and a count."""
    by_file: dict[str, list[str]] = {}
    for item in skipped:
        by_file.setdefault(item.path, []).append(item.reason)
    for path, reasons in by_file.items():
        shown = reasons if len(reasons) <= LOG_PER_FILE else reasons[: LOG_PER_FILE - 2]
        for reason in shown:
            log.warning("Skipped %s: %s", path, reason)
        if len(shown) < len(reasons):
            log.warning("Skipped %s: %d more records", path, len(reasons) - len(shown))


def _article_files(seeds_dir: Path, *, follow_links: bool = False) -> tuple[list[str], list[Skipped]]:
    """Relative paths (forward slashes) of the files to read, sorted, and the links skipped."""
    root = Path(os.path.realpath(seeds_dir))
    found: list[str] = []
    skipped: list[Skipped] = []
    visited = {root}  # real folders already walked: a link back to one is a loop
    for folder, dirnames, filenames in os.walk(seeds_dir, followlinks=True):
        rel_folder = Path(folder).relative_to(seeds_dir)
        kept = []
        for name in sorted(dirnames):
            if name.startswith("."):
                continue
            path = Path(folder) / name
            if path.is_symlink():
                problem = _link_problem(path, root, follow_links)
                real = Path(os.path.realpath(path))
                if problem is None and (real in visited or real in real.parents):
                    problem = "symbolic link loop (a folder that contains itself)"
                if problem is not None:
                    skipped.append(Skipped((rel_folder / name).as_posix() + "/", problem))
                    continue
                visited.add(real)
            kept.append(name)
        dirnames[:] = kept
        for name in filenames:
            if name.startswith(".") or name.lower().endswith(_TEMP_SUFFIXES):
                continue
            path = Path(folder) / name
            problem = _link_problem(path, root, follow_links) if path.is_symlink() else None
            if problem is not None:
                skipped.append(Skipped((rel_folder / name).as_posix(), problem))
                continue
            found.append((rel_folder / name).as_posix())
    return sorted(found, key=lambda rel: rel.split("/")), skipped


def _link_problem(path: Path, root: Path, follow_links: bool) -> str | None:
    """Why the symbolic link ``path`` must not be followed, or None when it may be."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return "broken symbolic link (its target does not exist)"
    real = Path(os.path.realpath(path))
    if follow_links or real == root or root in real.parents:
        return None
    return (
        f"symbolic link to {real}, outside the seeds folder: not read "
        "(set NEWSQA_FOLLOW_LINKS=1 to allow links that leave the folder)"
    )


def _read_file(path: Path, rel_path: str) -> tuple[list[Article], list[Skipped]]:
    """Decode one file and hand it to the reader its content calls for."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [Skipped(rel_path, f"cannot read the file ({exc.strerror or exc})")]
    text, problem = _decode(data)
    if problem:
        return [], [Skipped(rel_path, problem)]

    suffix = path.suffix.lower()
    if suffix == ".json":
        articles, skipped = _read_json(rel_path, text)
    elif suffix in _JSON_LINES_SUFFIXES:
        articles, skipped = _read_json_lines(rel_path, text)
    elif text.lstrip().startswith("<DOC>"):
        articles, skipped = _read_trec(rel_path, text)
    else:
        article = parse_text_article(rel_path, text)
        articles = [article] if article else []
        skipped = [] if article else [Skipped(rel_path, "no article text after the title and dateline")]
    if not articles and not skipped:
        skipped = [Skipped(rel_path, "no article in the file")]
    return articles, skipped


def _decode(data: bytes) -> tuple[str, str | None]:
    """The file's text and None, or "" and the reason it is not usable text."""
    if not data:
        return "", "empty file"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", "UTF-16 text: save the file as UTF-8"
    if b"\0" in data:
        return "", "binary file (contains NUL bytes)"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return "", f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
    if not text.strip():
        return "", "whitespace-only file"
    return _newlines(text), None


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
        dateline = parse_dateline(body)
        body_start = _skip_space(body, dateline.end) if dateline else 0
        source = Source(
            path=rel_path,
            title=fields.get("TITLE") or _title_from_body(body[body_start:] or body),
            agency=fields.get("SRC") or (dateline.agency if dateline else None),
            place=dateline.place if dateline else None,
            region=dateline.region if dateline else None,
            date=_parse_date(fields.get("TIME")) or (dateline.date if dateline else None),
            url=fields.get("URL") or None,
        )
        articles.append(Article(article_id=article_id, source=source, text=body, body_start=body_start))
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
    dateline = parse_dateline(body)
    body_start = _skip_space(body, dateline.end) if dateline else 0
    title = _first_text(record, ("title",))
    source = Source(
        path=rel_path,
        title=title.strip() if title else _title_from_body(body[body_start:] or body),
        agency=_first_text(record, _JSON_AGENCY_FIELDS) or (dateline.agency if dateline else None),
        place=dateline.place if dateline else None,
        region=dateline.region if dateline else None,
        date=_parse_date(_first_text(record, _JSON_DATE_FIELDS)) or (dateline.date if dateline else None),
        url=_first_text(record, ("url",)),
    )
    return Article(article_id=article_id, source=source, text=body, body_start=body_start)


def _first_text(record: dict, fields: tuple[str, ...]) -> str | None:
    """The first of ``fields`` that holds a non-blank string."""
    for field in fields:
        value = record.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None
