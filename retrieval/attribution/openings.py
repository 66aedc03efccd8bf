"""How a sentence opens before its clause: list marks, connectors («ولكن»، «غير أن»،
«بيد أن») and set phrases («بهذه المناسبة»، «وفي هذا السياق»); and what may stand
before a reporting clause: an impersonal lead («يشار إلى أن X أكد …»), «وسبق لـ X أن
أعلن …», a subheading run into the sentence («تشتت آليات التشغيل قال X …»), a person a
relative clause reports («… الرئيس الفرنسي فرنسوا هولاند الذي قال إن …»)."""

from __future__ import annotations

import retrieval.attribution.reporting as R
from retrieval.attribution.headlines import is_known_mention
from retrieval.attribution.mentions import Mention, parse_subject
from retrieval.attribution.names import Known, name_word
from retrieval.attribution.sources import plausible_person
from retrieval.attribution.tokens import (
    COMMAS,
    DASHES,
    QUOTE_CHARS,
    Token,
    is_title_head,
    quoted_run_end,
    verb_form,
    without_preposition,
)
from retrieval.text.normalize import normalize_arabic
from retrieval.text.spellings import PATRONYMICS

_LEADING_MARKS = frozenset("*•·.-–—،,")
_LEADING_PHRASES = tuple(
    tuple(normalize_arabic(word) for word in phrase.split())
    for phrase in ("بهذه المناسبة", "في هذه المناسبة", "في هذا السياق", "في هذا الإطار", "في هذا الصدد")
)
_PRECEDED = R.norm_set("سبق وسبق")
_THAT = R.norm_set("أن ان وأن وان")
_SAYS_THAT = frozenset("إن إنه إنها إنهم إننا".split())
_SUBHEADING = 5  # how many words a subheading run into a sentence may have
_APPOSITION = 20  # how long an apposition between commas may run
_ANTECEDENT = 8  # how many words the person before «الذي قال» may take
_WHO = R.norm_set("الذي التي")


def clause_start(tokens: list[Token]) -> int:
    """The index after leading marks («* قالت»), connectors and auxiliaries («ولكن»، «غير أن»),
    and «وسبق أن» before a verb («وسبق أن طالب إردوغان …»)."""
    k = next((n for n, token in enumerate(tokens) if token.word or token.raw not in _LEADING_MARKS), len(tokens))
    leading = R.CONNECTORS | R.AUXILIARIES
    k += _leading_phrase(tokens, k)
    while k < len(tokens) and tokens[k].word and tokens[k].norm in leading:
        k += 1
        if k < len(tokens) and tokens[k - 1].norm in ("غير", "الا", "بيد") and tokens[k].norm in ("ان", "أن"):
            k += 1
    if k + 1 < len(tokens) and tokens[k].norm in _PRECEDED and tokens[k + 1].norm in _THAT:
        k += 2
    return k


def _leading_phrase(tokens: list[Token], k: int) -> int:
    """How many tokens a set phrase that opens a sentence takes («بهذه المناسبة»، «وفي هذا
    السياق»), with a comma after it: not a subject, the clause starts after it."""
    for phrase in _LEADING_PHRASES:
        words = [t.norm for t in tokens[k : k + len(phrase)]]
        if words and words[0].startswith("و") and words[0][1:] == phrase[0]:
            words[0] = words[0][1:]
        if tuple(words) == phrase:
            end = k + len(phrase)
            return len(phrase) + (end < len(tokens) and tokens[end].raw in "،,")
    return 0


def impersonal_speaker(tokens: list[Token], k: int, known: Known) -> tuple[Mention, bool, int] | None:
    """«يشار إلى أن الوزير X أكد …» (an impersonal verb at ``k``): the person of the clause
    after «أن», the verb's agreement and where the person stands, when a reporting verb
    follows the name; else None («يذكر أن الوزارة …» is no statement)."""
    for j in range(k + 1, min(len(tokens), k + 4)):
        if tokens[j].norm in R.COMPLEMENTISERS:
            mention = parse_subject(tokens, j + 1, known)
            form = _verb_after_subject(tokens, mention) if mention is not None else None
            if mention is not None and mention.kind == "person" and form is not None and not form.plural:
                return mention, form.feminine, j + 1
            break
    return None


def _verb_after_subject(tokens: list[Token], subject: Mention) -> R.VerbForm | None:
    """The reporting verb right after a subject, past an apposition set off by commas
    («رافع بن عاشور، رئيس المؤتمر … بسوسة، كان أعلن …») and the auxiliaries «كان»، «قد»."""
    end = subject.end
    if end < len(tokens) and (subject.apposed or tokens[end].raw in "،,") and verb_form(tokens[end]) is None:
        stops = (q for q in range(end, min(len(tokens), end + _APPOSITION)) if tokens[q].raw in "،,:؛;\"«»")
        close = next((q for q in stops if q > end or subject.apposed), None)
        if close is not None and tokens[close].raw in "،," and not any(verb_form(t) for t in tokens[end:close]):
            end = close + 1
    while end < len(tokens) and tokens[end].norm in R.AUXILIARIES:
        end += 1
    return verb_form(tokens[end]) if end < len(tokens) else None


