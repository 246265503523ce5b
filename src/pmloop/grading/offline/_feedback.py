"""The words a candidate reads after a grade: what a senior answer adds, and the next question."""

from __future__ import annotations

import re
from collections.abc import Sequence

from pmloop._coldstart import compile_pattern
from pmloop.bank import Question
from pmloop.grading._grade import FollowUpTarget
from pmloop.grading._lexicon import AI_TERMS
from pmloop.grading.offline._flags import FlagHit
from pmloop.grading.offline._signals import SignalSpec
from pmloop.vocabulary import Flag

__all__ = [
    "SUBSTANCE_FIRST_FLAGS",
    "as_action",
    "candidate_terms",
    "choose_follow_up",
    "delta_from_results",
    "senior_delta",
    "term_probe",
]

#: Words too general to ask about: every answer about an AI product uses them.
_GENERIC_TERM = compile_pattern(
    r"^(llms?|ai|ai[- ]powered|generative ai|genai|foundation models?|models?|transformers?|"
    r"responsible ai|agents?)$",
    re.IGNORECASE,
)


def _term_key(term: str) -> str:
    """'Guardrails' and 'guardrail', 'fine-tuning' and 'fine-tune' are one term."""
    return re.sub(r"[^a-z]", "", term.lower())[:6]


def candidate_terms(terms: Sequence[str], asked: Sequence[str]) -> list[str]:
    """The terms the candidate introduced: none the question, its case or a follow-up used
    (``asked``), and no generic word (AI, LLM, model)."""
    said = {_term_key(m.group(0)) for text in asked for m in AI_TERMS.finditer(text)}
    out: list[str] = []
    for term in terms:
        if _GENERIC_TERM.match(term.strip()) or _term_key(term) in said:
            continue
        if _term_key(term) not in {_term_key(t) for t in out}:
            out.append(term)
    return out


def term_probe(term: str) -> str:
    """The follow-up on a term the candidate used and left unexplained."""
    return (
        f'You mentioned "{term}". In this product, what would it cost, and where would it '
        "fail first?"
    )


# Probes for the consequence features, asked when the question has none of its own.
GENERIC_PROBES: dict[str, str] = {
    "failure_modes_first": "Before any metric: which mistake here would hurt someone most, and "
    "how would you find out it had happened?",
    "capability_vs_safety": "Say it does the task well. How could it still cause harm while "
    "doing it, and which of your checks would catch that?",
    "eval_data_matches_production": "Where would your test examples come from, and how would "
    "you know they look like what real users send?",
    "knows_its_limits": "What should it do when it does not know the answer, and how would you "
    "measure that it actually does that?",
    "regression_plan": "Three months in, the model underneath is updated. How do you find out "
    "whether anything got worse?",
    "segment_behind_average": "Your overall number looks healthy. Which group of users could be "
    "having a much worse experience behind it?",
    "asymmetric_costs": "Which of the mistakes you could make here can be undone next week, and "
    "which cannot? Does that change your call?",
    "competing_hypotheses": "What else could explain what you are seeing, and what would you "
    "look at to tell the explanations apart?",
    "names_what_changes_the_call": "What result would make you reverse this decision?",
    "second_order_effects": "If this works, how do users change their behaviour over the next "
    "few months, and what does that do to the system?",
}

GENERIC_FLAG_PROBES: dict[Flag, str] = {
    Flag.FRAMEWORK_RECITATION: "Leave the framework aside. What is the first thing you would "
    "check in this specific product, and why that?",
    Flag.BUZZWORD_WITHOUT_SUBSTANCE: "Pick one of the terms you used. What does it cost here, "
    "and where does it fail?",
    Flag.PERFORMANCE_THEATER: "Give me a concrete example: a decision you would make in this "
    "situation, and the number that would tell you it was wrong.",
    Flag.HEURISTIC_COLLAPSE: "When would the opposite of that rule be the right call here?",
    Flag.FALSE_CERTAINTY: "What else could explain it, and how would you rule that out before "
    "acting?",
    Flag.OFF_TOPIC: "Let's come back to the question I asked. In this case, what would you do, "
    "and why?",
    Flag.RED_LINE: "Who is hurt if you make that call, and would you defend it to them in person?",
    Flag.NO_CALL: "If you had to decide today with what you know, what would you do, and what "
    "would change your mind?",
    Flag.NO_SUBSTANCE: "Make it concrete: what exactly would you do first in this case, and how "
    "would you know it worked?",
    Flag.ARITHMETIC: "Walk me through those numbers again. What is the change, worked out?",
    Flag.GRADER_DIRECTED: "Set the checklist aside and tell me, in your own words, what you would "
    "do here and why.",
}

