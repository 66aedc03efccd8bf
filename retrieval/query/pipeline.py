"""Retrieval as a short pipeline of named stages over one candidate type.

    questions ─embed (one model call)─▶ requests
    retrievers (speaker, dense, lexical) ─▶ fusion (by name) ─▶ stages (gate, order, copies) ─▶ hits

Each retriever returns scored candidates for every question; the fusion takes their
lists by retriever name and makes one; stages filter and re-rank; the surviving
candidates ``offset+1 … offset+k`` become Hits with their sources and context. When the
stages leave fewer than needed and a retriever could give more, the pipeline asks again,
deeper. A «who said what» question is one more request: the speaker retriever proposes
the person's statements, and the fusion answers with them when the person is quoted.

A new retriever or stage is one module with a class that has ``name`` and ``retrieve``
or ``apply`` (see ``retrieval.query.protocols``) plus one line in ``default_pipeline``.
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Callable, Sequence

import numpy as np

from retrieval.index.loaded import LoadedIndex
from retrieval.model.embedder import Embedder
from retrieval.query.dense import DenseRetriever
from retrieval.query.fusion import StatementsOrSearch, first_list
from retrieval.query.gate import RelevanceGate
from retrieval.query.lexical import LexicalRetriever
from retrieval.query.protocols import Fusion, Retriever, Stage
from retrieval.query.said_what import BySpeaker, by_speaker
from retrieval.query.speaker import SpeakerRetriever, people_asked
from retrieval.query.stages import (
    DropCopies,
    DropShown,
    MentionsAsked,
    RelevanceFilter,
    StatementOrder,
)
from retrieval.query.types import Candidate, Found, Query, Request
from retrieval.types import Answer, Hit, Passage, PersonAnswer, Source

#: From this many passages on, the retrievers' text-only work (a question's BM25 scores:
#: 2-4 ms at a million) runs on another thread while the questions are embedded; below,
#: it takes well under a millisecond and is done in turn (a thread would hide nothing).
PREPARE_BESIDE = 200_000
#: A «من قال …؟» question's search looks this deep at first: only statements are kept.
STATEMENT_DEPTH = 200


def first_depth(request: Request) -> int:
    """How many candidates to ask each retriever for at first: twice what is needed, and
    ten more; for a «من قال …؟» question at least STATEMENT_DEPTH."""
    return max(2 * (request.needed or 0) + 10, STATEMENT_DEPTH if request.question.asks_who else 0)


@dataclass(frozen=True)
class Ranked:
    """One request's surviving candidates, in order (the request knows the person found)."""

    request: Request
    candidates: list[Candidate]


