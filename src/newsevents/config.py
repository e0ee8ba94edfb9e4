"""Settings: defaults come from ``data/settings.toml``; environment variables override them."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace
from functools import cache
from typing import Any

from .errors import ConfigError
from .resources import read_toml

ENV_PREFIX = "NEWSEVENTS_"


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """What the readers need of the settings: size and time limits, and how to fetch over HTTP."""

    max_input_bytes: int
    max_seconds_per_document: float
    http_timeout: float
    http_host_delay: float
    user_agent: str
    max_container_bytes: int
    max_html_attributes: int
    isolate_html: bool
    fetch_private_links: bool
    max_gzip_ratio: float


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything newsevents lets a user tune, with its default."""

    model: str
    model_fallbacks: tuple[str, ...]
    max_input_bytes: int
    max_text_chars: int
    batch_size: int
    min_text_chars: int
    http_timeout: float
    http_host_delay: float
    user_agent: str
    max_seconds_per_document: float
    actors: str
    identities: str
    statement_min_confidence: float
    max_container_bytes: int
    max_html_attributes: int
    isolate_html: bool
    fetch_private_links: bool
    max_tokens: int
    max_sentences: int
    max_batch_tokens: int
    watch_interval: float
    watch_max_attempts: int
    max_gzip_ratio: float
    network_max_nodes: int
    web_cache_entries: int
    web_cache_max_bytes: int

    @property
    def read_limits(self) -> ReadLimits:
        """The part of the settings the readers use (they never see the model or extractors)."""
        return ReadLimits(
            max_input_bytes=self.max_input_bytes,
            max_seconds_per_document=self.max_seconds_per_document,
            http_timeout=self.http_timeout,
            http_host_delay=self.http_host_delay,
            user_agent=self.user_agent,
            max_container_bytes=self.max_container_bytes,
            max_html_attributes=self.max_html_attributes,
            isolate_html=self.isolate_html,
            fetch_private_links=self.fetch_private_links,
            max_gzip_ratio=self.max_gzip_ratio,
        )


@cache
def _defaults() -> Settings:
    raw = read_toml("settings.toml")
    return Settings(
        model=raw["model"],
        model_fallbacks=tuple(raw["model_fallbacks"]),
        max_input_bytes=int(raw["max_input_bytes"]),
        max_text_chars=int(raw["max_text_chars"]),
        batch_size=int(raw["batch_size"]),
        min_text_chars=int(raw["min_text_chars"]),
        http_timeout=float(raw["http_timeout"]),
        http_host_delay=float(raw["http_host_delay"]),
        user_agent=str(raw["user_agent"]),
        max_seconds_per_document=float(raw["max_seconds_per_document"]),
        actors=str(raw["actors"]),
        identities=str(raw["identities"]),
        statement_min_confidence=float(raw["statement_min_confidence"]),
        max_container_bytes=int(raw["max_container_bytes"]),
        max_html_attributes=int(raw["max_html_attributes"]),
        isolate_html=bool(raw["isolate_html"]),
        fetch_private_links=bool(raw["fetch_private_links"]),
        max_tokens=int(raw["max_tokens"]),
        max_sentences=int(raw["max_sentences"]),
        max_batch_tokens=int(raw["max_batch_tokens"]),
        watch_interval=float(raw["watch_interval"]),
        watch_max_attempts=int(raw["watch_max_attempts"]),
        max_gzip_ratio=float(raw["max_gzip_ratio"]),
        network_max_nodes=int(raw["network_max_nodes"]),
        web_cache_entries=int(raw["web_cache_entries"]),
        web_cache_max_bytes=int(raw["web_cache_max_bytes"]),
    )


def get_settings(**overrides: Any) -> Settings:
    """Return the settings: bundled defaults, then ``NEWSEVENTS_*`` variables, then overrides."""
    settings = _defaults()
    env: dict[str, Any] = {}
    for name in (f.name for f in fields(Settings)):
        value = os.environ.get(ENV_PREFIX + name.upper())
        if value is None or name == "model_fallbacks":
            continue
        kind = type(getattr(settings, name))
        try:
            env[name] = _parse_bool(value) if kind is bool else kind(value)
        except ValueError as exc:
            raise ConfigError(
                f"{ENV_PREFIX}{name.upper()}={value!r} is not a valid {kind.__name__}; "
                "fix it or unset it"
            ) from exc
    env.update({k: v for k, v in overrides.items() if v is not None})
    return replace(settings, **env)


def _parse_bool(value: str) -> bool:
    """Read a yes/no environment variable (true/false, 1/0, yes/no, on/off)."""
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(value)
