"""Loop profiles and the planner that picks a loop's questions."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from pmloop.bank import Bank, Question
from pmloop.grading import NEAR_DUPLICATE
from pmloop.vocabulary import Competency

__all__ = ["PROFILES", "LoopPlanner", "LoopProfile"]

C = Competency


@dataclass(frozen=True)
class LoopProfile:
    """How one company's loop weights the competencies, and which loop tag it prefers."""

    name: str
    title: str
    weights: dict[Competency, float]
    loop_tag: str | None

    def ranked(self) -> list[Competency]:
        """Competencies, heaviest first (ties in vocabulary order)."""
        order = list(Competency)
        return sorted(order, key=lambda c: (-self.weights.get(c, 0.0), order.index(c)))


def _profile(
    name: str, title: str, tag: str | None, weights: dict[Competency, float]
) -> LoopProfile:
    total = sum(weights.values())
    return LoopProfile(name, title, {c: weights.get(c, 0.0) / total for c in Competency}, tag)


J, T, S, E = (C.JUDGMENT_UNDER_AMBIGUITY, C.TECHNICAL_DEPTH, C.SYSTEM_THINKING, C.EVALUATION_LOGIC)
X, F, V = C.EXECUTION_TRADEOFFS, C.CROSS_FUNCTIONAL_INFLUENCE, C.VALUES_ALIGNMENT

#: Labs weigh evaluation logic and values alignment heaviest; big tech weighs systems and
#: tradeoffs at scale; startups weigh judgment and tradeoffs under scarce resources.
PROFILES: dict[str, LoopProfile] = {
    p.name: p
    for p in (
        _profile("anthropic", "Anthropic-style lab loop", "lab",
                 {E: 22, V: 22, J: 14, S: 12, F: 12, T: 10, X: 8}),
        _profile("openai", "OpenAI-style lab loop", "lab",
                 {E: 20, V: 18, T: 16, S: 14, X: 12, J: 10, F: 10}),
        _profile("google", "Google-style big-tech loop", "big-tech",
                 {T: 18, S: 18, E: 16, X: 16, F: 14, J: 10, V: 8}),
        _profile("meta", "Meta-style big-tech loop", "big-tech",
                 {X: 20, S: 18, E: 16, T: 14, J: 12, F: 12, V: 8}),
        _profile("startup", "AI startup loop", "startup",
                 {X: 22, J: 20, T: 16, E: 14, F: 10, S: 10, V: 8}),
        _profile("general", "General AI PM loop", None, {c: 1.0 for c in Competency}),
    )
}  # fmt: skip


class LoopPlanner:
    """Chooses the questions of one loop.

    Competencies are drawn by the profile's weights without replacement until the loop has as
    many as questions (then the draw starts over), so a four-question lab loop covers four
    different competencies with evaluation logic and values alignment most likely among them.
    For each competency the planner takes a question with it as primary, preferring the
    profile's loop tag and avoiding questions asked in recent sessions; the same seed always
    gives the same loop. Given a ``similarity`` (``QuestionSimilarity``), it never puts two
    near-duplicate questions (similarity of ``NEAR_DUPLICATE`` or more) in one loop.
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
            question = self._pick(profile, competency, avoid_set, chosen, rng)
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
        return rng.choice(shortlist)