@dataclass(frozen=True)
class Pipeline:
    """Retrievers, a fusion and stages: questions in, Answers out.

    Attributes:
        retrievers: the candidate generators, each with its own ``name``.
        stages: filters and re-rankers, in order.
        fusion: makes one list from the retrievers' lists.
        first_depth: how many candidates to ask each retriever for at first.
        growth: how much deeper to ask when the stages leave too few.
        prepare_beside: from this many passages on, text-only work runs on a helper
            thread while the questions are embedded.
    """

    retrievers: tuple[Retriever, ...]
    stages: tuple[Stage, ...] = ()
    fusion: Fusion = first_list
    first_depth: Callable[[Request], int] = first_depth
    growth: int = 4
    prepare_beside: int = PREPARE_BESIDE

    def with_stage(self, stage: Stage, *, before: str | None = None) -> Pipeline:
        """A copy with ``stage`` added last, or before the stage named ``before``."""
        stages = list(self.stages)
        names = [s.name for s in stages]
        stages.insert(names.index(before) if before in names else len(stages), stage)
        return replace(self, stages=tuple(stages))

    def retriever(self, name: str) -> Retriever:
        """The retriever called ``name``."""
        return next(r for r in self.retrievers if r.name == name)

    def answer(
        self, index: LoadedIndex, embedder: Embedder, gate: RelevanceGate, queries: Sequence[Query], context: int = 1
    ) -> list[Answer]:
        """Answer checked queries (their questions understood) with one model call.

        The questions, and the topics of «who said what» questions, are embedded together;
        on a large index the retrievers' text-only work runs meanwhile on a helper thread.
        """
        if not queries:
            return []
        questions = [q.question for q in queries]
        topics = [i for i, q in enumerate(questions) if q.asks_person and q.topic]
        texts = [q.search_text for q in questions]  # a «من قال …؟» question: its claim
        vectors = self._embed(index, embedder, texts, [questions[i].topic for i in topics])
        topic_vectors = dict(zip(topics, vectors[len(queries) :]))
        thresholds = gate.thresholds(vectors[: len(queries)])
        baselines = dict(zip(topics, gate.baselines(vectors[len(queries) :]).tolist()))
        requests = [
            Request(
                q.question, vectors[i], q.k, q.offset,
                float(thresholds[i]) if q.question.supported else math.inf,  # nothing passes
                topic_vectors.get(i), topic_baseline=baselines.get(i, 0.0), exclude=q.exclude,
            )
            for i, q in enumerate(queries)
        ]
        # One request per person a question names («ماذا قال ترامب وأردوغان؟»: two).
        asked = [[replace(r, question=q) for q in people_asked(index, r.question)] for r in requests]
        ranked = iter(self.rank(index, [r for each in asked for r in each]))
        answers = []
        for each in asked:
            if len(each) > 1:
                answers.append(assemble_people(index, [next(ranked) for _ in each], context))
                continue
            r = next(ranked)
            found = Answer(r.request.question.text, assemble(index, r.request, r.candidates, context), _person(r))
            answers.append(by_speaker(index, r.request.question, found) if r.request.question.asks_who else found)
        return answers

    def run(self, index: LoadedIndex, requests: Sequence[Request], context: int = 1) -> list[tuple[Hit, ...]]:
        """The hits of each request, ranked ``offset+1 …`` with sources and ``context``
        sentences on either side."""
        return [assemble(index, r.request, r.candidates, context) for r in self.rank(index, requests)]

    def rank(self, index: LoadedIndex, requests: Sequence[Request]) -> list[Ranked]:
        """Each request's candidates after fusion and stages (deeper where too few survive)."""
        results: list[Ranked] = [Ranked(r, []) for r in requests]
        pending = list(range(len(requests)))
        depth = max((self.first_depth(requests[i]) for i in pending), default=0)
        while pending:
            batch, found = self._retrieve(index, [requests[i] for i in pending], depth)
            still = []
            for j, i in enumerate(pending):
                lists = {name: f[j] for name, f in found.items()}
                request = batch[j]
                candidates = self.fusion(index, request, lists)
                for stage in self.stages:
                    candidates = stage.apply(index, request, candidates)
                results[i] = Ranked(request, candidates)
                short = not request.lists_statements and len(candidates) < (request.needed or 0)
                if short and any(f.more for f in lists.values()):
                    still.append(i)
            pending = still
            depth *= self.growth
        return results

    def _retrieve(
        self, index: LoadedIndex, batch: list[Request], depth: int
    ) -> tuple[list[Request], dict[str, list[Found]]]:
        """Every retriever's lists for the batch, the retrievers in order: once one has found
        whom a «who said what» question asks about, the requests say so (``person``) to the
        retrievers after it (a search retriever skips a person's statements)."""
        found: dict[str, list[Found]] = {}
        for retriever in self.retrievers:
            lists = found[retriever.name] = retriever.retrieve(index, batch, depth)
            batch = [replace(r, person=f.person) if f.person is not None else r for r, f in zip(batch, lists)]
        return batch, found

    def _embed(self, index: LoadedIndex, embedder: Embedder, texts: list[str], topics: list[str]) -> np.ndarray:
        """The questions' and topics' vectors, in one model call; on a large index the
        retrievers prepare what they can from the questions' text beside it (below, they
        do it when they retrieve: a thread would have nothing to hide)."""
        if len(index.passages) < self.prepare_beside:
            return embedder.embed_queries(texts + topics)
        prepared = _helper().submit(self._prepare, index, texts)
        vectors = embedder.embed_queries(texts + topics)
        prepared.result()
        return vectors

    def _prepare(self, index: LoadedIndex, texts: list[str]) -> None:
        for retriever in self.retrievers:
            retriever.prepare(index, texts)


