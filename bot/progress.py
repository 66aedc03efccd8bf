"""Progress of the engine's callbacks: a bar on a terminal, a plain line now and then in a log."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

Progress = Callable[[int, int], None]


def format_duration(seconds: float) -> str:
    """``seconds`` as "45 s", "2 min 1 s" or "1 h 5 min"."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60} min"


def progress_line(done: int, total: int, rate: float | None, label: str = "embedding") -> str:
    """One line of progress; ``rate`` is in passages a second, None (or 0) while unknown.

    For example "embedding: 12,400 / 50,000 passages (24.8%), 310 passages/s, about 2 min 1 s
    left", or "embedding: 64 / 50,000 passages (0.1%), …" before the rate is known.
    """
    percent = 100 * done / total if total else 100.0
    line = f"{label}: {done:,} / {total:,} passages ({percent:.1f}%)"
    if not rate:
        return f"{line}, …" if done < total else line
    line += f", {rate:,.1f} passages/s" if rate < 10 else f", {rate:,.0f} passages/s"
    if done < total:
        line += f", about {format_duration((total - done) / rate)} left"
    return line


class ProgressLines:
    """A ``(done, total)`` callback that writes a progress line at most every ``interval`` seconds.

    The clock starts at the first call, so the rate counts the passages done since then. When
    ``done`` reaches ``total`` a last line says 100%, if any line was written before.
    """

    def __init__(self, stream: TextIO, label: str, interval: float = 5.0,
                 clock: Callable[[], float] = time.monotonic,
                 postfix: Callable[[], str] | None = None) -> None:
        self.stream, self.label, self.interval, self.clock = stream, label, interval, clock
        self.postfix = postfix
        self.start: float | None = None
        self.first = 0  # passages done at the first call
        self.last = 0.0  # when the last line was written (or the first call came)
        self.lines = 0
        self.finished = False

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if self.start is None:
            self.start, self.first, self.last = now, done, now
        due = now - self.last >= self.interval
        final = done >= total and self.lines > 0
        if self.finished or not (due or final):
            return
        elapsed = now - self.start
        rate = (done - self.first) / elapsed if elapsed > 0 and done > self.first else None
        line = progress_line(done, total, rate, self.label)
        extra = self.postfix() if self.postfix is not None else ""
        print(f"{line}; {extra}" if extra else line, file=self.stream, flush=True)
        self.last, self.lines, self.finished = now, self.lines + 1, done >= total


@contextmanager
def progress_bar(
    enabled: bool | None = None,
    desc: str = "Embedding",
    *,
    interval: float = 5.0,
    clock: Callable[[], float] = time.monotonic,
    stream: TextIO | None = None,
    postfix: Callable[[], str] | None = None,
) -> Iterator[Progress | None]:
    """A ``(done, total)`` callback showing progress on stderr, or None when disabled.

    Args:
        enabled: True draws a tqdm bar, False shows nothing (the callback is None), None
            draws the bar when the stream is a terminal and writes a line every ``interval``
            seconds otherwise (a pipe, a log file).
        desc: the bar's label, and the lines'.
        interval: the fewest seconds between two lines.
        clock: seconds, for the lines' timing and rate (tests pass a fake one).
        stream: where to write; None means sys.stderr.
        postfix: a few words to show after the figures, asked for at each update (the
            workers of a Ray build and their rates).
    """
    stream = sys.stderr if stream is None else stream
    if enabled is False:
        yield None
        return
    if enabled is None and not getattr(stream, "isatty", lambda: False)():
        yield ProgressLines(stream, desc, interval, clock, postfix)
        return
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="passage", desc=desc, dynamic_ncols=True, file=stream)
        if postfix is not None:
            bar.set_postfix_str(postfix(), refresh=False)
        bar.update(done - bar.n)

    # Log lines ("INFO added …") are written above the bar, not into it.
    from tqdm.contrib.logging import logging_redirect_tqdm

    try:
        with logging_redirect_tqdm():
            yield update
    finally:
        if bar is not None:
            bar.close()
