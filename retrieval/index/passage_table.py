"""Passages held compactly: numbers in arrays, texts in one buffer or read when asked for.

Texts are kept in one UTF-8 buffer, or read from the segment's file (mapped) when asked.

A million passages as Python objects take about a kilobyte each; here they take 20-28
bytes (plus their UTF-8 text when not mapped), and a ``Passage`` is made only when one is
asked for (a hit, its context). ``PassageTable`` holds one segment's passages; ``PassageView`` is the
served index's passages: positions mapped to rows of the segments' tables, so nothing is
copied when a generation is loaded.
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import overload

import numpy as np

from retrieval.index.columns import Texts
from retrieval.types import Passage

#: Between the speakers of one statement in the table's buffer (never in a name).
SEPARATOR = "\x1f"


class PassageTable(Sequence[Passage]):
    """One segment's passages, in row order, read-only."""

    __slots__ = ("_ids", "_article", "_index", "_start", "_end", "_offsets", "_text", "_rows", "_said", "_names")

    def __init__(self, passages: Sequence[Passage], *, rows_file: tuple[object, np.ndarray] | None = None):
        """With ``rows_file`` — the segment's passages file, mapped, and where each row's
        line starts and ends — texts are read from it when asked for instead of held."""
        ids: dict[str, int] = {}
        self._article = np.array([ids.setdefault(p.article_id, len(ids)) for p in passages], np.int32)
        self._ids = Texts(ids)  # no object of the segment's parse is kept (see retrieval.index.columns)
        self._index = np.array([p.index for p in passages], np.int32)
        self._start = np.array([p.start for p in passages], np.int32)
        self._end = np.array([p.end for p in passages], np.int32)
        self._offsets = np.zeros(len(passages) + 1, np.int64)
        if rows_file is not None and len(rows_file[1]) == len(passages) + 1:
            self._rows, self._offsets = rows_file[0], rows_file[1]
            self._text = b""
        else:
            encoded = [p.text.encode("utf-8") for p in passages]
            np.cumsum([len(b) for b in encoded], out=self._offsets[1:])
            self._text, self._rows = b"".join(encoded), None
        said = [(i, p.speakers) for i, p in enumerate(passages) if p.speakers]
        self._said = np.array([i for i, _ in said], np.int32)  # the rows that are statements
        self._names = Texts(SEPARATOR.join(names) for _, names in said)

    def __len__(self) -> int:
        return len(self._article)

    @overload
    def __getitem__(self, row: int) -> Passage: ...
    @overload
    def __getitem__(self, row: slice) -> list[Passage]: ...

    def __getitem__(self, row):
        if isinstance(row, slice):
            return [self[i] for i in range(*row.indices(len(self)))]
        if row < 0:
            row += len(self)
        if not 0 <= row < len(self):
            raise IndexError(row)
        return Passage(
            article_id=self._ids[self._article[row]],
            index=int(self._index[row]),
            text=self.text(row),
            start=int(self._start[row]),
            end=int(self._end[row]),
            speakers=self._speakers_of(row),
        )

    def _speakers_of(self, row: int) -> tuple[str, ...]:
        at = int(np.searchsorted(self._said, row))
        if at < len(self._said) and self._said[at] == row:
            return tuple(self._names[at].split(SEPARATOR))
        return ()

    @property
    def article_ids(self) -> Sequence[str]:
        """The distinct articles of the table; ``article_codes`` index into them."""
        return self._ids

    @property
    def article_codes(self) -> np.ndarray:
        return self._article

    def text(self, row: int) -> str:
        start, stop = self._offsets[row], self._offsets[row + 1]
        if self._rows is not None:
            return json.loads(self._rows[start:stop])["t"]
        return self._text[start:stop].decode("utf-8")

    def article_id(self, row: int) -> str:
        return self._ids[self._article[row]]

    def speakers(self) -> dict[int, tuple[str, ...]]:
        """The rows that are statements, with their speakers (made when asked for)."""
        return {int(row): tuple(self._names[at].split(SEPARATOR)) for at, row in enumerate(self._said)}

    def nbytes(self) -> int:
        """Roughly what the table holds in memory."""
        arrays = (self._article, self._index, self._start, self._end, self._offsets, self._said)
        return len(self._text) + sum(a.nbytes for a in arrays) + self._ids.nbytes() + self._names.nbytes()


