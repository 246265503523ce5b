"""The evaluation harness behind ``pmloop eval``.

Every answer in the labeled set (plus the bank's reference answers) is read once by the grader;
the level model is then fitted leave-one-question-out, so each answer is graded by weights fitted
on other questions only. The length-only and keyword-count baselines get the same folds. The
report splits every figure by competency, by bank versus pasted questions, and by answer style.

Any other grader (``llm``, ``ensemble``, a plugin's) has no level model to refit: each answer is
graded once, as that grader grades it (protocol ``as-graded``), and the baselines' cut points are
set on the same answers, as with ``fixed_model``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pmloop.evaluation._fit import PRIOR, fit
from pmloop.evaluation._labeled import CATEGORIES, LabeledItem, LabeledSet
from pmloop.evaluation._metrics import (
    adjacent_agreement,
    confusion_matrix,
    exact_agreement,
    expected_calibration_error,
    pairwise_accuracy,
    pearson,
    quadratic_weighted_kappa,
    spearman,
)
from pmloop.grading import Examiner, LevelModel, OfflineGrader
from pmloop.grading._lexicon import AI_TERMS, SENIOR_TERMS
from pmloop.grading._text import words
from pmloop.vocabulary import Flag, Level

__all__ = ["EVAL_SCHEMA", "EvalCase", "EvalReport", "Metrics", "feature_rows", "run_eval"]

EVAL_SCHEMA = "pmloop.eval/1"


@dataclass(frozen=True)
class EvalCase:
    """One labeled answer with what the grader read in it and its held-out prediction."""

    id: str
    group: str
    in_bank: bool
    competency: str
    style: str
    category: str | None
    words: int
    label: int
    label_flags: frozenset[Flag]
    flags_known: bool
    features: Mapping[str, float]
    flags: frozenset[Flag]
    level: int = 0
    score: float = 0.0
    confidence: float = 0.0
    length_level: int = 0
    keyword_level: int = 0
    keyword_score: float = 0.0


class FlagMetrics(BaseModel):
    """Precision and recall of one flag."""

    model_config = ConfigDict(frozen=True)

    precision: float | None = Field(description="Share of raised flags that the label lists.")
    recall: float | None = Field(description="Share of labeled flags the grader raised.")
    labeled: int = Field(description="Answers labeled with this flag.")
    raised: int = Field(description="Answers the grader raised it on.")


class Robustness(BaseModel):
    """How one adversarial category fares: attacks must not pass, guards must not fall."""

    model_config = ConfigDict(frozen=True)

    n: int = Field(description="Answers in the category.")
    exact: float = Field(description="Share graded at exactly the labeled level.")
    mean_signed_error: float = Field(description="Mean of grade minus label.")
    exploit_rate: float | None = Field(description="Labeled 1-2 answers graded 3-4, as a share.")
    senior_miss: int = Field(description="Labeled 4 answers graded 1-2.")


class Metrics(BaseModel):
    """Agreement of one grader (or baseline) with the labels on a set of answers."""

    model_config = ConfigDict(frozen=True)

    n: int = Field(description="Answers measured.")
    qwk: float | None = Field(description="Quadratic weighted kappa.")
    exact: float | None = Field(description="Share at exactly the labeled level.")
    adjacent: float | None = Field(description="Share within one level.")
    spearman: float | None = Field(description="Rank correlation of score and label.")
    pairwise: float | None = Field(description="Same-question pairs ordered as labeled.")
    pairs: int = Field(description="Pairs behind the pairwise figure.")
    pairwise_length_adversarial: float | None = Field(
        description="Pairwise, restricted to pairs where the lower-labeled answer is longer."
    )
    length_adversarial_pairs: int = Field(description="Pairs behind that figure.")


class EvalReport(BaseModel):
    """Everything ``pmloop eval`` measures (schema ``pmloop.eval/1``)."""

    model_config = ConfigDict(frozen=True, populate_by_name=True)

    schema_: str = Field(default=EVAL_SCHEMA, alias="schema", description="Schema id.")
    grader: str = Field(description="Grader measured, with its version.")
    protocol: str = Field(
        description="leave-question-out, fixed-model for a held-out set, or as-graded for a "
        "grader with no level model to refit."
    )
    items: int = Field(description="Labeled answers measured.")
    questions: int = Field(description="Distinct questions.")
    non_bank_questions: int = Field(description="Questions that are not in the bank.")
    overall: Metrics = Field(description="The grader, leave-question-out.")
    baselines: dict[str, Metrics] = Field(description="length and keyword baselines, same folds.")
    confusion: list[list[int]] = Field(description="Rows labeled 1-4, columns predicted 1-4.")
    flags: dict[str, FlagMetrics] = Field(description="Per-flag precision and recall.")
    flag_recall: float | None = Field(description="Recall over all labeled flags.")
    false_flag_rate: float | None = Field(
        description="Share of level 3-4 answers on which a flag the label lacks was raised."
    )
    score_length_correlation: float | None = Field(description="Pearson of score and words.")
    calibration_error: float | None = Field(description="Expected calibration error.")
    by_competency: dict[str, Metrics] = Field(description="Split by primary competency.")
    by_source: dict[str, Metrics] = Field(description="bank vs non-bank questions.")
    by_style: dict[str, Metrics] = Field(description="Split by answer style.")
    flags_by_source: dict[str, dict[str, float | None]] = Field(
        description="Flag recall and false-flag rate, bank vs non-bank."
    )
    guardrails: dict[str, int] = Field(
        description="Counts that must be zero: stuffed/theater/framework graded 3-4, senior 1-2."
    )
    robustness: dict[str, Robustness] = Field(
        default_factory=dict, description="Per adversarial category (items that carry one)."
    )

    def to_json_dict(self) -> dict[str, Any]:
        """The report as the JSON object of schema ``pmloop.eval/1``."""
        return self.model_dump(mode="json", by_alias=True)


def _cases(examiner: Examiner, items: Iterable[LabeledItem]) -> list[EvalCase]:
    grader = examiner.grader
    cases = []
    for item in items:
        if item.question_id is not None:
            context = examiner.context(question_id=item.question_id)
        else:
            context = examiner.context(question=item.question)
        group = context.question.id if context.question is not None else item.question_key
        keyword_score = float(
            len(AI_TERMS.findall(item.answer)) + len(SENIOR_TERMS.findall(item.answer))
        )
        case = EvalCase(
            id=item.id,
            group=group,
            in_bank=item.in_bank,
            competency=context.competencies[0].value,
            style=item.style,
            category=item.category,
            words=0,
            label=item.level,
            label_flags=frozenset(item.flags),
            flags_known=item.style != "reference",
            features={},
            flags=frozenset(),
            keyword_score=keyword_score,
        )
        if isinstance(grader, OfflineGrader):
            # the features, so every fold can refit the level model on other questions
            analysis = grader.analyse(context, item.answer)
            case = replace(
                case,
                words=analysis.word_count,
                features=analysis.features,
                flags=frozenset(hit.flag for hit in analysis.flags),
            )
        else:
            grade = grader(context, item.answer)
            case = replace(
                case,
                words=len(words(item.answer)),
                flags=frozenset(flag.id for flag in grade.flags),
                level=grade.level,
                score=grade.score,
                confidence=grade.confidence,
            )
        cases.append(case)
    return cases


def feature_rows(
    examiner: Examiner, items: Iterable[LabeledItem]
) -> list[tuple[Mapping[str, float], int]]:
    """The offline grader's features of each labeled answer, with its label: rows to fit on."""
    return [(case.features, case.label) for case in _cases(examiner, items)]


