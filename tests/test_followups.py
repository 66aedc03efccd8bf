"""Follow-ups resolved against a chat's context (``retrieval.conversation.followups``): pure,
no model and no index — contexts are built by hand from ``understand``'s questions."""

from __future__ import annotations

import pytest

from retrieval.conversation.context import EXPIRY_SECONDS, ChatContext
from retrieval.conversation.followups import (
    ASK,
    DETAILS,
    MORE,
    SOURCE,
    WHEN,
    WHERE,
    resolve,
)
from retrieval.errors import QuestionError
from retrieval.query.understanding import understand

NOW = 1_700_000_000.0
PEOPLE = {"نتنياهو", "شي", "أردوغان", "ترامب", "وانغ يي", "Netanyahu", "Xi", "Trump", "Erdogan"}
SEEN = (("art-1", 0), ("art-1", 3), ("art-2", 1))


def is_person(name: str) -> bool:
    return name in PEOPLE


def context(
    question: str,
    person: str | None = None,
    *,
    seen: tuple = SEEN,
    language: str | None = None,
    age: float = 60.0,
) -> ChatContext:
    """A context whose last question was ``question`` (its answer found ``person``), last
    spoken ``age`` seconds before NOW."""
    q = understand(question)
    return ChatContext(q, language or q.language, person, seen=seen, updated=NOW - age)


def ask(text: str, ctx: ChatContext | None, **kwargs):
    return resolve(text, ctx, now=NOW, is_person=is_person, **kwargs)


ERDOGAN = "ماذا قال أردوغان؟"
ERDOGAN_SYRIA = "ماذا قال أردوغان عن سوريا؟"
ERDOGAN_YESTERDAY = "ماذا قال أردوغان أمس؟"
TRUMP = "What did Trump say?"
TRUMP_OIL = "What did Trump say about oil?"
SEARCH_AR = "متى افتتح المؤتمر في ووتشن؟"
SEARCH_EN = "When did the conference open in Wuzhen?"


def assert_follow_up(turn, about: str, person: str | None, topic: str | None = None, when: str | None = None):
    assert turn.kind == ASK
    assert turn.about == about
    assert turn.question is not None
    assert turn.question.text == about  # the engine is asked the resolved question, never the fragment
    assert turn.question.person == person
    assert turn.question.topic == topic
    assert turn.question.when == when
    assert turn.exclude == frozenset()


# -- «وماذا عن X؟»: the same question about someone else ---------------------------------------

@pytest.mark.parametrize(
    "last, message, about, person, topic, when",
    [
        (ERDOGAN, "وماذا عن نتنياهو؟", "ماذا قال نتنياهو؟", "نتنياهو", None, None),
        (ERDOGAN, "و ماذا عن نتنياهو؟", "ماذا قال نتنياهو؟", "نتنياهو", None, None),
        (ERDOGAN, "ماذا عن نتنياهو؟", "ماذا قال نتنياهو؟", "نتنياهو", None, None),
        (ERDOGAN, "فماذا عن نتنياهو؟", "ماذا قال نتنياهو؟", "نتنياهو", None, None),
        (ERDOGAN, "و نتنياهو؟", "ماذا قال نتنياهو؟", "نتنياهو", None, None),
        (ERDOGAN, "ونتنياهو؟", "ماذا قال نتنياهو؟", "نتنياهو", None, None),
        (ERDOGAN, "وعن نتنياهو؟", "ماذا قال نتنياهو؟", "نتنياهو", None, None),
        (ERDOGAN, "وبالنسبة لنتنياهو؟", "ماذا قال نتنياهو؟", "نتنياهو", None, None),
        (ERDOGAN, "وماذا عن «نتنياهو»؟", "ماذا قال نتنياهو؟", "نتنياهو", None, None),
        (ERDOGAN, "وشي؟", "ماذا قال شي؟", "شي", None, None),
        # the last question's topic and time go with it
        (ERDOGAN_SYRIA, "وماذا عن نتنياهو؟", "ماذا قال نتنياهو عن سوريا؟", "نتنياهو", "سوريا", None),
        (ERDOGAN_SYRIA, "ونتنياهو؟", "ماذا قال نتنياهو عن سوريا؟", "نتنياهو", "سوريا", None),
        (ERDOGAN_YESTERDAY, "وماذا عن شي؟", "ماذا قال شي أمس؟", "شي", None, "أمس"),
        (TRUMP, "what about Netanyahu?", "What did Netanyahu say?", "Netanyahu", None, None),
        (TRUMP, "What about Netanyahu?", "What did Netanyahu say?", "Netanyahu", None, None),
        (TRUMP, "And what about Netanyahu?", "What did Netanyahu say?", "Netanyahu", None, None),
        (TRUMP, "how about Netanyahu?", "What did Netanyahu say?", "Netanyahu", None, None),
        (TRUMP, "and Netanyahu?", "What did Netanyahu say?", "Netanyahu", None, None),
        (TRUMP, "And Xi?", "What did Xi say?", "Xi", None, None),
        (TRUMP_OIL, "and Xi?", "What did Xi say about oil?", "Xi", "oil", None),
        (TRUMP_OIL, "what about Xi?", "What did Xi say about oil?", "Xi", "oil", None),
    ],
)
def test_what_about_someone_quoted_asks_about_them(last, message, about, person, topic, when):
    turn = ask(message, context(last, None))
    assert_follow_up(turn, about, person, topic, when)


