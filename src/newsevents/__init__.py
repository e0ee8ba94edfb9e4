"""newsevents: raw news in, statements and coded political events out, each with its evidence.

Python API::

    import newsevents
    article = newsevents.extract(text, published=date(2017, 1, 17))
    report = newsevents.process(["examples/corpus"], db="newsevents.duckdb")
    with newsevents.Store("newsevents.duckdb", read_only=True) as store:
        newsevents.Queries(store).statements(newsevents.Filters(speaker="Lavrov")).rows
"""

from .api import extract, extract_document, load, process, process_on_ray
from .errors import NewsEventsError
from .model import Actor, Article, Entity, Event, Failure, Mention, RawDocument, Span, Statement
from .store import Store
from .store_queries import Filters, Queries

__version__ = "0.1.0"

__all__ = [
    "Actor",
    "Article",
    "Entity",
    "Event",
    "Failure",
    "Filters",
    "Mention",
    "NewsEventsError",
    "Queries",
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