class PassageView(Sequence[Passage]):
    """The served passages: the rows ``live[0]`` of ``tables[0]``, then ``live[1]`` of
    ``tables[1]``, … (each ``live[i]`` ascending), numbered 0, 1, … in that order."""

    def __init__(self, tables: Sequence[PassageTable], live: Sequence[np.ndarray]):
        self._tables = tuple(tables)
        self._live = tuple(np.asarray(rows, np.int32) for rows in live)
        self._bases = np.zeros(len(self._live) + 1, np.int64)
        np.cumsum([len(rows) for rows in self._live], out=self._bases[1:])
        self._starts = self._bases.tolist()  # bisect on a list: a tenth of numpy's cost for one value

    def __len__(self) -> int:
        return int(self._bases[-1])

    def _locate(self, position: int) -> tuple[PassageTable, int]:
        if position < 0:
            position += len(self)
        if not 0 <= position < len(self):
            raise IndexError(position)
        t = bisect.bisect_right(self._starts, position) - 1
        return self._tables[t], int(self._live[t][position - self._starts[t]])

    def __getitem__(self, position):
        if isinstance(position, slice):
            return [self[i] for i in range(*position.indices(len(self)))]
        table, row = self._locate(int(position))
        return table[row]

    def __iter__(self) -> Iterator[Passage]:
        for table, rows in zip(self._tables, self._live):
            for row in rows:
                yield table[int(row)]

    def text(self, position: int) -> str:
        table, row = self._locate(int(position))
        return table.text(row)

    def article_id(self, position: int) -> str:
        table, row = self._locate(int(position))
        return table.article_id(row)

    def statements(self) -> list[tuple[int, tuple[str, ...]]]:
        """(position, speakers) of every passage that is a statement, in position order."""
        found = []
        for table, rows, base in zip(self._tables, self._live, self._bases):
            speakers = table.speakers()
            if not speakers:
                continue
            said = np.fromiter(speakers, np.int64, len(speakers))
            at = np.searchsorted(rows, said)
            for row, i in zip(said, at):
                if i < len(rows) and rows[i] == row:
                    found.append((int(base + i), speakers[int(row)]))
        return sorted(found)

    def columns(self, codes: dict[str, int] | None = None) -> tuple[np.ndarray, list[str], np.ndarray]:
        """Each position's article (a code), the article ids the codes stand for, and
        each position's index within its article.

        With ``codes`` (article id -> code, e.g. an ``ArticleCatalog``'s), the codes
        are those and no list of ids is made (the list returned is empty).
        """
        ids: dict[str, int] = {} if codes is None else codes
        code_of = (lambda a: ids.get(a, -1)) if codes is not None else (lambda a: ids.setdefault(a, len(ids)))
        found, indexes = [], []
        for table, rows in zip(self._tables, self._live):
            remap = np.array([code_of(a) for a in table._ids] or [0], np.int32)
            found.append(remap[table._article[rows]])
            indexes.append(table._index[rows])
        empty = np.zeros(0, np.int32)
        return (np.concatenate(found) if found else empty, list(ids) if codes is None else [],
                np.concatenate(indexes) if indexes else empty)


class ArticleRows(Mapping[str, np.ndarray]):
    """For each article, its passages' positions in article order (``LoadedIndex.by_article``).

    With ``catalog`` (the manifest's ``ArticleCatalog``) and ``codes`` (its id -> code
    dict, made once for the load), articles are numbered as in the catalog and no
    per-article object is kept: a million passages' articles cost two arrays.
    """

    def __init__(self, passages: Sequence[Passage], *, catalog=None, codes: dict[str, int] | None = None):
        if isinstance(passages, PassageView) and catalog is not None and codes is not None:
            found, _, indexes = passages.columns(codes)
            self._code, self._name, count = catalog.code, catalog.article_id, len(catalog)
        else:
            if isinstance(passages, PassageView):
                found, ids, indexes = passages.columns()
            else:
                lookup: dict[str, int] = {}
                found = np.array([lookup.setdefault(p.article_id, len(lookup)) for p in passages], np.int32)
                ids = list(lookup)
                indexes = np.array([p.index for p in passages], np.int32)
            table = {aid: code for code, aid in enumerate(ids)}
            self._code, self._name, count = (lambda aid: table.get(aid, -1)), ids.__getitem__, len(ids)
        self._order = np.lexsort((indexes, found)).astype(np.int32)
        self._bounds = np.searchsorted(found[self._order], np.arange(count + 1)).astype(np.int32)

    def __getitem__(self, article_id: str) -> np.ndarray:
        code = self._code(article_id)
        if code < 0 or self._bounds[code] == self._bounds[code + 1]:
            raise KeyError(article_id)
        return self._order[self._bounds[code] : self._bounds[code + 1]]

    def __contains__(self, article_id: object) -> bool:
        if not isinstance(article_id, str):
            return False
        code = self._code(article_id)
        return code >= 0 and self._bounds[code] != self._bounds[code + 1]

    def __iter__(self) -> Iterator[str]:
        for code in np.flatnonzero(np.diff(self._bounds)):
            yield self._name(int(code))

    def __len__(self) -> int:
        return int(np.count_nonzero(np.diff(self._bounds)))