@pytest.mark.parametrize(
    "last, message, about, person",
    [
        # an English follow-up after an Arabic question is answered in English, and back
        (ERDOGAN, "what about Netanyahu?", "What did Netanyahu say?", "Netanyahu"),
        (ERDOGAN, "and Xi?", "What did Xi say?", "Xi"),
        (TRUMP, "وماذا عن نتنياهو؟", "ماذا قال نتنياهو؟", "نتنياهو"),
        (TRUMP, "وشي؟", "ماذا قال شي؟", "شي"),
        # a time written in the other script is left out (the question form could not read it)
        (ERDOGAN_YESTERDAY, "and Xi?", "What did Xi say?", "Xi"),
    ],
)
def test_a_follow_up_in_the_other_language_is_a_question_in_its_own(last, message, about, person):
    turn = ask(message, context(last))
    assert_follow_up(turn, about, person)
    expected = "en" if about.startswith("What") else "ar"
    assert turn.language == expected
    assert turn.question.language == expected


# -- «وماذا عن X؟» where X is nobody quoted: a topic of the last person's statements ---------------

@pytest.mark.parametrize(
    "last, found, message, about, person, topic",
    [
        (ERDOGAN, None, "وماذا عن الاقتصاد؟", "ماذا قال أردوغان عن الاقتصاد؟", "أردوغان", "الاقتصاد"),
        (ERDOGAN, None, "والاقتصاد؟", "ماذا قال أردوغان عن الاقتصاد؟", "أردوغان", "الاقتصاد"),
        (ERDOGAN, None, "و الاقتصاد؟", "ماذا قال أردوغان عن الاقتصاد؟", "أردوغان", "الاقتصاد"),
        (ERDOGAN, None, "وبخصوص الاقتصاد؟", "ماذا قال أردوغان عن الاقتصاد؟", "أردوغان", "الاقتصاد"),
        (ERDOGAN, None, "وماذا بشأن الاقتصاد؟", "ماذا قال أردوغان عن الاقتصاد؟", "أردوغان", "الاقتصاد"),
        (ERDOGAN_SYRIA, None, "وإيران؟", "ماذا قال أردوغان عن إيران؟", "أردوغان", "إيران"),
        (TRUMP, None, "what about the economy?", "What did Trump say about the economy?", "Trump", "the economy"),
        (TRUMP_OIL, None, "and gas?", "What did Trump say about gas?", "Trump", "gas"),
        # the person the answer found (the name as quoted) is the one the conversation is about
        ("ماذا قال شي؟", "شي جين بينغ", "والإنترنت؟", "ماذا قال شي جين بينغ عن الإنترنت؟", "شي جين بينغ", "الإنترنت"),
        ("What did Xi say?", "Xi Jinping", "what about the internet?",
         "What did Xi Jinping say about the internet?", "Xi Jinping", "the internet"),
    ],
)
def test_what_about_something_is_a_topic_of_the_same_person(last, found, message, about, person, topic):
    turn = ask(message, context(last, found))
    assert_follow_up(turn, about, person, topic)


# -- «وماذا عن X؟» after a plain search: X swapped into the last question -----------------------

