"""Word lists the offline grader reads answers with.

Kept in one place so that a reviewer can see every phrase the grader reacts to, and so the
evaluation harness can measure what changing one of them does.
"""

from __future__ import annotations

import re

from pmloop.grading._text import stem

__all__ = [
    "AI_TERMS",
    "CLICHES",
    "CERTAINTY",
    "COLLAPSE",
    "CONCEPT_OF_STEM",
    "DISMISSAL",
    "FRAMEWORKS",
    "GENERIC_PROCESS",
    "HEDGES",
    "MECHANISMS",
    "SPECIFICS",
    "SUBSTANCE",
    "concepts",
]


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# Plain words and jargon that mean the same thing to an interviewer map to one concept, so a
# candidate who says "is the test set like real traffic" meets a rubric that says
# "distribution shift".
_CONCEPT_WORDS: dict[str, tuple[str, ...]] = {
    "~prod": ("production", "prod", "live", "traffic", "real-world", "field", "deployed", "wild"),
    "~eval": (
        "eval",
        "evals",
        "evaluation",
        "evaluate",
        "test",
        "tests",
        "benchmark",
        "golden",
        "testset",
        "test-set",
        "offline",
    ),
    "~segment": (
        "segment",
        "segments",
        "cohort",
        "cohorts",
        "subgroup",
        "subgroups",
        "slice",
        "slices",
        "subset",
        "minority",
        "long-tail",
        "tail",
    ),
    "~average": ("average", "aggregate", "overall", "mean", "headline", "blended", "topline"),
    "~confidence": (
        "confidence",
        "confident",
        "calibration",
        "calibrated",
        "uncertain",
        "uncertainty",
        "unsure",
        "abstain",
        "abstains",
        "hedge",
        "hedges",
        "hedged",
        "overconfident",
    ),
    "~regress": (
        "regression",
        "regressions",
        "regress",
        "regressed",
        "rerun",
        "re-run",
        "backslide",
        "degrade",
        "degraded",
        "degrades",
        "degradation",
        "drift",
        "drifts",
    ),
    "~update": (
        "update",
        "updates",
        "upgrade",
        "version",
        "versions",
        "swap",
        "release",
        "releases",
        "change",
        "changes",
        "retrain",
        "retrained",
    ),
    "~harm": (
        "harm",
        "harms",
        "harmful",
        "damage",
        "hurt",
        "unsafe",
        "abuse",
        "misuse",
        "dangerous",
        "injury",
    ),
    "~safety": ("safety", "safe", "trust-and-safety", "red-team", "red-teaming", "redteam"),
    "~failure": (
        "failure",
        "failures",
        "fail",
        "fails",
        "failing",
        "wrong",
        "mistake",
        "mistakes",
        "error",
        "errors",
        "break",
        "breaks",
        "broken",
    ),
    "~cost": (
        "cost",
        "costs",
        "expensive",
        "cheap",
        "cheaper",
        "spend",
        "budget",
        "bill",
        "dollars",
        "price",
        "pricing",
    ),
    "~latency": (
        "latency",
        "slow",
        "slower",
        "faster",
        "wait",
        "waiting",
        "lag",
        "ttft",
        "response-time",
    ),
    "~user": (
        "user",
        "users",
        "customer",
        "customers",
        "agent",
        "agents",
        "people",
        "patient",
        "patients",
        "clinician",
        "clinicians",
        "learner",
        "learners",
    ),
    "~rollback": ("rollback", "roll-back", "revert", "reversible", "undo", "irreversible"),
    "~human": (
        "human",
        "humans",
        "reviewer",
        "reviewers",
        "moderator",
        "moderators",
        "oversight",
        "manual",
        "human-in-the-loop",
    ),
}
_CONCEPT_WORDS = {k: tuple(v) for k, v in _CONCEPT_WORDS.items()}

CONCEPT_OF_STEM: dict[str, str] = {
    stem(word): concept for concept, group in _CONCEPT_WORDS.items() for word in group
}

_PHRASE_CONCEPTS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        _rx(
            r"distribution shift",
            r"representative",
            r"look(s)? like (real|actual)",
            r"real (traffic|queries|tickets|inputs|users|data)",
            r"flatter",
        ),
        "~prod",
    ),
    (
        _rx(
            r"(don'?t|doesn'?t|does not|do not) know",
            r"knows? (its|their) limits",
            r"say (it|that it|I) (is|isn'?t|am) (not )?sure",
            r"when (it'?s|it is) unsure",
        ),
        "~confidence",
    ),
    (
        _rx(
            r"what (could|can|would|might) go wrong",
            r"worst case",
            r"failure modes?",
            r"afraid of",
            r"how (it|this) (could|can|might|would) (fail|break)",
        ),
        "~failure",
    ),
    (
        _rx(r"one[- ]way door", r"can'?t (be )?(undo|undone|reverse|take back)", r"permanent"),
        "~rollback",
    ),
)


