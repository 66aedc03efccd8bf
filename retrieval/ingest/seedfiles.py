"""Which files in the seeds folder are articles: hidden files, temporaries and links out left out."""

from __future__ import annotations

import errno
import logging
import os
from pathlib import Path

from retrieval.types import Skipped

log = logging.getLogger(__name__)

#: Editor and download leftovers that are never articles (also ignored by the watcher).
TEMP_SUFFIXES = ("~", ".swp", ".tmp", ".part")
#: Above this many problems in one file, the log shows the first few and a count.
LOG_PER_FILE = 5


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
            if name.startswith(".") or name.lower().endswith(TEMP_SUFFIXES):
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
