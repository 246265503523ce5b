"""The engines of the interactive formats: hidden facts, and the stakeholder."""

import importlib.util
from pathlib import Path

from pmloop.bank import Bank, Question
from pmloop.interview import (
    CONCERN_MATCH,
    FACT_MATCH,
    STANCE_MARGIN,
    UNKNOWN_FACT,
    FactFinder,
    StakeholderEngine,
    discovery_note,
)

_spec = importlib.util.spec_from_file_location("labeled", Path(__file__).with_name("labeled.py"))
assert _spec is not None and _spec.loader is not None
labeled = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(labeled)


def test_labeled_asks_reveal_their_fact_and_nothing_else(format_bank: Bank) -> None:
    found, wanted, wrong = 0, 0, []
    for question_id, ask, label in labeled.ASKS:
        fact, reply = FactFinder(format_bank.get(question_id).facts).reply(ask)
        got = fact.id if fact is not None else None
        if label is None:
            if got is not None:
                wrong.append((ask, got))
            assert got is not None or reply == UNKNOWN_FACT
            continue
        wanted += 1
        if got == label:
            found += 1
            assert reply == fact.fact  # type: ignore[union-attr]
        elif got is not None:
            wrong.append((ask, got))
    assert wrong == []  # never reveals a fact that was not asked for
    assert found >= wanted - 1, (found, wanted)  # one known miss at this threshold (0.45)
    assert 0.45 < FACT_MATCH < 0.54


def test_labeled_turns_meet_their_concern_and_nothing_else(format_bank: Bank) -> None:
    for question_id, turn, label in labeled.TURNS:
        met = StakeholderEngine.for_question(format_bank.get(question_id)).addressed(turn)
        assert met == ({label} if label else set()), (turn, met)
    assert 0.40 < CONCERN_MATCH < 0.73


def _stance(
    drafted: dict[str, Question], cases: list[tuple[str, str, str, bool]]
) -> tuple[int, int, int, int]:
    """(meets, should meet, false meets, should not meet) on labeled stance cases."""
    met = should = false = should_not = 0
    engines: dict[str, StakeholderEngine] = {}
    for question_id, sentence, concern, meets in cases:
        if question_id not in engines:
            engines[question_id] = StakeholderEngine.for_question(drafted[question_id])
        got = concern in engines[question_id].addressed(sentence)
        if meets:
            should += 1
            met += got
        else:
            should_not += 1
            false += got
    return met, should, false, should_not


def test_a_sentence_for_a_red_line_does_not_meet_a_held_concern(
    drafted: dict[str, Question],
) -> None:
    # the figures in _formats.py (STANCE_MARGIN; the margin was chosen on the dev half only)
    # were 13/15 and 1/13 on dev, 12/13 and 0/13 held out; bounds, not equalities, so that a
    # reviewer's edit to a drafted question moves them only if it makes them worse
    met, should, false, should_not = _stance(drafted, labeled.STANCE_DEV)
    assert (should, should_not) == (15, 13) and met >= 13 and false <= 1
    met, should, false, should_not = _stance(drafted, labeled.STANCE_HOLDOUT)
    assert (should, should_not) == (13, 13) and met >= 12 and false == 0
    assert 0.0 <= STANCE_MARGIN < 0.05


def test_drafted_below_bar_openings_meet_no_held_concern_and_good_ones_lose_nothing(
    drafted: dict[str, Question],
) -> None:
    roleplays = [q for q in drafted.values() if q.stakeholder is not None]
    assert len(roleplays) >= 12
    for question in roleplays:
        person = question.stakeholder
        assert person is not None
        held = {c.id for c in person.concerns if not c.negotiable}
        guarded = StakeholderEngine.for_question(question)
        topical = StakeholderEngine(person)  # topic only, as before the stance rule
        below = guarded.addressed(question.references.below_bar)
        assert not below & held, (question.id, below & held)
        for level in ("strong", "senior"):
            text = getattr(question.references, level)
            assert guarded.addressed(text) == topical.addressed(text), (question.id, level)


def test_stance_is_judged_per_sentence(drafted: dict[str, Question]) -> None:
    # a senior turn that restates the stakeholder's position (close to a red line) and then
    # holds the concern meets it: a turn-level guard blocked turns like this one
    question = drafted["call-center-ai-quality-scores-performance-reviews"]
    engine = StakeholderEngine.for_question(question)
    theirs = (
        "I know you want the exit list to come straight from the scores, since that is the"
        " point of automating it."
    )
    ours = "Until the gap closes, scores feed coaching, not pay or exits."
    assert "scores_decide_pay_and_exits" not in engine.addressed(theirs)
    assert "scores_decide_pay_and_exits" in engine.addressed(f"{theirs} {ours}")


def test_an_unmatched_ask_gets_we_dont_know(ambiguity: Question) -> None:
    fact, reply = FactFinder(ambiguity.facts).reply("What colour is the logo?")
    assert fact is None and reply == "We don't know that."


def test_discovery_note_names_what_was_never_asked(ambiguity: Question) -> None:
    note = discovery_note(ambiguity.facts, ["new_button"])
    assert "without asking for: long_meetings_only, context_cut" in note
    assert "new_button" not in note  # a red herring is never required
    full = discovery_note(ambiguity.facts, ["context_cut", "long_meetings_only"])
    assert full.startswith("Asked for every fact that changes the call")


def test_stakeholder_objects_in_order_then_is_satisfied(roleplay: Question) -> None:
    person = roleplay.stakeholder
    assert person is not None
    engine = StakeholderEngine(person)
    assert engine.reply([]).says == person.opening
    consent, scope, owner = person.concerns
    turns = [
        "This is a great feature and users will love it.",
        "Honestly the quality is excellent.",
        "Nobody gets cloned unless they record a consent statement in their own voice first.",
        "We'll launch as a limited beta with a small group of podcasters.",
        "I'll own takedown requests myself and we answer every one within a day.",
    ]
    replies = engine.replies(turns)
    # the first unmet concern's objections, in order, each used once
    assert [r.says for r in replies[:2]] == consent.objections[:2]
    assert replies[2].says == scope.objections[0] and replies[2].met == ("consent_check",)
    assert replies[3].says == owner.objections[0]
    assert replies[4].outcome == "satisfied" and replies[4].says == person.satisfied
    assert set(replies[4].met) == {"consent_check", "launch_scope", "takedown_owner"}


def test_stakeholder_ends_unresolved_after_max_turns(roleplay: Question) -> None:
    person = roleplay.stakeholder
    assert person is not None
    turns = ["Let me think about it."] * (person.max_turns + 2)
    replies = StakeholderEngine(person).replies(turns)
    assert len(replies) == person.max_turns
    assert replies[-1].outcome == "unresolved" and replies[-1].says == person.unresolved
    assert all(not r.ended for r in replies[:-1])
    # once its objections run out, the first unmet concern repeats its last
    assert replies[2].says == person.concerns[0].objections[-1]
