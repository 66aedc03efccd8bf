"""Word lists for attribution: reporting verbs, participles, titles, organisations, stop words."""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.text.normalize import normalize_arabic


def norm_set(words: str) -> frozenset[str]:
    """Normalise a whitespace-separated word list into a set."""
    return frozenset(normalize_arabic(word) for word in words.split())


@dataclass(frozen=True)
class VerbForm:
    """One surface form of a reporting verb.

    Attributes:
        lemma: the verb's past masculine form, normalised ("قال").
        feminine: whether the form agrees with a feminine subject.
        plural: whether the form agrees with a plural subject.
        present: whether it is an imperfect (present) form.
        needs: particles one of which must follow for the verb to report speech
            (empty: any content will do).
    """

    lemma: str
    feminine: bool
    plural: bool
    present: bool
    needs: frozenset[str] = frozenset()


# past, present (3rd person masculine), what must follow the verb ("-": any content;
# "عن", "ب", "إلى": that particle; ":": a colon or a quote; "أن": أن/إن, for a verb
# that is also a common word: «بين» is "between" too; "كلام": a noun of speech, as in
# «ووجهت ماي انتقادا …» — «وجه» alone is "directed"). Feminine, plural and
# present forms are generated (قالت، قالوا، يقول، تقول، يقولون).
_VERBS = """
قال يقول -
صرح يصرح -
أضاف يضيف -
أكد يؤكد -
أوضح يوضح -
أشار يشير -
ذكر يذكر -
أعرب يعرب عن
عبر يعبر عن
أبدى يبدي -
تابع يتابع -
لفت يلفت -
شدد يشدد -
دعا يدعو -
أعلن يعلن -
نفى ينفي -
حذر يحذر -
اعتبر يعتبر -
رأى يرى -
طالب يطالب -
كشف يكشف -
انتقد ينتقد -
وصف يصف -
رفض يرفض -
أشاد يشيد ب
أفاد يفيد -
أبلغ يبلغ -
أبرز يبرز -
أبان يبين -
أردف يردف -
استطرد يستطرد -
اعترف يعترف -
تعهد يتعهد -
توقع يتوقع -
نوه ينوه -
زعم يزعم -
اتهم يتهم -
تساءل يتساءل -
أدان يدين -
استنكر يستنكر -
ندد يندد -
رحب يرحب ب
تمنى يتمنى -
أمل يأمل -
تطرق يتطرق إلى
تحدث يتحدث عن
هنأ يهنئ -
فسر يفسر -
علل يعلل -
استدرك يستدرك -
دان يدين -
جدد يجدد -
اقترح يقترح -
ناشد يناشد -
حث يحث -
هدد يهدد -
توعد يتوعد -
أقر يقر -
كتب يكتب :
غرد يغرد -
رد يرد :
أجاب يجيب -
خاطب يخاطب :
بين يبين أن
أدلى يدلي أن
وجه يوجه كلام
أثنى يثني على
علق يعلق على
ثمن يثمن -
لاحظ يلاحظ -
شرح يشرح أن
خلص يخلص إلى
أرجع يرجع -
طلب يطلب -
رفع يرفع شكر
تقدم يتقدم شكر
قدم يقدم شكر
"""

# Particles that open a verb's content, by the "needs" code of the table.
_NEEDS = {
    "-": frozenset(),
    "عن": norm_set("عن"),
    "على": norm_set("على علي"),
    "ب": frozenset({"ب"}),
    "إلى": norm_set("إلى الى"),
    ":": frozenset({":"}),
    "أن": norm_set("أن إن ان بأن بان أنه إنه انه أنها إنها انها"),
    "كلام": norm_set(
        "انتقادا انتقادات رسالة رسائل دعوة نداء تحذيرا تحذيرات اتهاما اتهامات تهديدا شكرا تحية سؤالا أسئلة كلمة خطابا"
        " شكره شكرها الشكر تعازيه تعازيها التعازي تهانيه تهانيها التهاني"
    ),
    "شكر": norm_set(
        "الشكر شكره شكرها بالشكر بجزيل بخالص جزيل خالص أسمى آيات أصدق التهاني التهنئة تهانيه تهانيها بالتهاني"
        " بالتهنئة التبريكات التعازي تعازيه تعازيها بالتعازي تعازي تهاني"
    ),
}


