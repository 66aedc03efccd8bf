"""Title chains before a name: «وزير الخارجية الأمريكي»، «المتحدث باسم الحكومة»، «مصدر مطلع»."""

from __future__ import annotations

import retrieval.attribution.places as places
import retrieval.attribution.reporting as R
from retrieval.attribution.names import (
    NO_NAMES,
    Known,
    ends_subject,
    inner_title,
    is_known,
    name_end,
    name_word,
    quoted_name,
)
from retrieval.attribution.tokens import (
    COMMAS,
    Token,
    given_amin,
    hamza_initial,
    is_and_title,
    is_definite,
    is_title_head,
    prefixed_title_word,
    quoted_run_end,
    tokenize,
)
from retrieval.text.normalize import MARKS

_POSTS = 3  # how many posts in apposition a name may take
_OVER = R.norm_set("المشرف مشرف المشرفة مشرفة")  # posts over something: «المشرف العام على …»

#: Adjectives that end a title, never a name («المكلف»، «العام»، «السابق»).
_TITLE_ADJECTIVES = R.norm_set(
    "المكلف المكلفة العام العامة الأول الخاص الدائم السابق الأسبق الجديد المنتخب الحالي التنفيذي المساعد"
)

#: Adjectives of a title without the article: they govern nothing («وزير سابق»، «مدير عام»).
_BARE_ADJECTIVES = frozenset(word[2:] for word in _TITLE_ADJECTIVES) | R.norm_set("سابق سابقة")

_IN_ITS_NAME = R.norm_set("باسمه باسمها باسمهم")
#: Titles written as a letter and a dot: «د.» (doctor), «م.» (engineer).
_ABBREVIATED_TITLES = frozenset({"د", "م"})


def title_end(tokens: list[Token], i: int, known: Known = NO_NAMES) -> int:
    """The end of the title chain that starts with the head at ``i``.

    A title runs over definite words, title words, nationalities and places
    («وزير الخارجية الأمريكي»، «المتحدث باسم الحكومة الاتحادية»، «مبعوث الأمم المتحدة
    الخاص إلى سوريا»), up to a name, a comma or a preposition.
    """
    k = i + 1
    if tokens[i].norm in R.KINSHIP:  # «والد سلمان العبيدي»: the relative's name is part of it
        return max(k, name_end(tokens, k, known))
    while k < len(tokens) and (tokens[k].word or _abbreviation_dot(tokens, k) or quoted_body(tokens, k)):
        if quoted_body(tokens, k):
            k = quoted_run_end(tokens, k)  # «لمكافحة الفساد «نزاهة» عبدالرحمن العجلان»
            continue
        if not tokens[k].word:
            return k + 1  # «د. محمد البديّع»: the name starts after the abbreviation's dot
        if k + 1 < len(tokens) and inner_title(tokens, k + 1):
            break  # «رئيس الجمهورية الباجي قائد السبسي»: the name starts here
        step = _title_step(tokens, i, k, known) or _body_before_adjective(tokens, k, known)
        if step == 0:
            break
        k += step
    while k > i + 1 and _dangling_and(tokens[k - 1].norm):
        k -= 1  # «… الصيني وعضو» before a word that is no title: the second title is cut off
    return k


def _complement_after_adjective(tokens: list[Token], k: int, known: Known) -> bool:
    """«ل» and a noun in construct right after a title's adjective («التنفيذي لسوق عكاظ»،
    «العام لشركة أرامكو»), not a name the article knows («لطفي»)."""
    norm = tokens[k].norm
    if not (tokens[k - 1].word and tokens[k - 1].norm in _TITLE_ADJECTIVES and norm.startswith("ل")):
        return False
    if len(norm) <= 3 or norm.startswith("لل") or is_known(norm, known) or is_known(norm[1:], known):
        return False
    following = tokens[k + 1] if k + 1 < len(tokens) else None
    return following is not None and following.word and name_word(tokens, k + 1)


