"""Tests for retrieval.text.spellings (keys, matching) and retrieval.text.transliteration."""

from __future__ import annotations

import pytest

from retrieval.text.spellings import (
    SpeakerMatcher,
    compact_key,
    latin_without_title,
    match_speakers,
    speaker_key,
)
from retrieval.text.transliteration import latin_matches

# --- keys ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("نتنياهو", "نتانياهو"),
        ("نتنياهو", "نتتنياهو"),  # a doubled letter, as typed
        ("أردوغان", "اردوغان"),
        ("إردوغان", "أردوغان"),
        ("العطية", "العطيه"),
        ("مصطفى", "مصطفي"),
        ("  رجب   طيب أردوغان ", "رجب طيب أردوغان"),
        ("صرّح", "صرح"),
    ],
)
def test_speaker_key_unifies_spellings(a: str, b: str) -> None:
    assert speaker_key(a) == speaker_key(b)


def test_speaker_key_keeps_different_names_apart() -> None:
    assert speaker_key("تميم") != speaker_key("تم")
    assert speaker_key("شي") != speaker_key("شو")
    assert speaker_key("") == ""


def test_compact_key_ignores_spaces() -> None:
    assert compact_key("الجرو شي") == compact_key("الجروشي")
    assert speaker_key("الجرو شي") != speaker_key("الجروشي")


# --- matching ---------------------------------------------------------------------

POOL = [
    "شي جين بينغ",
    "شي جينبينغ",
    "طارق الجروشي",
    "دونالد ترامب",
    "رجب طيب أردوغان",
    "رجب طيب إردوغان",
    "بنيامين نتانياهو",
    "أنجيلا ميركل",
    "فلاديمير بوتين",
    "إيمانويل ماكرون",
    "أنطونيو غوتيريس",
    "الباجي قائد السبسي",
    "سيرغي لافروف",
    "محمود عباس",
    "عباس عراقجي",
    "عادل الجبير",
    "تميم بن حمد آل ثاني",
    "توم بيريز",
    "كاتارينا أكسلسون",
    "وانغ يي",
]


def names(asked: str) -> list[str]:
    return [name for name, _ in match_speakers(asked, POOL)]


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("شي", {"شي جين بينغ", "شي جينبينغ"}),
        ("ترامب", {"دونالد ترامب"}),
        ("أردوغان", {"رجب طيب أردوغان", "رجب طيب إردوغان"}),
        ("اردوغان", {"رجب طيب أردوغان", "رجب طيب إردوغان"}),
        ("نتنياهو", {"بنيامين نتانياهو"}),
        ("الجروشي", {"طارق الجروشي"}),
        ("جوتيريس", {"أنطونيو غوتيريس"}),  # ج/غ for a foreign g
        ("عباس", {"محمود عباس"}),  # a family name, not «عباس» as a first name
        ("محمود عباس", {"محمود عباس"}),
        ("شي جين بينغ", {"شي جين بينغ", "شي جينبينغ"}),
    ],
)
def test_arabic_names_match_whole_words(asked: str, expected: set[str]) -> None:
    assert set(names(asked)) == expected


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        ("Xi", {"شي جين بينغ", "شي جينبينغ"}),
        ("Xi Jinping", {"شي جين بينغ", "شي جينبينغ"}),
        ("Erdogan", {"رجب طيب أردوغان", "رجب طيب إردوغان"}),
        ("Merkel", {"أنجيلا ميركل"}),
        ("Angela Merkel", {"أنجيلا ميركل"}),
        ("Trump", {"دونالد ترامب"}),
        ("Netanyahu", {"بنيامين نتانياهو"}),
        ("Putin", {"فلاديمير بوتين"}),
        ("Macron", {"إيمانويل ماكرون"}),
        ("Guterres", {"أنطونيو غوتيريس"}),
        ("Essebsi", {"الباجي قائد السبسي"}),
        ("Lavrov", {"سيرغي لافروف"}),
        ("al-Jubeir", {"عادل الجبير"}),
        ("Tamim", {"تميم بن حمد آل ثاني"}),  # not «توم»: o is no a
        ("Axelsson", {"كاتارينا أكسلسون"}),
        ("Wang Yi", {"وانغ يي"}),
    ],
)
def test_latin_names_find_arabic_speakers(asked: str, expected: set[str]) -> None:
    assert set(names(asked)) == expected


