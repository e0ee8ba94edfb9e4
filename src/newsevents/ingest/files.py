"""Shared helpers for readers: bounded, validated reading of bytes and text."""

from __future__ import annotations

import re
import signal
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import ReadLimits
from ..errors import BinaryInputError, EmptyInputError, InputError, InputTooLargeError

_GZIP_CHUNK = 1 << 16  # compressed bytes fed to zlib at a time
_GZIP_STEP = 1 << 20  # content bytes inflated at a time (then the limits are checked)
RATIO_CHECK_FROM = 1_000_000  # content bytes below which the gzip ratio is not checked
_ZEROS = re.compile(rb"\0*")


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

    ``container`` files (JSON Lines, WARC, feeds) hold many articles, so they are bounded by
    ``max_container_bytes`` rather than the per-article limit, and a truncated gzipped container
    yields what precedes the cut: the second value then says what was lost. Gzip is decompressed
    as a stream and stopped at the limit, or earlier at ``max_gzip_ratio``, so a decompression
    bomb costs no more than the limit.
    """
    cap = limits.max_container_bytes if container else limits.max_input_bytes
    gzipped = path.name.lower().endswith(".gz")
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise InputError(f"{path} is not a regular file")
        if size > cap:  # gzipped too: its content is (all but) never smaller than the file
            raise InputTooLargeError(_too_large(size, limits, container=container))
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"no such file: {path}; check the path") from exc
    except PermissionError as exc:
        raise InputError(f"permission denied reading {path}; check its permissions") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path} is a directory that cannot be read") from exc
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    problem = None
    if gzipped:
        raw, problem = gunzip_bounded(
            raw, cap, container=container, max_ratio=limits.max_gzip_ratio
        )
        if problem and not (container and raw.strip()):
            raise BinaryInputError(f"{path} is not a valid gzip file ({problem})")
        if problem:
            problem = (
                f"the gzip file is truncated or corrupt ({problem}); what follows byte "
                f"{len(raw):,} of its content is lost"
            )
    if len(raw) > cap:
        raise InputTooLargeError(_too_large(len(raw), limits, container=container))
    if not raw.strip():
        raise EmptyInputError("the input is empty")
    return raw, problem


def gunzip_bounded(
    raw: bytes, cap: int, *, container: bool = True, max_ratio: float = 0.0
) -> tuple[bytes, str | None]:
    """Decompress a (multi-member) gzip stream, at most ``cap`` bytes of it.

    Returns the content and ``None``, or what is intact before damage and the reason. Raise
    InputTooLargeError as soon as the content passes ``cap`` (nothing beyond it is inflated), or,
    with ``max_ratio``, as soon as more than ``RATIO_CHECK_FROM`` bytes of content came from
    ``max_ratio`` times fewer compressed bytes (text compresses 3-10 fold; a bomb of zeros or
    repeated lines 1,000 fold). The compressed stream is fed in chunks, so the ratio is checked
    as the content grows, not after.
    """
    out = bytearray()
    offset = 0  # where the current member starts in raw
    while offset < len(raw):
        inflater = zlib.decompressobj(wbits=31)
        fed = offset
        try:
            while not inflater.eof:
                if inflater.unconsumed_tail:
                    chunk = inflater.unconsumed_tail
                elif fed < len(raw):
                    chunk = raw[fed : fed + _GZIP_CHUNK]
                    fed += len(chunk)
                else:
                    break
                out += inflater.decompress(chunk, min(cap + 1 - len(out), _GZIP_STEP))
                if len(out) > cap:
                    what = "file" if container else "article"
                    setting = "MAX_CONTAINER_BYTES" if container else "MAX_INPUT_BYTES"
                    raise InputTooLargeError(
                        f"the gzip file expands to more than the {cap:,}-byte limit for one "
                        f"{what} (a {len(raw):,}-byte file; likely a decompression bomb); split "
                        f"it, or raise NEWSEVENTS_{setting}"
                    )
                consumed = fed - len(inflater.unconsumed_tail)
                if max_ratio > 0 and len(out) > max(RATIO_CHECK_FROM, max_ratio * consumed):
                    raise InputTooLargeError(
                        f"the gzip file expands more than {max_ratio:g}-fold, over the ratio limit "
                        f"({consumed:,} compressed bytes gave {len(out):,}; likely a "
                        "decompression bomb); if it is genuine, raise NEWSEVENTS_MAX_GZIP_RATIO"
                    )
        except zlib.error as exc:
            return bytes(out), f"{exc}"
        if not inflater.eof:
            return bytes(out), "the compressed stream ends before its end-of-stream marker"
        offset = fed - len(inflater.unused_data)
        padding = _ZEROS.match(raw, offset)  # zero bytes after the last member
        offset = padding.end() if padding else offset
    return bytes(out), None


def _too_large(size: int, limits: ReadLimits, *, container: bool = False) -> str:
    if container:
        return (
            f"the file is {size:,} bytes, over the {limits.max_container_bytes:,}-byte limit for "
            "a file of many articles; split it, or raise NEWSEVENTS_MAX_CONTAINER_BYTES"
        )
    return (
        f"the input is {size:,} bytes, over the {limits.max_input_bytes:,}-byte limit for one "
        "article; split it, or raise NEWSEVENTS_MAX_INPUT_BYTES"
    )


def decode_text(raw: bytes, *, what: str = "the input") -> str:
    """Decode UTF-8 text (a BOM is dropped), refusing binary data and invalid UTF-8.

    A NUL byte anywhere marks binary data (text never holds one): the input is refused, not
    stored with the NULs.
    """
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise BinaryInputError(
            f"{what} is binary (it contains a NUL byte at byte {nul:,}), not text"
        )
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
