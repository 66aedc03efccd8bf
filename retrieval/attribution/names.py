"""Person names inside a sentence: where a name starts and ends, and the names an article knows."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import retrieval.attribution.reporting as R
from retrieval.attribution.speaker_kinds import GROUPS, PERSON, speaker_kind
from retrieval.attribution.tokens import (
    COMMAS,
    TANWEEN,
    Token,
    given_amin,
    initial_dot,
    is_and_title,
    is_definite,
    is_prepositional,
    is_title_head,
    prefixed_title_word,
    quoted_run_end,
    strip_prefix,
)
from retrieval.text.normalize import MARKS
from retrieval.text.spellings import speaker_key

Known = Mapping[str, set[str]]
"""Name forms of an article (a full name, its words, and their keys) -> the full names;
also, under «@…» keys no name form takes, the article's words (``places.add_article_words``)."""

NO_NAMES: Known = MappingProxyType({})
_POSSESSING = frozenset(("ذات", "ذو", "ذوي", "ذوو", "ذي"))  # «الجهات ذات العلاقة»
_MAX_UNITS = 4  # given names and family names, particles («بن»، «آل») not counted
_MAX_QUOTED = 4
_PRONOUN_ENDINGS = ("ه", "ها", "هم", "هما")
_COMPOUND_HEADS = frozenset({"عبد", "ابو", "ابي"})  # «حسبو محمد عبد الرحمن»: a name goes on
_INNER_TITLES = frozenset({"قائد"})  # «الباجي قائد السبسي»، «حافظ قائد السبسي»
COMPOUND_ENDS = frozenset({"الله", "الدين"})  # «نصر الله»، «نور الدين»: the second word of one name


def name_forms(name_norm: tuple[str, ...]) -> set[str]:
    """The forms under which a name is known: the full name and its single words."""
    forms = {" ".join(name_norm)}
    if len(name_norm) > 1:
        forms.update(word for word in name_norm if word not in R.NAME_PARTICLES and len(word) > 1)
    return forms


def add_known(known: dict[str, set[str]], name_norm: tuple[str, ...]) -> None:
    """Record a name's forms in ``known``, with their keys, so that «نتانياهو» is known
    once «نتنياهو» is."""
    full = " ".join(name_norm)
    for form in name_forms(name_norm):
        known.setdefault(form, set()).add(full)
        known.setdefault("~" + speaker_key(form), set()).add(full)


def is_known(form: str, known: Known) -> bool:
    """Whether a normalised name form (or a spelling of it) is known in the article."""
    return form in known or "~" + speaker_key(form) in known


def name_word(tokens: list[Token], k: int) -> bool:
    """Whether token ``k`` may be part of a person's name."""
    token = tokens[k]
    norm = token.norm
    if not token.word or norm.isdigit() or len(norm) == 1:
        return False  # a lone letter is a preposition cut off by a quote («ل"الجوهرة"»)
    if norm == "علي" and MARKS.sub("", token.raw) == "علي":
        return True  # the name Ali, not the preposition «على» (both normalise to «علي»)
    if given_amin(tokens, k):
        return True
    if _function_word(norm) or _not_a_name(norm):
        return False
    if is_first_person_future(norm):
        return False
    if norm.startswith("ل") and token.raw.endswith("ة") and len(norm) >= 5:
        return False  # «لتهنئة»: a purpose, not a name
    if TANWEEN.search(token.raw):
        return False  # an indefinite noun («ضباطًا»)
    raw = MARKS.sub("", token.raw)
    if raw.startswith(("بإ", "بأ", "لإ", "لأ")):
        return False  # «ترامب بإبقاء …»، «لأمر ترامب»: a preposition and a noun
    return not (len(norm) > 3 and raw.endswith(_PRONOUN_ENDINGS) and not norm.endswith("الله"))


def is_first_person_future(norm: str) -> bool:
    """«سنحدد»، «سنقرر»: «we will …», a verb and never a name (but «سنودن» is one)."""
    return len(norm) >= 5 and norm.startswith("سن") and not norm.endswith("ن")