def concepts(text: str, stems: list[str]) -> set[str]:
    """The stems of a text, with synonyms folded into shared concept tokens."""
    tokens = {CONCEPT_OF_STEM.get(s, s) for s in stems}
    for pattern, concept in _PHRASE_CONCEPTS:
        if pattern.search(text):
            tokens.add(concept)
    return tokens


#: Named frameworks that candidates recite instead of reasoning.
FRAMEWORKS = _rx(
    r"\bCIRCLES\b",
    r"\bRICE\b",
    r"\bKano\b",
    r"\bAARRR\b",
    r"pirate metrics",
    r"\bSWOT\b",
    r"\bHEART (framework|metrics)\b",
    r"\bMoSCoW\b",
    r"jobs[- ]to[- ]be[- ]done",
    r"\bJTBD\b",
    r"\bGIST\b",
    r"\bICE (score|framework)\b",
    r"\bSTAR (method|framework)\b",
    r"Porter'?s five forces",
    r"\bDACI\b",
    r"\bRACI\b",
    r"\bLNO\b",
)
#: Words that present a structure as a framework being applied.
FRAMEWORK_FRAMING = _rx(
    r"\bframework\b",
    r"\bmethod(ology)?\b",
    r"structured (way|approach)",
    r"\bstep (one|1)\b",
    r"\bwalk(ing)? through\b",
    r"\blet me (apply|use)\b",
    r"\bI(?:'d| would) use\b",
)

#: AI vocabulary that earns nothing on its own.
AI_TERMS = _rx(
    r"\bLLMs?\b",
    r"\bRAG\b",
    r"retrieval[- ]augmented",
    r"\bagentic\b",
    r"\bmulti-?modal\b",
    r"\bguardrails?\b",
    r"distribution shift",
    r"\bcalibrat(ion|ed)\b",
    r"\bfine-?tun(e|ed|ing)\b",
    r"\bhallucinat(e|es|ion|ions)\b",
    r"\bembeddings?\b",
    r"\bred[- ]team(ing)?\b",
    r"regression test(ing|s)?",
    r"\balignment\b",
    r"\bRLHF\b",
    r"prompt engineering",
    r"\btransformers?\b",
    r"vector (database|store|db)",
    r"\bAI[- ]powered\b",
    r"\bfoundation models?\b",
    r"\bgenerative AI\b",
    r"\bGenAI\b",
    r"\bagents?\b(?= (that|which|will))",
    r"\bchain[- ]of[- ]thought\b",
    r"\bcontext windows?\b",
    r"\bsegment(s|ation)?\b",
    r"\bexplainab(le|ility)\b",
    r"\bresponsible AI\b",
    r"\bbias\b",
    r"\bdata flywheel\b",
    r"\bhuman[- ]in[- ]the[- ]loop\b",
    r"\bmodel drift\b",
    r"\bA/B test(s|ing)?\b",
)

#: What makes a term count as explained: a cost, a failure, a mechanism or a decision.
SUBSTANCE = _rx(
    r"\d",
    r"\bcosts?\b",
    r"\bexpensive\b",
    r"\bcheap(er)?\b",
    r"\blatency\b",
    r"\btokens?\b",
    r"\bms\b",
    r"\bbudget\b",
    r"\bfail(s|ed|ure|ures)?\b",
    r"\bwrong\b",
    r"\bbreaks?\b",
    r"\bmiss(es|ed)?\b",
    r"\brisks?\b",
    r"\bharm\b",
    r"\berrors?\b",
    r"\bbecause\b",
    r"\bsince\b",
    r"\bso that\b",
    r"\bwhich means\b",
    r"\bmeaning\b",
    r"\bcauses?\b",
    r"\bwhen\b",
    r"\bif\b",
    r"\binstead of\b",
    r"\brather than\b",
    r"\bdecid(e|ed|ing)\b",
    r"\bblock\b",
    r"\broll ?back\b",
    r"\bthreshold\b",
    r"\bship\b",
    r"\bwould (pick|choose)\b",
    r"\bbecause\b",
    r"\bthat way\b",
    r"\bfor example\b",
    r"\bsuch as\b",
    r"\bunless\b",
)

