"""Split Arabic (and Latin) news text into sentence spans with offsets into the text."""

from __future__ import annotations

import re

from retrieval.types import Span

_LINES = re.compile("[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+")
_TERMINATORS = re.compile("[.!?؟؛\u2026]+")
_STRONG = frozenset("!?؟؛")
_CLOSERS = frozenset("\"'»”’)]}›")
_OPENERS = frozenset("\"'«“‘([{‹")
_QUOTE_PAIRS = (("«", "»"), ("“", "”"))
_URLS = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s«»\"“”<>]+|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    re.IGNORECASE,
)
_URL_HINT = re.compile(r"://|www\.|@", re.IGNORECASE)
_URL_TRAILING = ".,!?؟؛:;)]}'\"»”"
_COMMAS = re.compile("[،;,]")
_TATWEEL = "\u0640"
# Latin abbreviations that take a dot and rarely end a sentence (lower-cased).
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr vs gen col lt capt sgt rev gov sen rep fig vol pp approx dept"
    .split()
)
# Latin letters spelt in Arabic, as in «سي. آي. إيه» or «إف. بي. آي.»: a dot between two
# of them belongs to the abbreviation. Words that are also common Arabic words (إن، أو، في)
# count only as the first letter or when a dot follows them too.
_LETTER_NAMES = frozenset(
    "إيه ايه بي سي دي إي اي إف اف جي إتش اتش آي جاي جيه كيه كي إل إم ام إس اس تي يو"
    " دبليو إكس اكس واي زد كيو آر ار"
    .split()
)
_AMBIGUOUS_LETTERS = frozenset("إن ان أو في".split())
_BULLETS = frozenset(" \t-*•·")
_MAX_TOKEN = 30  # how far back to look for the word before a dot


def _is_arabic_letter(ch: str) -> bool:
    """Whether ``ch`` is one Arabic letter."""
    return "\u0621" <= ch <= "\u064a" or "\u0671" <= ch <= "\u06d3"


def _quote_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the (open, close) positions of quotes that close on this line, merged."""
    ranges = []
    for opener, closer in _QUOTE_PAIRS:
        pos = text.find(opener, start, end)
        while pos != -1:
            close = text.find(closer, pos + 1, end)
            if close == -1:
                break  # no later opener of this kind can close either
            ranges.append((pos, close))
            pos = text.find(opener, close + 1, end)
    pos = text.find('"', start, end)
    while pos != -1:
        close = text.find('"', pos + 1, end)
        if close == -1:
            break  # an unbalanced quote protects nothing
        ranges.append((pos, close))
        pos = text.find('"', close + 1, end)
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for opening, closing in ranges:
        if merged and opening <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], closing))
        else:
            merged.append((opening, closing))
    return merged


def _url_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Return the (start, end) spans of URLs and e-mail addresses on this line."""
    ranges = []
    for match in _URLS.finditer(text, start, end):
        stop = match.end()
        while stop > match.start() and text[stop - 1] in _URL_TRAILING:
            stop -= 1
        ranges.append((match.start(), stop))
    return ranges


def _word_before(text: str, pos: int, line_start: int) -> tuple[str, bool]:
    """Return the word just before ``pos`` and whether it is the line's first word."""
    begin = pos
    limit = max(line_start, pos - _MAX_TOKEN)
    while begin > limit and not text[begin - 1].isspace() and text[begin - 1] not in _OPENERS:
        begin -= 1
    before = begin
    while before > line_start and text[before - 1] in _BULLETS:
        before -= 1
    first = before == line_start
    word = text[begin:pos].replace(_TATWEEL, "").rstrip("\"'»”’)]}")
    return word, first


def _is_abbreviation(word: str, first_on_line: bool) -> bool:
    """Whether a dot after ``word`` belongs to it rather than ending the sentence."""
    if first_on_line and word.isdecimal() and len(word) <= 3:
        return True  # a list marker: "2."
    if len(word) == 1:
        return _is_arabic_letter(word) or "A" <= word <= "Z"
    if "." in word:
        parts = word.split(".")
        return all(part.isalpha() and len(part) <= 2 for part in parts)
    return word.lower() in _ABBREVIATIONS


