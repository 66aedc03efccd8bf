"""Load run: 50 simultaneous chats asking 20 questions each through a fake Bot API, real model.

Usage: .venv/bin/python bench/bot_load.py [--chats 50] [--questions 20] [--think 1.5] [--runs 3]

Each chat is a person: it asks, waits for the answer, reads for a moment (a random pause
averaging --think seconds) and asks again; the chats start at random moments within the
first pause. The real bot (bot.telegram.build_application, outgoing limits relaxed)
answers through bot/testing.py's fake Bot API with the real model over an index built from
seeds/ in a temporary folder. Latency runs from the moment an update is pushed to the
fake server until the bot's reply reaches it. Every question must be answered exactly
once. Figures are the median over --runs runs; the same load is also run with the
batcher off (one question per model call), and the plain one-at-a-time latency of
service.answer is measured as a baseline.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bot.i18n import text
from bot.telegram import TelegramSettings, build_application, polling, render
from bot.testing import TOKEN, FakeBotApi
from retrieval.query.types import Query
from retrieval.service import NewsService, open_service
from retrieval.settings import load_settings

QA_DATA = ROOT.parent / "shared" / "data" / "qa"
QA_SETS = ("arcd-test.json", "arcd-train.json", "tydiqa-goldp-dev-arabic.json")
SEED_QUESTIONS = [
    "ماذا قال شي؟",
    "What did Xi say?",
    "ماذا قال الرئيس الصيني عن الإنترنت؟",
    "أين عقد المؤتمر الدولي للإنترنت؟",
    "متى افتتح المؤتمر العالمي الرابع للإنترنت؟",
    "ما موضوع المؤتمر؟",
    "من حضر المؤتمر؟",
    "ما هو الاقتصاد الرقمي؟",
    "Where was the World Internet Conference held?",
    "Who is Wang Huning?",
    "ماذا قال وانغ هو نينغ؟",
    "كم عدد المشاركين في المؤتمر؟",
    "What does China hope for?",
    "ما التحديات التي فرضتها تنمية الإنترنت؟",
    "ما هي بلدة ووتشن؟",
]


def question_pool(service: NewsService, n: int, seed: int = 7) -> list[str]:
    """``n`` varied questions, distinct while there are enough: questions about the seed,
    the opening words of its sentences, then real questions from ARCD and TyDi QA."""
    pool = list(SEED_QUESTIONS)
    for passage in service.index.passages:
        pool.append(" ".join(passage.text.split()[:8]).rstrip("،.") + "؟")
    others: list[str] = []
    for name in QA_SETS:
        if (QA_DATA / name).is_file():
            data = json.loads((QA_DATA / name).read_text(encoding="utf-8"))
            paragraphs = [p for article in data["data"] for p in article["paragraphs"]]
            others += [q["question"] for p in paragraphs for q in p["qas"]]
    rng = random.Random(seed)
    others = list(dict.fromkeys(q.strip() for q in others if q.strip()))
    rng.shuffle(others)
    pool = list(dict.fromkeys(pool + others))[:n]
    questions = [pool[i % len(pool)] for i in range(n)]
    rng.shuffle(questions)
    return questions


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


@dataclass
class RunResult:
    p50: float
    p95: float
    max: float
    seconds: float
    model_calls: int
    model_seconds: float
    questions: int

    @property
    def mean_batch(self) -> float:
        return self.questions / max(1, self.model_calls)


async def load_run(
    service: NewsService,
    questions: list[str],
    *,
    chats: int,
    per_chat: int,
    think: float,
    max_batch: int = 64,
    seed: int = 0,
) -> RunResult:
    """One load run; raises AssertionError unless every question got exactly one answer."""
    loop = asyncio.get_running_loop()
    waiting: dict[int, asyncio.Future] = {}  # question message_id -> future of reply time
    replies: Counter[int] = Counter()
    failures: list[str] = []

    def on_call(call) -> None:  # in a fake-server thread
        quoted = (call.params.get("reply_parameters") or {}).get("message_id")
        if call.method != "sendMessage" or call.error is not None or quoted is None:
            return
        replies[quoted] += 1
        if call.params.get("text") in (text("error", "ar"), text("error", "en")):
            failures.append(f"error reply to {quoted}")
        future = waiting.get(quoted)
        if future is not None:
            loop.call_soon_threadsafe(lambda: future.done() or future.set_result(call.at))

    with FakeBotApi() as api:
        api.listeners.append(on_call)
        settings = TelegramSettings(token=TOKEN, api_base_url=api.base_url, rate_limit=0)
        app = build_application(service, settings, watch=False, relax_limits=True)
        batcher = app.bot_data["newsqa"].batcher
        batcher.max_batch = max_batch
        latencies: list[float] = []

        async def chat(i: int) -> None:
            rng = random.Random(seed * 1000 + i)
            await asyncio.sleep(rng.uniform(0, 2 * think))
            for j in range(per_chat):
                message = api.message(questions[i * per_chat + j], user_id=100_000 + i)
                future = waiting[message["message_id"]] = loop.create_future()
                update_id = api.push_update({"message": message})
                replied_at = await asyncio.wait_for(future, 60)
                latencies.append(replied_at - api.pushed_at[update_id])
                await asyncio.sleep(rng.uniform(0, 2 * think))

        async with polling(app):
            started = time.monotonic()
            await asyncio.gather(*(chat(i) for i in range(chats)))
            seconds = time.monotonic() - started
            await asyncio.sleep(0.5)  # a duplicate answer would arrive now
        asked = set(waiting)
    twice = [m for m, n in replies.items() if n != 1]
    assert not failures, failures[:5]
    assert set(replies) == asked and not twice, (
        f"unanswered {len(asked - set(replies))}, twice {len(twice)}"
    )
    assert len(latencies) == chats * per_chat
    return RunResult(
        p50=percentile(latencies, 50),
        p95=percentile(latencies, 95),
        max=max(latencies),
        seconds=seconds,
        model_calls=batcher.calls,
        model_seconds=batcher.busy_seconds,
        questions=len(latencies),
    )


def one_at_a_time(service: NewsService, questions: list[str]) -> list[float]:
    """Latency of service.answer for each question, alone (no load)."""
    out = []
    for question in questions:
        started = time.perf_counter()
        service.answer(question, render.PAGE_SIZE + 1)
        out.append(time.perf_counter() - started)
    return out


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--questions", type=int, default=20, help="questions per chat")
    parser.add_argument("--think", type=float, default=1.5, help="mean pause between questions (s)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--baseline", type=int, help="questions timed one at a time (default: all of them)"
    )
    parser.add_argument("--no-compare", action="store_true", help="skip the run without batching")
    parser.add_argument("--torch-threads", type=int, help="torch threads (default: torch's)")
    args = parser.parse_args(argv)
    if args.torch_threads:
        import torch

        torch.set_num_threads(args.torch_threads)

    total = args.chats * args.questions
    with tempfile.TemporaryDirectory(prefix="newsqa-bench-") as tmp:
        settings = load_settings().with_overrides(seeds=ROOT / "seeds", index=Path(tmp) / "index")
        service = open_service(settings)
        embedder = service.embedder
        questions = question_pool(service, total)
        service.answer_many([Query(q, 4) for q in questions[:64]])  # warm the model up
        print(
            f"{args.chats} chats x {args.questions} questions, pause {args.think:.1f} s "
            f"on average; model {embedder.name}, {len(service.index.passages)} passages",
            flush=True,
        )

        baseline = one_at_a_time(service, questions[: args.baseline or total])
        results = []
        for run in range(args.runs):
            result = asyncio.run(
                load_run(
                    service,
                    questions,
                    chats=args.chats,
                    per_chat=args.questions,
                    think=args.think,
                    seed=run,
                )
            )
            results.append(result)
            print(
                f"run {run + 1}: p50 {ms(result.p50)}  p95 {ms(result.p95)}  max {ms(result.max)}  "
                f"{result.questions} answered once each in {result.seconds:.1f} s, "
                f"{result.model_calls} model calls ({result.mean_batch:.1f} questions each, "
                f"model busy {result.model_seconds / result.seconds:.0%}); "
                f"load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
        unbatched = None
        if not args.no_compare:
            unbatched = asyncio.run(
                load_run(
                    service,
                    questions,
                    chats=args.chats,
                    per_chat=args.questions,
                    think=args.think,
                    seed=0,
                    max_batch=1,
                )
            )

    med = {k: statistics.median(getattr(r, k) for r in results) for k in ("p50", "p95", "max")}
    rows = [(f"bot, batched (median of {args.runs} runs)", med["p50"], med["p95"], med["max"])]
    if unbatched:
        u = unbatched
        rows.append(("bot, one question per model call", u.p50, u.p95, u.max))
    alone = (percentile(baseline, 50), percentile(baseline, 95), max(baseline))
    rows.append(("service.answer alone, no load", *alone))
    print(f"\n{'':36}{'p50':>10}{'p95':>10}{'max':>10}")
    for name, *figures in rows:
        print(f"{name:36}" + "".join(ms(f) for f in figures))
    verdict = "met" if med["p95"] < 0.250 else "NOT met"
    print(f"\ntarget p95 < 250 ms: {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
