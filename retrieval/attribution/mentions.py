"""Noun phrases that may speak: a name, a title with or without a name, an institution."""

from __future__ import annotations

from dataclasses import dataclass, replace

import retrieval.attribution.places as places
import retrieval.attribution.reporting as R
from retrieval.attribution.names import (
    NO_NAMES,
    Known,
    ends_subject,
    is_first_person_future,
    is_known,
    known_bel,
    name_end,
    name_word,
    noun_and_adjective,
    possessed,
    prepositional_noun,
    quote_ends_subject,
    quoted_name,
    quoted_subject,
    split_spelling,
    subject_ends,
    word_not_particle,
)
from retrieval.attribution.titles import (
    address_only,
    and_title,
    apposed_posts,
    feminine_title,
    governed_alone,
    governs,
    honorific_run,
    other_gender,
    quoted_body,
    quoted_name_after_role,
    title_end,
)
from retrieval.attribution.tokens import (
    COMMAS,
    Token,
    adjectival_head,
    after_earlier_time,
    is_definite,
    is_prepositional,
    is_title_head,
    join_words,
    past_date,
    quoted_run_end,
    strip_prefix,
)
from retrieval.text.spellings import PATRONYMICS

_SKIPPED = R.norm_set("أيضا كذلك بدوره بدورها بذلك بهذا مجددا بشدة بقوة بحدة بدوره بصراحة")
#: «his eminence», «his highness» …: the person already speaking, as a pronoun would be.
_HONORIFIC_PRONOUNS = R.norm_set("فضيلته سموه معاليه سعادته فخامته جلالته سماحته دولته")
_TITLE_REACH = 7  # how far after a title's head a comma may set off the name
_ANONYMOUS = frozenset({"اسمه", "اسمها", "هويته", "هويتها"})  # «… طلب عدم ذكر اسمه»
_NEVER_NAMED = R.norm_set("مصدر المصدر")
_ROLE_LIMIT = 14  # how far a quoted name may stand after a long role


@dataclass(frozen=True)
class Mention:
    """A noun phrase that may be the subject of a statement.

    Attributes:
        kind: "person" (a name), "title" (a title alone), "unnamed" (a source
            without a name), "org" (an institution, a place, a group) or "none"
            (something that is not known to be a name).
        name: the name as written ("" when there is none).
        name_norm: the name's normalised words.
        title: the title as written, if any.
        title_norm: the title's normalised words.
        feminine: True/False when the title tells, else None.
        end: the index of the first token after the phrase.
        apposed: whether the title follows the name («قطان، سفير …») rather than
            leading it («الرئيس الصيني شي»), which is weaker evidence of a name.
    """

    kind: str
    name: str = ""
    name_norm: tuple[str, ...] = ()
    title: str | None = None
    title_norm: tuple[str, ...] = ()
    feminine: bool | None = None
    end: int = 0
    apposed: bool = False


def parse_subject(tokens: list[Token], i: int, known: Known = NO_NAMES) -> Mention | None:
    """The noun phrase that starts at token ``i``, as the subject of a statement.

    Args:
        tokens: the sentence's tokens.
        i: where the phrase should start (just after a verb, or at a clause start).
        known: the name forms of the article (see ``retrieval.attribution.names.add_known``): a
            single word is taken for a name only when the article knows it, and
            known names end names and split «ترامب بوتين».

    Returns:
        None when no subject starts here (a complementiser, a colon, a quote, a
        preposition: the verb's subject is implied); else the mention.
    """
    while i < len(tokens) and tokens[i].word and tokens[i].norm in _SKIPPED:
        i += 1
    i += after_earlier_time(tokens, i) + honorific_run(tokens, i)
    if i + 2 < len(tokens) and tokens[i].norm == "كل" and tokens[i + 1].norm == "من":
        first = parse_subject(tokens, i + 2, known)  # «وأبرز كل من المدير … و…»: the first who spoke
        if first is not None and first.kind in ("person", "title"):  # not «كل من يهمه الأمر»
            return first
    dated = past_date(tokens, i)
    if dated > i:  # whoever comes after the date speaks («أكد أمس وزير الخارجية …»)
        return parse_subject(tokens, dated, known)
    if i >= len(tokens) or not tokens[i].word:
        quoted, span = quoted_name(tokens, i), quoted_subject(tokens, i)
        if quoted and quote_ends_subject(tokens, quoted[1]):
            return _person(tokens, quoted, None, quoted[1] + 1)
        if span and span[1] - span[0] == 1 and any(" " in full for full in known.get(tokens[span[0]].norm, ())):
            return _person(tokens, span, None, span[1] + 1)  # «وأوضح "الجاسر" أن»: a full name's family
        body = span and all(t.norm in R.ORGANISATIONS for t in tokens[span[0] : span[1]])
        return Mention("org", end=span[1] + 1) if body else None  # «وأوضحت «الصحة» أن»: a body
    norm = tokens[i].norm
    group = places.one_of(tokens, i, known)  # «أحد أعضاء الفريق حسن أبو السعود»، «أحد المسؤولين»
    if group is not None:
        return _person(tokens, group[1], (i, group[0]), group[1][1]) if group[1] else _unnamed(tokens, i, group[0])
    if _no_subject(norm) and not (word_not_particle(tokens, i, known) or known_bel(tokens[i], known)):
        return None
    if is_title_head(norm):
        return _after_title(tokens, i, known) if not adjectival_head(tokens, i) else None
    if norm in R.ORGANISATIONS or norm in R.PLACES or norm in R.COMMON_WORDS:
        return Mention("org", end=_org_end(tokens, i))
    return _named(tokens, i, known)