#: What «رفع», «تقدم» and «قدم» must deliver, right after their subject, to report words:
#: thanks, congratulations, condolences («رفع الوزير أسمى آيات التهاني»، «تقدم بالشكر»).
OBJECT_NEEDS = _NEEDS["شكر"]
#: How near the subject's end what is delivered must stand («رفع الوزير أسمى آيات الشكر»).
OBJECT_REACH = 3


def _past_forms(past: str) -> list[tuple[str, bool, bool]]:
    """(form, feminine, plural) for a normalised past verb."""
    if past.endswith(("ا", "ي")):  # دعا، نفى، رأى، أبدى
        stem = past[:-1]
        return [(past, False, False), (stem + "ت", True, False), (stem + "وا", False, True)]
    # No dual («قالا»): it would read «ردا» (in reply) and «كتبا» (books) as verbs.
    return [(past, False, False), (past + "ت", True, False), (past + "وا", False, True)]


def _present_forms(present: str) -> list[tuple[str, bool, bool]]:
    """(form, feminine, plural) for a normalised present verb (3rd person masculine)."""
    stem = present[1:]
    forms = [(present, False, False), ("ت" + stem, True, False)]
    if present.endswith(("و", "ي")) and len(stem) > 2:  # يدعو، ينفي
        forms.append(("ي" + stem[:-1] + "ون", False, True))
    else:
        forms.append((present + "ون", False, True))
    return forms


def _build_verbs() -> dict[str, VerbForm]:
    """Every surface form of the reporting verbs, without the و/ف prefix."""
    verbs: dict[str, VerbForm] = {}
    for line in _VERBS.strip().splitlines():
        past, present, needs = line.split()
        past, present = normalize_arabic(past), normalize_arabic(present)
        needed = _NEEDS.get(needs, frozenset())
        for form, feminine, plural in _past_forms(past):
            verbs.setdefault(form, VerbForm(past, feminine, plural, False, needed))
        for form, feminine, plural in _present_forms(present):
            verbs.setdefault(form, VerbForm(past, feminine, plural, True, needed))
    return verbs


VERBS = _build_verbs()

# Participles that continue the main verb's subject ("..., مشيرا إلى أن").
_PARTICIPLES = """
قائل مشير مضيف مؤكد لافت معتبر موضح متابع مشدد معرب داع محذر واصف منتقد مبين
معبر منوه مبرز مستطرد متسائل آمل مطالب معلن كاشف ناف رافض مشيد متهم متوعد مذكر
مستدرك متحدث مردف مختتم خاتم مستنكر مندد مناشد معترف مثمن شارح مبد متمن
"""
_DEFECTIVE = ("داع", "ناف", "مبد", "متمن")  # «داعيا»، «نافيا»، «مبديا»، «متمنيا»


def _build_participles() -> dict[str, bool]:
    """Participle form -> feminine, with the accusative ending (قائلا، قائلة)."""
    forms: dict[str, bool] = {}
    for stem in normalize_arabic(_PARTICIPLES).split():
        if stem in _DEFECTIVE:
            forms[stem + "يا"] = False
            forms[stem + "يه"] = True
            continue
        forms[stem + "ا"] = False
        forms[stem + "ه"] = True
    return forms


PARTICIPLES = _build_participles()

# Impersonal passives that look like reporting verbs: «يذكر أن»، «يشار إلى».
IMPERSONAL = norm_set("يذكر يشار يجدر تجدر يقال")

# Nouns of speech, for «كلمة أردوغان التي قال فيها» and «جدد تحذيره».
SPEECH_NOUNS = norm_set(
    """كلمة كلمته خطاب خطابه تصريحات تصريحاته تصريح تصريحه رسالة رسالته مقابلة مقابلته
    بيان بيانه حديث حديثه تغريدة تغريدته مؤتمر خطبة خطبته محاضرة محاضرته"""
)
SPEECH_OBJECTS = norm_set(
    """تحذيره تحذيرها تحذيراته تأكيده تأكيدها دعوته دعوتها رفضه رفضها موقفه موقفها
    إدانته ترحيبه التزامه قلقه أسفه استعداده أمله رغبته ثقته دعمه مطالبته تعازيه
    تهانيه شكره امتنانه قوله قولها"""
)

