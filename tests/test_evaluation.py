"""The eval measure: SQuAD loading, answer matching, recall over the normal pipeline."""

from __future__ import annotations

import json

import pytest

from retrieval.errors import NewsqaError
from retrieval.evaluation import contains_answer, evaluate, load_squad
from retrieval.model.embedder import FakeEmbedder
from tests.conftest import SHARED_DATA

SQUAD = {
    "version": "1.1",
    "data": [
        {
            "title": "القاهرة",
            "paragraphs": [
                {
                    "context": "القاهرة هي عاصمة جمهورية مصر العربية وأكبر مدنها وأقدمها تاريخا. يبلغ عدد سكانها نحو عشرين مليون نسمة في المدينة وضواحيها الكثيرة.",
                    "qas": [
                        {"id": "1", "question": "ما هي عاصمة مصر؟", "answers": [{"text": "القاهرة", "answer_start": 0}]},
                        {"id": "2", "question": "كم عدد سكان القاهرة؟", "answers": [{"text": "عشرين مليون", "answer_start": 75}]},
                    ],
                },
                {
                    "context": "يمر نهر النيل في وسط مدينة القاهرة الكبرى من الجنوب إلى الشمال. وهو أطول أنهار قارة أفريقيا وأحد أطول أنهار العالم كله بلا منازع.",
                    "qas": [{"id": "3", "question": "ما أطول أنهار أفريقيا؟", "answers": [{"text": "نهر النيل", "answer_start": 3}]}],
                },
            ],
        }
    ],
}


@pytest.fixture
def squad_file(tmp_path):
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(SQUAD, ensure_ascii=False), encoding="utf-8")
    return path


def test_answers_match_after_normalisation():
    assert contains_answer("وقال إنَّ القاهرةَ مدينة", ("القاهرة",))
    assert contains_answer("عاصمة مصر هي القاهره", ("القاهرة",))  # ة/ه
    assert contains_answer("بلغ عدد السكان ٢٠ مليونا", ("20 مليونا",))
    assert not contains_answer("الإسكندرية مدينة ساحلية", ("القاهرة",))
    assert not contains_answer("أي نص", ("",))


def test_load_squad_makes_one_article_per_paragraph(squad_file):
    records, items = load_squad(squad_file)
    assert [r["title"] for r in records] == ["القاهرة (1)", "القاهرة (2)"]
    assert [i.question for i, _ in items] == ["ما هي عاصمة مصر؟", "كم عدد سكان القاهرة؟", "ما أطول أنهار أفريقيا؟"]
    assert items[2][1] == "القاهرة (2)"


def test_evaluate_reports_recall_over_sentence_chunks(squad_file):
    report = evaluate(squad_file, FakeEmbedder(), margin=None, min_score=-1.0)
    assert report.questions == 3 and report.chunks == 4
    assert report.recall[10] == 1.0  # four chunks: every answer is within the top 10
    assert 0 < report.recall[1] <= report.recall[3] <= report.recall[10]
    assert report.mrr10 >= report.recall[1]
    assert report.mean_chunk_chars == pytest.approx(sum(map(len, [
        "القاهرة هي عاصمة جمهورية مصر العربية وأكبر مدنها وأقدمها تاريخا.", "يبلغ عدد سكانها نحو عشرين مليون نسمة في المدينة وضواحيها الكثيرة.",
        "يمر نهر النيل في وسط مدينة القاهرة الكبرى من الجنوب إلى الشمال.", "وهو أطول أنهار قارة أفريقيا وأحد أطول أنهار العالم كله بلا منازع."])) / 4)


def test_unreadable_set_is_a_clear_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(NewsqaError, match="cannot read the QA set"):
        load_squad(bad)


def test_ablation_measures_each_stage(squad_file):
    report = evaluate(squad_file, FakeEmbedder(), margin=None, min_score=-1.0, ablation=True)
    assert list(report.stages) == [
        "dense (sentence alone)", "dense (title: sentence)", "lexical (BM25)",
        "fused (dense + BM25 bonus)", "final (as the bot runs it)",
    ]
    for scores in report.stages.values():
        assert 0 <= scores.recall[1] <= scores.recall[10] <= 1 and scores.mean_query_ms > 0
    assert report.stages["final (as the bot runs it)"].recall == report.recall
    data = report.to_json()
    assert set(data["stages"]["lexical (BM25)"]) == {"recall", "mrr10", "mean_query_ms"}
    assert "stages" not in evaluate(squad_file, FakeEmbedder(), margin=None, min_score=-1.0).to_json()


ARCD = SHARED_DATA / "qa" / "arcd.json"


@pytest.mark.model
@pytest.mark.slow
@pytest.mark.skipif(not ARCD.exists(), reason="ARCD is not in ../shared/data/qa")
def test_search_quality_on_arcd_stays_above_the_floor(real_embedder):
    """The regression floor of the search (issue: ARCD R@1 ≥ 0.66, R@5 ≥ 0.88)."""
    report = evaluate(ARCD, real_embedder, margin=0.0, min_score=0.0)
    assert report.questions == 1395
    assert report.recall[1] >= 0.66 and report.recall[5] >= 0.88, report.recall
    assert report.mean_chunk_chars <= 1.25 * 181  # sentences, not paragraphs
