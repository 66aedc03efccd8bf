"""Tests for retrieval.ingest.articles: reading plain text, TREC, JSON and JSON Lines seeds."""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from pathlib import Path

import pytest

from retrieval.errors import SeedsError
from retrieval.ingest.articles import ReadResult, read_articles
from retrieval.ingest.readers import parse_json_records, parse_text_article, parse_trec
from retrieval.ingest.seedfiles import seed_files
from retrieval.types import Skipped

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_762f75904539e59f.txt"

TREC_TWO_DOCS = """\
<DOC>
<DOCNO>JA-economy-1-20170125</DOCNO>
<URL>http://www.example.tn/ar/article/1?utm_source=a&utm_medium=b&param=c</URL>
<SRC>Jawhara FM</SRC>
<CAT>economy</CAT>
<TITLE>ارتفاع صادرات تونس من التمور &amp; الزيتون</TITLE>
<TIME>25/01/2017</TIME>
<AUTHOR></AUTHOR>
<ABSTRACT>
قال المدير الجهوي إنه تم تصدير 36 ألف طن من التمور.
</ABSTRACT>
<TEXT>
قال المدير الجهوي إنه تم تصدير 36 ألف طن من التمور & الزيتون.
وأضاف أن الكميات شهدت ارتفاعا.
</TEXT>
</DOC>
<DOC>
<DOCNO>JA-sport-2-20170318</DOCNO>
<URL>http://www.example.tn/ar/article/2</URL>
<SRC>Jawhara FM</SRC>
<CAT>sport</CAT>
<TITLE>فوز الترجي في الدربي</TITLE>
<TIME>2017-03-18T23:30:00+01:00</TIME>
<AUTHOR></AUTHOR>
<ABSTRACT></ABSTRACT>
<TEXT>
فاز الترجي على الإفريقي بهدفين مقابل هدف.
< الترتيب: 1 ـ الترجي
</DOC>
"""

SAUDI_RECORDS = [
    {
        "source": "aawsat",
        "url": "http://aawsat.com/node/1",
        "date_extracted": "2015-07-21 02:51:32",
        "title": "افتتاح معرض الكتاب",
        "author": "الرياض: فلان",
        "content": "افتتح أمس معرض الكتاب في الرياض. وحضر الافتتاح عدد كبير من الزوار.",
    },
    {
        "source": "alriyadh",
        "url": "http://alriyadh.com/2",
        "date": "2015-07-22",
        "title": "",
        "text": "ارتفعت أسعار النفط في التعاملات المبكرة اليوم. وقال محللون إن الطلب قوي.",
    },
]


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def by_id(result: ReadResult) -> dict:
    return {article.article_id: article for article in result.articles}


# Plain text


def test_seed_article_reads_its_dateline_and_derives_a_title(tmp_path):
    shutil.copy(SEED, tmp_path / SEED.name)

    result = read_articles(tmp_path)

    assert result.skipped == ()
    [article] = result.articles
    assert article.article_id == SEED.name
    source = article.source
    assert source.path == SEED.name
    assert source.agency == "شينخوا"
    assert source.place == "ووتشن"
    assert source.region == "تشجيانغ"
    assert source.date == dt.date(2017, 12, 3)
    assert source.url is None
    assert source.title == "قال الرئيس الصيني شي جين بينغ إن الصين تتمنى ان تشجع جميع دول العالم على…"
    assert article.text == SEED.read_text(encoding="utf-8").strip()
    assert article.text[article.body_start :].startswith("قال الرئيس الصيني")


