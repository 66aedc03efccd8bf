"""Every subcommand with every path setting pointed at the wrong thing, and every numeric
option at 0, negative and huge: no traceback, ever; a failure is one ``newsqa: error``
line (or argparse's one line) with exit status 2, and nothing in the seeds changes.

Run by tests/test_error_sweep.py; also by hand, printing what each case answered:

    .venv/bin/python tests/error_sweep.py
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_762f75904539e59f.txt"

#: Each subcommand as the sweep runs it (with what it reads on stdin).
COMMANDS: dict[str, tuple[list[str], str]] = {
    "index": (["index", "--no-progress"], ""),
    "ask": (["ask", "ماذا قال شي؟"], ""),
    "speakers": (["speakers"], ""),
    "chat": (["chat"], "ماذا قال شي؟\nexit\n"),
    "bot": (["bot"], ""),
    "watch": (["watch"], ""),
    "eval": (["eval", "--json", "nowhere/qa.json"], ""),  # a QA file that is not there
}
#: Numeric options: (command, option) and the values tried.
NUMBERS = [("ask", "-k"), ("ask", "--offset"), ("chat", "-k"), ("speakers", "-n"), ("watch", "--debounce")]
VALUES = ["0", "-1", "999999999", "1e309", "nan", "x"]
#: Settings that name a path, and what each should be in a working setup.
PATH_SETTINGS = ("NEWSQA_SEEDS", "NEWSQA_INDEX", "NEWSQA_CONFIG", "NEWSQA_CACHE", "NEWSQA_CHATS_FILE")


@dataclass(frozen=True)
class Case:
    name: str
    argv: tuple[str, ...]
    env: tuple[tuple[str, str], ...]
    stdin: str = ""


@dataclass(frozen=True)
class Outcome:
    case: Case
    status: int | None  # None: still running after the timeout (a server that started)
    stderr: str

    @property
    def problems(self) -> list[str]:
        found = []
        if "Traceback (most recent call last)" in self.stderr:
            found.append("a traceback")
        if self.status == 2:
            lines = [line for line in self.stderr.splitlines() if line.strip()]
            errors = [line for line in lines if line.startswith("newsqa") and ": error: " in line]
            if len(errors) != 1 or errors[0] != lines[-1]:
                found.append("exit 2 without exactly one error line, last")
        elif self.status not in (0, 1, 130, None):
            found.append(f"exit status {self.status}")
        return found


def workspace(base: Path) -> dict[str, Path]:
    """Paths of every kind the sweep points settings at."""
    seeds = base / "seeds"
    seeds.mkdir(parents=True)
    shutil.copy(SEED, seeds)
    odd = base / "مجلد الأخبار" / "seeds"  # spaces and Arabic letters
    odd.mkdir(parents=True)
    shutil.copy(SEED, odd)
    a_file = base / "a-file.txt"
    a_file.write_text("not a folder\n", encoding="utf-8")
    return {
        "a file": a_file,
        "missing": base / "nowhere" / "at-all",
        "inside a file": a_file / "below",
        "spaces and Arabic": odd,
        "seeds": seeds,
    }


KINDS = ("a file", "missing", "inside a file", "spaces and Arabic")


def cases(paths: dict[str, Path], base: Path, settings=PATH_SETTINGS, commands=tuple(COMMANDS),
          skip=frozenset()) -> Iterator[Case]:
    """Each case with an index folder and a missing path of its own (cases run side by side);
    ``skip`` leaves out (setting, kind) pairs."""
    number = 0
    for setting in settings:
        for kind in KINDS:
            if (setting, kind) in skip:
                continue
            for command in commands:
                argv, stdin = COMMANDS[command]
                number += 1
                target = paths[kind]
                if kind == "missing":
                    target = target.parent.parent / f"nowhere-{number}" / "at-all"
                elif kind == "spaces and Arabic" and setting != "NEWSQA_SEEDS":
                    target = target.parent / f"{setting.lower()}-{number}"
                env = {"NEWSQA_SEEDS": str(paths["seeds"]), "NEWSQA_INDEX": str(base / f"index-{number}"),
                       setting: str(target)}
                yield Case(f"{setting}={kind} {command}", tuple(argv), tuple(sorted(env.items())), stdin)
    for command, option in NUMBERS:
        argv, stdin = COMMANDS[command]
        for value in VALUES:
            number += 1
            env = {"NEWSQA_SEEDS": str(paths["seeds"]), "NEWSQA_INDEX": str(base / f"index-{number}")}
            yield Case(f"{command} {option} {value}", (*argv, f"{option}={value}"),
                       tuple(sorted(env.items())), stdin)


def run(case: Case, timeout: float = 120) -> Outcome:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWSQA_", "TELEGRAM_"))}
    env.update(case.env)
    env["PYTHONUNBUFFERED"] = "1"
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *case.argv], cwd=ROOT, env=env, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    # A watcher that started has nothing wrong to say: it runs until stopped.
    wait = 15 if case.argv[0] == "watch" else timeout
    try:
        _, stderr = process.communicate(case.stdin, timeout=wait)
        return Outcome(case, process.returncode, stderr)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        return Outcome(case, None, stderr)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


def sweep(base: Path, workers: int = 2, **which) -> list[Outcome]:
    """Run the cases (``which``: what ``cases`` takes) and check the seeds did not change."""
    paths = workspace(base)
    before = digest(paths["seeds"]), digest(paths["spaces and Arabic"])
    all_cases = list(cases(paths, base, **which))
    with ThreadPoolExecutor(workers) as pool:
        outcomes = list(pool.map(run, all_cases))
    assert (digest(paths["seeds"]), digest(paths["spaces and Arabic"])) == before, "the seeds changed"
    return outcomes


def main() -> int:
    import tempfile

    with tempfile.TemporaryDirectory(prefix="newsqa-sweep-") as tmp:
        outcomes = sweep(Path(tmp))
    bad = 0
    for outcome in outcomes:
        last = (outcome.stderr.strip().splitlines() or [""])[-1][:150]
        mark = "  " if not outcome.problems else "!!"
        bad += bool(outcome.problems)
        print(f"{mark} {outcome.case.name:<48} {outcome.status!s:>4}  {last}")
    print(f"{len(outcomes)} cases, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
