"""The index's manifest: one generation's model, articles, seed files and segments.

``manifest.json`` names the live segments, the model and its fingerprint, each article's
content hash and each segment's checksums. It is switched in with one atomic rename
(``write_manifest``), so a crash leaves the previous generation or the new one.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path

from retrieval.errors import IndexCorruptError, IndexMissingError
from retrieval.index.catalog import ArticleCatalog, ArticleEntry
from retrieval.index.files import write_atomic

FORMAT = 2  # 2: an article's passages may span segments ("parts"); 1 is still read


MANIFEST = "manifest.json"


@dataclass(frozen=True, slots=True)
class FileEntry:
    """What the manifest remembers of one seed file, to skip unchanged files quickly."""

    size: int
    mtime_ns: int
    articles: tuple[str, ...]
    skipped: str | None = None


@dataclass(frozen=True, slots=True)
class SegmentEntry:
    count: int
    vectors_sha256: str
    passages_sha256: str
    lexical_sha256: str | None = None
    codes_sha256: str | None = None  # its IVF codes under the manifest's quantiser (ann)


@dataclass(frozen=True)
class AnnEntry:
    """The approximate index's quantiser (see ``retrieval.index.approximate``)."""

    quantizer: str  # its id: ann/<id>.faiss, and segments/<sid>.<id>.ivf for the codes
    sha256: str
    lists: int
    trained_on: int  # how many passages the index had when it was trained


@dataclass(frozen=True)
class Manifest:
    """One generation of the index."""

    model: str
    fingerprint: str
    dimension: int
    built_at: str
    generation: int
    recipe: str | None = None  # how passages were made from articles (see planning.recipe)
    ann: AnnEntry | None = None  # the approximate index, for large archives
    embedding: tuple[str, ...] = ()  # the paths that computed its vectors (they agree: cos ≥ 0.9999)
    articles: Mapping[str, ArticleEntry] = field(default_factory=dict)  # read: an ArticleCatalog
    files: dict[str, FileEntry] = field(default_factory=dict)
    segments: dict[str, SegmentEntry] = field(default_factory=dict)

    @property
    def identity(self) -> tuple[int, str, str]:
        """What tells two generations apart (every write of the manifest changes it)."""
        return self.generation, self.built_at, self.fingerprint

    @property
    def passage_count(self) -> int:
        if isinstance(self.articles, ArticleCatalog):
            return self.articles.passage_count
        return sum(a.passages for a in self.articles.values())

    def to_json(self) -> dict:
        return {**self.header(), **{name: dict(entries) for name, entries in self.entries()}}

    def header(self) -> dict:
        """Everything but the articles and the files: small whatever the archive's size."""
        return {
            "format": FORMAT,
            "model": self.model,
            "fingerprint": self.fingerprint,
            "dimension": self.dimension,
            "built_at": self.built_at,
            "generation": self.generation,
            "recipe": self.recipe,
            "ann": asdict(self.ann) if self.ann else None,
            "embedding": list(self.embedding),
            "counts": {
                "articles": len(self.articles),
                "passages": self.passage_count,
                "files": len(self.files),
                "segments": len(self.segments),
            },
            "segments": {
                sid: {
                    "count": e.count,
                    "vectors_sha256": e.vectors_sha256,
                    "passages_sha256": e.passages_sha256,
                    "lexical_sha256": e.lexical_sha256,
                    "codes_sha256": e.codes_sha256,
                }
                for sid, e in self.segments.items()
            },
        }

    def entries(self) -> Iterator[tuple[str, Iterator[tuple[str, dict]]]]:
        """("articles", their (id, JSON) pairs) and ("files", …), made one at a time."""
        yield "articles", (
            (aid, {"hash": a.content_hash, "parts": [list(part) for part in a.parts], "source": a.source.to_dict()})
            for aid, a in self.articles.items()
        )
        yield "files", (
            (path, {"size": f.size, "mtime_ns": f.mtime_ns, "articles": list(f.articles), "skipped": f.skipped})
            for path, f in self.files.items()
        )

    @classmethod
    def from_json(cls, data: dict, *, files: bool = True) -> Manifest:
        """The manifest ``to_json`` wrote; its articles as a compact ``ArticleCatalog``.

        With ``files=False`` the seed files are left out (``files`` is empty): only the
        indexer needs them, and a big archive has hundreds of thousands.
        """
        if data.get("format") not in (1, FORMAT):
            raise ValueError(f"unknown index format {data.get('format')!r}")
        shared: dict = {}  # one object for each repeated segment id, article id…
        one = lambda value: shared.setdefault(value, value)  # noqa: E731
        return cls(
            model=data["model"],
            fingerprint=data["fingerprint"],
            dimension=int(data["dimension"]),
            built_at=data["built_at"],
            generation=int(data["generation"]),
            recipe=data.get("recipe"),
            ann=AnnEntry(**data["ann"]) if data.get("ann") else None,
            embedding=tuple(data.get("embedding") or ()),
            articles=ArticleCatalog.from_json(data["articles"]),
            files={
                one(path): FileEntry(
                    size=int(f["size"]),
                    mtime_ns=int(f["mtime_ns"]),
                    articles=tuple(one(aid) for aid in f["articles"]),
                    skipped=f.get("skipped"),
                )
                for path, f in data["files"].items()
            } if files else {},
            segments={
                one(sid): SegmentEntry(
                    count=int(s["count"]),
                    vectors_sha256=s["vectors_sha256"],
                    passages_sha256=s["passages_sha256"],
                    lexical_sha256=s.get("lexical_sha256"),
                    codes_sha256=s.get("codes_sha256"),
                )
                for sid, s in data["segments"].items()
            },
        )


def read_manifest(folder: Path, *, files: bool = True) -> Manifest | None:
    """The current manifest, or None when the folder holds no index (``files``: see
    ``Manifest.from_json``).

    Raises:
        IndexCorruptError: the manifest exists but cannot be read.
    """
    path = Path(folder) / MANIFEST
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        return Manifest.from_json(json.loads(raw), files=files)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IndexCorruptError(f"the index manifest {path} is damaged ({exc})") from None


def require_manifest(folder: Path, *, files: bool = True) -> Manifest:
    manifest = read_manifest(folder, files=files)
    if manifest is None:
        raise IndexMissingError(f"there is no index in {folder}; run `newsqa index` first")
    return manifest


def write_manifest(folder: Path, manifest: Manifest) -> None:
    """Switch the index to ``manifest`` with one atomic rename."""
    write_atomic(Path(folder) / MANIFEST, manifest_chunks(manifest))


def manifest_chunks(manifest: Manifest, batch: int = 4096) -> Iterator[bytes]:
    """The manifest's JSON a few thousand entries at a time: a million-passage archive's
    manifest is hundreds of megabytes, never built whole in memory."""
    dump = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
    yield dump(manifest.header())[:-1].encode("utf-8")  # without its closing brace
    for name, entries in manifest.entries():
        yield f',"{name}":{{'.encode("utf-8")
        first = True
        for group in iter(lambda: dict(itertools.islice(entries, batch)), {}):
            yield (("" if first else ",") + dump(group)[1:-1]).encode("utf-8")
            first = False
        yield b"}"
    yield b"}"


def now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