def test_text_with_a_title_line_uses_it_and_starts_the_body_after_it():
    text = "\ufeffالحكومة تعلن خطة جديدة للنقل\r\nأعلنت الحكومة اليوم خطة جديدة للنقل العام.\r\nوتشمل الخطة خطوطا جديدة.\r\n"

    article = parse_text_article("news/plan.txt", text)

    assert article is not None
    assert article.article_id == "news/plan.txt"
    assert article.source.title == "الحكومة تعلن خطة جديدة للنقل"
    assert article.text == "الحكومة تعلن خطة جديدة للنقل\nأعلنت الحكومة اليوم خطة جديدة للنقل العام.\nوتشمل الخطة خطوطا جديدة."
    assert article.text[article.body_start :].startswith("أعلنت الحكومة")
    assert article.source.agency is None
    assert article.source.date is None


def test_text_whose_first_line_is_a_sentence_gets_a_derived_title():
    text = "أعلنت الحكومة اليوم خطة جديدة للنقل العام.\nوتشمل الخطة خطوطا جديدة."

    article = parse_text_article("plan.txt", text)

    assert article.source.title == "أعلنت الحكومة اليوم خطة جديدة للنقل العام"
    assert article.body_start == 0


def test_text_with_a_title_line_then_a_dateline():
    text = "الصين تدعو إلى التعاون الرقمي\nووتشن، تشجيانغ 3 ديسمبر 2017 (شينخوا) قال الرئيس إن الصين منفتحة.\nتفاصيل."

    article = parse_text_article("xinhua.txt", text)

    assert article.source.title == "الصين تدعو إلى التعاون الرقمي"
    assert (article.source.place, article.source.region, article.source.agency) == ("ووتشن", "تشجيانغ", "شينخوا")
    assert article.source.date == dt.date(2017, 12, 3)
    assert article.text[article.body_start :].startswith("قال الرئيس")


def test_text_without_body_gives_none():
    assert parse_text_article("blank.txt", " \n\r\n ") is None


# TREC


def test_trec_file_with_two_docs_is_read_leniently():
    articles = parse_trec("ant/two.txt", TREC_TWO_DOCS)

    assert [a.article_id for a in articles] == ["ant/two.txt#0", "ant/two.txt#1"]
    first, second = articles
    assert first.source.path == second.source.path == "ant/two.txt"
    assert first.source.title == "ارتفاع صادرات تونس من التمور & الزيتون"
    assert first.source.agency == "Jawhara FM"
    assert first.source.url == "http://www.example.tn/ar/article/1?utm_source=a&utm_medium=b&param=c"
    assert first.source.date == dt.date(2017, 1, 25)
    # A headline of four words or more is the first line of the text, a passage of its own.
    assert first.text[: first.title_end] == first.source.title
    assert first.text[first.body_start :] == (
        "قال المدير الجهوي إنه تم تصدير 36 ألف طن من التمور & الزيتون.\nوأضاف أن الكميات شهدت ارتفاعا."
    )
    # The missing </TEXT> runs to </DOC>; the stray "<" stays in the text.
    assert second.text == "فوز الترجي في الدربي\nفاز الترجي على الإفريقي بهدفين مقابل هدف.\n< الترتيب: 1 ـ الترجي"
    assert second.source.date == dt.date(2017, 3, 18)
    assert second.source.title == "فوز الترجي في الدربي"


def test_trec_single_doc_uses_abstract_and_compact_iso_time():
    text = (
        "<DOC><DOCNO>JA-1</DOCNO><SRC>Jawhara FM</SRC><TIME>2017-03-18T090200</TIME>"
        "<ABSTRACT>خبر قصير عن &quot;الطقس&quot; اليوم.</ABSTRACT><TEXT>  </TEXT></DOC>"
    )

    [article] = parse_trec("one.xml", text)

    assert article.article_id == "one.xml"
    assert article.text == 'خبر قصير عن "الطقس" اليوم.'
    assert article.source.date == dt.date(2017, 3, 18)
    assert article.source.title == 'خبر قصير عن "الطقس" اليوم'
    assert article.source.url is None