def _no_subject(norm: str) -> bool:
    """A word that shows the verb has no subject of its own («إن»، «في»، «قائلا»، «بالقول»)."""
    if norm in R.COMPLEMENTISERS or norm in R.PREPOSITIONS or norm in R.STOPS or norm in R.TIME_WORDS:
        return True
    if norm in _HONORIFIC_PRONOUNS or norm == "ضيف":  # «وحذر فضيلته الشباب …»، «وقال ضيف
        return True  # "بوليتيكا" إن …»: he who has the floor
    if norm in R.PARTICIPLES or is_prepositional(norm) or norm.startswith(("بان", "بأن")):
        return True
    return strip_prefix(norm) in R.VERBS or norm in R.SPEECH_OBJECTS or is_first_person_future(norm)


def _named(tokens: list[Token], i: int, known: Known) -> Mention:
    """A subject that starts with a name (or with something that is not known to be one)."""
    split = split_spelling(tokens, i, known)
    if split:
        return _with_apposition(tokens, (i, split), None, known)
    norm = tokens[i].norm
    if not is_known(norm, known) and places.lone_name_before_content(tokens, i):
        return _person(tokens, (i, i + 1), None, i + 1)  # «وأشارت الدبيسي إلى أن …»
    if is_definite(norm) and not is_known(norm, known):
        role = _role_before_name(tokens, i, known)
        return role if role is not None else Mention("none", end=_org_end(tokens, i))
    end = name_end(tokens, i, known)
    if end == i:
        return Mention("none", end=_org_end(tokens, i))
    if end - i == 1 and not is_known(norm, known):
        return Mention("none", end=end)  # a lone word never seen as a name («وأضاف سنحدد …»)
    return _with_apposition(tokens, (i, end), None, known)


