"""The retrieval pipeline: stages in order, deeper fetching, and a new stage as one small class."""

from __future__ import annotations

from dataclasses import replace

import pytest

from retrieval.index.indexer import update_index
from retrieval.query.dense import DenseRetriever
from retrieval.query.pipeline import Pipeline, default_pipeline
from retrieval.query.stages import DropCopies, RelevanceFilter
from retrieval.query.types import Candidate, Question, Request
from retrieval.service import NewsService


class DropShortPassages:
    """A stage written for this test: passages shorter than ``n`` characters go."""

    name = "short"

    def __init__(self, n: int):
        self.n = n

    def apply(self, index, request, candidates):
        return [c for c in candidates if len(index.passages[c.position].text) >= self.n]


@pytest.fixture
def service(fake_service):
    return fake_service


def test_the_default_pipeline_is_speaker_dense_lexical_then_gate_order_copies():
    pipeline = default_pipeline()
    assert [r.name for r in pipeline.retrievers] == ["speaker", "dense", "lexical"]
    assert [s.name for s in pipeline.stages] == ["gate", "mentions", "statement-order", "by-speaker", "copies", "shown"]


def test_a_new_stage_is_one_class_and_one_line(service):
    """Adding a stage touches neither answer.py nor service.py."""
    before = service.answer("الرئيس شي والإنترنت", k=14)
    assert any(len(h.passage.text) < 150 for h in before.hits)
    service.pipeline = service.pipeline.with_stage(DropShortPassages(150))
    after = service.answer("الرئيس شي والإنترنت", k=14)
    assert after.found and all(len(h.passage.text) >= 150 for h in after.hits)
    assert [h.rank for h in after.hits] == list(range(1, len(after.hits) + 1))
    # Paging still works past the dropped passages.
    page = service.answer("الرئيس شي والإنترنت", k=2, offset=2)
    assert [h.passage for h in page.hits] == [h.passage for h in after.hits[2:4]]


def test_stages_run_in_order_and_with_stage_can_insert_before(service):
    pipeline = service.pipeline.with_stage(DropShortPassages(10), before="copies")
    assert [s.name for s in pipeline.stages] == [
        "gate", "mentions", "statement-order", "by-speaker", "short", "copies", "shown"
    ]


def test_the_gate_uses_the_dense_cosine_even_when_another_score_ranks(service, fake_embedder):
    index = service.index
    vector = fake_embedder.embed_queries(["ماذا قال شي؟"])[0]
    request = Request(Question("ما هي عاصمة فرنسا؟"), vector, k=5, threshold=0.5)
    candidates = [Candidate(0, score=9.0, dense=0.4), Candidate(1, score=0.1, dense=0.6)]
    assert RelevanceFilter().apply(index, request, candidates) == [candidates[1]]


def test_copies_keep_the_best(seed_dir, index_dir, fake_embedder):
    (seed_dir / "copy.txt").write_text((next(seed_dir.glob("000_*"))).read_text(encoding="utf-8"), encoding="utf-8")
    update_index(seed_dir, index_dir, fake_embedder)
    svc = NewsService(seed_dir, index_dir, fake_embedder, min_score=-1.0)
    svc.open()
    texts = [h.passage.text for h in svc.answer("الرئيس شي والإنترنت", k=20).hits]
    assert len(texts) == len(set(texts)) == 13


def test_a_stage_that_drops_almost_everything_makes_the_pipeline_fetch_deeper(service, fake_embedder):
    fetched = []

    class Counting(DenseRetriever):
        def retrieve(self, index, requests, depth):
            fetched.append(depth)
            return super().retrieve(index, requests, depth)

    vector = fake_embedder.embed_queries(["سؤال"])[0]
    everything = DenseRetriever().retrieve(service.index, [Request(Question("سؤال"), vector)], 100)[0]
    keep = {everything.candidates[-1].position}  # the passage least like the question

    class OnlyOne:
        name = "only"

        def apply(self, index, request, candidates):
            return [c for c in candidates if c.position in keep]

    pipeline = Pipeline(retrievers=(Counting(),), stages=(RelevanceFilter(), OnlyOne(), DropCopies()))
    [hits] = pipeline.run(service.index, [Request(Question("سؤال"), vector, k=1, threshold=-1.0)])
    assert [h.passage for h in hits] == [service.index.passages[next(iter(keep))]]
    assert fetched == [12, 48]  # 2k+10 first, then four times deeper (all 13 rows)


def test_retrievers_after_the_speaker_know_the_person_and_skip_their_statements(service, fake_embedder):
    from retrieval.query import Query, understand
    from retrieval.query.speaker import SpeakerRetriever

    seen = []

    class Spy(DenseRetriever):
        def retrieve(self, index, requests, depth):
            seen.append([r.lists_statements for r in requests])
            return super().retrieve(index, requests, depth)

    pipeline = replace(service.pipeline, retrievers=(SpeakerRetriever(), Spy()))
    questions = [understand("ماذا قال شي؟"), understand("ماذا قال زيد العبيدي؟"), understand("الاقتصاد الرقمي")]
    answers = pipeline.answer(service.index, fake_embedder, service.gate, [Query(q, None) for q in questions])
    assert seen == [[True, False, False]]  # Xi is quoted; nobody called Zaid al-Obaidi is
    assert answers[0].person.total == 8 and len(answers[0].hits) == 8
    assert answers[1].person is not None and not answers[1].person.found and not answers[1].found  # nobody names him
    assert answers[2].person is None and answers[2].found


@pytest.mark.parametrize("name", ["شي جين بينغ", "الرئيس الصيني", "وانغ يي", "السيسي", "أحمد", "Xi Jinping", "الصين"])
def test_the_quick_check_for_a_name_agrees_with_matching_word_by_word(name):
    """``mentions`` rules a text out by its normalised form before matching word by word:
    it must never rule out a text that names the person."""
    from retrieval.query.stages import mentions
    from retrieval.text.normalize import (
        normalize_arabic,
        question_terms,
        term_spans,
        words,
    )
    from retrieval.text.transliteration import has_latin, latin_matches
    from tests.conftest import SEED_FILE

    texts = [line for line in SEED_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += ["وقال الرئيسُ الصينيُّ شي إنّ …", "بالسيسي وللسيسي", "ﻻ أحمدُ هنا", "وأحمد: نعم", "والصين، وبكين"]
    matcher = mentions(name)
    latin = [w for w in name.split() if has_latin(w) and len(w) > 1]
    found = 0
    for text in texts:
        if latin:
            expected = any(latin_matches(w, a) for w in latin for a in words(normalize_arabic(text)))
        else:
            expected = bool(term_spans(text, question_terms(name)))
        assert matcher(text) == expected, text
        found += expected
    assert found  # every name here is named somewhere
