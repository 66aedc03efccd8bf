"""Follow-ups resolved against a chat's context (pure): «وماذا عن نتنياهو؟» becomes «ماذا قال
نتنياهو؟» before anything is searched, so the engine never sees a fragment.

    text ─understand─▶ Question ─resolve(context)─▶ Turn: ask (a complete question) · more · details

The forms, Arabic and English (``resolve``):
  - «وماذا عن X؟» «وعن X؟» «و X؟» «وX؟» "what about X?" "and X?": the same question about X;
    a person when X is someone quoted (``is_person``), else a topic of the last person's
    statements, or the subject swapped in the last search question;
  - «ماذا قال أيضا؟» «وماذا أضاف؟» «هل قال شيئا آخر؟» "what else did he say?": the same person's
    statements not yet shown (after a plain search: the next page);
  - «ماذا قال عن TOPIC؟» "what did he say about T?" (a pronoun for the person): the last person
    on a new topic or time;
  - «متى قال ذلك؟» «أين؟» «من أي مصدر؟» "when was that?" "where?": the date, place and sources
    of what was just shown, with no new search;
  - «المزيد» "more": the next page.
Without a context (a new chat, or 30 minutes of silence) every message is a question of
its own; a question asked in full replaces the context.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from retrieval.conversation.context import EXPIRY_SECONDS, ChatContext, Ref
from retrieval.query.types import Question
from retrieval.query.understanding import language_of, understand
from retrieval.text.normalize import MARKS, fold_letters, strip_invisible

ASK, MORE, DETAILS = "ask", "more", "details"
WHEN, WHERE, SOURCE = "when", "where", "source"

#: Words that ask for the next page, typed as a message.
MORE_WORDS = frozenset({"more", "next", "+", "المزيد", "مزيد", "المزيد من النتائج", "التالي", "اكثر", "المزيد من فضلك"})
#: A follow-up names at most this many words after «وماذا عن».
_MAX_SUBJECT_WORDS = 6

_LEAD = r"(?:(?:و|ف) ?)?"  # «وماذا» and «و ماذا»
_WHAT = r"(?:ماذا|ما ذا|ما الذي|بماذا|ما)"
_SAY = r"(?:قال|قالت|قاله|قالته|يقول|تقول|صرح|صرحت|صرح به|اكد|اكدت|ذكر|ذكرت|اعلن|اعلنت)"
_ALSO = r"(?:ايضا|كذلك|غير ذلك|غير هذا|بعد ذلك|اكثر|اخر)"
_AR_TIME = (
    r"(?:امس(?: الاول)?|اليوم|البارحه|الاسبوع الماضي|الشهر الماضي|العام الماضي|مؤخرا|"
    r"(?:في|عام|سنه|خلال) (?:عام |سنه )?(?:19|20)\d\d)"
)
_AR_ABOUT = r"(?:عن|بشان|حول|في|فيما يخص|بخصوص|ازاء|تجاه|حيال)"
_THAT = r"(?: (?:ذلك|هذا|ذاك|هذا الكلام|ذلك الكلام|هذا التصريح|ذلك التصريح|هذه التصريحات|تلك التصريحات|ه))?"
_SAID = rf"(?: (?:قال|قالت|قيل|صرح|صرحت|قاله|قالته|كان|حدث|نشر|وقع|جاء){_THAT})?"
_EN_HE = r"(?:he|she|they|him|her|it)"
_EN_THAT = r"(?:that|this|it|he|she|they)"
_EN_SAID = rf"(?:\s+(?:was|did|is|were)\s+{_EN_THAT}(?:\s+(?:said|say|saying|published|reported|stated))?(?:\s+{_EN_THAT})?)?"

_ELSE = [re.compile(p) for p in (
    rf"^{_LEAD}{_WHAT} {_SAY} {_ALSO}$",
    rf"^{_LEAD}{_WHAT} (?:اضاف|اضافت)(?: {_ALSO})?$",
    rf"^{_LEAD}هل (?:قال|قالت|صرح|صرحت|ذكر|ذكرت|اضاف|اضافت) (?:شيئا|شيء|اي شيء|شي)(?: اخر| غير ذلك| غير هذا)$",
    rf"^{_LEAD}(?:ماذا|ما) {_ALSO}$",
    r"^(?:ايضا|غير ذلك|شيء اخر|شيئا اخر)$",
    rf"^(?:and\s+|so\s+)?what\s+else(?:\s+(?:did|does|has|have|had)\s+{_EN_HE}\s+(?:say|said|tell|told|add|added))?$",
    rf"^(?:and\s+)?(?:did|has|does)\s+{_EN_HE}\s+(?:say|said|add|added)\s+anything\s+(?:else|more)$",
    r"^(?:anything|something)\s+else$",
)]
_DETAILS = [(kind, re.compile(p)) for kind, p in (
    (SOURCE, rf"^{_LEAD}(?:من اي مصدر|ما المصدر|ما هو المصدر|ما المصادر|ما هي المصادر|ما مصدر(?:ه|ها| ذلك| هذا)?|"
             rf"ما مصادر(?:ه|ها| ذلك| هذا)?|المصدر|المصادر|مصدر(?: ذلك| هذا)|اي مصدر|اي وكاله|من اي وكاله|"
             rf"من نشر(?: ذلك| هذا|ه)?|من اين (?:هذا|ذلك)(?: الخبر| الكلام)?)$"),
    (WHEN, rf"^{_LEAD}(?:متي|في اي (?:تاريخ|يوم|سنه|عام)|ما تاريخ(?:ه| ذلك| هذا)){_SAID}$"),
    (WHERE, rf"^{_LEAD}(?:اين|من اين|في اي مكان|في اي مدينه|في اي بلد){_SAID}$"),
    (SOURCE, r"^(?:and\s+)?(?:what(?:'s|\s+is|\s+are|\s+was|\s+were)?\s+(?:the\s+|its\s+|their\s+)?sources?|"
             r"(?:from\s+)?which\s+(?:sources?|agency|outlet|newspaper)|sources?|who\s+reported\s+(?:that|this|it)|"
             r"where\s+(?:is|was|'s)\s+(?:that|this|it)\s+from|where\s+did\s+(?:that|this|it)\s+come\s+from)$"),
    (WHEN, rf"^(?:and\s+)?(?:when{_EN_SAID}|(?:what|which)\s+(?:date|day|year)(?:\s+was\s+(?:that|this|it))?)$"),
    (WHERE, rf"^(?:and\s+)?where{_EN_SAID}$"),
)]
_PRONOUN = [re.compile(p) for p in (
    rf"^{_LEAD}{_WHAT} {_SAY}(?: {_ALSO})? (?P<rest>{_AR_ABOUT} .+|{_AR_TIME})$",
    rf"^(?:and\s+|so\s+)?what\s+(?:did|does|has|had|do|have)\s+{_EN_HE}\s+(?:say|said|tell|told|think|state|stated)"
    r"(?:\s+else)?\s+(?P<rest>(?:about|on|regarding|concerning|of)\s+.+|yesterday|today|recently|"
    r"last\s+\w+|(?:in|during)\s+(?:19|20)\d\d)$",
)]
_AND_ABOUT = [re.compile(p) for p in (
    rf"^{_LEAD}(?:ماذا|ما ذا|ما) (?:عن|بشان|بخصوص|حول) (?P<x>.+)$",
    r"^و ?(?:عن|بشان|بخصوص|حول) (?P<x>.+)$",
    r"^و ?بالنسبه (?:ل|الى) ?(?P<x>.+)$",
    r"^و (?P<x>.+)$",
    r"^(?:and\s+|so\s+)?(?:what|how)\s+about\s+(?P<x>.+)$",
    r"^and\s+(?:about|regarding|on)\s+(?P<x>.+)$",
    r"^and\s+(?P<x>.+)$",
)]
_AR_ATTACHED = re.compile(r"^و(?P<x>[^\sو].*)$")
#: Words whose own first letter is و (not «and»): «وزير الخارجية؟» is not «و + زير الخارجية».
_WAW_WORDS = frozenset({
    "وزير", "وزيره", "وزراء", "وزاره", "وزارات", "واشنطن", "وكاله", "وكالات", "وكيل", "وفد", "وفود", "وقف",
    "ولي", "ولايه", "ولايات", "وباء", "وادي", "وسط", "وضع", "وثيقه", "وثائق", "وحده", "وحدات", "وطن",
    "وطني", "وطنيه", "وقت", "وقود", "ورقه", "وصول", "وفاه", "وفيات", "وجود", "وعد", "وعود", "ولاده",
    "وظائف", "وظيفه", "وسائل", "وسيله", "واردات", "واقع", "وجهه", "وساطه", "وسيط", "ودائع", "ورشه", "وانغ",
    "وليد", "وائل",
})
#: A subject that starts with a question word is a question of its own («ومتى افتتح المؤتمر؟»).
_QUESTION_WORDS = frozenset({
    "ماذا", "ما", "متي", "اين", "من", "كم", "كيف", "لماذا", "لم", "لما", "هل", "اي", "مين", "شو",
    "ليش", "وين", "ايش", "what", "who", "whom", "whose", "when", "where", "why", "how", "which", "whether", "is",
    "are", "was", "were", "do", "does", "did", "can", "could", "will", "would", "should", "has", "have", "had",
    "then",
})
_AR_PHRASE = re.compile(r"\s(?:عن|في|حول|بشأن|بشان|بخصوص|إلى|الى|من|على|مع)\s")
_EN_PHRASE = re.compile(r"\s(?:about|in|on|of|for|regarding|at|from|with|by)\s", re.IGNORECASE)


@dataclass(frozen=True)
class Turn:
    """What a message asks, once resolved against the chat's context.

    Attributes:
        kind: ASK (answer ``question``), MORE (the next page) or DETAILS (the date, place
            or sources of what was just shown).
        question: the complete question to answer (ASK).
        exclude: passages to leave out of its answer, as (article id, passage index).
        about: how a follow-up was understood, as a full question to show in one line
            («ماذا قال نتنياهو عن سوريا؟»); None for a question asked in full.
        detail: WHEN, WHERE or SOURCE (DETAILS).
        language: the language the message is written in ("" when it says nothing).
    """

    kind: str
    question: Question | None = None
    exclude: frozenset[Ref] = frozenset()
    about: str | None = None
    detail: str | None = None
    language: str = ""


def resolve(
    text: str,
    context: ChatContext | None,
    *,
    now: float,
    is_person: Callable[[str], bool] = lambda name: False,
    expiry: float = EXPIRY_SECONDS,
) -> Turn:
    """Turn a message into what it asks, given the chat's context.

    Args:
        text: the message as typed.
        context: what the chat remembers (None: nothing); ignored once older than ``expiry``.
        now: the time now (seconds since the epoch, as ``ChatContext.updated``).
        is_person: whether a name is someone quoted in the index (then «وماذا عن X؟» asks
            about X; otherwise X is a topic).
        expiry: seconds of silence after which the context is forgotten.

    Raises:
        QuestionError: the message is empty or has no words (as ``understand``).
    """
    if isinstance(text, str) and _key(strip_invisible(text)) in MORE_WORDS:  # "+" has no words to understand
        said = language_of(text)
        return Turn(MORE, language=said if said in ("ar", "en") else "")
    question = understand(text, cut=True)
    language = question.language if question.language in ("ar", "en") else ""
    key = _key(question.text)
    if context is None or not context.fresh(now, expiry):
        subject = None if question.asks_person else _subject(key, question.text, is_person)
        if subject is not None and is_person(subject):  # «وماذا عن شي؟» in a new chat: Xi's statements
            rebuilt = who_said(subject, None, None, language or "ar")
            return Turn(ASK, understand(rebuilt), about=rebuilt, language=language)
        return Turn(ASK, question, language=language)
    for kind, pattern in _DETAILS:
        if pattern.match(key):
            return Turn(DETAILS, detail=kind, language=language)
    said = language or context.language
    if any(p.match(key) for p in _ELSE):
        if context.who is None:
            return Turn(MORE, language=language)
        about = _what_else(context.who, said)
        return Turn(ASK, context.question, frozenset(context.seen), about, language=language)
    rebuilt = _pronoun(key, question.text, context, said)
    if rebuilt is None and not question.asks_person:  # «وماذا قال بايدن؟» is asked in full
        rebuilt = _and_about(key, question.text, context, said, is_person)
    if rebuilt is None:
        return Turn(ASK, question, language=language)
    return Turn(ASK, understand(rebuilt, cut=True), about=rebuilt, language=language)


def who_said(person: str, topic: str | None, when: str | None, language: str) -> str:
    """«ماذا قال X عن T أمس؟» / "What did X say about T yesterday?" (a time in the other
    script is left out: the question form would not read it)."""
    if when and language_of(when) not in (language, ""):
        when = None
    if language == "en":
        return f"What did {person} say" + (f" about {topic}" if topic else "") + (f" {when}" if when else "") + "?"
    return f"ماذا قال {person}" + (f" عن {topic}" if topic else "") + (f" {when}" if when else "") + "؟"


def _what_else(person: str, language: str) -> str:
    return f"What else did {person} say?" if language == "en" else f"ماذا قال {person} أيضا؟"


def _pronoun(key: str, text: str, context: ChatContext, language: str) -> str | None:
    """«ماذا قال عن سوريا؟» with the last person put in: «ماذا قال أردوغان عن سوريا؟»."""
    if context.who is None:
        return None
    for pattern in _PRONOUN:
        match = pattern.match(key)
        if match:
            rest = _written(text, key, match.start("rest"))
            if language == "en":
                return f"What did {context.who} say {rest}?"
            return f"ماذا قال {context.who} {rest}؟"
    return None


def _and_about(
    key: str, text: str, context: ChatContext, language: str, is_person: Callable[[str], bool]
) -> str | None:
    """«وماذا عن X؟»: the last question about X (a person, or a topic)."""
    subject = _subject(key, text, is_person)
    if subject is None:
        return None
    last = context.question
    if context.who is not None:
        person, when = _timed(subject)
        if is_person(person):  # «وماذا عن شي في 2017؟»: Xi, in 2017
            return who_said(person, last.topic, when or last.when, language)
        return who_said(context.who, subject, last.when, language)
    if is_person(subject):  # after a search, a quoted person is asked about as one
        return who_said(subject, None, None, language)
    return _swap_subject(last.text, subject)


_TIMED = re.compile(
    rf"^(?P<x>.+?)\s+(?P<when>{_AR_TIME}|yesterday|today|recently|(?:in|during)\s+(?:19|20)\d\d)$", re.IGNORECASE
)


def _timed(subject: str) -> tuple[str, str | None]:
    """«شي في 2017» -> («شي», «في 2017»): a time at the end of a follow-up's subject, apart."""
    match = _TIMED.match(fold_letters(subject))
    if match is None:
        return subject, None
    return subject[: match.end("x")], subject[match.start("when") :]


