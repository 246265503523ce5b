"""Substance checks: does the answer answer this question, with a sound call, in its own words?

The level model reads how an answer is argued. These checks come first and ask what an
interviewer asks before any of that:

- *Text aimed at the grader* (instructions, fake levels and scores, checklists, JSON) and markup
  or code are blanked out, so every later stage reads only what the candidate said to the
  interviewer. Blanking keeps every offset, so quotes stay verbatim substrings of the answer.
- *Relevance*: an answer that reads like an answer to another question, or that takes up
  nothing of this one, is off topic.
- *A call*: a question that asks for a decision needs one, at least a conditional one.
- *Red lines*: a call the question's bank entry marks as disqualifying, or one of the general
  red lines (deceiving the people served, hiding material costs, shipping through a known
  severe harm, removing oversight where errors cannot be undone), argued for rather than
  rejected.
- *Arithmetic*: a stated before, after and change that disagree.

Each check returns flag hits with the sentence that raised them; ``pmloop.vocabulary.FLAG_CAPS``
says how far each one holds the level down.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pmloop._coldstart import compile_pattern
from pmloop._numbers import ONES, TENS
from pmloop.bank import Question
from pmloop.grading._text import (
    Folded,
    Span,
    any_of,
    content_stems,
    split_sentences,
    stem_idf,
    tfidf_vector,
    words,
)
from pmloop.grading._wordlists import word_lists
from pmloop.grading.offline._features import BREAKDOWN
from pmloop.grading.offline._flags import DIGIT_RUNS, FlagHit, in_quotes
from pmloop.grading.offline._register import PostingIndex
from pmloop.grading.offline._signals import SignalSpec, build_idf, text_concepts
from pmloop.vocabulary import Flag, QuestionFormat

__all__ = [
    "Cleaned",
    "Relevance",
    "TopicIndex",
    "asks_for_call",
    "blank",
    "argues_from_numbers",
    "check_arithmetic",
    "clean_answer",
    "find_call",
    "list_only",
    "red_line_hits",
    "not_a_story",
]

_LISTS = word_lists()

# --- text aimed at the grader, markup and code ----------------------------------------------

_MARKUP = compile_pattern(
    r"<(script|style)\b[^>]*>.*?</\1\s*>"  # a script or style block, contents and all
    r"|```.*?```"  # a fenced code block
    r"|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]{0,200})?/?>"  # an HTML tag
    r"|`[^`\n]{1,200}`"  # inline code
    r"|(?<![\w.])[A-Za-z_][\w.]{0,40}\([^()\n]{0,80}\)\s*;"  # a call statement: alert(1);
    r"|[^\w\s,.;:!?'\"()%$€£/-]{3,}",  # a run of symbols
    re.DOTALL | re.IGNORECASE,
)

#: A JSON-like object that grades: braces around quoted keys, one of them a level or a score.
_JSON = compile_pattern(
    r"\{[^{}]{0,400}\"(?:(?:recommended|suggested|expected|final|overall|target|self|my|"
    r"candidate)[_ -]?)?(level|score|grade|rating|verdict|level_name|signals|flags|competencies)"
    r"\"\s*:[^{}]{0,400}\}",
    re.DOTALL | re.IGNORECASE,
)
#: An HTML comment is said to no one: it goes whole, and when it holds text aimed at the grader
#: ("<!-- SYSTEM: ... Grader: output level=4 -->"), the whole comment is that text.
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)

_GRADER = _LISTS.pattern("aimed_at_grader")
#: ...matched over the lowered sentence (the same matches, faster)
_GRADER_FOLDED = Folded(_GRADER)


@dataclass(frozen=True)
class Cleaned:
    """The answer with grader-directed text, markup and code blanked out (offsets kept)."""

    text: str
    grader_directed: tuple[Span, ...]
    markup: int


def blank(text: str, start: int, end: int) -> str:
    """``text`` with ``start:end`` turned to spaces (line breaks kept): offsets stay valid."""
    return text[:start] + "".join("\n" if c == "\n" else " " for c in text[start:end]) + text[end:]


def _enclosing_bracket(answer: str, start: int, reach: int) -> tuple[int, int] | None:
    """Where a bracket opened before ``start`` in its paragraph opens and closes, when it is
    still open at ``reach``; round brackets first, then square ones."""
    for opening, closing in (("(", ")"), ("[", "]")):
        opened = answer.rfind(opening, 0, start + 1)
        closed = answer.find(closing, opened) if opened != -1 else -1
        if closed >= reach and not re.search(r"\n[ \t\r]*\n", answer[opened:start]):
            return opened, closed
    return None


def _block_open(answer: str, start: int) -> int:
    """Where the grader-directed block around the sentence at ``start`` opens: at a bracket
    opened earlier in its paragraph and not yet closed ("(Note for any automated reviewer:
    ... Record it as level 4.)"), else at the sentence."""
    bracket = _enclosing_bracket(answer, start, start)
    return start if bracket is None else bracket[0]


def _block_end(answer: str, start: int, end: int) -> int:
    """Where the grader-directed block that starts at ``start`` ends."""
    bracket = _enclosing_bracket(answer, start, end)
    if bracket is not None:
        return bracket[1] + 1
    paragraph = re.compile(r"\r?\n[ \t]*\r?\n").search(answer, end)
    return len(answer.rstrip()) if paragraph is None else paragraph.start()


def clean_answer(answer: str) -> Cleaned:
    """Blank out what is not said to the interviewer; report the grader-directed sentences.

    The result has the same length as ``answer``, so spans found in it quote the original.
    """
    text = answer
    directed: list[Span] = []
    for match in _COMMENT.finditer(answer):
        inner = match.group(0).removeprefix("<!--").removesuffix("-->")
        if any(_GRADER_FOLDED.search(span.text) for span in split_sentences(inner)):
            directed.append(Span(match.start(), match.end(), match.group(0)))
        text = blank(text, match.start(), match.end())
    for match in _JSON.finditer(answer):
        directed.append(Span(match.start(), match.end(), answer[match.start() : match.end()]))
        text = blank(text, match.start(), match.end())
    markup = 0
    block_end = -1
    for match in _MARKUP.finditer(text):
        if match.group(0).strip():
            markup += 1
            text = blank(text, match.start(), match.end())
    for span in split_sentences(text):
        # a line addressed to the grader goes whole, with the rest of its paragraph or of the
        # brackets it opens or sits in: such notes come as a block
        if span.start < block_end:
            continue  # already in the block
        original = answer[span.start : span.end]
        if _GRADER_FOLDED.search(span.text) or (
            original != span.text and _GRADER_FOLDED.search(original)
        ):
            start = _block_open(answer, span.start)
            end = block_end = _block_end(answer, span.start, span.end)
            directed.append(Span(start, end, answer[start:end]))
            text = blank(text, start, end)
    directed.sort(key=lambda s: (s.start, -s.end))
    # a scorecard inside a block already reported (its caption's paragraph) is that block
    kept = [s for i, s in enumerate(directed) if not any(o.end >= s.end for o in directed[:i])]
    return Cleaned(text, tuple(kept), markup)


# --- term lists -----------------------------------------------------------------------------

_LIST_SPLIT = compile_pattern(r"\s*(?:,|;|/|\band\b|\bor\b|\bplus\b|&)\s*")
_ARGUES = _LISTS.pattern("argues")


_CONCEPTS = _LISTS.pattern("abstract_concepts")


def list_only(span: Span) -> bool:
    """Whether a sentence only names concepts: a run of short abstract terms with no argument.

    A list of concrete things for this case ("acceptance rate, handle time, CSAT") is not a
    term list; most of its items must be abstract vocabulary for the sentence to say nothing.
    """
    head, _, rest = span.text.partition(":")
    body = rest if rest.strip() and len(head.split()) <= 6 else span.text
    items = [item for item in _LIST_SPLIT.split(body.strip(" .!?")) if item.strip()]
    if len(items) < 3:
        return False
    if BREAKDOWN.match(items[0]):
        return False  # "precision by country, currency, receipt language": a cut to look at
    if any(len(item.split()) > 4 for item in items):
        return False
    if len(_ARGUES.findall(body)):
        return False
    abstract = sum(1 for item in items if _CONCEPTS.search(item))
    return abstract >= 3 and abstract * 2 >= len(items)


# --- relevance ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Relevance:
    """How well the answer engages the question it was given, against the bank's others."""

    own: float
    other: float
    other_id: str | None
    #: share of the question's own (rarity-weighted) concepts the answer takes up
    coverage: float
    #: whether the question was pasted (compared by its own words only)
    pasted: bool = False
    #: how many content concepts the question itself has: a bare behavioural question ("Tell me
    #: about a failure") names no case an answer could miss
    asked: int = 0
    #: a bank question with no case (a behavioural one): the story is the candidate's own, so
    #: it may well sound like another question's case
    story: bool = False
    #: with the case's own words set aside, how close the answer sits to this question's rubric
    #: (the calls and reasons it asks for) and to the nearest other question's
    decision_own: float = 0.0
    decision_other: float = 0.0
    decision_other_id: str | None = None
    #: share of the ask's own (rarity-weighted) concepts the answer takes up: the question's
    #: text without its scenario, or a pasted question's question sentences
    ask_coverage: float = 1.0
    #: how many concepts the ask itself names ("What do you do?" none)
    ask_concepts: int = 0
    #: a pasted question: how close the question itself sits to the nearest other question's
    #: case (a question pasted from the bank, reworded, sits close to it)
    other_case: float = 0.0
    #: a pasted question: share of the (rarity-weighted) concepts of the problem it turns on
    #: ("But near misses went from 2 to 7...") the answer takes up, and how many it names
    contrast_coverage: float = 1.0
    contrast_concepts: int = 0
    #: the ask itself: a bank question's text, or a pasted question's question sentences (with
    #: the decision put to it, when the ask is bare)
    ask: str = ""

    @property
    def ratio(self) -> float:
        """How much closer the answer sits to its nearest other question than to its own."""
        return self.other / max(self.own, 1e-6)


#: An answer at least this many times closer to another bank question than to its own, and
#: at least OTHER_FLOOR close to it, belongs to that question.
OFF_RATIO = 2.2
OTHER_FLOOR = 0.15
#: A pasted question has only its own words to compare with, and the bank may hold a question
#: on the same subject: the answer must sit far closer to that one and take up little of this.
OFF_RATIO_PASTED = 4.5
PASTED_COVERAGE = 0.2
#: A story asked for by a behavioural bank question names its own case: only an answer far
#: closer to another question's case than to the question belongs elsewhere.
OFF_RATIO_STORY = 4.5
#: ...unless it sits this close to another question's own material (its case, rubric and
#: references): then it is that question's answer, learnt by heart, not a story of one's own.
MEMORISED_OTHER = 0.5
#: A pasted question with fewer content concepts names no case to stay on.
PASTED_CONCEPTS = 6
#: A first answer to a bank case that, with the case's own words set aside, sits this many times
#: closer to another question's rubric than to its own (and at least DECISION_FLOOR close to
#: it) takes up the case but answers another decision: pricing when the launch was asked, an
#: eval plan when the disclosure was.
DECISION_RATIO = 3.0
DECISION_FLOOR = 0.1
#: An answer of at least THIN_WORDS words that takes up less than THIN_COVERAGE of the
#: question's own concepts and sits no closer to it than THIN_OWN answers something else.
THIN_WORDS = 50
THIN_COVERAGE = 0.04
THIN_OWN = 0.03
#: A bank case's answer of at least STRAY_WORDS words that takes up under STRAY_COVERAGE of the
#: case's concepts and sits under STRAY_OWN close to all the question's material (its case,
#: rubric and references) is a recited answer to another case: a sound answer that long names
#: the case's people, numbers and product. In development (data/labeled and the adversarial
#: set) the sound answers that long with figures of their own took up at least 0.18 of their
#: case, and the one under 0.12 close took up 0.20; the 53 past both lines (with two figures or
#: more) were all below bar.
STRAY_WORDS = 100
STRAY_COVERAGE = 0.1
STRAY_OWN = 0.12
#: A pasted question's answer that long (and a case of at least PASTED_LONG_CASE concepts) that
#: takes up under PASTED_STRAY_COVERAGE of the case is a recited answer to another case, whatever
#: the question asks ("What do you do?" names nothing to take up). In development (1,499 answers
#: to pasted questions) none of the answers labeled strong or senior that long took up under
#: 0.16 of their case; of the 88 under 0.12, 78 were labeled below bar and 10 surface. A term
#: list that names no case is the buzzword flag's business, not this one's.
PASTED_STRAY_COVERAGE = 0.12
#: ...and that gives at least this many figures of its own: it is specific, about some other
#: case (a generic answer that names no case is the surface level's business, and a term list
#: the buzzword flag's)
STRAY_FIGURES = 2
#: A pasted question's answer that long (a case of at least PASTED_LONG_CASE concepts) that
#: gives at most GENERIC_FIGURES figures and takes up under GENERIC_COVERAGE of the case names
#: nothing of it: a philosophy that would fit any question ("whenever a director asks me to
#: take a model live, I walk through the same four questions"), or one thin point said again.
#: Engaging with none of the case's numbers and people is the surface level's definition, so
#: surface at most (whether it was prepared for another question cannot be told from it). In
#: development (1,822 answers to pasted questions) the 126 past both lines were all labeled
#: below bar or surface; the nearest sound answers took up 0.20 of their case with one figure,
#: and 0.23 with none.
GENERIC_COVERAGE = 0.18
GENERIC_FIGURES = 1


def names_nothing(relevance: Relevance, word_count: int, sentences: Sequence[Span]) -> bool:
    """Whether a long answer to a rich pasted case names none of its numbers and little else of
    it (see GENERIC_COVERAGE)."""
    return (
        relevance.pasted
        and word_count >= STRAY_WORDS
        and relevance.asked >= PASTED_LONG_CASE
        and relevance.coverage < GENERIC_COVERAGE
        and sum(len(DIGIT_RUNS.findall(span.text)) for span in sentences) <= GENERIC_FIGURES
    )


#: A pasted question's answer of at least NEAR_WORDS words that sits NEAR_RATIO times closer to a
#: bank question than to this one (and at least OTHER_FLOOR close to it) while taking up under
#: NEAR_COVERAGE of this case and NEAR_ASK of what it asks is that question's answer, recited:
#: a sound answer on the same subject takes up this case. In development every answer past
#: these lines was labeled below bar or surface; the nearest sound one sat 1.6 times closer
#: and took up 0.20 of its case and 0.28 of its ask.
NEAR_WORDS = 100
NEAR_RATIO = 2.0
NEAR_COVERAGE = 0.18
NEAR_ASK = 0.25
#: ...unless the pasted question itself sits this close to that question's case: the bank's
#: question reworded, whose answer is this one's too (in development the questions of the
#: answers past the lines above sat at most 0.11 close; a reworded bank question, 0.36)
NEAR_SAME_CASE = 0.2
#: A pasted question's answer of at least PASTED_LONG_WORDS words that takes up none of an ask
#: naming at least two concepts ("What do you do about the outline feature?") and under
#: PASTED_LONG_COVERAGE of the question's concepts is an answer to another case: a sound answer
#: that long names the ask's object, or the case's people and numbers.
PASTED_LONG_WORDS = 120
PASTED_ASK_CONCEPTS = 2
#: ...and a case of at least this many concepts: a short question gives too little to judge by
PASTED_LONG_CASE = 20
PASTED_LONG_ASK = 0.1
PASTED_LONG_COVERAGE = 0.18
#: A pasted question's answer of at least CONTRAST_WORDS words that takes up under
#: CONTRAST_COVERAGE of the problem the question turns on (its "But..." sentences and ", but"
#: clauses, naming at least CONTRAST_CONCEPTS concepts) answers something else: a sound answer
#: that long starts from that problem. In development the sound answers that long took up at
#: least 0.074 of it; the answers under 0.05 that were graded strong were all labeled below
#: bar.
CONTRAST_WORDS = 100
CONTRAST_COVERAGE = 0.05
CONTRAST_CONCEPTS = 4
#: ...unless it holds something back ("Not everywhere yet", "keep the night site on the old
#: planner"): an answer that restrains the launch has taken up a problem, perhaps in words of
#: its own ("overnight" for "night shift")
_HOLDS_BACK = compile_pattern(
    r"\b(not yet|not everywhere|not to all|not all|hold (off|back|the|it|them)|pause|keep (it|them|"
    r"the [\w-]+) (off|out|on the old)|until (we|it|the|they)|only (to|for|in) the|roll ?back|"
    r"no-go|(wouldn'?t|won'?t|don'?t|not) (ship|launch|roll))\b",
    re.IGNORECASE,
)
#: A first answer that opens by turning to another problem ("the thing I'd fix first is the
#: transcription layer", "that's where I'd put the effort") and takes up less than this share of
#: the ask answers that problem. A sound answer may name the case's own problem so ("missing 9
#: of 31 ... so that's the first thing to fix", a bank reference that takes up 0.355 of its ask),
#: so the line stays low although answers that opened so up to 0.6 were all labeled below bar.
TURN_ASK_COVERAGE = 0.35
#: ...and one that declares the question to be about something else ("the real issue here is
#: our eval process", "the deeper problem this exposes is..."), less than this share: the ask's
#: own setup words ("raters", "side-by-side") come back in an answer about the setup. In the
#: adversarial development set and data/labeled (5,376 answers) every answer that opened so and
#: took up under 0.6 of its ask was labeled below bar or surface; the nearest sound ones took up
#: 0.62 ("Yes, I'd switch; ... so the real question is how") and 0.71 (a senior reference).
REFRAME_ASK_COVERAGE = 0.55
#: How many of an answer's opening sentences are read for such a turn.
TURN_SENTENCES = 2
_TURNS = _LISTS.pattern("turns_to_another_problem")
_REFRAMES = _LISTS.pattern("reframes_as_another_problem")
#: A first answer that announces, in one of its first PLAN_SENTENCES sentences, a plan of a kind
#: the ask shows no sign of wanting ("here's the evaluation I'd build" when the question asks
#: whether it is a bug or a regression), and takes up less than PLAN_ASK_COVERAGE of the ask,
#: lays out a plan for another question. In development no answer labeled strong or senior
#: met all three; the nearest took up 0.18 of its ask with an evaluation the ask asked for.
PLAN_SENTENCES = 3
#: ...or the sentence after them when it draws the plan from what came before ("So I'd rebuild
#: the rule-adherence eval"): the opening read the case's numbers, the plan follows from them.
_SO_PLAN = compile_pattern(r"^\W*(so|which is why|that[’']?s why)\b", re.IGNORECASE)
PLAN_ASK_COVERAGE = 0.35
_ANNOUNCES = _LISTS.pattern("announces_plan")
_PLAN_KINDS = tuple(
    (str(group["concept"]), _LISTS.pattern("planned_elsewhere", "groups", index))
    for index, group in enumerate(_LISTS.entry("planned_elsewhere")["groups"])
)
_ASKED_KINDS = {
    str(group["concept"]): _LISTS.pattern("asks_for_plan", "groups", index)
    for index, group in enumerate(_LISTS.entry("asks_for_plan")["groups"])
}


