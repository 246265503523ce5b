"""Features of an answer that a reader can name: consequence-awareness, specificity, substance.

Each consequence feature is a pattern over sentences; when one fires, the sentence is the evidence.
A term only counts as explained when the same or the next sentence ties it to a cost, a failure,
a mechanism or a decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pmloop.grading._lexicon import (
    AI_TERMS,
    JARGON,
    MECHANISMS,
    REASONING,
    SPECIFICS,
    SUBSTANCE,
)
from pmloop.grading._text import Span, any_of
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


CONSEQUENCE_FEATURES: tuple[ConsequenceFeature, ...] = (
    ConsequenceFeature(
        "failure_modes_first",
        "Starts from the failure modes that matter",
        "An eval or a plan built around the worst mistakes catches what users would actually "
        "be hurt by.",
        any_of(
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
            r"what'?s the worst",
            r"worst (thing|outcome|error)",
            r"the misses that matter",
            r"the one that matters",
            r"(mistakes?|errors?|failures?) (that|which) (hurts?|costs?|matters?)",
            r"(is|would be) (the )?(costly|expensive|dangerous|harmful) (mistake|error|one)",
            r"\brisks?, in order\b",
            r"what (can|could|would) hurt",
        ),
        frozenset({C.EVALUATION_LOGIC, C.SYSTEM_THINKING, C.VALUES_ALIGNMENT}),
    ),
    ConsequenceFeature(
        "capability_vs_safety",
        "Separates what the model can do from the harm it can do",
        "A model can score well on the task while causing harm doing it; one number hides that.",
        any_of(
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
        any_of(
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
            r"(like|resemble|match|matches) (what|how) (our |real |"
            r"actual )?(users|people|customers|"
            r"agents|students|patients|traffic)",
            r"(the traffic|requests|messages|queries) we actually",
            r"\bactually (send|type|write|ask|use|run|get)\b",
            r"\bvolunteers?\b",
            r"\b(keen|eager) (users|volunteers|early)",
            r"(not|isn'?t|aren'?t) (representative|typical|like (everyone|the rest|our))",
            r"like everyone else",
            r"(tidy|clean|easy|hand-?picked|curated) (examples|receipts|cases|tests|set)",
            r"(picked|sampled|chosen|drawn) at random",
            r"real (sessions|requests|conversations|messages|"
            r"contracts|photos|calls|emails|notes)",
        ),
        frozenset({C.EVALUATION_LOGIC, C.TECHNICAL_DEPTH}),
    ),
    ConsequenceFeature(
        "knows_its_limits",
        "Cares whether the model can tell when it is out of its depth",
        "A model that signals doubt gets checked; one that is confidently wrong gets trusted.",
        any_of(
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
            r"out of (its|their) depth",
            r"\bunsure\b",
            r"\bnot sure\b.{0,30}\b(nurse|human|person|"
            r"escalat|hand)",
            r"(know|knows|tell|tells|says?) (us )?when (it'?s|it is) (wrong|unsure|"
            r"guessing|out of)",
            r"\bit (can'?t|cannot) (read|tell|answer)\b",
            r"\bpoint(s)? (at|to) the "
            r"(fields?|parts?|answers?) (it'?s|it is)",
            r"(nothing|no way) (tells|to tell) (them|us|you|"
            r"people) which",
            r"\bhand (it |them )?(off|over|back)\b",
            r"\bask(s)? (a )?(clarifying|follow-?up)",
            r"(say|says|said) (\"|')?I (couldn'?t|can'?t|don'?t)",
            r"make (something|things|it) up",
            r"(should|must) say so\b",
            r"rather than (guess|invent)",
            r"not guess",
        ),
        frozenset({C.EVALUATION_LOGIC, C.TECHNICAL_DEPTH, C.CROSS_FUNCTIONAL_INFLUENCE}),
    ),
    ConsequenceFeature(
        "regression_plan",
        "Plans for regressions when the model or prompt changes",
        "Behaviour shifts silently with every model, prompt or data update; nothing crashes.",
        any_of(
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
            r"(every|each|any) time (we|they|the vendor|the provider|someone) (change|update|swap|"
            r"retrain|edit)",
            r"after (any|every|each) (model|prompt|vendor) (change|update)",
            r"re-?(check|test|run)\w* (after|on|for) (any|every|each)",
            r"(update|change|swap)s? "
            r"(either |the |our )?model under us",
            r"(bot|judge|model)'?s? (prompt )?(changes?|updates?)",
            r"(future|next|new) (checkpoints?|versions?|releases?)",
            r"\bbring (one|it|them) back\b",
        ),
        frozenset({C.EVALUATION_LOGIC, C.SYSTEM_THINKING, C.EXECUTION_TRADEOFFS}),
    ),
    ConsequenceFeature(
        "segment_behind_average",
        "Finds the segment that fails behind a healthy average",
        "Users experience single responses; a group that fails in a pattern stops trusting the "
        "product whatever the average says.",
        any_of(
            r"(average|aggregate|overall|headline|blended|topline).{0,80}"
            r"(hide|hides|hiding|mask|masks|masking|hidden)",
            r"(break|breaking|split|splitting|slice|slicing|cut|cutting) (it|results|this|the "
            r"(numbers|metrics|results|data)) (down )?by",
            r"\b(segment|cohort|subgroup|slice)s?\b.{0,80}(worse|fail|lower|drop|collapse)",
            r"(worse|fail|lower|drop).{0,80}\b(segment|cohort|subgroup|slice)s?\b",
            r"for (one|a|some) (group|segment|language|region|kind of)",
            r"per[- ](segment|language|cohort|locale|region|customer)",
            r"past the average",
            r"(beyond|behind|under|beneath) the (average|overall|headline)",
            r"(fall apart|fails?|worse|struggles?|breaks?) for (particular|some|"
            r"certain|specific|one|"
            r"a few|older|new|non-native|second-language)",
            r"(who|which (users|people|customers)) "
            r"(get|gets|are) (hurt|the worst|left out)",
            r"(by|per) (account|intent|ticket type|"
            r"language|country|clinic|customer|user group)",
        ),
        frozenset({C.EVALUATION_LOGIC, C.SYSTEM_THINKING, C.JUDGMENT_UNDER_AMBIGUITY}),
    ),
    ConsequenceFeature(
        "asymmetric_costs",
        "Weighs asymmetric and irreversible costs",
        "Some mistakes can be undone next week and some cannot; the call should depend on which.",
        any_of(
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
            r"can'?t be (recalled|unsent|taken back|undone|reversed|un-?done)",
            r"hard to (undo|reverse|"
            r"take back|get back|claw back|recover|walk back)",
            r"(cheap|easy|cheaper|easier) to "
            r"(undo|reverse|turn off|switch back|roll back)",
            r"(costs?|mistakes?) (aren'?t|are not|"
            r"isn'?t) symmetric",
            r"we lose (nothing|little|a week)",
            r"(mostly |largely )?isn'?t\.?$",
            r"the cheaper mistake",
            r"(can|could) (never|not) be (fixed|undone|taken back)",
            r"once (it'?s|it is|they'?re|someone'?s) (out|sent|baked|paid|published|gone)",
            r"\bone[- ]click (switch|rollback|off)",
            r"\beasy to turn off\b",
            r"hard(er)? to (win|get) back",
            r"hard to repair",
            r"we (can|will|'ll) recover",
            r"we get over it",
            r"(it'?s|that'?s) out( there)?( for good)?[.;,]",
            r"for good\b",
            r"once (they'?ve|they have|people have|users have) (left|churned|quit)",
            r"(you|we) (don'?t|won'?t|can'?t|never) (win|earn) (them|those \w+) back",
        ),
        frozenset({C.JUDGMENT_UNDER_AMBIGUITY, C.VALUES_ALIGNMENT, C.EXECUTION_TRADEOFFS}),
    ),
    ConsequenceFeature(
        "competing_hypotheses",
        "Holds competing explanations open",
        "When several causes fit the evidence, acting on the first one wastes time or does damage.",
        any_of(
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
            r"(several|multiple|a few|other|competing) (stories|explanations|causes|possibilities|"
            r"readings)",
            r"stories alive",
            r"all (still )?live",
            r"until one (explains|fits)",
            r"may not be (the|a|our)",
            r"(could|might) (also )?(cause|explain) (it|this|the)",
            r"more likely .{0,40} than",
            r"(either|or) (it'?s|it is) (a|the|real|noise)",
            r"\bor (a|an|the) [\w ]{1,30} (could|might|may)\b",
            r"(is it|was it) (real|noise|the model)",
        ),
        frozenset({C.JUDGMENT_UNDER_AMBIGUITY, C.EVALUATION_LOGIC, C.SYSTEM_THINKING}),
    ),
    ConsequenceFeature(
        "names_what_changes_the_call",
        "Names what would change the decision",
        "A decision with a stated reversal condition can be revisited on evidence, not on "
        "pressure.",
        any_of(
            r"(would|will|could) change my (mind|call|decision|recommendation)",
            r"(change|flip|reverse|revisit) (the|my|this) (call|decision)",
            r"if .{0,80}(I'?d|I would|we'?d|we would|then we) (roll ?back|revisit|stop|pause|"
            r"pull|hold|expand|reconsider|switch)",
            r"(kill|exit|stop|rollback|launch|ship) criteri",
            r"(bar|threshold) for (shipping|launch)",
            r"unless (we|the|it)",
            r"(what|which) (evidence|result|number) would",
            r"what would (convince|change|stop|make) (me|us|it)",
            r"would stop (it|us|the)",
            r"as the gate",
            r"\bthe gate\b",
            r"agree (now |up front |first |before [\w ]+)?(on )?"
            r"(what|which) (result|number|outcome|rate|bar)",
            r"before (seeing|looking at) (the )?data",
            r"(unless|until) [\w ]{1,40} (clearly|wins|shows|explains|drops|rises|holds)",
            r"if [^.]{0,60}(above|below|more than|under|over|drops|"
            r"rises) [^.]{0,40}(we|I)'?(d|ll)? "
            r"(stop|pause|roll|revert|hold|scale|switch|go)",
            r"the (number|result|bar) that (unlocks|would|gets|lets)",
            r"\bonly if\b",
            r"\botherwise (we|I) (slip|hold|wait|stop|delay)",
            r"(turn|switch) it back on",
            r"revisit (it )?(only )?(if|when)",
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
        "harm_beyond_the_user",
        "Names who is harmed beyond the user in front of it",
        "The people a product can hurt include those who never chose it; their harm is the one "
        "no consent form covers.",
        any_of(
            r"(never|didn'?t|did not) (agree|agreed|sign(ed)? up|consent(ed)?|cho(o)?se)",
            r"\bbystanders?\b",
            r"\bthird[- ]part(y|ies)\b",
            r"outside the (room|product|deal)",
            r"not our (customer|user)s?\b",
            r"people who (aren'?t|are not|never) (our )?(users|"
            r"customers)",
            r"(someone|people) (else'?s|other) (data|details|emails?|words)",
        ),
        frozenset({C.VALUES_ALIGNMENT, C.SYSTEM_THINKING, C.CROSS_FUNCTIONAL_INFLUENCE}),
    ),
    ConsequenceFeature(
        "second_order_effects",
        "Sees second-order effects and feedback loops",
        "Users and data adapt to the model; the effect next quarter can reverse the effect "
        "this week.",
        any_of(
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
            r"(grading|marking) its own homework",
            r"(gets?|get) shown more",
            r"stop (posting|"
            r"reading|checking|trusting|coming|reporting)",
            r"(click|clicks|approve) without reading",
            r"(rubber|rubber-)stamp",
            r"\bquietly\b",
            r"over (months|a quarter|time|the next)",
            r"(rewarding|rewards|reward) the (harm|wrong|bad)",
            r"(teaches|teach|trains?) (people|users|"
            r"agents|the team|engineers) to",
            r"(get|gets) told to chase",
            r"\bchase the (number|metric)",
            r"(people|users) (will )?(retry|game|work around|lean on|stop)",
            r"\bincentiv",
            r"\bprecedent\b",
            r"the next \w+ (customers?|teams?|partners?) (will )?ask",
            r"say yes to (one|this)[^.]{0,40}say yes to",
            r"\bnext (fifty|hundred|ten)\b",
            r"(damage|harm|cost|problem) (only )?shows? up (later|in month|after|next)",
            r"(will |would )?looks? great (at first|for a (month|quarter|while)|in the first)",
            r"never get (seen|shown|a chance|an impression)",
            r"rich[- ]get[- ]richer",
            r"(already[- ]popular|the popular) (ones|places|items|sellers|creators|restaurants)",
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
        if (len(terms) >= 3 and len(terms) >= argued + 2) or (
            _is_term_list(span.text) and argued <= 1 and len(terms) >= 1
        ):
            stuffed.append(span)
    return JargonProfile(hits, reasoning, tuple(stuffed))


_LIST_SPLIT = re.compile(r",\s*(?:and |or )?|\s+(?:and|or)\s+")


def _is_term_list(text: str) -> bool:
    """A sentence that is mostly a run of five or more short comma-separated items."""
    items = [item.split() for item in _LIST_SPLIT.split(text)]
    short = [item for item in items if 0 < len(item) <= 3]
    return len(items) >= 5 and len(short) >= 0.6 * len(items)
