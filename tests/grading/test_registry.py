"""The grader registry: entry points in the pmloop.graders group, built from bank and settings."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

import pmloop
from pmloop.bank import Bank
from pmloop.errors import UnknownGraderError
from pmloop.grading import (
    GRADER_GROUP,
    Examiner,
    GraderUnavailableError,
    OfflineGrader,
    build_grader,
    grader_names,
)
from pmloop.settings import get_settings

QUESTION = "How would you evaluate a new LLM feature before launch?"
ANSWER = (
    "I'd start from what would hurt most: a confident answer that invents a policy. The eval "
    "set comes from last month's real traffic, split by language, and reruns on every update."
)


def _plugin(root: Path, name: str, entry: str, module: str, source: str) -> Path:
    """Install a distribution named ``name`` into ``root``: one module, one entry point."""
    (root / f"{module}.py").write_text(source, encoding="utf-8")
    info = root / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[pmloop.graders]\n{entry}\n", encoding="utf-8")
    return root


def test_pmloop_registers_its_graders_as_entry_points() -> None:
    registered = {p.name: p.value for p in entry_points(group=GRADER_GROUP)}
    assert registered["offline"] == "pmloop.grading.offline:build_offline_grader"
    assert registered["llm"] == "pmloop.grading.llm:build_llm_grader [llm]"
    assert registered["ensemble"] == "pmloop.grading.llm:build_ensemble_grader [llm]"
    assert {"offline", "llm", "ensemble"} <= set(grader_names())


def test_the_factory_builds_a_grader_from_bank_and_settings(bank: Bank) -> None:
    grader = build_grader("offline", bank, get_settings())
    assert isinstance(grader, OfflineGrader) and grader.bank is bank


def test_an_unknown_name_lists_the_available_graders(bank: Bank) -> None:
    with pytest.raises(UnknownGraderError) as caught:
        build_grader("gpt", bank, get_settings())
    assert str(caught.value) == "unknown grader 'gpt'; available: ensemble, llm, offline"


def test_a_grader_whose_dependency_is_missing_names_the_extra(
    bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plugin(
        tmp_path, "pmloop-fancy", "fancy = pmloop_fancy:build [fancy]", "pmloop_fancy",
        "import not_a_package_anyone_installed\n\ndef build(bank, settings):\n    return None\n",
    )  # fmt: skip
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(GraderUnavailableError) as caught:
        build_grader("fancy", bank, get_settings())
    assert str(caught.value) == (
        "the fancy grader needs the fancy extra: pip install 'pmloop-fancy[fancy]' "
        "(No module named 'not_a_package_anyone_installed')"
    )


def test_a_factory_that_imports_late_gets_the_same_line(
    bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plugin(
        tmp_path, "pmloop-late", "late = pmloop_late:build", "pmloop_late",
        "def build(bank, settings):\n    import some_client_library_not_here\n",
    )  # fmt: skip
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(GraderUnavailableError) as caught:
        build_grader("late", bank, get_settings())
    assert str(caught.value) == (
        "the late grader cannot be loaded (No module named 'some_client_library_not_here')"
    )


def test_a_name_registered_twice_is_refused(
    bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _plugin(tmp_path, "pmloop-twin", "offline = pmloop_twin:build", "pmloop_twin", "build = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(GraderUnavailableError, match="'offline' is registered twice"):
        build_grader("offline", bank, get_settings())


def test_the_llm_entry_without_its_module_is_one_line(pmloop_cli: Callable[..., Any]) -> None:
    run = pmloop_cli("grade", "-q", QUESTION, "-a", ANSWER, "--grader", "llm")
    lines = run.stderr.splitlines()
    assert run.code != 0 and len(lines) == 1, run.stderr
    assert lines[0].startswith("pmloop: error: the llm grader ")


def test_a_broken_plugin_is_one_cli_line(pmloop_cli: Callable[..., Any], tmp_path: Path) -> None:
    _plugin(
        tmp_path, "pmloop-fancy", "fancy = pmloop_fancy:build [fancy]", "pmloop_fancy",
        "import not_a_package_anyone_installed\n",
    )  # fmt: skip
    run = pmloop_cli(
        "grade",
        "-q",
        QUESTION,
        "-a",
        ANSWER,
        "--grader",
        "fancy",
        env={"PYTHONPATH": str(tmp_path)},
    )
    assert run.code == 1
    assert run.stderr == (
        "pmloop: error: the fancy grader needs the fancy extra: pip install 'pmloop-fancy[fancy]' "
        "(No module named 'not_a_package_anyone_installed')\n"
    )


def test_a_third_party_grader_grades_through_its_entry_point(
    pmloop_cli: Callable[..., Any], thirdparty_grader: Any
) -> None:
    env = {**thirdparty_grader.env, "PMLOOP_LLM_MODEL": "plugin-model"}
    run = pmloop_cli("grade", "-q", QUESTION, "-a", ANSWER, "--grader", "thirdparty",
                     "--format", "json", env=env)  # fmt: skip
    assert run.code == 0, run.stderr
    grade = json.loads(run.stdout)
    # the factory was given the settings: the model setting is in the version it reports
    assert grade["grader"] == {"name": "thirdparty", "version": "1.0+plugin-model"}
    assert grade["level_name"] == "senior"
    # PMLOOP_GRADER picks it when --grader is not given; --grader wins over PMLOOP_GRADER
    by_env = pmloop_cli("grade", "-q", QUESTION, "-a", ANSWER, "--format", "json",
                        env={**env, "PMLOOP_GRADER": "thirdparty"})  # fmt: skip
    assert json.loads(by_env.stdout)["grader"]["name"] == "thirdparty"
    chosen = pmloop_cli(
        "grade", "-q", QUESTION, "-a", ANSWER, "--format", "json", "--grader", "offline",
        env={**env, "PMLOOP_GRADER": "thirdparty"},
    )  # fmt: skip
    assert json.loads(chosen.stdout)["grader"]["name"] == "offline"


def test_batch_grading_uses_the_chosen_grader(
    pmloop_cli: Callable[..., Any], thirdparty_grader: Any, tmp_path: Path
) -> None:
    batch = tmp_path / "answers.jsonl"
    batch.write_text(json.dumps({"question": QUESTION, "answer": ANSWER}) + "\n", encoding="utf-8")
    run = pmloop_cli("grade", "--batch", str(batch), "--grader", "thirdparty",
                     env=thirdparty_grader.env)  # fmt: skip
    assert run.code == 0, run.stderr
    assert json.loads(run.stdout)["grader"]["name"] == "thirdparty"


def test_pmloop_grade_takes_a_grader(
    thirdparty_grader: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(thirdparty_grader.path))
    chosen = pmloop.grade(QUESTION, ANSWER, grader="thirdparty")
    assert chosen.grader.name == "thirdparty" and chosen.level == 4
    assert pmloop.grade(QUESTION, ANSWER).grader.name == "offline"
    monkeypatch.setenv("PMLOOP_GRADER", "thirdparty")
    assert pmloop.grade(QUESTION, ANSWER).grader.name == "thirdparty"
    with pytest.raises(UnknownGraderError):
        pmloop.grade(QUESTION, ANSWER, grader="nope")


def test_an_examiner_takes_a_built_grader(bank: Bank) -> None:
    built = build_grader("offline", bank, get_settings())
    assert Examiner(bank, built).grader is built
