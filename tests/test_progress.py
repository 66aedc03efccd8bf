"""Progress: the tqdm bar on a terminal, plain lines in a pipe or a log, nothing when disabled."""

from __future__ import annotations

import io

import pytest

from bot.progress import format_duration, progress_bar, progress_line


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (45.4, "45 s"),
        (59.6, "1 min 0 s"),
        (121.3, "2 min 1 s"),
        (3599, "59 min 59 s"),
        (3600, "1 h 0 min"),
        (3900, "1 h 5 min"),
        (26 * 3600 + 59, "26 h 1 min"),
    ],
)
def test_format_duration(seconds, text):
    assert format_duration(seconds) == text


def test_progress_line_with_a_rate():
    line = progress_line(12_400, 50_000, 310.0)
    assert line == "embedding: 12,400 / 50,000 passages (24.8%), 310 passages/s, about 2 min 1 s left"


def test_progress_line_in_hours_and_slow_rates():
    assert progress_line(0, 10_000, 2.5, "Embedding") == (
        "Embedding: 0 / 10,000 passages (0.0%), 2.5 passages/s, about 1 h 7 min left"
    )
    assert progress_line(1_000, 1_200, 1_000.0).endswith("1,000 passages/s, about 0 s left")


def test_progress_line_before_the_rate_is_known():
    assert progress_line(64, 50_000, None) == "embedding: 64 / 50,000 passages (0.1%), …"
    assert progress_line(64, 50_000, 0.0) == "embedding: 64 / 50,000 passages (0.1%), …"


def test_progress_line_at_the_end_says_no_time_left():
    assert progress_line(50_000, 50_000, 310.0) == "embedding: 50,000 / 50,000 passages (100.0%), 310 passages/s"
    assert progress_line(5, 5, None) == "embedding: 5 / 5 passages (100.0%)"


def test_lines_come_every_interval_and_a_last_one_at_100_percent():
    clock, stream = FakeClock(), io.StringIO()
    with progress_bar(desc="embedding", clock=clock, stream=stream) as on_progress:
        for t, done in [(0, 100), (1, 200), (2, 300), (6, 700), (7, 800), (12, 1300), (13, 2000)]:
            clock.now = t
            on_progress(done, 2000)
    assert stream.getvalue().splitlines() == [
        "embedding: 700 / 2,000 passages (35.0%), 100 passages/s, about 13 s left",  # t=6
        "embedding: 1,300 / 2,000 passages (65.0%), 100 passages/s, about 7 s left",  # t=12
        "embedding: 2,000 / 2,000 passages (100.0%), 146 passages/s",  # t=13: the end
    ]


def test_the_interval_can_be_changed_and_the_end_is_written_once():
    clock, stream = FakeClock(), io.StringIO()
    with progress_bar(interval=1, clock=clock, stream=stream) as on_progress:
        for t, done in [(0, 0), (1, 5), (1.5, 10), (1.6, 10), (9, 10)]:
            clock.now = t
            on_progress(done, 10)
    assert len(stream.getvalue().splitlines()) == 2  # t=1, then 100% at t=1.5 only
    assert stream.getvalue().splitlines()[-1].startswith("Embedding: 10 / 10 passages (100.0%)")


def test_a_short_run_writes_nothing():
    clock, stream = FakeClock(), io.StringIO()
    with progress_bar(clock=clock, stream=stream) as on_progress:
        for t, done in [(0, 10), (1, 20), (2, 30)]:
            clock.now = t
            on_progress(done, 30)
    assert stream.getvalue() == ""


def test_disabled_yields_none(capsys):
    with progress_bar(False) as on_progress:
        assert on_progress is None
    with progress_bar(enabled=False, stream=Tty()) as on_progress:
        assert on_progress is None
    assert capsys.readouterr().err == ""


def test_a_pipe_gets_lines_never_carriage_returns():
    clock, stream = FakeClock(), io.StringIO()
    with progress_bar(clock=clock, stream=stream) as on_progress:
        for t in range(0, 30, 3):
            clock.now = t
            on_progress(t * 10, 300)
        on_progress(300, 300)
    out = stream.getvalue()
    assert "\r" not in out and out.endswith("\n")
    assert len(out.splitlines()) >= 4
    assert all(line.startswith("Embedding: ") for line in out.splitlines())


def test_stderr_is_the_default_stream(capsys):
    clock = FakeClock()
    with progress_bar(clock=clock) as on_progress:  # pytest's captured stderr is no terminal
        on_progress(1, 4)
        clock.now = 5
        on_progress(4, 4)
    assert capsys.readouterr().err == "Embedding: 4 / 4 passages (100.0%), 0.6 passages/s\n"


@pytest.mark.parametrize("stream_class", [Tty, io.StringIO])
def test_a_terminal_or_enabled_true_gets_the_tqdm_bar(stream_class):
    stream = stream_class()
    with progress_bar(True if stream_class is io.StringIO else None, stream=stream) as on_progress:
        on_progress(5, 10)
        on_progress(10, 10)
    assert "\r" in stream.getvalue() and "10/10" in stream.getvalue()


@pytest.mark.parametrize("stream_class", [Tty, io.StringIO])
def test_a_postfix_follows_the_figures_in_the_bar_and_the_lines(stream_class):
    clock, stream = FakeClock(), stream_class()
    workers = iter(["2 workers: 30/s, 31/s", "2 workers: 33/s, 34/s", "2 workers: 35/s, 36/s"])
    with progress_bar(clock=clock, stream=stream, postfix=lambda: next(workers)) as on_progress:
        on_progress(10, 100)
        clock.now = 6
        on_progress(100, 100)
    out = stream.getvalue()
    if stream_class is Tty:
        assert "2 workers: 33/s, 34/s" in out  # tqdm's postfix, set at each update
    else:
        assert out == "Embedding: 100 / 100 passages (100.0%), 15 passages/s; 2 workers: 30/s, 31/s\n"


def test_log_lines_go_above_the_bar_not_into_it(capsys):
    import logging
    import sys

    handler = logging.StreamHandler(sys.stderr)  # as the CLI logs: to stderr, where the bar is
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with progress_bar(True) as on_progress:
            on_progress(5, 10)
            logging.getLogger("retrieval.test").warning("added a.txt")
            on_progress(10, 10)
    finally:
        root.removeHandler(handler)
    out = capsys.readouterr().err
    line = next(part for part in out.replace("\r", "\n").splitlines() if "added a.txt" in part)
    assert line == "WARNING added a.txt"  # a line of its own, not "…passage/s]WARNING added"
