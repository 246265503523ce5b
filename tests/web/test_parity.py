"""The browser shows what the terminal shows: per-answer feedback, a hint, the scorecard's
quotes and edge map, and a loading state while an answer is graded. Debian's Chromium."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest

from pmloop.coach import AnswerInput, Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.store import Repository, open_repository
from pmloop.vocabulary import Competency
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


def _graded(examiner: Examiner, repo: Repository) -> str:
    """One finished loop, graded, straight through the coach; its session id."""
    coach = Coach(examiner, repo)
    session = coach.start(LoopSettings(questions=1, plan=(QUESTION,)))
    replies = [AnswerInput(text=ANSWER)]
    while (step := coach.current(session.id)) is not None:
        coach.answer(step, replies.pop(0) if replies else AnswerInput(command="skip"))
    return session.id


def _new_session(page: Any, base: str, click: str) -> Any:
    """Press a button that starts a loop; the new session as stored."""
    with page.expect_navigation(url=re.compile(r"/sessions/[0-9a-f]+$")):
        page.click(click)
    page.wait_for_selector("#answer")
    return page.url.rsplit("/", 1)[1]


def test_progress_and_the_bank_start_loops_with_a_button(
    page: Any, server: tuple[str, Repository], examiner: Examiner
) -> None:
    base, repo = server
    _graded(examiner, repo)
    page.goto(base + "/progress")
    assert "pmloop drill" not in page.inner_text("main")  # a button, not a command to copy
    drill = repo.get(_new_session(page, base, "button:has-text('Drill now')"))
    assert drill.kind == "drill" and len(drill.plan) == 2

    page.goto(base + "/progress")
    weakest = page.locator("#next-heading ~ .buttons input[name=competencies]").get_attribute(
        "value"
    )
    practice = repo.get(_new_session(page, base, "button:has-text('Practise evaluation logic')"))
    assert practice.kind == "practice" and len(practice.plan) == 2
    assert all(Competency(weakest) in examiner.bank.get(q).competencies for q in practice.plan)

    page.goto(base + f"/bank/{QUESTION}")
    one = repo.get(_new_session(page, base, "button:has-text('Practise this question')"))
    assert one.plan == [QUESTION]
    assert "Question 1 of 1" in page.inner_text("#current-heading")


def test_the_report_has_a_way_back(
    page: Any, server: tuple[str, Repository], examiner: Examiner
) -> None:
    base, repo = server
    session_id = _graded(examiner, repo)
    page.goto(base + f"/sessions/{session_id}")
    with page.expect_navigation():
        page.click("text=Full report")
    with page.expect_navigation():
        page.click("nav >> text=Back to the session")
    assert page.url.endswith(f"/sessions/{session_id}")
    assert page.locator("#done-heading").count() == 1


def test_an_unknown_question_to_practise_is_a_404_with_a_message(
    page: Any, server: tuple[str, Repository]
) -> None:
    base, _ = server
    page.goto(base + f"/bank/{QUESTION}")
    page.evaluate("document.querySelector('input[name=question]').value = 'no-such-question'")
    with page.expect_navigation() as navigation:
        page.click("button:has-text('Practise this question')")
    assert navigation.value.status == 404
    assert "unknown question id 'no-such-question'" in page.inner_text("main")
