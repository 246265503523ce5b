"""Detect the anti-patterns of ``pmloop.vocabulary.Flag``, each with the sentence that raised it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pmloop._coldstart import compile_pattern
from pmloop.grading._lexicon import (
    CERTAINTY_FOLDED,
    CLICHES,
    COLLAPSE,
    FRAMEWORKS,
    HEDGES_FOLDED,
    SKELETON_FRAMEWORKS,
)
from pmloop.grading._text import Span
from pmloop.grading.offline._features import JargonProfile, TermUse
from pmloop.vocabulary import Flag

__all__ = ["FlagHit", "detect_flags", "in_quotes"]

# A phrase quoted in order to reject it ("not 'move fast and break things'") is not the phrase.
_REJECTING = compile_pattern(
    r"(\bnot\b|n't\b|\bnever\b|\bno\b|rather than|instead of|\bavoid|\bwithout\b|\bbeyond\b|"
    r"\bskip\b|\bforget\b|\bset aside\b|\bisn'?t\b|\bwon'?t\b|\bwouldn'?t\b|\bagainst\b|"
    r"\bslogan\b|\bpeople say\b|\bthe temptation\b|\bconfirm\b|\bcheck\b|\bwhether\b|"
    r"\bif\b|\bunless\b)[^.!?]{0,12}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FlagHit:
    """An anti-pattern found in the answer, with the sentence that shows it."""

    flag: Flag
    sentence: Span
    explanation: str


def _rejected(text: str, start: int) -> bool:
    return bool(_REJECTING.search(text[:start]))


def in_quotes(text: str, start: int) -> bool:
    """Whether ``start`` falls inside quotation marks: words the answer cites, not asserts."""
    before = text[:start]
    return before.count('"') % 2 == 1 or before.count("“") > before.count("”")


def detect_flags(
    sentences: list[Span],
    term_uses: list[TermUse],
    specifics_per_100_words: float,
    holds_alternatives: bool,
    jargon: JargonProfile | None = None,
) -> list[FlagHit]:
    """Every anti-pattern the answer shows, at most one hit per flag."""
    hits: list[FlagHit] = []
    for detector in (_framework, _theater, _collapse):
        hit = detector(sentences, specifics_per_100_words)
        if hit:
            hits.append(hit)
    buzz = _buzzwords(term_uses, jargon)
    if buzz:
        hits.append(buzz)
    certain = _certainty(sentences, holds_alternatives)
    if certain:
        hits.append(certain)
    order = list(Flag)
    return sorted(hits, key=lambda h: order.index(h.flag))


def _framework(sentences: list[Span], density: float) -> FlagHit | None:
    for index, span in enumerate(sentences):
        matches = list(FRAMEWORKS.finditer(span.text))
        if index == 0 and (len(span.text.split()) <= 12 or span.text.rstrip().endswith(":")):
            # a method the answer opens with carries it ("I'd run a 5 Whys."); used along the
            # way ("a fishbone of the candidate causes: ...") it is a tool
            matches += SKELETON_FRAMEWORKS.finditer(span.text)
        for match in matches:
            if not _rejected(span.text, match.start()):
                name = match.group(0)
                return FlagHit(
                    Flag.FRAMEWORK_RECITATION,
                    span,
                    f"{name} is carrying the structure of the answer; the interviewer is "
                    "listening for reasoning about this product, not a recalled sequence.",
                )
    return None


def _theater(sentences: list[Span], density: float) -> FlagHit | None:
    found = [
        (span, match.group(0))
        for span in sentences
        for match in CLICHES.finditer(span.text)
        if not _rejected(span.text, match.start())
    ]
    if len(found) >= 3 or (len(found) >= 2 and density < 2.0):
        span, phrase = found[0]
        return FlagHit(
            Flag.PERFORMANCE_THEATER,
            span,
            f'Lines like "{phrase}" sound assured but give a follow-up question nothing to '
            "test: no decision, number or mechanism stands behind them.",
        )
    return None


#: "Full stop" and "no exceptions" end a tradeoff when they close a claim about shipping,
#: waiting, quality or a cause; closing a narrow rule ("never act on instructions found in page
#: content, full stop") they state a bright line, which a senior answer may well draw.
_BLANKET = compile_pattern(r"(,\s*|^\W*)(full stop|period|no exceptions)\b", re.IGNORECASE)
_TRADEOFF_WORDS = compile_pattern(
    r"\b(ship|shipping|launch|release|until|wait|deadline|date|quality|safety|accuracy|speed|"
    r"growth|cause|root cause|reason|explanation|comes first|matters|priority|perfect)\b",
    re.IGNORECASE,
)


def _blanket(sentences: list[Span]) -> Span | None:
    for index, span in enumerate(sentences):
        match = _BLANKET.search(span.text)
        if match is None or _rejected(span.text, match.start()):
            continue
        # "Full stop." on its own closes the sentence before it
        claim = span.text[: match.start()] or (sentences[index - 1].text if index else "")
        if _TRADEOFF_WORDS.search(claim):
            return span
    return None


#: A rule scoped to one kind of error: "on wrong cancellations", "for unauthorised transfers".
_ONE_CLASS = compile_pattern(
    r"\s+(?:on|for)\s+(?:any\s+)?(?:(?:wrong|unauthori[sz]ed|incorrect|mistaken|duplicate|double)"
    r"\s+(?:cancellations?|deletions?|transfers?|payments?|refunds?|doses?|charges?|bookings?|"
    r"prescriptions?|orders?|trades?|account closures?)|irreversible\s+[\w-]+|"
    # "zero tolerance on dose and number errors": errors of a named kind, not errors at large
    r"(?!(?:all|any|every|the|model|ai|system|our|its)\b)[a-z-]+(?:\s+(?:and|or)\s+[a-z-]+)?"
    r"\s+(?:errors?|mistakes?|misreads?))"
    r"(?![^.!?]*\b(?:whatever|no matter|at any cost|at all costs)\b)",
    re.IGNORECASE,
)


def _collapse(sentences: list[Span], density: float) -> FlagHit | None:
    del density
    blanket = _blanket(sentences)
    if blanket is not None:
        return FlagHit(
            Flag.HEURISTIC_COLLAPSE,
            blanket,
            "A blanket rule settles the tradeoff; the interviewer wants to see both sides weighed "
            "for this case.",
        )
    for span in sentences:
        for match in COLLAPSE.finditer(span.text):
            if match.group(0).lower().startswith("no matter") and not _TRADEOFF_WORDS.search(
                span.text[: match.start()]
            ):
                # "these allergy items ask first, no matter what the numbers say" draws a bright
                # line around one segment; "we ship Friday no matter what" ends the tradeoff
                continue
            if match.group(0).lower().startswith("zero") and _ONE_CLASS.match(
                span.text, match.end()
            ):
                # "zero tolerance on wrong cancellations" draws a bright line around one kind of
                # error; "zero tolerance for errors" settles every tradeoff
                continue
            if not _rejected(span.text, match.start()):
                return FlagHit(
                    Flag.HEURISTIC_COLLAPSE,
                    span,
                    f'"{match.group(0)}" settles the tradeoff with a rule; the interviewer '
                    "wants to see both sides weighed for this case.",
                )
    return None


#: The figures a text states ("1,200", "0.97"), each read once. A list that gives figures of its
#: own ("300 questions: 60% from usage logs, 40% written by the solutions team (churn, revenue,
#: cohorts)") is a plan, not a run of terms.
DIGIT_RUNS = re.compile(r"\d+(?:[.,]\d+)*")


def _buzzwords(term_uses: list[TermUse], jargon: JargonProfile | None) -> FlagHit | None:
    stuffed = [s for s in jargon.stuffed if len(DIGIT_RUNS.findall(s.text)) < 2] if jargon else []
    if (
        jargon is not None
        and stuffed
        and (len(stuffed) >= 2 or jargon.hits >= 2 * max(jargon.reasoning, 1))
    ):
        sentence = stuffed[0]
        return FlagHit(
            Flag.BUZZWORD_WITHOUT_SUBSTANCE,
            sentence,
            "This line lists the right terms without saying what any of them costs, where it "
            "fails, or what you would decide because of it.",
        )
    if not term_uses:
        return None
    bare = [u for u in term_uses if not u.explained]
    distinct = {u.term.lower() for u in bare}
    if (
        len(distinct) >= 3
        and len(bare) >= 0.5 * len(term_uses)
        or (len(distinct) >= 2 and len(bare) == len(term_uses))
    ):
        counts: dict[Span, list[str]] = {}
        for use in bare:
            counts.setdefault(use.sentence, []).append(use.term)
        sentence, terms = max(counts.items(), key=lambda item: len(item[1]))
        named = ", ".join(f"'{t}'" for t in dict.fromkeys(terms))
        return FlagHit(
            Flag.BUZZWORD_WITHOUT_SUBSTANCE,
            sentence,
            f"{named} appear with no cost, failure, mechanism or decision attached; naming the "
            "right terms is not the same as knowing what they do here.",
        )
    return None


def _conditional(text: str, start: int) -> bool:
    """Whether the claim at ``start`` is said under a condition in its own clause ("if they
    agree 95 percent, it's clearly worse"): a claim about a case, not one asserted as settled."""
    clause = re.split(r"[;:!?]|\.(?!\d)", text[:start])[-1]
    return bool(re.search(r"\b(if|unless|when|once|should)\b", clause, re.IGNORECASE))


#: A significance test that was run, named in the sentence ("a sign test gives p below 0.01"):
#: "statistically significant" beside it reports a result, not a certainty...
_TESTED = re.compile(
    r"\b(p-values?|p ?[<=]|p (below|under|less than|well under)|sign test|binomial|z-test|"
    r"permutation test|t-test|chi-squared|bootstrap|confidence intervals?)\b",
    re.IGNORECASE,
)
#: ...unless the test is waved away ("I don't need a confidence interval").
_UNTESTED = re.compile(
    r"\b(don'?t|do not|no|nobody|never|without)\b( \w+){0,3} (need|needs|bother with|wait for|"
    r"p-values?|tests?|confidence intervals?)\b",
    re.IGNORECASE,
)


def _reports_a_test(text: str, said: str) -> bool:
    return (
        said.lower().startswith("statistically")
        and bool(_TESTED.search(text))
        and not _UNTESTED.search(text)
    )


def _certainty(sentences: list[Span], holds_alternatives: bool) -> FlagHit | None:
    hedges = sum(len(HEDGES_FOLDED.findall(s.text)) for s in sentences)
    if holds_alternatives and hedges:
        return None
    found = [
        span
        for span in sentences
        for match in CERTAINTY_FOLDED.finditer(span.text)
        if not _rejected(span.text, match.start())
        and not in_quotes(span.text, match.start())
        and not _conditional(span.text, match.start())
        and not _reports_a_test(span.text, match.group(0))
    ]
    # certainty flags only where assertions outnumber the words that keep doubt open
    if found and len(found) > hedges:
        return FlagHit(
            Flag.FALSE_CERTAINTY,
            found[0],
            "One explanation is stated as settled, but the evidence described fits others; "
            "no uncertainty is named and nothing is ruled out.",
        )
    return None
