"""Learn reporting verbs and titles from the archive, bootstrapped from the rules' confident statements.

Usage:
    .venv/bin/python bench/learn_attribution.py [--min-share 0.5 0.7] [--min-speakers 4] [--evaluate]

Reads every ANT article and the SaudiNewsNet days, except the days kept for checks this
project does not see (2015-08-01 to 2015-08-07) and the articles of both labelled
samples (``attribution/``), attributes them with the rules, and learns from the
confident statements; prints what was learned. ``--evaluate`` then adds the lexicon
(of the first ``--min-share``) to the rules' lists and prints the labelled samples'
sentence-level precision and recall with and without it.

How it learns (DIPRE/Snowball-style):
The rules (``statements``, ``clauses``) know a few dozen reporting verbs and titles by
hand; news from another outlet uses others («بيّن»، «حدد»، «القيادي»، «النائبة»). As
DIPRE and Snowball did for relations, the confident output of the rules seeds the
learning: the people they find speaking, by a full name, in an archive are looked for
again everywhere in it, and the words around those names are counted.

- a **verb**: the first word of the clause in front of a known speaker's name (past its
  title: «وبين رئيس الحركة، محسن مرزوق أن …»), kept when it stands before several
  speakers, in several articles, and is followed by content (أن/إن, a colon or a quote)
  most of the time; or the word just after the name that opens such content («بوتين
  يقول إنه …»);
- a **title**: the word right after such a verb that opens the phrase before a
  speaker's name («القيادي في الجبهة الشعبية عمار عمروسية»);

Names are not learned: the rules' speakers include phrases that are not names, and the
family names they would teach read common nouns as people (measured: most of the 2,500
"surnames" learned from this archive were nouns).


Measured (bench/RESULTS.md): the lexicon adds one statement of 130 on the fresh sample
and none on the old one, and brings words that are not reporting verbs; the rules do
not use it.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import retrieval.attribution.reporting as R  # noqa: E402
from bench.attribution_eval import SAMPLES, SAUDI, Corpus, sentences_of  # noqa: E402
from retrieval.attribution.statements import attribute_article  # noqa: E402
from retrieval.attribution.tokens import Token, is_definite, is_prepositional, tokenize  # noqa: E402
from retrieval.ingest.readers import parse_json_records  # noqa: E402
from retrieval.text.normalize import normalize_arabic  # noqa: E402

KEPT_DAYS = {f"2015-08-0{d}.zip" for d in range(1, 8)}

#: Distinct speakers and articles a word must be seen with, and the share of its uses
#: followed by content, to be learned (chosen on the old sample, checked on the fresh one).
MIN_SPEAKERS = 3
MIN_ARTICLES = 3
MIN_CONTENT_SHARE = 0.6
_WINDOW = 8  # tokens between a verb and the name, or a name and its content
_CONTENT = R.COMPLEMENTISERS | frozenset({"بان", "بأن"})


@dataclass(frozen=True)
class Lexicon:
    """What was learned: word forms (normalised) that the rules add to their own lists."""

    verbs: frozenset[str] = frozenset()
    titles: frozenset[str] = frozenset()


@dataclass
class _Counts:
    speakers: dict[str, set[str]]
    articles: dict[str, set[int]]
    content: Counter
    uses: Counter

    def see(self, word: str, speaker: str, article: int, content: bool) -> None:
        self.speakers[word].add(speaker)
        self.articles[word].add(article)
        self.uses[word] += 1
        self.content[word] += content

    def kept(self, min_share: float, min_speakers: int) -> set[str]:
        return {w for w in self.uses if len(self.speakers[w]) >= min_speakers and len(self.articles[w]) >= MIN_ARTICLES
                and self.content[w] / self.uses[w] >= min_share}


def _counts() -> _Counts:
    return _Counts(defaultdict(set), defaultdict(set), Counter(), Counter())


def learn(articles: Iterable[tuple[list[str], str | None]], *, min_share: float = MIN_CONTENT_SHARE,
          min_speakers: int = MIN_SPEAKERS) -> Lexicon:
    """Learn reporting verbs and titles from ``(sentences, title)`` of each article.

    The articles are read twice: once to attribute them with the rules (the seeds),
    once to count the words around the confident speakers' names.
    """
    articles = list(articles)
    speakers: Counter = Counter()
    for sentences, title in articles:
        for statement in attribute_article(sentences, title=title):
            if statement is not None and len(statement.speaker.split()) >= 2:
                speakers[tuple(normalize_arabic(word) for word in statement.speaker.split())] += 1
    names = {name for name, count in speakers.items() if count >= 2}
    by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for name in names:
        by_first[name[0]].append(name)
    verbs, titles = _counts(), _counts()
    for number, (sentences, _) in enumerate(articles):
        for sentence in sentences:
            tokens = tokenize(sentence)
            for start, end in _name_spans(tokens, by_first):
                speaker = " ".join(t.norm for t in tokens[start:end])
                content = _content_within(tokens, end)
                verb_at = _clause_start_before(tokens, start)
                if verb_at is not None:
                    verbs.see(_unglued(tokens[verb_at].norm), speaker, number, content)
                    if verb_at + 1 < start and tokens[verb_at + 1].word:
                        titles.see(tokens[verb_at + 1].norm, speaker, number, content)
                if end < len(tokens) and tokens[end].word:
                    verbs.see(_unglued(tokens[end].norm), speaker, number, _content_within(tokens, end + 1))
    name_words = {word for name in names for word in name}
    learned = {w for w in verbs.kept(min_share, min_speakers) if _may_be_verb(w, name_words)}
    return Lexicon(
        verbs=frozenset(learned - set(R.VERBS)),
        titles=frozenset(w for w in titles.kept(min_share, min_speakers)
                         if _may_be_title(w, name_words) and w not in learned and w not in R.TITLE_HEADS),
    )


def _unglued(norm: str) -> str:
    """A word without the conjunction glued to it («ووعد» -> «وعد»)."""
    return norm[1:] if norm[:1] in ("و", "ف") and len(norm) > 3 else norm


def _name_spans(tokens: list[Token], by_first: dict[str, list[tuple[str, ...]]]) -> list[tuple[int, int]]:
    """Where the confident speakers' full names stand in a sentence."""
    spans = []
    for k, token in enumerate(tokens):
        for name in by_first.get(token.norm, ()):
            if tuple(t.norm for t in tokens[k:k + len(name)]) == name:
                spans.append((k, k + len(name)))
                break
    return spans


