"""A loop never holds two near-duplicate questions, judged with the embeddings pmloop ships."""

import json
from importlib import resources
from pathlib import Path

from pmloop.bank import Bank
from pmloop.grading import NEAR_DUPLICATE, Examiner, QuestionSimilarity, texts_hash_of_signals
from pmloop.interview import PROFILES, LoopPlanner
from pmloop.vocabulary import Competency

AGENTS = ("agent-tool-call-reliability-commitment", "procurement-agent-compounding-errors")


def test_the_two_agents_compounding_to_71_percent_are_near_duplicates(
    examiner: Examiner, bank: Bank
) -> None:
    similar = QuestionSimilarity(examiner.resolver)
    a, b = (bank.get(q) for q in AGENTS)
    assert similar(a, b) >= NEAR_DUPLICATE
    # their question texts alone are far apart: the shared rubric signal gives them away
    texts = examiner.resolver.bank_vectors()
    ids = [q.id for q in bank]
    assert float(texts[ids.index(AGENTS[0])] @ texts[ids.index(AGENTS[1])]) < 0.5
    # and ordinary pairs are not
    assert similar(bank.get("eval-new-llm-feature-before-launch"), a) < NEAR_DUPLICATE


def test_no_loop_holds_two_near_duplicates(examiner: Examiner, bank: Bank) -> None:
    similar = QuestionSimilarity(examiner.resolver)
    planner = LoopPlanner(bank, similar)
    for seed in range(40):
        plan = planner.plan(PROFILES["openai"], 4, seed=seed)
        pairs = [(p, q) for i, p in enumerate(plan) for q in plan[i + 1 :]]
        assert all(similar(p, q) < NEAR_DUPLICATE for p, q in pairs), [q.id for q in plan]
    # a small bank of technical and system questions holding both agents: without the
    # similarity the planner puts the two in one loop, with it never
    wanted = [Competency.TECHNICAL_DEPTH, Competency.SYSTEM_THINKING]
    others = [q for q in bank if q.primary in wanted and q.id not in AGENTS][:4]
    small = Bank((*(bank.get(a) for a in AGENTS), *others), "small", Path("small"))
    with_similarity, plain = LoopPlanner(small, similar), LoopPlanner(small)
    both = 0
    for seed in range(200):
        assert not set(AGENTS) <= {q.id for q in with_similarity.plan(
            PROFILES["general"], 2, wanted, seed=seed)}  # fmt: skip
        both += set(AGENTS) <= {q.id for q in plain.plan(PROFILES["general"], 2, wanted, seed=seed)}
    assert both > 0


def test_the_shipped_signal_embeddings_match_the_bank(bank: Bank) -> None:
    folder = resources.files("pmloop.grading").joinpath("data")
    meta = json.loads(folder.joinpath("signal_vectors.json").read_text(encoding="utf-8"))
    assert meta["texts"] == texts_hash_of_signals(bank), "run scripts/ship_vectors.py"
