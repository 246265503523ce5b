"""A worker process of ``pmloop serve --workers N`` ends when the process that started it dies.

uvicorn's supervisor stops its workers when it is stopped, but a supervisor killed outright
(``kill -9``, the OOM killer) cannot: its workers would go on serving the port with nobody to
stop them. On Linux the kernel sends the worker SIGTERM when its parent dies
(``PR_SET_PDEATHSIG``); elsewhere a thread watches the parent's id. SIGTERM is uvicorn's
graceful stop: requests in flight finish, then the worker exits.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

__all__ = ["exit_with_parent"]

_PR_SET_PDEATHSIG = 1


def _stop() -> None:
    os.kill(os.getpid(), signal.SIGTERM)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    _stop()


def exit_with_parent(parent: int) -> None:
    """Arrange for this process to stop when ``parent`` (its parent now) exits."""
    armed = False
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        armed = libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0) == 0
    if not armed:
        threading.Thread(target=_watch, args=(parent,), daemon=True, name="parent-watch").start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        _stop()
