"""Mutation check of the grading and store packages with mutmut (a benchmark, not a test).

    .venv/bin/python benchmarks/mutation.py                      # the full run, at most 45 min
    .venv/bin/python benchmarks/mutation.py --sample 1 --budget-minutes 600  # every mutant
    .venv/bin/python benchmarks/mutation.py --quick              # a smaller run
    .venv/bin/python benchmarks/mutation.py --modules grading/offline/_level.py store/_repository.py
    .venv/bin/python benchmarks/mutation.py --report-only        # re-print the last run's figures
    .venv/bin/python benchmarks/mutation.py --rerun 'pmloop.grading.offline._flags.*'  # new tests
    .venv/bin/python benchmarks/mutation.py --check-kill NAME tests/grading/test_x.py

A mutant is a small change to one function (a flipped comparison, a changed constant, a
dropped argument...). The tests that run the function run against the changed code: if one
fails, the mutant is killed; if all pass, it survived, and either the change makes no
difference (an equivalent mutant) or nothing checks that behaviour.

What it does. It installs the pinned mutmut (MUTMUT below) into .venv when it is missing, copies
``src/``, ``tests/`` and ``pyproject.toml`` into a work folder (``benchmarks/out/mutation/`` by
default, ignored by git) and appends a ``[tool.mutmut]`` section to that copy only, so the
repository's ``pyproject.toml``, normal installs and ./test are untouched. It runs ``mutmut run``
there, reads mutmut's result files, prints the totals, the score and every survivor grouped by
file and function, and writes a JSON summary (``benchmarks/results/mutation.json`` by default).
Mutants and tests both come from the tree the script sits in: the copy of ``src/`` is what the
tests import (mutmut puts it first on ``sys.path``).

What is mutated (``--modules`` replaces the list; paths under ``src/pmloop/``). mutmut changes
code inside functions only; module-level tables, word lists and patterns are not mutated.

- full run: every module of ``store/`` (``_repository.py``, ``_database.py``, ``_accounts.py``,
  ``__init__.py``; ``_schema.py`` holds only table definitions), and the grading modules a
  grade's level comes from: ``grading/offline/`` ``_substance.py``, ``_level.py`` and
  ``_flags.py``, and ``grading/`` ``_text.py`` and ``_grade.py``.
- left out of the full run, to keep it near 45 minutes on the shared 2-core machine:
  ``grading/offline/_feedback.py`` (the senior delta and follow-up wording; every one of its
  mutants runs every test that grades an answer: ``--modules grading/offline/_feedback.py`` runs
  it alone) and ``grading/_matching.py`` (the tests that reach it embed the bank with the ONNX
  model, 2-4 s each). Not mutated at all: ``_embeddings.py`` and ``_minilm/`` (vendored
  tokenizer and ONNX glue), ``_lexicon.py`` (word lists), ``offline/_features.py``,
  ``offline/_signals.py``, ``offline/_register.py``, ``offline/_grader.py`` and
  ``_examiner.py`` (they assemble what the modules above compute; next in line when there is
  time), data files and the Alembic migrations.
- ``--quick``: ``store/_repository.py``, ``grading/offline/_level.py``,
  ``grading/offline/_flags.py`` and ``grading/_text.py``.

Sampling. Every store mutant runs. In the grading modules every third mutant of each function
runs (its 1st, 4th, 7th... as mutmut numbers them; ``--sample N`` changes the step, ``--sample 1``
runs them all): a grading mutant that survives runs every test that grades an answer, which is
what makes running them all take hours on this machine. The figures are over the mutants run;
the JSON says how many were generated.

Lines that are nothing but a string literal (the continuation lines of a message or an
explanation) are not mutated: a changed word there is cosmetic and every such mutant would
have to run every test that grades an answer.

Which tests run against the mutants: ``tests/grading`` and ``tests/store``, and of those only
the tests that call the mutated function (mutmut records which tests reach which function in a
first, clean run). Left out of them (``SLOW_TESTS``): ``tests/grading/test_matching.py`` and
``tests/grading/test_embeddings.py`` (they load the ONNX model and embed the bank; neither
module is mutated) and the three tests that grade all 308 reference answers of the bank
(2-7 s each on this machine), which every grading mutant that survives would otherwise run.
Nothing selected spawns a subprocess. Postgres: the two tests in
``tests/store/test_postgres.py`` run when ``PMLOOP_TEST_POSTGRES_URL`` is set (a fresh database
each, well under a second) and are left out otherwise, with a note in the output. Not run: the
regression gate (``tests/evaluation/test_regression_gate.py``), the browser tests, the terminal
tests and the rest of the suite (CLI, web, reports), which spawn processes or take seconds each.
A mutant whose function none of the selected tests reach is "no tests": it counts as not
killed.

Each mutant's tests run with ``-x`` in a forked worker, fastest test first, under a CPU-time
limit of ``(t + 1 s) x 2 x TIMEOUT_MULTIPLIER`` where ``t`` is those tests' time in the clean run
(CPU time, so a busy machine does not turn slowness into timeouts). ``--max-children`` workers
run at once (default 2, the machine's cores).

Time budget: a run stops after ``--budget-minutes`` (default 45). mutmut runs the mutants whose
tests are fastest first, so the ones not reached are those of the grading functions that every
answer passes through; they are counted as skipped and their number is printed.

Score: killed / (total - skipped), where skipped are the mutants mutmut did not check (not
checked within the budget, or skipped). Timeouts, suspicious results and "no tests" count as
not killed and are reported on their own lines.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MUTMUT = "3.8.1"
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"
DEFAULT_WORKDIR = ROOT / "benchmarks" / "out" / "mutation"
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "mutation.json"
TIMEOUT_MULTIPLIER = 5.0
#: A run stops after this many minutes; mutmut runs the mutants with the fastest tests first
BUDGET_MINUTES = 45.0
#: In the grading modules every SAMPLE-th mutant of each function is run (1st, 4th, 7th...)
SAMPLE = 3

FULL_MODULES = (
    "store/__init__.py",
    "store/_repository.py",
    "store/_database.py",
    "store/_accounts.py",
    "grading/offline/_substance.py",
    "grading/offline/_level.py",
    "grading/offline/_flags.py",
    "grading/_text.py",
    "grading/_grade.py",
)
QUICK_MODULES = (
    "store/_repository.py",
    "grading/offline/_level.py",
    "grading/offline/_flags.py",
    "grading/_text.py",
)
TESTS = ("tests/grading", "tests/store")
#: tests left out of the mutation run: model loading and whole-bank sweeps (see the docstring)
SLOW_TESTS = (
    "--ignore=tests/grading/test_matching.py",
    "--ignore=tests/grading/test_embeddings.py",
    "--deselect=tests/grading/test_offline.py::test_reference_answers_are_ordered_by_level",
    "--deselect=tests/grading/test_substance.py::test_no_senior_reference_passes_under_another_question",
    "--deselect=tests/grading/test_substance.py::"
    "test_every_senior_reference_stays_on_topic_under_its_own_question",
)
POSTGRES_TESTS = "tests/store/test_postgres.py"
#: a line that is only a (possibly f-) string literal, perhaps closing a call: message text
STRING_ONLY_LINE = r"""^\s*[rbfu]*("[^"]*"|'[^']*')\s*[),]*\s*$"""