def quoted_body(tokens: list[Token], k: int) -> bool:
    """A body's own name in quotes after a party («حزب "حراك تونس"،») or a definite noun
    («الهيئة الوطنية لمكافحة الفساد «نزاهة» عبدالرحمن …»), the person's name after it."""
    end = quoted_run_end(tokens, k)
    if end is None or end >= len(tokens) or k == 0 or not tokens[k - 1].word:
        return False
    before, named = tokens[k - 1].norm, name_word(tokens, end)  # not «زعيم كوريا الشمالية "كيم جونغ أون" خلال»
    if is_title_head(before) and not is_definite(before):  # «ممثل "يورو سبورت عربية" إدوارد غريفيود»
        return name_end(tokens, end, NO_NAMES) - end >= 2 or tokens[end].norm in R.FORMS_OF_ADDRESS  # «… الدكتور»
    named = named or tokens[end].norm in R.FORMS_OF_ADDRESS  # «حزب «القوات اللبنانية» الدكتور سمير جعجع»
    return before in R.PARTY_HEADS and (named or tokens[end].raw in COMMAS) or is_definite(before) and named


def _abbreviation_dot(tokens: list[Token], k: int) -> bool:
    """The dot after an abbreviated title («د.»), with a word after it."""
    return (
        tokens[k].raw == "." and tokens[k - 1].word and tokens[k - 1].norm in _ABBREVIATED_TITLES
        and k + 1 < len(tokens) and tokens[k + 1].word
    )


def _body_before_adjective(tokens: list[Token], k: int, known: Known) -> int:
    """One or two unknown words then a title's adjective («مدير طرق الشرقية المكلف»): the
    words were the body the title heads, not a name; how many tokens that takes (0: none)."""
    for size in (1, 2):
        m = k + size
        if m >= len(tokens) or not all(_unknown_name_word(tokens, j, known) for j in range(k, m)):
            return 0
        if tokens[m].word and tokens[m].norm in _TITLE_ADJECTIVES:
            return size + 1
    return 0


def _unknown_name_word(tokens: list[Token], j: int, known: Known) -> bool:
    """A word that may be part of a name and that the article does not know as one."""
    return name_word(tokens, j) and not is_known(tokens[j].norm, known)


def _dangling_and(norm: str) -> bool:
    """«و» or «وعضو» at the end of a title: a second title that did not go on."""
    return norm == "و" or is_and_title(norm)


def _title_step(tokens: list[Token], i: int, k: int, known: Known) -> int:
    """How many tokens at ``k`` the title that started at ``i`` takes (0: it ends)."""
    norm = tokens[k].norm
    following = tokens[k + 1] if k + 1 < len(tokens) and tokens[k + 1].word else None
    if norm.startswith("ب") and norm[1:] in R.SPEECH_NOUNS:
        return 0  # «وأدلى الرئيس بتصريحات»: what he gave, not his title
    if norm in _IN_ITS_NAME or norm in _ABBREVIATED_TITLES and k + 1 < len(tokens) and _abbreviation_dot(tokens, k + 1):
        return 1  # «الناطق الرسمي باسمها العقيد …»; «… م. أحمد علي الإبراهيم»
    if given_amin(tokens, k):
        return 0  # «السفير أمين شلبي»: the given name Amin after a title, not «أمين عام»
    if _complement_after_adjective(tokens, k, known):
        return 2  # «المدير التنفيذي لسوق عكاظ»: for what he is the director
    if norm == "باسم" and following is not None:

        return _named_complement(tokens, k + 1, known) - k
    if norm in ("لدي", "في", "الي") and following and (is_definite(following.norm) or following.norm in R.PLACES):
        return 2
    served = places.where_served(tokens, i, k, known)
    if served:
        return served  # «المتحدث الرسمي للهلال الأحمر في تبوك خالد بن مرضي العنزي أن»
    if norm == "علي" and tokens[i].norm in _OVER and following and not name_word(tokens, k + 1):
        return 2  # «المشرف العام على مركز الملك سلمان …»: what he is over
    if and_title(tokens, k) and other_gender(tokens, i, k):
        return 0  # «محافظ البنك … وممثلة الصندوق …»: two people, not one with two posts
    if norm == "و" and following and is_title_head(following.norm):
        return 2
    if _unnamed_adjective(tokens, i, k, known):
        return 1  # «مسؤول عسكري»، «مصدر مطلع»
    governed = _governed(tokens, k, known) or places.before_address(tokens, k, known)
    if governed:
        return governed  # «رئيس باراغواي هوراسيو كارتيس»; «رئيس بلدية وسط الدمام المهندس …»
    if norm in R.TIME_WORDS and norm not in R.TITLE_WORDS or not title_word(tokens, k):
        return 0
    if is_definite(norm) and is_known(norm, known) and norm not in R.TITLE_WORDS and norm not in R.GENTILICS:
        return 0  # «الوزير الجبير»: a name the article knows
    return 1


