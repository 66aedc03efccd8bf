"""Retrieval quality on SQuAD-format QA sets: recall@k and MRR@10 over sentence chunks."""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from retrieval.errors import NewsqaError, os_reason
from retrieval.index.indexer import update_index
from retrieval.model.embedder import Embedder
from retrieval.query.pipeline import Pipeline, default_pipeline
from retrieval.query.types import Query
from retrieval.service import NewsService
from retrieval.text.normalize import normalize_arabic

KS = (1, 3, 5, 10)


@dataclass(frozen=True)
class QAItem:
    question: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class StageScores:
    """Ranking quality of one variant of the search (a row of ``--ablation``)."""

    recall: dict[int, float]
    mrr10: float
    mean_query_ms: float

    def to_json(self) -> dict:
        return {
            "recall": {f"R@{k}": round(v, 4) for k, v in self.recall.items()},
            "mrr10": round(self.mrr10, 4),
            "mean_query_ms": round(self.mean_query_ms, 2),
        }


@dataclass(frozen=True)
class EvalReport:
    dataset: str
    questions: int
    chunks: int
    mean_chunk_chars: float
    recall: dict[int, float]
    mrr10: float
    gated_recall10: float
    index_seconds: float
    mean_query_ms: float
    stages: dict[str, StageScores] | None = None

    def to_json(self) -> dict:
        data = asdict(self)
        data["recall"] = {f"R@{k}": round(v, 4) for k, v in self.recall.items()}
        if self.stages is None:
            del data["stages"]
        else:
            data["stages"] = {name: scores.to_json() for name, scores in self.stages.items()}
        return data

    def ablation_rows(self) -> list[str]:
        """The ``--ablation`` table's rows for this data set."""
        rows = []
        for name, scores in (self.stages or {}).items():
            r = scores.recall
            rows.append(
                f"  {name:<30} {r[1]:.3f} {r[3]:.3f} {r[5]:.3f} {r[10]:.3f} {scores.mrr10:.3f} "
                f"{scores.mean_query_ms:>8.1f}"
            )
        return rows

    def table_row(self) -> str:
        r = self.recall
        return (
            f"{self.dataset:<32} {self.questions:>6,} {self.chunks:>7,} {self.mean_chunk_chars:>6.0f} "
            f"{r[1]:.3f} {r[3]:.3f} {r[5]:.3f} {r[10]:.3f} {self.mrr10:.3f} "
            f"{self.gated_recall10:.3f} {self.index_seconds:>7.1f} {self.mean_query_ms:>7.1f}"
        )


TABLE_HEADER = (
    f"{'dataset':<32} {'quest.':>6} {'chunks':>7} {'chars':>6} "
    "R@1   R@3   R@5   R@10  MRR10 gateR10 index_s query_ms"
)
ABLATION_HEADER = f"  {'stage':<30} R@1   R@3   R@5   R@10  MRR10 query_ms"


