"""«من قال …؟» / "Who said …?": the question form, the statements by speaker (fake embedder),
the console text and JSON, the chat, the Telegram bot, and the real model on a few articles."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest

import bot.i18n as i18n
from bot import cli
from bot.chat import chat
from bot.console import render_json, render_text
from bot.formatting import RLM
from bot.testing import FakeBotApi
from retrieval.model.embedder import FakeEmbedder
from retrieval.query import understand
from retrieval.query.said_what import read_claim
from retrieval.service import NewsService
from retrieval.types import Answer, Hit, Passage, Source, SpeakerGroup
from tests.conftest import SEED_FILE
from tests.test_telegram import bot, wait

ARTICLES = {
    "macron.txt": (
        "باريس 12 نوفمبر 2018 (أ ف ب) قال الرئيس الفرنسي إيمانويل ماكرون إن الإنترنت يحتاج إلى قواعد جديدة "
        "تحمي المستخدمين من خطاب الكراهية والأخبار الكاذبة.\n"
        "وأضاف ماكرون أن على شركات التكنولوجيا الكبرى أن تتحمل مسؤولية ما ينشر على منصاتها.\n"
        "وافتتح المنتدى في مقر منظمة اليونسكو بحضور مئات الخبراء من أنحاء العالم.\n"
    ),
    "jubeir.txt": (
        "الرياض 6 يونيو 2017 (رويترز) قال وزير الخارجية السعودي عادل الجبير إن على قطر أن تتوقف عن دعم "
        "الجماعات المتطرفة.\n"
        "وأكد الجبير أن الدول الأربع لا تسعى إلى الإضرار بالشعب القطري.\n"
        "ووصل أمير الكويت إلى الدوحة في زيارة قصيرة لبحث الأزمة مع قطر.\n"
    ),
    "trump.txt": (
        "واشنطن 1 يونيو 2017 (رويترز) قال الرئيس الأمريكي دونالد ترامب إن اتفاق باريس للمناخ غير عادل "
        "للولايات المتحدة.\n"
        "وأعلن ترامب انسحاب بلاده من الاتفاق في كلمة ألقاها في حديقة البيت الأبيض.\n"
        "وانتقد الأمين العام للأمم المتحدة أنطونيو غوتيريش القرار ووصفه بأنه مخيب للآمال.\n"
    ),
}
# The Qatar story again, from another agency: a wire copy.
COPY = ARTICLES["jubeir.txt"].replace("(رويترز)", "(أ ف ب)")
#: With the fake model, a statement sharing the claim's words scores above this; others below.
FAKE_GATE = 0.2
QATAR = "من تحدث عن قطر؟"
INTERNET = "من قال إن الإنترنت يحتاج إلى قواعد؟"
UNRELATED = "من قال إن الكسكسي التونسي لذيذ جدا؟"


def write_articles(folder: Path, copy: bool = True) -> Path:
    folder.mkdir(exist_ok=True)
    shutil.copy(SEED_FILE, folder / SEED_FILE.name)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    if copy:
        (folder / "jubeir2.txt").write_text(COPY, encoding="utf-8")
    return folder


@pytest.fixture
def service(tmp_path):
    svc = NewsService(write_articles(tmp_path / "seeds"), tmp_path / "index", FakeEmbedder(), min_score=FAKE_GATE)
    svc.open()
    return svc


# -- the question form ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "claim", "language"),
    [
        ("من قال إن الإنترنت يحتاج إلى قواعد؟", "الإنترنت يحتاج إلى قواعد", "ar"),
        ("من تحدث عن قطر؟", "قطر", "ar"),
        ("مَن صرّح بأن الاقتصاد سينمو؟", "الاقتصاد سينمو", "ar"),
        ("من انتقد الاتفاق النووي؟", "الاتفاق النووي", "ar"),
        ("من الذي قال إن الحرب انتهت؟", "الحرب انتهت", "ar"),
        ("ومن قال: «لن نتراجع»؟", "لن نتراجع", "ar"),
        ("من حذر من ارتفاع الأسعار؟", "ارتفاع الأسعار", "ar"),
        ("أي وزير قال إن النفط سيرتفع؟", "النفط سيرتفع", "ar"),
        ("من تحدث عن قطر أيضا؟", "قطر", "ar"),
        ("Who said the Paris agreement is unfair?", "the Paris agreement is unfair", "en"),
        ("Who talked about Qatar?", "Qatar", "en"),
        ("Who said that the internet needs rules?", "the internet needs rules", "en"),
        ("who has criticized the deal?", "the deal", "en"),
        ("Who told reporters that talks failed?", "talks failed", "en"),
        ("Which minister warned about inflation?", "inflation", "en"),
    ],
)
def test_who_said_questions_are_read_with_their_claim(question, claim, language):
    understood = understand(question)
    assert (understood.form, understood.topic, understood.language) == ("said_what", claim, language)
    assert understood.asks_who and not understood.asks_person
    assert understood.search_text == claim  # what the search looks for


@pytest.mark.parametrize(
    ("question", "form"),
    [
        ("من هو شي؟", "search"), ("من هي وزيرة الخارجية؟", "search"), ("Who is Xi?", "search"),
        ("من حضر المؤتمر؟", "search"), ("من وعد بلفور إلى النكبة", "search"), ("من قال؟", "search"),
        ("من قال ذلك؟", "search"), ("من قال أيضا؟", "search"), ("Who said it?", "search"),
        ("من قالب الحلوى", "search"), ("قطر", "search"),
        ("ماذا قال شي؟", "who_said"), ("What did Xi say?", "who_said"), ("ما رأي أردوغان في قطر؟", "who_said"),
    ],
)
def test_other_questions_keep_their_form(question, form):
    understood = understand(question)
    assert understood.form == form and not understood.asks_who
    assert understood.search_text == understood.text
    assert read_claim(question) is None


def test_a_chat_remembers_a_who_said_question_whole():
    from retrieval.conversation.context import ChatContext

    question = understand(QATAR)
    assert ChatContext.from_dict(ChatContext(question).to_dict()).question == question  # «المزيد» after a restart


# -- the answer ------------------------------------------------------------------------------------


def test_statements_are_grouped_by_speaker_most_relevant_first(service):
    answer = service.answer(INTERNET, k=10)
    assert answer.claim == "الإنترنت يحتاج إلى قواعد"
    assert answer.speakers[0].name == "إيمانويل ماكرون"
    assert answer.speakers[0].ranks == (1, 2) and answer.speakers[0].count == 2
    assert [h.speaker for h in answer.hits[:2]] == ["إيمانويل ماكرون"] * 2
    assert "إيمانويل ماكرون" not in [g.name for g in answer.speakers[1:]]  # one group a speaker
    assert not any("وافتتح المنتدى" in h.passage.text for h in answer.hits)  # not a statement
    assert answer.hits[0].passage.text.startswith("قال الرئيس الفرنسي إيمانويل ماكرون إن الإنترنت")


def test_groups_come_in_the_order_of_their_best_statement(service):
    answer = service.answer("من قال إن اتفاق باريس للمناخ غير عادل؟", k=10)
    assert [g.name for g in answer.speakers] == ["دونالد ترامب", "أنطونيو غوتيريش"]
    best = [max(answer.hits[r - 1].score for r in g.ranks) for g in answer.speakers]
    assert best == sorted(best, reverse=True)
    ranks = [r for g in answer.speakers for r in g.ranks]
    assert ranks == [h.rank for h in answer.hits] == list(range(1, len(answer.hits) + 1))  # groups are contiguous


def test_only_statements_are_listed_and_copies_come_once_with_their_sources(service):
    answer = service.answer(QATAR, k=10)
    assert [g.name for g in answer.speakers] == ["عادل الجبير"]
    assert all(h.passage.speakers for h in answer.hits)
    assert not any("أمير الكويت" in h.passage.text for h in answer.hits)  # names Qatar, says nothing
    assert len({h.passage.text for h in answer.hits}) == len(answer.hits) == 2
    for hit in answer.hits:
        assert {hit.source.agency} | {s.agency for s in hit.also_in} == {"رويترز", "أ ف ب"}


def test_an_unrelated_claim_lists_no_statement(service):
    answer = service.answer(UNRELATED, k=10)
    assert not answer.found and answer.claim == "الكسكسي التونسي لذيذ جدا" and answer.speakers == ()


def test_a_plain_search_still_lists_any_passage(service):
    answer = service.answer("أمير الكويت الدوحة", k=5)
    assert answer.claim is None and answer.speakers == ()
    assert any(not h.passage.speakers for h in answer.hits)


def test_paging_through_the_statements(tmp_path):
    svc = NewsService(write_articles(tmp_path / "seeds"), tmp_path / "index", FakeEmbedder(), min_score=-1.0)
    svc.open()
    every = svc.answer(QATAR, k=20)
    assert len(every.speakers) == 6 and every.speakers[0].name == "عادل الجبير"  # no gate: every speaker
    page = svc.answer(QATAR, k=2, offset=2)
    assert [h.passage for h in page.hits] == [h.passage for h in every.hits[2:4]]
    assert [h.rank for h in page.hits] == [3, 4]


def test_speakers_are_shown_under_the_canonical_name_the_directory_offers(service, monkeypatch):
    monkeypatch.setattr(service.index.speakers, "canonical", lambda name: f"{name} (الوزير)", raising=False)
    answer = service.answer(QATAR, k=10)
    assert [g.name for g in answer.speakers] == ["عادل الجبير (الوزير)"]
    assert {h.speaker for h in answer.hits} == {"عادل الجبير (الوزير)"}


# -- the console -------------------------------------------------------------------------------


RIYADH = Source("jubeir.txt", "t", "رويترز", "الرياض", None, dt.date(2017, 6, 6))
WASHINGTON = Source("trump.txt", "t", "رويترز", "واشنطن", None, dt.date(2017, 6, 1))


def statement(rank: int, index: int, text: str, speaker: str, source: Source) -> Hit:
    passage = Passage(source.path, index, text, 0, len(text), (speaker,))
    return Hit(rank, 0.9, passage, source, speaker=speaker, titled=False)


GROUPED = Answer(
    "من تحدث عن قطر؟",
    (
        statement(1, 1, "وأكد الجبير أن الدول الأربع لا تضر بقطر.", "عادل الجبير", RIYADH),
        statement(2, 0, "قال عادل الجبير إن على قطر أن تتوقف.", "عادل الجبير", RIYADH),
        statement(3, 0, "قال ترامب إن قطر شريك.", "دونالد ترامب", WASHINGTON),
    ),
    claim="قطر",
    speakers=(SpeakerGroup("عادل الجبير", (1, 2)), SpeakerGroup("دونالد ترامب", (3,))),
)


def test_console_text_has_a_heading_per_speaker_then_their_statements_with_sources():
    assert render_text(GROUPED) == "\n".join(
        [
            f"{RLM}🗣️ عادل الجبير — تصريحان",
            f"{RLM}📰 رويترز · الرياض · 6 يونيو 2017 · jubeir.txt",
            f"{RLM}1. وأكد الجبير أن الدول الأربع لا تضر بقطر. (الجملة 2)",
            f"{RLM}2. قال عادل الجبير إن على قطر أن تتوقف. (الجملة 1)",
            "",
            f"{RLM}🗣️ دونالد ترامب — تصريح واحد",
            f"{RLM}📰 رويترز · واشنطن · 1 يونيو 2017 · trump.txt",
            f"{RLM}3. قال ترامب إن قطر شريك. (الجملة 1)",
        ]
    )
    english = render_text(GROUPED, "en")
    assert "🗣️ عادل الجبير — 2 statements" in english and "🗣️ دونالد ترامب — 1 statement" in english
    assert "6 June 2017" in english and "(sentence 2)" in english


def test_console_says_when_no_statement_matches_in_the_question_language():
    assert render_text(Answer("من قال إن X؟", claim="X")) == i18n.text("claim_nothing", "ar", claim="X")
    assert render_text(Answer("Who said X?", claim="X")) == "🤷 I found no statement in the indexed news that matches “X”."


@pytest.fixture
def run(monkeypatch, tmp_path, capsys):
    embedder = FakeEmbedder()
    monkeypatch.setattr("retrieval.model.embedding.load_embedder", lambda model, cache_dir, **kw: embedder)
    monkeypatch.setenv("NEWSQA_SEEDS", str(write_articles(tmp_path / "seeds")))
    monkeypatch.setenv("NEWSQA_INDEX", str(tmp_path / "index"))
    monkeypatch.setenv("NEWSQA_MIN_SCORE", str(FAKE_GATE))
    monkeypatch.setenv("NEWSQA_MARGIN", "-1")  # the fake model's scores mean little
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)

    def run(*argv: str) -> tuple[int, str]:
        code = cli.main(list(argv))
        return code, capsys.readouterr().out

    return run


def test_ask_prints_the_statements_by_speaker_and_exits_1_when_none_matches(run):
    code, out = run("ask", QATAR)
    assert code == 0
    assert out.startswith(f"{RLM}🗣️ عادل الجبير — تصريحان\n{RLM}📰 رويترز · الرياض · 6 يونيو 2017 · jubeir.txt\n")
    assert "أ ف ب" in out  # the copy's source, under the statement
    code, out = run("ask", UNRELATED)
    assert code == 1 and "لم أجد في الأخبار المفهرسة تصريحا لأحد يطابق «الكسكسي التونسي لذيذ جدا»" in out


def test_ask_json_lists_the_speakers_with_their_hits(run):
    code, out = run("ask", "من قال إن اتفاق باريس للمناخ غير عادل؟", "--json")
    data = json.loads(out)
    assert code == 0 and data["question"]["form"] == "said_what"
    assert data["question"]["topic"] == "اتفاق باريس للمناخ غير عادل" and data["person"] is None
    assert [(s["name"], s["count"]) for s in data["speakers"]] == [("دونالد ترامب", 2), ("أنطونيو غوتيريش", 1)]
    for group in data["speakers"]:
        assert {data["hits"][i]["speaker"] for i in group["hits"]} == {group["name"]}
    assert sorted(i for s in data["speakers"] for i in s["hits"]) == list(range(len(data["hits"])))
    assert all({"text", "score", "source", "speaker"} <= set(h) for h in data["hits"])
    _, out = run("ask", "ماذا قال شي؟", "--json")
    assert json.loads(out)["speakers"] == []  # other forms: no groups


def test_render_json_of_an_answer_without_statements(service):
    question = understand(UNRELATED)
    data = json.loads(render_json(service.answer(question), question))
    assert data["hits"] == [] and data["speakers"] == [] and data["total"] == 0


def test_chat_answers_who_said_and_pages_with_more(service):
    out = io.StringIO()
    ask = lambda q: service.answer(q.question, k=q.k, offset=q.offset, exclude=q.exclude)  # noqa: E731
    chat(ask, k=1, stdin=io.StringIO(f"{QATAR}\nالمزيد\nمتى قال ذلك؟\n"), stdout=out, clock=lambda: 1000.0)
    text = out.getvalue()
    assert f"{RLM}🗣️ عادل الجبير — تصريح واحد" in text
    assert f"{RLM}1. وأكد الجبير" in text and f"{RLM}2. قال وزير الخارجية السعودي" in text  # «المزيد»: the next
    assert "6 يونيو 2017" in text.split("متى قال ذلك؟")[-1]


# -- Telegram, end to end against the fake Bot API ---------------------------------------------------


async def test_telegram_answers_who_said_by_speaker_in_the_askers_language(tmp_path):
    svc = NewsService(write_articles(tmp_path / "seeds"), tmp_path / "index", FakeEmbedder(), min_score=FAKE_GATE)
    svc.open(build=True)
    with FakeBotApi() as api:
        async with bot(api, svc):
            api.push_message(QATAR, user_id=7)
            [arabic] = await wait(api, "sendMessage", chat_id=7)
            api.push_message("Who talked about قطر?", user_id=8, language_code="en")
            [english] = await wait(api, "sendMessage", chat_id=8)
            api.push_message(UNRELATED, user_id=9)
            [nothing] = await wait(api, "sendMessage", chat_id=9)
        assert [c.error for c in api.calls if c.error in (400, 404)] == []
    text = arabic.params["text"]
    assert text.startswith(f"<b>{RLM}🗣️ عادل الجبير — تصريحان</b>\n{RLM}📰 رويترز · الرياض · 6 يونيو 2017")
    assert "<b>قطر</b>" in text and "<b>1.</b>" in text and "<b>2.</b>" in text and "الكويت" not in text
    assert "<b>🗣️ عادل الجبير — 2 statements</b>" in english.params["text"]
    assert "6 June 2017" in english.params["text"]
    assert "تصريحا لأحد يطابق «الكسكسي التونسي لذيذ جدا»" in nothing.params["text"]


# -- the real model ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_service(real_embedder, tmp_path_factory):
    from retrieval.service import open_service
    from retrieval.settings import Settings

    base = tmp_path_factory.mktemp("said-what")
    return open_service(Settings(seeds=write_articles(base / "seeds", copy=False), index=base / "index"),
                        embedder=real_embedder)


@pytest.mark.model
@pytest.mark.parametrize(
    ("question", "first"),
    [
        (INTERNET, "إيمانويل ماكرون"),
        (QATAR, "عادل الجبير"),
        ("من قال إن اتفاق باريس للمناخ غير عادل؟", "دونالد ترامب"),
        ("من قال إن باب الصين لن يغلق أبدا؟", "شي جين بينغ"),
        ("Who said China's door will never close?", "شي جين بينغ"),
    ],
)
def test_the_real_model_finds_who_said_it(real_service, question, first):
    answer = real_service.answer(question, k=10)
    assert answer.speakers and answer.speakers[0].name == first, [(g.name, g.ranks) for g in answer.speakers]
    assert all(h.passage.speakers for h in answer.hits)
    assert not any("أمير الكويت" in h.passage.text or "وافتتح المنتدى" in h.passage.text for h in answer.hits)


@pytest.mark.model
def test_the_real_model_answers_in_english_across_languages(real_service):
    answer = real_service.answer("Who said the Paris agreement is unfair?", k=10)
    assert "دونالد ترامب" in [g.name for g in answer.speakers]
    assert render_text(answer).count("🗣️ ") == len(answer.speakers) and "1 June 2017" in render_text(answer)


@pytest.mark.model
@pytest.mark.parametrize(
    "question",
    ["من تحدث عن كرة القدم؟", "من قال إن الطقس سيكون ممطرا غدا في لندن؟",
     "Who said the weather will be rainy in London tomorrow?"],
)
def test_the_real_model_lists_nothing_for_an_unrelated_claim(real_service, question):
    answer = real_service.answer(question, k=10)
    assert not answer.found and answer.claim, [h.passage.text for h in answer.hits]