#: Leadership and values clichés that no follow-up could test.
CLICHES = _rx(
    r"\bpassionate\b",
    r"in my DNA",
    r"\bfirm believer\b",
    r"at the end of the day",
    r"\bI (always|truly|deeply) (believe|care|put)\b",
    r"\bcustomer[- ]obsess(ed|ion)\b",
    r"\bobsessed with\b",
    r"\bbias for action\b",
    r"\bwin[- ]win\b",
    r"\bsynerg(y|ies)\b",
    r"move the needle",
    r"\bworld[- ]class\b",
    r"\bI thrive\b",
    r"\blead with empathy\b",
    r"\brally (the|my) team\b",
    r"\bbring (everyone|people) together\b",
    r"\bdeeply committed\b",
    r"\bnon-negotiable\b",
    r"\bmy (top|number one) priority\b",
    r"\bI never compromise\b",
    r"\bnorth star\b(?! (is|metric))",
    r"\bbest[- ]in[- ]class\b",
    r"\bgame[- ]chang(er|ing)\b",
    r"\bempower(ing)? (the|my) team\b",
    r"\bservant leader",
    r"\bradical candor\b",
    r"\bextreme ownership\b",
    r"\bI('m| am) (a )?natural\b",
    r"\btrust me\b",
    r"\bI('ve| have) always been\b",
    r"\bproven track record\b",
    r"\btransparen(t|cy) (is|are) key\b",
    r"\bcommunication is key\b",
    r"\bdo the right thing\b",
    r"\bvalues[- ]driven\b",
    r"\bmission[- ]driven\b",
)

#: A tradeoff collapsed into one rule.
COLLAPSE = _rx(
    r"move fast (and|&) (break|fix)",
    r"ship (it )?(now )?and (iterate|fix|patch)( it)? later",
    r"\blaunch and learn\b",
    r"never ship (anything )?until (it'?s|it is) (perfect|100)",
    r"(safety|quality) (always )?comes? first,? (period|no exceptions|full stop)",
    r"always (use|pick|choose) the (best|biggest|largest|most accurate|smartest) model",
    r"(accuracy|speed|growth) is (all|the only thing) that matters",
    r"speed is everything",
    r"\bzero risk\b",
    r"there('s| is) (no|never a) trade-?off",
    r"never (compromise|trade) on",
    r"(fix|patch) (it|them|issues) (in production|later|as we go)",
    r"we can always roll (it )?back",
    r"users will tell us",
    r"perfect is the enemy",
    r"just ship it",
    r"better to ask forgiveness",
)

#: Certainty about a cause or outcome.
CERTAINTY = _rx(
    r"\bclearly\b",
    r"\bdefinitely\b",
    r"\bobviously\b",
    r"without (a|any) doubt",
    r"\bcertainly\b",
    r"\bthe (root )?cause (is|was)\b",
    r"\b100 ?%",
    r"\bguarantee[sd]?\b",
    r"\bno question\b",
    r"\bI'?m (certain|sure)\b",
    r"\bproves?\b",
    r"\bundoubtedly\b",
    r"\bit'?s (just|simply) (because|the)\b",
    r"\bthere is no other\b",
    r"\bmust be (the|because)\b",
    r"\bwithout question\b",
    r"\bthe (only|real) reason\b",
)

#: Language that keeps uncertainty or alternatives open.
HEDGES = _rx(
    r"\bmight\b",
    r"\bcould (also )?be\b",
    r"\bmay be\b",
    r"\bnot sure\b",
    r"\buncertain",
    r"\bhypothes[ie]s\b",
    r"\brule (it |this |that )?out\b",
    r"\balternativ(e|ely)\b",
    r"\banother explanation\b",
    r"\bor it could\b",
    r"\bmy (best )?guess\b",
    r"\bI suspect\b",
    r"\bif I'?m wrong\b",
    r"\bwould change my mind\b",
    r"\bpossibly\b",
    r"\bperhaps\b",
    r"\bunclear\b",
    r"\bdon'?t know yet\b",
    r"\bone possibility\b",
)

#: Named mechanisms: the vocabulary of someone who has looked inside the system.
MECHANISMS = _rx(
    r"KV[- ]cache",
    r"time[- ]to[- ]first[- ]token",
    r"\bTTFT\b",
    r"\bp\d{2}\b",
    r"\brerank",
    r"\brecall\b",
    r"\bprecision\b",
    r"\bindex(ing|ed)?\b",
    r"\bchunk(s|ing)?\b",
    r"\bholdout\b",
    r"\bcanary\b",
    r"shadow (mode|traffic|launch)",
    r"inter-?rater",
    r"\bkappa\b",
    r"\bquantiz",
    r"\bdistill",
    r"prompt cach",
    r"\bbatch(ing|ed)?\b",
    r"\brate limit",
    r"\bcold start",
    r"\bthroughput\b",
    r"\btokeniz",
    r"\bstreaming\b",
    r"\bspeculative\b",
    r"\bretriev(al|er)\b",
    r"\bgolden set\b",
    r"\blabel(s|ed|ers|ing)?\b",
    r"\bthreshold",
    r"\bfallback\b",
    r"\brout(e|ing|er)\b",
    r"\bkill switch\b",
    r"\bfeature flag",
    r"\bconfusion matrix\b",
    r"\bfalse (positive|negative)s?\b",
    r"\bbaseline\b",
    r"\bstaged rollout\b",
    r"\brollout\b",
    r"\bescalat",
    r"\baudit log",
    r"\bprompt injection\b",
    r"\bcontrol group\b",
    r"\bstatistical(ly)? significan",
    r"\bsample size\b",
)

