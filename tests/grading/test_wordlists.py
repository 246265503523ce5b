"""The grader's word lists are data: checked with every problem's line, hashed into its version."""

from __future__ import annotations

import shutil
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

from pmloop.errors import LexiconError
from pmloop.grading._wordlists import SCHEMA, data_folder, load_word_lists

ROOT = Path(__file__).resolve().parents[2]


def _copy(tmp_path: Path) -> Path:
    folder = tmp_path / "lists"
    shutil.copytree(data_folder(), folder)
    return folder


def _line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line of ``path`` that contains ``needle``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def test_the_packaged_lists_load_clean_and_are_hashed() -> None:
    lists = load_word_lists()
    assert lists.problems == []
    assert len(lists.digest) == 64
    assert lists.pattern("frameworks").search("we used the RICE framework")
    assert not lists.pattern("frameworks").search("a bowl of rice")


def test_every_problem_is_reported_with_its_file_and_line(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    lexicon = folder / "lexicon.yaml"
    text = lexicon.read_text(encoding="utf-8")
    # a broken expression inside a list, a list that lost its 'why', an entry nobody reads
    text = text.replace("    - 'pirate metrics'\n", "    - 'pirate (metrics'\n", 1)
    text = text.replace(
        "collapse:\n  why: 'A tradeoff collapsed into one rule.'\n", "collapse:\n", 1
    )
    text += "\nstray_list:\n  why: 'nobody reads this'\n  any_of: ['x']\n"
    lexicon.write_text(text, encoding="utf-8")

    with pytest.raises(LexiconError) as caught:
        load_word_lists(folder)

    found = {(p.line, p.field, p.message.split(":")[0]) for p in caught.value.problems}
    assert (
        _line_of(lexicon, "pirate (metrics"),
        f"frameworks.any_of.{_index_of(lexicon, 'frameworks', 'pirate (metrics')}",
        "bad regular expression",
    ) in found
    assert (
        _line_of(lexicon, "collapse:"),
        "collapse.why",
        "must be a sentence saying what the entry is for",
    ) in found
    assert (
        _line_of(lexicon, "stray_list:"),
        "stray_list",
        "unknown entry (this file holds " + ", ".join(SCHEMA["lexicon.yaml"]) + ")",
    ) in found
    assert len(caught.value.problems) == 3
    # one error names them all; its first line says where the first one is
    assert str(caught.value).startswith(f"invalid grader word lists: {lexicon}:")
    assert "(and 2 more)" in str(caught.value)


def _index_of(path: Path, entry: str, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"{entry}:")
    items = [line for line in lines[start:] if line.startswith("    - ")]
    return next(i for i, line in enumerate(items) if needle in line)


def test_a_missing_file_and_a_syntax_error_are_problems_not_tracebacks(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "lexicon.yaml").write_text("frameworks: [unclosed\n", encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        load_word_lists(folder)
    assert [p.message for p in caught.value.problems][0].startswith("YAML syntax")
    (folder / "lexicon.yaml").unlink()
    with pytest.raises(LexiconError, match="lexicon.yaml: cannot read"):
        load_word_lists(folder)


def test_a_broken_list_is_one_line_from_the_cli(tmp_path: Path, pmloop_cli) -> None:
    folder = _copy(tmp_path)
    lexicon = folder / "lexicon.yaml"
    lexicon.write_text(
        lexicon.read_text(encoding="utf-8").replace("- 'pirate metrics'", "- 'pirate (metrics'"),
        encoding="utf-8",
    )
    run = pmloop_cli(
        "grade",
        "--question",
        "How would you evaluate a new LLM feature before launch?",
        "--answer",
        "I would build an eval set from real tickets and rank the failures by harm.",
        env={"PMLOOP_GRADER_DATA": str(folder)},
    )
    assert run.code == 2
    assert run.stderr.count("\n") == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert f"{lexicon}:{_line_of(lexicon, 'pirate (metrics')}" in run.stderr
    assert "bad regular expression" in run.stderr


def test_an_edited_list_is_another_grader_version(tmp_path: Path, pmloop_cli) -> None:
    folder = _copy(tmp_path)
    lexicon = folder / "lexicon.yaml"
    probe = (
        "import json, sys; from pmloop.grading import Examiner; print(Examiner().grader.version)"
    )
    import subprocess
    import sys

    def version(env: dict[str, str]) -> str:
        done = subprocess.run(
            [sys.executable, "-c", probe],
            env={**__import__("os").environ, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    packaged = version({})
    same = version({"PMLOOP_GRADER_DATA": str(folder)})
    lexicon.write_text(
        lexicon.read_text(encoding="utf-8").replace(
            "    - 'pirate metrics'\n", "    - 'pirate metrics'\n    - 'growth loops'\n"
        ),
        encoding="utf-8",
    )
    edited = version({"PMLOOP_GRADER_DATA": str(folder)})
    assert packaged == same
    assert edited != packaged
    assert edited.split(".lists.")[0] != packaged.split(".lists.")[0]  # the cache key moves too


def test_the_package_ships_every_list_file() -> None:
    """pyproject's package-data takes every data file the loader reads, so a wheel holds them."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["pmloop"]
    for name in SCHEMA:
        relative = f"grading/offline/data/{name}"
        assert (ROOT / "src" / "pmloop" / relative).is_file()
        assert any(fnmatch(relative, pattern) for pattern in globs), relative


def test_the_feature_table_is_checked_row_by_row(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    features = folder / "features.yaml"
    text = features.read_text(encoding="utf-8")
    text = text.replace(
        "    - name: senior_closeness\n"
        "      label: 'near misses on senior signals'\n"
        "      sign: 1\n",
        "    - name: senior_closeness\n      sign: 2\n",
        1,
    )
    text = text.replace("      competencies: [evaluation_logic, values_alignment]\n",
                        "      competencies: [evaluation_logic, charm]\n", 1)  # fmt: skip
    features.write_text(text, encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        load_word_lists(folder)
    found = {(p.line, p.field, p.message) for p in caught.value.problems}
    row = _line_of(features, "- name: senior_closeness")
    assert (row, "features.rows.2", "missing 'label' (what it measures)") in found
    assert (row + 1, "features.rows.2.sign", "must be -1, 0 or 1") in found
    charm = _line_of(features, "charm]")
    assert any(p[0] == charm and p[1].endswith("competencies.1") for p in found), found
    assert len(found) == 3


def test_the_level_model_and_the_grader_read_the_same_table(tmp_path: Path) -> None:
    import json

    from pmloop.grading.offline._level import FEATURES, load_level_model, scale

    model = load_level_model().to_json()
    assert tuple(model["features"]) == FEATURES
    renamed = {**model, "features": [*FEATURES[:-1], "senior_register_v2"]}
    path = tmp_path / "model.json"
    path.write_text(json.dumps(renamed), encoding="utf-8")
    with pytest.raises(ValueError, match="other features than the feature table"):
        load_level_model(path)
    measured = {name: 0.0 for name in FEATURES if not name.startswith("flag_")}
    assert scale(measured).keys() == measured.keys()
    with pytest.raises(ValueError, match="senior_regsiter"):
        scale({**measured, "senior_regsiter": 1.0})
