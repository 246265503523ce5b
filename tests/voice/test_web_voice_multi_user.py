"""``POST /api/v1/transcribe`` on the coaching server (``pmloop serve --multi-user``), a real
process over real HTTP, on SQLite and PostgreSQL: a sign-in and its CSRF token are required, a
signed-in learner gets a transcript, and a spoken answer can only be attached to one's own
session."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.web.conftest import pmloop_serve  # noqa: F401 - the fixture, used by name below

from pmloop.store import Accounts, open_engine, open_repository

PASSWORD = "correct horse battery"
SAID = ["Um, I would ship it to ten percent of agents first.", 2.5,
        "Uh, then I would watch the edit rate."]  # fmt: skip


@pytest.fixture
def coaching_server(
    database_url: str,
    pmloop_home: Path,
    pmloop_serve: Callable[..., str],  # noqa: F811
) -> Iterator[str]:
    engine = open_engine(database_url)
    accounts = Accounts(engine)
    for name in ("alice", "bob"):
        accounts.add_user(name, PASSWORD, "learner", "spring")
    engine.dispose()
    yield pmloop_serve("--multi-user", "--insecure-cookies", PMLOOP_DATABASE_URL=database_url)


def _signed_in(base: str, name: str) -> tuple[httpx.Client, str]:
    """A browser-like client signed in as ``name``, and the CSRF token its pages carry."""
    client = httpx.Client(base_url=base, headers={"Origin": base}, timeout=120)
    form = client.get("/login").text
    prelogin = re.search(r'name="prelogin" value="([^"]+)"', form)
    assert prelogin is not None
    sent = client.post("/login", data={"username": name, "password": PASSWORD,
                                       "prelogin": prelogin.group(1)})  # fmt: skip
    assert sent.status_code == 303, sent.text
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text)
    assert token is not None
    return client, token.group(1)


def test_transcribe_needs_a_sign_in_and_its_token_and_answers_only_its_own_sessions(
    coaching_server: str,
    database_url: str,
    speak: Callable[..., Any],
    transcriber: Any,
) -> None:
    base = coaching_server
    audio = speak(SAID, "shared-server.wav").path.read_bytes()
    wav = {"Content-Type": "audio/wav"}
    # signed out: refused before anything is read, whatever token is sent
    with httpx.Client(base_url=base, headers={"Origin": base}, timeout=120) as anonymous:
        for headers in (wav, {**wav, "X-CSRF-Token": "made-up"}):
            refused = anonymous.post("/api/v1/transcribe", content=audio, headers=headers)
            assert refused.status_code == 401, refused.text
            assert refused.json()["error"] == "sign in first"
    alice, alice_token = _signed_in(base, "alice")
    bob, bob_token = _signed_in(base, "bob")
    try:
        # signed in, but without the sign-in's token, or with another learner's: 403
        for headers in (wav, {**wav, "X-CSRF-Token": bob_token}):
            refused = alice.post("/api/v1/transcribe", content=audio, headers=headers)
            assert refused.status_code == 403, refused.text
            assert "reload it" in refused.json()["error"]
        # signed in with the token: the transcript and the delivery read
        heard = alice.post("/api/v1/transcribe?minutes=2", content=audio,
                           headers={**wav, "X-CSRF-Token": alice_token})  # fmt: skip
        assert heard.status_code == 200, heard.text
        data = heard.json()
        assert "percent" in data["text"].lower() or "%" in data["text"]
        assert not data["text"].lower().startswith(("um", "uh"))
        speech = data["speech"]
        assert speech["filler_count"] >= 1 and len(speech["pauses"]) == 1
        assert speech["budget_seconds"] == 120
        # two learners recording at the same moment are both transcribed, each their own
        with ThreadPoolExecutor(max_workers=2) as pool:
            both = list(pool.map(
                lambda who: who[0].post("/api/v1/transcribe", content=audio,
                                        headers={**wav, "X-CSRF-Token": who[1]}),
                [(alice, alice_token), (bob, bob_token)],
            ))  # fmt: skip
        assert [r.status_code for r in both] == [200, 200], [r.text for r in both]
        assert all(r.json()["speech"]["filler_count"] >= 1 for r in both)

        # the transcript is attached by submitting the answer form of a session: alice's
        started = alice.post("/sessions", data={"csrf": alice_token, "questions": "1"})
        assert started.status_code == 303, started.text
        session_id = started.headers["location"].split("/")[-1]
        # the record button sends the token of the sign-in, the one the requests above carried
        page = alice.get(f"/sessions/{session_id}").text
        assert f'data-csrf="{alice_token}"' in page and "voice-record" in page
        answer = {"question_index": "0", "depth": "0", "text": data["text"],
                  "speech": json.dumps(speech)}  # fmt: skip
        # bob cannot attach his recording to alice's session, with his token or hers
        for token in (bob_token, alice_token):
            sent = bob.post(f"/sessions/{session_id}/answer", data={**answer, "csrf": token})
            assert sent.status_code in (403, 404), sent.text
        repo = open_repository(database_url)
        try:
            assert not repo.get(session_id).turns
            # alice can, and her answer is stored as spoken, with its delivery read
            sent = alice.post(f"/sessions/{session_id}/answer",
                              data={**answer, "csrf": alice_token})  # fmt: skip
            assert sent.status_code == 303, sent.text
            turn = repo.get(session_id).turns[0]
            assert turn.source == "voice" and turn.answer == data["text"]
            assert turn.delivery is not None and turn.delivery["filler_count"] >= 1
            assert turn.transcript == speech["transcript"]
        finally:
            repo.engine.dispose()
    finally:
        alice.close()
        bob.close()
