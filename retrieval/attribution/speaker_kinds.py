"""What a stored speaker name is: a person, an organisation or outlet, or a phrase taken for a name."""

from __future__ import annotations

import re

import retrieval.attribution.reporting as R
from retrieval.attribution.tokens import prefixed_title_word
from retrieval.text.normalize import normalize_arabic

PERSON, ORGANISATION, JUNK = "person", "organisation", "junk"


#: News agencies, outlets, platforms and bodies known by a name of their own (normalised,
#: one per line): what a dateline's parentheses carry («(رويترز)», «(أ ف ب)») and more.
AGENCIES = frozenset(
    " ".join(normalize_arabic(line).split())
    for line in """فرانس برس
    فرانس بريس
    رويترز
    أسوشيتد برس
    أسوشييتد برس
    أسوشيتدبرس
    يونايتد برس
    أ ف ب
    د ب أ
    شينخوا
    إنترفاكس
    انترفاكس
    نوفوستي
    ريا نوفوستي
    تاس
    إيتار تاس
    سبوتنيك
    الأناضول
    واس
    إرنا
    سانا
    وام
    قنا
    كونا
    بنا
    أنباء الشرق الأوسط
    الشرق الأوسط
    بلومبرغ
    بلومبيرغ
    الجزيرة
    العربية
    يورونيوز
    دويتشه فيله
    تويتر
    فيسبوك
    فايسبوك
    الفايسبوك
    الفيسبوك
    يوتيوب
    إنستغرام
    ناسا
    اليونسكو
    اليونيسف
    الناتو
    أوبك
    الفيفا
    الإنتربول
    يوروبول
    هيومن رايتس ووتش
    العفو الدولية
    غوغل
    جوجل""".splitlines()
)
#: First words of the names of outlets and organisations («وكالة الأنباء …», «قناة …»).
ORGANISATION_HEADS = R.norm_set(
    """وكالة أنباء صحيفة جريدة قناة شبكة مجلة إذاعة تلفزيون محطة نشرة بوابة وزارة منظمة هيئة
    مجلس حزب حركة جمعية نقابة نيابة شركة مؤسسة جامعة مركز مكتب جهاز قيادة دائرة سلطة
    محكمة لجنة الأمم اتحاد الاتحاد نادي جبهة كتيبة كتائب فرع مصلحة مصالح إدارة مديرية
    بلدية أمانة مرصد المرصد منتدى برلمان البرلمان الكونغرس البنتاغون الكرملين الإليزيه
    البيت حكومة الحكومة شرطة الشرطة الجيش جيش القوات قوات مفوضية المفوضية سفارة قنصلية
    رئاسة الرئاسة بنك البنك صندوق معهد مستشفى ائتلاف تحالف التحالف تنظيم جماعة ديوان
    الديوان مجموعة المجموعة أكاديمية رابطة غرفة الغرفة هيئة الهيئة المحكمة النيابة
    الوزارة المنظمة اللجنة المجلس الحزب الحركة الجمعية الشركة المؤسسة الجامعة المركز
    فرقة جهة صفحة خدمات"""
)
#: Last words of outlets' names: «… برس», «… نيوز», «… تايمز».
OUTLET_TAILS = R.norm_set("برس بريس نيوز تايمز بوست جورنال تلغراف غارديان إندبندنت تريبيون هيرالد إكسبريس فيله")
#: Words no person's name holds: prepositions, pronouns, conjunctions, time words,
#: reporting verbs and participles, speech nouns, common nouns («ما» and «لا» stay
#: out: «ما ينغ جيو»; so do «هو», «صباح», «إمام», «طالب», «راي»: names too).
NOT_NAME_WORDS = (
    (R.STOPS | R.PREPOSITIONS | R.NEGATIONS | R.NON_NAMES | R.RELATIVES | R.COMPLEMENTISERS)
    | (R.AUXILIARIES | R.TIME_WORDS | R.COMMON_WORDS | R.SPEECH_NOUNS | R.SPEECH_OBJECTS | R.IMPERSONAL)
    | frozenset(R.VERBS) | frozenset(R.PARTICIPLES)
    | R.norm_set("يا أما إما لأن لكي مثل كما فيه فيها عنه عنها منه منها له لها لهم به بها عليه "
                "عليها لنا نقلت تم أمر الأمر")
    | R.norm_set(
        """مقطع مقاطع فيديو صور صورة تصوير إعلان معلومات هجوم عملية حالة مدينة منطقة مشروع
        قانون حماية حديقة طلب عدم نشر اسم زيارة سياسة تشكيلة مقتل تشريح جثة نموذج أعمال
        قواعد طول مدى وجود ارتفاع قمة آخر آراء عدسات مؤامرة إجراءات اجراءات تقييم تصعيد
        توريد تطبيق سحب مواقع أعداد نقطة جزر داء خبر جديدة شريطة برنامج نسبة حجم
        أولا ثانيا ثالثا رابعا طريق مرور تعليم حوار نص حقوق التالي المرسوم رابط أيقونة
        إرادة قبول تقديرات بحسب وفق تقرير بيان نتائج أرقام شن بشن محطات كرة مثلا قرارا كافة سابق قريبا سيدة تبنت قررت أصدر انتخاب ترشيح إفادة مغبة عاد تحدث لمح شيء""")
    | frozenset(w[:-1] + end for w in R.SPEECH_OBJECTS if w.endswith("ه") for end in ("نا", "هم"))
) - R.norm_set("ما لا هو صباح إمام امام طالب رأى لي على انا")
#: Plural nouns for groups of people: «سكان الموصل», «نواب معارضون».
GROUPS = R.norm_set(
    """سكان عمال رجال نواب قادة قضاة محامون ناجون نشطاء ناشطون مواطنون مسلحون طلاب أطباء
    زوار مشجعون لاعبون مسؤولون مسؤولو ممثلو ممثلون مراقبون محللون خبراء شهود مصادر مصدران
    متظاهرون محتجون لاجئون مهاجرون سياح أهالي أهل عائلات أسر ضحايا جنود ضباط مختصون
    باحثون علماء النواب أحزاب"""
)
GROUPS |= frozenset(w[:-2] + "ين" for w in GROUPS if w.endswith("ون"))  # «لاجئين سوريين»، «مواطنين أتراكا»
GROUPS |= frozenset(w[:-1] + "ي" for w in GROUPS if w.endswith("و"))  # «ممثلي النقابات»: in construct
#: Roles that stand for an unnamed person: «ضابط ليبي», «مهندس سوري».
ROLES = R.norm_set("ضابط مهندس ناشر كاتب سيناتور مسلمة مسلم جندي طبيب محام ناشط مواطن لاعب مدرب شاب شابة رجل امرأة")
#: Honorifics and titles that name no one by themselves: «معالي», «صاحب السمو».
HONORIFICS = R.HONORIFICS | R.norm_set("صاحب دولة")  # alone in a name: «صاحب»، «دولة» (the PM's) too
_DIGITS = re.compile(r"\d")
_HAMZA_AFTER_PREPOSITION = ("بأ", "بإ", "بآ", "لأ", "لإ", "لآ", "فإ", "فأ", "وإ", "وأ")
#: «سنحدد», «ستلعب»: the future prefix on a verb of three letters, no long vowel in it;
#: «تتحدى», «تتهم»: a present verb of the fifth or sixth form.
_FUTURE_VERB = re.compile("^(?:سن|ست)[^اويى]{3}$|^تت..+")
#: «مبتسما», «محاولا», «مشترطا»: a participle in the accusative (not «مونيكا», «ميلانيا»).
_PARTICIPLE = re.compile("^م[^اوي][^اوي]{2,3}ا$")


