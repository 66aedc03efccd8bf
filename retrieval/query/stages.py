"""Stages over one question's candidates: the relevance gate, names asked, statements' order
(and those about the topic asked), wire copies, passages already shown."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

import numpy as np

from retrieval.index.loaded import LoadedIndex
from retrieval.query.types import Candidate, Request
from retrieval.text.normalize import normalize_arabic, question_terms, term_spans, words
from retrieval.text.terms import share_mentioned, topic_words
from retrieval.text.transliteration import has_latin, latin_matches


class RelevanceFilter:
    """Keeps candidates whose dense cosine reaches the question's gate threshold.

    The threshold comes from ``retrieval.query.gate.RelevanceGate`` (the best score of
    unrelated background sentences plus a margin); it is compared with the dense cosine
    even when another score ranks the candidates. A person's statements are listed
    whole: the gate does not apply to them.
    """

    name = "gate"

    def apply(self, index: LoadedIndex, request: Request, candidates: list[Candidate]) -> list[Candidate]:
        if request.lists_statements:
            return candidates
        return [c for c in candidates if c.dense >= request.threshold]


#: A statement is about the topic asked when its relevance reaches this:
#:     relevance = cosine(passage, topic) - baseline + TOPIC_WORDS_WEIGHT * words
#: where ``baseline`` is the topic's best cosine with everyday sentences (its background,
#: ``RelevanceGate.baselines``) and ``words`` the share of the topic's words that the
#: passage or its article's title holds (``retrieval.text.terms.share_mentioned``).
#: Measured on the labelled pairs of bench/attribution/topics.jsonl: see
#: bench/topic_threshold.py (precision and recall at each threshold) and bench/README.md.
TOPIC_THRESHOLD = 0.025
#: What finding all the topic's words adds (chosen with the threshold, same bench).
TOPIC_WORDS_WEIGHT = 0.05


class StatementOrder:
    """A person's statements grouped by article, each article's in order, the articles
    newest first. When the question names a topic, the statements about it
    (``topic_relevance`` at least TOPIC_THRESHOLD) come first, their articles most
    relevant first (an article counts as relevant as its most relevant statement); the
    others follow, newest first, marked ``aside``. Other lists pass as they are.
    """

    name = "statement-order"

    def apply(self, index: LoadedIndex, request: Request, candidates: list[Candidate]) -> list[Candidate]:
        if not request.lists_statements:
            return candidates
        if request.topic is None or not request.question.topic:
            return _by_article(index, candidates, lambda aid: _newest_first(index, aid))
        relevance = topic_relevance(
            index, [c.position for c in candidates], request.topic, request.topic_baseline, request.question.topic
        )
        about = [replace(c, score=float(r)) for c, r in zip(candidates, relevance) if r >= TOPIC_THRESHOLD]
        aside = [replace(c, score=float(r), aside=True) for c, r in zip(candidates, relevance) if r < TOPIC_THRESHOLD]
        best: dict[str, float] = {}
        for c in about:
            aid = index.passages[c.position].article_id
            best[aid] = max(best.get(aid, -np.inf), c.score)
        return _by_article(index, about, lambda aid: (-best[aid], aid)) + _by_article(
            index, aside, lambda aid: _newest_first(index, aid)
        )


def topic_relevance(
    index: LoadedIndex, positions: list[int], topic: np.ndarray, baseline: float, words_of: str
) -> np.ndarray:
    """How much each passage at ``positions`` is about a topic: its cosine with the topic's
    embedding above the topic's ``baseline``, plus TOPIC_WORDS_WEIGHT times the share of the
    topic's words (``words_of``, as asked) found in the passage or its article's title."""
    if not positions:
        return np.zeros(0, dtype=np.float32)
    dense = index.vectors_at(positions) @ topic - baseline
    wanted = topic_words(words_of)
    titles: dict[str, str] = {}
    shares = []
    for position in positions:
        passage = index.passages[position]
        title = titles.setdefault(passage.article_id, index.source(passage.article_id).title)
        shares.append(share_mentioned(wanted, f"{passage.text} {title}"))
    return dense + TOPIC_WORDS_WEIGHT * np.asarray(shares, dtype=np.float32)


def _by_article(index: LoadedIndex, candidates: list[Candidate], order) -> list[Candidate]:
    """Candidates grouped by article, the articles sorted by ``order`` (a key of an article
    id), each article's candidates in passage order."""
    by_article: dict[str, list[Candidate]] = {}
    for candidate in candidates:
        by_article.setdefault(index.passages[candidate.position].article_id, []).append(candidate)
    return [
        c
        for aid in sorted(by_article, key=order)
        for c in sorted(by_article[aid], key=lambda c: index.passages[c.position].index)
    ]


