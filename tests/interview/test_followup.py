"""The follow-up policy and the edge of a question."""

from pmloop.bank import Bank
from pmloop.grading import Examiner, Grade
from pmloop.interview import FollowUp, FollowUpPolicy, find_edge

QID = "eval-new-llm-feature-before-launch"
WEAK = (
    "LLMs are really good now, so I'm not too worried. I'd ship it to all 4,000 agents and track "
    "user satisfaction, and we can roll back if people complain. We need guardrails, RAG and "
    "red-teaming."
)


def _grade(examiner: Examiner, text: str) -> Grade:
    return examiner.grade(text, question_id=QID)


def test_the_policy_reads_gap_then_term_then_recovery(examiner: Examiner, bank: Bank) -> None:
    """A below-bar thread is led to recover: gap, term, then another gap, never pressure."""
    question = bank.get(QID)
    policy = FollowUpPolicy()
    first = _grade(examiner, WEAK)
    assert first.level == 1
    asked: list[FollowUp] = []
    one = policy.next(question, [first], asked)
    assert one is not None and one.kind == "signal"
    assert one.text in {p.text for p in question.probes if p.signal == one.target}
    asked.append(one)
    two = policy.next(question, [first, first], asked)
    assert two is not None and two.kind == "term" and '"guardrails"' in two.text
    asked.append(two)
    three = policy.next(question, [first, first, first], asked)
    assert three is not None and three.kind == "signal" and three.target != one.target
    asked.append(three)
    assert policy.next(question, [first] * 4, asked) is None


def test_an_answer_with_nothing_in_it_is_probed_on_that_first(
    examiner: Examiner, bank: Bank
) -> None:
    question = bank.get(QID)
    first = _grade(examiner, WEAK)
    asked = [FollowUpPolicy().next(question, [first], [])]
    empty = _grade(examiner, "I am not sure.")
    two = FollowUpPolicy().next(question, [first, empty], asked)  # type: ignore[arg-type]
    assert two is not None and (two.kind, two.target) == ("flag", "no_substance")


def test_probing_goes_on_after_senior_with_pressure(examiner: Examiner, bank: Bank) -> None:
    question = bank.get(QID)
    senior = _grade(examiner, question.references.senior)
    assert senior.level == 4
    one = FollowUpPolicy().next(question, [senior], [])
    assert one is not None and (one.kind, one.text) == ("pressure", question.pressure_probes[0])


def test_the_edge_is_where_answers_stop_holding() -> None:
    prompts = ["Q", "F1", "F2", "F3"]
    assert find_edge(prompts, [3, 3, 2, 1]).depth == 2
    assert "ran out at follow-up 2: F2" in find_edge(prompts, [3, 3, 2, 1]).describe()
    assert find_edge(prompts, [3, 3, 3, 3]).depth is None
    assert find_edge(prompts[:2], [2, 4]).reached_senior
    senior = find_edge(prompts, [4, 4, 3, 3])
    assert senior.depth == 2
    assert "stopped holding senior at follow-up 2 (strong): F2" in senior.describe()
    assert "held through 2 more" in find_edge(prompts[:3], [4, 4, 4]).describe()
    assert find_edge(prompts[:2], [2, 2]).describe().endswith("ran out on the question itself")
    assert find_edge(prompts, [3, None, None, None]).levels == (3,)