def _function_word(norm: str) -> bool:
    """Particles, prepositions, connectors, time words, demonstratives with what is glued to
    them («ولذلك»، «لهذا»): never part of a name."""
    return (
        norm in R.STOPS
        or norm in R.TIME_WORDS
        or norm in R.PREPOSITIONS
        or norm in R.CONNECTORS
        or norm in R.AUXILIARIES
        or norm in R.NON_NAMES
        or norm in _GLUED_DEMONSTRATIVES
    )


#: «ولذلك»، «لهذا»، «وبذلك» …: a demonstrative with a conjunction or preposition glued to it.
_GLUED_DEMONSTRATIVES = frozenset(
    glue + word for glue in ("ول", "وب", "فل", "ل", "ب", "و", "ف") for word in R.norm_set("ذلك هذا هذه تلك هؤلاء كذلك")
)


def _not_a_name(norm: str) -> bool:
    """Nouns, places, titles and verbs that a name never contains."""
    if norm in R.COMMON_WORDS or norm in R.SPEECH_NOUNS or norm in R.PLACES or norm in R.GENTILICS or norm in GROUPS:
        return True  # «أهالي القطيف»: a group
    if is_title_head(norm) or norm in R.ORGANISATIONS or norm in R.PARTICIPLES:
        return True
    if is_and_title(norm):
        return True  # a second title: «المحلل ورئيس برنامج …»
    if strip_prefix(norm) in R.VERBS or is_prepositional(norm) or prefixed_title_word(norm):
        return True
    return norm.startswith(("يست", "يت", "تست", "تت")) and len(norm) >= 5  # an imperfect verb («يتحدث»، «تتحدى»)


def name_end(tokens: list[Token], j: int, known: Known = NO_NAMES) -> int:
    """The end of the name that starts at ``j`` (``j`` itself when none does).

    A name runs over name words; a definite word may follow a given name («عادل
    الجبير») but not a longer name, «الله» always joins («نصر الله»), and the name
    stops where a name the article knows ends («ترامب بتحفيز …») or where an object
    noun starts a construct («أوباما استمرار التهديدات»).
    """
    k, units, particle = j, 0, False
    while k < len(tokens) and (name_word(tokens, k) or known_bel(tokens[k], known) or inner_title(tokens, k, j)
                               or _family_name_ending_h(tokens, k, known, first=k == j) or _after_al(tokens, j, k)
                               or initial_dot(tokens, j, k)):
        if initial_dot(tokens, j, k):  # «لورا إيه. كولانجيلو»: an initial and its dot
            k += 1
            continue
        norm = tokens[k].norm
        if norm in COMPOUND_ENDS and k > j:  # «نصر الله»، «نور الدين»: one given name
            k += 1
            continue
        if _name_stops(tokens, j, k, units, particle, known):
            break
        if norm in R.NAME_PARTICLES or norm == "عبد" or inner_title(tokens, k, j):
            particle = True  # «بن حمد»، «عبد الفتاح»، «قائد السبسي»: one unit with what follows
        else:
            units += 0 if particle else 1
            particle = False
        if units > _MAX_UNITS:
            break
        k += 1
    while k > j and tokens[k - 1].norm in R.NAME_PARTICLES:
        k -= 1
    if k == j + 1 and units == 1 and _title_as_family_name(tokens, k):
        k += 1  # «المهندس عدنان السيد،»: «السيد» is his family name here, not «Mr.»
    return _split_known(tokens, j, k, known)


def _after_al(tokens: list[Token], j: int, k: int) -> bool:
    """The family after «آل», the father after «بن», whatever the word («عبداللطيف آل
    الشيخ»، «خالد بن مساعد السهلي»)."""
    before = tokens[k - 1] if k > j else None
    if before is None or not tokens[k].word or tokens[k].norm in R.STOPS:
        return False
    return before.raw in ("آل", "ال") or before.norm in ("بن", "ابن", "بنت") and not is_definite(tokens[k].norm)


