"""NewsService: a model and the current index, answering questions while re-indexing."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from retrieval.errors import (
    IndexCorruptError,
    IndexMissingError,
    ModelMismatchError,
    NewsqaError,
)
from retrieval.index.files import check_index_path
from retrieval.index.indexer import IndexReport, update_index
from retrieval.index.loaded import LoadedIndex, load_index
from retrieval.index.manifest import MANIFEST, read_manifest
from retrieval.index.segments import Segment
from retrieval.model.embedder import Embedder
from retrieval.query.answer import answer_many
from retrieval.query.gate import RelevanceGate
from retrieval.query.pipeline import default_pipeline, titled
from retrieval.query.types import DEFAULT_K, Query, Question
from retrieval.types import Answer, Passage, Person, Progress, Source

log = logging.getLogger(__name__)

#: Questions check for a generation written by another process at most this often.
REFRESH_SECONDS = 1.0


def _manifest_stamp(folder: Path) -> tuple[int, int, int] | None:
    """The manifest file's identity: a new generation is a new file (atomic rename)."""
    try:
        st = (Path(folder) / MANIFEST).stat()
    except OSError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


@dataclass(frozen=True)
class IndexStats:
    articles: int
    passages: int
    model: str
    built_at: str
    generation: int


@dataclass(frozen=True)
class PassageInContext:
    passage: Passage
    source: Source
    before: tuple[str, ...]
    after: tuple[str, ...]
    titled: bool = True  # the article has a title of its own (see ``Hit.titled``)


