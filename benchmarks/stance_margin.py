"""The stakeholder's stance rule at several margins: python benchmarks/stance_margin.py

For the labeled stance cases (``STANCE_DEV`` and ``STANCE_HOLDOUT`` in
tests/formats/labeled.py) prints, per margin, how many sentences that should meet their concern
do and how many that should not do anyway, on each half; "topic only" is the engine without
red lines. Then, for every roleplay of the bank, how many held
concerns the below-bar reference meets as a first message, by topic only and with the rule.
The margin in src/pmloop/interview/_formats.py was chosen on the dev rows only.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from pmloop.bank import Question, load_bank
from pmloop.interview import StakeholderEngine

ROOT = Path(__file__).resolve().parent.parent
MARGINS = (-0.10, -0.05, 0.0, 0.02, 0.05, 0.10)


def _labeled() -> object:
    spec = importlib.util.spec_from_file_location(
        "labeled", ROOT / "tests" / "formats" / "labeled.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _questions() -> dict[str, Question]:
    return {q.id: q for q in load_bank().questions}


def _engine(question: Question, margin: float | None) -> StakeholderEngine:
    assert question.stakeholder is not None
    if margin is None:
        return StakeholderEngine(question.stakeholder)
    red = [p for line in question.red_lines for p in line.paraphrases]
    return StakeholderEngine(question.stakeholder, red_lines=red, margin=margin)


def _count(
    questions: dict[str, Question], cases: list[tuple[str, str, str, bool]], margin: float | None
) -> str:
    met = should = false = should_not = 0
    engines: dict[str, StakeholderEngine] = {}
    for question_id, sentence, concern, meets in cases:
        if question_id not in engines:
            engines[question_id] = _engine(questions[question_id], margin)
        got = concern in engines[question_id].addressed(sentence)
        if meets:
            should, met = should + 1, met + got
        else:
            should_not, false = should_not + 1, false + got
    return f"meets {met}/{should}, wrong-stance meets {false}/{should_not}"


def main() -> None:
    labeled = _labeled()
    questions = _questions()
    dev = labeled.STANCE_DEV  # type: ignore[attr-defined]
    holdout = labeled.STANCE_HOLDOUT  # type: ignore[attr-defined]
    for margin in (None, *MARGINS):
        name = "topic only" if margin is None else f"margin {margin:+.2f}"
        print(
            f"{name:12}  dev: {_count(questions, dev, margin)}"
            f"  held out: {_count(questions, holdout, margin)}"
        )
    roleplays = [q for q in questions.values() if q.stakeholder is not None]
    for margin in (None, 0.0):
        hits = 0
        for question in roleplays:
            assert question.stakeholder is not None
            held = {c.id for c in question.stakeholder.concerns if not c.negotiable}
            met = _engine(question, margin).addressed(question.references.below_bar)
            hits += bool(met & held)
        name = "topic only" if margin is None else f"margin {margin:+.2f}"
        print(
            f"{name:12}  below-bar first messages meeting a held concern: {hits}/{len(roleplays)}"
        )


if __name__ == "__main__":
    main()