#: mutmut's exit codes, as its own stats table names them
STATUS = {
    1: "killed",
    3: "killed",
    0: "survived",
    5: "no tests",
    33: "no tests",
    34: "skipped",
    35: "suspicious",
    36: "timeout",
    -24: "timeout",
    24: "timeout",
    152: "timeout",
    255: "timeout",
    37: "caught by type check",
    None: "not checked",
}
NOT_CHECKED = ("skipped", "not checked")


def fail(message: str) -> None:
    print(f"mutation: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def ensure_mutmut() -> Path:
    """The venv's mutmut, installed at the pinned version if it is missing or another one."""
    if not PYTHON.exists():
        fail(f"{PYTHON} is missing; run scripts/setup.sh first")
    found = subprocess.run(
        [str(PYTHON), "-c", "import importlib.metadata as m; print(m.version('mutmut'))"],
        capture_output=True,
        text=True,
    )
    if found.returncode != 0 or found.stdout.strip() != MUTMUT:
        print(f"== installing mutmut=={MUTMUT} into {VENV}", flush=True)
        subprocess.run(
            [str(VENV / "bin" / "pip"), "install", "-q", f"mutmut=={MUTMUT}"], check=True
        )
    # the tests must import the copy of this tree's code, not some other checkout's
    where = subprocess.run(
        [str(PYTHON), "-c", "import pmloop, pathlib; print(pathlib.Path(pmloop.__file__).parent)"],
        capture_output=True,
        text=True,
        cwd="/",
    ).stdout.strip()
    if Path(where) != ROOT / "src" / "pmloop":
        fail(f"{VENV} imports pmloop from {where}, not from {ROOT / 'src'}; run scripts/setup.sh")
    return VENV / "bin" / "mutmut"


def module_paths(modules: list[str]) -> list[str]:
    paths = []
    for module in modules:
        path = f"src/pmloop/{module.removeprefix('src/pmloop/')}"
        if not (ROOT / path).is_file():
            fail(f"no module {path}")
        paths.append(path)
    return paths


def mutmut_section(paths: list[str], tests: list[str]) -> str:
    def toml_list(items: list[str]) -> str:
        return "[" + ", ".join(json.dumps(i) for i in items) + "]"

    return (
        "\n\n# written by benchmarks/mutation.py into its work folder only\n"
        "[tool.mutmut]\n"
        'source_paths = ["src"]\n'
        f"only_mutate = {toml_list(paths)}\n"
        f"do_not_mutate_patterns = {toml_list([STRING_ONLY_LINE])}\n"
        f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
        'pytest_add_cli_args = ["-p", "no:cacheprovider"]\n'
        f"timeout_multiplier = {TIMEOUT_MULTIPLIER}\n"
        "use_git_change_detection = false\n"
    )


def stage(workdir: Path, paths: list[str], tests: list[str], fresh: bool) -> None:
    """Copy this tree's code and tests into the work folder, with the mutmut config."""
    section = mutmut_section(paths, tests)
    config = workdir / "pyproject.toml"
    if fresh or not config.exists() or not config.read_text().endswith(section):
        if workdir.exists():
            shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "snapshots", "screenshots")
    for name in ("src", "tests"):
        if (workdir / name).exists():
            shutil.rmtree(workdir / name)
        shutil.copytree(ROOT / name, workdir / name, ignore=ignore)
    # mutmut copies tests/ into mutants/ only when they are missing there: refresh them
    if (workdir / "mutants" / "tests").exists():
        shutil.rmtree(workdir / "mutants" / "tests")
    config.write_text((ROOT / "pyproject.toml").read_text() + section)
    (workdir / "commit.txt").write_text(git_commit())


