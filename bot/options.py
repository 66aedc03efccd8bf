"""The command line's parser and option types: one line for a wrong option, one range and
one message for each number."""

from __future__ import annotations

import argparse


class Parser(argparse.ArgumentParser):
    """argparse with one line for a wrong option: what is wrong and where to look."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def whole_number(low: int, high: int | None = None):
    """An argparse type: a whole number from ``low`` (to ``high``), one message for all."""
    wanted = f"a whole number from {low} to {high}" if high is not None else f"a whole number, at least {low}"

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be {wanted}, not {text!r}")
        return value

    return parse


def seconds_between(low: float, high: float):
    """An argparse type: seconds from ``low`` to ``high``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:  # also refuses nan
            raise argparse.ArgumentTypeError(f"must be a number of seconds from {low:g} to {high:g}, not {text!r}")
        return value

    return parse
