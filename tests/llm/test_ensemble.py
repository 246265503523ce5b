"""The ensemble rule, end to end over the loopback server: gates hold, verified quotes win."""

from __future__ import annotations

import json

from fakellm import QUESTION_ID, FakeLLM, Make, grade_reply, openai_reply

from pmloop.grading import Examiner, Grade
from pmloop.grading.llm import ENSEMBLE_RULE, EnsembleGrader, LLMGrader

OFF_TOPIC = (
    "To price our coding assistant I would charge per seat with a usage cap of 2 million tokens "
    "a month, because inference cost grows with heavy users and finance wants a predictable "
    "margin of 60 percent."
)
SURFACE_QUOTE = "we aligned on shared success criteria"


def _run(
    fake: FakeLLM,
    make: Make,
    examiner: Examiner,
    kind: type[LLMGrader],
    answer: str,
    reply: dict[str, object],
) -> Grade:
    fake.push(openai_reply(json.dumps(reply)))
    grader = make(kind, fake.settings())
    return grader(examiner.context(question_id=QUESTION_ID), answer)


def test_an_offline_gate_holds_whatever_the_llm_says(
    fake_llm: FakeLLM, make: Make, examiner: Examiner
) -> None:
    reply = grade_reply(4, [("specific_disagreement", "I would charge per seat")])
    grade = _run(fake_llm, make, examiner, EnsembleGrader, OFF_TOPIC, reply)
    assert grade.level == 1 and grade.grader.name == "ensemble"
    assert grade.judge is not None and grade.judge.llm_level == 4
    assert grade.judge.rule == "Held at below bar by the offline gate: off_topic."
    assert [f.id for f in grade.flags] == ["off_topic"]
    assert all(c.level == 1 for c in grade.competencies)
    # the plain LLM grader has no gates: the same reply stands there
    alone = _run(fake_llm, make, examiner, LLMGrader, OFF_TOPIC + " ", reply)
    assert alone.level == 4


def test_unverified_quotes_leave_the_offline_level(
    fake_llm: FakeLLM, make: Make, examiner: Examiner
) -> None:
    answer = examiner.bank.get(QUESTION_ID).references.surface
    reply = grade_reply(
        4,
        [
            ("what_the_eval_missed", "the eval set under-sampled spreadsheets by a factor of ten"),
            ("process_changed_after", "we now gate every model swap on a blind side-by-side"),
        ],
    )
    grade = _run(fake_llm, make, examiner, EnsembleGrader, answer, reply)
    assert grade.judge is not None and grade.judge.quotes_dropped == 2
    assert grade.level == grade.judge.offline_level == 2
    assert grade.judge.rule == "The offline level: the LLM's quotes did not verify."


def test_verified_quotes_let_the_llm_level_stand_and_a_wide_gap_shows_both(
    fake_llm: FakeLLM, make: Make, examiner: Examiner
) -> None:
    answer = examiner.bank.get(QUESTION_ID).references.surface
    reply = grade_reply(4, [("resolved_with_shared_test", SURFACE_QUOTE)])
    grade = _run(fake_llm, make, examiner, EnsembleGrader, answer, reply)
    assert grade.level == 4
    assert grade.judge is not None and grade.judge.offline_level == 2
    assert grade.judge.disagreement
    (notice,) = grade.notices
    assert "said senior, the offline grader said surface" in notice
    data = grade.to_json_dict()
    assert data["judge"]["llm_level"] == 4 and data["judge"]["offline_level"] == 2  # type: ignore[index]
    assert data["grader"]["name"] == "ensemble"  # type: ignore[index]


def test_the_rule_is_documented_where_users_read_it() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for doc in (root / "README.md", root / "docs" / "llm.md"):
        text = " ".join(doc.read_text(encoding="utf-8").split())
        assert ENSEMBLE_RULE in text, doc