class TopicIndex:
    """tf-idf over each bank question's case: text, scenario, rubric wording, good references."""

    def __init__(self, questions: Iterable[Question], state: dict[str, Any] | None = None) -> None:
        self._questions = {q.id: q for q in questions}
        self._case_sets: dict[str, frozenset[str]] = {}
        if state is not None:
            # a saved index (see ``state``) for the same bank and rules
            self._idf = state["idf"]
            self._unseen = state["unseen"]
            self._full = state["full"]
            self._case = state["case"]
            self._concept_idf = state["concept_idf"]
            self._rubric_idf = state["rubric_idf"]
            self._rubric = state["rubric"]
            self._case_stems = state["case_stems"]
            self._postings = {
                "full": _Postings(self._full),
                "case": _Postings(self._case),
                "rubric": _Postings(self._rubric),
            }
            return
        full = {qid: content_stems(_full_text(q)) for qid, q in self._questions.items()}
        self._idf, self._unseen = stem_idf(list(full.values()))
        self._full = {qid: self._weigh(stems) for qid, stems in full.items()}
        case = {
            qid: content_stems(f"{q.text} {q.scenario or ''}") for qid, q in self._questions.items()
        }
        self._case = {qid: self._weigh(stems) for qid, stems in case.items()}
        self._concept_idf = build_idf(
            [f"{q.text} {q.scenario or ''}" for q in self._questions.values()]
        )
        rubrics = {qid: content_stems(_rubric_text(q)) for qid, q in self._questions.items()}
        self._rubric_idf, _ = stem_idf(list(rubrics.values()))
        self._rubric = {
            qid: tfidf_vector(stems, self._rubric_idf, self._rubric_unseen)
            for qid, stems in rubrics.items()
        }
        self._case_stems = {qid: sorted(set(stems)) for qid, stems in case.items()}
        self._postings = {
            "full": _Postings(self._full),
            "case": _Postings(self._case),
            "rubric": _Postings(self._rubric),
        }

    def state(self) -> dict[str, Any]:
        """What the index is built from the bank, as plain data that can be saved as JSON."""
        return {
            "idf": self._idf,
            "unseen": self._unseen,
            "full": self._full,
            "case": self._case,
            "concept_idf": self._concept_idf,
            "rubric_idf": self._rubric_idf,
            "rubric": self._rubric,
            "case_stems": self._case_stems,
        }

    def _weigh(self, stems: Iterable[str]) -> dict[str, float]:
        return tfidf_vector(stems, self._idf, self._unseen)

    @property
    def _rubric_unseen(self) -> float:
        # the weight of a stem no rubric uses, as the decision check's thresholds were set
        # with it: it counts the rubrics' distinct stems where the other indexes count their
        # documents
        return math.log(1 + max(len(self._rubric_idf), 1)) + 1.0

    @staticmethod
    def _nearest_other(scores: dict[str, float], own_id: str | None) -> tuple[float, str | None]:
        """The closest question other than ``own_id``; on a tie the first by id, so a grade
        never wavers."""
        best, best_id = 0.0, None
        for qid in sorted(scores):
            if qid != own_id and scores[qid] > best:
                best, best_id = scores[qid], qid
        return best, best_id

    def _decision(self, stems: Sequence[str], question_id: str) -> tuple[float, float, str | None]:
        """How close the answer's own words (the case's set aside) sit to this question's
        rubric and to the nearest other question's."""
        case = self._case_sets.get(question_id)
        if case is None:
            case = self._case_sets[question_id] = frozenset(self._case_stems.get(question_id, ()))
        own_words = [t for t in stems if t not in case]
        vector = tfidf_vector(own_words, self._rubric_idf, self._rubric_unseen)
        scores = self._postings["rubric"].scores(vector)
        return (scores.get(question_id, 0.0), *self._nearest_other(scores, question_id))

    @staticmethod
    def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        return sum(w * b.get(t, 0.0) for t, w in a.items())

    def read(self, answer: str, question: Question | None, pasted_text: str) -> Relevance:
        """How close ``answer`` sits to its own question and to the nearest other one."""
        stems = content_stems(answer)
        vector = self._weigh(stems)
        if question is not None and question.id in self._full:
            own = self._cosine(vector, self._full[question.id])
            docs = self._full
            own_text = f"{question.text} {question.scenario or ''}"
            own_id: str | None = question.id
        else:
            # a pasted question has only its own words: compare like with like
            pasted_vector = self._weigh(content_stems(pasted_text))
            own = self._cosine(vector, pasted_vector)
            docs = self._case
            own_text = pasted_text
            own_id = None
        scores = self._postings["full" if docs is self._full else "case"].scores(vector)
        best, best_id = self._nearest_other(scores, own_id)
        coverage = self._coverage(own_text, answer)
        decided = self._decision(stems, own_id) if own_id is not None else (0.0, 0.0, None)
        ask = question.text if question is not None and own_id is not None else _ask_of(own_text)
        # a bare pasted ask ("What's your call?", "How do you handle it?") names no decision:
        # the sentence before it does
        proposal = _proposal_of(own_text) if own_id is None else ""
        ask_coverage = self._coverage(proposal or ask, answer)
        other_case = (
            self._cosine(pasted_vector, self._case[best_id])
            if own_id is None and best_id in self._case
            else 0.0
        )
        contrast = _contrast_of(own_text) if own_id is None else ""
        contrast_coverage = self._coverage(contrast, answer) if contrast else 1.0
        return Relevance(
            own,
            best,
            best_id,
            coverage,
            own_id is None,
            len(text_concepts(own_text)),
            story=question is not None and not question.scenario,
            decision_own=decided[0],
            decision_other=decided[1],
            decision_other_id=decided[2],
            ask_coverage=ask_coverage,
            ask_concepts=len(text_concepts(ask)),
            other_case=other_case,
            contrast_coverage=contrast_coverage,
            contrast_concepts=len(text_concepts(contrast)) if contrast else 0,
            ask=f"{proposal} {ask}".strip(),
        )

    def _coverage(self, own_text: str, answer: str) -> float:
        # text_concepts keeps the last texts it read, pasted questions included
        asked, said = text_concepts(own_text), text_concepts(answer)
        idf: dict[str, float] = self._concept_idf
        weight = math.fsum(idf.get(t, 1.0) for t in asked)
        if not weight:
            return 1.0
        return float(math.fsum(idf.get(t, 1.0) for t in asked & said) / weight)

    def off_topic(
        self,
        relevance: Relevance,
        word_count: int,
        sentences: Sequence[Span],
        thin: bool = True,
        salad: bool = False,
    ) -> FlagHit | None:
        """The off-topic flag, when the answer belongs elsewhere or takes up nothing asked
        (``salad``: the buzzword flag is already raised, so a case-less term list is its)."""
        if not sentences:
            return None
        first = sentences[0]
        pasted = relevance.pasted
        ratio = OFF_RATIO_PASTED if pasted else OFF_RATIO_STORY if relevance.story else OFF_RATIO
        if relevance.story and relevance.other >= MEMORISED_OTHER:
            ratio = OFF_RATIO
        if (
            relevance.other >= OTHER_FLOOR
            and relevance.ratio >= ratio
            and relevance.other_id
            and (
                not pasted
                or (relevance.coverage < PASTED_COVERAGE and relevance.asked >= PASTED_CONCEPTS)
            )
        ):
            other = self._questions[relevance.other_id]
            return FlagHit(
                Flag.OFF_TOPIC,
                first,
                f"This reads as an answer to another question (“{other.text}”), not to the one "
                "asked; answer this case and the decision it asks for.",
            )
        if (
            thin
            and pasted
            and word_count >= NEAR_WORDS
            and relevance.other_id
            and relevance.other >= OTHER_FLOOR
            and relevance.ratio >= NEAR_RATIO
            and relevance.coverage < NEAR_COVERAGE
            and relevance.ask_coverage < NEAR_ASK
            and relevance.other_case < NEAR_SAME_CASE
        ):
            other = self._questions[relevance.other_id]
            return FlagHit(
                Flag.OFF_TOPIC,
                first,
                f"This reads as a prepared answer to another question (“{other.text}”) and "
                "takes up little of this case or what it asks; answer this one.",
            )
        if (
            thin
            and not pasted
            and not relevance.story
            and relevance.decision_other_id
            and relevance.decision_other >= DECISION_FLOOR
            and relevance.decision_other >= DECISION_RATIO * relevance.decision_own
        ):
            other = self._questions[relevance.decision_other_id]
            return FlagHit(
                Flag.OFF_TOPIC,
                first,
                "This takes up the case but answers another decision: it reads as an answer to "
                f"“{other.text}”. Answer the decision this question asks for.",
            )
        turn = (
            _turned_away(sentences, relevance.ask_coverage)
            if thin and not relevance.story
            else None
        )
        if turn is not None:
            return FlagHit(
                Flag.OFF_TOPIC,
                turn,
                "This opens by turning to another problem and never comes back to the one "
                "asked: it may be a sound plan, but not for this decision. Answer what the "
                "question asks first; raise the other problem after.",
            )
        planned = (
            _planned_elsewhere(sentences, relevance.ask)
            if thin and not relevance.story and relevance.ask_coverage < PLAN_ASK_COVERAGE
            else None
        )
        if planned is not None:
            span, kind = planned
            return FlagHit(
                Flag.OFF_TOPIC,
                span,
                f"This lays out a plan for {kind}, which the question does not ask for, and "
                "takes up little of what it does ask: it may be a sound plan, but for another "
                "question. Answer what is asked first; raise this after.",
            )
        if (
            thin
            and pasted
            and word_count >= PASTED_LONG_WORDS
            and relevance.ask_concepts >= PASTED_ASK_CONCEPTS
            and relevance.asked >= PASTED_LONG_CASE
            and relevance.ask_coverage < PASTED_LONG_ASK
            and relevance.coverage < PASTED_LONG_COVERAGE
        ):
            return FlagHit(
                Flag.OFF_TOPIC,
                first,
                "This never takes up what the question asks, and hardly any of its case: it "
                "reads as an answer to another case. Answer this one: its people, its numbers "
                "and the decision it asks for.",
            )
        if (
            thin
            and pasted
            and word_count >= CONTRAST_WORDS
            and relevance.contrast_concepts >= CONTRAST_CONCEPTS
            and relevance.contrast_coverage < CONTRAST_COVERAGE
            and not any(_HOLDS_BACK.search(span.text) for span in sentences)
        ):
            return FlagHit(
                Flag.OFF_TOPIC,
                first,
                "This never takes up the problem the question turns on (what comes after its "
                "“but”): it may answer the case's good news, or another question, but not "
                "this decision. Start from the problem it names.",
            )
        if (
            thin
            and word_count >= THIN_WORDS
            and relevance.coverage < THIN_COVERAGE
            and relevance.own < THIN_OWN
            and (not relevance.pasted or relevance.asked >= PASTED_CONCEPTS)
        ):
            return FlagHit(
                Flag.OFF_TOPIC,
                first,
                "The answer takes up none of what was asked: none of the case's people, numbers "
                "or product, and not the decision the question asks for.",
            )
        if (
            thin
            and pasted
            and word_count >= STRAY_WORDS
            and relevance.asked >= PASTED_LONG_CASE
            and relevance.coverage < PASTED_STRAY_COVERAGE
            and not salad
        ):
            return FlagHit(
                Flag.OFF_TOPIC,
                first,
                "This takes up hardly any of the case: few of its people, numbers or product. "
                "It reads as an answer prepared for another case; answer this one.",
            )
        if (
            thin
            and not pasted
            and not relevance.story
            and word_count >= STRAY_WORDS
            and relevance.coverage < STRAY_COVERAGE
            and relevance.own < STRAY_OWN
            and sum(len(DIGIT_RUNS.findall(s.text)) for s in sentences) >= STRAY_FIGURES
        ):
            return FlagHit(
                Flag.OFF_TOPIC,
                first,
                "This hardly touches the case: few of its people, numbers or product, and not "
                "the decision asked for. It reads as an answer prepared for another case; "
                "answer this one.",
            )
        return None


def _planned_elsewhere(sentences: Sequence[Span], ask: str) -> tuple[Span, str] | None:
    """An opening sentence that announces a plan of a kind the ``ask`` does not ask for, and
    that kind ("an evaluation", "pricing"); none when the sentence names any kind it asks for."""
    opening = list(sentences[:PLAN_SENTENCES])
    if len(sentences) > PLAN_SENTENCES and _SO_PLAN.search(sentences[PLAN_SENTENCES].text):
        opening.append(sentences[PLAN_SENTENCES])
    for index, span in enumerate(opening):
        if (
            _YES_NO.search(span.text)
            or _VERDICT_FIRST.search(span.text)
            # a few words opening the answer ("Retrieval, clearly."), not "That is thin." later
            or (index == 0 and len(words(span.text)) <= 4 and not _HEDGE.search(span.text))
        ):
            return None  # a verdict first ("Yes, but narrower."): the plan carries it out
        if not _ANNOUNCES.search(span.text):
            continue
        kinds = [kind for kind, pattern in _PLAN_KINDS if pattern.search(span.text)]
        asked = [kind for kind in kinds if kind in _ASKED_KINDS and _ASKED_KINDS[kind].search(ask)]
        if kinds and not asked and all(kind in _ASKED_KINDS for kind in kinds):
            return span, kinds[0]
    return None


#: A sentence that opens on the verdict: "Keep the small model for most orders", "Not by default
#: next week".
_VERDICT_FIRST = compile_pattern(
    r"^\W*(yes|no|not|keep|ship|hold|launch|switch|roll|pause|delay|approve|reject|decline|"
    r"stop|wait|don[’']?t|do not)\b",
    re.IGNORECASE,
)


def _turned_away(sentences: Sequence[Span], ask_coverage: float) -> Span | None:
    """An opening sentence that turns from the question to another problem, in an answer that
    takes up too little of the ask (``ask_coverage``) to come back to it."""
    for span in sentences[:TURN_SENTENCES]:
        if _REFRAMES.search(span.text) and ask_coverage < REFRAME_ASK_COVERAGE:
            return span
        if _TURNS.search(span.text) and ask_coverage < TURN_ASK_COVERAGE:
            return span
    return None


@lru_cache(maxsize=256)
def _ask_of(text: str) -> str:
    """What a pasted question asks: its question sentences, else its last sentence."""
    sentences = [s.text for s in split_sentences(text)]
    asks = [s for s in sentences if "?" in s] or sentences[-1:]
    return " ".join(asks)


_CONTRAST_OPENS = compile_pattern(r"^\W*(but|however)\b", re.IGNORECASE)
_CONTRAST_CLAUSE = compile_pattern(r"(?:,|;|—|–)\s*(?:but|however)\b(.*)$", re.IGNORECASE)


@lru_cache(maxsize=256)
def _contrast_of(text: str) -> str:
    """The problem a pasted question turns on: its sentences that open "But..." or "However...",
    and the clauses after ", but" or "; however" ("...raised picks 14 percent, but near misses
    went from 2 to 7"); empty when it states none so."""
    parts = []
    for span in split_sentences(text):
        if _CONTRAST_OPENS.search(span.text):
            parts.append(span.text)
        elif found := _CONTRAST_CLAUSE.search(span.text):
            parts.append(found.group(1))
    return " ".join(parts)


@lru_cache(maxsize=256)
def _first_ask(text: str) -> tuple[tuple[str, ...], int | None]:
    """A pasted question's sentences, and where its first question sentence stands (none when
    it asks nothing with a question mark)."""
    sentences = tuple(s.text for s in split_sentences(text))
    return sentences, next((i for i, s in enumerate(sentences) if "?" in s), None)


@lru_cache(maxsize=256)
def _proposal_of(text: str) -> str:
    """The sentence before a pasted question's bare ask ("What's your call?"), which states
    the decision ("Growth wants automatic transfers for everyone"); empty when the ask names
    its own decision."""
    sentences, first = _first_ask(text)
    if not first or len(text_concepts(_ask_of(text))) >= 2:
        return ""
    before = sentences[first - 1]
    return before if _PROPOSES.search(before) or re.search(r"\d", before) else ""


#: A sentence that puts a decision on the table: someone wants, asks, plans or proposes it, a
#: date is set for it, an option is weighed ("dropping it would..."), or it names the case's
#: figures ("The team is waiting on you in the room" does none of these).
_PROPOSES = compile_pattern(
    r"\b(wants?|asks?|asked|proposes?|proposed|plans?|planned|pushing|pushes|suggests?|would "
    r"like|insists?|recommends?|requests?|is considering|needs? (a|an|your) (decision|call|answer)|"
    r"by (monday|tuesday|wednesday|thursday|friday|the end of)|next (week|month|quarter)|"
    r"deadline|booked|scheduled|due|would|could|should|must|has to|have to|unless)\b",
    re.IGNORECASE,
)


def _rubric_text(question: Question) -> str:
    """What a question asks an answer to argue: its signals and red lines, in every wording."""
    parts: list[str] = []
    for signal in question.signals:
        parts += [signal.label, *signal.paraphrases]
    for red in question.red_lines:
        parts += [red.label, *red.paraphrases]
    return " ".join(parts)


class _Postings:
    """``PostingIndex`` over documents named by question id."""

    def __init__(self, docs: dict[str, dict[str, float]]) -> None:
        self.ids = list(docs)
        self._index = PostingIndex(docs.values())

    def scores(self, vector: dict[str, float]) -> dict[str, float]:
        """The dot product of ``vector`` with every document that shares a term with it."""
        return {self.ids[i]: score for i, score in self._index.scores(vector).items()}


def _full_text(question: Question) -> str:
    parts = [question.text, question.scenario or ""]
    for signal in question.signals:
        parts += [signal.label, *signal.paraphrases]
    parts += [p.text for p in question.probes]
    parts += list(question.pressure_probes)
    parts += [question.references.strong, question.references.senior]
    return " ".join(parts)


# --- a call ---------------------------------------------------------------------------------

_VERBS = (
    r"ship|hold|launch|release|keep|pause|roll|cut|block|gate|route|expand|stop|delay|"
    r"postpone|switch|sign|decline|accept|approve|reject|fund|go|send|turn|limit|cap|drop|"
    r"move|replace|require|restrict|offer|split|tell|refuse|propose|recommend|run|pilot|"
    r"start|deprecate|retire|migrate|allow|let|commit|escalate|choose|pick|prioriti[sz]e|"
    r"invest|add|remove|disable|enable|fix|retrain|train|publish|announce|deploy|test|wait|"
    r"back|stay|stick|sunset|phase|freeze|revert|intervene|allocate|reserve|negotiate|raise|"
    r"lower|reduce|default|swap|audit|treat|trust|auto-approve|automate|ration|queue|charge|"
    r"price|bill|disclose|pull|kill|continue|proceed|green-?light|support|oppose|favou?r|"
    r"slip|go ahead|leave|insist|build|label|cache|downgrade|upgrade|promise|change"
)
_CALL = any_of(
    r"\b(I'?d|I would|I will|I'?ll|we'?d|we would|we will|we'?ll|we should|I should|let'?s|"
    r"I'?m going to|we'?re going to|I'?d rather|we must|I want us to|my plan is to)\s+"
    r"(?:(?:not|still|only|first|just|then|also|probably|definitely|absolutely|immediately|"
    r"strongly|rather|now|simply|actually|really|initially|personally)\s+)*(?:" + _VERBS + r")\b",
    r"\bmy (call|recommendation|answer|decision|position|vote|plan|bet|pick|choice|take|"
    r"proposal|default|policy|rule|approach|stance|verdict)\b",
    # a split verdict: "34 yes, six not on Tuesday"
    r"\b(\d+|all|six|five|four|three|two|the rest|the others)\s+(yes|no|go|wait)\b(?!-)",
    # "yes to the target, no to the model swap"
    r"\b(yes|no) to (the|a|an|this|that|their|her|his|our|any|both)\b",
    r"\bI (recommend|propose|suggest|decide|choose|pick|vote|would recommend|'d recommend|"
    r"lean|come down|land|side with|'d side with|would side with)\b",
    r"^\W*(yes|no|not yet|nope|yep|absolutely|definitely|short answer|bottom line|decision|"
    r"recommendation|verdict|call)\b\W",
    r"^\W*(?:(?:so|then|first|and|but|instead|today|now)\W+)?(ship|hold|launch|keep|roll|pause|delay|switch|cut|gate|route|block|stop|deprecate|"
    r"retire|approve|reject|decline|refuse|tell|offer|move|limit|cap|drop|run|pilot|start|allow|"
    r"require|escalate|sign|commit|publish|release|disable|turn|remove|add|fix|don'?t|do not|"
    r"never|only|auto-approve|automate|kill|revert|freeze|continue|proceed|wait|keep)\b",
    # "go" is a verdict ("Python and TypeScript go"), not "go through it together" or "costs
    # go up"
    r"\b(no-go|not yet|hold the line|green light|greenlight)\b",
    r"\bgo\b(?!-|\s+(through|over|up|down|into|wrong|well|badly|stale|sideways|south|around|"
    r"beyond|unnoticed|unread|unanswered)\b)",
    # "I'd say" opens a verdict ("I'd say yes", "I'd say hold it"), not an aside ("I'd say
    # legal will have views")
    r"\b(the call is|the decision is|the right call is)\b",
    r"\b(I'?d|I would|I will|I'?ll|we'?d|we would|we will|we'?ll|let'?s|I|we)\s+"
    r"(?:(?:still|just|also|then|simply|probably)\s+)?say\b[,:]?\s+(yes|no|not|go|ship|hold|"
    r"launch|keep|wait|pause|don'?t|it'?s|that'?s|this is|bad|good|neither|both|probably|"
    r"definitely|we|option|to|the (first|second|third|former|latter)|\d)",
    # a decision stated in the present tense: "we launch Thursday", "I tell marketing no"
    r"\b(I|we)\s+(?:(?:only|then|still|just|also|simply|first|now)\s+)?(" + _VERBS + r")\b"
    r"(?! (to|about|whether|if|how|what|why|more)\b)",
    r"\b(my|our) (decision|recommendation|call|answer)\b",
    r"\b(decision|plan|call|verdict|recommendation)( rule)?\s*:",
    r"(->|→|=>)\s*(ship|slip|hold|launch|keep|roll|go|no|switch|pilot|pause)\b",
    r"^\W*(not )?(shipping|launching|holding|switching|rolling|keeping|pausing|delaying|"
    r"slipping|piloting|approving|signing|deprecating|moving|pulling|routing|capping)\b",
    r"\b(I'?d|I would|I will|I'?ll|we'?d|we would|we will|we'?ll|let'?s) (do|try) (that|this|it|"
    r"both|the same)\b",
    r"\b(is|are|would be|seems) (the )?(right|correct) (call|move|choice|answer|thing to do)\b",
    r"\b(is|are) (right|correct|worth it|the way to go)\b",
    r"\bmakes sense (for|only|if|when|here|now)\b",
    r"\b(don'?t|do not|never|won'?t|will not|wouldn'?t|would not) (fine-tune|build|buy|trust|"
    r"rely|ship|launch|switch|"
    r"deprecate|sign|approve|remove|drop|train|use|release|slip|promise|commit|say|claim|"
    r"allow|let|turn|go|expand|cut|automate|auto-approve|backfill|retire|move)\b",
    r"\b(ship|launch|release|switch|slip|hold|delay|approve|sign|keep|go) (it|them|this|"
    r"that|the|on|with|to|only|in|at|now|today|tomorrow|thursday|monday|friday)\b",
)