def run_mutmut(
    mutmut: Path, workdir: Path, max_children: int, names: list[str], log: Path, deadline: float
) -> bool:
    """Run mutmut until it is done or the deadline passes; then stop it. True when it finished.

    mutmut saves each mutant's result as it comes, and stops its workers on an interrupt, so a
    stopped run keeps every result it had; the mutants not reached stay "not checked".
    """
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    env.pop("PMLOOP_REQUIRE_SERVICES", None)
    command = [str(mutmut), "run", "--max-children", str(max_children), *names]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdout=out, stderr=out)
        try:
            code = process.wait(timeout=max(deadline - time.monotonic(), 1.0))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGINT)
            process.wait()
            print(f"   stopped at the time budget; see {log}", flush=True)
            return False
    if code != 0:
        tail = log.read_text(errors="replace")[-3000:]
        fail(f"mutmut run exited {code}; the end of {log}:\n{tail}")
    return True


def read_sample(workdir: Path) -> int:
    path = workdir / "sample.txt"
    return int(path.read_text()) if path.exists() else 1


def in_sample(mutant: str, sample: int) -> bool:
    """Every store mutant; in grading, the 1st, (1+sample)th... mutant of each function."""
    return mutant.startswith("pmloop.store.") or (_number(mutant) - 1) % sample == 0


