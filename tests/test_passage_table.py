"""Passages held compactly: the same passages come back, by position, with their speakers."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from retrieval.index.catalog import ArticleCatalog, ArticleEntry
from retrieval.index.passage_table import ArticleRows, PassageTable, PassageView
from retrieval.index.speakers import SpeakerDirectory
from retrieval.types import Passage, Source


def passages(article: str, count: int, *, said: dict[int, tuple[str, ...]] | None = None) -> list[Passage]:
    said = said or {}
    return [
        Passage(article, i, f"جملة رقم {i} من «{article}» — é ✓", 40 * i, 40 * i + 30, said.get(i, ()))
        for i in range(count)
    ]


def test_a_table_gives_back_the_passages_it_was_made_of():
    made = passages("a.txt", 3, said={1: ("شي جين بينغ",)}) + passages("b.txt", 2)
    table = PassageTable(made)
    assert len(table) == 5 and list(table) == made and table[-1] == made[-1] and table[1:3] == made[1:3]
    assert table.text(2) == made[2].text and table.article_id(3) == "b.txt"
    assert table.speakers() == {1: ("شي جين بينغ",)}
    with pytest.raises(IndexError):
        table[5]


def test_a_table_holds_little_more_than_its_text():
    made = passages("a.txt", 1000)
    text = sum(len(p.text.encode("utf-8")) for p in made)
    assert PassageTable(made).nbytes() <= text + 30 * len(made)


def test_a_view_numbers_the_live_rows_of_its_tables_in_order():
    first, second = passages("a.txt", 4, said={0: ("أ",), 3: ("ب",)}), passages("b.txt", 3, said={1: ("ج",)})
    live = [np.array([0, 2, 3]), np.array([1, 2])]  # row 1 of a.txt and row 0 of b.txt were replaced
    view = PassageView([PassageTable(first), PassageTable(second)], live)
    expected = [first[0], first[2], first[3], second[1], second[2]]
    assert len(view) == 5 and list(view) == expected and [view[i] for i in range(5)] == expected
    assert view[-1] == second[2] and view.text(3) == second[1].text and view.article_id(2) == "a.txt"
    assert view.statements() == [(0, ("أ",)), (2, ("ب",)), (3, ("ج",))]
    with pytest.raises(IndexError):
        view[5]


def test_an_empty_view():
    view = PassageView([], [])
    assert len(view) == 0 and list(view) == [] and view.statements() == []
    assert len(ArticleRows(view)) == 0


def test_article_rows_are_in_article_order_wherever_the_passages_lie():
    a = passages("a.txt", 4)
    # an article whose passages span two segments, the later part first
    tables = [PassageTable([a[2], a[3]] + passages("b.txt", 1)), PassageTable([a[0], a[1]])]
    view = PassageView(tables, [np.arange(3), np.arange(2)])
    rows = ArticleRows(view)
    assert set(rows) == {"a.txt", "b.txt"} and "c.txt" not in rows
    assert [view[p].index for p in rows["a.txt"]] == [0, 1, 2, 3]
    assert list(rows["b.txt"]) == [2]
    assert list(ArticleRows(list(view))["a.txt"]) == list(rows["a.txt"])


def test_the_speaker_directory_reads_a_view_as_it_reads_passages():
    made = passages("a.txt", 5, said={1: ("شي",), 4: ("شي", "وانغ")})
    view = PassageView([PassageTable(made)], [np.arange(5)])
    for source in (view, made):
        speakers = SpeakerDirectory(source)
        assert speakers.statements(["شي"]) == [1, 4] and speakers.statements(["وانغ"]) == [4]
        assert [(p.name, p.statements, p.articles) for p in speakers.people()] == [("شي", 2, 1), ("وانغ", 1, 1)]


def test_article_rows_numbered_as_the_catalog_numbers_articles():
    a, b = passages("a.txt", 3), passages("b.txt", 2)
    view = PassageView([PassageTable(b + a)], [np.arange(5)])
    catalog = ArticleCatalog(
        (aid, ArticleEntry("h", (("s", n),), Source(aid, "t", date=dt.date(2020, 1, 1))))
        for aid, n in (("a.txt", 3), ("b.txt", 2), ("c.txt", 1))  # c.txt has no live passage here
    )
    rows = ArticleRows(view, catalog=catalog, codes=catalog.codes())
    assert list(rows) == ["a.txt", "b.txt"] and len(rows) == 2
    assert list(rows["a.txt"]) == [2, 3, 4] and list(rows["b.txt"]) == [0, 1]
    assert "c.txt" not in rows and "d.txt" not in rows
    with pytest.raises(KeyError):
        rows["c.txt"]
