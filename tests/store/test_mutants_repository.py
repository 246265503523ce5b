"""Repository reads the loop depends on: resume, avoiding recent questions, counts, the URL.

Written from a mutation run (benchmarks/mutation.py): the store tests never called these, so
``pmloop resume`` picking a finished session, a new loop repeating last session's questions, or
a user's ``PMLOOP_DATABASE_URL`` being ignored would have passed them.
"""

import json
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import update

from pmloop.errors import UnknownSessionError
from pmloop.store import Repository, database_url, open_repository, utcnow
from pmloop.store._schema import reviews


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return open_repository(f"sqlite:///{tmp_path / 'pmloop.db'}")


def _session(repo: Repository, plan: list[str], owner_id: int | None = None) -> str:
    return repo.create_session("practice", "general", {}, plan, "offline t", owner_id=owner_id).id


def test_a_new_session_is_active_and_finishing_it_is_stored(repo: Repository) -> None:
    session_id = _session(repo, ["q-a"])
    created = repo.get(session_id)
    assert (created.status, created.kind, created.company, created.plan) == (
        "active",
        "practice",
        "general",
        ["q-a"],
    )
    repo.finish(session_id)
    finished = repo.get(session_id)
    assert finished.status == "finished"
    assert finished.updated_at >= created.updated_at
    assert repo.get(_session(repo, ["q-b"])).status == "active"  # only that one finished


def test_resume_finds_the_latest_unfinished_session(repo: Repository) -> None:
    assert repo.latest_unfinished() is None
    first = _session(repo, ["q-a"])
    second = _session(repo, ["q-b"])
    latest = repo.latest_unfinished()
    assert latest is not None and latest.id == second
    repo.finish(second)
    latest = repo.latest_unfinished()
    assert latest is not None and latest.id == first
    repo.submit(first, 0, 0, "q-a", "Q?", "question", None, "an answer")
    resumed = repo.latest_unfinished()
    assert resumed is not None and [t.answer for t in resumed.turns] == ["an answer"]
    repo.finish(first)
    assert repo.latest_unfinished() is None


def test_recent_questions_cover_the_last_sessions_planned_and_answered(repo: Repository) -> None:
    oldest = _session(repo, ["q-1"])
    repo.submit(oldest, 0, 0, "q-1", "Q?", "question", None, "answer")
    for n in range(2, 7):
        _session(repo, [f"q-{n}"])
    answered = _session(repo, [])
    repo.submit(answered, 0, 0, "q-drill", "Q?", "question", None, "answer")
    # the five newest sessions: q-drill (answered, not planned), q-6 ... q-3
    assert repo.recent_question_ids() == {"q-drill", "q-6", "q-5", "q-4", "q-3"}
    assert repo.recent_question_ids(sessions_back=2) == {"q-drill", "q-6"}
    assert repo.recent_question_ids(sessions_back=8) == {f"q-{n}" for n in range(1, 7)} | {
        "q-drill"
    }


def test_recent_questions_are_kept_per_owner(repo: Repository) -> None:
    from pmloop.store import Accounts

    accounts = Accounts(repo.engine)
    ana = accounts.add_user("ana", "long enough password", "learner", None)
    ben = accounts.add_user("ben", "long enough password", "learner", None)
    _session(repo, ["q-ana"], owner_id=ana.id)
    _session(repo, ["q-ben"], owner_id=ben.id)
    _session(repo, ["q-local"])
    assert repo.recent_question_ids(owner_id=ana.id) == {"q-ana"}
    assert repo.recent_question_ids(owner_id=ben.id) == {"q-ben"}
    assert repo.recent_question_ids() == {"q-ana", "q-ben", "q-local"}
    assert [s.plan for s in repo.list_sessions(owners=[ana.id])] == [["q-ana"]]
    assert [s.plan for s in repo.list_sessions(limit=1)] == [["q-local"]]
    assert repo.list_sessions(owners=[]) == []


def test_sessions_are_counted(repo: Repository) -> None:
    assert repo.count_sessions() == 0
    _session(repo, ["q-a"])
    _session(repo, ["q-b"])
    assert repo.count_sessions() == 2


