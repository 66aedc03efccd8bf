"""What a stored speaker name is: a person, an organisation or outlet, or a phrase taken for a name."""

from __future__ import annotations

import pytest

from retrieval.attribution.speaker_kinds import JUNK, ORGANISATION, PERSON, speaker_kind


@pytest.mark.parametrize("name", [
    "دونالد ترامب", "ترامب", "شي جين بينغ", "علي خامنئي", "عبد العزيز بن علي الشريف", "فان بيرسي",
    "جون كي", "ما ينغ جيو", "هو جين تاو", "حسن نصر الله", "أنا ماري غوتيز", "سارة ليا ويتسن",
    "مرغريتا سيمونيان", "ملالا يوسفزاي", "والتر شتاينماير", "سالمة الخريجي", "ماهر الجديد", "كارل بيلت",
    "رضا لحول",  # «ل» + «حول» makes no phrase: a family name
])
def test_names_of_people(name):
    assert speaker_kind(name) == PERSON


@pytest.mark.parametrize("name", [
    "فرانس برس", "رويترز", "أسوشيتد برس", "وكالة الأنباء السعودية", "صحيفة الشرق الأوسط", "قناة الجزيرة",
    "سي إن إن", "بي بي سي", "CNN", "الأمم المتحدة", "وزارة الخارجية", "سكاي نيوز", "نيويورك تايمز",
])
def test_organisations_and_outlets(name):
    assert speaker_kind(name) == ORGANISATION


@pytest.mark.parametrize("name", [
    "لأمر ترامب", "بوتين بشن ضربات جوية", "سنحدد موقفنا", "إرادة النواب", "ماذكرت محطات تلفزيونية تركية",
    "يوري موسيفيني اسم", "دونالد ترامب بإبقاء", "بمنطقة مكة", "لرويترز", "سكان الموصل", "معالي", "صاحب السمو",
    "فيديو", "لـ", "م", "جوش إرنست بـ", "إيمانويل ماكرون بـ65", "المقتول تتحدى دونالد ترامب", "مبتسما",
    "وتم إرسال", "ففي حال", "عبرالأورجوائي ألفارو جوتيريز", "zborder", "لانتخابات",
    "لحول", "زيارات لتقييم", "لحول ترامب",  # alone, or not a preposition, or not last: still phrases
    "لاجئين سوريين", "مواطنين أتراكا",  # a group in the accusative or genitive
])
def test_phrases_taken_for_names(name):
    assert speaker_kind(name) == JUNK
