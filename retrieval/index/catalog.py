"""The manifest's articles: one article's entry, and many held compactly in columns.

No Python object made while parsing the manifest is kept: a large manifest's parse
leaves gigabytes of garbage, and one surviving small object keeps its whole block of
the interpreter's memory from being given back.

A manifest names every article with its hash, its parts (segment, passage count) and its
source. As Python objects an entry takes about 2.5 KB; an archive of a million passages
from short articles has hundreds of thousands of them. ``ArticleCatalog`` keeps the same
data in arrays and UTF-8 buffers (about 200 bytes an article) and makes an
``ArticleEntry`` only when one is asked for. It is a read-only mapping from article id to
``ArticleEntry``, ids in sorted order, so the indexer and the served index use it alike.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from retrieval.index.columns import Dates, Labels, Texts
from retrieval.types import Source


@dataclass(frozen=True, slots=True)
class ArticleEntry:
    """What the manifest remembers of one indexed article.

    Attributes:
        content_hash: ``Article.content_hash`` of what was indexed.
        parts: (segment id, passage count) in passage order: a long article spans
            several segments, so no segment grows with the size of one article.
        source: the article's source.
    """

    content_hash: str
    parts: tuple[tuple[str, int], ...]
    source: Source

    @property
    def passages(self) -> int:
        return sum(count for _, count in self.parts)

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(sid for sid, _ in self.parts)


def parts_of(entry: dict) -> tuple[tuple[str, int], ...]:
    """An article's (segment, count) parts; format 1 had one "segment" and "passages"."""
    if "parts" in entry:
        return tuple((str(sid), int(count)) for sid, count in entry["parts"])
    return ((str(entry["segment"]), int(entry["passages"])),)



def _key(article_id: str) -> int:
    return zlib.crc32(article_id.encode("utf-8"))


class ArticleCatalog(Mapping[str, ArticleEntry]):
    """Article id -> ``ArticleEntry``, read-only, held in columns (ids sorted)."""

    def __init__(self, entries: Iterable[tuple[str, ArticleEntry]]):
        rows = sorted(entries, key=lambda item: item[0])
        self._init_columns(
            [aid for aid, _ in rows],
            [e.content_hash for _, e in rows],
            [e.parts for _, e in rows],
            [e.source for _, e in rows],
        )

    @classmethod
    def from_json(cls, articles: Mapping[str, dict]) -> ArticleCatalog:
        """The catalog of a manifest's ``"articles"`` object, without making its entries."""
        catalog = cls.__new__(cls)
        ids = sorted(articles)
        rows = [articles[aid] for aid in ids]
        catalog._init_columns(
            ids,
            [r["hash"] for r in rows],
            [parts_of(r) for r in rows],
            [Source.from_dict(r["source"]) for r in rows],
        )
        return catalog

    def _init_columns(self, ids: list[str], hashes: list[str], parts: list, sources: list[Source]) -> None:
        self._ids = Texts(ids)
        # Finding an id: its checksum among the sorted checksums (one numpy search), not a
        # bisect that decodes ~20 ids from the buffer (3 µs instead of 25, three times a
        # hit). CRC-32, not hash(): the same in every process (a copied catalog still finds).
        keys = np.fromiter((_key(aid) for aid in ids), np.int64, len(ids))
        self._key_order = np.argsort(keys, kind="stable").astype(np.int32)
        self._keys = keys[self._key_order]
        self._hashes = Texts(hashes)
        segments: dict[str, int] = {}  # the ids end in a Texts: no object of the parse is kept
        self._part_bounds = np.zeros(len(ids) + 1, np.int64)
        np.cumsum([len(p) for p in parts], out=self._part_bounds[1:])
        self._part_segment = np.array([segments.setdefault(sid, len(segments)) for p in parts for sid, _ in p], np.int32)
        self._part_count = np.array([count for p in parts for _, count in p], np.int32)
        self._segments = Texts(segments)
        self._path = Texts(s.path for s in sources)
        self._title = Texts(s.title for s in sources)
        self._url = Texts(s.url for s in sources)
        self._agency = Labels(s.agency for s in sources)
        self._place = Labels(s.place for s in sources)
        self._region = Labels(s.region for s in sources)
        self._date = Dates(s.date for s in sources)

    # -- the mapping ----------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[str]:
        for code in range(len(self._ids)):
            yield self._ids[code]

    def __getitem__(self, article_id: str) -> ArticleEntry:
        return self.entry(self._existing(article_id))

    def __contains__(self, article_id: object) -> bool:
        return isinstance(article_id, str) and self.code(article_id) >= 0

    # -- by code (the article's position in id order) ---------------------------------

    def code(self, article_id: str) -> int:
        """The article's position in id order, or -1 when it is not in the catalog."""
        key = _key(article_id)
        at = int(np.searchsorted(self._keys, key))
        while at < len(self._keys) and self._keys[at] == key:
            code = int(self._key_order[at])
            if self._ids[code] == article_id:
                return code
            at += 1
        return -1

    def codes(self) -> dict[str, int]:
        """Every article id with its code (a dict to look many up at once; not kept)."""
        return {aid: code for code, aid in enumerate(self)}

    def source_of(self, article_id: str) -> Source:
        """The source of ``article_id`` (KeyError when it is not in the catalog)."""
        return self.source(self._existing(article_id))

    def _existing(self, article_id: str) -> int:
        code = self.code(article_id)
        if code < 0:
            raise KeyError(article_id)
        return code

    def article_id(self, code: int) -> str:
        return self._ids[code]

    def entry(self, code: int) -> ArticleEntry:
        return ArticleEntry(content_hash=self._hashes[code], parts=self.parts(code), source=self.source(code))

    def parts(self, code: int) -> tuple[tuple[str, int], ...]:
        start, stop = self._part_bounds[code], self._part_bounds[code + 1]
        return tuple(
            (self._segments[int(s)], int(n))
            for s, n in zip(self._part_segment[start:stop], self._part_count[start:stop])
        )

    def source(self, code: int) -> Source:
        return Source(
            path=self._path[code],
            title=self._title[code],
            agency=self._agency[code],
            place=self._place[code],
            region=self._region[code],
            date=self._date[code],
            url=self._url[code],
        )

    # -- whole columns ----------------------------------------------------------------

    @property
    def passage_count(self) -> int:
        return int(self._part_count.sum())

    def served_from(self) -> dict[str, np.ndarray]:
        """For each segment, the codes of the articles with passages served from it."""
        owners = np.repeat(np.arange(len(self), dtype=np.int32), np.diff(self._part_bounds))
        order = np.argsort(self._part_segment, kind="stable")
        bounds = np.searchsorted(self._part_segment[order], np.arange(len(self._segments) + 1))
        return {self._segments[s]: owners[order[bounds[s] : bounds[s + 1]]] for s in range(len(self._segments))}

    def nbytes(self) -> int:
        """Roughly what the catalog holds in memory."""
        columns = (self._ids, self._hashes, self._path, self._title, self._url,
                   self._agency, self._place, self._region, self._date)
        arrays = (self._part_bounds, self._part_segment, self._part_count, self._keys, self._key_order)
        return sum(c.nbytes() for c in columns) + sum(a.nbytes for a in arrays)
