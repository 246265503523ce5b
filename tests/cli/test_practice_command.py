"""The practice commands without a terminal: scripted loops, sessions, reports, progress."""

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

SCRIPT = {
    "company": "startup",
    "plan": ["engagement-drop-after-model-swap", "long-contract-qa-context-cost"],
    "answers": [
        {
            "answer": "The drop is clearly caused by the new model. Roll it back today.",
            "follow_ups": [
                "The panel and the holidays landed the same week, so I'd compare users without "
                "the new panel before deciding, and move half the traffic back since that is "
                "cheap to undo."
            ],
        },
        "Retrieval: sending 120k tokens twelve times per contract is the bill.",
    ],
}


def _script(tmp_path: Path, data: dict[str, object] = SCRIPT) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_scripted_loop_ends_with_a_scorecard(pmloop_cli: Callable, tmp_path: Path) -> None:
    run = pmloop_cli("practice", "--answers", str(_script(tmp_path)), env={"COLUMNS": "100"})
    assert run.code == 0, run.stderr
    for heading in ("Question 1/2", "Follow-up 1", "Scorecard", "Edge map", "Practise next"):
        assert heading in run.stdout
    assert "pmloop report" in run.stdout


def test_no_terminal_plays_the_bundled_demo(pmloop_cli: Callable) -> None:
    run = pmloop_cli("practice", env={"COLUMNS": "100"})
    assert run.code == 0, run.stderr
    assert "No terminal attached" in run.stdout and "Scorecard" in run.stdout


def test_sessions_report_progress_export_import(
    pmloop_cli: Callable, tmp_path: Path, pmloop_home: Path
) -> None:
    script = str(_script(tmp_path))
    assert pmloop_cli("practice", "--answers", script).code == 0
    assert pmloop_cli("practice", "--answers", script).code == 0
    listing = pmloop_cli("sessions", env={"COLUMNS": "150"})
    assert listing.code == 0 and listing.stdout.count("finished") == 2

    markdown = pmloop_cli("report", "--format", "md")
    assert markdown.code == 0 and markdown.stdout.startswith("# pmloop session")
    html_path = tmp_path / "report.html"
    html = pmloop_cli("report", "--format", "html", "-o", str(html_path))
    assert html.code == 0
    page = html_path.read_text(encoding="utf-8")
    assert page.count("<svg") == 2  # radar and the trend across the two sessions
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and "<script" not in page

    progress = pmloop_cli("progress", env={"COLUMNS": "120"})
    assert progress.code == 0 and "Weakest:" in progress.stdout and "→" in progress.stdout

    exported = pmloop_cli("export")
    data = json.loads(exported.stdout)
    assert data["schema"] == "pmloop.export/1" and len(data["sessions"]) == 2
    dump = tmp_path / "export.json"
    dump.write_text(exported.stdout, encoding="utf-8")
    other_home = tmp_path / "other-home"
    imported = pmloop_cli("import", str(dump), env={"PMLOOP_HOME": str(other_home)})
    assert imported.code == 0 and "Imported 2 session(s)" in imported.stdout
    again = pmloop_cli("import", str(dump), env={"PMLOOP_HOME": str(other_home)})
    assert "Imported 0 session(s); 2 already here" in again.stdout


def test_quit_in_a_script_then_resume(pmloop_cli: Callable, tmp_path: Path) -> None:
    first = dict(SCRIPT, answers=[{"answer": "We roll back.", "follow_ups": [":quit"]}])
    run = pmloop_cli("practice", "--answers", str(_script(tmp_path, first)))
    assert run.code == 0 and "Resume with: pmloop resume" in run.stdout
    session_id = run.stdout.split("pmloop resume ")[1].split()[0]
    rest = tmp_path / "rest.yaml"
    rest.write_text(
        yaml.safe_dump({"answers": [{"answer": "x", "follow_ups": ["Fair point."]}, "Retrieval."]})
    )
    resumed = pmloop_cli("resume", "--answers", str(rest))
    assert resumed.code == 0, resumed.stderr
    assert f"Resuming session {session_id}" in resumed.stdout and "Scorecard" in resumed.stdout


