"""Fixtures for the web tests: the app on a real socket, served by uvicorn in a thread."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition: Callable[[], object], seconds: float = 30.0, what: str = "") -> None:
    """Poll ``condition`` until it is true; fail the test when ``seconds`` pass first."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {seconds:.0f} s waiting for {what or condition}")
        time.sleep(0.02)


@pytest.fixture
def waiter() -> Callable[..., None]:
    """``wait_for`` as a fixture, for test modules (they cannot import this file)."""
    return wait_for


@pytest.fixture
def live_app(
    serving: Callable[..., AbstractContextManager[str]],
) -> Iterator[Callable[[FastAPI], str]]:
    """Serve an app on 127.0.0.1 over real HTTP; returns its base URL. Stopped after the test."""
    with ExitStack() as servers:
        yield lambda app: servers.enter_context(serving(app, lifespan="off"))


def _alive(pid: int) -> bool:
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
        return httpx.get(url, timeout=2).status_code < 500
    except httpx.HTTPError:
        return False


@pytest.fixture
def pmloop_serve(tmp_path: Path) -> Iterator[Callable[..., str]]:
    """Run ``pmloop serve ARGS`` as a real process on a free port; returns its base URL.

    Environment variables given as keywords are added. Every process it started (the server
    and its workers) is stopped after the test, by pid.
    """
    started: list[subprocess.Popen[bytes]] = []
    pids: list[int] = []

    def start(*args: str, **env: str) -> str:
        # --port 0: the server binds a free port itself and names it, so no port is ever chosen
        # here and taken by someone else before the server binds it
        log_path = tmp_path / f"serve-{len(started)}.log"
        log = log_path.open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "pmloop", "serve", "--no-browser", "--port", "0", *args],
            env={**os.environ, **env}, cwd=ROOT, stdout=subprocess.PIPE, stderr=log,
        )  # fmt: skip
        log.close()
        started.append(process)
        pids.append(process.pid)
        assert process.stdout is not None
        announced = process.stdout.readline().decode()
        found = re.search(r"serving on (http://127\.0\.0\.1:\d+)/", announced)
        if found is None:
            pytest.fail(f"pmloop serve did not start: {announced}{log_path.read_text()}")
        url = found.group(1)
        deadline = time.monotonic() + 120
        while not _answers(url + "/login"):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"pmloop serve did not answer: {log_path.read_text()}")
            time.sleep(0.1)
        pids.extend(_children(process.pid))
        return url

    yield start
    for process in started:
        if process.stdout is not None:
            process.stdout.close()
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)
    for pid in pids:
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def post_twice_at_once(postgres_url: str) -> Callable[[str, dict[str, Any]], list[httpx.Response]]:
    """POST one body to a URL from two threads whose inserts race: the turns table is locked
    until both requests wait on it (seen in pg_locks), then released. Returns both responses,
    in the order they finished."""

    def race(url: str, body: dict[str, Any]) -> list[httpx.Response]:
        from sqlalchemy import create_engine, text

        responses: list[httpx.Response] = []
        threads = [
            threading.Thread(
                target=lambda: responses.append(httpx.post(url, json=body, timeout=120))
            )
            for _ in range(2)
        ]
        locker = create_engine(postgres_url)
        with locker.connect() as held, locker.connect() as watcher:
            transaction = held.begin()
            # readers pass; both inserts queue behind this lock until it is released
            held.execute(text("LOCK TABLE turns IN EXCLUSIVE MODE"))
            for thread in threads:
                thread.start()

            def both_waiting() -> bool:
                waiting = watcher.execute(
                    text(
                        "SELECT count(*) FROM pg_locks "
                        "WHERE relation = 'turns'::regclass AND NOT granted"
                    )
                ).scalar()
                watcher.commit()
                return waiting == 2

            wait_for(both_waiting, what="both requests to wait on the insert")
            transaction.commit()
        for thread in threads:
            thread.join(timeout=120)
        locker.dispose()
        return responses

    return race
