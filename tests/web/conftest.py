"""Fixtures for the web tests: the app on a real socket, served by uvicorn in a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest
import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
def live_app() -> Iterator[Callable[[FastAPI], str]]:
    """Serve an app on 127.0.0.1 over real HTTP; returns its base URL. Stopped after the test."""
    servers: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(app: FastAPI) -> str:
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error", lifespan="off")
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        servers.append((server, thread))
        wait_for(lambda: server.started, what="the test server to start")
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)