def test_trec_dateline_fills_in_where_the_tags_are_empty():
    text = "<DOC><SRC></SRC><TITLE>بلاغ</TITLE><TIME></TIME><TEXT>تونس (وات) - أعلنت الوزارة اليوم.</TEXT></DOC>"

    [article] = parse_trec("wat.txt", text)

    assert (article.source.place, article.source.agency, article.source.date) == ("تونس", "وات", None)
    assert article.text[article.body_start :] == "أعلنت الوزارة اليوم."


def test_trec_doc_without_text_or_abstract_is_skipped(tmp_path):
    write(tmp_path / "empty_doc.txt", "<DOC><DOCNO>JA-9</DOCNO><TITLE>عنوان</TITLE><TEXT></TEXT></DOC>")

    result = read_articles(tmp_path)

    assert result.articles == ()
    assert result.skipped == (Skipped("empty_doc.txt", "document 0 (JA-9) has no TEXT or ABSTRACT"),)


# JSON and JSON Lines


def test_json_array_file(tmp_path):
    write(tmp_path / "saudi.json", json.dumps(SAUDI_RECORDS, ensure_ascii=False))

    result = read_articles(tmp_path)

    assert result.skipped == ()
    first, second = result.articles
    assert first.article_id == "saudi.json#0"
    assert first.source.path == "saudi.json"
    assert first.source.agency == "aawsat"
    assert first.source.url == "http://aawsat.com/node/1"
    assert first.source.date == dt.date(2015, 7, 21)
    assert first.source.title == "افتتاح معرض الكتاب"
    assert first.text == SAUDI_RECORDS[0]["content"]
    assert second.article_id == "saudi.json#1"
    assert second.source.agency == "alriyadh"
    assert second.source.date == dt.date(2015, 7, 22)
    assert second.source.title == "ارتفعت أسعار النفط في التعاملات المبكرة اليوم"


def test_single_object_json_file(tmp_path):
    record = {"title": "خبر", "published": "2016-02-29T10:00:00Z", "content": "نص الخبر هنا."}
    write(tmp_path / "one.json", json.dumps(record, ensure_ascii=False))

    [article] = read_articles(tmp_path).articles

    assert article.article_id == "one.json"
    assert article.source.date == dt.date(2016, 2, 29)
    assert article.source.title == "خبر"
    assert article.text == "نص الخبر هنا."


def test_json_record_without_text_is_skipped_by_index():
    records = [{"title": "بلا نص", "content": "  "}, {"title": "خبر", "content": "نص."}, "not a record"]

    articles, skipped = parse_json_records("mixed.json", records)

    assert [a.article_id for a in articles] == ["mixed.json#1"]
    assert [s.path for s in skipped] == ["mixed.json", "mixed.json"]
    assert skipped[0].reason.startswith("record 0 has no text")
    assert skipped[1].reason == "record 2 is not a JSON object"


def test_json_content_dateline_is_parsed():
    record = {"source": "spa", "content": "الرياض 21 يوليو 2015 (واس) - أعلن المتحدث عن خطة جديدة."}

    [article], skipped = parse_json_records("spa.json", [record])

    assert skipped == []
    assert article.article_id == "spa.json#0"
    assert (article.source.agency, article.source.place, article.source.date) == ("spa", "الرياض", dt.date(2015, 7, 21))
    assert article.source.title == "أعلن المتحدث عن خطة جديدة"
    assert article.text[article.body_start :].startswith("أعلن المتحدث")


def test_jsonl_file_skips_only_the_bad_line(tmp_path):
    lines = [
        json.dumps({"title": "أول", "content": "الخبر الأول."}, ensure_ascii=False),
        '{"title": "مكسور", "content": ',
        "",
        json.dumps({"title": "ثالث", "content": "الخبر الثالث."}, ensure_ascii=False),
    ]
    write(tmp_path / "feed.jsonl", "\r\n".join(lines) + "\r\n")

    result = read_articles(tmp_path)

    assert [(a.article_id, a.source.title) for a in result.articles] == [("feed.jsonl#0", "أول"), ("feed.jsonl#2", "ثالث")]
    [skipped] = result.skipped
    assert skipped.path == "feed.jsonl"
    assert skipped.reason.startswith("invalid JSON at line 2")