# Connectors that may stand before a clause's verb.
CONNECTORS = norm_set(
    """و ف ثم كما فيما بينما حيث لكن لكنه لكنها ولكن ولكنه غير إلا بيد أيضا بدوره بدورها
    هذا وقد قد كان وكان كانت وكانت عندما حين حينما لما بعدما وهكذا هكذا فقد لقد"""
)
AUXILIARIES = norm_set("كان وكان كانت وكانت قد وقد فقد لقد ولقد")

#: Titles that say how to address a person, not what post they hold: a post in
#: apposition after the name («الدكتور حسبو … نائب رئيس الجمهورية») is their title.
FORMS_OF_ADDRESS = norm_set("الدكتور د المهندس الأستاذ الشيخ السيد السيدة البروفيسور الدكتورة")
#: Whom a statement is told to, after «ل»: «لوكالة …»، «لمراسل …» is the outlet, not part of a
#: post («المعتمد الأول لولاية صفاقس» is a post), and it ends the speaker's name.
TOLD_TO = norm_set("وكالة صحيفة جريدة قناة شبكة مجلة إذاعة اذاعة تلفزيون التلفزيون موقع مراسل مراسلة وسائل")
#: Latin letters as Arabic spells them out: «سي إن إن», «بي بي سي», «لورا إيه. كولانجيلو».
LETTER_NAMES = norm_set("بي سي دي إي إيه إف جي إتش آي جاي كي كيه إل إم إن أو كيو آر إس تي يو في دبليو إكس واي زد")
# Words that end a name: complementisers, prepositions, adverbs, relative pronouns.
STOPS = norm_set(
    """إن أن ان بأن بان وأن وإن لأن إنه أنه انه إنها أنها انها إنهم أنهم انهم إننا أننا
    بأنه بانه بأنها بانها بأنهم في خلال على عن إلى الى من مع لدى أمام امام عبر نحو ضد
    بعد قبل عند منذ حتى حول بشأن إزاء تجاه بين أثناء وسط ضمن عقب إثر جراء بسبب وفق وفقا قد
    حسب بحسب نقلا الذي التي الذين اللذين اللتين اللواتي ما عما مما بما إذا إذ لا لم لن ليس قائلا
    أيضا ايضا كذلك مجددا مجدداً أمس أول بدوره بدورها بقوله بالقول وهو وهي والذي والتي
    هذا هذه ذلك تلك كل جميع بعض عدد أي أحد إحدى لكي ممن متى كيف لماذا ماذا هل"""
)
TIME_WORDS = norm_set(
    """اليوم أمس غدا الليلة مساء صباح ظهر ليلة يوم الأحد الاثنين الإثنين الثلاثاء
    الأربعاء الخميس الجمعة السبت الأسبوع الشهر العام الماضي المقبل الحالي مؤخرا سابقا
    لاحقا حاليا صباحا مساء الأحد عشية فجر غداة حينئذ آنذاك عندئذ وقتها وقت أخيرا"""
)
#: Words that open an event or a circumstance («خلال لقائه»، «عقب اجتماعه»).
EVENT_WORDS = norm_set("خلال مع لدى أمام عقب إثر بعد قبل أثناء عند وسط لقائه لقاء اجتماعه اتصال")
RELATIVES = norm_set("الذي التي الذين اللذين اللتين اللواتي والذي والتي ما مما")
COMPLEMENTISERS = norm_set("إن أن ان بأن بان وأن وإن أنه إنه انه أنها إنها انها بأنه بانه")
PREPOSITIONS = norm_set(
    """في وفي خلال وخلال عن وعن حول وحول بشأن وبشأن إلى على من ومن مع لدى أمام عقب إثر
    بعد وبعد قبل وقبل عند وعند منذ تعليقا ردا وردا تعقيبا"""
)