def test_a_latin_article_needs_an_arabic_one() -> None:
    pool = ["خميس الجهيناوي", "خميس قسيلة", "عبدالرحمن الخميس"]
    assert [name for name, _ in match_speakers("Al-Khamis", pool)] == ["عبدالرحمن الخميس"]
    assert [name for name, _ in match_speakers("Al-Khamis", pool[:2])] == []
    assert [name for name, _ in match_speakers("Khamis", pool[:2])] != []


def test_scores_are_ranked_and_in_range() -> None:
    found = match_speakers("شي جين بينغ", ["شي جين بينغ", "شي جينبينغ", "شي"])
    scores = [score for _, score in found]
    assert found[0] == ("شي جين بينغ", 1.0)
    assert scores == sorted(scores, reverse=True)
    assert all(0 < score <= 1 for score in scores)


def test_short_stored_form_matches_a_full_question() -> None:
    assert names("دونالد ترامب") == ["دونالد ترامب"]
    assert [name for name, _ in match_speakers("دونالد ترامب", ["ترامب"])] == ["ترامب"]


def test_nothing_asked_nothing_found() -> None:
    assert match_speakers("", POOL) == []
    assert match_speakers("ماكرون", []) == []
    assert names("بايدن") == []


@pytest.mark.parametrize(
    ("latin", "arabic", "expected"),
    [
        ("Xi", "شي", True),
        ("Zhang", "تشانغ", True),
        ("Keqiang", "كيتشيانغ", True),
        ("Khamenei", "خامنئي", True),
        ("Araghchi", "عراقجي", True),
        ("Shoukry", "شكري", True),
        ("Attiyah", "العطية", True),
        ("Assad", "الأسد", True),
        ("Abbas", "عباس", True),
        ("Steinitz", "شتاينتز", True),
        ("Seibert", "زايبرت", True),
        ("Xi", "السياسية", False),
        ("Xi", "شو", False),
        ("Ross", "رئاسة", False),
        ("Trump", "طارق", False),
        ("Merkel", "ماكرون", False),
        # pairs bench/speaker_names.py --latin found wrong, and their right ones
        ("Sisi", "السيسي", True),
        ("Sisi", "العزيز", False),  # «سلمان بن عبد العزيز»: a first «ع» needs a Latin vowel
        ("Kerry", "كيري", True),
        ("Kerry", "العقاري", False),
        ("Kerry", "الكرة", False),  # a final y is written «ي»
        ("Xi", "الشايع", False),  # a final i is «ي», not «اي»
        ("Xi", "السعي", False),  # an «ع» inside needs a Latin vowel of its own
        ("Xi", "عز", False),
        ("Jubeir", "الجبير", True),
        ("Jubeir", "الجابر", False),  # ei is written with «ي»
        ("Jubeir", "الأخبار", False),
        ("Zarif", "ظريف", True),
        ("Zarif", "ظريفة", False),  # a final «ة» needs a Latin vowel or h
        ("Hamza", "حمزة", True),
        ("Abadi", "العبادي", True),
        ("Abadi", "العابد", False),
        ("Abadi", "بادي", False),  # a first vowel needs its «ا» or «ع»
        ("Obama", "بما", False),
        ("Assad", "باباك يوسف زادة", False),
        ("Trudeau", "ترودو", True),
        ("Trudeau", "طرد", False),  # eau is «و»
        ("Lavrov", "لورو", False),
        ("Saud", "سعود", True),
        ("Ismail", "إسماعيل", True),
        ("Essebsi", "السبسي", True),
        ("Nasrallah", "نصر الله", True),
        ("Haley", "هيلي", True),
        ("Yi", "يي", True),
        # spellings the labelled samples missed: a silent p, z and h apart, a final h as «ح»,
        # k as «ق» before s, and a Maghrebi article run into the name
        ("Thompson", "طومسون", True),
        ("Lazhar", "لزهر", True),
        ("Sobeih", "صبيح", True),
        ("Ksila", "قسيلة", True),
        ("Laarayedh", "العريض", True),
        ("Ladhari", "العذاري", True),
        ("Laouam", "العوام", True),
        # «ائ» is heard as i: Caid, Wail, Faiz
        ("Caid", "قائد", True),
        ("Wail", "وائل", True),
        ("Faiz", "فائز", True),
        # an h between vowels is written: Rouhani is «روحاني», not «روني» (Rooney)
        ("Rouhani", "روحاني", True),
        ("Rouhani", "روني", False),
        ("Lavrov", "لافروف", True),
        ("Lavrov", "فروف", False),  # the article is run in only before a vowel
        ("Thompson", "طومس", False),
    ],
)
def test_latin_spellings(latin: str, arabic: str, expected: bool) -> None:
    assert latin_matches(latin, arabic) is expected


