"""Tests for retrieval.attribution.statements: verbs and word orders, continuations, titles, gender, aliases."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.attribution.names import name_word
from retrieval.attribution.statements import Statement, attribute_article
from retrieval.attribution.tokens import tokenize
from retrieval.ingest.chunking import chunk_sentences
from retrieval.ingest.readers import parse_text_article
from retrieval.text.spellings import match_speakers, speaker_key

SEED_FILE = Path(__file__).resolve().parent.parent / "seeds" / "000_762f75904539e59f.txt"

XI = "قال الرئيس الصيني شي جين بينغ إن الصين تتمنى التعاون مع العالم."
MERKEL = "قالت المستشارة الألمانية أنجيلا ميركل إن الانفتاح هو الحل للتحديات."
TRUMP = "قال الرئيس الأمريكي دونالد ترامب إن بلاده ستنسحب من الاتفاق."


def speakers(sentences: list[str], title: str | None = None) -> list[str | None]:
    """The speaker of each sentence (None when no named person speaks)."""
    return [s.speaker if s else None for s in attribute_article(sentences, title=title)]


# --- the seed article -------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> list[Statement | None]:
    article = parse_text_article(SEED_FILE.name, SEED_FILE.read_text(encoding="utf-8"))
    sentences = [span.text for span in chunk_sentences(article.text, article.body_start)]
    assert sentences[0].startswith("قال الرئيس الصيني شي جين بينغ")
    return attribute_article(sentences, title=article.source.title)


def test_seed_xi_says_exactly_his_sentences(seed: list[Statement | None]) -> None:
    xi = {i for i, s in enumerate(seed) if s and s.speaker == "شي جين بينغ"}
    assert {0, 3, 4, 5, 6, 7, 8} <= xi <= {0, 1, 3, 4, 5, 6, 7, 8}


def test_seed_wang_says_only_his_sentences(seed: list[Statement | None]) -> None:
    wang = {i for i, s in enumerate(seed) if s and s.speaker.startswith("وانغ")}
    assert wang == {10, 11}


def test_seed_actions_and_narration_are_not_statements(seed: list[Statement | None]) -> None:
    assert seed[2] is None  # the conference's theme
    assert seed[9] is None  # «وألقى وانغ … كلمة»
    assert seed[12] is None  # «والتقى وانغ … كما زار»
    assert seed[13] is None


def test_seed_statement_carries_key_title_and_alias(seed: list[Statement | None]) -> None:
    first = seed[0]
    assert first.key == speaker_key("شي جين بينغ")
    assert first.title == "الرئيس الصيني"
    assert speaker_key("شي") in first.aliases
    assert first.how == "verb"
    assert seed[4].how == "title" and seed[6].how == "title"  # «الرئيس»، «الرئيس الصيني»


# --- verb forms and word orders ---------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "وقالت ميركل إن أوروبا قادرة على مواجهة الأزمة.",
        "وأكدت ميركل أن أوروبا قادرة على مواجهة الأزمة.",
        "فأضافت ميركل: \"أوروبا قادرة على مواجهة الأزمة\".",
        "وتقول ميركل إن أوروبا قادرة على مواجهة الأزمة.",
        "وأوضحت ميركل أن أوروبا قادرة على مواجهة الأزمة.",
        "وأشارت ميركل إلى أن أوروبا قادرة على مواجهة الأزمة.",
        "وشددت ميركل على أن أوروبا قادرة على مواجهة الأزمة.",
        "وأعربت ميركل عن ثقتها بقدرة أوروبا على مواجهة الأزمة.",
        "ودعت ميركل إلى تضامن أوروبي لمواجهة الأزمة.",
        "وحذرت ميركل من تفكك أوروبا أمام الأزمة.",
        "وطالبت ميركل بتضامن أوروبي لمواجهة الأزمة.",
        "ونفت ميركل وجود خلاف مع باريس حول الأزمة.",
        "ورفضت ميركل إغلاق الحدود أمام اللاجئين.",
        "ووصفت ميركل القرار الأمريكي بأنه خاطئ.",
        "وانتقدت ميركل القرار الأمريكي بشدة.",
        "وأشادت ميركل بجهود الشركاء الأوروبيين.",
        "واعتبرت ميركل أن القرار خاطئ.",
        "ورأت ميركل أن القرار خاطئ.",
        "وكشفت ميركل أن الحكومة تدرس خطة جديدة.",
        "وأعلنت ميركل أن الحكومة ستقدم خطة جديدة.",
        "ولفتت ميركل إلى أن الحكومة تدرس خطة جديدة.",
        "وصرحت ميركل بأن الحكومة تدرس خطة جديدة.",
        "وذكرت ميركل أن الحكومة تدرس خطة جديدة.",
        "وتابعت ميركل: \"سنعمل مع شركائنا\".",
    ],
)
def test_feminine_verbs_and_speech_acts(sentence: str) -> None:
    assert speakers([MERKEL, sentence]) == ["أنجيلا ميركل", "أنجيلا ميركل"]


@pytest.mark.parametrize(
    "sentence",
    [
        "وقال ترامب إن القرار نهائي.",
        "فقال ترامب إن القرار نهائي.",
        "ويقول ترامب إن القرار نهائي.",
        "وصرح ترامب بأن القرار نهائي.",
        "ترامب قال إن القرار نهائي.",
        "لكن ترامب أكد أن القرار نهائي.",
        "وكان ترامب قد قال إن القرار نهائي.",
        "وفي كلمة أمام أنصاره، قال ترامب إن القرار نهائي.",
        "والقرار نهائي، حسبما قال ترامب.",
        "والقرار نهائي بحسب ترامب.",
        "والقرار نهائي وفقا لترامب.",
        "والقرار نهائي وفقا لـ ترامب.",
        "والقرار نهائي، نقلا عن ترامب.",
        "ونقلت وكالة رويترز عن ترامب قوله إن القرار نهائي.",
        "ترامب: القرار نهائي ولا رجعة فيه.",
    ],
)
def test_masculine_verbs_and_word_orders(sentence: str) -> None:
    assert speakers([TRUMP, sentence])[1] == "دونالد ترامب"


def test_plural_verb_is_no_single_persons_statement() -> None:
    assert speakers([TRUMP, "وأكدوا أن القرار نهائي."]) == ["دونالد ترامب", None]


def test_quotation_running_over_sentences() -> None:
    sentences = [
        'وقال وزير الخارجية السعودي عادل الجبير: "إن المملكة لن تقبل ذلك.',
        'ونحن ماضون في طريقنا."',
        "وعقد الاجتماع في الرياض بحضور الوفود.",
    ]
    result = attribute_article(sentences)
    assert [s.speaker if s else None for s in result] == ["عادل الجبير", "عادل الجبير", None]
    assert result[1].how == "quote"


def test_participles_continue_the_main_verbs_subject() -> None:
    sentences = [
        TRUMP,
        "مضيفا: \"لن نتراجع عن هذا القرار\".",
        "وبعث ترامب رسالة إلى الكونغرس قائلا إن القرار نهائي.",
    ]
    result = attribute_article(sentences)
    assert [s.speaker for s in result] == ["دونالد ترامب"] * 3
    assert result[1].how == "participle" and result[2].how == "participle"


def test_sentence_cut_at_a_comma_goes_on() -> None:
    sentences = [
        "وقال ترامب في لقاء مع الصحفيين في البيت الأبيض، بعد اجتماع طويل مع مستشاريه،",
        "وبحضور عدد من الوزراء إن بلاده لن تتراجع.",
    ]
    assert speakers([TRUMP] + sentences)[1:] == ["دونالد ترامب", "دونالد ترامب"]


# --- continuations, titles, gender ------------------------------------------------


def test_continuations_go_to_the_last_speaker() -> None:
    sentences = [XI, "وأضاف أن الصين منفتحة على العالم.", "وتابع: \"لن نغلق الباب\".", "وأوضح أن التعاون ضروري."]
    assert speakers(sentences) == ["شي جين بينغ"] * 4


def test_an_organisation_taking_the_floor_breaks_the_chain() -> None:
    sentences = [
        XI,
        "وقالت الوزارة في بيان إن المحادثات ستستأنف الأسبوع المقبل.",
        "وأضافت أن الوفد سيصل غدا.",
        "وأضاف أن الصين منفتحة على العالم.",
    ]
    assert speakers(sentences) == ["شي جين بينغ", None, None, None]


def test_an_unnamed_source_breaks_the_chain() -> None:
    sentences = [TRUMP, "وقال مسؤول أمريكي إن الإدارة تدرس خيارات أخرى.", "وأضاف أن القرار لم يتخذ بعد."]
    assert speakers(sentences) == ["دونالد ترامب", None, None]


def test_another_person_taking_the_floor_ends_the_continuation() -> None:
    sentences = [MERKEL, TRUMP, "وأضافت أن أوروبا ستبقى موحدة.", "وأضاف أن أمريكا أولا."]
    assert speakers(sentences) == ["أنجيلا ميركل", "دونالد ترامب", None, "دونالد ترامب"]


def test_gender_agreement_of_continuations() -> None:
    assert speakers([MERKEL, "وأضاف أن أوروبا ستبقى موحدة."]) == ["أنجيلا ميركل", None]
    assert speakers([TRUMP, "وأضافت أن أمريكا أولا."]) == ["دونالد ترامب", None]
    assert speakers([MERKEL, "وأضافت أن أوروبا ستبقى موحدة."]) == ["أنجيلا ميركل", "أنجيلا ميركل"]


@pytest.mark.parametrize("reference", ["وقال الرئيس الصيني", "وأكد الرئيس", "وأوضح الرئيس الصيني أيضا"])
def test_titles_alone_refer_to_the_titled_person(reference: str) -> None:
    sentences = [XI, TRUMP.replace("قال", "وقال"), f"{reference} إن الصين ستفتح أسواقها."]
    expected = "دونالد ترامب" if reference == "وأكد الرئيس" else "شي جين بينغ"
    assert speakers(sentences)[2] == expected  # «الرئيس» alone: the president who spoke last


def test_same_title_in_two_countries() -> None:
    sentences = [
        "وقال وزير الخارجية السعودي عادل الجبير إن العلاقات متينة.",
        "من جانبه، قال وزير الخارجية المصري سامح شكري إن التنسيق مستمر.",
        "وأكد وزير الخارجية السعودي أن المملكة تدعم مصر.",
        "وأكد الوزير المصري أن القاهرة تقف مع الرياض.",
    ]
    assert speakers(sentences) == ["عادل الجبير", "سامح شكري", "عادل الجبير", "سامح شكري"]


def test_counterpart_holds_the_same_post_in_his_country() -> None:
    sentences = [
        "وتطرق وزير الخارجية السعودي عادل الجبير، خلال مؤتمر صحافي مع نظيره المصري سامح شكري، "
        "إلى الاتفاق النووي.",
        "وقال شكري إن التنسيق مستمر.",
        "وتطرق وزير الخارجية المصري إلى أن العلاقات وثيقة.",
    ]
    assert speakers(sentences) == ["عادل الجبير", "سامح شكري", "سامح شكري"]


def test_title_before_the_name_in_the_same_article() -> None:
    sentences = [
        "وقال الأمين العام للأمم المتحدة في بيان إنه يشعر بحزن عميق.",
        "وأبرز الأمين العام، أنطونيو غوتيريس، أن الخبيرين كانا يعملان من أجل السلام.",
    ]
    assert speakers(sentences) == ["أنطونيو غوتيريس", "أنطونيو غوتيريس"]


def test_a_former_holder_is_not_the_current_one() -> None:
    sentences = [
        "وقال الرئيس السابق باراك أوباما إن الاتفاق تاريخي.",
        TRUMP.replace("قال", "وقال"),
        "وقال الرئيس الأمريكي إن الاتفاق سيئ.",
    ]
    assert speakers(sentences) == ["باراك أوباما", "دونالد ترامب", "دونالد ترامب"]


# --- names and aliases --------------------------------------------------------------


def test_short_forms_and_titles_are_one_person() -> None:
    sentences = [XI, "وقال شي إن الصين منفتحة.", "وأكد الرئيس أن التعاون ضروري."]
    result = attribute_article(sentences)
    assert {s.speaker for s in result} == {"شي جين بينغ"}
    assert speaker_key("شي") in result[1].aliases


def test_split_spelling_is_the_same_person() -> None:
    sentences = [
        'قال عضو لجنة الدفاع والأمن القومي في البرلمان الليبي، "طارق الجروشي"، في تصريح إعلامي، '
        "إنه تم تأجيل جلسة منح الثقة.",
        "وأضاف الجرو شي انه تم في جلسة اليوم مناقشة مستقبل الحكومة.",
        "وتابع الجروشي أن رئيس المجلس قرر عقد جلسة غدا.",
    ]
    result = attribute_article(sentences)
    assert [s.speaker for s in result] == ["طارق الجروشي"] * 3
    assert result[0].title.startswith("عضو لجنة الدفاع")
    assert all(alias != "الجرو شي" for alias in result[1].aliases)
    assert match_speakers("شي", [result[1].speaker]) == []


def test_spelling_variants_are_one_person() -> None:
    sentences = [
        "قال رئيس الوزراء الإسرائيلي بنيامين نتنياهو إن الاتفاق خطير.",
        "وأضاف نتانياهو أن إسرائيل لن تلتزم به.",
    ]
    assert speakers(sentences) == ["بنيامين نتنياهو", "بنيامين نتنياهو"]


def test_name_in_headline_is_known() -> None:
    assert speakers(["وقال أردوغان إن تركيا قوية."], title="أردوغان : تركيا الأقوى في المنطقة") == ["أردوغان"]


# --- not statements -----------------------------------------------------------------


def test_someone_else_speaking_about_a_person() -> None:
    sentences = [TRUMP, "وأعرب الرئيس السابق باراك أوباما في بيان عن أسفه بشأن قرار ترامب."]
    assert speakers(sentences) == ["دونالد ترامب", "باراك أوباما"]


def test_a_deputy_announcing_the_ministers_visit_is_not_the_minister() -> None:
    sentences = [
        "قال وزير الخارجية الروسي سيرغي لافروف إن موسكو مستعدة للحوار.",
        "وأعلن نائب الوزير أن الوزير سيزور الرياض الأسبوع المقبل.",
    ]
    assert speakers(sentences) == ["سيرغي لافروف", None]


@pytest.mark.parametrize(
    "sentence",
    [
        "وألقى شي كلمة في الحفل الافتتاحي.",
        "والتقى شي بضيوف المؤتمر.",
        "وزار شي معرضا للإنترنت.",
        "واستقبل شي الرئيس الفرنسي في قاعة الشعب الكبرى.",
        "وأجرى شي اتصالا هاتفيا مع الرئيس الروسي.",
        "ولم يذكر شي تفاصيل أخرى عن الخطة.",
        "وقال شي.",
        "يذكر أن الصين تستضيف المؤتمر للمرة الرابعة.",
        "في مثل هذا اليوم من عام 1949 أعلن قيام جمهورية الصين الشعبية.",
        "وأكدت الشرطة أن التحقيقات مستمرة.",
    ],
)
def test_actions_and_narration_are_not_statements(sentence: str) -> None:
    assert speakers([XI, sentence])[1] is None


def test_empty_article() -> None:
    assert attribute_article([]) == []


# --- forms of news the rules were not written against (issue 19) -----------------


def test_a_lone_family_name_before_what_is_said_speaks() -> None:
    found = speakers([
        "افتتحت الجمعية معرضا للفنون في الدمام.",
        "وأشارت الدبيسي إلى أن المجموعة تأسست منذ عامين.",
        "وذكر اليوسف أن المركز أقام حفلا للمراجعين.",
    ])
    assert found == [None, "الدبيسي", None]  # «اليوسف» has no family-name ending: not read


def test_a_lone_definite_noun_before_what_is_said_is_not_a_person() -> None:
    assert speakers(["وأوضح التقرير أن الحكومة وافقت على الخطة.", "وذكرت رويترز أن الحكومة وافقت."]) == [None, None]


def test_a_name_set_off_by_a_comma_after_a_long_title() -> None:
    found = speakers([
        "قالت النائبة عن حزب نداء تونس، هالة عمران إن الحزب بدأ يتعافى.",
        "وأضافت أنه تم تطعيم الحزب بوجوه جديدة.",
    ])
    assert found == ["هالة عمران", "هالة عمران"]


def test_a_name_after_the_body_a_title_heads() -> None:
    found = speakers([
        "أكد رئيس كتلة حركة نداء تونس سفيان طوبال في تصريح إذاعي أن الكتلة موحدة.",
        "أعلن رئيس نادي الشباب المكلف عبدالله القريني أنه سيترشح لرئاسة المجلس.",
    ])
    assert found == ["سفيان طوبال", "عبدالله القريني"]


def test_bayyana_reports_speech_only_before_anna() -> None:
    found = speakers([
        "وبيّن رئيس الحركة، محسن مرزوق في تصريح لمراسلة الإذاعة، أنه سينتظر بيان الحكومة.",
        "وبين الحكومة والمعارضة خلافات كبيرة حول الدستور.",
    ])
    assert found == ["محسن مرزوق", None]


def test_a_headline_statement_after_a_lead_and_a_colon() -> None:
    found = speakers([
        "في اجتماع الكتلة البرلمانية : طوبال يصرح بأنه تم تثبيته على رأس الكتلة",
        "أفاد النائب سفيان طوبال في تصريح إعلامي بأنه تم تثبيته على رأس الكتلة البرلمانية.",
    ])
    assert found == ["سفيان طوبال", "سفيان طوبال"]


def test_a_place_before_a_headline_colon_does_not_speak() -> None:
    found = speakers([
        "قفصة : القبض على عنصر تكفيري متشدد",
        "تمكنت وحدات الحرس الوطني من القبض على عنصر تكفيري في المدينة.",
    ])
    assert found == [None, None]


@pytest.mark.parametrize(
    "headline, body",
    [
        ("ماكرون يرفض عودة المقاتلين الفرنسيين من سوريا", "قال الرئيس الفرنسي إيمانويل ماكرون إن بلاده لن تستقبلهم."),
        ("بوتين يتحدى واشنطن: لن نتراجع عن دعم دمشق", "قال الرئيس الروسي فلاديمير بوتين إن بلاده لن تتراجع."),
        ("ماي ترحب بقرار البرلمان الأوروبي", "رحبت رئيسة الوزراء البريطانية تيريزا ماي بالقرار."),
        ("ماكرون : أوروبا في خطر", "قال الرئيس الفرنسي إيمانويل ماكرون إن أوروبا في خطر."),
        ("بعد قرار أممي يدين الاستيطان : نتنياهو يتوعّد", "قال رئيس الوزراء الإسرائيلي بنيامين نتنياهو إن إسرائيل سترد."),
    ],
)
def test_headline_statements_with_a_present_verb_or_a_colon(headline: str, body: str) -> None:
    found = speakers([headline, body], title=headline)
    assert found[0] is not None and found[0] == found[1]


@pytest.mark.parametrize(
    "headline, body",
    [
        ("ماكرون في أول خطاب له بعد ترأسه فرنسا : هذه مهمتي الأولى", "وقال الرئيس الفرنسي إيمانويل ماكرون إن فرنسا ستتغير."),
        ("شوقي الطبيب بعد لقائه الشاهد : أخيرا أصبحت مكافحة الفساد أولوية", "وأكد شوقي الطبيب أن اللقاء كان مثمرا."),
        ("قطان لرؤساء تحرير الصحف المصرية: دعم المملكة لمصر لم يتراجع", "وقال السفير أحمد قطان إن الدعم مستمر."),
    ],
)
def test_a_headline_names_where_or_to_whom_before_its_colon(headline: str, body: str) -> None:
    found = speakers([headline, body], title=headline)
    assert found[0] is not None and found[0] == found[1]


def test_a_title_and_a_phrase_before_a_headline_colon_is_no_speaker() -> None:
    headline = "أستاذ تاريخ في الأزهر: المشيخة لديها إمكانات لتحديد عمر المصحف"
    found = speakers([headline, "وأكد أستاذ التاريخ الإسلامي الدكتور عبد المقصود باشا أن المخطوطات قديمة."], title=headline)
    assert found[0] is None


def test_a_phrase_before_a_colon_in_the_body_is_no_headline() -> None:
    found = speakers([
        "قال الروائي ميلان كونديرا إن التفاهة جوهر الوجود.",
        "ميلان كونديرا ليصف هذا العصر بقوله: عصر أفول الفكاهات",
    ])
    assert found[1] is None


def test_an_action_in_a_headline_is_not_a_statement() -> None:
    headline = "أردوغان يصل إلى الدوحة في زيارة رسمية"
    found = speakers([headline, "وصل الرئيس التركي رجب طيب أردوغان إلى الدوحة مساء اليوم."], title=headline)
    assert found == [None, None]


@pytest.mark.parametrize(
    "sentences, expected",
    [
        # present tense after a relative pronoun
        (["قال الرئيس الفرنسي إيمانويل ماكرون إن أوروبا في خطر.",
          "وتتزايد المخاوف من الهجرة التي يقول ماكرون إنها تحتاج إلى حل أوروبي."],
         ["إيمانويل ماكرون", "إيمانويل ماكرون"]),
        # an adverb between the verb and a long title
        (["وصل رئيس الوزراء الكندي جاستن ترودو إلى باريس.",
          "وانتقد بشدة رئيس الوزراء الكندي جاستن ترودو القرار الأمريكي بالانسحاب."],
         [None, "جاستن ترودو"]),
        # «ووجهت ماي انتقادا»: a verb that reports speech with a noun of speech
        (["قالت رئيسة الوزراء البريطانية تيريزا ماي إن بلادها ستغادر الاتحاد.",
          "ووجهت ماي انتقادا حادا للاتحاد الأوروبي بسبب موقفه."],
         ["تيريزا ماي", "تيريزا ماي"]),
        # «وأدلى … بتصريحات» with what was said, and without
        (["وصل الرئيس التركي رجب طيب أردوغان إلى الدوحة.",
          "وأدلى الرئيس بتصريحات قال فيها إن العلاقات قوية.",
          "وأدلى أردوغان بتصريحات في مطار الدوحة قبيل مغادرته."],
         [None, "رجب طيب أردوغان", None]),
        # a continuation in the first person future is not a name («سنقرر»)
        (["قال وزير الخارجية التركي مولود تشاووش أوغلو إن بلاده سترد.",
          "وأضاف سنقرر موقفنا بعد الانتخابات."],
         ["مولود تشاووش أوغلو", "مولود تشاووش أوغلو"]),
        # a long title, then the name without a comma; a name after «خلال لقائه» is someone else's
        (["عبّر نائب وزير الخارجية الروسي المبعوث الخاص إلى الشرق الأوسط ميخائيل بوغدانوف عن تقدير بلاده للجهود التونسية.",
          "وقال وزير الخارجية خلال لقائه الرئيس محمود عباس إن الحل قريب."],
         ["ميخائيل بوغدانوف", None]),
        (["وقال العاهل الأردني الملك عبد الله الثاني إن الأردن سيرد بحزم."], ["عبد الله الثاني"]),
    ],
)
def test_more_reporting_forms(sentences: list[str], expected: list[str | None]) -> None:
    assert speakers(sentences) == expected


def test_a_quotation_signed_after_a_dash_is_the_signers() -> None:
    found = speakers([
        "كتب الرئيس الأمريكي دونالد ترامب تغريدة جديدة صباح اليوم.",
        "\"الإعلام يكذب دائما ولن نسكت\" — دونالد ترامب",
        "\"نحن مستعدون لكل الاحتمالات\" — وزارة الخارجية",
    ])
    assert found == [None, "دونالد ترامب", None]


@pytest.mark.parametrize(
    "sentences, title, expected",
    [
        # tatweel is no part of a name
        (["قال الرئيس الفرنسي إيمانويـل ماكرون إن أوروبا تحتاج إلى دفاع مشترك."], None, ["إيمانويل ماكرون"]),
        # a given name that reads like a pronoun ending stays before «بن»; «بن» alone stays alone
        (["وقال مدير المستشفى ملهم بن سعيد العمري إن الحالات مستقرة."], None, ["ملهم بن سعيد العمري"]),
        (["وأوضح بن حسين أن القائمات جاهزة."], None, ["بن حسين"]),
        # a place in the title's body, then an honorific and the name
        (["قال أمير منطقة حائل الأمير عبد العزيز بن سعد إن المنطقة تشهد نموا."], None, ["عبد العزيز بن سعد"]),
        (["وأكد أمير منطقة المدينة المنورة الأمير فيصل بن سلمان أن المشاريع ستنجز."], None, ["فيصل بن سلمان"]),
        # a king's name inside an institution («… للدراسات»), then the speaker set off by a comma
        (["وقال المدير التنفيذي لمركز الملك عبدالله للدراسات البترولية سامي الحربي، إن الطلب سيرتفع."],
         None, ["سامي الحربي"]),
        # a date between the verb and the subject
        (["أعلن اليوم الأحد 12 مارس 2017، وزير الصحة عبد الرؤوف الشريف أن الحملة ستنطلق قريبا."],
         None, ["عبد الرؤوف الشريف"]),
        # «علي» (normalised like the preposition «على») opening a headline name the article knows
        (["علي الزواري : الحكومة ستواصل الإصلاحات", "قال الوزير علي الزواري إن الحكومة ستواصل الإصلاحات."],
         "علي الزواري : الحكومة ستواصل الإصلاحات", ["علي الزواري", "علي الزواري"]),
        # an agency reporting a person's «تأكيده»
        (["نقلت وكالة الأنباء الرسمية عن وزير الخارجية خالد الناصر تأكيده أن بلاده لن تتدخل."],
         None, ["خالد الناصر"]),
        # a list mark before the verb
        (["* قالت وزيرة المرأة نزيهة العبيدي إن البرنامج سيشمل كل الولايات."], None, ["نزيهة العبيدي"]),
        # a one-word name the article knows stops before what he stressed
        (["قال طيب إن الدولة ستدعم الفلاحين.", "وأبرز طيب حرص الدولة على دعم الفلاحين."], None, ["طيب", "طيب"]),
        # a family name without its article is the person the article named in full
        (["قال وزير الفلاحة سمير الطيب إن الموسم جيد.", "وقال طيب، إن الحكومة شرعت في الإصلاح.",
          "وأبرز طيب حرص الدولة على دعم الفلاحين."], None, ["سمير الطيب"] * 3),
        # a family name with the article, then «بال…»
        (["وأشاد المنيفي بالجهود التي تبذلها قوات الأمن."], None, ["المنيفي"]),
        # two definite words are a name when the second speaks alone elsewhere in the article
        (["أعلن رئيس حزب الأمة القومي السوداني المعارض الصادق المهدي، عزمه تشكيل تكتل معارض جديد.",
          "ودعا المهدي، في كلمة له، إلى توحيد المعارضة."], None, ["الصادق المهدي"] * 2),
        (["قال رئيس الحكومة الحبيب الصيد إن الوضع صعب.", "وأضاف الصيد أن الحكومة ستعمل على الإصلاح."],
         None, ["الحبيب الصيد"] * 2),
        (["قال رئيس الحكومة التونسية إن الوضع صعب.", "وقالت الحكومة إن الإصلاح سيتواصل."], None, [None, None]),
        # two titles in a row: «مساعد وكيل الجمهورية» then «الناطق الرسمي باسم …»; «وفق ما أفاد به X»
        (["وفق ما أفاد به مساعد وكيل الجمهورية الناطق الرسمي باسم المحكمة الابتدائية بتونس سفيان السليطي.",
          "وأضاف السليطي ، أن القرار جاء بعد أن تقدم المكلف العام بمطلب."], None, ["سفيان السليطي"] * 2),
        # a family name Bel- («بالحاج» reads like «ب» + «ال») named in a headline
        (["رضا بالحاج : الوضع في العراق خطير", "قال رئيس الحزب إن الوضع خطير.",
          "ووصف بالحاج ما يحدث في العراق بالانتصاب الفوضوي، محذرا من خطورة الوضع."],
         "رضا بالحاج : الوضع في العراق خطير", ["رضا بالحاج", None, "رضا بالحاج"]),
        # «كل من» before several speakers is the first of them; «كل من يهمه الأمر» is no subject;
        # a place glued to «ب» ends the title, and the place in a headline does not speak
        (["بنزرت : إصابة 5 أشخاص في اصطدام سيارة", "قالت مديرة المستشفى سلمى فلاح إن الحالة مستقرة.",
          "ودعت كل من يهمه الأمر إلى التبرع بالدم.",
          "وأبرز كل من المدير الجهوي للصحة ببنزرت، سامي الرقيق و مدير المستشفى، الصحبي الظاهري أن الحالة خطيرة."],
         "بنزرت : إصابة 5 أشخاص في اصطدام سيارة", [None, "سلمى فلاح", "سلمى فلاح", "سامي الرقيق"]),
        # «المسؤول الروسي» points back to the Russian named before; «مسؤول روسي» and an
        # official whose name was not published are unnamed sources
        (["عبّر نائب وزير الخارجية الروسي ميخائيل بوغدانوف عن تقدير بلاده للجهود التونسية.",
          "ونوه المسؤول الروسي، وفق بلاغ لوزارة الخارجية، بالدور المهم لدول الجوار.",
          "وقال مسؤول روسي إن الحل قريب.",
          "وقال المسؤول الأمريكي إن الحل بعيد.",
          "وبحسب المسؤول الروسي، الذي لم يتم نشر اسمه، فإن الاجتماع تأجل."],
         None, ["ميخائيل بوغدانوف", "ميخائيل بوغدانوف", None, None, None]),
        # unknown words before a title's adjective were its body, not a name
        (["قال رئيس غامبيا الجديد اداما بارو، أمس الأحد، إن موارد البلاد استنزفت.",
          "قال مدير طرق الشرقية المكلف المهندس أحمد بن مهدي اليامي إن الطريق سيفتح.",
          "وأشار مدير طرق الشرقية المكلف إلى أن الوزارة ركبت وسائل السلامة."],
         None, ["اداما بارو", "أحمد بن مهدي اليامي", "أحمد بن مهدي اليامي"]),
        # a quote mark left open before «وأضاف» belongs to the paragraph before
        (["قال المحلل الأمريكي هنري باركي إن داعش يستهدف الأكراد.",
          "«وأضاف باركي: «التوترات داخل تركيا ليست فقط بين الأتراك والأكراد»."],
         None, ["هنري باركي", "هنري باركي"]),
        # a headline's unnamed title («محلل أمريكي:») is the one the article names; a bare
        # «مسؤول:» names no one
        (["محلل أمريكي: داعش يستهدف الأكراد", "قال المحلل الأمريكي هنري باركي إن داعش يستهدف الأكراد."],
         "محلل أمريكي: داعش يستهدف الأكراد", ["هنري باركي", "هنري باركي"]),
        (["مسؤول: المحادثات مستمرة", "قال مسؤول تحدث مشترطا عدم نشر اسمه إن المحادثات مستمرة."],
         "مسؤول: المحادثات مستمرة", [None, None]),
        # «و» and a title is a second title, never a name
        (["دعا الرئيس السابق منصف المرزوقي ورئيس حزب حراك تونس الإرادة التونسيين للوقوف مع قطر."],
         None, ["منصف المرزوقي"]),
        # a person the article names speaking in a later clause of an organisation's sentence
        (["قالت الفنانة فاطمة الدبيسي إن الكتاب جاهز.",
          "وأشارت المجموعة إلى بعض الصعوبات التي واجهتها، وأضافت الدبيسي بأنه فن مثل باقي الفنون.",
          "وقالت الصحيفة إن الحفل كان كبيرا، وأبرزت صورة أخرى نظرة غاضبة من الضيوف."],
         None, ["فاطمة الدبيسي", "فاطمة الدبيسي", None]),
        # one definite word in quotes is an epithet, not a name
        (["ورفض النائب \"المستقل\" الكشف عن خفايا هذه الملفات وقال إنها كثيرة."], None, [None]),
        # an unnamed source's title runs on to no one's name («مسؤول … بدءا برئيس الجمهورية …»)
        (["قد يكون من الصعب العثور على مسؤول حكومي رفيع المستوى في فرنسا ينعم بالسعادة بدءا برئيس الجمهورية "
          "فرنسوا هولاند ورئيس الحكومة مانويل فالس.", "وقال هولاند إن الحكومة ستواصل الإصلاحات."],
         None, [None, "فرنسوا هولاند"]),
        # a compound «عبد …» goes on after two name words
        (["قال حسبو محمد عبد الرحمن إن الأسعار ارتفعت."], None, ["حسبو محمد عبد الرحمن"]),
    ],
)
def test_forms_labelled_in_fresh_articles(sentences: list[str], title: str | None, expected: list[str | None]) -> None:
    assert speakers(sentences, title=title) == expected


def test_a_title_heads_a_headline_for_the_person_the_article_names() -> None:
    headline = "وزير التربية يدعو المدرسين إلى العودة إلى الأقسام"
    found = speakers([headline, "قال وزير التربية ناجي جلول إن الدروس ستستأنف غدا."], title=headline)
    assert found == ["ناجي جلول", "ناجي جلول"]


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        # a post in apposition after «الدكتور … » is the person's title, for a later «نائب الرئيس»
        (["قال الدكتور سامر علي حسن نائب رئيس الجمهورية إن الحوار مستمر.",
          "ودعا نائب الرئيس المعارضة إلى المشاركة."],
         ["سامر علي حسن", "سامر علي حسن"]),
        # «د.»: the abbreviation's dot does not end the title; the name after it is not a body
        (["وقال د. خالد المنصور المدير العام للمستشفى إن العمل بدأ.",
          "وأكد د. خالد المنصور أهمية الاتفاق."],
         ["خالد المنصور", "خالد المنصور"]),
        (["من جانبها أشارت وكيلة الوزارة د. سلمى العتيبي إلى أهمية البرنامج."], ["سلمى العتيبي"]),
        # «فضيلته»، «سموه»: the person who has the floor
        (["وقال الشيخ عبدالله الصالح إن الشباب أمانة.", "وحذر فضيلته الشباب من دعاة الفتنة.",
          "وتساءل فضيلته: من المسؤول؟"],
         ["عبدالله الصالح", "عبدالله الصالح", "عبدالله الصالح"]),
        # «نور الدين»: one given name before the family name
        (["نفى رئيس الكتلة، صلاح الدين المرزوقي اليوم الخبر.", "وقال المرزوقي إن الخبر كاذب."],
         ["صلاح الدين المرزوقي", "صلاح الدين المرزوقي"]),
        # a set phrase before the verb («بهذه المناسبة»، «وفي هذا السياق»)
        (["بهذه المناسبة أكد رئيس مجلس الإدارة سامي الخالدي أن المبادرة مهمة."], ["سامي الخالدي"]),
        (["وفي هذا السياق، قال الوزير حاتم العش إن الملف مغلق."], ["حاتم العش"]),
        # «تحدث … عن»، «دان»
        (["تحدث سمير الفهري، رئيس الجمعية، عن صعوبات القطاع."], ["سمير الفهري"]),
        # «عن كتلة …»: an institution after a preposition is still the title's body
        (["قال النائب عن كتلة الوطن الحر كمال العبيدي خلال ندوة صحفية إن الكتلة ستطعن في القرار."],
         ["كمال العبيدي"]),
        # a lone family name, a circumstance, then what was said
        (["وأرسل المسؤول رسالة إلى جيمس كارتر.",
          "وقال كارتر خلال احتفال في مركز المدينة انه \"ينتظر هذا منذ سنوات\"."],
         [None, "كارتر"]),
        # … but not when no content follows the circumstance
        (["وقال كارتر خلال احتفال في مركز المدينة كلمات قليلة."], [None]),
    ],
)
def test_forms_labelled_in_the_dev_sample(sentences: list[str], expected: list[str | None]) -> None:
    assert speakers(sentences) == expected


def test_a_title_word_inside_a_name_is_the_name() -> None:
    # «قائد» in «الباجي قائد السبسي» is the family's, not a post that swallows the name
    found = speakers(["قال رئيس الجمهورية الباجي قائد السبسي إن الانتخابات في موعدها.",
                      "وعبر السبسي عن ارتياحه للنتائج.", "وأكد رئيس الجمهورية على ضرورة الحوار."])
    assert found == ["الباجي قائد السبسي"] * 3
    # … but a post before a definite word stays a post
    assert speakers(["قال قائد الجيش إن الوضع مستقر."]) == [None]


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        # a party named by a word and a country («نداء تونس»), then a comma and the name
        (["قال رئيس كتلة قلب تونس، كمال السعيدي إن الحملة ظالمة.",
          "ولم ينكر رئيس كتلة قلب تونس وجود خلافات داخل الحزب، مؤكدا أنها عادية."],
         ["كمال السعيدي", "كمال السعيدي"]),
        # an institution speaking «على لسان» a named person: the person's words
        (["نفت وزارة الداخلية، على لسان الناطق الرسمي باسمها العميد سامي الطرابلسي، ما تم تداوله."],
         ["سامي الطرابلسي"]),
        # «في وقت سابق» between the verb and the name
        (["وقالت في وقت سابق ليلى حداد رئيسة الجمعية: «الوضع صعب».", "وأضافت: «سنواصل العمل»."],
         ["ليلى حداد", "ليلى حداد"]),
        # «بيد أن» opens the clause; «فسر»، «استدرك» report
        (["قال الخبير منير الحمدي إن الأسعار ارتفعت.", "بيد ان الحمدي استدرك موضحا أن الطلب تراجع.",
          "وفسر الحمدي تراجع الطلب بالجفاف."],
         ["منير الحمدي", "منير الحمدي", "منير الحمدي"]),
        # a rank before the name, a region in the title
        (["قال المتحدث الرسمي بالدفاع المدني بمنطقة تبوك المقدم سالم العنزي، إن الحريق أخمد."], ["سالم العنزي"]),
        # «ضيف "برنامج"»: the guest who has the floor, not the programme
        (["أكد السياسي منير البارودي اليوم أن الأزمة عميقة.", "وقال ضيف \"بوليتيكا\" إن الحلول ممكنة."],
         ["منير البارودي", "منير البارودي"]),
        # «ل» and a noun after a title's adjective is what he directs, not a name
        (["قال المدير التنفيذي لسوق عكاظ هاني الزهراني إن المشروع اكتمل.",
          "وأفاد المدير التنفيذي لسوق عكاظ أن الخيمة تتكون من ثلاثة أجزاء."],
         ["هاني الزهراني", "هاني الزهراني"]),
        # «يشار إلى أن X أكد»: X's statement; «يذكر أن الوزارة …» is none
        (["يشار إلى أن وزير الإسكان ماجد الحربي أكد أن القروض ستصرف."], ["ماجد الحربي"]),
        (["يذكر أن الوزارة أعلنت أن القروض ستصرف."], [None]),
        # a full name set off by a comma, then the verb's object
        (["انتقد الأمين العام لحزب حركة مشروع تونس، محسن مرزوق التصريحات الأخيرة."], ["محسن مرزوق"]),
        # a preposition and a place before the comma still belong to the title
        (["وقال كاتب عام النقابة الأساسية للتعليم في بوحجلة، عادل الوصيفي في تصريح إن التحرك متواصل."],
         ["عادل الوصيفي"]),
    ],
)
def test_forms_labelled_in_the_second_dev_sample(sentences: list[str], expected: list[str | None]) -> None:
    assert speakers(sentences) == expected


def test_a_given_name_after_reporting_verbs_is_not_a_one_word_name() -> None:
    # «خميس» twice right after a verb, each time followed by the family name: the given name
    # of one person, not a second person who would split «خميس الجهيناوي» in two
    found = speakers(["الجهيناوي : العلاقات لم تنقطع", "أكد وزير الخارجية خميس الجهيناوي أن العلاقات قائمة.",
                      "وأوضح خميس الجهيناوي أن الوفد لم يعلم الوزارة.", "وأضاف خميس الجهيناوي أن التنسيق ضروري."],
                     title="الجهيناوي : العلاقات لم تنقطع")
    assert found[1:] == ["خميس الجهيناوي"] * 3


def test_members_of_a_delegation_are_a_group_not_a_person() -> None:
    found = speakers(["وصف أعضاء الوفد البرلماني الزيارة بأنها ناجحة.",
                      "وأكد رئيس الوفد، عبد العزيز القطي، أن الشعب يرفض المؤامرة."])
    assert found == [None, "عبد العزيز القطي"]


def test_a_headline_name_before_its_verb_is_known_to_the_body() -> None:
    # the headline names «محسن مرزوق» before «ينفي» (after a lead): in the body the name
    # ends there, not at the words of his statement that follow it
    headline = "استقالات من حركة مشروع تونس بصفاقس : محسن مرزوق ينفي"
    found = speakers([headline, "نفى الأمين العام لحركة مشروع تونس، محسن مرزوق وجود استقالات جماعية في صفوفها.",
                      "وقال مرزوق في تصريح إن الحركة متماسكة."], title=headline)
    assert found == ["محسن مرزوق"] * 3


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        # honorifics before the title («سمو»، «صاحب السمو الملكي»), then «سموه» goes on
        (["قال سمو الأمير خالد بن سلمان آل خليفة رئيس الوزراء: إن الوحدة سبيلنا.",
          "وشدد سموه على ضرورة العمل."], ["خالد بن سلمان آل خليفة"] * 2),
        (["وأكد صاحب السمو الملكي الأمير فهد الناصر أن المشروع مهم."], ["فهد الناصر"]),
        # a name of three ending with a family name «…ي» before a comma or أن
        (["وأوضح أحمد نجيب الشابي أن الحزب جاهز."], ["أحمد نجيب الشابي"]),
        (["وقال عادل الجبير الاتفاق مهم."], ["عادل الجبير"]),
    ],
)
def test_forms_labelled_in_the_fourth_dev_sample(sentences: list[str], expected: list[str | None]) -> None:
    assert speakers(sentences) == expected


# --- a fourth round (2026-12-07): general forms found in the dev samples -----------------


def test_a_title_whose_complement_reads_as_a_name_is_the_person_holding_it() -> None:
    """«أمير عسير» and «المدير التنفيذي لسوق عكاظ» are not people called «عسير» and «لسوق
    عكاظ»: the article names who holds that title."""
    found = speakers([
        "وجه أمير منطقة عسير الأمير فيصل بن خالد الجهات ذات العلاقة بتسمية الطرق.",
        "وأكد أمير عسير أن تخليد الأسماء أقل ما يقدم.",
    ])
    assert found == [None, "فيصل بن خالد"]
    found = speakers([
        "وأوضح المدير التنفيذي لسوق عكاظ الدكتور راشد الغامدي، أن المشروع سيكتمل هذا العام.",
        "وأفاد المدير التنفيذي لسوق عكاظ أن الخيمة تتكون من ثلاثة أجزاء.",
    ])
    assert found == ["راشد الغامدي"] * 2


def test_a_noun_with_dhat_after_a_name_is_not_part_of_the_name() -> None:
    found = speakers(["دعا الأمير سعود بن نايف بن عبدالعزيز الجهات ذات العلاقة إلى الإسراع."])
    assert found == ["سعود بن نايف بن عبدالعزيز"]


def test_a_headline_title_with_a_country_is_the_person_of_that_country() -> None:
    """«وزيرة ألمانية تحذر …»: the German minister named below, not a «الوزيرة» read
    before an object («وانتقدت الوزيرة ترامب»)."""
    headline = "وزيرة ألمانية تحذر من حرب على المسلمين"
    body = [
        headline,
        "حذرت وزيرة الدفاع الألمانية أورسولا فون دير لاين، الولايات المتحدة من أي خطاب متشدد.",
        "وانتقدت الوزيرة ترامب في كلمتها أمام المؤتمر.",
    ]
    assert speakers(body, title=headline)[:2] == ["أورسولا فون دير لاين"] * 2


def test_a_former_holder_in_a_headline_is_a_title_not_a_name() -> None:
    headline = "وزير سويدي سابق : ماذا كان يقصد الرئيس؟"
    assert speakers([headline, "طلبت السفارة تفسيرا للتصريح."], title=headline) == [None, None]


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (["وثمن الدكتور سالم القحطاني جهود الوزارة في دعم التعليم."], ["سالم القحطاني"]),
        (["لاحظ رئيس الجامعة الجهوية للنزل، هشام العمري، عودة بطيئة للأسواق."], ["هشام العمري"]),
        (["وألقى الشيخ أحمد السعدي كلمة أشاد فيها بدور المملكة."], ["أحمد السعدي"]),
        (["وشرحت النائبة سميرة الزواري أن قرار الاستقالة نهائي."], ["سميرة الزواري"]),
        (["وخلصت الكاتبة ألفة الطرابلسي إلى أن الشعب يرفض العنف."], ["ألفة الطرابلسي"]),
        (["وأرجع الخبير وانغ تاو، كبير الاقتصاديين، السبب إلى ركود الطلب."], ["وانغ تاو"]),
        (["طلب رئيس الوزراء الهندي نارندرا مودي دعم المعارضة للإصلاحات."], ["نارندرا مودي"]),
        # participles of reporting verbs go on with the speaker
        (["قال الوزير علي العريض إن الحكومة ماضية في الإصلاح.",
          "مثمنا جهود النقابات في الحوار."], ["علي العريض"] * 2),
        (["وأكد المدير سامي الحربي أن العمل متواصل.",
          "متمنيا التوفيق للجميع."], ["سامي الحربي"] * 2),
    ],
)
def test_forms_of_the_fourth_round(sentences: list[str], expected: list[str | None]) -> None:
    assert speakers(sentences) == expected


def test_the_same_source_goes_on_with_the_one_who_spoke() -> None:
    found = speakers([
        "قال مدير الاتصال بالشركة جلال الورتاني إن القافلة انطلقت صباح اليوم.",
        "وأضاف المصدر نفسه أن المساعدات تشمل مواد غذائية.",
        "وأكد نفس المسؤول أن قافلة ثانية ستنطلق الأسبوع المقبل.",
    ])
    assert found == ["جلال الورتاني"] * 3
    # after an unnamed source, «المصدر ذاته» is still nobody
    assert speakers(["قال مصدر أمني إن الأبحاث متواصلة.", "وأضاف المصدر ذاته أن المشتبه به فر."]) == [None, None]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("انطلقت القافلة اليوم، وفق ما أكده مدير الاتصال بالشركة، جلال الورتاني.", "جلال الورتاني"),
        ("تشكو الشركة من عجز كبير وفق ما صرح به عبد الجليل الزغل رئيس مدير عام الشركة.", "عبد الجليل الزغل"),
        ("وأغلقت الطريق، حسب ما أفادنا به المعتمد سامي الورغي.", "سامي الورغي"),
        # not a person: what a text says, a place run into the title, an agency, an outlet's reporter
        ("قرر المكتب عقد جلسة، وفق ما جاء به نص القرار.", None),
        ("رفعت 965 مخالفة، وفق ما صرح به المدير الجهوي للتجارة بنابل لمراسلتنا.", None),
        ("توفي موقوف بالسجن، وفق ما أكده مسؤول أمني لوكالة تونس إفريقيا للأنباء.", None),
        ("تأجلت الجلسة، حسب ما أكدته مراسلة الجوهرة بالجهة.", None),
        ("التقى الرئيس وفدا فرنسيا، وفق ما أعلنته رئاسة الجمهورية.", None),
        ("ووضعت الخطة وفق مفردات المادة الدراسية.", None),
    ],
)
def test_according_to_what_someone_said(sentence: str, expected: str | None) -> None:
    assert speakers([sentence]) == [expected]


def test_a_plural_verb_after_yudhkar_anna_is_not_one_persons_statement() -> None:
    assert speakers(["يذكر أن ممثلو الادعاء كانوا يطلبون الحكم بالسجن عشر سنوات."]) == [None]


def test_a_preposition_cut_off_by_a_quote_is_not_part_of_the_name() -> None:
    assert speakers(['قال مدير الشركة، جلال الورتاني ل"الجوهرة أف أم" إن العمل متواصل.']) == ["جلال الورتاني"]


def test_a_title_word_after_a_given_name_at_the_subjects_end_is_the_family_name() -> None:
    """«المهندس عدنان السيد،»: «السيد» is his family name, not «Mr.»; «المهندس السيد» later
    is him, by the title right before his name."""
    found = speakers([
        "كشف وكيل أمين المنطقة للدراسات المهندس عدنان السيد، أن الأمانة نفذت مشاريع للسيول.",
        "أما فيما يتعلق بمشاريع الطرق، فأوضح المهندس السيد، أن الأمانة نفذت عددا كبيرا من الطرق.",
        "وأشار إلى أن العمل متواصل.",
    ])
    assert found == ["عدنان السيد"] * 3
    assert speakers(["وأبرز نفس المصدر أنه تم حجز الأسلحة."]) == [None]


def test_an_indefinite_role_is_not_a_one_word_name() -> None:
    assert speakers(['أشارت صحفية على قناة "بي أف ام تي في" أنه تم تسخير 200 رجل أمن.']) == [None]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("أفاد رئيس المكتب التنفيذي للنقابة الموحدة لأعوان الديوانة رضا الورغي اليوم بأن المكتب سيجتمع.",
         "رضا الورغي"),
        ("وذكرت رئيسة الإعلام في الخيمة النسائية لمهرجان حفر الباطن فاطمة الشمري أن الخيمة تضم أركانا.",
         "فاطمة الشمري"),
        ("وقال لطفي الزيتون إن الحزب موحد.", "لطفي الزيتون"),
    ],
)
def test_a_title_complement_with_li_before_the_name(sentence: str, expected: str) -> None:
    """«… لأعوان الديوانة رضا …»: «ل» and a noun close the title, the name comes after."""
    assert speakers([sentence]) == [expected]


def test_a_full_name_after_kana_before_its_verb_speaks() -> None:
    assert speakers(["وكان آدم كارامان قال لصحيفة «حرييت» إن «الشحنات هربت عبر الحدود»."]) == ["آدم كارامان"]
    assert speakers(["وكانت نقابة القيمين أعلنت الخميس الماضي الدخول في إضراب."]) == [None]
    assert speakers(["وكان شاب أفغاني يبلغ من العمر 17 عاما قد هاجم ركاب قطار."]) == [None]


def test_condolences_and_thanks_are_what_wajjaha_delivers() -> None:
    found = speakers(["قال السفير الأميركي دانيال روبنز إن بلاده تدعم تونس.",
                      "ووجه السفير الأميركي تعازيه لأهالي الضحايا في تصريح صحفي."])
    assert found == ["دانيال روبنز"] * 2


def test_an_epithet_of_the_minister_speaking_goes_on_with_him() -> None:
    got = speakers([
        "قال وزير الخارجية الأميركي جون كيري إن الحوار هو الحل.",
        "واعتبر أن المنطقة تحتضن شعوبا مليئة بالأمل.",
        "ووصف رئيس الدبلوماسية الأميركية المنطقة بأنها موطن الأصدقاء.",
        "وأعلن أن الاستراتيجية هي مساعدة المنطقة.",
    ])
    assert got == ["جون كيري"] * 4


def test_an_epithet_from_another_country_is_not_the_one_speaking() -> None:
    got = speakers([
        "قال وزير الخارجية الأميركي جون كيري إن الحوار هو الحل.",
        "ووصف رئيس الدبلوماسية الروسية الاتفاق بأنه خطوة مهمة.",
        "وأضاف أن العمل سيستمر.",
    ])
    assert got == ["جون كيري", None, None]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("وأوضحت المسنة صفية علي الألمعي أن الأسعار تتفاوت حسب نوع القماش.", "صفية علي الألمعي"),
        ("اتهمت المواطنة حنان بن زيد إحدى المصحات الخاصة بارتكاب خطأ طبي.", "حنان بن زيد"),
    ],
)
def test_a_womans_role_no_list_knows_before_her_name(sentence: str, expected: str) -> None:
    assert speakers([sentence]) == [expected]


def test_a_given_name_with_the_article_is_not_a_role() -> None:
    got = speakers(["كشف الباجي قايد السبسي اليوم عن تراجع مستثمر أجنبي عن الاستثمار."])
    assert got in ([None], ["الباجي قايد السبسي"])  # never «قايد السبسي» with «الباجي» for a role


def test_another_post_of_the_same_country_is_not_an_epithet() -> None:
    got = speakers([
        "وقال وزير النقل اليمني بدر باسلمة إن نحو ألف شخص قتلوا.",
        "وأوضح وزير الداخلية اليمني أن الحكومة تعمل على إعادة تشغيل المطار.",
    ])
    assert got == ["بدر باسلمة", None]


@pytest.mark.parametrize(
    "sentence",
    [
        "وقالت الأمانة أصحاب العقارات إلى مراجعة الإدارة.",  # a plural noun, not a name
        "وتابعت القصة فقلت لها : وقد أرسل الرسالة.",  # a verb and its object
        "وكما تشير الصورة فإن جين فوندا ليست مخضرمة في التمثيل فحسب.",  # what a picture shows
    ],
)
def test_a_feminine_noun_before_words_that_are_no_name(sentence: str) -> None:
    assert speakers([sentence]) == [None]


@pytest.mark.parametrize(
    ("headline", "body", "expected"),
    [
        ("رئيس وزراء البحرين: التمسك بالوحدة الوطنية سبيلنا",
         "قال سمو الأمير خليفة بن سلمان آل خليفة رئيس وزراء البحرين إن التمسك بالوحدة الوطنية واجب.",
         "خليفة بن سلمان آل خليفة"),
        ("نائب تركي يطالب بإعادة فتح ملف الفساد",
         "طالب نائب حزب الشعب الجمهوري عن مدينة إسطنبول، محمود تانال، بإعادة فتح الملف.",
         "محمود تانال"),
    ],
)
def test_a_headline_led_by_a_title_is_the_one_the_body_quotes_with_it(headline: str, body: str, expected: str) -> None:
    assert speakers([headline, body], title=headline) == [expected, expected]


@pytest.mark.parametrize(
    ("headline", "body"),
    [
        # a former holder is not the one quoted now
        ("رئيس غامبيا السابق يؤكد أن الخزينة فارغة",
         "قال الرئيس الغامبي اداما بارو إن الخزينة فارغة."),
        # another country's minister
        ("وزير الخارجية الأمريكي: لا اتفاق قريبا",
         "قال وزير الخارجية الإيراني محمد جواد ظريف إن الاتفاق قريب."),
        # an action, not a statement
        ("وزير داخلية ألمانيا يبدأ جولة مغاربية",
         "قال وزير الداخلية الألماني توماس دي ميزيير إن الجولة تهدف إلى تسريع الترحيل."),
    ],
)
def test_a_headline_title_that_is_not_the_body_speakers(headline: str, body: str) -> None:
    assert speakers([headline, body], title=headline)[0] is None


def test_a_known_name_with_a_given_name_before_it_ends_there() -> None:
    headline = "بعد أخبار عن نية مية الجريبي اعتزال السياسة : نجيب الشابي يوضح"
    got = speakers([
        headline,
        "نفى أحمد نجيب الشابي اعتزام مية الجريبي، الأمينة العامة للحزب الجمهوري اعتزال العمل السياسي.",
        "وقال الشابي، ضيف برنامج بوليتيكا اليوم إنه على اتصال دائم بها.",
    ], title=headline)
    assert got == ["أحمد نجيب الشابي"] * 3  # not «أحمد نجيب الشابي اعتزام»


def test_imam_with_its_hamza_is_a_title_not_the_preposition() -> None:
    got = speakers([
        "وقال إمام المسجد النبوي الشريف الشيخ عبدالمحسن القاسم إن على العلماء واجبا تجاه الشباب.",
        "وقال أمام الصحفيين إن الخطبة كانت عن الشباب.",  # «أمام»: in front of, he goes on
    ])
    assert got == ["عبدالمحسن القاسم", "عبدالمحسن القاسم"]


def test_an_honorific_inside_a_title_before_the_name() -> None:
    got = speakers([
        "أوصى إمام وخطيب المسجد الحرام فضيلة الشيخ الدكتور سعود بن إبراهيم الشريم المسلمين بتقوى الله.",
        "وأوضح إمام وخطيب المسجد الحرام أن التغافل قيمة رحبة تتسع للجميع.",
        "وفي المدينة المنورة تحدث فضيلة إمام وخطيب المسجد النبوي الشيخ صلاح البدير في خطبة الجمعة عن متاع الدنيا.",
    ])
    assert got == [None, "سعود بن إبراهيم الشريم", "صلاح البدير"]


def test_a_family_name_of_three_before_a_title_in_apposition() -> None:
    got = speakers(["وأوضح الدكتور محمد إسماعيل الزعبي المدير الطبي في العيادات السعودية، أن العيادات استقبلت 970 حالة."])
    assert got == ["محمد إسماعيل الزعبي"]  # not «محمد إسماعيل»: «الزعبي» ends his name, «المدير» is his post


def test_a_given_name_known_alone_goes_on_to_a_family_name_of_three() -> None:
    got = speakers([
        "وقالت صفية إن الزي النسائي كان يستغرق تفصيله مدة أربعة شهور.",
        "وتشير المسنة صفية علي الألمعي، إلى أن الأزياء الشعبية أحد عناصر التراث.",
        "وقالت صفية إن الزي كان يصنعه رجال متمرسون.",
        "وأوضحت المسنة صفية علي الألمعي أن الأسعار تتفاوت تبعا لنوع القماش.",
    ])
    assert got == ["صفية علي الألمعي"] * 4  # «صفية» known alone does not cut «صفية علي الألمعي»


def test_a_family_name_that_ends_like_a_pronoun() -> None:
    got = speakers([
        "قال كارل هينز رومنيجه الرئيس التنفيذي لنادي بايرن ميونيخ اليوم إن النادي توصل لاتفاق.",
        "وقال رومنيجه للصحفيين إن اللاعب سينضم الأسبوع المقبل.",
        "وأكد ترشحه للانتخابات المقبلة.",
    ])
    assert got[:2] == ["كارل هينز رومنيجه"] * 2
    assert speakers(["وأكد الوزير محمد علي دعمه للقرار."]) != ["محمد علي دعمه"]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("في البداية أشاد مطلق البقمي بما شاهده من فعاليات المهرجان.", "مطلق البقمي"),
    ("وتساءل عما إذا كان من الممكن قبول الزيارة.", None),
])
def test_ma_after_a_preposition_is_no_name(sentence: str, expected: str | None) -> None:
    assert speakers([sentence]) == [expected]  # «بما»، «عما»: what he saw, whether: not a name


def test_added_his_saying_goes_on_with_the_speaker() -> None:
    got = speakers([
        "وقال وزير الخارجية خميس الجهيناوي إن تونس تدعم الحل السياسي.",
        'واضاف قوله " لسنا ضد أي تحرك دبلوماسي خارجي لكن نؤكد على التنسيق".',
    ])
    assert got == ["خميس الجهيناوي"] * 2  # «أضاف قوله»: what he said, not someone called «قوله»


# --- where the reporting verb does not open the sentence ----------------------------


def test_a_verb_after_sabaqa_an_speaks() -> None:
    assert speakers(["وسبق أن طالب الرئيس التركي رجب طيب أردوغان بالإفراج عن المعتقلين."]) == ["رجب طيب أردوغان"]
    assert speakers(["وسبق أن زار الرئيس التركي رجب طيب أردوغان الدوحة."]) == [None]


def test_a_speaker_after_yushar_ila_an_past_an_apposition() -> None:
    sentence = (
        "يشار إلى أن رافع بن عاشور، رئيس المؤتمر الاول لحركة نداء تونس المنعقد يومي 9 و10 جانفي الحالي بسوسة، "
        "كان أعلن أن نبيل القروي سيكون من بين أعضاء الهيئة."
    )
    assert speakers([sentence]) == ["رافع بن عاشور"]
    assert speakers(["يذكر أن الوزير محمد العلي كان أكد أن الوضع خطير."]) == ["محمد العلي"]
    assert speakers(["يذكر أن محمد العلي، وزير الصحة، زار تونس أمس."]) == [None]


def test_a_subheading_run_into_the_sentence_before_qala() -> None:
    sentence = (
        "تشتت آليات التشغيل قال ميلود العوام رئيس جمعية المعطلين عن العمل بمدنين لمراسلة الجوهرة اف ام، "
        "إنهم يحتجون اليوم بسبب تشتت آليات التشغيل."
    )
    assert speakers([sentence]) == ["ميلود العوام"]
    assert speakers(["انقطاع الصلة يقول عبدالمجيد سعد -طالب جامعي-: كثير من الناس تحصل بينهم مشاكل بسيطة."]) == [
        "عبدالمجيد سعد"
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "وبصوت ملئ بالأمل قال لي عمر: يعني سنتزوج؟",  # «لي»: to the writer, not a name
        "تضيق أخلاقنا يقول معلم الأمة (من لم يدع قول الزور فليس لله حاجة أن يدع طعامه)",  # no «إن» or colon
        "الوضع كما قال محمد العلي إن شاء الله.",  # «كما»: a comparison, not a subheading
        "وهو ما قال محمد العلي إنه سيحدث.",  # a relative before the verb
    ],
)
def test_what_is_no_subheading_before_qala(sentence: str) -> None:
    assert speakers([sentence]) == [None]


def test_thanks_and_congratulations_raised_or_offered_are_words() -> None:
    assert speakers(["ورفع وزير الحج الدكتور بندر بن محمد حجار التهاني والتبريكات لخادم الحرمين الشريفين."]) == [
        "بندر بن محمد حجار"
    ]
    assert speakers(["وتقدم الوزير محمد العلي بالشكر للحضور."]) == ["محمد العلي"]
    found = speakers([
        "قال وزير الإسكان ماجد الحقيل إن الوزارة ستعمل على خطة جديدة.",
        "ورفع الحقيل أسمى آيات التهاني للقيادة.",
    ])
    assert found == ["ماجد الحقيل", "ماجد الحقيل"]


@pytest.mark.parametrize(
    "sentence",
    [
        "ورفعت الشركة الأسعار بنسبة 5 في المئة.",
        "وتقدم المنتخب الوطني إلى المركز الثاني في الترتيب.",
        "ورفع الوزير محمد العلي يده محييا الجماهير ثم غادر وسط التهاني.",  # thanks too far from him
    ],
)
def test_raising_or_advancing_without_thanks_is_no_statement(sentence: str) -> None:
    assert speakers([sentence]) == [None]


def test_a_headline_that_raises_no_thanks_is_no_statement() -> None:
    headline = "دورتموند يرفع السعة الاستيعابية لاستاد سيجنال إيدونا"
    assert speakers([headline, "وقال النادي إن الملعب سيتسع لمزيد من المشجعين."], title=headline)[0] is None


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("وقال المشرف العام على مركز الملك سلمان للإغاثة الدكتور عبدالله الربيعة إن المساعدات وصلت.", "عبدالله الربيعة"),
        ("كما يؤكد المدير التنفيذي للمجلس المصري للشؤون الخارجية السفير أمين شلبي على أن مصر لم تعاد أحدا.", "أمين شلبي"),
        ("وقال أمين عام الحزب محمد العلي إن الحزب قوي.", "محمد العلي"),  # «أمين عام»: the title
        ("وقال الدكتور أمين السر خالد الأحمد إن الوضع خطير.", "خالد الأحمد"),  # «أمين السر»: the title
    ],
)
def test_a_supervisor_and_the_given_name_amin(sentence: str, expected: str) -> None:
    assert speakers([sentence]) == [expected]


def test_an_honoured_noun_is_no_supervisor() -> None:
    found = speakers([
        "وأوضح مدير عام مصنع كسوة الكعبة المشرفة الدكتور محمد باجودة أن المصنع يعمل بكامل طاقته.",
        "وأضاف: هذا الإنجاز المشرف يأتي ضمن سلسلة كبيرة من الإنجازات، مشيراً إلى أن العمل مستمر.",
        "كما أصبح يتميز بأحدث الأنظمة التي تسهم في صناعة كسوة الكعبة المشرفة, ويعتبر المصنع الوحيد في العالم.",
        "وأشار مدير عام المصنع أن من أقسام المصنع قسم الحزام وقسم خياطة الثوب.",
    ])
    assert found == ["محمد باجودة", "محمد باجودة", None, "محمد باجودة"]


def test_a_post_in_apposition_after_a_title_and_name_refers_back() -> None:
    found = speakers([
        "ويعلق السفير الدكتور أمين شلبي، المدير التنفيذي للمجلس المصري للشؤون الخارجية، على الحادث.",
        "وقال وزير الخارجية سامح شكري إن مصر تدين الهجوم.",
        "كما يؤكد المدير التنفيذي للمجلس المصري للشؤون الخارجية على أن مصر لم تتخذ موقفا معاديا.",
    ])
    assert found[2] == "أمين شلبي"


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("قال النائب عن حزب صوت الفلاحين، فيصل التبيني، إن تونس أصبحت دولة الفساد.", "فيصل التبيني"),  # the party's name
        ("واستنكر سكرتير المجلس البلدي لمحافظة القطيف السابق عبدالله شهاب، العمل الارهابي.", "عبدالله شهاب"),
        ("ولفت العميد ركن أحمد عسيري إلى أن العمل الإغاثي مستمر.", "أحمد عسيري"),  # «ركن» goes with the rank
        ("وقال وزير إعلام جنوب السودان مايكل مكواي، في تصريحات صحفية إن الخبر كاذب.", "مايكل مكواي"),
        ("وكانت النائبة في الكنيست الإسرائيلي، تمار زندبيرج، صرحت أخيرا بأن بلادها تتعاون.", "تمار زندبيرج"),
    ],
)
def test_party_names_secretaries_ranks_and_adverbs_are_no_speakers(sentence: str, expected: str) -> None:
    assert speakers([sentence]) == [expected]


@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("وقال لـ\"الوطن\" الوزير محمد العلي إن الوضع جيد.", "محمد العلي"),  # the paper spoken to
        ("من جانبه أكد لـ»المدينة» المهندس صديق واصل مدير إدارة الثقافة أن المهرجان ناجح.", "صديق واصل"),
        ("وأوضح - صالح عباس، مدير عام الهيئة العامة للسياحة - أن وجود الحرفيين مهم.", "صالح عباس"),
        ("صرح المتحدث الرسمي للهيئة الوطنية لمكافحة الفساد «نزاهة» عبدالرحمن العجلان، أنه تم القبض على المتهم.",
         "عبدالرحمن العجلان"),  # the body's own name in quotes
        ("قال القيادي في حزب \"حراك تونس الإرادة\"، طارق الكحلاوي، إن الزيارة فاشلة.", "طارق الكحلاوي"),
        ("أكد زعيم كوريا الشمالية \"كيم جونغ أون\" خلال زيارته إلى مصنع حربي أن بلاده قوية.", "كيم جونغ أون"),
        ("وأكد وزير الشؤون البلدية المهندس عبداللطيف آل الشيخ، أن الأمانة تميزت.", "عبداللطيف آل الشيخ"),
        ("من ناحيته قدم أمين الأحساء المهندس عادل الملحم، شكره وتقديره للوزير لدعمه.", "عادل الملحم"),
    ],
)
def test_what_stands_between_the_verb_and_the_speaker(sentence: str, expected: str) -> None:
    assert speakers([sentence]) == [expected]


@pytest.mark.parametrize(
    "sentence",
    [
        "وكان الرئيس يتحدث أمام حشد عندما قال -فيما يتعلق بالحاجة إلى الأمن- \"انظروا إلى ما يحدث\".",  # an aside
        "وقدم الوزير محمد العلي أرقاما جديدة عن النمو.",  # numbers, not thanks
    ],
)
def test_an_aside_after_the_verb_or_an_offer_is_no_named_statement(sentence: str) -> None:
    assert speakers([sentence]) == [None]


def test_a_group_in_a_headline_is_no_person_whose_name_a_title_takes() -> None:
    headline = "أهالي القطيف: جريمة نكراء تنافي القيم الأخلاقية"
    found = speakers([
        headline,
        "أدان أهالي محافظة القطيف التفجير الإرهابي الذي استهدف المسجد.",
        "وأدان محافظ القطيف خالد الصفيان حادث التفجير الإجرامي، مشيرا إلى أن منفذه إرهابي.",
        "وتساءل قائلا: هل نحمي الوطن من الأعداء أم من الأبناء؟",
    ], title=headline)
    assert found == [None, None, "خالد الصفيان", "خالد الصفيان"]


@pytest.mark.parametrize("sentence", ["وقال", "وأوضح -", "وقال لـ", 'قال لـ "', "وسبق أن", "يشار إلى أن محمد،", "قال: "])
def test_sentences_cut_short_after_the_verb_are_no_statements(sentence: str) -> None:
    assert speakers([sentence]) == [None]


def test_two_definite_words_before_a_post_in_apposition_are_a_name() -> None:
    found = speakers([
        "وقال البحري الهذيلي كاتب عام الاتحاد المحلي للشغل بالشابة، إن مجموعة صغيرة أغلقت الطريق.",
        "وأضاف في تصريح للجوهرة اف ام أن تعزيزات أمنية وصلت.",
    ])
    assert found == ["البحري الهذيلي", "البحري الهذيلي"]
    # a form of address before another name is no post: the name is after it
    assert speakers(["يؤكد المرجع الديني آية الله السيد الصرخي أن التصريحات خطيرة."]) != ["المرجع الديني"]


def test_a_verb_tells_a_womans_gender_over_a_mans_form_of_her_post() -> None:
    headline = "سميرة الشواشي: لهذه الأسباب استقلت من حزب المبادرة"
    found = speakers([
        headline,
        "أكدت سميرة الشواشي، عضو حزب المبادرة في تصريح لإذاعة محلية خبر استقالتها من الحزب.",
        "وشرحت أن قرار الاستقالة يأتي بسبب معاتبة بعض أعضاء الحزب لها.",
    ], title=headline)
    assert found == ["سميرة الشواشي"] * 3


def test_whoever_comes_after_a_date_speaks() -> None:
    assert speakers([TRUMP, "وقال اليوم مصدر أمني إن الوضع مستقر."]) == ["دونالد ترامب", None]
    found = speakers([
        "قال اليوم الاثنين وزير المالية التونسي سليم شاكر إن الاقتصاد سيتعافى.",
        "وقال مسؤول في الوزارة إن الأمر صعب.",
        "وأكد أمس الأحد وزير المالية أن الإصلاحات ستتواصل.",
    ])
    assert found == ["سليم شاكر", None, "سليم شاكر"]


@pytest.mark.parametrize("sentence", [
    "وقال أحد المسؤولين إن الأسعار سترتفع.",
    "وأكد بعض السكان أن المياه منقطعة منذ أسبوع.",
    "وقال عدد من المسؤولين إن الأسعار سترتفع.",
])
def test_one_of_a_group_is_an_unnamed_source_not_the_speaker_before(sentence: str) -> None:
    assert speakers([TRUMP, sentence, "وأضاف أن القرار نهائي."]) == ["دونالد ترامب", None, None]


def test_one_of_a_group_named_after_the_group_speaks() -> None:
    found = speakers([
        "وتحدث أحد أعضاء الفريق حسن أبو السعود عن الأفكار الجديدة لهذا العام.",
        "وأضاف أن التسجيل مفتوح للجميع.",
    ])
    assert found == ["حسن أبو السعود", "حسن أبو السعود"]


def test_a_womans_post_after_a_mans_is_a_second_person() -> None:
    found = speakers([
        "قال محافظ البنك المركزي إن إقلاع الاقتصاد سيكون بدءا من 2017.",
        "يشار إلى أنه تم تنظيم مؤتمر صحفي مشترك بين محافظ البنك المركزي التونسي الشاذلي العياري وممثلة "
        "الصندوق الدولي بمكتب تونس جورجيا ألربيرتان اليوم.",
        "وأوضحت ألربيرتان أن نسبة النمو ستكون في حدود 2.5 بالمائة.",
    ])
    assert found[0] != "جورجيا ألربيرتان"
    assert found[2] == "جورجيا ألربيرتان"
    # a man's form of a post after a woman's is hers too
    assert speakers([
        "من جانبها، ثمنت الكاتبة ومدير تحرير مجلة المنظمة مها عقيل، فوز المرأة بالانتخابات.",
    ]) == ["مها عقيل"]


def test_every_post_in_apposition_refers_back_to_the_person() -> None:
    found = speakers([
        "وأوضح العميد ركن أحمد عسيري، المتحدث باسم قوات التحالف، المستشار في مكتب وزير الدفاع السعودي، "
        "أن العمليات مستمرة.",
        "وقال المتحدث باسم قوات التحالف في اتصال هاتفي، إن العمل يحتاج لوقت.",
        "وأشار المستشار في مكتب وزير الدفاع السعودي إلى أن المراحل لا تنفذ في وقت واحد.",
    ])
    assert found == ["أحمد عسيري"] * 3


def test_the_preacher_of_a_sermon_goes_on_as_his_eminence() -> None:
    found = speakers([
        "استنهض إمام وخطيب المسجد النبوي الشريف الشيخ عبدالمحسن القاسم - في خطبة الجمعة أمس - العلماء "
        "وطلبة العلم لصد العابثين بعقول الشباب.",
        "وحذر فضيلته الشباب من الانصياع لمخططات الأعداء.",
    ])
    assert found == [None, "عبدالمحسن القاسم"]


def test_representative_as_a_post_and_as_represented_by() -> None:
    assert speakers(['وعن هذه الشراكة قال ممثل "يورو سبورت عربية" إدوارد غريفيود: "نعتز بهذه الاتفاقية".']) == [
        "إدوارد غريفيود"]
    assert speakers(["وقالت ممثلة الاتحاد الأوروبي فيديريكا موغيريني إن الحوار هو الحل."]) == ["فيديريكا موغيريني"]
    found = speakers([
        "ووصل إلى المطار وفد ممثلا بالرئيس عبد ربه منصور هادي رئيس الجمهورية.",
        "وأكد رئيس الجمهورية أن الشعب اليمني لن ينسى المواقف.",
    ])
    assert found == [None, "عبد ربه منصور هادي"]


@pytest.mark.parametrize("word", ["ولذلك", "لذلك", "وبذلك", "لهذا", "ولهذا", "وهذه", "فلذلك"])
def test_a_demonstrative_with_what_is_glued_to_it_is_no_name(word: str) -> None:
    tokens = tokenize(f"ممثلة، {word} أستطيع")
    assert not name_word(tokens, 2)


def test_the_person_a_relative_clause_reports() -> None:
    assert speakers(["ويتناقض ذلك مع رأي الرئيس الفرنسي فرنسوا هولاند الذي قال إن اليونان يجب أن تبقى."]) == [
        "فرنسوا هولاند"]
    assert speakers(["من هؤلاء النائب الجمهوري دينيس روس، الذي قال: «الاتفاق سيئ»."]) == ["دينيس روس"]
    # not a role in apposition, nor a speech's own relative clause
    assert speakers(["ومن بين هؤلاء مسعود هونارماندي، رجل أعمال، الذي قال: «الملالي يخشون التغيير»."]) != [
        "أعمال"]
    assert speakers(["وهي الخطوة التي قال إنها ستنجح."]) == [None]


def test_an_agency_quoting_a_person_whose_post_comes_before_that() -> None:
    assert speakers([
        "ونقلت صحيفة ميرور عن كواك سيونغ، الذي خدم في أمن الدولة في البلاد 40 عاما، أن كيم أمر بذلك.",
    ]) == ["كواك سيونغ"]
    assert speakers([
        "ونقل موقع شانا الإخباري عن محسن قمصري مدير الشؤون الدولية في شركة النفط أن الصادرات سترتفع.",
    ]) == ["محسن قمصري"]
    # another name after a comma: the post before it was read as the name
    assert speakers([
        "ونقلت شبكة إن بي سي نيوز عن المتحدث باسم مركز مين الطبي، مات بول، أن الرئيس بخير.",
    ]) != ["مين الطبي"]


def test_thanks_and_condolences_delivered_after_a_long_post() -> None:
    assert speakers([
        "رفع معالي المشرف العام على مركز الملك سلمان للإغاثة الدكتور عبدالله الربيعة الشكر للقيادة الرشيدة.",
    ]) == ["عبدالله الربيعة"]
    assert speakers(["وقدم مدير الإدارة محمد العلي تعازي ومواساة القيادة لأسر الشهداء."]) == ["محمد العلي"]
    # a name inside the post is no speaker of thanks
    assert speakers(["وقدم مدير مطار الملك خالد الدولي شكره الجزيل لجميع الجهات."]) == [None]


def test_a_fathers_name_after_bin_whatever_the_word() -> None:
    found = speakers([
        "وقال المتحدث الرسمي لهيئة الهلال الأحمر السعودي بمنطقة المدينة المنورة خالد بن مساعد السهلي :إن "
        "عملية الإسعاف تمت.",
        "وأضاف: تم نقل 4 حالات عن طريق الإسعاف الجوي.",
    ])
    assert found == ["خالد بن مساعد السهلي"] * 2
    assert speakers(["وتحدث الدكتور عبدالعزيز بن طالب عن فكرة المبادرة."]) == ["عبدالعزيز بن طالب"]


def test_a_participle_goes_on_with_the_speech_of_the_sentence_before() -> None:
    found = speakers([
        "وألقى وزير الخارجية عادل الجبير كلمة في الافتتاح.",
        "مؤكدًا وقوف المملكة إلى جانب الكويت.",
    ])
    assert found == [None, "عادل الجبير"]
    # a speech two sentences back is no longer the sentence before
    assert speakers([
        "وألقى وزير الخارجية عادل الجبير كلمة في الافتتاح.",
        "وحضر الحفل عدد كبير من المسؤولين.",
        "مؤكدًا وقوف المملكة إلى جانب الكويت.",
    ]) == [None, None, None]


def test_a_lone_name_ending_like_a_pronoun_that_speaks_again_and_again() -> None:
    found = speakers([
        "وقال فاتسكه: «هذا ما يثير إعجابي».",
        "وأضاف فاتسكه: «أي فريق قوي يحتاج إلى الصبر».",
        "وأكد فاتسكه أن الحقب الجديدة صعبة.",
    ])
    assert found == ["فاتسكه"] * 3
    # a noun with its pronoun is none, however often it follows a verb; nor is God a speaker named
    assert speakers(["وأكد ترشحه في الانتخابات.", "وأعلن ترشحه في الولاية."]) == [None, None]
    assert speakers(["قال تعالى: {ولكم في القصاص حياة}.", "وقال تعالى: «ادع إلى سبيل ربك»."]) == [None, None]


def test_a_family_name_in_quotes_right_after_the_verb() -> None:
    found = speakers([
        "وأوضح رئيس المؤسسة العامة للخطوط الجوية المهندس صالح بن ناصر الجاسر أن الخطة جديدة.",
        "وقال محمد العلي إن الرحلات زادت.",
        "وأوضح \"الجاسر\" أن الرؤية الجديدة للخطوط واضحة.",
    ])
    assert found == ["صالح بن ناصر الجاسر", "محمد العلي", "صالح بن ناصر الجاسر"]
    # a body in quotes speaks for itself: no continuation of the person before
    assert speakers([TRUMP, "وأوضحت «الصحة» أن الوضع مطمئن."]) == ["دونالد ترامب", None]


def test_the_person_who_speaks_after_a_cited_source() -> None:
    assert speakers(["وبحسب رويترز، قال الرئيس الفرنسي فرانسوا هولاند إن الحكومة ضرورية."]) == ["فرانسوا هولاند"]
    assert speakers(["وبحسب رويترز، فإن الحكومة قررت ذلك."]) == [None]


@pytest.mark.parametrize(("sentence", "name"), [
    ("وقال رئيس وزراء مالطا جوزيف موسكات إنه تم تفتيشهما.", "جوزيف موسكات"),
    ("وقال رئيس باراغواي هوراسيو كارتيس إن البلاد بخير.", "هوراسيو كارتيس"),
    ("أكد الناطق الرسمي باسم حركة حماس حازم قاسم في تصريح خاص أن الحركة تتابع القضية.", "حازم قاسم"),
    ("أعلن رئيس كتلة حركة مشروع تونس الحرة عبد الرؤوف الشريف، أن كتلته قررت سحب مساندتها.",
     "عبد الرؤوف الشريف"),
    ("وقال رئيس مركز إستراتيجية كوريا الشمالية كانغ تشول هوان، في مكالمة هاتفية، إن البلاد بخير.",
     "كانغ تشول هوان"),
    ("قال رئيس بعثة صندوق النقد الدولي الى تونس، أمين ماتي، الثلاثاء، \"يوجد أمام تونس هامش\".", "أمين ماتي"),
    ("أكد رئيس جمعية دار الحديث الزيتونية فريد الباجي في تصريح انه كان مع الحزب.", "فريد الباجي"),
    ("وقال رئيس وزراء ماليزيا نجيب عبد الرزاق إن البلاد بخير.", "نجيب عبد الرزاق"),
    # a definite head, or one that is definite by its pronoun, takes the name right after it
    ("وقال وزير خارجية قطر محمد بن عبد الرحمن آل ثاني إن البلاد بخير.", "محمد بن عبد الرحمن آل ثاني"),
    ("وفق ما أكده رئيسه عبد الحميد الهمامي، خلال ندوة صحفية.", "عبد الحميد الهمامي"),
])
def test_what_an_indefinite_title_governs_is_not_the_name(sentence: str, name: str) -> None:
    assert speakers([sentence]) == [name]


def test_a_name_set_off_after_the_body_a_preposition_opens() -> None:
    found = speakers(["وأشار القيادي في صفوف المقاومة، أحمد محسن الجمل، إلى أن الثوار تمكنوا من تحرير الشريط."])
    assert found == ["أحمد محسن الجمل"]  # a definite third name between commas is the family's
    # «إلى أن» opens what was said: no body, no name after it
    assert speakers(["وأشار الوزير إلى أن تونس لا زالت تعمل على حشد الدعم."]) == [None]


def test_a_title_and_the_place_it_governs_refer_to_the_person_named_with_them() -> None:
    found = speakers([
        "وقال محافظ بيشة محمد بن سعيد بن سبرة إن المهرجان ناجح.",
        "وأكد محافظ بيشة على أننا في هذه المرحلة بحاجة إلى تطوير الجانب التسويقي.",
    ])
    assert found == ["محمد بن سعيد بن سبرة"] * 2
    # an object after the title and its body is no name
    assert speakers(["لم ينكر رئيس كتلة نداء تونس وجود علاقة صداقة بينهما."]) == [None]


def test_a_lone_word_after_an_indefinite_title_stops_short_of_names() -> None:
    """What an indefinite title governs is not read where a name is: a name and its post
    after a comma («ولي نصر، المسؤول السابق …»), a definite family name after «قائد»."""
    found = speakers(["وقال ولي نصر، المسؤول السابق بوزارة الخارجية، إن الاتفاق مهم."])
    assert found[0] is not None and found[0].endswith("نصر")
    assert speakers([
        "وقال الرئيس الباجي قائد السبسي إن البلاد بخير.",
        "وأضاف قائد السبسي أنه تجاوز كل خلافات الماضي.",
    ]) == ["الباجي قائد السبسي"] * 2
    assert speakers(["أمير عسير يرعى عروض «الضوء والصوت»", "وقال رئيس البلدية محمد العلي إن العروض ناجحة."]) == [
        None, "محمد العلي"]


def test_no_name_after_a_relative_or_a_circumstance() -> None:
    """«أمير مكة مودعاً شقيقه سعود الفيصل: …»: the brother is mourned, the emir speaks."""
    assert speakers(["أمير مكة مودعاً شقيقه سعود الفيصل: وداع يا باقي الرجال النوادر"]) == [None]
    # an adverb of the post is no circumstance: the name after it is the speaker's
    found = speakers(["قال مدير عام السجون سابقاً اللواء دكتور علي بن حسين الحارثي: إن الوزارة رائدة."])
    assert found[0] is not None and found[0].endswith("علي بن حسين الحارثي")


def test_a_one_word_quoted_body_before_the_name_is_no_name() -> None:
    assert speakers(["وشرح مدير برنامج «فطن» العريني لـ«الشرق الأوسط»، أن البرنامج سيشمل التدريب."]) != ["فطن"]
    assert speakers(["كشف وكيل أعمال اللاعبين \"فهد باقديم\" أن الحارس يدرس العروض."]) == ["فهد باقديم"]
    assert speakers(["أعلن وزير خارجية مملكة النرويج، \"بورج براند\"، قرار بلاده إعادة فتح سفارتها."]) == [
        "بورج براند"]


def test_a_preposition_glued_to_a_hamza_noun_is_no_name() -> None:
    """«ترامب بإبقاء …»، «لأمر ترامب»: «بإ/بأ/لإ/لأ» open a noun after a preposition; no name
    starts so («بإبقاء» had made «دونالد ترامب بإبقاء» a speaker)."""
    assert not name_word(tokenize("امتثالا لأمر ترامب"), 1)
    assert not name_word(tokenize("ترامب بإبقاء القوات"), 1)
    assert speakers(["وأمر الرئيس دونالد ترامب بإبقاء القوات في سوريا.", "وقال ترامب إن القرار نهائي."]) == [
        None, "دونالد ترامب"]


def test_a_womans_post_is_a_post() -> None:
    """The feminine of every head is a head: «خبيرة», «محللة», «ضيفة» (not the given name «أمينة»)."""
    assert speakers(["وقالت خبيرة نفسية إن الأطفال يتأثرون."]) == [None]  # an unnamed source
    assert speakers(["وقالت محللة الشؤون الاقتصادية سارة العلي إن الأسعار سترتفع."]) == ["سارة العلي"]
    assert speakers(["وقالت ضيفة \"بوليتيكا\" على \"الجوهرة أف أم\" إنها لم تستوعب ما حصل."]) == [None]
    assert speakers(["أعلنت الفنانة أمينة الصرارفي انضمامها للحركة، وقالت أمينة الصرارفي إن القرار نهائي."]) == [
        "أمينة الصرارفي"]
    # an adjective of relation is no post: «المعارك السياسية، عمد جيب بوش» names no «عمد جيب بوش»
    assert speakers([
        "وحرص شقيقه على الابتعاد عن المعارك السياسية، عمد جيب بوش إلى الاعتماد على زوجته.",
        "وقال جيب بوش إن الحملة جدية.",
    ]) == [None, "جيب بوش"]


def test_a_trailing_source_phrase_whose_post_names_the_place_it_serves() -> None:
    """«وفق ما أفاد به المعتمد الأول لولاية صفاقس، X»: «لولاية» is part of the post; only
    whom it was told to («لوكالة …»، «لمراسل …») is not."""
    assert speakers([
        "وتم غلق المحل وفق ما أفاد به المعتمد الأول لولاية صفاقس، عبد الباسط المنصري.",
        "وتوقع منصري أن تنتهي الأزمة قريبا.",
    ]) == ["عبد الباسط المنصري", "عبد الباسط المنصري"]
    assert speakers(["وسجلت الشركة إيرادات قياسية، حسبما أفاد تيم كوك الرئيس التنفيذي لشركة آبل."]) == ["تيم كوك"]
    assert speakers(["وتم إيقاف 3 أشخاص وفق ما أكده مسؤول أمني لوكالة تونس إفريقيا للأنباء."]) == [None]


def test_a_posts_complement_coordinated_after_it_is_no_name() -> None:
    """«… الحرس الوطني ووحدات التدخل بسوسة، سامي قريسة»: a name does not open with «و»."""
    found = speakers(["وتم إيقاف 73 شخصا، وفق ما أكده كاتب عام النقابة الأساسية لإقليم الحرس الوطني ووحدات "
                      "التدخل بسوسة، سامي قريسة."])
    assert found != ["ووحدات التدخل بسوسة"]


def test_a_lead_that_names_the_speaker_before_a_colon() -> None:
    """«وأضاف العجلان: إن الهيئة … وفقاً لطرق الإبلاغ …»: the lead is who speaks, not a
    source phrase in what he said."""
    assert speakers([
        "صرح المتحدث الرسمي للهيئة الوطنية لمكافحة الفساد عبدالرحمن العجلان، أن الهيئة أحالت القضية.",
        "وأضاف العجلان: إن الهيئة تأمل من المواطنين الإبلاغ عن أي شبهة فساد، وفقاً لطرق الإبلاغ التي وفرتها.",
    ]) == ["عبدالرحمن العجلان", "عبدالرحمن العجلان"]
    # a sentence that ends on «قال» after a short heading is read without error
    assert speakers(["تشتت آليات التشغيل قال"]) == [None]


def test_a_group_in_construct_after_a_post_is_no_name() -> None:
    """«وطالب وزير الصناعة ممثلي النقابات …»: «ممثلي» (in construct, like «ممثلو») is a group."""
    assert speakers([
        "قال وزير الصناعة والتجارة زياد العذاري إن المؤسسة ستستأنف نشاطها.",
        "وطالب وزير الصناعة والتجارة ممثلي النقابات الأساسية للمؤسسة بالاعتذار.",
    ]) == ["زياد العذاري", "زياد العذاري"]


def test_a_headline_organisation_governed_by_a_post_in_the_body_is_no_name() -> None:
    """«الأزهر : …» and «شيخ الأزهر»: an indefinite post governs the word after it, so the
    headline's subject is the body's institution, not a person («الوزير بالحاج» is one)."""
    from retrieval.attribution.known import known_names
    lists = [tokenize(s) for s in ["الأزهر : لا تهاون مع المخالفين", "وأكد شيخ الأزهر أحمد الطيب أن القرار نهائي."]]
    assert "الازهر" not in known_names(lists[1:], lists[0])
    lists = [tokenize(s) for s in ["بالحاج : لن نشارك في الحكومة", "ووصف بالحاج القرار بالخاطئ."]]
    assert any(key.endswith("بالحاج") for key in known_names(lists[1:], lists[0]))


@pytest.mark.parametrize(("sentence", "name"), [
    ("وأوضح المتحدث الرسمي للهلال الأحمر في تبوك خالد بن مرضي العنزي أن الفرق باشرت 2618 بلاغاً.",
     "خالد بن مرضي العنزي"),
    ("وأوضح مدير شؤون المعلمين في تعليم بيشة محمد بن سعد آل مشيع أنه يتعين على المعلمين حجز موعد.",
     "محمد بن سعد آل مشيع"),
    ("وقال الخبير في قطاع الفنادق مشعل النافع إن الإقبال على حجز القاعات ضعيف.", "مشعل النافع"),
    ("يقول الناشط في مجال حقوق الإنسان عازار أحمد: «نرحب بأي تحرك».", "عازار أحمد"),
    ("وقال القيادي الميداني في تنظيم القاعدة أبو عمر النهدي في خطاب إن التنظيم انسحب.", "أبو عمر النهدي"),
])
def test_where_a_post_is_held_then_the_name(sentence: str, name: str) -> None:
    """«في تبوك»، «في قطاع الفنادق»: where the person serves goes with the post, and the name
    of two words or more after it is the speaker's (a «بن» in it: the given name just before)."""
    assert speakers(["خبر", sentence])[1] == name


