"""Measure «who said what»: attribution and speaker matching against hand-labelled articles.

Usage:
    .venv/bin/python bench/attribution_eval.py [--sample old|fresh|heldout] [--errors]

Reads the articles labelled in bench/attribution/labels.jsonl from the data folders (ANT
from /tmp/ant/antcorpus when extracted there, else ../shared/data/news/antcorpus.tar.gz;
SaudiNewsNet from ../shared/data/news/saudinewsnet), splits them with the project's
chunker and attributes every sentence. For each person of bench/attribution/persons.json
it asks ``match_speakers`` with the Arabic and with the English name, over the speakers
found in all labelled articles plus those of all ANT internationalNews articles
(distractors); the labelled sentences attributed to the matched speakers are the answer.
Prints precision and recall per person and overall, for Arabic and for English questions,
and the time attribution takes per sentence (median of 3 runs over every article).
--errors lists the labelled sentences whose speaker was found wrongly.

Labels: a sentence's speaker is the person whose statement it is; a sentence in which an
organisation, an unnamed source or a group speaks is null, and so is one in which someone
speaks about a person. When a channel (an office, a statement, a news bulletin) relays a
named person's words, the sentence is that person's.
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

from retrieval.attribution.statements import Statement, attribute_article
from retrieval.ingest.passages import article_sentences
from retrieval.ingest.readers import parse_json_records, parse_trec
from retrieval.text.spellings import match_speakers
from retrieval.types import Article

LABELS = ROOT / "bench" / "attribution" / "labels.jsonl"
PERSONS = ROOT / "bench" / "attribution" / "persons.json"
#: The labelled samples: the first one (35 articles, the rules were written against it),
#: the fresh one of issue 19 (48 articles from ANT folders and SaudiNewsNet days not read
#: before, drawn by attribution_sample.py; the rules were then improved against it) and
#: the held-out one (48 more, drawn and labelled after that work, never tuned on) and
#: the blind one (48 more, --seed 21, labelled by readers who never saw the rules' output;
#: the rules were then changed looking only at the fresh and held-out samples' errors) and
#: the dev one (48 more, --seed 22, labelled the same blind way, scored before the third
#: round's changes and then tuned on) and dev2 (48 more, --seed 23, labelled the same
#: way, scored once after the changes made against dev, then tuned on) and dev3 (--seed 24,
#: scored once after the changes made against dev and dev2, then tuned on) and dev4 (--seed
#: 25, scored once after the changes made against dev, dev2 and dev3) and dev5 (--seed 26,
#: labelled the same way, scored once after the fourth round's changes, then tuned on) and
#: dev6 (--seed 27, labelled the same blind way in the sixth session of 2026-12-07, scored
#: with the rules of that session's start and of its first part before its errors were
#: read, then tuned on) and dev7 (--seed 28, labelled the same way at that session's end,
#: scored once with its start's rules and once with its end's, never tuned on) and dev8
#: (--seed 29, labelled the same blind way in the first session of 2026-12-08 while the
#: rules were changed from the archive alone, scored once with that session's start and end
#: rules, never tuned on).
SAMPLES = {
    "old": (LABELS, PERSONS),
    "fresh": (ROOT / "bench" / "attribution" / "fresh.jsonl", ROOT / "bench" / "attribution" / "fresh-persons.json"),
    "heldout": (ROOT / "bench" / "attribution" / "heldout.jsonl",
                ROOT / "bench" / "attribution" / "heldout-persons.json"),
    "blind": (ROOT / "bench" / "attribution" / "blind.jsonl", ROOT / "bench" / "attribution" / "blind-persons.json"),
    "dev": (ROOT / "bench" / "attribution" / "dev.jsonl", ROOT / "bench" / "attribution" / "dev-persons.json"),
    "dev2": (ROOT / "bench" / "attribution" / "dev2.jsonl", ROOT / "bench" / "attribution" / "dev2-persons.json"),
    "dev3": (ROOT / "bench" / "attribution" / "dev3.jsonl", ROOT / "bench" / "attribution" / "dev3-persons.json"),
    "dev4": (ROOT / "bench" / "attribution" / "dev4.jsonl", ROOT / "bench" / "attribution" / "dev4-persons.json"),
    "dev5": (ROOT / "bench" / "attribution" / "dev5.jsonl", ROOT / "bench" / "attribution" / "dev5-persons.json"),
    "dev6": (ROOT / "bench" / "attribution" / "dev6.jsonl", ROOT / "bench" / "attribution" / "dev6-persons.json"),
    "dev7": (ROOT / "bench" / "attribution" / "dev7.jsonl", ROOT / "bench" / "attribution" / "dev7-persons.json"),
    "dev8": (ROOT / "bench" / "attribution" / "dev8.jsonl", ROOT / "bench" / "attribution" / "dev8-persons.json"),
}
DATA = ROOT.parent / "shared" / "data" / "news"
ANT_DIR = Path("/tmp/ant/antcorpus")
ANT_TAR = DATA / "antcorpus.tar.gz"
SAUDI = DATA / "saudinewsnet"
DISTRACTORS = "internationalNews/"
TIMING_RUNS = 3
Where = tuple[str, int]  # (article id, sentence index)


class Corpus:
    """The ANT files (the extracted folder, else the tarball) and SaudiNewsNet zips, read on demand."""

    def __init__(self) -> None:
        self._tar = None if ANT_DIR.is_dir() else tarfile.open(ANT_TAR)
        self._members = self._tar_members() if self._tar else {}
        self._zips: dict[str, list] = {}

    def _tar_members(self) -> dict[str, str]:
        """Path inside the corpus (e.g. internationalNews/x.txt) -> member name in the tarball."""
        return {m.name.split("antcorpus/", 1)[-1]: m.name for m in self._tar.getmembers() if m.isfile()}

    def ant_files(self, folder: str) -> list[str]:
        """The corpus paths of the files in an ANT folder, sorted."""
        if self._tar is None:
            return sorted(p.relative_to(ANT_DIR).as_posix() for p in (ANT_DIR / folder).glob("*.txt"))
        return sorted(rel for rel in self._members if rel.startswith(folder))

    def ant(self, rel: str) -> Article | None:
        """One ANT article, read as the project reads TREC files."""
        if self._tar is None:
            data = (ANT_DIR / rel).read_bytes()
        else:
            data = self._tar.extractfile(self._members[rel]).read()
        articles = parse_trec(rel, data.decode("utf-8", errors="replace"))
        return articles[0] if articles else None

    def saudi(self, name: str, record: int) -> Article:
        """Record ``record`` of a SaudiNewsNet zip, read as the project reads JSON records."""
        if name not in self._zips:
            with zipfile.ZipFile(SAUDI / name) as archive:
                member = archive.open(archive.namelist()[0])
                self._zips[name] = json.load(io.TextIOWrapper(member, encoding="utf-8"))
        articles, _ = parse_json_records(name, [self._zips[name][record]])
        return articles[0]


def sentences_of(article: Article) -> list[str]:
    """The article's sentences, as the indexer splits them."""
    return [span.text for span in article_sentences(article)]


