"""``pmloop serve`` as a real process: it binds before it announces, and its workers follow it."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _wait(condition: Callable[[], object], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds:.0f} s waiting for {what}")
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    """True while the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (FileNotFoundError, ProcessLookupError):
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def test_a_taken_port_is_one_line_and_exit_1(pmloop_cli) -> None:  # type: ignore[no-untyped-def]
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = pmloop_cli("serve", "--port", str(port), "--no-browser")
    assert run.code == 1, run
    assert "is serving" not in run.stdout
    assert run.stderr.strip().splitlines() == [
        f"pmloop: error: cannot listen on 127.0.0.1:{port}: Address already in use"
    ]


def test_an_unknown_host_is_one_line_and_exit_1(pmloop_cli) -> None:  # type: ignore[no-untyped-def]
    run = pmloop_cli("serve", "--host", "no-such-host.invalid", "--no-browser")
    assert run.code == 1 and "is serving" not in run.stdout
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("pmloop: error: cannot listen on"), lines


@pytest.fixture
def started() -> Iterator[list[int]]:
    """Pids this test started; any still alive at the end are killed, by pid."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


def test_workers_stop_when_the_parent_is_killed(tmp_path: Path, started: list[int]) -> None:
    env = {**os.environ, "PMLOOP_HOME": str(tmp_path / "home")}
    errors = tmp_path / "stderr.txt"
    with errors.open("wb") as stderr:
        parent = subprocess.Popen(
            [sys.executable, "-m", "pmloop", "serve", "--port", "0", "--workers", "2",
             "--no-browser"],
            env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=stderr, start_new_session=True,
        )  # fmt: skip
    started.append(parent.pid)
    assert parent.stdout is not None
    with parent.stdout:
        announced = parent.stdout.readline().decode()
    found = re.search(r"is serving on (http://127\.0\.0\.1:\d+/)", announced)
    assert found is not None, errors.read_text()
    url = found.group(1)  # --port 0: the server picked a free port and named it
    _wait(lambda: len(_children(parent.pid)) >= 2, 60, "two workers")
    workers = _children(parent.pid)
    started.extend(workers)
    _wait(lambda: _answers(url), 120, "the workers to answer")

    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(timeout=30)
    _wait(lambda: not any(_alive(pid) for pid in workers), 60, "the orphaned workers to exit")
    assert not _answers(url)
