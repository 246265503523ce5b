"""Load on the shared server: N simulated learners answering for a while, on Postgres.

    eval "$(scripts/postgres.sh start)"     # as root: a throwaway PostgreSQL
    .venv/bin/python benchmarks/bench_web_load.py --learners 50 --seconds 120

Starts `pmloop serve --multi-user --workers 2` on loopback against a fresh database, signs in
N learners, and has each run loops (start a session, answer, answer or skip the follow-ups)
until the time is up. Prints p50/p95 latency per route, and checks that every answer the
server accepted is in the database. Not a test: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

from pmloop.bank import load_bank
from pmloop.store import Accounts, open_repository
from pmloop.vocabulary import Level

PASSWORD = "load-test-password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Recorder:
    """Latencies per route and the answers the server accepted."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.accepted = 0
        self.samples: list[str] = []

    def timed(self, route: str, call: object) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            response: httpx.Response = call()  # type: ignore[operator]
        except httpx.HTTPError as exc:
            with self.lock:
                self.errors[route] += 1
                self.samples.append(f"{route}: {type(exc).__name__}: {exc}")
            return None
        elapsed = time.perf_counter() - start
        with self.lock:
            self.latency[route].append(elapsed)
            if response.status_code >= 500:
                self.errors[route] += 1
                self.samples.append(f"{route}: {response.status_code} {response.text[:200]}")
        return response


def learner(base: str, name: str, deadline: float, answers: list[str], rec: Recorder) -> None:
    rng = random.Random(name)
    with httpx.Client(base_url=base, timeout=60) as client:
        form = rec.timed("GET /login", lambda: client.get("/login"))
        if form is None:
            return
        prelogin = re.search(r'name="prelogin" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
        rec.timed(
            "POST /login",
            lambda: client.post(
                "/login", data={"username": name, "password": PASSWORD, "prelogin": prelogin}
            ),
        )
        home = client.get("/")
        csrf = re.search(r'name="csrf" value="([^"]+)"', home.text).group(1)  # type: ignore[union-attr]
        headers = {"X-CSRF-Token": csrf}
        while time.monotonic() < deadline:
            started = rec.timed(
                "POST /api/v1/sessions",
                lambda: client.post("/api/v1/sessions", json={"questions": 1}, headers=headers),
            )
            if started is None or started.status_code != 201:
                continue
            session = started.json()
            while session.get("next") and time.monotonic() < deadline:
                nxt = session["next"]
                skip = nxt["depth"] > 0 and rng.random() < 0.3
                body = {
                    "question_index": nxt["question_index"],
                    "depth": nxt["depth"],
                    "text": "" if skip else rng.choice(answers),
                    "command": "skip" if skip else "answer",
                }
                url = f"/api/v1/sessions/{session['id']}/answers"
                reply = rec.timed(
                    "POST /api/v1/sessions/{id}/answers",
                    lambda url=url, body=body: client.post(url, json=body, headers=headers),
                )
                if reply is None or reply.status_code != 201:
                    break
                if not skip:
                    with rec.lock:
                        rec.accepted += 1
                session = reply.json()
            rec.timed("GET /api/v1/progress", lambda: client.get("/api/v1/progress"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--postgres", default=os.environ.get("PMLOOP_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    if not args.postgres:
        print("needs a Postgres URL: --postgres or PMLOOP_TEST_POSTGRES_URL", file=sys.stderr)
        return 2
    name = f"pmloop_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.execute(text(f"CREATE DATABASE {name}"))
    url = args.postgres.rsplit("/", 1)[0] + "/" + name
    repo = open_repository(url)
    accounts = Accounts(repo.engine)
    names = [f"learner{i:03d}" for i in range(args.learners)]
    for n in names:
        accounts.add_user(n, PASSWORD, "learner", "load")
    bank = load_bank()
    answers = [q.references.at(level) for q in bank for level in Level]
    port = _free_port()
    home = tempfile.mkdtemp()
    env = {**os.environ, "PMLOOP_DATABASE_URL": url, "PMLOOP_HOME": home}
    server_log = Path(home) / "server.log"
    log_handle = server_log.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "pmloop", "serve", "--multi-user", "--insecure-cookies",
         "--no-browser", "--workers", str(args.workers), "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=log_handle,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                if httpx.get(base + "/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        rec = Recorder()
        deadline = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=learner, args=(base, n, deadline, answers, rec)) for n in names
        ]
        begun = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - begun
    finally:
        server.terminate()
        server.wait(timeout=30)
        log_handle.close()
    with repo.engine.connect() as db:
        stored = db.execute(text("SELECT count(*) FROM turns WHERE NOT skipped")).scalar()
        graded = db.execute(
            text("SELECT count(*) FROM turns WHERE NOT skipped AND grade IS NOT NULL")
        ).scalar()
    repo.engine.dispose()
    print(f"{args.learners} learners, {elapsed:.0f} s, {args.workers} workers, Postgres")
    print(f"{'route':40s} {'requests':>9s} {'p50 ms':>8s} {'p95 ms':>8s} {'errors':>7s}")
    for route, values in sorted(rec.latency.items()):
        values.sort()
        p50 = statistics.median(values) * 1000
        p95 = values[int(len(values) * 0.95) - 1] * 1000 if len(values) > 1 else p50
        print(f"{route:40s} {len(values):9d} {p50:8.0f} {p95:8.0f} {rec.errors[route]:7d}")
    print(f"answers accepted by the server: {rec.accepted}; stored: {stored}; graded: {graded}")
    lost = max(rec.accepted - int(stored or 0), 0)
    print("every accepted answer is stored" if lost == 0 else f"LOST {lost} answers")
    for sample in rec.samples[:5]:
        print("error:", sample)
    if rec.samples:
        print("server log (last lines):")
        print("\n".join(server_log.read_text().splitlines()[-40:]))
    with admin.connect() as db:
        db.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()
    return 0 if lost == 0 and not sum(rec.errors.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
