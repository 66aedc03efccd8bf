"""What stands between a title (or a verb) and a name, which no list knows.

A place or an office glued to «ب»/«ل» between a title and a name («مدير شرطة بجدة
عبدالله الثقفي»، «الناطق باسم المحكمة الابتدائية بمدنين عبد المجيد ليشيهب»، «مدير إدارة
شؤون المعلمين بتعليم تبوك صالح أبو هاشم»), told from a name that begins with the same
letters («بندر»، «بلاتر»، «ليلى») by the article itself: the word without its «ب» stands
elsewhere in it («في جدة»، «منطقة جازان»، «التعليم»), which a name's letters do not.

A place not glued to anything («رئيس باراغواي هوراسيو كارتيس»، «رئيس وزراء مالطا جوزيف
موسكات») is told the same way: the article has it after «في» elsewhere («في باراغواي»),
where no one's given name stands (glued to «ب» is not enough: «بحسن نية»).

The article's words are kept in the ``known`` mapping the name reader already carries,
under keys «@word» that no name form can take, each with the words seen right after it,
and the words seen as a place under «@@word», with the word after them.

Roles too: a woman's role after a feminine reporting verb («وأوضحت المسنة صفية علي
الألمعي أن …»), one (or some) of a group («أحد أعضاء الفريق حسن أبو السعود»، «أحد
المسؤولين»)."""

from __future__ import annotations

import retrieval.attribution.reporting as R
from retrieval.attribution.names import (
    COMPOUND_ENDS,
    Known,
    is_known,
    name_end,
    name_word,
    possessed,
    subject_ends,
)
from retrieval.attribution.tokens import (
    COMMAS,
    QUOTE_CHARS,
    TANWEEN,
    Token,
    is_definite,
    is_prepositional,
    is_title_head,
    strip_prefix,
    verb_form,
)
from retrieval.text.normalize import MARKS
from retrieval.text.spellings import PATRONYMICS

_MARK = "@"
_IN = "@@"
_IN_WORDS = frozenset({"في", "وفي"})
_GLUED = ("ب", "ل")
_ARTICLED = ("لل", "بال", "وال", "فال", "كال")
_PREFIX_LETTERS = frozenset("وفلبك")  # the first letters of the prefixes above
_JOINERS = PATRONYMICS | R.norm_set("عبد أبو ابو آل")  # one unit with the next word: «عبد الرحمن»، «آل الشيخ»
_SON_REACH = 12  # how far after a title a name with «بن» may stand
_NATIONS_AND_PLACES = R.GENTILICS | R.PLACES
_DIRECTIONS = R.norm_set("شمال جنوب شرق غرب وسط شمالي جنوبي شرقي غربي")
_ADDRESS_BEFORE_NAME = R.FORMS_OF_ADDRESS - R.norm_set("د السيد السيدة")  # not «السيد»: often a guest
_NOT_SERVING = (R.COMPLEMENTISERS, R.CONNECTORS, R.TIME_WORDS, R.STOPS, R.PREPOSITIONS, R.SPEECH_NOUNS)


def add_article_words(known: dict[str, set[str]], token_lists: list[list[Token]]) -> None:
    """Record every word of the article, bare of a leading «و»/«ف» and with «لل…»/«بال…»
    read as «ال…», with the words that follow it."""
    remember = known.setdefault
    for tokens in token_lists:
        for k, token in enumerate(tokens):
            if not token.word:
                continue
            norm, following = token.norm, _next_word(tokens, k)
            remember(_MARK + norm, set()).add(following)
            if norm[0] in _PREFIX_LETTERS and len(norm) > 3:
                for form in _prefixed_forms(norm):
                    remember(_MARK + form, set()).add(following)
            if k and tokens[k - 1].norm in _IN_WORDS and _ends_phrase(following):  # «في باراغواي،»
                remember(_IN + norm, set()).add(following)


def _ends_phrase(following: str) -> bool:
    """Whether the phrase «في …» ends before ``following`` (punctuation, the end, «و…», a
    preposition or a time word): «في باراغواي، …», not «في حسن سير العمل»."""
    return not following or following.startswith("و") or following in R.PREPOSITIONS or following in R.TIME_WORDS


def _prefixed_forms(norm: str) -> list[str]:
    """The other forms a word stands under: without «و»/«ف», «لل…»/«بال…» as «ال…»."""
    forms = [norm[1:]] if norm[0] in "وف" else []
    for prefix in _ARTICLED:
        if norm.startswith(prefix) and len(norm) > len(prefix) + 2:
            forms.append("ال" + norm[len(prefix):])
    return forms


