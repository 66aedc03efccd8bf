"""Tests for bot/i18n.py: the catalog is complete in both languages, and counts, dates,
links and the reply language come out as a reader expects."""

from __future__ import annotations

import datetime as dt
import string

import pytest

from bot import i18n
from bot.i18n import (
    CATALOG,
    LANGUAGES,
    NOUNS,
    RLM,
    display_url,
    format_date,
    plural,
    reply_language,
    text,
)

COUNTS = (0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 103, 111, 1000, 1234)


def _placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def catalog_problems(catalog: dict[str, dict[str, str]]) -> list[str]:
    """What is wrong with a catalog: a language missing or empty, placeholders that differ."""
    problems = []
    for key, entry in catalog.items():
        for language in LANGUAGES:
            if not (entry.get(language) or "").strip():
                problems.append(f"{key}: no {language}")
        if set(entry) - set(LANGUAGES):
            problems.append(f"{key}: unknown languages {sorted(set(entry) - set(LANGUAGES))}")
        fields = {language: _placeholders(entry[language]) for language in LANGUAGES if entry.get(language)}
        if len({frozenset(f) for f in fields.values()}) > 1:
            problems.append(f"{key}: placeholders differ {fields}")
    return problems


# -- the catalog ------------------------------------------------------------------------


def test_every_key_has_arabic_and_english_with_the_same_placeholders():
    assert catalog_problems(CATALOG) == []


def test_the_check_catches_a_missing_language_and_different_placeholders():
    bad = {
        "only_ar": {"ar": "نص"},
        "empty_en": {"ar": "نص", "en": " "},
        "fields": {"ar": "{a}", "en": "{b}"},
        "fine": {"ar": "{a} نص", "en": "{a} text"},
    }
    assert catalog_problems(bad) == [
        "only_ar: no en",
        "empty_en: no en",
        "fields: placeholders differ {'ar': {'a'}, 'en': {'b'}}",
    ]


def test_the_keys_the_front_ends_need_are_there():
    needed = {
        "nothing_found", "no_more", "question_cut", "help", "refused", "admins_only", "error",
        "text_only", "not_yours", "stale", "already_shown", "ask_how", "inline_refused",
        "inline_empty", "inline_slow", "inline_nothing", "reindex_started", "reindex_done",
        "reindex_failed", "rate_limited", "stats", "sources_empty", "sources_head",
        "speakers_empty", "speakers_head", "speakers_line", "speakers_hint", "context_head",
        "button_more", "button_prev", "button_next", "console_greeting", "console_ask_first",
        "console_no_more", "console_cut", "error_prefix", "statements_heading", "nobody_quoted",
        "no_statement_dated", "more_statements", "about", "nobody_quoted_closest",
        "nobody_quoted_none", "no_other_statements", "details_when", "details_where",
        "details_source", "details_nothing", "reset_done", "reset_hint",
        "unsupported_language", "sentence_of", "said_by",
    }
    commands = {"start", "help", "ask", "sources", "speakers", "stats", "reindex", "reset"}
    assert needed | {f"command_{c}" for c in commands} <= set(CATALOG)


def test_entries_are_safe_in_telegram_html_and_carry_no_technical_labels():
    for key, entry in CATALOG.items():
        for language, template in entry.items():
            assert not set(template) & set("<>&"), (key, language)
            assert "score" not in template.lower(), key


def test_english_has_no_rlm_and_arabic_lines_start_with_one_where_any_does():
    for key, entry in CATALOG.items():
        assert RLM not in entry["en"], key
        if RLM in entry["ar"]:
            lines = [line for line in entry["ar"].split("\n") if line]
            assert all(line.startswith(RLM) and RLM not in line[1:] for line in lines), key


def test_short_texts_fit_telegram_limits():
    for key in ("not_yours", "stale", "already_shown", "no_more", "refused", "error"):
        assert all(len(t) <= 200 for t in CATALOG[key].values()), key  # callback answers
    for key in ("inline_refused", "inline_empty", "inline_slow", "inline_nothing"):
        assert all(len(t) <= 64 for t in CATALOG[key].values()), key  # inline button
    for key in (k for k in CATALOG if k.startswith("command_")):
        assert all(3 <= len(t) <= 256 for t in CATALOG[key].values()), key


