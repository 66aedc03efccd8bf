"""A progress bar on the terminal for the engine's progress callbacks."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Callable, Iterator

Progress = Callable[[int, int], None]


@contextmanager
def progress_bar(enabled: bool | None = None, desc: str = "Embedding") -> Iterator[Progress | None]:
    """A ``(done, total)`` callback that draws a tqdm bar on stderr, or None when disabled.

    Args:
        enabled: draw the bar; None means "when stderr is a terminal".
        desc: the bar's label.
    """
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        yield None
        return
    from tqdm import tqdm  # noqa: PLC0415

    bar = None

    def update(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="passage", desc=desc, dynamic_ncols=True, file=sys.stderr)
        bar.update(done - bar.n)

    try:
        yield update
    finally:
        if bar is not None:
            bar.close()
