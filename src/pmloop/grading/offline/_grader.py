"""The offline grader: explainable features, a fitted level model, no network.

For each answer it finds which rubric signals the answer shows (the question's own, or the
competency rubric for a question not in the bank), which consequence-awareness habits appear,
how specific it is, which AI terms are left unexplained, and which anti-patterns it shows. A
level model turns those named features into a level; every level comes back with the signals
and flags that drove it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from pmloop import __version__
from pmloop.bank import Bank, Question, default_bank_path, load_bank
from pmloop.grading._grade import (
    CompetencyGrade,
    Driver,
    Evidence,
    FlagResult,
    Grade,
    GraderInfo,
    MissingSignal,
    QuestionRef,
    RegisterReading,
    SignalResult,
)
from pmloop.grading._lexicon import (
    ABSOLUTES_FOLDED,
    CONDITION,
    DECISION_FOLDED,
    DISMISSAL_FOLDED,
    GENERIC_PROCESS_FOLDED,
    HEDGES_FOLDED,
    JARGON_FOLDED,
    RESTATEMENTS_FOLDED,
    SENIOR_TERMS_FOLDED,
)
from pmloop.grading._matching import QuestionContext, load_derived
from pmloop.grading._text import Span, content_stems, split_sentences, words
from pmloop.grading._wordlists import word_lists
from pmloop.grading.offline._features import (
    CONSEQUENCE_FEATURES,
    TermUse,
    detect_consequence,
    find_specifics,
    find_term_uses,
    jargon_profile,
)
from pmloop.grading.offline._feedback import candidate_terms, choose_follow_up, senior_delta
from pmloop.grading.offline._flags import FlagHit, detect_flags
from pmloop.grading.offline._level import (
    BRIEF_FEATURE,
    CAP_DRIVER,
    CAPS,
    FEATURE_LABELS,
    FLOOR_FEATURE,
    FLOOR_RULES,
    FOLLOW_UP_FLOOR,
    GENERIC_FEATURE,
    JARGON_FEATURE,
    MISCOUNT_FEATURE,
    RESTATED_FEATURE,
    SURFACE_RULES,
    THIN_FEATURE,
    LevelModel,
    LevelPrediction,
    load_level_model,
    scale,
)
from pmloop.grading.offline._register import Register, RegisterIndex, reference_stems
from pmloop.grading.offline._signals import (
    MATCH_THRESHOLD,
    SignalMatch,
    SignalMatcher,
    SignalSpec,
    build_idf,
    text_concepts,
)
from pmloop.grading.offline._substance import (
    RedLines,
    Relevance,
    TopicIndex,
    argues_from_numbers,
    asks_conversation,
    asks_for_call,
    blank,
    check_arithmetic,
    clean_answer,
    find_call,
    find_hedge,
    list_only,
    names_nothing,
    not_a_conversation,
    not_a_story,
    red_line_hits,
    unanswered_yes_no,
    untold,
    worked_figures,
)
from pmloop.vocabulary import FLAG_CAPS, FLAGS, Competency, Flag, Level, QuestionFormat

if TYPE_CHECKING:
    from pmloop.settings import Settings

__all__ = ["Analysis", "OfflineGrader", "build_offline_grader", "offline_grader"]

_CONSEQUENCE_PREFIX = "consequence."
#: How many drivers a grade lists, and the smallest move worth listing (latent units).
_DRIVERS = 6
_MIN_CONTRIBUTION = 0.2
_FEATURE_BY_ID = {f.id: f for f in CONSEQUENCE_FEATURES}
#: Fewer words than this, with nothing specific and no signal, is a line with nothing in it.
_THIN_WORDS = 35
#: A first answer shorter than this is surface at most, however apt its one line is.
_BRIEF_WORDS = 30
#: Fewer words than this cannot carry a complete process for a case, whatever it names.
_PROCESS_WORDS = 45
#: Padding: an answer this long at least, in which under this share of the content words are
#: new (not in the question, its case or an earlier sentence), and with next to nothing specific
_RESTATED_WORDS = 100
_RESTATED_NOVELTY = 0.5
_RESTATED_SPECIFICITY = 0.1
#: ...or under these shares, when the answer says once, or twice or more, that it is saying it
#: again ("in other words", "to put it differently"): no labeled strong or senior answer says
#: it twice, and the one that says it once has 0.76 new. Such an answer may carry a figure or
#: two more.
_RESTATED_NOVELTY_MARKED = (0.6, 0.7, 0.75)
_RESTATED_SPECIFICITY_MARKED = 0.15
#: Said three times or more, the answer is heard as going round in circles even with a few of
#: the case's figures in it: no labeled answer outside the padding category says it even twice.
_RESTATED_SPECIFICITY_THRICE = 0.25
#: Unmarked, it must also take up little of what the question's rubric asks: an answer that
#: works through the case's own facts reuses the case's words, so little of it is new, but it
#: meets the rubric: two sound development answers, one senior, met every strong signal, and no
#: padding answer the rule catches met more than half of them.
_RESTATED_COVERAGE = 0.6
#: ...and one that shows senior signals and consequence habits together (their shares adding to
#: at least this) argues more than it restates: no padding answer in development reached 0.8,
#: and a plain senior answer that retells the case in its own words did.
_RESTATED_SENIOR = 1.0
#: ...and one that works out at least this many results of its own (not the case's figures
#: repeated, nor list numbers or counts of its plan) works the case rather than restating it:
#: no answer the rule caught in development worked out one, and a plain senior answer that
#: worked out who is hurt and by how much ("a fifth of 40,000 is 8,000 students ... gets about
#: 7.2") worked out two.
_RESTATED_WORKED = 2
#: Padding by one word: an answer whose most frequent content word (a number, and the words of
#: the question and its case, aside) comes back at least _HARPED_TIMES times and makes up at least
#: _HARPED_SHARE of its content words says one thing over and over ("the bubble ... pop the
#: bubble ... bubble-breaking"), however its sentences vary. The case's own words are set aside
#: because a sound short answer keeps naming its subject ("warn" ten times in an answer on a scam
#: warning's threshold). In development (the adversarial set and data/labeled, answers of 30
#: content words or more) the 60 answers past both lines were all labeled below bar or surface;
#: no answer labeled strong or senior went past 0.12 (a plain senior answer that says "doctor"
#: 10 times in 90 content words), and from 0.12 up, with 6 or more, all 123 were labeled 1 or 2.
_HARPED_TIMES = 8
_HARPED_SHARE = 0.15
_HARPED_MIN = 30


@lru_cache(maxsize=256)
def _case_words(text: str) -> frozenset[str]:
    return frozenset(content_stems(text))


def harps_on(text: str, case: str = "") -> str:
    """The content word ``text`` says over and over, the words of ``case`` (the question and its
    scenario) aside (see _HARPED_SHARE); empty when none."""
    stems = [stem for stem in content_stems(text) if not stem.isdigit()]
    if len(stems) < _HARPED_MIN:
        return ""
    own = _case_words(case)
    counts = Counter(stem for stem in stems if stem not in own)
    if not counts:
        return ""
    stem, times = counts.most_common(1)[0]
    return stem if times >= _HARPED_TIMES and times >= _HARPED_SHARE * len(stems) else ""


#: Vocabulary salad: at least this much jargon (the scaled feature) with at most this share of
#: the case's own words taken up
_SALAD_JARGON = 0.15
_SALAD_CASE = 0.2
#: ... and less than this much that is specific (numbers, named details): figures and named
#: details are something a follow-up can test, whatever words carry them
_SALAD_SPECIFICITY = 0.5


def _rules_hash(bank: Bank) -> str:
    """A short hash of the grader's code, word lists, and the bank's red lines and calls.

    An edited lexicon, rule or red line never passes as the same grader (the word-list files
    are in it too, so the caches built with them are rebuilt when they change).
    """
    import hashlib

    digest = hashlib.sha256()
    digest.update(word_lists().digest.encode())
    for package, module in (
        ("pmloop.grading", "_lexicon.py"),
        ("pmloop.grading.offline", "_substance.py"),
        ("pmloop.grading.offline", "_features.py"),
        ("pmloop.grading.offline", "_flags.py"),
        ("pmloop.grading", "_text.py"),
        ("pmloop.grading.offline", "_signals.py"),
        ("pmloop.grading.offline", "_grader.py"),
        ("pmloop.grading.offline", "_register.py"),
        ("pmloop.grading.offline", "_level.py"),
    ):
        digest.update(resources.files(package).joinpath(module).read_bytes())
    for question in bank:
        digest.update(repr((question.id, question.call, question.red_lines)).encode())
    return digest.hexdigest()[:8]


def _names_terms(text: str) -> bool:
    return len(JARGON_FOLDED.findall(text)) + len(SENIOR_TERMS_FOLDED.findall(text)) >= 3


@dataclass(frozen=True)
class Analysis:
    """Everything the grader read in one answer, before the level model decides."""

    answer: str
    sentences: tuple[Span, ...]
    word_count: int
    matches: tuple[SignalMatch, ...]
    consequence: Mapping[str, Sequence[Span]]
    term_uses: tuple[TermUse, ...]
    specifics: tuple[str, ...]
    flags: tuple[FlagHit, ...]
    register: Register
    features: Mapping[str, float]
    #: the answer as graded: grader-directed text, markup and code blanked out
    graded_text: str = ""

    def quote(self, span: Span) -> str:
        """The words of ``span`` as the candidate wrote them."""
        return self.answer[span.start : span.end]


def _load_rubric() -> dict[Competency, list[SignalSpec]]:
    text = (
        resources.files("pmloop.grading.offline")
        .joinpath("data", "competency_rubric.yaml")
        .read_text()
    )
    data = yaml.safe_load(text)
    rubric: dict[Competency, list[SignalSpec]] = {}
    for competency in Competency:
        rubric[competency] = [
            SignalSpec(
                id=item["id"],
                label=item["label"],
                level="strong",
                why_it_matters=item["why_it_matters"],
                paraphrases=tuple(item["paraphrases"]),
                competency=competency,
                patterns=tuple(re.compile(p, re.IGNORECASE) for p in item.get("patterns", ())),
            )
            for item in data[competency.value]
        ]
    return rubric


def _question_specs(question: Question) -> list[SignalSpec]:
    return [
        SignalSpec(s.id, s.label, s.level, s.why_it_matters, tuple(s.paraphrases), question.primary)
        for s in question.signals
    ]


def _consequence_spec(feature_id: str) -> SignalSpec:
    feature = _FEATURE_BY_ID[feature_id]
    return SignalSpec(
        _CONSEQUENCE_PREFIX + feature.id, feature.label, "senior", feature.why_it_matters, ()
    )


class OfflineGrader:
    """Grades answers with the bank's rubrics and the fitted level model, entirely offline."""

    name = "offline"

    def __init__(self, bank: Bank, model: LevelModel | None = None) -> None:
        self.bank = bank
        self.model = model or load_level_model()
        self._rules = _rules_hash(bank)
        #: the word-list files get a part of their own, so an edited list shows in the version
        self.version = (
            f"{__version__}+levels.{self.model.version}.rules.{self._rules}"
            f".lists.{word_lists().digest[:8]}"
        )
        self._matchers: dict[str, SignalMatcher] = {}
        self._topics: dict[str, frozenset[str]] = {}
        self._red_lines: dict[str, RedLines] = {}

    @cached_property
    def _rubric(self) -> dict[Competency, list[SignalSpec]]:
        return _load_rubric()

    @cached_property
    def _register_index(self) -> RegisterIndex:
        # The level model's register weight was fitted against the packaged bank's references,
        # so they always vote; a bank given with --bank adds its own (replacing same-id ones).
        references = {q.id: q for q in self._packaged_bank()}
        references.update({q.id: q for q in self.bank})
        # a roleplay's references are turns in a conversation and an ambiguity question's lean
        # on facts asked for: they read differently from a written answer, so only the
        # interview format's references say how an answer's wording sits among the levels
        questions = [q for q in references.values() if q.format is QuestionFormat.INTERVIEW]
        if self.bank.source.resolve() == default_bank_path().resolve():
            # the packaged bank's reference stems come from the disk cache with its indexes
            return RegisterIndex(questions, self._derived["register"])
        return RegisterIndex(questions)

    def _packaged_bank(self) -> Bank:
        if self.bank.source.resolve() == default_bank_path().resolve():
            return self.bank
        return load_bank()

    @cached_property
    def _derived(self) -> dict[str, Any]:
        """Indexes built from the bank alone, from the disk cache when it is fresh."""
        return load_derived(
            f"grader-{self.bank.content_hash[:20]}-{self._rules}.json",
            self._build_derived,
            keys=("idf", "red_idf", "topics", "register"),
        )

    def _build_derived(self) -> dict[str, Any]:
        signal_texts: list[str] = []
        for question in self.bank:
            for signal in question.signals:
                signal_texts.append(signal.label)
                signal_texts.extend(signal.paraphrases)
        rubric_texts: list[str] = []
        for specs in self._rubric.values():
            for spec in specs:
                rubric_texts.append(spec.label)
                rubric_texts.extend(spec.paraphrases)
        red_texts: list[str] = []
        for question in self.bank:
            for red in question.red_lines:
                red_texts.append(red.label)
                red_texts.extend(red.paraphrases)
        return {
            "idf": build_idf(signal_texts + rubric_texts),
            "red_idf": build_idf(
                red_texts + [p for q in self.bank for s in q.signals for p in s.paraphrases]
            ),
            "topics": TopicIndex(self.bank).state(),
            "register": reference_stems(
                q for q in self.bank if q.format is QuestionFormat.INTERVIEW
            ),
        }

    @cached_property
    def _topics_index(self) -> TopicIndex:
        return TopicIndex(self.bank, self._derived["topics"])

    @property
    def _idf(self) -> dict[str, float]:
        idf: dict[str, float] = self._derived["idf"]
        return idf

    @property
    def _red_idf(self) -> dict[str, float]:
        idf: dict[str, float] = self._derived["red_idf"]
        return idf

    def _specs(self, context: QuestionContext) -> tuple[str, list[SignalSpec]]:
        if context.question is not None:
            return context.question.id, _question_specs(context.question)
        key = "rubric:" + ",".join(c.value for c in context.competencies)
        return key, [spec for c in context.competencies for spec in self._rubric[c]]

    def _matcher(self, context: QuestionContext) -> SignalMatcher:
        key, specs = self._specs(context)
        if key not in self._matchers:
            self._matchers[key] = SignalMatcher(specs, self._idf)
        return self._matchers[key]

    def _topic(self, context: QuestionContext) -> frozenset[str]:
        """Content concepts of what was asked: the question and, for a bank question, its case."""
        key = context.question.id if context.question else "topic:" + context.text
        if key not in self._topics and len(self._topics) > 4096:
            self._topics.clear()  # pasted questions never end; keep the cache bounded
        if key not in self._topics:
            parts = [context.text, *_case_parts(context)]
            generic = {"~user", "~eval", "~failure", "~cost"}
            self._topics[key] = frozenset().union(*(text_concepts(p) for p in parts)) - generic
        return self._topics[key]

    def analyse(self, context: QuestionContext, answer: str) -> Analysis:
        """Read the answer: signals, consequence habits, terms, specifics, flags, features.

        The substance checks come first: text aimed at the grader, markup and code are blanked
        out (offsets kept, so quotes stay verbatim), and sentences arguing for a red line or
        only naming terms show no rubric signal.
        """
        cleaned = clean_answer(answer)
        text = cleaned.text
        sentences = split_sentences(text)
        asked = " ".join([context.text, *_case_parts(context)])
        term_uses = find_term_uses(sentences)
        jargon = jargon_profile(sentences)
        listed = frozenset(s for s in sentences if list_only(s))
        explained = {u.sentence for u in term_uses if u.explained}
        bare = frozenset(u.sentence for u in term_uses if u.sentence not in explained)
        bare |= frozenset(jargon.stuffed) | listed
        all_tokens = [text_concepts(s.text) for s in sentences]
        red = red_line_hits(context.question, self._red_idf, sentences, all_tokens, self._red_lines)
        red_spans = {hit.sentence for hit in red}
        # a sentence whose terms go unexplained, that only lists terms, or that argues for a red
        # line shows no signal
        silent = (bare - explained) | set(jargon.stuffed) | listed | red_spans
        argued, tokens = [], []
        for span, concepts in zip(sentences, all_tokens, strict=True):
            if span not in silent:
                argued.append(span)
                tokens.append(concepts)
        matches = self._matcher(context).match(argued, tokens)
        consequence = detect_consequence([s for s in sentences if s not in red_spans], bare)
        count = len(words(text))
        arithmetic = check_arithmetic(sentences)
        counted = text
        for hit in arithmetic:
            # numbers that do not add up earn no credit for specificity
            counted = blank(counted, hit.sentence.start, hit.sentence.end)
        specifics = find_specifics(counted)
        density = 100.0 * len(specifics) / max(count, 1)
        holds_alternatives = bool(consequence["competing_hypotheses"])
        # a term the case itself uses names the case ("our red-team PR" where the question
        # reports what the red team found): not vocabulary brought in to sound senior
        case_words = _plain_words(asked) if term_uses else ""
        own_terms = [u for u in term_uses if _plain_words(u.term) not in case_words]
        flags = detect_flags(sentences, own_terms, density, holds_alternatives, jargon)
        if listed and not any(h.flag is Flag.BUZZWORD_WITHOUT_SUBSTANCE for h in flags):
            named = [s for s in sorted(listed, key=lambda s: s.start) if _names_terms(s.text)]
            if named:
                flags.append(
                    FlagHit(
                        Flag.BUZZWORD_WITHOUT_SUBSTANCE,
                        named[0],
                        "This sentence only names concepts; none of them is tied to this case, "
                        "a cost, a failure or a decision.",
                    )
                )
        register = self._register_index.read(
            text, context.question.id if context.question is not None else None
        )
        # how close the answer sits to this question against the bank's others (with what the
        # grader was told left out): the off-topic check reads it, and the level model too
        relevance = (
            self._topics_index.read(
                " ".join(s.text for s in sentences), context.question, context.text
            )
            if sentences
            else None
        )
        salad = any(h.flag is Flag.BUZZWORD_WITHOUT_SUBSTANCE for h in flags)
        flags += self._substance_flags(
            context, cleaned.grader_directed, sentences, count, red, arithmetic, relevance, salad
        )

        met_ids = {m.spec.id for m in matches if m.met}
        met_ids |= {fid for fid, spans in consequence.items() if spans}
        strong = [m for m in matches if m.spec.level == "strong"]
        senior = [m for m in matches if m.spec.level == "senior"]
        answer_tokens = frozenset().union(*tokens) if tokens else frozenset()
        # a call with its condition attached ("ship to 5% unless ...") versus a bare one
        decided = [s for s in sentences if DECISION_FOLDED.search(s.text)]
        conditional = sum(1 for s in decided if CONDITION.search(s.text))
        on_topic = len(answer_tokens & self._topic(context))
        if context.question is not None:
            strong_coverage = _share(strong, met_ids)
            senior_coverage = _share(senior, met_ids)
            senior_closeness = _closeness(senior, met_ids, len(senior))
        else:
            # The competency rubric is wider than one question's and has no senior signals of
            # its own: three strong signals count as full coverage, and any three consequence
            # habits stand in for the senior ones (which competency they are filed under does
            # not matter when the question itself is unknown).
            strong_coverage = min(sum(1 for m in strong if m.spec.id in met_ids) / 3, 1.0)
            senior_coverage = min(sum(1 for spans in consequence.values() if spans) / 3, 1.0)
            senior_closeness = senior_coverage
        # raw measurements; ``scale`` caps each one where the feature table says it stops
        # counting
        features = scale(
            {
                "strong_coverage": strong_coverage,
                "senior_coverage": senior_coverage,
                "senior_closeness": senior_closeness,
                "consequence": sum(1 for s in consequence.values() if s),
                "specificity": density,
                "unexplained_terms": (
                    sum(not u.explained for u in term_uses) / len(term_uses) if term_uses else 0.0
                ),
                "topicality": on_topic,
                "case_coverage": min(on_topic / max(min(len(self._topic(context)), 20), 1), 1.0),
                "decision": conditional,
                "bare_decision": len(decided) - conditional,
                "absolutes": 100.0 * len(ABSOLUTES_FOLDED.findall(text)) / max(count, 1),
                "hedging": len(HEDGES_FOLDED.findall(text)) / max(len(sentences), 1),
                # a follow-up asks one narrow thing: half the words of a first answer say
                # as much
                "brevity": count * (2 if context.follow_up else 1),
                # a pasted question is graded with the thinner competency rubric; the model
                # may shift its scale rather than read the same coverage as on a bank question
                "pasted": 0.0 if context.question is not None else 1.0,
                "generic_process": 100.0
                * len(GENERIC_PROCESS_FOLDED.findall(text))
                / max(count, 1),
                "dismissal": len(DISMISSAL_FOLDED.findall(text)),
                "jargon_density": jargon.per_100_words(count),
                "reasoning_density": jargon.reasoning / max(len(sentences), 1),
                "stuffed_share": len(jargon.stuffed) / max(len(sentences), 1),
                "register": register.feature,
                "senior_register": register.lean_feature,
                # a follow-up narrows the subject to one part of the case: it is not measured
                # against the whole case
                "relevance": (
                    CAPS["relevance"]
                    if context.follow_up
                    else 0.0
                    if relevance is None
                    else relevance.own
                ),
            }
        )
        # a line or two with no signal and nothing specific
        thin = count < _THIN_WORDS and not specifics and not met_ids
        if (
            thin
            # a number of any kind, or two of the case's own words, is something to test
            and not re.search(r"\d", text)
            and on_topic < 2
            and not any(h.flag in (Flag.OFF_TOPIC, Flag.RED_LINE) for h in flags)
        ):
            # nothing left at all (only markup, code or notes to the grader): quote what was sent
            first = sentences[0] if sentences else _whole(answer)
            flags.append(
                FlagHit(
                    Flag.NO_SUBSTANCE,
                    first,
                    "A line or two with nothing an interviewer could test: no number, "
                    "mechanism, named risk or reason tied to this case."
                    if sentences
                    else "Nothing is left once markup, code and notes to the grader are set "
                    "aside: there is no answer to grade.",
                )
            )
        order = list(Flag)
        flags.sort(key=lambda h: order.index(h.flag))
        for hit in flags:
            features[f"flag_{hit.flag.value}"] = 1.0
        if thin and not context.follow_up and not any(h.flag in FLAG_CAPS for h in flags):
            features[THIN_FEATURE] = 1.0  # it takes up the case, but says nothing to test
        elif count < _BRIEF_WORDS and not context.follow_up:
            features[BRIEF_FEATURE] = 1.0  # an apt line, but no room for the reasoning
        marked = min(len(RESTATEMENTS_FOLDED.findall(text)), 3) if count >= _RESTATED_WORDS else 0
        most = _RESTATED_SPECIFICITY_THRICE if marked >= 3 else _RESTATED_SPECIFICITY_MARKED
        # senior signals and consequence habits together are substance, however plainly said,
        # in an answer that makes a call (the call is looked for only when it would decide)
        if (
            count >= _RESTATED_WORDS
            and features["specificity"] <= most
            and (
                features["senior_coverage"] + features["consequence"] < _RESTATED_SENIOR
                or find_call(sentences) is None
            )
        ):
            novelty = _novelty(all_tokens, self._topic(context))
            # results worked out for the case do not restate it
            worked = len(worked_figures(text, asked)) >= _RESTATED_WORKED
            if not worked and (
                marked
                and novelty < _RESTATED_NOVELTY_MARKED[marked - 1]
                or novelty < _RESTATED_NOVELTY
                and features["specificity"] <= _RESTATED_SPECIFICITY
                and features["strong_coverage"] < _RESTATED_COVERAGE
            ):
                features[RESTATED_FEATURE] = 1.0  # one thing said several ways
        if harps_on(text, " ".join([context.text, *_case_parts(context)])):
            features[RESTATED_FEATURE] = 1.0  # one word said over and over
        if (
            not context.follow_up
            and features["jargon_density"] >= _SALAD_JARGON
            and features["case_coverage"] <= _SALAD_CASE
            and features["specificity"] < _SALAD_SPECIFICITY
        ):
            features[JARGON_FEATURE] = 1.0  # the right words, no case to attach them to
        if (
            not context.follow_up
            and relevance is not None
            and names_nothing(relevance, count, sentences)
        ):
            features[GENERIC_FEATURE] = 1.0  # it would fit any question
        if arithmetic and (len(arithmetic) >= 2 or argues_from_numbers(text, count)):
            # the numbers are the argument, and they do not hold: the case itself fails
            features[MISCOUNT_FEATURE] = 1.0
        # the floor needs an answer, not a list of its headings
        if (
            context.question is not None
            and strong_coverage >= 0.999
            and not flags
            and count >= _PROCESS_WORDS
        ):
            features[FLOOR_FEATURE] = 1.0
        # a follow-up that asks for a call, answered with one that carries its condition and a
        # figure to hold it to
        if (
            context.follow_up
            and asks_for_call(context.follow_up)
            and not flags
            and find_call(sentences) is not None
            and CONDITION.search(text)
            and re.search(r"\d", text)
        ):
            features[FOLLOW_UP_FLOOR] = 1.0
        return Analysis(
            answer=answer,
            sentences=tuple(sentences),
            word_count=count,
            matches=tuple(matches),
            consequence=consequence,
            term_uses=tuple(term_uses),
            specifics=tuple(specifics),
            flags=tuple(flags),
            register=register,
            features=features,
            graded_text=text,
        )

    def _substance_flags(
        self,
        context: QuestionContext,
        directed: Sequence[Span],
        sentences: Sequence[Span],
        count: int,
        red: Sequence[FlagHit],
        arithmetic: Sequence[FlagHit],
        relevance: Relevance | None,
        salad: bool = False,
    ) -> list[FlagHit]:
        """Grader-directed text, off topic, red lines, no call, bad arithmetic."""
        flags: list[FlagHit] = []
        if directed:
            flags.append(
                FlagHit(
                    Flag.GRADER_DIRECTED,
                    directed[0],
                    "Text addressed to the grader (levels, scores, checklists, instructions) is "
                    "left out; the answer is graded on what it says to the interviewer.",
                )
            )
        if sentences and relevance is not None:
            # a follow-up narrows the subject: only an answer to another question is off topic
            off = self._topics_index.off_topic(
                relevance, count, sentences, thin=not context.follow_up, salad=salad
            )
            if off is None and context.question is not None and not context.question.scenario:
                # a behavioural question asks what you did; a plan answers another question
                planned = None if context.follow_up else not_a_story(sentences)
                if planned is not None:
                    off = FlagHit(
                        Flag.OFF_TOPIC,
                        planned,
                        "The question asks for something you did; this says what you would "
                        "do. Tell one real case: what happened, what you weighed, what it cost.",
                    )
            if off is None and (context.question is None or not context.question.scenario):
                untold_at = None if context.follow_up else untold(context.text, sentences, count)
                if untold_at is not None:
                    off = FlagHit(
                        Flag.OFF_TOPIC,
                        untold_at,
                        "The question asks what you told them; this story never says what was "
                        "said to anyone. Say what you told them, in your words, and what you "
                        "held back and why.",
                    )
            if (
                off is None
                and not context.follow_up
                and asks_conversation(context.question, context.text)
            ):
                plan = not_a_conversation(context.question, sentences, count)
                if plan is not None:
                    off = FlagHit(
                        Flag.OFF_TOPIC,
                        plan,
                        "The question asks you to talk to someone; this is a plan that never "
                        "speaks to them or about them. Open the conversation: what you say "
                        "first, what you ask of them, and why.",
                    )
            if off is not None:
                flags.append(off)
        if red:
            flags.append(red[0])
        if context.follow_up:
            wants_call = asks_for_call(context.follow_up)
        elif context.question is not None:
            wants_call = context.question.call
        else:
            wants_call = asks_for_call(context.text)
        hedge = find_hedge(sentences) if wants_call and not red else None
        if hedge is not None and find_call(sentences) is None:
            flags.append(
                FlagHit(
                    Flag.NO_CALL,
                    hedge,
                    "The question asks for a decision and the answer never makes one, not even "
                    "a conditional one (\u201cship to X if Y; hold Z until W\u201d).",
                )
            )
        elif (
            wants_call
            and not red
            and context.question is None
            and not context.follow_up
            and sentences
            and not any(hit.flag is Flag.OFF_TOPIC for hit in flags)
        ):
            # a pasted yes-or-no ask that a long answer never gives a verdict on
            ask = unanswered_yes_no(context.text, sentences, count)
            if ask:
                flags.append(
                    FlagHit(
                        Flag.NO_CALL,
                        sentences[0],
                        f"The question asks yes or no (\u201c{ask}\u201d) and the answer never "
                        "says which, not even \u201cnot yet\u201d or \u201conly if\u201d: it "
                        "may answer a neighbouring question well, but not this one. Say where "
                        "you stand first.",
                    )
                )
        flags.extend(arithmetic[:1])
        return flags

    def __call__(self, question: QuestionContext, answer: str) -> Grade:
        """Grade ``answer`` to ``question``."""
        analysis = self.analyse(question, answer)
        prediction = self.model.predict(analysis.features)
        return self._grade(question, analysis, prediction)

    def _grade(
        self, context: QuestionContext, analysis: Analysis, prediction: LevelPrediction
    ) -> Grade:
        answer = analysis.answer
        # question signals first; consequence habits the question does not already name next
        results: list[SignalResult] = []
        met_specs: list[SignalSpec] = []
        missing_specs: list[SignalSpec] = []
        evidence: dict[Competency, list[Evidence]] = {c: [] for c in context.competencies}
        named = {m.spec.id for m in analysis.matches}
        for match in analysis.matches:
            spans = list(match.quotes)
            if not spans and analysis.consequence.get(match.spec.id):
                spans = [analysis.consequence[match.spec.id][0]]
            quotes = [_quote(answer, spans, analysis.graded_text)] if spans else []
            results.append(
                SignalResult(
                    id=match.spec.id,
                    label=match.spec.label,
                    level="senior" if match.spec.level == "senior" else "strong",
                    met=bool(quotes),
                    quotes=quotes,
                )
            )
            (met_specs if quotes else missing_specs).append(match.spec)
            if quotes:
                target = match.spec.competency or context.competencies[0]
                if target in evidence:
                    evidence[target].append(Evidence(quote=quotes[0], signal=match.spec.id))
        relevant = [
            f
            for f in CONSEQUENCE_FEATURES
            if f.id not in named and f.competencies & set(context.competencies)
        ]
        for feature in relevant:
            spans = list(analysis.consequence[feature.id])
            spec = _consequence_spec(feature.id)
            quotes = [analysis.quote(s) for s in spans[:2]]
            results.append(
                SignalResult(
                    id=spec.id, label=spec.label, level="senior", met=bool(quotes), quotes=quotes
                )
            )
            (met_specs if quotes else missing_specs).append(spec)
            for competency in feature.competencies & set(context.competencies):
                if quotes:
                    evidence[competency].append(Evidence(quote=quotes[0], signal=spec.id))

        missing_specs.sort(
            key=lambda s: (s.level != "senior", s.id.startswith(_CONSEQUENCE_PREFIX))
        )
        competencies = self._one_story(
            analysis, prediction, self._competency_grades(context, prediction, evidence)
        )
        asked = [context.text, context.follow_up or "", *_case_parts(context)]
        bare_terms = candidate_terms(
            list(dict.fromkeys(u.term for u in analysis.term_uses if not u.explained)), asked
        )
        level = prediction.level
        follow_up, follow_target = choose_follow_up(
            context.question, missing_specs, analysis.flags, bare_terms, level
        )
        return Grade(
            question=QuestionRef(
                text=context.question.text if context.question else context.text,
                bank_id=context.question.id if context.question else None,
                match_similarity=context.similarity,
                competencies=list(context.competencies),
            ),
            level=level,
            level_name=Level(level).label,  # type: ignore[arg-type]
            score=prediction.score,
            confidence=prediction.confidence,
            competencies=competencies,
            signals=results,
            flags=[
                FlagResult(
                    id=hit.flag, quote=analysis.quote(hit.sentence), explanation=hit.explanation
                )
                for hit in analysis.flags
            ],
            missing=[
                MissingSignal(id=s.id, label=s.label, why_it_matters=s.why_it_matters)
                for s in missing_specs
            ],
            senior_delta=senior_delta(level, met_specs, missing_specs, analysis.flags),
            follow_up=follow_up,
            follow_up_target=follow_target,
            unexplained_terms=bare_terms,
            grader=GraderInfo(name=self.name, version=self.version),
            drivers=self._drivers(analysis, prediction),
            register=RegisterReading(
                level=round(analysis.register.level, 3),
                reads_like=[
                    f"{n.question_id} ({n.level.label})" for n in analysis.register.neighbours
                ],
                shared_terms=list(analysis.register.shared),
            ),
        )

    def _drivers(self, analysis: Analysis, prediction: LevelPrediction) -> list[Driver]:
        features = analysis.features
        contributions = self.model.contributions(features)
        ranked = sorted(contributions.items(), key=lambda item: -abs(item[1]))
        drivers = [
            Driver(
                feature=name,
                label=FEATURE_LABELS[name],
                value=round(features.get(name, 0.0), 4),
                contribution=round(value, 3),
            )
            for name, value in ranked[:_DRIVERS]
            if abs(value) >= _MIN_CONTRIBUTION
        ]
        # what a rule (not a weight) moved comes first, with how far it moved the latent score
        held = prediction.latent - self.model.latent(features)

        def rule(feature: str, label: str) -> Driver:
            return Driver(feature=feature, label=label, value=1.0, contribution=round(held, 3))

        for floor in FLOOR_RULES:
            if held > 0 and features.get(floor):
                drivers.insert(0, rule(floor, FEATURE_LABELS[floor]))
                break
        for short in reversed(SURFACE_RULES):  # each to the front: the most telling ends first
            # named even when the weights alone already put the answer at or below surface: it
            # is the reason an interviewer would give
            if held <= 0 and prediction.level <= Level.SURFACE and features.get(short):
                drivers.insert(0, rule(short, FEATURE_LABELS[short]))
        capping = [h.flag for h in analysis.flags if h.flag in FLAG_CAPS]
        if (
            held < 0
            and features.get(MISCOUNT_FEATURE)
            and Level.BELOW_BAR < min((FLAG_CAPS[f] for f in capping), default=Level.SENIOR)
        ):
            drivers.insert(0, rule(MISCOUNT_FEATURE, FEATURE_LABELS[MISCOUNT_FEATURE]))
        elif held < 0 and capping:
            # a flag holds the answer down whatever the rest adds up to; name it
            worst = min(FLAG_CAPS[f] for f in capping)
            names = ", ".join(
                dict.fromkeys(FLAGS[f].title.lower() for f in capping if FLAG_CAPS[f] == worst)
            )
            drivers.insert(0, rule(CAP_DRIVER, f"held at {worst.title.lower()} by: {names}"))
        return drivers

    def _one_story(
        self,
        analysis: Analysis,
        prediction: LevelPrediction,
        grades: list[CompetencyGrade],
    ) -> list[CompetencyGrade]:
        """Keep the competency levels consistent with the overall level and its reasons.

        A flag that capped the level caps every competency too, and carries its quote as the
        evidence of why; no competency is below bar without an evidence line that says why.
        """
        capping = [h for h in analysis.flags if h.flag in FLAG_CAPS]
        cap = self.model.cap(analysis.features)
        out = []
        for grade in grades:
            level, evidence = grade.level, list(grade.evidence)
            if cap is not None:
                level = min(level, prediction.level)
            if level == 1 and capping:
                hit = min(capping, key=lambda h: FLAG_CAPS[h.flag])
                evidence = [Evidence(quote=analysis.quote(hit.sentence), signal=hit.flag.value)]
            elif level == 1 and not evidence:
                level = max(level, min(prediction.level, 2))
                if level == 1 and analysis.sentences:
                    evidence = [
                        Evidence(
                            quote=analysis.quote(analysis.sentences[0]), signal="no_signal_met"
                        )
                    ]
            score = min(grade.score, prediction.score) if cap is not None else grade.score
            out.append(CompetencyGrade(id=grade.id, level=level, score=score, evidence=evidence))
        return out

    def _competency_grades(
        self,
        context: QuestionContext,
        prediction: LevelPrediction,
        evidence: dict[Competency, list[Evidence]],
    ) -> list[CompetencyGrade]:
        grades = []
        band = self.model.band_width()
        for competency in context.competencies:
            quotes = _dedupe(evidence[competency])[:4]
            shift = -0.5 * band if not quotes else (0.15 * band if len(quotes) >= 2 else 0.0)
            own = self.model.from_latent(prediction.latent + shift)
            level = max(prediction.level - 1, min(prediction.level + 1, own.level))
            grades.append(
                CompetencyGrade(id=competency, level=level, score=own.score, evidence=quotes)
            )
        return grades


