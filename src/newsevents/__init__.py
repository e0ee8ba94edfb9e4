"""newsevents: raw news in, statements and coded political events out, each with its evidence.

Python API::

    import newsevents
    article = newsevents.extract(text, published=date(2017, 1, 17))
    report = newsevents.process(["examples/corpus"], db="newsevents.duckdb")
    with newsevents.Store("newsevents.duckdb") as store:
        store.statements(speaker="Lavrov")
"""

from .api import extract, extract_document, load, process, process_on_ray
from .errors import NewsEventsError
from .model import Actor, Article, Entity, Event, Failure, Mention, RawDocument, Span, Statement
from .store import Store

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "Entity",
    "Event",
    "Failure",
    "Mention",
    "NewsEventsError",
    "RawDocument",
    "Span",
    "Statement",
    "Store",
    "__version__",
    "extract",
    "extract_document",
    "load",
    "process",
    "process_on_ray",
]
