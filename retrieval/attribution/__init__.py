"""Who says what in one article (pure): reporting verbs, mentions, names, the article's cast.

Exports ``attribute_article`` (each sentence's ``Statement`` or None).
"""

from retrieval.attribution.statements import Statement, attribute_article

__all__ = ["Statement", "attribute_article"]