def _title_as_family_name(tokens: list[Token], k: int) -> bool:
    """A definite title word right after a given name, where the subject ends («عدنان
    السيد،»، «أحمد النقيب أن»): a family name («السيد»، «النقيب»، «الشيخ»)."""
    if k + 1 >= len(tokens):
        return False
    norm = tokens[k].norm
    if not (tokens[k].word and is_definite(norm) and is_title_head(norm)):
        return False
    if norm in R.UNNAMED_HEADS:
        return False  # «تفس المصدر أنه»: a source, never a family name
    return _closes_subject(tokens[k + 1])


def _closes_subject(token: Token) -> bool:
    """A comma, a colon or أن/إن right after a name: what was said begins."""
    return not token.word and token.raw in "،,:" or token.norm in R.COMPLEMENTISERS


def ends_phrase(token: Token) -> bool:
    """A comma, a colon, أن/إن or a preposition: a subject may end before it."""
    return _closes_subject(token) or token.norm in R.PREPOSITIONS


def _name_stops(tokens: list[Token], j: int, k: int, units: int, particle: bool, known: Known) -> bool:
    """Whether the name that started at ``j`` ends before token ``k``."""
    norm = tokens[k].norm
    if is_definite(norm) and k + 1 < len(tokens) and tokens[k + 1].norm in _POSSESSING:
        return True  # «… بن عبدالعزيز الجهات ذات العلاقة»: a noun and what it has, the verb's object
    if units > 1 and not particle and (is_definite(norm) or norm.startswith("ل")):
        return not _family_name_last(tokens, j, k, units, known)  # «… الجبير الاتفاق»، «محمد الحجازي لفرانس برس»
    if k > j and _ends_known_name(tokens, j, k, known):
        return True
    if units == 1 and not particle and _known_alone(tokens[j].norm, norm, known) and _opens_construct(tokens, k):
        return not _family_name_last(tokens, j, k + 1, 2, known)  # «وأبرز طيب حرص الدولة», not «صفية علي الألمعي،»
    return units >= 2 and not particle and norm not in _COMPOUND_HEADS and _opens_construct(tokens, k)


def _family_name_last(tokens: list[Token], j: int, k: int, units: int, known: Known) -> bool:
    """A third word that ends a name of three («أحمد نجيب الشابي»، «صفية علي الألمعي»):
    a definite family name («…ي») the article knows, or one followed by a comma, أن/إن,
    the end of the sentence or a title in apposition («… الزعبي المدير الطبي») — never a
    verb's object («… الجبير الاتفاق»)."""
    norm = tokens[k].norm
    following = tokens[k + 1] if k + 1 < len(tokens) else None
    set_off = j > 0 and tokens[j - 1].raw in COMMAS and following is not None and following.raw in COMMAS
    if units != 2 or is_definite(tokens[j].norm) or not is_definite(norm) or len(norm) < 5:
        return False  # a name of three starts with a given name («البترولية سامي الحربي» is no name)
    if not norm.endswith("ي") and not set_off:
        return False  # but «، أحمد محسن الجمل،» between commas is a name of three
    if not name_word(tokens, k):
        return False
    if is_known(norm, known):
        return True
    following = tokens[k + 1] if k + 1 < len(tokens) else None
    if following is None or following.raw == "." or _closes_subject(following):
        return True
    return _apposed_title(following) and not any(_not_a_name(t.norm) or t.norm in R.HONORIFICS for t in tokens[j:k])


def _apposed_title(token: Token | None) -> bool:
    """A definite title right after a name, in apposition to it («… المدير الطبي»)."""
    return token is not None and token.word and is_definite(token.norm) and is_title_head(token.norm)


def inner_title(tokens: list[Token], k: int, start: int = -1) -> bool:
    """A title word inside a name («الباجي قائد السبسي»: «قائد» is the family's, not a
    post): between a definite name word and a definite one that ends the name."""
    if not (tokens[k].word and tokens[k].norm in _INNER_TITLES and start < k and k >= 1 and k + 1 < len(tokens)):
        return False
    before, after = tokens[k - 1], tokens[k + 1]
    if not (before.word and after.word and is_definite(before.norm) and is_definite(after.norm)):
        return False
    return name_word(tokens, k - 1) and name_word(tokens, k + 1) and not _not_a_name(before.norm)


