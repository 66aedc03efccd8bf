"""From seed files to passages: formats and readers, datelines, sentence chunking, the passage recipe.

Exports ``seed_files`` and ``read_article_file`` (the files and their articles) and
``article_passages`` (an article's passages with their speakers).
"""

from retrieval.ingest.articles import read_article_file, read_articles
from retrieval.ingest.passages import article_passages, embedding_input, recipe
from retrieval.ingest.seedfiles import seed_files

__all__ = ["article_passages", "embedding_input", "read_article_file", "read_articles", "recipe", "seed_files"]
