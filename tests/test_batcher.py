"""Tests for bot/batcher.py: shared model calls, exactly-once results, failures kept apart."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from bot.batcher import AnswerBatcher
from retrieval.errors import QuestionError
from retrieval.query.types import Query
from retrieval.types import Answer


class Recorder:
    """A blocking answer_many that records its batches (and runs in a worker thread)."""

    def __init__(self, delay: float = 0.02, fail_on: str | None = None):
        self.delay = delay
        self.fail_on = fail_on
        self.batches: list[list[Query]] = []
        self.threads: set[str] = set()

    def __call__(self, queries):
        self.batches.append(list(queries))
        self.threads.add(threading.current_thread().name)
        time.sleep(self.delay)
        if self.fail_on and any(self.fail_on in q.question.text for q in queries):
            raise RuntimeError(f"model failed on {self.fail_on}")
        return [Answer(f"{q.question.text}/{q.k}/{q.offset}") for q in queries]


async def test_concurrent_questions_share_model_calls_and_each_gets_its_own_answer():
    model = Recorder()
    batcher = AnswerBatcher(model)
    questions = [Query(f"سؤال {i}", k=3, offset=i % 2) for i in range(20)]
    answers = await asyncio.gather(*(batcher.answer(q) for q in questions))
    await batcher.close()
    assert [a.question for a in answers] == [f"{q.question}/3/{q.offset}" for q in questions]
    assert len(model.batches) < len(questions)
    assert batcher.calls == len(model.batches)
    asked = [q.question.text for batch in model.batches for q in batch]
    assert sorted(asked) == sorted(q.question for q in questions)  # each exactly once
    assert "MainThread" not in model.threads  # off the event loop


async def test_questions_arriving_while_the_model_works_form_the_next_batch():
    model = Recorder(delay=0.1)
    batcher = AnswerBatcher(model)
    first = asyncio.create_task(batcher.answer(Query("a")))
    await asyncio.sleep(0.03)  # the model is busy with "a" now
    later = [asyncio.create_task(batcher.answer(Query(f"b{i}"))) for i in range(10)]
    await asyncio.gather(first, *later)
    await batcher.close()
    assert [len(b) for b in model.batches] == [1, 10]


async def test_a_failing_batch_fails_only_its_own_callers():
    model = Recorder(delay=0.1, fail_on="boom")
    batcher = AnswerBatcher(model)
    doomed = [asyncio.create_task(batcher.answer(Query(q))) for q in ("boom", "q1")]
    await asyncio.sleep(0.03)
    fine = [asyncio.create_task(batcher.answer(Query(q))) for q in ("q2", "q3")]
    results = await asyncio.gather(*doomed, *fine, return_exceptions=True)
    await batcher.close()
    assert [type(r) for r in results[:2]] == [RuntimeError, RuntimeError]
    assert [r.question for r in results[2:]] == ["q2/5/0", "q3/5/0"]
    # and the batcher keeps working afterwards
    assert len(model.batches) == 2


async def test_a_bad_question_is_refused_before_it_can_spoil_a_batch():
    model = Recorder()
    batcher = AnswerBatcher(model)
    results = await asyncio.gather(
        batcher.answer(Query("   ")),
        batcher.answer(Query("x" * 1001)),
        batcher.answer(Query("ok", k=0)),
        batcher.answer(Query("fine")),
        return_exceptions=True,
    )
    await batcher.close()
    assert [type(r) for r in results[:3]] == [QuestionError] * 3
    assert results[3].question == "fine/5/0"


async def test_the_event_loop_keeps_running_while_the_model_works():
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.01)

    batcher = AnswerBatcher(Recorder(delay=0.2))
    task = asyncio.create_task(ticker())
    await batcher.answer(Query("slow"))
    task.cancel()
    await batcher.close()
    assert ticks >= 10


async def test_batches_are_capped_at_max_batch():
    model = Recorder(delay=0.01)
    batcher = AnswerBatcher(model, max_batch=8)
    await asyncio.gather(*(batcher.answer(Query(f"q{i}")) for i in range(30)))
    await batcher.close()
    assert max(len(b) for b in model.batches) <= 8
    assert sum(len(b) for b in model.batches) == 30


async def test_a_caller_that_gives_up_does_not_disturb_the_others():
    model = Recorder(delay=0.1)
    batcher = AnswerBatcher(model)
    busy = asyncio.create_task(batcher.answer(Query("first")))
    await asyncio.sleep(0.02)
    quitter = asyncio.create_task(batcher.answer(Query("quitter")))
    stayer = asyncio.create_task(batcher.answer(Query("stayer")))
    await asyncio.sleep(0)
    quitter.cancel()
    assert (await busy).question == "first/5/0"
    assert (await stayer).question == "stayer/5/0"
    with pytest.raises(asyncio.CancelledError):
        await quitter
    await batcher.close()
    assert [q.question.text for q in model.batches[1]] == ["stayer"]


async def test_close_cancels_waiting_questions_and_the_batcher_can_restart():
    batcher = AnswerBatcher(Recorder(delay=0.2))
    running = asyncio.create_task(batcher.answer(Query("a")))
    await asyncio.sleep(0.05)
    await batcher.close()
    with pytest.raises(asyncio.CancelledError):
        await running
    assert (await batcher.answer(Query("b"))).question == "b/5/0"
    await batcher.close()