def test_no_name_after_where_an_unnamed_source_or_another_title_serves() -> None:
    """«مسؤول في شركة مترو جدة»: the body's name; «عضو في حزب الرئيس … علي عبدالله صالح»:
    the name is the president's; «في مدينة سبها جنوب طرابلس»: a place; «في ختام احتفالات
    الأمانة بعيد الفطر كل الشكر»: no name ends the subject there."""
    assert speakers(["خبر", "وكان مصدر مسؤول في شركة مترو جدة، قد أكد أن الشركة تعتزم التوسع."]) == [None, None]
    assert speakers(["خبر", "قال عضو في حزب الرئيس اليمني المخلوع علي عبدالله صالح إن المحادثات جارية."]) == [
        None, None]
    assert speakers(["خبر", "وقال المسؤول في مدينة سبها جنوب طرابلس: «سقط 40 قتيلاً»."]) == [None, None]
    assert speakers(["خبر", "ووجه أمين منطقة الرياض في ختام احتفالات الأمانة بعيد الفطر كل الشكر للعاملين."]) == [
        None, None]



def test_a_name_that_begins_like_a_conjunction_and_the_article() -> None:
    """«فالون» is no «ف» + «الون»: a name of five letters (a real word after «فال» stays one)."""
    assert speakers(["خبر", "وقال جون فالون، المدير العام لدار «بيرسون»، في بيان، إن الصفقة تمت."]) == [
        None, "جون فالون"]
    assert not name_word(tokenize("فالله"), 0)
    assert not name_word(tokenize("والدي"), 0)  # «my father»: still «و» and a word


