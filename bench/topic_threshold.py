"""Measure which of a person's statements are about the topic asked («ماذا قال X عن Y؟»).

Usage:
    .venv/bin/python bench/topic_threshold.py [--seeds DIR] [--index DIR]

Reads the labelled (person, topic, passage, about) pairs of bench/attribution/topics.jsonl
(ANT internationalNews: every statement of the person, labelled by reading whether it is
about the topic), finds each passage in an index of the 1,260 internationalNews articles
built with the real model (``--index``; built there first when missing, a few minutes on
two cores; the articles are extracted from ../shared/data/news/antcorpus.tar.gz into
/tmp/ant when ``--seeds`` is not there), and scores it with the engine's own
``retrieval.query.stages.topic_relevance`` for the topic in Arabic and in English.

Prints precision and recall of "about" at candidate thresholds (Arabic topics, English
topics, both), the threshold the engine uses (``TOPIC_THRESHOLD``) with each question's
figures at it, the best threshold for each weight of the topic's words
(``TOPIC_WORDS_WEIGHT``), and leave-one-question-out figures (the threshold fitted on the
other questions), which say how well the choice carries to a question not seen.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tarfile
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retrieval.query.stages import TOPIC_THRESHOLD, TOPIC_WORDS_WEIGHT, topic_relevance  # noqa: E402
from retrieval.service import open_service  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402
from retrieval.text.terms import share_mentioned, topic_words  # noqa: E402

LABELS = ROOT / "bench" / "attribution" / "topics.jsonl"
ANT = ROOT.parent / "shared" / "data" / "news" / "antcorpus.tar.gz"
SEEDS = Path("/tmp/ant/antcorpus/internationalNews")
INDEX = Path("/tmp/newsqa-topic-index")
THRESHOLDS = np.round(np.arange(-0.02, 0.0651, 0.005), 3)
WEIGHTS = (0.0, 0.02, 0.03, 0.05, 0.08)


@dataclass(frozen=True)
class Scored:
    """One labelled pair scored for the topic in one language."""

    question: str  # person / topic
    language: str
    about: bool
    dense: float  # cosine above the topic's baseline
    words: float  # share of the topic's words found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=SEEDS, help="the internationalNews articles")
    parser.add_argument("--index", type=Path, default=INDEX, help="an index of them (built when missing)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("retrieval.ingest.articles").setLevel(logging.ERROR)
    if not args.seeds.is_dir() and not _extract(args.seeds):
        print(f"skipped: neither {args.seeds} nor {ANT} is there", file=sys.stderr)
        return 0
    settings = replace(load_settings(), seeds=args.seeds, index=args.index)
    service = open_service(settings)
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    scored, missing = score(service, rows)
    questions = len({s.question for s in scored})
    print(f"{len(rows)} labelled pairs, {sum(r['about'] for r in rows)} about the topic, {questions} questions; "
          f"{missing} passage(s) not found in the index")
    print(f"relevance = cosine - topic's background + {TOPIC_WORDS_WEIGHT} × share of the topic's words\n")
    table(scored)
    per_question(scored)
    weights(scored)
    return 0


def _extract(seeds: Path) -> bool:
    """internationalNews from the ANT tarball into ``seeds``' parent folders (as /tmp/ant/antcorpus)."""
    if not ANT.exists():
        return False
    into = seeds.parent.parent
    with tarfile.open(ANT) as tar:
        tar.extractall(into, members=[m for m in tar.getmembers() if "/internationalNews/" in m.name],
                       filter="data")
    return seeds.is_dir()


def score(service, rows: list[dict]) -> tuple[list[Scored], int]:
    """Each pair's relevance parts, for the topic in Arabic and in English."""
    index = service.index
    topics = sorted({r["topic"] for r in rows} | {r["topic_en"] for r in rows})
    vectors = dict(zip(topics, service.embedder.embed_queries(topics)))
    baselines = dict(zip(topics, service.gate.baselines(np.stack([vectors[t] for t in topics]))))
    scored, missing = [], 0
    for row in rows:
        position = locate(index, row)
        if position is None:
            missing += 1
            continue
        passage = index.passages[position]
        text = f"{passage.text} {index.source(passage.article_id).title}"
        for language, topic in (("ar", row["topic"]), ("en", row["topic_en"])):
            relevance = float(topic_relevance(index, [position], vectors[topic], float(baselines[topic]), topic)[0])
            words = share_mentioned(topic_words(topic), text)
            scored.append(Scored(f"{row['person']} / {row['topic']}", language, row["about"],
                                 relevance - TOPIC_WORDS_WEIGHT * words, words))
    return scored, missing