def _governed(tokens: list[Token], k: int, known: Known) -> int:
    """The word an indefinite noun of a title governs, when it is not a definite one: an
    indefinite head has a complement, so the word after it is not the name's first
    («رئيس باراغواي هوراسيو كارتيس»، «رئيس وزراء مالطا جوزيف موسكات»، «باسم حركة حماس حازم
    قاسم»، «رئيس بعثة صندوق النقد الدولي»، «خبيرة مطاردة العواصف جوليا موسينا»). Taken only
    when the title then goes on to a comma or to a name of two words or more that ends the
    subject. How many tokens it takes (0: none)."""
    token = tokens[k]
    if not governs(tokens, k - 1):
        return 0
    if is_definite(token.norm) or not name_word(tokens, k) or is_known(token.norm, known) or given_amin(tokens, k):
        return 0
    take = 1
    nxt = k + 1
    if nxt + 1 < len(tokens) and tokens[nxt].word and tokens[nxt + 1].word and is_definite(tokens[nxt + 1].norm) and (
            tokens[nxt].norm in R.ORGANISATIONS or tokens[nxt].norm in R.TITLE_WORDS):
        take = 2  # «بعثة صندوق النقد»: two nouns in construct before the definite one
    j = _rest_of_title(tokens, k + take)
    comma = j < len(tokens) and tokens[j].raw in COMMAS
    j += comma  # «رئيس بعثة صندوق النقد الدولي إلى تونس، أمين ماتي،»; not «ولي نصر، المسؤول …»
    quoted = quoted_name(tokens, j)
    if quoted and (comma or quoted[1] - quoted[0] >= 2):
        return take  # «وزير خارجية مملكة النرويج، "بورج براند"», not «مدير برنامج «فطن» العريني»
    stop = name_end(tokens, j, known)
    following = tokens[stop] if stop < len(tokens) else None
    ends = following is None or not following.word or ends_subject(following.norm) or following.norm in R.OBJECT_NEEDS
    return take if stop - j >= 2 and ends else 0


def governs(tokens: list[Token], k: int) -> bool:
    """Whether the title word at ``k`` is an indefinite noun that needs a complement after it
    («رئيس»، «وزراء»، «حركة»), not an indefinite source with its adjective («مسؤول أمريكي»)."""
    norm = tokens[k].norm
    if not tokens[k].word or is_definite(norm) or norm in R.UNNAMED_HEADS or norm in R.BARE_GENTILICS:
        return False
    if norm in _BARE_ADJECTIVES or norm in _ABBREVIATED_TITLES:
        return False  # «وزير سابق»: an adjective governs nothing; nor does «د» (doctor)
    raw = MARKS.sub("", tokens[k].raw)
    if any(raw.endswith(ending) and is_title_head(norm[: -len(ending)]) for ending in ("ه", "ها", "هم")):
        return False  # «رئيسه عبد الحميد الهمامي»: «his president» is definite (not «ضيفة»)
    return is_title_head(norm) or norm in R.TITLE_WORDS or norm in R.ORGANISATIONS


def governed_alone(tokens: list[Token], i: int, end: int) -> bool:
    """A lone word after a title of indefinite nouns, which governs it: the place or body
    («محافظ بيشة على …»، «أمير عسير يرعى»), even where the article has come to know it as
    a name by the same misreading; not before a title that heads the name («أمير منطقة
    عسير الأمير فيصل»)."""
    following = tokens[end + 1] if end + 1 < len(tokens) else None
    if is_definite(tokens[end].norm) or following is not None and following.raw in COMMAS:
        return False  # «قائد السبسي»; «ولي نصر، المسؤول السابق»: a name and its post
    return all(governs(tokens, k) for k in range(i, end)) and not (following and is_title_head(following.norm))


