"""Answering over a loaded index: understanding a question, retrievers, fusion, stages, the gate.

Exports ``understand`` (text to ``Question``, for every front end), ``Query`` and
``answer_many``; ``default_pipeline`` is where retrievers and stages are put together.
"""

from retrieval.query.answer import answer, answer_many
from retrieval.query.pipeline import Pipeline, default_pipeline
from retrieval.query.types import DEFAULT_K, MAX_K, MAX_STATEMENTS, Query, Question
from retrieval.query.understanding import MAX_QUESTION_CHARS, understand

__all__ = [
    "DEFAULT_K",
    "MAX_K",
    "MAX_QUESTION_CHARS",
    "MAX_STATEMENTS",
    "Pipeline",
    "Query",
    "Question",
    "answer",
    "answer_many",
    "default_pipeline",
    "understand",
]
