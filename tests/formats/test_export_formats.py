"""`pmloop export` carries the asks and the stakeholder turns; import brings them back."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from pmloop.coach import AnswerInput, AnswerPrompt, Coach, LoopSettings
from pmloop.grading import Examiner, Grade
from pmloop.store import open_repository

AMBIGUITY = "fixture-ambiguity-summaries-thumbs-down"
ROLEPLAY = "fixture-roleplay-legal-voice-clone"
TURNS = [
    "This is a great feature and users will love it.",
    "Honestly the quality is excellent.",
    "Nobody gets cloned unless they record a consent statement in their own voice first.",
    "We'll launch as a limited beta with a small group of podcasters.",
    "I'll own takedown requests myself and we answer every one within a day.",
]

ANSWER = (
    "The rise is in long meetings, so I would look at what the model sees of a long meeting "
    "before anything else, restore it for meetings over an hour and watch the rate for a week."
)


class ScriptedIO:
    """Plays the replies in order; notices and grades are not looked at here."""

    def __init__(self, replies: list[AnswerInput]) -> None:
        self.replies = iter(replies)

    def ask(self, prompt: AnswerPrompt) -> AnswerInput:
        return next(self.replies)

    def notice(self, text: str) -> None:
        pass

    def feedback(self, prompt: AnswerPrompt, grade: Grade) -> None:
        pass


@pytest.fixture(scope="module")
def played(format_examiner: Examiner, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One loop of an ambiguity question (two asks) and a five-turn roleplay, and its export."""
    path = tmp_path_factory.mktemp("export") / "pmloop.db"
    coach = Coach(format_examiner, open_repository(f"sqlite:///{path}"))
    session = coach.start(LoopSettings(plan=(AMBIGUITY, ROLEPLAY), follow_ups=0))
    replies = [
        AnswerInput(command="ask", ask="Is the rise the same for short and long meetings?"),
        AnswerInput(command="ask", ask="What colour is the logo?"),
        AnswerInput(text=ANSWER),
        *[AnswerInput(text=t) for t in TURNS],
    ]
    assert coach.run(session.id, ScriptedIO(replies)).finished
    # through JSON text, as the file pmloop export writes
    return coach, session.id, json.loads(json.dumps(coach.repository.export()))


def test_the_export_carries_asks_and_stakeholder_turns(played: Any) -> None:
    _, session_id, data = played
    (item,) = data["sessions"]
    assert item["id"] == session_id
    assert [(a["question_index"], a["depth"], a["fact_id"]) for a in item["asks"]] == [
        (0, 0, "long_meetings_only"),
        (0, 0, None),
    ]
    assert item["asks"][0]["ask"] == "Is the rise the same for short and long meetings?"
    assert item["asks"][0]["reply"].startswith("The rise is entirely in meetings longer")
    assert item["asks"][1]["reply"] == "We don't know that."
    talk = [t for t in item["turns"] if t["question_index"] == 1]
    assert [t["depth"] for t in talk] == [0, 1, 2, 3, 4]
    assert [t["answer"] for t in talk] == TURNS
    assert [t["probe_kind"] for t in talk[1:]] == ["stakeholder"] * 4
    assert all(t["prompt"].startswith("Priya Raman: ") for t in talk[1:])


@pytest.mark.parametrize("store", ["sqlite", "postgresql"])
def test_import_round_trips_asks_and_turns(
    played: Any, store: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    coach, session_id, data = played
    if store == "sqlite":
        url = f"sqlite:///{tmp_path / 'other.db'}"
    else:
        url = request.getfixturevalue("postgres_url")
    other = open_repository(url)
    request.addfinalizer(other.engine.dispose)
    assert other.import_(data) == (1, 0)
    assert json.loads(json.dumps(other.export())) == data
    # what the report shows comes back the same from the imported session
    imported = Coach(coach.examiner, other)
    here, there = coach.repository.get(session_id), other.get(session_id)
    for index in (0, 1):
        assert imported.discovery(there, index) == coach.discovery(here, index)
    assert other.import_(data) == (0, 1)  # importing again adds nothing
    assert len(other.get(session_id).asks) == 2


def test_a_damaged_ask_imports_nothing_and_an_old_export_imports_without_asks(
    played: Any, tmp_path: Path
) -> None:
    _, session_id, data = played
    other = open_repository(f"sqlite:///{tmp_path / 'other.db'}")
    damaged = copy.deepcopy(data)
    damaged["sessions"][0]["asks"][0]["fact_id"] = 7
    with pytest.raises(ValueError, match="malformed"):
        other.import_(damaged)
    assert other.count_sessions() == 0
    old = copy.deepcopy(data)
    del old["sessions"][0]["asks"]
    assert other.import_(old) == (1, 0)
    assert other.get(session_id).asks == ()
