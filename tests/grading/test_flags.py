"""Each anti-pattern is raised with the sentence that shows it, and only then."""

import pytest

from pmloop.grading import Examiner, Grade
from pmloop.grading._lexicon import CERTAINTY
from pmloop.vocabulary import Flag

QUESTION = "eval-new-llm-feature-before-launch"


def _grade(examiner: Examiner, answer: str) -> Grade:
    return examiner.grade(answer, question_id=QUESTION)


def _flags(grade: Grade) -> dict[Flag, str]:
    return {f.id: f.quote for f in grade.flags}


@pytest.mark.parametrize(
    ("flag", "answer", "quote"),
    [
        (
            Flag.FRAMEWORK_RECITATION,
            "I'd use the CIRCLES method here. Comprehend the situation, identify the customer, "
            "report needs, cut through prioritisation, list solutions, evaluate, summarise.",
            "I'd use the CIRCLES method here.",
        ),
        (
            Flag.BUZZWORD_WITHOUT_SUBSTANCE,
            "We need RAG, guardrails, calibration and red-teaming. Agentic and multimodal "
            "capabilities are the future. Distribution shift is also important.",
            "We need RAG, guardrails, calibration and red-teaming.",
        ),
        (
            Flag.PERFORMANCE_THEATER,
            "I'm passionate about responsible AI and safety is in my DNA. At the end of the day "
            "I always put the user first and I would rally the team around quality.",
            "I'm passionate about responsible AI and safety is in my DNA.",
        ),
        (
            Flag.HEURISTIC_COLLAPSE,
            "Honestly the best approach is to move fast and fix things later. Users will tell "
            "us what is broken and we patch as we go.",
            "Honestly the best approach is to move fast and fix things later.",
        ),
        (
            Flag.FALSE_CERTAINTY,
            "The drop is clearly caused by the new model. It definitely hallucinates more, so "
            "we roll it back and the metrics will recover.",
            "The drop is clearly caused by the new model.",
        ),
    ],
)
def test_flag_is_raised_with_its_quote(
    examiner: Examiner, flag: Flag, answer: str, quote: str
) -> None:
    grade = _grade(examiner, answer)
    flags = _flags(grade)
    assert flag in flags
    assert flags[flag] == quote
    assert quote in answer
    assert grade.level <= 2


def test_rejecting_a_slogan_is_not_the_slogan(examiner: Examiner) -> None:
    answer = (
        "This is not a 'move fast and break things' call, because a wrong refund promise cannot "
        "be taken back once the customer has it. I would rather use RICE than nothing, but not "
        "as the answer. The new model could be the cause, or the holiday traffic could be; I "
        "would compare the holdout before deciding."
    )
    flags = _flags(_grade(examiner, answer))
    assert Flag.HEURISTIC_COLLAPSE not in flags
    assert Flag.FALSE_CERTAINTY not in flags


def test_terms_tied_to_a_cost_or_failure_are_not_buzzwords(examiner: Examiner) -> None:
    answer = (
        "RAG makes sense here because the refund policies change weekly and retraining every "
        "week would cost more than the retrieval calls. Guardrails would block any draft that "
        "promises a refund over $200, which is where a wrong answer costs real money."
    )
    assert Flag.BUZZWORD_WITHOUT_SUBSTANCE not in _flags(_grade(examiner, answer))


#: Sentences a careful senior candidate says that share words with the anti-pattern lists.
BENIGN = (
    "If anything breaks, we roll back to the previous model within five minutes.",
    "Offline evals never capture everything, so we also watch production traces.",
    "We will not accept anything below 95% precision on the billing intents.",
    "A one percent canary carries minimal risk.",
    "The eval set is clean by construction, since it was sampled before the launch.",
    "That's what the rollback switch is for.",
    "Teachers who notice will stop recommending us.",
    'Sellers write "100% cotton" when it is a blend, and the model copies them.',
    "A citation to the wrong clause is far worse than an obviously wrong one.",
    # part 28: a reversal time stated as a fact, and a share of exposure
    "A model swap is reversible in minutes, so the old model stays warm with a named owner.",
    "A customer running strict JSON is 100% exposed to one regression.",
    "Route refund tickets to a template draft, and use the new model for everything else.",
)


@pytest.mark.parametrize("sentence", BENIGN)
def test_a_careful_sentence_does_not_flag_a_senior_answer(
    examiner: Examiner, sentence: str
) -> None:
    for question in list(examiner.bank)[::7]:
        reference = question.references.senior
        before = examiner.grade(reference, question_id=question.id)
        after = examiner.grade(f"{reference} {sentence}", question_id=question.id)
        assert {f.id for f in after.flags} <= {f.id for f in before.flags}, question.id
        assert after.level >= min(before.level, 3), question.id


def test_a_quoted_claim_is_cited_not_asserted(examiner: Examiner) -> None:
    asserted = _grade(examiner, "The root cause is the model update, 100% of it.")
    quoted = _grade(examiner, 'The label says "100% accurate", which we never measured.')
    assert Flag.FALSE_CERTAINTY in _flags(asserted)
    assert Flag.FALSE_CERTAINTY not in _flags(quoted)