# Titles and roles: the head nouns that open one, and the words that may follow.
TITLE_HEADS = norm_set(
    """الرئيس رئيس الرئيسة رئيسة وزير الوزير وزيرة الوزيرة نائب النائب نائبة المتحدث متحدث
    المتحدثة متحدثة الناطق ناطق الناطقة ناطقة المستشار مستشار المستشارة مستشارة الأمين أمين
    الأمينة المبعوث مبعوث المبعوثة مندوب المندوب مندوبة المندوبة سفير السفير سفيرة السفيرة
    الملك ملك الملكة الأمير أمير الأميرة الشيخ الشيخة الزعيم زعيم الزعيمة المرشد مرشد
    عضو العضو عضوة مدير المدير مديرة المديرة قائد القائد قائدة حاكم الحاكم المحافظ محافظ
    رئيسة مساعد المساعد مساعدة كبير كبيرة العاهل عاهل المسؤول مسؤول المسؤولة مسؤولة مصدر المصدر
    دبلوماسي الدبلوماسي خبير الخبير محلل المحلل منسق المنسق مفوض المفوض المفوضة
    السيناتور النائبة المستشارة الجنرال العقيد اللواء الفريق العميد المشير الدكتور د
    البروفيسور المفتي مفتي الإمام إمام خطيب الخطيب شيخ آية ولي القاضي قاضي المدعي مدعي
    السيد السيدة نظيره نظيرته المرشح المرشحة المنسقة مرشح مرشحة والد والدة شقيق شقيقة
    زوج زوجة نجل ابنة أرملة محامي محامية المحامي الوزير معتمد المعتمد رجل
    القيادي قيادي القيادية الباحث باحث الباحثة الناشط ناشط الناشطة المهندس مهندس الأستاذ
    أستاذ الكاتب الكاتبة الإعلامي الإعلامية الصحفي الصحافي الممثل الممثلة الفنان الفنانة
    اللاعب لاعب المدرب مدرب وكيل الوكيل وكيلة كاتب المقدم النقيب السياسي ضيف المشرف
    المشرفة سكرتير السكرتير سكرتيرة السكرتيرة ممثل ممثلة الرائد الملازم
    الشاعر الفيلسوف المواطن المبتعث"""
)
TITLE_WORDS = norm_set(
    """الخارجية خارجية الدفاع دفاع الداخلية داخلية المالية مالية الاقتصاد اقتصاد التجارة ركن الركن إعلام
    الطاقة الوزراء الحكومة حكومة العام عام الدائم الخاص الأعلى الأممي الأول الثاني
    المنتهية ولايته السابق الأسبق الجديد المنتخب الحالي الشريفين الحرمين خادم الله
    العهد ولي باسم لدى المتحدة الأمم العامة الدولة دولة الجمهورية المركزية السياسي
    والأمن الأمن القومي البرلمان مجلس المجلس لجنة اللجنة الحزب حزب الشعب الدولي
    التنفيذي الأعلى للشؤون شؤون الشؤون التعليم الصحة العدل الإعلام النقل البيئة
    الزراعة النفط الثقافة الأركان أركان الاستخبارات المخابرات الجيش الحرس البحرية
    المفاوضين النوويين الإيرانيين الشاب ولاية الولاية المنتهية وزراء مركز المركز مقاطعة
    إقليم الإقليم مديرية بلدية البلدية منظمة المنظمة الاتحاد اتحاد المعهد معهد هيئة الهيئة
    شعبة الشعبة قسم القسم جامعة الجامعة مكتب المكتب القيادة قيادة العامة الحزب
    نادي النادي كتلة الكتلة حركة الحركة جمعية الجمعية نقابة النقابة الإدارة إدارة المكلف
    الجبهة جبهة الاتحاد تيار التيار الوزارة وزارة منطقة المنطقة فرع الفرع محافظة المحافظة
    سابق سابقة"""
)
FEMININE_TITLES = norm_set(
    """الرئيسة رئيسة وزيرة الوزيرة نائبة النائبة المتحدثة متحدثة الناطقة ناطقة المستشارة
    مستشارة الأمينة المبعوثة مندوبة المندوبة سفيرة السفيرة الملكة الأميرة الشيخة الزعيمة
    عضوة مديرة المديرة قائدة مساعدة المسؤولة مسؤولة المفوضة السيدة نظيرته المرشحة كبيرة
    القيادية الباحثة الناشطة الكاتبة الإعلامية الممثلة ممثلة الفنانة وكيلة"""
)
# Titles that name no one by themselves: an unnamed source.
UNNAMED_HEADS = norm_set(
    "المسؤول مسؤول المسؤولة مسؤولة مصدر المصدر دبلوماسي الدبلوماسي خبير الخبير محلل المحلل "
    "والد والدة شقيق شقيقة زوج زوجة نجل ابنة أرملة محامي محامية المحامي المواطن المبتعث"
)


