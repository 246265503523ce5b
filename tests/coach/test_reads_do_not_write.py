"""Reading a session never writes, so reading it while its answer is graded changes nothing.

A page or API read used to grade an answer stored but not yet graded, and record its review:
racing the request that was grading the same answer, it could advance the review schedule
twice. Reads are now pure; the request that stores an answer does every write, once.
"""

import threading
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select

from pmloop.bank import Bank
from pmloop.coach import Coach, LoopSettings
from pmloop.grading import Examiner
from pmloop.store import Repository, open_repository
from pmloop.store._schema import reviews
from pmloop.vocabulary import Level
from pmloop.web import create_app

QUESTION = "eval-new-llm-feature-before-launch"
READERS = 3
TRIALS = 3


@pytest.fixture
def repo(database_url: str) -> Iterator[Repository]:
    repository = open_repository(database_url)
    yield repository
    repository.engine.dispose()


class _Writes:
    """Every INSERT, UPDATE or DELETE the engine runs while counting."""

    def __init__(self, repo: Repository) -> None:
        self.statements: list[str] = []
        self.counting = False
        event.listen(repo.engine, "before_cursor_execute", self._seen)

    def _seen(self, conn: object, cursor: object, statement: str, *rest: object) -> None:
        if self.counting and statement.lstrip().split(None, 1)[0].upper() in {
            "INSERT", "UPDATE", "DELETE",
        }:  # fmt: skip
            self.statements.append(statement.split("\n")[0])


def test_no_get_route_writes(examiner: Examiner, repo: Repository, bank: Bank) -> None:
    coach = Coach(examiner, repo)
    # an answer stored but never graded (the process died before grading it)
    pending = coach.start(LoopSettings(plan=(QUESTION,)))
    repo.submit(pending.id, 0, 0, QUESTION, "Q?", "question", None, "We would test it.")
    # every question answered, but the session never marked finished
    done = coach.start(LoopSettings(plan=(QUESTION,)))
    for depth in range(4):
        repo.submit(done.id, 0, depth, QUESTION, "Q?", "question", None, "", skipped=True)
    client = TestClient(create_app(examiner, repo), base_url="http://127.0.0.1")
    writes = _Writes(repo)
    writes.counting = True
    for session_id in (pending.id, done.id):
        for path in (
            f"/sessions/{session_id}", f"/sessions/{session_id}/report",
            f"/api/v1/sessions/{session_id}",
        ):  # fmt: skip
            assert client.get(path).status_code == 200, path
    for path in ("/", "/api/v1/sessions", "/progress", "/api/v1/progress"):
        assert client.get(path).status_code == 200, path
    writes.counting = False
    assert writes.statements == []
    assert repo.get(pending.id).turns[0].grade is None
    assert repo.due_reviews(owner_id=None) == [] and _review_step(repo) is None
    assert repo.get(done.id).status == "active"


def _review_step(repo: Repository) -> int | None:
    with repo.engine.connect() as db:
        row = db.execute(select(reviews.c.step).where(reviews.c.question_id == QUESTION)).first()
    return None if row is None else int(row.step)


def _answer_while_reading(app: object, session_id: str, senior: str) -> int:
    """POST the answer while readers load the session page and API; the grade's level."""
    answered = threading.Event()
    reading = threading.Barrier(READERS + 1, timeout=60)
    errors: list[str] = []

    def read() -> None:
        client = TestClient(app, base_url="http://127.0.0.1")  # type: ignore[arg-type]
        first = True
        while not answered.is_set():
            for path in (f"/sessions/{session_id}", f"/api/v1/sessions/{session_id}"):
                response = client.get(path)
                if response.status_code != 200:
                    errors.append(f"{path}: {response.status_code}")
            if first:
                reading.wait()  # every reader is reading before the answer is sent
                first = False

    readers = [threading.Thread(target=read) for _ in range(READERS)]
    for reader in readers:
        reader.start()
    try:
        reading.wait()
        response = TestClient(app, base_url="http://127.0.0.1").post(  # type: ignore[arg-type]
            f"/api/v1/sessions/{session_id}/answers",
            json={"question_index": 0, "depth": 0, "text": senior},
        )
    finally:
        answered.set()
        for reader in readers:
            reader.join(timeout=60)
    assert response.status_code == 201, response.text
    assert errors == []
    return int(response.json()["grade"]["level"])


def test_reading_while_an_answer_is_graded_advances_the_review_once(
    examiner: Examiner, repo: Repository, bank: Bank
) -> None:
    senior = bank.get(QUESTION).references.at(Level.SENIOR)
    app = create_app(examiner, repo)
    coach = Coach(examiner, repo)
    steps = []
    for _ in range(TRIALS):
        with repo.engine.begin() as db:
            db.execute(reviews.delete())
        earlier = coach.start(LoopSettings(plan=(QUESTION,)))
        repo.record_review(QUESTION, 1, earlier.id)  # a weak answer earlier: step 0
        assert _review_step(repo) == 0
        session_id = coach.start(LoopSettings(plan=(QUESTION,))).id
        level = _answer_while_reading(app, session_id, senior)
        assert level >= 3  # strong or senior: the review moves one step
        turn = repo.get(session_id).turns[0]
        assert turn.grade is not None and turn.level == level
        steps.append(_review_step(repo))
    assert steps == [1] * TRIALS