def test_the_fast_matcher_agrees_with_match_speakers():
    from retrieval.text.spellings import SpeakerMatcher

    names = ["شي جين بينغ", "طارق الجروشي", "دونالد ترامب", "رجب طيب أردوغان", "بنيامين نتنياهو",
             "محمود عباس", "عباس عراقجي", "أنطونيو غوتيريس", "سيرغي لافروف", "أنغيلا ميركل", "ترامب",
             "الجرو شي", "عبد الفتاح السيسي", "إيمانويل ماكرون"]
    matcher = SpeakerMatcher(names)
    for asked in ["شي", "ترامب", "أردوغان", "اردوغان", "نتانياهو", "عباس", "الجروشي", "دونالد ترامب",
                  "Xi", "Trump", "Erdogan", "Netanyahu", "Merkel", "Guterres", "Lavrov", "Macron",
                  "Sisi", "Abbas", "غير موجود", "Nobody"]:
        assert matcher.match(asked) == match_speakers(asked, names), asked


def test_latin_particles_join_the_name_they_belong_to() -> None:
    pool = ["مارين لوبان", "عبد الله بن زايد آل نهيان", "ستيفان دي ميستورا", "أورسولا فون دير لاين"]
    assert [n for n, _ in match_speakers("Le Pen", pool)] == ["مارين لوبان"]
    assert [n for n, _ in match_speakers("de Mistura", pool)] == ["ستيفان دي ميستورا"]
    assert [n for n, _ in match_speakers("von der Leyen", pool)] == ["أورسولا فون دير لاين"]


def test_sisi_is_not_salman() -> None:
    pool = ["عبد الفتاح السيسي", "سلمان بن عبد العزيز", "محمد بن سلمان بن عبد العزيز", "عبد العزيز"]
    assert [n for n, _ in match_speakers("Sisi", pool)] == ["عبد الفتاح السيسي"]


def test_a_name_with_and_without_its_article_is_one_name() -> None:
    assert [s for s, _ in match_speakers("كريم الهلالي", ["كريم هلالي", "كريم"])] == ["كريم هلالي"]


def test_a_stored_single_word_is_the_family_name_asked_not_the_given_name() -> None:
    # «كرم» shares its key with «كريم», the given name asked: not the same person
    assert match_speakers("كريم الهلالي", ["كرم"]) == []
    assert [s for s, _ in match_speakers("فادي كرم", ["كرم"])] == ["كرم"]
    assert [s for s, _ in match_speakers("عبدرب الرسول الخميس", ["عبدرب الرسول"])] == ["عبدرب الرسول"]


@pytest.mark.parametrize(("asked", "stored"), [("James Murphy", "مورفي"), ("Beji Caid Essebsi", "السبسي"),
                                               ("Fadi Karam", "كرم")])
def test_a_full_latin_name_finds_a_speaker_stored_by_the_family_name(asked: str, stored: str) -> None:
    assert [s for s, _ in match_speakers(asked, [stored])] == [stored]
    assert match_speakers("James Murphy", ["جيمس"]) == []


@pytest.mark.parametrize(("asked", "stored"), [("Nabiha Kammoun Tlili", "نبيهة كمون"),
                                               ("Abu Malik al-Shami", "ابو مالك")])
def test_a_full_latin_name_finds_a_speaker_stored_by_its_first_names(asked: str, stored: str) -> None:
    """As in Arabic («عبدرب الرسول» for «عبدرب الرسول الخميس»): two words or more."""
    assert [s for s, _ in match_speakers(asked, [stored])] == [stored]
    assert [s for s, _ in SpeakerMatcher([stored, "جيمس كارتر"]).match(asked)] == [stored]
    assert match_speakers("Nabiha Kammoun Tlili", ["نبيهة"]) == []  # one given name is not enough
    assert match_speakers("Donald Trump Jr.", ["دونالد ترامب"]) == []  # his son, not him


