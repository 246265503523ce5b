"""Both interactive formats in a real browser: Debian's Chromium driven by Playwright."""

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from pmloop.coach import Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.store import Repository, open_repository
from pmloop.web import create_app

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
AMBIGUITY = "fixture-ambiguity-summaries-thumbs-down"
ROLEPLAY = "fixture-roleplay-legal-voice-clone"


@pytest.fixture(scope="module")
def server(
    format_examiner: Examiner,
    tmp_path_factory: pytest.TempPathFactory,
    serving: Callable[..., AbstractContextManager[str]],
) -> Iterator[tuple[str, Repository]]:
    repo = open_repository(f"sqlite:///{tmp_path_factory.mktemp('web') / 'pmloop.db'}")
    with serving(create_app(format_examiner, repo)) as base:
        yield base, repo


@pytest.fixture(scope="module")
def page(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
        context = browser.new_context(viewport={"width": 1100, "height": 900})
        yield context.new_page()
        context.close()
        browser.close()


def _session(examiner: Examiner, repo: Repository, plan: str, follow_ups: int) -> str:
    coach = Coach(examiner, repo)
    return coach.start(LoopSettings(plan=(plan,), follow_ups=follow_ups)).id


def test_ambiguity_in_the_browser(
    page: Any, server: tuple[str, Repository], format_examiner: Examiner, tmp_path: Path
) -> None:
    base, repo = server
    session_id = _session(format_examiner, repo, AMBIGUITY, 0)
    page.goto(f"{base}/sessions/{session_id}")
    page.fill("#ask", "Did anything ship or change last week?")
    page.click(".ask-form button[type=submit]")
    page.wait_for_selector("text=Interviewer: Last Monday infra lowered the transcript length")
    page.fill("#ask", "What colour is the logo?")
    page.click(".ask-form button[type=submit]")
    page.wait_for_selector("text=Interviewer: We don't know that.")
    page.fill(
        "#answer",
        "The cut transcript explains it. I would restore the full transcript for long "
        "meetings today and watch the thumbs-down rate for a week before anything else.",
    )
    page.click("button[value=answer]")
    note = page.wait_for_selector(".discovery")
    assert "without asking for: long_meetings_only" in note.inner_text()
    facts = page.inner_text(".facts")
    assert "Facts asked for: context_cut" in facts
    assert "never asked for: long_meetings_only, new_button, holiday_week" in facts
    stored = repo.get(session_id).asks
    assert [(a.ask, a.fact_id) for a in stored] == [
        ("Did anything ship or change last week?", "context_cut"),
        ("What colour is the logo?", None),
    ]


def test_roleplay_in_the_browser(
    page: Any, server: tuple[str, Repository], format_examiner: Examiner
) -> None:
    base, repo = server
    session_id = _session(format_examiner, repo, ROLEPLAY, 3)
    page.goto(f"{base}/sessions/{session_id}")
    page.wait_for_selector("text=Priya Raman, Lead counsel: I can't let this go out")
    assert page.query_selector("#ask") is None  # no Ask field outside ambiguity questions
    turns = [
        ("Nobody gets cloned unless they record a consent statement in their own voice first.",
         "Priya Raman: And all users on day one"),
        ("We'll launch as a limited beta with a small group of podcasters.",
         "Priya Raman: When someone complains, who answers"),
        ("I'll own takedown requests myself and we answer every one within a day.",
         "Priya Raman: All right. Consent recorded"),
    ]  # fmt: skip
    for turn, reply in turns:
        page.fill("#answer", turn)
        page.click("button[value=answer]")
        page.wait_for_selector(f"text={reply}")
    assert "not met: none" in page.inner_text(".concerns")
    assert len(repo.get(session_id).turns) == 3
