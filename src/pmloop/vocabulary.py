"""The domain vocabulary: competencies, levels, anti-pattern flags and their anchors.

This module is the single source of truth for every id that appears in a bank file, a grade,
a stored session or a report. Everything else imports from here; nothing else spells an id.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

__all__ = [
    "BARS",
    "COMPETENCIES",
    "FLAGS",
    "FLAG_CAPS",
    "LEVELS",
    "MODEL_FLAGS",
    "Competency",
    "CompetencyInfo",
    "Flag",
    "FlagInfo",
    "Level",
    "LOOP_TAGS",
    "ROUNDS",
    "TOPICS",
    "QuestionFormat",
    "Round",
]


class Competency(StrEnum):
    """The seven competencies an AI PM loop tests. The values are a public contract."""

    JUDGMENT_UNDER_AMBIGUITY = "judgment_under_ambiguity"
    TECHNICAL_DEPTH = "technical_depth"
    SYSTEM_THINKING = "system_thinking"
    EVALUATION_LOGIC = "evaluation_logic"
    EXECUTION_TRADEOFFS = "execution_tradeoffs"
    CROSS_FUNCTIONAL_INFLUENCE = "cross_functional_influence"
    VALUES_ALIGNMENT = "values_alignment"


class Level(IntEnum):
    """The four ordinal grading levels."""

    BELOW_BAR = 1
    SURFACE = 2
    STRONG = 3
    SENIOR = 4

    @property
    def label(self) -> str:
        """The level's public name, e.g. ``below_bar``."""
        return self.name.lower()

    @property
    def title(self) -> str:
        """The level's name as a person reads it, e.g. ``Below bar``."""
        return self.name.replace("_", " ").capitalize()

    @classmethod
    def from_label(cls, label: str) -> Level:
        """Look a level up by its public name (``surface``) or its number (``2``)."""
        text = label.strip().lower().replace("-", "_").replace(" ", "_")
        if text.isdigit():
            return cls(int(text))
        return cls[text.upper()]


class Flag(StrEnum):
    """Anti-patterns a grader can raise. The values are a public contract."""

    FRAMEWORK_RECITATION = "framework_recitation"
    BUZZWORD_WITHOUT_SUBSTANCE = "buzzword_without_substance"
    PERFORMANCE_THEATER = "performance_theater"
    HEURISTIC_COLLAPSE = "heuristic_collapse"
    FALSE_CERTAINTY = "false_certainty"
    OFF_TOPIC = "off_topic"
    GRADER_DIRECTED = "grader_directed"
    RED_LINE = "red_line"
    NO_CALL = "no_call"
    NO_SUBSTANCE = "no_substance"
    ARITHMETIC = "arithmetic"


@dataclass(frozen=True)
class CompetencyInfo:
    """What a competency is called and what it measures."""

    id: Competency
    title: str
    measures: str


@dataclass(frozen=True)
class FlagInfo:
    """What an anti-pattern is called and why an interviewer marks it down."""

    id: Flag
    title: str
    meaning: str


COMPETENCIES: dict[Competency, CompetencyInfo] = {
    info.id: info
    for info in (
        CompetencyInfo(
            Competency.JUDGMENT_UNDER_AMBIGUITY,
            "Judgment under ambiguity",
            "Makes a coherent call when the data is partial and mistakes cost unevenly; "
            "says what is unknown, then decides anyway.",
        ),
        CompetencyInfo(
            Competency.TECHNICAL_DEPTH,
            "Technical product depth",
            "Talks with engineers about context length and its bill, retrieval versus "
            "fine-tuning for a concrete case, and where response time goes.",
        ),
        CompetencyInfo(
            Competency.SYSTEM_THINKING,
            "System thinking",
            "Sees inputs, outputs, feedback loops and failure paths; asks what breaks "
            "further along when an output is wrong or an assumption moves.",
        ),
        CompetencyInfo(
            Competency.EVALUATION_LOGIC,
            "Evaluation logic",
            "Designs an eval for a named feature, separates offline scores from live "
            "outcomes, explains why an accurate model still lets users down.",
        ),
        CompetencyInfo(
            Competency.EXECUTION_TRADEOFFS,
            "Execution tradeoffs",
            "Holds latency, accuracy, cost, oversight and pace in tension at once and "
            "settles them with specifics rather than a slogan.",
        ),
        CompetencyInfo(
            Competency.CROSS_FUNCTIONAL_INFLUENCE,
            "Cross-functional influence",
            "Moves research, engineering, design, safety, legal and business toward one "
            "decision; conveys model uncertainty; can say 'not yet' and make it stick.",
        ),
        CompetencyInfo(
            Competency.VALUES_ALIGNMENT,
            "Values alignment",
            "Reasons about harm in terms of concrete launch decisions and can defend "
            "slowing down or holding a launch when pushed.",
        ),
    )
}

