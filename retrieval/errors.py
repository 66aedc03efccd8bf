"""Errors newsqa reports to people: each carries a message meant to be read."""


class NewsqaError(Exception):
    """Base class: the message says what went wrong and what to do."""


class QuestionError(NewsqaError):
    """The question cannot be asked (empty, too long, no words, paging out of range).

    ``reason`` tells front ends which, to answer in their own words: "empty", "too_long",
    "no_words", "not_text" or "paging".
    """

    def __init__(self, message: str, reason: str = "invalid"):
        super().__init__(message)
        self.reason = reason


class IndexMissingError(NewsqaError):
    """There is no index yet."""


class IndexCorruptError(NewsqaError):
    """The index on disk is damaged or half-written."""


class ModelMismatchError(NewsqaError):
    """The index was built with another model than the one loaded."""


class ModelError(NewsqaError):
    """The embedding model cannot be built or loaded."""


class SettingsError(NewsqaError):
    """A setting is missing or invalid."""


class SeedsError(NewsqaError):
    """The seeds folder cannot be used (missing, or no article in it)."""


class LockedError(NewsqaError):
    """Another indexer holds the index lock."""


class IndexWriteError(NewsqaError):
    """The index folder cannot be written (disk full, read-only, no permission)."""


class EmbeddingError(NewsqaError):
    """Embedding failed for good during a build (a Ray cluster lost, a worker that cannot load
    the model); the previous index is left as it was."""


def os_reason(exc: BaseException) -> str:
    """A few plain words for why a path could not be used, without Python's
    ``[Errno N] …: 'path'`` (the message names the path already)."""
    if isinstance(exc, FileNotFoundError):
        return "it does not exist"
    if isinstance(exc, IsADirectoryError):
        return "it is a folder, not a file"
    if isinstance(exc, NotADirectoryError):
        return "a part of the path is a file, not a folder"
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror[0].lower() + exc.strerror[1:]
    return str(exc)