#: Feminine forms that are mostly something else: a given name («أمينة»), a governorate
#: («محافظة»), «in front of him» («أمامه»), a fiancée («خطيبة»), an introduction («مقدمة»),
#: an adjective of relation («المعارك السياسية»، «الندوة الصحفية»، «الدبلوماسية»).
_NOT_POSTS = norm_set(
    """أمينة محافظة المحافظة أمامه إمامة الإمامة خطيبة الخطيبة مقدمة المقدمة رجله ملكه السياسية
    سياسية الصحفية صحفية الصحافية صحافية الدبلوماسية دبلوماسية"""
)


def _feminine(heads: frozenset[str]) -> frozenset[str]:
    """The feminine of each masculine head («خبير» -> «خبيرة»، «القاضي» -> «القاضية»)."""
    return frozenset(word + "ه" for word in heads if len(word) >= 3 and not word.endswith("ه")) - _NOT_POSTS


# A woman's post is a post too: «وقالت خبيرة نفسية»، «محللة»، «المديرة التنفيذية».
FEMININE_TITLES = FEMININE_TITLES | _feminine(TITLE_HEADS)
TITLE_HEADS = TITLE_HEADS | _feminine(TITLE_HEADS)
UNNAMED_HEADS = UNNAMED_HEADS | _feminine(UNNAMED_HEADS)