def _family_name_ending_h(tokens: list[Token], k: int, known: Known, first: bool) -> bool:
    """A family name that ends like a pronoun («…ه»): in a full name the article knows, alone
    after reporting verbs more than once («وقال فاتسكه:» … «وأضاف فاتسكه:»), or before a
    title in apposition («كارل هينز رومنيجه الرئيس التنفيذي»; not «… دعمه للقرار»)."""
    token, following = tokens[k], tokens[k + 1] if k + 1 < len(tokens) else None
    if not (token.word and len(token.norm) >= 5 and token.norm.endswith("ه")) or _not_a_name(token.norm):
        return False
    fulls = known.get(token.norm, ())
    said = following is None or not following.word or following.norm in R.COMPLEMENTISERS or following.norm == "عن"
    alone = first and token.norm in fulls and said and not _function_word(token.norm)  # not «أكد ترشحه في»
    return _apposed_title(following) and not first or any(" " in full for full in fulls) or alone


def known_bel(token: Token, known: Known) -> bool:
    """A family name Bel- the article knows («بالحاج»), which reads like «ب» + «ال»."""
    return token.word and token.norm.startswith("بال") and token.norm in known


def _known_alone(form: str, following: str, known: Known) -> bool:
    """Whether the article knows a one-word name, or a person by this one word, and no
    name of it goes on with the word ``following`` («عبد» always may)."""
    fulls = known.get(form)
    if not fulls or following in _COMPOUND_HEADS:
        return False
    return not any(following in full.split() for full in fulls if full != form)


def _opens_construct(tokens: list[Token], k: int) -> bool:
    """Whether token ``k`` is followed by a definite noun, as the head of a construct
    («استمرار التهديدات») rather than a third word of a name."""
    following = tokens[k + 1] if k + 1 < len(tokens) else None
    if not (following and following.word and is_definite(following.norm)):
        return False
    norm = following.norm
    return not (norm == "الله" or norm in R.TIME_WORDS or norm in R.TITLE_HEADS or norm in R.GENTILICS)


def _ends_known_name(tokens: list[Token], j: int, k: int, known: Known) -> bool:
    """Whether ``tokens[j:k]`` ends a known full name of two words or more, or is such a
    name with a given name before it («نفى أحمد نجيب الشابي اعتزام …» once «نجيب الشابي»
    is known: the name ends there)."""
    span = [t.norm for t in tokens[j:k]]
    joined = " ".join(span)
    continued = f"{joined} {tokens[k].norm}"
    fulls = known.get(span[-1], ())
    if any(continued in full for full in fulls):
        return False
    return any(" " in full and (full == joined or full.endswith(" " + joined) or _given_name_before(span, full))
               for full in fulls)


def _given_name_before(span: list[str], full: str) -> bool:
    """Whether ``span`` is a known person's name of a given and a family name with one more
    given name before it («أحمد» + «نجيب الشابي»); not a phrase («المنطقة الشرقية»)."""
    words = full.split()
    return len(span) == len(words) + 1 and span[1:] == words and not any(is_definite(w) for w in (span[0], words[0]))


def _split_known(tokens: list[Token], j: int, k: int, known: Known) -> int:
    """Cut a name where a known name ends and another person's name begins («ترامب بوتين»)."""
    for cut in range(j + 1, k):
        head = " ".join(t.norm for t in tokens[j:cut])
        tail = tokens[cut].norm
        longer = " ".join(t.norm for t in tokens[j : cut + 1])
        if any(full.startswith(longer) for full in known.get(head, ())):
            continue  # «أورسولا فون …» goes on as a known full name
        if head in known and tail in known and not known[head] & known[tail]:
            return cut
    return k


def split_spelling(tokens: list[Token], i: int, known: Known) -> int | None:
    """The end of a known name written in two pieces («الجرو شي» for «الجروشي»), or None."""
    if i + 1 < len(tokens) and tokens[i + 1].word and not is_known(tokens[i].norm, known):
        if is_known(tokens[i].norm + tokens[i + 1].norm, known):
            return i + 2
    return None