def _stands_alone(word: str, known: Known) -> str | None:
    """How the article uses ``word`` («بجدة») elsewhere: "place" when its stem stands on its
    own («جدة»), "noun" when the stem takes the article («التعليم»: an office, whose place
    follows), None when it does neither (a name's letters: «بندر»; a place that begins with
    «ب», «بيشة», is no «ب» and a word, and the title reader takes it as a lone name)."""
    stem = word[1:]
    if len(stem) < 3:
        return None
    if _MARK + stem in known:
        return "place"
    if _MARK + "ال" + stem in known:
        return "noun"
    return None


def _next_word(tokens: list[Token], k: int) -> str:
    """The word after token ``k``, past a quote mark; "" at the end or other punctuation."""
    for token in tokens[k + 1 : k + 3]:
        if token.word:
            return token.norm
        if token.raw not in QUOTE_CHARS:
            return ""
    return ""


def name_after_place(tokens: list[Token], start: int, stop: int, known: Known) -> int | None:
    """Where the name read at ``start:stop`` really starts when its first word is «ب»/«ل»
    and a place or office the article uses (see the module); None when it is a name."""
    word = tokens[start].norm
    if stop - start < 3 or is_definite(word):
        return None
    if _IN + word in known:  # «في باراغواي»: the word is a place
        return _name_after_words(tokens, start + 1 + (tokens[start + 1].norm in known[_IN + word]), stop, known)
    if not word.startswith(_GLUED) or is_definite(word[1:]):
        return None
    use = _stands_alone(word, known)
    if use is None:
        return None
    after = tokens[start + 1].norm
    if after in R.NAME_PARTICLES or not is_definite(after) and _place_word(after):
        return None  # «لبنى بنت خالد»: a name goes on; «بأمانة منطقة جازان يحيى …»: a longer place
    k = start + 1
    while k < stop and is_definite(tokens[k].norm) and not is_known(tokens[k].norm, known):
        k += 1  # «بوادي الدواسر متعب آل قويد»: the place's own words
    phrase = tokens[k].norm in known.get(_MARK + word[1:], ())  # «تعليم جازان» stands elsewhere
    if k == start + 1 and (use == "noun" or phrase) and stop - k >= 3:
        k += 1  # «بتعليم تبوك صالح أبو هاشم»: the office, then the place it serves
    return _name_after_words(tokens, k, stop, known)


def _name_after_words(tokens: list[Token], k: int, stop: int, known: Known) -> int | None:
    """``k`` when a name of two words or more starts there and ends at ``stop``."""
    if stop - k < 2 or is_definite(tokens[k].norm) or _place_word(tokens[k].norm) or tokens[k].norm in R.NAME_PARTICLES:
        return None  # «لإطلاق البرنامج ستكون»: no name starts there
    return k if name_end(tokens, k, known) == stop else None


def _place_word(norm: str) -> bool:
    """A word of a place's or an institution's name («منطقة», «جدة», «البنك»), never a name's."""
    return norm in R.TITLE_WORDS or norm in R.PLACES or norm in R.ORGANISATIONS


#: One, or some, of a group: «أحد المسؤولين»، «إحدى المشاركات»، «بعض السكان»، «عدد من الخبراء».
_ONE = R.norm_set("أحد احد إحدى احدى")
_ONE_OF = _ONE | R.norm_set("بعض عدد")
_GROUP_WORDS = 4  # how many words the group may take («أحد أعضاء المكتب التنفيذي للحزب»)
_CALLED = frozenset({"وتدعي", "وتسمي", "تدعي", "تسمي", "ويدعي", "يدعي", "ويسمي"})  # "named" (normalised)


