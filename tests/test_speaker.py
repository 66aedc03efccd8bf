"""«Who said what» answers over a small index (fake embedder): grouping, order, copies, paging."""

from __future__ import annotations

import datetime as dt

import pytest

from retrieval.model.embedder import FakeEmbedder
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