def test_a_rank_a_citizen_and_a_poet_head_the_name_after_them() -> None:
    assert speakers(["خبر", "وأوضح الرائد زيد القحطاني الناطق الإعلامي لشرطة منطقة عسير أنه ورد بلاغ."]) == [
        None, "زيد القحطاني"]
    assert speakers(["خبر", "وقال المواطن مانع ملفي لـ \"سبق\" إنه اشترى وجبة فاسدة."]) == [None, "مانع ملفي"]
    assert speakers(["خبر", "قال الفيلسوف اليوناني هيرقليطس: أنت لا تستطيع أن تقطع النهر مرتين."]) == [
        None, "هيرقليطس"]
    assert speakers(["خبر", "وقال المواطن إن الأسعار مرتفعة."]) == [None, None]  # a citizen, unnamed


def test_a_question_word_ends_a_name() -> None:
    assert speakers(["خبر", "وتساءل المواطن سعد الخضر متى يتم تطبيق نقطة الفرز الواحدة؟"]) == [None, "سعد الخضر"]


def test_the_place_a_post_serves_before_a_form_of_address() -> None:
    """«رئيس بلدية وسط الدمام المهندس حاتم …»: the words before «المهندس» are where he
    serves; not the scene («بمكتبه»), a name the article knows, nor before «السيد» (a
    guest, often), and a definite name after the address is left to the name («الخضر»)."""
    assert speakers(["خبر", "وأوضح رئيس بلدية وسط الدمام المهندس حاتم بن سعد الغامدي أن التكريم رسالة شكر."]) == [
        None, "حاتم بن سعد الغامدي"]
    assert speakers(["خبر", "كشف مدير صحة عدن الدكتور الخضر لصور عن حجم التدمير في المستشفيات."]) == [
        None, "الخضر لصور"]
    from retrieval.attribution.names import add_known
    from retrieval.attribution.places import before_address
    tokens = tokenize("رئيس بلدية وسط الدمام المهندس حاتم الغامدي")
    assert before_address(tokens, 2, {}) == 2
    assert before_address(tokenize("استقبل الوزير بمكتبه الدكتور أحمد سالم"), 2, {}) == 0
    assert before_address(tokenize("استقبل رئيس الحكومة الحبيب الصيد السيد أحمد سالم"), 3, {}) == 0
    known: dict[str, set[str]] = {}
    add_known(known, ("الحبيب", "الصيد"))  # a name the article knows
    assert before_address(tokenize("استقبل رئيس الحكومة الحبيب الصيد المهندس أحمد سالم"), 3, known) == 0