@pytest.mark.parametrize(
    "last, message, about",
    [
        (SEARCH_AR, "وماذا عن بكين؟", "متى افتتح المؤتمر في بكين؟"),
        (SEARCH_AR, "وبكين؟", "متى افتتح المؤتمر في بكين؟"),
        (SEARCH_AR, "و بكين؟", "متى افتتح المؤتمر في بكين؟"),
        (SEARCH_AR, "وعن بكين؟", "متى افتتح المؤتمر في بكين؟"),
        (SEARCH_EN, "what about Beijing?", "When did the conference open in Beijing?"),
        (SEARCH_EN, "and Beijing?", "When did the conference open in Beijing?"),
        ("What is the capital of France?", "and Germany?", "What is the capital of Germany?"),
        ("ما هي عاصمة فرنسا؟", "وألمانيا؟", "ما هي عاصمة ألمانيا؟"),  # no «في/عن …»: the last word
        ("متى افتتح المؤتمر؟", "والمعرض الدولي؟", "متى افتتح المعرض الدولي؟"),
        (SEARCH_AR, "وماذا عن شي؟", "ماذا قال شي؟"),  # someone quoted: asked about as a person
    ],
)
def test_what_about_after_a_search_swaps_the_subject(last, message, about):
    turn = ask(message, context(last, seen=()))
    assert turn.kind == ASK and turn.about == about
    assert turn.question.form == ("who_said" if turn.question.person else "search")


# -- «ماذا قال أيضا؟»: the same person's statements not yet shown --------------------------------

WHAT_ELSE_AR = [
    "ماذا قال أيضا؟", "وماذا قال أيضا؟", "ماذا قال أيضاً؟", "ماذا قالت أيضا؟", "وماذا قال كذلك؟",
    "ما الذي قاله أيضا؟", "وماذا أضاف؟", "ماذا أضافت؟", "وماذا أضاف أيضا؟", "هل قال شيئا آخر؟",
    "هل قال شيئاً آخر؟", "وهل قالت شيئا آخر؟", "هل ذكر شيئا آخر؟", "ماذا أيضا؟", "أيضا؟", "شيء آخر؟",
    "و ماذا قال أيضا؟",
]
WHAT_ELSE_EN = [
    "what else did he say?", "What else did she say?", "And what else did he say?", "what else?",
    "What else?", "anything else?", "did he say anything else?", "Has she said anything more?",
]


@pytest.mark.parametrize("message", WHAT_ELSE_AR + WHAT_ELSE_EN)
@pytest.mark.parametrize("last", [ERDOGAN, ERDOGAN_SYRIA])
def test_what_else_asks_the_same_question_without_what_was_seen(message, last):
    ctx = context(last, "أردوغان")
    turn = ask(message, ctx)
    assert turn.kind == ASK
    assert turn.question == ctx.question
    assert turn.exclude == frozenset(SEEN)
    if message in WHAT_ELSE_EN:
        assert (turn.about, turn.language) == ("What else did أردوغان say?", "en")
    else:
        assert (turn.about, turn.language) == ("ماذا قال أردوغان أيضا؟", "ar")


def test_what_else_in_english_names_the_person_found():
    ctx = context(TRUMP_OIL, "Donald Trump", seen=(("a", 1),))
    turn = ask("what else did he say?", ctx)
    assert turn.kind == ASK and turn.question == ctx.question
    assert turn.about == "What else did Donald Trump say?"
    assert turn.exclude == frozenset({("a", 1)})


@pytest.mark.parametrize("message", ["ماذا قال أيضا؟", "وماذا أضاف؟", "هل قال شيئا آخر؟", "what else did he say?"])
@pytest.mark.parametrize("last", [SEARCH_AR, SEARCH_EN, "ما هي عاصمة فرنسا؟"])
def test_what_else_after_a_plain_search_is_the_next_page(message, last):
    turn = ask(message, context(last))
    assert turn.kind == MORE
    assert turn.question is None


# -- «وعن TOPIC؟» «ماذا قال عن TOPIC؟»: the same person, a new topic or time ----------------------

