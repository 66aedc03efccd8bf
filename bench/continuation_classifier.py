"""Can a classifier trained on the hand labels find the continuations the rules miss? (an experiment)

Usage:
    .venv/bin/python bench/continuation_classifier.py

The candidates are the sentences of the tuned samples (old, fresh, held-out, dev … dev5;
never the blind one) that the rules leave without a speaker although a statement stands
one to three sentences before. A candidate is positive when the labellers gave it to that
statement's speaker. Each is described by a few plain features (distance, quotes,
first-person words, a question, how the sentence opens, organisations, digits, length)
and a logistic regression (numpy, L2) is fitted leaving one sample out at a time; the
printout is the precision and recall of the candidates it would give to the last speaker,
at several thresholds, and the weights fitted on all samples.
"""

from __future__ import annotations

import json
import logging
import sys
from collections import OrderedDict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import retrieval.attribution.reporting as R  # noqa: E402
from bench.attribution_eval import SAMPLES, Corpus, load_labelled, same_person  # noqa: E402
from retrieval.attribution.statements import attribute_article  # noqa: E402
from retrieval.attribution.tokens import strip_prefix, tokenize  # noqa: E402

TUNED = ("old", "fresh", "heldout", "dev", "dev2", "dev3", "dev4", "dev5")
REACH = 3  # how many sentences back the last statement may be
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
FIRST_PERSON = R.norm_set("نحن أنا انا إننا اننا لنا علينا لدينا عندنا أننا إني اني لي أني")
NARRATION = R.norm_set("تم وتم يتم ويتم وقد قامت وقام شهدت وشهد يذكر ويذكر وكانت وكان")
MUST = R.norm_set("يجب ضرورة لابد ينبغي")


def features(sentence: str, before: str, distance: int, how: str) -> OrderedDict:
    """The plain features of a candidate sentence."""
    words = [t.norm for t in tokenize(sentence) if t.word]
    first = words[0] if words else ""
    return OrderedDict(
        bias=1, one_back=distance == 1, two_back=distance == 2, three_back=distance == 3,
        after_continuation=how in ("continuation", "participle"), after_quote=how == "quote",
        quote=any(mark in sentence for mark in '"«»“”'),
        first_person=any(w in FIRST_PERSON or len(w) > 4 and w.endswith("نا") for w in words),
        question="؟" in sentence or "?" in sentence, opens_with_and=first.startswith("و"),
        narration=first in NARRATION, kama=first in ("كما", "وكما"), opens_with_verb=strip_prefix(first) in R.VERBS,
        organisation=any(w in R.ORGANISATIONS for w in words), title=any(w in R.TITLE_HEADS for w in words),
        digits=sum(c.isdigit() for c in sentence) > 3, long=len(words) > 35, short=len(words) < 10,
        must=any(w in MUST for w in words), before_open=before.rstrip()[-1:] in "،,:",
    )


def candidates(corpus: Corpus) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """(features, labels, sample of each candidate, feature names)."""
    rows, names = [], []
    for sample in TUNED:
        labels, persons_file = SAMPLES[sample]
        persons = json.loads(persons_file.read_text(encoding="utf-8"))
        for _, article, sentences, labelled in load_labelled(corpus, labels):
            found = attribute_article(sentences, title=article.source.title)
            last = None
            for i, statement in enumerate(found):
                if statement is not None:
                    last = i
                    continue
                if last is None or i - last > REACH:
                    continue
                described = features(sentences[i], sentences[i - 1] if i else "", i - last, found[last].how)
                names = list(described)
                positive = same_person(found[last], labelled[i]["speaker"], persons)
                rows.append((sample, [float(v) for v in described.values()], float(positive)))
    return (np.array([r[1] for r in rows]), np.array([r[2] for r in rows]), np.array([r[0] for r in rows]), names)


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1.0, steps: int = 3000, rate: float = 0.1) -> np.ndarray:
    """Logistic regression weights (full batch gradient descent)."""
    w = np.zeros(x.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-x @ w))
        w -= rate * (x.T @ (p - y) + l2 * w) / len(y)
    return w


def main() -> int:
    logging.disable(logging.WARNING)
    x, y, samples, names = candidates(Corpus())
    print(f"{len(y)} candidates in the tuned samples, {int(y.sum())} of them the last speaker's")
    probability = np.zeros(len(y))
    for sample in sorted(set(samples)):
        held = samples == sample
        probability[held] = 1 / (1 + np.exp(-x[held] @ fit(x[~held], y[~held])))
    for threshold in THRESHOLDS:
        picked = probability >= threshold
        right = int(y[picked].sum())
        precision = right / picked.sum() if picked.sum() else 0.0
        print(f"p >= {threshold}: {int(picked.sum())} given, {right} right (precision {precision:.2f}, "
              f"{right / max(1, y.sum()):.2f} of the positives)")
    print("weights:", ", ".join(f"{n} {w:+.2f}" for n, w in zip(names, fit(x, y))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