def _share(matches: Sequence[SignalMatch], met_ids: set[str]) -> float:
    if not matches:
        return 0.0
    return sum(1 for m in matches if m.spec.id in met_ids) / len(matches)


def _closeness(matches: Sequence[SignalMatch], met_ids: set[str], count: int) -> float:
    """How near the answer came to each signal on average: met counts 1, a near miss part."""
    if not count:
        return 0.0
    total = sum(
        1.0 if m.spec.id in met_ids else min(m.score / MATCH_THRESHOLD, 1.0) ** 2 for m in matches
    )
    return total / count


def _quote(answer: str, spans: Sequence[Span], graded: str | None = None) -> str:
    """The words of ``spans`` as written; only the first when what lies between them was left
    out of grading (a note to the grader between two matched sentences)."""
    whole = answer[spans[0].start : spans[-1].end]
    if graded is not None and len(spans) > 1:
        between = graded[spans[0].end : spans[-1].start]
        if between.strip() == "" and answer[spans[0].end : spans[-1].start].strip():
            return answer[spans[0].start : spans[0].end]
        if graded[spans[0].start : spans[-1].end] != whole:
            return answer[spans[0].start : spans[0].end]
    return whole


def _case_parts(context: QuestionContext) -> list[str]:
    """A bank question's text and its case, the rest of what was asked (none for a pasted
    question, whose text is the context's own)."""
    if context.question is None:
        return []
    return [context.question.text, context.question.scenario or ""]


