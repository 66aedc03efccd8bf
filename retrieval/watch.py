"""Watch the seeds folder and re-index in the background when articles change."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import watchfiles

from retrieval.errors import NewsqaError
from retrieval.ingest.seedfiles import TEMP_SUFFIXES

log = logging.getLogger(__name__)



def _interesting(change: watchfiles.Change, path: str) -> bool:
    name = Path(path).name
    return not name.startswith(".") and not name.lower().endswith(TEMP_SUFFIXES)


class SeedWatcher:
    """Re-indexes a NewsService when its seeds change, in a background thread.

    A burst of changes (an editor saving, a copy of many files) is waited out: the
    re-index starts once no change has been seen for ``debounce`` seconds. The
    service swaps the new index in atomically, so questions are answered from the
    previous index until then.
    """

    def __init__(
        self,
        service,
        debounce: float = 1.0,
        *,
        catch_up: bool = True,
        force_polling: bool | None = None,
    ):
        self.service = service
        self.catch_up = catch_up
        self.debounce = debounce
        self.force_polling = force_polling
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs = 0
        self.ready = threading.Event()

    def start(self) -> SeedWatcher:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="newsqa-watch", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> SeedWatcher:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _run(self) -> None:
        seeds = Path(self.service.seeds)
        seeds.mkdir(parents=True, exist_ok=True)
        log.info("watching %s for changes", seeds)
        changes = watchfiles.watch(
            seeds,
            watch_filter=_interesting,
            debounce=int(self.debounce * 1000),
            step=50,
            stop_event=self._stop,
            yield_on_timeout=False,
            rust_timeout=500,
            force_polling=self.force_polling,
            raise_interrupt=False,
        )
        if self.catch_up:  # changes made while nobody was watching
            self.reindex_now()
        self.ready.set()
        for batch in changes:
            if self._stop.is_set():
                break
            names = sorted({Path(p).name for _, p in batch})
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            log.info("seeds changed (%s); re-indexing", shown)
            self.reindex_now()

    def reindex_now(self) -> None:
        """Re-index once, logging the outcome; never raises."""
        try:
            report = self.service.reindex()
        except NewsqaError as exc:
            log.error("re-index failed: %s", exc)
        except Exception:
            log.exception("re-index failed")
        else:
            self.runs += 1
            log.info("%s", report.summary())
