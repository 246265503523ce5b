"""Write the README's two screenshots (docs/web-desktop.png, docs/web-phone.png).

Plays two loops through the coach into a throwaway store (reference answers from the bank, so
the levels vary), serves the web app on 127.0.0.1 and photographs it with Debian's Chromium:
the feedback on an answer at 1280 px, the scorecard at 390 px.

    .venv/bin/python scripts/docs_screenshots.py
"""

from __future__ import annotations

import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn

from pmloop.coach import AnswerInput, Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.store import open_repository
from pmloop.vocabulary import Level
from pmloop.web import create_app

DOCS = Path(__file__).resolve().parents[1] / "docs"
FIRST = "eval-new-llm-feature-before-launch"
SECOND = "drive-thru-voice-latency-vs-larger-model"


def _play(coach: Coach, plan: tuple[str, ...], levels: list[Level], finish: bool) -> str:
    session = coach.start(LoopSettings(company="anthropic", questions=len(plan), plan=plan))
    replies = [
        AnswerInput(text=coach.bank.get(q).references.at(lv))
        for q, lv in zip(plan, levels, strict=True)
    ]
    while (step := coach.current(session.id)) is not None:
        if step.prompt.depth == 0 and replies:
            coach.answer(step, replies.pop(0))
        elif finish:
            coach.answer(step, AnswerInput(command="skip"))
        else:
            break
    return session.id


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as home:
        repo = open_repository(f"sqlite:///{Path(home) / 'pmloop.db'}")
        coach = Coach(Examiner(), repo)
        _play(coach, (FIRST, SECOND), [Level.SURFACE, Level.SURFACE], finish=True)
        finished = _play(coach, (FIRST, SECOND), [Level.SENIOR, Level.STRONG], finish=True)
        answering = _play(coach, (FIRST,), [Level.SURFACE], finish=False)

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        config = uvicorn.Config(create_app(coach.examiner, repo), port=port, log_level="error")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started:
            if time.monotonic() > deadline:
                print("docs_screenshots: error: the app did not start", file=sys.stderr)
                return 1
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"]
                )
                desktop = browser.new_page(viewport={"width": 1280, "height": 960})
                desktop.goto(f"{base}/sessions/{answering}")
                desktop.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
                desktop.screenshot(path=str(DOCS / "web-desktop.png"))
                phone = browser.new_page(viewport={"width": 390, "height": 844})
                phone.goto(f"{base}/sessions/{finished}")
                phone.evaluate(
                    "window.scrollTo(0, document.getElementById('done-heading')"
                    ".getBoundingClientRect().top + window.scrollY - 24)"
                )
                phone.screenshot(path=str(DOCS / "web-phone.png"))
                browser.close()
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            repo.engine.dispose()
    for name in ("web-desktop.png", "web-phone.png"):
        print(f"{DOCS / name}: {(DOCS / name).stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
