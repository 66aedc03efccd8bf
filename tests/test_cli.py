"""The `newsqa` command, in-process with the fake embedder: output and exit codes."""

from __future__ import annotations

import errno
import io
import json
import os
import re

import pytest

from bot import cli
from bot.chat import chat
from bot.console import render_text
from retrieval.model.embedder import FakeEmbedder
from retrieval.types import Answer


@pytest.fixture
def run(monkeypatch, seed_dir, index_dir, capsys):
    embedder = FakeEmbedder()
    monkeypatch.setattr("retrieval.model.embedding.load_embedder", lambda model, cache_dir, **kw: embedder)
    monkeypatch.setenv("NEWSQA_SEEDS", str(seed_dir))
    monkeypatch.setenv("NEWSQA_INDEX", str(index_dir))
    monkeypatch.setenv("NEWSQA_MIN_SCORE", "-1")
    monkeypatch.setenv("NEWSQA_MARGIN", "-1")  # the fake model's scores mean little
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    run.embedder = embedder
    return run


def test_index_prints_one_summary_line(run):
    code, out, _ = run("index")
    assert code == 0
    assert out.startswith("added 1, changed 0, removed 0 articles; embedded 13 passages (0 cached)")
    code, out, _ = run("index")
    assert out.startswith("added 0, changed 0, removed 0 articles; embedded 0 passages")
    code, out, _ = run("index", "--full")
    assert "embedded 13 passages" in out


def test_ask_builds_the_index_first_and_answers(run):
    code, out, err = run("ask", "ماذا قال شي؟", "-k", "2")
    assert code == 0
    assert "added 1" in err  # it had to build the index
    assert out.count("📰 شينخوا · ووتشن، تشجيانغ · 3 ديسمبر 2017 · 000_762f75904539e59f.txt") == 1  # one line an article
    assert "(الجملة 1)" in out and "(الجملة 2)" in out and "score" not in out


def test_ask_json(run):
    code, out, _ = run("ask", "ماذا قال شي؟", "-k", "3", "--json")
    data = json.loads(out)
    hits = data["hits"]
    assert code == 0 and [h["rank"] for h in hits] == [1, 2, 3]
    assert data["question"]["person"] == "شي" and data["question"]["form"] == "who_said"
    assert data["person"]["name"] == "شي جين بينغ" and data["total"] == 8
    code, out, _ = run("ask", "ماذا قال شي؟", "-k", "3", "--json-list")  # the old form, for a release
    assert [h["rank"] for h in json.loads(out)] == [1, 2, 3]
    assert hits[0]["source"]["path"] == "000_762f75904539e59f.txt"
    assert isinstance(hits[0]["context_after"], list)


@pytest.mark.parametrize("question,message", [("", "empty"), ("   ", "empty"), ("س" * 100_000, "too long")])
def test_bad_questions_fail_before_loading_anything(run, question, message):
    code, out, err = run("ask", question)
    assert code == 2 and out == ""
    assert err.startswith("newsqa: error: the question is") and message in err


def test_nothing_found_exits_1(run, monkeypatch):
    monkeypatch.setenv("NEWSQA_MIN_SCORE", "0.9999")
    code, out, _ = run("ask", "سؤال لا علاقة له")
    assert code == 1 and "لم أجد" in out
    code, out, _ = run("ask", "an unrelated question", "--json")
    assert code == 1 and json.loads(out)["hits"] == [] and json.loads(out)["total"] == 0
    code, out, _ = run("ask", "an unrelated question")
    assert code == 1 and "I found nothing" in out


def test_empty_seeds_folder_is_a_clear_error(run, seed_dir):
    for path in seed_dir.iterdir():
        path.unlink()
    code, _, err = run("index")
    assert code == 2 and "no article could be read" in err


def test_bot_without_token_exits_at_once(run):
    code, _, err = run("bot")
    assert code == 2 and "TELEGRAM_BOT_TOKEN is not set" in err and "BotFather" in err


