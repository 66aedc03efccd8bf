"""Text helpers (pure), shared by indexing and answering: Arabic normalisation, search
terms, Latin-to-Arabic spelling, a person's name in its spellings.

Exports ``normalize_arabic``, ``strip_invisible`` and ``terms``.
"""

from retrieval.text.normalize import normalize_arabic, strip_invisible
from retrieval.text.terms import terms

__all__ = ["normalize_arabic", "strip_invisible", "terms"]
