"""The «من قال …؟» question form ("Who said …?"): the statements that match a claim, by speaker.

    «من قال إن الإنترنت يحتاج إلى قواعد؟», «من تحدث عن قطر؟», "Who said the Paris agreement is unfair?"

The form reads the claim (or topic) out of the question (``Question.topic``); the search
retrievers look for it (``Question.search_text``) and the ``BySpeaker`` stage keeps only
statements (passages with speakers, attributed when indexing), past the relevance gate,
grouped by speaker, the most relevant speaker first. ``by_speaker`` names each hit's
speaker and gives the answer its groups (``Answer.speakers``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from retrieval.index.loaded import LoadedIndex
from retrieval.query.types import SAID_WHAT, Candidate, Question, Request
from retrieval.query.who_said import clean_question
from retrieval.text.normalize import fold_letters
from retrieval.text.transliteration import has_latin
from retrieval.types import Answer, SpeakerGroup

_SPACES = re.compile(r"\s+")
#: Verbs that ask who said something («من قال/صرح/انتقد …»), letters folded; past and present.
_AR_VERBS = (
    "قال|قالت|قالوا|يقول|تقول|يقولون|صرح|صرحت|يصرح|تصرح|تحدث|تحدثت|يتحدث|تتحدث|تكلم|تكلمت|يتكلم|تتكلم|"
    "اكد|اكدت|يؤكد|تؤكد|اعلن|اعلنت|يعلن|تعلن|ذكر|ذكرت|انتقد|انتقدت|ينتقد|تنتقد|اشار|اشارت|"
    "دعا|دعت|يدعو|تدعو|حذر|حذرت|يحذر|تحذر|نفي|نفت|ينفي|تنفي|وصف|وصفت|اتهم|اتهمت|طالب|طالبت|"
    "اعتبر|اعتبرت|اعرب|اعربت|اشاد|اشادت|ندد|نددت|شدد|شددت|زعم|زعمت|ادعي|ادعت|علق|علقت|"
    "اقترح|اقترحت|صرحوا|تحدثوا|انتقدوا|اكدوا|حذروا|دعوا"
)
_AR_ASK = re.compile(
    r"^(?:و|ف)?(?:من|اي\s+\S+)\s+(?:(?:هو|هي)\s+)?(?:(?:الذي|التي|اللذي|الذين)\s+)?"
    rf"(?:{_AR_VERBS})(?=[\s:«\"“]|$)\s*(?P<rest>.*)$"
)
#: What may stand between the verb and the claim: «إن/أن/بأن», «عن/حول/بشأن», «إلى», «من», a colon.
_AR_LEAD = re.compile(
    r"^(?:(?:ان|بان|انه|بانه|انها|بانها|ب|عن|حول|بشان|بخصوص|فيما يخص|في|الي|من|علي|:)(?:\s+|$)|[:«\"“'])+"
)
_EN_VERBS = (
    r"said|say|says|saying|stated|states|state|declared|declares|talked|talks|talk|talking|spoke|speaks|speak|"
    r"mentioned|mentions|mention|criticized|criticised|criticizes|criticises|criticize|criticise|warned|warns|"
    r"called|calls|claimed|claims|argued|argues|announced|announces|denied|denies|accused|accuses|praised|"
    r"praises|commented|comments|described|describes|urged|urges|insisted|insists|suggested|suggests|noted|"
    r"notes|discussed|discusses|condemned|condemns|stressed|stresses|told|tells|blamed|blames|promised|promises"
)
_EN_ASK = re.compile(
    r"^(?:so\s+|and\s+)?(?:who|which\s+\w+)\s+(?:(?:has|have|had|did|does|do|is|was|were)\s+)?"
    rf"(?:{_EN_VERBS})\b\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_EN_LEAD = re.compile(
    r"^(?:(?:that|about|on|of|for|against|regarding|concerning|to|reporters|journalists|the press)\b\s*|[:\"“'])+",
    re.IGNORECASE,
)
#: A "claim" that only points back (a follow-up, not a claim): «من قال ذلك؟», "Who said it?".
_NO_CLAIM = frozenset(
    {"ذلك", "هذا", "هذه", "هذا الكلام", "ذلك الكلام", "هذا الشيء", "شيئا", "شيء", "ماذا", "ما", "ايضا", "كذلك",
     "it", "that", "this", "so", "what", "something", "anything", "too", "also", "this too", "that too"}
)
#: A last word that only says «again»: «من تحدث عن قطر أيضا؟» asks about «قطر».
_ALSO = frozenset({"ايضا", "كذلك", "too", "also"})


class SaidWhat:
    """Reads «من قال إن …؟», «من تحدث عن …؟», «من الذي انتقد …؟», "Who said (that) …?",
    "Who talked about …?" and their variants; «من هو X؟» / "Who is X?" are not its own."""

    name = SAID_WHAT

    def read(self, question: Question) -> Question | None:
        """The question with the claim it asks about (``topic``); None when it asks something else."""
        claim = read_claim(question.text)
        if claim is None:
            return None
        return replace(question, form=self.name, topic=claim)


def read_claim(question: str) -> str | None:
    """What a «who said …» question asks about, as written (pure).

    Args:
        question: the user's question («من قال إن الإنترنت يحتاج إلى قواعد؟», "Who said
            the Paris agreement is unfair?").

    Returns:
        The claim or topic («الإنترنت يحتاج إلى قواعد», "the Paris agreement is unfair"),
        or None when the question does not ask who said something.
    """
    text = clean_question(question)
    if not text:
        return None
    if has_latin(text) and not re.search("[\u0600-\u06ff]", text.split(" ")[0]):
        match, lead = _EN_ASK.match(text), _EN_LEAD
        folded = text
    else:
        folded = fold_letters(text)  # one letter for one: offsets hold in ``text``
        match, lead = _AR_ASK.match(folded), _AR_LEAD
    if match is None:
        return None
    start = match.start("rest")
    skipped = lead.match(folded[start:])
    if skipped:
        start += skipped.end()
    claim = text[start:].strip(" \"'«»“”:،,")
    words = claim.split()
    if len(words) > 1 and fold_letters(words[-1]).lower() in _ALSO:  # «من قال ذلك أيضا؟»
        claim = " ".join(words[:-1])
    if not claim or fold_letters(claim).lower() in _NO_CLAIM:
        return None
    return claim


class BySpeaker:
    """For a «من قال …؟» question: only statements (passages with speakers), grouped by
    speaker, the speakers in order of their best statement, each speaker's statements by
    article (best first) and by score. Other questions' lists pass as they are.

    It runs after the gate, so only statements that match the claim are kept; when too
    few are left the pipeline looks deeper, and when none is, the answer says so.
    """

    name = "by-speaker"

    def apply(self, index: LoadedIndex, request: Request, candidates: list[Candidate]) -> list[Candidate]:
        if not request.question.asks_who:
            return candidates
        names: dict[str, str] = {}
        groups: dict[str, dict[str, list[Candidate]]] = {}  # speaker -> article -> statements
        for candidate in sorted(candidates, key=lambda c: (-c.score, c.position)):
            passage = index.passages[candidate.position]
            if not passage.speakers:
                continue
            stored = passage.speakers[0]
            if stored not in names:
                names[stored] = shown_name(index, stored)
            groups.setdefault(names[stored], {}).setdefault(passage.article_id, []).append(candidate)
        return [c for articles in groups.values() for statements in articles.values() for c in statements]


def shown_name(index: LoadedIndex, name: str) -> str:
    """The name a speaker is shown under: the person's canonical name when the index's
    speaker directory knows one (``canonical``), else the name as stored."""
    canonical = getattr(index.speakers, "canonical", None)
    return (canonical(name) or name) if callable(canonical) else name


def by_speaker(index: LoadedIndex, question: Question, answer: Answer) -> Answer:
    """A «من قال …؟» answer with each hit's speaker named (``shown_name``), the claim, and
    the speakers in order with the ranks of their hits (``Answer.speakers``)."""
    named: dict[str, str] = {}
    hits = []
    for hit in answer.hits:
        stored = hit.passage.speaker or ""
        if stored not in named:
            named[stored] = shown_name(index, stored) if stored else ""
        hits.append(replace(hit, speaker=named[stored] or None))
    ranks: dict[str, list[int]] = {}
    for hit in hits:
        ranks.setdefault(hit.speaker or "", []).append(hit.rank)
    speakers = tuple(SpeakerGroup(name, tuple(r)) for name, r in ranks.items())
    return replace(answer, hits=tuple(hits), claim=question.topic, speakers=speakers)
