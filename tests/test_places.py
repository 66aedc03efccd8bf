"""Tests for retrieval.attribution.places: a place or office glued to «ب»/«ل» between a title and a
name, and one of a group before a name."""

from __future__ import annotations

import pytest

from retrieval.attribution.names import NO_NAMES
from retrieval.attribution.places import one_of
from retrieval.attribution.statements import attribute_article
from retrieval.attribution.tokens import tokenize


def speakers(sentences: list[str], title: str | None = None) -> list[str | None]:
    return [s.speaker if s else None for s in attribute_article(sentences, title=title)]


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        (["وقال مدير شرطة محافظة جدة إن الحملة مستمرة.",
          "وأوضح مساعد مدير الشرطة بجدة عبدالله بن أحمد الثقفي أن الحملة شملت الأحياء كلها."],
         "عبدالله بن أحمد الثقفي"),
        (["وكانت الأمطار غزيرة في وادي الدواسر.",
          "وقال مساعد مدير مكتب الآثار بوادي الدواسر متعب آل قويد إن الاحتفال يستمر يومين."],
         "متعب آل قويد"),
        (["وقد تكفلت إدارة الصحة بالمنطقة بالعلاج.",
          "وأشار المتحدث الرسمي لصحة المنطقة عبدالوهاب شلبي إلى أنه تم التنسيق مع الجهات الأمنية."],
         "عبدالوهاب شلبي"),
    ],
)
def test_a_place_the_article_names_alone_is_not_the_first_word_of_the_name(sentences, expected) -> None:
    assert speakers(sentences)[-1] == expected


def test_an_office_and_the_place_it_serves_come_before_the_name() -> None:
    headline = "تعليم تبوك يبدأ إجراء المقابلات الشخصية للمعلمين الجدد"
    got = speakers([
        headline,
        "وأوضح مدير إدارة شؤون المعلمين بتعليم تبوك صالح بن إبراهيم أبو هاشم, أنه تم توزيع المعلمين على 4 مجموعات.",
    ], title=headline)
    assert got[1] == "صالح بن إبراهيم أبو هاشم"


@pytest.mark.parametrize(
    ("sentences", "expected"),
    [
        # «بندر»: no «ندر» stands alone in the article, the word is the name's
        (["وقال الأمير بندر بن سلطان إن المملكة تدعم الحل السياسي."], "بندر بن سلطان"),
        # «لبنى»: «البنى» stands in the article, but the word after it is «بنت», a name goes on
        (["وقالت الوزيرة لبنى بنت خالد القاسمي إن البنى التحتية تحسنت."], "لبنى بنت خالد القاسمي"),
    ],
)
def test_a_name_that_begins_like_a_preposition_keeps_its_first_word(sentences, expected) -> None:
    assert speakers(sentences)[-1] == expected


def test_a_longer_place_before_the_name_is_not_read_as_the_name() -> None:
    got = speakers([
        "إلى ذلك أزاحت أمانة منطقة جازان الستار عن مسرحية جديدة.",
        "وكشف مدير الإدارة العامة للمسؤولية الاجتماعية بأمانة منطقة جازان يحيى أحمد حكمي، أن المسرحية تأتي ضمن الفعاليات.",
    ])
    assert got[1] != "منطقة جازان يحيى"


def test_a_place_the_article_has_after_fi_is_not_the_first_word_of_the_name() -> None:
    got = speakers([
        "ووقع الهجوم في تشاتانوغا، بولاية تينيسي الأمريكية.",
        "وقال رئيس بلدية تشاتانوغا أندي بيرك إن المدينة في حداد.",
    ])
    assert got[1] == "أندي بيرك"


def test_a_given_name_after_fi_in_a_phrase_is_still_a_name() -> None:
    got = speakers([
        "وأكد أن الأمن يسهم في حسن سير العمل.",
        "ويبين الدكتور حسن محمد سفر أن الإرهاب جريمة.",
    ])
    assert got[1] == "حسن محمد سفر"  # «في حسن سير»: a phrase goes on, «حسن» is no place


# --- one of a group ----------------------------------------------------------------------


def group(sentence: str) -> tuple[str, str | None] | None:
    """The group's words and the name after them, for the subject right after the verb."""
    tokens = tokenize(sentence)
    found = one_of(tokens, 1, NO_NAMES)
    if found is None:
        return None
    end, name = found
    words = " ".join(t.raw for t in tokens[1:end] if t.word)
    return words, " ".join(t.raw for t in tokens[name[0] : name[1]]) if name else None


@pytest.mark.parametrize("sentence, expected", [
    ("وقال أحد المسؤولين إن الأسعار سترتفع.", ("أحد المسؤولين", None)),
    ("وأكدت إحدى المشاركات أن المهرجان ناجح.", ("إحدى المشاركات", None)),
    ("وقال بعض المسؤولين في الشركة إن الأسعار سترتفع.", ("بعض المسؤولين في الشركة", None)),
    ("وقال عدد من الخبراء إن الأسعار سترتفع.", ("عدد من الخبراء", None)),
    ("وتحدث أحد أعضاء الفريق حسن أبو السعود عن الأفكار الجديدة.", ("أحد أعضاء الفريق", "حسن أبو السعود")),
    ("وقال أحد المسؤولين في الشركة محمد العلي إن الأسعار سترتفع.", ("أحد المسؤولين في الشركة", "محمد العلي")),
    ("وقال أحد سكان القرية نصر النواجعة: منذ صدور القرار نعيش في قلق.", ("أحد سكان القرية", "نصر النواجعة")),
])
def test_one_of_a_group_and_the_name_that_follows(sentence, expected):
    assert group(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "وأبدى عدد من المتطوعات سعادتهن وحرصهن على المشاركة.",  # several people: no one named
    "وقال بعض المسؤولين محمد العلي وخالد السعد إن الأسعار سترتفع.",
    "كان أحد المقيمين الأجانب يمازح المسحراتي ويستمع إليه.",  # what he did, not his name
    "وقال أحد كبار مشايخ مأرب علي غريب إن الوضع مستقر.",  # the group's words go on past «كبار»
])
def test_no_name_read_into_a_group(sentence):
    found = one_of(tokenize(sentence), 1, NO_NAMES)
    assert found is None or found[1] is None


def test_a_number_is_no_group():
    assert one_of(tokenize("حسب عدد الخطباء بالمناطق"), 1, NO_NAMES) is None
    assert group("ويمشي أحد") is None
