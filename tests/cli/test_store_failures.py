"""Every command that opens the store, on a home it cannot use: one line, a non-zero exit.

The file systems are real: a tmpfs mounted read-only, or one filled to the last block, each in
a private mount namespace of the child process (unshare), so nothing outside the test sees them.
"""

import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from pmloop.store import open_repository

ROOT = Path(__file__).resolve().parents[2]


DEMO = Path(__file__).resolve().parents[2] / "src" / "pmloop" / "sample" / "demo_answers.yaml"


def _commands(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    export = tmp_path / "export.json"
    export.write_text('{"schema": "pmloop.export/1", "sessions": []}', encoding="utf-8")
    port = "0"  # any free port: the store fails before the server binds
    return {
        # scripted: the no-terminal demo plays in a throwaway home and never needs this one
        "practice": (["practice", "--answers", str(DEMO)], ""),
        "resume": (["resume"], ""),
        "sessions": (["sessions"], ""),
        "report": (["report"], ""),
        "progress": (["progress"], ""),
        "drill": (["drill"], ""),
        "export": (["export"], ""),
        "import": (["import", str(export)], ""),
        "serve": (["serve", "--no-browser", "--port", port], ""),
        "users": (["users", "add", "ana", "--password-stdin"], "long enough password\n"),
    }


def _in_namespace(
    setup: str, args: list[str], stdin: str, home: Path
) -> subprocess.CompletedProcess[str]:
    """Run pmloop in a private mount namespace, once ``setup`` (shell) has mounted its disk."""
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-r", "--mount"]
    command = f"{setup} && exec {shlex.quote(sys.executable)} -m pmloop " + shlex.join(args)
    return subprocess.run(
        [*unshare, "sh", "-c", command],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "PMLOOP_HOME": str(home), "COLUMNS": "200"},
    )


def _one_line(run: subprocess.CompletedProcess[str], expected: str, what: str) -> None:
    lines = run.stderr.strip().splitlines()
    assert run.returncode == 1, (what, run.returncode, run.stderr)
    assert len(lines) == 1 and lines[0].startswith("pmloop: error: "), (what, run.stderr)
    assert expected in lines[0], (what, lines[0])
    assert "cannot be read" not in lines[0], (what, lines[0])


