"""Speakers named through a source phrase: «بحسب X»، «وفقا لـ X»، «نقلت الوكالة عن X قوله»;
the titled person who gave a speech in which something was said («ألقى الشيخ X كلمة أشاد فيها»);
«المصدر نفسه»، the source who spoke before."""

from __future__ import annotations

import retrieval.attribution.reporting as R
from retrieval.attribution.mentions import Mention, parse_subject
from retrieval.attribution.names import Known, is_known, name_word, possessed
from retrieval.attribution.speaker_kinds import PERSON, speaker_kind
from retrieval.attribution.tokens import (
    COMMAS,
    QUOTE_CHARS,
    Token,
    is_definite,
    is_title_head,
    verb_form,
    without_preposition,
)

_SOURCE_WORDS = R.norm_set("بحسب حسب وبحسب وحسب وفقا ووفقا وفق ووفق طبقا حسبما وحسبما نقلا ونقلا")
_ONLY_BEFORE_MA = R.norm_set("وفق ووفق")
_REPORTER = ("مراسل", "المراسل")
_SAME = frozenset(("نفسه", "نفسها", "ذاته", "ذاتها"))
_CHANNEL_VERBS = R.norm_set("نقل نقلت ونقل ونقلت ونقلا نسب نسبت ونسب ونسبت تنسب وتنسب")
_QUOTING = R.norm_set("قوله قولها القول بقوله قوله: ان أن إن")
_CHANNEL_REACH = 16  # how far after «نقلت» its «عن» may stand
_APPOSED = 12  # how many words what a source is may take before «أن»


def source_mention(tokens: list[Token], k: int, known: Known) -> Mention | None:
    """The speaker of «بحسب X»، «وفقا لـ X»، «حسبما قال X»، «نقلا عن X»، «ونقلت الوكالة عن X
    قوله» at token ``k``, or None when no source phrase starts there."""
    norm = tokens[k].norm
    if norm in _CHANNEL_VERBS:
        return _channel(tokens, k, known)
    if norm not in _SOURCE_WORDS:
        return None
    j = k + 1
    if norm in _ONLY_BEFORE_MA and not (j < len(tokens) and tokens[j].norm in ("ما", "لما")):
        return None  # «وفق ما أكده X», not «وفق مفردات المادة»
    if j < len(tokens) and tokens[j].norm in ("ما", "لما", "ل", "عن"):
        j += 1
    reported = j < len(tokens) and (verb_form(tokens[j]) or _verb_with_object(tokens[j].norm))
    if reported:
        j += 1  # «حسبما قال»، «وفق ما أكده»، «وفق ما صرح به»
        j += j < len(tokens) and tokens[j].norm in ("به", "بها")
    elif norm in _ONLY_BEFORE_MA:
        return None  # «وفق ما جاء به النص»: no one reported it
    tail = list(tokens)
    if j < len(tokens) and tokens[j].word and norm in ("وفقا", "ووفقا", "طبقا") and tokens[j].norm.startswith("ل"):
        tail[j] = without_preposition(tokens[j])
    mention = parse_subject(tail, j, known)
    if mention is None or mention.kind == "none":
        return None
    if reported and not plausible_person(mention, known):
        return None  # «وفق ما أكده المدير الجهوي للتجارة بنابل …»: a place, not the name
    return mention


def plausible_person(mention: Mention, known: Known) -> bool:
    """A person after «وفق ما أكده»: a title, a name of two words or more that starts with
    no preposition («بنابل»، «لمراسل») and holds no place, or a one-word name the article knows."""
    if any(w.startswith("ل") and w[1:] in R.TOLD_TO for w in mention.title_norm[1:]):
        return False  # «… لوكالة تونس إفريقيا»: whom it was told to ran into the title
    if mention.title_norm[:1] and mention.title_norm[0].startswith(_REPORTER):
        return False  # «حسب ما أكدته مراسلة الجوهرة»: the outlet's reporter
    if mention.kind != "person":
        return mention.kind == "title"
    if speaker_kind(mention.name) != PERSON or mention.name_norm[0].startswith(_REPORTER):
        return False  # «رئاسة الجمهورية»، «مراسلة الجوهرة»
    words = mention.name_norm
    if any(w in R.PLACES or w in R.BARE_GENTILICS for w in words) or mention.title_norm[:1] and mention.title_norm[0] in R.UNNAMED_HEADS:
        return False  # «مسؤول أمني لوكالة تونس إفريقيا»: an unnamed official, the agency's name
    if len(words) == 1:
        return is_known(words[0], known) and not is_definite(words[0])  # not «مراسلة الجوهرة»
    if words[0].startswith("وو"):
        return False  # «… الحرس الوطني ووحدات التدخل»: the post's complement goes on
    return not words[0].startswith(("ب", "ل"))