def quoted_name(tokens: list[Token], k: int) -> tuple[int, int] | None:
    """A short name in quotes at ``k`` («"طارق الجروشي"»): its (start, end), or None; one
    definite word in quotes is an epithet («النائب "المستقل"»), not a name."""
    after = quoted_run_end(tokens, k, _MAX_QUOTED)
    if after is not None:
        start, end = k + 1, after - 1
        epithet = end - start == 1 and is_definite(tokens[start].norm)
        if not epithet and all(name_word(tokens, m) for m in range(start, end)):
            return start, end
    return None


def quote_ends_subject(tokens: list[Token], k: int) -> bool:
    """Whether the token after a closing quote at ``k`` ends a subject (a mark, إن/أن)."""
    k += 1
    return k >= len(tokens) or not tokens[k].word or tokens[k].norm in R.COMPLEMENTISERS


def quoted_subject(tokens: list[Token], k: int) -> tuple[int, int] | None:
    """A short run in quotes at ``k``, right after a verb and before what ends a subject
    (أن/إن, a preposition, a colon or a comma): the speaker in quotes («وأكد «العتيبي» أن»،
    «وأوضحت «الصحة» أن»), not a short quotation («وأضاف "نعم".»)."""
    after = quoted_run_end(tokens, k, _MAX_QUOTED)
    if after is None or after >= len(tokens):
        return None
    return (k + 1, after - 1) if ends_phrase(tokens[after]) else None


def possessed(tokens: list[Token], k: int) -> bool:
    """A noun with a pronoun suffix («عزمه»، «تأكيده»، «رفضها»): the content of a
    statement, never part of the title before a name."""
    return not name_word(tokens, k) and tokens[k].raw.endswith(("ه", "ها")) and len(tokens[k].norm) > 3


def prepositional_noun(norm: str, known: Known) -> bool:
    """«لرياض»، «لأعوان»، «بسوسة»: «ل»/«ب» and a noun, the title's complement (not «لطفي»,
    a name the article knows)."""
    return norm.startswith(("ل", "ب")) and len(norm) >= 4 and not is_known(norm, known)


def named_after_was(tokens: list[Token], start: int, name: str, name_norm: tuple[str, ...]) -> bool:
    """«وكان آدم كاراهان قال …»: a person's name of two words or more after «كان»/«قد»."""
    return len(name_norm) >= 2 and start > 0 and tokens[start - 1].norm in R.AUXILIARIES and speaker_kind(
        name) == PERSON


def ends_subject(norm: str) -> bool:
    """A word that may follow a subject: إن/أن, a time word, a preposition, «ل» («لوكالة …»)."""
    return norm in R.COMPLEMENTISERS or norm in R.TIME_WORDS or norm in R.PREPOSITIONS or norm in R.STOPS or len(
        norm) == 1 or norm[:1] == "ل" and norm[1:] in R.TOLD_TO


def subject_ends(tokens: list[Token], k: int) -> bool:
    """Whether a subject may end before token ``k``: punctuation, إن/أن, a time word, a
    preposition, a verb, or a title in apposition."""
    if k >= len(tokens) or not tokens[k].word:
        return True
    norm = tokens[k].norm
    return ends_subject(norm) or is_title_head(norm) or strip_prefix(norm) in R.VERBS or norm in R.PARTICIPLES


def word_not_particle(tokens: list[Token], i: int, known: Known) -> bool:
    """A word that normalises as a particle does but is a name or a title here: «علي» (Ali,
    «على» "on") when the article knows the name it starts («علي العريض : …»), «إمام» (imam,
    «أمام» "in front of") written with its hamza below."""
    raw = MARKS.sub("", tokens[i].raw)
    if raw == "إمام":
        return True
    if raw != "علي" or i + 1 >= len(tokens) or not tokens[i + 1].word:
        return False
    return is_known(f"{tokens[i].norm} {tokens[i + 1].norm}", known)


def noun_and_adjective(tokens: list[Token], start: int, stop: int) -> bool:
    """Definite words ending in a feminine adjective of relation («التنمية السياحية»،
    «الهيئة الوطنية»): a body's noun and its adjective, not a person's name."""
    return all(is_definite(t.norm) for t in tokens[start:stop]) and tokens[stop - 1].norm.endswith("يه")