def _next_visible(text: str, pos: int, end: int) -> str:
    """Return the first non-space character at or after ``pos`` on the line, or ""."""
    while pos < end and text[pos].isspace():
        pos += 1
    return text[pos] if pos < end else ""


def _is_boundary(text: str, run: re.Match, after: int, line_start: int, line_end: int) -> bool:
    """Whether a run of terminators ends a sentence; ``after`` is past its closing marks."""
    marks = run.group()
    following = text[run.end()] if run.end() < line_end else ""
    if following and (following.isdecimal() or following.isascii() and following.isalnum()):
        return False  # 3.5, 3.12.2017, x.com, U.S.A
    next_char = _next_visible(text, after, line_end)
    if _STRONG.intersection(marks):
        return True
    if marks != ".":  # an ellipsis: only before a capital or at the end of the line
        return not next_char or next_char.isupper()
    if next_char.isascii() and next_char.islower():
        return False  # "e.g. this", "approx. ten"
    word, first = _word_before(text, run.start(), line_start)
    if _in_spelt_letters(text, word, after, line_end):
        return False
    return not _is_abbreviation(word, first)


def _in_spelt_letters(text: str, word: str, after: int, line_end: int) -> bool:
    """Whether a dot after ``word`` sits inside spelt Latin letters («سي. آي. إيه»)."""
    if word not in _LETTER_NAMES and word not in _AMBIGUOUS_LETTERS:
        return False
    following = text[after:min(line_end, after + _MAX_TOKEN)].split(maxsplit=1)
    if not following:
        return False
    nxt = following[0].rstrip("\"'»”’)]}،,")
    if nxt.rstrip(".") in _LETTER_NAMES or nxt.endswith(".") and nxt.rstrip(".") in _AMBIGUOUS_LETTERS:
        return True
    # The last letter of a spelt run («إف. بي. آي. في نيويورك»): the sentence goes on
    # unless the next word opens one the way Arabic news sentences open (و، ف).
    dot = after - 1
    while dot > 0 and text[dot] != ".":
        dot -= 1
    previous = text[max(0, dot - len(word) - _MAX_TOKEN):dot - len(word)].split()
    spelt_before = bool(previous) and previous[-1].endswith(".") and (
        previous[-1].rstrip(".") in _LETTER_NAMES or previous[-1].rstrip(".") in _AMBIGUOUS_LETTERS)
    opens = nxt[:1] == "و" or nxt[:1] == "ف" and not nxt.startswith("في")
    return spelt_before and not opens


