"""`pmloop grade` as a user runs it: the JSON contract, the renderings, and bad input."""

import ctypes
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

QUESTION = "How would you evaluate a new LLM feature before launch?"
ANSWER = (
    "I'd start from what would hurt most: a confident answer that invents a policy. I'd keep "
    "two bars, one for whether it can do the task and one for whether it can do harm doing it. "
    "The eval set comes from last month's real traffic, split by language, because an average "
    "of 91 percent can hide a segment at 60. Every model update reruns the set."
)


def _one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    assert lines[0].startswith("pmloop: error: ")
    return lines[0]


def test_json_contract_with_verbatim_quotes(pmloop_cli: Callable, tmp_path: Path) -> None:
    answer_file = tmp_path / "x.txt"
    answer_file.write_text(ANSWER, encoding="utf-8")
    run = pmloop_cli(
        "grade", "--question", QUESTION, "--answer-file", str(answer_file), "--format", "json"
    )
    assert run.code == 0, run.stderr
    grade = json.loads(run.stdout)
    assert grade["schema"] == "pmloop.grade/1"
    assert grade["question"]["bank_id"] == "eval-new-llm-feature-before-launch"
    assert 0.8 <= grade["question"]["match_similarity"] < 1
    assert grade["level_name"] in {"strong", "senior"}
    assert grade["grader"]["name"] == "offline"
    quotes = [e["quote"] for c in grade["competencies"] for e in c["evidence"]]
    quotes += [q for s in grade["signals"] for q in s["quotes"]] + [
        f["quote"] for f in grade["flags"]
    ]
    assert quotes and all(q in ANSWER for q in quotes)
    for key in ("senior_delta", "follow_up"):
        assert grade[key].strip()


def test_text_and_markdown_renderings(pmloop_cli: Callable) -> None:
    text = pmloop_cli("grade", "-q", QUESTION, "-a", ANSWER, env={"COLUMNS": "100"})
    assert text.code == 0, text.stderr
    for heading in ("Level:", "Competency", "What a senior answer would add", "Follow-up"):
        assert heading in text.stdout
    markdown = pmloop_cli("grade", "-q", QUESTION, "-a", ANSWER, "--format", "markdown")
    assert markdown.code == 0
    assert (
        markdown.stdout.startswith("## ") and "| Competency | Level | Evidence |" in markdown.stdout
    )


def test_answer_from_stdin_and_question_id(pmloop_cli: Callable) -> None:
    run = pmloop_cli(
        "grade",
        "--question-id",
        "eval-new-llm-feature-before-launch",
        "--format",
        "json",
        stdin=ANSWER.encode(),
    )
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["question"]["match_similarity"] == 1.0


@pytest.mark.parametrize(
    ("args", "stdin", "env", "expected"),
    [
        (["-a", ""], b"", {}, "answer is empty"),
        (["-a", "   \n\t "], b"", {}, "answer is empty"),
        ([], b"  \n ", {}, "answer is empty"),
        (["-a", "word " * 60], b"", {"PMLOOP_MAX_ANSWER_WORDS": "50"}, "limit is 50"),
        ([], b"caf\xe9 au lait", {}, "not UTF-8"),
    ],
)
def test_bad_answers_exit_2_with_one_line(
    pmloop_cli: Callable, args: list[str], stdin: bytes, env: dict[str, str], expected: str
) -> None:
    run = pmloop_cli("grade", "-q", QUESTION, *args, stdin=stdin, env=env)
    assert run.code == 2
    assert expected in _one_error_line(run.stderr)
    assert run.stdout == ""


def test_default_limit_is_3000_words(pmloop_cli: Callable) -> None:
    run = pmloop_cli("grade", "-q", QUESTION, stdin=("latency " * 3001).encode())
    assert run.code == 2 and "limit is 3,000" in _one_error_line(run.stderr)


def test_an_endless_answer_is_refused_unread(pmloop_cli: Callable, tmp_path: Path) -> None:
    """/dev/zero, as a file or on standard input, is refused once it passes the byte bound
    (words x 200 bytes), not read until memory runs out."""
    env = {"PMLOOP_MAX_ANSWER_WORDS": "50"}
    run = pmloop_cli("grade", "-q", QUESTION, "--answer-file", "/dev/zero", env=env)
    assert run.code == 2 and "over 10,000 bytes" in _one_error_line(run.stderr)
    run = pmloop_cli("grade", "-q", QUESTION, stdin=b"x" * 10_001, env=env)
    assert run.code == 2 and "standard input is over 10,000 bytes" in _one_error_line(run.stderr)
    # at the bound it is read, and then held to the word limit as before
    run = pmloop_cli("grade", "-q", QUESTION, stdin=b"word " * 2_000, env=env)
    assert run.code == 2 and "limit is 50" in _one_error_line(run.stderr)


