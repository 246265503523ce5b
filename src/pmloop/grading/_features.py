"""Features of an answer that a reader can name: consequence-awareness, specificity, substance.

Each consequence feature is a pattern over sentences; when one fires, the sentence is the evidence.
A term only counts as explained when the same or the next sentence ties it to a cost, a failure,
a mechanism or a decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pmloop.grading._lexicon import AI_TERMS, JARGON, MECHANISMS, REASONING, SPECIFICS, SUBSTANCE
from pmloop.grading._text import Span
from pmloop.vocabulary import Competency

__all__ = [
    "CONSEQUENCE_FEATURES",
    "ConsequenceFeature",
    "JargonProfile",
    "TermUse",
    "detect_consequence",
    "find_specifics",
    "find_term_uses",
    "jargon_profile",
]

C = Competency


@dataclass(frozen=True)
class ConsequenceFeature:
    """A named habit of senior answers, detected by patterns over one sentence."""

    id: str
    label: str
    why_it_matters: str
    pattern: re.Pattern[str]
    competencies: frozenset[Competency]


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


CONSEQUENCE_FEATURES: tuple[ConsequenceFeature, ...] = (
    ConsequenceFeature(
        "failure_modes_first",
        "Starts from the failure modes that matter",
        "An eval or a plan built around the worst mistakes catches what users would actually "
        "be hurt by.",
        _rx(
            r"failure modes?",
            r"what (could|can|would|might) go wrong",
            r"worst (case|mistake)",
            r"(most |really )?(afraid|worried|scared) (of|about)",
            r"how (it|this|the model) (could|can|might|would) (fail|break|hurt)",
            r"which (mistakes?|errors?|failures?) (matter|hurt|cost)",
            r"(ranked?|rank) (them |the failures |the mistakes )?by (damage|harm|severity|cost)",
            r"start(ing)? (with|from) (the )?(failures?|risks?|mistakes?|harms?)",
            r"confidently wrong",
            r"the dangerous (case|mistake|failure)",
            r"the (main |biggest |first )?(failure|risk|mistake) (I'?d|I would|we'?d|to) "
            r"(watch|worry|fear|guard)",
            r"what (would|could) hurt (most|users|people)",
        ),
        frozenset({C.EVALUATION_LOGIC, C.SYSTEM_THINKING, C.VALUES_ALIGNMENT}),
    ),
    ConsequenceFeature(
        "capability_vs_safety",
        "Separates what the model can do from the harm it can do",
        "A model can score well on the task while causing harm doing it; one number hides that.",
        _rx(
            r"capabilit(y|ies).{0,80}(safety|harm|misuse)",
            r"(safety|harm|misuse).{0,80}capabilit(y|ies)",
            r"(can|could) it do (the|this) (task|job).{0,80}(harm|damage|hurt)",
            r"(quality|helpfulness).{0,40}(and|versus|vs\.?) (harm|safety)",
            r"(separate|two|different|own) (evals?|bars?|questions?|tests?).{0,60}(harm|safety)",
            r"(good|great|excellent|correct) (answer|draft|output|response).{0,60}"
            r"(still|also) (harm|hurt|a failure|unsafe|dangerous)",
        ),
        frozenset({C.EVALUATION_LOGIC, C.VALUES_ALIGNMENT}),
    ),
    ConsequenceFeature(
        "eval_data_matches_production",
        "Asks whether the eval data looks like real traffic",
        "An eval set that does not look like production flatters the model and predicts nothing.",
        _rx(
            r"distribution shift",
            r"representative",
            r"flatter",
            r"(look|looks|resemble|match|matches|like) (like )?(the )?(real|actual|live|production)"
            r" (traffic|queries|tickets|inputs|users|data|usage|requests)",
            r"(sampled?|pulled?|drawn|taken) from (real|actual|live|production|last \w+'?s?)",
            r"(eval|test|benchmark|golden)[\w -]{0,30}(real|production|live) (traffic|data|inputs)",
            r"(we|I) wrote (the|them|those|our) (examples|tests|prompts)? ?ourselves",
            r"clean(er)? than (real|production|what users)",
            r"out[- ]of[- ]distribution",
        ),
        frozenset({C.EVALUATION_LOGIC, C.TECHNICAL_DEPTH}),
    ),
    ConsequenceFeature(
        "knows_its_limits",
        "Cares whether the model can tell when it is out of its depth",
        "A model that signals doubt gets checked; one that is confidently wrong gets trusted.",
        _rx(
            r"calibrat",
            r"(know|knows|knowing) when (it|the model) (doesn'?t|does not) know",
            r"confident(ly)? wrong",
            r"over-?confiden",
            r"abstain",
            r"say (it|that it|I) "
            r"(doesn'?t|don'?t|does not) know",
            r"(hold|holds) back",
            r"defer(s|ring)? to (a )?human",
            r"confidence (score|threshold|signal|means)",
            r"\bhedg(e|es|ed|ing)\b",
            r"flag(s|ged)? (its own )?(low|un)[- ]?(confidence|certain)",
            r"when (it'?s|it is) unsure",
            r"admits? (it|that it) (doesn'?t|does not) know",
        ),
        frozenset({C.EVALUATION_LOGIC, C.TECHNICAL_DEPTH, C.CROSS_FUNCTIONAL_INFLUENCE}),
    ),
    ConsequenceFeature(
        "regression_plan",
        "Plans for regressions when the model or prompt changes",
        "Behaviour shifts silently with every model, prompt or data update; nothing crashes.",
        _rx(
            r"regression",
            r"(every|each|any|next) (model|prompt|vendor|version) "
            r"(change|update|upgrade|swap|release)",
            r"re-?run (the|our|a) (eval|set|suite|golden)",
            r"(vendor|provider) (updates?|changes?|ships?) (the )?model",
            r"(pin|pinned|pinning) (the )?(model|version)",
            r"frozen (set|suite)",
            r"(past|previous|old) (failures|bugs|incidents) (set|suite)?",
            r"(silently|quietly) (changes?|shifts?|degrades?|gets? worse)",
            r"before (it|any change|each release) ships?, (we )?re-?run",
        ),
        frozenset({C.EVALUATION_LOGIC, C.SYSTEM_THINKING, C.EXECUTION_TRADEOFFS}),
    ),
    ConsequenceFeature(
        "segment_behind_average",
        "Finds the segment that fails behind a healthy average",
        "Users experience single responses; a group that fails in a pattern stops trusting the "
        "product whatever the average says.",
        _rx(
            r"(average|aggregate|overall|headline|blended|topline).{0,80}"
            r"(hide|hides|hiding|mask|masks|masking|hidden)",
            r"(break|breaking|split|splitting|slice|slicing|cut|cutting) (it|results|this|the "
            r"(numbers|metrics|results|data)) (down )?by",
            r"\b(segment|cohort|subgroup|slice)s?\b.{0,80}(worse|fail|lower|drop|collapse)",
            r"(worse|fail|lower|drop).{0,80}\b(segment|cohort|subgroup|slice)s?\b",
            r"for (one|a|some) (group|segment|language|region|kind of)",
            r"per[- ](segment|language|cohort|locale|region|customer)",
        ),
        frozenset({C.EVALUATION_LOGIC, C.SYSTEM_THINKING, C.JUDGMENT_UNDER_AMBIGUITY}),
    ),
    ConsequenceFeature(
        "asymmetric_costs",
        "Weighs asymmetric and irreversible costs",
        "Some mistakes can be undone next week and some cannot; the call should depend on which.",
        _rx(
            r"irreversib",
            r"reversib",
            r"can'?t (be )?(undo|undone|unsend|reverse|take back)",
            r"cannot (be )?(undo|undone|unsend|reversed|taken back)",
            r"asymmetr",
            r"one[- ]way door",
            r"two[- ]way door",
            r"cost of being wrong",
            r"(cheaper|easier|harder|costlier) to (undo|reverse|recover|roll back|fix)",
            r"(worse|bigger|larger) (than|mistake than) (a |the )?(delay|waiting|slip)",
            r"downside (is|of)",
            r"a (week|month)'?s? delay (is|costs)",
        ),
        frozenset({C.JUDGMENT_UNDER_AMBIGUITY, C.VALUES_ALIGNMENT, C.EXECUTION_TRADEOFFS}),
    ),
    ConsequenceFeature(
        "competing_hypotheses",
        "Holds competing explanations open",
        "When several causes fit the evidence, acting on the first one wastes time or does damage.",
        _rx(
            r"hypothes[ie]s",
            r"could (also )?be (the|a|that|because)",
            r"rule (it |this |that )?out",
            r"another explanation",
            r"other explanations?",
            r"or it could",
            r"alternatively",
            r"(two|three|several|a few) (possible )?(causes|explanations|stories|candidates)",
            r"(tell|distinguish|separate) (them|these|the two|the causes) apart",
            r"before (I|we) (blame|assume|conclude)",
            r"(don'?t|do not) (yet )?know (which|whether)",
        ),
        frozenset({C.JUDGMENT_UNDER_AMBIGUITY, C.EVALUATION_LOGIC, C.SYSTEM_THINKING}),
    ),
    ConsequenceFeature(
        "names_what_changes_the_call",
        "Names what would change the decision",
        "A decision with a stated reversal condition can be revisited on evidence, not on "
        "pressure.",
        _rx(
            r"(would|will|could) change my (mind|call|decision|recommendation)",
            r"(change|flip|reverse|revisit) (the|my|this) (call|decision)",
            r"if .{0,80}(I'?d|I would|we'?d|we would|then we) (roll ?back|revisit|stop|pause|"
            r"pull|hold|expand|reconsider|switch)",
            r"(kill|exit|stop|rollback|launch|ship) criteri",
            r"(bar|threshold) for (shipping|launch)",
            r"unless (we|the|it)",
            r"(what|which) (evidence|result|number) would",
        ),
        frozenset(
            {
                C.JUDGMENT_UNDER_AMBIGUITY,
                C.CROSS_FUNCTIONAL_INFLUENCE,
                C.EXECUTION_TRADEOFFS,
                C.VALUES_ALIGNMENT,
            }
        ),
    ),
    ConsequenceFeature(
        "second_order_effects",
        "Sees second-order effects and feedback loops",
        "Users and data adapt to the model; the effect next quarter can reverse the effect "
        "this week.",
        _rx(
            r"feedback loop",
            r"second[- ]order",
            r"downstream",
            r"(compound|compounds|compounding)",
            r"users? (will|would|start to|begin to) (adapt|learn|game|rely|stop|trust|over-?rely)",
            r"over time",
            r"(trains?|trained|training) on (its|their) own",
            r"self[- ]reinforc",
            r"knock-?on",
            r"(creates?|changes?) (the )?incentive",
            r"(ripple|cascade)",
            r"(next|following) (quarter|month|year)'?s? (data|model|training)",
        ),
        frozenset({C.SYSTEM_THINKING, C.JUDGMENT_UNDER_AMBIGUITY, C.EXECUTION_TRADEOFFS}),
    ),
)


def detect_consequence(
    sentences: list[Span], bare: frozenset[Span] = frozenset()
) -> dict[str, list[Span]]:
    """For each consequence feature, the sentences that show it (empty list when absent).

    A habit has to be argued, not named: a sentence under six words, or one in ``bare`` (a
    sentence whose AI terms are all left unexplained), shows nothing.
    """
    found: dict[str, list[Span]] = {f.id: [] for f in CONSEQUENCE_FEATURES}
    for span in sentences:
        if span in bare or len(span.text.split()) < 6:
            continue
        for feature in CONSEQUENCE_FEATURES:
            if feature.pattern.search(span.text):
                found[feature.id].append(span)
    return found


@dataclass(frozen=True)
class TermUse:
    """One AI term in the answer and whether it is tied to substance nearby."""

    term: str
    sentence: Span
    explained: bool


def find_term_uses(sentences: list[Span]) -> list[TermUse]:
    """Every AI term, marked explained when its sentence or the next carries substance."""
    uses: list[TermUse] = []
    for index, span in enumerate(sentences):
        terms = [m.group(0) for m in AI_TERMS.finditer(span.text)]
        if not terms:
            continue
        here = _substance_outside(span.text, terms)
        after = index + 1 < len(sentences) and bool(SUBSTANCE.search(sentences[index + 1].text))
        # A sentence that is mostly a list of terms explains none of them, whatever follows.
        listy = len(terms) >= 3 and here < 2
        for term in terms:
            uses.append(TermUse(term, span, explained=not listy and (here > 0 or after)))
    return uses


def _substance_outside(text: str, terms: list[str]) -> int:
    stripped = text
    for term in terms:
        stripped = stripped.replace(term, " ")
    return len(SUBSTANCE.findall(stripped)) + len(MECHANISMS.findall(stripped))


def find_specifics(text: str) -> list[str]:
    """Numbers with units and named mechanisms, in order of appearance."""
    hits = [(m.start(), m.group(0)) for m in SPECIFICS.finditer(text)]
    hits += [(m.start(), m.group(0)) for m in MECHANISMS.finditer(text)]
    return [h for _, h in sorted(hits)]


@dataclass(frozen=True)
class JargonProfile:
    """How much of the answer is vocabulary and how much is argument."""

    hits: int
    reasoning: int
    stuffed: tuple[Span, ...]

    def per_100_words(self, words: int) -> float:
        """Jargon terms per 100 words."""
        return 100.0 * self.hits / max(words, 1)


def jargon_profile(sentences: list[Span]) -> JargonProfile:
    """Count jargon and reasoning words; a sentence that lists terms without arguing is stuffed.

    A sentence is stuffed when it names three or more distinct terms and they outnumber the
    words that carry an argument in it by two or more.
    """
    hits = reasoning = 0
    stuffed = []
    for span in sentences:
        terms = {m.group(0).lower() for m in JARGON.finditer(span.text)}
        argued = len(REASONING.findall(span.text))
        hits += len(terms)
        reasoning += argued
        if len(terms) >= 3 and len(terms) >= argued + 2:
            stuffed.append(span)
    return JargonProfile(hits, reasoning, tuple(stuffed))
