"""«Who said what» answers over a small index (fake embedder): grouping, order, copies, paging."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from retrieval.model.embedder import FakeEmbedder
from retrieval.query.speaker import canonical_name
from retrieval.service import NewsService

TRUMP_2017 = (
    "واشنطن 5 مارس 2017 (رويترز) قال الرئيس الأمريكي دونالد ترامب إن بلاده ستفرض رسوما جديدة على واردات الصلب.\n"
    "وأضاف ترامب أن القرار سيحمي آلاف الوظائف في المصانع الأمريكية خلال السنوات المقبلة.\n"
    "وأعرب أوباما عن أسفه بشأن قرار ترامب الانسحاب من الاتفاق التجاري مع الدول الآسيوية.\n"
)
TRUMP_2018 = (
    "واشنطن 9 يناير 2018 (رويترز) أكد الرئيس الأمريكي دونالد ترامب أن المحادثات مع كوريا الشمالية ستستمر.\n"
    "وقال ترامب إن الولايات المتحدة مستعدة للقاء زعيم كوريا الشمالية في أي وقت قريب.\n"
)
# The same wire story carried by another agency.
COPY = (
    "واشنطن 9 يناير 2018 (أ ف ب) أكد الرئيس الأمريكي دونالد ترامب أن المحادثات مع كوريا الشمالية ستستمر.\n"
    "وقال ترامب إن الولايات المتحدة مستعدة للقاء زعيم كوريا الشمالية في أي وقت قريب.\n"
)


@pytest.fixture
def service(seed_dir, index_dir):
    (seed_dir / "trump-2017.txt").write_text(TRUMP_2017, encoding="utf-8")
    (seed_dir / "trump-2018.txt").write_text(TRUMP_2018, encoding="utf-8")
    (seed_dir / "trump-2018-afp.txt").write_text(COPY, encoding="utf-8")
    svc = NewsService(seed_dir, index_dir, FakeEmbedder(), min_score=-1.0)
    svc.open()
    return svc


def test_all_statements_newest_article_first_in_article_order(service):
    answer = service.answer("ماذا قال ترامب؟", k=None)
    assert answer.person.names == ("دونالد ترامب",) and answer.person.total == 4
    dates = [h.source.date for h in answer.hits]
    assert dates == [dt.date(2018, 1, 9), dt.date(2018, 1, 9), dt.date(2017, 3, 5), dt.date(2017, 3, 5)]
    assert [h.passage.index for h in answer.hits[2:]] == [0, 1]
    assert not any("أوباما" in h.passage.text for h in answer.hits)  # Obama's, about Trump
    assert [h.rank for h in answer.hits] == [1, 2, 3, 4]


def test_wire_copies_are_shown_once_with_all_their_sources(service):
    answer = service.answer("ماذا قال ترامب؟", k=None)
    first = answer.hits[0]
    agencies = {first.source.agency} | {s.agency for s in first.also_in}
    assert agencies == {"رويترز", "أ ف ب"}
    assert len({h.passage.text for h in answer.hits}) == len(answer.hits)


def test_paging_and_a_cap(service):
    every = service.answer("ماذا قال ترامب؟", k=None).hits
    page = service.answer("ماذا قال ترامب؟", k=2, offset=2).hits
    assert [h.passage for h in page] == [h.passage for h in every[2:4]]
    assert [h.rank for h in page] == [3, 4]
    assert service.answer("ماذا قال ترامب؟", k=2, offset=4).hits == ()


def test_a_year_filters_and_a_year_with_nothing_gives_all_with_a_note(service):
    in_2017 = service.answer("ماذا قال ترامب في 2017؟", k=None)
    assert {h.source.date.year for h in in_2017.hits} == {2017} and not in_2017.person.all_times
    in_2015 = service.answer("ماذا قال ترامب في 2015؟", k=None)
    assert in_2015.person.all_times and in_2015.person.total == 4


def test_a_topic_ranks_articles_by_relevance(service):
    answer = service.answer("ماذا قال ترامب عن واردات الصلب والرسوم؟", k=None)
    assert answer.hits[0].source.date == dt.date(2017, 3, 5)  # the steel article, though older
    assert answer.person.topic == "واردات الصلب والرسوم"


def test_english_and_spelling_variants_find_the_person(service):
    arabic = service.answer("ماذا قال ترامب؟", k=None)
    for question in ("What did Trump say?", "ماذا قال ترمب؟", "ما الذي قاله دونالد ترامب"):
        assert [h.passage for h in service.answer(question, k=None).hits] == [h.passage for h in arabic.hits], question


def test_a_title_asked_before_the_name_finds_the_person(service):
    arabic = service.answer("ماذا قال ترامب؟", k=None)
    for question in ("ماذا قال الرئيس ترامب؟", "What did President Trump say?", "ماذا قال الرئيس الأمريكي ترامب؟"):
        answer = service.answer(question, k=None)
        assert answer.person is not None and answer.person.found, question
        assert [h.passage for h in answer.hits] == [h.passage for h in arabic.hits], question
    assert not service.answer("ماذا قال الرئيس الفرنسي؟", k=3).person.found  # a title alone is nobody


def test_a_person_nobody_quotes_gets_no_unrelated_passages(service):
    answer = service.answer("ماذا قال ماكرون؟", k=3)
    assert answer.person is not None and not answer.person.found and answer.person.asked == "ماكرون"
    assert not answer.found  # nothing names him: no unrelated passages (min_score -1 here)
    assert answer.person.closest == ()


def test_a_name_nobody_quotes_keeps_the_passages_that_name_it(service):
    answer = service.answer("ماذا قال كوريا الشمالية؟", k=5)
    assert not answer.person.found and answer.found
    assert all("كوريا" in h.passage.text for h in answer.hits)


def test_a_near_miss_names_the_closest_people_quoted(service):
    quoted = {p.name for p in service.people()}
    answer = service.answer("ماذا قال ترانب؟", k=3)
    assert not answer.person.found and answer.person.closest == ("دونالد ترامب",), quoted


def test_other_questions_keep_the_normal_search(service):
    answer = service.answer("كوريا الشمالية", k=3)
    assert answer.person is None and answer.found


def test_people_are_counted(service):
    people = {p.name: p for p in service.people()}
    assert people["دونالد ترامب"].statements == 6 and people["دونالد ترامب"].articles == 3
    assert people["شي جين بينغ"].statements == 8
    assert list(people)[0] == "شي جين بينغ"


# -- a topic selects, a time filters, two people, the name shown -----------------------------


@pytest.fixture
def topical(seed_dir, index_dir):
    """The same articles, with the background sentences a topic is measured against."""
    (seed_dir / "trump-2017.txt").write_text(TRUMP_2017, encoding="utf-8")
    (seed_dir / "trump-2018.txt").write_text(TRUMP_2018, encoding="utf-8")
    (seed_dir / "trump-2018-afp.txt").write_text(COPY, encoding="utf-8")
    svc = NewsService(seed_dir, index_dir, FakeEmbedder(), min_score=-1.0, margin=-1.0)
    svc.open()
    return svc


def test_a_topic_selects_the_statements_about_it_and_offers_the_others_after_them(topical):
    answer = topical.answer("ماذا قال ترامب عن كوريا الشمالية؟", k=None)
    assert answer.person.total == 4 and answer.person.on_topic == 2 and answer.person.listed == 2
    about, others = answer.hits[:2], answer.hits[2:]
    assert all("كوريا" in h.passage.text and not h.aside for h in about)
    assert all("كوريا" not in h.passage.text and h.aside for h in others) and len(others) == 2
    page = topical.answer("ماذا قال ترامب عن كوريا الشمالية؟", k=1, offset=2).hits
    assert [(h.rank, h.aside, h.passage) for h in page] == [(3, True, others[0].passage)]


def test_a_topic_nobody_spoke_about_lists_every_statement_as_another(topical):
    answer = topical.answer("ماذا قال ترامب عن الصين؟", k=None)
    assert answer.person.on_topic == 0 and answer.person.total == 4
    assert all(h.aside for h in answer.hits) and len(answer.hits) == 4


def test_without_a_topic_nothing_is_aside(topical):
    answer = topical.answer("ماذا قال ترامب؟", k=None)
    assert answer.person.on_topic is None and not any(h.aside for h in answer.hits)


@pytest.mark.parametrize(
    ("question", "dates"),
    [
        ("ماذا قال ترامب بين 2016 و2017؟", {dt.date(2017, 3, 5)}),
        ("ماذا قال ترامب من 2017 إلى 2018؟", {dt.date(2017, 3, 5), dt.date(2018, 1, 9)}),
        ("ماذا قال ترامب منذ 2018؟", {dt.date(2018, 1, 9)}),
        ("ماذا قال ترامب قبل 2018؟", {dt.date(2017, 3, 5)}),
        ("ماذا قال ترامب في مارس 2017؟", {dt.date(2017, 3, 5)}),
        ("ماذا قال ترامب في كانون الثاني 2018؟", {dt.date(2018, 1, 9)}),
        ("What did Trump say between 2016 and 2017?", {dt.date(2017, 3, 5)}),
        ("What did Trump say since 2018?", {dt.date(2018, 1, 9)}),
        ("What did Trump say in January 2018?", {dt.date(2018, 1, 9)}),
    ],
)
def test_a_range_or_a_month_filters_the_statements(service, question, dates):
    answer = service.answer(question, k=None)
    assert {h.source.date for h in answer.hits} == dates and not answer.person.all_times


def test_a_month_with_no_statement_gives_all_of_them_and_says_so(service):
    answer = service.answer("ماذا قال ترامب في يناير 2017؟", k=None)
    assert answer.person.all_times and answer.person.total == 4 and answer.person.when == "في يناير 2017"


@pytest.mark.parametrize("question", ["ماذا قال ترامب وشي؟", "ماذا قال ترامب و شي؟", "What did Trump and Xi say?"])
def test_two_people_each_get_their_statements(service, question):
    answer = service.answer(question, k=None)
    assert [p.name for p in answer.people] == ["دونالد ترامب", "شي جين بينغ"]
    assert answer.person is answer.people[0]
    assert [p.total for p in answer.people] == [4, 8]
    assert [h.person for h in answer.hits] == [0] * 4 + [1] * 8
    assert {h.speaker for h in answer.hits[:4]} == {"دونالد ترامب"}
    assert [h.rank for h in answer.hits] == list(range(1, 13))
    page = service.answer(question, k=3, offset=3).hits
    assert [(h.rank, h.person) for h in page] == [(4, 0), (5, 1), (6, 1)]


def test_two_people_and_a_topic_list_what_each_said_about_it_first(topical):
    answer = topical.answer("ماذا قال ترامب و شي عن كوريا الشمالية؟", k=None)
    assert [(p.total, p.on_topic) for p in answer.people] == [(4, 2), (8, 0)]
    assert [(h.person, h.aside) for h in answer.hits] == [(0, False)] * 2 + [(0, True)] * 2 + [(1, True)] * 8


def test_and_with_someone_nobody_quotes_is_not_cut(service):
    answer = service.answer("ماذا قال ترامب وماكرون؟", k=None)
    assert len(answer.people) == 1  # «ماكرون» is nobody quoted: the name stays whole


NETANYAHU = (
    "القدس 5 مارس 2017 (رويترز) قال رئيس الوزراء الإسرائيلي بنيامين نتنياهو إن حكومته ستبني مساكن جديدة.\n"
    "وأضاف بنيامين نتنياهو أن القرار نهائي ولن يتغير بعد اجتماع الحكومة الأسبوعي.\n"
)
TYPO = (
    "القدس 7 مارس 2017 (أ ف ب) قال رئيس الوزراء الإسرائيلي بنيامين نتتنياهو إن المفاوضات متوقفة منذ أشهر طويلة.\n"
)


def test_the_heading_name_is_the_spelling_most_statements_carry(seed_dir, index_dir):
    (seed_dir / "netanyahu.txt").write_text(NETANYAHU, encoding="utf-8")
    (seed_dir / "typo.txt").write_text(TYPO, encoding="utf-8")
    svc = NewsService(seed_dir, index_dir, FakeEmbedder(), min_score=-1.0)
    svc.open()
    answer = svc.answer("ماذا قال نتانياهو؟", k=None)
    assert "بنيامين نتتنياهو" in answer.person.names and answer.person.total == 3
    assert answer.person.name == "بنيامين نتنياهو"


def test_without_a_canonical_name_the_spelling_with_most_statements_is_shown():
    class Speakers:  # a directory that knows no canonical names
        positions = {"بنيامين نتتنياهو": [1], "بنيامين نتنياهو": [2, 3], "نتنياهو": [4]}

        def statements(self, names):
            return sorted(p for n in names for p in self.positions[n])

    index = SimpleNamespace(speakers=Speakers())
    assert canonical_name(index, ["بنيامين نتتنياهو", "نتنياهو", "بنيامين نتنياهو"]) == "بنيامين نتنياهو"
    assert canonical_name(index, ["بنيامين نتتنياهو", "نتنياهو"]) == "بنيامين نتتنياهو"  # a tie: the fuller
