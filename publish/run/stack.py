"""Calls run with room on the interpreter's frame stack, so that deep recursion costs no
system calls.

CPython (3.11 and later) keeps the frames of Python calls in chunks of 16 KiB, each mapped
(mmap) when a call runs past the end of the last one and unmapped (munmap) as soon as that
call returns. WeasyPrint's layout recurses through the boxes, and its depth swings back and
forth across such a boundary: laying out one chunk of 36 pages mapped and unmapped 16 KiB
58,616 times (strace), each time with page faults. That is about a fifth of the chunk's
time: 3.5 s forked, 2.8 s with room (user 3.0 -> 2.75 s, system 0.5 -> 0.05 s).

`with_room` calls through a frame that has a very large number of unused locals. The
interpreter gives that frame a chunk of its own, rounded up to a power of two, and every call
made under it fits in the unused half of that chunk. The unused locals are set to NULL once,
when the frame is made (about 0.5 MiB, written once). A process forked under it shares the
room too.
"""

from __future__ import annotations

import functools
import sys
import types
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

ROOM = 66_000
"""Unused locals of the roomy frame: 8 bytes each, about 0.5 MiB. The interpreter rounds the
frame's chunk up to 1 MiB, which leaves ~61,000 slots (some 2,000 frames) for the calls under it."""


def _call(function: Callable[..., T], args: tuple, kwargs: dict) -> T:
    return function(*args, **kwargs)


@functools.cache
def _roomy() -> Callable[..., Any]:
    """`_call` with ROOM more locals (~20 ms to make); `_call` itself where the interpreter's
    code objects do not allow it."""
    if sys.implementation.name != "cpython":
        return _call
    code = _call.__code__
    spare = tuple(f"_room{n}" for n in range(ROOM))
    try:
        roomy = code.replace(
            co_varnames=code.co_varnames + spare, co_nlocals=code.co_nlocals + ROOM
        )
    except (TypeError, ValueError):  # another CPython's code objects: no room, same result
        return _call
    return types.FunctionType(roomy, {}, "with_room")


def with_room(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`function(*args, **kwargs)`, called with room on the frame stack (see the module)."""
    return _roomy()(function, args, kwargs)


def roomy(function: Callable[..., T]) -> Callable[..., T]:
    """`function`, every call of it made with room on the frame stack (see `with_room`)."""

    @functools.wraps(function)
    def call(*args: Any, **kwargs: Any) -> T:
        return with_room(function, *args, **kwargs)

    return call