def test_bot_with_malformed_token(run, monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not-a-token")
    code, _, err = run("bot")
    assert code == 2 and "does not look like a bot token" in err


def test_model_mismatch_is_reported_and_rebuilt(run, monkeypatch, caplog):
    run("index")
    other = FakeEmbedder(name="another-model")
    monkeypatch.setattr("retrieval.model.embedding.load_embedder", lambda model, cache_dir, **kw: other)
    code, out, err = run("ask", "ماذا قال شي؟")
    assert code == 0 and "added 1" in err
    assert "built with model fake-embedder" in caplog.text and "rebuilding" in caplog.text


def test_chat_session_with_nothing_more_and_exit():
    asked = []

    def ask(query):
        asked.append((query.question.text, query.k, query.offset))
        return Answer(question=query.question.text)

    stdin = io.StringIO("ماذا قال شي؟\n\nالمزيد\nخروج\nnot asked\n")
    stdout = io.StringIO()
    chat(ask, k=3, stdin=stdin, stdout=stdout)
    assert asked == [("ماذا قال شي؟", 4, 0)]  # one more than shown: is there a next page?
    out = stdout.getvalue()
    assert "لم أجد" in out and "لا مزيد من النتائج" in out
    assert out.index("؟ ماذا قال شي؟") < out.index("لم أجد")  # piped input: the question echoed first


def test_chat_ends_on_end_of_input_and_cuts_long_questions():
    asked = []
    stdout = io.StringIO()
    chat(lambda q: asked.append(q.question.text) or Answer(question=q.question.text),
         stdin=io.StringIO("x" * 5000), stdout=stdout)
    assert len(asked) == 1 and len(asked[0]) == 1000
    assert "1,000 characters" in stdout.getvalue()


def test_render_text_nothing_found_in_the_question_language():
    assert "لم أجد" in render_text(Answer(question="سؤال"))
    assert "I found nothing" in render_text(Answer(question="a question"))
    assert "Arabic or in English" in render_text(Answer(question="习近平说了什么"), "en")


def test_control_characters_in_articles_never_reach_the_terminal(run, seed_dir):
    (seed_dir / "evil.txt").write_text(
        "عنوان\x1b]0;pwned\x07 خبيث\nقال \u202eالوزير\u202c إن \x1b[2Jالاقتصاد ينمو بسرعة كبيرة.\n",
        encoding="utf-8",
    )
    code, out, _ = run("ask", "الاقتصاد ينمو", "-k", "20")
    assert code == 0 and "الاقتصاد ينمو" in out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out


def test_emoji_only_question_is_not_searched(run):
    code, out, err = run("ask", "😀🎉")
    assert code == 2 and out == "" and "no words" in err
    code, out, err = run("ask", "\u200b\u200f\u202e")
    assert code == 2 and "empty" in err


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS])
def test_a_full_or_read_only_disk_is_one_line_and_leaves_the_old_index(run, seed_dir, index_dir, monkeypatch, error):
    run("index")
    (seed_dir / "new.txt").write_text("خبر جديد عن الطاقة الشمسية في المغرب.\n" * 3, encoding="utf-8")
    real_fsync = os.fsync

    def failing_fsync(fd):
        if os.path.isfile(f"/proc/self/fd/{fd}"):  # a file being written, not a folder
            raise OSError(error, os.strerror(error))
        real_fsync(fd)

    monkeypatch.setattr("retrieval.index.files.os.fsync", failing_fsync)
    code, out, err = run("index")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("newsqa: error: cannot write the index in")
    assert os.strerror(error) in err and "Traceback" not in err
    assert not [p for p in index_dir.rglob("*") if p.name.endswith(".tmp")]  # no temporaries left
    monkeypatch.setattr("retrieval.index.files.os.fsync", real_fsync)
    code, out, _ = run("ask", "ماذا قال شي؟", "-k", "1")  # the old index still answers...
    assert code == 0 and "شينخوا" in out
    code, out, _ = run("index")  # ...and the next good run completes the work
    assert code == 0 and out.startswith("added 1,")


def test_speakers_lists_who_is_quoted(run):
    code, out, _ = run("speakers")
    assert code == 0 and "شي جين بينغ — 8 تصريحات" in out and "وانغ هو نينغ — تصريحان" in out
    code, out, _ = run("speakers", "--json")
    people = json.loads(out)
    assert people[0] == {
        "name": "شي جين بينغ", "names": ["شي جين بينغ"], "statements": 8, "articles": 1, "kind": "person",
    }


def test_speakers_in_one_language(run):
    code, out, _ = run("speakers", "--lang", "en", "-n", "1")
    assert code == 0
    assert out.splitlines() == [
        "🗣️ Most quoted (1 of 2)", "1. شي جين بينغ — 8 statements · 1 article", "Ask, e.g.: What did شي جين بينغ say?",
    ]
    code, out, _ = run("speakers", "--kind", "organisations", "--lang", "en")
    assert code == 0 and out.strip() == "🗣️ Nobody is quoted in the indexed news yet."


def test_ask_who_said_what_lists_every_statement_with_its_speaker(run):
    code, out, _ = run("ask", "ماذا قال شي؟", "--json")
    hits = json.loads(out)["hits"]
    assert code == 0 and len(hits) == 8 and {h["speaker"] for h in hits} == {"شي جين بينغ"}
    code, out, _ = run("ask", "ماذا قال شي؟", "-k", "2", "--json")
    assert len(json.loads(out)["hits"]) == 2
    code, out, _ = run("ask", "ماذا قال شي؟")
    assert out.count("📰 شينخوا") == 1 and "ما قاله «شي جين بينغ»: 8 تصريحات" in out
    assert "8. " in out and "— شي جين بينغ" not in out  # the heading names him: not every line