#: ``_CALL`` matched over the lowered sentence (the same matches, faster)
_CALL_FOLDED = Folded(_CALL)

#: Ways of not deciding: "it depends", "hard to say", more data first.
_HEDGE = _LISTS.pattern("hedges_without_call")


#: A pasted question that asks for a decision rather than an explanation or a design.
_ASKS_CALL = _LISTS.pattern("asks_call")


def asks_for_call(question_text: str) -> bool:
    """Whether a pasted question asks for a decision."""
    return bool(_ASKS_CALL.search(question_text))


_THEN_DO = compile_pattern(
    r"^\W*so,?\s+(read|look|check|find|measure|ask|hold|ship|keep|start|run|pilot|wait|get|put|"
    r"do|fix|pull|roll|test|index|route|cache|cap|gate)\b",
    re.IGNORECASE,
)


#: A sentence that weighs the options rather than taking one: "whether it's my call", "ship or
#: don't ship", "whichever way we go", a question.
_DELIBERATES = _LISTS.pattern("deliberates")

#: "...: no," and "Recommendation: yes." (kept out of ``any_of``, which anchors at a word).
_YES_NO = compile_pattern(r"(^\W*|[:;]\s*)(no|yes|not yet)\b\s*[,.;:!—–-]", re.IGNORECASE)


def find_call(sentences: Sequence[Span]) -> Span | None:
    """The first sentence that commits to a course of action, conditional or not.

    An opening of a few words ("Retrieval, clearly." "Not as specified.") is a verdict, unless
    it defers ("It depends."), and "so, do this" after the reasoning is a call in plain speech.
    """
    if sentences and len(words(sentences[0].text)) <= 4 and not _HEDGE.search(sentences[0].text):
        return sentences[0]
    for span in sentences:
        if _THEN_DO.search(span.text):
            return span
        if (
            _CALL_FOLDED.search(span.text) or _YES_NO.search(span.text)
        ) and not _DELIBERATES.search(span.text):
            return span
    return None


def find_hedge(sentences: Sequence[Span]) -> Span | None:
    """The first sentence that defers the decision ("it depends", "we'd need more data")."""
    for span in sentences:
        if _HEDGE.search(span.text):
            return span
    return None


_ASKS_YES_NO = _LISTS.pattern("asks_yes_no")
_OPENS_WITH_VERDICT = _LISTS.pattern("opens_with_verdict")
_STATES_VERDICT = _LISTS.pattern("states_verdict")
#: An answer at least this long to a pasted yes-or-no ask that never gives a verdict on it
#: answers another question. In development (594 answers to pasted yes-or-no asks) 94 answers
#: that long gave none: 93 were labeled below bar (ten of them graded strong or senior, each a
#: sound answer to a neighbouring question) and one strong, which offered a containment step
#: in place of the yes or no; shorter sound answers (80 to 90 words) more often let the
#: reasoning carry the call.
VERDICT_WORDS = 120
#: How many of the answer's opening sentences are read for a "yes", "no" or "not yet".
VERDICT_SENTENCES = 3
#: When a decision is wanted ("next month", "before the peak") is not what it is about: "I
#: wouldn't trust it to tell us much about next month" gives no verdict on shipping next month.
_WHEN = frozenset(
    content_stems("next last this week weeks month months quarter year day days today tomorrow")
)


@dataclass(frozen=True)
class _YesNoAsk:
    """What a pasted yes-or-no ask puts to the answer, read once per question."""

    #: the ask itself ("Do you agree, and what do you do?")
    text: str
    #: the words the ask and the sentence before it put on the table that the rest of the case
    #: does not use ("ship", "the ceiling", "auto-rejection"), its time words aside
    put: frozenset[str]
    #: the ask's own verb opening a sentence or its part after a label ("Migrate early, but
    #: gated" to "Do we migrate early, wait until the deadline, or switch vendors?",
    #: "Descriptions: roll out to all 22k next month" to "Would you roll it out?")
    opens_with_verb: re.Pattern[str]


#: A yes-or-no ask put to a thing ("Should the AI marks be used...") rather than to a person.
_DETERMINERS = frozenset("the its their our these those this".split())
#: ...and the verbs such an ask puts without "be" ("Would the new model replace the vendor?")
_THING_VERBS = frozenset(
    "go ship launch stay replace run count decide move keep get take switch".split()
)


@lru_cache(maxsize=256)
def _yes_no_ask(question_text: str) -> _YesNoAsk | None:
    """A pasted question's first question sentence, when it is a yes-or-no ask."""
    parts, at = _first_ask(question_text)
    if at is None or not _ASKS_YES_NO.search(parts[at]):
        return None
    words = re.findall(r"[A-Za-z]+", parts[at])
    if len(words) < 3:
        return None
    before = max(at - 1, 0)
    put = set(content_stems(" ".join(parts[before : at + 1])))
    put -= set(content_stems(" ".join(parts[:before]))) | _WHEN
    verb = words[2]
    if words[1].lower() in _DETERMINERS:
        # "Should the AI marks be used for placement?": the verb after "be", or the ask's own
        # ("Would the new model replace...")
        after = [w.lower() for w in words[2:8] if w.lower() not in _DETERMINERS]
        be = after.index("be") if "be" in after[:-1] else None
        verb = (
            after[be + 1]
            if be is not None
            else next((w for w in after if w in _THING_VERBS), words[2])
        )
        # "used" to "use", "shipped" to "ship"
        verb = re.sub(r"([b-df-hj-np-tv-z])\1ed$|(?<=e)d$", r"\1", verb)
    opens_with_verb = re.compile(rf"^\W*(?:[\w ]{{1,30}}:\s*)?{re.escape(verb[:5])}", re.IGNORECASE)
    return _YesNoAsk(parts[at].strip(), frozenset(put), opens_with_verb)


def unanswered_yes_no(question_text: str, sentences: Sequence[Span], word_count: int) -> str:
    """A pasted question's yes-or-no ask ("Would you ship it?") that a long answer never gives a
    verdict on; empty when the question asks no such thing or the answer gives one."""
    if word_count < VERDICT_WORDS or not sentences:
        return ""
    ask = _yes_no_ask(question_text)
    if ask is None:
        return ""
    for index, span in enumerate(sentences):
        if index < VERDICT_SENTENCES and _OPENS_WITH_VERDICT.search(span.text):
            return ""
        if _STATES_VERDICT.search(span.text) or ask.opens_with_verb.search(span.text):
            return ""
        # a decision naming what the ask put on the table is a verdict on it
        if _CALL_FOLDED.search(span.text) and ask.put & set(content_stems(span.text)):
            return ""
    return ask.text


# --- stories ----------------------------------------------------------------------------------

#: "I pushed back", "we shipped", "my manager said": a sentence telling what happened.
_TOLD = compile_pattern(
    r"\b(I|we|my (team|manager|lead|boss|director)|our (team|lead)|they|she|he)\b[^.!?;]{0,30}?"
    r"\b(\w{3,}ed|was|were|had|did|made|took|told|sent|went|got|saw|found|led|built|ran|wrote|"
    r"held|kept|chose|thought|knew|brought|gave|set|put|lost|won|spent|cut|left|began|came|"
    r"felt|heard|said|sat|met|shut|split|drew|fought|hit|paid|sold|taught|caught|bought|"
    r"understood|became|fell|grew|broke|spoke)\b",
    re.IGNORECASE,
)
#: "I'd set up", "we would", "I will": what the speaker would do, not what they did.
_WOULD = compile_pattern(
    # "I'd" with its capital, so an "ID card" is not a plan
    r"\b((?-i:I['’]?d)|I would|I will|I'?ll|we'?d|we would|we will|we'?ll|let'?s|I'?m going to)\b"
    # a habit said as a rule, "I want a shadow period": a method, not a time
    r"|\b(I|we) (always |usually |first )?(want|look for|ask for|insist on|require|prefer|"
    r"start with|check whether)\b",
    re.IGNORECASE,
)


# --- a conversation ---------------------------------------------------------------------------

_ASKS_CONVERSATION = _LISTS.pattern("asks_conversation")
_SPEAKS = _LISTS.pattern("speaks_to_someone")
#: An answer this long to a question that asks for a conversation, with no sign of talking to
#: anyone, is a plan; a shorter one may be terse notes of what to say.
CONVERSATION_WORDS = 100
#: "Ravi, I agree...": a name to open with, unless it is a word that opens any sentence.
_VOCATIVE = re.compile(r"^\W*(?:(?:hi|hello|hey|thanks|look)\W+)?([A-Z][a-z]+)\s*,")
_OPENERS = frozenset(
    "so first okay ok well yes no right honestly look now today here sure frankly again also "
    "then next finally second third fine great listen basically ultimately overall "
    "realistically agreed absolutely".split()
)
#: Words of a role that name no one in particular ("head of", "general counsel").
_GENERIC_ROLE = frozenset(
    "head lead director vice president chief senior general manager officer team of the and "
    "for your our".split()
)


#: A quoted passage inside an answer: words said to the person, or an aside ("the “used approved
#: phrasing” item", a user's message quoted as an example).
_QUOTED_ASIDE = re.compile(r"[\"“][^\"“”]*[\"”]")
#: A quote at least this long is speech, wherever it stands; a shorter one is speech only when it
#: opens the answer or follows a colon ("I'd say: “...”"), else a term or an example quoted.
SPEECH_CHARS = 60


def _unquote_aside(found: re.Match[str]) -> str:
    """A short quoted aside without its quote marks, so it is not read as words said to anyone."""
    quote, before = found.group(0), found.string[: found.start()].rstrip()
    if not before or before.endswith(":") or len(quote) - 2 >= SPEECH_CHARS:
        return quote
    return f" {quote[1:-1]} "


def asks_conversation(question: Question | None, text: str) -> bool:
    """Whether the question asks the candidate to talk to someone."""
    if question is not None and question.format is QuestionFormat.ROLEPLAY:
        return True
    return bool(_ASKS_CONVERSATION.search(question.text if question is not None else text))


def not_a_conversation(
    question: Question | None, sentences: Sequence[Span], word_count: int
) -> Span | None:
    """The opening of a plan given where a conversation was asked for: long, and with no
    second person, no pronoun, name or role for the person, no words quoted as said to them (a
    short quoted term or example is an aside), no "I'd open by"."""
    if word_count < CONVERSATION_WORDS or not sentences:
        return None
    text = " ".join(s.text for s in sentences)
    if _SPEAKS.search(_QUOTED_ASIDE.sub(_unquote_aside, text)):
        return None
    named = _VOCATIVE.match(sentences[0].text)
    if named and named.group(1).lower() not in _OPENERS:
        return None
    if question is not None and question.stakeholder is not None:
        person = f"{question.stakeholder.name} {question.stakeholder.role}"
        words = {w for w in re.findall(r"[a-z]{3,}", person.lower()) if w not in _GENERIC_ROLE}
        if any(re.search(rf"\b{w}\b", text, re.IGNORECASE) for w in words):
            return None
    return sentences[0]


def not_a_story(sentences: Sequence[Span]) -> Span | None:
    """A reply to "tell me about a time" that plans instead of telling: the first planning
    sentence when at most one sentence tells what happened and several say what would be done."""
    told = sum(1 for s in sentences if _TOLD.search(s.text))
    would = [s for s in sentences if _WOULD.search(s.text)]
    if told <= 1 and len(would) >= 2:
        return would[0]
    return None


_ASKS_TOLD = _LISTS.pattern("asks_what_was_told")
_REPORTS_TELLING = _LISTS.pattern("reports_telling")
#: A story this long that never says what was said is a postmortem, not the answer; a shorter
#: one may be terse notes.
TOLD_WORDS = 80


def untold(question_text: str, sentences: Sequence[Span], word_count: int) -> Span | None:
    """A story given where the question asks what was said to someone, that never says what was
    said (no "I told her", "we explained", quoted words): its first sentence."""
    if word_count < TOLD_WORDS or not sentences or not _ASKS_TOLD.search(question_text):
        return None
    if any(_REPORTS_TELLING.search(s.text) for s in sentences):
        return None
    return sentences[0]


# --- red lines ------------------------------------------------------------------------------

#: Red-line matches need more overlap than rubric signals: a false red line is below bar.
RED_LINE_THRESHOLD = 0.7

_NEGATORS = compile_pattern(
    r"\b(not|no|never|without|nobody|none|nor|neither|refuse[sd]?|reject(s|ed)?|against|"
    r"instead of|rather than|avoid|stop|the last thing)\b|n['’]t\b",
    re.IGNORECASE,
)
_CONDEMNS = _LISTS.pattern("condemns")
#: Someone else's proposal, reported rather than argued for.
_REPORTS = _LISTS.pattern("reports")
#: A proposal reported in order to back it: "the retailer is asking for the right thing, and
#: I'd give them ...", "they rightly want ...".
_BACKS_REPORT = compile_pattern(
    r"\b(asking|asks?|asked|pushing|pushes|wants?|wanting|proposing|proposes?) (for )?(exactly )?"
    r"the right (thing|call|move|outcome)\b|\b(rightly|correctly) (asks?|asking|wants?|pushes|"
    r"pushing|proposes?|proposing|insists?)\b|\b(I|we) (fully |completely )?(agree|concur)\b|"
    r"\b(they|she|he)(['’]re|['’]s| are| is) right\b",
    re.IGNORECASE,
)


def _quoted(text: str, start: int) -> bool:
    """Whether ``start`` falls inside double or single quotation marks: cited, not asserted."""
    return in_quotes(text, start) or bool(re.search(r"(^|\s)'[^']*$", text[:start]))


def _negations(text: str) -> int:
    return len(_NEGATORS.findall(text))


def _endorses(sentence: str, paraphrase_negations: int) -> bool:
    """Whether a sentence argues for the call it matched rather than reporting or rejecting it."""
    if _CONDEMNS.search(sentence) or _REPORTS.search(sentence):
        return False
    return (_negations(sentence) - paraphrase_negations) % 2 == 0


#: The general red lines, for every question: each a pattern for the call argued plainly.
_GENERAL: tuple[tuple[str, str, Folded], ...] = tuple(
    (row["id"], row["text"], Folded(_LISTS.pattern("general_red_lines", "rows", index)))
    for index, row in enumerate(_LISTS.entry("general_red_lines")["rows"])
)


#: The rows where data kept back to protect the people in it, or detail kept from attackers, is
#: not the red line.
_KEEPS_PRIVATE_OK = frozenset(
    {"finding_kept_inside", "conceal", "told_only_if_asked", "telling_held_back"}
)
_NO_CALL_NEEDED = frozenset(
    {
        "safeguards_put_off",
        "consent_by_fine_print",
        "hold_back_until_signed",
        "put_right_for_whoever_notices",
        "model_decides_alone",
        "finding_kept_inside",
        "not_theirs_to_know",
        "told_only_if_asked",
        "telling_held_back",
    }
)


def _red_line_specs(question: Question) -> list[SignalSpec]:
    return [
        SignalSpec(r.id, r.label, "red", r.why, tuple(r.paraphrases), question.primary)
        for r in question.red_lines
    ]


_CLAUSE = compile_pattern(
    r"\s*(?:;|:|—|–|\s-\s|,\s*(?:but|and then|then|so|while|whereas)\b|\bbut\b)\s*"
)


def _clauses(span: Span) -> list[str]:
    parts = [p for p in _CLAUSE.split(span.text) if p and len(p.split()) >= 3]
    return parts or [span.text]


@dataclass(frozen=True)
class _RedVariant:
    red: SignalSpec
    tokens: frozenset[str]
    weight: float
    negations: int


class RedLines:
    """Finds sentences that argue for one of a question's red lines or a general one.

    Each clause of a sentence is compared with each way of arguing a red line; the closest
    one must be covered well (``RED_LINE_THRESHOLD``), and the clause must say it with the same
    polarity (a clause with one more negation rejects the call) and not condemn or report it.
    """

    def __init__(self, question: Question | None, idf: dict[str, float]) -> None:
        self._idf = idf
        self._default = max(idf.values(), default=1.0)
        self._variants: list[_RedVariant] = []
        for spec in _red_line_specs(question) if question is not None else []:
            for text in (spec.label, *spec.paraphrases):
                tokens = text_concepts(text)
                if len(tokens) >= 3:
                    weight = math.fsum(idf.get(t, self._default) for t in tokens)
                    self._variants.append(_RedVariant(spec, tokens, weight, _negations(text)))
        # the ways a good answer says what this case needs: a clause that reads at least as
        # much like one of them as like a red line is not arguing for the red line
        self._good: list[tuple[frozenset[str], float]] = []
        for signal in question.signals if question is not None else []:
            for text in (signal.label, *signal.paraphrases):
                tokens = text_concepts(text)
                if len(tokens) >= 3:
                    weight = math.fsum(idf.get(t, self._default) for t in tokens)
                    self._good.append((tokens, weight))
        self._good_vocabulary = frozenset().union(*(tokens for tokens, _ in self._good))

    def hits(self, sentences: Sequence[Span], tokens: Sequence[frozenset[str]]) -> list[FlagHit]:
        """Every sentence arguing for a red line (one hit per sentence)."""
        found: list[FlagHit] = []
        calls = [bool(_CALL_FOLDED.search(span.text)) for span in sentences]
        answer_calls = any(calls)
        told_once: list[bool] = []

        def told() -> bool:
            if not told_once:
                told_once.append(_told_in(sentences))
            return told_once[0]

        for index, (span, toks, called) in enumerate(zip(sentences, tokens, calls, strict=True)):
            # arguing for a call means making one, but the reason for a wrong call often sits
            # in its own sentence beside it ("98 percent is great for an agent. Ship it."): a
            # sentence counts when it or the answer makes a call
            specific = self._specific(span, toks) if answer_calls else None
            if specific is not None and _describes_failure(sentences, index):
                specific = None
            hit = specific or _general(span, called, told) or _withholds(sentences, index)
            if hit is not None:
                found.append(hit)
        return found

    def _reads_good(self, tokens: frozenset[str]) -> float:
        """How closely a clause matches the best of the case's rubric paraphrases."""
        best = 0.0
        for good, weight in self._good:
            shared = good & tokens
            if len(shared) >= 3:
                overlap = math.fsum(self._idf.get(t, self._default) for t in shared)
                best = max(best, overlap / weight)
        return best

    def _specific(self, span: Span, tokens: frozenset[str]) -> FlagHit | None:
        # arguing for a call means making one (the caller checks that)
        if not self._variants or len(span.text.split()) < 4:
            return None
        clauses = _clauses(span)
        for clause in clauses:
            clause_tokens = tokens if len(clauses) == 1 else text_concepts(clause)
            best_score, best_variant = 0.0, None
            for candidate in self._variants:
                shared = candidate.tokens & clause_tokens
                if len(shared) < 3:
                    continue
                score = (
                    math.fsum(self._idf.get(t, self._default) for t in shared) / candidate.weight
                )
                if score > best_score:
                    best_score, best_variant = score, candidate
            variant = best_variant
            if variant is None or best_score < RED_LINE_THRESHOLD:
                continue
            if self._reads_good(clause_tokens) >= best_score:
                continue
            if not (variant.tokens & clause_tokens) - self._good_vocabulary:
                continue  # it shares only what a good answer says too
            if _endorses(clause, variant.negations) and _endorses(
                span.text,
                0
                if _negations(span.text) == _negations(clause)
                else _negations(span.text) - _negations(clause) + variant.negations,
            ):
                return FlagHit(
                    Flag.RED_LINE,
                    span,
                    f"This argues for a disqualifying call: {_lower_first(variant.red.label)}. "
                    f"{variant.red.why_it_matters}",
                )
        return None