def read_results(workdir: Path) -> dict[str, dict[str, Any]]:
    """Every mutant's status and test time, from mutmut's result files."""
    results: dict[str, dict[str, Any]] = {}
    for meta in sorted((workdir / "mutants" / "src").rglob("*.py.meta")):
        data = json.loads(meta.read_text())
        source = str(meta.relative_to(workdir / "mutants")).removesuffix(".meta")
        for name, code in data["exit_code_by_key"].items():
            results[name] = {
                "file": source,
                "function": function_of(name),
                "status": STATUS.get(code, "suspicious"),
                "exit_code": code,
                "seconds": data.get("durations_by_key", {}).get(name),
            }
    return results


def function_of(mutant: str) -> str:
    """``pmloop.store._repository.xǁRepositoryǁget__mutmut_3`` -> ``Repository.get``."""
    local = mutant.rpartition(".")[2].rpartition("__mutmut_")[0].removeprefix("x_")
    if local.startswith("xǁ"):
        local = ".".join(p for p in local.removeprefix("xǁ").split("ǁ") if p)
    return local


def diffs(mutmut_python: Path, workdir: Path, names: list[str]) -> dict[str, str]:
    """mutmut's diff for each named mutant, in one process."""
    if not names:
        return {}
    code = (
        "import json, sys\n"
        "from mutmut.mutation.diff_apply import get_diff_for_mutant\n"
        "out = {}\n"
        "for name in json.load(sys.stdin):\n"
        "    try:\n"
        "        out[name] = get_diff_for_mutant(name)\n"
        "    except Exception as exc:  # noqa: BLE001\n"
        "        out[name] = f'(no diff: {exc})'\n"
        "print(json.dumps(out))\n"
    )
    done = subprocess.run(
        [str(mutmut_python), "-c", code],
        input=json.dumps(names),
        capture_output=True,
        text=True,
        cwd=workdir,
    )
    if done.returncode != 0:
        return {name: "(no diff)" for name in names}
    found: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def git_commit() -> str:
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(ROOT), "status", "--porcelain", "--", "src", "tests"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return head + ("+uncommitted changes" if dirty else "")


def staged_commit(workdir: Path) -> str:
    """The commit whose code and tests were copied into the work folder."""
    path = workdir / "commit.txt"
    return path.read_text().strip() if path.exists() else "unknown"


def summarise(results: dict[str, dict[str, Any]]) -> dict[str, Any]:
    counts = Counter(r["status"] for r in results.values())
    total = len(results)
    skipped = sum(counts[s] for s in NOT_CHECKED)
    killed = counts["killed"] + counts["caught by type check"]
    checked = total - skipped
    return {
        "total": total,
        "killed": killed,
        "survived": counts["survived"],
        "timeout": counts["timeout"],
        "no_tests": counts["no tests"],
        "suspicious": counts["suspicious"] + counts["segfault"],
        "skipped": skipped,
        "score": round(killed / checked, 4) if checked else None,
        "score_counting_timeouts_as_killed": (
            round((killed + counts["timeout"]) / checked, 4) if checked else None
        ),
    }


def report(summary: dict[str, Any], results: dict[str, dict[str, Any]], show: bool) -> None:
    print()
    print(f"mutants   {summary['total']}")
    print(f"killed    {summary['killed']}")
    print(f"survived  {summary['survived']}")
    print(f"timeout   {summary['timeout']}")
    print(f"no tests  {summary['no_tests']}  (no selected test reaches the function)")
    print(
        f"suspicious {summary['suspicious']}  skipped {summary['skipped']}"
        "  (not checked: not reached within the time budget)"
    )
    score = summary["score"]
    print(
        "score     "
        + (f"{score:.1%}" if score is not None else "n/a")
        + "  = killed / (total - skipped)"
    )
    by_file: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for name, r in results.items():
        if r["status"] in ("survived", "no tests", "timeout", "suspicious"):
            by_file[r["file"]][r["function"]].append(name)
    if not by_file:
        return
    print("\nnot killed, by file and function (survived unless marked):")
    for file in sorted(by_file):
        count = sum(len(v) for v in by_file[file].values())
        print(f"  {file}: {count}")
        for function, names in sorted(by_file[file].items()):
            marks = Counter(results[n]["status"] for n in names)
            extra = ", ".join(f"{v} {k}" for k, v in sorted(marks.items()) if k != "survived")
            ids = " ".join(n.rpartition("__mutmut_")[2] for n in sorted(names, key=_number))
            print(f"    {function}: {len(names)}" + (f" ({extra})" if extra else ""))
            if show:
                print(f"      mutants {ids}")


