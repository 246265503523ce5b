"""The interactive-format fixtures: four small scenarios, completed from bank questions."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from pmloop.bank import Bank, Question, load_bank
from pmloop.grading import Examiner

FIXTURES = Path(__file__).parent.parent / "fixtures" / "formats.yaml"


def format_questions(bank: Bank) -> list[dict[str, Any]]:
    """The fixture scenarios as bank-question dicts: each takes the rubric, probes and
    references of the bank question it names in ``borrow`` and adds its own format parts."""
    raw = yaml.safe_load(FIXTURES.read_text(encoding="utf-8"))
    out: list[dict[str, Any]] = []
    for fmt in ("ambiguity", "roleplay"):
        for entry in raw[fmt]:
            entry = dict(entry)
            base = bank.get(entry.pop("borrow")).model_dump(mode="json", exclude_none=True)
            base.update(entry)
            base["format"] = fmt
            out.append(base)
    return out


def write_format_bank(bank: Bank, path: Path) -> Path:
    """A bank file holding only the four fixture questions."""
    questions = format_questions(bank)
    path.write_text(yaml.safe_dump({"questions": questions}, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def format_bank_file(bank: Bank, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four fixture questions as a bank file (for ``--bank``)."""
    return write_format_bank(bank, tmp_path_factory.mktemp("formats") / "bank.yaml")


@pytest.fixture(scope="session")
def format_bank(format_bank_file: Path) -> Bank:
    """A bank of the four fixture questions, loaded through the ordinary loader."""
    return load_bank(format_bank_file)


@pytest.fixture(scope="session")
def ambiguity(format_bank: Bank) -> Question:
    return format_bank.get("fixture-ambiguity-summaries-thumbs-down")


@pytest.fixture(scope="session")
def roleplay(format_bank: Bank) -> Question:
    return format_bank.get("fixture-roleplay-legal-voice-clone")


@pytest.fixture(scope="session")
def format_examiner(
    format_bank: Bank, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Examiner]:
    """An examiner over the fixture bank."""
    examiner = Examiner(format_bank)
    examiner.resolver._cache = tmp_path_factory.mktemp("format-cache")
    yield examiner


@pytest.fixture(scope="session")
def drafted(bank: Bank) -> dict[str, Question]:
    """Every question of the bank by id (the twelve ambiguity and twelve roleplay scenarios the
    stance cases were written on among them)."""
    return {q.id: q for q in bank.questions}
