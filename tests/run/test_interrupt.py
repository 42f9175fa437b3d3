"""SIGINT and SIGTERM: one Interrupted, never inside a shielded block, never a second one."""

from __future__ import annotations

import os
import signal

import pytest

from publish.run.interrupt import Interrupted, shielded, stop_on_signals


def test_a_signal_is_raised_once_as_interrupted_with_the_shell_s_exit_code():
    with stop_on_signals(), pytest.raises(Interrupted) as stop:
        os.kill(os.getpid(), signal.SIGTERM)
        signal.pause()  # never reached when the handler raises at once
    assert (stop.value.name, stop.value.exit_code) == ("SIGTERM", 143)
    assert isinstance(stop.value, KeyboardInterrupt)  # code stopping on Ctrl-C stops on both


def test_a_signal_in_a_shielded_block_waits_for_its_end_and_later_ones_change_nothing():
    done = []
    with stop_on_signals(), pytest.raises(Interrupted) as stop:
        with shielded():
            os.kill(os.getpid(), signal.SIGINT)
            os.kill(os.getpid(), signal.SIGTERM)
            done.append("the cleanup ran whole")
        done.append("not after the block")
    assert done == ["the cleanup ran whole"]
    assert stop.value.name == "SIGINT"


def test_handlers_are_given_back_after_the_command():
    before = signal.getsignal(signal.SIGTERM)
    with stop_on_signals():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before