def _rest_of_title(tokens: list[Token], j: int) -> int:
    """Where the words that go on with a title after ``j`` end: definite words, places,
    nationalities, «في/إلى/لدى» before one of them, a body's name in quotes, and a place
    glued to «ب/ل» before a comma."""
    while j < len(tokens) and (tokens[j].word or quoted_body(tokens, j)):
        if quoted_body(tokens, j):
            j = quoted_run_end(tokens, j)  # «نقابة سيارات الأجرة "لواج"»: the body's own name
        elif title_word(tokens, j) or tokens[j].norm[:1] in ("ب", "ل") and j + 1 < len(tokens) and (
                tokens[j + 1].raw in COMMAS):
            j += 1  # «… بسوسة، المولدي دغم»: where he serves, then his name
        elif tokens[j].norm in ("لدي", "في", "الي") and j + 1 < len(tokens) and tokens[j + 1].word and (
                is_definite(tokens[j + 1].norm) or tokens[j + 1].norm in R.PLACES):
            j += 2
        else:
            break
    return j


def title_word(tokens: list[Token], k: int) -> bool:
    """Whether token ``k`` may continue a title chain."""
    norm = tokens[k].norm
    if norm in R.TITLE_WORDS or norm in R.GENTILICS or norm in R.PLACES or is_title_head(norm):
        return True
    if norm in R.HONORIFICS:
        return True  # «إمام وخطيب المسجد الحرام فضيلة الشيخ …»: the name comes after it
    if norm in R.BARE_GENTILICS or norm.startswith("لل") or prefixed_title_word(norm):
        return True
    if is_and_title(norm) or norm.startswith("و") and is_definite(norm[1:]):
        return True
    if hamza_initial(tokens[k]) and not norm.endswith("ا"):
        return False  # «الكاتبة ألفة …»: a name («ألفة»), not the title's definite noun (nor «ألاباما»)
    return is_definite(norm) and norm not in R.TIME_WORDS and norm not in R.ORGANISATIONS - R.TITLE_WORDS


def _unnamed_adjective(tokens: list[Token], i: int, k: int, known: Known) -> bool:
    """An adjective after an indefinite unnamed source («مسؤول عسكري»، «مصدر مطلع»)."""
    head = tokens[i].norm
    if head not in R.UNNAMED_HEADS or is_definite(head) or k - i > 2 or is_known(tokens[k].norm, known):
        return False
    return tokens[k].word and not is_definite(tokens[k].norm) and tokens[k].norm not in R.STOPS


def _named_complement(tokens: list[Token], k: int, known: Known) -> int:
    """After «باسم»: skip the body or person spoken for; return where the speaker may start."""
    if is_definite(tokens[k].norm) or tokens[k].norm in R.PLACES:
        return k + 1
    if is_title_head(tokens[k].norm):  # «باسم رئيس الوزراء الكندي جاستن ترودو»
        return name_end(tokens, title_end(tokens, k, known), known)
    if not name_word(tokens, k) and k + 1 < len(tokens) and tokens[k + 1].word and is_definite(tokens[k + 1].norm):
        return k + 2  # «باسم قوات التحالف»: a noun and the definite noun it governs
    run = k
    while run < len(tokens) and name_word(tokens, run):
        run += 1
    for size in range(min(3, run - k), 0, -1):  # a name the article knows
        if is_known(" ".join(t.norm for t in tokens[k : k + size]), known):
            return k + size
    return k + max(1, run - k - 2) if run - k >= 3 else k + 1


def and_title(tokens: list[Token], k: int) -> bool:
    """«و» and a title at ``k``: a second subject («… سامي الرقيق و مدير المستشفى»)."""
    norm = tokens[k].norm
    if norm == "و":
        return k + 1 < len(tokens) and tokens[k + 1].word and is_title_head(tokens[k + 1].norm)
    return is_and_title(norm)


def other_gender(tokens: list[Token], i: int, k: int) -> bool:
    """Whether the second title at ``k`` is a woman's («وممثلة»، «و وزيرة») after a man's
    head at ``i``: two people. (Not the other way round: «الكاتبة ومدير تحرير المجلة» is one
    woman, a man's form of a post is said of women too.)"""
    second = tokens[k].norm[1:] if tokens[k].norm != "و" else tokens[k + 1].norm
    return feminine_title((tokens[i].norm,)) is False and feminine_title((second,)) is True


