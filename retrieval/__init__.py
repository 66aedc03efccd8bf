"""newsqa's retrieval engine: articles, passages, embeddings, index, search, answers."""