def role_then_name(tokens: list[Token], i: int, known: Known) -> tuple[int, int] | None:
    """Where the name stands after a feminine noun no list knows as a title, right after a
    feminine reporting verb, when a name of two words or more and then what was said follow
    («وأوضحت المسنة صفية علي الألمعي أن …»، «اتهمت المواطنة حنان بن زيد …»): the noun is
    the woman's role. The name opens with a given name (no article, no «بن»); a masculine
    word before a name is too often a given name itself («الباجي قايد السبسي»)."""
    j, verb = i + 1, verb_form(tokens[i - 1]) if i > 0 else None
    if verb is None or not verb.feminine or verb.plural:
        return None  # right after «وقالت»، «أوضحت»، «تقول»: a woman speaks
    if not MARKS.sub("", tokens[i].raw).endswith("ة") or j >= len(tokens) or not tokens[j].word:
        return None
    if tokens[j].norm in _CALLED:
        j += 1  # «قالت الوالدة وتدعى إليزابيث أوسبورن»
    if j >= len(tokens) or tokens[j].norm.lstrip("وف") in R.COMPLEMENTISERS:
        return None  # «تشير الصورة فإن …»: what the picture shows, no one named
    if is_definite(tokens[j].norm) or tokens[j].norm in PATRONYMICS or not name_word(tokens, j):
        return None
    stop = name_end(tokens, j, known)
    if stop - j < 2 or not subject_ends(tokens, stop):
        return None
    words = [t.norm for t in tokens[j:stop]]
    if any(word in R.OBJECT_PRONOUNS or word.endswith("ات") and is_definite(word) for word in words):
        return None  # «فقلت لها»، «أصحاب العقارات»: a verb and its object, a plural noun
    return j, stop


def one_of(tokens: list[Token], i: int, known: Known) -> tuple[int, tuple[int, int] | None] | None:
    """One (or some) of a group as a verb's subject («وقال أحد المسؤولين إن»، «وتحدث أحد
    أعضاء الفريق حسن أبو السعود عن»): where the group's words end, and the name that
    follows them when one person is meant, if any. None when token ``i`` opens no such
    phrase. Without a name it is an unnamed source, never the person speaking before.

    The name is two words or more, not definite, right after a definite word of the group
    («أعضاء الفريق»), or after «ويدعى» («أحد السكان ويدعى ياجويي ساليفه»)."""
    if tokens[i].norm not in _ONE_OF:
        return None
    k = i + 1
    if k < len(tokens) and tokens[k].norm == "من":
        k += 1  # «عدد من الخبراء»، «أحد من حضروا»
    elif tokens[i].norm == "عدد":
        return None  # «حسب عدد الخطباء»: a number, not people
    if k >= len(tokens) or not tokens[k].word or tokens[k].norm in R.COMPLEMENTISERS:
        return None
    k += 1  # the group: «المسؤولين»، «أعضاء»
    while k < min(len(tokens), i + 2 + _GROUP_WORDS) and tokens[k].word and (
        is_definite(tokens[k].norm) or is_prepositional(tokens[k].norm)
        or tokens[k].norm in ("في", "من") and k + 1 < len(tokens) and is_definite(tokens[k + 1].norm)
    ):
        k += 1  # «أعضاء الفريق»، «المسؤولين في الشركة»، «الخبراء بالمركز»
    if tokens[i].norm not in _ONE or k >= len(tokens):
        return k, None  # «بعض»، «عدد»: several people, no one named
    start = k + 1 if tokens[k].norm in _CALLED else k
    if start == k and not is_definite(tokens[k - 1].norm):
        return k, None
    if start < len(tokens) and name_word(tokens, start) and not is_definite(tokens[start].norm):
        stop = name_end(tokens, start, known)
        if stop - start >= 2 and _said_after(tokens, stop):
            return k, (start, stop)
    return k, None


def _said_after(tokens: list[Token], k: int) -> bool:
    """What was said opens at ``k``: a comma, colon or quote, أن/إن, «بأن», «عن» («تحدث عن»)."""
    if k >= len(tokens) or not tokens[k].word:
        return True
    norm = tokens[k].norm
    return norm in R.COMPLEMENTISERS or norm == "عن" or norm.startswith(("بان", "بأن"))


_CIRCUMSTANCE_REACH = 16  # how far what was said may start after «وقال X خلال …»


def lone_name_before_content(tokens: list[Token], i: int) -> bool:
    """A single word the article never names otherwise, right before what is said
    («وذكر اليوسف أن»، «وأشارت الدبيسي إلى أن»، «وقال طيب، إن»): a family name. A
    definite word counts only with a family name's ending («الدبيسي»), not «التقرير»."""
    norm = tokens[i].norm
    if not name_word(tokens, i) or len(norm) < 3 or norm.endswith(("ون", "ين", "ات", "يه")):
        return False  # plurals, and «صحفية»: an indefinite role, not a family name («…ي»)
    if is_definite(norm) and not (norm.endswith("ي") and len(norm) >= 5):
        return False
    j = i + 1
    if j < len(tokens) and tokens[j].raw in COMMAS:
        j += 1
    if j >= len(tokens):
        return False
    nxt = tokens[j]
    if nxt.norm in R.COMPLEMENTISERS or nxt.norm.startswith("بان") or nxt.raw == ":":
        return True
    if is_definite(norm) and nxt.norm.startswith("بال"):
        return True  # «وأشاد المنيفي بالجهود …»
    if nxt.norm in ("الي", "إلى") and j + 1 < len(tokens) and tokens[j + 1].norm in R.COMPLEMENTISERS:
        return True
    if nxt.norm == "عن" and j + 1 < len(tokens) and tokens[j + 1].word and possessed(tokens, j + 1):
        return True  # «وعبر السبسي عن ارتياحه …»: what he expressed
    return _content_after_circumstance(tokens, j)


