"""Answers over the seed with the real multilingual model (the acceptance checks)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.model

XI_SPEAKS = ("قال الرئيس الصيني شي", "وصرح بذلك شي", "وأعرب شي", "وأشار شي", "وقال شي", "وأضاف شي",
             "وأعرب الرئيس", "وذكر الرئيس الصيني")


def speaks_xi(text: str) -> bool:
    return text.startswith(XI_SPEAKS)


def test_what_did_xi_say_in_arabic(seed_service):
    result = seed_service.answer("ماذا قال شي؟", k=5)
    assert len(result.hits) == 5
    assert all(speaks_xi(h.passage.text) for h in result.hits), [h.passage.text for h in result.hits]
    for hit in result.hits:
        assert hit.source.agency == "شينخوا"
        assert (hit.source.place, hit.source.region) == ("ووتشن", "تشجيانغ")
        assert hit.source.date.isoformat() == "2017-12-03"
        assert hit.source.path == "000_762f75904539e59f.txt"


def test_what_did_xi_say_in_english(seed_service):
    result = seed_service.answer("What did Xi say?", k=3)
    assert result.found
    assert all(speaks_xi(h.passage.text) for h in result.hits), [h.passage.text for h in result.hits]


@pytest.mark.parametrize(
    "question,starts",
    [("من حضر المؤتمر؟", "وحضر ما يزيد على 1500 ضيف"), ("ماذا قال وانغ؟", ("وقال وانغ", "وأضاف وانغ"))],
)
def test_other_questions_find_their_sentence(seed_service, question, starts):
    texts = [h.passage.text for h in seed_service.answer(question, k=3).hits]
    assert any(t.startswith(starts) for t in texts), texts


@pytest.mark.parametrize(
    "question",
    ["ما هي عاصمة البرازيل؟", "كم عدد أهداف ميسي هذا الموسم؟", "وصفة الكسكسي التونسي",
     "weather tomorrow in Paris"],
)
def test_unrelated_questions_find_nothing(seed_service, question):
    assert not seed_service.answer(question, k=3).found


@pytest.mark.parametrize("question", ["习近平说了什么？", "Что сказал Си Цзиньпин?", "ماذا قال بايدن؟", "What did Biden say?"])
def test_a_language_the_model_reads_poorly_or_a_person_nobody_quotes_finds_nothing(seed_service, question):
    answer = seed_service.answer(question, k=5)
    assert not answer.found, [h.passage.text for h in answer.hits]


def test_follow_ups_with_the_real_model(seed_service):
    """«ماذا قال وانغ؟» then «وماذا عن شي؟», «ماذا قال أيضا؟», «متى قال ذلك؟»: the pure
    resolver and the real engine together, as both front ends run them."""
    from bot.dialogue import plan, remember

    context, now, shown_all = None, 1000.0, set()
    for text in ("ماذا قال وانغ؟", "وماذا عن شي؟", "ماذا قال أيضا؟"):
        step = plan(text, context, now=now, k=4, is_person=seed_service.is_quoted)
        q = step.query
        answer = seed_service.answer(q.question, k=q.k, offset=q.offset, exclude=q.exclude)
        shown = answer.hits[:3]
        context = remember(step, answer, shown, "ar", 3 if len(answer.hits) > 3 else None, now)
        if text != "ماذا قال وانغ؟":
            assert all(speaks_xi(h.passage.text) for h in shown), [h.passage.text for h in shown]
            refs = {(h.passage.article_id, h.passage.index) for h in shown}
            assert not refs & shown_all  # «أيضا»: none shown before
            shown_all |= refs
    step = plan("متى قال ذلك؟", context, now=now, k=4, is_person=seed_service.is_quoted)
    assert step.query is None and {s.source.date.isoformat() for s in step.context.shown} == {"2017-12-03"}


def test_cli_ask_json_from_a_fresh_index(tmp_path):
    """`newsqa ask --json` in a real process: builds the index, then answers."""
    env = dict(os.environ, NEWSQA_INDEX=str(tmp_path / "index"), NEWSQA_SEEDS=str(ROOT / "seeds"))
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "ماذا قال شي؟", "-k", "5", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)["hits"]
    assert [h["rank"] for h in hits] == [1, 2, 3, 4, 5]
    first = hits[0]
    assert set(first) >= {"rank", "score", "text", "article_id", "title", "sentence_index",
                          "context_before", "context_after", "source"}
    assert set(first["source"]) >= {"agency", "place", "date", "url", "path"}
    assert first["source"]["agency"] == "شينخوا" and first["source"]["date"] == "2017-12-03"
    assert all(speaks_xi(h["text"]) for h in hits)
    assert "added 1, changed 0, removed 0 articles" in out.stderr


def test_who_said_what_on_the_seed_is_exactly_each_persons_statements(seed_service):
    """The acceptance check of «who said what»: every statement by the person, in article
    order, and nothing by anyone else (Xi's «وصرح بذلك شي» may be included)."""
    xi = seed_service.answer("ماذا قال شي؟", k=None)
    starts = [h.passage.text for h in xi.hits]
    assert all(speaks_xi(t) for t in starts), starts
    must = ("قال الرئيس الصيني شي", "وأعرب شي", "وأعرب الرئيس", "وأشار شي", "وذكر الرئيس الصيني",
            "وقال شي", "وأضاف شي")
    assert all(any(t.startswith(m) for t in starts) for m in must), starts
    indexes = [h.passage.index for h in xi.hits]
    assert indexes == sorted(indexes)  # article order
    assert xi.person.names == ("شي جين بينغ",) and xi.person.total == len(xi.hits)
    assert {h.speaker for h in xi.hits} == {"شي جين بينغ"}
    wang = seed_service.answer("ماذا قال وانغ؟", k=None)
    assert [h.passage.text.split()[0:2] for h in wang.hits] == [["وقال", "وانغ"], ["وأضاف", "وانغ"]]
    english = seed_service.answer("What did Xi say?", k=None)
    assert [h.passage for h in english.hits] == [h.passage for h in xi.hits]


def test_cli_ask_json_carries_the_speaker(tmp_path):
    env = dict(os.environ, NEWSQA_INDEX=str(tmp_path / "index"), NEWSQA_SEEDS=str(ROOT / "seeds"))
    out = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "ماذا قال شي؟", "--json"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )
    hits = json.loads(out.stdout)["hits"]
    assert len(hits) >= 7 and {h["speaker"] for h in hits} == {"شي جين بينغ"}
    assert all(h["also_in"] == [] for h in hits)