def load_labelled(corpus: Corpus, labels: Path = LABELS) -> Iterator[tuple[str, Article, list[str], list[dict]]]:
    """(id, article, sentences, labels) of each labelled article; the sentences must still
    match the labels' prefixes."""
    for line in labels.read_text(encoding="utf-8").splitlines():
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


def distractors(corpus: Corpus, labelled: set[str]) -> list[tuple[Article, list[str]]]:
    """The internationalNews articles that are not labelled, with their sentences."""
    found = []
    for rel in corpus.ant_files(DISTRACTORS):
        article = None if rel in labelled else corpus.ant(rel)
        if article is not None:
            found.append((article, sentences_of(article)))
    return found


def time_per_sentence(articles: list[tuple[Article, list[str]]]) -> float:
    """Seconds per sentence to attribute every article once (median of a few runs)."""
    sentences = sum(len(s) for _, s in articles)
    runs = []
    for _ in range(TIMING_RUNS):
        start = time.perf_counter()
        for article, split in articles:
            attribute_article(split, title=article.source.title)
        runs.append((time.perf_counter() - start) / max(1, sentences))
    return statistics.median(runs)


def same_person(statement: Statement | None, canonical: str | None, persons: list[dict]) -> bool:
    """Whether a sentence's predicted speaker is the labelled person (or both are none)."""
    if statement is None or canonical is None:
        return statement is None and canonical is None
    asked = next((p["ask_ar"] for p in persons if p["canonical"] == canonical), canonical)
    return any(match_speakers(name, [statement.speaker]) for name in (asked, canonical))


