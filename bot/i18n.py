"""Everything a user reads, in Arabic and English: one catalog of texts, counted nouns, dates
and links shown for reading (pure, no I/O).

Each reply is in one language, chosen per message by ``reply_language``. Texts are
``str.format`` templates; a value that counts something is a ``plural`` phrase, which is in
the nominative: the entries put it where it is the subject or after a colon. Entries hold
no ``<``, ``>`` or ``&``, so Telegram HTML may use them as they are; the values put into
them must be escaped by the caller. Arabic entries that start a line start each of its
lines with the right-to-left mark (RLM), English entries never.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple
from urllib.parse import unquote

from retrieval.text.normalize import strip_invisible

LANGUAGES = ("ar", "en")
DEFAULT_LANGUAGE = "ar"
#: Right-to-left mark: starts Arabic lines so numbers and punctuation keep their place.
RLM = "\u200f"

MONTHS = {
    "ar": (
        "يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو",
        "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}


class Noun(NamedTuple):
    """A counted noun's forms. Arabic: ``singular`` (with «واحد/واحدة» for 1), ``dual`` (2),
    ``plural`` (3–10, and after «لا» for 0), ``accusative`` singular (11–99) and
    ``genitive`` singular (100, 101, 102, 1000…); all nominative where case shows."""

    en: str
    en_plural: str
    singular: str
    dual: str
    plural: str
    accusative: str
    genitive: str
    feminine: bool


NOUNS: dict[str, Noun] = {
    "statement": Noun("statement", "statements", "تصريح", "تصريحان", "تصريحات", "تصريحا", "تصريح", False),
    "result": Noun("result", "results", "نتيجة", "نتيجتان", "نتائج", "نتيجة", "نتيجة", True),
    "article": Noun("article", "articles", "مقال", "مقالان", "مقالات", "مقالا", "مقال", False),
    "passage": Noun("passage", "passages", "مقطع", "مقطعان", "مقاطع", "مقطعا", "مقطع", False),
    "question": Noun("question", "questions", "سؤال", "سؤالان", "أسئلة", "سؤالا", "سؤال", False),
    "second": Noun("second", "seconds", "ثانية", "ثانيتان", "ثوان", "ثانية", "ثانية", True),
    "minute": Noun("minute", "minutes", "دقيقة", "دقيقتان", "دقائق", "دقيقة", "دقيقة", True),
    "person": Noun("person", "people", "شخص", "شخصان", "أشخاص", "شخصا", "شخص", False),
    "source": Noun("source", "sources", "مصدر", "مصدران", "مصادر", "مصدرا", "مصدر", False),
    "sentence": Noun("sentence", "sentences", "جملة", "جملتان", "جمل", "جملة", "جملة", True),
    "character": Noun("character", "characters", "حرف", "حرفان", "أحرف", "حرفا", "حرف", False),
}


def _rtl(text: str) -> str:
    """``text`` with the right-to-left mark at the start of each of its lines."""
    return "\n".join(RLM + line if line else line for line in text.split("\n"))


_HELP_AR = _rtl(
    "👋 أهلاً! أنا أجيب عن الأسئلة من الأخبار المفهرسة.\n"
    "اكتب سؤالك، مثلاً: «ماذا قال شي؟»، فأرسل لك أقرب المقاطع مع مصادرها، "
    "والكلمات المطابقة بالخط العريض.\n"
    "• تابع بأسئلة قصيرة: «وماذا عن …؟»، «ماذا قال أيضا؟»، «متى قال ذلك؟»؛ "
    "و/reset يبدأ محادثة جديدة.\n"
    "• «المزيد» يعرض النتائج التالية، و📖 يعرض المقطع في سياقه.\n"
    "• في المجموعات: اذكرني (@) أو ردّ على رسالتي أو استخدم /ask.\n"
    "• في أي محادثة: اكتب اسمي ثم سؤالك (الوضع المضمّن).\n"
    "«ماذا قال فلان؟» يعرض كل تصريحاته، و/speakers يعرض من يُقتبس أكثر.\n"
    "«من قال إن …؟» أو «من تحدث عن …؟» يعرض التصريحات المطابقة مجمّعة حسب قائليها.\n"
    "الأوامر: /sources المقالات، /speakers المتحدثون، /stats إحصاءات الفهرس، "
    "/reset محادثة جديدة، /help هذه الرسالة."
)
_HELP_EN = (
    "👋 Hello! I answer questions from the indexed news.\n"
    "Type a question, e.g. “What did Xi say?”, and I send the closest passages with "
    "their sources, the matching words in bold.\n"
    "• Follow up with short questions: “What about …?”, “What else did he say?”, "
    "“When was that?”; /reset starts a new conversation.\n"
    "• “More” shows the next results; 📖 shows a passage in its context.\n"
    "• In groups: mention me, reply to me, or use /ask.\n"
    "• In any chat: type my @name and a question (inline mode).\n"
    "“What did X say?” lists all of X's statements; /speakers shows who is quoted most.\n"
    "“Who said …?” or “Who talked about …?” lists the matching statements, grouped by speaker.\n"
    "Commands: /sources articles, /speakers people quoted, /stats index statistics, "
    "/reset new conversation, /help this message."
)

#: key -> {"ar": ..., "en": ...}. Values named after a noun (``count``, ``questions``,
#: ``wait``, ``statements``, ``articles``, ``characters``) are ``plural`` phrases.
CATALOG: dict[str, dict[str, str]] = {
    # -- answers
    "nothing_found": {
        "ar": _rtl("🤷 لم أجد في الأخبار المفهرسة ما يجيب عن سؤالك.\n"
                   "جرّب صياغة أخرى، أو كلمات أدق: اسم شخص أو مكان أو حدث."),
        "en": "🤷 I found nothing in the indexed news that answers your question.\n"
              "Try rephrasing it, or use more specific words: a name, a place, an event.",
    },
    "nothing_found_for": {
        "ar": _rtl("🤷 لم أجد في الأخبار المفهرسة ما يجيب عن «{question}». "
                   "جرّب صياغة أخرى أو كلمات أدق."),
        "en": "🤷 I found nothing in the indexed news that answers “{question}”. "
              "Try rephrasing it or more specific words.",
    },
    "unsupported_language": {
        "ar": _rtl("🤷 لم أجد شيئا. أفهم الأسئلة المكتوبة بالعربية أو بالإنجليزية (بالحروف اللاتينية)."),
        "en": "🤷 I found nothing. I understand questions written in Arabic or in English (Latin script).",
    },
    "no_more": {"ar": "لا مزيد من النتائج", "en": "No more results"},
    "question_cut": {
        "ar": _rtl("✂️ سؤالك أطول من اللازم فقصصته؛ الحد الأقصى: {characters}."),
        "en": "✂️ Your question was too long, so I cut it; the limit is {characters}.",
    },
    "about": {"ar": _rtl("عن: {question}"), "en": "About: {question}"},
    "context_head": {"ar": _rtl("📖 السياق"), "en": "📖 Context"},
    "sentence_of": {"ar": "الجملة {n}", "en": "sentence {n}"},
    "said_by": {"ar": "— {name}", "en": "— {name}"},
    "date_time": {"ar": "{date}، {time} UTC", "en": "{date}, {time} UTC"},
    # -- a person's statements
    "statements_heading": {
        "ar": _rtl("🗣️ ما قاله «{name}»{topic}{time}: {count}"),
        "en": "🗣️ What {name} said{topic}{time}: {count}",
    },
    "about_topic": {"ar": " عن «{topic}»", "en": " about “{topic}”"},
    "in_time": {"ar": " ({when})", "en": " ({when})"},
    "more_statements": {
        "ar": _rtl("… لم يُعرض بعد: {count} ({hint})."),
        "en": "… Not shown yet: {count} ({hint}).",
    },
    "hint_type_more": {"ar": "اكتب «المزيد»", "en": "type “more”"},
    "hint_without_k": {"ar": "اسأل دون -k لتراها كلها", "en": "ask without -k to see them all"},
    "nobody_quoted": {
        "ar": _rtl("لم أجد في الأخبار المفهرسة تصريحات منسوبة إلى «{name}»؛ هذه نتائج البحث العادي."),
        "en": "Nobody called “{name}” is quoted in the indexed news; here are the ordinary search results.",
    },
    "nobody_quoted_closest": {
        "ar": _rtl("لا أحد باسم «{name}» مقتبَس في الأخبار المفهرسة. أقرب الأسماء: {names}."),
        "en": "Nobody called “{name}” is quoted in the indexed news. The closest names: {names}.",
    },
    "people_summary": {
        "ar": _rtl("👥 {people}، كلٌّ تحت اسمه أدناه."),
        "en": "👥 {people}, each under their own heading below.",
    },
    "nobody_quoted_none": {
        "ar": _rtl("لا أحد باسم «{name}» مقتبَس في الأخبار المفهرسة. "
                   "لترى من يُقتبس: /speakers أو newsqa speakers."),
        "en": "Nobody called “{name}” is quoted in the indexed news. "
              "To see who is quoted: /speakers or newsqa speakers.",
    },
    "no_statement_dated": {
        "ar": " (لا تصريح «{when}»، فهذه من كل التواريخ)",
        "en": " (none “{when}”, so from every date)",
    },
    "other_statements": {
        "ar": _rtl("🗒️ تصريحات أخرى لـ«{name}» (ليست عن «{topic}»): {count}"),
        "en": "🗒️ Other statements by {name} (not about “{topic}”): {count}",
    },
    "no_other_statements": {
        "ar": _rtl("لا تصريحات أخرى لـ«{name}» غير ما عرضته."),
        "en": "No other statements by {name} than those already shown.",
    },
    # -- who said something («من قال …؟»): the statements that match, by speaker
    "claim_speaker": {"ar": _rtl("🗣️ {name} — {count}"), "en": "🗣️ {name} — {count}"},
    "claim_nothing": {
        "ar": _rtl("🤷 لم أجد في الأخبار المفهرسة تصريحا لأحد يطابق «{claim}»."),
        "en": "🤷 I found no statement in the indexed news that matches “{claim}”.",
    },
    # -- follow-ups: when, where, from which source
    "details_when": {"ar": _rtl("🗓️ قيل ذلك في:"), "en": "🗓️ That was said on:"},
    "details_where": {"ar": _rtl("📍 أين قيل ذلك:"), "en": "📍 Where that was said:"},
    "details_source": {"ar": _rtl("📰 ورد ذلك في:"), "en": "📰 Reported in:"},
    "details_nothing": {
        "ar": _rtl("لم أعرض شيئا بعد لأقول متى قيل أو أين أو في أي مصدر؛ اطرح سؤالا أولا."),
        "en": "I haven't shown anything yet to say when, where or in which source; ask a question first.",
    },
    "reset_done": {
        "ar": _rtl("🧹 بدأنا من جديد: سؤالك التالي لا يعتمد على ما سبقه."),
        "en": "🧹 Conversation cleared: your next question starts afresh.",
    },
    "reset_hint": {
        "ar": _rtl("{command} ينسى المحادثة ويبدأ من جديد."),
        "en": "{command} clears the conversation and starts afresh.",
    },
    # -- commands and help
    "help": {"ar": _HELP_AR, "en": _HELP_EN},
    "command_start": {"ar": "البدء والتعريف بالبوت", "en": "Start and meet the bot"},
    "command_help": {"ar": "كيف تسأل", "en": "How to ask"},
    "command_ask": {"ar": "اطرح سؤالاً (في المجموعات)", "en": "Ask a question (in groups)"},
    "command_sources": {"ar": "المقالات المفهرسة", "en": "The indexed articles"},
    "command_speakers": {"ar": "من يُقتبس أكثر (اسأل: ماذا قال…؟)", "en": "Who is quoted most (ask: what did … say?)"},
    "command_stats": {"ar": "إحصاءات الفهرس", "en": "Index statistics"},
    "command_reindex": {"ar": "إعادة الفهرسة (للمشرفين)", "en": "Re-index the news (admins)"},
    "command_reset": {"ar": "محادثة جديدة تنسى ما سبق", "en": "Start a new conversation"},
    "ask_how": {
        "ar": _rtl("اكتب سؤالك بعد الأمر، مثلاً: /ask ماذا قال شي؟"),
        "en": "Write your question after the command, e.g. /ask What did Xi say?",
    },
    "text_only": {
        "ar": _rtl("✍️ أفهم الأسئلة المكتوبة بالكلمات فقط (أو تعليق الصورة). اكتب سؤالك، مثلاً: ماذا قال شي؟"),
        "en": "✍️ I understand questions written in words (or a photo's caption). "
              "Type your question, e.g. What did Xi say?",
    },
    "refused": {
        "ar": _rtl("🔒 عذراً، هذا البوت خاص ولا يمكنك استخدامه."),
        "en": "🔒 Sorry, this bot is private; you cannot use it.",
    },
    "admins_only": {"ar": _rtl("🔒 هذا الأمر للمشرفين فقط."), "en": "🔒 This command is for admins only."},
    "error": {
        "ar": _rtl("⚠️ حدث خطأ أثناء معالجة رسالتك، حاول مرة أخرى بعد قليل."),
        "en": "⚠️ Something went wrong; please try again in a moment.",
    },
    "rate_limited": {
        "ar": _rtl("⏳ على مهلك! الحد: {questions} في الدقيقة.\nالمتبقي حتى سؤالك التالي: {wait}."),
        "en": "⏳ Easy there! The limit is {questions} a minute.\nTime left before your next question: {wait}.",
    },
    "reindex_started": {"ar": _rtl("⏳ جارٍ إعادة الفهرسة…"), "en": "⏳ Re-indexing…"},
    "reindex_done": {"ar": _rtl("✅ تمّت إعادة الفهرسة: {summary}"), "en": "✅ Re-indexed: {summary}"},
    "reindex_failed": {
        "ar": _rtl("❌ تعذّرت إعادة الفهرسة: {message}"),
        "en": "❌ Re-indexing failed: {message}",
    },
    # -- buttons and their short answers
    "button_more": {"ar": "المزيد ⬇️", "en": "More ⬇️"},
    "button_prev": {"ar": "→ السابق", "en": "← Previous"},
    "button_next": {"ar": "التالي ←", "en": "Next →"},
    "button_context": {"ar": "📖 {rank}", "en": "📖 {rank}"},
    "not_yours": {
        "ar": "هذه الأزرار لمن طرح السؤال؛ اطرح سؤالك أنت",
        "en": "These buttons belong to whoever asked; ask your own question",
    },
    "stale": {"ar": "انتهت صلاحية هذا الزر، اطرح السؤال من جديد", "en": "This button has expired; ask again"},
    "already_shown": {"ar": "معروض أعلاه", "en": "Already shown above"},
    # -- inline mode (the button above the results: short, Telegram cuts it)
    "inline_refused": {"ar": "🔒 بوت خاص", "en": "🔒 Private bot"},
    "inline_empty": {"ar": "اكتب سؤالك", "en": "Type a question"},
    "inline_slow": {"ar": "⏳ على مهلك", "en": "⏳ Slow down"},
    "inline_nothing": {"ar": "لا نتائج، أعد الصياغة", "en": "Nothing found; rephrase"},
    # -- /stats, /sources, /speakers
    "stats_head": {"ar": _rtl("📊 إحصاءات الفهرس"), "en": "📊 Index statistics"},
    "stats": {
        "ar": _rtl("المقالات: {articles}\nالمقاطع: {passages}\nالنموذج: {model}\nآخر فهرسة: {built_at}"),
        "en": "Articles: {articles}\nPassages: {passages}\nModel: {model}\nLast indexed: {built_at}",
    },
    "sources_empty": {"ar": _rtl("📚 لا مقالات في الفهرس بعد."), "en": "📚 No articles are indexed yet."},
    "sources_head": {
        "ar": _rtl("📚 المقالات المفهرسة ({first}–{last} من {total})"),
        "en": "📚 Indexed articles ({first}–{last} of {total})",
    },
    "speakers_empty": {
        "ar": _rtl("🗣️ لا أحد مقتبَس في الأخبار المفهرسة بعد."),
        "en": "🗣️ Nobody is quoted in the indexed news yet.",
    },
    "speakers_head": {
        "ar": _rtl("🗣️ الأكثر اقتباسا ({shown} من {total})"),
        "en": "🗣️ Most quoted ({shown} of {total})",
    },
    "speakers_organisations_head": {
        "ar": _rtl("🏢 مؤسسات ووسائل إعلام، لا أشخاص ({shown} من {total})"),
        "en": "🏢 Organisations and outlets, not people ({shown} of {total})",
    },
    "speakers_line": {
        "ar": _rtl("{rank}. {name} — {statements} · {articles}"),
        "en": "{rank}. {name} — {statements} · {articles}",
    },
    "speakers_hint": {"ar": _rtl("اسأل مثلا: ماذا قال {name}؟"), "en": "Ask, e.g.: What did {name} say?"},
    # -- console
    "console_greeting": {
        "ar": _rtl("اسأل عن الأخبار المفهرسة، ثم تابع: «وماذا عن …؟»، «ماذا قال أيضا؟»، «متى قال ذلك؟».\n"
                   "«المزيد» لنتائج إضافية، reset لبدء محادثة جديدة، «خروج» أو Ctrl-D للخروج."),
        "en": "Ask about the indexed news, then follow up: “What about …?”, “What else did he say?”, "
              "“When was that?”.\n'more' for more results, 'reset' to start over, 'exit' or Ctrl-D to leave.",
    },
    "console_ask_first": {"ar": _rtl("اطرح سؤالا أولا."), "en": "Ask a question first."},
    "console_no_more": {"ar": _rtl("لا مزيد من النتائج."), "en": "No more results."},
    "console_cut": {
        "ar": _rtl("(قصصت السؤال؛ الحد الأقصى: {characters})"),
        "en": "(question cut; the limit is {characters})",
    },
    "error_prefix": {"ar": _rtl("خطأ: {message}"), "en": "Error: {message}"},
}


def language_of(language: str | None) -> str:
    """``language`` when it is one of LANGUAGES, else the default (Arabic)."""
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def text(key: str, language: str, **values: object) -> str:
    """The catalog's entry ``key`` in ``language`` (Arabic for an unknown one), formatted.

    Raises:
        KeyError: for a key not in the catalog (or a placeholder left without a value).
    """
    return CATALOG[key][language_of(language)].format(**values)


def reply_language(detected: str | None, language_code: str | None = None) -> str:
    """The language to reply in.

    Args:
        detected: "ar" or "en" as read from the question's letters; None when the text
            says nothing (digits, a name in both scripts…).
        language_code: the Telegram user's IETF tag ("en-GB"), if any.

    Returns:
        ``detected`` if it is a known language; else the tag's primary subtag if known;
        else Arabic.
    """
    if detected in LANGUAGES:
        return detected
    primary = (language_code or "").replace("_", "-").split("-")[0].strip().lower()
    return language_of(primary)


def number(n: int) -> str:
    """``n`` in Western digits, thousands separated by commas: 1,234."""
    return f"{n:,}"


def plural(n: int, noun: str, language: str) -> str:
    """``n`` ``noun`` counted as the language says: "3 statements", «3 تصريحات», «تصريحان».

    The Arabic is nominative (the dual and «واحد» change with case): use it as a subject or
    after a colon. Unknown languages get Arabic; unknown nouns raise KeyError.
    """
    forms = NOUNS[noun]
    if language_of(language) == "en":
        return f"{number(n)} {forms.en if n == 1 else forms.en_plural}"
    if n == 0:
        return f"لا {forms.plural}"
    if n == 1:
        return f"{forms.singular} {'واحدة' if forms.feminine else 'واحد'}"
    if n == 2:
        return forms.dual
    rest = abs(n) % 100
    if 3 <= rest <= 10:
        word = forms.plural
    elif 11 <= rest <= 99:
        word = forms.accusative
    else:
        word = forms.genitive
    return f"{number(n)} {word}"


def listing(items: list[str] | tuple[str, ...], language: str) -> str:
    """Items listed with the language's comma: «أ، ب» / "a, b"."""
    return ("، " if language_of(language) == "ar" else ", ").join(items)


def format_date(date: dt.date | None, language: str) -> str:
    """A date the way news writes it: «3 ديسمبر 2017» / "3 December 2017"; "" for None."""
    if date is None:
        return ""
    return f"{date.day} {MONTHS[language_of(language)][date.month - 1]} {date.year}"


def display_url(url: str) -> str:
    """``url`` for reading: percent escapes decoded (kept as they are when they do not decode
    to UTF-8) and invisible or control characters removed. Links keep the encoded url."""
    try:
        shown = unquote(url, errors="strict")
    except UnicodeDecodeError:
        shown = url
    return strip_invisible(shown)
