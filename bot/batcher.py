"""AnswerBatcher: concurrent questions share one model call, run off the event loop."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Callable, Sequence

from retrieval.query import Query
from retrieval.query.understanding import checked
from retrieval.types import Answer

log = logging.getLogger(__name__)

AnswerMany = Callable[[Sequence[Query]], list[Answer]]


class AnswerBatcher:
    """Collects the questions waiting at a moment and answers them with one call.

    Handlers ``await batcher.answer(query)``. One worker task takes the first waiting
    question, waits ``max_wait`` seconds for others (while the model is busy, more
    pile up by themselves), then runs ``answer_many`` on up to ``max_batch`` of them in
    a thread, so the event loop never blocks. A failing call fails only the questions
    of its batch.

    Args:
        answer_many: blocking function answering a list of queries in order, e.g.
            ``NewsService.answer_many``.
        max_batch: most questions in one call.
        max_wait: seconds to wait for company after the first question.
    """

    def __init__(self, answer_many: AnswerMany, *, max_batch: int = 64, max_wait: float = 0.002):
        self._answer_many = answer_many
        self.max_batch = max_batch
        self.max_wait = max_wait
        self.calls = 0  # answer_many calls made, and seconds spent in them (for benchmarks)
        self.busy_seconds = 0.0
        self._queue: asyncio.Queue[tuple[Query, asyncio.Future[Answer]]] | None = None
        self._worker: asyncio.Task | None = None

    async def answer(self, query: Query) -> Answer:
        """The answer to ``query``, computed together with the others waiting now.

        Raises:
            QuestionError: the question cannot be asked, or k/offset are out of range
                (checked here, so one bad question cannot fail a whole batch).
            Exception: whatever ``answer_many`` raised for this question's batch.
        """
        query = checked(query)
        if self._worker is None or self._worker.done():
            self._queue = asyncio.Queue()
            self._worker = asyncio.create_task(self._run(self._queue), name="answer-batcher")
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._queue.put_nowait((query, future))
        return await future

    async def close(self) -> None:
        """Stop the worker; questions still waiting are cancelled."""
        worker, queue = self._worker, self._queue
        self._worker = self._queue = None
        if worker is not None:
            worker.cancel()
            await asyncio.gather(worker, return_exceptions=True)
        while queue is not None and not queue.empty():
            _, future = queue.get_nowait()
            future.cancel()

    async def _run(self, queue: asyncio.Queue) -> None:
        while True:
            batch = [await queue.get()]
            if queue.qsize() < self.max_batch - 1:
                await asyncio.sleep(self.max_wait)
            while len(batch) < self.max_batch and not queue.empty():
                batch.append(queue.get_nowait())
            batch = [(q, f) for q, f in batch if not f.done()]  # callers that gave up
            if not batch:
                continue
            self.calls += 1
            started = time.perf_counter()
            try:
                answers = await asyncio.to_thread(self._answer_many, [q for q, _ in batch])
                if len(answers) != len(batch):
                    raise RuntimeError(f"{len(answers)} answers for {len(batch)} questions")
            except asyncio.CancelledError:
                for _, future in batch:
                    future.cancel()
                raise
            except Exception as exc:  # this batch's callers get the error, nobody else
                log.debug("answering a batch of %d failed: %r", len(batch), exc)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
            else:
                self.busy_seconds += time.perf_counter() - started
                for (_, future), result in zip(batch, answers):
                    if not future.done():
                        future.set_result(result)
