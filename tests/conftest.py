"""Shared fixtures: every test gets a fresh PMLOOP_HOME; the bank and grader load once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import pytest

from pmloop.bank import Bank, load_bank
from pmloop.grading import Examiner

ROOT = Path(__file__).resolve().parent.parent

# Under PMLOOP_REQUIRE_SERVICES (set by .ci/run) a missing Chromium, PostgreSQL or other real
# service fails the run; on a developer's machine without them the tests skip and say why.
REQUIRE_SERVICES = bool(os.environ.get("PMLOOP_REQUIRE_SERVICES"))


def missing_service(what: str, how: str, *, module: bool = False) -> NoReturn:
    """Skip (locally) or fail (in CI) a test whose real service is not on this machine."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{what} is missing and PMLOOP_REQUIRE_SERVICES is set: {how}", pytrace=False)
    pytest.skip(f"{what} is missing: {how}", allow_module_level=module)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Under PMLOOP_REQUIRE_SERVICES a skipped test is a failed run: CI means everything ran."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter is not None else 0
    if REQUIRE_SERVICES and skipped and session.exitstatus == 0:
        if reporter is not None:
            reporter.write_line(
                f"error: {skipped} test(s) skipped under PMLOOP_REQUIRE_SERVICES", red=True
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def pmloop_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary PMLOOP_HOME so no test reads or writes the user's data."""
    home = tmp_path / "pmloop-home"
    monkeypatch.setenv("PMLOOP_HOME", str(home))
    monkeypatch.delenv("PMLOOP_BANK", raising=False)
    monkeypatch.delenv("PMLOOP_MAX_ANSWER_WORDS", raising=False)
    monkeypatch.delenv("PMLOOP_GRADER_DATA", raising=False)
    # a grader or LLM server the user configured must not change what a test grades with
    for name in ("PMLOOP_GRADER", "PMLOOP_LLM_PROVIDER", "PMLOOP_LLM_BASE_URL", "PMLOOP_LLM_MODEL"):
        monkeypatch.delenv(name, raising=False)
    # A user's own database must never receive test sessions.
    monkeypatch.delenv("PMLOOP_DATABASE_URL", raising=False)
    return home


@pytest.fixture(scope="session")
def bank() -> Bank:
    """The packaged bank."""
    return load_bank()


@pytest.fixture(scope="session")
def examiner(bank: Bank, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Examiner]:
    """One examiner for the session, its embedding cache in a session folder."""
    cache = tmp_path_factory.mktemp("cache")
    examiner = Examiner(bank)
    examiner.resolver._cache = cache
    yield examiner


@dataclass(frozen=True)
class Run:
    """What a CLI run printed and how it exited."""

    code: int
    stdout: str
    stderr: str


def _run_pmloop(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> Run:
    full_env = {**os.environ, **(env or {})}
    done = subprocess.run(
        [sys.executable, "-m", "pmloop", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        timeout=120,
        cwd=ROOT,
    )
    return Run(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


@pytest.fixture
def pmloop_cli() -> Callable[..., Run]:
    """Run the real CLI in a child process, as a user would."""
    return _run_pmloop


SNAPSHOTS = Path(__file__).resolve().parent / "report" / "snapshots"


def check_snapshot(name: str, text: str) -> None:
    """Compare ``text`` with a stored snapshot; PMLOOP_UPDATE_SNAPSHOTS=1 rewrites it.

    A missing snapshot is a failure everywhere: it is written only when asked for, so a broken
    renderer cannot pass by writing its own expected output.
    """
    path = SNAPSHOTS / name
    if os.environ.get("PMLOOP_UPDATE_SNAPSHOTS"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if not path.exists():
        pytest.fail(
            f"snapshot {name} is missing; write it with PMLOOP_UPDATE_SNAPSHOTS=1 and review it",
            pytrace=False,
        )
    assert text == path.read_text(encoding="utf-8")


@pytest.fixture
def snapshot() -> Callable[[str, str], None]:
    """The snapshot check, for tests that compare what a person sees."""
    return check_snapshot


@contextmanager
def _serving(app: Any, lifespan: str = "auto") -> Iterator[str]:
    """Serve ``app`` over real HTTP on 127.0.0.1 in a thread; yields its base URL.

    The socket is bound here and handed to uvicorn, so no other process can take the port
    between choosing it and listening on it.
    """
    import uvicorn

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = int(listener.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", lifespan=lifespan))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    try:
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started, "the test server did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


@pytest.fixture(scope="session")
def serving() -> Callable[..., AbstractContextManager[str]]:
    """``with serving(app) as base_url:`` runs ``app`` on a real socket for the block."""
    return _serving


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium, which the browser tests drive through Playwright."""
    if not Path(CHROMIUM).exists():
        missing_service("Debian's chromium", "apt-get install chromium (./test does it as root)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing_service("Playwright", "pip install -e '.[dev]' (scripts/setup.sh does it)")
    return CHROMIUM


AXE_CORE = Path(__file__).resolve().parent / "web" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_core() -> Path:
    """axe-core's script, the accessibility checker the browser tests run in each page."""
    if not AXE_CORE.exists():
        missing_service("axe-core", "npm ci --prefix tests/web (./test does it)")
    return AXE_CORE


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test on both databases: a SQLite file in the test's folder, then a fresh
    PostgreSQL database (``postgres_url``)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh database on the Postgres server named by PMLOOP_TEST_POSTGRES_URL."""
    from sqlalchemy import create_engine, text

    server = os.environ.get("PMLOOP_TEST_POSTGRES_URL")
    if not server:
        missing_service(
            "PostgreSQL", "PMLOOP_TEST_POSTGRES_URL is unset (./test starts one as root)"
        )
    name = f"pmloop_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.execute(text(f"CREATE DATABASE {name}"))
    yield server.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as db:
        db.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


# A grader from another distribution, registered the way a plugin is: its own *.dist-info with
# an entry point in the pmloop.graders group, found on sys.path. It grades as the offline grader
# does, then claims every answer is senior and signs the grade with its own name and the model
# setting it was given, so a test can tell its grades from the offline grader's anywhere.
_THIRDPARTY_MODULE = """
from pmloop.grading import GraderInfo, offline_grader


class ThirdPartyGrader:
    name = "thirdparty"

    def __init__(self, bank, settings):
        self.offline = offline_grader(bank)
        self.version = "1.0+" + (settings.llm_model or "no-model")

    def __call__(self, question, answer):
        grade = self.offline(question, answer)
        return grade.model_copy(update={
            "level": 4, "level_name": "senior", "score": 99.0,
            "grader": GraderInfo(name=self.name, version=self.version),
        })


def build(bank, settings):
    return ThirdPartyGrader(bank, settings)
"""


@dataclass(frozen=True)
class ThirdParty:
    """Where the third-party grader is installed, and the environment that finds it."""

    path: Path

    @property
    def env(self) -> dict[str, str]:
        existing = os.environ.get("PYTHONPATH")
        joined = f"{self.path}{os.pathsep}{existing}" if existing else str(self.path)
        return {"PYTHONPATH": joined}


@pytest.fixture(scope="session")
def thirdparty_grader(tmp_path_factory: pytest.TempPathFactory) -> ThirdParty:
    """A plugin distribution registering the grader ``thirdparty``; put ``.path`` on sys.path
    (or ``.env`` into a child's environment) to install it."""
    root = tmp_path_factory.mktemp("site")
    (root / "pmloop_thirdparty.py").write_text(_THIRDPARTY_MODULE, encoding="utf-8")
    info = root / "pmloop_thirdparty-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: pmloop-thirdparty\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[pmloop.graders]\nthirdparty = pmloop_thirdparty:build\n", encoding="utf-8"
    )
    return ThirdParty(root)
