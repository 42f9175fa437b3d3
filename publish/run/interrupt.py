"""Interrupted builds: SIGINT and SIGTERM become one exception that unwinds the build, cleaning up.

The first signal raises `Interrupted` wherever the main thread is; every `finally` on the way
removes its temporary file and every process pool stops its workers. A signal that comes while
cleanup code runs (a `shielded` block) waits until the block is done, and signals after the
first change nothing, so no cleanup is cut short. Forked workers ignore SIGINT (Ctrl-C reaches
the whole process group; their parent decides) and unwind the same way on SIGTERM, which their
parent sends them, or the kernel when their parent dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
from collections.abc import Iterator

SIGNALS = (signal.SIGINT, signal.SIGTERM)
PR_SET_PDEATHSIG = 1
"""prctl(2): the signal a process gets when the thread that forked it ends."""


class Interrupted(KeyboardInterrupt):
    """A build stopped by SIGINT or SIGTERM (a KeyboardInterrupt, so code that stops on Ctrl-C
    stops on both)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        """SIGINT or SIGTERM."""
        return signal.Signals(self.signum).name

    @property
    def exit_code(self) -> int:
        """The shell's convention: 128 + the signal's number (130 for SIGINT, 143 for SIGTERM)."""
        return 128 + self.signum


class _Guard:
    """The process's state of interruption (signals are process-wide, so it is too)."""

    def __init__(self) -> None:
        self.depth = 0
        """How many shielded blocks are running."""
        self.pending: int | None = None
        """A signal that came during a shielded block, raised when the block ends."""
        self.raised = False
        """Whether Interrupted was raised already: later signals are ignored."""


_GUARD = _Guard()


def _on_signal(signum: int, _frame: object) -> None:
    if _GUARD.raised:
        return
    if _GUARD.depth:
        _GUARD.pending = signum if _GUARD.pending is None else _GUARD.pending  # the first counts
        return
    _GUARD.raised = True
    raise Interrupted(signum)


@contextlib.contextmanager
def shielded() -> Iterator[None]:
    """A block no signal cuts short (cleanup, a fork and its bookkeeping); it is raised after."""
    _GUARD.depth += 1
    try:
        yield
    finally:
        _GUARD.depth -= 1
        if not _GUARD.depth and _GUARD.pending is not None and not _GUARD.raised:
            signum, _GUARD.pending = _GUARD.pending, None
            _GUARD.raised = True
            raise Interrupted(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise Interrupted while the block runs (the command line's main)."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; its own signals stay as they are
        return
    global _GUARD
    _GUARD = _Guard()
    previous = {signum: signal.signal(signum, _on_signal) for signum in SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def in_worker(parent: int) -> None:
    """Set up a freshly forked worker of `parent`: SIGINT ignored, SIGTERM unwinds it, and the
    kernel sends SIGTERM when the parent dies (even by SIGKILL), so no worker outlives a build."""
    global _GUARD
    _GUARD = _Guard()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_signal)
    with contextlib.suppress(OSError, AttributeError):  # Linux only; elsewhere the parent stops it
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(128 + signal.SIGTERM)
