"""newsevents: raw news in, statements and coded political events out, each with its evidence.

Python API::

    import newsevents
    article = newsevents.extract(text, published=date(2017, 1, 17))
    report = newsevents.process(["examples/corpus"], db="newsevents.duckdb")
    with newsevents.Store("newsevents.duckdb", read_only=True) as store:
        newsevents.Queries(store).statements(newsevents.Filters(speaker="Lavrov")).rows

The names below are imported on first use (PEP 562), so ``import newsevents`` and its light
modules (``newsevents.errors``, ``newsevents.model``) do not load spaCy, DuckDB or trafilatura.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    "extract": "api",
    "extract_document": "api",
    "export": "api",
    "load": "api",
    "process": "api",
    "process_on_ray": "api",
    "watch": "api",
    "NewsEventsError": "errors",
    "Actor": "model",
    "Article": "model",
    "Entity": "model",
    "Event": "model",
    "Failure": "model",
    "Mention": "model",
    "RawDocument": "model",
    "Span": "model",
    "Stage": "model",
    "Statement": "model",
    "Filters": "filters",
    "Queries": "store_queries",
    "Store": "store",
    "check_database": "store",
}

__all__ = ["__version__", *sorted(_EXPORTS)]

if TYPE_CHECKING:  # the same names, for type checkers and editors
    from .api import export as export
    from .api import extract as extract
    from .api import extract_document as extract_document
    from .api import load as load
    from .api import process as process
    from .api import process_on_ray as process_on_ray
    from .api import watch as watch
    from .errors import NewsEventsError as NewsEventsError
    from .filters import Filters as Filters
    from .model import Actor as Actor
    from .model import Article as Article
    from .model import Entity as Entity
    from .model import Event as Event
    from .model import Failure as Failure
    from .model import Mention as Mention
    from .model import RawDocument as RawDocument
    from .model import Span as Span
    from .model import Stage as Stage
    from .model import Statement as Statement
    from .store import Store as Store
    from .store import check_database as check_database
    from .store_queries import Queries as Queries


# The subpackage ``newsevents.extract`` shares its name with the function ``newsevents.extract``.
# Python binds a subpackage to its parent's attribute when it is first imported, which would
# hide the function; so the (light) subpackage is imported now and its binding dropped: the
# name is then always the function, and the subpackage is found through ``sys.modules``.
import_module(".extract", __name__)
del globals()["extract"]


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'newsevents' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    """List the public names with the module's own."""
    return sorted(set(globals()) | set(__all__))
