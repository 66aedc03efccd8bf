"""One person, one name across the archive: ``group_names`` and the speakers directory."""

from __future__ import annotations

from types import SimpleNamespace

from retrieval.index.speakers import SpeakerDirectory
from retrieval.query.speaker import SpeakerRetriever
from retrieval.query.types import Question
from retrieval.text.persons import group_names
from retrieval.types import Passage


def grouped(counts: dict[str, int]) -> dict[str, tuple[str, ...]]:
    return {group.name: group.names for group in group_names(counts)}


def directory(counts: dict[str, int]) -> SpeakerDirectory:
    """A directory whose speakers have ``counts`` statements each, one article each."""
    passages = [
        Passage(f"{name}.txt", i, f"جملة {i}", 0, 5, (name,))
        for name, count in counts.items() for i in range(count)
    ]
    return SpeakerDirectory(passages)


def test_a_lone_surname_joins_the_one_full_name_it_ends():
    assert grouped({"دونالد ترامب": 56, "ترامب": 5}) == {"دونالد ترامب": ("دونالد ترامب", "ترامب")}
    assert grouped({"شي جين بينغ": 8, "شي": 2}) == {"شي جين بينغ": ("شي جين بينغ", "شي")}  # a family name first
    assert grouped({"بنيامين نتنياهو": 9, "نتانياهو": 1})["بنيامين نتنياهو"] == ("بنيامين نتنياهو", "نتانياهو")


def test_family_members_and_namesakes_stay_apart():
    people = grouped({"دونالد ترامب": 56, "ترامب": 5, "ترامب جونيور": 2, "إيفانكا ترامب": 3, "ميلانيا ترامب": 1})
    assert people["دونالد ترامب"] == ("دونالد ترامب", "ترامب")  # by far the most quoted Trump
    assert {"ترامب جونيور", "إيفانكا ترامب", "ميلانيا ترامب"} <= set(people)
    assert grouped({"دونالد ترامب": 5, "دونالد ترامب جونيور": 1}) == {
        "دونالد ترامب": ("دونالد ترامب",), "دونالد ترامب جونيور": ("دونالد ترامب جونيور",),
    }


def test_a_surname_two_people_share_stays_apart():
    people = grouped({"عادل الجبير": 6, "عبد الله الجبير": 4, "الجبير": 3})
    assert people == {"عادل الجبير": ("عادل الجبير",), "عبد الله الجبير": ("عبد الله الجبير",), "الجبير": ("الجبير",)}
    assert group_names({"عادل الجبير": 6, "عبد الله الجبير": 4, "الجبير": 3})[-1].short


def test_a_parent_or_family_name_is_not_a_surname():
    people = grouped({"محمد بن سلمان": 4, "سلمان": 1, "سلمان بن عبد العزيز": 6})
    assert people["سلمان بن عبد العزيز"] == ("سلمان بن عبد العزيز", "سلمان")  # not «محمد بن سلمان»'s


def test_the_given_and_family_name_join_the_name_with_its_patronymic_chain():
    people = grouped({"عزام بن محمد الدخيّل": 2, "عزام الدخيل": 3, "سلمان بن عبد العزيز": 6, "محمد بن سلمان": 4})
    assert set(people["عزام الدخيل"]) == {"عزام الدخيل", "عزام بن محمد الدخيّل"}
    assert "محمد بن سلمان" in people  # «بن سلمان» tells him apart: no «محمد سلمان» chain
    assert grouped({"عزام بن محمد الدخيل": 2, "عزام بن سعد الدخيل": 2, "عزام الدخيل": 1})["عزام الدخيل"] == (
        "عزام الدخيل",)  # two of them: the short form stays apart
    # A family's «آل» ends no given-and-family short form: «محمد سعود» is not MBS.
    assert len(grouped({"محمد بن سلمان آل سعود": 3, "محمد سعود": 1})) == 2


def test_the_given_and_family_name_join_a_name_with_a_middle_name_or_an_abu_family():
    assert set(grouped({"محمد إسماعيل الزعبي": 3, "محمد الزعبي": 1})["محمد إسماعيل الزعبي"]) == {
        "محمد إسماعيل الزعبي", "محمد الزعبي"}
    assert set(grouped({"علي عبد الله صالح": 9, "علي صالح": 2})["علي عبد الله صالح"]) == {
        "علي عبد الله صالح", "علي صالح"}  # «عبد الله» is one name
    people = grouped({"صالح بن إبراهيم أبو هاشم": 2, "صالح أبو هاشم": 1})
    assert set(people["صالح بن إبراهيم أبو هاشم"]) == {"صالح بن إبراهيم أبو هاشم", "صالح أبو هاشم"}
    people = grouped({"صالح بن إبراهيم أبو هاشم": 2, "صالح أبوهاشم": 1})  # the family as one word
    assert set(people["صالح بن إبراهيم أبو هاشم"]) == {"صالح بن إبراهيم أبو هاشم", "صالح أبوهاشم"}
    # two people the short form fits: it stays apart
    assert grouped({"محمد علي الأحمد": 2, "محمد سعد الأحمد": 2, "محمد الأحمد": 1})["محمد الأحمد"] == ("محمد الأحمد",)
    # as spelled, not by keys alone: «حسن حسني» is not «حسين نقوي حسيني»
    assert len(grouped({"حسين نقوي حسيني": 2, "حسن حسني": 1})) == 2