@pytest.mark.parametrize(
    "last, message, about, topic, when",
    [
        (ERDOGAN, "وعن الاقتصاد؟", "ماذا قال أردوغان عن الاقتصاد؟", "الاقتصاد", None),
        (ERDOGAN_SYRIA, "وعن الاقتصاد؟", "ماذا قال أردوغان عن الاقتصاد؟", "الاقتصاد", None),
        (ERDOGAN_SYRIA, "و عن الاقتصاد؟", "ماذا قال أردوغان عن الاقتصاد؟", "الاقتصاد", None),
        (ERDOGAN, "وماذا قال عن الاقتصاد؟", "ماذا قال أردوغان عن الاقتصاد؟", "الاقتصاد", None),
        (ERDOGAN, "ماذا قال عن الاقتصاد؟", "ماذا قال أردوغان عن الاقتصاد؟", "الاقتصاد", None),
        (ERDOGAN, "وماذا قالت عن الاقتصاد؟", "ماذا قال أردوغان عن الاقتصاد؟", "الاقتصاد", None),
        (ERDOGAN, "ماذا قال بشأن الاقتصاد؟", "ماذا قال أردوغان بشأن الاقتصاد؟", "الاقتصاد", None),
        (ERDOGAN, "وماذا قال عن الاقتصاد أمس؟", "ماذا قال أردوغان عن الاقتصاد أمس؟", "الاقتصاد", "أمس"),
        (ERDOGAN_SYRIA, "ماذا قال أمس؟", "ماذا قال أردوغان أمس؟", None, "أمس"),
        (ERDOGAN, "وماذا قال في 2017؟", "ماذا قال أردوغان في 2017؟", None, "في 2017"),
        (ERDOGAN, "وماذا عن الاقتصاد أمس؟", "ماذا قال أردوغان عن الاقتصاد أمس؟", "الاقتصاد", "أمس"),
        (TRUMP, "and about the economy?", "What did Trump say about the economy?", "the economy", None),
        (TRUMP_OIL, "And about gas?", "What did Trump say about gas?", "gas", None),
        (TRUMP, "what did he say about the economy?", "What did Trump say about the economy?", "the economy", None),
        (TRUMP, "What did she say about oil?", "What did Trump say about oil?", "oil", None),
        (TRUMP, "so what did they say about oil?", "What did Trump say about oil?", "oil", None),
        (TRUMP_OIL, "what did he say yesterday?", "What did Trump say yesterday?", None, "yesterday"),
        (TRUMP, "what did he say in 2017?", "What did Trump say in 2017?", None, "in 2017"),
        # an English follow-up after an Arabic question
        (ERDOGAN, "what did he say about the economy?", "What did أردوغان say about the economy?", "the economy", None),
    ],
)
def test_a_pronoun_takes_the_last_person(last, message, about, topic, when):
    person = understand(last).person
    turn = ask(message, context(last, person))
    assert_follow_up(turn, about, person, topic, when)


def test_a_time_in_the_follow_up_sets_the_year():
    turn = ask("وماذا قال في 2017؟", context(ERDOGAN, "أردوغان"))
    assert turn.question.year == 2017
    turn = ask("what did he say in 2019?", context(TRUMP, "Trump"))
    assert turn.question.year == 2019


@pytest.mark.parametrize("message", ["ماذا قال عن الاقتصاد؟", "what did he say about the economy?", "وعن الاقتصاد؟"])
def test_a_pronoun_after_a_plain_search_has_nobody_to_take(message):
    turn = ask(message, context(SEARCH_AR))
    assert turn.kind == ASK
    assert turn.question.person is None
    assert "ووتشن" not in turn.question.text


# -- «متى قال ذلك؟» «أين؟» «من أي مصدر؟»: details of what was shown --------------------------------

@pytest.mark.parametrize(
    "message, detail",
    [
        ("متى قال ذلك؟", WHEN), ("متى؟", WHEN), ("ومتى قال ذلك؟", WHEN), ("و متى قال ذلك؟", WHEN),
        ("متى كان ذلك؟", WHEN), ("متى قالت هذا؟", WHEN), ("في أي تاريخ؟", WHEN), ("في أي سنة؟", WHEN),
        ("ما تاريخه؟", WHEN), ("متي قال ذلك", WHEN),
        ("أين؟", WHERE), ("وأين؟", WHERE), ("أين قال ذلك؟", WHERE), ("من أين؟", WHERE),
        ("في أي مدينة؟", WHERE), ("اين حدث ذلك؟", WHERE),
        ("من أي مصدر؟", SOURCE), ("ما المصدر؟", SOURCE), ("ما مصدر ذلك؟", SOURCE), ("المصادر؟", SOURCE),
        ("أي وكالة؟", SOURCE), ("من نشر هذا؟", SOURCE), ("ما هي المصادر؟", SOURCE),
        ("when was that?", WHEN), ("When?", WHEN), ("when did he say that?", WHEN), ("what date?", WHEN),
        ("And when was that?", WHEN), ("which year was that?", WHEN),
        ("where?", WHERE), ("Where was that?", WHERE), ("where did he say that?", WHERE),
        ("what is the source?", SOURCE), ("What's the source?", SOURCE), ("sources?", SOURCE),
        ("which agency?", SOURCE), ("who reported it?", SOURCE), ("where is that from?", SOURCE),
    ],
)
@pytest.mark.parametrize("last, person", [(ERDOGAN_SYRIA, "أردوغان"), (SEARCH_AR, None), (TRUMP, "Trump")])
def test_details_of_what_was_shown(message, detail, last, person):
    turn = ask(message, context(last, person))
    assert turn.kind == DETAILS
    assert turn.detail == detail
    assert turn.question is None


