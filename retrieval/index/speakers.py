"""Who is quoted in the index: each speaker's statements, found when the index is loaded."""

from __future__ import annotations

from typing import Sequence

from retrieval.index.passage_table import PassageView
from retrieval.text.spellings import SpeakerMatcher, closest_names, speaker_key
from retrieval.types import Passage, Person


class SpeakerDirectory:
    """Every speaker stored with the passages, and where their statements are.

    A speaker's spellings that share one ``speaker_key`` (أ/إ/ا, ة/ه, ى/ي, long vowels:
    «نتنياهو»/«نتانياهو») are one person, listed under the fullest spelling.
    """

    def __init__(self, passages: Sequence[Passage]):
        self._positions: dict[str, list[int]] = {}
        if isinstance(passages, PassageView):  # the served index: no Passage made
            said = passages.statements()
        else:
            said = [(position, p.speakers) for position, p in enumerate(passages) if p.speakers]
        for position, names in said:
            for name in names:
                self._positions.setdefault(name, []).append(position)
        self._passages = passages
        self._matcher: SpeakerMatcher | None = None

    @property
    def names(self) -> list[str]:
        """The distinct speaker names, as stored."""
        return list(self._positions)

    def match(self, asked: str) -> list[str]:
        """The stored names that are the person asked about (see ``match_speakers``), best first."""
        if self._matcher is None:  # built on first use: most indexes are never asked
            self._matcher = SpeakerMatcher(self._positions)
        return [name for name, _ in self._matcher.match(asked)]

    def closest(self, asked: str, limit: int = 3) -> list[str]:
        """Quoted people whose names come closest to ``asked`` (nobody quoted is called
        that), each once under their fullest spelling, best first."""
        fullest: dict[str, str] = {}
        for name in closest_names(asked, self._positions, limit * 4):
            key = speaker_key(name)
            if key not in fullest:
                spellings = [n for n in self._positions if speaker_key(n) == key]
                fullest[key] = max(spellings, key=lambda n: (len(n.split()), len(self._positions[n]), n))
        return list(fullest.values())[:limit]

    def statements(self, names: Sequence[str]) -> list[int]:
        """Positions of the passages quoting any of ``names``, in index order, each once."""
        found: set[int] = set()
        for name in names:
            found.update(self._positions.get(name, ()))
        return sorted(found)

    def people(self) -> list[Person]:
        """Everyone quoted, most statements first."""
        groups: dict[str, list[str]] = {}
        for name in self._positions:
            groups.setdefault(speaker_key(name), []).append(name)
        people = []
        for names in groups.values():
            positions = self.statements(names)
            articles = {_article_id(self._passages, p) for p in positions}
            fullest = max(names, key=lambda n: (len(n.split()), len(self._positions[n]), n))
            people.append(Person(fullest, tuple(sorted(names)), len(positions), len(articles)))
        return sorted(people, key=lambda p: (-p.statements, -p.articles, p.name))


def _article_id(passages: Sequence[Passage], position: int) -> str:
    if isinstance(passages, PassageView):
        return passages.article_id(position)
    return passages[position].article_id