def test_a_name_with_a_stray_word_joins_that_name_and_is_never_shown():
    # The next word of the sentence read into the name, or the word before it: part of
    # no other name, and the rest is a stored name at least as quoted.
    people = grouped({"أحمد نجيب الشابي اعتزام": 4, "أحمد نجيب الشابي": 11, "عصام الشابي": 3})
    assert people["أحمد نجيب الشابي"] == ("أحمد نجيب الشابي", "أحمد نجيب الشابي اعتزام")
    assert grouped({"مالطا جوزيف موسكات": 1, "جوزيف موسكات": 1}) == {
        "جوزيف موسكات": ("جوزيف موسكات", "مالطا جوزيف موسكات")}
    # A compound given name takes a real surname: «محمد الناصر جبيرة» is someone else.
    people = grouped({"محمد الناصر": 34, "محمد الناصر جبيرة": 1, "محمد الناصر الشريف": 2})
    assert set(people) == {"محمد الناصر", "محمد الناصر جبيرة", "محمد الناصر الشريف"}


def test_the_name_shown_is_the_most_quoted_spelling_of_the_full_name():
    people = grouped({"بنيامين نتتنياهو": 3, "بنيامين نتنياهو": 15, "بينيامين نتانياهو": 1, "نتنياهو": 20})
    assert list(people) == ["بنيامين نتنياهو"]
    assert people["بنيامين نتنياهو"][0] == "بنيامين نتنياهو" and len(people["بنيامين نتنياهو"]) == 4
    assert list(grouped({"عبدالعزيز بوتفليقة": 3, "عبد العزيز بوتفليقة": 2})) == ["عبدالعزيز بوتفليقة"]


def test_like_keys_are_not_enough_for_a_short_word():
    assert set(grouped({"بشار الأسد": 9, "بشر": 1})) == {"بشار الأسد", "بشر"}  # «بشر»: people
    assert set(grouped({"شي جين بينغ": 8, "بوينغ": 1})) == {"شي جين بينغ", "بوينغ"}  # Boeing


def test_the_directory_lists_each_person_once_organisations_apart_phrases_left_out():
    found = directory({"دونالد ترامب": 6, "ترامب": 2, "فرانس برس": 3, "وكالة الأنباء السعودية": 1,
                       "لأمر ترامب": 1, "سنحدد موقفنا": 1, "إيفانكا ترامب": 1})
    assert [(p.name, p.names, p.statements, p.articles) for p in found.people()] == [
        ("دونالد ترامب", ("دونالد ترامب", "ترامب"), 8, 2), ("إيفانكا ترامب", ("إيفانكا ترامب",), 1, 1),
    ]
    assert [p.name for p in found.organisations()] == ["فرانس برس", "وكالة الأنباء السعودية"]
    assert found.canonical("ترامب") == "دونالد ترامب" and found.canonical("فرانس برس") == "فرانس برس"
    assert found.canonical("Trump") == "دونالد ترامب" and found.canonical("بايدن") == "بايدن"


def test_match_gives_the_whole_person_display_name_first():
    found = directory({"بنيامين نتنياهو": 5, "بنيامين نتتنياهو": 1, "نتانياهو": 2, "يائير نتنياهو": 1,
                       "دونالد ترامب": 6, "ترامب": 2, "ميلانيا ترامب": 1})
    assert found.match("نتنياهو") == ["بنيامين نتنياهو", "نتانياهو", "بنيامين نتتنياهو"]
    assert found.match("Trump") == found.match("ترامب") == ["دونالد ترامب", "ترامب"]
    assert found.match("ميلانيا ترامب") == ["ميلانيا ترامب"]
    assert found.statements(found.match("ترامب")) == list(range(9, 17))


def test_a_title_before_the_name_asked_is_left_out_when_nothing_matches_with_it():
    found = directory({"دونالد ترامب": 5, "سلمان بن عبدالعزيز": 4, "تميم بن حمد آل ثاني": 2,
                       "أنغيلا ميركل": 4, "عبد الفتاح السيسي": 3, "جون كيري": 2, "الرئيس الفرنسي": 1})
    for asked, person in [("الرئيس ترامب", "دونالد ترامب"), ("King Salman", "سلمان بن عبدالعزيز"),
                          ("الملك سلمان", "سلمان بن عبدالعزيز"), ("الشيخ تميم", "تميم بن حمد آل ثاني"),
                          ("Chancellor Merkel", "أنغيلا ميركل"), ("المستشارة الألمانية أنغيلا ميركل", "أنغيلا ميركل"),
                          ("الرئيس السيسي", "عبد الفتاح السيسي"), ("US Secretary of State John Kerry", "جون كيري")]:
        assert found.match(asked) == [person], asked
    assert found.match("زوجة ترامب") == []  # his wife is someone else
    assert found.match("ابنة الملك سلمان") == []