# -- «المزيد» "more" -----------------------------------------------------------------------------

MORE_MESSAGES = ["المزيد", "المزيد؟", "مزيد", "المزيد من فضلك", "التالي", "أكثر", "more", "More", " next ", "+"]


@pytest.mark.parametrize("message", MORE_MESSAGES)
@pytest.mark.parametrize("ctx", [None, context(ERDOGAN, "أردوغان"), context(SEARCH_EN), context(TRUMP, age=3600)])
def test_more_typed_as_text_is_the_next_page(message, ctx):
    turn = ask(message, ctx)
    assert turn.kind == MORE
    assert turn.question is None
    assert turn.language == {"+": ""}.get(message.strip(), "en" if message.strip()[0].isascii() else "ar")


# -- no context, or an expired one: every message is a question of its own ------------------------

NO_CONTEXT = [None, context(ERDOGAN_SYRIA, "أردوغان", age=31 * 60), context(SEARCH_AR, age=31 * 60)]


@pytest.mark.parametrize(
    "message",
    [
        "ماذا قال أيضا؟", "وماذا أضاف؟", "هل قال شيئا آخر؟", "متى قال ذلك؟", "أين؟", "من أي مصدر؟",
        "وماذا عن الاقتصاد؟", "والاقتصاد؟", "وعن الاقتصاد؟", "ماذا قال عن الاقتصاد؟",
        "what else did he say?", "when was that?", "where?", "what about the economy?",
        "what did he say about the economy?",
    ],
)
@pytest.mark.parametrize("ctx", NO_CONTEXT)
def test_a_follow_up_without_a_context_is_a_plain_question(message, ctx):
    turn = ask(message, ctx)
    assert turn.kind == ASK
    assert turn.about is None
    assert turn.exclude == frozenset()
    assert turn.question == understand(message)
    assert turn.question.form == "search"
    assert turn.question.person is None  # never somebody called «أيضا» or "he"


@pytest.mark.parametrize(
    "message, about, person",
    [
        ("وماذا عن شي؟", "ماذا قال شي؟", "شي"),
        ("وشي؟", "ماذا قال شي؟", "شي"),
        ("و شي؟", "ماذا قال شي؟", "شي"),
        ("وَمَاذَا عَنْ شي؟", "ماذا قال شي؟", "شي"),
        ("what about Xi?", "What did Xi say?", "Xi"),
        ("and Xi?", "What did Xi say?", "Xi"),
    ],
)
@pytest.mark.parametrize("ctx", NO_CONTEXT)
def test_what_about_someone_quoted_in_a_new_chat_lists_their_statements(message, about, person, ctx):
    turn = ask(message, ctx)
    assert_follow_up(turn, about, person)


def test_what_about_someone_not_quoted_in_a_new_chat_is_not_made_a_person():
    turn = resolve("وماذا عن شي؟", None, now=NOW)  # nobody is quoted
    assert turn.kind == ASK and turn.about is None
    assert turn.question.person is None


@pytest.mark.parametrize(
    "message, kind",
    [("ماذا قال أيضا؟", ASK), ("متى قال ذلك؟", DETAILS), ("وماذا عن نتنياهو؟", ASK), ("وعن الاقتصاد؟", ASK)],
)
def test_a_context_expires_after_thirty_minutes_of_silence(message, kind):
    alive = ask(message, context(ERDOGAN_SYRIA, "أردوغان", age=29 * 60))
    assert alive.kind == kind
    assert alive.about is not None or alive.kind == DETAILS
    boundary = ask(message, context(ERDOGAN_SYRIA, "أردوغان", age=EXPIRY_SECONDS))
    assert boundary == alive
    gone = ask(message, context(ERDOGAN_SYRIA, "أردوغان", age=31 * 60))
    assert gone.kind == ASK
    assert gone.about is None or gone.question.person == "نتنياهو"  # «وماذا عن نتنياهو؟» alone: his statements
    assert gone.question.topic is None


