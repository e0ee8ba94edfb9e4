"""A time limit that stops C code: page extraction in a helper process, killed when over time.

lxml (under trafilatura and htmldate) can spend minutes in C on a hostile page, where a signal
cannot interrupt it. Within a :func:`session` (``read_inputs`` opens one), :func:`run` sends
each call to a helper process forked from this one; when a call takes longer than its limit the
helper is killed and the next call forks a fresh one. Outside a session (or when
``isolate_html`` is off) the call runs here under :func:`~newsevents.ingest.files.time_limit`.

Every child process newsevents starts calls :func:`die_with_parent`, so none outlives its parent,
even one killed with SIGKILL.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

from .. import errors
from ..errors import InputError, InputTimeoutError, NewsEventsError
from .files import time_limit

T = TypeVar("T")
PR_SET_PDEATHSIG = 1  # from <sys/prctl.h>
PARENT_POLL_SECONDS = 1.0  # how often a child checks its parent where prctl is unavailable

_local = threading.local()


def die_with_parent(parent_pid: int) -> None:
    """Make this (child) process exit when ``parent_pid`` dies, even by SIGKILL.

    On Linux the kernel sends SIGKILL at the parent's death (``prctl(PR_SET_PDEATHSIG)``);
    elsewhere a daemon thread polls the parent id. A parent already gone means exit now.
    """
    armed = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            armed = libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
        except (OSError, AttributeError):
            armed = False
    if os.getppid() != parent_pid:
        os._exit(1)
    if not armed:
        threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    while os.getppid() == parent_pid:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def _serve(conn: Connection, parent_pid: int, parent_end: Connection) -> None:
    """The helper's loop: call what it is sent, send back the result or the error."""
    parent_end.close()  # the fork copied it: open here, the parent's close would never be seen
    die_with_parent(parent_pid)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):
            return
        reply: tuple[Any, ...]
        try:
            reply = ("ok", fn(*args))
        except NewsEventsError as exc:
            reply = ("error", type(exc).__name__, exc.reason)
        except BaseException as exc:  # one page's crash (even MemoryError) is reported, not raised
            reply = ("crash", repr(exc)[:300])
        conn.send(reply)


class Helper:
    """One helper process, started when first needed and replaced after a kill."""

    def __init__(self) -> None:
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None

    def _start(self) -> Connection:
        ctx = multiprocessing.get_context("fork")
        parent_end, child_end = ctx.Pipe()
        process = ctx.Process(target=_serve, args=(child_end, os.getpid(), parent_end), daemon=True)
        process.start()
        child_end.close()
        self._process, self._conn = process, parent_end
        return parent_end

    def call(self, fn: Callable[..., T], args: tuple[Any, ...], seconds: float, what: str) -> T:
        """Return ``fn(*args)`` computed in the helper; kill the helper after ``seconds``."""
        if self._process is None or not self._process.is_alive():
            self.close()
            conn = self._start()
        else:
            assert self._conn is not None
            conn = self._conn
        try:
            conn.send((fn, args))
            if seconds > 0 and not conn.poll(seconds):
                self.close(kill=True)
                raise InputTimeoutError(
                    f"{what} took longer than {seconds:g} s; the document was skipped (its "
                    "extraction process was stopped). Raise NEWSEVENTS_MAX_SECONDS_PER_DOCUMENT "
                    "if the page is genuine"
                )
            reply = conn.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self.close(kill=True)
            raise InputError(f"{what} crashed its extraction process ({exc!r})") from exc
        if reply[0] == "ok":
            return reply[1]  # type: ignore[no-any-return]
        if reply[0] == "error":
            kind = getattr(errors, reply[1], InputError)
            raise kind(reply[2])
        raise InputError(f"{what} failed: {reply[1]}")

    def close(self, *, kill: bool = False) -> None:
        """Stop the helper process (at once with ``kill``), if one is running."""
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()  # the helper sees end-of-file and returns
        if process is None:
            return
        if kill and process.is_alive():
            process.kill()
        process.join(timeout=2)
        if process.is_alive():
            process.kill()
            process.join()


def _stack() -> list[Helper | None]:
    stack: list[Helper | None] | None = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    return stack


@contextmanager
def session(enabled: bool) -> Iterator[None]:
    """Within the block, :func:`run` on this thread uses one helper process (stopped after)."""
    helper = Helper() if enabled and not _daemonic() else None
    stack = _stack()
    stack.append(helper)
    try:
        yield
    finally:
        for i in range(len(stack) - 1, -1, -1):  # by identity: sessions of generators interleave
            if stack[i] is helper:
                del stack[i]
                break
        if helper is not None:
            helper.close()


def _daemonic() -> bool:
    """Whether this process may not fork a helper: a daemonic one, or a system without fork."""
    no_fork = "fork" not in multiprocessing.get_all_start_methods()
    return no_fork or bool(multiprocessing.current_process().daemon)


def run(fn: Callable[..., T], args: tuple[Any, ...], seconds: float, what: str) -> T:
    """Return ``fn(*args)``, raising InputTimeoutError when it takes more than ``seconds``.

    ``fn`` must be a module-level function and its result picklable. Within a session the call
    runs in the helper process, which is killed at the limit even inside C code.
    """
    stack = _stack()
    helper = stack[-1] if stack else None
    if helper is None:
        with time_limit(seconds, what):
            return fn(*args)
    return helper.call(fn, args, seconds, what)