def test_invisible_marks_inside_a_sentence_are_read_through() -> None:
    """A right-to-left mark glued to a word («‏والمؤتمرات») is no part of it."""
    assert [t.raw for t in tokenize("للمعارض \u200fوالمؤتمرات")] == ["للمعارض", "والمؤتمرات"]
    assert speakers(["خبر", "وقال المدير التنفيذي للبرنامج الوطني للمعارض \u200fوالمؤتمرات المهندس طارق العيسى: إن "
                     "البرنامج سيدرس الطلبات."]) == [None, "طارق العيسى"]


def test_an_engineer_abbreviated_and_a_party_named_in_quotes_before_the_name() -> None:
    assert speakers(["خبر", "وقال مدير عام السلامة م. محمد الغامدي إن الاحتفالات نجحت."]) == [None, "محمد الغامدي"]
    assert speakers(["خبر", "أكد رئيس حزب «القوات اللبنانية» الدكتور سمير جعجع أن «محاربة الإرهاب عسكريا لا تكفي»."]) == [
        None, "سمير جعجع"]


def test_a_latin_initial_inside_a_name() -> None:
    """«لورا إيه. كولانجيلو»: the letter's name and its dot go on with the name."""
    assert speakers(["خبر", "وقالت لورا إيه. كولانجيلو، من كلية طب فاينبرج، التي قادت فريق الباحثين: «الدراسات "
                     "السابقة مضللة»."]) == [None, "لورا إيه كولانجيلو"]


