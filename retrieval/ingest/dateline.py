"""Parse the dateline at the start of a news article: place, region, date, agency."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from retrieval.text.normalize import strip_marks

# Month name -> month number. Hamza variants, ة/ه, ى/ي and the optional "ال" of the
# second word of the Levantine names are also accepted (see ``_month_key``).
ARABIC_MONTHS: dict[str, int] = {
    # Egyptian/Gulf names (from the Latin ones).
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "أبريل": 4,
    "إبريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يونيه": 6,
    "يوليو": 7,
    "يوليه": 7,
    "أغسطس": 8,
    "سبتمبر": 9,
    "أكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
    # Levantine/Iraqi (Syriac) names.
    "كانون الثاني": 1,
    "شباط": 2,
    "آذار": 3,
    "نيسان": 4,
    "أيار": 5,
    "حزيران": 6,
    "تموز": 7,
    "آب": 8,
    "أيلول": 9,
    "تشرين الأول": 10,
    "تشرين الثاني": 11,
    "كانون الأول": 12,
    # Maghrebi names (Tunisia/Algeria, then Morocco).
    "جانفي": 1,
    "فيفري": 2,
    "أفريل": 4,
    "ماي": 5,
    "جوان": 6,
    "جويلية": 7,
    "أوت": 8,
    "يوليوز": 7,
    "غشت": 8,
    "شتنبر": 9,
    "نونبر": 11,
    "دجنبر": 12,
}

_WEEKDAYS = frozenset({"الاحد", "الاثنين", "الثلاثاء", "الاربعاء", "الخميس", "الجمعه", "السبت"})
# Words that start ordinary sentences and are never a dateline's place.
_NOT_PLACES = _WEEKDAYS | {"في", "من", "الي", "علي", "عن", "قال", "وقال", "ان", "لكن", "ثم", "و"}

_WORD = "[\u0621-\u063a\u0641-\u064a\u0671-\u06d3][\u0621-\u065f\u0670-\u06d3]*"
_PLACE = rf"{_WORD}(?:[ \t]+{_WORD}){{0,2}}"
_MONTH = rf"{_WORD}(?:[ \t]+{_WORD})?"
_DIGIT = "[0-9\u0660-\u0669\u06f0-\u06f9]"
_DASH = "[-\u2013\u2014]"
_DATELINE = re.compile(
    rf"""
    [ \t\ufeff]*
    (?P<place>{_PLACE})
    (?:[ \t]*[،,][ \t]*(?P<region>{_PLACE}))?
    [ \t]*[،,]?[ \t]*
    (?:
        (?:في[ \t]+)?
        (?P<day>{_DIGIT}{{1,2}})[ \t]+
        (?P<month>{_MONTH}(?:[ \t]*/[ \t]*{_MONTH})?)[ \t]+
        (?P<year>{_DIGIT}{{4}})
    )?
    (?P<lead>[ \t]*{_DASH})?[ \t]*
    (?:[(\uff08\ufd3e][ \t]*(?P<agency>[^()\uff08\uff09\ufd3e\ufd3f\n]{{1,40}}?)[ \t]*[)\uff09\ufd3f])?
    (?P<sep>[ \t]*(?:{_DASH}|:|\r?\n))?
    \s*
    """,
    re.VERBOSE,
)
_LOOKAHEAD = 200


@dataclass(frozen=True)
class Dateline:
    """A dateline found at the start of an article.

    Attributes:
        place: the city (e.g. "ووتشن").
        region: the region or country after a comma (e.g. "تشجيانغ").
        date: the date, or None when absent or not a real calendar date.
        agency: the news agency in parentheses (e.g. "شينخوا").
        end: offset in the text just after the dateline and its separator,
            where the body starts.
    """

    place: str | None
    region: str | None
    date: dt.date | None
    agency: str | None
    end: int


def _month_key(name: str) -> str:
    """Normalise a month name: no diacritics, plain alef, no "ال" after the first word."""
    words = strip_marks(name).split()
    rest = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in words[1:]]
    return " ".join(words[:1] + rest)


_MONTH_NUMBERS = {_month_key(name): number for name, number in ARABIC_MONTHS.items()}


def _month_number(text: str) -> int | None:
    """Return the number of a month name, or of the first of "name/name", or None."""
    for name in text.split("/"):
        number = _MONTH_NUMBERS.get(_month_key(name))
        if number is not None:
            return number
    return None


def _plain(word: str) -> str:
    """Drop diacritics and unify alef, ya and ta marbuta, for comparing words."""
    return strip_marks(word)


def parse_dateline(text: str) -> Dateline | None:
    """Parse a news dateline at the very start of a text.

    Recognises ``PLACE[، REGION] DAY MONTH YEAR (AGENCY)`` with either Arabic month
    system and Arabic-Indic digits, and ``PLACE [-] (AGENCY) -`` without a date. The
    agency may be followed by "-", "–", ":" or a line break. Without a date, the agency
    and such a separator are both required; with one, either. Only the first 200
    characters are read.

    Args:
        text: an article's text.

    Returns:
        The dateline, or None when the text does not start with one. An impossible
        date (31 فبراير) gives a dateline whose ``date`` is None.
    """
    match = _DATELINE.match(text[:_LOOKAHEAD])
    if match is None:
        return None
    place = match["place"]
    if _plain(place.split()[0]) in _NOT_PLACES:
        return None

    date = None
    month = _month_number(match["month"]) if match["month"] else None
    has_date = month is not None
    if has_date:
        try:
            date = dt.date(int(match["year"]), month, int(match["day"]))
        except ValueError:
            date = None

    if match["day"] and not has_date:
        return None  # a number and words that are no month: not a dateline
    agency = match["agency"].strip() if match["agency"] else None
    if agency and _plain(agency) in _WEEKDAYS:
        agency = None  # "(الأحد)" is a day, not an agency
    if has_date:
        if not (match["agency"] or match["lead"] or match["sep"]):
            return None
    elif not (agency and match["sep"]):
        return None

    region = match["region"].strip() if match["region"] else None
    return Dateline(place=place.strip(), region=region, date=date, agency=agency, end=match.end())
