"""The one exception hierarchy of newsevents; every error has a stable code and says what to do."""

from __future__ import annotations


class NewsEventsError(Exception):
    """Base class: a stable ``code``; the message says what went wrong and what to do."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")
        self.reason = message


class ConfigError(NewsEventsError):
    """A setting or option has a value newsevents cannot use."""

    code = "E001"


class ModelNotFoundError(NewsEventsError):
    """No usable spaCy English pipeline is installed."""

    code = "E002"


class InputError(NewsEventsError):
    """An input (file, line, record) cannot be read as an article."""

    code = "E100"


class EmptyInputError(InputError):
    """The input holds no article text."""

    code = "E101"


class BinaryInputError(InputError):
    """The input is binary or not valid UTF-8 text."""

    code = "E102"


class InputTooLargeError(InputError):
    """The input is larger than the configured limit."""

    code = "E103"


class UnsupportedFormatError(InputError):
    """The input's format is not one newsevents reads."""

    code = "E104"


class FetchError(InputError):
    """A page or feed could not be fetched over HTTP."""

    code = "E105"


class InputTimeoutError(InputError):
    """Reading one document took longer than the per-document time limit."""

    code = "E106"


class UnsafeInputError(InputError):
    """The input asks for what newsevents refuses: a local file, XML entities, a private host."""

    code = "E107"


class NothingToLoadError(InputError):
    """The directory given to ``load`` holds no Parquet output of the Ray engine."""

    code = "E108"


class ProcessingError(NewsEventsError):
    """An article was read but a later stage (NLP, extraction) failed on it."""

    code = "E200"


class ParseError(ProcessingError):
    """spaCy could not parse the article's text."""

    code = "E201"


class ExtractionError(ProcessingError):
    """An extractor failed on a parsed article (a bug in newsevents: please report it)."""

    code = "E202"


class QueryError(NewsEventsError):
    """A query parameter (filter, code, date, limit) has a value newsevents cannot use."""

    code = "E400"


class StoreError(NewsEventsError):
    """The DuckDB store cannot be opened or written."""

    code = "E300"


class DatabaseDamagedError(StoreError):
    """The DuckDB file is damaged (truncated, or a block fails its checksum)."""

    code = "E301"


class StoreFullError(StoreError):
    """A write failed because the disk (or the file-size limit) is full."""

    code = "E302"
