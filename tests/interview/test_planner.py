"""Loop profiles and the planner."""

from dataclasses import replace

from pmloop.bank import Bank
from pmloop.interview import PROFILES, LoopPlanner, LoopProfile
from pmloop.vocabulary import Competency, Round


def test_labs_weigh_evaluation_and_values_heaviest() -> None:
    for name in ("anthropic", "openai"):
        top = PROFILES[name].ranked()[:2]
        assert set(top) == {Competency.EVALUATION_LOGIC, Competency.VALUES_ALIGNMENT}
    assert PROFILES["startup"].ranked()[0] is Competency.EXECUTION_TRADEOFFS
    for profile in PROFILES.values():
        assert abs(sum(profile.weights.values()) - 1) < 1e-9


def test_a_loop_covers_distinct_competencies_and_is_reproducible(bank: Bank) -> None:
    planner = LoopPlanner(bank)
    plan = planner.plan(PROFILES["anthropic"], 4, seed=11)
    assert len({q.primary for q in plan}) == 4
    assert [q.id for q in plan] == [q.id for q in planner.plan(PROFILES["anthropic"], 4, seed=11)]
    assert all("lab" in q.tags for q in plan if any("lab" in c.tags for c in bank))


def test_lab_loops_mostly_ask_evaluation_and_values(bank: Bank) -> None:
    planner = LoopPlanner(bank)
    counts = {c: 0 for c in Competency}
    for seed in range(60):
        for q in planner.plan(PROFILES["anthropic"], 2, seed=seed):
            counts[q.primary] += 1
    top_two = sorted(counts, key=counts.__getitem__, reverse=True)[:2]
    assert set(top_two) == {Competency.EVALUATION_LOGIC, Competency.VALUES_ALIGNMENT}


def test_recent_questions_are_avoided_and_competencies_respected(bank: Bank) -> None:
    planner = LoopPlanner(bank)
    first = planner.plan(PROFILES["general"], 3, [Competency.TECHNICAL_DEPTH], seed=1)
    assert all(q.primary is Competency.TECHNICAL_DEPTH for q in first)
    second = planner.plan(
        PROFILES["general"], 3, [Competency.TECHNICAL_DEPTH], avoid={q.id for q in first}, seed=1
    )
    assert not {q.id for q in first} & {q.id for q in second}


def _round_shares(bank: Bank, profile: LoopProfile, seeds: int = 150) -> dict[str, float]:
    planner = LoopPlanner(bank)
    counts = {r.value: 0 for r in Round}
    for seed in range(seeds):
        for q in planner.plan(profile, 4, seed=seed):
            counts[q.round.value] += 1
    total = sum(counts.values())
    return {r: n / total for r, n in counts.items()}


def test_every_profile_has_a_round_mix_and_loops_follow_it(bank: Bank) -> None:
    for profile in PROFILES.values():
        assert abs(sum(profile.rounds.values()) - 1) < 1e-9
        assert all(share > 0 for share in profile.rounds.values())
    lab = PROFILES["anthropic"]
    flat = replace(lab, rounds={r: 1 / len(Round) for r in Round})
    technical = replace(lab, rounds={r: 1.0 if r is Round.TECHNICAL else 0.0 for r in Round})
    mixed, even, tech = (_round_shares(bank, p) for p in (lab, flat, technical))
    # the same competencies drawn; the lab mix leans on metrics and responsible AI rounds
    assert mixed["responsible_ai"] > even["responsible_ai"] + 0.03
    assert mixed["strategy"] < even["strategy"]
    assert tech["technical"] > even["technical"] + 0.2
    assert max(mixed, key=mixed.__getitem__) == "metrics"
