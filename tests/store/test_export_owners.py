"""Export and import keep who owns each session, by username, across databases."""

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from pmloop.errors import InputError
from pmloop.store import Accounts, Repository, open_repository, utcnow

PASSWORD = "long enough password"


def _repo(tmp_path: Path, name: str, users: tuple[str, ...]) -> tuple[Repository, dict[str, int]]:
    repo = open_repository(f"sqlite:///{tmp_path / name}")
    accounts = Accounts(repo.engine)
    return repo, {u: accounts.add_user(u, PASSWORD, "learner", None).id for u in users}


def _source(tmp_path: Path) -> tuple[dict[str, object], dict[str, str]]:
    repo, ids = _repo(tmp_path, "source.db", ("ana", "ben"))
    owned = {}
    for owner in ("ana", "ben", None):
        session = repo.create_session(
            "practice", "general", {}, ["q-a"], "offline t",
            owner_id=ids[owner] if owner else None,
        )  # fmt: skip
        owned[session.id] = owner
        repo.record_review("q-a", 1, session.id)
    data = json.loads(json.dumps(repo.export()))
    repo.engine.dispose()
    return data, owned  # type: ignore[return-value]


def test_owners_survive_a_round_trip_by_username(tmp_path: Path) -> None:
    data, owned = _source(tmp_path)
    assert {s["id"]: s["owner"] for s in data["sessions"]} == owned  # type: ignore[index]
    # the same people, created in another order: other ids
    target, ids = _repo(tmp_path, "target.db", ("ben", "carol", "ana"))
    assert target.import_(data) == (3, 0)
    for session_id, owner in owned.items():
        assert target.get(session_id).owner_id == (ids[owner] if owner else None)
    later = utcnow() + timedelta(days=2)
    for owner in ("ana", "ben"):
        assert target.due_reviews(later, owner_id=ids[owner]) == ["q-a"]
    assert target.due_reviews(later, owner_id=ids["carol"]) == []
    assert target.due_reviews(later) == ["q-a"]  # the local, ownerless one
    assert target.import_(data) == (0, 3)


def test_a_missing_owner_stops_the_import_and_says_who(tmp_path: Path) -> None:
    data, owned = _source(tmp_path)
    target, ids = _repo(tmp_path, "target.db", ("ana",))
    with pytest.raises(InputError, match="'ben'.*pmloop users add.*nothing was imported"):
        target.import_(data)
    assert target.count_sessions() == 0 and target.due_reviews(utcnow() + timedelta(days=9)) == []


def test_a_missing_owner_can_be_imported_without_an_owner(tmp_path: Path) -> None:
    data, owned = _source(tmp_path)
    target, ids = _repo(tmp_path, "target.db", ("ana",))
    assert target.import_(data, missing_owners="unowned") == (3, 0)
    for session_id, owner in owned.items():
        assert target.get(session_id).owner_id == (ids["ana"] if owner == "ana" else None)


def test_an_export_without_owners_still_imports_as_local_sessions(tmp_path: Path) -> None:
    data, owned = _source(tmp_path)
    for session in data["sessions"]:  # type: ignore[attr-defined]
        del session["owner"]
    for review in data["reviews"]:  # type: ignore[attr-defined]
        del review["owner"]
    target, _ = _repo(tmp_path, "target.db", ())
    assert target.import_(data) == (3, 0)
    assert all(target.get(s).owner_id is None for s in owned)


def test_the_cli_round_trips_owners_and_explains_a_missing_one(
    pmloop_cli: Callable, tmp_path: Path
) -> None:
    data, owned = _source(tmp_path)
    dump = tmp_path / "export.json"
    dump.write_text(json.dumps(data), encoding="utf-8")
    home = {"PMLOOP_HOME": str(tmp_path / "home")}
    added = pmloop_cli(
        "users", "add", "ana", "--password-stdin", stdin=b"long enough pw\n", env=home
    )
    assert added.code == 0, added.stderr
    refused = pmloop_cli("import", str(dump), env=home)
    assert refused.code == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert "'ben'" in refused.stderr and "--missing-owners unowned" in refused.stderr
    run = pmloop_cli("import", str(dump), "--missing-owners", "unowned", env=home)
    assert run.code == 0, run.stderr
    assert "Imported 3 session(s)" in run.stdout and "ben" in run.stdout
    exported = json.loads(pmloop_cli("export", env=home).stdout)
    assert {s["id"]: s["owner"] for s in exported["sessions"]} == {
        sid: ("ana" if owner == "ana" else None) for sid, owner in owned.items()
    }