def _verb_with_object(norm: str) -> bool:
    """A reporting verb with an object pronoun («أكده»، «أعلنه»، «ذكرته»، «أفادنا»)."""
    for ending in ("ته", "ه", "نا"):  # «أكده»، «ذكرته»، «أفادنا»
        if norm.endswith(ending) and (norm[: -len(ending)] in R.VERBS or norm[: -len(ending)] in ("نقل", "نقلت")):
            return True
    return False


def _channel(tokens: list[Token], k: int, known: Known) -> Mention | None:
    """«نقلت وكالة … عن X قوله» / «نسب بيان … إلى X قوله»: X speaks."""
    particle = "الي" if "نسب" in tokens[k].norm else "عن"
    for j in range(k + 1, min(len(tokens), k + _CHANNEL_REACH)):
        if tokens[j].word and tokens[j].norm == particle and not tokens[j].quoted:
            mention = parse_subject(tokens, j + 1, known)
            if mention is None or mention.kind == "none":
                continue
            end = mention.end
            if end < len(tokens) and (tokens[end].norm in _QUOTING or tokens[end].raw in QUOTE_CHARS | {":"}
                                      or possessed(tokens, end)):  # «… عن عبد الرحمن تأكيده»
                return mention
            if mention.kind == "person" and _that_after_apposition(tokens, end) and plausible_person(mention, known):
                return mention  # «نقلت وكالة بلومبرج عن لي مياوتشيان الاقتصادي في مجموعة … أن»
    return None


def _that_after_apposition(tokens: list[Token], end: int) -> bool:
    """«أن» within a few words after a name, past what he is (a comma, a definite word or a
    title first; no verb, no second «عن»)."""
    if end < len(tokens) and name_word(tokens, end) and not (is_definite(tokens[end].norm) or is_title_head(
            tokens[end].norm)):
        return False  # «عن محمد علي جعفري»: the name may go on
    for k in range(end, min(len(tokens), end + _APPOSED)):
        token = tokens[k]
        if token.word and token.norm in ("أن", "ان"):
            return k > end
        if not token.word and token.raw not in COMMAS or token.quoted or token.norm == "عن" or verb_form(token):
            return False
        following = tokens[k + 1] if k + 1 < len(tokens) else None
        if not token.word and following is not None and following.word and not (
                is_definite(following.norm) or is_title_head(following.norm) or following.norm in ("أن", "ان")):
            return False  # «عن المتحدث باسم مركز مين الطبي، مات بول»: another name after the comma
    return False


def through_mouth(tokens: list[Token], start: int, known: Known) -> Mention | None:
    """«نفت وزارة الدفاع، على لسان الناطق الرسمي باسمها العقيد X، …»: the institution
    speaks through a named person, whose words they are: that person, or None."""
    for k in range(start, len(tokens) - 2):
        if tokens[k].norm == "علي" and tokens[k + 1].norm == "لسان" and not tokens[k].quoted:
            mention = parse_subject(tokens, k + 2, known)
            if mention is not None and mention.kind == "person":
                return mention
    return None


def titled_before(tokens: list[Token], start: int, k: int, known: Known) -> Mention | None:
    """The first titled person named between ``start`` and ``k`` («بعد ذلك ألقى الشيخ X …
    كلمة أشاد فيها»: the one who gave the speech)."""
    for j in range(start, k):
        if tokens[j].word and is_title_head(tokens[j].norm):
            mention = parse_subject(tokens, j, known)
            if mention is not None and mention.kind == "person" and mention.end < k:
                return mention
    return None


def same_source(tokens: list[Token], j: int, subject: Mention | None) -> bool:
    """«المصدر نفسه»، «المسؤول ذاته»، «نفس المسؤول»: the source who spoke before."""
    if subject is None:
        return False
    after = tokens[subject.end] if subject.end < len(tokens) else None
    if subject.kind in ("unnamed", "title") and after is not None and after.norm in _SAME:
        return True
    following = tokens[j + 1] if j + 1 < len(tokens) else None
    return tokens[j].norm == "نفس" and following is not None and (
        is_title_head(following.norm) or following.norm in R.UNNAMED_HEADS)