def print_agreement(predicted: dict[Where, Statement | None], gold: dict[Where, str | None], persons: list[dict]) -> None:
    """Sentence by sentence: statements found, missed, or given to another person."""
    right = sum(1 for where in gold if same_person(predicted[where], gold[where], persons))
    missed = sum(1 for where in gold if gold[where] and predicted[where] is None)
    spurious = sum(1 for where in gold if not gold[where] and predicted[where] is not None)
    wrong = len(gold) - right - missed - spurious
    print(
        f"sentences: {right}/{len(gold)} agree; {missed} statements missed, {wrong} given to another "
        f"person, {spurious} attributed although no named person speaks"
    )


def evaluate(
    persons: list[dict], predicted: dict[Where, Statement | None], gold: dict[Where, str | None],
    speakers: set[str], language: str,
) -> tuple[float, float]:
    """Print the table for one language's questions; return the overall (precision, recall)."""
    key = "ask_ar" if language == "ar" else "ask_en"
    print(f"\n{language.upper()} questions: asked as | precision recall | right/answered of labelled | speakers matched")
    answered = labelled = right = 0
    for person in persons:
        matched = {name for name, _ in match_speakers(person[key], speakers)}
        answer = {where for where, statement in predicted.items() if statement and statement.speaker in matched}
        truth = {where for where, name in gold.items() if name == person["canonical"]}
        hits = len(answer & truth)
        answered, labelled, right = answered + len(answer), labelled + len(truth), right + hits
        precision = hits / len(answer) if answer else float(not truth)
        recall = hits / len(truth) if truth else 1.0
        shown = ", ".join(sorted(matched))[:60]
        print(f"  {person[key]:<20} P={precision:.2f} R={recall:.2f}  {hits:>3}/{len(answer):<3} of {len(truth):<3} [{shown}]")
    precision, recall = right / max(1, answered), right / max(1, labelled)
    print(f"  {'overall':<20} P={precision:.3f} R={recall:.3f}  ({right} right of {answered} answered; {labelled} labelled)")
    return precision, recall


def print_errors(
    predicted: dict[Where, Statement | None], gold: dict[Where, str | None], texts: dict[Where, str],
    persons: list[dict],
) -> None:
    """The labelled sentences whose speaker was found wrongly (local use: SaudiNewsNet text is printed)."""
    print("\nerrors (labelled | found (how) | sentence):")
    for where in sorted(gold):
        statement = predicted[where]
        if not same_person(statement, gold[where], persons):
            found = f"{statement.speaker} ({statement.how})" if statement else "-"
            print(f"  {where[0]}[{where[1]}] {gold[where] or '-'} | {found} | {texts[where][:100]}")


def saudi_distractors(corpus: Corpus, days: int) -> list[Article]:
    """Every article of the first ``days`` SaudiNewsNet files (the labelled ones included
    again would be copies: they are left out by record)."""
    labelled = {(json.loads(line)["file"], json.loads(line)["record"])
                for path, _ in SAMPLES.values() for line in path.read_text(encoding="utf-8").splitlines()}
    found = []
    for path in sorted(SAUDI.glob("*.zip"))[:days]:
        corpus.saudi(path.name, 0)
        for record in range(len(corpus._zips[path.name])):
            if (path.name, record) not in labelled:
                articles, _ = parse_json_records(path.name, [corpus._zips[path.name][record]])
                found.extend(articles)
    return found


def write_seeds(folder: Path, labelled: list[tuple[str, Article]], others: list[Article]) -> dict[str, str]:
    """The articles as one JSON Lines seeds file, as newsqa reads them; returns article id -> ident."""
    folder.mkdir(parents=True)
    records, idents = [], {}
    for ident, article in labelled + [(None, a) for a in others]:
        source = article.source
        records.append({"title": source.title, "content": article.text, "source": source.agency,
                        "date": source.date.isoformat() if source.date else None, "url": source.url})
        idents[f"articles.jsonl#{len(records) - 1}"] = ident
    (folder / "articles.jsonl").write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8"
    )
    return idents


