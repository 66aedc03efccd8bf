"""Arabic in visual order, for terminals that print right-to-left text backwards."""

from __future__ import annotations

import re
import textwrap

from retrieval.errors import NewsqaError

#: Invisible bidi controls (LRM, RLM, ALM, embeddings, overrides, isolates): once a line is in
#: visual order they have done their work, and some terminals draw them as boxes or spaces.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def visual(text: str, width: int | None = None) -> str:
    """``text`` with each line in visual order, for terminals that do not reorder right-to-left text.

    Each line goes through python-bidi's ``get_display``, its base direction taken from its
    first strong character (the RLM our output leads Arabic lines with counts); line endings
    and empty lines are kept, and bidi marks are dropped once they have done their work.

    Args:
        width: wrap lines longer than this many characters first, so that a long Arabic line
            reads top to bottom (the terminal's own wrapping of a reordered line would show
            its end first); None leaves lines whole.
    """
    try:
        from bidi import get_base_level, get_display
    except ImportError as exc:
        raise NewsqaError("--visual needs the python-bidi package: pip install python-bidi") from exc
    out = []
    for line in text.split("\n"):
        body, cr = (line[:-1], "\r") if line.endswith("\r") else (line, "")
        if body:
            base = "R" if get_base_level(body) % 2 else "L"
            rows = (textwrap.wrap(body, width) if width else None) or [body]
            body = "\n".join(_BIDI_CONTROLS.sub("", get_display(row, base_dir=base)) for row in rows)
        out.append(body + cr)
    return "\n".join(out)