def test_a_turkish_final_t_is_an_arabic_d() -> None:
    assert latin_matches("Mahmut", "محمود") and latin_matches("Ahmet", "أحمد") and latin_matches("Davut", "داود")
    assert [s for s, _ in match_speakers("Mahmut Tanal", ["محمود تانال"])] == ["محمود تانال"]
    assert latin_matches("Murat", "مراد") and not latin_matches("Bart", "برد")  # four letters: too short to tell


def test_abdel_keeps_the_article_s_l() -> None:
    assert latin_matches("Abdelaziz", "عبد العزيز") and latin_matches("Abdulaziz", "عبد العزيز")
    assert latin_matches("Abderrahmane", "عبد الرحمن") and latin_matches("Abdelrahman", "عبد الرحمن")
    assert [s for s, _ in match_speakers("Abdelaziz Kotti", ["عبد العزيز القطي"])] == ["عبد العزيز القطي"]


def test_the_fast_matcher_finds_a_speaker_stored_by_the_family_name() -> None:
    matcher = SpeakerMatcher(["مورفي", "جيمس كارتر", "عبد العزيز القطي"])
    assert [s for s, _ in matcher.match("James Murphy")] == [s for s, _ in match_speakers("James Murphy", matcher.names)]
    assert [s for s, _ in matcher.match("James Murphy")] == ["مورفي"]


def test_a_single_name_is_not_the_father_s_name_of_someone_else() -> None:
    # "Salman" / «سلمان» is King Salman, not «فيصل بن سلمان» (Salman's son)
    assert [s for s, _ in match_speakers("Salman", ["سلمان", "فيصل بن سلمان"])] == ["سلمان"]
    assert match_speakers("سلمان", ["فيصل بن سلمان"]) == []
    assert [s for s, _ in match_speakers("بن سلمان", ["محمد بن سلمان"])] == ["محمد بن سلمان"]


def test_closest_names_prunes_without_changing_the_answer():
    """The quick bounds only leave out runs that cannot come close enough: the names found
    are those of comparing every run of every name in full."""
    from difflib import SequenceMatcher

    from retrieval.text.spellings import (
        CLOSE_ENOUGH,
        _loose_key,
        _runs,
        _words,
        closest_names,
    )

    names = ["بنيامين نتنياهو", "فلاديمير بوتين", "دونالد ترامب", "رجب طيب أردوغان", "أنغيلا ميركل",
             "عبد الفتاح السيسي", "محمد بن سلمان", "إيمانويل ماكرون", "وزير الخارجية سيرغي لافروف",
             "الباجي قائد السبسي", "يوسف الشاهد", "راشد الغنوشي", "نبيه بري", "حسن نصر الله"]

    def in_full(asked: str) -> list[str]:
        target, scored = _loose_key(asked), []
        for name in names:
            best = max(SequenceMatcher(None, target, _loose_key(run)).ratio() for run in _runs(_words(name)))
            if best >= CLOSE_ENOUGH:
                scored.append((-best, name))
        return [name for _, name in sorted(scored)[:5]]

    asked = ["نتتنياهو", "بوتن", "ترمب", "اردوغن", "ميركيل", "السيسى", "بن سلمن", "ماكرن", "لافرف",
             "السبسى", "الشاهيد", "الغنوشى", "نبيه برى", "نصرالله", "أحمد"]
    found = [closest_names(a, names, 5) for a in asked]
    assert found == [in_full(a) for a in asked]
    assert sum(bool(f) for f in found) >= 12  # most misspellings find their person


@pytest.mark.parametrize(
    ("asked", "stored"),
    [
        ("Nidhal Ouerfelli", "نضال الورفلي"),  # a first «ou» before a vowel is the French w
        ("Hamish McMaster", "هاميش ماكماستر"),  # Mc is Mac
        ("John McCain", "جون ماكين"),
        ("Hossam Abdel Ghaffar", "حسام عبد الغفار"),  # «عبد» written apart in Latin
        ("Abdul Rahman", "عبد الرحمن"),
        ("Khalifa bin Salman Al Khalifa", "خليفة بن سلمان آل خليفة"),  # a family's «آل»
        ("Abdullah bin Zayed Al Nahyan", "عبدالله بن زايد آل نهيان"),
        ("Hafedh Ben Salah", "حافظ بن صالح"),  # Maghrebi dh for «ظ»
        ("Abdeladhim Yahia", "عبد العظيم يحي"),
        ("Badr Abdelatty", "بدر عبد العاطي"),  # the vowel after the «ع»: «عا»
        ("Saad Alghamdi", "سعد الغامدي"),  # the article written with the name
        ("Elias Zoghbi", "الياس الزغبي"),
    ],
)
def test_latin_spellings_of_french_english_and_gulf_names(asked, stored):
    assert [s for s, _ in match_speakers(asked, [stored])] == [stored]


