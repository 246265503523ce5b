"""Compiled patterns kept on disk: a faster cold start, never a different pattern."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from pmloop import _coldstart
from pmloop._coldstart import compile_pattern, save_disk_caches, use_disk_caches
from pmloop.grading._wordlists import load_word_lists


@pytest.fixture
def cache_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "cache" / "patterns.marshal"
    yield path
    use_disk_caches(None)


def _word_list_patterns() -> list[tuple[str, int]]:
    return [(p.pattern, p.flags) for p in load_word_lists().patterns.values()]


def test_patterns_rebuilt_from_the_file_equal_fresh_ones(cache_file: Path) -> None:
    wanted = _word_list_patterns() + [(r"(?P<num>\d+)\s*(?P=num)", re.IGNORECASE)]
    use_disk_caches(cache_file.parent)
    for pattern, flags in wanted:
        compile_pattern(pattern, flags)
    save_disk_caches()
    assert cache_file.is_file()

    use_disk_caches(cache_file.parent)  # a new process: everything comes from the file
    cache = _coldstart._CACHE
    assert cache is not None
    for pattern, flags in wanted:
        rebuilt = compile_pattern(pattern, flags)
        # Pattern equality compares the pattern, its flags and the engine code
        assert rebuilt == re.compile(pattern, flags)
        assert rebuilt.groupindex == re.compile(pattern, flags).groupindex
    assert not cache.dirty  # no pattern had to be compiled afresh
    assert len(cache.used) == len(set(wanted))


def test_a_damaged_or_foreign_file_is_ignored(cache_file: Path) -> None:
    cache_file.parent.mkdir(parents=True)
    cache_file.write_bytes(b"\x00not a cache")
    use_disk_caches(cache_file.parent)
    assert compile_pattern(r"\bship\b", re.IGNORECASE) == re.compile(r"\bship\b", re.IGNORECASE)
    save_disk_caches()  # rewritten whole
    use_disk_caches(cache_file.parent)
    assert _coldstart._CACHE is not None and _coldstart._CACHE.entries


def test_the_cli_grades_the_same_from_the_cache(pmloop_home: Path, pmloop_cli) -> None:
    args = (
        "grade",
        "--question",
        "How would you evaluate a new LLM feature before launch?",
        "--answer",
        "I would build an eval set from last month's real tickets, rank the failure modes by "
        "harm, and ship to 5% of agents only if wrong-policy drafts stay under 1 in 200.",
        "--format",
        "json",
    )
    first = pmloop_cli(*args)
    assert first.code == 0, first.stderr
    assert (pmloop_home / "cache" / "patterns.marshal").is_file()
    second = pmloop_cli(*args)
    assert second.code == 0, second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)


def test_the_bank_parsed_once_is_read_back_without_parsing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pmloop.bank import _loader, load_bank

    fresh = load_bank()
    use_disk_caches(tmp_path / "cache")
    try:
        assert load_bank().questions == fresh.questions  # parsed, and kept
        (cached,) = (tmp_path / "cache").glob("bank-*.marshal")

        def no_parsing(*args: object) -> None:
            raise AssertionError("the bank's YAML was parsed again")

        with monkeypatch.context() as patch:
            patch.setattr(_loader, "_parse_file", no_parsing)
            again = load_bank()
        assert again.questions == fresh.questions
        assert again.content_hash == fresh.content_hash

        cached.write_bytes(b"\x00damaged")  # a damaged cache: the files are read again...
        assert load_bank().questions == fresh.questions
        with monkeypatch.context() as patch:  # ...and it is written afresh
            patch.setattr(_loader, "_parse_file", no_parsing)
            assert load_bank().questions == fresh.questions
    finally:
        use_disk_caches(None)


def test_the_register_index_from_cached_stems_reads_answers_the_same(bank) -> None:
    from pmloop.grading.offline._register import RegisterIndex, reference_stems
    from pmloop.vocabulary import QuestionFormat

    questions = [q for q in bank if q.format is QuestionFormat.INTERVIEW]
    fresh = RegisterIndex(questions)
    # what the disk cache holds is JSON: tuples and levels come back as lists and ints
    stored = json.loads(json.dumps(reference_stems(questions)))
    cached = RegisterIndex(questions, stored)
    answers = [questions[0].references.senior, questions[3].references.surface, "ship it now"]
    for answer in answers:
        assert cached.read(answer) == fresh.read(answer)
        assert cached.read(answer, exclude=questions[0].id) == fresh.read(
            answer, exclude=questions[0].id
        )


def test_a_process_whose_compiler_does_not_rebuild_the_canary_caches_nothing(
    cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = _coldstart._generated

    def off_by_one(pattern: str, flags: int):  # type: ignore[no-untyped-def]
        built = real(pattern, flags)
        assert built is not None
        return built[0], re.compile(pattern + "x", flags)  # not what re.compile gives

    monkeypatch.setattr(_coldstart, "_generated", off_by_one)
    use_disk_caches(cache_file.parent)
    assert compile_pattern(r"\bship\b", re.IGNORECASE) == re.compile(r"\bship\b", re.IGNORECASE)
    assert _coldstart._CACHE is not None and not _coldstart._CACHE.dirty
    save_disk_caches()
    assert not cache_file.exists()


def test_the_first_grade_on_a_fresh_home_says_it_builds_caches(tmp_path: Path) -> None:
    """On a terminal, one line on stderr while the caches are built; none once they exist."""
    import os
    import sys

    import pexpect

    home = tmp_path / "fresh-home"
    args = [
        "-m", "pmloop", "grade", "--question", "How would you price an LLM API for startups?",
        "--answer", "Per token, with a free tier capped at 1M tokens a month.",
    ]  # fmt: skip

    def run() -> str:
        child = pexpect.spawn(
            sys.executable,
            args,
            env={**os.environ, "PMLOOP_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "120"},
            encoding="utf-8",
            timeout=120,
            dimensions=(50, 120),
        )
        child.expect(pexpect.EOF)
        child.close()
        assert child.exitstatus == 0, child.before
        return str(child.before)

    first = run()
    assert first.count("pmloop: building the grader's caches in") == 1, first
    assert str(home / "cache") in first.replace("\r\n", "")
    assert "building the grader's caches" not in run()