def speaker_kind(name: str) -> str:
    """What a speaker name stored with the statements stands for.

    An outlet or organisation: a known agency or platform («فرانس برس», «رويترز»), a
    name opening with «وكالة», «صحيفة», «قناة», «وزارة», «منظمة»… or ending with «برس»,
    «نيوز», «تايمز», Latin letters spelled out («سي إن إن»), a Latin acronym ("CNN").
    Junk — a phrase taken for a name: a word no name holds (a preposition, a pronoun, a
    reporting verb, a participle, a common noun), a preposition glued to a word
    («لأمر», «بمنطقة», «بالعاصمة»), digits or a lone letter, a group of people
    («سكان الموصل»), a title or honorific alone («معالي»), a place alone.

    Args:
        name: a speaker's name as stored.

    Returns:
        ``PERSON``, ``ORGANISATION`` or ``JUNK``.
    """
    raw = name.replace("ـ", " ").split()
    words = normalize_arabic(" ".join(raw)).split()
    if not words:
        return JUNK
    if any(w.isascii() for w in words):
        return _latin_kind(raw)
    if _is_organisation(words):
        return ORGANISATION
    if any(len(w) < 2 for w in words) or words[0] in R.PLACES:
        return JUNK
    if words[0] in GROUPS or all(w in HONORIFICS or w in R.TITLE_HEADS or w in R.TITLE_WORDS for w in words):
        return JUNK
    if all(w in R.PLACES or w in R.GENTILICS for w in words) or _someone_from(words):
        return JUNK
    checked = list(zip(words, raw))
    if len(words) >= 2 and _preposition_like_family_name(words[-1]):
        checked.pop()  # «رضا لحول»: a family name, not a preposition glued to one
    if any(_not_a_name_word(w, r) for w, r in checked):
        return JUNK
    return PERSON


