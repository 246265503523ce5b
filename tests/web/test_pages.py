"""Every page in a real browser at a desktop and a phone width: no sideways scrolling, no SVG
label cut off by its chart, and no serious or critical accessibility problem found by axe-core.

Debian's Chromium is driven by Playwright; axe-core comes from npm (tests/web/package.json,
installed by ./test) and is handed to the page from this folder, never from a CDN. Each page is
screenshotted into tests/web/screenshots/ (ignored by git) for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from pmloop.coach import AnswerInput, Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.store import Accounts, Repository, Shares, open_repository
from pmloop.vocabulary import Competency
from pmloop.web import create_app

HERE = Path(__file__).resolve().parent
SHOTS = HERE / "screenshots"
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"  # the axe_core fixture checks it
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}
#: the question the answers below were written for
QUESTION = "eval-new-llm-feature-before-launch"
PASSWORD = "correct horse battery"
ANSWER = (
    "First I'd ask which mistake hurts most: a confident draft promising a refund we don't "
    "offer. I'd test on last month's real tickets, split by ticket type, because a 91 percent "
    "average can hide billing disputes at 60. We need RAG, guardrails and red-teaming."
)
FOLLOW_UP = "I'd keep a frozen set of past failures and rerun it on every model update."

#: Every <text> of every inline SVG whose laid-out box leaves its SVG's view box.
CLIPPED_SVG_TEXT = """() => {
  const out = [];
  for (const svg of document.querySelectorAll("svg")) {
    const vb = svg.viewBox.baseVal;
    const box = vb && vb.width ? vb : {x: 0, y: 0, width: svg.width.baseVal.value,
                                      height: svg.height.baseVal.value};
    for (const text of svg.querySelectorAll("text")) {
      const b = text.getBBox();
      if (b.x < box.x - 0.5 || b.y < box.y - 0.5 || b.x + b.width > box.x + box.width + 0.5
          || b.y + b.height > box.y + box.height + 0.5) {
        out.push(text.textContent + " at " + [b.x, b.y, b.width, b.height].map(Math.round));
      }
    }
  }
  return out;
}"""
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter(v => v.impact === "serious" || v.impact === "critical")
    .map(v => v.id + " (" + v.impact + "): " + v.help + " — "
         + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
}"""


def _play(
    coach: Coach, settings: LoopSettings, answers: list[str], owner: int | None = None,
    finish: bool = False,
) -> str:  # fmt: skip
    """Start a loop and give it these answers, then (``finish``) skip to its end."""
    session = coach.start(settings, owner_id=owner)
    replies = [AnswerInput(text=text) for text in answers]
    while (step := coach.current(session.id)) is not None and (replies or finish):
        coach.answer(step, replies.pop(0) if replies else AnswerInput(command="skip"))
    return session.id


def _sessions(coach: Coach, owner: int | None = None) -> dict[str, str]:
    """A fresh session, one half-way with feedback, and two finished ones (for a trend)."""
    one = LoopSettings(company="anthropic", questions=1, plan=(QUESTION,))
    finished = ""
    for _ in range(2):
        finished = _play(coach, one, [ANSWER, FOLLOW_UP], owner, finish=True)
    two = LoopSettings(
        company="anthropic", questions=2, competencies=(Competency.EVALUATION_LOGIC,),
        plan=(QUESTION, "drive-thru-voice-latency-vs-larger-model"),
    )  # fmt: skip
    return {
        "finished": finished,
        "feedback": _play(coach, two, [ANSWER], owner),
        "fresh": _play(coach, two, [], owner),
    }


@pytest.fixture(scope="module")
def browser(chromium: str, axe_core: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=chromium, args=FLAGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def local_server(
    examiner: Examiner,
    tmp_path_factory: pytest.TempPathFactory,
    serving: Callable[..., AbstractContextManager[str]],
) -> Iterator[tuple[str, dict[str, str]]]:
    repo = open_repository(f"sqlite:///{tmp_path_factory.mktemp('pages') / 'pmloop.db'}")
    ids = _sessions(Coach(examiner, repo))
    ids["token"], _ = Shares(repo.engine).create(ids["finished"])  # a coach's read-only link
    with serving(create_app(examiner, repo)) as base:
        yield base, ids
    repo.engine.dispose()


@pytest.fixture(scope="module")
def shared_server(
    examiner: Examiner,
    tmp_path_factory: pytest.TempPathFactory,
    serving: Callable[..., AbstractContextManager[str]],
) -> Iterator[tuple[str, Repository]]:
    repo = open_repository(f"sqlite:///{tmp_path_factory.mktemp('shared') / 'pmloop.db'}")
    accounts = Accounts(repo.engine)
    accounts.add_user("carol", PASSWORD, "coach", "spring")
    learner = accounts.add_user("alice", PASSWORD, "learner", "spring")
    _sessions(Coach(examiner, repo), owner=learner.id)
    app = create_app(examiner, repo, multi_user=True, secure_cookies=False)
    with serving(app) as base:
        yield base, repo
    repo.engine.dispose()


def check(page: Any, base: str, name: str, width: str) -> None:
    """The page as loaded: fits, no clipped chart text, axe-clean; and a screenshot of it."""
    page.wait_for_load_state("load")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{name} at {width}: {page.evaluate('document.documentElement.scrollWidth')} px wide, "
        f"wider than the {page.evaluate('window.innerWidth')} px window"
    )
    assert page.evaluate(CLIPPED_SVG_TEXT) == [], f"{name} at {width}: SVG text cut off"
    page.route(base + "/__axe__.js", lambda route: route.fulfill(path=str(AXE)))
    page.add_script_tag(url=base + "/__axe__.js")
    assert page.evaluate(RUN_AXE) == [], f"{name} at {width}: accessibility violations"
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


