"""Chat contexts that survive a restart of the bot: a small SQLite file beside the index.

A chat's conversation context (the last resolved question, what was already shown,
the reply language) is a small JSON-able dict. It is stored here under a string key
such as ``"telegram:123456"``, one row per chat, so a follow-up question still makes
sense after the bot restarts. The store does not look inside the dicts and keeps no
message text beyond what a context holds.

Bounded by age and size: a context expires after ``EXPIRY_SECONDS`` of silence, at
most ``MAX_CHATS`` rows are kept (the oldest go first) and a context over
``MAX_ROW_BYTES`` is refused. Rows are JSON text, never pickle, so a damaged or
foreign file cannot run code. Each save is one transaction: a crash leaves the old
row or the new one. The store never crashes the bot: a damaged file is set aside as
``<name>.corrupt`` and a fresh one started; when the file cannot be used at all, the
contexts are kept in memory for this run (``persistent`` turns False).
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

log = logging.getLogger(__name__)

EXPIRY_SECONDS = 30 * 60
MAX_CHATS = 10_000
MAX_ROW_BYTES = 64 * 1024
SCHEMA_VERSION = 1

_TABLE = "chats"
#: (name, declared type, position in the primary key) of each column, as PRAGMA table_info says.
_LAYOUT = [("key", "TEXT", 1), ("updated", "REAL", 0), ("data", "TEXT", 0)]
_SCHEMA = (
    f"CREATE TABLE {_TABLE} (key TEXT PRIMARY KEY, updated REAL NOT NULL, data TEXT NOT NULL)",
    f"CREATE INDEX {_TABLE}_updated ON {_TABLE} (updated)",
    f"PRAGMA user_version = {SCHEMA_VERSION}",
)
_CORRUPTION_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


@runtime_checkable
class ChatStore(Protocol):
    """Where chat contexts are kept: opaque JSON-able dicts under string keys."""

    def load(self, key: str, now: float) -> dict | None:
        """The context saved under ``key``; None when none, or when it has expired."""
        ...

    def save(self, key: str, data: dict, now: float) -> None:
        """Keeps ``data`` under ``key`` as of time ``now`` (seconds, like time.time())."""
        ...

    def clear(self, key: str) -> None:
        """Forgets the context under ``key``."""
        ...

    def close(self) -> None:
        """Releases the store's resources."""
        ...


def encode(data: dict) -> str:
    """``data`` as compact JSON text.

    Raises:
        TypeError: ``data`` is not a dict, holds a value JSON cannot encode, or refers
            to itself.
        ValueError: the text is longer than ``MAX_ROW_BYTES`` in UTF-8 (trim it first).
    """
    if not isinstance(data, dict):
        raise TypeError(f"a chat context must be a dict, not {type(data).__name__}")
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    except ValueError as exc:  # json.dumps's "Circular reference detected"
        raise TypeError(f"a chat context must be plain JSON data: {exc}") from exc
    size = len(text.encode("utf-8"))
    if size > MAX_ROW_BYTES:
        raise ValueError(f"a chat context of {size} bytes is over the {MAX_ROW_BYTES}-byte limit")
    return text


