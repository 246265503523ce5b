"""Spoken answers in the web app, over real HTTP on loopback and in Debian's Chromium with a
fake microphone fed from a synthesised WAV: record, transcribe, correct, submit, both grades."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import httpx
import pytest

from pmloop.bank import Bank
from pmloop.grading import Examiner
from pmloop.store import Repository, open_repository
from pmloop.vocabulary import Level
from pmloop.web import create_app
from pmloop.web._voice import MAX_UPLOAD_BYTES

FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


@pytest.fixture(scope="module")
def server(
    examiner: Examiner,
    tmp_path_factory: pytest.TempPathFactory,
    serving: Callable[..., AbstractContextManager[str]],
) -> Iterator[tuple[str, Repository]]:
    repo = open_repository(f"sqlite:///{tmp_path_factory.mktemp('voice-web') / 'pmloop.db'}")
    with serving(create_app(examiner, repo)) as base:
        yield base, repo


@pytest.fixture
def web(server: tuple[str, Repository]) -> Iterator[tuple[httpx.Client, str]]:
    """A client holding the page's CSRF cookie, and the token its forms carry."""
    base = server[0]
    with httpx.Client(base_url=base, headers={"Origin": base}, timeout=120) as client:
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
        assert token is not None
        yield client, token.group(1)


def test_transcribe_returns_the_text_without_fillers_and_the_delivery_read(
    web: tuple[httpx.Client, str], speak: Callable[..., Any], transcriber: Any
) -> None:
    clip = speak(["Um, I would ship it to ten percent of agents first.", 2.5,
                  "Uh, then I would watch the edit rate."], "web.wav")  # fmt: skip
    client, token = web
    headers = {"Content-Type": "audio/wav", "X-CSRF-Token": token}
    response = client.post("/api/v1/transcribe?minutes=2", content=clip.path.read_bytes(),
                           headers=headers)  # fmt: skip
    assert response.status_code == 200, response.text
    data = response.json()
    assert "ten percent" in data["text"].lower() or "10%" in data["text"]
    assert not data["text"].lower().startswith(("um", "uh"))
    speech = data["speech"]
    assert speech["filler_count"] == 2 and len(speech["pauses"]) == 1
    assert speech["budget_seconds"] == 120
    # without the page's token, or from another site, nothing is transcribed
    bare = client.post("/api/v1/transcribe", content=b"x", headers={"Content-Type": "audio/wav"})
    assert bare.status_code == 403
    other = client.post("/api/v1/transcribe", content=b"x",
                        headers={**headers, "Origin": "http://evil.example"})  # fmt: skip
    assert other.status_code == 403


@pytest.mark.parametrize(
    ("body", "kind", "status", "says"),
    [
        (b"hello", "text/plain", 415, "must be sent as audio"),
        (b"", "audio/wav", 422, "empty"),
        (b"RIFF\x10\x00\x00\x00WAVEjunkjunkjunk", "audio/wav", 422, "cannot be read"),
        (b"\0" * (MAX_UPLOAD_BYTES + 1), "audio/webm", 413, "over 25 MB"),
    ],
)
def test_bad_uploads_get_a_clear_4xx(
    web: tuple[httpx.Client, str], body: bytes, kind: str, status: int, says: str
) -> None:
    client, token = web
    response = client.post("/api/v1/transcribe", content=body,
                           headers={"Content-Type": kind, "X-CSRF-Token": token})  # fmt: skip
    assert response.status_code == status, response.text
    assert says in response.json()["error"]


def test_silence_is_a_422(
    web: tuple[httpx.Client, str], speak: Callable[..., Any], transcriber: Any
) -> None:
    quiet = speak([3.0], "web-quiet.wav")
    client, token = web
    headers = {"Content-Type": "audio/wav", "X-CSRF-Token": token}
    response = client.post("/api/v1/transcribe", content=quiet.path.read_bytes(), headers=headers)
    assert response.status_code == 422
    assert "no speech heard" in response.json()["error"]


