"""``pmloop grade --grader llm|ensemble`` in a child process against the loopback server."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from fakellm import QUESTION_ID, FakeLLM, echo_judge, grade_reply, openai_reply

ROOT = Path(__file__).resolve().parents[2]
OFF_TOPIC = (
    "To price our coding assistant I would charge per seat with a usage cap of 2 million tokens "
    "a month, because inference cost grows with heavy users and finance wants a predictable "
    "margin of 60 percent."
)


def _grade(cli: Callable[..., Any], env: dict[str, str], *args: str) -> Any:
    return cli("grade", "--question-id", QUESTION_ID, "--format", "json", *args, env=env)


def test_grade_with_the_llm_grader(
    fake_llm: FakeLLM, pmloop_cli: Callable[..., Any], strong_answer: str
) -> None:
    fake_llm.default = echo_judge(level=3)
    run = _grade(
        pmloop_cli,
        fake_llm.env(PMLOOP_LLM_PRICE_INPUT="3", PMLOOP_LLM_PRICE_OUTPUT="15"),
        "--grader",
        "llm",
        "-a",
        strong_answer,
    )
    assert run.code == 0, run.stderr
    assert run.stderr == ""
    grade = json.loads(run.stdout)
    assert grade["grader"]["name"] == "llm" and grade["grader"]["model"] == "openai:judge-test"
    assert grade["level"] == 3
    assert grade["usage"]["calls"] == 1 and grade["usage"]["cost_usd"] > 0
    assert len(fake_llm.seen) == 1
    # again: the cache answers, nothing is sent and nothing is spent
    again = json.loads(
        _grade(pmloop_cli, fake_llm.env(), "--grader", "llm", "-a", strong_answer).stdout
    )
    assert again["usage"] == {
        "calls": 0,
        "input_tokens": 0,
        "output_tokens": 0,
        "latency_ms": 0,
        "cached": True,
    }
    assert len(fake_llm.seen) == 1


def test_grade_with_the_ensemble_grader_from_the_environment(
    fake_llm: FakeLLM, pmloop_cli: Callable[..., Any]
) -> None:
    fake_llm.push(
        openai_reply(
            json.dumps(grade_reply(4, [("specific_disagreement", "I would charge per seat")]))
        )
    )
    run = _grade(pmloop_cli, fake_llm.env(PMLOOP_GRADER="ensemble"), "-a", OFF_TOPIC)
    assert run.code == 0, run.stderr
    grade = json.loads(run.stdout)
    assert grade["grader"]["name"] == "ensemble"
    assert grade["level"] == 1 and grade["judge"]["llm_level"] == 4
    assert grade["judge"]["rule"].startswith("Held at below bar")
    assert "disagree" in run.stderr  # the two grades, shown on stderr as well as in the JSON


def test_anthropic_through_the_cli(
    fake_llm: FakeLLM, pmloop_cli: Callable[..., Any], strong_answer: str
) -> None:
    fake_llm.default = echo_judge(level=2)
    env = fake_llm.env("anthropic", ANTHROPIC_API_KEY="sk-ant-test")
    del env["PMLOOP_LLM_API_KEY"]
    run = _grade(pmloop_cli, env, "--grader", "llm", "-a", strong_answer)
    assert run.code == 0, run.stderr
    grade = json.loads(run.stdout)
    assert grade["grader"]["model"] == "anthropic:judge-test" and grade["level"] == 2
    assert fake_llm.seen[0].path == "/v1/messages"


def test_a_dead_server_is_one_line_and_the_offline_grade(
    fake_llm: FakeLLM, pmloop_cli: Callable[..., Any], strong_answer: str
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = fake_llm.env(PMLOOP_LLM_BASE_URL=f"http://127.0.0.1:{port}/v1")
    run = _grade(pmloop_cli, env, "--grader", "llm", "-a", strong_answer)
    assert run.code == 0
    (line,) = run.stderr.splitlines()
    assert line.startswith("pmloop: notice: LLM judge (openai:judge-test) gave no usable grade")
    assert "cannot reach" in line
    grade = json.loads(run.stdout)
    assert grade["grader"]["name"] == "offline" and grade["notices"] == [
        line[len("pmloop: notice: ") :]
    ]


def test_a_missing_model_is_one_error_line(
    pmloop_cli: Callable[..., Any], fake_llm: FakeLLM
) -> None:
    env = fake_llm.env()
    env["PMLOOP_LLM_MODEL"] = ""
    run = _grade(pmloop_cli, env, "--grader", "ensemble", "-a", "We shipped it.")
    assert run.code != 0
    assert run.stderr.splitlines() == [
        "pmloop: error: the llm grader needs a model: set PMLOOP_LLM_MODEL"
    ]


def test_eval_runs_the_whole_harness_with_the_llm_grader(
    fake_llm: FakeLLM, pmloop_cli: Callable[..., Any], tmp_path: Path
) -> None:
    items = yaml.safe_load((ROOT / "data" / "labeled" / "terse.yaml").read_text())["items"][:8]
    small = tmp_path / "small.yaml"
    small.write_text(yaml.safe_dump({"items": items}), encoding="utf-8")
    fake_llm.default = echo_judge(level=2)
    run = pmloop_cli("eval", str(small), "--no-references", "--format", "json", "--grader", "llm",
                     env=fake_llm.env())  # fmt: skip
    assert run.code == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["grader"].startswith("llm ") and report["protocol"] == "as-graded"
    assert report["items"] == 8
    # the scripted judge says surface to every answer, and the plain llm grader has no gates
    assert sum(row[1] for row in report["confusion"]) == 8
    assert len(fake_llm.seen) == 8


def test_max_cost_on_the_command_line(
    fake_llm: FakeLLM, pmloop_cli: Callable[..., Any], strong_answer: str
) -> None:
    fake_llm.default = echo_judge(level=3)
    priced = fake_llm.env(PMLOOP_LLM_PRICE_INPUT="3", PMLOOP_LLM_PRICE_OUTPUT="15")
    run = _grade(pmloop_cli, priced, "--grader", "llm", "--max-cost", "0.0001", "-a", strong_answer)
    assert run.code == 0, run.stderr
    assert fake_llm.seen == []  # stopped before spending anything
    assert json.loads(run.stdout)["grader"]["name"] == "offline"
    (line,) = run.stderr.splitlines()
    assert "the LLM budget of $0.0001 would be exceeded ($0.0000 spent)" in line
    unpriced = _grade(pmloop_cli, fake_llm.env(), "--grader", "llm", "--max-cost", "1", "-a", "x y")
    assert unpriced.code != 0
    assert unpriced.stderr.splitlines() == [
        "pmloop: error: a maximum cost (--max-cost or PMLOOP_LLM_MAX_COST) needs the prices: "
        "set PMLOOP_LLM_PRICE_INPUT and PMLOOP_LLM_PRICE_OUTPUT (US dollars per million tokens)"
    ]
