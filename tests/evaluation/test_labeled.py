"""The labeled set: its size and balance, and the loader's checks."""

from collections import Counter
from pathlib import Path

import pytest
import yaml

from pmloop.bank import Bank
from pmloop.errors import BankError
from pmloop.evaluation import load_labeled

ROOT = Path(__file__).resolve().parents[2]
LABELED = ROOT / "data" / "labeled"


def test_the_labeled_set_is_big_and_hard_enough(bank: Bank) -> None:
    labeled = load_labeled(LABELED, bank)
    items = labeled.items
    questions = {i.question_key for i in items} | {q.id for q in bank}
    non_bank = {i.question for i in items if i.question is not None}
    assert len(items) + 4 * len(bank) >= 400
    assert len(questions) >= 60
    assert len(non_bank) >= 15
    styles = Counter(i.style for i in items)
    for style in (
        "long-surface", "short-strong", "keyword-stuffed", "framework", "theater",
        "collapse-fast", "collapse-slow", "false-certainty", "wrong-call-senior-vocab",
        "off-topic",
    ):  # fmt: skip
        assert styles[style] >= 3, style
    assert styles["short-senior"] + styles["plain-words-senior"] >= 20
    for item in items:
        words = len(item.answer.split())
        if item.style in ("short-strong", "short-senior"):
            assert words < 90, item.id
        if item.style == "long-surface":
            assert words >= 200, item.id
    assert set(Counter(i.level for i in items)) == {1, 2, 3, 4}


def test_loader_reports_bad_items(tmp_path: Path, bank: Bank) -> None:
    (tmp_path / "a.yaml").write_text(
        "items:\n"
        "  - {id: a-1, question_id: no-such-q, answer: x, level: 2, style: plain, reason: why}\n"
        "  - {id: a-1, question: 'Why?', answer: y, level: 7, style: plain, reason: out of range}\n"
        "  - {id: a-3, answer: z, level: 2, style: plain, reason: no question given}\n",
        encoding="utf-8",
    )
    with pytest.raises(BankError) as caught:
        load_labeled(tmp_path, bank)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "level" in text and "question" in text


def test_the_second_raters_levels_name_real_items(bank: Bank) -> None:
    for ratings_name, labeled in (("labeled", "labeled"), ("holdout", "holdout")):
        items = {i.id: i for i in load_labeled(ROOT / "data" / labeled, bank).items}
        path = ROOT / "data" / "second_rater" / f"{ratings_name}.yaml"
        ratings = yaml.safe_load(path.read_text(encoding="utf-8"))["ratings"]
        ids = [r["id"] for r in ratings]
        assert len(ids) == len(set(ids)) and set(ids) <= set(items)
        assert all(r["level"] in (1, 2, 3, 4) for r in ratings)
    assert len(ids) == len(items)  # every held-out answer has a second rating


def test_the_held_out_set_shares_nothing_with_the_labeled_set(bank: Bank) -> None:
    labeled = load_labeled(LABELED, bank).items
    held_out = load_labeled(ROOT / "data" / "holdout", bank).items
    assert not {i.id for i in labeled} & {i.id for i in held_out}
    assert not {i.answer for i in labeled} & {i.answer for i in held_out}