def test_bad_input_to_the_practice_commands(pmloop_cli: Callable, tmp_path: Path) -> None:
    cases = [
        (("practice", "--company", "acme"), "unknown company 'acme'"),
        (("practice", "--competency", "charm"), "unknown competency 'charm'"),
        (("practice", "--minutes", "0"), "--minutes must be more than 0"),
        (("resume", "nope123"), "no session 'nope123'"),
        (("report", "nope123"), "no session 'nope123'"),
        (("progress",), "no graded answers yet"),
        (("practice", "--answers", str(tmp_path / "missing.yaml")), "cannot read answers file"),
    ]
    for args, expected in cases:
        run = pmloop_cli(*args)
        assert run.code == 2, (args, run.stdout, run.stderr)
        assert expected in run.stderr and "Traceback" not in run.stderr, args
    broken = tmp_path / "broken.yaml"
    broken.write_text("answers: [unclosed\n", encoding="utf-8")
    run = pmloop_cli("practice", "--answers", str(broken))
    assert run.code == 2 and "not valid YAML" in run.stderr
    bad_import = tmp_path / "bad.json"
    bad_import.write_text('{"schema": "something else"}', encoding="utf-8")
    run = pmloop_cli("import", str(bad_import))
    assert run.code == 2 and "not a pmloop export" in run.stderr


def test_a_corrupt_database_gives_one_line_and_stays(
    pmloop_cli: Callable, pmloop_home: Path
) -> None:
    pmloop_home.mkdir(parents=True, exist_ok=True)
    db = pmloop_home / "pmloop.db"
    db.write_bytes(b"garbage" * 50)
    run = pmloop_cli("sessions")
    assert run.code == 1 and "not a SQLite database" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and db.read_bytes() == b"garbage" * 50


def test_a_newer_database_gives_one_line(pmloop_cli: Callable, pmloop_home: Path) -> None:
    assert pmloop_cli("sessions").code == 0
    with sqlite3.connect(pmloop_home / "pmloop.db") as db:
        db.execute("UPDATE alembic_version SET version_num = '0042_future'")
    run = pmloop_cli("sessions")
    assert run.code == 1 and "newer pmloop" in run.stderr and "Traceback" not in run.stderr


def test_drill_brings_back_weak_questions(pmloop_cli: Callable, tmp_path: Path) -> None:
    assert pmloop_cli("practice", "--answers", str(_script(tmp_path))).code == 0
    drill_script = tmp_path / "drill.yaml"
    drill_script.write_text(yaml.safe_dump({"answers": ["Short answer.", "Another."]}))
    run = pmloop_cli("drill", "--answers", str(drill_script), env={"COLUMNS": "100"})
    assert run.code == 0, run.stderr
    assert "Drill" in run.stdout and "Scorecard" in run.stdout


def test_practice_grades_with_the_chosen_grader(
    pmloop_cli: Callable, tmp_path: Path, thirdparty_grader: Any
) -> None:
    from pmloop.store import open_repository

    run = pmloop_cli("practice", "--answers", str(_script(tmp_path)), "--grader", "thirdparty",
                     env=thirdparty_grader.env)  # fmt: skip
    assert run.code == 0, run.stderr
    by_env = pmloop_cli("practice", "--answers", str(_script(tmp_path)),
                        env={**thirdparty_grader.env, "PMLOOP_GRADER": "thirdparty"})  # fmt: skip
    assert by_env.code == 0, by_env.stderr
    repository = open_repository()
    try:
        sessions = [repository.get(s.id) for s in repository.list_sessions()]
    finally:
        repository.engine.dispose()
    assert len(sessions) == 2
    for session in sessions:
        assert session.grader.startswith("thirdparty 1.0+")
        graded = [t.grade for t in session.turns if t.grade is not None]
        assert len(graded) >= 3  # both questions and the follow-up answered
        assert {g["grader"]["name"] for g in graded} == {"thirdparty"}


def test_practice_refuses_an_unknown_grader_before_it_starts(pmloop_cli: Callable) -> None:
    run = pmloop_cli("practice", "--grader", "nope")
    assert run.code == 2 and run.stderr.count("\n") == 1
    assert "unknown grader 'nope'; available: " in run.stderr and "offline" in run.stderr
