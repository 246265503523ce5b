"""The follow-up policy over whole threads, played from the scripted-answers format.

A senior candidate is pushed past senior until the answers stop holding; a surface candidate is
led to recover; no follow-up is asked twice; the follow-up a grade shows is the one asked next;
nothing the thread showed is asked for again.
"""

from collections.abc import Callable
from pathlib import Path

from pmloop.bank import Bank
from pmloop.grading import Examiner, Grade, ThreadAnswer, combine_thread
from pmloop.interview import FollowUp, FollowUpPolicy, find_edge
from pmloop.store import SessionRecord, TurnRecord, open_repository

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "examples" / "pushed_and_recovered.yaml"


def grades_by_question(session: SessionRecord) -> list[list[tuple[TurnRecord, Grade]]]:
    """Each question's answered turns with their stored grades, in order."""
    out: list[list[tuple[TurnRecord, Grade]]] = [[] for _ in session.plan]
    for turn in session.turns:
        if turn.grade is not None:
            out[turn.question_index].append((turn, Grade.model_validate(turn.grade)))
    return out


def test_the_senior_candidate_is_pushed_and_the_surface_one_led_to_recover(
    pmloop_cli: Callable[..., object], pmloop_home: Path, bank: Bank
) -> None:
    run = pmloop_cli("practice", "--answers", str(SCRIPT))
    assert run.code == 0, run.stderr  # type: ignore[attr-defined]
    repo = open_repository()
    (session,) = repo.list_sessions()
    threads = grades_by_question(session)
    senior, surface = threads[0], threads[1]

    # the senior candidate: probing goes on after senior, pressure first, to the cap
    assert senior[0][1].level == 4
    assert [t.probe_kind for t, _ in senior[1:]] == ["pressure", "signal", "signal"]
    edge = find_edge([t.prompt for t, _ in senior], [g.level for _, g in senior])
    assert "stopped holding senior at follow-up 1" in edge.describe()

    # the surface candidate: led to recover, and credited one level above the first answer
    assert surface[0][1].level == 2
    assert max(g.level for _, g in surface[1:]) >= 3
    thread = combine_thread(
        [ThreadAnswer(t.depth, t.answer, g, t.probe_kind, t.probe_target) for t, g in surface]
    )
    assert thread.level == 3 and thread.thread is not None
    assert (
        "recovered at follow-up 1"
        in find_edge([t.prompt for t, _ in surface], [g.level for _, g in surface]).describe()
    )

    for question in threads:
        prompts = [t.prompt for t, _ in question[1:]]
        assert len(prompts) == len(set(prompts)), prompts  # no follow-up asked twice
        # the follow-up a grade shows is the one the loop asked next
        for (_, grade), (nxt, _) in zip(question, question[1:], strict=False):
            assert grade.follow_up == nxt.prompt
            assert (grade.follow_up_target.kind, grade.follow_up_target.target) == (
                nxt.probe_kind, nxt.probe_target,
            )  # fmt: skip
        assert question[-1][1].follow_up_target.kind == "none"
        # nothing an earlier answer showed is asked for later, in missing or in a follow-up
        shown: set[str] = set()
        for turn, grade in question:
            assert turn.probe_target not in shown or turn.probe_kind != "signal"
            assert not shown & {m.id for m in grade.missing}, turn.depth
            shown |= {s.id for s in grade.signals if s.met}
    repo.engine.dispose()


def test_the_term_asked_about_is_the_candidates_own(examiner: Examiner, bank: Bank) -> None:
    """'LLM' is in the question and is a generic word: never the term; 'guardrails' is theirs."""
    question = bank.get("llm-judge-replacing-human-raters")
    answer = (
        "We use the LLM judge and RAG. We need guardrails, calibration and red-teaming, and the "
        "LLM should handle it."
    )
    grade = examiner.grade(answer, question_id=question.id)
    assert grade.follow_up_target.kind == "term"
    assert grade.follow_up_target.target not in {"LLM", "LLMs", "AI", "model"}
    assert grade.follow_up_target.target in grade.unexplained_terms
    assert all(t.lower() not in question.text.lower() for t in grade.unexplained_terms)
    asked: list[FollowUp] = []
    policy = FollowUpPolicy()
    for _ in range(3):
        follow = policy.next(question, [grade] * (len(asked) + 1), asked)
        assert follow is not None
        asked.append(follow)
    terms = [f.target for f in asked if f.kind == "term"]
    assert len(terms) == 1 and terms[0] == grade.follow_up_target.target
    assert len({f.text for f in asked}) == 3


def test_the_cap_is_configurable(examiner: Examiner, bank: Bank) -> None:
    question = bank.get("eval-new-llm-feature-before-launch")
    grade: Grade = examiner.grade(question.references.senior, question_id=question.id)
    assert FollowUpPolicy(cap=0).next(question, [grade], []) is None
    one = FollowUpPolicy(cap=1).next(question, [grade], [])
    assert one is not None and one.kind == "pressure"
    assert FollowUpPolicy(cap=1).next(question, [grade, grade], [one]) is None