def test_expiry_can_be_set():
    ctx = context(ERDOGAN, "أردوغان", age=120)
    assert ask("ماذا قال أيضا؟", ctx, expiry=300).exclude == frozenset(SEEN)
    short = ask("ماذا قال أيضا؟", ctx, expiry=60)
    assert short.exclude == frozenset() and short.question.form == "search"


# -- a question asked in full replaces the context ------------------------------------------------

FULL_QUESTIONS = [
    "ماذا قال شي؟", "ما هي عاصمة فرنسا؟", "What did Trump say?", "ماذا قال نتنياهو عن سوريا؟",
    "وماذا قال بايدن؟", "وما رأي بايدن في الحرب؟", "and what did Biden say?", "And what did Biden say about oil?",
    "وزير الخارجية التركي قال ماذا؟", "متى افتتح المؤتمر في ووتشن؟", "When did the conference open in Wuzhen?",
]


@pytest.mark.parametrize("message", FULL_QUESTIONS)
@pytest.mark.parametrize("ctx", [context(ERDOGAN_SYRIA, "أردوغان"), context(SEARCH_AR), context(TRUMP_OIL, "Trump")])
def test_a_full_question_replaces_the_context(message, ctx):
    turn = ask(message, ctx)
    assert turn.kind == ASK
    assert turn.about is None
    assert turn.exclude == frozenset()
    assert turn.question == understand(message)


@pytest.mark.parametrize(
    "message",
    [
        # questions that start with «و» or "and" but are no «وX؟» follow-up
        "وزير الخارجية التركي؟", "وزير الخارجية؟", "وزارة الدفاع؟", "واشنطن؟", "ولي العهد السعودي؟",
        "وكالة شينخوا؟", "وقف إطلاق النار؟", "وفد الحكومة؟", "وانغ يي؟",
        "ومتى افتتح المؤتمر؟", "وأين عقد المؤتمر؟", "ومن قال ذلك؟", "وكم عدد القتلى؟", "وما هي عاصمة فرنسا؟",
        "وكيف رد الجيش؟", "وهل انتهت الحرب؟", "ولماذا استقال؟",
        "and then what happened?", "and who won the election?", "And how many people died?",
        "and where is the summit?", "And why did he resign?", "and is the war over?",
    ],
)
@pytest.mark.parametrize("ctx", [context(ERDOGAN_SYRIA, "أردوغان"), context(SEARCH_AR), context(TRUMP_OIL, "Trump")])
def test_a_question_starting_with_and_is_not_mistaken_for_a_follow_up(message, ctx):
    turn = ask(message, ctx)
    assert turn.kind == ASK
    assert turn.about is None
    assert turn.question == understand(message)


def test_a_name_that_starts_with_waw_is_not_cut():
    turn = ask("ووانغ يي؟", context(ERDOGAN_SYRIA, "أردوغان"))  # «و» + «وانغ يي»: not matched, asked as is
    assert turn.about is None or "انغ يي" not in turn.about.replace("وانغ يي", "")
    for message in ("وماذا عن وانغ يي؟", "و وانغ يي؟"):
        turn = ask(message, context(ERDOGAN_SYRIA, "أردوغان"))
        assert turn.question.person == "وانغ يي", message


# -- language ---------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "message, language",
    [
        ("2017؟", ""), ("ماذا قال شي؟", "ar"), ("What did Xi say?", "en"), ("وماذا عن نتنياهو؟", "ar"),
        ("what about Netanyahu?", "en"), ("متى قال ذلك؟", "ar"), ("when was that?", "en"),
        ("ماذا قال أيضا؟", "ar"), ("what else did he say?", "en"),
    ],
)
@pytest.mark.parametrize("ctx", [None, context(ERDOGAN, "أردوغان"), context(TRUMP, "Trump", language="en")])
def test_the_turn_is_in_the_language_of_the_message(message, language, ctx):
    assert ask(message, ctx).language == language