def locate(index, row: dict) -> int | None:
    """The labelled passage's position: by its index in the article when its text starts as
    labelled, else the article's passage that starts so (the chunking may have moved it)."""
    positions = index.by_article.get(row["article"], ())
    prefix = row["prefix"]

    def starts(position: int) -> bool:
        return " ".join(index.passages[position].text.split()).startswith(prefix)

    if row["passage"] < len(positions) and starts(positions[row["passage"]]):
        return positions[row["passage"]]
    return next((p for p in positions if starts(p)), None)


def figures(scored: list[Scored], threshold: float, weight: float = TOPIC_WORDS_WEIGHT) -> tuple[float, float, float]:
    """Precision, recall and F1 of "about" at ``threshold``."""
    about = np.array([s.about for s in scored])
    said = np.array([s.dense + weight * s.words >= threshold for s in scored])
    hits = int((about & said).sum())
    precision = hits / said.sum() if said.sum() else 1.0
    recall = hits / about.sum() if about.sum() else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def table(scored: list[Scored]) -> None:
    groups = {"Arabic topics": [s for s in scored if s.language == "ar"],
              "English topics": [s for s in scored if s.language == "en"], "both": scored}
    print("threshold | " + " | ".join(f"{name}: P / R / F1" for name in groups))
    best = max(THRESHOLDS, key=lambda t: figures(scored, t)[2])
    for t in sorted(set(THRESHOLDS) | {TOPIC_THRESHOLD}):
        cells = " | ".join("%.2f / %.2f / %.2f" % figures(group, t) for group in groups.values())
        mark = " ← TOPIC_THRESHOLD" if abs(t - TOPIC_THRESHOLD) < 1e-9 else ""
        mark += " (best F1, both)" if abs(t - best) < 1e-9 else ""
        print(f"{t:+.3f}    | {cells}{mark}")
    loqo = leave_one_question_out(scored)
    print("\nleave one question out (threshold fitted on the others), both languages: "
          "P %.2f / R %.2f / F1 %.2f\n" % loqo)


def per_question(scored: list[Scored]) -> None:
    print(f"at {TOPIC_THRESHOLD:+.3f}, each question (Arabic topic; English topic): about / said about / both")
    for question in dict.fromkeys(s.question for s in scored):
        cells = []
        for language in ("ar", "en"):
            group = [s for s in scored if s.question == question and s.language == language]
            said = [s for s in group if s.dense + TOPIC_WORDS_WEIGHT * s.words >= TOPIC_THRESHOLD]
            cells.append(f"{sum(s.about for s in group)} / {len(said)} / {sum(s.about for s in said)}")
        print(f"  {question}: {cells[0]}; {cells[1]} (of {len(group)})")
    print()


def weights(scored: list[Scored]) -> None:
    print("weight of the topic's words: best threshold, P / R / F1 there (both languages)")
    for weight in WEIGHTS:
        best = max(THRESHOLDS, key=lambda t: figures(scored, t, weight)[2])
        print(f"  {weight:.2f}: {best:+.3f}  " + "%.2f / %.2f / %.2f" % figures(scored, best, weight))


def leave_one_question_out(scored: list[Scored]) -> tuple[float, float, float]:
    """Each question judged at the threshold that does best on all the others."""
    judged: list[Scored] = []
    chosen: dict[str, float] = {}
    for question in dict.fromkeys(s.question for s in scored):
        others = [s for s in scored if s.question != question]
        chosen[question] = max(THRESHOLDS, key=lambda t: figures(others, t)[2])
        judged += [s for s in scored if s.question == question]
    about = np.array([s.about for s in judged])
    said = np.array([s.dense + TOPIC_WORDS_WEIGHT * s.words >= chosen[s.question] for s in judged])
    hits = int((about & said).sum())
    precision, recall = hits / max(said.sum(), 1), hits / max(about.sum(), 1)
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


if __name__ == "__main__":
    raise SystemExit(main())
