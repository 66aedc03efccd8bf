"""Answering over a loaded index: validation, ranking, de-duplication, context, paging."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from retrieval.errors import QuestionError
from retrieval.index.indexer import update_index
from retrieval.index.loaded import load_index
from retrieval.query.answer import RelevanceGate, answer, answer_many
from retrieval.query.types import Query


@pytest.fixture
def loaded(seed_dir, index_dir, fake_embedder):
    update_index(seed_dir, index_dir, fake_embedder)
    return load_index(index_dir)


def test_hits_are_ranked_with_source_and_context(loaded, fake_embedder):
    result = answer("وقال شي إن الصين تتمنى", loaded, fake_embedder, k=3, gate=RelevanceGate(min_score=0.0))
    assert result.found and [h.rank for h in result.hits] == [1, 2, 3]
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    top = result.hits[0]
    assert top.source.agency == "شينخوا" and top.source.place == "ووتشن"
    assert top.source.path == "000_762f75904539e59f.txt"
    p = top.passage
    if p.index > 0:
        assert top.context_before == (loaded.passages[loaded.by_article[p.article_id][p.index - 1]].text,)
    if p.index < len(loaded.by_article[p.article_id]) - 1:
        assert len(top.context_after) == 1


def test_threshold_means_nothing_found(loaded, fake_embedder):
    result = answer("الاقتصاد الرقمي", loaded, fake_embedder, k=3, gate=RelevanceGate(min_score=0.999))
    assert not result.found and result.hits == ()


def test_offset_pages_through_results_without_repeats(loaded, fake_embedder):
    first = answer("الصين", loaded, fake_embedder, k=3, gate=RelevanceGate(min_score=0.0))
    second = answer("الصين", loaded, fake_embedder, k=3, offset=3, gate=RelevanceGate(min_score=0.0))
    assert [h.rank for h in second.hits] == [4, 5, 6]
    assert not {h.passage for h in first.hits} & {h.passage for h in second.hits}


def test_duplicate_sentences_in_two_articles_are_shown_once(seed_dir, index_dir, fake_embedder):
    shutil.copy(next(seed_dir.iterdir()), seed_dir / "copy.txt")
    update_index(seed_dir, index_dir, fake_embedder)
    result = answer("الرئيس شي والإنترنت", load_index(index_dir), fake_embedder, k=10, gate=RelevanceGate(min_score=-1.0))
    shown = [h.passage.text for h in result.hits]
    assert len(shown) == len(set(shown)) == 10


def test_answer_many_matches_single_answers(loaded, fake_embedder):
    questions = ["ماذا قال شي؟", "What did Xi say?", "من حضر المؤتمر؟"]
    many = answer_many([Query(q, 2) for q in questions], loaded, fake_embedder, gate=RelevanceGate(min_score=0.0))
    single = [answer(q, loaded, fake_embedder, k=2, gate=RelevanceGate(min_score=0.0)) for q in questions]
    assert many == single


@pytest.mark.parametrize("k,offset", [(0, 0), (51, 0), (3, -1)])
def test_bad_k_or_offset(loaded, fake_embedder, k, offset):
    with pytest.raises(QuestionError):
        answer("سؤال", loaded, fake_embedder, k=k, offset=offset, gate=RelevanceGate(min_score=0.0))


def test_gate_threshold_is_the_best_background_score_plus_margin():
    background = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    gate = RelevanceGate(min_score=0.5, margin=0.1, background=background)
    queries = np.array([[0.6, 0.8], [0.1, 0.2]], dtype=np.float32)
    assert np.allclose(gate.thresholds(queries), [0.9, 0.5])
    assert np.allclose(RelevanceGate(min_score=0.3).thresholds(queries), [0.3, 0.3])


def test_wire_copies_never_crowd_out_other_results(seed_dir, index_dir, fake_embedder):
    # One story copied 25 times by "agencies", and a second, weaker story.
    story = "وقال شي إن الصين تتمنى ان تعمل مع المجتمع الدولي لاحترام سيادة الفضاء الالكتروني.\n"
    for n in range(25):
        (seed_dir / f"copy{n:02}.txt").write_text(story, encoding="utf-8")
    update_index(seed_dir, index_dir, fake_embedder)
    loaded = load_index(index_dir)
    gate = RelevanceGate(min_score=-1.0)
    result = answer("الرئيس شي والإنترنت", loaded, fake_embedder, k=5, gate=gate)
    texts = [h.passage.text for h in result.hits]
    assert len(texts) == len(set(texts)) == 5
    more = answer("الرئيس شي والإنترنت", loaded, fake_embedder, k=5, offset=5, gate=gate)
    assert [h.rank for h in more.hits] == [6, 7, 8, 9, 10]
    assert not set(texts) & {h.passage.text for h in more.hits}
    # Paging to the end: every distinct sentence exactly once, then nothing.
    everything = answer("الرئيس شي والإنترنت", loaded, fake_embedder, k=50, gate=gate)
    assert len(everything.hits) == 14  # the seed's 13 passages and the story, once
    assert answer("الرئيس شي والإنترنت", loaded, fake_embedder, k=5, offset=14, gate=gate).hits == ()
