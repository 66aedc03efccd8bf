"""What a chat remembers between messages (pure): the last question as resolved, what was shown.

A ``ChatContext`` is all a follow-up needs: the question last answered (person, topic,
time, language), whom its answer found, which passages the last reply showed (with their
sources, for «متى قال ذلك؟») and which were shown since that person came up (for «ماذا
قال أيضا؟»), and where «المزيد» goes on. It holds no passage text; ``to_dict`` and
``from_dict`` turn it into plain JSON data for the store (``bot.chat_store``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Sequence

from retrieval.query.types import Question
from retrieval.types import Answer, Hit, Source

#: A context older than this (seconds of silence) is forgotten.
EXPIRY_SECONDS = 30 * 60
#: Passages remembered as shown for one person or question (the oldest go first).
MAX_SEEN = 200
#: Passages of the last reply remembered with their sources.
MAX_SHOWN = 20
SCHEMA = 1

Ref = tuple[str, int]


@dataclass(frozen=True)
class Shown:
    """A passage the last reply showed: where it stands and its source."""

    article_id: str
    index: int
    source: Source


@dataclass(frozen=True)
class ChatContext:
    """A chat's memory of the conversation so far.

    Attributes:
        question: the last question answered, complete (a follow-up resolved).
        language: the language the last reply was written in ("ar" or "en").
        person: whom that answer listed statements of (the name as quoted), if anyone.
        exclude: passages that question's answer left out (it asked for what else).
        shown: the last reply's passages, with their sources.
        seen: every passage shown since this person (or this question) came up.
        next_offset: where the next page starts, or None when there is none.
        updated: when the chat last spoke (seconds since the epoch).
    """

    question: Question
    language: str = "ar"
    person: str | None = None
    exclude: frozenset[Ref] = frozenset()
    shown: tuple[Shown, ...] = ()
    seen: tuple[Ref, ...] = ()
    next_offset: int | None = None
    updated: float = 0.0

    @property
    def who(self) -> str | None:
        """The person the conversation is about: the one found, else the one asked."""
        return self.person or self.question.person

    def fresh(self, now: float, expiry: float = EXPIRY_SECONDS) -> bool:
        return now - self.updated <= expiry

    def to_dict(self) -> dict:
        q = self.question
        return {
            "v": SCHEMA,
            "question": {
                "text": q.text, "language": q.language, "form": q.form, "person": q.person,
                "topic": q.topic, "when": q.when, "year": q.year,
            },
            "language": self.language,
            "person": self.person,
            "exclude": sorted([a, i] for a, i in self.exclude),
            "shown": [{"article_id": s.article_id, "index": s.index, "source": s.source.to_dict()} for s in self.shown],
            "seen": [[a, i] for a, i in self.seen],
            "next_offset": self.next_offset,
            "updated": self.updated,
        }

    @classmethod
    def from_dict(cls, data: dict) -> ChatContext:
        """The context ``to_dict`` wrote.

        Raises:
            ValueError: the data is not a context of this version (damaged, or older):
                a key missing or a value of the wrong type.
        """
        try:
            if data.get("v") != SCHEMA:
                raise ValueError(f"context version {data.get('v')!r}, expected {SCHEMA}")
            q = data["question"]
            question = Question(
                _str(q["text"]), _str(q["language"]), _str(q["form"]), _opt(q["person"]), _opt(q["topic"]),
                _opt(q["when"]), None if q["year"] is None else _int(q["year"]),
            )
            return cls(
                question=question,
                language=_str(data["language"]),
                person=_opt(data["person"]),
                exclude=frozenset(_ref(r) for r in _list(data["exclude"])),
                shown=tuple(
                    Shown(_str(s["article_id"]), _int(s["index"]), _source(s["source"])) for s in _list(data["shown"])
                ),
                seen=tuple(_ref(r) for r in _list(data["seen"])),
                next_offset=None if data["next_offset"] is None else _int(data["next_offset"]),
                updated=_number(data["updated"]),
            )
        except (KeyError, TypeError, AttributeError, OverflowError) as exc:
            raise ValueError(f"not a chat context: {exc!r}") from exc


def _str(value) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {value!r}")
    return value


def _opt(value) -> str | None:
    return None if value is None else _str(value)


def _int(value) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected a whole number, got {value!r}")
    return value


def _number(value) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise TypeError(f"expected a finite number, got {value!r}")
    return float(value)


def _list(value) -> list | tuple:
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"expected a list, got {value!r}")
    return value


def _ref(value) -> Ref:
    article_id, index = _list(value)
    return _str(article_id), _int(index)


def _source(value) -> Source:
    if not isinstance(value, dict):
        raise TypeError(f"expected a source, got {value!r}")
    _str(value["path"]), _str(value["title"])
    return Source.from_dict(value)


@dataclass(frozen=True)
class Reply:
    """What one reply showed, for ``ChatContext`` to remember.

    Attributes:
        answer: the answer (its person, when it listed someone's statements).
        hits: the hits the reply showed (a page of the answer's).
        language: the language it was written in.
        next_offset: where the next page starts (None: no more).
    """

    answer: Answer
    hits: Sequence[Hit] = field(default_factory=tuple)
    language: str = "ar"
    next_offset: int | None = None


def after_question(
    context: ChatContext | None, question: Question, exclude: frozenset[Ref], reply: Reply, now: float
) -> ChatContext:
    """The context once ``question`` (new, or a follow-up resolved) was answered by ``reply``.

    Passages shown for the same person carry over (so «ماذا قال أيضا؟» leaves out all of
    them); a new person or a new question starts afresh.
    """
    found = [p.name for p in reply.answer.people if p.found]  # «ماذا قال ترامب وأردوغان؟»: both
    person = " و".join(found) if found else None
    same = context is not None and person is not None and context.person == person
    seen = context.seen if same else ()
    return ChatContext(
        question=question,
        language=reply.language,
        person=person,
        exclude=exclude,
        shown=_shown(reply.hits),
        seen=_seen(seen, reply.hits),
        next_offset=reply.next_offset,
        updated=now,
    )


def after_page(context: ChatContext, reply: Reply, now: float) -> ChatContext:
    """The context once the next page of its question was shown."""
    return replace(
        context,
        language=reply.language,
        shown=_shown(reply.hits) or context.shown,
        seen=_seen(context.seen, reply.hits),
        next_offset=reply.next_offset,
        updated=now,
    )


def touched(context: ChatContext, now: float) -> ChatContext:
    """The context, still alive: the chat spoke (asked where or when) without a new answer."""
    return replace(context, updated=now)


def _shown(hits: Sequence[Hit]) -> tuple[Shown, ...]:
    return tuple(Shown(h.passage.article_id, h.passage.index, h.source) for h in hits[:MAX_SHOWN])


def _seen(seen: tuple[Ref, ...], hits: Sequence[Hit]) -> tuple[Ref, ...]:
    new = dict.fromkeys((h.passage.article_id, h.passage.index) for h in hits)
    kept = [ref for ref in seen if ref not in new]  # a passage shown again counts as recent
    return (*kept, *new)[-MAX_SEEN:]