def test_a_latin_surname_finds_the_one_quoted_far_more_not_a_relative():
    found = directory({"الباجي قائد السبسي": 30, "حافظ قايد السبسي": 3, "فرانسوا هولاند": 30, "فرنسوا أولاند": 2})
    assert found.match("Essebsi") == ["الباجي قائد السبسي"]  # his son is another person
    assert found.match("Hafedh Caid Essebsi") == ["حافظ قايد السبسي"]
    # Two spellings of one foreign name are not two people: both, however unequal.
    assert set(found.match("Hollande")) == {"فرانسوا هولاند", "فرنسوا أولاند"}


def test_an_ambiguous_surname_finds_everyone_who_bears_it():
    found = directory({"عادل الجبير": 3, "عبد الله الجبير": 2, "الجبير": 1})
    assert set(found.match("الجبير")) == {"عادل الجبير", "عبد الله الجبير", "الجبير"}


def test_an_agency_is_not_a_person_asked_about():
    found = directory({"فرانس برس": 3, "رويترز": 2, "فرانسوا فيون": 2})
    assert found.match("فرانس برس") == [] and found.match("رويترز") == []
    index = SimpleNamespace(speakers=found)
    result = SpeakerRetriever()._one(index, Question("ماذا قال فرانس برس؟", "ar", "who_said", person="فرانس برس"))
    assert result.candidates == [] and not result.person.found  # the search answers, as for a topic
    assert "فرانس برس" not in result.person.closest


def test_closest_names_people_by_their_display_name():
    found = directory({"بنيامين نتنياهو": 5, "نتانياهو": 2, "فلاديمير بوتين": 3})
    assert found.closest("نتنياهوو") == ["بنيامين نتنياهو"]


def test_a_phrase_that_begins_with_a_name_counts_for_that_person():
    found = directory({"دونالد ترامب": 3, "دونالد ترامب بإبقاء": 1, "المقتول تتحدى دونالد ترامب": 1})
    [trump] = found.people()
    assert trump.names == ("دونالد ترامب", "دونالد ترامب بإبقاء") and trump.statements == 4
    assert found.match("ترامب") == ["دونالد ترامب", "دونالد ترامب بإبقاء"]


def test_a_name_after_words_of_the_sentence_before_it_is_that_person():
    found = directory({"بمدنين عبد المجيد ليشيهب": 2, "عبد المجيد تبون": 3, "عبد المجيد الشرفي": 1,
                       "لإجراء انتخابات مبكرة": 1, "أهالي بن قردان": 1, "بن علي": 1, "بن سالم": 1,
                       "انتخابات بلدية": 1})
    assert found.match("عبد المجيد ليشيهب") == ["عبد المجيد ليشيهب", "بمدنين عبد المجيد ليشيهب"]
    assert ("عبد المجيد ليشيهب", 2) in [(p.name, p.statements) for p in found.people()]
    # Not a given name other people's names open with, or a place after «بن»: still phrases.
    listed = {name for p in found.people() for name in p.names}
    assert "لإجراء انتخابات مبكرة" not in listed and "أهالي بن قردان" not in listed


def test_a_person_is_looked_up_once_for_a_question_asked_deeper_or_again(monkeypatch):
    from retrieval.index import speakers

    calls = []
    real = speakers.closest_names
    monkeypatch.setattr(speakers, "closest_names", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    found = directory({"بنيامين نتنياهو": 3, "فلاديمير بوتين": 2})
    first = found.closest("نتتنياهو")
    first.append("changed by the caller")
    assert found.closest("نتتنياهو") == ["بنيامين نتنياهو"]  # remembered, and not shared
    assert calls == ["نتتنياهو"]
    assert found.match("بوتين") == found.match("بوتين") == ["فلاديمير بوتين"]


def test_spellings_of_one_foreign_name_are_one_person():
    people = grouped({
        "فرانسوا هولاند": 26, "فرنسوا أولاند": 5, "أولاند": 2,  # a silent French h
        "سيرغي لافروف": 4, "سيرجي لافروف": 1,  # g written «غ» or «ج»
        "نعمان قورتولموش": 6, "نعمان كورتولموش": 2,  # a Turkish k written «ق» or «ك»
    })
    assert people == {
        "فرانسوا هولاند": ("فرانسوا هولاند", "فرنسوا أولاند", "أولاند"),
        "سيرغي لافروف": ("سيرغي لافروف", "سيرجي لافروف"),
        "نعمان قورتولموش": ("نعمان قورتولموش", "نعمان كورتولموش"),
    }
    assert directory({"فرانسوا هولاند": 30, "فرنسوا أولاند": 2}).people()[0].names == ("فرانسوا هولاند", "فرنسوا أولاند")


def test_arabic_names_a_letter_apart_stay_two_people():
    people = grouped({"كمال الشاذلي": 3, "جمال الشاذلي": 2, "جاسم المطوع": 2, "قاسم المطوع": 2, "غانم": 1})
    assert len(people) == 5
