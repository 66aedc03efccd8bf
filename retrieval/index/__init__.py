"""The index on disk and the indexer: manifest, segments, catalog, vectors (exact and
approximate), BM25 postings, the speaker directory; scan, plan, write, commit.

Exports ``update_index`` (bring an index up to date with the seeds) and ``load_index``
(one generation, ready to search).
"""

from retrieval.index.indexer import IndexReport, update_index
from retrieval.index.loaded import LoadedIndex, load_index

__all__ = ["IndexReport", "LoadedIndex", "load_index", "update_index"]