def _wait(condition: Callable[[], object], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_record_button_records_a_real_answer_end_to_end(
    server: tuple[str, Repository],
    speak: Callable[..., Any],
    chromium: str,
    bank: Bank,
    transcriber: Any,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import sync_playwright

    base, repo = server
    question = bank.get("explained-model-failure-to-customer-story")
    first = ". ".join(question.references.at(Level.STRONG).split(". ")[:3]) + "."
    clip = speak(["Um, " + first], "browser.wav")
    args = [*FLAGS, "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-audio-capture={clip.path}%noloop"]  # fmt: skip
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        page = browser.new_page()
        page.goto(base + "/")
        page.fill("#questions", "1")
        page.click("button[type=submit]")
        page.wait_for_selector("#answer")
        session_id = page.url.rstrip("/").split("/")[-1].split("#")[0]
        page.click(".voice-record")
        page.wait_for_selector(".voice-stop:not([hidden])")
        # the fake microphone plays the clip once: stop when the clock has passed its length
        seconds = int(clip.duration) + 1
        page.wait_for_function(
            f"() => {{ const m = /(\\d+):(\\d+)/.exec(document.querySelector('.voice-clock')"
            f".textContent); return m && +m[1] * 60 + +m[2] >= {seconds}; }}",
            timeout=(seconds + 30) * 1000,
        )
        page.click(".voice-stop")
        page.wait_for_function("() => document.querySelector('#answer').value.length > 40",
                               timeout=120_000)  # fmt: skip
        heard = page.input_value("#answer")
        assert not heard.lower().startswith("um")
        assert "invoice" in heard.lower()
        _wait(lambda: repo.draft(session_id, 0, 0))  # the transcript is saved as the draft
        page.fill("#answer", heard + " We also added a check on supplier names.")
        page.click("button[value=answer]")
        page.wait_for_selector(".feedback")
        page.wait_for_selector(".delivery")
        delivery = page.inner_text(".delivery")
        assert "words per minute" in delivery and "Fillers: " in delivery
        browser.close()
    turn = repo.get(session_id).turns[0]
    assert turn.source == "voice" and turn.answer.endswith("supplier names.")
    assert turn.delivery is not None and turn.delivery["filler_count"] >= 1
    assert turn.transcript is not None and turn.transcript.lower().startswith("um")
    assert abs((turn.audio_seconds or 0) - clip.duration) < 3.0


def test_a_damaged_delivery_read_never_costs_the_answer(
    server: tuple[str, Repository], web: tuple[httpx.Client, str]
) -> None:
    repo = server[1]
    client, token = web
    started = client.post("/sessions", data={"csrf": token, "questions": "1"})
    session_id = started.headers["location"].split("/")[-1]
    answer = "I would ship to ten percent of agents first and watch refunds by segment."
    sent = client.post(f"/sessions/{session_id}/answer", data={
        "csrf": token, "question_index": "0", "depth": "0", "text": answer,
        "speech": json.dumps({"transcript": 5}),
    })  # fmt: skip
    assert sent.status_code == 303
    turn = repo.get(session_id).turns[0]
    assert (turn.answer, turn.source, turn.delivery) == (answer, "voice", None)
    assert turn.grade is not None


def test_transcribe_listens_for_the_named_questions_words(
    server: tuple[str, Repository],
    web: tuple[httpx.Client, str],
    speak: Callable[..., Any],
    transcriber: Any,
) -> None:
    client, token = web
    clip = speak(["I would hold the launch for billing tickets, and ship the draft to ten "
                  "percent of agents."], "web-launch.wav")  # fmt: skip
    headers = {"Content-Type": "audio/wav", "X-CSRF-Token": token}
    heard = client.post("/api/v1/transcribe?question_id=eval-new-llm-feature-before-launch",
                        content=clip.path.read_bytes(), headers=headers)  # fmt: skip
    assert heard.status_code == 200, heard.text
    assert "launch" in heard.json()["text"].lower(), heard.text
    unknown = client.post("/api/v1/transcribe?question_id=no-such-question",
                          content=clip.path.read_bytes(), headers=headers)  # fmt: skip
    assert unknown.status_code == 422
    assert "no question 'no-such-question'" in unknown.json()["error"]
    # the record button names the question its answer box is for
    started = client.post("/sessions", data={"csrf": token, "questions": "1"})
    page = client.get(started.headers["location"]).text
    plan = server[1].get(started.headers["location"].split("/")[-1]).plan
    assert f"question_id={plan[0]}" in page
