"""Speed and memory of `pmloop grade`: python benchmarks/bench_grade.py [--answers N].

Measures, on this machine:
- cold process: `pmloop grade` of a 250-word answer to a pasted question, caches warm
  (median of 7 runs, after one run that fills PMLOOP_HOME's caches);
- fresh home: the same grade on an empty PMLOOP_HOME, every cache built on the way (median of 3);
- in-process: grading a 250-word answer after warm-up (median of 200 calls);
- batch: `pmloop grade --batch` over N answers (default 1,000): answers per second and the
  child's peak resident memory.
Prints one line per figure; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pmloop.bank import load_bank
from pmloop.grading import Examiner
from pmloop.vocabulary import Level

QUESTION = "How would you evaluate a new LLM feature before launch?"


def answer_of(words: int, seed: int = 0) -> str:
    """A realistic answer of exactly ``words`` words, built from the bank's references."""
    bank = load_bank()
    pool: list[str] = []
    questions = list(bank)
    for i in range(len(questions)):
        question = questions[(i + seed) % len(questions)]
        pool += question.references.at(Level((i + seed) % 4 + 1)).split()
        if len(pool) >= words:
            break
    return " ".join(pool[:words])


def cold_process(home: Path, answer_file: Path) -> list[float]:
    command = [
        sys.executable, "-m", "pmloop", "grade", "--question", QUESTION,
        "--answer-file", str(answer_file), "--format", "json",
    ]  # fmt: skip
    env = {**os.environ, "PMLOOP_HOME": str(home)}
    subprocess.run(command, env=env, check=True, capture_output=True)  # warms the bank cache
    times = []
    for _ in range(7):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def fresh_home(answer_file: Path, runs: int = 3) -> list[float]:
    """The first pasted-question grade on an empty PMLOOP_HOME: every cache built on the way."""
    command = [
        sys.executable, "-m", "pmloop", "grade", "--question", QUESTION,
        "--answer-file", str(answer_file), "--format", "json",
    ]  # fmt: skip
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            env = {**os.environ, "PMLOOP_HOME": folder}
            start = time.perf_counter()
            subprocess.run(command, env=env, check=True, capture_output=True)
            times.append(time.perf_counter() - start)
    return times


def in_process(answer: str) -> list[float]:
    examiner = Examiner()
    for _ in range(10):
        examiner.grade(answer, QUESTION)
    times = []
    for i in range(200):
        text = answer if i % 2 else answer.replace(".", ";", 1)  # defeat nothing: no answer cache
        start = time.perf_counter()
        examiner.grade(text, QUESTION)
        times.append(time.perf_counter() - start)
    return times


def batch(home: Path, count: int) -> tuple[float, float]:
    bank = list(load_bank())
    path = home / "batch.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            question = bank[i % len(bank)]
            text = question.text if i % 3 else f"{question.text} (asked in a {i}-minute round)"
            out.write(json.dumps({"question": text, "answer": answer_of(150 + i % 200, i)}) + "\n")
    env = {**os.environ, "PMLOOP_HOME": str(home)}
    command = [sys.executable, "-m", "pmloop", "grade", "--batch", str(path)]
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=True)
    elapsed = time.perf_counter() - start
    assert len(done.stdout.splitlines()) == count
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return count / elapsed, peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=1000, help="answers in the batch run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        os.environ["PMLOOP_HOME"] = str(home)
        answer = answer_of(250)
        answer_file = home / "answer.txt"
        answer_file.write_text(answer, encoding="utf-8")
        cold = cold_process(home, answer_file)
        print(
            f"cold process, 250 words, cache warm: median {statistics.median(cold):.2f} s "
            f"(min {min(cold):.2f}, max {max(cold):.2f}, n={len(cold)})"
        )
        fresh = fresh_home(answer_file)
        print(
            f"first grade on a fresh home, 250 words: median {statistics.median(fresh):.2f} s "
            f"(min {min(fresh):.2f}, max {max(fresh):.2f}, n={len(fresh)})"
        )
        warm = in_process(answer)
        print(
            f"in-process, 250 words: median {statistics.median(warm) * 1000:.1f} ms "
            f"(p95 {sorted(warm)[int(len(warm) * 0.95)] * 1000:.1f} ms, n={len(warm)})"
        )
        rate, peak = batch(home, args.answers)
        print(f"batch of {args.answers}: {rate:.0f} answers/s, peak memory {peak:.0f} MB")


if __name__ == "__main__":
    main()
