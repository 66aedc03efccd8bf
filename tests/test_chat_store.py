"""The chat-context store: round trips, restarts, bounds, damaged files and fallbacks."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from bot import chat_store
from bot.chat_store import (
    EXPIRY_SECONDS,
    MAX_ROW_BYTES,
    ChatStore,
    MemoryChats,
    SqliteChats,
    open_chats,
)

NOW = 1_700_000_000.0
CONTEXT = {"question": "ماذا قال شي جين بينغ؟", "shown": [3, 7], "lang": "ar"}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "index" / "chats.sqlite3"


@pytest.fixture
def store(db: Path):
    chats = SqliteChats(db)
    yield chats
    chats.close()


def raw_rows(path: Path) -> dict[str, tuple[float, str]]:
    with sqlite3.connect(path) as conn:
        rows = {k: (u, d) for k, u, d in conn.execute("SELECT key, updated, data FROM chats")}
    conn.close()
    return rows


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_round_trip_with_arabic_text_unknown_key_and_clear(store: SqliteChats):
    store.save("telegram:1", CONTEXT, NOW)
    assert store.load("telegram:1", NOW + 1) == CONTEXT
    assert store.load("telegram:2", NOW) is None
    store.clear("telegram:1")
    assert store.load("telegram:1", NOW) is None
    store.clear("telegram:1")  # clearing twice is fine
    assert store.persistent


def test_save_replaces_the_previous_context(store: SqliteChats):
    store.save("telegram:1", {"n": 1}, NOW)
    store.save("telegram:1", {"n": 2}, NOW + 5)
    assert store.load("telegram:1", NOW + 6) == {"n": 2}
    assert len(raw_rows(store.path)) == 1


def test_survives_a_restart(db: Path):
    first = SqliteChats(db)
    first.save("telegram:1", CONTEXT, NOW)
    first.close()
    first.close()  # idempotent
    second = SqliteChats(db)
    assert second.load("telegram:1", NOW + 60) == CONTEXT
    assert second.persistent
    second.close()


def test_an_expired_context_is_none_and_deleted(store: SqliteChats):
    store.save("telegram:1", CONTEXT, NOW)
    assert store.load("telegram:1", NOW + EXPIRY_SECONDS) == CONTEXT  # not older than expiry yet
    assert store.load("telegram:1", NOW + EXPIRY_SECONDS + 1) is None
    assert raw_rows(store.path) == {}


def test_saving_drops_expired_rows(store: SqliteChats):
    store.save("old", {"n": 1}, NOW)
    store.save("new", {"n": 2}, NOW + EXPIRY_SECONDS + 1)
    assert set(raw_rows(store.path)) == {"new"}


def test_only_the_newest_max_chats_remain(db: Path):
    chats = SqliteChats(db, max_chats=3)
    for i in range(5):
        chats.save(f"chat:{i}", {"i": i}, NOW + i)
    chats.close()
    assert set(raw_rows(db)) == {"chat:2", "chat:3", "chat:4"}
    fresh = SqliteChats(db, max_chats=3)
    assert [fresh.load(f"chat:{i}", NOW + 5) for i in range(5)] == [None, None, {"i": 2}, {"i": 3}, {"i": 4}]
    fresh.close()


def test_a_resaved_chat_counts_as_new(db: Path):
    chats = SqliteChats(db, max_chats=2)
    chats.save("a", {}, NOW)
    chats.save("b", {}, NOW + 1)
    chats.save("a", {"again": True}, NOW + 2)
    chats.save("c", {}, NOW + 3)
    assert set(raw_rows(db)) == {"a", "c"}
    chats.close()


def test_too_large_a_context_is_refused_and_the_previous_stays(store: SqliteChats):
    store.save("telegram:1", CONTEXT, NOW)
    with pytest.raises(ValueError, match="limit"):
        store.save("telegram:1", {"text": "ع" * MAX_ROW_BYTES}, NOW + 1)  # 2 bytes a letter
    assert store.load("telegram:1", NOW + 2) == CONTEXT
    assert store.persistent


@pytest.mark.parametrize("data", [{"when": object()}, {"self": None}, ["not", "a", "dict"]])
def test_what_json_cannot_hold_is_a_type_error(store: SqliteChats, data):
    if isinstance(data, dict) and "self" in data:
        data["self"] = data  # a circular reference
    with pytest.raises(TypeError):
        store.save("telegram:1", data, NOW)
    with pytest.raises(TypeError):
        MemoryChats().save("telegram:1", data, NOW)
    assert store.load("telegram:1", NOW) is None


def test_the_file_holds_json_text_in_wal_mode(store: SqliteChats):
    store.save("telegram:1", CONTEXT, NOW)
    (updated, data) = raw_rows(store.path)["telegram:1"]
    assert updated == NOW
    assert isinstance(data, str) and "ماذا" in data  # UTF-8 text, not \u escapes
    assert json.loads(data) == CONTEXT
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == chat_store.SCHEMA_VERSION
    conn.close()


def _garbage(path: Path) -> None:
    path.write_bytes(b"this is not a database at all \x00\xff" * 200)


def _truncated(path: Path) -> None:
    chats = SqliteChats(path)
    for i in range(40):
        chats.save(f"chat:{i}", {"text": f"{i} " + "خبر " * 300}, NOW + i)
    chats.close()
    size = path.stat().st_size
    assert size > 8 * 4096
    with open(path, "r+b") as f:
        f.truncate(size // 2)


def _wrong_layout(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE chats (key TEXT PRIMARY KEY, value BLOB)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def _foreign_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()


def _newer_version(path: Path) -> None:
    SqliteChats(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 2")
    conn.close()


@pytest.mark.parametrize("damage", [_garbage, _truncated, _wrong_layout, _foreign_database, _newer_version])
def test_a_damaged_file_is_set_aside_and_a_fresh_one_started(db: Path, caplog, damage):
    db.parent.mkdir(parents=True)
    damage(db)
    damaged = db.read_bytes()
    aside = db.with_name(db.name + ".corrupt")
    aside.write_bytes(b"an older damaged file")
    db.with_name(db.name + "-wal").write_bytes(b"stale wal of the damaged file")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="bot.chat_store"):
        chats = SqliteChats(db)
    messages = warnings_of(caplog)
    assert len(messages) == 1 and str(db) in messages[0] and "starting empty" in messages[0]
    assert aside.read_bytes() == damaged
    assert chats.persistent
    assert chats.load("chat:1", NOW + 1) is None
    chats.save("telegram:1", CONTEXT, NOW)
    chats.close()
    again = SqliteChats(db)
    assert again.load("telegram:1", NOW + 1) == CONTEXT
    again.close()
    assert len(warnings_of(caplog)) == 1


def test_a_row_that_is_not_a_json_object_is_dropped_with_a_warning(store: SqliteChats, caplog):
    store.save("good", {"n": 1}, NOW)
    with sqlite3.connect(store.path) as conn:
        conn.execute("INSERT INTO chats VALUES ('bad', ?, '{not json')", (NOW,))
        conn.execute("INSERT INTO chats VALUES ('list', ?, '[1, 2]')", (NOW,))
    conn.close()
    with caplog.at_level(logging.WARNING, logger="bot.chat_store"):
        assert store.load("bad", NOW + 1) is None
        assert store.load("list", NOW + 1) is None
    assert len(warnings_of(caplog)) == 2
    assert set(raw_rows(store.path)) == {"good"}
    assert store.load("good", NOW + 1) == {"n": 1}
    assert store.persistent


def _works_in_memory(chats: SqliteChats) -> None:
    assert not chats.persistent
    chats.save("telegram:1", CONTEXT, NOW)
    assert chats.load("telegram:1", NOW + 1) == CONTEXT
    chats.clear("telegram:1")
    assert chats.load("telegram:1", NOW + 1) is None
    chats.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write in a read-only folder")
def test_a_read_only_folder_falls_back_to_memory(tmp_path: Path, caplog):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.chat_store"):
            chats = SqliteChats(folder / "chats.sqlite3")
        messages = warnings_of(caplog)
        assert len(messages) == 1 and str(folder / "chats.sqlite3") in messages[0]
        _works_in_memory(chats)
    finally:
        folder.chmod(0o700)


def test_a_directory_at_the_path_falls_back_to_memory(tmp_path: Path, caplog):
    path = tmp_path / "chats.sqlite3"
    path.mkdir()
    with caplog.at_level(logging.WARNING, logger="bot.chat_store"):
        chats = SqliteChats(path)
    messages = warnings_of(caplog)
    assert len(messages) == 1 and str(path) in messages[0] and "memory" in messages[0]
    assert path.is_dir() and not path.with_name(path.name + ".corrupt").exists()
    _works_in_memory(chats)


def test_a_missing_parent_folder_is_created(tmp_path: Path):
    path = tmp_path / "a" / "b" / "chats.sqlite3"
    chats = SqliteChats(path)
    chats.save("k", {}, NOW)
    chats.close()
    assert path.is_file()


def test_an_sqlite_error_while_running_falls_back_to_memory(store: SqliteChats, caplog):
    store.save("telegram:1", CONTEXT, NOW)
    store._conn.close()  # the connection dies behind the store's back
    with caplog.at_level(logging.WARNING, logger="bot.chat_store"):
        assert store.load("telegram:1", NOW + 1) is None  # what the file held is out of reach
        store.save("telegram:2", CONTEXT, NOW + 2)
        assert store.load("telegram:2", NOW + 3) == CONTEXT
        store.clear("telegram:2")
    messages = warnings_of(caplog)
    assert len(messages) == 1 and str(store.path) in messages[0]
    assert not store.persistent


def test_a_failing_save_keeps_the_context_in_memory(store: SqliteChats, caplog, monkeypatch):
    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "_save", disk_full)
    with caplog.at_level(logging.WARNING, logger="bot.chat_store"):
        store.save("telegram:1", CONTEXT, NOW)
    assert "disk is full" in warnings_of(caplog)[0]
    assert store.load("telegram:1", NOW + 1) == CONTEXT
    assert not store.persistent


def test_threads_share_one_store(store: SqliteChats):
    errors: list[BaseException] = []

    def work(t: int) -> None:
        try:
            for i in range(50):
                store.save(f"chat:{t}", {"t": t, "i": i}, NOW + i)
                assert store.load(f"chat:{t}", NOW + i) == {"t": t, "i": i}
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.persistent
    assert [store.load(f"chat:{t}", NOW + 50) for t in range(8)] == [{"t": t, "i": 49} for t in range(8)]


def test_memory_chats_expire():
    chats = MemoryChats(expiry=10)
    chats.save("a", CONTEXT, NOW)
    assert chats.load("a", NOW + 10) == CONTEXT
    assert chats.load("a", NOW + 11) is None
    assert len(chats) == 0


def test_memory_chats_are_bounded_oldest_first():
    chats = MemoryChats(max_chats=3)
    for i in range(5):
        chats.save(f"chat:{i}", {"i": i}, NOW + i)
    assert [chats.load(f"chat:{i}", NOW + 5) for i in range(5)] == [None, None, {"i": 2}, {"i": 3}, {"i": 4}]
    chats.save("chat:2", {"i": 22}, NOW + 6)  # now the newest
    chats.save("chat:5", {"i": 5}, NOW + 7)
    assert chats.load("chat:3", NOW + 7) is None and chats.load("chat:2", NOW + 7) == {"i": 22}


def test_memory_chats_clear_copy_and_refuse_what_the_file_would():
    chats = MemoryChats()
    chats.save("a", CONTEXT, NOW)
    loaded = chats.load("a", NOW)
    loaded["lang"] = "en"
    assert chats.load("a", NOW) == CONTEXT  # a fresh copy each time
    chats.clear("a")
    assert chats.load("a", NOW) is None
    with pytest.raises(ValueError):
        chats.save("a", {"text": "x" * (MAX_ROW_BYTES + 1)}, NOW)
    chats.close()


def test_open_chats_picks_the_store(db: Path):
    memory = open_chats(None, max_chats=5)
    assert isinstance(memory, MemoryChats) and memory.max_chats == 5
    sqlite = open_chats(db, expiry=60)
    assert isinstance(sqlite, SqliteChats) and sqlite.expiry == 60
    assert isinstance(memory, ChatStore) and isinstance(sqlite, ChatStore)
    sqlite.close()


def test_bounds_must_make_sense(db: Path):
    with pytest.raises(ValueError):
        MemoryChats(max_chats=0)
    with pytest.raises(ValueError):
        SqliteChats(db, expiry=0)
