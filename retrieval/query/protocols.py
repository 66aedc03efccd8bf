"""The pipeline's ports: retrievers propose candidates, a fusion merges them, stages filter.

A new retriever or stage is one class with these methods and one line in
``retrieval.query.pipeline.default_pipeline``; tests/test_ports.py runs the contract test
against each.
"""

from __future__ import annotations

from typing import Mapping, Protocol, Sequence, runtime_checkable

from retrieval.index.loaded import LoadedIndex
from retrieval.query.types import Candidate, Found, Request


@runtime_checkable
class Retriever(Protocol):
    """Finds candidate passages for questions: one candidate generator of the pipeline.

    ``name`` is how the fusion finds its list ("dense", "lexical", "speaker").
    """

    name: str

    def prepare(self, index: LoadedIndex, texts: Sequence[str]) -> None:
        """Work that needs only the questions' text (BM25 scoring), done while they are
        embedded; the pipeline decides whether it runs on another thread. May do nothing."""
        ...

    def retrieve(self, index: LoadedIndex, requests: Sequence[Request], depth: int) -> list[Found]:
        """The best ``depth`` candidates for each request (fewer when there are no more).

        Each candidate carries its ``dense`` cosine with the question, whatever this
        retriever ranks by, so that the relevance gate works after fusion.
        """
        ...


@runtime_checkable
class Fusion(Protocol):
    """Merges the retrievers' lists for one question, found by retriever name."""

    def __call__(self, index: LoadedIndex, request: Request, found: Mapping[str, Found]) -> list[Candidate]: ...


@runtime_checkable
class Stage(Protocol):
    """Turns one question's candidates into others: a filter, a re-ranker, the gate."""

    name: str

    def apply(self, index: LoadedIndex, request: Request, candidates: list[Candidate]) -> list[Candidate]:
        """The candidates to keep, best first."""
        ...
