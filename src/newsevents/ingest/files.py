"""Shared helpers for readers: bounded, validated reading of bytes and text."""

from __future__ import annotations

import gzip
import signal
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import ReadLimits
from ..errors import BinaryInputError, EmptyInputError, InputError, InputTooLargeError


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Raise InputError if the block takes longer than ``seconds`` (main thread only; else no-op).

    Libraries can hang on pathological pages; a per-document limit turns that into a failure
    row instead of a stalled batch.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise InputError(f"{what} took longer than {seconds:g} s; the document was skipped")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def is_url(path: str) -> bool:
    """Return whether the input names an http(s) URL rather than a local path."""
    return path.startswith(("http://", "https://"))


def strip_gz_suffix(name: str) -> str:
    """Return a file name without a trailing ``.gz``."""
    return name[:-3] if name.lower().endswith(".gz") else name


def read_bytes(
    path: Path, limits: ReadLimits, *, container: bool = False
) -> tuple[bytes, str | None]:
    """Read a file (gunzipping ``.gz``), refusing missing, empty and oversized ones.

    ``container`` files (JSON Lines, WARC, feeds) hold many articles, so the per-article size
    limit does not apply to them as a whole, and a truncated gzipped container yields what
    precedes the cut: the second value then says what was lost.
    """
    problem = None
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InputError(f"{path} is not a regular file")
        if not container and size > limits.max_input_bytes and not path.name.endswith(".gz"):
            raise InputTooLargeError(_too_large(size, limits))
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"no such file: {path}; check the path") from exc
    except PermissionError as exc:
        raise InputError(f"permission denied reading {path}; check its permissions") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path} is a directory that cannot be read") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if path.name.lower().endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            partial = gunzip_partial(raw) if container else b""
            if not partial.strip():
                raise BinaryInputError(f"{path} is not a valid gzip file ({exc})") from exc
            raw = partial
            problem = (
                f"the gzip file is truncated or corrupt ({exc}); what follows byte "
                f"{len(partial):,} of its content is lost"
            )
    if not container and len(raw) > limits.max_input_bytes:
        raise InputTooLargeError(_too_large(len(raw), limits))
    if not raw.strip():
        raise EmptyInputError("the input is empty")
    return raw, problem


def gunzip_partial(raw: bytes) -> bytes:
    """Decompress as much of a (multi-member) gzip stream as is intact."""
    out: list[bytes] = []
    while raw:
        inflater = zlib.decompressobj(wbits=31)
        try:
            out.append(inflater.decompress(raw))
        except zlib.error:
            break
        if not inflater.eof:
            break
        raw = inflater.unused_data
    return b"".join(out)


def _too_large(size: int, limits: ReadLimits) -> str:
    return (
        f"the input is {size:,} bytes, over the {limits.max_input_bytes:,}-byte limit for one "
        "article; split it, or raise NEWSEVENTS_MAX_INPUT_BYTES"
    )


def decode_text(raw: bytes, *, what: str = "the input") -> str:
    """Decode UTF-8 text (a BOM is dropped), refusing binary data and invalid UTF-8."""
    if b"\x00" in raw[:8192]:
        raise BinaryInputError(f"{what} is binary (it contains NUL bytes), not text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BinaryInputError(
            f"{what} is not valid UTF-8 (byte {exc.start}: {raw[exc.start : exc.start + 1]!r}); "
            "convert it to UTF-8 first"
        ) from exc
    if not text.strip():
        raise EmptyInputError(f"{what} is empty")
    return text