@pytest.fixture(params=list(WIDTHS))
def width(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _context(browser: Any, width: str) -> Any:
    w, h = WIDTHS[width]
    # the phone also checks the dark theme: every page is checked in both colour schemes
    scheme = "dark" if width == "phone" else "light"
    return browser.new_context(viewport={"width": w, "height": h}, color_scheme=scheme)


LOCAL_PAGES = {
    "home": "/",
    "session-new": "/sessions/{fresh}",
    "session-feedback": "/sessions/{feedback}",
    "scorecard": "/sessions/{finished}",
    "report": "/sessions/{finished}/report",
    "progress": "/progress",
    "bank": "/bank",
    "bank-question": f"/bank/{QUESTION}",
    "shared": "/shared/{token}",
}


@pytest.mark.parametrize("name", list(LOCAL_PAGES))
def test_every_page_fits_and_passes_axe(
    browser: Any, local_server: tuple[str, dict[str, str]], width: str, name: str
) -> None:
    base, ids = local_server
    context = _context(browser, width)
    try:
        page = context.new_page()
        response = page.goto(base + LOCAL_PAGES[name].format(**ids))
        assert response is not None and response.status == 200
        check(page, base, name, width)
    finally:
        context.close()


def test_shared_server_pages_fit_and_pass_axe(
    browser: Any, shared_server: tuple[str, Repository], width: str
) -> None:
    base, _ = shared_server
    context = _context(browser, width)
    try:
        page = context.new_page()
        page.goto(base + "/login")
        check(page, base, "login", width)
        page.fill("#username", "carol")
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        page.goto(base + "/cohort")
        assert "alice" in page.inner_text("main")
        check(page, base, "cohort", width)
    finally:
        context.close()


def test_the_checks_catch_a_wide_page_and_a_clipped_label(
    browser: Any, local_server: tuple[str, dict[str, str]]
) -> None:
    """The checks above can fail: a page made too wide and a label pushed out are caught."""
    base, _ = local_server
    context = _context(browser, "phone")
    try:
        page = context.new_page()
        page.goto(base + "/progress")
        page.evaluate("document.querySelector('main').style.minWidth = '563px'")
        assert not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        page.evaluate("document.querySelector('svg text').setAttribute('x', '-40')")
        assert page.evaluate(CLIPPED_SVG_TEXT) != []
        page.route(base + "/__axe__.js", lambda route: route.fulfill(path=str(AXE)))
        page.add_script_tag(url=base + "/__axe__.js")
        page.evaluate("document.querySelector('main h1').style.color = '#334155'")  # on #0f172a
        assert any(v.startswith("color-contrast") for v in page.evaluate(RUN_AXE))
    finally:
        context.close()


def test_every_page_has_a_way_back(browser: Any, local_server: tuple[str, dict[str, str]]) -> None:
    base, ids = local_server
    context = _context(browser, "desktop")
    try:
        page = context.new_page()
        for name, path in LOCAL_PAGES.items():
            if name == "shared":
                continue  # a coach's view of one session: it links to nothing else of the learner's
            page.goto(base + path.format(**ids))
            nav = page.locator("nav[aria-label=Main] a")
            hrefs = {nav.nth(i).get_attribute("href") for i in range(nav.count())}
            assert {"/", "/progress", "/bank"} <= hrefs, f"{name}: navigation {hrefs}"
        assert page.request.get(base + "/favicon.ico").status == 200
    finally:
        context.close()


def _level_colours(page: Any) -> dict[str, str]:
    return dict(
        page.evaluate(
            """() => [...document.querySelectorAll('.badge[class*="lv"]')].map(
                 b => [b.textContent.trim(), getComputedStyle(b).backgroundColor])"""
        )
    )


def test_one_colour_per_level(browser: Any, local_server: tuple[str, dict[str, str]]) -> None:
    """A level's badge has the same colour on every page, and each level its own."""
    base, ids = local_server
    context = _context(browser, "desktop")
    try:
        page = context.new_page()
        seen: dict[str, set[str]] = {}
        for path in (f"/bank/{QUESTION}", f"/sessions/{ids['finished']}"):
            page.goto(base + path)
            for level, colour in _level_colours(page).items():
                seen.setdefault(level, set()).add(colour)
        assert {"Below bar", "Surface", "Strong", "Senior"} <= set(seen)
        assert all(len(colours) == 1 for colours in seen.values()), seen
        four = [next(iter(seen[x])) for x in ("Below bar", "Surface", "Strong", "Senior")]
        assert len(set(four)) == 4
        assert re.match(r"rgb", four[0])
    finally:
        context.close()
