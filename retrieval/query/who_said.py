"""The «who said what» question form: «ماذا قال X [عن TOPIC] [أمس]؟», "What did X say [about T]?".

A question this form reads is answered with every statement of the person
(``retrieval.query.speaker``), ranked by the topic when it names one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from retrieval.query.types import Question
from retrieval.text.normalize import MARKS, fold_letters
from retrieval.text.transliteration import has_latin

_SPACES = re.compile(r"\s+")
_AR_ASK = re.compile(
    r"^(?:و|ف)?(?:ماذا|ما ذا|ما الذي|ما اللذي|بماذا|بم|ما)\s+"
    r"(?:قاله|قالته|قال|قالت|يقول|تقول|صرح به|صرحت به|صرح|صرحت|يصرح|تصرح|اعلن|اعلنت|ذكر|ذكرت|"
    r"اكد|اكدت|راي|رأي)\s+(?P<rest>.+)$"
)
_AR_WHEN = re.compile(
    r"\s+(?P<when>امس(?: الاول)?|اليوم|البارحه|الاسبوع الماضي|الشهر الماضي|العام الماضي|مؤخرا|"
    r"(?:في|عام|سنه|خلال)\s+(?:عام\s+|سنه\s+)?(?P<year>(?:19|20)\d\d)|"
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
    r"(?:in|during)\s+(?P<year>(?:19|20)\d\d)|on\s+\w+day)$",
    re.IGNORECASE,
)
_EN_TOPIC = re.compile(r"^(?:\s+\w+){0,3}?\s+(?:about|on|regarding|concerning|of)\s+(?P<topic>.+)$", re.IGNORECASE)
_QUESTION_WORDS = frozenset(
    {"هو", "هي", "هم", "عن", "في", "ايضا", "كذلك", "غير", "ذلك", "هذا", "شيئا", "اخر", "بعد", "اكثر",
     "امس", "اليوم", "البارحه", "مؤخرا",
     "the", "it", "he", "she", "they", "you", "we", "i", "else", "that", "this"}
)
_MAX_NAME_WORDS = 5


def _clean(question: str) -> str:
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
    text = _clean(question)
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