# Skipped files


def test_unreadable_files_are_skipped_with_reasons_and_warnings(tmp_path, caplog):
    write(tmp_path / "a_good.txt", "خبر جيد عن الاقتصاد.\nوتفاصيل أخرى.")
    write(tmp_path / "b_empty.txt", b"")
    write(tmp_path / "c_blank.txt", " \n\t\r\n")
    write(tmp_path / "d_latin1.txt", "café crème".encode("latin-1"))
    write(tmp_path / "e_image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "f_broken.json", '\n[{"title": "x",\n "content": "y"},\n {oops}]')
    write(tmp_path / "g_utf16.txt", "خبر".encode("utf-16"))

    with caplog.at_level(logging.WARNING, logger="retrieval.ingest.articles"):
        result = read_articles(tmp_path)

    assert [a.article_id for a in result.articles] == ["a_good.txt"]
    reasons = {s.path: s.reason for s in result.skipped}
    assert reasons == {
        "b_empty.txt": "empty file",
        "c_blank.txt": "whitespace-only file",
        "d_latin1.txt": "not UTF-8 text (byte 0xe9 at offset 3)",
        "e_image.txt": "binary file (contains NUL bytes)",
        "f_broken.json": "invalid JSON at line 4, column 3: Expecting property name enclosed in double quotes",
        "g_utf16.txt": "UTF-16 text: save the file as UTF-8",
    }
    warned = " ".join(record.getMessage() for record in caplog.records if record.levelno == logging.WARNING)
    for path in reasons:
        assert path in warned


def test_missing_seeds_dir_raises(tmp_path):
    with pytest.raises(SeedsError, match="does not exist"):
        read_articles(tmp_path / "nowhere")


def test_seeds_path_that_is_a_file_raises(tmp_path):
    path = write(tmp_path / "seeds.txt", "خبر.")
    with pytest.raises(SeedsError, match="not a folder"):
        read_articles(path)


# Walking the folder


def test_walk_recurses_ignores_hidden_and_temp_files_and_is_sorted(tmp_path):
    for rel in ["b.txt", "a/z.txt", "a/b/c.txt", "a.txt", "c/d.txt"]:
        write(tmp_path / rel, f"خبر في {rel}.\nتفاصيل.")
    for rel in [".hidden.txt", ".git/config", "a/.cache/x.txt", "draft.txt~", "a/z.txt.swp", "x.tmp", "dl.part"]:
        write(tmp_path / rel, "يجب تجاهل هذا الملف.")

    first = read_articles(tmp_path)
    second = read_articles(tmp_path)

    ids = [a.article_id for a in first.articles]
    assert ids == ["a/b/c.txt", "a/z.txt", "a.txt", "b.txt", "c/d.txt"]
    assert first.skipped == ()
    assert first == second


# -- symbolic links -------------------------------------------------------------------------


def _write(path, text="قال الوزير إن الاقتصاد ينمو.\n"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_links_out_of_the_seeds_folder_are_skipped_with_a_warning(tmp_path, caplog):
    seeds = tmp_path / "seeds"
    _write(seeds / "a.txt")
    secret = _write(tmp_path / "secret" / "passwd", "root:x:0:0:root:/root:/bin/bash\n")
    (seeds / "p.txt").symlink_to(secret)
    (seeds / "outside").symlink_to(secret.parent, target_is_directory=True)
    paths, skipped = seed_files(seeds)
    assert [p.name for p in paths] == ["a.txt"]
    assert {s.path for s in skipped} == {"p.txt", "outside/"}
    assert all("outside the seeds folder" in s.reason for s in skipped)
    assert "p.txt" in caplog.text and "NEWSQA_FOLLOW_LINKS" in caplog.text
    # Allowed explicitly, they are read.
    paths, skipped = seed_files(seeds, follow_links=True)
    assert sorted(p.relative_to(seeds).as_posix() for p in paths) == ["a.txt", "outside/passwd", "p.txt"]
    assert skipped == []


def test_links_inside_the_folder_are_read_and_loops_and_broken_links_reported(tmp_path):
    seeds = tmp_path / "seeds"
    _write(seeds / "sub" / "b.txt")
    (seeds / "alias.txt").symlink_to(seeds / "sub" / "b.txt")
    (seeds / "sub" / "up").symlink_to(seeds, target_is_directory=True)  # a loop
    (seeds / "self.txt").symlink_to(seeds / "self.txt")  # a loop too
    (seeds / "gone.txt").symlink_to(seeds / "nowhere.txt")
    paths, skipped = seed_files(seeds, follow_links=True)
    assert sorted(p.relative_to(seeds).as_posix() for p in paths) == ["alias.txt", "sub/b.txt"]
    reasons = {s.path: s.reason for s in skipped}
    assert "loop" in reasons["sub/up/"] and "loop" in reasons["self.txt"]
    assert "broken" in reasons["gone.txt"]


def test_a_headline_is_the_first_passage_in_every_format():
    from retrieval.ingest.passages import article_passages

    headline = "الوزير: سنرد على أي اعتداء"
    body = "الرياض (واس) - قال وزير الدفاع إن المملكة سترد على أي اعتداء يطال أراضيها."
    json_article = parse_json_records("news.json", [{"title": headline, "content": body}])[0][0]
    text_article = parse_text_article("news.txt", f"{headline}\n{body}")
    for article in (json_article, text_article):
        passages = article_passages(article)
        assert passages[0].text == headline
        assert article.text[passages[0].start : passages[0].end] == headline
        assert passages[1].text.startswith("قال وزير الدفاع")
        assert len(passages) == 2
        assert article.source.title == headline
        assert article.source.place == "الرياض"


def test_a_body_that_opens_with_its_title_does_not_repeat_it():
    title = "ارتفاع صادرات تونس من التمور"
    article = parse_json_records("x.json", [{"title": title, "content": f"{title}\nقال المدير إن الصادرات ارتفعت كثيرا هذا العام."}])[0][0]
    assert article.text.count(title) == 1


def test_a_short_title_is_a_label_not_a_passage():
    article = parse_json_records("qa.json", [{"title": "التمور (3)", "content": "قال المدير إن الصادرات ارتفعت كثيرا هذا العام."}])[0][0]
    assert article.title_end == 0
    assert article.text.startswith("قال المدير")


@pytest.mark.parametrize(
    ("codec", "named", "iconv"),
    [("cp1256", "Windows-1256 (Arabic Windows)", "WINDOWS-1256"), ("iso8859_6", "ISO-8859-6 (Arabic ISO)", "ISO-8859-6")],
)
def test_a_legacy_arabic_file_says_which_encoding_and_how_to_convert_it(tmp_path, codec, named, iconv):
    text = "قال الرئيس إن الاقتصاد سينمو هذا العام.\nوأضاف أن الحكومة ستواصل الإصلاح."
    write(tmp_path / "old.txt", text.encode(codec))
    result = read_articles(tmp_path)
    (skipped,) = result.skipped
    assert skipped.reason.startswith(f"not UTF-8 text: it looks like {named} text; convert it to UTF-8")
    assert f"iconv -f {iconv} -t UTF-8 FILE" in skipped.reason
    converted = tmp_path / "new.txt"
    converted.write_text((tmp_path / "old.txt").read_bytes().decode(iconv.lower().replace("windows-", "cp")), encoding="utf-8")
    (tmp_path / "old.txt").unlink()
    assert [a.article_id for a in read_articles(tmp_path).articles] == ["new.txt"]
