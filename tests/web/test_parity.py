"""The browser shows what the terminal shows: per-answer feedback, a hint, the scorecard's
quotes and edge map, and a loading state while an answer is graded. Debian's Chromium."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest

from pmloop.grading import Examiner
from pmloop.store import Repository, open_repository
from pmloop.web import create_app

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
QUESTION = "eval-new-llm-feature-before-launch"
ANSWER = (
    "I'd start from the failure modes that matter most: a confident draft promising a refund we "
    "don't offer. I'd test on last month's real tickets, split by ticket type, because a 91 "
    "percent average can hide billing disputes at 60. We need RAG, guardrails and red-teaming."
)


@pytest.fixture(scope="module")
def server(
    examiner: Examiner,
    tmp_path_factory: pytest.TempPathFactory,
    serving: Callable[..., AbstractContextManager[str]],
) -> Iterator[tuple[str, Repository]]:
    repo = open_repository(f"sqlite:///{tmp_path_factory.mktemp('parity') / 'pmloop.db'}")
    with serving(create_app(examiner, repo)) as base:
        yield base, repo
    repo.engine.dispose()


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def _start(page: Any, base: str) -> None:
    page.goto(base + "/")
    page.check("input[value=evaluation_logic]")
    page.fill("#questions", "1")
    with page.expect_navigation():
        page.click("button:has-text('Start')")
    page.wait_for_selector("#answer")


def test_feedback_shows_what_the_terminal_shows(page: Any, server: tuple[str, Repository]) -> None:
    base, repo = server
    _start(page, base)
    # the hint: hidden until asked for, then the question's own hints
    assert not page.is_visible(".hints li")
    page.click(".hints summary")
    hints = page.locator(".hints li").all_inner_texts()
    assert hints and all(h.startswith("Consider: ") for h in hints)

    page.fill("#answer", ANSWER)
    with page.expect_navigation():
        page.click("button[value=answer]")
    feedback = page.locator(".feedback").first
    session_id = page.url.split("/sessions/")[1].split("#")[0]
    grade = repo.get(session_id).turns[0].grade
    assert grade is not None
    # the level as a badge, in its level's colour class
    assert feedback.locator(f".badge.lv{grade['level']}").count() >= 1
    # the competency table: every graded competency with a quote from the answer
    rows = feedback.locator("table tbody tr")
    assert rows.count() == len(grade["competencies"])
    for quote in feedback.locator("table .quote").all_inner_texts():
        assert " ".join(quote.strip("“”").split()) in " ".join(ANSWER.split())
    text = feedback.inner_text()
    shown = [s["label"] for s in grade["signals"] if s["met"]]
    assert shown and all(label in text for label in shown)
    assert grade["missing"] and grade["missing"][0]["label"] in text
    assert "What a senior answer would add".upper() in text.upper()
    assert grade["senior_delta"] in text
    if grade.get("drivers"):
        assert "What moved the level".upper() in text.upper()
        assert grade["drivers"][0]["label"] in text
    # the flagged sentence is marked in the answer itself, and quoted with its reason
    flag = grade["flags"][0]
    marked = [" ".join(m.split()) for m in page.locator("mark.flag").all_inner_texts()]
    assert " ".join(flag["quote"].split()) in marked
    assert flag["explanation"] in text


def test_an_answer_being_graded_shows_a_loading_state(
    page: Any, server: tuple[str, Repository]
) -> None:
    base, _ = server
    _start(page, base)
    page.fill("#answer", ANSWER)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.method == "POST" else None)
    # What the page shows while its answer is graded is recorded the moment it is sent (a
    # listener after the app's own), and the button is pressed a second time at once: the
    # second press must be refused, not sent.
    with page.expect_navigation():
        page.evaluate(
            """() => {
              window.addEventListener("submit", (event) => {
                const seen = JSON.parse(sessionStorage.getItem("seen") || "[]");
                seen.push([event.defaultPrevented,
                           document.querySelector("button[value=answer]").getAttribute("aria-busy"),
                           document.querySelector(".busy-note").textContent,
                           document.querySelector(".busy-note").getAttribute("role")]);
                sessionStorage.setItem("seen", JSON.stringify(seen));
              });
              const button = document.querySelector("button[value=answer]");
              button.click();
              button.click();
            }"""
        )
    page.wait_for_selector(".feedback")
    seen = page.evaluate("JSON.parse(sessionStorage.getItem('seen'))")
    assert seen == [
        [False, "true", "Grading your answer…", "status"],
        [True, "true", "Grading your answer…", "status"],
    ]
    assert len(sent) == 1
    assert page.locator("[aria-busy=true]").count() == 0


def test_the_scorecard_has_quotes_flags_and_the_edge_map(
    page: Any, server: tuple[str, Repository]
) -> None:
    base, repo = server
    _start(page, base)
    page.fill("#answer", ANSWER)
    with page.expect_navigation():
        page.click("button[value=answer]")
    while page.locator("#done-heading").count() == 0:
        with page.expect_navigation():
            page.click("button[value=skip]")
    card = page.locator("#done-heading").locator("xpath=..")
    text = card.inner_text()
    assert card.locator(".badge").count() >= 2  # overall, and each assessed competency
    assert card.locator("table .quote").count() >= 1
    assert "Edge map" in text and "Q1" in text
    assert "Anti-patterns" in text  # the flags of the loop, with their quotes
    assert "Not assessed" in text
    assert card.locator("a[href$='/report']").count() == 1