def _newest_first(index: LoadedIndex, article_id: str) -> tuple:
    date = index.source(article_id).date
    return (date is None, -(date.toordinal() if date else 0), article_id)


class DropCopies:
    """Keeps the first of passages with the same normalised text (wire copies, reprints);
    the others' positions go with it (``Candidate.copies``), so that a statement is shown
    once with every source that carried it."""

    name = "copies"

    def apply(self, index: LoadedIndex, request: Request, candidates: list[Candidate]) -> list[Candidate]:
        first: dict[int, int] = {}  # copy key -> index in kept
        kept: list[Candidate] = []
        copies: dict[int, list[int]] = {}
        for candidate in candidates:
            key = int(index.copy_keys[candidate.position])
            if key in first:
                copies.setdefault(first[key], []).append(candidate.position)
            else:
                first[key] = len(kept)
                kept.append(candidate)
        for i, positions in copies.items():
            kept[i] = replace(kept[i], copies=kept[i].copies + tuple(positions))
        return kept


class DropShown:
    """Leaves out the passages the request says were already shown (``Request.exclude``):
    «ماذا قال أيضا؟» lists only statements not shown yet. A candidate goes when it, or a
    wire copy folded into it, was shown."""

    name = "shown"

    def apply(self, index: LoadedIndex, request: Request, candidates: list[Candidate]) -> list[Candidate]:
        if not request.exclude:
            return candidates

        def shown(position: int) -> bool:
            passage = index.passages[position]
            return (passage.article_id, passage.index) in request.exclude

        return [c for c in candidates if not shown(c.position) and not any(map(shown, c.copies))]


class MentionsAsked:
    """For a «who said what» question about someone nobody quoted, keeps only the passages
    that name them: the search's other passages say nothing about that person, and an
    honest «nobody of that name is quoted» beats five unrelated sentences."""

    name = "mentions"

    def apply(self, index: LoadedIndex, request: Request, candidates: list[Candidate]) -> list[Candidate]:
        person = request.person
        if person is None or person.found:
            return candidates
        names = mentions(person.asked)
        return [c for c in candidates if names(index.text(c.position))]


def mentions(name: str) -> Callable[[str], bool]:
    """Whether a text names the person ``name`` (made once for many texts): one of the
    name's words (Arabic, as a search term; Latin, by its Arabic spellings) is a word of
    the text. A text that does not hold one of the name's terms anywhere in its normalised
    form is ruled out before its words are matched one by one (a question about someone
    nobody quoted checks every passage the search goes through: measured over 1,532 ARCD
    passages, 466 ms word by word, 145 ms this way)."""
    latin = [w for w in name.split() if has_latin(w) and len(w) > 1]
    if latin:
        def by_spelling(text: str) -> bool:
            written = words(normalize_arabic(text))
            return any(latin_matches(w, arabic) for w in latin for arabic in written)
        return by_spelling
    terms = question_terms(name)

    def by_terms(text: str) -> bool:
        plain = normalize_arabic(text)
        return any(t in plain for t in terms) and bool(term_spans(text, terms))
    return by_terms
