"""Speakers named through a source phrase: «بحسب X»، «وفقا لـ X»، «نقلت الوكالة عن X قوله»;
the titled person who gave a speech in which something was said («ألقى الشيخ X كلمة أشاد فيها»)."""

from __future__ import annotations

import retrieval.attribution.reporting as R
from retrieval.attribution.mentions import Mention, parse_subject
from retrieval.attribution.names import Known, possessed
from retrieval.attribution.tokens import (
    QUOTE_CHARS,
    Token,
    is_title_head,
    verb_form,
    without_preposition,
)

_SOURCE_WORDS = R.norm_set("بحسب حسب وبحسب وحسب وفقا ووفقا طبقا حسبما وحسبما نقلا ونقلا")
_CHANNEL_VERBS = R.norm_set("نقل نقلت ونقل ونقلت ونقلا نسب نسبت ونسب ونسبت تنسب وتنسب")
_QUOTING = R.norm_set("قوله قولها القول بقوله قوله: ان أن إن")
_CHANNEL_REACH = 16  # how far after «نقلت» its «عن» may stand


def source_mention(tokens: list[Token], k: int, known: Known) -> Mention | None:
    """The speaker of «بحسب X»، «وفقا لـ X»، «حسبما قال X»، «نقلا عن X»، «ونقلت الوكالة عن X
    قوله» at token ``k``, or None when no source phrase starts there."""
    norm = tokens[k].norm
    if norm in _CHANNEL_VERBS:
        return _channel(tokens, k, known)
    if norm not in _SOURCE_WORDS:
        return None
    j = k + 1
    if j < len(tokens) and tokens[j].norm in ("ما", "لما", "ل", "عن"):
        j += 1
    if j < len(tokens) and (verb_form(tokens[j]) or tokens[j].norm in ("نقلته", "ذكرته", "قاله", "اعلنه")):
        j += 1
    tail = list(tokens)
    if j < len(tokens) and tokens[j].word and norm in ("وفقا", "ووفقا", "طبقا") and tokens[j].norm.startswith("ل"):
        tail[j] = without_preposition(tokens[j])
    mention = parse_subject(tail, j, known)
    return None if mention is None or mention.kind == "none" else mention


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
    return None


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