def test_help_and_greeting_explain_follow_ups_and_reset():
    ar, en = CATALOG["help"]["ar"], CATALOG["help"]["en"].lower()
    for phrase in ("وماذا عن …؟", "ماذا قال أيضا؟", "متى قال ذلك؟", "/reset"):
        assert phrase in ar
    for phrase in ("what about …?", "what else did he say?", "when was that?", "/reset"):
        assert phrase in en
    assert "reset" in CATALOG["console_greeting"]["ar"] and "«المزيد»" in CATALOG["console_greeting"]["ar"]
    greeting = CATALOG["console_greeting"]["en"].lower()
    assert all(word in greeting for word in ("what about", "more", "reset", "exit"))


# -- text ----------------------------------------------------------------------------------


def test_text_formats_in_the_language_asked():
    assert text("about", "en", question="Xi and trade") == "About: Xi and trade"
    assert text("about", "ar", question="شي والتجارة") == f"{RLM}عن: شي والتجارة"
    assert text("sentence_of", "en", n=3) == "sentence 3"
    assert text("no_more", "en") == "No more results"


def test_text_falls_back_to_arabic_for_an_unknown_language():
    assert text("no_more", "fr") == CATALOG["no_more"]["ar"]
    assert text("sentence_of", "", n=2) == "الجملة 2"


def test_text_raises_key_error_for_an_unknown_key():
    with pytest.raises(KeyError):
        text("no_such_key", "ar")


def test_a_statements_heading_reads_well_in_both_languages():
    values = {"name": "Xi", "time": text("in_time", "en", when="2017"), "count": plural(12, "statement", "en")}
    heading = text("statements_heading", "en", topic=text("about_topic", "en", topic="trade"), **values)
    assert heading == "🗣️ What Xi said about “trade” (2017): 12 statements"
    heading = text("statements_heading", "ar", name="شي", topic="", time="", count=plural(2, "statement", "ar"))
    assert heading == f"{RLM}🗣️ ما قاله «شي»: تصريحان"


# -- reply_language ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("detected", "code", "expected"),
    [
        ("en", "ar", "en"),
        ("ar", "en-GB", "ar"),
        (None, "en-GB", "en"),
        (None, "en", "en"),
        (None, "EN_us", "en"),
        (None, "fr", "ar"),
        (None, None, "ar"),
        (None, "", "ar"),
        (None, "ar-SA", "ar"),
        ("fr", "en", "en"),
    ],
)
def test_reply_language(detected, code, expected):
    assert reply_language(detected, code) == expected


def test_reply_language_defaults_to_arabic():
    assert reply_language(None) == "ar" == i18n.DEFAULT_LANGUAGE


# -- plural ------------------------------------------------------------------------------

ARABIC = {
    "statement": (
        "لا تصريحات", "تصريح واحد", "تصريحان", "3 تصريحات", "10 تصريحات", "11 تصريحا",
        "99 تصريحا", "100 تصريح", "101 تصريح", "102 تصريح", "103 تصريحات", "111 تصريحا",
        "1,000 تصريح", "1,234 تصريحا",
    ),
    "result": (
        "لا نتائج", "نتيجة واحدة", "نتيجتان", "3 نتائج", "10 نتائج", "11 نتيجة",
        "99 نتيجة", "100 نتيجة", "101 نتيجة", "102 نتيجة", "103 نتائج", "111 نتيجة",
        "1,000 نتيجة", "1,234 نتيجة",
    ),
    "article": (
        "لا مقالات", "مقال واحد", "مقالان", "3 مقالات", "10 مقالات", "11 مقالا",
        "99 مقالا", "100 مقال", "101 مقال", "102 مقال", "103 مقالات", "111 مقالا",
        "1,000 مقال", "1,234 مقالا",
    ),
}