def _after_title(tokens: list[Token], i: int, known: Known) -> Mention:
    """The mention that starts with the title head at ``i``: a titled person or a title alone."""
    end = title_end(tokens, i, known)
    if tokens[i].norm in _NEVER_NAMED:  # «مصدر أمني لمراسل الجوهرة اف ام»: no name follows a source
        return _unnamed(tokens, i, end)
    quoted = quoted_name(tokens, end)
    if quoted and not (quoted[1] - quoted[0] == 1 and governs(tokens, end - 1)):  # not «ضيف "بوليتيكا"»
        return _person(tokens, quoted, (i, end), quoted[1] + 1)
    son = None if tokens[i].norm in R.UNNAMED_HEADS else places.son_of_ahead(tokens, end, known)
    if son:  # «الناطق … بفرع هيئة الهلال الأحمر السعودي في جازان بيشي بن عيسى الصرخي، أن»
        return _person(tokens, son, (i, son[0]), son[1])
    after = name_end(tokens, end, known)
    placed = after == end + 1 and after < len(tokens) and tokens[after].word and tokens[after].norm in R.PLACES
    if after == end + 1 and (placed or not is_known(tokens[end].norm, known)) and tokens[i].norm not in R.UNNAMED_HEADS:
        later = _full_name_later(tokens, after, known)
        if later:  # «رئيس كتلة حركة نداء تونس سفيان طوبال»: «نداء» was the body's
            return _person(tokens, later, (i, later[0]), later[1])
        if placed:  # «رئيس كتلة نداء تونس وجود …»: a word and a country is an institution's name
            end = after + 1
            after = end
    if after == end + 1 and governed_alone(tokens, i, end):
        end = after  # «وأكد محافظ بيشة على أننا …»، «أمير عسير يرعى»: what the title governs
        quoted = quoted_name(tokens, end)
        if quoted and quoted[1] - quoted[0] >= 2:  # «دشن محافظ بيشة "محمد بن سعيد بن سبرة"»
            return _person(tokens, quoted, (i, end), quoted[1] + 1)  # (not «مدير برنامج «فطن»»)
    placed = places.name_after_place(tokens, end, after, known) if after > end else None
    if placed:  # «مدير شرطة بجدة عبدالله بن أحمد الثقفي»: «بجدة» is where he serves
        return _with_apposition(tokens, (placed, after), (i, placed), known)
    if after > end:
        later = None if address_only(tokens, i, end) else _name_after_body(tokens, end, after, known)
        if later:  # «المتحدث باسم مركز الملك سلمان للإغاثة … رأفت الصباغ،»: the first name was the body's
            return _person(tokens, later, (i, later[0]), later[1])
        return _with_apposition(tokens, (end, after), (i, end), known)
    apposed = _name_after_comma(tokens, end, known)
    if apposed:  # «الأمين العام، أنطونيو غوتيريس، أن»
        return _person(tokens, apposed, (i, end), apposed[1])
    later = None if tokens[i].norm in R.UNNAMED_HEADS else _name_after_later_comma(tokens, end, known, head=i)
    if later:  # «النائبة عن حزب نداء تونس، هالة عمران إن»
        placed = places.name_after_place(tokens, *later, known)
        if placed:  # «مدير الشرطة بجدة عبدالله الثقفي»: «بجدة» is where he serves
            return _person(tokens, (placed, later[1]), (i, placed), later[1])
        return _person(tokens, later, (i, later[0] - 1), later[1])
    far = quoted_name_after_role(tokens, end, _ROLE_LIMIT)
    if far:  # «عضو لجنة … في البرلمان الليبي، "طارق الجروشي"»
        return _person(tokens, (far[1], far[2]), (i, far[0]), far[2] + 1)
    title_raw, title_norm = join_words(tokens, i, end)
    anaphoric = is_definite(tokens[i].norm) and any(w in R.GENTILICS for w in title_norm) and not any(
        t.norm in _ANONYMOUS for t in tokens[end : end + 8])  # «المسؤول الروسي», not «…، الذي لم يتم نشر اسمه»
    kind = "unnamed" if tokens[i].norm in R.UNNAMED_HEADS and not anaphoric else "title"
    return Mention(kind, title=title_raw, title_norm=title_norm, feminine=feminine_title(title_norm), end=end)


def _name_after_comma(tokens: list[Token], end: int, known: Known) -> tuple[int, int] | None:
    """A name set off by a comma after a title, ending at a comma or a subject's end."""
    if end >= len(tokens) or tokens[end].raw not in COMMAS:
        return None
    stop = name_end(tokens, end + 1, known)
    if stop == end + 1 or stop == end + 2 and not is_known(tokens[end + 1].norm, known):
        return None
    after = tokens[stop] if stop < len(tokens) else None
    if after is None or not after.word or ends_subject(after.norm) or _object_after_full_name(tokens, end + 1, stop):
        return end + 1, stop
    if stop - end > 2 and is_known(" ".join(t.norm for t in tokens[end + 1 : stop]), known):
        return end + 1, stop  # «أستاذ القانون الدستوري، قيس سعيد لجوء …»: a full name the article knows
    return None


def _object_after_full_name(tokens: list[Token], start: int, stop: int) -> bool:
    """A name of two words or more set off by a comma, then a definite noun, the verb's
    object («انتقد الأمين العام للحزب، محسن مرزوق التصريحات …»)."""
    return stop - start >= 2 and stop < len(tokens) and tokens[stop].word and is_definite(tokens[stop].norm) and not (
        is_title_head(tokens[stop].norm) or tokens[stop].norm in R.TITLE_WORDS)


