"""A Dask LocalCluster of two worker processes on loopback builds what a local build builds."""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
from pathlib import Path

import pytest

from publish.bench import repeated_issue
from publish.build import build_issues
from publish.errors import EnvironmentProblem
from publish.run.cluster import ClusterRunner, Rebase, check_workers, project_version
from tests.conftest import DEFAULT_ISSUE, MINIMAL
from tests.pdf.test_chunked import page_texts
from tests.test_batch import issues

HARD_TIMEOUT = 240
"""Seconds any cluster build may take before the test fails (a hang is a failure)."""


def test_rebase_moves_paths_and_file_urls_inside_dataclasses_and_containers():
    @dataclasses.dataclass(frozen=True)
    class Part:
        out: Path
        url: str
        names: tuple[str, ...]

    moved = Rebase({"/client/issue": "/worker/a", "dist": "/worker/b"})(
        [Part(Path("dist/x.pdf"), "file:///client/issue/img/%E5%9B%BE.png", ("/client/issuer",))]
    )
    assert moved == [
        Part(Path("/worker/b/x.pdf"), "file:///worker/a/img/%E5%9B%BE.png", ("/client/issuer",))
    ]


def pdf_facts(path: Path) -> tuple[int, list[str], list[tuple[str, int]]]:
    """Page count, each page's text as laid out (TOC numbers and folios included, where they
    stand: a short edition is one render on a worker and pieces locally, which draw the same
    characters in another order), the outline."""
    from pypdf import PdfReader

    reader = PdfReader(path)

    def flat(items) -> list[tuple[str, int]]:
        found = []
        for item in items:
            if isinstance(item, list):
                found += flat(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item)))
        return found

    return len(reader.pages), page_texts(path, "-layout"), flat(reader.outline)


@pytest.fixture(scope="module")
def cluster():
    import distributed  # a dependency of the project: missing is a failure, never a skip

    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield cluster, client


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> list[Path]:
    """A 100-article issue (chunked) and three small ones."""
    root = tmp_path_factory.mktemp("batch")
    long = repeated_issue(DEFAULT_ISSUE, 10, root / "x10", "zh-Hans")
    return [long, *issues(root / "small", 3)]