FLAGS: dict[Flag, FlagInfo] = {
    info.id: info
    for info in (
        FlagInfo(
            Flag.FRAMEWORK_RECITATION,
            "Framework recitation",
            "A named framework carries the answer's structure in place of reasoning about "
            "this product.",
        ),
        FlagInfo(
            Flag.BUZZWORD_WITHOUT_SUBSTANCE,
            "Buzzwords without substance",
            "AI terms appear with no cost, failure, mechanism or decision attached to them.",
        ),
        FlagInfo(
            Flag.PERFORMANCE_THEATER,
            "Performance theater",
            "Confident, polished lines that a follow-up question would find empty.",
        ),
        FlagInfo(
            Flag.HEURISTIC_COLLAPSE,
            "Heuristic collapse",
            "A real tradeoff reduced to one rule, such as 'ship fast' or 'never ship "
            "until it is perfect'.",
        ),
        FlagInfo(
            Flag.FALSE_CERTAINTY,
            "False certainty",
            "One explanation asserted as settled where the evidence fits several.",
        ),
        FlagInfo(
            Flag.OFF_TOPIC,
            "Off topic",
            "The answer belongs to another question: it does not take up this case or the "
            "decision it asks for.",
        ),
        FlagInfo(
            Flag.GRADER_DIRECTED,
            "Text aimed at the grader",
            "Instructions, levels, scores, checklists or JSON addressed to whoever grades; "
            "left out, and the answer is graded on the rest.",
        ),
        FlagInfo(
            Flag.RED_LINE,
            "Crosses a red line",
            "Argues for a call an interviewer treats as disqualifying, such as deceiving "
            "users or shipping through a known severe harm, whatever the vocabulary.",
        ),
        FlagInfo(
            Flag.NO_CALL,
            "No call",
            "The question asks for a decision and the answer never commits, not even "
            "conditionally.",
        ),
        FlagInfo(
            Flag.NO_SUBSTANCE,
            "Nothing specific",
            "A line or two that says nothing an interviewer could test.",
        ),
        FlagInfo(
            Flag.ARITHMETIC,
            "Numbers that do not add up",
            "A stated before, after and change that disagree; those numbers earn no credit.",
        ),
    )
}

#: The highest level an answer that shows a flag can reach (absent: the flag caps nothing).
#: The five delivery anti-patterns hold an answer at surface; an answer to another question,
#: a disqualifying call or a line with nothing in it is below bar; an answer whose numbers do
#: not add up is not correct, so not strong; text aimed at the grader is left out and the rest
#: graded.
FLAG_CAPS: dict[Flag, Level] = {
    Flag.FRAMEWORK_RECITATION: Level.SURFACE,
    Flag.BUZZWORD_WITHOUT_SUBSTANCE: Level.SURFACE,
    Flag.PERFORMANCE_THEATER: Level.SURFACE,
    Flag.HEURISTIC_COLLAPSE: Level.SURFACE,
    Flag.FALSE_CERTAINTY: Level.SURFACE,
    Flag.NO_CALL: Level.SURFACE,
    Flag.ARITHMETIC: Level.SURFACE,
    Flag.OFF_TOPIC: Level.BELOW_BAR,
    Flag.RED_LINE: Level.BELOW_BAR,
    Flag.NO_SUBSTANCE: Level.BELOW_BAR,
}

#: The delivery anti-patterns the level model weighs as features; the others act through
#: their cap or by what they leave out, never as a weight.
MODEL_FLAGS: tuple[Flag, ...] = (
    Flag.FRAMEWORK_RECITATION,
    Flag.BUZZWORD_WITHOUT_SUBSTANCE,
    Flag.PERFORMANCE_THEATER,
    Flag.HEURISTIC_COLLAPSE,
    Flag.FALSE_CERTAINTY,
)

