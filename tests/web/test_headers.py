"""Every response forbids framing, sniffing, inline script and other origins; the API's docs
pages (which load their code from a CDN) are gone, and its schema needs a sign-in on the shared
server. A real Chromium then walks the pages and reports no policy violation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pmloop.grading import Examiner
from pmloop.store import Accounts, Repository, open_repository
from pmloop.web import create_app

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct horse battery"
LOCAL = "http://127.0.0.1"


@pytest.fixture
def repo(tmp_path: Path) -> Iterator[Repository]:
    repository = open_repository(f"sqlite:///{tmp_path / 'headers.db'}")
    yield repository
    repository.engine.dispose()


def _locked_down(response, allowing_style: bool = False) -> None:  # type: ignore[no-untyped-def]
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy and "unsafe" not in policy
    assert "http" not in policy  # no other origin, anywhere
    assert ("'sha256-" in policy) == allowing_style
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_every_response_carries_the_headers(examiner: Examiner, repo: Repository) -> None:
    client = TestClient(
        create_app(examiner, repo), base_url=LOCAL, headers={"Origin": LOCAL},
        raise_server_exceptions=False,
    )  # fmt: skip
    session = client.post("/api/v1/sessions", json={"questions": 1, "seed": 3}).json()
    responses = [
        client.get("/"),
        client.get("/static/style.css"),
        client.get("/static/htmx.min.js"),
        client.get("/api/v1/sessions"),
        client.get("/openapi.json"),
        client.get("/no/such/page"),
        client.get(f"/sessions/{session['id']}"),
        client.post("/api/v1/grade", json={"answer": "x"}),  # 422
        client.get("/", headers={"Host": "elsewhere.example"}),  # 421
        client.post("/sessions", data={"questions": "1"}, headers={"Origin": "http://x.example"}),
    ]
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 200, 404, 200, 422, 421, 403]
    for response in responses:
        _locked_down(response)
    report = client.get(f"/sessions/{session['id']}/report")
    assert report.status_code == 200
    _locked_down(report, allowing_style=True)
    assert "<script" not in report.text and "<script" not in responses[0].text.split("</head>")[1]


def test_the_docs_pages_are_gone_and_the_schema_needs_a_sign_in(
    examiner: Examiner, repo: Repository
) -> None:
    local = TestClient(create_app(examiner, repo), base_url=LOCAL)
    assert local.get("/docs").status_code == 404 and local.get("/redoc").status_code == 404
    assert "/api/v1/grade" in local.get("/openapi.json").json()["paths"]

    Accounts(repo.engine).add_user("alice", PASSWORD, "learner", None)
    shared = TestClient(create_app(examiner, repo, multi_user=True), base_url="https://pm.example")
    assert shared.get("/docs").status_code in (303, 404)  # to the sign-in, or nothing
    refused = shared.get("/openapi.json")
    assert refused.status_code == 401 and refused.json() == {"error": "sign in first"}
    _locked_down(refused)
    form = shared.get("/login").text
    prelogin = re.search(r'name="prelogin" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    shared.post("/login", data={"username": "alice", "password": PASSWORD, "prelogin": prelogin})
    assert "/api/v1/sessions" in shared.get("/openapi.json").json()["paths"]
    assert shared.get("/docs").status_code == 404


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_the_pages_break_no_rule_of_their_own_policy(
    examiner: Examiner, repo: Repository, live_app: Callable[..., str]
) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    base = live_app(create_app(examiner, repo))
    complaints: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.on("console", lambda m: complaints.append(m.text))
        page.goto(base + "/")
        page.fill("#questions", "1")
        page.click("button[type=submit]")
        page.wait_for_selector("#answer")
        page.type("#answer", "A draft typed in the browser", delay=5)
        page.wait_for_selector("#draft-status .saved")  # htmx works under the policy
        page.fill("#answer", "I'd test on last month's real tickets, split by ticket type.")
        page.click("button[value=answer]")
        page.wait_for_selector(".feedback")
        session_id = page.url.split("/sessions/")[1].split("#")[0]
        for path in ("/progress", "/bank", f"/sessions/{session_id}/report"):
            page.goto(base + path)
            page.wait_for_load_state()
        browser.close()
    assert [c for c in complaints if "Content Security Policy" in c or "Refused" in c] == []
