"""A conversation: what a chat remembers between questions, and follow-ups resolved into full questions (pure)."""