def preceded_speaker(tokens: list[Token], start: int, known: Known) -> tuple[Mention, bool] | None:
    """«وسبق لـ X أن أعلن …»: X, and the verb's agreement."""
    if start >= len(tokens) or tokens[0].norm not in _PRECEDED or len(tokens) < 4:
        return None
    token = tokens[1]
    if not token.word or not token.norm.startswith("ل"):
        return None
    tail = list(tokens)
    tail[1] = without_preposition(token)
    mention = parse_subject(tail, 1, known)
    if mention is None or mention.kind not in ("person", "title"):
        return None
    for k in range(mention.end, min(len(tokens), mention.end + 3)):
        if tokens[k].norm in R.COMPLEMENTISERS and k + 1 < len(tokens) and verb_form(tokens[k + 1]):
            return mention, verb_form(tokens[k + 1]).feminine
    return None


def after_subheading(tokens: list[Token], k: int, start: int, known: Known) -> bool:
    """«تشتت آليات التشغيل قال ميلود العوام … إنهم …»: a short subheading run into the
    sentence, then «قال» and a named person who says something after «إن» or a colon."""
    if verb_form(tokens[k]).lemma != "قال" or not 0 < k - start <= _SUBHEADING or tokens[k - 1].norm in R.STOPS or (
            k + 1 >= len(tokens)):
        return False
    heading = tokens[start:k]
    if any(not t.word or t.quoted or verb_form(t) or t.norm in R.RELATIVES | R.COMPLEMENTISERS for t in heading):
        return False
    subject = parse_subject(tokens, k + 1, known) if tokens[k + 1].norm not in R.OBJECT_PRONOUNS else None
    if subject is None or subject.kind != "person":
        return False
    for token in tokens[subject.end : subject.end + _APPOSITION]:
        if token.raw == ":" or token.raw in _SAYS_THAT:
            return True
        if token.raw in QUOTE_CHARS or token.raw in "()":
            return False
    return False


def subject_start(tokens: list[Token], j: int) -> int:
    """Where the subject after a verb starts (the verb's next token is ``j``): past a dash
    («وأوضح - صالح عباس، …») and the outlet spoken to («أكد لـ"المدينة" المهندس …»)."""
    named = j + 1 < len(tokens) and (name_word(tokens, j + 1) or is_title_head(tokens[j + 1].norm))
    if named and tokens[j].raw in DASHES:
        return j + 1  # not «قال -فيما يتعلق بالحاجة …- "…"», an aside
    if j + 1 < len(tokens) and tokens[j].norm == "ل":
        return quoted_run_end(tokens, j + 1) or j
    return j


def relative_speaker(tokens: list[Token], k: int, known: Known) -> Mention | None:
    """The person before «الذي/التي» and the past reporting verb at ``k``, when what was said
    follows the verb (أن/إن, a colon or a quote): «… الرئيس الفرنسي فرنسوا هولاند الذي قال إن
    …». A titled name, a name the article knows or one with «بن»; not «التي قال فيها»."""
    relative = k - 1
    if relative < 1 or tokens[relative].norm not in _WHO or k + 1 >= len(tokens):
        return None
    after = tokens[k + 1]
    if after.word and after.norm not in R.COMPLEMENTISERS or not after.word and after.raw not in QUOTE_CHARS | {":"}:
        return None
    end = relative - 1 if tokens[relative - 1].raw in COMMAS else relative
    found: list[Mention] = []
    for n in range(end - 1, max(-1, end - _ANTECEDENT - 1), -1):  # nearest start first
        if not tokens[n].word:
            break
        mention = parse_subject(tokens, n, known)
        if mention is None or mention.kind != "person" or mention.end != end or not plausible_person(mention, known):
            continue  # not «مسعود هونارماندي، رجل أعمال، الذي قال»: «أعمال» is no name
        if mention.title_norm or is_known_mention(mention, known) or PATRONYMICS & set(mention.name_norm):
            if found and mention.name_norm[-len(found[0].name_norm):] != found[0].name_norm:
                break
            found.append(mention)
    if not found:
        return None
    titled = [m for m in found if m.title_norm]  # «الرئيس الفرنسي فرنسوا هولاند»: with his title
    return titled[0] if titled else next((m for m in found if len(m.name_norm) > 1), found[0])
