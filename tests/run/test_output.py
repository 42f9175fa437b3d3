"""Atomic output: temporaries carry their writer's pid, so those of dead processes are swept."""

from __future__ import annotations

import errno
import os
import subprocess
import sys

import pytest

from publish.errors import EnvironmentProblem
from publish.run.output import atomic_target, sweep


def dead_pid() -> int:
    """The pid of a process that has ended and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_sweep_removes_only_the_temporaries_of_ended_processes(tmp_path):
    dead = dead_pid()
    stale = tmp_path / f".x-zh-Hans.pdf.{dead}.k3j_9x.part"
    stale.write_bytes(b"half a PDF")
    scratch = tmp_path / f".publish-chunks.{dead}.q1w2e3.part"
    (scratch / "chunk0.pdf").parent.mkdir()
    (scratch / "chunk0.pdf").write_bytes(b"%PDF")
    racing = tmp_path / f".x-zh-Hans.pdf.{os.getpid()}.abc123.part"  # a live build's
    racing.write_bytes(b"being written")
    output = tmp_path / "x-zh-Hans.pdf"
    output.write_bytes(b"%PDF")
    notes = tmp_path / f".notes.{dead}.txt"  # not ours: not a .part
    notes.write_text("editor's")
    assert sorted(sweep(tmp_path)) == sorted([stale, scratch])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [racing.name, output.name, notes.name]
    )


def test_a_full_disk_while_writing_is_one_message_and_no_temporary(tmp_path):
    target = tmp_path / "x-zh-Hans.epub"
    target.write_bytes(b"previous")
    full = pytest.raises(EnvironmentProblem, match=f"^{tmp_path}: the disk is full .*x-zh-Hans")
    with full, atomic_target(target) as temporary:
        temporary.write_bytes(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert [p.name for p in tmp_path.iterdir()] == [target.name]
    assert target.read_bytes() == b"previous"