def _content_within(tokens: list[Token], k: int) -> bool:
    """Whether speech content opens within a few tokens of ``k`` (أن/إن, a colon, a quote)."""
    for token in tokens[k:k + _WINDOW]:
        if token.norm in _CONTENT or token.raw in (":", "«", '"', "“"):
            return True
    return False


def _clause_start_before(tokens: list[Token], start: int) -> int | None:
    """The first word of the clause a name at ``start`` belongs to, past its title phrase
    (commas inside the phrase are passed over): the sentence's first word, or a word
    right after a comma or a semicolon."""
    for k in range(start - 1, max(-1, start - _WINDOW - 1), -1):
        token = tokens[k]
        if not token.word:
            if token.raw in "،,":
                continue
            return None  # a colon, a quote or a bracket in between: not read
        if k == 0 or not tokens[k - 1].word and tokens[k - 1].raw in "،,؛;":
            return k
    return None


def _may_be_verb(word: str, name_words: set[str]) -> bool:
    """Whether a learned word has a verb's shape: a past (3–6 letters) or present form, no
    article, no glued preposition, no feminine noun ending, not a word of the lists or a name."""
    if word in R.VERBS:
        return True
    if not 3 <= len(word) <= 7 or word.isdigit() or word in name_words or is_definite(word):
        return False
    if word[0] in "بل" or word.endswith(("ه", "ات", "ين")) or is_prepositional(word):
        return False
    return not any(word in group for group in _NOT_VERBS)


def _may_be_title(word: str, name_words: set[str]) -> bool:
    """Whether a learned word can open a title: a noun (definite or in construct), not a
    verb, a pronoun-suffixed word or a word of the lists."""
    if len(word) < 4 or word in name_words or word in R.VERBS or word[0] in "يت":
        return False
    if word.endswith(("ته", "ها", "هم")) or word[:2] in ("بش", "عل"):
        return False
    return not any(word in group for group in _NOT_TITLES)


