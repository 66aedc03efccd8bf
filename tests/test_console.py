"""Tests for bot.console: a person's statements as terminal text and as JSON (pure, no index)."""

from __future__ import annotations

import datetime as dt
import json

from bot.console import render_json, render_text
from bot.i18n import RLM
from retrieval.query.understanding import understand
from retrieval.types import Answer, Hit, Passage, PersonAnswer, Source

REUTERS = Source(path="a.txt", title="a", agency="رويترز", place="واشنطن", date=dt.date(2017, 4, 12))
TRUMP = PersonAnswer("ترامب", ("دونالد ترامب", "ترامب"), total=3, topic="سوريا", on_topic=1, canonical="دونالد ترامب")
ERDOGAN = PersonAnswer("أردوغان", ("رجب طيب أردوغان",), total=2, topic="سوريا", on_topic=0)
NAMES = ("دونالد ترامب", "رجب طيب أردوغان")


def said(rank: int, text: str, person: int, aside: bool) -> Hit:
    passage = Passage("a.txt", rank - 1, text, 0, len(text), (NAMES[person],))
    return Hit(rank, 1.0, passage, REUTERS, speaker=NAMES[person], titled=False, person=person, aside=aside)


QUESTION = "ماذا قال ترامب وأردوغان عن سوريا؟"
HITS = (
    said(1, "قال ترامب إن الأسد شرير.", 0, False),
    said(2, "قال ترامب إن الصين تتلاعب بالعملة.", 0, True),
    said(3, "وأضاف ترامب أن الوظائف ستعود.", 0, True),
    said(4, "قال أردوغان إن هولندا ستدفع الثمن.", 1, True),
    said(5, "وأضاف أردوغان أن تركيا الأقوى.", 1, True),
)
TWO_PEOPLE = Answer(QUESTION, HITS, people=(TRUMP, ERDOGAN))


def test_a_heading_per_person_then_the_other_statements_under_their_own():
    lines = render_text(TWO_PEOPLE).splitlines()
    headings = [line for line in lines if line.startswith((f"{RLM}🗣️", f"{RLM}🗒️"))]
    assert headings == [
        f"{RLM}🗣️ ما قاله «دونالد ترامب» عن «سوريا»: تصريح واحد",
        f"{RLM}🗣️ ما قاله «رجب طيب أردوغان» عن «سوريا»: لا تصريحات",
        f"{RLM}🗒️ تصريحات أخرى لـ«دونالد ترامب» (ليست عن «سوريا»): تصريحان",
        f"{RLM}🗒️ تصريحات أخرى لـ«رجب طيب أردوغان» (ليست عن «سوريا»): تصريحان",
    ]
    order = [next(i for i, line in enumerate(lines) if line.startswith(f"{RLM}{n}.")) for n in range(1, 6)]
    places = [lines.index(h) for h in headings]
    assert places[0] < order[0] < places[1] < places[2] < order[1] < order[2] < places[3] < order[3]


def test_a_page_of_them_says_how_many_are_left_over_all_the_people():
    page = Answer(QUESTION, HITS[:2], people=(TRUMP, ERDOGAN))
    out = render_text(page, more_hint="اكتب «المزيد»")
    assert out.endswith(f"{RLM}… لم يُعرض بعد: 3 تصريحات (اكتب «المزيد»).")
    later = render_text(Answer(QUESTION, HITS[3:], people=(TRUMP, ERDOGAN)), first_page=False)
    assert "ما قاله" not in later and "تصريحات أخرى لـ«رجب طيب أردوغان»" in later


def test_english_headings_and_someone_nobody_quotes_gets_a_note():
    nobody = PersonAnswer("Biden", closest=("جو بايدن",))
    answer = Answer("What did Trump and Biden say?", HITS[:1], people=(TRUMP, nobody))
    out = render_text(answer, "en")
    assert "Nobody called “Biden” is quoted in the indexed news. The closest names: جو بايدن." in out
    assert "🗣️ What دونالد ترامب said about “سوريا”: 1 statement" in out
    assert "ordinary search results" not in out


def test_json_has_every_person_and_says_whose_each_hit_is():
    data = json.loads(render_json(TWO_PEOPLE, understand(QUESTION)))
    assert data["person"]["name"] == "دونالد ترامب" and data["total"] == 5
    assert [(p["name"], p["total"], p["on_topic"]) for p in data["people"]] == [
        ("دونالد ترامب", 3, 1), ("رجب طيب أردوغان", 2, 0)
    ]
    assert [(h["rank"], h["person"], h["aside"]) for h in data["hits"]] == [
        (1, 0, False), (2, 0, True), (3, 0, True), (4, 1, True), (5, 1, True)
    ]


def test_json_of_one_person_keeps_its_shape_and_a_search_has_no_person_fields():
    trump = PersonAnswer("ترامب", ("ترامب", "دونالد ترامب"), 1, canonical="دونالد ترامب")
    one = Answer("ماذا قال ترامب؟", HITS[:1], trump)
    data = json.loads(render_json(one, understand("ماذا قال ترامب؟")))
    assert data["person"]["name"] == "دونالد ترامب" and len(data["people"]) == 1 and data["total"] == 1
    assert data["person"]["on_topic"] is None
    search = json.loads(render_json(Answer("سوريا", HITS[:1]), understand("سوريا")))
    assert search["people"] == [] and "person" not in search["hits"][0] and search["person"] is None