@pytest.fixture(scope="module")
def local_build(batch, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("local")
    assert not build_issues(batch, out).failed
    return out


def in_time(work, timeout: float = HARD_TIMEOUT):
    """Run `work()` on a thread; its result, or a failed test if it takes over `timeout`."""
    outcome: list = []
    thread = threading.Thread(target=lambda: outcome.append(_caught(work)), daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), f"the cluster build hung for more than {timeout} s"
    value, error = outcome[0]
    if error is not None:
        raise error
    return value


def _caught(work):
    try:
        return work(), None
    except Exception as error:  # noqa: BLE001 (raised again on the test's thread)
        return None, error


def same_outputs(out: Path, reference: Path) -> None:
    names = sorted(p.name for p in reference.iterdir() if p.suffix in (".pdf", ".epub"))
    assert sorted(p.name for p in out.iterdir() if p.suffix in (".pdf", ".epub")) == names
    for name in names:
        if name.endswith(".pdf"):
            assert pdf_facts(out / name) == pdf_facts(reference / name), name
        assert (out / name).read_bytes() == (reference / name).read_bytes(), name


@pytest.mark.slow
def test_a_cluster_build_equals_the_local_one(cluster, batch, local_build, tmp_path):
    _, client = cluster
    runner = ClusterRunner(client)
    assert runner.cores == 2
    report = in_time(lambda: build_issues(batch, tmp_path, runner=runner))
    assert not report.failed
    same_outputs(tmp_path, local_build)
    x10 = pdf_facts(tmp_path / "x10-zh-Hans.pdf")
    assert x10[0] > 100 and len(x10[2]) >= 100  # chunked: 100 articles, each bookmarked


@pytest.fixture(scope="module")
def local_x10(local_build) -> Path:
    """The local build's outputs of the long issue alone, to compare a one-issue build with."""
    only = local_build.parent / "only-x10"
    only.mkdir(exist_ok=True)
    for path in local_build.glob("x10-*"):
        (only / path.name).write_bytes(path.read_bytes())
    return only


@pytest.mark.slow
def test_a_worker_killed_mid_build_is_survived(cluster, batch, local_x10, tmp_path):
    _, client = cluster
    runner = ClusterRunner(client)
    pids = client.run(os.getpid)
    started, killed = threading.Event(), []

    def kill_one() -> None:
        # once a layout task is running, kill the worker process running it
        while not started.wait(0.2):
            busy = [w for w, tasks in client.processing().items() if tasks]
            if busy and busy[0] in pids:
                os.kill(pids[busy[0]], signal.SIGKILL)
                killed.append(busy[0])
                started.set()

    killer = threading.Thread(target=kill_one, daemon=True)
    killer.start()
    try:
        # --force: no render from the layout cache the local build filled, every chunk a task
        report = in_time(lambda: build_issues(batch[:1], tmp_path, force=True, runner=runner))
    except EnvironmentProblem as error:  # reported clearly is the other acceptable end
        assert killed and "Dask worker" in str(error)
        return
    finally:
        started.set()
        client.wait_for_workers(2, timeout=60)  # the nanny starts a new one
    assert killed, "no worker was killed: the build ended before a task ran"
    assert not report.failed
    same_outputs(tmp_path, local_x10)


@pytest.mark.slow
def test_workers_of_another_version_are_refused(cluster):
    _, client = cluster
    with pytest.raises(EnvironmentProblem, match=r"run publish .*, this client runs 0\.0\.0\+x"):
        check_workers(client, "0.0.0+x")
    assert check_workers(client, project_version()) == 2


@pytest.mark.slow
def test_the_command_line_builds_on_a_cluster(cluster, capsys, tmp_path):
    from publish.cli import main

    scheduler, _ = cluster
    folders = issues(tmp_path / "issues", 2)
    argv = ["build", *map(str, folders), "--edition", "zh-Hans", "--out", str(tmp_path / "out")]
    code = in_time(lambda: main([*argv, "--cluster", scheduler.scheduler_address, "-q"]))
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == [
        "a-zh-Hans.pdf",
        "b-zh-Hans.pdf",
    ]


@pytest.mark.slow
def test_no_scheduler_is_a_clear_error(capsys, monkeypatch, tmp_path):
    from publish.cli import main
    from publish.run import cluster

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", 2)
    monkeypatch.setenv("PUBLISH_CLUSTER", "tcp://127.0.0.1:9")  # discard: nothing listens
    code = in_time(lambda: main(["build", str(MINIMAL), "--out", str(tmp_path), "-q"]), 60)
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("environment error: --cluster tcp://127.0.0.1:9: cannot reach a Dask")
    assert "Traceback" not in err


def _read_and_write(source: Path, target: Path) -> tuple[Path, Path]:
    """A task: copy `source` (under a shipped folder) to `target` (an output), upper-cased."""
    target.write_text(source.read_text("utf-8").upper(), "utf-8")
    return source, target


def test_a_task_reads_the_shipped_copy_and_its_output_comes_back(tmp_path):
    from publish.run.cluster import Task, pack, run_task

    issue = tmp_path / "issue"
    (issue / "articles").mkdir(parents=True)
    (issue / "articles" / "a.md").write_text("abc", "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    task = Task(
        "t",
        project_version(),
        _read_and_write,
        (issue / "articles" / "a.md", out / "a.txt"),
        None,
        (),
        (str(out),),
    )
    packed = pack(issue)
    (issue / "articles" / "a.md").write_text("changed here", "utf-8")  # after packing
    files, (read, wrote) = run_task(task, {str(issue): packed})
    # the worker read the shipped copy (not the client's file), wrote in a scratch folder of
    # its own, and names both in the client's terms; nothing is written on the client's side
    assert files == {(str(out), "a.txt"): b"ABC"}
    assert read == issue / "articles" / "a.md" and wrote == out / "a.txt"
    assert not (out / "a.txt").exists()