def covered(passage, article: Article) -> list[int]:
    """The labelled (fine) sentences a returned passage covers: more than half of each."""
    spans = article_sentences(article)
    return [i for i, s in enumerate(spans)
            if (min(passage.end, s.end) - max(passage.start, s.start)) * 2 > s.end - s.start]


def end_to_end(labelled: list[tuple[str, Article]], others: list[Article], gold, persons, extra: list[Article],
               predicted=None) -> tuple:
    """Ask newsqa itself («ماذا قال X؟», "What did X say?") over an index of the labelled
    articles and the distractors; score the passages it returns against the labels. With
    ``predicted`` (the sentence-level speakers), list the statements found there but not
    in the answers (what the answer path loses: the name asked, grouping, time)."""
    import tempfile

    from retrieval.model.embedder import FakeEmbedder
    from retrieval.service import open_service
    from retrieval.settings import Settings

    with tempfile.TemporaryDirectory(prefix="newsqa-attribution-") as tmp:
        idents = write_seeds(Path(tmp) / "seeds", labelled, others + extra)
        started = time.perf_counter()
        service = open_service(Settings(seeds=Path(tmp) / "seeds", index=Path(tmp) / "index"),
                               embedder=FakeEmbedder())
        build = time.perf_counter() - started
        articles = dict(labelled)
        results = {}
        lost = {}
        for language, key, template in (("ar", "ask_ar", "ماذا قال {}؟"), ("en", "ask_en", "What did {} say?")):
            results[language] = _score_answers(service, persons, key, template, idents, articles, gold,
                                               lost.setdefault(language, []))
        timing = _who_said_what_ms(service, persons)
        nobody = _nobody_quoted_ms(service)
        passages = len(service.index.passages)
    print(f"\nend to end: newsqa's index of {len(labelled) + len(others) + len(extra):,} articles, "
          f"{passages:,} passages (built in {build:.1f} s with the fake embedder: the answer "
          "does not use the vectors); the answers' passages scored against the labels")
    for language in ("ar", "en"):
        precision, recall, right, answered, truth = results[language]
        print(f"  {language.upper()}: P={precision:.3f} R={recall:.3f} ({right} right of {answered} passages "
              f"returned in labelled articles; recall over {truth} labelled statements)")
    print(f"  a who-said-what answer over {passages:,} passages: median {timing:.1f} ms; "
          f"about someone nobody quoted: median {nobody:.1f} ms")
    if predicted is not None:
        for language in ("ar", "en"):
            print(f"\nend to end ({language}), found at the sentence level but not answered (asked | found as | where):")
            for asked, where in lost[language]:
                statement = predicted.get(where)
                if same_person(statement, gold[where], persons):
                    print(f"  {asked} | {statement.speaker} ({statement.how}) | {where[0]}[{where[1]}]")
    return results


def _score_answers(service, persons, key, template, idents, articles, gold, lost: list):
    right = answered = found = truth_total = 0
    for person in persons:
        answer = service.answer(template.format(person[key]), k=None)
        truth = {where for where, name in gold.items() if name == person["canonical"]}
        truth_total += len(truth)
        if answer.person is None or not answer.person.found:
            lost.extend((person[key], where) for where in sorted(truth))
            continue
        hits_covered = set()
        for hit in answer.hits:
            for passage in (hit.passage,):
                ident = idents.get(passage.article_id)
                if ident is None:
                    continue  # a distractor article: not labelled
                sentences = {(ident, i) for i in covered(passage, articles[ident])}
                answered += 1
                right += bool(sentences & truth)
                hits_covered |= sentences
        found += len(hits_covered & truth)
        lost.extend((person[key], where) for where in sorted(truth - hits_covered))
    return right / max(1, answered), found / max(1, truth_total), right, answered, truth_total


#: People nobody in the archive is quoted as: each is asked once (a directory remembers
#: its last lookups), as a user asking about someone new would.
NOBODY = ("جورج واشنطن الثالث", "المدير العام للشركة الوطنية", "جريدة المجاهد", "زبولون بايك",
          "Zebulon Pike", "Ignatius Quarles")


