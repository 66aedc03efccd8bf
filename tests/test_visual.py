"""Arabic in visual order for terminals that do not reorder right-to-left text."""

from __future__ import annotations

import builtins

import pytest

from bot.visual import visual
from retrieval.errors import NewsqaError

RLM = "\u200f"


def test_a_latin_line_comes_back_unchanged():
    for text in ["Nothing relevant was found (try rephrasing).", "     title — sentence 3, score 0.812", ""]:
        assert visual(text) == text


def test_an_arabic_line_is_reversed():
    assert visual("مرحبا") == "مرحبا"[::-1]


def test_numbers_keep_their_left_to_right_order():
    assert visual("قال شي 2017") == "2017 يش لاق"


def test_mixed_lines_take_their_direction_from_the_first_strong_character():
    assert visual("Xi said قال شي in 2017.") == "Xi said يش لاق in 2017."
    assert visual("قال Xi Jinping إن") == "نإ Xi Jinping لاق"
    assert visual("«قال» شي.") == ".يش »لاق«"  # brackets are mirrored


def test_lines_are_kept_and_each_is_reordered_alone():
    text = "مرحبا\n\nhello\r\nقال شي 2017\n"
    assert visual(text) == "ابحرم\n\nhello\r\n2017 يش لاق\n"


def test_a_leading_rlm_sets_the_direction_and_is_dropped():
    assert visual(f"{RLM}مرحبا") == "ابحرم"
    assert visual(f"{RLM}1. قال شي 2017") == "2017 يش لاق .1"  # the rank stays at the right
    assert visual(f"{RLM}… 3 more statements") == "more statements 3 …"  # read right to left
    assert RLM not in visual(f"{RLM}a\n{RLM}ب")


def test_a_width_wraps_long_lines_so_they_read_top_to_bottom():
    text = f"{RLM}1. قال الرئيس إن بلاده ستفتح أبوابها"
    assert visual(text, width=16).split("\n") == ["سيئرلا لاق .1", "حتفتس هدالب نإ", "اهباوبأ"]
    assert visual("short مرحبا", width=40) == visual("short مرحبا")


def test_without_python_bidi_the_error_says_what_to_install(monkeypatch):
    real_import = builtins.__import__

    def no_bidi(name, *args, **kwargs):
        if name == "bidi" or name.startswith("bidi."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_bidi)
    with pytest.raises(NewsqaError, match="pip install python-bidi"):
        visual("مرحبا")