def test_a_full_name_with_bin_after_the_words_of_a_long_post() -> None:
    """«الناطق الإعلامي بفرع هيئة الهلال الأحمر السعودي في جازان بيشي بن عيسى الصرخي، أن»:
    the post's words (definite, glued, «في» and a place) run up to a name with «بن»."""
    assert speakers(["خبر", "وأوضح الناطق الإعلامي بفرع هيئة الهلال الأحمر السعودي في جازان بيشي بن عيسى الصرخي، "
                     "أن غرفة العمليات تلقت بلاغا."]) == [None, "بيشي بن عيسى الصرخي"]
    assert speakers(["خبر", "وأوضح مدير مكتب الحملة الوطنية السعودية لنصرة الأشقاء في سورية في لبنان وليد بن علي "
                     "الجلال أن الحملة اعتمدت الطهي."]) == [None, "وليد بن علي الجلال"]
    from retrieval.attribution.places import son_of_ahead
    tokens = tokenize("وقال مستشار ولي العهد محمد بن سلمان أن الزيارة مهمة.")
    assert son_of_ahead(tokens, 2, {}) is None  # past another title: the prince's name


def test_whom_it_is_told_to_ends_the_name() -> None:
    """«…، طارق بن حسين لوكالة تونس افريقيا للأنباء إن …»: the agency told is no part of the name."""
    assert speakers(["خبر", "وقال مدير عام المعهد، طارق بن حسين لوكالة تونس افريقيا للأنباء إن العملية تمت بنجاح."]) == [
        None, "طارق بن حسين"]
