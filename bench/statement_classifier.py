"""Does a statement classifier on sentence vectors find what the rules miss? (an experiment)

Usage:
    .venv/bin/python bench/statement_classifier.py [--train 20000] [--seed 19]

Issue 19 suggested training "a small statement/speaker classifier on the rules' confident
labels using the passage vectors". This measures it before anything is built:

1. Training: a random ``--train`` sentences of the archive (ANT and SaudiNewsNet, the kept
   days and the labelled articles left out), labelled by the rules: positive when they
   find a named person's statement, negative when they find none. Each sentence is
   embedded as the index embeds passages («title: sentence», the bundled model) and a
   logistic regression is fitted on the standardised vectors (numpy, L2, full batch).
2. Use: in a labelled article, a sentence the rules leave without a speaker is given the
   speaker of the article's last statement (within three sentences) when the
   classifier's probability passes a threshold.
3. Score: sentence-level precision and recall against the labels, on the old, fresh and
   held-out samples, for the rules alone and with the classifier at several thresholds.
   Unlike ``attribution_eval.py`` (which scores the answers for the labelled people),
   every speaker given counts here: one given to a sentence labelled with nobody, or
   with someone else, is wrong, so precision is lower than there.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.attribution_eval import SAMPLES, Corpus, load_labelled, same_person  # noqa: E402
from bench.learn_attribution import archive  # noqa: E402
from retrieval.attribution.statements import attribute_article  # noqa: E402
from retrieval.model.embedding import load_embedder  # noqa: E402
from retrieval.settings import Settings  # noqa: E402

THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
REACH = 3  # how many sentences back the last statement may be


def training_set(size: int, rng: random.Random) -> tuple[list[str], np.ndarray]:
    """``size`` archive sentences as «title: sentence», labelled by the rules."""
    texts, labels = [], []
    for sentences, title in archive(Corpus()):
        statements = attribute_article(sentences, title=title)
        for sentence, statement in zip(sentences, statements):
            texts.append(f"{title}: {sentence}" if title and title != sentence else sentence)
            labels.append(1.0 if statement is not None else 0.0)
    order = rng.sample(range(len(texts)), min(size, len(texts)))
    return [texts[i] for i in order], np.array([labels[i] for i in order], dtype=np.float32)


def fit(vectors: np.ndarray, labels: np.ndarray, steps: int = 600, rate: float = 0.5, l2: float = 1e-3):
    """Logistic regression by full-batch gradient descent on standardised features:
    (weights, bias) for the raw vectors."""
    mean, std = vectors.mean(axis=0), vectors.std(axis=0) + 1e-6
    weights, bias = _descend((vectors - mean) / std, labels, steps, rate, l2)
    return weights / std, bias - float((mean / std) @ weights)


def _descend(vectors: np.ndarray, labels: np.ndarray, steps: int, rate: float, l2: float):
    weights = np.zeros(vectors.shape[1], dtype=np.float32)
    bias = float(np.log(labels.mean() / (1 - labels.mean())))
    for _ in range(steps):
        p = 1 / (1 + np.exp(-(vectors @ weights + bias)))
        error = p - labels
        weights -= rate * (vectors.T @ error / len(labels) + l2 * weights)
        bias -= rate * float(error.mean())
    return weights, bias


def score(sample: str, embedder, weights: np.ndarray, bias: float) -> dict:
    """Precision and recall of the rules alone and with the classifier, per threshold."""
    labels_file, persons_file = SAMPLES[sample]
    persons = json.loads(persons_file.read_text(encoding="utf-8"))
    rows = []  # (gold, rules' statement, floor statement, probability)
    for _, article, sentences, labels in load_labelled(Corpus(), labels_file):
        title = article.source.title
        statements = attribute_article(sentences, title=title)
        texts = [f"{title}: {s}" if title and title != s else s for s in sentences]
        probs = 1 / (1 + np.exp(-(embedder.embed_passages(texts) @ weights + bias)))
        last, last_at = None, -REACH - 1
        for i, statement in enumerate(statements):
            floor = last if i - last_at <= REACH else None
            rows.append((labels[i]["speaker"], statement, floor, float(probs[i])))
            if statement is not None:
                last, last_at = statement, i
    result = {}
    for name, threshold in [("rules", None)] + [(f"rules + classifier p>={t}", t) for t in THRESHOLDS]:
        right = answered = 0
        for gold, statement, floor, prob in rows:
            chosen = statement
            if chosen is None and threshold is not None and prob >= threshold:
                chosen = floor
            if chosen is None:
                continue
            answered += 1
            right += bool(gold) and same_person(chosen, gold, persons)
        truth = sum(1 for gold, *_ in rows if gold)
        result[name] = (right / max(1, answered), right / max(1, truth), right, answered, truth)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", type=int, default=20000, help="archive sentences to train on")
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    settings = Settings()
    embedder = load_embedder(settings.model, settings.cache_dir, progress=False)
    started = time.perf_counter()
    texts, labels = training_set(args.train, random.Random(args.seed))
    vectors = embedder.embed_passages(texts)
    weights, bias = fit(vectors, labels)
    train_acc = float(((1 / (1 + np.exp(-(vectors @ weights + bias))) >= 0.5) == (labels == 1)).mean())
    print(f"trained on {len(texts):,} archive sentences ({labels.mean():.1%} statements by the rules) "
          f"in {time.perf_counter() - started:.0f} s; training accuracy {train_acc:.3f}")
    for sample in SAMPLES:
        print(f"\n{sample}:")
        for name, (precision, recall, right, answered, truth) in score(sample, embedder, weights, bias).items():
            print(f"  {name:32} P={precision:.3f} R={recall:.3f}  ({right} right of {answered}; {truth} labelled)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
