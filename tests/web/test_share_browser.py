"""Sharing a session with a coach in a real browser (Debian's Chromium through Playwright).

The learner makes a link on the session page; a fresh browser context (no cookie of the
learner's) opens it and sees that one session and no way to anything else; the coach drags
the mouse over words of the answer, comments on them, and the learner sees the comment; once
the learner revokes the link it is a 404.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from pmloop.coach import Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.store import Repository, Shares, open_repository
from pmloop.web import create_app

SHOTS = Path(__file__).resolve().parent / "screenshots"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
QUESTION = "eval-new-llm-feature-before-launch"
ANSWER = (
    "I'd size the risk first, then test on real traffic split by segment.\n"
    "We block launch if any segment regresses against today's flow."
)
SPAN = "real traffic split by segment"


@pytest.fixture
def server(
    examiner: Examiner, tmp_path: Path, serving: Callable[..., AbstractContextManager[str]]
) -> Iterator[tuple[str, Repository]]:
    repo = open_repository(f"sqlite:///{tmp_path / 'share.db'}")
    with serving(create_app(examiner, repo)) as base:
        yield base, repo
    repo.engine.dispose()


@pytest.fixture
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=FLAGS)
        yield instance
        instance.close()


def _session(examiner: Examiner, repo: Repository) -> str:
    coach = Coach(examiner, repo)
    session = coach.start(LoopSettings(plan=(QUESTION,)))
    repo.submit(session.id, 0, 0, QUESTION, "How would you evaluate it?", "question", None, ANSWER)
    coach.settle(session.id)
    return session.id


def _drag_over(page: Any, selector: str, text: str) -> None:
    """Select ``text`` inside ``selector`` with the mouse, as a person would."""
    box = page.evaluate(
        """([selector, text]) => {
            const el = document.querySelector(selector);
            const node = el.firstChild;
            const at = node.textContent.indexOf(text);
            const first = document.createRange(), last = document.createRange();
            first.setStart(node, at); first.setEnd(node, at + 1);
            last.setStart(node, at + text.length - 1); last.setEnd(node, at + text.length);
            const a = first.getBoundingClientRect(), b = last.getBoundingClientRect();
            return [a.left + 1, (a.top + a.bottom) / 2, b.right - 1, (b.top + b.bottom) / 2];
        }""",
        [selector, text],
    )
    page.mouse.move(box[0], box[1])
    page.mouse.down()
    page.mouse.move(box[2], box[3], steps=8)
    page.mouse.up()


def test_a_coach_comments_through_a_link_until_it_is_revoked(
    browser: Any, server: tuple[str, Repository], examiner: Examiner
) -> None:
    base, repo = server
    session_id = _session(examiner, repo)
    other_id = _session(examiner, repo)
    learner = browser.new_context(viewport={"width": 1100, "height": 900}).new_page()
    learner.goto(f"{base}/sessions/{session_id}")
    learner.select_option("#share-days", "7")
    learner.click("text=Create a link")
    learner.wait_for_selector("#new-link")
    link = learner.input_value("#new-link")
    assert link.startswith(f"{base}/shared/")

    coach_context = browser.new_context(viewport={"width": 390, "height": 844})
    assert coach_context.cookies() == []  # nothing of the learner's browser
    coach = coach_context.new_page()
    opened = coach.goto(link)
    assert opened is not None and opened.status == 200
    assert coach.locator("h1").inner_text() == "A shared practice session"
    assert coach.locator(".shared-answer").count() == 1
    assert coach.locator("a[href], nav").count() == 0  # no way to anything else
    content = coach.content()
    assert session_id not in content and other_id not in content
    assert coach.evaluate("document.documentElement.scrollWidth") <= 390
    coach.screenshot(path=str(SHOTS / "shared.png"), full_page=True)

    _drag_over(coach, ".shared-answer", SPAN)
    assert coach.input_value("#comment-quote") == SPAN
    assert coach.input_value("input[name=start]") == str(ANSWER.index(SPAN))
    coach.fill("#comment-body", "Which segments, and how big is each?")
    coach.fill("#comment-author", "Ana")
    coach.click("text=Add comment")
    coach.wait_for_selector(".comment .comment-body")
    assert "Which segments, and how big is each?" in coach.inner_text(".shared-turn")
    stored = Shares(repo.engine).comments(session_id)
    assert [(c.quote, c.start, c.author) for c in stored] == [(SPAN, ANSWER.index(SPAN), "Ana")]

    learner.goto(f"{base}/sessions/{session_id}")
    comments = learner.inner_text("#comments")
    assert "Which segments, and how big is each?" in comments and SPAN in comments
    learner.screenshot(path=str(SHOTS / "session-comments.png"), full_page=True)
    learner.click("#share button:has-text('Revoke')")
    learner.wait_for_url(f"{base}/sessions/{session_id}#share")
    gone = coach.goto(link)
    assert gone is not None and gone.status == 404
    assert coach.locator("a[href], nav").count() == 0
    assert "does not open" in coach.inner_text("h1")
