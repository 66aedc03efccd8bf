"""The sweep of wrong paths, options and files (tests/error_sweep.py) through the real
`newsqa` command: no traceback, one error line with exit status 2, seeds untouched.

The suite runs the cases that exercise each path setting where it is used (a subset that
keeps the suite's time in bounds: the model-cache cases that would build the model again
in a new folder, and the settings no command here reads, are left to the full sweep,
`.venv/bin/python tests/error_sweep.py`, which runs all 170 cases)."""

from __future__ import annotations

import pytest

from tests.error_sweep import NUMBERS, sweep

pytestmark = [pytest.mark.slow, pytest.mark.model]


def test_no_wrong_path_or_number_gives_a_traceback_or_more_than_one_line(tmp_path):
    outcomes = sweep(
        tmp_path,
        settings=("NEWSQA_SEEDS", "NEWSQA_INDEX", "NEWSQA_CONFIG", "NEWSQA_CACHE"),
        commands=("index", "ask"),
        skip=frozenset({("NEWSQA_CACHE", "missing"), ("NEWSQA_CACHE", "spaces and Arabic")}),
    )
    assert len(outcomes) == 14 * 2 + len(NUMBERS) * 6
    problems = {o.case.name: (o.problems, o.stderr[-300:]) for o in outcomes if o.problems}
    assert problems == {}
    by_name = {o.case.name: o for o in outcomes}
    said = lambda name: by_name[name].stderr.strip().splitlines()[-1]  # noqa: E731
    assert "is a file, not a folder: point NEWSQA_INDEX" in said("NEWSQA_INDEX=a file ask")
    assert "is a file, not a folder: point NEWSQA_SEEDS" in said("NEWSQA_SEEDS=a file index")
    assert "which is a file, not a folder" in said("NEWSQA_SEEDS=inside a file index")
    assert "cannot read config file" in said("NEWSQA_CONFIG=missing ask") and "does not exist" in said("NEWSQA_CONFIG=missing ask")
    assert "point NEWSQA_CACHE at a folder" in said("NEWSQA_CACHE=a file ask")
    assert by_name["NEWSQA_SEEDS=spaces and Arabic ask"].status == 0  # odd names work
    assert by_name["NEWSQA_INDEX=spaces and Arabic index"].status == 0
    assert "must be a whole number from 1 to 50, not '0'" in said("ask -k 0")


def _newsqa(tmp_path, *argv, env=None):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    settings = dict(NEWSQA_SEEDS=str(tmp_path / "seeds"), NEWSQA_INDEX=str(tmp_path / "index"))
    full = {k: v for k, v in os.environ.items() if not k.startswith("NEWSQA_")} | settings | (env or {})
    return subprocess.run([sys.executable, "-m", "bot.cli", *argv], cwd=ROOT, env=full,
                          capture_output=True, text=True, timeout=300)


def test_a_damaged_index_and_an_old_encoding_each_get_one_plain_warning(tmp_path, seed_dir):
    assert seed_dir == tmp_path / "seeds"  # the seed article, where _newsqa looks
    old = "قال الوزير إن الحكومة ستواصل الإصلاح هذا العام.\nوأضاف أن النمو سيرتفع."
    (tmp_path / "seeds" / "old.txt").write_bytes(old.encode("cp1256"))
    first = _newsqa(tmp_path, "index", "--no-progress")
    assert first.returncode == 0, first.stderr
    encoding = [line for line in first.stderr.splitlines() if "old.txt" in line]
    assert len(encoding) == 1 and "looks like Windows-1256 (Arabic Windows) text" in encoding[0]
    assert "iconv -f WINDOWS-1256 -t UTF-8" in encoding[0]
    faiss_file = next((tmp_path / "index" / "segments").glob("*.faiss"))
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])  # a half-written vector file
    second = _newsqa(tmp_path, "index", "--no-progress")
    assert second.returncode == 0 and "Traceback" not in second.stderr
    damaged = [line for line in second.stderr.splitlines() if "damaged" in line and "WARNING" in line]
    assert len(damaged) == 1 and "rebuilding from the seeds" in damaged[0]
    assert "faiss::" not in second.stderr and "Error in" not in second.stderr
    assert _newsqa(tmp_path, "ask", "ماذا قال شي؟").returncode == 0  # rebuilt and answering


@pytest.fixture
def read_only_mount(tmp_path):
    """A small file system of its own, to be made read-only (root can write anywhere else)."""
    import subprocess

    mount = tmp_path / "mnt"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "none", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here (not root, or no capability)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_read_only_index_is_up_to_date_or_says_what_needs_writing(tmp_path, seed_dir, read_only_mount):
    import subprocess

    index = read_only_mount / "index"
    env_index = dict(NEWSQA_INDEX=str(index))

    def newsqa(*argv):
        done = _newsqa(tmp_path, *argv, env=env_index)
        assert "Traceback" not in done.stderr
        return done

    assert newsqa("index", "--no-progress").returncode == 0
    before = (index / "manifest.json").read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(read_only_mount)], check=True)
    unchanged = newsqa("index", "--no-progress")
    assert unchanged.returncode == 0, unchanged.stderr
    assert "added 0, changed 0, removed 0 articles" in unchanged.stdout
    assert newsqa("ask", "ماذا قال شي؟").returncode == 0  # reading needs no lock file
    (seed_dir / "new.txt").write_text("قال الوزير إن الاقتصاد ينمو هذا العام.\n", encoding="utf-8")
    changed = newsqa("index", "--no-progress")
    last = changed.stderr.strip().splitlines()[-1]
    assert changed.returncode == 2 and last.startswith("newsqa: error: the index folder")
    assert "is read-only (Read-only file system) and needs writing: 1 article(s)" in last
    assert (index / "manifest.json").read_bytes() == before