def test_a_capped_list_of_statements_says_how_many_are_left(run):
    code, out, _ = run("ask", "ماذا قال شي؟", "-k", "3")
    assert code == 0 and "3. " in out and "4. " not in out
    assert "لم يُعرض بعد: 5 تصريحات (اسأل دون -k لتراها كلها)" in out
    code, out, _ = run("ask", "What did Xi say?", "-k", "7")
    assert "Not shown yet: 1 statement (ask without -k to see them all)" in out
    code, out, _ = run("ask", "ماذا قال شي؟")
    assert "لم يُعرض" not in out


def test_a_new_question_form_reaches_every_front_end_untouched(run, monkeypatch):
    """«كم مرة قال X؟» added as one form (tests/test_understanding.py) and one line in FORMS:
    the command and the chat answer it as who said what, with the count, unchanged."""
    from retrieval.query import understanding
    from tests.test_understanding import HowMany

    monkeypatch.setattr(understanding, "FORMS", (HowMany(), *understanding.FORMS))
    code, out, _ = run("ask", "كم مرة قال شي؟", "-k", "2")
    assert code == 0 and "ما قاله «شي جين بينغ»: 8 تصريحات" in out and "لم يُعرض بعد: 6 تصريحات" in out
    code, out, _ = run("ask", "كم مرة قال شي؟", "--json")
    assert code == 0 and len(json.loads(out)["hits"]) == 8
    assert {hit["speaker"] for hit in json.loads(out)["hits"]} == {"شي جين بينغ"}


def test_chat_follow_ups_through_stdin(run, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(
        "ماذا قال وانغ؟\nوماذا عن شي؟\nماذا قال أيضا؟\nمتى قال ذلك؟\nwhat else did he say?\n"
        "reset\nماذا قال أيضا؟\n"
    ))
    code, out, _ = run("chat", "-k", "5")
    assert code == 0
    turns = out.split("\u200f؟ ")[1:]  # each turn starts with the question echoed
    assert [t.split("\n")[0] for t in turns] == [
        "ماذا قال وانغ؟", "وماذا عن شي؟", "ماذا قال أيضا؟", "متى قال ذلك؟", "what else did he say?", "reset",
        "ماذا قال أيضا؟",
    ]
    wang, xi, more, when, nothing, reset, plain = turns
    assert "«وانغ هو نينغ»: تصريحان" in wang
    assert "عن: ماذا قال شي؟" in xi and "وانغ" not in xi and "5. " in xi and "6. " not in xi
    assert "عن: ماذا قال شي جين بينغ أيضا؟" in more and "3 تصريحات" in more
    shown = lambda turn: set(re.findall(r"\(الجملة (\d+)\)", turn))  # noqa: E731
    assert shown(more) and not shown(more) & shown(xi)
    assert "قيل ذلك في" in when and "3 ديسمبر 2017" in when and "شينخوا" in when
    assert "No other statements by شي جين بينغ" in nothing
    assert "Conversation cleared" in reset
    assert "عن:" not in plain  # after reset: a question of its own


def test_the_command_lines_k_limit_is_the_engines():
    from bot.cli import MAX_K
    from retrieval.query import MAX_K as ENGINE_MAX_K

    assert MAX_K == ENGINE_MAX_K


def test_every_subcommands_help_starts_with_a_one_line_description():
    from bot.cli import COMMANDS, build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name in COMMANDS:
        description = sub.choices[name].description
        assert description and "\n" not in description and description.endswith("."), name
        assert description.lower().startswith(next(c.help for c in sub._choices_actions if c.dest == name)[:20].lower())


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["ask", "x", "-k", "0"], "argument -k: must be a whole number from 1 to 50, not '0'"),
        (["ask", "x", "-k", "51"], "argument -k: must be a whole number from 1 to 50, not '51'"),
        (["ask", "x", "--offset", "-1"], "argument --offset: must be a whole number, at least 0, not '-1'"),
        (["chat", "-k", "100000"], "argument -k: must be a whole number from 1 to 50, not '100000'"),
        (["speakers", "-n", "-1"], "argument -n: must be a whole number, at least 0, not '-1'"),
        (["watch", "--debounce", "nan"], "argument --debounce: must be a number of seconds from 0.1 to 3600, not 'nan'"),
    ],
)
def test_a_wrong_number_is_one_line_with_its_range(argv, says, capsys):
    from bot.cli import main

    with pytest.raises(SystemExit) as stopped:
        main(argv)
    err = capsys.readouterr().err
    assert stopped.value.code == 2
    assert err.count("\n") == 1 and says in err and err.startswith(f"newsqa {argv[0]}: error: ")