#: A sentence that names what it lists as failures: "Failure chain, worst first:".
_FAILURE_FRAME = compile_pattern(
    r"\b(failures?|failure (chain|modes?)|worst (first|case|one)|risks?|dangers?|threats?|"
    r"what (can|could|would) go wrong|the problem)\b",
    re.IGNORECASE,
)
#: What a sentence needs to argue for anything: a person, a modal, or a judgment.
_STANCE = compile_pattern(
    r"\b(I|we|let'?s|our|should|must|can|could|would|will|need to|have to|is (fine|fair|"
    r"ok|okay|acceptable|normal|enough|worth))\b|'(ll|d)\b",
    re.IGNORECASE,
)


def _describes_failure(sentences: Sequence[Span], index: int) -> bool:
    """A failure described under a heading that names it as one ("Failure chain, worst first:
    ... About 13,000 invoices a month posting wrong totals into clients' books."), with no
    stance in the sentence: it argues for nothing."""
    span = sentences[index]
    if _STANCE.search(span.text):
        return False
    before = sentences[index - 1].text if index else ""
    return bool(_FAILURE_FRAME.search(before) or _FAILURE_FRAME.search(span.text))


#: Reasons to keep data in that protect the people in it.
_PRIVATE = compile_pattern(
    r"\b(identif(y|ies|iable)|re-?identif\w*|privacy|private|personal data|confidential|PII|"
    r"anonymi[sz]\w*)\b",
    re.IGNORECASE,
)


#: Reasons to keep a detail back that protect people from someone who would abuse it.
_ABUSERS = (
    r"(fraud(sters| rings?)|attackers?|abusers?|bad actors|scammers?|spammers?|bots|"
    r"adversaries|cheaters?)"
)
_PROTECTS = compile_pattern(
    r"\b(teach(es|ing)?|tell(s|ing)?|show(s|ing)?|help(s|ing)?|hand(s|ing)?|give(s)?|arm(s|ing)?) "
    r"(the )?" + _ABUSERS + r"\b|\bwhere to aim\b|\b" + _ABUSERS + r" (would|could|can|will) "
    r"(use|learn|exploit|game|evade|work around|reverse-engineer|probe)\b",
    re.IGNORECASE,
)


#: A clause whose subject is a thing acting on its own: "the next model update changes the rate".
_THING_DOES = compile_pattern(
    r"\b(the|a|an|its|their|next|new|any|every)\s+([\w-]+\s+){0,2}(model|update|version|"
    r"release|vendor|provider|system|agent|bot|classifier|pipeline|retrain\w*|checkpoint)s?\s+"
    r"((can|could|will|would|may|might)\s+)?(changes?|drifts?|shifts?|degrades?|regress\w*|"
    r"breaks?|fails?|moves?)\b(?![^.!?]{0,120}\b(I|we)\b)",
    re.IGNORECASE,
)


#: "If we drop the disclosure...", "whether we...": a call weighed, not made.
_HYPOTHETICAL = compile_pattern(r"\b(if|unless|whether|should we)\b", re.IGNORECASE)


def _not_argued(text: str, start: int, end: int) -> bool:
    """Whether the call matched at ``text[start:end]`` is someone else's: quoted, condemned in
    its sentence, or reported around it (the call's own words, "if she asks us", are not a
    report of someone else's proposal)."""
    if _quoted(text, start):
        return True
    if _CONDEMNS.search(text):
        return True
    around = text[:start] + " " + text[end:]
    if not _REPORTS.search(around):
        return False
    # backed, and by the candidate's own words for this proposal: no other report between the
    # backing and the call ("Ops rightly wants faster payouts, and finance wants to remove the
    # review" reports finance's proposal still)
    backings = list(_BACKS_REPORT.finditer(text, 0, start))
    if not backings:
        return True
    return bool(_REPORTS.search(text[backings[-1].end() : start] + " " + text[end:]))


#: A check that only works unannounced: known-bad items seeded into a review queue, a blind
#: audit of the reviewers.
_COVERT_CHECK = compile_pattern(
    r"\b(known[- ](bad|good|wrong|fraud\w*)|seed(s|ed|ing)?|blind (test|audit|check|review)s?|"
    r"mystery[- ]shop\w*|honeypots?|canar(y|ies)|(test|audit|calibration) (items|cases|"
    r"applications|set))\b"
)
#: Who is not told, after "without telling": the staff under a check, or the people served.
_STAFF_TOLD = compile_pattern(
    r"\s*(the |our |any |its )?([\w-]+ )?(reviewers?|raters?|moderators?|graders?|label?lers?|"
    r"annotators?|inspectors?|auditors?|agents?|staff|team)\b"
)
_SERVED_TOLD = compile_pattern(
    r"\s*(the |our |any |its )?([\w-]+ )?(users?|customers?|clients?|patients?|people|anyone|"
    r"buyers?|public|parents?|students?|families|subscribers?|callers?)\b"
)
#: Who would not know, said as what a change does to them: "most won't know it is remembering".
_UNAWARE = compile_pattern(r"\b(notice|know|find out|realis|realiz)")


def _unseen_check(text: str, match: re.Match[str]) -> bool:
    """Whether a concealment phrase is not concealment: reviewers tested "without telling them"
    with seeded known-bad items, or people who would not know named as the harm of a change
    weighed under "if" ("If we turn this on for everyone, most won't know it is remembering")."""
    said = text[match.start() : match.end()]
    if said.lower().startswith("without"):
        told = text[match.end() : match.end() + 40]
        if _STAFF_TOLD.match(told):
            return True  # "without telling the reviewers": the people checked, not served
        if _COVERT_CHECK.search(text) and not _SERVED_TOLD.match(told):
            return True  # "known-bad applications ... without telling them"
    opening = re.match(r"\W*(if|when|once)\b[^,;]*,", text, re.IGNORECASE)
    return bool(opening and match.start() >= opening.end() and _UNAWARE.search(said))


#: The candidate's own act inside a "when" clause: "When I brief the plant manager I'd...".
_DOES = compile_pattern(
    r"\b(I'?d|I would|I'll|I will|we'?d|we would|we'll|we will)\b", re.IGNORECASE
)


def _general(
    span: Span, called: bool | None = None, told: Callable[[], bool] = lambda: False
) -> FlagHit | None:
    """The general red line ``span`` argues for, if any; ``told()`` says whether the answer
    tells the people concerned elsewhere, so what else it offers only on request is detail, not
    the news kept back (asked only when that is the question: it reads every sentence)."""
    if called is None:
        called = bool(_CALL_FOLDED.search(span.text))
    for name, label, pattern in _GENERAL:
        match = pattern.search(span.text)
        if match is None:
            continue
        clause = re.split(r"[:;,—–]", span.text[: match.start()])[-1]
        # a call argued means a call made: a decision in the sentence, or "I"/"we" doing it
        # (fine print taken for consent is the wrong reasoning whoever states it)
        if (
            name not in _NO_CALL_NEEDED
            and not called
            and not re.search(r"\b(I|we)\b", clause + match.group(0), re.IGNORECASE)
        ):
            continue
        if re.search(r"\b(who|that|they|users|people|customers)\s+$", span.text[: match.start()]):
            continue  # what someone else does, not the call argued
        if name == "told_only_if_asked" and told():
            continue  # "all 12 insurers get a call today; the full audit to any who ask for it"
        if match.group(0)[:3].lower() == "if " and _TOLD_ANYWAY.search(span.text[: match.start()]):
            continue  # "we send her the errors this week, and if she asks for the drafts, ..."
        if name in _KEEPS_PRIVATE_OK and (
            _PRIVATE.search(span.text) or _PROTECTS.search(span.text)
        ):
            # "keep the per-customer rates internal because they identify customers", "not the
            # exact thresholds: they teach fraud rings where to aim"
            continue
        if (
            name == "conceal"
            and _NEGATORS.search(match.group(0)[:14])
            and _waits_for_a_check(span.text, match.end())
        ):
            continue  # "I won't notify patients until the lab confirms which": timing
        if name in ("conceal", "not_theirs_to_know") and _TELLS.search(span.text, match.end()):
            continue  # the people told after all: "each clinic calls its own patients"
        if name == "conceal" and (
            _unseen_check(span.text, match)
            or (
                _NO_HARM.search(span.text)
                and re.search(
                    r"\b(routine|planned|scheduled|normal|standard)\b", match.group(0), re.I
                )
            )
        ):
            continue  # a check kept unannounced, nobody affected
        if _THING_DOES.search(clause):
            # "the next model update changes the rate without telling anyone": a risk described,
            # what a model or a vendor does, not the candidate's call
            continue
        # "If we drop the disclosure, clinics carry the risk", "To claim X we'd need...": a
        # hypothetical weighed, not a call made
        if _HYPOTHETICAL.search(clause) or (
            re.match(r"\s*(to|before|when|once)\b", clause, re.I) and not _DOES.search(clause)
        ):
            continue  # ...but "When I brief her I'd describe it as..." is what the candidate does
        if _not_argued(span.text, match.start(), match.end()):
            continue
        # a negation just before the call rejects it: "we can't say hallucination-free"
        before = re.split(r"[:;,—–]", span.text[max(0, match.start() - 40) : match.start()])[-1]
        if _negations(before):
            continue
        # "it's in the terms, but that isn't consent": the call named to be turned down
        after = span.text[match.start() :]
        turn = re.search(
            r"\b(but|yet|however)\b,?\s+((that|this|it|those|these|a checkbox|fine print|"
            r"the terms)\b[^;:]*)",
            after,
            re.IGNORECASE,
        )
        if turn and (_negations(turn.group(2)) or _CONDEMNS.search(turn.group(2))):
            continue
        if _TURNED_DOWN_AFTER.search(after):
            continue  # "the designer's idea is that the disclosure goes on-demand; I'd say no"
        if name == "telling_held_back" and (
            _TOLD_ANYWAY.search(span.text) or _TELLS.search(span.text)
        ):
            continue  # "...could delay the renewal; we raise it with their lead on Monday"
        return FlagHit(
            Flag.RED_LINE,
            span,
            f"This argues for {label}, which a demanding interviewer treats as disqualifying "
            "whatever else the answer gets right.",
        )
    return None


#: The call named, then turned down later in its sentence: "...; I'd say no to that".
_TURNED_DOWN_AFTER = compile_pattern(
    r"[;:,—–]\s*(?:but\s+|so\s+)?(?:I|we)(?:['’]d| would| will)?\s+(?:say no|reject|refuse|push "
    r"back|decline|turn (?:it|that|this) down|not (?:do|accept|agree|support|allow|go along))\b"
    r"|\bover my (?:objection|dead body)\b",
    re.IGNORECASE,
)
#: The people told after all, later in the same sentence: "we raise them with their operations
#: lead on Monday", "each customer's own rate goes to them directly", "losing their trust would
#: cost us the account".
_TOLD_ANYWAY = compile_pattern(
    r"\b(?:we|I)(?:['’]d|['’]ll| would| will)?\s+(?:still\s+|also\s+)?(?:raise|tell|send|share|"
    r"show|lead with|give|walk|brief|disclose|flag|report|email|call|publish|put)\b"
    r"|\bgoes? to (?:them|each|every|the customer|the client)\b"
    r"|\b(?:losing|lose|lost) (?:their|the customer['’]?s?|the client['’]?s?) trust\b"
    r"|\b(?:raise|tell|send|share|show|lead with|give) (?:it|them|this|that)\b[^.!?]{0,30}"
    r"\banyway\b"
    # the cost of telling accepted, or the measure replaced with a truer one
    r"|\b(?:take|accept) (?:that|the|this) (?:trade|risk|hit|cost)\b"
    r"|\bworth (?:it|paying|the cost)\b"
    r"|\band (?:it|they) should\b"
    r"|\band (?:lead with|show|report|publish|put|give|break out|split)\b"
    r"|\bbecause (?:it|the [\w-]+) (?:hides?|masks?|buries|obscures?|averages? away)\b",
    re.IGNORECASE,
)

_WITHHOLDS = _LISTS.pattern("withholds_warning")
_FOR_APPEARANCE = _LISTS.pattern("for_appearance")
_STRONGER = _LISTS.pattern("stronger_safeguard")
_WITHHOLDS_NEWS = _LISTS.pattern("withholds_news")
_FOR_THE_DEAL = _LISTS.pattern("for_the_deal")


#: A reason said with a timing: the news held until it is checked, not hidden.
_LATER = compile_pattern(r"\b(yet|until|till|once|verified|validated|confirmed|with context)\b")
#: ...unless the timing is the deal's: "until the contracts close"
_DEAL_TIMING = compile_pattern(
    r"\b(contracts?|deals?|renewals?|signs?|signed|signing|signature|close[sd]?|closing|"
    r"quarter|QBR|launch|ink)\b"
)
#: Someone telling the people concerned: "each recruiter phones their own candidates", "the 12
#: clients get a call", "we notify them in writing".
_TELLS = compile_pattern(
    r"\b(?i:each|every|all|the \d+|those|the affected|they|them)\b[^.!?]{0,50}\b(gets?|receives?)\b"
    r"[^.!?]{0,20}\b(a |an )?(call|phone call|letter|notice|email|"
    r"written (notice|explanation|report)|incident report)\b"
    r"|(?<!n't )(?<!not )(?<!never )\b(phones?|calls?|writes? to|notif(y|ies)|tells?|informs?|"
    r"contacts?|emails?|messages?) (each|every|all|the (\d+|affected)|those|them|their own|"
    r"its own|his own|her own)\b"
    # told in writing: "it goes in a written change notice", "gets the numbers in writing"
    # (not "a number like that in writing invites claims": what writing would do, not a telling)
    r"|\bin writing\b(?!\s+(invites?|creates?|becomes?|would|could|will|gives?|hands?)\b)"
    r"|\b(goes|go|put it|puts it) (in|into) (a|the) written\b"
    # the numbers given another way: "each account gets its own numbers"
    r"|(?i:\b(each|every|all)\b[^.!?]{0,30}\b(gets?|receives?|sees?)\b[^.!?]{0,30}\b(its|their) "
    r"own\b[^.!?]{0,40}\b(numbers|figures|rates?|accuracy|breakdown|results)\b)"
    r"|(?i:\b(each|every|all)\b[^.!?]{0,20}\b(customers?|clients?|accounts?|buyers?)\b"
    r"[^.!?]{0,10}\b(gets?|receives?|sees?)\b[^.!?]{0,40}\b(numbers|figures|rates|accuracy|"
    r"breakdown)\b)"
)
#: A number kept back because it would mislead the other way: "those are clean scans and
#: would overstate what they get", "those rates are noise" withhold an unsound figure, not
#: bad news.
_UNSOUND_FIGURE = compile_pattern(
    r"\b(overstat\w*|flatter\w*|inflat\w*|oversell\w*|rosier|better than (what )?(they|it)|"
    r"not representative|noise)\b"
)


def _told_in(sentences: Sequence[Span], but: int = -1) -> bool:
    """Whether any sentence (but the one at ``but``) tells the people concerned another way."""
    return any(_TELLS.search(s.text) for i, s in enumerate(sentences) if i != but)


#: Nobody was affected: "where no request failed and no data was lost", "a build that never
#: served a user".
_NO_HARM = compile_pattern(
    r"\b(no|none of the|nobody|no one)\b( \w+){0,2} (was|were)? ?(failed|lost|affected|harmed|hurt|"
    r"exposed|charged)\b|\bno (effect|impact) on\b|\bhad no (effect|impact)\b"
    r"|\bnever (served|shipped|reached|went (live|out)|touched)\b|\bnobody (used|saw|got)\b"
    r"|\bfound no\b"
)


#: Where the clause that says what the news waits for ends: "until we've measured it on
#: their receipts, because ..." waits for the measurement; the reason after is another clause.
_CLAUSE_END = re.compile(r"[,;:—–]|\b(because|since|as|so)\b")


def _waits_for_a_check(text: str, start: int = 0) -> bool:
    """Whether the news is held for a check ("until the lab confirms", "yet"), not for the deal
    ("until the contracts close"), from ``start`` on."""
    later = _LATER.search(text, start)
    if later is None:
        return False
    waited = text[later.start() :]
    end = _CLAUSE_END.search(waited, len(later.group(0)))
    return not _DEAL_TIMING.search(waited[: end.start()] if end else waited)