def test_a_home_behind_a_file_is_one_line_for_every_command(
    pmloop_cli: Callable, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the home should be", encoding="utf-8")
    for what, (args, stdin) in _commands(tmp_path).items():
        for home in (blocker, blocker / "pmloop"):
            run = pmloop_cli(*args, stdin=stdin.encode(), env={"PMLOOP_HOME": str(home)})
            lines = run.stderr.strip().splitlines()
            assert run.code == 1 and len(lines) == 1, (what, run.stderr)
            assert f"{blocker} is a file, not a folder" in lines[0], (what, lines[0])
            assert "PMLOOP_HOME" in lines[0]
    assert blocker.read_text(encoding="utf-8") == "a file where the home should be"


def test_a_read_only_file_system_is_one_line_for_every_command(tmp_path: Path) -> None:
    mount = tmp_path / "mnt"
    mount.mkdir()
    setup = f"mount -t tmpfs -o ro,size=1m tmpfs {shlex.quote(str(mount))}"
    for what, (args, stdin) in _commands(tmp_path).items():
        run = _in_namespace(setup, args, stdin, mount / "home")
        _one_line(run, "read-only", what)


def test_a_read_only_file_system_under_an_existing_database(tmp_path: Path) -> None:
    seed = tmp_path / "seed"
    open_repository(f"sqlite:///{seed / 'pmloop.db'}").engine.dispose()
    mount = tmp_path / "mnt"
    mount.mkdir()
    m = shlex.quote(str(mount))
    setup = (
        f"mount -t tmpfs -o size=1m tmpfs {m} && mkdir {m}/home && "
        f"cp {shlex.quote(str(seed / 'pmloop.db'))} {m}/home/ && mount -o remount,ro {m}"
    )
    for what in ("practice", "sessions", "export"):
        args, stdin = _commands(tmp_path)[what]
        run = _in_namespace(setup, args, stdin, mount / "home")
        _one_line(run, "read-only", what)


@pytest.mark.parametrize("existing", [False, True], ids=["fresh home", "existing database"])
def test_a_full_disk_is_one_line_for_every_command(tmp_path: Path, existing: bool) -> None:
    seed = tmp_path / "seed"
    repo = open_repository(f"sqlite:///{seed / 'pmloop.db'}")
    repo.create_session("practice", "general", {}, ["q"], "offline t")
    repo.engine.dispose()
    mount = tmp_path / "mnt"
    mount.mkdir()
    m = shlex.quote(str(mount))
    copy = (
        f"mkdir {m}/home && cp {shlex.quote(str(seed / 'pmloop.db'))} {m}/home/ && "
        if existing
        else ""
    )
    # fill every block: dd stops at "No space left on device"
    setup = (
        f"mount -t tmpfs -o size=1m tmpfs {m} && {copy}"
        f"(dd if=/dev/zero of={m}/filler bs=4k 2>/dev/null; true) && "
        f"test $(stat -f -c %a {m}) -eq 0"
    )
    for what, (args, stdin) in _commands(tmp_path).items():
        run = _in_namespace(setup, args, stdin, mount / "home")
        _one_line(run, "is full", what)


RUNTIME = """
import os, sys
from pmloop.errors import StoreError
from pmloop.store import open_repository
repo = open_repository()
session = repo.create_session("practice", "general", {}, ["q"], "offline t")
with open(os.path.join(sys.argv[1], "filler"), "wb") as out:
    try:
        while True:
            out.write(b"\\0" * 65536)
            out.flush()
    except OSError:
        pass
try:
    for i in range(200):
        repo.submit(session.id, i, 0, "q", "Q?", "question", None, "an answer " * 300)
except StoreError as exc:
    print(f"StoreError: {exc}")
"""


def test_a_disk_that_fills_while_in_use_is_a_store_error(tmp_path: Path) -> None:
    mount = tmp_path / "mnt"
    mount.mkdir()
    m = shlex.quote(str(mount))
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-r", "--mount"]
    command = (
        f"mount -t tmpfs -o size=2m tmpfs {m} && exec {shlex.quote(sys.executable)} -c "
        f"{shlex.quote(RUNTIME)} {m}"
    )
    run = subprocess.run(
        [*unshare, "sh", "-c", command], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PMLOOP_HOME": str(mount / "home")},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("StoreError: the disk holding"), run.stdout
    assert "is full" in run.stdout


UNSAVED = """
import os, sys
from pathlib import Path
from rich.console import Console
from pmloop.cli._common import fail
from pmloop.cli._practice import _run
from pmloop.errors import PmloopError
from pmloop.cli._terminal_io import ScriptPrinter
from pmloop.coach import Coach, LoopSettings, ScriptedIO, load_script
from pmloop.grading import Examiner
from pmloop.store import open_repository
coach = Coach(Examiner(), open_repository())
session = coach.start(LoopSettings(plan=("eval-new-llm-feature-before-launch",)))
with open(os.path.join(sys.argv[1], "filler"), "wb") as out:
    try:
        while True:
            out.write(b"\\0" * 65536)
            out.flush()
    except OSError:
        pass
console = Console(highlight=False, width=200)
io = ScriptedIO(load_script(Path(sys.argv[2])), ScriptPrinter(console))
try:  # as pmloop's main() does
    _run(coach, session.id, io, console)
except PmloopError as exc:
    fail(str(exc), 1)
"""


def test_an_answer_the_full_disk_cannot_take_is_printed_not_lost(tmp_path: Path) -> None:
    answer = "Start from the failure that hurts a customer most: a confident wrong refund."
    script = tmp_path / "answers.yaml"
    script.write_text(f"answers:\n  - {answer!r}\n", encoding="utf-8")
    mount = tmp_path / "mnt"
    mount.mkdir()
    m = shlex.quote(str(mount))
    unshare = ["unshare", "--mount"] if os.geteuid() == 0 else ["unshare", "-r", "--mount"]
    command = (
        f"mount -t tmpfs -o size=2m tmpfs {m} && exec {shlex.quote(sys.executable)} -c "
        f"{shlex.quote(UNSAVED)} {m} {shlex.quote(str(script))}"
    )
    run = subprocess.run(
        [*unshare, "sh", "-c", command], capture_output=True, text=True, timeout=120,
        env={**os.environ, "PMLOOP_HOME": str(mount / "home")},
    )  # fmt: skip
    _one_line(run, "is full", "practice")
    assert "Your answer could not be saved. Here it is, to keep:" in run.stdout
    assert answer in " ".join(run.stdout.split())