#: noun -> (singular, dual, plural, accusative singular, feminine, English plural)
FORMS = {
    "passage": ("مقطع", "مقطعان", "مقاطع", "مقطعا", False, "passages"),
    "question": ("سؤال", "سؤالان", "أسئلة", "سؤالا", False, "questions"),
    "second": ("ثانية", "ثانيتان", "ثوان", "ثانية", True, "seconds"),
    "minute": ("دقيقة", "دقيقتان", "دقائق", "دقيقة", True, "minutes"),
    "person": ("شخص", "شخصان", "أشخاص", "شخصا", False, "people"),
    "source": ("مصدر", "مصدران", "مصادر", "مصدرا", False, "sources"),
    "sentence": ("جملة", "جملتان", "جمل", "جملة", True, "sentences"),
    "character": ("حرف", "حرفان", "أحرف", "حرفا", False, "characters"),
}


def _expected_arabic(noun: str) -> tuple[str, ...]:
    one, two, many, accusative, feminine, _ = FORMS[noun]
    return (
        f"لا {many}", f"{one} {'واحدة' if feminine else 'واحد'}", two, f"3 {many}", f"10 {many}",
        f"11 {accusative}", f"99 {accusative}", f"100 {one}", f"101 {one}", f"102 {one}",
        f"103 {many}", f"111 {accusative}", f"1,000 {one}", f"1,234 {accusative}",
    )


@pytest.mark.parametrize("noun", sorted(NOUNS))
def test_plural_in_arabic_follows_the_number(noun):
    expected = ARABIC[noun] if noun in ARABIC else _expected_arabic(noun)
    assert tuple(plural(n, noun, "ar") for n in COUNTS) == expected


def test_every_noun_is_tested():
    assert set(NOUNS) == set(ARABIC) | set(FORMS)


@pytest.mark.parametrize("noun", sorted(NOUNS))
def test_plural_in_english(noun):
    many = FORMS[noun][5] if noun in FORMS else f"{noun}s"
    assert plural(0, noun, "en") == f"0 {many}"
    assert plural(1, noun, "en") == f"1 {noun}"
    assert plural(2, noun, "en") == f"2 {many}"
    assert plural(1234, noun, "en") == f"1,234 {many}"


def test_plural_of_an_unknown_noun_raises_and_an_unknown_language_is_arabic():
    with pytest.raises(KeyError):
        plural(3, "apple", "en")
    assert plural(3, "statement", "de") == "3 تصريحات"


def test_counts_go_into_texts():
    limited = text("rate_limited", "en", questions=plural(5, "question", "en"), wait=plural(1, "second", "en"))
    assert limited == "⏳ Easy there! The limit is 5 questions a minute.\nTime left before your next question: 1 second."
    line = text(
        "speakers_line", "ar", rank=1, name="شي",
        statements=plural(12, "statement", "ar"), articles=plural(2, "article", "ar"),
    )
    assert line == f"{RLM}1. شي — 12 تصريحا · مقالان"


# -- dates, lists and links ----------------------------------------------------------------


def test_format_date_in_both_languages():
    assert format_date(dt.date(2017, 12, 3), "ar") == "3 ديسمبر 2017"
    assert format_date(dt.date(2017, 12, 3), "en") == "3 December 2017"
    assert format_date(dt.date(2020, 1, 31), "en") == "31 January 2020"
    assert format_date(dt.date(2020, 5, 1), "xx") == "1 مايو 2020"
    assert format_date(None, "ar") == "" == format_date(None, "en")


def test_listing_and_numbers():
    assert i18n.listing(["«شي»", "«لي»"], "ar") == "«شي»، «لي»"
    assert i18n.listing(("Xi", "Li"), "en") == "Xi, Li"
    assert i18n.number(1234567) == "1,234,567"


def test_display_url_decodes_for_reading():
    assert display_url("https://example.com/%D8%B4%D9%8A") == "https://example.com/شي"
    assert display_url("https://example.com/a%20b") == "https://example.com/a b"
    assert display_url("https://example.com/plain") == "https://example.com/plain"


def test_display_url_keeps_a_bad_escape_readable():
    assert display_url("https://example.com/%E0%A4%A") == "https://example.com/%E0%A4%A"


def test_display_url_drops_invisible_and_control_characters():
    assert display_url("https://example.com/\u202eabc") == "https://example.com/abc"
    assert display_url("https://example.com/%E2%80%AEabc") == "https://example.com/abc"
    shown = display_url("https://example.com/a%1B[31mb")
    assert "\x1b" not in shown and shown.isprintable()
