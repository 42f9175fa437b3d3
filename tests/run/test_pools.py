"""The local runner: whole editions on long-lived forked workers, each outcome as it comes."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from publish.errors import ConfigError, InputError
from publish.model import Finding, Source
from publish.run.pools import InlinePool, LocalRunner


def _square_or_fail(number: int) -> int:
    if number == 2:
        raise InputError("issue two is broken")
    if number == 3:
        raise ConfigError([Finding(Source(Path("3/publish.yaml"), 4), "title: missing")])
    return number * number


def test_every_call_comes_back_with_its_result_or_its_error():
    outcomes = {
        i: (r, e)
        for i, r, e in LocalRunner(2).map(_square_or_fail, [(n,) for n in range(5)], [()] * 5)
    }
    assert sorted(outcomes) == [0, 1, 2, 3, 4]
    assert [outcomes[i][0] for i in (0, 1, 4)] == [0, 1, 16]
    assert isinstance(outcomes[2][1], InputError) and str(outcomes[2][1]) == "issue two is broken"
    config = outcomes[3][1]
    assert isinstance(config, ConfigError)
    assert [str(f) for f in config.findings] == ["3/publish.yaml:4: title: missing"]


def test_one_core_runs_the_calls_here_and_keeps_going_after_an_error():
    outcomes = list(LocalRunner(1).map(_square_or_fail, [(2,), (5,)], [(), ()]))
    assert outcomes[1] == (1, 25, None)
    assert isinstance(outcomes[0][2], InputError)


def test_a_config_error_survives_pickling_with_its_findings():
    error = ConfigError([Finding(Source(Path("a.md"), 2), "bad")])
    again = pickle.loads(pickle.dumps(error))
    assert again.findings == error.findings and str(again) == str(error)


def test_the_inline_pool_runs_each_call_in_this_process_as_it_is_submitted():
    started: list[int] = []
    with InlinePool(started.append, (os.getpid(),)) as pool:
        assert started == [os.getpid()]  # the initialiser, once, here
        job = pool.submit(os.getpid)
        assert job.done() and job.result() == os.getpid()
        failed = pool.submit(_square_or_fail, 2)
        pool.wait([failed])
        assert failed.done()
        with pytest.raises(InputError, match="issue two is broken"):
            failed.result()  # raised where the result is asked for, as a fork pool's job
        assert pool.submit(_square_or_fail, 4).result() == 16
