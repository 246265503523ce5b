"""Loop profiles and the planner that picks a loop's questions."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pmloop.bank import Bank, Question
from pmloop.grading import NEAR_DUPLICATE
from pmloop.vocabulary import Competency, Round

__all__ = ["PROFILES", "LoopPlanner", "LoopProfile"]

C = Competency


@dataclass(frozen=True)
class LoopProfile:
    """How one company's loop weights the competencies, and which loop tag it prefers."""

    name: str
    title: str
    weights: dict[Competency, float]
    loop_tag: str | None
    #: how the loop's questions spread across rounds (shares summing to 1)
    rounds: dict[Round, float]

    def ranked(self) -> list[Competency]:
        """Competencies, heaviest first (ties in vocabulary order)."""
        order = list(Competency)
        return sorted(order, key=lambda c: (-self.weights.get(c, 0.0), order.index(c)))


def _profile(
    name: str,
    title: str,
    tag: str | None,
    weights: dict[Competency, float],
    rounds: dict[Round, float],
) -> LoopProfile:
    total = sum(weights.values())
    share = sum(rounds.values())
    return LoopProfile(
        name,
        title,
        {c: weights.get(c, 0.0) / total for c in Competency},
        tag,
        {r: rounds.get(r, 0.0) / share for r in Round},
    )


J, T, S, E = (C.JUDGMENT_UNDER_AMBIGUITY, C.TECHNICAL_DEPTH, C.SYSTEM_THINKING, C.EVALUATION_LOGIC)
X, F, V = C.EXECUTION_TRADEOFFS, C.CROSS_FUNCTIONAL_INFLUENCE, C.VALUES_ALIGNMENT
R = Round
PS, ST, ME, TE = R.PRODUCT_SENSE, R.STRATEGY, R.METRICS, R.TECHNICAL
EX, LE, RA, BE = R.EXECUTION, R.LEADERSHIP, R.RESPONSIBLE_AI, R.BEHAVIOURAL

#: Labs weigh evaluation logic and values alignment heaviest; big tech weighs systems and
#: tradeoffs at scale; startups weigh judgment and tradeoffs under scarce resources. The round
#: mixes follow: labs run metrics/eval and responsible-AI rounds most, big tech technical,
#: product-sense and execution rounds, startups execution and strategy.
PROFILES: dict[str, LoopProfile] = {
    p.name: p
    for p in (
        _profile("anthropic", "Anthropic-style lab loop", "lab",
                 {E: 22, V: 22, J: 14, S: 12, F: 12, T: 10, X: 8},
                 {ME: 24, RA: 22, PS: 12, TE: 10, LE: 10, BE: 10, ST: 6, EX: 6}),
        _profile("openai", "OpenAI-style lab loop", "lab",
                 {E: 20, V: 18, T: 16, S: 14, X: 12, J: 10, F: 10},
                 {ME: 22, RA: 16, TE: 16, PS: 14, EX: 10, ST: 8, LE: 8, BE: 6}),
        _profile("google", "Google-style big-tech loop", "big-tech",
                 {T: 18, S: 18, E: 16, X: 16, F: 14, J: 10, V: 8},
                 {TE: 20, PS: 18, EX: 16, ME: 14, LE: 10, ST: 10, BE: 8, RA: 4}),
        _profile("meta", "Meta-style big-tech loop", "big-tech",
                 {X: 20, S: 18, E: 16, T: 14, J: 12, F: 12, V: 8},
                 {EX: 22, PS: 18, ME: 16, TE: 14, LE: 10, ST: 8, BE: 8, RA: 4}),
        _profile("startup", "AI startup loop", "startup",
                 {X: 22, J: 20, T: 16, E: 14, F: 10, S: 10, V: 8},
                 {EX: 22, ST: 20, PS: 16, TE: 14, ME: 12, BE: 8, LE: 4, RA: 4}),
        _profile("general", "General AI PM loop", None, {c: 1.0 for c in Competency},
                 {r: 1.0 for r in Round}),
    )
}  # fmt: skip


class LoopPlanner:
    """Chooses the questions of one loop.

    Competencies are drawn by the profile's weights without replacement until the loop has as
    many as questions (then the draw starts over), so a four-question lab loop covers four
    different competencies with evaluation logic and values alignment most likely among them.
    For each competency the planner takes a question with it as primary, preferring the
    profile's loop tag, then the round drawn for it (below), and avoiding questions asked in
    recent sessions; the same seed always gives the same loop. Given a ``similarity``
    (``QuestionSimilarity``), it never puts two near-duplicate questions (similarity of
    ``NEAR_DUPLICATE`` or more) in one loop.

    Rounds follow the profile's round mix: for each competency drawn, the round is drawn among
    the rounds that hold a question for it (with the preferred tag), each weighted by its
    share of the mix less what the loop already holds of that round, so a loop spreads across
    rounds as the mix says, as far as its competencies allow.
    """

    def __init__(
        self, bank: Bank, similarity: Callable[[Question, Question], float] | None = None
    ) -> None:
        self.bank = bank
        self.similarity = similarity

    def plan(
        self,
        profile: LoopProfile,
        count: int,
        competencies: Sequence[Competency] = (),
        avoid: Iterable[str] = (),
        seed: int | None = None,
    ) -> list[Question]:
        """The loop's questions, in the order they will be asked."""
        rng = random.Random(seed)
        avoid_set = set(avoid)
        wanted = self._competencies(profile, count, competencies, rng)
        chosen: list[Question] = []
        for competency in wanted:
            question = self._pick(profile, competency, avoid_set, chosen, rng, count)
            if question is not None:
                chosen.append(question)
        return chosen

    def _competencies(
        self,
        profile: LoopProfile,
        count: int,
        only: Sequence[Competency],
        rng: random.Random,
    ) -> list[Competency]:
        pool = list(only) if only else profile.ranked()
        out: list[Competency] = []
        while len(out) < count:
            remaining = list(pool)
            while remaining and len(out) < count:
                weights = [max(profile.weights.get(c, 0.0), 0.01) for c in remaining]
                pick = rng.choices(remaining, weights=weights)[0]
                remaining.remove(pick)
                out.append(pick)
        return out

    def _pick(
        self,
        profile: LoopProfile,
        competency: Competency,
        avoid: set[str],
        chosen: list[Question],
        rng: random.Random,
        count: int = 1,
    ) -> Question | None:
        taken = {q.id for q in chosen}
        candidates = [q for q in self.bank if q.primary == competency and q.id not in taken]
        if not candidates:
            candidates = [
                q for q in self.bank if competency in q.competencies and q.id not in taken
            ]
        if self.similarity is not None:
            similar = self.similarity
            candidates = [
                q for q in candidates if all(similar(q, c) < NEAR_DUPLICATE for c in chosen)
            ]
        if not candidates:
            return None
        fresh = [q for q in candidates if q.id not in avoid] or candidates

        def preference(question: Question) -> int:
            return 0 if profile.loop_tag is None or profile.loop_tag in question.tags else 1

        best = min(preference(q) for q in fresh)
        shortlist = [q for q in fresh if preference(q) == best]
        rounds = sorted({q.round for q in shortlist}, key=list(Round).index)
        held = {r: sum(1 for q in chosen if q.round == r) for r in rounds}
        weights = [max(profile.rounds.get(r, 0.0) * count - held[r], 0.0) + 0.01 for r in rounds]
        wanted = rng.choices(rounds, weights=weights)[0]
        return rng.choice([q for q in shortlist if q.round == wanted])