def _reference_items(examiner: Examiner) -> list[LabeledItem]:
    return [
        LabeledItem(
            id=f"ref-{question.id}-{level.label}",
            question_id=question.id,
            answer=question.references.at(level),
            level=level.value,
            flags=[],
            style="reference",
            reason="bank reference answer",
        )
        for question in examiner.bank
        for level in Level
    ]


def _quantile_cuts(scores: Sequence[float], labels: Sequence[int]) -> list[float]:
    """Cut points that give the training labels' level shares."""
    ordered = sorted(scores)
    cuts = []
    seen = 0
    for level in (1, 2, 3):
        seen += sum(1 for label in labels if label == level)
        index = min(max(seen - 1, 0), len(ordered) - 1)
        cuts.append(ordered[index])
    return cuts


def _level_from_cuts(score: float, cuts: Sequence[float]) -> int:
    return 1 + sum(score > cut for cut in cuts)


def _predict(
    train: list[EvalCase], model: LevelModel | None, members: list[EvalCase]
) -> list[EvalCase]:
    """Grade ``members`` with ``model`` (None: keep the grades they carry); the baselines' cut
    points come from ``train``."""
    labels = [c.label for c in train]
    length_cuts = _quantile_cuts([float(c.words) for c in train], labels)
    keyword_cuts = _quantile_cuts([c.keyword_score for c in train], labels)
    out = []
    for case in members:
        if model is not None:
            prediction = model.predict(case.features)
            case = replace(
                case,
                level=prediction.level,
                score=prediction.score,
                confidence=prediction.confidence,
            )
        out.append(
            replace(
                case,
                length_level=_level_from_cuts(case.words, length_cuts),
                keyword_level=_level_from_cuts(case.keyword_score, keyword_cuts),
            )
        )
    return out