_VERB_EXCEPTIONS = {"does": "do", "goes": "go", "has": "have", "is": "be"}


def as_action(label: str) -> str:
    """'Starts from the failure modes' becomes 'start from the failure modes'."""
    first, _, rest = label.partition(" ")
    word = first.lower()
    if word in _VERB_EXCEPTIONS:
        word = _VERB_EXCEPTIONS[word]
    elif word.endswith("ies"):
        word = word[:-3] + "y"
    elif re.search(r"(ss|x|z|ch|sh)es$", word):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return f"{word} {rest}".strip()


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym (RAG, PM, API)."""
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]


def _short(quote: str, limit: int = 90) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[: limit - 1].rstrip() + "…"


#: The delivery anti-patterns: lines a senior answer would drop. The substance flags need a
#: different answer first, not a trimmed one.
_DELIVERY = frozenset(
    {
        Flag.FRAMEWORK_RECITATION,
        Flag.BUZZWORD_WITHOUT_SUBSTANCE,
        Flag.PERFORMANCE_THEATER,
        Flag.HEURISTIC_COLLAPSE,
        Flag.FALSE_CERTAINTY,
    }
)

_SUBSTANCE_FIRST: dict[Flag, str] = {
    Flag.OFF_TOPIC: "Before anything a senior answer adds, it answers the question that was "
    "asked: this case, its people and numbers, and the decision it asks for. However good an "
    "answer to another question is, it scores nothing here.",
    Flag.RED_LINE: "A senior answer would not argue for this call at all: it names who would "
    "be hurt and why that cannot be traded for the metric, then finds the version of the goal "
    "that does not need it.",
    Flag.NO_SUBSTANCE: "A senior answer would say something an interviewer can test: the first "
    "thing it would do in this case, the number that would show it worked, and the mistake it "
    "would most want to avoid.",
    Flag.NO_CALL: "A senior answer names the unknowns and then decides anyway: a call for now "
    "(\u201cship to X if Y; hold Z until W\u201d) and the evidence that would change it.",
    Flag.ARITHMETIC: "A senior answer gets its own numbers right; a sum that does not hold "
    "tells the interviewer to distrust the rest.",
}


#: Flags whose "what a senior answer would add" is a different answer, not a better one.
SUBSTANCE_FIRST_FLAGS = frozenset(_SUBSTANCE_FIRST)


def senior_delta(
    level: int,
    met: Sequence[SignalSpec],
    missing: Sequence[SignalSpec],
    flags: Sequence[FlagHit],
) -> str:
    """Two or three sentences on what a senior answer would have added to this one."""
    delivery = [h for h in flags if h.flag in _DELIVERY]
    return _delta(
        level,
        [(s.label, s.level) for s in met],
        [(s.label, s.level, s.why_it_matters) for s in missing],
        [h.flag for h in flags],
        delivery[0].sentence.text if delivery else None,
    )


def delta_from_results(
    level: int,
    met: Sequence[tuple[str, str]],
    missing: Sequence[tuple[str, str, str]],
    flags: Sequence[tuple[Flag, str]],
) -> str:
    """``senior_delta`` from a grade's parts: met (label, level), missing (label, level, why),
    flags (flag, quote). A thread's grade uses it over everything its answers showed."""
    delivery = [quote for flag, quote in flags if flag in _DELIVERY]
    return _delta(
        level,
        met,
        missing,
        [flag for flag, _ in flags],
        delivery[0] if delivery else None,
    )


