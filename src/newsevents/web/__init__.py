"""Web UI and HTTP API over a newsevents database: ``create_app(db_path)`` returns the app."""

from .app import create_app

__all__ = ["create_app"]
