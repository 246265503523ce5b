"""Word lists the offline grader reads answers with, from ``offline/data/lexicon.yaml``.

The lists themselves are data, kept in one file so that a reviewer can see every phrase the
grader reacts to (and why), and so the evaluation harness can measure what changing one of them
does. This module only names them for the code: each is compiled once, when first imported.
"""

from __future__ import annotations

import re

from pmloop.grading._text import Folded, stem
from pmloop.grading._wordlists import word_lists
from pmloop.vocabulary import Competency

__all__ = [
    "ABSOLUTES",
    "AI_TERMS",
    "CLICHES",
    "CERTAINTY",
    "COLLAPSE",
    "COMPETENCY_CUES",
    "CONDITION",
    "CONCEPT_OF_STEM",
    "DECISION",
    "DISMISSAL",
    "FRAMEWORKS",
    "SKELETON_FRAMEWORKS",
    "GENERIC_PROCESS",
    "HEDGES",
    "JARGON",
    "MECHANISMS",
    "REASONING",
    "RESTATEMENTS",
    "SENIOR_TERMS",
    "SPECIFICS",
    "SUBSTANCE",
    "concepts",
    "ABSOLUTES_FOLDED",
    "CERTAINTY_FOLDED",
    "DECISION_FOLDED",
    "DISMISSAL_FOLDED",
    "GENERIC_PROCESS_FOLDED",
    "HEDGES_FOLDED",
    "JARGON_FOLDED",
    "MECHANISMS_FOLDED",
    "REASONING_FOLDED",
    "RESTATEMENTS_FOLDED",
    "SENIOR_TERMS_FOLDED",
    "SUBSTANCE_FOLDED",
]

_LISTS = word_lists()

# Plain words and jargon that mean the same thing to an interviewer map to one concept, so a
# candidate who says "is the test set like real traffic" meets a rubric that says
# "distribution shift".
CONCEPT_OF_STEM: dict[str, str] = {
    stem(word): concept
    for concept, group in _LISTS.entry("concept_words")["groups"].items()
    for word in group
}

_PHRASE_CONCEPTS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (_LISTS.pattern("phrase_concepts", "groups", index), str(group["concept"]))
    for index, group in enumerate(_LISTS.entry("phrase_concepts")["groups"])
)


def concepts(text: str, stems: list[str]) -> set[str]:
    """The stems of a text, with synonyms folded into shared concept tokens."""
    tokens = {CONCEPT_OF_STEM.get(s, s) for s in stems}
    for pattern, concept in _PHRASE_CONCEPTS:
        if pattern.search(text):
            tokens.add(concept)
    return tokens


#: Named frameworks that candidates recite instead of reasoning.
FRAMEWORKS = _LISTS.pattern("frameworks")
SKELETON_FRAMEWORKS = _LISTS.pattern("skeleton_frameworks")
#: AI vocabulary that earns nothing on its own.
AI_TERMS = _LISTS.pattern("ai_terms")
#: What makes a term count as explained: a cost, a failure, a mechanism or a decision.
SUBSTANCE = _LISTS.pattern("substance")
#: Leadership and values clichés that no follow-up could test.
CLICHES = _LISTS.pattern("cliches")
#: A tradeoff collapsed into one rule.
COLLAPSE = _LISTS.pattern("collapse")
#: Certainty about a cause or outcome.
CERTAINTY = _LISTS.pattern("certainty")
#: Language that keeps uncertainty or alternatives open.
HEDGES = _LISTS.pattern("hedges")
#: Saying the last point again: "in other words", "to sum up", "that's the crux".
RESTATEMENTS = _LISTS.pattern("restatements")
#: Named mechanisms: the vocabulary of someone who has looked inside the system.
MECHANISMS = _LISTS.pattern("mechanisms")
#: Numbers with a unit, percentages, money and durations.
SPECIFICS = _LISTS.pattern("specifics")
#: The generic product-process moves of a surface answer: right shape, nothing specific.
GENERIC_PROCESS = _LISTS.pattern("generic_process")
#: Waving a risk away: the problem is declared solved, small, or someone else's.
DISMISSAL = _LISTS.pattern("dismissal")
#: Words in a question that point at the competency it tests.
COMPETENCY_CUES: dict[Competency, re.Pattern[str]] = {
    Competency(competency): _LISTS.pattern("competency_cues", "by_competency", competency)
    for competency in _LISTS.entry("competency_cues")["by_competency"]
}
#: The senior-sounding vocabulary a keyword-counting grader would reward (used by the baseline).
SENIOR_TERMS = _LISTS.pattern("senior_terms")
#: The vocabulary of evaluation, statistics and process that can be recited without reasoning.
JARGON = _LISTS.pattern("jargon")
#: Words that carry an argument: cause, consequence, contrast, condition.
REASONING = _LISTS.pattern("reasoning")
#: A committed call: what the candidate would actually do.
DECISION = _LISTS.pattern("decision")
#: Sweeping claims: the world described in absolutes rather than rates and cases.
ABSOLUTES = _LISTS.pattern("absolutes")
#: What makes a call conditional: the case it holds for, or the evidence that would undo it.
CONDITION = _LISTS.pattern("condition")

#: The lists whose matched words a grade never shows (it counts them, tests for them or reads
#: where they stand), each run over the lowered text by ``Folded``: the same matches at the
#: same offsets, faster. One wrapper per list, shared by every module that reads it this way.
ABSOLUTES_FOLDED = Folded(ABSOLUTES)
CERTAINTY_FOLDED = Folded(CERTAINTY)
DECISION_FOLDED = Folded(DECISION)
DISMISSAL_FOLDED = Folded(DISMISSAL)
GENERIC_PROCESS_FOLDED = Folded(GENERIC_PROCESS)
HEDGES_FOLDED = Folded(HEDGES)
JARGON_FOLDED = Folded(JARGON)
MECHANISMS_FOLDED = Folded(MECHANISMS)
REASONING_FOLDED = Folded(REASONING)
RESTATEMENTS_FOLDED = Folded(RESTATEMENTS)
SENIOR_TERMS_FOLDED = Folded(SENIOR_TERMS)
SUBSTANCE_FOLDED = Folded(SUBSTANCE)
