"""The lexical side: terms, light stemming, per-segment counts and BM25 (pure)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from retrieval.index.bm25 import BM25, TermCounts
from retrieval.text.terms import share_mentioned, stem, terms, topic_words


@pytest.mark.parametrize(
    "word, expected",
    [
        ("والمؤتمر", "مؤتمر"),
        ("بالصين", "صين"),
        ("للانترنت", "انترنت"),
        ("المصريون", "مصر"),  # ال, the plural ون, then a final ي (nisba)
        ("مصالحهم", "مصالح"),  # a pronoun suffix
        ("الحكومات", "حكوم"),  # ات, then a final ه from ة
        ("كتاب", "كتاب"),  # too short to strip
        ("بيروت", "يروت"),  # a single ب before a long word goes, as the measured stripper does
    ],
)
def test_stem(word, expected):
    assert stem(word) == expected


def test_terms_normalise_and_questions_lose_their_question_words():
    assert terms("الرئيسُ الصينيّ قال") == ["رئيس", "صين", "قال"]
    assert terms("ماذا قال الرئيس الصيني عن الإنترنت؟", query=True) == ["قال", "رئيس", "صين", "انترنت"]
    assert terms("من فضلك ما هي عاصمة مصر؟", query=True) == ["عاصم", "مصر"]


def test_term_counts_per_passage():
    counts = TermCounts.count([["a", "b", "a"], [], ["b"]])
    assert counts.terms == ("a", "b") and len(counts) == 3
    assert counts.ptr.tolist() == [0, 2, 2, 3]
    assert counts.ids.tolist() == [0, 1, 1] and counts.tfs.tolist() == [2, 1, 1]
    assert counts.lens.tolist() == [3, 0, 1]


def bm25_by_hand(docs, query, k1, b):
    n = len(docs)
    avgdl = sum(map(len, docs)) / n
    out = []
    for doc in docs:
        score = 0.0
        for t in set(query):
            df = sum(t in d for d in docs)
            if not df:
                continue
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            tf = doc.count(t)
            score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len(doc) / avgdl))
        out.append(score)
    return out


def test_bm25_matches_the_formula_across_segments_and_skips_dead_rows():
    docs = [["صين", "انترنت", "صين"], ["اقتصاد", "رقمي"], ["صين", "اقتصاد"], ["طقس"], ["انترنت"]]
    first, second = TermCounts.count(docs[:3]), TermCounts.count(docs[3:])
    bm25 = BM25([first, second], [np.array([0, 1, 2]), np.array([0, 1])], k1=0.7, b=0.3)
    query = ["صين", "انترنت", "مجهول"]
    assert np.allclose(bm25.scores(query), bm25_by_hand(docs, query, 0.7, 0.3), rtol=1e-3, atol=1e-4)  # float16 weights
    # Row 1 of the first segment is dead (its article was removed): positions shift.
    live = BM25([first, second], [np.array([0, 2]), np.array([0, 1])], k1=0.7, b=0.3)
    kept = [docs[0], docs[2], docs[3], docs[4]]
    assert np.allclose(live.scores(query), bm25_by_hand(kept, query, 0.7, 0.3), rtol=1e-3, atol=1e-4)


def test_the_lexical_weight_is_zero_for_english_questions():
    bm25 = BM25([TermCounts.count([["صين", "of", "the"]])], [np.array([0])])
    assert bm25.weight(terms("what did the president of china say", query=True)) == 0.0
    assert bm25.weight(["صين", "مجهول"]) == 0.5
    assert bm25.weight([]) == 0.0


# -- a topic's words in a passage (retrieval.text.terms.share_mentioned) -----------------------


@pytest.mark.parametrize(
    ("topic", "text", "share"),
    [
        ("سوريا", "الضربة على قاعدة الشعيرات الجوية السورية", 1.0),
        ("إيران", "خاطب نتنياهو الشعب الإيراني بالإنجليزية", 1.0),
        ("هولندا", "أردوغان : هولاندا ستدفع الثمن", 1.0),  # a spelling with a long vowel more
        ("اللاجئين", "رفضها للقرارات على سفر أي لاجئين", 1.0),
        ("كوريا الشمالية", "مواجهة عسكرية مع كوريا الشمالية", 1.0),
        ("الحرب في سوريا", "الحرب مستمرة", 0.5),
        ("سوريا", "سرية الضمان تاجوراء", 0.0),  # «سرية» is not «سوريا»
        ("Iran", "الشعب الإيراني", 1.0),
        ("Israel", "العلاقة مع إسرائيل", 1.0),
        ("Syria", "أسر 50 مقاتلا", 0.0),  # a Latin word against short Arabic words: not counted
        ("", "أي نص", 0.0),
    ],
)
def test_a_topic_is_found_in_any_form_of_its_words(topic, text, share):
    assert share_mentioned(topic_words(topic), text) == share
