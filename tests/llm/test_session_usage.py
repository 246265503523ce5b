"""Each LLM-backed grade stores its usage; a session's scorecard sums them."""

from __future__ import annotations

from io import StringIO

from fakellm import QUESTION_ID, FakeLLM, Make, echo_judge
from rich.console import Console

from pmloop.bank import Bank
from pmloop.grading import Examiner
from pmloop.grading.llm import EnsembleGrader
from pmloop.report import build_scorecard, render_scorecard, scorecard_markdown
from pmloop.store import open_repository


def test_a_sessions_llm_usage_is_summed_from_its_stored_grades(
    fake_llm: FakeLLM, make: Make, examiner: Examiner, bank: Bank, strong_answer: str
) -> None:
    fake_llm.default = echo_judge(level=3)
    settings = fake_llm.settings(llm_price_input=2.0, llm_price_output=8.0)
    grader = make(EnsembleGrader, settings)
    context = examiner.context(question_id=QUESTION_ID)
    answers = [strong_answer, strong_answer + " We wrote the rule down.", "We shipped it anyway."]
    grades = [grader(context, a) for a in answers]
    assert all(g.usage is not None and g.usage.calls == 1 for g in grades)

    # stored and read back through the real store, as a practice session keeps them
    store = open_repository()
    session = store.create_session("practice", "anthropic", {}, [QUESTION_ID], "ensemble")
    for depth, (answer, grade) in enumerate(zip(answers, grades, strict=True)):
        turn_id = store.submit(
            session.id,
            0,
            depth,
            QUESTION_ID,
            "Q",
            "question" if depth == 0 else "signal",
            None,
            answer,
        )
        store.attach_grade(turn_id, grade.to_json_dict())
    stored = store.get(session.id)
    card = build_scorecard(stored, bank)

    assert card.usage is not None
    assert card.usage.calls == 3
    assert card.usage.input_tokens == 3 * 1200 and card.usage.output_tokens == 3 * 150
    assert card.usage.cost_usd == round(3 * (1200 * 2.0 + 150 * 8.0) / 1e6, 6)
    line = card.usage_line()
    assert line is not None and "3 calls, 3,600 input and 450 output tokens" in line
    assert "$0.0108" in line
    assert line in scorecard_markdown(card)
    out = StringIO()
    render_scorecard(card, Console(file=out, width=200, color_system=None))
    assert line in out.getvalue()
    # an offline session has no such line
    plain = store.create_session("practice", "anthropic", {}, [QUESTION_ID], "offline")
    turn_id = store.submit(plain.id, 0, 0, QUESTION_ID, "Q", "question", None, strong_answer)
    store.attach_grade(turn_id, grader.offline(context, strong_answer).to_json_dict())
    offline_card = build_scorecard(store.get(plain.id), bank)
    assert offline_card.usage is None and offline_card.usage_line() is None
