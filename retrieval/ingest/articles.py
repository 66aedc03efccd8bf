"""Read news articles from the seeds folder: each file through the reader its format calls for."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from retrieval.errors import SeedsError
from retrieval.ingest.readers import reader_for
from retrieval.ingest.seedfiles import log_skipped, seed_files
from retrieval.types import Article, Skipped

log = logging.getLogger(__name__)


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
    paths, skipped = seed_files(seeds_dir)
    for path in paths:
        found, missed = read_article_file(path, path.relative_to(seeds_dir).as_posix())
        articles.extend(found)
        skipped.extend(missed)
    return ReadResult(articles=tuple(articles), skipped=tuple(skipped))


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


def _read_file(path: Path, rel_path: str) -> tuple[list[Article], list[Skipped]]:
    """Decode one file and hand it to the reader its name and content call for."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return [], [Skipped(rel_path, f"cannot read the file ({exc.strerror or exc})")]
    text, problem = _decode(data)
    if problem:
        return [], [Skipped(rel_path, problem)]
    articles, skipped = reader_for(path, text)(rel_path, text)
    if not articles and not skipped:
        skipped = [Skipped(rel_path, "no article in the file")]
    return articles, skipped


#: The legacy Arabic encodings news archives still hold: codec, name for people, iconv's name.
_LEGACY_ARABIC = (
    ("cp1256", "Windows-1256 (Arabic Windows) text", "WINDOWS-1256"),
    ("iso8859_6", "ISO-8859-6 (Arabic ISO) text", "ISO-8859-6"),
)


def guess_arabic_encoding(data: bytes) -> tuple[str, str] | None:
    """(what it looks like, iconv's name for it) for bytes that decode as mostly Arabic
    letters in a legacy Arabic encoding; None when none fits.

    Windows-1256 decodes almost any bytes, so the test is what the letters become: text
    in the other encoding turns partly into Latin letters with accents, or fails."""
    best: tuple[float, str, str] | None = None
    for codec, label, iconv in _LEGACY_ARABIC:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        letters = [ch for ch in text if ch.isalpha()]
        arabic = sum(1 for ch in letters if "\u0600" <= ch <= "\u06ff")
        share = arabic / len(letters) if letters else 0.0
        if share >= 0.5 and (best is None or share > best[0]):
            best = (share, label, iconv)
    return (best[1], best[2]) if best else None


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
        legacy = guess_arabic_encoding(data)
        if legacy is not None:
            label, iconv = legacy
            return "", (
                f"not UTF-8 text: it looks like {label}; convert it to UTF-8, for example "
                f"`iconv -f {iconv} -t UTF-8 FILE > FILE.utf8.txt`, and remove the original"
            )
        return "", f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
    if not text.strip():
        return "", "whitespace-only file"
    return text.replace("\r\n", "\n").replace("\r", "\n"), None