def decode(text: Any) -> dict | None:
    """The dict a stored row holds; None when it is not a JSON object."""
    try:
        data = json.loads(text)
    except (TypeError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


class MemoryChats:
    """Chat contexts in memory, for the console and as the fallback of SqliteChats.

    Bounded like the file: least recently saved first out past ``max_chats``, and a
    context expires after ``expiry`` seconds. Contexts are kept as JSON text, so the
    same dicts are refused as by SqliteChats and ``load`` returns a fresh copy.
    """

    def __init__(self, *, expiry: float = EXPIRY_SECONDS, max_chats: int = MAX_CHATS):
        _check_bounds(expiry, max_chats)
        self.expiry = expiry
        self.max_chats = max_chats
        self._rows: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def load(self, key: str, now: float) -> dict | None:
        """The context under ``key``; None when none or expired (then dropped)."""
        with self._lock:
            row = self._rows.get(key)
            if row is None:
                return None
            if now - row[0] > self.expiry:
                del self._rows[key]
                return None
            return json.loads(row[1])

    def save(self, key: str, data: dict, now: float) -> None:
        """Keeps ``data`` under ``key``; raises like ``encode``."""
        text = encode(data)
        with self._lock:
            self._rows.pop(key, None)
            self._rows[key] = (now, text)
            while self._rows:
                oldest = next(iter(self._rows.values()))
                if now - oldest[0] <= self.expiry and len(self._rows) <= self.max_chats:
                    break
                self._rows.popitem(last=False)

    def clear(self, key: str) -> None:
        """Forgets the context under ``key``."""
        with self._lock:
            self._rows.pop(key, None)

    def close(self) -> None:
        """Nothing to release."""

    def __len__(self) -> int:
        return len(self._rows)


class _Damaged(sqlite3.DatabaseError):
    """The file is not a usable chat store: set it aside and start afresh."""


class SqliteChats:
    """Chat contexts in an SQLite file: one row (key, updated, data) per chat.

    Thread-safe: one connection, shared under a lock (the bot calls it through
    ``asyncio.to_thread``). ``load``, ``save`` and ``clear`` never raise sqlite3
    errors: on the first one the store logs a warning and carries on in memory.

    Attributes:
        path: the database file.
        persistent: False once the store fell back to memory.
    """

    def __init__(self, path: Path, *, expiry: float = EXPIRY_SECONDS, max_chats: int = MAX_CHATS):
        _check_bounds(expiry, max_chats)
        self.path = Path(path)
        self.expiry = expiry
        self.max_chats = max_chats
        self.persistent = True
        self._lock = threading.Lock()
        self._memory: MemoryChats | None = None
        self._conn: sqlite3.Connection | None = None
        try:
            self._conn = self._open()
        except (sqlite3.Error, OSError) as exc:
            self._fall_back(f"cannot open it ({exc})")

    def load(self, key: str, now: float) -> dict | None:
        """The context under ``key``; None when none, expired or unreadable (then deleted)."""
        with self._lock:
            if self._memory is None:
                try:
                    return self._load(key, now)
                except sqlite3.Error as exc:
                    self._fall_back(f"reading failed ({exc})")
            assert self._memory is not None
            return self._memory.load(key, now)

    def save(self, key: str, data: dict, now: float) -> None:
        """Keeps ``data`` under ``key``; drops expired rows and the oldest past ``max_chats``.

        Raises:
            TypeError: ``data`` is not a dict of plain JSON data (see ``encode``).
            ValueError: its JSON is over ``MAX_ROW_BYTES``; the previous value stays.
        """
        text = encode(data)
        with self._lock:
            if self._memory is None:
                try:
                    self._save(key, text, now)
                    return
                except sqlite3.Error as exc:
                    self._fall_back(f"writing failed ({exc})")
            assert self._memory is not None
            self._memory.save(key, data, now)

    def clear(self, key: str) -> None:
        """Forgets the context under ``key``."""
        with self._lock:
            if self._memory is None:
                try:
                    self._execute(f"DELETE FROM {_TABLE} WHERE key = ?", (key,))
                    return
                except sqlite3.Error as exc:
                    self._fall_back(f"deleting failed ({exc})")
            assert self._memory is not None
            self._memory.clear(key)

    def close(self) -> None:
        """Closes the database (idempotent); later calls would work in memory."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise sqlite3.ProgrammingError("the store was closed")
        return self._conn

    def _execute(self, sql: str, params: tuple = ()) -> None:
        self._connection().execute(sql, params)

    def _load(self, key: str, now: float) -> dict | None:
        row = self._connection().execute(
            f"SELECT updated, data FROM {_TABLE} WHERE key = ?", (key,)
        ).fetchone()
        if row is None:
            return None
        updated, text = row
        data = decode(text) if isinstance(updated, (int, float)) else None
        if data is None:
            log.warning("chat store %s: the context of %s is damaged; dropped it", self.path, key)
        elif now - updated > self.expiry:
            data = None
        if data is None:
            self._execute(f"DELETE FROM {_TABLE} WHERE key = ?", (key,))
        return data

    def _save(self, key: str, text: str, now: float) -> None:
        conn = self._connection()
        with _transaction(conn):
            conn.execute(
                f"INSERT INTO {_TABLE} (key, updated, data) VALUES (?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET updated = excluded.updated, data = excluded.data",
                (key, now, text),
            )
            conn.execute(f"DELETE FROM {_TABLE} WHERE updated < ?", (now - self.expiry,))
            (count,) = conn.execute(f"SELECT count(*) FROM {_TABLE}").fetchone()
            if count > self.max_chats:
                conn.execute(
                    f"DELETE FROM {_TABLE} WHERE key IN "
                    f"(SELECT key FROM {_TABLE} WHERE key != ? ORDER BY updated LIMIT ?)",
                    (key, count - self.max_chats),
                )

    def _open(self) -> sqlite3.Connection:
        """Opens (or creates) the file; a damaged one is set aside and a fresh one started."""
        if self.path.exists() and not self.path.is_file():
            raise OSError("something other than a file is at that path")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return _connect(self.path)
        except _Damaged as exc:
            reason = str(exc)
        aside = self.path.with_name(self.path.name + ".corrupt")
        try:
            _set_aside(self.path, aside)
        except OSError as exc:
            raise OSError(f"it is damaged ({reason}) and cannot be set aside: {exc}") from exc
        log.warning(
            "chat store %s is damaged (%s): kept it as %s and starting empty", self.path, reason, aside
        )
        return _connect(self.path)

    def _fall_back(self, reason: str) -> None:
        """Logs why and keeps contexts in memory from now on. Called under the lock."""
        log.warning(
            "chat store %s: %s; keeping chat contexts in memory (lost on restart)", self.path, reason
        )
        if self._conn is not None:
            try:
                self._conn.close()
            except sqlite3.Error:
                pass
            self._conn = None
        self._memory = MemoryChats(expiry=self.expiry, max_chats=self.max_chats)
        self.persistent = False


def open_chats(path: Path | None, **kwargs: Any) -> ChatStore:
    """A MemoryChats when ``path`` is None, else a SqliteChats on ``path``."""
    if path is None:
        return MemoryChats(**kwargs)
    return SqliteChats(path, **kwargs)


def _check_bounds(expiry: float, max_chats: int) -> None:
    if expiry <= 0 or max_chats < 1:
        raise ValueError(f"expiry must be > 0 and max_chats >= 1 (got {expiry}, {max_chats})")


def _connect(path: Path) -> sqlite3.Connection:
    """An open, checked connection on ``path``; raises _Damaged for a file to set aside."""
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    try:
        _prepare(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        if (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF in _CORRUPTION_CODES:
            raise _Damaged(str(exc)) from exc
        raise
    except BaseException:
        conn.close()
        raise
    return conn


def _prepare(conn: sqlite3.Connection) -> None:
    """Checks the file (integrity, version, layout), creates the table in a new one, sets WAL."""
    (version,) = conn.execute("PRAGMA user_version").fetchone()
    check = conn.execute("PRAGMA quick_check").fetchall()
    if check != [("ok",)]:
        raise _Damaged(f"quick_check: {check[0][0] if check else 'no answer'}")
    tables = {name for (name,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )}
    if version == 0 and not tables:
        with _transaction(conn):
            for statement in _SCHEMA:
                conn.execute(statement)
    elif version == 0:
        raise _Damaged(f"not a chat store (it holds tables {sorted(tables)})")
    elif version != SCHEMA_VERSION:
        raise _Damaged(f"schema version {version}, expected {SCHEMA_VERSION}")
    else:
        layout = [(c[1], c[2].upper(), c[5]) for c in conn.execute(f"PRAGMA table_info({_TABLE})")]
        if tables != {_TABLE} or layout != _LAYOUT:
            raise _Damaged(f"unexpected tables {sorted(tables)} or columns {layout}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # fails now if it cannot be written
    (mode,) = conn.execute("PRAGMA journal_mode=WAL").fetchone()
    if mode.lower() != "wal":
        raise sqlite3.OperationalError(f"journal mode is {mode}, not wal")
    conn.execute("PRAGMA synchronous=NORMAL")


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: committed whole, or rolled back on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            try:
                conn.rollback()
            except sqlite3.Error:
                pass
        raise


def _set_aside(path: Path, aside: Path) -> None:
    """Renames a damaged file to ``aside`` (replacing an older one) and drops its sidecars."""
    os.replace(path, aside)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