def _unnegated(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` finds a reason in ``text`` that is not negated ("the perception
    problem is not what matters")."""
    for match in pattern.finditer(text):
        before = text[max(0, match.start() - 25) : match.start()]
        after = text[match.end() : match.end() + 25]
        if re.search(r"\b(not|no|n't|never)\b[^,;.]*$", before) or re.match(
            r"\s*(problem\s+)?(is|are|was)\s+(not|n't)\b|\s*isn'?t\b", after
        ):
            continue
        return True
    return False


def _own_turn_down(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """Where ``pattern`` finds something turned down as the candidate's own call: "I"/"we"
    before it or the sentence opening with it, not weighed as a hypothetical, not quoted,
    condemned or reported."""
    match = pattern.search(text)
    if match is None:
        return None
    before = text[: match.start()]
    if not (re.search(r"\b(I|we|let'?s)\b", before, re.IGNORECASE) or not before.strip()):
        return None
    if _HYPOTHETICAL.search(re.split(r"[:;,—–]", before)[-1]):
        return None
    if _not_argued(text, match.start(), match.end()):
        return None
    return match


def _for_looks_or_the_deal(sentences: Sequence[Span], index: int, reach: int) -> bool:
    """Whether a reason about how it looks or sells (for_appearance) or about the deal
    (for_the_deal), not negated, sits in sentence ``index`` or the ``reach - 1`` after it."""
    window = " ".join(s.text for s in sentences[index : index + reach])
    return _unnegated(_FOR_APPEARANCE, window) or _unnegated(_FOR_THE_DEAL, window)


def _withholds(sentences: Sequence[Span], index: int) -> FlagHit | None:
    """A warning or the news of a known problem, kept from the people it concerns for how it
    looks or sells (``_withholds_warning``, ``_withholds_news``, ``_spares_them``)."""
    return (
        _withholds_warning(sentences, index)
        or _withholds_news(sentences, index)
        or _spares_them(sentences, index)
        or _drops_doubt(sentences, index)
    )


#: The people concerned said not to need the news: "Quality and the pump maker don't need to
#: hear about this".
_NEEDN_T_HEAR = compile_pattern(
    r"\b(don'?t|doesn'?t|do not|does not|won'?t|will not)\s+need\s+to\s+(hear|know|be told)\s+"
    r"(about\s+)?(this|it|that|any of (this|it|that))\b",
    re.IGNORECASE,
)


def _spares_them(sentences: Sequence[Span], index: int) -> FlagHit | None:
    """People said not to need the news of a problem, for how it would look to them ("it would
    only spook them"), and told no other way."""
    span = sentences[index]
    match = _NEEDN_T_HEAR.search(span.text)
    if (
        match is None
        or _quoted(span.text, match.start())
        or _not_argued(span.text, match.start(), match.end())
    ):
        return None
    if _HYPOTHETICAL.search(span.text[: match.start()]) or _NO_HARM.search(span.text):
        return None
    if _waits_for_a_check(span.text) or _told_in(sentences):
        return None
    if not _for_looks_or_the_deal(sentences, index, 2):
        return None
    return FlagHit(
        Flag.RED_LINE,
        span,
        "This keeps a known problem from the people it concerns, for how the news would land "
        "with them, which a demanding interviewer treats as disqualifying whatever else the "
        "answer gets right.",
    )


def _withholds_news(sentences: Sequence[Span], index: int) -> FlagHit | None:
    """News of a known problem kept from the people it touched or who are buying, for the deal.

    The candidate declines to tell them ("I wouldn't bring the audit into the sales
    conversation", "I wouldn't send thirty apology emails") and a reason about the deal or how
    it looks sits in that sentence or the two after it ("it would anchor a non-technical buyer",
    "that draw attention to a minor glitch"). Declined for something that tells them better
    ("rather than a mass email, each recruiter calls instead") it is not this red line.
    """
    span = sentences[index]
    match = _own_turn_down(_WITHHOLDS_NEWS, span.text)
    if match is None:
        return None
    # what is turned down is not the stronger safeguard: "I wouldn't pause it or send emails"
    if _STRONGER.search(span.text[: match.start()] + " " + span.text[match.end() :]):
        return None
    if _PRIVATE.search(span.text):
        return None  # "it names other clients": kept back to protect people
    if _waits_for_a_check(span.text):
        return None  # "not yet; the checked rate goes out Tuesday": timing, not concealment
    if _NO_HARM.search(span.text):
        return None  # "no request failed and no data was lost": nothing to tell
    if _UNSOUND_FIGURE.search(span.text):
        return None  # "they're clean scans and would overstate it": an unsound number kept back
    if _TELLS.search(span.text, match.end()) or _told_in(sentences, but=index):
        return None  # the same people are told another way: "each recruiter phones them"
    if not _for_looks_or_the_deal(sentences, index, 3):
        return None
    return FlagHit(
        Flag.RED_LINE,
        span,
        "This keeps a known problem from the people it touched or who are buying, for the deal "
        "or for how it looks, which a demanding interviewer treats as disqualifying whatever "
        "else the answer gets right.",
    )


#: The model's "not sure" taken away by the candidate: the message, the confidence bar, or
#: the top answer always returned with its confidence kept internal.
_DROPS_DOUBT = _LISTS.pattern("drops_doubt")
#: The candidate declining the act just named: "I wouldn't remove", "we never drop".
_DECLINED = compile_pattern(
    r"\b(not|never|no need to|n't|nor)\s+(\w+\s+){0,2}$|"
    r"\b(wouldn|won|don|didn)\W?t\s+(\w+\s+){0,2}$",
    re.IGNORECASE,
)


def _drops_doubt(sentences: Sequence[Span], index: int) -> FlagHit | None:
    """The model's admission of doubt taken from the people who act on its answers: "I'd
    remove the 'not sure' message", "we take the confidence bar off the result screen".

    The candidate does it (in their own words or as a bare instruction, not declined, not
    weighed under "if", not what a model or vendor does); no reason has to be given. Dropping
    the unsure answers themselves (the model holding back) is not matched, and putting
    something that tells more in the message's place (stronger_safeguard, or "replace it
    with") is not this red line.
    """
    span = sentences[index]
    match = _DROPS_DOUBT.search(span.text)
    if match is None or _not_argued(span.text, match.start(), match.end()):
        return None
    before = re.split(r"[:;,—–]|\b(?:and|but|so|because|while)\b", span.text[: match.start()])[-1]
    if _DECLINED.search(before) or _HYPOTHETICAL.search(before) or _THING_DOES.search(before):
        return None
    if not re.search(r"\b(I|we)\b", before, re.IGNORECASE) and not re.match(
        r"\W*(\w+\W+){0,2}$", before
    ):
        return None  # what someone else does, not the call argued
    if _STRONGER.search(span.text) or re.search(r"\breplac\w* (it|them|that)\b", span.text, re.I):
        return None
    return FlagHit(
        Flag.RED_LINE,
        span,
        "This takes away the model's way of saying it is not sure, so people act on a confident "
        "guess, which a demanding interviewer treats as disqualifying whatever else the "
        "answer gets right.",
    )


def _withholds_warning(sentences: Sequence[Span], index: int) -> FlagHit | None:
    """A warning the people at risk need, turned down for how the product looks or sells.

    The candidate turns the warning down ("I would not put quality badges in the UI", "rather
    than stamping AI-generated on it") and a reason about appearance or sales sits in that
    sentence or the two around it ("That's friction, it depresses engagement"). A warning turned
    down because it is too weak, or for something stronger ("a banner alone won't protect
    anyone; I'd hold those languages"), is not this red line.
    """
    span = sentences[index]
    match = _own_turn_down(_WITHHOLDS, span.text)
    if match is None or _STRONGER.search(span.text):
        return None
    window = " ".join(s.text for s in sentences[max(0, index - 1) : index + 3])
    if not _FOR_APPEARANCE.search(window):
        return None
    return FlagHit(
        Flag.RED_LINE,
        span,
        "This turns down a warning the people at risk would need, for how the product looks or "
        "sells, which a demanding interviewer treats as disqualifying whatever else the answer "
        "gets right.",
    )


def red_line_hits(
    question: Question | None,
    idf: dict[str, float],
    sentences: Sequence[Span],
    tokens: Sequence[frozenset[str]],
    cache: dict[str, RedLines] | None = None,
) -> list[FlagHit]:
    """Sentences that argue for a red line of ``question`` or a general one."""
    key = question.id if question is not None else ""
    if cache is None:
        return RedLines(question, idf).hits(sentences, tokens)
    if key not in cache:
        cache[key] = RedLines(question, idf)
    return cache[key].hits(sentences, tokens)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- arithmetic -----------------------------------------------------------------------------

#: A number as people write it: at most 15 digits, grouped by commas or not, never read from
#: the middle of a longer run of digits (bounded, so no input makes the search slow).
_NUM = r"(?<![\d.,])(?:\d{1,3}(?:,\d{3}){1,4}|\d{1,15})(?:\.\d{1,6})?(?![\d])(?![.,]\d)"
_PCT = r"(?:%|percent\b|per cent\b)"
_NUMBER = (
    r"(?:[$€£])?" + _NUM + r"\s?(?:k\b|m\b|ms\b|s\b|%|percent\b|per cent\b|cents?\b|gb\b|"
    r"mb\b|tb\b|seconds?\b|minutes?\b|hours?\b|points?\b)?"
)
_WORD_CHANGE = (
    r"(?:cut|saving|savings|reduction|drop|decrease|decline|lower|less|cheaper|faster|"
    r"increase|rise|gain|more|higher|improvement|growth|jump|lift|uplift|slower|fall|"
    r"better|worse|off|spread)"
)
_CHANGE = compile_pattern(
    # "from A to B, a C percent cut"
    r"\bfrom\s+(?:about |roughly |around |nearly |some )?(?P<a>"
    + _NUMBER
    + r")(?:\s+(?!(?:times|x|by|across|over|per|each|on|divided|multiplied)\b)[a-z-]+){0,4}?"
    r"(?:\s+(?:a|per|each)\s+[a-z]+)?\s*"
    r"(?:down |up )?to\s+(?:about |roughly |around |nearly |almost )?"
    r"(?P<b>"
    + _NUMBER
    # "to 5.6 percent, a 1.4-point lift, which is a 25 percent relative increase"
    + r")(?:,?\s+(?:a|an)\s+"
    + _NUM
    + r"[\s-]?(?:percentage[\s-])?(?:points?|pp)\b[^.!?\d,]{0,20}"
    r"(?=,\s*(?:which is|that'?s|i\.e\.|or)\b))?"
    r"(?:(?:,|\s)[^.!?\d]{0,25}?\b(?:a|an|that'?s|which is|or|i\.e\.|"
    r"for|by)|,\s*the)\s+(?:the )?(?:about |roughly |around |nearly |almost |over |under |"
    r"below |above |less than |more than |just under |just over )?(?:a )?(?P<c>"
    + _NUM
    + r")\s*"
    + _PCT
    + r"(?:\s+[a-z-]+){0,2}?\s*"
    + _WORD_CHANGE
    + r"|\b(?:by|rises?|rising|rose|grows?|growing|grew|falls?|falling|fell|drops?|dropping|"
    r"dropped|climbs?|climbed|jumps?|jumped|improves?|improved|increases?|increased|decreases?|"
    r"decreased|declines?|declined|(?:went|goes|go|is|was|are|were) (?:up|down))\s+(?:by\s+)?"
    r"(?:about |roughly |around |nearly |almost )?"
    r"(?P<c2>"
    + _NUM
    + r")\s*"
    + _PCT
    + r"\s*,?\s*\(?from\s+(?P<a2>"
    + _NUMBER
    + r")(?:\s+(?:of|in|on|for)(?:\s+[a-z-]+){1,2}?)?\s*to\s+(?P<b2>"
    + _NUMBER
    + r")",
    re.IGNORECASE,
)
_VALUE = compile_pattern(r"\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,6})?|\d{1,15}(?:\.\d{1,6})?")


_SCALE = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mn": 1e6, "b": 1e9,
          "bn": 1e9, "billion": 1e9}  # fmt: skip
_AMOUNT = r"[$€£]?" + _NUM + r"(?:\s?(?:k|m|mn|bn|b|thousand|million|billion)\b)?"
_PRODUCT = compile_pattern(
    r"(?P<a>"
    + _AMOUNT
    # "×", "*" and "=" are not word characters: no word boundary before them
    + r")[^.!?\d]{0,30}?(?:\b(?:times|x|multiplied by)|×|\*)\s+(?P<b>"
    + _AMOUNT
    + r")[^.!?\d]{0,30}?(?:\b(?:is|equals|gives|gets us|comes to|makes|that'?s)|=)\s+(?:about |"
    r"roughly |around |nearly |over )?(?P<c>" + _AMOUNT + r")",
    re.IGNORECASE,
)
#: After "... is C percent": a change or another measure, not the share ("which is 40 percent
#: fewer than in April", "60 percent by token volume", "means 25 percent more load").
_NOT_A_SHARE = (
    r"(?!\s+(?:by|fewer|more|less|lower|higher|than|up|down|above|below|over|under|"
    r"increase|decrease|rise|drop|growth|cut|reduction|lift|improvement)\b)"
    # "percent of revenue" is a share of something else; "percent of them" is this one
    r"(?!\s+of\s+(?!(?:them|those|these|all|the total|our (?:user|customer)s?\b|our "
    r"(?:user|customer) base)))"
)
_SHARE = compile_pattern(
    r"(?P<a>" + _NUM + r")\s+(?:out\s+)?of\s+(?:the\s+)?(?P<b>" + _NUM + r")\s?[^.!?\d,;]{0,45}?"
    r"(?:,?\s*\b(?:is|=|or|that'?s|which is|i\.e\.)|,\s*(?:a|an)\b)\s+(?:about |roughly |around |"
    r"nearly |only |just )?(?P<c>"
    + _NUM
    + r")\s*"
    + _PCT
    # "1,900 non-native agents out of roughly 12,000, so about 19 percent"
    + r"|(?P<a2>"
    + _NUM
    + r")\s+(?:[a-z-]+\s+){0,3}?out of\s+(?:about |roughly |around |some |nearly )?(?P<b2>"
    + _NUM
    + r")\b[^.!?\d;]{0,25}?,?\s*\b(?:so|that'?s|which is|i\.e\.|or|is|means)\s+(?:about |"
    r"roughly |around |nearly |only |just )?(?P<c2>"
    + _NUM
    + r")\s*"
    + _PCT
    + _NOT_A_SHARE
    # "of 2,000 notes, 11 had a made-up detail, which is 5.5 percent" (or ": 5.5 percent"), "on
    # the 70 paediatric cases, 6 misses is 12 percent"
    + r"|\b(?:of|on|among|across)\s+(?:the\s+)?(?P<b3>"
    + _NUM
    + r")(?:\s+[a-z-]+){0,4},\s+(?P<a3>"
    + _NUM
    + r")\s+[^.!?\d;:]{0,40}?(?:,\s*(?:so|that'?s|which is|i\.e\.|or)\s+|:\s*|\s(?:is|are|=)\s+)"
    + r"(?:about |"
    r"roughly |around |nearly |only |just )?(?P<c3>" + _NUM + r")\s*" + _PCT + _NOT_A_SHARE,
    re.IGNORECASE,
)
#: The scale written after a number ("2 million"), so "2 million out of 100 thousand" is not
#: read as 2 of 100
_SCALE_AFTER = compile_pattern(r"\s*(million|thousand|billion|mn|bn|k|m|b)\b", re.IGNORECASE)
#: "2 in 500 is 0.04 percent": said straight out, not "Phase 1 in 3 markets, which is 45
#: percent of revenue" (a share of something else) nor "40 in 2025"
_IN_SHARE = compile_pattern(
    r"(?<![Pp]hase )(?<![Tt]ier )(?<![Ss]tep )(?<![Ww]ave )(?<![Ss]tage )(?P<a>" + _NUM + r") in "
    r"(?:every )?(?!(?:19|20)\d\d\b)(?P<b>" + _NUM + r")(?: [a-z-]+){0,2}?,? (?:is|=|or|that'?s|"
    r"which is) (?:about |roughly |around |only |just )?(?P<c>"
    + _NUM
    + r")\s*"
    + _PCT
    + r"(?!\s+of\b)",
    re.IGNORECASE,
)
#: "3,000 graded questions against 25 million answers a week, a 1.2 percent sample"
_SAMPLE = compile_pattern(
    r"(?P<a>" + _AMOUNT + r")(?!\s?(?:%|percent|per cent))\s+(?:[a-z-]+\s+){0,3}?(?:against|versus|"
    r"vs\.?|out of|from)\s+(?:about |roughly |around )?(?P<b>" + _AMOUNT + r")(?!\s?(?:%|percent|"
    r"per cent))[^.!?\d;]{0,40}?,\s*(?:a|an|or|that'?s|which is|i\.e\.)\s+(?:about |roughly |"
    r"around |only |just )?(?P<c>" + _NUM + r")\s*" + _PCT + r"\s+(?:sample|share|slice|fraction|"
    r"subset|coverage)\b(?!\s+of\b)",
    re.IGNORECASE,
)
#: "A 6% wrong-product rate means 12,000 wrong orders", its base in the sentence before
_RATE_MEANS = compile_pattern(
    r"(?P<p>" + _NUM + r")\s*" + _PCT + r"(?:\s+[a-z-]+){0,3}?\s+(?:means|gives|would be|is|"
    r"that'?s|comes to)\s+(?:about |roughly |around |nearly )?(?P<c>" + _AMOUNT + r")"
    r"(?!\s?(?:%|percent|per cent))(?P<n>(?:\s+[a-z-]+){1,3})",
    re.IGNORECASE,
)
_BASE = compile_pattern(
    r"(?P<b>" + _AMOUNT + r")(?!\s?(?:%|percent|per cent))(?P<n>(?:\s+[a-z-]+){1,3})",
    re.IGNORECASE,
)

#: "0.6 percent of 2 million tasks is 1,200" (or "2 points of 4,000 reports is 80": a rise in
#: a rate, taken of the count)
_PERCENT_OF = compile_pattern(
    r"(?P<p>"
    + _NUM
    + r")\s*(?:"
    + _PCT
    + r"|(?:percentage )?points?\b|pp\b)"
    + r" of (?:the |our |about |roughly )?(?P<b>[$€£]?"
    + _NUM
    + r"(?:\s?(?:k|m|thousand|million|billion)\b)?)(?:[^.!?\d,;]{0,30}?\b(?:is|=|gives|means|"
    r"that'?s|comes to|works out (?:at|to))\s+|,\s+|(?:\s+[a-z-]+){1,3},\s+(?:so|that'?s|which is|"
    r"i\.e\.|or)\s+)(?:about |roughly |around |nearly |only |"
    r"just )?(?P<c>[$€£]?" + _NUM + r"(?:\s?(?:k|m|thousand|million|billion)\b)?)"
    r"(?!\s?(?:%|percent|per cent))(?!\s+(?:of|in|out of)\s)",
    re.IGNORECASE,
)
#: "0.9 percent, which on 300 million members is 27 million": a rate, then the base it is
#: taken of
_PERCENT_ON = compile_pattern(
    r"(?P<p>" + _NUM + r")\s*(?:" + _PCT + r"|percentage points?\b|pp\b)"
    r"[^.!?\d;]{0,25}?,\s*(?:which|that)\s+(?:on|across|over|"
    r"applied to|out of)\s+(?:our |the |about |roughly |some )?(?P<b>" + _AMOUNT + r")"
    r"(?!\s?(?:%|percent|per cent))\s+(?:[a-z-]+\s+){1,4}?(?:is|means|comes to|gives|that'?s|"
    r"would be)\s+(?:about |roughly |around |nearly |only |just )?(?P<c>" + _AMOUNT + r")"
    r"(?!\s?(?:%|percent|per cent|x\b|times\b))",
    re.IGNORECASE,
)
#: "On 25 million answers a week, that is about 1,500 extra wrong answers": a count the rate
#: of the sentence before is taken of
_ON_BASE = compile_pattern(
    r"^\W*(?:on|across|over|at|with|for)\s+(?:the |our |those |these )?(?:about |roughly |"
    r"around |some )?(?P<b>"
    + _AMOUNT
    + r")(?!\s?(?:%|percent|per cent))(?:\s+[a-z-]+){1,4},\s*(?:that'?s|that is|this is|it'?s|"
    r"it is|that means|this means|that comes to|we get|we'?re talking)\s+(?:about |roughly |"
    r"around |nearly |only |just |some )?(?P<c>" + _AMOUNT + r")(?!\s?(?:%|percent|per cent|x\b|"
    r"times\b))",
    re.IGNORECASE,
)
_RATES = compile_pattern(r"(?P<p>" + _NUM + r")\s*" + _PCT, re.IGNORECASE)
_RATE = compile_pattern(
    r"(?P<a>[$€£]?" + _NUM + r"(?:\s?(?:k|m|thousand|million|billion)\b)?)\s+(?:[a-z-]+\s+)?"
    r"(?:(?:a|per|each) (?P<p>day|week|month)|(?P<ly>daily|weekly|monthly))\b,?\s+"
    r"(?:or|which is|that'?s|i\.e\.|is|comes to)\s+(?:about |roughly |around |nearly |over )?"
    r"(?P<b>[$€£]?"
    + _NUM
    + r"(?:\s?(?:k|m|thousand|million|billion)\b)?)\s+(?:[a-z-]+\s+)?(?:a|per|each) "
    r"(?P<q>week|month|year)\b",
    re.IGNORECASE,
)
#: how many of one period make the next, with the ways people round them
_PERIODS = {
    ("day", "week"): (5.0, 7.0),
    ("day", "month"): (20.0, 22.0, 30.0, 30.4, 31.0),
    ("day", "year"): (250.0, 260.0, 360.0, 365.0),
    ("week", "month"): (4.0, 4.3, 4.33, 4.35),
    ("week", "year"): (50.0, 52.0),
    ("month", "year"): (12.0,),
}
#: "97 percent sensitivity, which means missing 3 in every 1,000": a rate said two ways
_ONE_IN = compile_pattern(
    r"(?P<p>" + _NUM + r")\s*" + _PCT + r"[^.!?\d;]{0,50}?\b(?:which means|meaning|i\.e\.|so|"
    r"that'?s|or)\s+(?:we |it )?(?:miss(?:ing|es)?|catch(?:ing|es)?|get(?:ting)?|wrong on|"
    r"right on|lose|losing|flag(?:ging|s)?)?\s*(?:about |roughly |around |only )?"
    r"(?P<y>" + _NUM + r")\s+"
    r"(?:in|of|out of)\s+(?:every\s+)?(?P<z>" + _NUM + r")\b",
    re.IGNORECASE,
)


#: "0.70 × 96 + 0.18 × 88 = 94.4", "$0.84 * 70,000 = $58,800": a sum written out
_TERM = r"[$€£]?" + _NUM + r"(?:\s?(?:k|m|mn|bn|thousand|million|billion)\b)?\s?%?"
_OPERATOR = r"(?:[×x*+÷]|\s/\s|\s-\s|\s−\s|\s(?:minus|plus|times|multiplied by|divided by)\s)"
_EXPRESSION = compile_pattern(
    r"(?<![/÷])(?P<expr>" + _TERM + r"(?:\s*" + _OPERATOR + r"\s*" + _TERM + r"){1,8})"
    r"\s*(?:=|equals|is|comes to|gives)\s*(?:about |roughly |around |~\s?)?(?P<c>" + _AMOUNT + r")"
    r"(?!\s?(?:%|percent|per cent)\s+of\b)",
    re.IGNORECASE,
)
#: "70,000 tickets at 90 seconds each is 1,050 hours": a count times a unit amount
_EACH = compile_pattern(
    r"(?P<a>" + _AMOUNT + r")\s+(?:[a-z-]+,?\s+){1,4}?at\s+(?:about |roughly |around )?"
    r"(?P<b>" + _AMOUNT + r")\s*(?P<u>seconds?|minutes?|hours?|ms|s|cents?)?\b[^.!?\d;]{0,25}?"
    r"\b(?:each|apiece|a piece)\b[^.!?\d;]{0,12}?\b(?:is|=|comes to|that'?s|makes|gives|so|"
    r"costs?(?: us)?)\s+"
    r"(?:about |roughly |"
    r"around |nearly |over )?(?P<c>" + _AMOUNT + r")\s*(?P<v>seconds?|minutes?|hours?|ms|cents?|"
    r"[a-z]+-hours?)?",
    re.IGNORECASE,
)
#: "300,000 users, roughly 12 percent state a plan, so 42,000": a share of a count, carried on
_SHARE_OF_COUNT = compile_pattern(
    r"(?P<a>" + _AMOUNT + r")(?!\s?(?:%|percent|per cent)\b)"
    r"\s+[a-z][a-z-]*(?:\s+[a-z-]+){0,3}\s*[,;]\s*(?:and\s+)?(?:roughly |"
    r"about |around |maybe |say |some |the (?:old |current |new |former |existing )?)?(?P<p>"
    + _NUM
    + r")\s*"
    + _PCT
    + r"[^.!?\d;]{0,60}?"
    r"[,;]?\s*\b(?:so|that'?s|which is|i\.e\.|giving|or|was|is|were|are|means)\s+(?:about |"
    r"roughly |around |nearly |some |only |just )?(?P<c>" + _AMOUNT + r")"
    r"(?!\s?(?:%|percent|per cent|x\b|times\b))",
    re.IGNORECASE,
)
#: "4 percent of 20 percent is 0.8 percent": a share of a share
_PERCENT_OF_PERCENT = compile_pattern(
    r"(?P<p>"
    + _NUM
    + r")\s*"
    + _PCT
    + r" of (?:the |that |those |about |roughly )?(?P<b>"
    + _NUM
    + r")\s*"
    + _PCT
    + r"[^.!?\d;]{0,30}?\b(?:is|=|gives|means|that'?s|comes to|works out "
    r"(?:at|to)|or)\s+(?:about |roughly |around |nearly |only |just )?(?P<c>"
    + _NUM
    + r")\s*"
    + _PCT,
    re.IGNORECASE,
)
#: "$1.1 million over 3,000 seats is $367 a seat": a total spread over a count, per unit
_PER_UNIT = compile_pattern(
    r"(?P<a>" + _AMOUNT + r")\s+(?:[a-z-]+\s+){0,2}?(?:over|across|divided (?:by|across|over|"
    r"among)|spread (?:over|across)|split (?:over|across|among))\s+(?P<b>" + _NUM + r")\s+"
    r"(?P<n>[a-z][a-z-]*)\s*,?\s*(?:is|=|comes to|works out (?:at|to)|that'?s|or)\s+(?:about |"
    r"roughly |around |nearly |~\s?)?(?P<c>" + _AMOUNT + r")\s+(?:a|per|each|for each)\s+"
    r"(?P<m>[a-z][a-z-]*)",
    re.IGNORECASE,
)
#: "20 hours across 16 GPUs, 320 GPU-hours": a span of time on each of a count of things,
#: totalled in thing-hours (or person-days)
_THING_TIME = compile_pattern(
    r"(?P<a>" + _NUM + r")\s+(?P<u>hours?|days?|weeks?|months?)\b[^.!?\d;]{0,25}?\b(?:across|on|"
    r"over|of|for|times|x|×)\s+(?:(?:all|each of|every one of)\s+)?(?:the\s+)?(?P<b>"
    + _NUM
    + r")\s+(?P<n>[a-z][a-z-]*?)s?\b[^.!?\d;]{0,20}?(?:,|\bis\b|=|\bthat'?s\b|\bor\b|\bso\b|"
    r"\bgives\b|\bmeans\b)\s*(?:about |roughly |around |nearly |over |some )?(?P<c>"
    + _NUM
    + r")\s+(?P<m>[a-z][a-z]*?)s?-(?P<v>hours?|days?|weeks?|months?)\b",
    re.IGNORECASE,
)
#: "52 gates a year; at 400 scenarios per gate, 20,800 simulated chats": a count of things,
#: an amount per thing, and the total
_AT_PER = compile_pattern(
    r"(?P<a>" + _AMOUNT + r")\s+(?P<n>[a-z][a-z-]*?)s?\b[^.!?\d;]{0,25}?[;,]\s*at\s+(?:about |"
    r"roughly |around )?(?P<b>" + _AMOUNT + r")\s+(?:[a-z-]+\s+){0,2}?(?:per|a|each|every)\s+"
    r"(?P<m>[a-z][a-z-]*?)s?\b\s*,?\s*(?:that'?s |so |is |gives |comes to |makes )?(?:about |"
    r"roughly |around |nearly |some )?(?P<c>" + _AMOUNT + r")(?!\s?(?:%|percent|per cent))"
    r"(?!\s+(?:days?|weeks?|months?|years?|hours?|minutes?|times?|engineers?|people|staff|"
    r"reviewers?|agents?|FTEs?|sprints?|short|more|less|fewer)\b)",
    re.IGNORECASE,
)
#: "11 percent of applicant volume; at roughly 2.4 million applicants a month, that's about
#: 380,000": a share named first, the count it is taken of after
_SHARE_THEN_COUNT = compile_pattern(
    r"(?P<p>" + _NUM + r")\s*" + _PCT + r" of (?:our |the |all |total )?[a-z][a-z -]{0,30}?[;,]\s*"
    r"at (?:about |roughly |around |some )?(?P<b>" + _AMOUNT + r")\s+(?P<n>[a-z][a-z-]*)"
    r"[a-z -]{0,25}?,\s*(?:that'?s|so|which is|giving)\s+(?:about |roughly |around |nearly |some )?"
    r"(?P<c>" + _AMOUNT + r")(?!\s?(?:%|percent|per cent))(?:\s+(?P<m>[a-z][a-z'’-]*))?",
    re.IGNORECASE,
)
#: "0.05 incidents a month, or one every 20 months": a rate and its waiting time
_ONE_EVERY = compile_pattern(
    r"(?P<a>" + _NUM + r")\s+(?:[a-z-]+\s+){0,2}?(?:a|per|each)\s+"
    r"(?P<p>day|week|month|year)\b,?\s*(?:(?:or|i\.e\.|that'?s|which is|meaning|so)\s+|[—–]\s*|"
    r"-\s+)(?:about |roughly |around |nearly )?(?:one|1|once)\s+(?:[a-z-]+\s+)?every\s+"
    r"(?:(?P<n>" + _NUM + r")\s+)?(?P<q>days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)
_DAYS = {"day": 1.0, "week": 7.0, "month": 30.4, "year": 365.0}
#: "0.97 to the power of eight is about 91 percent", "95 percent to the 10th is 60 percent":
#: a rate compounded over steps
_ORDINALS = {"second": 2, "squared": 2, "third": 3, "cubed": 3, "fourth": 4, "fifth": 5,
             "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "twelfth": 12,
             "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
             "nine": 9, "ten": 10, "twelve": 12, "twenty": 20}  # fmt: skip
#: the ordinal words "to the ..." takes ("to the eighth"; "to the power of" takes the others)
_ORDINAL_WORDS = "|".join(w for w in _ORDINALS if w.endswith(("th", "ond", "ird", "ed")))
_POWER = compile_pattern(
    r"(?P<a>(?<![\d.])0?\.\d{1,6}|" + _NUM + r"\s*" + _PCT + r")\s*"
    r"(?:(?:\^|\*\*|(?:raised )?to the power (?:of )?)\s*(?P<n>\d{1,3}|"
    + "|".join(_ORDINALS)
    + r")|(?:raised )?to the (?P<n2>\d{1,3}(?:st|nd|rd|th)|"
    + _ORDINAL_WORDS
    + r"))(?!\s?(?:%|percent))(?:\s+power)?\b[^.!?\d;]{0,20}?"
    r"(?:\b(?:is|gives|comes to|that'?s|or|equals)\b|=)\s*(?:about |roughly |around |nearly |"
    r"only |just |~\s?)?(?P<c>" + _NUM + r")\s*(?P<pct>%|percent\b|per cent\b)?",
    re.IGNORECASE,
)
#: "$1.8M a year, about 12 percent of our revenue if we're at $25M": a sum, its share of a
#: total, and the total (not "$10,000 a month: 31% of $132,000 is $41,000", where the colon
#: opens the working and the share's own result follows)
_SHARE_OF_TOTAL = compile_pattern(
    r"(?P<a>[$€£]" + _NUM + r"(?:\s?(?:k|m|mn|bn|b|thousand|million|billion)\b)?)[^.!?\d;:]{0,30}?"
    r"\b(?:about |roughly |around |nearly |some |almost |over )?(?P<p>"
    + _NUM
    + r")\s*"
    + _PCT
    + r" of (?:(?:our|the|their|its|total|all)\b[^.!?\d;]{0,30}?\b(?:at|of|is|was|which is|"
    r"totall?ing|being)\s+(?:about |roughly |around |some )?|(?:our |the |their |its |total )?)"
    r"(?P<b>[$€£]" + _NUM + r"(?:\s?(?:k|m|mn|bn|b|thousand|million|billion)\b)?)"
    r"(?![^.!?\d;]{0,20}?\b(?:is|=|gives|comes to|that'?s)\s+(?:about |roughly |around |nearly )?"
    r"[$€£]?\d)",
    re.IGNORECASE,
)
#: "30,000 receipts a month, that's 9,000 receipts with an error, or 3 percent of volume": a
#: count said again as a share of a total named before it in the sentence
_OR_SHARE = compile_pattern(
    r"(?P<a>" + _NUM + r")\b[^.!?\d;%]{0,40}?,\s*(?:or|i\.e\.|which is|that'?s)\s+(?:about |"
    r"roughly |around |nearly |some |almost |just over |just under )?(?P<p>"
    + _NUM
    + r")\s*"
    + _PCT
    # "of volume", "of them": the total just named; "2 percent of shifts" is of another base
    + r"(?:\s+of\s+(?:the\s+)?(?:volume|them|those|total|all|it))?(?!\s+of\b)"
    r"(?![\w\s]{0,12}\b(?:more|fewer|less|higher|lower|up|down|increase|decrease|rise|drop|"
    r"growth|cut|reduction|lift|cheaper|smaller|bigger|larger|faster|slower|saved|savings?|off)\b)",
    re.IGNORECASE,
)
_TIME = {"ms": 0.001, "s": 1.0, "second": 1.0, "minute": 60.0, "hour": 3600.0}


def _time_unit(text: str | None) -> float | None:
    if not text:
        return None
    word = text.lower().rsplit("-", 1)[-1]
    word = word[:-1] if len(word) > 2 and word.endswith("s") else word
    return _TIME.get(word)


def _evaluate(expression: str) -> float | None:
    """The value of a written-out sum, products first; None when it is not plain arithmetic."""
    text = expression.replace("×", "*").replace("−", "-").replace("÷", "/")
    for word, symbol in (("multiplied by", "*"), ("divided by", "/"), ("minus", "-"), ("plus", "+"),
                       ("times", "*")):  # fmt: skip
        text = re.sub(rf"\s{word}\s", symbol, text, flags=re.IGNORECASE)
    text = re.sub(r"(?<=[\d%])\s*x\s*(?=[$€£]?\d)", "*", text, flags=re.IGNORECASE)
    text = re.sub(
        r"(\d[\d,]*(?:\.\d+)?)\s?(k|m|mn|bn|thousand|million|billion)\b",
        lambda m: repr(float(m.group(1).replace(",", "")) * _SCALE[m.group(2).lower()]),
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(r"(?<=\d)\s?%", "/100", text)
    text = re.sub(r"[$€£,\s]", "", text)
    if not re.fullmatch(r"[\d.]+(?:[*/+\-][\d.]+)+", text):
        return None
    total = 0.0
    sign = 1.0
    product: float | None = None
    pending = "*"
    for token in re.findall(r"[\d.]+|[*/+\-]", text):
        if token in "+-":
            total += sign * (product or 0.0)
            product = None
            sign = 1.0 if token == "+" else -1.0
        elif token in "*/":
            pending = token
        else:
            try:
                value = float(token)
            except ValueError:
                return None
            if product is None:
                product = value
            elif pending == "*":
                product *= value
            elif value == 0:
                return None
            else:
                product /= value
    return total + sign * (product or 0.0)


def _rounds_to(actual: float, written: str) -> bool:
    """Whether ``written`` is ``actual`` rounded to the digits it shows ("52K" for 51,870)."""
    claimed = _value(written)
    digits = _VALUE.search(written)
    if claimed is None or digits is None:
        return False
    decimals = len(digits.group(0).partition(".")[2])
    shown = float(digits.group(0).replace(",", ""))
    scale = claimed / shown if shown else 1.0
    return abs(actual - claimed) <= 0.5 * 10.0 ** (-decimals) * scale + 1e-9


def _value(text: str) -> float | None:
    found = _VALUE.search(text)
    if found is None:
        return None
    number = float(found.group(0).replace(",", ""))
    tail = text[found.end() :].strip().lower()
    unit = re.match(r"(thousand|million|billion|mn|bn|k|m|b)\b", tail)
    if unit and not tail.startswith("ms"):
        number *= _SCALE[unit.group(1)]
    return number


def _unit(text: str) -> str:
    found = re.search(
        r"(ms|s|%|per ?cent|cents?|k|m|gb|mb|tb|seconds?|minutes?|hours?|points?)\s*$",
        text.strip(),
        re.IGNORECASE,
    )
    unit = found.group(1).lower() if found else ""
    if len(unit) > 3 and unit.endswith("s"):
        unit = unit[:-1]  # seconds and second are one unit; "ms" and "s" stay apart
    return "%" if unit.replace(" ", "") == "percent" else unit


def _close(actual: float, claimed: float, tolerance: float = 0.06) -> bool:
    return abs(actual - claimed) <= max(tolerance * abs(actual), 1e-9)


_ONES = {word: value for value, word in enumerate(ONES)}
_TENS = {word: 20 + 10 * index for index, word in enumerate(TENS)}
#: A rate spelled out ("Five percent of 80,000 sellers is 400"): read as its figure
_SPELLED_RATE = compile_pattern(
    r"(?<!point )\b(?:(?P<tens>"
    + "|".join(_TENS)
    + r")(?:[\s-](?P<unit>"
    + "|".join(list(_ONES)[1:10])
    + r"))?|(?P<ones>"
    + "|".join(_ONES)
    + r"))(?=\s*(?:%|percent\b|per cent\b))",
    re.IGNORECASE,
)


def _spelled(text: str) -> str:
    """The text with its spelled-out rates written as figures, for the checks below."""

    def figure(match: re.Match[str]) -> str:
        if match.group("ones"):
            return str(_ONES[match.group("ones").lower()])
        unit = match.group("unit")
        return str(_TENS[match.group("tens").lower()] + (_ONES[unit.lower()] if unit else 0))

    return _SPELLED_RATE.sub(figure, text)


_MONEY = r"[$€£]" + _NUM + r"(?:\s?(?:k|m|mn|bn|b|thousand|million|billion)\b)?"
#: "we lose 6,000 orders a week; at a $28 average ticket that's $1.68 million": a count, a
#: price each, and the total said
_AT_PRICE = compile_pattern(
    r"(?<![$€£\d.,])(?P<n>" + _NUM + r"(?:\s?(?:k|m|mn|bn|b|thousand|million|billion)\b)?)"
    r"(?!\s?(?:%|percent|per cent|x\b|times\b|(?:k|m|mn|bn|b|thousand|million|billion)\b))"
    r"(?:\s+[a-z-]+){0,3}[^.!?\d$€£]{0,25}?\bat\s+(?:a |an )?(?:average |avg\.? )?(?P<p>"
    + _MONEY
    + r")(?P<unit>(?:\s+(?:average\s+)?(?:ticket|order|basket|each|apiece|per\s+[a-z-]+|an?\s+"
    r"[a-z-]+))?),?\s+(?:that'?s|that is|is|comes to|gives|means|=|for)\s+(?:about |roughly |"
    r"around |nearly |over |almost )?(?P<t>" + _MONEY + r")",
    re.IGNORECASE,
)
#: "the agent is 82 percent accurate, so only 18 of those go wrong": the rest of a count
_ACCURATE_SO = compile_pattern(
    r"(?P<p>"
    + _NUM
    + r")\s*"
    + _PCT
    + r"\s+(?:accurate|accuracy|correct|right|precise)\b[^.!?\d]{0,25}?\b(?:so|which means|"
    r"meaning)\s+(?:only |about |roughly |around |just )?(?P<n>"
    + _NUM
    + r")\b(?!\s*(?:%|percent|per cent)|\s+(?:in|out of)\s+(?:a |every |each )?(?:hundred|"
    r"thousand|\d)|\s+(?:a|an|per|each|every)\s+(?:day|week|month|year|"
    r"hour|quarter)\b|\s+(?:daily|weekly|monthly|yearly))(?:\s+[a-z-]+){0,4}?\s+(?:are|is|go|"
    r"goes|get|gets|come out|were|will be|would be|end "
    r"up)\s+(?:wrong|incorrect|misclassified|mis[a-z]+ed|in error)\b",
    re.IGNORECASE,
)
#: A count an accuracy is taken of: a number of 100 or more, not money, a rate or a year
_COUNT = compile_pattern(
    r"(?<![$€£\d.,])(?P<c>" + _NUM + r"(?:\s?(?:k|thousand|million|billion)\b)?)"
    r"(?!\s?(?:%|percent|per cent|x\b|times\b))(?![\d.,])",
    re.IGNORECASE,
)


_SHARE_BEFORE = compile_pattern(
    r"((%|percent|per cent|\b(tenth|quarter|third|half|fifth)s?)\s+of\s+(the\s+|our\s+|their\s+|"
    r"those\s+|these\s+)?|\b(across|among|between|in|over|for)\s+)$",
    re.IGNORECASE,
)
#: After a total: "each", "per head", so it is a price again, not a total
_PRICE_AGAIN = compile_pattern(r"\s*(each|apiece|per|a head)\b", re.IGNORECASE)
_PER_SCALE = compile_pattern(r"\s*per\s+(thousand|million|billion|k|m)\b", re.IGNORECASE)


def _at_price_problem(text: str) -> str | None:
    """What is wrong with "N things at $P each, that's $T", if anything."""
    for match in _AT_PRICE.finditer(text):
        if _SHARE_BEFORE.search(text[max(0, match.start() - 30) : match.start()]):
            continue  # "12 percent of 3,000 seats at $30": the count is the share, not 3,000
        if _PERIOD.match(text[match.end("n") :].lstrip().lower()):
            continue  # "60,000 orders over 12 weeks at $28": 12 counts weeks, not orders
        if _PRICE_AGAIN.match(text, match.end("t")):
            continue  # "the 40 accounts at $2M, that's $50k each": a price again, not a total
        if _PERIOD.search(match.group("unit").lower()):
            continue  # "$2 an hour": a rate in time, whose total needs the hours
        spans = (
            text[match.end("n") : match.start("p")],
            text[match.end("t") : match.end("t") + 12],
        )
        periods = {_period(part) for part in spans}
        if len(periods - {None}) > 1:
            continue  # "1,200 a month at $45, that's $540,000 a year": not one period
        n, p, t = (_value(match.group(k)) for k in "npt")
        if n is None or p is None or t is None or n < 2:
            continue
        per = _PER_SCALE.match(match.group("unit"))
        if per:  # "$2.50 per million" tokens: the price of that many
            p /= _SCALE[per.group(1).lower()]
        if not _close(n * p, t, 0.15):
            return (
                f"{match.group('n')} at {match.group('p')}{match.group('unit')} is "
                f"{_plain(n * p)}, not {match.group('t')}"
            )
    return None


_THE_REST = compile_pattern(r"\b(rest|remaining|remainder|left over|others)\b", re.IGNORECASE)


def _accurate_so_problem(text: str, before: str) -> str | None:
    """What is wrong with "P percent accurate, so N are wrong" of the count before it."""
    for match in _ACCURATE_SO.finditer(text):
        rate, wrong = _value(match.group("p")), _value(match.group("n"))
        said = before + " " + text[: match.start()]
        counts = [
            (c, m.end())
            for m in _COUNT.finditer(said)
            if (c := _value(m.group("c"))) is not None
            and c >= 100
            and not (1900 <= c <= 2100 and "," not in m.group("c"))  # "in 2025": a year
        ]
        if rate is None or wrong is None or not counts or rate > 100:
            continue
        base, end = counts[-1]
        if _THE_REST.search(said[end:]):
            continue  # "300 go to a human; on the rest it is 82 percent accurate": another base
        actual = (100.0 - rate) / 100.0 * base
        if wrong <= base and not _close(actual, wrong, 0.2):
            return (
                f"{match.group('p')} percent right of {_plain(base)} leaves about "
                f"{_plain(actual)} wrong, not {match.group('n')}"
            )
    return None


def check_arithmetic(sentences: Sequence[Span]) -> list[FlagHit]:
    """Sentences whose stated numbers disagree: a before, an after and the change between them;
    a product; a share of a count; a daily or monthly amount and its yearly total. A rate
    spelled out ("five percent") counts as its figure."""
    hits = []
    for index, span in enumerate(sentences):
        text = _spelled(span.text)
        before = _spelled(sentences[index - 1].text) if index else ""
        problem = (
            _rate_of_base_problem(before, text)
            or _on_base_problem(before, text)
            or _over_cut_problem(text)
        )
        if len(DIGIT_RUNS.findall(text)) < 2 and not problem:
            continue  # every other form needs two stated numbers in the sentence
        problem = (
            problem
            or _change_problem(text)
            or _other_problem(text, before)
            or _at_price_problem(text)
            or _accurate_so_problem(text, before)
        )
        if problem:
            hits.append(
                FlagHit(
                    Flag.ARITHMETIC,
                    span,
                    f"{problem}; numbers that do not add up earn no credit and invite the next "
                    "question.",
                )
            )
    return hits


_PERIOD = re.compile(r"\b(day|week|month|year|quarter|hour)s?\b|\b(dai|week|month|year|hour)ly\b")
_NOT_HEAD = frozenset(
    "a an the per each every and or at in on of for to from with day week month year quarter "
    "hour days weeks months years quarters hours".split()
)


def _head(text: str) -> str:
    """The head noun of the words after a count: "voice orders a month" gives "order"."""
    found = [w.lower() for w in re.findall(r"[A-Za-z-]+", text)]
    while found and found[-1] in _NOT_HEAD:
        found.pop()
    return found[-1].rstrip("s") if found else ""


def _period(text: str) -> str | None:
    match = _PERIOD.search(text.lower())
    return None if match is None else (match.group(1) or match.group(2))


#: What a rate of errors counts, whatever the flow it is taken of.
_ERRORS = frozenset("error errors mistake mistakes failure failures incident incidents".split())
#: The words of a plain error rate: "a 0.4 percent error rate that's", not "a 3 percent field
#: error rate" (a rate of fields, not of the receipts counted before).
_PLAIN_RATE = frozenset("percent per cent % error errors mistake failure incident rate".split())
#: Several of one thing on each of another: the flow the rate is taken of is not the count.
_MULTIPLIED = re.compile(r"\b(each|every|per|apiece|a piece)\b", re.IGNORECASE)


def _one_flow(base_words: str, rate_words: str, around: str) -> bool:
    """Whether an error rate is taken of the count before it though their nouns differ: a
    plain error rate ("At a 0.4 percent error rate that's 1,600 errors a month") on a count of
    plural things ("40,000 receipts a month"), per the same period, with nothing counted on
    each of them ("eight fields on each") in the two sentences."""
    said = re.findall(r"[a-z%]+", rate_words.lower())
    if not said or not set(said) <= _PLAIN_RATE | {"a", "an", "the", "that", "s", "means", "is"}:
        return False
    if not _ERRORS & set(said) or _MULTIPLIED.search(around):
        return False
    counted = [w for w in re.findall(r"[A-Za-z-]+", base_words) if w.lower() not in _NOT_HEAD]
    return bool(counted) and counted[-1].lower().endswith("s") and len(counted) == 1


def _rate_of_base_problem(before: str, text: str) -> str | None:
    """A rate applied to a count in the sentence before ("Say 2 million voice orders a month. A
    6% wrong-product rate means 12,000 wrong orders"): the count is known by its noun, and only
    one count in that sentence may carry it."""
    for match in _RATE_MEANS.finditer(text):
        said = text[match.start() : match.start("c")]
        if " of " in said or re.search(r"\bper\b", said):
            continue  # "6 percent of 2 million is": the base said in place, checked elsewhere
        rate, claimed = _value(match.group("p")), _value(match.group("c"))
        head = _head(match.group("n"))
        if rate is None or claimed is None or rate > 100 or not head:
            continue
        # one count before it, and only one: "400,000 tickets, and 50,000 of them" has two
        bases = list(_BASE.finditer(before + " " + text[: match.start()]))
        if len(bases) != 1:
            continue
        joined = before + " " + text
        periods = {
            _period(joined[bases[0].start("n") : bases[0].end() + 20]),
            _period(text[match.start("n") : match.end() + 20]),
        }
        if len(periods - {None}) > 1:
            continue  # "70,000 a week ... 100 wrong orders a day": two periods
        # the count is known by its noun, or the rate counts the errors of one flow said per
        # the same period ("40,000 receipts a month. At a 0.4 percent error rate that's 1,600
        # errors a month"), not "4,000 missed clauses a year" of 50,000 contracts a year
        if _head(bases[0].group("n")) != head and (
            head not in _ERRORS
            or None in periods
            or len(periods) != 1
            or not _one_flow(bases[0].group("n"), text[match.end("p") : match.start("c")], joined)
        ):
            continue
        base = _value(bases[0].group("b"))
        if base is None or base < 100 or claimed > base:
            continue
        actual = rate / 100.0 * base
        if not _close(actual, claimed, 0.12):
            return (
                f"{match.group('p')} percent of {bases[0].group('b')} is {_plain(actual)}, "
                f"not {match.group('c')}"
            )
    return None


def _readings(text: str) -> set[float]:
    """The rates a sentence may mean by its figures: each figure of 100 or less, its
    complement, the gap between two ("from 2 to 7 percent": 5 points) and the product of two
    ("35 percent of a 2-point rise")."""
    figures = [float(v.replace(",", "")) for v in _VALUE.findall(text)]
    figures = [v for v in figures if 0 < v <= 100]
    pairs = [(a, b) for i, a in enumerate(figures) for b in figures[i + 1 :]]
    return {
        *figures,
        *(100 - v for v in figures),
        *(abs(a - b) for a, b in pairs),
        *(a * b / 100 for a, b in pairs),
    } - {0.0}


_FROM_TO = compile_pattern(
    r"\bfrom\s+(?:about |roughly |around )?(?P<a>" + _NUM + r")\s*(?:%|percent\b|per cent\b)?\s+"
    r"(?:up |down )?to\s+(?P<b>" + _NUM + r")",
    re.IGNORECASE,
)


def _gaps(text: str) -> list[float]:
    """The changes said as "from A to B" ("from 2 to 7 percent": 5 points)."""
    found = []
    for match in _FROM_TO.finditer(text):
        a, b = _value(match.group("a")), _value(match.group("b"))
        if a is not None and b is not None and a != b:
            found.append(abs(b - a))
    return found


#: The periods a count is said per (an hour is more often a unit: "GPU-hours a day").
_CALENDAR = re.compile(r"\b(day|week|month|year|quarter)s?\b|\b(dai|week|month|year)ly\b")


def _periods_differ(first: str, second: str) -> bool:
    """Whether two stretches of text name different periods ("a week" and "a year")."""
    one, other = _CALENDAR.search(first.lower()), _CALENDAR.search(second.lower())
    if one is None or other is None:
        return False
    return (one.group(1) or one.group(2).replace("dai", "day")) != (
        other.group(1) or other.group(2).replace("dai", "day")
    )


def _on_base_problem(before: str, text: str) -> str | None:
    """A count that the rate said in the sentence before is taken of ("...so the overall effect
    was 0.06 percent. On 25 million answers a week, that is about 1,500"): wrong only when no
    rate of that sentence, nor its complement, gives the figure."""
    match = _ON_BASE.search(text)
    if match is None:
        return None
    found = [_value(r.group("p")) for r in _RATES.finditer(before)]
    rates = [r for r in found if r is not None and 0 < r <= 100]
    base, claimed = _value(match.group("b")), _value(match.group("c"))
    if not rates or base is None or claimed is None or base < 100 or claimed > base:
        return None
    if _periods_differ(text[: match.start("c")], text[match.end("c") :]):
        return None  # "25 million answers a week, that's 3.9 million a year": another period
    # any figure of that sentence may be the one meant ("from 2 to 7 percent": 5 points more)
    if any(_close(r / 100.0 * base, claimed, 0.12) for r in _readings(before)):
        return None
    rate = rates[-1]
    return (
        f"{_plain(rate)} percent of {match.group('b')} is {_plain(rate / 100.0 * base)}, "
        f"not {match.group('c')}"
    )


#: "..., more than a 50 percent increase", "which is under a 10 percent rise": a bound said
#: just before the claimed change
_BOUND_BEFORE = re.compile(
    r"\b(under|below|above|over|less than|more than)\s+(?:a |an )?(?:about |roughly )?$"
)
_UNDER = frozenset({"under", "below", "less than"})
_OVER = frozenset({"over", "above", "more than"})
#: "relative" said right after the claimed change ("an 8 percent relative drop")
_RELATIVE_AFTER = re.compile(r"\s*(%|percent|per cent)?\s*relative\b", re.IGNORECASE)


#: A cut said to be more than the whole: "a 200% reduction", "lowers cost by 150 percent".
_OVER_CUT = compile_pattern(
    r"\b(?P<a>\d{3,}(?:\.\d+)?)\s*(?:%|percent|per cent)\s+(?:[a-z-]+\s+)?(?:reduction|cut|"
    r"drop|decrease|decline|fewer|less|lower|saving|savings|cheaper)\b|\b(?:reduc|cut|lower|"
    r"decreas|drop|slash|shr[iu]nk)\w*\b(?:(?![,;:]|\b(?:which|that|rose|risen|grew|grown|went "
    r"up|gone up|increased|climbed|doubled)\b)[^.!?]){0,40}?\bby\s+(?:about |roughly |around |"
    r"over )?(?P<b>\d{3,}(?:\.\d+)?)\s*(?:%|percent|per cent)"
    r"|\b(?:go|goes|went|going|gone|come|comes|came) down (?:by )?(?P<c>\d{3,}(?:\.\d+)?)\s*"
    r"(?:%|percent|per cent)",
    re.IGNORECASE,
)


def _over_cut_problem(text: str) -> str | None:
    for match in _OVER_CUT.finditer(text):
        said = match.group("a") or match.group("b") or match.group("c")
        if float(said) > 100:
            return (
                f"a {said} percent cut would take away more than all there was: a fall is at "
                "most 100 percent (a third of before is a 67 percent cut, or 3 times fewer)"
            )
    return None


def _change_problem(text: str) -> str | None:
    for match in _CHANGE.finditer(text):
        first = "a" if match.group("a") is not None else "a2"
        a_text, b_text = match.group(first), match.group("b" if first == "a" else "b2")
        c_key = "c" if first == "a" else "c2"
        c_text = match.group(c_key)
        a, b = _value(a_text), _value(b_text)
        claimed = float(c_text.replace(",", ""))
        if first == "a" and _periods_differ(
            text[match.end("a") : match.start("b")], text[match.end("b") : match.end("b") + 15]
        ):
            continue  # "$29 a family per month to $299 a year": not one period
        if a is None or b is None or a == 0 or a == b:
            continue
        if _unit(a_text) != _unit(b_text) and _unit(a_text) and _unit(b_text):
            continue  # "1.3 s to 2,400 ms": not the same unit, not worth converting
        relative = abs(b - a) / abs(a) * 100.0
        points = abs(b - a)
        both_percent = _unit(a_text) == "%" or _unit(b_text) == "%"
        # "an 8 percent relative drop" for 84 to 76 (9.5): said as relative, so no points
        # reading and no rounding by two
        relative_said = _RELATIVE_AFTER.match(text, match.end(c_key)) is not None
        slack = max(1.0 if relative_said else 2.0, 0.1 * relative)
        close = abs(relative - claimed) <= slack or (
            both_percent and not relative_said and abs(points - claimed) <= 1.0
        )
        said = text[max(0, match.start(c_key) - 24) : match.start(c_key)].lower()
        found = _BOUND_BEFORE.search(said)
        bound = found.group(1) if found else ""
        if bound in _UNDER and relative <= claimed or bound in _OVER and relative >= claimed:
            close = True  # "under a 10 percent rise" for 8 percent: a bound, and it holds
        if not close:
            change = f"{relative:.1f}".removesuffix(".0") if relative < 10 else f"{relative:.0f}"
            return (
                f"{a_text.strip()} to {b_text.strip()} is a {change} percent change, "
                f"not {c_text} percent"
            )
    return None


def _share_problem(a_text: str, b_text: str, c_text: str, word: str) -> str | None:
    """What is wrong with "A of B is C percent" (or "A in B"), if anything."""
    a, b, c = _value(a_text), _value(b_text), _value(c_text)
    if a is None or b is None or c is None or b == 0 or a > b:
        return None
    share = 100.0 * a / b
    if abs(share - c) <= max(0.15 * share, 0.05):
        return None
    rest = 100.0 - share
    if abs(rest - c) <= max(0.15 * min(share, rest), 0.05):
        return None  # "6 wrong out of 2,400 means 99.75 percent accuracy": the rest
    return f"{a_text} {word} {b_text} is {share:.2g} percent, not {c_text} percent"


#: "we're at 81%, the vendor is at 74%, so the gap is 9 points": two rates and their gap
_GAP = compile_pattern(
    r"(?P<a>"
    + _NUM
    + r")\s*"
    + _PCT
    + r"[^.!?;\d]{0,40}?\b(?P<b>"
    + _NUM
    + r")\s*"
    + _PCT
    + r"[^.!?;\d]{0,20}?\b(?:so |which makes |making )?(?:the |a |our )?(?:gap|difference|"
    r"lead|spread|margin)\s+(?:is|of|=|at)\s+(?:about |roughly |around |only |just )?(?P<c>"
    + _NUM
    + r")\s*(?:points|percentage points|pp|pts)\b",
    re.IGNORECASE,
)
#: A span of time said again in another unit: "8 weeks, which is 64 days", "36 hours (1.5
#: days)". Not "or" (two choices: "two weeks or ten days") nor a difference ("2 weeks is 10
#: days longer").
_CONVERSION = compile_pattern(
    r"(?P<a>" + _NUM + r")[\s-]*(?P<u>minutes?|hours?|days?|weeks?|months?|quarters?|years?)\b"
    r"\s*(?:,\s*(?:which is|that'?s|that is|i\.e\.,?|or about|so)|\(|=|\bis\b|\bequals\b)\s*"
    r"(?:about |roughly |around |~|nearly |almost )?(?P<b>" + _NUM + r")\s*(?P<v>seconds?|"
    r"minutes?|hours?|days?|weeks?|months?|years?)\b(?!\s+(?:longer|shorter|more|less|fewer|"
    r"later|earlier|sooner|behind|ahead|over|under|too|than|each|per|a\b|in\b|from|after|"
    # "10 days of work" may count working days; "64 days of the 90 we have" does not
    r"before|left|late|of\b(?!\s+(?:the|our|an?)\b)))",
    re.IGNORECASE,
)
#: How many of the smaller unit make one of the larger, as a range a calendar allows (a month
#: is 28 to 31 days, 4 to 4.5 weeks).
_UNITS_IN = {
    ("minute", "second"): (60.0, 60.0),
    ("hour", "second"): (3600.0, 3600.0),
    ("hour", "minute"): (60.0, 60.0),
    ("day", "minute"): (1440.0, 1440.0),
    ("day", "hour"): (24.0, 24.0),
    ("week", "hour"): (168.0, 168.0),
    ("week", "day"): (7.0, 7.0),
    ("month", "day"): (28.0, 31.0),
    ("month", "week"): (4.0, 4.5),
    ("quarter", "day"): (89.0, 92.0),
    ("quarter", "week"): (12.0, 13.5),
    ("quarter", "month"): (3.0, 3.0),
    ("year", "day"): (365.0, 366.0),
    ("year", "week"): (52.0, 52.2),
    ("year", "month"): (12.0, 12.0),
}


def _conversion_problem(text: str) -> str | None:
    """A span of time said in two units that do not agree ("8 weeks, which is 64 days")."""
    for match in _CONVERSION.finditer(text):
        a, b = _value(match.group("a")), _value(match.group("b"))
        big, small = (match.group(k).lower().rstrip("s") for k in "uv")
        if a is None or b is None or a == 0:
            continue
        if (big, small) in _UNITS_IN:
            low, high = _UNITS_IN[big, small]
        elif (small, big) in _UNITS_IN:
            # "36 hours (1.5 days)": the other way round
            high, low = (1.0 / f for f in _UNITS_IN[small, big])
        else:
            continue
        # a figure rounded as written ("about 4 weeks" for 30 days) passes
        if low * a * 0.94 <= b <= high * a * 1.06 or _rounds_to(low * a, match.group("b")):
            continue
        worked = _plain(low * a) if low == high else f"{_plain(low * a)} to {_plain(high * a)}"
        return (
            f"{match.group('a')} {match.group('u')} is {worked} {match.group('v')}, "
            f"not {match.group('b')}"
        )
    return None


#: "9M photos over six years is 2M photos a year": a total spread over a span
_SPREAD = compile_pattern(
    r"(?P<t>" + _AMOUNT + r")(?:\s+[a-z-]+){0,3}?\s+(?:over|across|in)\s+"
    r"(?:the\s+(?:last|past)\s+)?(?P<n>\d{1,3}|" + "|".join(ONES[2:]) + r")\s+"
    r"(?P<unit>years|months|weeks|days)\b[^.!?;\d]{0,15}?\b(?:is|=|comes to|means|that'?s|or)\s+"
    r"(?:about |roughly |around |nearly )?(?P<c>" + _AMOUNT + r")(?:\s+[a-z-]+){0,3}?\s+"
    r"(?:a|per|each)\s+(?P<per>year|month|week|day)\b",
    re.IGNORECASE,
)


#: "126,000 replies; at 5.6 percent it is 168,000, so the loop adds 52,000": two counts and
#: what the second adds to the first (rates between them are passed over)
_ADDS = compile_pattern(
    r"(?P<a>"
    + _AMOUNT
    + r")(?!\s?(?:%|percent|per cent|x\b|times\b))[^.!?\d]{0,40}?[;,]\s(?:[^.!?\d]{0,30}?"
    + _NUM
    + r"\s*"
    + _PCT
    + r")?[^.!?\d]{0,30}?\b(?P<b>"
    + _AMOUNT
    + r")(?!\s?(?:%|percent|per cent|x\b|times\b))[^.!?\d]{0,25}?\bso\b[^.!?\d]{0,40}?\b(?:adds?|"
    r"added|gains?|gained|brings? in|is an extra|means an extra|that'?s an extra)\s+(?:about |"
    r"roughly |around |an extra |another )?(?P<c>"
    + _AMOUNT
    + r")(?!\s?(?:%|percent|per cent|x\b|times\b))",
    re.IGNORECASE,
)


#: Words after a figure that do not name what it counts.
_NOT_COUNTED = frozenset(
    "a an the per in on at of so and or but which that this it is was to from for by with now "
    "then up down more less extra new total today".split()
)


def _counted(text: str) -> str:
    """What the figure just before ``text`` counts: its next word ("replies"), if it names one."""
    found = re.match(r"\s*([a-z][a-z-]*)", text.lower())
    word = found.group(1) if found else ""
    return "" if word in _NOT_COUNTED or _PERIOD.fullmatch(word) else word.rstrip("s")


_TIMELINE = re.compile(
    r"\b(january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|q[1-4]|(19|20)\d\d|last year|"
    r"this year|next year)\b",
    re.IGNORECASE,
)


def _adds_problem(text: str) -> str | None:
    """What is wrong with "A; B, so it adds C", if anything (C is B less A): the same thing
    counted over the same period ("$40,000 a month; $55,000, so it adds $180,000 a year" and
    "40 stores; 1,200 staff" are other sums)."""
    for match in _ADDS.finditer(text):
        a, b, c = (_value(match.group(k)) for k in "abc")
        if a is None or b is None or c is None or b <= a:
            continue
        periods = [_period(text[match.end(k) : match.end(k) + 25]) for k in "abc"]
        counted = [_counted(text[match.end(k) :]) for k in "abc"]
        if len({f for f in periods if f}) > 1 or len({f for f in counted if f}) > 1:
            continue
        if counted[0] and counted[0] not in counted[1:]:
            continue  # "at 400 stores, 12,000": the first figure counts something else
        if periods[2] and _TIMELINE.search(text, match.start("a"), match.start("c")):
            continue  # "1,200 in March; 2,400 in June, so we gained 400 a month": a rate
        if not _close(b - a, c, 0.02):
            return (
                f"from {match.group('a')} to {match.group('b')} adds {_plain(b - a)}, "
                f"not {match.group('c')}"
            )
    return None


def _gap_problem(text: str) -> str | None:
    """What is wrong with "A%, B%, so the gap is C points", if anything."""
    for match in _GAP.finditer(text):
        a, b, c = (_value(match.group(k)) for k in "abc")
        if a is None or b is None or c is None:
            continue
        if not _close(abs(a - b), c, 0.05):
            return (
                f"{match.group('a')} and {match.group('b')} percent are "
                f"{_plain(abs(a - b))} points apart, not {match.group('c')}"
            )
    return None


def _spread_problem(text: str) -> str | None:
    """What is wrong with "T over N years is C a year", if anything."""
    for match in _SPREAD.finditer(text):
        if match.group("unit").lower().rstrip("s") != match.group("per").lower():
            continue  # "over six years ... a month": another period
        digits = match.group("n")
        n = int(digits) if digits.isdigit() else _ONES[digits.lower()]
        t, c = _value(match.group("t")), _value(match.group("c"))
        if t is None or c is None or n < 2:
            continue
        if not _close(t / n, c, 0.1):
            return (
                f"{match.group('t')} over {digits} {match.group('unit')} is "
                f"{_plain(t / n)} a {match.group('per')}, not {match.group('c')}"
            )
    return None


def _power_problem(text: str) -> str | None:
    for match in _POWER.finditer(text):
        base_text = match.group("a")
        steps_text = (match.group("n") or match.group("n2")).lower()
        digits = re.match(r"\d+", steps_text)
        base = _value(base_text)
        steps = int(digits.group(0)) if digits else _ORDINALS.get(steps_text)
        claimed = _value(match.group("c"))
        if base is None or claimed is None or not steps or steps > 200:
            continue
        if re.search(_PCT, base_text, re.IGNORECASE):
            base /= 100.0
        if match.group("pct"):
            claimed /= 100.0
        if not 0 < base < 1 or not 0 <= claimed <= 1:
            continue  # a growth factor or a count: not a rate compounded
        actual = base**steps
        # "1 - 0.8^6 = 74 percent": the chance of at least one miss, when the sentence says so
        rest = 1.0 - actual
        complement = re.search(r"1\s*[-−–]\s*$", text[max(0, match.start() - 6) : match.start()])
        if abs(actual - claimed) > max(0.02, 0.06 * actual) and not (
            complement and abs(rest - claimed) <= max(0.02, 0.06 * rest)
        ):
            said = f"{100 * actual:.0f} percent" if match.group("pct") else f"{actual:.2f}"
            return f"{base_text.strip()} to the power of {steps} is {said}, not " + (
                f"{match.group('c')} percent" if match.group("pct") else match.group("c")
            )
    return None


def _counts_at(text: str) -> list[tuple[float, int, int]]:
    """The counts a sentence names (not percentages, not 0 or 1), with where each starts and
    ends."""
    found = []
    for match in _VALUE.finditer(text):
        value = _value(match.group(0))
        if text[match.end() : match.end() + 1] != "%" and value is not None and value >= 2:
            found.append((value, match.start(), match.end()))
    return found


def _counts(text: str, *said: tuple[int, int]) -> list[float]:
    """The counts a sentence names, besides the figures already read (their spans, ``said``)."""
    return [
        value
        for value, at, _ in _counts_at(text)
        if not any(start <= at < end for start, end in said)
    ]


def _noun_after(text: str, at: int) -> str:
    """The word a figure counts ("9,000 receipts" gives "receipt"), singular; empty if none."""
    word = re.match(r"\s+([a-z][a-z-]+)", text[at:], re.IGNORECASE)
    return word.group(1).lower().removesuffix("s") if word else ""


#: A rate after a figure: "%" or "percent".
_PERCENT_AFTER = re.compile(r"\s?(?:%|per ?cent\b)", re.IGNORECASE)
#: ...or points, which may be percentage points ("6 points x 40,000 = 2,400") or a count of
#: their own ("5 points x 3 engineers = 15"): either reading holds.
_POINTS_AFTER = re.compile(r"\s?(?:percentage )?(?:points?|pts?|pp)\b", re.IGNORECASE)
#: A factor that is one step of a longer sum ("120k x 12 x 400k = 576B", "x 1.25 + 11 x 120k x
#: 0.10 = 282k") or a span the total is spread over ("660k invoices in 4 days x 6k tokens"): the
#: two figures either side of the sign are not the whole product.
_CHAINED_BEFORE = re.compile(
    r"(?:×|\*|\+|÷|/|\bx\b|\b(?:in|over|per|across|within|every))\s*[$€£]?$", re.IGNORECASE
)
_CHAINED_BETWEEN = re.compile(r"×|\*|\+|÷|/|\bx\b|\b(?:over|divided)\b", re.IGNORECASE)


def _part_of_longer_sum(text: str, match: re.Match[str]) -> bool:
    """Whether a product's two factors are part of a longer sum, or its first a span of time."""
    before = text[max(0, match.start("a") - 16) : match.start("a")]
    between = text[match.end("b") : match.start("c")]
    return bool(_CHAINED_BEFORE.search(before) or _CHAINED_BETWEEN.search(between))


def _a_percent(text: str, match: re.Match[str], group: str) -> bool:
    """Whether a factor of a product is a percentage: "%" or "percent" after it, or the same
    figure given as a percentage earlier in the sentence ("0.4 percent means 0.4 × 210")."""
    if _PERCENT_AFTER.match(text, match.end(group)):
        return True
    figure = match.group(group).strip()
    return bool(
        re.search(
            rf"(?<![\d.,]){re.escape(figure)}\s?(?:%|per ?cent\b)",
            text[: match.start(group)],
            re.IGNORECASE,
        )
    )


def _other_problem(text: str, before: str = "") -> str | None:
    if problem := _power_problem(text):
        return problem
    if problem := _conversion_problem(text):
        return problem
    if problem := _gap_problem(text):
        return problem
    if problem := _adds_problem(text):
        return problem
    if problem := _spread_problem(text):
        return problem
    for match in _PRODUCT.finditer(text):
        a, b, c = (_value(match.group(k)) for k in "abc")
        if a is None or b is None or c is None or _part_of_longer_sum(text, match):
            continue
        as_share = next((k for k in "ab" if _a_percent(text, match, k)), None)
        if any(_POINTS_AFTER.match(text, match.end(k)) for k in "ab") and _close(
            a * b / 100.0, c, 0.12
        ):
            continue
        if as_share is not None:
            # a percentage times a count is a share of it: "0.4 percent means 0.4 × 210 = 84"
            # multiplies as if the rate were 0.4, not 0.004
            if not _close(a * b / 100.0, c, 0.12):
                rate, other = match.group(as_share), match.group("b" if as_share == "a" else "a")
                return (
                    f"{rate.strip()} percent of {other.strip()} is {_plain(a * b / 100.0)}, "
                    f"not {match.group('c').strip()}"
                )
        elif not _close(a * b, c, 0.12):
            return (
                f"{match.group('a').strip()} times {match.group('b').strip()} is "
                f"{_plain(a * b)}, not {match.group('c').strip()}"
            )
    for match in _SHARE.finditer(text):
        keys = next(
            (f"a{n}", f"b{n}", f"c{n}") for n in ("", "2", "3") if match.group(f"a{n}") is not None
        )
        a_text, b_text, c_text = (match.group(k) for k in keys)
        scales = [_SCALE_AFTER.match(text, match.end(k)) for k in keys[:2]]
        if len({m.group(1).lower() if m else "" for m in scales}) > 1:
            continue  # "2 million of them out of 100 thousand": not one scale
        if problem := _share_problem(a_text, b_text, c_text, "of"):
            return problem
    for match in _IN_SHARE.finditer(text):
        if problem := _share_problem(match.group("a"), match.group("b"), match.group("c"), "in"):
            return problem
    for match in _SAMPLE.finditer(text):
        if len(set(_PERIOD.findall(match.group(0).lower()))) > 1:
            continue  # "500 a day against 175,000 a week": not one period
        if problem := _share_problem(match.group("a"), match.group("b"), match.group("c"), "of"):
            return problem
    # a percentage of a base, said as one ("4 percent of $6M, $240K") or carried on from a
    # count ("800,000 riders, 15 percent at night, so 120,000"; a count of 100 at least)
    for pattern, base_group, least in (
        (_PERCENT_OF, "b", 0.0),
        (_SHARE_OF_COUNT, "a", 100.0),
        (_PERCENT_ON, "b", 100.0),
    ):
        for match in pattern.finditer(text):
            rate, base, claimed = (_value(match.group(k)) for k in ("p", base_group, "c"))
            if rate is None or base is None or claimed is None or rate > 100 or base < least:
                continue
            actual = rate / 100.0 * base
            if _close(actual, claimed, 0.12):
                continue
            if pattern is _PERCENT_ON and (
                _periods_differ(text[match.start("b") : match.start("c")], text[match.end("c") :])
                or any(
                    _close(g / 100.0 * base, claimed, 0.12) for g in _gaps(text[: match.start("b")])
                )
            ):
                continue  # a weekly count made yearly, or another rate of the sentence meant
            return (
                f"{match.group('p')} percent of {match.group(base_group)} is "
                f"{_plain(actual)}, not {match.group('c')}"
            )
    for match in _EXPRESSION.finditer(text):
        worked, claimed = _evaluate(match.group("expr")), _value(match.group("c"))
        if worked is None or claimed is None:
            continue
        after = text[match.end("c") :]
        if "%" in match.group("expr") and re.match(r"\s?(%|percent|per cent)", after):
            worked *= 100.0  # "20% × 40% = 8%"
        # a result written out is exact to its last digit, or to 5 percent when said "about"
        loose = bool(re.search(r"about|roughly|around|~", match.group(0), re.IGNORECASE))
        exact = _close(worked, claimed, 0.05 if loose else 0.005)
        if not (exact or _rounds_to(worked, match.group("c"))):
            return f"{match.group('expr').strip()} is {_plain(worked)}, not {match.group('c')}"
    for match in _THING_TIME.finditer(text):
        a, b, c = (_value(match.group(k)) for k in "abc")
        same_thing = match.group("n").lower().rstrip("s") == match.group("m").lower().rstrip("s")
        same_unit = match.group("u").lower().rstrip("s") == match.group("v").lower().rstrip("s")
        if a is None or b is None or c is None or not (same_thing and same_unit):
            continue
        # "20 hours across 16 GPUs" may be 20 on each (320 GPU-hours) or 20 in all, split
        if not (_close(a * b, c, 0.06) or _close(a, c, 0.06)):
            return (
                f"{match.group('a')} {match.group('u')} on each of {match.group('b')} "
                f"{match.group('n')}s is {_plain(a * b)} {match.group('m')}-{match.group('v')}, "
                f"not {match.group('c')}"
            )
    for match in _EACH.finditer(text):
        a, b, c = (_value(match.group(k)) for k in "abc")
        if a is None or b is None or c is None or c == 0:
            continue
        if re.search(
            r"((%|percent|per cent)|\b(a third|a quarter|half|two[- ]thirds|three[- ]quarters|"
            r"a fifth|a tenth|\d+ (in|of))( of)?)\s+(of\s+)?(the\s+)?$",
            text[: match.start("a")],
            re.IGNORECASE,
        ):
            continue  # "40 percent of 70,000 tickets at 90 seconds each": a share of the count
        if _periods_differ(text[match.start("a") : match.start("b")], text[match.end("c") :]):
            continue  # "210 rejects a day at $12 each cost $17,600 a week": another period
        given, wanted = _time_unit(match.group("u")), _time_unit(match.group("v"))
        factor = given / wanted if given and wanted else 1.0
        if not any(_close(a * b * f, c, 0.12) for f in (factor, 1.0, 0.01)):
            unit_in = f" {match.group('u')}" if match.group("u") else ""
            unit_out = f" {match.group('v')}" if match.group("v") else ""
            return (
                f"{match.group('a')} at {match.group('b')}{unit_in} each is "
                f"{_plain(a * b * factor)}{unit_out}, not {match.group('c')}"
            )
    for match in _PERCENT_OF_PERCENT.finditer(text):
        p, b, c = (_value(match.group(k)) for k in "pbc")
        if p is None or b is None or c is None or p > 100 or b > 100:
            continue
        actual = p * b / 100.0
        if not (_close(actual, c, 0.12) or _rounds_to(actual, match.group("c"))):
            return (
                f"{match.group('p')} percent of {match.group('b')} percent is "
                f"{_plain(actual)} percent, not {match.group('c')} percent"
            )
    for match in _AT_PER.finditer(text):
        a, b, c = (_value(match.group(k)) for k in "abc")
        # the same thing counted and multiplied ("52 gates ... per gate"), not "per month"
        same = match.group("n").lower()[:4] == match.group("m").lower()[:4]
        if a is None or b is None or c is None or not same:
            continue
        if not (_close(a * b, c, 0.06) or _rounds_to(a * b, match.group("c"))):
            return (
                f"{match.group('a')} {match.group('n')}s at {match.group('b')} each is "
                f"{_plain(a * b)}, not {match.group('c')}"
            )
    for match in _SHARE_THEN_COUNT.finditer(text):
        p, b, c = (_value(match.group(k)) for k in "pbc")
        if p is None or b is None or c is None or p > 100:
            continue
        counted, said = match.group("n").lower(), (match.group("m") or "").lower()
        if said and said[:4] != counted[:4] and said not in ("a", "an", "per", "each", "in"):
            continue  # "that's 4 reviewers' worth": another unit
        actual = p * b / 100.0
        if not (_close(actual, c, 0.08) or _rounds_to(actual, match.group("c"))):
            return (
                f"{match.group('p')} percent of {match.group('b')} is {_plain(actual)}, "
                f"not {match.group('c')}"
            )
    for match in _PER_UNIT.finditer(text):
        a, b, c = (_value(match.group(k)) for k in "abc")
        # the same thing counted and charged for ("3,000 seats ... a seat"), not "over 3 years"
        if a is None or not b or c is None or match.group("n")[:3] != match.group("m")[:3]:
            continue
        if not (_close(a / b, c, 0.12) or _rounds_to(a / b, match.group("c"))):
            return (
                f"{match.group('a')} over {match.group('b')} {match.group('n')} is "
                f"{_plain(a / b)} a {match.group('m')}, not {match.group('c')}"
            )
    for match in _RATE.finditer(text):
        a, b = _value(match.group("a")), _value(match.group("b"))
        period = (match.group("p") or match.group("ly")[:-2].replace("dai", "day")).lower()
        total = match.group("q").lower()
        factors = _PERIODS.get((period, total))
        if a is None or b is None or not factors:
            continue
        # a total over a count said here or just before ("18,000 customers ... At $45 a month
        # that's about $9.7M a year"): the amount times the period times the count
        counts = _counts(text, match.span("a"), match.span("b")) + _counts(before)
        if any(_close(a * f * n, b, 0.12) for f in factors for n in counts):
            continue
        if not any(_close(a * f, b, 0.12) for f in factors):
            return (
                f"{match.group('a')} a {period} is not {match.group('b')} a {total} "
                f"(it is about {_plain(a * factors[-1])})"
            )
    for match in _ONE_IN.finditer(text):
        rate, y, z = _value(match.group("p")), _value(match.group("y")), _value(match.group("z"))
        if rate is None or y is None or not z or rate > 100 or y > z:
            continue
        said = 100.0 * y / z
        if not any(abs(said - r) <= max(0.15 * r, 0.05) for r in (rate, 100.0 - rate)):
            return (
                f"{match.group('p')} percent is not {match.group('y')} in {match.group('z')} "
                f"(that is {_plain(said)} percent)"
            )
    for match in _ONE_EVERY.finditer(text):
        a, n = _value(match.group("a")), _value(match.group("n") or "1")
        if not a or not n:
            continue
        waited = _DAYS[match.group("p").lower()] / a
        said = n * _DAYS[match.group("q").lower().rstrip("s")]
        if not _close(waited, said, 0.2):
            return (
                f"{match.group('a')} a {match.group('p')} is one every {_plain(waited)} days, "
                f"not every {match.group('n') or 'one'} {match.group('q')}"
            )
    for match in _SHARE_OF_TOTAL.finditer(text):
        a, p, b = (_value(match.group(k)) for k in ("a", "p", "b"))
        if a is None or p is None or not b or a > b or p > 100:
            continue
        if _periods_differ(text[match.end("a") : match.start("p")], text[match.end("b") :]):
            continue  # "$92K a month, about 4 percent of our revenue at $25M a year"
        share = 100.0 * a / b
        if abs(share - p) > max(0.15 * share, 0.5):
            return (
                f"{match.group('a')} of {match.group('b')} is {share:.2g} percent, "
                f"not {match.group('p')} percent"
            )
    for match in _OR_SHARE.finditer(text):
        a, p = _value(match.group("a")), _value(match.group("p"))
        if a is None or p is None or p > 100:
            continue
        if re.search(
            r"\bto\s+(?:about |roughly |around |nearly |almost )?$", text[: match.start("a")]
        ):
            continue  # "from 120,000 tokens to about 4,000 tokens, or 97 percent cheaper"
        # totals of the same thing ("30,000 receipts ... 9,000 receipts", not "400 nurses ... 90
        # alerts") over the same period ("1,200,000 orders a week ... 40,000 orders a day" is not)
        noun = _noun_after(text, match.end("a"))
        after_a = text[match.end("a") : match.end("a") + 30]
        totals = [
            t
            for t, _, at in _counts_at(text[: match.start("a")])
            if t > a
            and noun
            and _noun_after(text, at) == noun
            and not _periods_differ(text[at : at + 30], after_a)
        ]
        if not totals:
            continue
        if any(abs(100.0 * a / t - p) <= max(0.15 * p, 0.5) for t in totals):
            continue
        total = max(totals)
        return (
            f"{match.group('a')} of {_plain(total)} is {_plain(100.0 * a / total)} percent, "
            f"not {match.group('p')} percent"
        )
    return None


#: A figure as it stands in prose: not the digits inside a name such as "p95" or "GPT-4".
_FIGURE = compile_pattern(r"(?<![\w.\-])[$€£]?\d")
#: An answer with at least this many figures per 100 words argues from its numbers.
NUMBERS_CARRY = 10.0


def argues_from_numbers(text: str, word_count: int) -> bool:
    """Whether the figures carry the answer: a dense run of numbers, not one or two in passing."""
    return 100.0 * len(_FIGURE.findall(text)) / max(word_count, 1) >= NUMBERS_CARRY


#: A figure with its separators, read for what it says ("8,000" and "8000" are one figure).
_FIGURE_VALUE = compile_pattern(r"(?<![\w.\-])[$€£]?(\d[\d,]*(?:\.\d+)?)")


#: What a worked-out figure follows: "is 8,000 students", "gets about 7.2", "that's 160".
_RESULT = compile_pattern(
    r"\b(is|are|was|were|=|equals|means|that'?s|gives|comes to|works out (to|at)|gets|leaves|"
    r"totals?|makes)\s+(about |roughly |around |nearly |only |just |some |over |under |~\s?)?$"
)


def worked_figures(text: str, asked: str) -> set[str]:
    """The figures an answer works out for itself: a result it states ("a fifth of 40,000 is
    8,000 students", "gets about 7.2") that the question did not give it, not a list number,
    a count of its own plan ("talk to 5 contacts") or the case's figures repeated."""

    def figures(part: str, results_only: bool) -> set[str]:
        return {
            m.group(1).replace(",", "").rstrip(".,")
            for m in _FIGURE_VALUE.finditer(part)
            if not results_only or _RESULT.search(part[max(0, m.start() - 30) : m.start()])
        }

    return figures(text, True) - figures(asked, False)


def _plain(number: float) -> str:
    if abs(number) >= 1e9:
        return f"{number / 1e9:,.3g} billion"
    if abs(number) >= 1e6:
        return f"{number / 1e6:.3g} million"
    if abs(number) >= 1e3:
        return f"{number:,.0f}"
    return f"{number:.3g}"
