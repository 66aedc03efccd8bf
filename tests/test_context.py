"""What a chat remembers between messages (``retrieval.conversation.context``): pure, with hits
made by hand."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math

import pytest

from retrieval.conversation.context import (
    EXPIRY_SECONDS,
    MAX_SEEN,
    MAX_SHOWN,
    ChatContext,
    Reply,
    Shown,
    after_page,
    after_question,
    touched,
)
from retrieval.query.understanding import understand
from retrieval.types import Answer, Hit, Passage, PersonAnswer, Source

NOW = 1_700_000_000.0


def source(article: str, date: dt.date | None = dt.date(2017, 12, 3)) -> Source:
    return Source(
        path=f"{article}.txt", title=f"خبر {article}", agency="شينخوا", place="ووتشن", region="تشجيانغ",
        date=date, url=f"https://example.org/{article}" if date else None,
    )


def hit(article: str, index: int, rank: int = 1, date: dt.date | None = dt.date(2017, 12, 3)) -> Hit:
    return Hit(rank, 0.9, Passage(article, index, "قال إن…", 0, 7, ("أردوغان",)), source(article, date))


def hits(article: str, indexes, **kwargs) -> tuple[Hit, ...]:
    return tuple(hit(article, i, rank, **kwargs) for rank, i in enumerate(indexes, 1))


def refs(article: str, indexes) -> tuple[tuple[str, int], ...]:
    return tuple((article, i) for i in indexes)


def person_answer(question: str, names: tuple[str, ...], found: tuple[Hit, ...]) -> Answer:
    return Answer(question, found, PersonAnswer(names[0] if names else "؟", names, total=len(found)))


def full_context() -> ChatContext:
    question = understand("ماذا قال أردوغان عن سوريا في 2017؟")
    assert (question.person, question.topic, question.year) == ("أردوغان", "سوريا", 2017)
    return ChatContext(
        question=question,
        language="ar",
        person="رجب طيب أردوغان",
        exclude=frozenset({("a", 1), ("b", 0)}),
        shown=(
            Shown("a", 2, source("a")),
            Shown("c", 5, source("c", date=None)),
            Shown("d", 0, source("d", date=dt.date(2009, 1, 31))),
        ),
        seen=(("a", 1), ("b", 0), ("a", 2), ("c", 5), ("d", 0)),
        next_offset=10,
        updated=NOW,
    )


# -- to_dict / from_dict ----------------------------------------------------------------------

def test_round_trip_keeps_everything():
    ctx = full_context()
    assert ChatContext.from_dict(ctx.to_dict()) == ctx


def test_round_trip_through_json_keeps_everything():
    ctx = full_context()
    back = ChatContext.from_dict(json.loads(json.dumps(ctx.to_dict(), ensure_ascii=False)))
    assert back == ctx
    assert back.shown[0].source.date == dt.date(2017, 12, 3)
    assert back.shown[1].source.date is None
    assert back.seen == ctx.seen  # order kept: the oldest go first
    assert isinstance(back.exclude, frozenset) and isinstance(back.seen, tuple)


@pytest.mark.parametrize(
    "ctx",
    [
        ChatContext(understand("ما هي عاصمة فرنسا؟")),
        ChatContext(understand("What did Xi say yesterday?"), "en", "Xi Jinping", updated=NOW),
        ChatContext(understand("2017؟"), "", next_offset=0, updated=0.0),
    ],
)
def test_round_trip_of_plain_contexts(ctx):
    assert ChatContext.from_dict(json.loads(json.dumps(ctx.to_dict()))) == ctx


def _drop(*path):
    def change(data):
        *parents, last = path
        for key in parents:
            data = data[key]
        del data[last]
    return change


def _set(value, *path):
    def change(data):
        *parents, last = path
        for key in parents:
            data = data[key]
        data[last] = value
    return change


TOP_KEYS = ["question", "language", "person", "exclude", "shown", "seen", "next_offset", "updated"]
QUESTION_KEYS = ["text", "language", "form", "person", "topic", "when", "year"]

DAMAGE = {
    **{f"no {key}": _drop(key) for key in TOP_KEYS},
    **{f"no question {key}": _drop("question", key) for key in QUESTION_KEYS},
    "no version": _drop("v"),
    "version 0": _set(0, "v"),
    "version 2": _set(2, "v"),
    "version as text": _set("1", "v"),
    "question as text": _set("ماذا قال شي؟", "question"),
    "question None": _set(None, "question"),
    "question text None": _set(None, "question", "text"),
    "question text a list": _set(["ماذا"], "question", "text"),
    "question language a number": _set(1, "question", "language"),
    "question person a number": _set(7, "question", "person"),
    "question year as text": _set("2017", "question", "year"),
    "question year a fraction": _set(2017.5, "question", "year"),
    "question year infinite": _set(math.inf, "question", "year"),
    "question year a bool": _set(True, "question", "year"),
    "language None": _set(None, "language"),
    "person a list": _set(["أردوغان"], "person"),
    "exclude a number": _set(5, "exclude"),
    "exclude an object": _set({"a": 1}, "exclude"),
    "exclude a triple": _set([["a", 1, 2]], "exclude"),
    "exclude index as text": _set([["a", "1"]], "exclude"),
    "exclude id a number": _set([[3, 1]], "exclude"),
    "seen a string": _set("a1", "seen"),
    "seen of strings": _set(["a1"], "seen"),
    "seen None": _set(None, "seen"),
    "seen index None": _set([["a", None]], "seen"),
    "shown an object": _set({"article_id": "a"}, "shown"),
    "shown of lists": _set([["a", 2]], "shown"),
    "shown no source": _drop("shown", 0, "source"),
    "shown source as text": _set("a.txt", "shown", 0, "source"),
    "shown source no path": _drop("shown", 0, "source", "path"),
    "shown source title None": _set(None, "shown", 0, "source", "title"),
    "shown source date garbage": _set("yesterday", "shown", 0, "source", "date"),
    "shown source date a number": _set(20171203, "shown", 0, "source", "date"),
    "shown index as text": _set("2", "shown", 0, "index"),
    "shown article a number": _set(1, "shown", 0, "article_id"),
    "next_offset as text": _set("10", "next_offset"),
    "next_offset a fraction": _set(1.5, "next_offset"),
    "updated as text": _set("1700000000", "updated"),
    "updated None": _set(None, "updated"),
    "updated a bool": _set(True, "updated"),
    "updated infinite": _set(math.inf, "updated"),
    "updated nan": _set(math.nan, "updated"),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_data_is_refused(damage):
    data = copy.deepcopy(full_context().to_dict())
    ChatContext.from_dict(copy.deepcopy(data))  # whole, it is read
    damage(data)
    with pytest.raises(ValueError):
        ChatContext.from_dict(data)


@pytest.mark.parametrize("data", [None, [], "context", 5, {}, {"v": 1}])
def test_what_is_no_context_at_all_is_refused(data):
    with pytest.raises(ValueError):
        ChatContext.from_dict(data)


# -- after_question ---------------------------------------------------------------------------

ERDOGAN = ("رجب طيب أردوغان", "أردوغان")


def test_after_question_remembers_the_question_and_its_reply():
    question = understand("ماذا قال أردوغان عن سوريا؟")
    shown = hits("a", [0, 1, 2])
    reply = Reply(person_answer(question.text, ERDOGAN, shown), shown, "ar", next_offset=3)
    ctx = after_question(None, question, frozenset({("z", 9)}), reply, NOW)
    assert ctx.question == question
    assert ctx.person == "رجب طيب أردوغان"  # the name as quoted, the fullest first
    assert ctx.who == "رجب طيب أردوغان"
    assert ctx.language == "ar"
    assert ctx.exclude == frozenset({("z", 9)})
    assert ctx.shown == tuple(Shown("a", i, source("a")) for i in (0, 1, 2))
    assert ctx.seen == refs("a", [0, 1, 2])
    assert ctx.next_offset == 3
    assert ctx.updated == NOW


def test_after_question_carries_seen_over_for_the_same_person():
    first_q = understand("ماذا قال أردوغان؟")
    first = after_question(None, first_q, frozenset(), Reply(person_answer(first_q.text, ERDOGAN, hits("a", [0, 1])), hits("a", [0, 1])), NOW)
    second_q = understand("ماذا قال أردوغان عن الاقتصاد؟")
    shown = hits("a", [1]) + hits("b", [4])
    second = after_question(first, second_q, frozenset(), Reply(person_answer(second_q.text, ERDOGAN, shown), shown), NOW + 5)
    assert second.seen == (("a", 0), ("a", 1), ("b", 4))  # once each, the oldest first
    assert second.shown == (Shown("a", 1, source("a")), Shown("b", 4, source("b")))
    assert second.question == second_q and second.updated == NOW + 5


def test_after_what_else_the_seen_passages_are_kept_and_grow():
    q = understand("ماذا قال أردوغان؟")
    first = after_question(None, q, frozenset(), Reply(person_answer(q.text, ERDOGAN, hits("a", [0])), hits("a", [0])), NOW)
    more = hits("a", [5, 6])
    second = after_question(first, q, frozenset(first.seen), Reply(person_answer(q.text, ERDOGAN, more), more), NOW + 1)
    assert second.exclude == frozenset({("a", 0)})
    assert second.seen == refs("a", [0, 5, 6])


@pytest.mark.parametrize(
    "question, answer",
    [
        ("ماذا قال نتنياهو؟", lambda shown: person_answer("ماذا قال نتنياهو؟", ("بنيامين نتنياهو",), shown)),
        ("ما هي عاصمة فرنسا؟", lambda shown: Answer("ما هي عاصمة فرنسا؟", shown)),
        ("ماذا قال فلان؟", lambda shown: person_answer("ماذا قال فلان؟", (), shown)),  # nobody quoted matches
    ],
    ids=["a new person", "a plain search", "a person not found"],
)
def test_after_question_resets_seen_for_another_question(question, answer):
    q = understand("ماذا قال أردوغان؟")
    before = after_question(None, q, frozenset(), Reply(person_answer(q.text, ERDOGAN, hits("a", [0, 1])), hits("a", [0, 1])), NOW)
    assert before.seen == refs("a", [0, 1])
    shown = hits("b", [3])
    after = after_question(before, understand(question), frozenset(), Reply(answer(shown), shown), NOW + 1)
    assert after.seen == (("b", 3),)
    assert after.person == (None if question != "ماذا قال نتنياهو؟" else "بنيامين نتنياهو")


def test_two_plain_searches_do_not_share_seen():
    first = after_question(None, understand("ما هي عاصمة فرنسا؟"), frozenset(), Reply(Answer("x", hits("a", [0])), hits("a", [0])), NOW)
    second = after_question(first, understand("ما هي عاصمة ألمانيا؟"), frozenset(), Reply(Answer("y", hits("b", [1])), hits("b", [1])), NOW)
    assert second.person is None and second.who is None
    assert second.seen == (("b", 1),)


def test_who_is_the_person_asked_when_the_answer_found_nobody():
    ctx = after_question(None, understand("ماذا قال فلان؟"), frozenset(), Reply(person_answer("q", (), ())), NOW)
    assert ctx.person is None
    assert ctx.who == "فلان"


def test_after_question_shows_at_most_max_shown():
    q = understand("ماذا قال أردوغان؟")
    shown = hits("a", range(MAX_SHOWN + 7))
    ctx = after_question(None, q, frozenset(), Reply(person_answer(q.text, ERDOGAN, shown), shown), NOW)
    assert len(ctx.shown) == MAX_SHOWN
    assert ctx.shown[-1].index == MAX_SHOWN - 1
    assert len(ctx.seen) == MAX_SHOWN + 7  # every passage the reply showed was seen


# -- after_page -------------------------------------------------------------------------------

def test_after_page_accumulates_seen_and_moves_on():
    q = understand("ماذا قال أردوغان؟")
    first = after_question(None, q, frozenset({("x", 1)}), Reply(person_answer(q.text, ERDOGAN, hits("a", [0, 1])), hits("a", [0, 1]), "ar", 2), NOW)
    page = hits("a", [2, 3])
    second = after_page(first, Reply(person_answer(q.text, ERDOGAN, page), page, "en", 4), NOW + 10)
    assert second.seen == refs("a", [0, 1, 2, 3])
    assert second.shown == tuple(Shown("a", i, source("a")) for i in (2, 3))
    assert (second.next_offset, second.language, second.updated) == (4, "en", NOW + 10)
    assert (second.question, second.person, second.exclude) == (first.question, first.person, first.exclude)
    third = after_page(second, Reply(person_answer(q.text, ERDOGAN, hits("b", [0])), hits("b", [0]), "en", None), NOW + 20)
    assert third.seen == refs("a", [0, 1, 2, 3]) + (("b", 0),)
    assert third.next_offset is None


def test_an_empty_page_keeps_what_was_shown():
    ctx = full_context()
    after = after_page(ctx, Reply(Answer("q"), (), "ar", None), NOW + 1)
    assert after.shown == ctx.shown
    assert after.seen == ctx.seen
    assert after.next_offset is None


def test_seen_is_bounded_keeping_the_newest():
    q = understand("ماذا قال أردوغان؟")
    ctx = after_question(None, q, frozenset(), Reply(person_answer(q.text, ERDOGAN, hits("p0", range(20))), hits("p0", range(20))), NOW)
    for n in range(1, 15):
        page = hits(f"p{n}", range(20))
        ctx = after_page(ctx, Reply(person_answer(q.text, ERDOGAN, page), page), NOW + n)
    assert 15 * 20 > MAX_SEEN
    assert len(ctx.seen) == MAX_SEEN
    assert ctx.seen[-1] == ("p14", 19)
    assert ("p0", 0) not in ctx.seen
    assert ctx.seen == tuple((f"p{n}", i) for n in range(15) for i in range(20))[-MAX_SEEN:]
    # and a question about the same person keeps the bound
    more = hits("q", range(30))
    ctx = after_question(ctx, q, frozenset(ctx.seen), Reply(person_answer(q.text, ERDOGAN, more), more), NOW + 99)
    assert len(ctx.seen) == MAX_SEEN and ctx.seen[-1] == ("q", 29)


# -- fresh, touched ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    "age, expiry, fresh",
    [
        (0, EXPIRY_SECONDS, True),
        (29 * 60, EXPIRY_SECONDS, True),
        (EXPIRY_SECONDS, EXPIRY_SECONDS, True),
        (EXPIRY_SECONDS + 1, EXPIRY_SECONDS, False),
        (31 * 60, EXPIRY_SECONDS, False),
        (61, 60, False),
        (59, 60, True),
    ],
)
def test_fresh(age, expiry, fresh):
    ctx = ChatContext(understand("ماذا قال شي؟"), updated=NOW - age)
    assert ctx.fresh(NOW, expiry) is fresh
    if expiry == EXPIRY_SECONDS:
        assert ctx.fresh(NOW) is fresh


def test_expiry_is_thirty_minutes():
    assert EXPIRY_SECONDS == 30 * 60


def test_touched_only_keeps_the_context_alive():
    ctx = full_context()
    later = touched(ctx, NOW + 25 * 60)
    assert later.updated == NOW + 25 * 60
    assert later == ChatContext(**{**ctx.__dict__, "updated": NOW + 25 * 60})
    assert later.fresh(NOW + 50 * 60) and not ctx.fresh(NOW + 50 * 60)
