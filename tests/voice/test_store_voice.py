"""How an answer arrived, its recording's length, transcript and delivery read are stored per
turn (migration 0010_voice), on SQLite and PostgreSQL; the coach grades every source alike."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from pmloop.coach import AnswerInput, Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.store import open_repository
from pmloop.store._database import _alembic_config
from pmloop.voice import analyse, strip_fillers, transcript_from

SAID = (
    "Um, I would hold the launch for the refund flow and ship the rest to ten percent of agents "
    "first. Uh, the risk that matters is a confident wrong policy. You know, I would gate on "
    "the edit rate by segment and roll back when it moves."
)


def _speech() -> dict[str, object]:
    words = [(w, i * 0.4, i * 0.4 + 0.3) for i, w in enumerate(SAID.split())]
    return analyse(transcript_from(words, 20.0), budget_seconds=240).model_dump(mode="json")


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'voice.db'}"
    return str(request.getfixturevalue("postgres_url"))


def test_voice_typed_and_scripted_answers_are_stored_with_their_source(
    url: str, examiner: Examiner
) -> None:
    repo = open_repository(url)
    coach = Coach(examiner, repo)
    session = coach.start(LoopSettings(questions=1, follow_ups=2, seed=3))
    delivery = _speech()
    graded = strip_fillers(SAID)
    step = coach.current(session.id)
    assert step is not None
    spoken = AnswerInput(text=graded, source="voice", audio_seconds=20.0, transcript=SAID,
                         delivery=delivery)  # fmt: skip
    voice = coach.answer(step, spoken)
    step = coach.current(session.id)
    assert step is not None
    coach.answer(step, AnswerInput(text=graded))
    step = coach.current(session.id)
    assert step is not None
    coach.answer(step, AnswerInput(text=graded, source="scripted"))
    turns = repo.get(session.id).turns
    assert [t.source for t in turns] == ["voice", "typed", "scripted"]
    first = turns[0]
    assert first.answer == graded and first.transcript == SAID
    assert first.audio_seconds == 20.0 and first.delivery == delivery
    assert turns[1].transcript is None and turns[1].delivery is None
    # the coach does not care how it arrived: the spoken answer got the typed text's grade
    typed = coach._grade(step.prompt.question, graded)
    assert voice.grade is not None and voice.grade.score == pytest.approx(typed.score)
    # an export carries it and an import brings it back
    data = repo.export()
    assert data["sessions"][0]["turns"][0]["delivery"] == delivery
    other = open_repository(f"sqlite:///{Path(url.split('///')[-1]).parent / 'copy.db'}") if (
        url.startswith("sqlite")) else None  # fmt: skip
    if other is not None:
        assert other.import_(data) == (1, 0)
        again = other.get(session.id).turns[0]
        assert (again.source, again.transcript, again.delivery) == ("voice", SAID, delivery)
        other.engine.dispose()
    repo.engine.dispose()


def test_0010_upgrades_an_0009_database_keeping_answers_and_downgrades(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0009_asks")
    with engine.begin() as db:
        db.execute(text(
            "INSERT INTO sessions (id, created_at, updated_at, status, kind, company, settings,"
            " plan, grader) VALUES ('old1', '2026-01-01 10:00:00', '2026-01-01 10:00:00',"
            " 'active', 'practice', 'general', '{}', '[\"q\"]', 'offline 0')"
        ))  # fmt: skip
        db.execute(text(
            "INSERT INTO turns (session_id, question_index, depth, question_id, prompt,"
            " probe_kind, answer, skipped, submitted_at) VALUES ('old1', 0, 0, 'q', 'Q?',"
            " 'question', 'kept answer', false, '2026-01-01 10:01:00')"
        ))  # fmt: skip
    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "0010_voice")
    columns = {c["name"] for c in inspect(engine).get_columns("turns")}
    assert {"source", "audio_seconds", "transcript", "delivery"} <= columns
    repo = open_repository(url)
    old = repo.get("old1").turns[0]
    assert (old.answer, old.source, old.transcript, old.delivery) == (
        "kept answer",
        None,
        None,
        None,
    )
    repo.engine.dispose()
    with engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "0009_asks")
    columns = {c["name"] for c in inspect(engine).get_columns("turns")}
    assert "delivery" not in columns and "source" not in columns
    with engine.connect() as db:
        assert db.execute(text("SELECT answer FROM turns")).scalar() == "kept answer"
    engine.dispose()