def _preposition_like_family_name(word: str) -> bool:
    """«لحول» (Lahouel): «ل» before a preposition of three letters makes no phrase («لحول»،
    «لعقب»), so as the last word of a name it is the family name. Over ANT's 8,500 news
    articles only «رضا لحول» (8 statements) has such a word."""
    rest = word[1:]
    return word[:1] == "ل" and len(rest) == 3 and rest in R.PREPOSITIONS and not rest.startswith("و")


def _someone_from(words: list[str]) -> bool:
    """«ضابط ليبي», «عسكري عراقي», «ناشر ألماني»: a role and a nationality (not «فيصل بن تركي»)."""
    return len(words) == 2 and words[1] in R.BARE_GENTILICS and (
        words[0] in ROLES or words[0] in R.TITLE_HEADS or words[0] in R.TITLE_WORDS or words[0].endswith("ي")
    )


def _is_organisation(words: list[str]) -> bool:
    phrase = " ".join(words)
    if phrase in AGENCIES or words[0] in ORGANISATION_HEADS or words[-1] in OUTLET_TAILS:
        return True
    return len(words) >= 2 and words[0] in R.LETTER_NAMES and words[1] in R.LETTER_NAMES  # «سي إن إن», «سي بي إنسايتس»


def _latin_kind(raw: list[str]) -> str:
    """A name in Latin letters: an acronym ("CNN") is an outlet, a lower-case word junk."""
    latin = [w for w in raw if w.isascii()]
    if all(w.isupper() and w.isalpha() for w in latin):
        return ORGANISATION
    return PERSON if all(w[:1].isupper() and w.isalpha() for w in latin) else JUNK


def _not_a_name_word(word: str, raw: str) -> bool:
    """Whether one word of a name shows the name is a phrase."""
    if _DIGITS.search(word) or word in NOT_NAME_WORDS or len(word) > 5 and word.startswith("ال") and word[2:] in NOT_NAME_WORDS:
        return True
    if len(word) > 2 and word[0] in "وف" and word[1:] in NOT_NAME_WORDS and word not in R.NAME_PARTICLES:
        return True  # «وتم», «ففي» (not «فان»)
    if _FUTURE_VERB.match(word) or _PARTICIPLE.match(word) or word.startswith("ما") and word[2:] in R.VERBS:
        return True  # «سنحدد», «مبتسما», «ماذكرت»
    if any(word[k : k + 2] == "ال" and word[:k] in NOT_NAME_WORDS for k in range(2, len(word) - 4)):
        return True  # «عبرالأورجوائي»: a word glued to the next one
    if any(word[k : k + 2] == "ال" and word[k:] in R.TITLE_HEADS for k in range(4, len(word) - 4)):
        return True  # «سبايسرالمتحدث»: a title glued to a name
    if raw.startswith(_HAMZA_AFTER_PREPOSITION) or (word.startswith("بم") and len(word) > 4):
        return True  # «لأمر», «بإستدعاء», «بموجب»
    if word.startswith("لل") and len(word) > 4 or word.startswith(("بال", "وال")) and len(word) > 6:
        return True  # «للأمم», «بالعاصمة», «والرئيس» (not «والتر», «بالمر»)
    rest = word[1:]
    if word[:1] in "بل" and (prefixed_title_word(word) or rest in AGENCIES or rest in GROUPS
                             or rest in ORGANISATION_HEADS or len(rest) > 2 and rest in NOT_NAME_WORDS):
        return True  # «بمنطقة», «لرويترز», «بفرع», «بشن»
    if word.startswith("ل") and word.endswith("ات") and len(word) > 4:
        return True  # «لجوازات», «لانتخابات»
    return False