def _content_after_circumstance(tokens: list[Token], j: int) -> bool:
    """A circumstance, then what was said («وقال مورفي خلال احتفال في … انه "…"»، «وقال
    رومنيجه للصحفيين اليوم … "أستطيع …"»): a preposition or a time word at ``j``, then
    أن/إن, a colon or a quote within a few words, before any other verb of speech."""
    first = tokens[j]
    if not first.word or not (first.norm in R.PREPOSITIONS or first.norm in R.EVENT_WORDS
                              or first.norm in R.TIME_WORDS or is_prepositional(first.norm)):
        return False
    for k in range(j + 1, min(len(tokens), j + _CIRCUMSTANCE_REACH)):
        token = tokens[k]
        if token.quoted or token.raw == ":" or token.norm in R.COMPLEMENTISERS or token.norm.startswith("بان"):
            return True
        if token.raw in ".؟?!" or token.word and strip_prefix(token.norm) in R.VERBS:
            return False
    return False


def opens_body(tokens: list[Token], k: int) -> bool:
    """Whether the word at ``k`` goes on a title's body after a preposition («عن حزب …»،
    «في الجبهة …»، «إلى الشرق الأوسط»، «على برنامج العيد»، «في نداء تونس»): an
    institution («كتلة»، «حركة»), a place or a definite noun, or a noun in construct with one."""

    def body_word(j: int) -> bool:
        norm = tokens[j].norm
        return tokens[j].word and (
            is_definite(norm) or norm in R.ORGANISATIONS or norm in R.PLACES or norm in R.TITLE_WORDS
        )

    if k >= len(tokens) or not tokens[k].word:
        return False
    if k + 1 < len(tokens) and tokens[k + 1].raw in COMMAS:
        return True  # «… للتعليم الثانوي في بوحجلة، عادل الوصيفي»: a place, then the name
    return body_word(k) or k + 1 < len(tokens) and body_word(k + 1)


def relative_or_circumstance(token: Token) -> bool:
    """«شقيقه»، «نجله»: the name after it is a relative's; «مودعاً»: a circumstance begins."""
    norm = token.norm
    if any(norm[: len(norm) - n] in R.KINSHIP for n in (1, 2)):
        return True
    return TANWEEN.search(token.raw) is not None and norm.rstrip("ا") not in R.TITLE_WORDS  # not «سابقاً»


def where_served(tokens: list[Token], i: int, k: int, known: Known) -> int:
    """«في» and the one to three words of where the person of the title at ``i`` serves,
    when a name of two words or more that ends the subject follows («المتحدث … في تبوك خالد
    بن مرضي العنزي أن»، «الناشط في مجال حقوق الإنسان عازار أحمد:»). Not after an unnamed
    source («مسؤول في شركة مترو جدة»), nor past another title («عضو في حزب الرئيس … علي
    عبدالله صالح»). How many tokens that takes (0: none)."""
    if tokens[k].norm not in ("في", "لدي") or tokens[i].norm in R.UNNAMED_HEADS and not is_definite(tokens[i].norm):
        return 0
    j = k + 1
    for _ in range(3):
        if j >= len(tokens) or not _serving_word(tokens, j) or is_known(tokens[j].norm, known):
            break
        following = j + 1  # past the definite words, nationalities and places («في قطاع الفنادق»)
        while following < len(tokens) and tokens[following].word and not tokens[following].quoted and (
                is_definite(tokens[following].norm) or tokens[following].norm in _NATIONS_AND_PLACES):
            following += 1
        if any(is_title_head(tokens[n].norm) for n in range(j, following)):
            return 0
        j = following
        if _name_ending_subject(tokens, j, known):
            return j - k
    return 0


def _serving_word(tokens: list[Token], n: int) -> bool:
    """A word of where a person serves: no particle, preposition, time word, verb or word
    of speech («تصريحات»)."""
    token, norm = tokens[n], tokens[n].norm
    return token.word and not token.quoted and not verb_form(token) and not any(norm in words for words in _NOT_SERVING)