def _full_name_later(tokens: list[Token], start: int, known: Known) -> tuple[int, int] | None:
    """A name of two words or more a few words on, ending where a subject ends, when the
    word right after a title was a lone unknown one (part of the body the title heads),
    maybe past a comma («نائب حركة النهضة بولاية سوسة، العجمي الوريمي، إن»، «رئيس كتلة
    نداء تونس، سفيان طوبال إن»)."""
    start += start < len(tokens) and tokens[start].raw in COMMAS
    for k in range(start, min(len(tokens), start + _TITLE_REACH)):
        token = tokens[k]
        if token.raw in COMMAS and k > start:
            continue  # «رئيس كتلة نداء تونس، سفيان طوبال إن»
        if not token.word or token.quoted or strip_prefix(token.norm) in R.VERBS:
            return None
        if places.relative_or_circumstance(token):
            return None  # «أمير مكة مودعاً شقيقه سعود الفيصل»: the brother's name
        if token.norm in R.COMPLEMENTISERS or token.norm in R.STOPS and token.norm.startswith(("ان", "بان", "لان")):
            return None  # «محافظ بيشة على أننا في هذه المرحلة»: what was said has begun
        stop = name_end(tokens, k, known)
        if stop - k >= 2:
            after = tokens[stop] if stop < len(tokens) else None
            ends = after is None or not after.word or ends_subject(after.norm) or and_title(tokens, stop)
            return (k, stop) if ends and not noun_and_adjective(tokens, k, stop) else None
    return None


def _name_after_later_comma(
    tokens: list[Token], end: int, known: Known, *, head: int | None = None
) -> tuple[int, int] | None:
    """A full name a few words after a title's head, past the body it heads, set off by a
    comma («النائبة عن حزب نداء تونس، هالة عمران») or not («نائب وزير الخارجية لفيديرالية
    روسيا المبعوث الخاص … ميخائيل بوغدانوف عن»): two name words or more, then what ends a
    subject. The search stops at a verb, أن/إن, a quote, or a word that opens an event
    («خلال لقائه الرئيس …»: the name after it is someone else's)."""
    skip, body = end, -1
    for k in range(end, min(len(tokens), end + _ROLE_LIMIT)):
        token = tokens[k]
        if token.raw in COMMAS or k < skip:
            continue
        if k > end and quoted_body(tokens, k):  # «القيادي في حزب "حراك تونس الإرادة"، طارق …»
            skip = quoted_run_end(tokens, k)
            continue
        if not token.word or token.quoted or token.norm in R.COMPLEMENTISERS or token.norm in R.EVENT_WORDS:
            return None
        if strip_prefix(token.norm) in R.VERBS or possessed(tokens, k) or places.relative_or_circumstance(token):
            return None  # «… المهدي، عزمه تشكيل …»: what he said has begun
        if head is not None and and_title(tokens, k) and other_gender(tokens, head, k):
            return None  # «محافظ البنك … العياري وممثلة الصندوق … جورجيا»: a second person's name
        if k == body:
            continue  # «القيادي في صفوف المقاومة، أحمد محسن الجمل،»: the body a preposition opens
        if token.norm in R.PREPOSITIONS:
            if not places.opens_body(tokens, k + 1):
                return None  # «وزير الخارجية إلى زيارة وفد …»: what he spoke about, not his title
            body = k + 1 if not name_word(tokens, k) else body  # not the name Ali («علي عبدالله»)
        comma = k > end and tokens[k - 1].raw in COMMAS
        if is_definite(token.norm) and not comma:
            continue  # «… إلى الشرق الأوسط ميخائيل بوغدانوف»: the body's noun, not the name
        if k > end and tokens[k - 1].norm in R.PARTY_HEADS:
            continue  # «النائب عن حزب صوت الفلاحين، فيصل التبيني،»: the party's name, not his
        stop = name_end(tokens, k, known)
        if stop - k >= 2 and (comma or k - end >= 1):
            after = tokens[stop] if stop < len(tokens) else None
            if after is None or not after.word or ends_subject(after.norm) or comma and _object_after_full_name(
                tokens, k, stop
            ) or after.norm in R.OBJECT_NEEDS and not any(t.norm in R.TITLE_WORDS for t in tokens[k:stop]):
                return k, stop  # «رفع المشرف العام على مركز الملك سلمان … عبدالله الربيعة الشكر»
        if comma and k - end <= _TITLE_REACH:
            continue
    return None


def _role_before_name(tokens: list[Token], i: int, known: Known) -> Mention | None:
    """A woman named after a role no list knows as a title (see ``role_then_name``); not
    after a form of address («الدكتورة»), which the title reader takes with the name."""
    if tokens[i].norm in R.FORMS_OF_ADDRESS:
        return None
    span = places.role_then_name(tokens, i, known)
    return None if span is None else _with_apposition(tokens, span, (i, i + 1), known)