# Subjects that are not persons: institutions, media, groups, places.
ORGANISATIONS = norm_set(
    """الوزارة وزارة الشرطة شرطة الحكومة حكومة البيت الهيئة هيئة المنظمة منظمة المكتب مكتب
    بيان البيان الجيش جيش المرصد وكالة الوكالة وكالات صحيفة الصحيفة صحف الصحف مصادر
    مسؤولون المسؤولون شهود الشهود شاهد شاهدة التلفزيون تلفزيون الإذاعة إذاعة وسائل تقارير
    التقارير التقرير تقرير دول الدول السلطات سلطات حركة الحركة حزب الحزب الأمم مجلس المجلس
    اللجنة لجنة فريق حملة المحكمة محكمة النيابة الكرملين الإليزيه البنتاغون السفارة سفارة
    القنصلية الرئاسة نشرة استطلاع الدراسة دراسة المنشور ناشطون مراسل مصور الخارجية
    الداخلية الدفاع القوات قوات التحالف الاتحاد الحرس المجموعة مجموعة جماعة الجماعة
    تنظيم التنظيم الجانب المسؤولين مسؤولين الوزيران الطرفان الزعيمان البلدان الجانبان
    المستطلعين المحتجون متظاهرون المتظاهرون عائلة العائلة أسرة مراقبون خبراء قناة القناة
    موقع الموقع شركة الشركة البنك بنك الصندوق صندوق الجامعة جامعة المعارضة الهلال
    الصليب المفوضية مفوضية الائتلاف مكتبه مكتبها أنصار الإدارة إدارة بيانات تقديرات
    مطار المطار شبكة الشبكة سلاح خفر معهد المعهد مركز المركز أطراف الأطراف نفس مجلة
    المجلة صحيفة مؤسسة المؤسسة البرلمان برلمان الكونغرس مجموعة الأسرة ذات فرق فريق
    مسؤولان محققون استطلاعات دوائر أوساط مسؤولو مسؤولي جمهورية مملكة إمارة
    أرقام إحصاءات إحصائيات مسح المسح حرس النتائج نتائج وثائق الوثائق
    رويترز فرانس أسوشيتد أسوشيتدبرس بلومبرغ بلومبيرغ سبوتنيك الأناضول الاناضول إنترفاكس
    انترفاكس تاس نوفوستي شينخوا يونهاب كيودو واس كونا وام سانا إرنا ارنا قنا بترا
    أعضاء الأعضاء نواب النواب"""
)
PLACES = norm_set(
    """روسيا موسكو الصين بكين أمريكا أميركا واشنطن الولايات إيران طهران تركيا أنقرة السعودية
    الرياض المملكة قطر الدوحة مصر القاهرة فرنسا باريس ألمانيا برلين بريطانيا لندن إسرائيل
    إسرائيل تل سوريا دمشق العراق بغداد اليمن صنعاء عدن لبنان بيروت الأردن عمان ليبيا تونس
    الجزائر المغرب الكويت الإمارات البحرين اليابان طوكيو الهند باكستان أفغانستان كوريا
    أوروبا إيطاليا روما إسبانيا السويد هولندا بلجيكا بروكسل كندا أستراليا البرازيل السودان
    فلسطين غزة أوكرانيا كييف إثيوبيا نيجيريا جنيف نيويورك إسطنبول اسطنبول الفاتيكان
    الاتحاد"""
)
# Adjectives of nationality and scope, as in «الرئيس الصيني» (normalised, with ال).
GENTILICS = norm_set(
    """الصيني الأمريكي الأميركي الروسي التركي الإسرائيلي الفرنسي الألماني البريطاني الإيراني
    السوري المصري السعودي القطري اليمني العراقي الليبي التونسي المغربي الجزائري الأردني
    اللبناني الفلسطيني الياباني الكوري الهندي الباكستاني الأفغاني الأوكراني الإيطالي
    الإسباني السويدي الهولندي البلجيكي الكندي الأسترالي البرازيلي السوداني الكويتي
    الإماراتي البحريني العماني الأوروبي الأممي الإفريقي الأفريقي العربي الخليجي الأثيوبي
    الإثيوبي النيجيري الأمريكية الأميركية الصينية الروسية التركية الإسرائيلية الفرنسية
    الألمانية البريطانية الإيرانية السورية المصرية السعودية القطرية اليمنية العراقية
    الليبية التونسية المغربية الجزائرية الأردنية اللبنانية الفلسطينية السويدية الأوروبية
    الاتحادية العربية الخليجية الأممية الكورية اليابانية الهندية الإماراتية"""
)
# Words after a name that still belong to it.
#: A preposition with a pronoun after a verb: who is spoken to («قال لي»، «فقلت لها»), never a name.
OBJECT_PRONOUNS = norm_set("لي له لها لنا لهم لهن لك لكم")
#: What heads a party's or a body's own name («حزب صوت الفلاحين»، «حركة نداء تونس»).
PARTY_HEADS = norm_set("حزب حركة جمعية نقابة اتحاد منظمة تيار جبهة كتلة ائتلاف قائمة")
#: Title heads that are also adjectives after a definite noun («الكعبة المشرفة»، «الإنجاز
#: المشرف»), where they head nothing.
ADJECTIVAL_HEADS = norm_set("المشرف المشرفة")
NAME_PARTICLES = norm_set("بن ابن بنت آل أبو أبي أم عبد دي دو دا دير فون فان لا لو ال")
# Prefixes of a speaker's name that mark it as a common word rather than a name.
COMMON_WORDS = norm_set(
    """جميع كل بعض عدد معظم أغلب هذا هذه ذلك تلك الذي التي نحو حوالي أكثر أقل أكبر أهم
    قرار القرار الاتفاق اتفاق الوضع الأمر العالم الشعب الناس رسالة رسالته كلمة تصريحات
    السبب الحل الضربة خطاب الخطاب الهجوم المحادثات مباحثات مقترح ضرورة أهمية رسميا
    حاليا فعليا شخصيا تقريبا أساسا فورا جدا معا سويا نصف ثلث ربع أرباع ثلاثة أربعة خمسة
    ستة سبعة ثمانية تسعة عشرة مئات آلاف ملايين تأكيد دعوة رفض تحذير إدانة ترحيب دعم
    استعداد قلق أسف التزام شكر تعازي هنا هناك ضيف ضيفة عدم أسمى آيات أخلص جزيل"""
)
# The same adjectives without the article, as after «مسؤول» in «مسؤول تركي».
BARE_GENTILICS = frozenset(word[2:] for word in GENTILICS if word.startswith("ال"))
NEGATIONS = norm_set("لم ولم لن ولن ما لا ولا")
# Kinship and relation heads: the name after them is the relative's, not the speaker's.
KINSHIP = norm_set("والد والدة شقيق شقيقة زوج زوجة نجل ابنة أرملة محامي محامية المحامي")
#: Honorifics before a title or a name («صاحب السمو الملكي الأمير …»، «معالي الوزير …»);
#: «صاحب» counts only before one of them («صاحب السمو», not «صاحب المحل»).
HONORIFICS = norm_set("سمو السمو الملكي معالي المعالي فخامة الفخامة سعادة سماحة جلالة الجلالة حضرة عطوفة فضيلة")
# Pronouns and passive markers that never start or continue a name.
NON_NAMES = norm_set("هي هم هما تم يتم القول قوله قولها نحن أنا انا منه منها منهم منهما سبحانه تعالى")  # not «هو»: Hu, as in «هو جين تاو»
