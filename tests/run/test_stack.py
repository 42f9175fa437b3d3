"""Calls with room on the frame stack: the same results, and no frame chunk mapped per call."""

import resource
import sys

import pytest

from publish.run.stack import roomy, with_room


def _down(depth: int) -> int:
    return 0 if depth == 0 else 1 + _down(depth - 1)


def _recurse_many_times() -> int:
    """Recursion 400 calls deep, 3,000 times over: it crosses the end of a 16 KiB frame chunk
    each time, as WeasyPrint's layout does; the page faults that cost."""
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(3_000):
        assert _down(400) == 400
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_the_call_gets_its_arguments_and_gives_its_result_or_its_error() -> None:
    assert with_room(divmod, 17, 5) == (3, 2)
    assert with_room(sorted, [3, 1, 2], reverse=True) == [3, 2, 1]
    assert with_room(_down, 900) == 900
    with pytest.raises(ZeroDivisionError):
        with_room(divmod, 1, 0)


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython's frame stack")
def test_deep_recursion_under_room_maps_no_frame_chunks() -> None:
    bare = _recurse_many_times()
    roomy = with_room(_recurse_many_times)
    # bare: each crossing maps a fresh chunk and faults its first page (>= 3,000 faults)
    assert bare >= 3_000
    assert roomy < 300


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="CPython's frame stack")
def test_a_roomy_function_keeps_its_name_and_runs_every_call_with_room() -> None:
    recurse = roomy(_recurse_many_times)
    assert recurse.__name__ == "_recurse_many_times"
    assert _recurse_many_times() >= 3_000  # warm: the same recursion, bare
    assert recurse() < 300
    assert roomy(sorted)([2, 1], reverse=True) == [2, 1]
