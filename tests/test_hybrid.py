"""Dense plus lexical: the lexical retriever and the bonus fusion."""

from __future__ import annotations

import pytest

from retrieval.query.fusion import LexicalBonus
from retrieval.query.lexical import LexicalRetriever
from retrieval.query.types import Candidate, Found, Question, Request


@pytest.fixture
def service(fake_service):
    return fake_service


def test_the_bonus_adds_lexical_evidence_to_the_dense_score():
    dense = Found([Candidate(1, 0.80, 0.80), Candidate(2, 0.79, 0.79)])
    lexical = Found([Candidate(2, 1.0, 0.79), Candidate(3, 0.5, 0.60)], weight=0.5,
                    score_of={1: 0.0, 2: 1.0, 3: 0.5}.get)
    fused = LexicalBonus(0.08)(None, None, {"dense": dense, "lexical": lexical})
    assert [c.position for c in fused] == [2, 1, 3]
    assert fused[0].score == pytest.approx(0.79 + 0.08 * 0.5 * 1.0)
    assert fused[0].dense == 0.79  # the gate still sees the cosine
    assert fused[2].score == pytest.approx(0.60 + 0.02)


def test_no_lexical_evidence_leaves_the_dense_list_as_it_is():
    dense = Found([Candidate(1, 0.8, 0.8), Candidate(2, 0.7, 0.7)])
    for lexical in (Found([], weight=0.0), Found([Candidate(2, 1.0, 0.7)], weight=0.0, score_of=lambda p: 1.0)):
        assert LexicalBonus()(None, None, {"dense": dense, "lexical": lexical}) == dense.candidates


def test_the_lexical_retriever_finds_passages_by_their_words(service, fake_embedder):
    question = "المؤتمر الدولي الرابع للإنترنت في بلدة ووتشن"
    request = Request(Question(question), fake_embedder.embed_queries([question])[0])
    [found] = LexicalRetriever().retrieve(service.index, [request], 5)
    top = service.index.passages[found.candidates[0].position]
    assert "ووتشن" in top.text and found.candidates[0].score == 1.0
    assert 0 < found.weight <= 1 and found.score_of(found.candidates[0].position) == 1.0
    dense = float(service.index.vector(found.candidates[0].position) @ request.vector)
    assert found.candidates[0].dense == pytest.approx(dense)


def test_an_english_question_keeps_its_dense_ranking(service):
    from retrieval.query.dense import DenseRetriever
    from retrieval.query.pipeline import Pipeline

    dense_only = Pipeline(retrievers=(DenseRetriever(),), stages=service.pipeline.stages)
    question = "What did the Chinese president say about the internet?"
    fused = service.answer(question, k=5)
    service.pipeline = dense_only
    assert [h.passage for h in service.answer(question, k=5).hits] == [h.passage for h in fused.hits]


def test_scoring_beside_the_embedding_gives_the_same_answers(service, monkeypatch):
    from dataclasses import replace

    questions = ["متى افتتح المؤتمر الدولي للإنترنت؟", "المؤتمر الدولي للإنترنت في ووتشن", "internet conference in Wuzhen"]
    alone = [service.answer(q, k=5) for q in questions]
    monkeypatch.setattr(service, "pipeline", replace(service.pipeline, prepare_beside=0))  # as for a large archive
    lexical = service.pipeline.retriever("lexical")
    beside = [service.answer(q, k=5) for q in questions]
    assert [[h.passage for h in a.hits] for a in beside] == [[h.passage for h in a.hits] for a in alone]
    assert [[h.score for h in a.hits] for a in beside] == [[h.score for h in a.hits] for a in alone]
    assert len(lexical._ranked) == 0  # prepared on the helper thread, taken by retrieve
    lexical.prepare(service.index, questions)
    assert len(lexical._ranked) == 3


def test_prepared_scores_are_never_used_for_another_generation(service):
    lexical = LexicalRetriever()
    lexical.prepare(service.index, ["الإنترنت"])
    key = next(iter(lexical._ranked))
    stale = lexical._ranked[key]
    lexical._ranked[key] = type(stale)(object(), stale.scores * 0, 0.0, stale.weight, stale.top[:0])
    request = Request(Question("الإنترنت"), service.embedder.embed_queries(["الإنترنت"])[0], 5, 0, -1.0)
    found = lexical.retrieve(service.index, [request], 10)[0]
    assert found.candidates  # scored again: the remembered scores were another BM25's