class NewsService:
    """Answers questions from the current index; re-indexes and swaps it atomically.

    Reads never wait for a re-index: each question uses the index that was current
    when it started, and a new generation is swapped in with one assignment once it is
    fully loaded. All methods are blocking and thread-safe; async front ends call
    them from a worker thread.
    """

    def __init__(
        self,
        seeds: Path,
        folder: Path,
        embedder: Embedder,
        *,
        min_score: float,
        margin: float | None = None,
        context: int = 1,
        follow_links: bool = False,
        cache_dir: Path | None = None,
    ):
        self.seeds = Path(seeds)
        self.folder = Path(folder)
        self.embedder = embedder
        self.gate = RelevanceGate.for_embedder(
            embedder, min_score=min_score, margin=margin, cache=cache_dir
        )
        self.pipeline = default_pipeline()  # the retrieval stages; see retrieval/query/pipeline.py
        self.context = context
        self.follow_links = follow_links
        self._index: LoadedIndex | None = None
        self._segments: dict[str, Segment] = {}
        self._reindex_lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = None  # the served manifest file's identity
        self._checked_at = 0.0
        self.listeners: list[Callable[[IndexReport], None]] = []
        self.build_report: IndexReport | None = None  # what open() had to build, if anything
        self._warm = False  # serving many questions: prepare each generation before serving it

    @classmethod
    def from_settings(cls, settings, embedder: Embedder) -> NewsService:
        """A service over the seeds and index that ``settings`` (a Settings) name."""
        return cls(
            settings.seeds,
            settings.index,
            embedder,
            min_score=settings.min_score,
            margin=settings.margin,
            follow_links=settings.follow_links,
            cache_dir=settings.cache_dir,
        )

    # -- opening and re-indexing -------------------------------------------------

    def open(self, *, build: bool = True, on_progress: Progress | None = None) -> IndexReport | None:
        """Load the index; build it first when it is missing, damaged or for another model.

        With ``build=False`` those problems raise instead.

        Returns:
            The report of the build that was needed, or None.
        """
        check_index_path(self.folder)
        try:
            self.reload()
            return None
        except (IndexMissingError, IndexCorruptError, ModelMismatchError) as exc:
            if not build:
                raise
            # The build says why it rebuilds, once (a second line here said it again).
            log.debug("%s — rebuilding the index from %s", exc, self.seeds)
            return self.reindex(on_progress=on_progress)

    def reload(self) -> LoadedIndex:
        """Load the current generation from disk and make it the one served."""
        with self._reload_lock:
            stamp = _manifest_stamp(self.folder)
            index = load_index(
                self.folder,
                fingerprint=self.embedder.fingerprint,
                model=self.embedder.name,
                segments=self._segments,
            )
            if self._warm:  # the old generation answers meanwhile
                index.speakers.prepare()
            self._index = index
            self._stamp = stamp
        return index

    def refresh(self, *, every: float = 0.0) -> bool:
        """Serve the generation on disk if another process (``newsqa index``) wrote a new one.

        Cheap: one ``stat`` of the manifest, at most once per ``every`` seconds; the
        index is reloaded only when the file changed and names another generation. A
        new generation that cannot be loaded is logged and the current one kept.

        Returns:
            True when a new generation is now served.
        """
        now = time.monotonic()
        if self._index is None or now - self._checked_at < every:
            return False
        self._checked_at = now
        stamp = _manifest_stamp(self.folder)
        if stamp == self._stamp:
            return False
        try:
            manifest = read_manifest(self.folder, files=False)
            if manifest is None or manifest.identity == self._index.manifest.identity:
                self._stamp = stamp
                return False
            self.reload()
        except NewsqaError as exc:
            log.warning("not switching to the index on disk: %s; still serving generation %d",
                        exc, self._index.manifest.generation)
            self._stamp = stamp
            return False
        log.info("serving index generation %d, written by another process",
                 self._index.manifest.generation)
        return True

    def reindex(self, *, full: bool = False, on_progress: Progress | None = None) -> IndexReport:
        """Bring the index up to date with the seeds, then serve the new generation.

        Questions keep being answered from the previous generation meanwhile. Only one
        re-index runs at a time in this process (another process is kept out by the
        index lock).
        """
        with self._reindex_lock:
            report = update_index(
                self.seeds, self.folder, self.embedder, full=full, on_progress=on_progress,
                follow_links=self.follow_links,
            )
            if self._index is None or _manifest_stamp(self.folder) != self._stamp:
                self.reload()  # our run changed it, or another process did before
        for listener in list(self.listeners):
            try:
                listener(report)
            except Exception:  # a listener must never break re-indexing
                log.exception("index listener failed")
        return report

    def warm_up(self) -> threading.Thread:
        """For a process that answers many questions (the bot): prepare in the background
        what makes each answer faster (the whole tokenizer, and who is quoted sorted into
        people: a second each, during which the interpreter is busy), while the first
        questions are answered as they are now. Each generation loaded later is prepared
        before it is served."""
        self._warm = True
        warm = getattr(self.embedder, "warm_up", None)

        def prepare() -> None:
            if warm is not None:
                warm()
            if self._index is not None:
                self._index.speakers.prepare()

        thread = threading.Thread(target=prepare, name="newsqa-warm-up", daemon=True)
        thread.start()
        return thread

    @property
    def index(self) -> LoadedIndex:
        if self._index is None:
            raise IndexMissingError("the index is not loaded yet")
        return self._index

    # -- questions ---------------------------------------------------------------

    def answer(
        self,
        question: Question | str,
        k: int | None = DEFAULT_K,
        offset: int = 0,
        exclude: frozenset[tuple[str, int]] = frozenset(),
    ) -> Answer:
        """The ranked passages answering ``question`` (understood with
        ``retrieval.query.understanding`` when given as text; see ``retrieval.query.answer``),
        leaving out the passages in ``exclude`` (article id, passage index)."""
        return self.answer_many([Query(question, k, offset, exclude)])[0]

    def is_quoted(self, name: str) -> bool:
        """Whether someone quoted in the index goes by ``name`` (spellings tolerated):
        how a follow-up «وماذا عن X؟» tells a person from a topic."""
        return bool(self.index.speakers.match(name))

    def answer_many(self, queries: Sequence[Query]) -> list[Answer]:
        """Answer several questions in one model call (used to batch concurrent chats)."""
        self.refresh(every=REFRESH_SECONDS)
        return answer_many(
            queries, self.index, self.embedder, gate=self.gate, pipeline=self.pipeline,
            context=self.context,
        )

    def passage_in_context(
        self, article_id: str, index: int, window: int = 3
    ) -> PassageInContext | None:
        """A passage with up to ``window`` sentences around it, or None if it is gone."""
        loaded = self.index
        passage = loaded.passage(article_id, index)
        if passage is None:
            return None
        before, after = loaded.context(passage, window)
        source = loaded.source(article_id)
        return PassageInContext(passage, source, before, after, titled(loaded, passage, source))

    def stats(self) -> IndexStats:
        self.refresh()
        m = self.index.manifest
        return IndexStats(
            articles=len(m.articles),
            passages=len(self.index.passages),
            model=m.model,
            built_at=m.built_at,
            generation=m.generation,
        )

    def people(self) -> list[Person]:
        """Everyone quoted in the index, each person once, most statements first (see
        ``newsqa speakers``)."""
        self.refresh()
        return self.index.speakers.people()

    def organisations(self) -> list[Person]:
        """Organisations and outlets quoted in the index («فرانس برس»), most statements first."""
        self.refresh()
        return self.index.speakers.organisations()

    def sources(self, offset: int = 0, limit: int = 10) -> tuple[list[tuple[str, Source]], int]:
        """A page of the indexed articles (id, source), sorted by id, and the total count."""
        self.refresh()
        return self.index.sources(offset, limit)


def open_service(
    settings,
    *,
    embedder: Embedder | None = None,
    build: bool = True,
    on_progress: Progress | None = None,
) -> NewsService:
    """The one way a front end, a benchmark or a test gets a running service.

    Loads the model the settings name (unless ``embedder`` is given), then the index:
    built first when it is missing, damaged or made with another model (unless
    ``build`` is False). ``service.build_report`` tells what that build did, or is None.

    Args:
        settings: a ``retrieval.settings.Settings``.
        embedder: a model already loaded (tests share one; the fake embedder).
        build: build the index when needed; else those problems raise.
        on_progress: (done, total) callback while embedding, for a progress bar.

    Raises:
        NewsqaError: the model, the seeds or the index cannot be used (the message says why).
    """
    check_index_path(settings.index)  # before the model: a wrong path fails at once
    if embedder is None:
        from retrieval.model.embedding import embedder_from_settings  # noqa: PLC0415 (slow import)

        started = time.perf_counter()
        embedder = embedder_from_settings(settings)
        log.debug("model %s loaded in %.1f s", embedder.name, time.perf_counter() - started)
    service = NewsService.from_settings(settings, embedder)
    service.build_report = service.open(build=build, on_progress=on_progress)
    return service