_NOT_VERBS = (R.STOPS, R.TIME_WORDS, R.PREPOSITIONS, R.CONNECTORS, R.AUXILIARIES, R.ORGANISATIONS, R.PLACES,
              R.COMMON_WORDS, R.TITLE_HEADS, R.TITLE_WORDS, R.GENTILICS, R.COMPLEMENTISERS, R.NAME_PARTICLES,
              R.SPEECH_NOUNS, R.PARTICIPLES, R.NON_NAMES, R.RELATIVES)
_NOT_TITLES = (R.STOPS, R.TIME_WORDS, R.PREPOSITIONS, R.CONNECTORS, R.COMPLEMENTISERS, R.PLACES, R.NAME_PARTICLES,
               R.RELATIVES, R.ORGANISATIONS, R.COMMON_WORDS, R.SPEECH_NOUNS)


def archive(corpus: Corpus):
    """(sentences, title) of every article used for learning."""
    labelled = {(json.loads(line)["file"], json.loads(line)["record"])
                for path, _ in SAMPLES.values() for line in path.read_text(encoding="utf-8").splitlines()}
    for folder in sorted({rel.split("/")[0] + "/" for rel in corpus.ant_files("")}):
        for rel in corpus.ant_files(folder):
            article = None if (rel, None) in labelled else corpus.ant(rel)
            if article is not None:
                yield sentences_of(article), article.source.title
    for path in sorted(SAUDI.glob("*.zip")):
        if path.name in KEPT_DAYS:
            continue
        with zipfile.ZipFile(path) as zipped:
            records = json.load(io.TextIOWrapper(zipped.open(zipped.namelist()[0]), encoding="utf-8"))
        for n, record in enumerate(records):
            if (path.name, n) in labelled:
                continue
            articles, _ = parse_json_records(path.name, [record])
            for article in articles:
                yield sentences_of(article), article.source.title


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-share", type=float, nargs="+", default=[0.6],
                        help="share of uses followed by content a word needs (several: one lexicon each)")
    parser.add_argument("--min-speakers", type=int, default=3)
    parser.add_argument("--evaluate", action="store_true", help="score the samples with and without the lexicon")
    args = parser.parse_args()
    started = time.perf_counter()
    articles = list(archive(Corpus()))
    for share in args.min_share:
        lexicon = learn(articles, min_share=share, min_speakers=args.min_speakers)
        print(f"{len(articles):,} articles, {sum(len(s) for s, _ in articles):,} sentences, content share >= {share}, "
              f"speakers >= {args.min_speakers}: learned in {time.perf_counter() - started:.0f} s")
        for kind in ("verbs", "titles"):
            words = sorted(getattr(lexicon, kind))
            print(f"  {kind} ({len(words)}): {' '.join(words)}")
    if args.evaluate:
        first = learn(articles, min_share=args.min_share[0], min_speakers=args.min_speakers)
        evaluate(first)
    return 0


def evaluate(lexicon: Lexicon) -> None:
    """The samples' sentence-level figures with the rules alone, then with the lexicon added."""
    import subprocess

    for label, code in (("rules", ""), ("rules + learned", _patch(lexicon))):
        for sample in SAMPLES:
            script = (f"import sys, runpy; sys.path.insert(0, {str(ROOT)!r}); {code}"
                      f"sys.argv = ['attribution_eval.py', '--sample', {sample!r}, '--no-service']; "
                      f"runpy.run_path({str(ROOT / 'bench' / 'attribution_eval.py')!r}, run_name='__main__')")
            out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True).stdout
            overall = [line.strip() for line in out.splitlines() if line.strip().startswith("overall")]
            print(f"{label:16} {sample:5} AR {overall[0] if overall else '?'}")
            print(f"{'':16} {'':5} EN {overall[1] if len(overall) > 1 else '?'}")


def _patch(lexicon: Lexicon) -> str:
    """Python that adds the lexicon to the rules' lists (verbs need أن/إن after them)."""
    return (f"import retrieval.attribution.reporting as R; "
            f"[R.VERBS.setdefault(v, R.VerbForm(v, False, False, v[0] in 'يت', R._NEEDS['أن'])) for v in {sorted(lexicon.verbs)!r}]; "
            f"R.TITLE_HEADS = R.TITLE_HEADS | frozenset({sorted(lexicon.titles)!r}); ")


if __name__ == "__main__":
    raise SystemExit(main())
