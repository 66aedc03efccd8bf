"""Crash-safe file writes and the index lock."""

from __future__ import annotations

import errno
import fcntl
import hashlib
import logging
import os
import resource
from collections.abc import Iterable
from pathlib import Path

from retrieval.errors import IndexWriteError, LockedError, SeedsError, SettingsError

log = logging.getLogger(__name__)


def fsync_dir(path: Path) -> None:
    """Make a rename or creation inside ``path`` durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes | memoryview | Iterable[bytes]) -> str:
    """Write ``data`` to ``path`` so that a crash leaves either the old or the new file.

    The bytes (or chunks of bytes, written as they come) go to a temporary file in the
    same folder, are flushed to disk, then renamed over ``path``; the folder is flushed
    too. If anything fails (a full disk), the temporary file is removed and ``path`` is
    untouched.

    Returns:
        The sha256 of the data, hex.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    chunks = [data] if isinstance(data, (bytes, bytearray, memoryview)) else data
    h = hashlib.sha256()
    try:
        with open(tmp, "wb") as fh:
            for chunk in chunks:
                h.update(chunk)
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk must not stay full of our half-written file
        raise
    fsync_dir(path.parent)
    return h.hexdigest()


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _not_a_folder(path: Path) -> Path | None:
    """``path`` itself, or the nearest of its parents that exists, when that is not a folder."""
    for candidate in (path, *path.parents):
        try:
            if candidate.exists():
                return None if candidate.is_dir() else candidate
        except OSError:  # a parent that cannot be looked into: mkdir will say so
            return None
    return None


def check_index_path(folder: Path) -> None:
    """The index path must be a folder or not exist yet (it is created).

    Raises:
        SettingsError: it, or one of its parents, is a file.
    """
    blocker = _not_a_folder(Path(folder))
    if blocker is not None:
        where = "is" if blocker == Path(folder) else f"is inside {blocker}, which is"
        raise SettingsError(
            f"the index path {folder} {where} a file, not a folder: point NEWSQA_INDEX (or "
            "--index) at a folder; newsqa creates it when it is missing"
        )


def check_seeds_path(seeds: Path) -> None:
    """The seeds path must be an existing folder.

    Raises:
        SeedsError: it is missing or a file; the message says which and what to do.
    """
    seeds = Path(seeds)
    if seeds.is_dir():
        return
    blocker = _not_a_folder(seeds)
    if blocker is not None:
        where = "is" if blocker == seeds else f"is inside {blocker}, which is"
        raise SeedsError(
            f"the seeds path {seeds} {where} a file, not a folder: point NEWSQA_SEEDS (or --seeds) "
            "at the folder that holds the articles"
        )
    raise SeedsError(f"the seeds folder {seeds} does not exist; put articles there")


def write_error(folder: Path, exc: OSError) -> IndexWriteError:
    """What to tell a person when the index folder cannot be written."""
    what = exc.strerror or str(exc)
    where = f" ({exc.filename})" if exc.filename else ""
    return IndexWriteError(
        f"cannot write the index in {folder}: {what}{where}; the previous index is "
        "unchanged. Free some disk space or check the folder's permissions, then run "
        "`newsqa index` again"
    )


class IndexLock:
    """An exclusive lock on an index folder, held by one indexer at a time.

    It is an ``flock`` on ``.lock``: the kernel releases it when the holder dies,
    so a lock left by a killed process never blocks the next run. The holder's pid
    is written into the file for the error message.
    """

    def __init__(self, folder: Path):
        self.path = Path(folder) / ".lock"
        self._fd: int | None = None

    def acquire(self, wait: bool = False) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except OSError as exc:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "another process"
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise LockedError(
                    f"another indexer (pid {holder}) is writing {self.path.parent}; "
                    "wait for it to finish"
                ) from None
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> IndexLock:
        if self._fd is None:  # not acquired already
            self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def allow_open_files(needed: int) -> None:
    """Raise this process's limit on open files to ``needed`` when it is lower, as far
    as the hard limit allows (a mapped file holds a descriptor: a large index maps two
    files a segment, more than the usual soft limit of 1,024)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return
    target = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError) as exc:
        log.warning("cannot raise the open-file limit from %d to %d: %s", soft, target, exc)
        return
    if target < needed:
        log.warning(
            "the index needs about %d open files but this system allows %d "
            "(ulimit -n); raise the hard limit if loading fails", needed, target,
        )