def _nobody_quoted_ms(service) -> float:
    """The median time of «ماذا قال X؟» / "What did X say?" for someone nobody quoted
    («nobody of that name is quoted; did you mean …»)."""
    times = []
    for name in NOBODY:
        question = f"What did {name} say?" if name.isascii() else f"ماذا قال {name}؟"
        started = time.perf_counter()
        service.answer(question, k=None)
        times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times)


def _who_said_what_ms(service, persons) -> float:
    """The median time of «ماذا قال X؟» for the labelled people, each asked for the first
    time (asked again, a person's lookup is remembered)."""
    service.index.speakers.prepare()
    times = []
    for person in persons:
        started = time.perf_counter()
        service.answer(f"ماذا قال {person['ask_ar']}؟", k=None)
        times.append(1000 * (time.perf_counter() - started))
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list the sentences attributed wrongly")
    parser.add_argument("--no-service", action="store_true", help="skip the end-to-end answers through newsqa")
    parser.add_argument("--extra-days", type=int, default=2,
                        help="SaudiNewsNet days added as distractors end to end (default 2: ~40k passages)")
    parser.add_argument("--sample", choices=sorted(SAMPLES), default="old",
                        help="which labelled sample: old (35 articles), fresh (48, issue 19), heldout (48), dev…dev8 (48 each) or blind (48, never tuned on)")
    args = parser.parse_args()
    labels_file, persons_file = SAMPLES[args.sample]
    if not (ANT_DIR.is_dir() or ANT_TAR.exists()) or not SAUDI.is_dir():
        print("skipped: the ANT corpus or SaudiNewsNet is not there", file=sys.stderr)
        return 0
    logging.disable(logging.WARNING)
    corpus = Corpus()
    persons = json.loads(persons_file.read_text(encoding="utf-8"))
    predicted: dict[Where, Statement | None] = {}
    gold: dict[Where, str | None] = {}
    texts: dict[Where, str] = {}
    everything: list[tuple[Article, list[str]]] = []
    labelled_order, labelled_list = [], []
    for ident, article, sentences, labels in load_labelled(corpus, labels_file):
        everything.append((article, sentences))
        labelled_order.append(ident)
        labelled_list.append(article)
        for index, statement in enumerate(attribute_article(sentences, title=article.source.title)):
            predicted[(ident, index)], gold[(ident, index)] = statement, labels[index]["speaker"]
            texts[(ident, index)] = sentences[index]
    labelled_ids = {where[0] for where in gold}
    others = distractors(corpus, labelled_ids)
    everything.extend(others)
    speakers = {s.speaker for s in predicted.values() if s}
    for article, sentences in others:
        speakers.update(s.speaker for s in attribute_article(sentences, title=article.source.title) if s)
    statements = sum(1 for name in gold.values() if name)
    print(f"{len(labelled_ids)} labelled articles, {len(gold)} sentences, {statements} statements by persons")
    print(f"{len(others)} distractor articles, {sum(len(s) for _, s in others)} sentences; "
          f"{len(speakers)} distinct speakers in the pool")
    print_agreement(predicted, gold, persons)
    (ar_p, ar_r), (en_p, en_r) = (evaluate(persons, predicted, gold, speakers, lang) for lang in ("ar", "en"))
    if not args.no_service:
        labelled_articles = [(ident, article) for ident, article in zip(labelled_order, labelled_list)]
        extra = saudi_distractors(corpus, args.extra_days)
        results = end_to_end(labelled_articles, [a for a, _ in others], gold, persons, extra,
                             predicted if args.errors else None)
        (ar_p, ar_r, *_), (en_p, en_r, *_) = results["ar"], results["en"]
    seconds = time_per_sentence(everything)
    print(f"\nattribution time per sentence: {seconds * 1e6:.0f} µs "
          f"(median of {TIMING_RUNS} runs over {sum(len(s) for _, s in everything)} sentences)")
    met = min(ar_p, en_p) >= 0.95 and min(ar_r, en_r) >= 0.85
    print(f"target (issue 19: P>=0.95 and R>=0.85, Arabic and English): {'met' if met else 'NOT met'}")
    if args.errors:
        print_errors(predicted, gold, texts, persons)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
