"""Tests for retrieval.text.normalize: diacritics, tatweel, letter variants, digits, spaces."""

from __future__ import annotations

import pytest

from retrieval.text.normalize import normalize_arabic, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Diacritics: fatha, damma, kasra, shadda, sukun, tanween, superscript alef.
        ("مُحَمَّدٌ", "محمد"),
        ("كِتَابًا", "كتابا"),
        ("الرَّحْمٰن", "الرحمن"),
        # Tatweel.
        ("الســـلام", "السلام"),
        ("مـحـمـد", "محمد"),
        # Alef variants.
        ("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله"),
        # Alef maqsura and ta marbuta.
        ("مستشفى", "مستشفي"),
        ("مدرسة", "مدرسه"),
        ("ذى مصير", "ذي مصير"),
        # Arabic-Indic and Eastern Arabic-Indic digits.
        ("٣ ديسمبر ٢٠١٧", "3 ديسمبر 2017"),
        ("۱۲۳۴۵۶۷۸۹۰", "1234567890"),
        # Whitespace is collapsed and trimmed.
        ("  بكين \t\n  الصين  ", "بكين الصين"),
        ("", ""),
        ("   ", ""),
        # Latin is lower-cased.
        ("Jawhara FM", "jawhara fm"),
        # Persian letters used in Arabic text.
        ("کتاب یوم", "كتاب يوم"),
    ],
)
def test_normalize_arabic(text: str, expected: str) -> None:
    assert normalize_arabic(text) == expected


def test_normalize_is_idempotent() -> None:
    text = "وأضاف شي: «بابُ الصينِ لن يُغلَق أبداً» في ٢٠١٧."
    once = normalize_arabic(text)
    assert normalize_arabic(once) == once


def test_variants_match_after_normalizing() -> None:
    assert normalize_arabic("الإنترنت") == normalize_arabic("الانترنت")
    assert normalize_arabic("ذى مصير مشتركة") == normalize_arabic("ذي مَصيرٍ مشتركه")


def test_words() -> None:
    assert words(normalize_arabic("قال شي، إن الصين (2017) تتمنى!")) == [
        "قال",
        "شي",
        "ان",
        "الصين",
        "2017",
        "تتمني",
    ]


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("\x1b[31mماذا قال شي؟\x1b[0m", " ماذا قال شي؟ "),  # colours, not "[31mماذا"
        ("a\x1b]0;title\x07b", "a b"),  # a window title (OSC)
        ("a\x1b]8;;http://x\x1b\\b", "a b"),  # a hyperlink, ended by ESC \
        ("x\x1bcy", "x y"),  # reset
        ("a\x1b(Bb", "a b"),  # a character set
        ("p\x9b1;2Hq", "p q"),  # the eight-bit CSI
        ("ok\x1b", "ok "),  # a lone ESC
        ("شي\u200f\x07", "شي "),  # a bidi mark dropped, a bell made a space
    ],
)
def test_terminal_escape_sequences_go_whole(text, clean):
    from retrieval.text.normalize import strip_invisible

    assert strip_invisible(text) == clean


def test_a_name_after_a_colour_code_is_still_the_name():
    from retrieval.query import understand

    assert understand("\x1b[31mماذا قال شي؟").person == understand("ماذا قال شي؟").person == "شي"