LEVELS: tuple[Level, ...] = tuple(Level)

#: Tags that name the kind of loop a question comes from; every bank question carries one.
LOOP_TAGS: frozenset[str] = frozenset({"lab", "big-tech", "startup"})


class Round(StrEnum):
    """The rounds of an AI PM interview loop a question belongs to. The values are a contract."""

    PRODUCT_SENSE = "product_sense"
    STRATEGY = "strategy"
    METRICS = "metrics"
    TECHNICAL = "technical"
    EXECUTION = "execution"
    LEADERSHIP = "leadership"
    RESPONSIBLE_AI = "responsible_ai"
    BEHAVIOURAL = "behavioural"


#: What each round asks of a candidate, in the words the bank page and README use.
ROUNDS: dict[Round, str] = {
    Round.PRODUCT_SENSE: "AI product sense and design: building around how a model fails, for "
    "users who cannot tell when it is wrong, and the loops a product sets off",
    Round.STRATEGY: "AI product strategy: build or buy, moats when everyone has the same model, "
    "pricing inference whose cost varies, open weights",
    Round.METRICS: "Metrics and evaluation: defining success for an agent, a copilot or an API, "
    "guardrail metrics, evals, and reading a metric that moved",
    Round.TECHNICAL: "Technical depth: context and its cost, latency budgets, retrieval versus "
    "fine-tuning versus prompting, distillation, on-device models, agents' tools",
    Round.EXECUTION: "Execution and tradeoffs: latency, accuracy, cost, oversight and pace "
    "settled with specifics, scope and launch calls",
    Round.LEADERSHIP: "Cross-functional leadership: moving research, engineering, sales, legal "
    "and executives without authority",
    Round.RESPONSIBLE_AI: "Responsible AI: harms, consent, disclosure, safety gates and the calls "
    "that hold when growth pushes back",
    Round.BEHAVIOURAL: "Behavioural: stories from your own work, graded on the same "
    "consequence-awareness, not on rehearsal",
}


#: Topics the guide and the loop name, as bank tags; each is covered by several questions.
TOPICS: dict[str, str] = {
    "context-cost": "what a context window costs and how to keep it affordable",
    "rag-vs-finetune": "retrieval, fine-tuning or prompting for a specific case",
    "inference-latency": "where response time goes and what it does to the experience",
    "feedback-loops": "outputs that feed back into data, rankings or behaviour",
    "downstream-failure": "what breaks further along when the model is wrong",
    "offline-vs-online": "offline evaluation against production outcomes",
    "accurate-but-failing": "why an accurate model still lets users down",
    "regressions": "model, prompt or vendor changes that shift behaviour silently",
    "latency-vs-accuracy": "a slower, better model against a faster one",
    "cost-vs-quality": "inference spend against answer quality",
    "automation-vs-oversight": "what the model does alone and where a person decides",
    "speed-vs-safety": "pace of iteration against safety rigour",
    "safety-vs-growth": "aligning a safety team and a growth team on one feature",
    "communicating-uncertainty": "explaining model uncertainty to designers, users, executives",
    "not-ready-to-ship": "telling a stakeholder a feature cannot ship yet",
    "slowing-down-for-safety": "slowing down or not shipping, defended under pressure",
    "distribution-shift": "eval data that does not look like production",
    "calibration": "whether the model knows when it does not know",
    "segment-failures": "the segment failing behind a healthy average",
    "capability-vs-harm": "separating whether it can do the task from the harm it can do",
    "build-vs-buy": "building, fine-tuning or buying a model",
    "moats": "advantage when everyone has the same model",
    "inference-pricing": "pricing a product whose inference cost varies by user",
    "open-weights": "open weights against a hosted API",
    "agent-evals": "evaluating multi-step agents and their tool calls",
    "guardrail-metrics": "the metrics that must not get worse",
    "distillation": "a small model trained from a large one",
    "on-device": "models on phones and laptops",
    "rehearsed-story": "a behavioural story with the specifics a rehearsal leaves out",
}


class QuestionFormat(StrEnum):
    """How a question is run: one answer with follow-ups, or an interactive format."""

    INTERVIEW = "interview"
    AMBIGUITY = "ambiguity"
    ROLEPLAY = "roleplay"