def _subject(key: str, text: str, is_person: Callable[[str], bool]) -> str | None:
    """X in «وماذا عن X؟» / "and X?", as written, or None when the message is not that
    (X is a question of its own, or «وX؟» is one word that starts with و: «وزير الخارجية؟»)."""
    for pattern in _AND_ABOUT:
        match = pattern.match(key)
        if match:
            break
    else:
        match = _AR_ATTACHED.match(key)
        if match is None or len(key.split()) > 3 or not text.rstrip().endswith(("؟", "?")):
            return None
        if key.split()[0] in _WAW_WORDS:
            return None
        whole = _written(text, key, 0)
        if is_person(whole) and not is_person(_written(text, key, match.start("x"))):
            return None  # «وانغ يي؟»: a name that starts with و
    subject = _written(text, key, match.start("x")).strip(" \"'«»“”")
    if not subject or len(subject.split()) > _MAX_SUBJECT_WORDS:
        return None
    if key[match.start("x") :].strip(" \"'«»“”").split()[0] in _QUESTION_WORDS:
        return None
    return subject


def _swap_subject(last: str, subject: str) -> str:
    """The last search question about ``subject``: its last «في/عن …» phrase swapped
    («متى افتتح المؤتمر في ووتشن؟» -> «… في بكين؟»), else its last words («ما هي عاصمة
    فرنسا؟» + «وألمانيا؟» -> «ما هي عاصمة ألمانيا؟»: Arabic puts what a question is about last)."""
    core = last.rstrip().rstrip("؟?!. ")
    mark = "?" if language_of(last) == "en" else "؟"
    phrases = list((_EN_PHRASE if mark == "?" else _AR_PHRASE).finditer(core))
    if phrases:
        return f"{core[: phrases[-1].end()]}{subject}{mark}"
    words = core.split()
    return f"{' '.join(words[:-1] or words)} {subject}{mark}"


def _key(text: str) -> str:
    """The message as matched: marks and tatweel gone, letter variants folded, lower case,
    no final punctuation."""
    return fold_letters(_plain(text)).lower()


def _plain(text: str) -> str:
    text = MARKS.sub("", unicodedata.normalize("NFKC", text))
    return " ".join(text.split()).rstrip("؟?!.،, ").strip()


def _written(text: str, key: str, start: int) -> str:
    """What follows ``start`` of ``key`` in the message as written (``key`` folds letters
    one for one, so offsets agree with the plain text)."""
    plain = _plain(text)
    return plain[start:] if len(plain) == len(key) else key[start:]
