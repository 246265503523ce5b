"""The local app answers only to its own names and takes changes only from its own pages.

Cross-site forms and fetches are sent by a real Chromium from a page of another origin; the
rebinding attack is a request whose Host header names another domain, as a rebound page's are.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from pmloop.grading import Examiner
from pmloop.store import Repository, open_repository
from pmloop.web import create_app

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    repository = open_repository(f"sqlite:///{tmp_path / 'local.db'}")
    yield repository
    repository.engine.dispose()


def test_only_the_names_it_was_started_for(
    tmp_path: Path, pmloop_serve: Callable[..., str]
) -> None:
    base = pmloop_serve(PMLOOP_DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}")
    port = int(base.rsplit(":", 1)[1])
    started = httpx.post(base + "/api/v1/sessions", json={"questions": 1, "seed": 1})
    assert started.status_code == 201
    session_id = started.json()["id"]
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST.:{port}"):
        assert httpx.get(base + "/", headers={"Host": host}).status_code == 200, host
    # a rebound page sends its own domain; another port or a bare name is not this server
    for host in (f"attacker.example:{port}", f"127.0.0.1:{port + 1}", "localhost", "[::1]x"):
        stolen = httpx.get(f"{base}/api/v1/sessions/{session_id}", headers={"Host": host})
        assert stolen.status_code == 421, host
        assert session_id not in stolen.text and "answers only to" in stolen.json()["error"]
    page = httpx.get(base + "/", headers={"Host": f"attacker.example:{port}"})
    assert page.status_code == 421 and "open it by one of those names" in page.text


def test_a_wildcard_bind_also_answers_to_ip_addresses(examiner: Examiner, repo: Repository) -> None:
    app = create_app(examiner, repo, bound=("0.0.0.0", 8765))
    assert TestClient(app, base_url="http://192.0.2.7:8765").get("/").status_code == 200
    assert TestClient(app, base_url="http://[::1]:8765").get("/").status_code == 200
    assert TestClient(app, base_url="http://rebound.example:8765").get("/").status_code == 421
    named = create_app(examiner, repo, bound=("pmloop.lan", 8000))
    assert TestClient(named, base_url="http://PMLOOP.lan:8000").get("/").status_code == 200
    assert TestClient(named, base_url="http://192.0.2.7:8000").get("/").status_code == 421


def test_changes_only_from_its_own_pages(examiner: Examiner, repo: Repository) -> None:
    client = TestClient(create_app(examiner, repo), base_url="http://127.0.0.1:8765")
    client.get("/")
    csrf = client.cookies["pmloop_csrf"]
    form = {"questions": "1", "csrf": csrf}
    own = {"Origin": "http://127.0.0.1:8765"}
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "http://127.0.0.1:9999"},
        {"Referer": "http://evil.example/page"},
        {},  # a form that says nothing about where it came from
    ):
        refused = client.post("/sessions", data=form, headers=headers, follow_redirects=False)
        assert refused.status_code == 403, headers
    forged = client.post("/sessions", data={**form, "csrf": "forged"}, headers=own)
    assert forged.status_code == 403 and "reload it" in forged.text
    missing = client.post("/sessions", data={"questions": "1"}, headers=own)
    assert missing.status_code == 403
    assert repo.list_sessions() == []
    # a JSON body that is not sent as JSON (what a page can send across origins unasked)
    sneaky = client.post("/api/v1/sessions", content=b'{"questions": 1}')
    assert sneaky.status_code == 403 and "Content-Type: application/json" in sneaky.json()["error"]
    assert repo.list_sessions() == []

    made = client.post("/sessions", data=form, headers=own, follow_redirects=False)
    assert made.status_code == 303
    by_referer = client.post(
        "/sessions", data=form, headers={"Referer": "http://127.0.0.1:8765/"},
        follow_redirects=False,
    )  # fmt: skip
    assert by_referer.status_code == 303
    scripted = client.post("/api/v1/sessions", json={"questions": 1})  # curl, a script
    assert scripted.status_code == 201
    assert len(repo.list_sessions()) == 3


# the same attacks, sent by a real browser from a page of another origin -----------------------
class _AttackPage(BaseHTTPRequestHandler):
    target = ""

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        body = f"""<!doctype html><html><body>
<form id="f" method="post" action="{self.target}/sessions">
  <input name="questions" value="1"><input name="csrf" value="guessed">
</form>
<script>
  fetch("{self.target}/api/v1/sessions", {{method: "POST", mode: "no-cors",
        body: new Blob(['{{"questions": 1}}'])}})
    .finally(function () {{ document.getElementById("f").submit(); }});
</script></body></html>""".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_a_page_elsewhere_cannot_start_a_loop(
    examiner: Examiner,
    repo: Repository,
    live_app: Callable[..., str],
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base = live_app(create_app(examiner, repo))
    _AttackPage.target = base
    attacker = ThreadingHTTPServer(("127.0.0.1", 0), _AttackPage)
    threading.Thread(target=attacker.serve_forever, daemon=True).start()
    answered: list[int] = []
    try:
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page()
            page.on(
                "response",
                lambda r: answered.append(r.status) if r.request.method == "POST" else None,
            )
            # another origin: same machine, another port and name. The page fetches, then posts
            # its form, which takes the browser to the answer
            page.goto(f"http://localhost:{attacker.server_address[1]}/")
            page.wait_for_url(f"{base}/sessions", timeout=30_000)
            page.wait_for_load_state()
            shown = page.inner_text("main")
            browser.close()
    finally:
        attacker.shutdown()
        attacker.server_close()
    assert sorted(answered) == [403, 403]
    assert "only takes changes from its own pages" in shown
    assert repo.list_sessions() == []