def test_a_turn_is_found_by_its_question_and_follow_up(repo: Repository) -> None:
    session_id = _session(repo, ["q-a", "q-b"])
    repo.submit(session_id, 0, 0, "q-a", "Q?", "question", None, "first")
    repo.submit(session_id, 0, 1, "q-a", "Why?", "signal", "s1", "follow-up")
    repo.submit(session_id, 1, 0, "q-b", "Q2?", "question", None, "second")
    session = repo.get(session_id)
    found = session.turn(0, 1)
    assert found is not None and (found.answer, found.probe_target) == ("follow-up", "s1")
    second = session.turn(1, 0)
    assert second is not None and second.answer == "second"
    assert session.turn(1, 1) is None
    assert session.turn(2, 0) is None


def test_the_database_url_comes_from_the_environment_or_the_home(
    pmloop_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert database_url() == f"sqlite:///{pmloop_home / 'pmloop.db'}"
    monkeypatch.setenv("PMLOOP_DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert database_url() == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("PMLOOP_DATABASE_URL", "")
    assert database_url() == f"sqlite:///{pmloop_home / 'pmloop.db'}"


def test_an_export_imports_into_an_empty_store_as_the_same_export(tmp_path: Path) -> None:
    from pmloop.store import Accounts

    source = open_repository(f"sqlite:///{tmp_path / 'a.db'}")
    ana = Accounts(source.engine).add_user("ana", "long enough password", "learner", None)
    graded = source.create_session(
        "drill", "anthropic", {"minutes": 4, "seed": 7}, ["q-a", "q-b"], "offline 3", ana.id
    ).id
    turn = source.submit(graded, 0, 0, "q-a", "Q?", "question", None, "first answer")
    source.attach_grade(turn, {"level": 2, "score": 41.5, "schema": "pmloop.grade/1"})
    source.submit(graded, 0, 1, "q-a", "Why?", "signal", "s-failure", "follow-up", skipped=True)
    source.finish(graded)
    other = _session(source, ["q-c"])
    source.record_review("q-a", 1, graded)  # ana's schedule
    source.record_review("q-c", 2, other)  # the local one
    exported = json.loads(json.dumps(source.export()))
    assert [r["owner"] for r in exported["reviews"]] == ["ana", None]

    target = open_repository(f"sqlite:///{tmp_path / 'b.db'}")
    Accounts(target.engine).add_user("bob", "another long password", "learner", None)
    ana_here = Accounts(target.engine).add_user("ana", "long enough password", "learner", None)
    assert ana_here.id != ana.id  # owners travel by name, not by id
    assert target.import_(exported) == (2, 0)
    assert target.export() == exported
    assert target.due_reviews(utcnow() + timedelta(days=2), owner_id=ana_here.id) == ["q-a"]
    assert target.due_reviews(utcnow() + timedelta(days=2)) == ["q-c"]


def test_importing_again_adds_only_what_is_missing(tmp_path: Path) -> None:
    source = open_repository(f"sqlite:///{tmp_path / 'a.db'}")
    first, second = _session(source, ["q-a"]), _session(source, ["q-b"])
    source.record_review("q-a", 1, first)
    target = open_repository(f"sqlite:///{tmp_path / 'b.db'}")
    target.import_(source.export())
    third = _session(source, ["q-c"])
    source.record_review("q-c", 1, third)
    assert target.import_(source.export()) == (1, 2)
    assert sorted(s.id for s in target.list_sessions()) == sorted([first, second, third])
    assert sorted(target.due_reviews(utcnow() + timedelta(days=2))) == ["q-a", "q-c"]


def test_drafts_are_kept_per_question_and_follow_up(repo: Repository) -> None:
    session_id = _session(repo, ["q-a", "q-b"])
    repo.save_draft(session_id, 0, 0, "question one")
    repo.save_draft(session_id, 0, 1, "its follow-up")
    repo.save_draft(session_id, 1, 0, "question two")
    repo.save_draft(session_id, 0, 1, "its follow-up, longer")
    assert repo.draft(session_id, 0, 0) == "question one"
    assert repo.draft(session_id, 0, 1) == "its follow-up, longer"
    assert repo.draft(session_id, 1, 0) == "question two"
    assert repo.draft(session_id, 1, 1) is None
    repo.submit(session_id, 0, 1, "q-a", "Why?", "signal", None, "its follow-up, longer")
    assert repo.draft(session_id, 0, 1) is None
    assert repo.draft(session_id, 0, 0) == "question one"  # only that answer's draft goes


def test_answers_come_back_in_question_then_follow_up_order(repo: Repository) -> None:
    session_id = _session(repo, ["q-a", "q-b"])
    repo.submit(session_id, 1, 0, "q-b", "Q2?", "question", None, "second question")
    repo.submit(session_id, 0, 1, "q-a", "Why?", "signal", None, "first follow-up")
    repo.submit(session_id, 0, 0, "q-a", "Q1?", "question", None, "first question")
    expected = ["first question", "first follow-up", "second question"]
    assert [t.answer for t in repo.get(session_id).turns] == expected
    assert [t.answer for t in repo.list_sessions()[0].turns] == expected
    assert [t.skipped for t in repo.get(session_id).turns] == [False, False, False]


def test_an_answer_makes_its_session_the_one_to_resume(repo: Repository) -> None:
    older = _session(repo, ["q-a"])
    newer = _session(repo, ["q-b"])
    assert len(older) == len(newer) == 12
    repo.submit(older, 0, 0, "q-a", "Q?", "question", None, "back to the older loop")
    latest = repo.latest_unfinished()
    assert latest is not None and latest.id == older


def test_a_prefix_that_fits_two_sessions_is_ambiguous(repo: Repository) -> None:
    ids = [_session(repo, ["q-a"]) for _ in range(17)]  # 17 ids: two share a first character
    first = Counter(i[0] for i in ids).most_common(1)[0][0]
    with pytest.raises(UnknownSessionError, match="is ambiguous"):
        repo.get(first)
    with pytest.raises(UnknownSessionError, match="no session 'zz'"):
        repo.get("zz")


def test_due_reviews_come_most_overdue_first(repo: Repository) -> None:
    first = _session(repo, ["q-a"])
    repo.record_review("q-late", 1, first)
    repo.record_review("q-early", 1, first)
    with repo.engine.begin() as db:
        db.execute(
            update(reviews)
            .where(reviews.c.question_id == "q-early")
            .values(due_at=utcnow() - timedelta(days=3))
        )
    assert repo.due_reviews(utcnow() + timedelta(days=2)) == ["q-early", "q-late"]


def test_an_empty_file_or_a_missing_folder_becomes_a_new_database(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    assert open_repository(f"sqlite:///{empty}").count_sessions() == 0
    nested = tmp_path / "not" / "there" / "yet" / "pmloop.db"
    assert open_repository(f"sqlite:///{nested}").count_sessions() == 0
    assert nested.is_file()


def test_a_stored_answer_reads_back_with_its_grade_and_its_session_with_its_owner(
    repo: Repository,
) -> None:
    from pmloop.store import Accounts

    ana = Accounts(repo.engine).add_user("ana", "long enough password", "learner", None)
    session_id = repo.create_session("practice", "openai", {"seed": 3}, ["q-a"], "g", ana.id).id
    turn_id = repo.submit(session_id, 0, 0, "q-a", "Q?", "question", None, "answer")
    skipped_id = repo.submit(session_id, 0, 1, "q-a", "Why?", "flag", "no_call", "", skipped=True)
    grade = {"level": 3, "score": 61.5, "schema": "pmloop.grade/1", "flags": []}
    repo.attach_grade(turn_id, grade)
    session = repo.get(session_id)
    assert (session.settings, session.owner_id) == ({"seed": 3}, ana.id)
    first, second = session.turns
    assert (first.id, first.session_id, first.grade, first.level, first.score) == (
        turn_id,
        session_id,
        grade,
        3,
        61.5,
    )
    assert (second.id, second.skipped, second.grade, second.score) == (skipped_id, True, None, None)
    assert turn_id != skipped_id