def _with_apposition(
    tokens: list[Token], name: tuple[int, int], title: tuple[int, int] | None, known: Known
) -> Mention:
    """A person whose name may be followed by titles in apposition («قطان، سفير خادم الحرمين»،
    «أحمد عسيري، المتحدث باسم قوات التحالف، المستشار في مكتب وزير الدفاع»): every post kept."""
    start = name[1] + 1 if name[1] < len(tokens) and tokens[name[1]].raw in COMMAS else name[1]
    posts = apposed_posts(tokens, start, known)
    end = posts[-1][1] if posts else name[1]
    if posts and (title is None or address_only(tokens, *title)):
        person, joined = _person(tokens, name, posts[0], end), posts[1:]
        person = replace(person, apposed=True) if title is None else person
    else:
        person = _person(tokens, name, title, end)
        joined = posts if person.title else []  # «السفير أمين شلبي، المدير التنفيذي للمجلس …»: both posts
    for post in joined:
        raw, norm = join_words(tokens, *post)
        person = replace(person, title=f"{person.title}، {raw}", title_norm=(*person.title_norm, "و", *norm))
    return person


def _name_after_body(tokens: list[Token], start: int, end: int, known: Known) -> tuple[int, int] | None:
    """A later name when the words at ``start:end`` after a title were a name inside its
    body: one an institution's «لل…» follows («مركز الملك سلمان للإغاثة … رأفت الصباغ،»),
    or one the subject goes on after up to an honorific or title before another name
    («أمير منطقة مكة المكرمة الأمير خالد الفيصل»، «أمير منطقة حائل الأمير عبد العزيز بن
    سعد»: a definite title right after a name heads a name of its own)."""
    if end < len(tokens) and tokens[end].word and is_definite(tokens[end].norm) and is_title_head(tokens[end].norm):
        stop = name_end(tokens, end + 1, known)
        return (end + 1, stop) if stop - end > 2 else None
    if subject_ends(tokens, end):
        return None
    later = _name_after_later_comma(tokens, end, known)
    if later and (tokens[end].norm.startswith("لل") or is_title_head(tokens[later[0] - 1].norm)):
        return later
    if prepositional_noun(tokens[start].norm, known):  # «… للنقابة الموحدة لأعوان الديوانة رضا النصري»
        k = end + (tokens[end].raw in COMMAS)
        while k < min(len(tokens), end + 3) and tokens[k].word and is_definite(tokens[k].norm) and not is_known(
                tokens[k].norm, known):
            k += 1  # «لأصحاب سيارات النقل الفردي فوزي خبوشي»: the complement's adjectives
        stop = name_end(tokens, k, known)
        following = tokens[stop] if stop < len(tokens) else None
        if stop - k >= 2 and (following is None or not following.word or ends_subject(following.norm)):
            return k, stop
        return later
    return None


def _person(tokens: list[Token], name: tuple[int, int], title: tuple[int, int] | None, end: int) -> Mention:
    """A person mention from token spans; a name that starts with «بن» takes the given
    name before it («ملهم بن محمد هندي», whose «ملهم» reads like a pronoun ending)."""
    start = name[0]
    if tokens[start].norm in PATRONYMICS and start > 0 and tokens[start - 1].word:
        before = tokens[start - 1].norm
        if not (strip_prefix(before) in R.VERBS or before in R.STOPS or before in R.PREPOSITIONS
                or is_title_head(before) or is_definite(before) or before[:2] == "لا"):
            name = (start - 1, name[1])
            title = (title[0], start - 1) if title and title[1] >= start else title
    name_raw, name_norm = join_words(tokens, *name)
    title_raw, title_norm = join_words(tokens, *title) if title else (None, ())
    return Mention("person", name_raw, name_norm, title_raw, title_norm, feminine_title(title_norm), end)


def _unnamed(tokens: list[Token], i: int, end: int) -> Mention:
    """A source the words at ``i:end`` describe without a name («مصدر أمني»، «أحد السكان»)."""
    title_raw, title_norm = join_words(tokens, i, end)
    return Mention("unnamed", title=title_raw, title_norm=title_norm, end=end)


def _org_end(tokens: list[Token], i: int) -> int:
    """The end of a non-person noun phrase (an institution, a place, a group)."""
    k = i + 1
    while k < len(tokens) and tokens[k].word:
        norm = tokens[k].norm
        if norm in R.STOPS or norm in R.PREPOSITIONS or norm in R.TIME_WORDS:
            break
        if strip_prefix(norm) in R.VERBS and not tokens[k].quoted:
            break
        k += 1
    return k
