"""Tests for retrieval.ingest.dateline: places, regions, both month systems, agencies, no dateline."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path

import pytest

from retrieval.ingest.dateline import ARABIC_MONTHS, Dateline, parse_dateline

SEED_FILE = Path(__file__).resolve().parent.parent / "seeds" / "000_762f75904539e59f.txt"


def test_seed_article_dateline() -> None:
    text = SEED_FILE.read_text(encoding="utf-8")
    dateline = parse_dateline(text)
    assert dateline == Dateline(
        place="ووتشن",
        region="تشجيانغ",
        date=dt.date(2017, 12, 3),
        agency="شينخوا",
        end=text.index("قال الرئيس"),
    )


@pytest.mark.parametrize(
    ("text", "place", "region", "date", "agency", "body"),
    [
        ("بكين 3 ديسمبر 2017 (شينخوا) قال الرئيس", "بكين", None, dt.date(2017, 12, 3), "شينخوا", "قال الرئيس"),
        ("بكين ٣ ديسمبر ٢٠١٧ (شينخوا) قال الرئيس", "بكين", None, dt.date(2017, 12, 3), "شينخوا", "قال الرئيس"),
        ("دمشق 5 كانون الثاني 2018 (سانا) أعلنت الوزارة", "دمشق", None, dt.date(2018, 1, 5), "سانا", "أعلنت الوزارة"),
        (
            "بيروت 12 تشرين الأول 2019 (الوكالة الوطنية) - قال",
            "بيروت",
            None,
            dt.date(2019, 10, 12),
            "الوكالة الوطنية",
            "قال",
        ),
        ("عمان 7 تشرين الثاني 2019 (بترا): قال", "عمان", None, dt.date(2019, 11, 7), "بترا", "قال"),
        ("بغداد 20 كانون الأول 2019 (واع) – قال", "بغداد", None, dt.date(2019, 12, 20), "واع", "قال"),
        ("بغداد 2 كانون ثاني 2020 (واع) قال", "بغداد", None, dt.date(2020, 1, 2), "واع", "قال"),
        ("القاهرة 1 ابريل 2020 (أ ش أ) - قال", "القاهرة", None, dt.date(2020, 4, 1), "أ ش أ", "قال"),
        (
            "شنغهاي، الصين 15 اغسطس 2020 (شينخوا) قال",
            "شنغهاي",
            "الصين",
            dt.date(2020, 8, 15),
            "شينخوا",
            "قال",
        ),
        ("بكين 3 ديسمبر/كانون الأول 2017 (شينخوا) قال", "بكين", None, dt.date(2017, 12, 3), "شينخوا", "قال"),
        ("تونس 3 جانفي 2019 (وات) - أعلنت", "تونس", None, dt.date(2019, 1, 3), "وات", "أعلنت"),
        ("بكين 3 ديسمبر 2017 - قال الرئيس", "بكين", None, dt.date(2017, 12, 3), None, "قال الرئيس"),
    ],
)
def test_dated_datelines(
    text: str, place: str, region: str | None, date: dt.date, agency: str | None, body: str
) -> None:
    dateline = parse_dateline(text)
    assert dateline is not None
    assert (dateline.place, dateline.region, dateline.date, dateline.agency) == (
        place,
        region,
        date,
        agency,
    )
    assert text[dateline.end :] == body


@pytest.mark.parametrize(
    ("text", "place", "region", "agency", "body"),
    [
        ("القاهرة - (أ ش أ) - قال المتحدث", "القاهرة", None, "أ ش أ", "قال المتحدث"),
        ("بيروت (رويترز) - قال المتحدث", "بيروت", None, "رويترز", "قال المتحدث"),
        ("بيروت (رويترز): قال المتحدث", "بيروت", None, "رويترز", "قال المتحدث"),
        ("ووتشن، تشجيانغ (شينخوا) – قال المتحدث", "ووتشن", "تشجيانغ", "شينخوا", "قال المتحدث"),
        ("باريس (أ ف ب)\nقال المتحدث", "باريس", None, "أ ف ب", "قال المتحدث"),
    ],
)
def test_undated_datelines(text: str, place: str, region: str | None, agency: str, body: str) -> None:
    dateline = parse_dateline(text)
    assert dateline is not None
    assert (dateline.place, dateline.region, dateline.date, dateline.agency) == (
        place,
        region,
        None,
        agency,
    )
    assert text[dateline.end :] == body


@pytest.mark.parametrize(
    "text",
    [
        "قال الرئيس الصيني شي جين بينغ إن الصين تتمنى ان تشجع جميع دول العالم",
        "وقال المتحدث (الأحد) إن الاجتماع انتهى",
        "الرئيس الصيني (الأحد) - إن الاجتماع انتهى",
        "في 3 ديسمبر 2017 (شينخوا) قال الرئيس",
        "بكين 3 ديسمبر 2017 قال الرئيس",
        "بكين 3 أشخاص 2017 (شينخوا) - قالوا",
        "2017 (شينخوا) - قال",
        "(شينخوا) - قال",
        "الصين تتمنى ان تشجع جميع دول العالم. (شينخوا)",
        "كلمة " * 60 + "بكين 3 ديسمبر 2017 (شينخوا) قال",
        "",
        "   \n ",
    ],
)
def test_no_dateline(text: str) -> None:
    assert parse_dateline(text) is None


@pytest.mark.parametrize(
    "text",
    ["بكين 31 فبراير 2017 (شينخوا) قال", "بكين 45 ديسمبر 2017 (شينخوا) قال", "بكين 0 ديسمبر 0000 (شينخوا) قال"],
)
def test_impossible_date_gives_no_date(text: str) -> None:
    dateline = parse_dateline(text)
    assert dateline is not None
    assert (dateline.place, dateline.date, dateline.agency) == ("بكين", None, "شينخوا")
    assert text[dateline.end :] == "قال"


@pytest.mark.parametrize(("name", "number"), sorted(ARABIC_MONTHS.items()))
def test_every_month_name_parses(name: str, number: int) -> None:
    dateline = parse_dateline(f"بكين 1 {name} 2020 (شينخوا) قال")
    assert dateline is not None
    assert dateline.date == dt.date(2020, number, 1)


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("ابريل", 4),
        ("إبريل", 4),
        ("اغسطس", 8),
        ("اكتوبر", 10),
        ("اذار", 3),
        ("ايار", 5),
        ("اب", 8),
        ("ايلول", 9),
        ("يونيه", 6),
        ("يوليه", 7),
        ("تشرين اول", 10),
        ("تشرين ثاني", 11),
        ("كانون اول", 12),
        ("كانون ثاني", 1),
        ("كانون  الثاني", 1),
    ],
)
def test_month_spelling_variants(name: str, number: int) -> None:
    dateline = parse_dateline(f"دمشق 9 {name} 2018 (سانا) قال")
    assert dateline is not None
    assert dateline.date == dt.date(2018, number, 9)


def test_levantine_months_are_not_swapped() -> None:
    assert ARABIC_MONTHS["كانون الثاني"] == 1
    assert ARABIC_MONTHS["كانون الأول"] == 12
    assert ARABIC_MONTHS["تشرين الأول"] == 10
    assert ARABIC_MONTHS["تشرين الثاني"] == 11
    assert sorted(set(ARABIC_MONTHS.values())) == list(range(1, 13))


def test_dateline_is_frozen() -> None:
    dateline = parse_dateline("بكين 3 ديسمبر 2017 (شينخوا) قال")
    assert dateline is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        dateline.place = "شنغهاي"  # type: ignore[misc]


def test_random_text_never_raises() -> None:
    rng = random.Random(20171203)
    pieces = ["بكين", "، ", " ", "3", "٣", "ديسمبر", "كانون", "الثاني", "2017", "(", ")", "شينخوا", "-", ":", "\n"]
    for _ in range(2000):
        if rng.random() < 0.5:
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        else:
            text = "".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(0, 80)))
        dateline = parse_dateline(text)
        if dateline is not None:
            assert dateline.place
            assert 0 < dateline.end <= len(text)
