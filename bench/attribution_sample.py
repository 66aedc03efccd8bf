"""Draw a sample of articles to label for «who said what», and print them sentence by sentence.

Usage:
    .venv/bin/python bench/attribution_sample.py [--seed 19] [--out DIR]

(--seed 20, drawn after the rules were tuned on the fresh sample, gave the held-out one;
--seed 21 gave the blind one, labelled by readers who never saw the rules' output and
scored once, after the rules were changed against the fresh and held-out errors only.)

The fresh sample of issue 19: 24 ANT articles from folders the rules were not written
against (politic, localNews, society, economy) and 24 SaudiNewsNet articles from days not
labelled before (2015-07-22/23/26/27 and 2015-08-08/09/10; 2015-08-01 to 08-07 are kept
for checks this project does not see), each of 3 to 25 sentences, drawn at random with a
fixed seed. Writes one text file per batch of 12 under ``--out`` (the article's locator,
then each sentence with its index, as ``attribution_eval.py`` splits it) for a person to
read and label into ``attribution/fresh.jsonl``.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.attribution_eval import LABELS, SAUDI, Corpus, sentences_of  # noqa: E402

ANT_FOLDERS = {"politic/": 12, "localNews/": 6, "society/": 3, "economy/": 3}
SAUDI_DAYS = ["2015-07-22", "2015-07-23", "2015-07-26", "2015-07-27", "2015-08-08", "2015-08-09", "2015-08-10"]
SAUDI_COUNT = 24
SENTENCES = range(3, 26)
BATCH = 12


def _labelled() -> set[tuple[str, int | None]]:
    found = set()
    for path in sorted(LABELS.parent.glob("*.jsonl")):
        if path.name != "topics.jsonl":
            for line in path.read_text(encoding="utf-8").splitlines():
                item = json.loads(line)
                found.add((item["file"], item["record"]))
    return found


def draw(corpus: Corpus, rng: random.Random) -> list[dict]:
    """The sampled articles: locator and sentences."""
    taken = _labelled()
    chosen = []
    for folder, count in ANT_FOLDERS.items():
        files = [f for f in corpus.ant_files(folder) if (f, None) not in taken]
        rng.shuffle(files)
        for rel in files:
            if count == 0:
                break
            article = corpus.ant(rel)
            sentences = sentences_of(article) if article else []
            if len(sentences) in SENTENCES:
                chosen.append({"corpus": "ant", "file": rel, "record": None, "sentences": sentences})
                count -= 1
    pool = []
    for day in SAUDI_DAYS:
        with zipfile.ZipFile(SAUDI / f"{day}.zip") as archive:
            records = json.load(io.TextIOWrapper(archive.open(archive.namelist()[0]), encoding="utf-8"))
        pool += [(f"{day}.zip", n) for n in range(len(records)) if (f"{day}.zip", n) not in taken]
    rng.shuffle(pool)
    count = SAUDI_COUNT
    for name, record in pool:
        if count == 0:
            break
        try:
            sentences = sentences_of(corpus.saudi(name, record))
        except IndexError:
            continue  # a record with no text
        if len(sentences) in SENTENCES:
            chosen.append({"corpus": "saudinewsnet", "file": name, "record": record, "sentences": sentences})
            count -= 1
    return chosen


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--out", type=Path, default=Path("/tmp/attribution-sample"))
    args = parser.parse_args()
    chosen = draw(Corpus(), random.Random(args.seed))
    args.out.mkdir(parents=True, exist_ok=True)
    for start in range(0, len(chosen), BATCH):
        lines = []
        for item in chosen[start:start + BATCH]:
            lines.append(json.dumps({k: item[k] for k in ("corpus", "file", "record")}, ensure_ascii=False))
            lines += [f"  [{i}] {text}" for i, text in enumerate(item["sentences"])]
            lines.append("")
        (args.out / f"batch{start // BATCH + 1}.txt").write_text("\n".join(lines), encoding="utf-8")
    print(f"{len(chosen)} articles, {sum(len(c['sentences']) for c in chosen)} sentences -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
