"""Read-only columns that hold many values without a Python object per value.

A Python string or date costs 50-100 bytes beyond its data, and objects that outlive a
large parse keep the interpreter's memory blocks they sit in from being given back.
These columns keep values in one buffer or one array and make the object on access.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import numpy as np


class Texts(Sequence):
    """A read-only column of optional strings in one UTF-8 buffer."""

    __slots__ = ("_buffer", "_bounds", "_missing")

    def __init__(self, values: Iterable[str | None]):
        encoded, missing = [], []
        for value in values:
            missing.append(value is None)
            encoded.append(b"" if value is None else value.encode("utf-8"))
        self._bounds = np.zeros(len(encoded) + 1, np.int64)
        np.cumsum([len(b) for b in encoded], out=self._bounds[1:])
        self._buffer = b"".join(encoded)
        self._missing = np.array(missing, bool) if any(missing) else None

    def __len__(self) -> int:
        return len(self._bounds) - 1

    def __getitem__(self, row: int) -> str | None:
        if self._missing is not None and self._missing[row]:
            return None
        return self._buffer[self._bounds[row] : self._bounds[row + 1]].decode("utf-8")

    def nbytes(self) -> int:
        return len(self._buffer) + self._bounds.nbytes + (self._missing.nbytes if self._missing is not None else 0)


class Labels(Sequence):
    """A read-only column of optional strings with few distinct values (agencies,
    places): a code per row, the distinct values in one ``Texts``."""

    __slots__ = ("_values", "_codes")

    def __init__(self, values: Iterable[str | None]):
        distinct: dict[str | None, int] = {}
        codes = [distinct.setdefault(value, len(distinct)) for value in values]
        self._values = Texts(distinct)
        self._codes = np.array(codes, np.int32 if len(distinct) > 32_000 else np.int16)

    def __len__(self) -> int:
        return len(self._codes)

    def __getitem__(self, row: int) -> str | None:
        return self._values[self._codes[row]]

    def nbytes(self) -> int:
        return self._codes.nbytes + self._values.nbytes()


class Dates(Sequence):
    """A read-only column of optional dates, as day numbers (0: no date)."""

    __slots__ = ("_days",)

    def __init__(self, values: Iterable[dt.date | None]):
        self._days = np.array([d.toordinal() if d else 0 for d in values], np.int32)

    def __len__(self) -> int:
        return len(self._days)

    def __getitem__(self, row: int) -> dt.date | None:
        day = int(self._days[row])
        return dt.date.fromordinal(day) if day else None

    def nbytes(self) -> int:
        return self._days.nbytes