def _delta(
    level: int,
    met: Sequence[tuple[str, str]],
    missing: Sequence[tuple[str, str, str]],
    raised: Sequence[Flag],
    delivery_quote: str | None,
) -> str:
    for flag, text in _SUBSTANCE_FIRST.items():
        if flag in raised:
            return text
    sentences: list[str] = []
    strengths = [label for label, lv in met if lv == "senior"] or [label for label, _ in met]
    if strengths:
        sentences.append(f"What already works: it {_lower_first(strengths[0])}.")
    senior_gaps = [g for g in missing if g[1] == "senior"]
    gaps = senior_gaps or list(missing)
    if not gaps and level >= 4:
        sentences.append(
            "This is what a senior answer sounds like; the next step is to say what evidence "
            "would make you change the call."
        )
        return " ".join(sentences)
    if gaps:
        label, _, why_it_matters = gaps[0]
        why = _lower_first(why_it_matters.rstrip("."))
        sentences.append(f"A senior answer would {as_action(label)}, because {why}.")
    if delivery_quote is not None:
        sentences.append(
            f'It would also drop lines like "{_short(delivery_quote)}", which cost more '
            "credibility than they earn."
        )
    elif len(gaps) > 1:
        sentences.append(f"It would also {as_action(gaps[1][0])}.")
    if not sentences:
        sentences.append(
            "A senior answer would say what evidence would make it change the call, and what "
            "the call costs the people it affects."
        )
    return " ".join(sentences)


def choose_follow_up(
    question: Question | None,
    missing: Sequence[SignalSpec],
    flags: Sequence[FlagHit],
    bare_terms: Sequence[str],
    level: int,
) -> tuple[str, FollowUpTarget]:
    """The question an interviewer would ask next, and what it probes: the term the candidate
    left unexplained, the anti-pattern, or the biggest gap.

    ``bare_terms`` are the candidate's own unexplained terms (see ``candidate_terms``).
    """
    probes = question.probes if question is not None else ()
    raised = {hit.flag for hit in flags}
    if Flag.BUZZWORD_WITHOUT_SUBSTANCE in raised and bare_terms:
        term = bare_terms[0]
        return term_probe(term), FollowUpTarget(kind="term", target=term)
    for flag in (
        Flag.OFF_TOPIC,
        Flag.RED_LINE,
        Flag.NO_SUBSTANCE,
        Flag.NO_CALL,
        Flag.GRADER_DIRECTED,
        Flag.FRAMEWORK_RECITATION,
        Flag.PERFORMANCE_THEATER,
        Flag.HEURISTIC_COLLAPSE,
        Flag.FALSE_CERTAINTY,
    ):
        if flag in raised:
            keyed = next((p.text for p in probes if p.flag == flag), None)
            return keyed or GENERIC_FLAG_PROBES[flag], FollowUpTarget(kind="flag", target=flag)
    ordered = [s for s in missing if s.level == "senior"] + [
        s for s in missing if s.level != "senior"
    ]
    for spec in ordered:
        keyed = next((p.text for p in probes if p.signal == spec.id), None)
        if keyed:
            return keyed, FollowUpTarget(kind="signal", target=spec.id)
        base = spec.id.removeprefix("consequence.")
        if base in GENERIC_PROBES:
            return GENERIC_PROBES[base], FollowUpTarget(kind="signal", target=spec.id)
    if question is not None and question.pressure_probes:
        return question.pressure_probes[0], FollowUpTarget(kind="pressure")
    if level >= 3:
        return GENERIC_PROBES["names_what_changes_the_call"], FollowUpTarget(
            kind="signal", target="consequence.names_what_changes_the_call"
        )
    return (
        "Walk me through one concrete decision you would make here, with the number that "
        "would tell you it was wrong.",
        FollowUpTarget(kind="general"),
    )