def assemble(index: LoadedIndex, request: Request, candidates: list[Candidate], context: int) -> tuple[Hit, ...]:
    """Hits ranked ``offset+1 .. offset+k`` from the surviving candidates, with sources and
    context; statements listed as such (a person's, or «من قال …؟») also name the speaker and
    every source that carried them."""
    return tuple(
        _hit(index, request, candidate, rank, context)
        for rank, candidate in enumerate(candidates[request.offset : request.needed], start=request.offset + 1)
    )


def assemble_people(index: LoadedIndex, ranked: list[Ranked], context: int) -> Answer:
    """The answer to a question that names several people, each asked on its own: every
    person's statements (about the topic, when it names one), the first person's first,
    then every person's other statements; ``offset+1 .. offset+k`` of them as hits, each
    saying whose it is (``Hit.person``). A person nobody quoted adds no hits, only a note."""
    first = ranked[0].request
    listed = [(i, c) for i, r in enumerate(ranked) if r.request.lists_statements for c in r.candidates]
    entries = [e for e in listed if not e[1].aside] + [e for e in listed if e[1].aside]
    end = None if first.k is None else first.offset + first.k
    hits = tuple(
        replace(_hit(index, ranked[i].request, candidate, rank, context), person=i)
        for rank, (i, candidate) in enumerate(entries[first.offset : end], start=first.offset + 1)
    )
    return Answer(first.question.text, hits, people=tuple(_person(r) for r in ranked))


def _hit(index: LoadedIndex, request: Request, candidate: Candidate, rank: int, context: int) -> Hit:
    """One candidate as a Hit at ``rank``, with its source and ``context`` sentences around."""
    names = set(request.person.names) if request.lists_statements else set()
    passage = index.passages[candidate.position]
    before, after = index.context(passage, context)
    speaker, others = None, {}
    if names or request.question.asks_who:
        speaker = next((s for s in passage.speakers if s in names), passage.speaker)
        for aid in (index.passages[p].article_id for p in candidate.copies):
            if aid != passage.article_id:
                others.setdefault(aid, index.source(aid))
    source = index.source(passage.article_id)
    return Hit(
        rank=rank,
        score=float(candidate.score),
        passage=passage,
        source=source,
        context_before=before,
        context_after=after,
        speaker=speaker,
        also_in=tuple(others.values()),
        titled=titled(index, passage, source),
        aside=candidate.aside,
    )


def titled(index: LoadedIndex, passage: Passage, source: Source) -> bool:
    """Whether the article has a title of its own, not one cut from its first sentence."""
    first = passage.text if passage.index == 0 else index.passage_text(passage.article_id, 0)
    lead = source.title.removesuffix("…").strip()
    return not (first is not None and lead and " ".join(first.split()).startswith(" ".join(lead.split())))


def _person(ranked: Ranked) -> PersonAnswer | None:
    """What the answer says of the person asked: how many statements survived the stages
    (and, with a topic, how many of them are about it)."""
    person = ranked.request.person
    if person is None or not person.found:
        return person
    on_topic = None
    if ranked.request.topic is not None and ranked.request.question.topic:
        on_topic = sum(not c.aside for c in ranked.candidates)
    return replace(person, total=len(ranked.candidates), on_topic=on_topic)


def default_pipeline() -> Pipeline:
    """The search newsqa runs: the one place where retrievers and stages are put together."""
    return Pipeline(
        retrievers=(SpeakerRetriever(), DenseRetriever(), LexicalRetriever()),
        fusion=StatementsOrSearch(),
        stages=(RelevanceFilter(), MentionsAsked(), StatementOrder(), BySpeaker(), DropCopies(), DropShown()),
    )


_HELPER: ThreadPoolExecutor | None = None
_HELPER_LOCK = threading.Lock()


def _helper() -> ThreadPoolExecutor:
    """The thread that runs a search's text-only work while its questions are embedded."""
    global _HELPER
    with _HELPER_LOCK:
        if _HELPER is None:
            _HELPER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsqa-prepare")
        return _HELPER