def test_bad_answer_files(pmloop_cli: Callable, tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("r\xe9sum\xe9 of my answer".encode("latin-1"))
    cases = {
        str(latin1): "not UTF-8",
        str(tmp_path / "missing.txt"): "does not exist",
        str(tmp_path): "is a folder",
    }
    for path, expected in cases.items():
        run = pmloop_cli("grade", "-q", QUESTION, "--answer-file", path)
        assert run.code == 2, path
        assert expected in _one_error_line(run.stderr), path


def _without_file_overrides() -> None:
    """In the child, before exec: drop root's power to read any file (CI runs as root)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def test_an_unreadable_answer_file_is_one_line(tmp_path: Path) -> None:
    locked = tmp_path / "locked.txt"
    locked.write_text("an answer", encoding="utf-8")
    locked.chmod(0)
    run = subprocess.run(
        [sys.executable, "-m", "pmloop", "grade", "-q", QUESTION, "--answer-file", str(locked)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=_without_file_overrides,  # noqa: PLW1509 - single-threaded test
    )
    assert run.returncode == 2
    assert "permission denied" in _one_error_line(run.stderr)


def test_unknown_question_id_suggests_close_ids(pmloop_cli: Callable) -> None:
    run = pmloop_cli("grade", "--question-id", "eval-new-llm-feature", "-a", ANSWER)
    assert run.code == 2
    line = _one_error_line(run.stderr)
    assert "unknown question id 'eval-new-llm-feature'" in line
    assert "eval-new-llm-feature-before-launch" in line


def test_malformed_bank_names_file_line_and_field(pmloop_cli: Callable, tmp_path: Path) -> None:
    bank = tmp_path / "bank.yaml"
    bank.write_text(
        "questions:\n  - id: only-an-id\n    text: What would you do?\n", encoding="utf-8"
    )
    run = pmloop_cli("grade", "--bank", str(bank), "-q", QUESTION, "-a", ANSWER)
    assert run.code == 2
    line = _one_error_line(run.stderr)
    assert f"{bank}:2" in line and "only-an-id" in line and "field" in line


def test_a_tampered_model_is_a_setup_error(pmloop_cli: Callable, tmp_path: Path) -> None:
    fake = tmp_path / "model.onnx"
    fake.write_bytes(b"not the model")
    run = pmloop_cli(
        "grade",
        "-q",
        "A question nobody has asked before about pricing?",
        "-a",
        ANSWER,
        env={"PMLOOP_EMBEDDING_MODEL": str(fake)},
    )
    assert run.code == 1
    assert "does not match its published sha256" in _one_error_line(run.stderr)


def test_option_conflicts_are_usage_errors(pmloop_cli: Callable) -> None:
    both = pmloop_cli("grade", "-q", QUESTION, "--question-id", "x", "-a", ANSWER)
    assert both.code == 2 and "not both" in _one_error_line(both.stderr)
    none = pmloop_cli("grade", "-a", ANSWER)
    assert none.code == 2 and "--question" in _one_error_line(none.stderr)
    grader = pmloop_cli("grade", "-q", QUESTION, "-a", ANSWER, "--grader", "gpt")
    line = _one_error_line(grader.stderr)
    assert grader.code == 2 and "unknown grader 'gpt'; available: ensemble, llm, offline" in line


def test_batch_writes_json_lines_and_reports_bad_lines(
    pmloop_cli: Callable, tmp_path: Path
) -> None:
    batch = tmp_path / "answers.jsonl"
    lines = [
        json.dumps({"question": QUESTION, "answer": ANSWER}),
        json.dumps({"question_id": "eval-new-llm-feature-before-launch", "answer": "Ship it."}),
        "{not json",
        json.dumps({"question": QUESTION, "answer": "   "}),
        json.dumps({"question": QUESTION}),
        "",
        json.dumps({"question": QUESTION, "answer": ANSWER}),
    ]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = pmloop_cli("grade", "--batch", str(batch))
    grades = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(grades) == 3 and all(g["schema"] == "pmloop.grade/1" for g in grades)
    errors = run.stderr.strip().splitlines()
    assert len(errors) == 3
    assert any(f"{batch}:3:" in e and "not valid JSON" in e for e in errors)
    assert any(f"{batch}:4:" in e and "empty" in e for e in errors)
    assert any(f"{batch}:5:" in e and '"answer"' in e for e in errors)
    assert run.code == 2
    assert "Traceback" not in run.stderr


def test_batch_refuses_text_format(pmloop_cli: Callable, tmp_path: Path) -> None:
    batch = tmp_path / "a.jsonl"
    batch.write_text(json.dumps({"question": QUESTION, "answer": ANSWER}) + "\n", encoding="utf-8")
    run = pmloop_cli("grade", "--batch", str(batch), "--format", "text")
    assert run.code == 2 and "JSON Lines" in _one_error_line(run.stderr)