def _name_ending_subject(tokens: list[Token], j: int, known: Known) -> int:
    """The end of a name of two words or more at ``j`` that ends the subject (0: none): one
    given name before a «بن» in it («خالد بن مرضي», not «بيشة محمد بن سعد»), no direction
    («جنوب طرابلس») and no adjective for its last word («كريمس النمساوية»)."""
    stop = name_end(tokens, j, known)
    following = tokens[stop] if stop < len(tokens) else None
    if stop - j < 2 or tokens[j].norm.startswith("ل") or following is not None and following.word and not (
            following.norm in R.COMPLEMENTISERS or following.norm in R.TIME_WORDS or following.norm in R.PREPOSITIONS
            or following.norm in R.OBJECT_NEEDS or len(following.norm) == 1):
        return 0  # not «… الأمانة بعيد الفطر كل الشكر»
    words = [tokens[n].norm for n in range(j, stop)]
    sons = [n for n, word in enumerate(words) if word in PATRONYMICS]
    if sons and not 1 <= sons[0] <= 1 + (words[0] in _JOINERS):
        return 0
    if any(word in _DIRECTIONS for word in words) or is_definite(words[-1]) and words[-1].endswith("يه"):
        return 0
    inner = [n for n in range(1, len(words) - 1) if is_definite(words[n]) and not (
        words[n] in COMPOUND_ENDS or words[n - 1] in _JOINERS)]  # not «نور الدين»، «عبد الرحمن»
    return 0 if inner else stop  # «حقوق الإنسان عازار أحمد»: a body's name, then the person's


def before_address(tokens: list[Token], k: int, known: Known) -> int:
    """One or two words of the place or body a title heads («وسط الدمام»، «بالقنفذة») before
    a form of address and a name («رئيس بلدية وسط الدمام المهندس حاتم …»); not a word of
    the scene («استقبل الوزير بمكتبه الدكتور …»: the guest), nor before «السيد». How many
    tokens that takes (0: none)."""
    for size in (1, 2):
        m = k + size
        if m + 1 >= len(tokens) or not all(_body_word(tokens[n], known) for n in range(k, m)):
            return 0
        if tokens[m].norm in _ADDRESS_BEFORE_NAME and name_word(tokens, m + 1) and not is_definite(
                tokens[m + 1].norm):  # not «مدير صحة عدن الدكتور الخضر لصور»: a title would take «الخضر»
            return size
    return 0


def _body_word(token: Token, known: Known) -> bool:
    """A word of a place or body: definite, glued to «ب/ل» («بأبها»، «لبورصة»; not «بمكتبه»:
    the scene), or «وسط»; not a name the article knows («الحبيب الصيد»)."""
    norm = token.norm
    glued = norm[:1] in _GLUED and len(norm) > 3 and not MARKS.sub("", token.raw).endswith(("ه", "ها", "هم"))
    return token.word and not token.quoted and not is_known(norm, known) and (
        is_definite(norm) or is_prepositional(norm) or glued or norm in _DIRECTIONS)  # «بأبها»، not «بمكتبه»


def son_of_ahead(tokens: list[Token], end: int, known: Known) -> tuple[int, int] | None:
    """A full name with «بن» a few words after a title that stopped short of it, with only
    words of the post between («… الهلال الأحمر السعودي في جازان بيشي بن عيسى الصرخي، أن»):
    (start, end) of the name when the subject ends after it. Between: definite words, words
    glued to «ب/ل», «في» and the word after it; no other name, comma, quote, verb or title."""
    k = end
    while k < min(len(tokens) - 2, end + _SON_REACH):
        token = tokens[k]
        if not token.word or token.quoted or verb_form(token) or k > end and is_title_head(token.norm):
            return None
        if tokens[k + 1].norm in PATRONYMICS and k > end and name_word(tokens, k):
            stop = name_end(tokens, k, known)
            following = tokens[stop] if stop < len(tokens) else None
            ends = following is None or not following.word or following.norm in R.COMPLEMENTISERS
            return (k, stop) if stop - k >= 3 and ends else None
        if token.norm in ("في", "لدي") and k + 1 < len(tokens) and tokens[k + 1].word:
            k += 2  # «في جازان»
        elif is_definite(token.norm) or token.norm[:1] in _GLUED and len(token.norm) > 3:
            k += 1
        else:
            return None
    return None