@pytest.mark.parametrize(
    ("sentence", "certain"),
    [
        ("The guarantee would be false: 12 percent of suggestions had a known-bad pattern.", False),
        ("There is no guarantee the fix holds next quarter.", False),
        ("The hospital gets the real reason, not 'edge case'.", False),
        ("We guarantee zero leaks from day one.", True),
        ("Each heavy user is a guaranteed loss of $30 a month.", True),
        ("The real reason is the new tokenizer.", True),
        # a design built to ensure something, and a verifier named: requirements, not claims
        ("We mix refusals in, in a proportion that guarantees the student sees them.", False),
        ("Anything that proves a voice said these words can be beaten by a voice tool.", False),
        ("That guarantees we hit the date.", True),
        ("The offline eval went up 8 points, which proves the model is better.", True),
        ("We shipped on time. That proves the process works.", True),
        # a share set aside by design is a commitment, not a claim about the world
        ("I'd guarantee a small fixed exploration share for new uploads.", False),
        ("I'd guarantee it never happens again.", True),
        ("I'd guarantee that every summary is reviewed by the clinician first.", False),
        ("No offline test would guarantee the live result.", False),
        ("The only way to guarantee a post can't abuse it is to keep it off.", True),
        # the last step of a ramp is a share of traffic, not a claim
        ("Rollout: 1% -> 10% -> 50% -> 100%, about a week each if metrics hold.", False),
        ("5% of users for one week, then 25%, then 100%.", False),
        ("We are 100% sure the new model is better.", True),
        # significance asserted bare is a claim (a test that was run: see _certainty's tests)
        ("The lift is statistically significant, so the model is better.", True),
        ("Rollout: 1%, 10%, 50%, 100% over four weeks.", False),
        ("Ramp once it holds: 1%->10%->100%, with guardrails.", False),
        ("The rollout goes 1% -> 5% -> 25%, and finally 100% by week four.", False),
        ("The flag rate tripled on Monday -> 100% the lighting.", True),
        # a share of something is not a claim either, unless it qualifies being right
        ("A customer running strict JSON is 100% exposed to one regression.", False),
        ("Success means net revenue retention above 100% by the end of the year.", False),
        ("Stream the cards: Reach 100%, Impact 2, Confidence 70%, Effort 1.", False),
        ("On the golden set the classifier is right 100% of the time.", True),
        ("The new router is 100% accurate on refunds.", True),
        # part 24: the reason for a decision is not a cause claimed; the harm described with
        # "nobody reads" is not a dismissal
        ("The real reason to do this is the $900,000 contract, not the hosting saving.", False),
        ("The real reason for the drop is the new tokenizer.", True),
        ("Bulk-apply on a long doc means accepting edits nobody reads.", False),
        ("Nobody reads the disclaimer, so it can go.", True),
        ("It's fine, because nobody reads the footer anyway.", True),
        ("I think nobody reads the disclaimer, so it can go.", True),
        ("The real reason for this drop is the new tokenizer.", True),
    ],
)
def test_refusing_a_guarantee_or_telling_the_real_reason_is_not_certainty(
    sentence: str, certain: bool
) -> None:
    assert bool(CERTAINTY.search(sentence)) is certain


@pytest.mark.parametrize(
    "answer",
    [
        # a claim about a case, said under its condition
        "If humans agree 84 percent of the time, the judge is as good as a second person; if they "
        "agree 95, it's clearly worse, so I'd measure human agreement on our own data first.",
        # a promise to come back, and candour about a slip
        "Monday I'd thank the HR lead and tell her we will come back by Friday with data on "
        "every rejected applicant who took a break.",
        "Then I tell leadership the launch slips by three weeks, with the real reason written "
        "down, and what would bring it forward.",
        # a prediction hedged with "should"
        "Move to schema-constrained output; that should take the 2.5 percent parse failures "
        "close to zero, but it does nothing about wrong values.",
        # significance from a test that was run, named before or after, is a result
        "That is a statistically significant difference: a sign test on the 1,880 non-tie "
        "prompts gives a p-value far below 0.01.",
        "A sign test on the 1,880 non-tied pairs gives p below 0.001, so the win is "
        "statistically significant.",
        "It is statistically significant by a binomial test, p well under 0.01.",
    ],
)
def test_a_claim_under_a_condition_or_a_promise_is_not_false_certainty(answer: str) -> None:
    from pmloop.grading._text import split_sentences
    from pmloop.grading.offline._flags import _certainty

    assert _certainty(split_sentences(answer), holds_alternatives=False) is None, answer


def test_a_settled_cause_is_still_false_certainty() -> None:
    from pmloop.grading._text import split_sentences
    from pmloop.grading.offline._flags import _certainty

    for answer in (
        "The drop is clearly caused by the distilled model, so roll it back today.",
        "It's clearly worse, the new model, and the metric will come back once we revert.",
        # a test named only to be waved away
        "The lift is statistically significant; I don't need a confidence interval to see it.",
    ):
        assert _certainty(split_sentences(answer), holds_alternatives=False) is not None, answer


@pytest.mark.parametrize(
    ("answer", "named"),
    [
        ("I'd run a 5 Whys. Why are returns up? Because sofas arrive the wrong size.", True),
        ("HEART: happiness, engagement, adoption, retention, task success.", True),
        # used along the way, a method is a tool, not the answer's skeleton
        (
            "First I'd split the drop by cohort and template. A quick 5 whys with the team took "
            "us from 'new users churn' to 'the legal template cites statutes that don't exist'.",
            False,
        ),
        (
            "I'd sit with the ops lead and sketch a fishbone of candidate causes: the prompt "
            "change, the new index, the claim mix and the staffing change the same week, then "
            "test each one against the data.",
            False,
        ),
        ("The triage bot scores chest pain with the HEART score and hands off above 3.", False),
    ],
)
def test_a_method_that_opens_the_answer_is_recited_one_used_along_the_way_is_not(
    examiner: Examiner, answer: str, named: bool
) -> None:
    assert (Flag.FRAMEWORK_RECITATION in _flags(_grade(examiner, answer))) is named