def _cross_validate(cases: list[EvalCase], prior: LevelModel) -> list[EvalCase]:
    out = []
    for group in dict.fromkeys(c.group for c in cases):
        train = [c for c in cases if c.group != group]
        model = fit([(c.features, c.label) for c in train], prior, "cv", "cv")
        out += _predict(train, model, [c for c in cases if c.group == group])
    return out


def _metrics(
    cases: Sequence[EvalCase],
    level: Callable[[EvalCase], int],
    score: Callable[[EvalCase], float],
) -> Metrics:
    truth = [c.label for c in cases]
    predicted = [level(c) for c in cases]
    scores = [score(c) for c in cases]
    groups = [c.group for c in cases]
    pair, pairs = pairwise_accuracy(groups, truth, scores)
    adversarial, adversarial_pairs = pairwise_accuracy(
        groups, truth, scores, lengths=[c.words for c in cases]
    )
    return Metrics(
        n=len(cases),
        qwk=_num(quadratic_weighted_kappa(truth, predicted)),
        exact=_num(exact_agreement(truth, predicted)),
        adjacent=_num(adjacent_agreement(truth, predicted)),
        spearman=_num(spearman(scores, [float(t) for t in truth])),
        pairwise=_num(pair),
        pairs=pairs,
        pairwise_length_adversarial=_num(adversarial),
        length_adversarial_pairs=adversarial_pairs,
    )


def _grader_metrics(cases: Sequence[EvalCase]) -> Metrics:
    return _metrics(cases, lambda c: c.level, lambda c: c.score)


def _num(value: float) -> float | None:
    return None if value != value else round(value, 4)  # NaN becomes null


def _flag_summary(cases: Sequence[EvalCase]) -> tuple[float | None, float | None]:
    """Recall over answers whose flags were labeled; false flags on every level 3-4 answer.

    Reference answers carry no flag labels, so they do not count towards recall or precision;
    a strong or senior reference should show no anti-pattern, so they do count as level 3-4.
    """
    known = [c for c in cases if c.flags_known]
    labeled = sum(len(c.label_flags) for c in known)
    found = sum(len(c.label_flags & c.flags) for c in known)
    high = [c for c in cases if c.label >= 3]
    false = sum(1 for c in high if c.flags - c.label_flags)
    recall = found / labeled if labeled else None
    rate = false / len(high) if high else None
    return (_num(recall) if recall is not None else None, _num(rate) if rate is not None else None)


def _split(cases: Sequence[EvalCase], key: Callable[[EvalCase], str]) -> dict[str, Metrics]:
    buckets: dict[str, list[EvalCase]] = {}
    for case in cases:
        buckets.setdefault(key(case), []).append(case)
    return {name: _grader_metrics(members) for name, members in sorted(buckets.items())}


