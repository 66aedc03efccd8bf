"""Measure «who said what»: attribution and speaker matching against hand-labelled articles.

Usage:
    .venv/bin/python bench/attribution_eval.py [--errors]

Reads the articles labelled in bench/attribution/labels.jsonl from the data folders
(ANT from /tmp/ant/antcorpus or ../shared/data/news/antcorpus.tar.gz, SaudiNewsNet from
../shared/data/news/saudinewsnet), splits them with the project's chunker, attributes
every sentence, and for each person of bench/attribution/persons.json asks
``match_speakers`` with the Arabic and the English name over the speakers of all
labelled articles plus those of all ANT internationalNews articles (distractors). The
labelled sentences attributed to the matched speakers are the answer. Prints precision
and recall per person and overall, for Arabic and English questions, and the time
attribution takes per sentence. --errors lists the sentences attributed wrongly.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import statistics
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retrieval.articles import parse_json_records, parse_trec  # noqa: E402
from retrieval.attribution import Statement, attribute_article  # noqa: E402
from retrieval.chunking import chunk_sentences  # noqa: E402
from retrieval.speakers import match_speakers  # noqa: E402
from retrieval.types import Article  # noqa: E402

LABELS = ROOT / "bench" / "attribution" / "labels.jsonl"
PERSONS = ROOT / "bench" / "attribution" / "persons.json"
DATA = ROOT.parent / "shared" / "data" / "news"
ANT_DIR = Path("/tmp/ant/antcorpus")
ANT_TAR = DATA / "antcorpus.tar.gz"
SAUDI = DATA / "saudinewsnet"
DISTRACTORS = "internationalNews/"


class Corpus:
    """The ANT files (extracted folder, else the tarball) and SaudiNewsNet zips, read on demand."""

    def __init__(self) -> None:
        self._tar = None if ANT_DIR.is_dir() else tarfile.open(ANT_TAR)
        self._names = {} if self._tar is None else self._tar_names()
        self._zips: dict[str, list] = {}

    def _tar_names(self) -> dict[str, str]:
        names = {}
        for member in self._tar.getmembers():
            if member.isfile() and "/" in member.name:
                rel = member.name.split("antcorpus/", 1)[-1]
                names[rel] = member.name
        return names

    def ant_files(self, folder: str) -> list[str]:
        if self._tar is None:
            return sorted(p.relative_to(ANT_DIR).as_posix() for p in (ANT_DIR / folder).glob("*.txt"))
        return sorted(rel for rel in self._names if rel.startswith(folder))

    def ant(self, rel: str) -> Article | None:
        if self._tar is None:
            data = (ANT_DIR / rel).read_bytes()
        else:
            data = self._tar.extractfile(self._names[rel]).read()
        articles = parse_trec(rel, data.decode("utf-8", errors="replace"))
        return articles[0] if articles else None

    def saudi(self, name: str, record: int) -> Article:
        if name not in self._zips:
            with zipfile.ZipFile(SAUDI / name) as archive:
                self._zips[name] = json.load(io.TextIOWrapper(archive.open(archive.namelist()[0]), encoding="utf-8"))
        articles, _ = parse_json_records(name, [self._zips[name][record]])
        return articles[0]


def sentences_of(article: Article) -> list[str]:
    return [span.text for span in chunk_sentences(article.text, article.body_start)]


def load_labelled(corpus: Corpus) -> Iterator[tuple[str, Article, list[str], list[dict]]]:
    """(id, article, sentences, labels) for each labelled article, prefixes checked."""
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if item["corpus"] == "ant":
            article, ident = corpus.ant(item["file"]), item["file"]
        else:
            article, ident = corpus.saudi(item["file"], item["record"]), f"{item['file']}#{item['record']}"
        sentences = sentences_of(article)
        labels = item["sentences"]
        if len(labels) != len(sentences) or any(
            " ".join(sentences[row["index"]].split()[:4]) != row["prefix"] for row in labels
        ):
            raise SystemExit(f"{ident}: the chunker's sentences no longer match the labels")
        yield ident, article, sentences, labels


def attribute(article: Article, sentences: list[str], timings: list[float]) -> list[Statement | None]:
    start = time.perf_counter()
    statements = attribute_article(sentences, title=article.source.title)
    timings.append((time.perf_counter() - start) / max(1, len(sentences)))
    return statements


def score(answer: set, gold: set) -> tuple[float, float]:
    hit = len(answer & gold)
    precision = hit / len(answer) if answer else (1.0 if not gold else 0.0)
    recall = hit / len(gold) if gold else 1.0
    return precision, recall


def evaluate(persons: list[dict], predicted: dict, gold: dict, speakers: set[str], language: str) -> tuple:
    """Print one table; return overall (precision, recall, answers, gold)."""
    key = "ask_ar" if language == "ar" else "ask_en"
    print(f"\n{language.upper()} questions  (person asked as: precision recall answered/gold matched-speakers)")
    answered_all, gold_all, hits_all = 0, 0, 0
    for person in persons:
        matched = {name for name, _ in match_speakers(person[key], speakers)}
        answer = {where for where, statement in predicted.items() if statement and statement.speaker in matched}
        truth = {where for where, name in gold.items() if name == person["canonical"]}
        precision, recall = score(answer, truth)
        answered_all += len(answer)
        gold_all += len(truth)
        hits_all += len(answer & truth)
        shown = ", ".join(sorted(matched))[:70]
        print(f"  {person[key]:<22} P={precision:.2f} R={recall:.2f}  {len(answer & truth):>3}/{len(answer):<3} of {len(truth):<3}  [{shown}]")
    precision = hits_all / answered_all if answered_all else 0.0
    recall = hits_all / gold_all if gold_all else 0.0
    print(f"  overall                P={precision:.3f} R={recall:.3f}  ({hits_all} right of {answered_all} answered; {gold_all} labelled)")
    return precision, recall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the sentences attributed wrongly")
    args = parser.parse_args()
    if not (ANT_DIR.is_dir() or ANT_TAR.exists()) or not SAUDI.is_dir():
        print("skipped: the ANT corpus or SaudiNewsNet is not there", file=sys.stderr)
        return 0
    logging.disable(logging.WARNING)
    corpus = Corpus()
    persons = json.loads(PERSONS.read_text(encoding="utf-8"))
    timings: list[float] = []
    predicted: dict[tuple[str, int], Statement | None] = {}
    gold: dict[tuple[str, int], str | None] = {}
    texts: dict[tuple[str, int], str] = {}
    labelled_ids = set()
    for ident, article, sentences, labels in load_labelled(corpus):
        labelled_ids.add(ident)
        for index, statement in enumerate(attribute(article, sentences, timings)):
            predicted[(ident, index)] = statement
            gold[(ident, index)] = labels[index]["speaker"]
            texts[(ident, index)] = sentences[index]
    speakers = {s.speaker for s in predicted.values() if s}
    distractor_sentences = 0
    for rel in corpus.ant_files(DISTRACTORS):
        if rel in labelled_ids:
            continue
        article = corpus.ant(rel)
        if article is None:
            continue
        sentences = sentences_of(article)
        distractor_sentences += len(sentences)
        speakers.update(s.speaker for s in attribute(article, sentences, timings) if s)
    labelled_statements = sum(1 for name in gold.values() if name)
    print(f"{len(labelled_ids)} labelled articles, {len(gold)} sentences, {labelled_statements} statements by persons")
    print(f"{distractor_sentences} distractor sentences; {len(speakers)} distinct speakers in the pool")
    sentence_accuracy(predicted, gold, persons)
    results = {language: evaluate(persons, predicted, gold, speakers, language) for language in ("ar", "en")}
    median_us = statistics.median(timings) * 1e6
    mean_us = statistics.fmean(timings) * 1e6
    print(f"\nattribution time per sentence: median {median_us:.0f} µs, mean {mean_us:.0f} µs (per article averages)")
    if args.errors:
        list_errors(predicted, gold, texts, persons)
    ar_p, ar_r = results["ar"]
    en_p, _ = results["en"]
    ok = ar_p >= 0.9 and ar_r >= 0.8 and en_p >= 0.8
    print(f"\ntargets (AR P>=0.9 R>=0.8, EN P>=0.8): {'met' if ok else 'NOT met'}")
    return 0


def _same_person(statement: Statement | None, canonical: str | None, persons: list[dict]) -> bool:
    """Whether a predicted speaker is the labelled person (by the person's Arabic question)."""
    if statement is None or canonical is None:
        return statement is None and canonical is None
    asked = next((p["ask_ar"] for p in persons if p["canonical"] == canonical), canonical)
    return any(name == statement.speaker for name, _ in match_speakers(asked, [statement.speaker])) or any(
        name == statement.speaker for name, _ in match_speakers(canonical, [statement.speaker])
    )


def sentence_accuracy(predicted: dict, gold: dict, persons: list[dict]) -> None:
    """Sentence-level agreement: statements found, missed, and given to the wrong person."""
    right = sum(1 for where in gold if _same_person(predicted[where], gold[where], persons))
    missed = sum(1 for where in gold if gold[where] and predicted[where] is None)
    spurious = sum(1 for where in gold if not gold[where] and predicted[where] is not None)
    wrong = sum(1 for where in gold if gold[where] and predicted[where] and not _same_person(predicted[where], gold[where], persons))
    print(f"sentences: {right}/{len(gold)} agree; {missed} statements missed, {wrong} given to another person, {spurious} attributed but not a person's statement")


def list_errors(predicted: dict, gold: dict, texts: dict, persons: list[dict]) -> None:
    print("\nerrors (gold | predicted | how | sentence):")
    for where in sorted(gold):
        statement = predicted[where]
        if not _same_person(statement, gold[where], persons):
            got = f"{statement.speaker} ({statement.how})" if statement else "-"
            print(f"  {where[0]}[{where[1]}] {gold[where] or '-'} | {got} | {texts[where][:110]}")


if __name__ == "__main__":
    raise SystemExit(main())
