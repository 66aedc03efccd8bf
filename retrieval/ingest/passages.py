"""The passage recipe (pure): an article's sentence passages with their speakers, and the
model's input for each.
"""

from __future__ import annotations

import hashlib

from retrieval.attribution.statements import attribute_article
from retrieval.ingest.chunking import chunk_sentences
from retrieval.text.normalize import strip_invisible
from retrieval.types import Article, Passage, Span

#: Passages: sentences, long ones cut near 600 characters, fragments under 60 joined to a
#: neighbour (chosen by measurement: mean length 1.0-1.05× a plain sentence split).
PASSAGE_MAX_CHARS = 600


PASSAGE_MIN_CHARS = 60


def recipe(titles: bool = True) -> str:
    """How passages are made from articles; an index made another way is rebuilt."""
    feed = "title: sentence" if titles else "sentence"
    return f"passages {PASSAGE_MAX_CHARS}/{PASSAGE_MIN_CHARS} headline; input {feed}; speakers 2; terms light 1"


def article_sentences(article: Article, max_chars: int = 400, min_chars: int = 20) -> list[Span]:
    """The article's sentence spans: its headline (when it has one of its own), then the
    body's sentences as the chunker splits them (pure)."""
    head = article.text[: article.title_end]
    spans = chunk_sentences(article.text, article.body_start, max_chars=max_chars, min_chars=min_chars)
    if not head.strip():
        return spans
    start = len(head) - len(head.lstrip())
    return [Span(start, len(head.rstrip()), head.strip()), *spans]


def article_passages(article: Article) -> list[Passage]:
    """Split an article into its sentence passages, each with the people it quotes (pure).

    Who says what is found on the article's finer sentence split (as the chunker makes
    it by default, one clause of speech at a time); a passage's speakers are those of
    the fine sentences it covers, the one covering most of it first.
    """
    spans = article_sentences(article, PASSAGE_MAX_CHARS, PASSAGE_MIN_CHARS)
    speakers = passage_speakers(article, spans)
    return [
        Passage(article.article_id, i, s.text, s.start, s.end, speakers[i])
        for i, s in enumerate(spans)
    ]


def passage_speakers(article: Article, spans: list[Span]) -> list[tuple[str, ...]]:
    """For each passage span, the speakers of the statements it covers (pure)."""
    fine = article_sentences(article)
    statements = attribute_article([f.text for f in fine], title=article.source.title)
    result: list[tuple[str, ...]] = []
    for span in spans:
        weights: dict[str, int] = {}
        for sentence, statement in zip(fine, statements):
            overlap = min(span.end, sentence.end) - max(span.start, sentence.start)
            if statement is not None and overlap * 2 > sentence.end - sentence.start:
                weights[statement.speaker] = weights.get(statement.speaker, 0) + overlap
        result.append(tuple(sorted(weights, key=lambda name: -weights[name])))
    return result


def embedding_input(passage: Passage, title: str | None) -> str:
    """The text fed to the model (and to BM25) for a passage: «title: sentence».

    A sentence alone often lacks its subject; with the article's title in front, the
    vector knows what the article is about, while the hit stays the sentence. The
    vector cache is keyed on this text. Invisible characters (bidi marks, zero-width
    spaces) are left out: tokenizers disagree on them, and the embedding paths must
    agree (a trailing U+200F alone cost one ANT sentence 0.002 of cosine between paths).
    """
    title = " ".join(strip_invisible(title or "").split())
    text = strip_invisible(passage.text)
    return f"{title}: {text}" if title and text != title else text


def passage_keys(article: Article, *, titles: bool = True) -> list[str]:
    """The embedding keys of an article's passages, as ``article_job`` makes them, without
    finding who speaks (the scan counts them; pure)."""
    lead = article.source.title if titles else None
    spans = article_sentences(article, PASSAGE_MAX_CHARS, PASSAGE_MIN_CHARS)
    return [embed_key(embedding_input(Passage(article.article_id, i, s.text, s.start, s.end), lead))
            for i, s in enumerate(spans)]


def embed_key(text: str) -> str:
    """The embedding-cache key of a text (what was fed to the model)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()
