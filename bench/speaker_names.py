"""Who is quoted: the names `newsqa speakers` lists, and what English names match.

Usage:
    .venv/bin/python bench/speaker_names.py [--seed 7] [--sample 100]   # about 10 s
    .venv/bin/python bench/speaker_names.py --latin                      # about 40 s

The first form indexes ANT internationalNews (/tmp/ant/antcorpus when extracted there,
else ../shared/data/news/antcorpus.tar.gz) with the fake embedder in a temporary folder
(the speakers do not depend on the vectors) and prints two random samples (fixed seed) of
what `newsqa speakers` lists, with statement counts: one of the listing as it was before
people were grouped (the stored names, spellings sharing a ``speaker_key`` merged) and
one of the people listed now. Each name shows the directory's own kind for it and the
kind judged by reading it (bench/speakers/labels.json: person, organisation or junk; "?"
where not judged yet), and the counts of both.

--latin indexes ANT internationalNews and the first two SaudiNewsNet days, asks the
directory for each English name of bench/speakers/latin_names.json, and prints each
speaker it matches, right (a spelling of that person, listed in the file's "right": judged by
reading the names) or wrong, with the precision per name and overall.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import shutil
import tarfile
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from retrieval.model.embedder import FakeEmbedder
from retrieval.service import NewsService, open_service
from retrieval.settings import Settings
from retrieval.text.normalize import normalize_arabic
from retrieval.text.spellings import speaker_key

DATA = ROOT.parent / "shared" / "data" / "news"
ANT_DIR = Path("/tmp/ant/antcorpus")
ANT_TAR = DATA / "antcorpus.tar.gz"
SAUDI_DAYS = ("2015-07-21.zip", "2015-07-22.zip")
LABELS = ROOT / "bench" / "speakers" / "labels.json"
LATIN = ROOT / "bench" / "speakers" / "latin_names.json"


def write_seeds(folder: Path, saudi: bool) -> None:
    """ANT internationalNews (and the SaudiNewsNet days) as seed files in ``folder``."""
    folder.mkdir(parents=True)
    if ANT_DIR.is_dir():
        for path in sorted((ANT_DIR / "internationalNews").glob("*.txt")):
            shutil.copyfile(path, folder / path.name)
    else:
        with tarfile.open(ANT_TAR) as tar:
            for member in tar.getmembers():
                if member.isfile() and "/internationalNews/" in member.name and member.name.endswith(".txt"):
                    (folder / Path(member.name).name).write_bytes(tar.extractfile(member).read())
    for day in SAUDI_DAYS if saudi else ():
        with zipfile.ZipFile(DATA / "saudinewsnet" / day) as archive:
            name = archive.namelist()[0]
            (folder / Path(name).name).write_bytes(archive.read(name))


def open_archive(tmp: Path, saudi: bool) -> NewsService:
    write_seeds(tmp / "seeds", saudi)
    return open_service(Settings(seeds=tmp / "seeds", index=tmp / "index"), embedder=FakeEmbedder())


def listing_before(directory) -> list[tuple[str, int]]:
    """What `newsqa speakers` listed before people were grouped: every stored name,
    spellings sharing a ``speaker_key`` merged under the fullest one."""
    groups: dict[str, list[str]] = {}
    for name in directory.names:
        groups.setdefault(speaker_key(name), []).append(name)
    listed = []
    for names in groups.values():
        counts = {n: len(directory.statements([n])) for n in names}
        fullest = max(names, key=lambda n: (len(n.split()), counts[n], n))
        listed.append((fullest, len(directory.statements(names))))
    return sorted(listed, key=lambda item: (-item[1], item[0]))


def print_sample(title: str, listed: list[tuple[str, int]], size: int, seed: int, labels: dict) -> None:
    from retrieval.attribution.speaker_kinds import speaker_kind  # noqa: PLC0415

    sample = random.Random(seed).sample(listed, min(size, len(listed)))
    judged = Counter(labels.get(name, "?") for name, _ in sample)
    found = Counter(speaker_kind(name) for name, _ in sample)
    print(f"\n{title}: {len(listed)} names listed; a random {len(sample)} (seed {seed})")
    for name, count in sample:
        print(f"  {count:4d}  {name}  [auto: {speaker_kind(name)}; judged: {labels.get(name, '?')}]")
    print(f"  judged:    {dict(sorted(judged.items()))}  junk share {judged['junk'] / len(sample):.0%}, "
          f"not a person {(judged['junk'] + judged['organisation']) / len(sample):.0%}")
    print(f"  automatic: {dict(sorted(found.items()))}")


def names_sample(args) -> None:
    labels = json.loads(LABELS.read_text(encoding="utf-8")) if LABELS.exists() else {}
    with tempfile.TemporaryDirectory(prefix="newsqa-speakers-") as tmp:
        service = open_archive(Path(tmp), saudi=False)
        directory = service.index.speakers
        print(f"ANT internationalNews: {len(directory.names)} stored speaker names")
        print_sample("before (stored names, spellings merged)", listing_before(directory),
                     args.sample, args.seed, labels)
        people = [(p.name, p.statements) for p in directory.people()]
        print_sample("after (people)", people, args.sample, args.seed, labels)
        organisations = [(p.name, p.statements) for p in directory.organisations()]
        print(f"\norganisations and outlets listed apart: {len(organisations)}: "
              + ", ".join(f"{name} ({count})" for name, count in organisations[:20]))
        dropped = sorted(set(directory.names) - {n for p in directory.people() for n in p.names}
                         - {n for p in directory.organisations() for n in p.names})
        print(f"dropped as not names: {len(dropped)}: " + " | ".join(dropped))


def latin_precision(args) -> None:
    names = json.loads(LATIN.read_text(encoding="utf-8"))
    right_total = matched_total = 0
    with tempfile.TemporaryDirectory(prefix="newsqa-latin-") as tmp:
        service = open_archive(Path(tmp), saudi=True)
        directory = service.index.speakers
        print(f"ANT internationalNews + SaudiNewsNet {', '.join(SAUDI_DAYS)}: "
              f"{len(directory.names)} stored speaker names")
        for entry in names:
            right = {normalize_arabic(name) for name in entry["right"]}
            found = directory.match(entry["en"])
            marks = [(name, normalize_arabic(name) in right) for name in found]
            hits = sum(ok for _, ok in marks)
            right_total += hits
            matched_total += len(marks)
            precision = f"{hits / len(marks):.2f}" if marks else "-"
            print(f"{entry['en']:>16}  P={precision}  " + "، ".join(
                f"{name} {'✓' if ok else '✗'}" for name, ok in marks))
    print(f"\noverall: {right_total} right of {matched_total} matched "
          f"(precision {right_total / max(matched_total, 1):.3f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7, help="the sample's random seed (default 7)")
    parser.add_argument("--sample", type=int, default=100, help="names per sample (default 100)")
    parser.add_argument("--latin", action="store_true", help="English names over the whole archive")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    for name in ("retrieval.ingest.articles", "retrieval.ingest.seedfiles"):
        logging.getLogger(name).setLevel(logging.ERROR)
    if args.latin:
        latin_precision(args)
    else:
        names_sample(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
