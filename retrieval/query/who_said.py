"""The «who said what» question form: «ماذا قال X [وY] [عن TOPIC] [في 2017]؟», "What did X say?".

A question this form reads is answered with every statement of the person (or of each
person it names, ``people_named``), those about the topic first when it names one
(``retrieval.query.speaker``), within the time it names (``time_span``: a day, a month, a
year or a range of them).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Callable

from retrieval.query.types import Question
from retrieval.text.normalize import MARKS, fold_letters
from retrieval.text.transliteration import has_latin

_SPACES = re.compile(r"\s+")
_AR_ASK = re.compile(
    r"^(?:و|ف)?(?:ماذا|ما ذا|ما الذي|ما اللذي|بماذا|بم|ما)\s+"
    r"(?:قاله|قالته|قال|قالت|يقول|تقول|صرح به|صرحت به|صرح|صرحت|يصرح|تصرح|اعلن|اعلنت|ذكر|ذكرت|"
    r"اكد|اكدت|راي|رأي)\s+(?P<rest>.+)$"
)
#: Months as the news writes them, letters folded: Egyptian and Gulf, Maghreb, Levantine names.
_AR_MONTHS = {
    "يناير": 1, "جانفي": 1, "كانون الثاني": 1, "فبراير": 2, "فيفري": 2, "شباط": 2, "مارس": 3, "اذار": 3,
    "ابريل": 4, "افريل": 4, "نيسان": 4, "مايو": 5, "ماي": 5, "ايار": 5, "يونيو": 6, "يونيه": 6, "جوان": 6,
    "حزيران": 6, "يوليو": 7, "يوليه": 7, "جويليه": 7, "تموز": 7, "اغسطس": 8, "اوت": 8, "اب": 8,
    "سبتمبر": 9, "ايلول": 9, "اكتوبر": 10, "تشرين الاول": 10, "نوفمبر": 11, "تشرين الثاني": 11,
    "ديسمبر": 12, "كانون الاول": 12,
}
_EN_MONTHS = {
    name: number
    for number, month in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
         "november", "december"), start=1)
    for name in (month, month[:3], "sept" if number == 9 else month)
}
_MONTHS = {**_AR_MONTHS, **_EN_MONTHS}
_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_YEAR = r"(?:19|20)\d\d"
#: A month and year or a year: «مارس 2017», «عام 2016», "March 2017".
_AR_POINT = rf"(?:(?:عام|سنه|عامي|سنتي)\s+)?(?:(?:شهر\s+)?(?:{_MONTH})\s+(?:(?:عام|سنه)\s+)?)?{_YEAR}"
_EN_POINT = rf"(?:(?:{_MONTH})\s+)?{_YEAR}"
_POINT = re.compile(rf"(?:(?P<month>{_MONTH})\s+(?:(?:عام|سنه)\s+)?)?(?P<year>{_YEAR})", re.IGNORECASE)
_AR_WHEN = re.compile(
    r"\s+(?P<when>امس(?: الاول)?|اليوم|البارحه|الاسبوع الماضي|الشهر الماضي|العام الماضي|مؤخرا|"
    r"(?:في|عام|سنه|خلال)\s+(?:عام\s+|سنه\s+)?(?P<year>(?:19|20)\d\d)|"
    rf"(?:في|خلال)\s+{_AR_POINT}|(?:ما\s+)?بين\s+{_AR_POINT}\s+و\s*{_AR_POINT}|"
    rf"من\s+{_AR_POINT}\s+(?:الي|حتي)\s+{_AR_POINT}|(?:منذ|قبل|بعد)\s+{_AR_POINT}|"
    r"(?:يوم\s+)?(?:الاحد|الاثنين|الثلاثاء|الاربعاء|الخميس|الجمعه|السبت))$"
)
_AR_ALSO = re.compile(r"\s+(?:ايضا|كذلك)$")
_AR_TOPIC = re.compile(r"\s+(?:عن|بشان|حول|في|فيما يخص|بخصوص|ازاء|تجاه|حيال)\s+")
_EN_ASK = re.compile(
    r"^(?:so\s+|and\s+)?what\s+(?:(?:did|does|do|has|have|had)\s+(?P<name>.+?)\s+"
    r"(?P<verb>say|said|tell|told|state|stated|declare|declared|announce|announced|think)"
    r"|(?P<name2>.+?)\s+(?P<verb2>said|says|told|stated|declared|announced))\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_EN_WHEN = re.compile(
    r"\s+(?P<when>yesterday|today|recently|last\s+\w+|this\s+\w+|"
    r"(?:in|during)\s+(?P<year>(?:19|20)\d\d)|on\s+\w+day|"
    rf"(?:in|during)\s+{_EN_POINT}|between\s+{_EN_POINT}\s+and\s+{_EN_POINT}|"
    rf"from\s+{_EN_POINT}\s+(?:to|until|till)\s+{_EN_POINT}|(?:since|before|after)\s+{_EN_POINT})$",
    re.IGNORECASE,
)
_EN_TOPIC = re.compile(r"^(?:\s+\w+){0,3}?\s+(?:about|on|regarding|concerning|of)\s+(?P<topic>.+)$", re.IGNORECASE)
_QUESTION_WORDS = frozenset(
    {"هو", "هي", "هم", "عن", "في", "ايضا", "كذلك", "غير", "ذلك", "هذا", "شيئا", "اخر", "بعد", "اكثر",
     "امس", "اليوم", "البارحه", "مؤخرا",
     "the", "it", "he", "she", "they", "you", "we", "i", "else", "that", "this"}
)
_MAX_NAME_WORDS = 5


def clean_question(question: str) -> str:
    """NFKC, no diacritics or tatweel, single spaces, no final punctuation."""
    text = MARKS.sub("", unicodedata.normalize("NFKC", question))
    return _SPACES.sub(" ", text).strip().rstrip("؟?!.،, ").strip()


class WhoSaid:
    """Reads «ماذا قال X؟», «ما رأي X في …», "What did X say about …?" and their variants."""

    name = "who_said"

    def read(self, question: Question) -> Question | None:
        """The question with its person, topic and time; None when it asks something else."""
        asked = read_who_said(question.text)
        if asked is None:
            return None
        return replace(
            question, form=self.name, person=asked.name, topic=asked.topic, when=asked.when, year=asked.year
        )


@dataclass(frozen=True)
class Asked:
    """What a «who said what» question names, as written.

    Attributes:
        name: the person ("شي", "Xi", "أردوغان").
        topic: what about («عن النفط» -> "النفط"; "about oil" -> "oil").
        when: a time hint ("أمس", "في 2017", "yesterday", "in 2017").
        year: the year, when the hint names one.
    """

    name: str
    topic: str | None = None
    when: str | None = None
    year: int | None = None


def read_who_said(question: str) -> Asked | None:
    """Recognise a question about what a person said (pure).

    Args:
        question: the user's question, Arabic («ماذا قال شي عن الإنترنت؟») or English
            ("What did Xi say about the internet?").

    Returns:
        The person asked about, with the topic and time hint if any; None when the
        question does not ask what someone said.
    """
    text = clean_question(question)
    if not text:
        return None
    if has_latin(text) and not re.search("[\u0600-\u06ff]", text.split(" ")[0]):
        return _parse_english(text)
    return _parse_arabic(text)


def _parse_arabic(text: str) -> Asked | None:
    """«ماذا قال X [عن TOPIC] [أمس]»: the name, topic and time hint, as written."""
    folded = fold_letters(text)
    match = _AR_ASK.match(folded)
    if not match:
        return None
    start = match.start("rest")
    rest, original = folded[start:], text[start:]
    also = _AR_ALSO.search(rest)  # «ماذا قال أردوغان أيضا؟»: the name is «أردوغان»
    if also and also.start() > 0:
        rest, original = rest[: also.start()], original[: also.start()]
    when, year = None, None
    timed = _AR_WHEN.search(rest)
    if timed and timed.start() > 0:
        when = original[timed.start("when") :].strip()
        year = int(timed.group("year")) if timed.group("year") else None
        rest, original = rest[: timed.start()], original[: timed.start()]
    topic = None
    split = _AR_TOPIC.search(rest)
    if split:
        topic = original[split.end() :].strip() or None
        rest, original = rest[: split.start()], original[: split.start()]
    return _asked(original, topic, when, year)


def _parse_english(text: str) -> Asked | None:
    """"What did X say [about T] [yesterday]": the name, topic and time hint."""
    match = _EN_ASK.match(text)
    if not match:
        return None
    name = match.group("name") or match.group("name2")
    rest = match.group("rest")
    when, year = None, None
    timed = _EN_WHEN.search(rest)
    if timed:
        when = timed.group("when")
        year = int(timed.group("year")) if timed.group("year") else None
        rest = rest[: timed.start()]
    about = _EN_TOPIC.match(rest)
    topic = about.group("topic").strip() if about else None
    return _asked(name, topic, when, year)


def _asked(name: str, topic: str | None, when: str | None, year: int | None) -> Asked | None:
    """Build the question when the name looks like one."""
    name = name.strip(" ،,\"'«»")
    words = name.split()
    if not words or len(words) > _MAX_NAME_WORDS or fold_letters(words[0]).lower() in _QUESTION_WORDS:
        return None
    return Asked(name=name, topic=topic, when=when, year=year)


def time_span(when: str | None) -> tuple[dt.date | None, dt.date | None] | None:
    """The dates a time hint names, first and last day included (pure): «في 2017» and "in
    2017" the year, «في مارس 2017» the month, «بين 2016 و2017» / «من 2016 إلى 2017» /
    "between 2016 and 2017" both years, «منذ 2016» / "since 2016" (no end), «قبل 2017» /
    "before 2017" (no start), «بعد 2016» / "after 2016". None when it names no month or
    year («أمس», "yesterday").
    """
    folded = fold_letters(when or "").lower()
    points = [_days(match) for match in _POINT.finditer(folded)]
    if not points:
        return None
    lead = folded.split(" ", 1)[0]
    if lead in ("منذ", "since"):
        return points[0][0], None
    if lead in ("بعد", "after"):
        return points[0][1] + dt.timedelta(days=1), None
    if lead in ("قبل", "before"):
        return None, points[0][0] - dt.timedelta(days=1)
    return points[0][0], points[-1][1]


def _days(point: re.Match) -> tuple[dt.date, dt.date]:
    """The first and last day of a month and year, or of a year."""
    year = int(point.group("year"))
    month = _MONTHS.get((point.group("month") or "").lower())
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, 1), dt.date(year, month, last)


_LATIN_AND = re.compile(r"\s*(?:\band\b|&|,|،)\s*", re.IGNORECASE)


def people_named(name: str, known: Callable[[str], bool]) -> tuple[str, ...]:
    """The people a «who said what» question names (pure, given ``known``): one, or several
    joined by «و», "and", "&" or a comma («ترامب وأردوغان», "Trump and Merkel").

    A Latin-script name is cut at every "and", "&" and comma. An Arabic one is cut at a
    comma, and before a word starting with the conjunction «و» (or a separate «و») only
    where both what comes before and what follows, the «و» left out, are ``known``: «وليد»
    or «ولد» in «عبد الله ولد الشيخ» never start a second person unless someone quoted is
    called what comes after the «و».

    Args:
        name: the person as the question names them.
        known: whether someone quoted goes by a name (spellings tolerated).
    """
    if has_latin(name):
        return tuple(part for part in _LATIN_AND.split(name) if part.strip()) or (name,)
    parts = [p.strip() for p in re.split(r"\s*[،,&]\s*", name) if p.strip()]
    return tuple(person for part in parts for person in _split_on_and(part, known)) or (name,)


def _split_on_and(name: str, known: Callable[[str], bool]) -> list[str]:
    """An Arabic name cut before each «و» between two known people (see ``people_named``)."""
    words = name.split()
    starts = [0]
    for i in range(1, len(words)):
        if not words[i].startswith("و"):
            continue
        before, rest = _part(words, starts[-1], i), _without_and(words[i:])
        if rest and known(before) and _known_prefix(rest, known):
            starts.append(i)
    bounds = starts + [len(words)]
    return [person for a, b in zip(bounds, bounds[1:]) if (person := _part(words, a, b))]


def _part(words: list[str], start: int, end: int) -> str:
    """One person's words: the conjunction taken off, except for the first person's."""
    return _without_and(words[start:end]) if start else " ".join(words[start:end])


def _without_and(words: list[str]) -> str:
    """The words, the conjunction «و» taken off the first (a word of its own, or its first letter)."""
    first = words[0][1:] if words[0] != "و" else ""
    return " ".join([first, *words[1:]] if first else words[1:])


def _known_prefix(text: str, known: Callable[[str], bool]) -> bool:
    """Whether the first one, two or three words of ``text``, or all of it, are a known name."""
    words = text.split()
    return any(known(" ".join(words[:n])) for n in sorted({min(len(words), n) for n in (1, 2, 3, len(words))}))