#: Behaviourally anchored descriptors: what an answer at each level does, in observable terms.
BARS: dict[Competency, dict[Level, str]] = {
    Competency.JUDGMENT_UNDER_AMBIGUITY: {
        Level.BELOW_BAR: "Waits for data that will not come, or picks an answer with no stated "
        "reason; the unknowns are never named.",
        Level.SURFACE: "Lists what is unknown and proposes gathering more data or running a "
        "test, but never commits to a call for the meantime.",
        Level.STRONG: "Names the key unknowns, makes a provisional decision with the reason "
        "for it, and says how the decision will be checked.",
        Level.SENIOR: "Weighs which mistake is cheaper to undo, sizes the downside of each, "
        "keeps rival explanations open and says which evidence would flip the call.",
    },
    Competency.TECHNICAL_DEPTH: {
        Level.BELOW_BAR: "Uses model terms wrongly or treats the model as a black box that "
        "either works or does not.",
        Level.SURFACE: "Uses the right terms (context window, RAG, fine-tuning, latency) "
        "correctly but attaches no cost, mechanism or limit to them.",
        Level.STRONG: "Explains the mechanism behind a choice (tokens billed per call, "
        "retrieval freshness, where time goes in a request) and picks one for the case.",
        Level.SENIOR: "Ties the mechanism to how the product fails and what it costs at "
        "scale, and knows which measurement would show the choice was wrong.",
    },
    Competency.SYSTEM_THINKING: {
        Level.BELOW_BAR: "Describes the feature as a screen or a prompt; nothing upstream or "
        "downstream is considered.",
        Level.SURFACE: "Draws the components and data flow but treats each as reliable; no "
        "loop or failure path.",
        Level.STRONG: "Traces dependencies, names where errors enter and how they reach the "
        "user, and proposes a control for the main one.",
        Level.SENIOR: "Follows the feedback loops and second-order effects (users adapting, "
        "data drifting, errors compounding) and asks what breaks when an assumption moves.",
    },
    Competency.EVALUATION_LOGIC: {
        Level.BELOW_BAR: "Equates evaluation with 'test it' or a single accuracy number; no "
        "dataset, no criterion.",
        Level.SURFACE: "Names the textbook steps (metrics, an eval set, a beta) without saying "
        "what is measured, on what data, or what result would pass.",
        Level.STRONG: "Designs a concrete eval: success metrics for the task, a labeled offline "
        "set, accuracy, precision and recall on it, review of outputs, a limited beta and live "
        "metrics after launch.",
        Level.SENIOR: "Starts from the failures that matter, asks whether the eval data looks "
        "like real traffic, checks calibration and segments, and plans regression checks "
        "for every model change.",
    },
    Competency.EXECUTION_TRADEOFFS: {
        Level.BELOW_BAR: "Picks one side of the tradeoff by slogan, or does not see that there "
        "is a tradeoff.",
        Level.SURFACE: "Says 'it depends' and names both sides in general terms without "
        "settling anything.",
        Level.STRONG: "Puts numbers or specifics on each side, picks an operating point for "
        "this product and says what it gives up.",
        Level.SENIOR: "Holds several tradeoffs at once, designs the product so the operating "
        "point can move (routing, fallbacks, staged rollout) and says what would move it.",
    },
    Competency.CROSS_FUNCTIONAL_INFLUENCE: {
        Level.BELOW_BAR: "Escalates, overrides or defers; other functions appear only as "
        "obstacles.",
        Level.SURFACE: "Proposes meetings, alignment and communication without saying what "
        "each party needs or what is decided.",
        Level.STRONG: "Frames the decision in each function's terms, brings evidence, and "
        "agrees on criteria before arguing about the outcome.",
        Level.SENIOR: "Turns disagreement into shared launch criteria, communicates "
        "uncertainty in a form others can act on, and says 'not ready' with a path to ready.",
    },
    Competency.VALUES_ALIGNMENT: {
        Level.BELOW_BAR: "Treats safety as a checkbox or someone else's job, or dismisses it "
        "under pressure.",
        Level.SURFACE: "States that safety and ethics matter in general terms with no "
        "decision attached.",
        Level.STRONG: "Names the concrete harm, who bears it, and a specific mitigation or "
        "launch condition.",
        Level.SENIOR: "Separates what the model can do from the harm it can do doing it, "
        "weighs irreversible harms above reversible delays, and holds a no-ship call under "
        "pressure with a stated bar for shipping.",
    },
}
