"""Drafted questions waiting for their second-writer review stay valid and distinct."""

from pathlib import Path

from pmloop.bank import Bank, load_bank, validate_bank
from pmloop.vocabulary import QuestionFormat

DRAFTS = Path(__file__).resolve().parents[2] / "data" / "bank_drafts"


def test_the_drafts_validate_and_name_no_packaged_question(bank: Bank) -> None:
    assert validate_bank(DRAFTS) == []
    drafts = list(load_bank(DRAFTS))
    formats = [q.format for q in drafts]
    assert formats.count(QuestionFormat.AMBIGUITY) == 12
    assert formats.count(QuestionFormat.ROLEPLAY) == 12
    assert not {q.id for q in drafts} & {q.id for q in bank}