def _line_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split one line into raw sentence spans (not yet stripped)."""
    line = text[start:end]
    quotes = _quote_ranges(text, start, end) if any(q in line for q in '"«“') else []
    urls = _url_ranges(text, start, end) if _URL_HINT.search(line) else []
    spans = []
    sentence_start = start
    quote_index = url_index = 0
    for run in _TERMINATORS.finditer(text, start, end):
        while quote_index < len(quotes) and quotes[quote_index][1] <= run.start():
            quote_index += 1
        while url_index < len(urls) and urls[url_index][1] <= run.start():
            url_index += 1
        # Inside a quote that closes later on the line (a run just before the
        # closing quote may still end the sentence), or inside a URL.
        if quote_index < len(quotes):
            opening, closing = quotes[quote_index]
            if opening < run.start() and run.end() < closing:
                continue
        if url_index < len(urls) and urls[url_index][0] <= run.start():
            continue
        after = run.end()
        while after < end and text[after] in _CLOSERS:
            after += 1
        if _is_boundary(text, run, after, start, end):
            spans.append((sentence_start, after))
            sentence_start = after
    spans.append((sentence_start, end))
    return spans


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow ``start:end`` to exclude surrounding whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _split_long(
    text: str, start: int, end: int, max_chars: int, min_chars: int
) -> list[tuple[int, int]]:
    """Split a too-long sentence at the comma nearest its middle (else a space), recursively."""
    done = []
    todo = [(start, end)]
    while todo:
        start, end = todo.pop()
        if end - start <= max_chars:
            done.append((start, end))
            continue
        cut = _best_cut(text, start, end, min_chars)
        if cut is None:
            cut = (start + end) // 2  # one huge word: cut it in half
        left = _strip(text, start, cut)
        right = _strip(text, cut, end)
        todo.extend(part for part in (right, left) if part[0] < part[1])
    return sorted(done)


def _best_cut(text: str, start: int, end: int, min_chars: int) -> int | None:
    """Return the cut nearest the middle after a comma, else at a space, else None.

    A comma is only used when both parts keep at least ``min_chars`` characters.
    """
    middle = (start + end) // 2
    margin = max(1, min_chars)
    best = None
    for match in _COMMAS.finditer(text, start + margin, end - margin):
        pos = match.start()
        if text[pos - 1].isdecimal() and text[pos + 1].isdecimal():
            continue  # 1,500
        if best is None or abs(pos + 1 - middle) < abs(best - middle):
            best = pos + 1
    if best is not None:
        return best
    for offset in range(end - start):
        for pos in (middle - offset, middle + offset):
            if start < pos < end and text[pos].isspace():
                return pos
        if middle - offset <= start and middle + offset >= end:
            break
    return None


def _merge_tiny(
    spans: list[tuple[int, int, int]], min_chars: int, max_chars: int
) -> list[tuple[int, int, int]]:
    """Attach spans shorter than ``min_chars`` to a neighbour.

    The neighbour is, in order of preference: the previous span on the same line, the
    next one on the same line, the previous one, the next one; a neighbour that would
    grow past ``max_chars`` is passed over unless none fits.
    """
    merged: list[tuple[int, int, int]] = []
    spans = list(spans)
    for i, (start, end, line) in enumerate(spans):
        if end - start >= min_chars:
            merged.append((start, end, line))
            continue
        previous = merged[-1] if merged else None
        following = spans[i + 1] if i + 1 < len(spans) else None
        options = []  # (neighbour, length after merging), best first
        for same_line in (True, False):
            if previous and (previous[2] == line) == same_line:
                options.append(("previous", end - previous[0]))
            if following and (following[2] == line) == same_line:
                options.append(("next", following[1] - start))
        fitting = [name for name, length in options if length <= max_chars]
        choice = fitting[0] if fitting else options[0][0] if options else None
        if choice == "previous":
            merged[-1] = (previous[0], end, line)
        elif choice == "next":
            spans[i + 1] = (start, following[1], following[2])
        else:
            merged.append((start, end, line))
    return merged


def chunk_sentences(
    text: str, start: int = 0, *, max_chars: int = 400, min_chars: int = 20
) -> list[Span]:
    """Split ``text[start:]`` into sentences, with offsets into the whole text.

    Sentences end after ``. ! ? ؟ ؛`` (and runs such as ``?!`` or an ellipsis at the
    end of a sentence) and at every line break. A terminator does not split inside a
    number (3.5, 3.12.2017), a URL or e-mail address, after an initial or abbreviation
    ("د." "U.S." "Mr."), a mid-sentence ellipsis, or inside a quotation that closes on
    the same line. Sentences longer than ``max_chars`` are cut at the comma nearest
    their middle (else at a space); fragments shorter than ``min_chars`` are attached
    to a neighbour.

    Args:
        text: the article's text.
        start: where to begin (e.g. after the dateline); clamped to the text.
        max_chars: the longest sentence wanted, when it can be cut.
        min_chars: the shortest sentence kept on its own.

    Returns:
        The spans in order, each with ``text[span.start:span.end] == span.text`` and no
        surrounding whitespace; an empty list when there is no text.
    """
    start = max(0, min(start, len(text)))
    max_chars = max(1, max_chars)
    pieces: list[tuple[int, int, int]] = []
    for line_number, line in enumerate(_LINES.finditer(text, start)):
        for raw_start, raw_end in _line_sentences(text, line.start(), line.end()):
            sentence_start, sentence_end = _strip(text, raw_start, raw_end)
            if sentence_start == sentence_end:
                continue
            parts = _split_long(text, sentence_start, sentence_end, max_chars, min_chars)
            pieces.extend((part_start, part_end, line_number) for part_start, part_end in parts)
    return [Span(s, e, text[s:e]) for s, e, _ in _merge_tiny(pieces, min_chars, max_chars)]