def test_a_message_with_no_language_is_a_question_of_its_own():
    turn = ask("2017؟", context(ERDOGAN, "أردوغان"))
    assert turn.kind == ASK and turn.about is None
    assert turn.question.text == "2017؟"


# -- diacritics and letter variants -------------------------------------------------------------

@pytest.mark.parametrize(
    "message, kind, about",
    [
        ("وَمَاذَا عَنْ نتنياهو؟", ASK, "ماذا قال نتنياهو عن سوريا؟"),
        ("وماذا عن نتنياهو ؟", ASK, "ماذا قال نتنياهو عن سوريا؟"),
        ("وماذا عن نتنياهو", ASK, "ماذا قال نتنياهو عن سوريا؟"),
        ("وعَن الاقتصاد؟", ASK, "ماذا قال أردوغان عن الاقتصاد؟"),
        ("مَاذَا قَالَ أَيْضًا؟", ASK, "ماذا قال أردوغان أيضا؟"),
        ("ماذا قال ايضا؟", ASK, "ماذا قال أردوغان أيضا؟"),
        ("ماذا قال أيضاً؟", ASK, "ماذا قال أردوغان أيضا؟"),
        ("مـاذا قـال أيضـا؟", ASK, "ماذا قال أردوغان أيضا؟"),  # tatweel
        ("هل قال شيئا اخر؟", ASK, "ماذا قال أردوغان أيضا؟"),
        ("ما الذى قاله أيضا؟", ASK, "ماذا قال أردوغان أيضا؟"),
        ("وماذا أَضَاف؟", ASK, "ماذا قال أردوغان أيضا؟"),
        ("مَتَى قَالَ ذَلِكَ؟", DETAILS, None),
        ("متي قال ذلك؟", DETAILS, None),
        ("من أى مصدر؟", DETAILS, None),
        ("فى أى تاريخ؟", DETAILS, None),
        ("في أي مدينه؟", DETAILS, None),
        ("إين؟", DETAILS, None),
        ("المَزيد", MORE, None),
        ("المزيـد", MORE, None),
    ],
)
def test_diacritics_and_letter_variants_are_tolerated(message, kind, about):
    turn = ask(message, context(ERDOGAN_SYRIA, "أردوغان"))
    assert turn.kind == kind
    assert turn.about == about


def test_a_subject_keeps_its_spelling():
    """The subject is put in the question as written (hamza, taa marbuta), not folded."""
    turn = ask("وماذا عن الأزمة الاقتصادية؟", context(ERDOGAN, "أردوغان"))
    assert turn.about == "ماذا قال أردوغان عن الأزمة الاقتصادية؟"
    assert turn.question.topic == "الأزمة الاقتصادية"


def test_a_subject_of_too_many_words_is_no_follow_up():
    message = "وماذا عن الأزمة الاقتصادية التي ضربت تركيا في العام الماضي بعد الانتخابات؟"
    turn = ask(message, context(ERDOGAN, "أردوغان"))
    assert turn.about is None and turn.question == understand(message)


@pytest.mark.parametrize("message", ["", "   ", "؟؟", "🙂"])
@pytest.mark.parametrize("ctx", [None, context(ERDOGAN, "أردوغان")])
def test_an_empty_message_is_refused(message, ctx):
    with pytest.raises(QuestionError):
        ask(message, ctx)


def test_resolve_is_pure():
    ctx = context(ERDOGAN_SYRIA, "أردوغان")
    before = ctx.to_dict()
    first = ask("وماذا عن نتنياهو؟", ctx)
    assert ask("وماذا عن نتنياهو؟", ctx) == first
    assert ctx.to_dict() == before


@pytest.mark.parametrize(
    ("message", "about", "person", "when", "year"),
    [
        ("وماذا عن شي في 2017؟", "ماذا قال شي في 2017؟", "شي", "في 2017", 2017),
        ("وماذا عن شي أمس؟", "ماذا قال شي أمس؟", "شي", "أمس", None),
        ("what about Xi in 2017?", "What did Xi say in 2017?", "Xi", "in 2017", 2017),
    ],
)
def test_what_about_someone_at_a_time_asks_about_them_then(message, about, person, when, year):
    turn = ask(message, context(ERDOGAN, "رجب طيب أردوغان"))
    assert turn.about == about
    assert (turn.question.person, turn.question.when, turn.question.year) == (person, when, year)