#: Numbers with a unit, percentages, money and durations.
SPECIFICS = re.compile(
    r"(?:[$€£]\s?\d[\d,.]*\s?[kKmMbB]?\b)|"
    r"(?:\b\d[\d,.]*\s?(?:%|percent\b|ms\b|milliseconds?\b|seconds?\b|s\b|minutes?\b|hours?\b|"
    r"days?\b|weeks?\b|months?\b|x\b|k\b|tokens?\b|users?\b|tickets?\b|queries\b|requests?\b|"
    r"examples?\b|samples?\b|labels?\b|cents?\b|dollars?\b|points?\b|pp\b|qps\b|gb\b|mb\b|"
    r"languages?\b|agents?\b|customers?\b|reviewers?\b|annotators?\b))|"
    r"(?:\bp(?:50|90|95|99)\b)",
    re.IGNORECASE,
)

#: The generic product-process moves of a surface answer: right shape, nothing specific.
GENERIC_PROCESS = _rx(
    r"\bunderstand(ing)? (the |their |each team'?s |the user'?s )?(goals?|needs|concerns|use case|"
    r"constraints|priorities|problem)\b",
    r"\bstakeholders?\b",
    r"\balign(ing|ed)? (on|everyone|the team|stakeholders)\b",
    r"\bdata[- ]driven\b",
    r"\blet (the )?data (drive|decide)\b",
    r"\bkey metrics\b",
    r"\bsuccess metrics\b",
    r"\bnorth star\b",
    r"\b(monitor|track) (the )?(metrics|kpis|results)\b",
    r"\biterate\b",
    r"\bMVP\b",
    r"\bpilot\b",
    r"\bbest practices\b",
    r"\bdeep dive\b",
    r"\bdefine (the )?(goals?|metrics|success)\b",
    r"\bgather (data|requirements|feedback)\b",
    r"\bcollect (user )?feedback\b",
    r"\buser research\b",
    r"\bethical (issues|concerns|considerations)\b",
    r"\bbalance\b",
    r"\bholistic\b",
    r"\bend[- ]to[- ]end\b",
    r"\bcross[- ]functional\b",
    r"\bcontinuous(ly)? improv",
    r"\bbuild trust\b",
    r"\bover-?communicat",
    r"\btransparen(t|cy)\b",
    r"\bprioriti[sz](e|ation)\b",
    r"\bframework\b",
    r"\bstructured\b",
    r"\bdashboard",
    r"\bKPIs?\b",
    r"\bquality control\b",
    r"\brisk[- ]based\b",
    r"\bphased approach\b",
)

#: Waving a risk away: the problem is declared solved, small, or someone else's.
DISMISSAL = _rx(
    r"\bnot (too |that |very )?(worried|concerned)\b",
    r"\bwouldn'?t (overthink|worry)\b",
    r"\bsolved problem\b",
    r"\b(works|working) (really )?well these days\b",
    r"\bdon'?t (really )?need (many|much|to worry)\b",
    r"\bnoise (cancels|averages) out\b",
    r"\bas (user )?reports come in\b",
    r"\bwe can (always |just )?(fix|patch|fine-?tune|tweak|look "
    r"into|adjust|loosen|retrain)\b.{0,40}\b(later|then|if|as)\b",
    r"\bstate of the art\b",
    r"\bvery capable\b",
    r"\bpowerful (enough|now)\b",
    r"\bgood enough\b",
    r"\bjust (ship|launch)\b",
    r"\bno need to\b",
    r"\bobviously\b",
    r"\bI'?d (just )?trust (it|the)\b",
    r"\bmore data (usually )?beats\b",
    r"\bsmall cost\b",
    r"\b(is|are) (basically|pretty much) (fine|solved|done)\b",
    r"\bfix (it|them|problems|issues) (as|when|if)\b",
    r"\bkeep monitoring\b",
    r"\bjust\b",
)
