"""A question's grade is its thread's; the JSON keeps its contract and marks each quote's answer."""

from pathlib import Path

from pmloop.bank import Bank
from pmloop.grading import Examiner, ThreadAnswer, combine_thread, thread_level

ROOT = Path(__file__).resolve().parents[2]
FRAUD = "card-fraud-model-adaptive-attackers"
POINT = (
    "A transaction we declined never produces a chargeback, so we never learn whether it was a "
    "real customer; the model can't see its own false declines."
)


def test_a_signal_shown_in_a_follow_up_counts_for_the_question(
    examiner: Examiner, bank: Bank
) -> None:
    question = bank.get(FRAUD)
    first = examiner.grade(question.references.surface, question_id=FRAUD)
    probe = next(p.text for p in question.probes if p.signal == "declines_have_no_labels")
    second = examiner.grade(POINT, question_id=FRAUD, follow_up=probe)
    thread = combine_thread(
        [
            ThreadAnswer(0, question.references.surface, first),
            ThreadAnswer(1, POINT, second, "signal", "declines_have_no_labels"),
        ]
    )
    shown = next(s for s in thread.signals if s.id == "declines_have_no_labels")
    assert shown.met and shown.turn == 1 and all(q in POINT for q in shown.quotes)
    assert "declines_have_no_labels" not in {m.id for m in thread.missing}
    assert "would see that declined transactions" not in thread.senior_delta
    assert thread.level == thread_level([first.level, second.level])
    data = thread.to_json_dict()
    assert data["thread"]["levels"] == [first.level, second.level]
    evidence = [e for c in data["competencies"] for e in c["evidence"]]
    assert any(e.get("turn") == 1 for e in evidence)
    # a single answer's grade has no thread keys at all
    single = first.to_json_dict()
    assert "thread" not in single and all("turn" not in s for s in single["signals"])


def test_the_thread_level_rule() -> None:
    assert thread_level([2, 3, 3]) == 3
    assert thread_level([1, 4]) == 2  # a follow-up lifts a question one level at most
    assert thread_level([4, 3, 1]) == 4  # where it stopped holding is the edge map's business


def test_the_schema_doc_names_every_key(examiner: Examiner) -> None:
    doc = (ROOT / "docs" / "grade-schema.md").read_text(encoding="utf-8")
    data = examiner.grade(POINT, question_id=FRAUD).to_json_dict()
    for key in data:
        assert f'"{key}"' in doc, key
    for key in ("turn", "thread", "follow_up_target", "unexplained_terms"):
        assert f'"{key}"' in doc, key


def test_a_thread_that_reached_strong_is_not_told_to_answer_the_question(
    examiner: Examiner, bank: Bank
) -> None:
    question = bank.get("eval-new-llm-feature-before-launch")
    first = examiner.grade(question.references.senior, question_id=question.id)
    last = examiner.grade(
        "I guess we would just monitor it.", question_id=question.id, follow_up="Q?"
    )
    assert any(f.id.value == "no_substance" for f in last.flags)
    thread = combine_thread([ThreadAnswer(0, "a", first), ThreadAnswer(1, "b", last)])
    assert thread.level == 4
    assert "say something an interviewer can test" not in thread.senior_delta