def _number(name: str) -> int:
    return int(name.rpartition("__mutmut_")[2])


def check_kill(mutmut: Path, workdir: Path, mutant: str, tests: list[str]) -> int:
    """Run ``tests`` (as they are now in this tree) against one mutant, in a scratch copy.

    ``mutmut apply`` writes the mutant into the work folder's copy of the source; the changed
    file is copied into a scratch tree next to it and the work folder's file is restored at
    once, so a mutation run going on in the work folder is not disturbed.
    """
    if not (workdir / "mutants").exists():
        fail(f"no mutation run in {workdir} yet")
    source = results_file_of(workdir, mutant)
    scratch = workdir.parent / (workdir.name + "-check")
    if scratch.exists():
        shutil.rmtree(scratch)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("src", "tests"):
        shutil.copytree(ROOT / name, scratch / name, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", scratch / "pyproject.toml")
    original = (workdir / source).read_text()
    try:
        subprocess.run([str(mutmut), "apply", mutant], cwd=workdir, check=True)
        mutated = (workdir / source).read_text()
    finally:
        (workdir / source).write_text(original)
    if (scratch / source).read_text() != original:
        fail(f"{source} in this tree differs from the one the mutants were made from")
    (scratch / source).write_text(mutated)
    env = dict(os.environ, PYTHONPATH=str(scratch / "src"), PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run(
        [str(PYTHON), "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *tests],
        cwd=scratch,
        env=env,
        capture_output=True,
        text=True,
    )
    print(f"{mutant} ({'changed' if mutated != original else 'NOT CHANGED'} {source})")
    for line in done.stdout.strip().splitlines():
        if line.startswith(("FAILED", "E   ")) or " passed" in line or " failed" in line:
            print("  " + line[:160])
    killed = done.returncode != 0
    print(f"  -> {'KILLED' if killed else 'SURVIVED'} by {' '.join(tests)}")
    return 0 if killed and mutated != original else 1


def results_file_of(workdir: Path, mutant: str) -> str:
    for name, r in read_results(workdir).items():
        if name == mutant:
            return str(r["file"])
    fail(f"no mutant {mutant} in {workdir}")
    raise AssertionError  # unreachable


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "json_path", nargs="?", type=Path, default=DEFAULT_JSON, help="where the summary goes"
    )
    parser.add_argument("--modules", nargs="+", help="modules under src/pmloop/ to mutate")
    parser.add_argument("--quick", action="store_true", help="a smaller set of modules")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument("--max-children", type=int, default=2)
    parser.add_argument(
        "--sample",
        type=int,
        default=SAMPLE,
        help=f"run every Nth mutant of each grading function (default {SAMPLE}; 1: all)",
    )
    parser.add_argument(
        "--budget-minutes",
        type=float,
        default=BUDGET_MINUTES,
        help=f"stop mutmut after this long (default {BUDGET_MINUTES:g}); the rest is not checked",
    )
    parser.add_argument("--fresh", action="store_true", help="discard earlier results first")
    parser.add_argument(
        "--rerun",
        nargs="+",
        metavar="NAME",
        help="re-stage the tests and re-run these mutants (globs allowed) on the earlier run",
    )
    parser.add_argument("--report-only", action="store_true", help="only read the last run")
    parser.add_argument("--show-ids", action="store_true", help="list each survivor's number")
    parser.add_argument(
        "--check-kill",
        nargs="+",
        metavar=("MUTANT", "TEST"),
        help="apply MUTANT in the work folder, run the TESTs against it, restore",
    )
    args = parser.parse_args()

    workdir = args.workdir.resolve()
    if args.check_kill:
        if len(args.check_kill) < 2:
            fail("--check-kill needs a mutant name and at least one test")
        return check_kill(ensure_mutmut(), workdir, args.check_kill[0], args.check_kill[1:])

    modules = list(args.modules or (QUICK_MODULES if args.quick else FULL_MODULES))
    paths = module_paths(modules)
    tests = [*TESTS, *SLOW_TESTS]
    if not os.environ.get("PMLOOP_TEST_POSTGRES_URL") and not args.report_only:
        print(f"note: PMLOOP_TEST_POSTGRES_URL is unset, so {POSTGRES_TESTS} is left out")
        tests.append(f"--ignore={POSTGRES_TESTS}")
    elapsed = None
    if not args.report_only:
        mutmut = ensure_mutmut()
        stage(workdir, paths, tests, fresh=args.fresh and not args.rerun)
        if not args.rerun:
            (workdir / "sample.txt").write_text(str(args.sample))
        print(f"== mutmut {MUTMUT} on {len(paths)} modules, tests {' '.join(TESTS)}", flush=True)
        print(f"   work folder {workdir}; log {workdir / 'mutmut*.log'}", flush=True)
        started = time.monotonic()
        deadline = started + args.budget_minutes * 60
        if args.rerun:
            log = workdir / "mutmut-rerun.log"
            run_mutmut(mutmut, workdir, args.max_children, args.rerun, log, deadline)
        elif args.sample == 1:
            run_mutmut(mutmut, workdir, args.max_children, [], workdir / "mutmut.log", deadline)
        else:
            # mutmut makes every mutant, then runs the named ones: first the store's and each
            # function's first mutant, then the rest of the sample that has no result yet
            first = ["pmloop.store.*", "*__mutmut_1"]
            done = run_mutmut(
                mutmut, workdir, args.max_children, first, workdir / "mutmut.log", deadline
            )
            sample = read_sample(workdir)
            rest = sorted(
                name
                for name, r in read_results(workdir).items()
                if in_sample(name, sample) and r["status"] == "not checked"
            )
            if rest and done:
                log = workdir / "mutmut-sample.log"
                run_mutmut(mutmut, workdir, args.max_children, rest, log, deadline)
        elapsed = time.monotonic() - started
    sample = read_sample(workdir)
    everything = read_results(workdir)
    results = {n: r for n, r in everything.items() if in_sample(n, sample)}
    if not results:
        fail(f"no results in {workdir}; run without --report-only first")
    summary = summarise(results)
    if sample > 1:
        print(
            f"\nsample: all {sum(n.startswith('pmloop.store.') for n in results)} store mutants and"
            f" one in {sample} of each grading function's mutants"
            f" ({len(results)} of {len(everything)} generated)"
        )
    report(summary, results, args.show_ids)
    not_killed = sorted(
        (n for n, r in results.items() if r["status"] in ("survived", "timeout", "suspicious")),
        key=lambda n: (results[n]["file"], results[n]["function"], _number(n)),
    )
    survivor_diffs = diffs(VENV / "bin" / "python", workdir, not_killed)
    document = {
        "tool": f"mutmut {MUTMUT}",
        "commit": staged_commit(workdir),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "wall_seconds": round(elapsed, 1) if elapsed is not None else None,
        "modules": paths,
        "sample": f"one in {sample} of each grading function's mutants, every store mutant"
        if sample > 1
        else "every mutant",
        "mutants_generated": len(everything),
        "tests": tests,
        **summary,
        "by_file": {
            file: dict(Counter(r["status"] for r in results.values() if r["file"] == file))
            for file in sorted({r["file"] for r in results.values()})
        },
        "not_killed": [
            {
                "mutant": name,
                "file": results[name]["file"],
                "function": results[name]["function"],
                "status": results[name]["status"],
                "diff": survivor_diffs.get(name, ""),
            }
            for name in not_killed
        ],
        "no_tests": sorted(n for n, r in results.items() if r["status"] == "no tests"),
    }
    args.json_path.parent.mkdir(parents=True, exist_ok=True)
    args.json_path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    if elapsed is not None:
        print(f"\nwall time {elapsed / 60:.1f} min; summary written to {args.json_path}")
    else:
        print(f"\nsummary written to {args.json_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