def apposed_posts(tokens: list[Token], start: int, known: Known) -> list[tuple[int, int]]:
    """The posts in apposition that start at ``start``, one after another set off by commas
    («المتحدث باسم قوات التحالف، المستشار في مكتب وزير الدفاع»); a later one followed by a
    name is someone else's («…، الرئيس باراك أوباما»)."""
    posts: list[tuple[int, int]] = []
    k = start
    while k < len(tokens) and tokens[k].word and is_title_head(tokens[k].norm) and len(posts) < _POSTS:
        end = title_end(tokens, k, known)
        if posts and name_end(tokens, end, known) > end:
            break
        posts.append((k, end))
        if end + 1 >= len(tokens) or tokens[end].raw not in COMMAS:
            break
        k = end + 1
    return posts


def address_only(tokens: list[Token], start: int, end: int) -> bool:
    """Whether ``tokens[start:end]`` is only a form of address («الدكتور»، «د.»): it heads
    a name, never a body of words the name would be part of."""
    return all(tokens[k].norm in R.FORMS_OF_ADDRESS for k in range(start, end) if tokens[k].word)


def honorific_run(tokens: list[Token], i: int) -> int:
    """How many tokens honorifics take before a title or a name («صاحب السمو الملكي الأمير
    …»، «سمو الأمير …»، «معالي الوزير …»)."""
    k = i
    while k < len(tokens) and tokens[k].word and (tokens[k].norm in R.HONORIFICS or _owner_of_honour(tokens, k)):
        k += 1
    if k < len(tokens) and tokens[k].word and (is_title_head(tokens[k].norm) or name_word(tokens, k)):
        return k - i
    return 0


def _owner_of_honour(tokens: list[Token], k: int) -> bool:
    """«صاحب» before an honorific («صاحب السمو»), not an owner («صاحب المحل»)."""
    return tokens[k].norm == "صاحب" and k + 1 < len(tokens) and tokens[k + 1].norm in R.HONORIFICS


def feminine_title(title_norm: tuple[str, ...]) -> bool | None:
    """A title's gender: «وزيرة» is a woman's, «وزير» a man's; an unnamed source's is unknown."""
    if not title_norm:
        return None
    head = title_norm[0]
    if head in R.FEMININE_TITLES:
        return True
    return False if head in R.TITLE_HEADS and head not in R.UNNAMED_HEADS else None


def without_title(name: str) -> str | None:
    """The name a question gives after a title or a form of address, read as in a sentence
    («الرئيس ترامب» → «ترامب»، «المستشارة الألمانية أنغيلا ميركل» → «أنغيلا ميركل»، «سمو
    الأمير فيصل بن خالد» → «فيصل بن خالد»، «د. أحمد زويل» → «أحمد زويل»). None when it opens
    with no title, when a kinship word opens it («زوجة ترامب» is not Trump), or when the
    title leaves no name («الرئيس الفرنسي»); a title of two words whose second, no
    nationality, was read as part of it («الرئيس السيسي»: a family name ends like one)
    leaves that word.
    """
    tokens = tokenize(name)
    start = honorific_run(tokens, 0)
    if start >= len(tokens) or not tokens[start].word or tokens[start].norm in R.KINSHIP:
        return None
    if not is_title_head(tokens[start].norm):
        return " ".join(t.raw for t in tokens[start:] if t.word) if start else None
    end = title_end(tokens, start)
    rest = [t.raw for t in tokens[end:] if t.word]
    words = [t for t in tokens[start:] if t.word]
    if not rest and len(words) == 2 and words[1].norm not in R.GENTILICS and words[1].norm not in R.TITLE_WORDS:
        rest = [words[1].raw]
    return " ".join(rest) or None


def quoted_name_after_role(tokens: list[Token], i: int, limit: int) -> tuple[int, int, int] | None:
    """A quoted name after a long role: (role end, name start, name end), or None.

    Only words of a role may stand between ``i`` and the quote (``limit`` tokens at most):
    title words, definite words, «في» and commas.
    """
    for k in range(i, min(len(tokens), i + limit)):
        token = tokens[k]
        span = quoted_name(tokens, k)
        if span:  # not a body's one-word name before the person's («مدير برنامج «فطن» العريني»)
            named_after = span[1] + 1 < len(tokens) and name_word(tokens, span[1] + 1)
            governed = k == i and governs(tokens, k - 1)  # «ضيف "بوليتيكا"»: the show he is the guest of
            return None if span[1] - span[0] == 1 and (named_after or governed) else (k, span[0], span[1])
        if token.word and not (token.norm == "في" or title_word(tokens, k)):
            return None
        if not token.word and token.raw not in COMMAS:
            return None
    return None