def load_squad(path: Path) -> tuple[list[dict], list[tuple[QAItem, str]]]:
    """Read a SQuAD-format file into article records and questions.

    Returns:
        (records, items): one JSON article record per paragraph (title = the SQuAD
        article title and the paragraph number), and each question with its gold
        answers and the record's title.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))["data"]
    except OSError as exc:
        raise NewsqaError(f"cannot read the QA set {path}: {os_reason(exc)}; name SQuAD-format JSON files") from None
    except (ValueError, KeyError) as exc:
        raise NewsqaError(f"cannot read the QA set {path}: not SQuAD-format JSON ({exc})") from None
    records, items = [], []
    for article in data:
        for n, paragraph in enumerate(article["paragraphs"], start=1):
            title = f"{article.get('title', 'untitled')} ({n})"
            records.append({"title": title, "content": paragraph["context"]})
            for qa in paragraph.get("qas", []):
                answers = tuple(a["text"] for a in qa.get("answers", []) if a.get("text"))
                if answers and qa.get("question", "").strip():
                    items.append((QAItem(qa["question"], answers), title))
    return records, items


def contains_answer(chunk: str, answers: tuple[str, ...]) -> bool:
    """Whether a chunk holds one of the gold answers, both normalised the same way."""
    text = normalize_arabic(chunk)
    return any(normalize_arabic(a) and normalize_arabic(a) in text for a in answers)


def evaluate(
    path: Path, embedder: Embedder, *, margin: float | None, min_score: float, ablation: bool = False
) -> EvalReport:
    """Index the QA set's paragraphs as articles with the normal pipeline and measure.

    The search is the one the bot runs (same chunking, model, ranking); ``gated_recall10``
    also applies the relevance gate, as users see it. Ranking metrics use no gate.
    With ``ablation``, each stage is also measured alone (see ``ablation_pipelines``),
    and dense retrieval over sentences embedded without their title, on an index of
    its own.
    """
    records, items = load_squad(path)
    if not items:
        raise NewsqaError(f"{path} holds no question with an answer")
    with tempfile.TemporaryDirectory(prefix="newsqa-eval-") as tmp:
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        (seeds / "paragraphs.jsonl").write_text(
            "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
        )
        ungated = NewsService(seeds, Path(tmp) / "index", embedder, min_score=-1.0)
        started = time.perf_counter()
        ungated.open(build=True)
        index_seconds = time.perf_counter() - started
        gated = NewsService(seeds, Path(tmp) / "index", embedder, min_score=min_score, margin=margin)
        gated.open(build=False)
        chunks = ungated.index.passages
        final = _score(ungated, items)
        gated_hits = _gated_recall(gated, items)
        stages = _ablation(ungated, items, seeds, Path(tmp) / "plain") if ablation else None
    n = len(items)
    return EvalReport(
        dataset=Path(path).name,
        questions=n,
        chunks=len(chunks),
        mean_chunk_chars=statistics.fmean(len(p.text) for p in chunks),
        recall=final.recall,
        mrr10=final.mrr10,
        gated_recall10=gated_hits / n,
        index_seconds=index_seconds,
        mean_query_ms=final.mean_query_ms,
        stages=stages,
    )


def _score(service: NewsService, items: list[tuple[QAItem, str]], batch: int = 64) -> StageScores:
    """Recall@k and MRR@10 of the service's search, and the time of single questions."""
    hits_at: dict[int, int] = {k: 0 for k in KS}
    reciprocal = 0.0
    query_times = []
    for start in range(0, len(items), batch):
        part = items[start : start + batch]
        for item, _ in part[:4]:  # time single questions, as a user would ask them
            t = time.perf_counter()
            service.answer(item.question, k=10)
            query_times.append(time.perf_counter() - t)
        answers = service.answer_many([Query(item.question, 10) for item, _ in part])
        for (item, _), answer in zip(part, answers):
            first = next(
                (h.rank for h in answer.hits if contains_answer(h.passage.text, item.answers)), None
            )
            if first is not None:
                for k in KS:
                    hits_at[k] += first <= k
                reciprocal += 1.0 / first
    n = len(items)
    return StageScores({k: hits_at[k] / n for k in KS}, reciprocal / n, 1000 * statistics.fmean(query_times))


def _gated_recall(service: NewsService, items: list[tuple[QAItem, str]], batch: int = 64) -> int:
    """How many questions have an answer among the top 10 that pass the relevance gate."""
    found = 0
    for start in range(0, len(items), batch):
        part = items[start : start + batch]
        for (item, _), answer in zip(part, service.answer_many([Query(i.question, 10) for i, _ in part])):
            found += any(contains_answer(h.passage.text, item.answers) for h in answer.hits)
    return found


def ablation_pipelines() -> dict[str, Pipeline]:
    """Each stage of the search alone, then together: the rows of ``eval --ablation``."""
    default = default_pipeline()
    dense, lexical = default.retriever("dense"), default.retriever("lexical")
    return {
        "dense (title: sentence)": Pipeline(retrievers=(dense,), stages=default.stages),
        "lexical (BM25)": Pipeline(retrievers=(lexical,), stages=default.stages),
        "fused (dense + BM25 bonus)": Pipeline(retrievers=(dense, lexical), fusion=default.fusion),
        "final (as the bot runs it)": default,
    }


def _ablation(service: NewsService, items, seeds: Path, plain_folder: Path) -> dict[str, StageScores]:
    """Every ablation pipeline on the same index, and dense over sentences alone."""
    stages = {}
    plain = NewsService(seeds, plain_folder, service.embedder, min_score=-1.0)
    update_index(seeds, plain_folder, service.embedder, titles=False)
    plain.reload()
    plain.pipeline = ablation_pipelines()["dense (title: sentence)"]
    stages["dense (sentence alone)"] = _score(plain, items)
    default = service.pipeline
    try:
        for name, pipeline in ablation_pipelines().items():
            service.pipeline = pipeline
            stages[name] = _score(service, items)
    finally:
        service.pipeline = default
    return stages
