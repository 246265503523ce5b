"""The labeled answer set: answers with the level and flags a reviewer gave them.

Files under ``data/labeled/`` hold ``items:`` lists. Each item names a bank question by id or
carries the text of a question that is not in the bank, as a candidate would paste it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from pmloop.bank import Bank, bank_files, yaml_syntax_problem
from pmloop.errors import BankProblem, LabeledSetError
from pmloop.vocabulary import Flag

__all__ = ["ATTACKS", "CATEGORIES", "GUARDS", "STYLES", "LabeledItem", "LabeledSet", "load_labeled"]

#: Robustness categories of the adversarial set. Attacks are built to sound better than they
#: are; guards are sound answers that look unlike a polished senior answer, so that a gate that
#: knocks them down shows up.
ATTACKS: tuple[str, ...] = (
    Flag.OFF_TOPIC.value,
    "wrong_call",
    "vocabulary_salad",
    "hedge_no_call",
    Flag.GRADER_DIRECTED.value,
    "number_soup",
    "padding",
    "framework",
)
GUARDS: tuple[str, ...] = (
    "short_senior",
    "plain_senior",
    "bullet_senior",
    "strong_not_senior",
    "contrarian_sound",
)
CATEGORIES = ATTACKS + GUARDS

#: How an answer is written; the harness reports agreement per style.
STYLES = (
    "plain",
    "terse",
    "rambling",
    "bullets",
    "non-native",
    "long-surface",
    "short-strong",
    "short-senior",
    "plain-words-senior",
    "keyword-stuffed",
    "framework",
    "theater",
    "collapse-fast",
    "collapse-slow",
    "false-certainty",
    "wrong-call-senior-vocab",
    "off-topic",
    "reference",
)
Style = Literal[
    "plain", "terse", "rambling", "bullets", "non-native", "long-surface", "short-strong",
    "short-senior", "plain-words-senior", "keyword-stuffed", "framework", "theater",
    "collapse-fast", "collapse-slow", "false-certainty", "wrong-call-senior-vocab", "off-topic",
    "reference",
]  # fmt: skip

ItemId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$", max_length=80)]


class LabeledItem(BaseModel):
    """One labeled answer."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: ItemId = Field(description="Unique id across the labeled set.")
    question_id: str | None = Field(default=None, description="A bank question id.")
    question: str | None = Field(default=None, description="Question text, for non-bank items.")
    answer: str = Field(min_length=1, description="The answer as the candidate gave it.")
    level: int = Field(ge=1, le=4, description="The level a reviewer gave the answer.")
    flags: list[Flag] = Field(default_factory=list, description="Flags the answer should raise.")
    style: Style = Field(description="How the answer is written (see STYLES).")
    category: str | None = Field(
        default=None, description="Robustness category, for adversarial items (see CATEGORIES)."
    )
    reason: str = Field(min_length=10, description="One line on why it has this label.")

    @model_validator(mode="after")
    def _known_category(self) -> LabeledItem:
        if self.category is not None and self.category not in CATEGORIES:
            raise ValueError(f"unknown category {self.category!r}; one of {', '.join(CATEGORIES)}")
        return self

    @model_validator(mode="after")
    def _one_question(self) -> LabeledItem:
        if (self.question_id is None) == (self.question is None):
            raise ValueError("give exactly one of 'question_id' or 'question'")
        return self

    @property
    def question_key(self) -> str:
        """The question this item answers: its bank id, or its text."""
        return self.question_id or (self.question or "")

    @property
    def in_bank(self) -> bool:
        """Whether the item names a bank question."""
        return self.question_id is not None


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[LabeledItem]


@dataclass(frozen=True)
class LabeledSet:
    """Every labeled item, in file order."""

    items: tuple[LabeledItem, ...]
    source: Path

    def __len__(self) -> int:
        return len(self.items)


def load_labeled(path: Path | str, bank: Bank | None = None) -> LabeledSet:
    """Load every labeled file under ``path``; problems are collected, then raised together."""
    root = Path(path)
    problems: list[BankProblem] = []
    items: list[LabeledItem] = []
    seen: set[str] = set()
    files = bank_files(root) if root.exists() else []
    if not files:
        raise LabeledSetError(
            [BankProblem(str(root), None, None, "", "no labeled .yaml files found")]
        )
    for file in files:
        try:
            data = yaml.safe_load(file.read_text(encoding="utf-8"))
            parsed: _File | None = _File.model_validate(data)
        except yaml.YAMLError as exc:
            problems.append(yaml_syntax_problem(str(file), exc))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(BankProblem(str(file), None, None, "", f"unreadable: {exc}"))
            continue
        except ValidationError:
            parsed = None
        if parsed is None:
            # the file's items are checked one by one, so every bad item is reported at once
            raw = data.get("items") if isinstance(data, dict) else None
            if not isinstance(raw, list):
                problems.append(
                    BankProblem(
                        str(file), None, None, "items", "expected one top-level 'items:' list"
                    )
                )
                continue
            for key in sorted(set(data) - {"items"}, key=str):
                problems.append(BankProblem(str(file), None, None, str(key), "unexpected key"))
            good: list[LabeledItem] = []
            for index, entry in enumerate(raw):
                try:
                    good.append(LabeledItem.model_validate(entry))
                except ValidationError as exc:
                    for error in exc.errors():
                        loc = ".".join(["items", str(index), *(str(p) for p in error["loc"])])
                        problems.append(BankProblem(str(file), None, None, loc, error["msg"]))
            parsed = _File(items=good)
        for item in parsed.items:
            if item.id in seen:
                problems.append(BankProblem(str(file), None, item.id, "id", "duplicate id"))
            seen.add(item.id)
            if bank is not None and item.question_id is not None and item.question_id not in bank:
                problems.append(
                    BankProblem(str(file), None, item.id, "question_id", "not a bank question id")
                )
            items.append(item)
    if problems:
        raise LabeledSetError(problems)
    return LabeledSet(tuple(items), root)