@pytest.mark.parametrize(
    ("asked", "stored"),
    [
        ("Abdel Ghaffar", "عبد الله"),  # «عبد» alone does not make the name
        ("Ouali", "علي"),  # the French w is a consonant: «والي», not «علي»
        ("McMaster", "ماستر"),
        ("Al Khalifa", "خليفة حفتر"),  # the family «آل خليفة», not the given name
        ("Sami", "ساعي"),  # «عا» only where the Latin has the vowel after the «ع»'s place
        ("Hollande", "أسماء الأندية"),  # the article kept only for a Latin al/el
    ],
)
def test_those_spellings_do_not_match_other_names(asked, stored):
    assert match_speakers(asked, [stored]) == []


@pytest.mark.parametrize("asked, name", [
    ("President Trump", "Trump"),
    ("Saudi Foreign Minister Adel al-Jubeir", "Adel al-Jubeir"),
    ("US Secretary of State John Kerry", "John Kerry"),
    ("Crown Prince Mohammed bin Salman", "Mohammed bin Salman"),
    ("Dr. Ahmed Zewail", "Ahmed Zewail"),
    ("Trump", None),
    ("His Majesty King Salman", "Salman"),
    ("Prince William of Wales", "William of Wales"),  # only the title that opens it
    ("Martin Luther King", None),  # a title word as the last word is the name's own
    ("Angela Merkel", None),
])
def test_the_post_before_an_english_name_is_found(asked, name):
    assert latin_without_title(asked) == name


def test_a_lone_word_spelled_as_asked_wins_over_a_look_alike():
    speakers = ["سلمان بن عبد العزيز", "بقبلي الهادي سليمان"]  # «سلمان» and «سليمان» share a key
    assert [name for name, _ in match_speakers("سلمان", speakers)] == ["سلمان بن عبد العزيز"]
    assert [name for name, _ in match_speakers("سليمان", speakers)] == ["بقبلي الهادي سليمان"]
    # Other spellings of the name found as asked stay: they are that person.
    netanyahu = ["بنيامين نتنياهو", "بنيامين نتانياهو", "يائير نتن"]
    assert {name for name, _ in match_speakers("نتنياهو", netanyahu)} == {"بنيامين نتنياهو", "بنيامين نتانياهو"}
    # Without the spelling asked, the look-alike still counts («ترمب» for «ترامب»).
    assert [name for name, _ in match_speakers("ترمب", ["دونالد ترامب"])] == ["دونالد ترامب"]


@pytest.mark.parametrize(
    ("asked", "stored"),
    [
        ("Abdullah al-Mousa", "عبد الله الموسى"),  # a final a written «ى» (alif maqsura)
        ("Ali bin Musa Zaala", "علي بن موسى زعلة"),
        ("Mustafa Bakri", "مصطفى بكري"),
        ("Yahya Saree", "يحيى سريع"),
        ("Mohamed Morsi", "محمد مرسى"),  # a final i written «ى» too
        ("Jeff Davis", "جيف ديفيس"),  # an English a in an open syllable before i: «ي»
        ("David Cameron", "ديفيد كاميرون"),
        ("Bjoern Rother", "بيورن روذر"),  # a j after a consonant is a y
    ],
)
def test_latin_vowels_arabic_writes_as_a_letter(asked, stored):
    assert [s for s, _ in match_speakers(asked, [stored])] == [stored]
    assert [s for s, _ in SpeakerMatcher([stored]).match(asked)] == [stored]


def test_a_final_a_is_not_the_yeh_of_a_family_name():
    assert match_speakers("Salma", ["سلطان السلمي"]) == []  # «ى» may be a, «ي» is not