def run_eval(
    examiner: Examiner,
    labeled: LabeledSet | None,
    include_references: bool = True,
    prior: LevelModel = PRIOR,
    fixed_model: bool = False,
) -> tuple[EvalReport, list[EvalCase]]:
    """Measure the examiner's grader on the labeled set, leave-question-out.

    With ``fixed_model`` the grader's own level model grades every answer as it stands, with
    no refitting: the figure for a held-out set the model never saw. The baselines' cut points
    are then set on the same answers, which flatters the baselines, not the grader. A grader
    without a level model is always measured that way, on the grades it gives (``as-graded``);
    ``fixed_model`` is then refused, since there is nothing it could hold fixed.
    """
    grader = examiner.grader
    if fixed_model and not isinstance(grader, OfflineGrader):
        raise ValueError(
            f"--fixed-model holds the offline grader's level model fixed; the {grader.name} "
            "grader has none and is always measured as it grades"
        )
    items: list[LabeledItem] = list(labeled.items) if labeled is not None else []
    if include_references:
        items += _reference_items(examiner)
    if not items:
        raise ValueError("nothing to evaluate")
    read = _cases(examiner, items)
    if not isinstance(grader, OfflineGrader):
        protocol = "as-graded"
        cases = _predict(read, None, read)
    elif fixed_model:
        protocol = "fixed-model"
        cases = _predict(read, grader.model, read)
    else:
        protocol = "leave-question-out"
        cases = _cross_validate(read, prior)

    flags: dict[str, FlagMetrics] = {}
    known = [c for c in cases if c.flags_known]
    for flag in Flag:
        labeled_n = sum(1 for c in known if flag in c.label_flags)
        raised_n = sum(1 for c in known if flag in c.flags)
        both = sum(1 for c in known if flag in c.flags and flag in c.label_flags)
        flags[flag.value] = FlagMetrics(
            precision=_num(both / raised_n) if raised_n else None,
            recall=_num(both / labeled_n) if labeled_n else None,
            labeled=labeled_n,
            raised=raised_n,
        )
    recall, false_rate = _flag_summary(cases)
    gamed_styles = {"keyword-stuffed", "theater", "framework"}
    guardrails = {
        "gaming_answers_graded_3_or_4": sum(
            1 for c in cases if c.style in gamed_styles and c.level >= 3
        ),
        "senior_answers_graded_1_or_2": sum(1 for c in cases if c.label == 4 and c.level <= 2),
    }
    by_source: dict[str, list[EvalCase]] = {"bank": [], "non-bank": []}
    for case in cases:
        by_source["bank" if case.in_bank else "non-bank"].append(case)
    report = EvalReport(
        grader=f"{examiner.grader.name} {examiner.grader.version}",
        protocol=protocol,
        items=len(cases),
        questions=len({c.group for c in cases}),
        non_bank_questions=len({c.group for c in cases if not c.in_bank}),
        overall=_grader_metrics(cases),
        baselines={
            "length": _metrics(cases, lambda c: c.length_level, lambda c: float(c.words)),
            "keyword": _metrics(cases, lambda c: c.keyword_level, lambda c: c.keyword_score),
        },
        confusion=confusion_matrix([c.label for c in cases], [c.level for c in cases]),
        flags=flags,
        flag_recall=recall,
        false_flag_rate=false_rate,
        score_length_correlation=_num(
            pearson([c.score for c in cases], [float(c.words) for c in cases])
        ),
        calibration_error=_num(
            expected_calibration_error(
                [c.confidence for c in cases], [c.level == c.label for c in cases]
            )
        ),
        by_competency=_split(cases, lambda c: c.competency),
        by_source={
            name: _grader_metrics(members) for name, members in by_source.items() if members
        },
        by_style=_split(cases, lambda c: c.style),
        flags_by_source={
            name: dict(zip(("flag_recall", "false_flag_rate"), _flag_summary(members), strict=True))
            for name, members in by_source.items()
            if members
        },
        guardrails=guardrails,
        robustness=robustness(cases),
    )
    return report, cases


def robustness(cases: Sequence[EvalCase]) -> dict[str, Robustness]:
    """Exact agreement, signed error, exploit rate and senior misses per adversarial category."""
    buckets: dict[str, list[EvalCase]] = {}
    for case in cases:
        if case.category:
            buckets.setdefault(case.category, []).append(case)
    out = {}
    for name in [c for c in CATEGORIES if c in buckets]:
        members = buckets[name]
        low = [c for c in members if c.label <= 2]
        out[name] = Robustness(
            n=len(members),
            exact=round(sum(c.level == c.label for c in members) / len(members), 4),
            mean_signed_error=round(sum(c.level - c.label for c in members) / len(members), 4),
            exploit_rate=round(sum(c.level >= 3 for c in low) / len(low), 4) if low else None,
            senior_miss=sum(1 for c in members if c.label == 4 and c.level <= 2),
        )
    return out
