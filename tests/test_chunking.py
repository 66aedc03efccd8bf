"""Tests for retrieval.ingest.chunking: sentence boundaries, protected dots, long and tiny sentences."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from retrieval.ingest.chunking import chunk_sentences
from retrieval.ingest.dateline import parse_dateline
from retrieval.types import Span

SEED_FILE = Path(__file__).resolve().parent.parent / "seeds" / "000_762f75904539e59f.txt"


def sentences(text: str, **options: int) -> list[str]:
    """The sentence texts, after checking every span against the original text."""
    spans = chunk_sentences(text, **options)
    check_spans(text, spans)
    return [span.text for span in spans]


def check_spans(text: str, spans: list[Span], start: int = 0) -> None:
    """Spans slice the original text, carry no outer whitespace, and go forward."""
    previous_end = max(0, min(start, len(text)))
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.text and span.text == span.text.strip()
        assert span.start >= previous_end
        previous_end = span.end


@pytest.fixture
def seed() -> str:
    return SEED_FILE.read_text(encoding="utf-8")


def test_seed_article_one_sentence_per_line(seed: str) -> None:
    lines = seed.split("\n")
    assert len(lines) == 14
    assert sentences(seed) == lines


def test_seed_unbalanced_quote_does_not_swallow_next_lines(seed: str) -> None:
    found = sentences(seed)
    quoted = 'وأضاف شي "باب الصين لن يغلق أبدا امام العالم ولكن سيفتح بشكل أكبر.'
    index = found.index(quoted)
    assert found[index + 1].startswith("وألقى وانغ هو نينغ")
    assert found[index + 3] == 'وأضاف وانغ "يتعين علينا تعزيز الأمن وبناء نظام جيد وبناء فضاء الكتروني آمن ومستقر ويتمتع بالرخاء.'


def test_seed_after_dateline(seed: str) -> None:
    dateline = parse_dateline(seed)
    assert dateline is not None
    spans = chunk_sentences(seed, dateline.end)
    check_spans(seed, spans, dateline.end)
    assert spans[0].start == dateline.end
    assert spans[0].text.startswith("قال الرئيس الصيني شي جين بينغ")
    assert len(spans) == 14


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Terminators, and runs of them.
        (
            "ذهب الوفد. هل عاد؟ نعم! انتهى؛ وبعد",
            ["ذهب الوفد.", "هل عاد؟", "نعم!", "انتهى؛", "وبعد"],
        ),
        ("ماذا حدث؟! لا أحد يعرف?! ثم انتهى.", ["ماذا حدث؟!", "لا أحد يعرف?!", "ثم انتهى."]),
        ("What? Really! Yes.", ["What?", "Really!", "Yes."]),
        # A newline always ends a sentence; blank lines vanish.
        ("سطر أول بلا نقطة\nسطر ثان\r\n\n  سطر ثالث  ", ["سطر أول بلا نقطة", "سطر ثان", "سطر ثالث"]),
        # Decimals and thousands.
        (
            "بلغ النمو 3.5 في المئة. وارتفع ٣٫٥ و٣.٥ و1,500 دولار.",
            ["بلغ النمو 3.5 في المئة.", "وارتفع ٣٫٥ و٣.٥ و1,500 دولار."],
        ),
        # Dates.
        (
            "في 3.12.2017 وفي 2017/12/03 حدث ذلك. ثم انتهى.",
            ["في 3.12.2017 وفي 2017/12/03 حدث ذلك.", "ثم انتهى."],
        ),
        # URLs and e-mail addresses.
        (
            "زوروا http://www.x.com/a.b?q=1 اليوم. أو www.x.org غدا.",
            ["زوروا http://www.x.com/a.b?q=1 اليوم.", "أو www.x.org غدا."],
        ),
        ("راسلونا على info@news.org اليوم. شكرا.", ["راسلونا على info@news.org اليوم.", "شكرا."]),
        ("زار الوزير www.x.org. ثم عاد.", ["زار الوزير www.x.org.", "ثم عاد."]),
        ("see example.com for more. Then leave.", ["see example.com for more.", "Then leave."]),
        # Initials and abbreviations.
        ("التقى د. محمد مع أ. د. أحمد. ثم غادرا.", ["التقى د. محمد مع أ. د. أحمد.", "ثم غادرا."]),
        ("حضر م. خالد و هـ. سعيد و أ.د. علي. ثم انتهى.", ["حضر م. خالد و هـ. سعيد و أ.د. علي.", "ثم انتهى."]),
        (
            "U.S. officials met Mr. Smith and J. Doe. They left.",
            ["U.S. officials met Mr. Smith and J. Doe.", "They left."],
        ),
        ("Use tools, e.g. a hammer. Done.", ["Use tools, e.g. a hammer.", "Done."]),
        # Ellipses: not in the middle of a sentence, yes at its end.
        ("وقال إن الأمور... تسير على ما يرام.", ["وقال إن الأمور... تسير على ما يرام."]),
        ("انتظر… ثم تكلم.", ["انتظر… ثم تكلم."]),
        ("انتظرنا طويلا...\nثم وصل", ["انتظرنا طويلا...", "ثم وصل"]),
        ("We waited... Then he came.", ["We waited...", "Then he came."]),
        # Quoted speech that closes on the line is not split.
        ("وقال الوزير «إن الوضع صعب. لكننا سنتجاوزه» ثم غادر.", ["وقال الوزير «إن الوضع صعب. لكننا سنتجاوزه» ثم غادر."]),
        ('وقال "هل نستسلم؟ لا! أبدا" ثم غادر.', ['وقال "هل نستسلم؟ لا! أبدا" ثم غادر.']),
        ("وقال “الوضع صعب. جدا” ثم غادر.", ["وقال “الوضع صعب. جدا” ثم غادر."]),
        # A terminator right before the closing quote ends the sentence after the quote.
        ('قال "انتهى الأمر." ثم غادر.', ['قال "انتهى الأمر."', "ثم غادر."]),
        ("قال «انتهى الأمر.» ثم غادر.", ["قال «انتهى الأمر.»", "ثم غادر."]),
        # An unbalanced quote protects nothing, and never crosses a line.
        (
            'وأضاف "باب الصين لن يغلق. بل سيفتح.\nوألقى وانغ كلمة.',
            ['وأضاف "باب الصين لن يغلق.', "بل سيفتح.", "وألقى وانغ كلمة."],
        ),
        ("قال «بداية. ثم\nنهاية» هنا.", ["قال «بداية.", "ثم", "نهاية» هنا."]),
        # A closing bracket stays with its sentence.
        ("حدث ذلك (في الصين.) ثم انتهى.", ["حدث ذلك (في الصين.)", "ثم انتهى."]),
        # Numbered list markers at the start of a line.
        ("1. البند الأول\n2. البند الثاني", ["1. البند الأول", "2. البند الثاني"]),
        # Arabic text without a space after the full stop.
        ("انتهى الاجتماع.وقال الوزير", ["انتهى الاجتماع.", "وقال الوزير"]),
    ],
)
def test_sentence_boundaries(text: str, expected: list[str]) -> None:
    assert sentences(text, min_chars=1) == expected


@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \r\n", "\u2028"])
def test_empty_text(text: str) -> None:
    assert chunk_sentences(text) == []


def test_start_offset_is_respected() -> None:
    text = "هذه جملة أولى طويلة بما يكفي. وهذه جملة ثانية طويلة بما يكفي."
    start = text.index("وهذه")
    spans = chunk_sentences(text, start)
    assert spans == [Span(start, len(text), "وهذه جملة ثانية طويلة بما يكفي.")]
    assert chunk_sentences(text, len(text) + 5) == []
    assert chunk_sentences(text, -3) == chunk_sentences(text)


def test_long_sentence_is_split_at_commas() -> None:
    clause = "وأكد المسؤول أهمية التعاون بين البلدين في مجالات عديدة"
    text = "، ".join([clause] * 12) + "."
    spans = chunk_sentences(text, max_chars=150)
    check_spans(text, spans)
    assert len(spans) > 1
    assert all(len(span.text) <= 150 for span in spans)
    assert all(span.text.endswith("،") for span in spans[:-1])
    assert " ".join(span.text for span in spans) == text


def test_long_sentence_cut_nearest_the_middle() -> None:
    left = "كلمة " * 30 + "نهاية،"
    right = " بداية" + " كلمة" * 30 + "."
    text = left + right
    spans = chunk_sentences(text, max_chars=len(text) - 1)
    assert [span.text for span in spans] == [left, right.strip()]


def test_long_sentence_without_commas_is_split_at_spaces() -> None:
    text = " ".join(f"كلمة{i}" for i in range(200)) + "."
    spans = chunk_sentences(text, max_chars=100)
    check_spans(text, spans)
    assert all(len(span.text) <= 100 for span in spans)
    assert " ".join(span.text for span in spans) == text


def test_thousands_separator_is_not_a_split_point() -> None:
    text = "ارتفع " * 20 + "1,500 " + "ضيف " * 20 + "."
    spans = chunk_sentences(text, max_chars=100)
    check_spans(text, spans)
    assert all(len(span.text) <= 100 for span in spans)
    assert not any(span.text.endswith("1,") for span in spans)
    assert "1,500" in " ".join(span.text for span in spans)


def test_one_huge_word_is_cut() -> None:
    text = "ا" * 1000
    spans = chunk_sentences(text, max_chars=300)
    check_spans(text, spans)
    assert all(len(span.text) <= 300 for span in spans)
    assert "".join(span.text for span in spans) == text


def test_tiny_fragment_joins_previous_sentence() -> None:
    text = "وصل الوفد إلى العاصمة بكين صباح اليوم. (الأحد). ثم عقد اجتماعا مطولا مع المسؤولين."
    assert sentences(text) == [
        "وصل الوفد إلى العاصمة بكين صباح اليوم. (الأحد).",
        "ثم عقد اجتماعا مطولا مع المسؤولين.",
    ]


def test_tiny_fragment_at_line_start_joins_next_sentence_on_the_line() -> None:
    text = "سطر أول طويل بما يكفي ليبقى وحده.\nنعم. وصل الوفد إلى العاصمة بكين صباح اليوم."
    assert sentences(text) == [
        "سطر أول طويل بما يكفي ليبقى وحده.",
        "نعم. وصل الوفد إلى العاصمة بكين صباح اليوم.",
    ]


def test_tiny_line_joins_previous_line() -> None:
    text = "وصل الوفد إلى العاصمة بكين صباح اليوم.\n(الأحد)."
    assert sentences(text) == [text]


def test_tiny_first_line_joins_next_line() -> None:
    text = "2.\nالبند الثاني من الاتفاق الجديد بين البلدين."
    assert sentences(text) == [text]


@pytest.mark.parametrize(("text", "expected"), [("(الأحد).", "(الأحد)."), ("  2.  ", "2."), ("نعم", "نعم")])
def test_a_tiny_document_is_one_span(text: str, expected: str) -> None:
    assert sentences(text) == [expected]


def test_tiny_fragments_do_not_pile_up_past_max_chars() -> None:
    text = "كلمة. " * 2000
    spans = chunk_sentences(text, max_chars=200)
    check_spans(text, spans)
    assert len(spans) > 40
    assert all(len(span.text) <= 200 for span in spans)


def test_large_input_gives_consistent_spans() -> None:
    text = ("وقال المسؤول إن 3.5 مليون، و«الوضع صعب. جدا» في www.x.org اليوم. " * 2000) + "a.a" * 20000
    spans = chunk_sentences(text)
    check_spans(text, spans)
    assert len(spans) >= 2000


def test_random_text_never_raises() -> None:
    rng = random.Random(31415)
    alphabet = list(".!?؟؛…،,;\"«»“”'()\n\r \t٫٣3aZ@/") + ["www.", "http://", "د.", "U.S.", "..."]
    alphabet += [chr(code) for code in range(0x0621, 0x064B)]
    for _ in range(3000):
        if rng.random() < 0.5:
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
        else:
            text = "".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(0, 200)))
        start = rng.randint(-5, len(text) + 5)
        spans = chunk_sentences(
            text, start, max_chars=rng.choice([1, 10, 50, 400]), min_chars=rng.choice([0, 1, 20, 100])
        )
        check_spans(text, spans, start)
        assert bool(spans) == bool(text[max(0, start) :].strip())


@pytest.mark.parametrize(
    "text, first",
    [
        ("قال مدير وكالة سي. آي. إيه جون برينان إن الهجوم وقع في الصباح. وأضاف أن التحقيق مستمر منذ أيام.",
         "قال مدير وكالة سي. آي. إيه جون برينان إن الهجوم وقع في الصباح."),
        ("وقال د. أحمد زويل إن العلم مفتاح النهضة في كل بلد. وأضاف أن التعليم أساس كل تقدم.",
         "وقال د. أحمد زويل إن العلم مفتاح النهضة في كل بلد."),
        ("وقال م. خالد العتيبي إن المشروع سينتهي العام المقبل. وأضاف أن التكلفة ارتفعت كثيرا.",
         "وقال م. خالد العتيبي إن المشروع سينتهي العام المقبل."),
        ("وأعلن مكتب إف. بي. آي. في نيويورك أنه فتح تحقيقا في الحادث. وقال المتحدث إن النتائج قريبة.",
         "وأعلن مكتب إف. بي. آي. في نيويورك أنه فتح تحقيقا في الحادث."),
    ],
)
def test_abbreviations_do_not_cut_sentences(text: str, first: str) -> None:
    spans = chunk_sentences(text)
    assert [span.text for span in spans][0] == first
    assert len(spans) == 2


def test_a_letter_name_word_still_ends_a_sentence_before_plain_words() -> None:
    text = "وصلت الطائرة صباح اليوم إلى مطار بي. في المساء خرج الركاب إلى المدينة بسرعة كبيرة."
    assert len(chunk_sentences(text)) == 2