def _plain_words(text: str) -> str:
    """Lower-case words joined by single spaces, hyphens read as spaces ("red-team": "red
    team"), padded so a search finds whole words only."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def _novelty(sentences: Sequence[frozenset[str]], asked: frozenset[str]) -> float:
    """Share of the answer's content words that are new where they stand: not in the question
    or its case, and not already said by an earlier sentence."""
    seen, new, total = set(asked), 0, 0
    for concepts in sentences:
        total += len(concepts)
        new += len(concepts - seen)
        seen |= concepts
    return new / total if total else 1.0


def _whole(answer: str) -> Span:
    stripped = answer.strip()
    start = answer.find(stripped[:1]) if stripped else 0
    end = start + len(stripped)
    return Span(start, end, answer[start:end])


def _dedupe(items: list[Evidence]) -> list[Evidence]:
    seen: set[str] = set()
    kept = []
    for item in items:
        if item.quote not in seen:
            seen.add(item.quote)
            kept.append(item)
    return kept


def offline_grader(bank: Bank, model: LevelModel | None = None) -> OfflineGrader:
    """Build the offline grader over ``bank`` (the packaged level model unless one is given)."""
    return OfflineGrader(bank, model)


def build_offline_grader(bank: Bank, settings: Settings) -> OfflineGrader:
    """The ``offline`` entry of the ``pmloop.graders`` registry: it reads no setting."""
    return OfflineGrader(bank)
