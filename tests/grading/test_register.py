"""The register: which reference answers, on other questions, an answer's wording reads like."""

import pytest

from pmloop.bank import Bank
from pmloop.grading.offline._register import NEIGHBOURS, NEUTRAL, NEUTRAL_LEAN, RegisterIndex
from pmloop.vocabulary import Level

GENERIC = (
    "First I would align with stakeholders on the goals and define clear success metrics. Then I "
    "would gather data, talk to users and iterate based on the feedback, making sure we "
    "communicate "
    "transparently and keep monitoring the key metrics after launch."
)
CONCRETE = (
    "Split the 9% drop by cohort first: if it sits in Android users on the new keyboard, it is the "
    "client release, not the model. Replay 300 logged prompts through both versions and compare "
    "acceptance per prompt length, since long prompts got truncated at 2,000 tokens."
)


@pytest.fixture(scope="module")
def index(bank: Bank) -> RegisterIndex:
    return RegisterIndex(list(bank))


def test_generic_process_reads_lower_than_concrete_reasoning(index: RegisterIndex) -> None:
    generic, concrete = index.read(GENERIC), index.read(CONCRETE)
    assert generic.level < 2.5 < concrete.level
    assert 0.0 <= generic.feature < concrete.feature <= 1.0
    assert generic.shared and generic.neighbours


def test_an_answers_own_question_never_votes(index: RegisterIndex, bank: Bank) -> None:
    question = next(iter(bank))
    reference = question.references.at(Level.SENIOR)
    itself = index.read(reference)
    assert itself.neighbours[0].question_id == question.id
    assert itself.neighbours[0].similarity == pytest.approx(1.0, abs=1e-3)
    left_out = index.read(reference, exclude=question.id)
    assert all(n.question_id != question.id for n in left_out.neighbours)
    # the vote itself, not just the neighbours shown, is as if the question were not there
    without = RegisterIndex([q for q in bank if q.id != question.id])
    alone = without.read(reference)
    assert left_out.senior_lean == pytest.approx(alone.senior_lean, abs=0.05)
    assert abs(left_out.level - alone.level) < 0.1


def test_no_shared_words_is_no_evidence(index: RegisterIndex) -> None:
    nothing = index.read("Zxq vvbn plorf.")
    assert nothing.level == NEUTRAL and nothing.feature == 0.5 and not nothing.neighbours
    assert nothing.senior_lean == NEUTRAL_LEAN and nothing.lean_feature == 0.5


def test_a_few_bank_words_in_a_foreign_answer_read_weakly(index: RegisterIndex) -> None:
    word = index.read("stakeholders")
    diluted = index.read("stakeholders zxq vvbn plorf qwrt mnbv lkjh gfds")
    assert word.neighbours and diluted.neighbours
    assert diluted.neighbours[0].similarity < 0.5 * word.neighbours[0].similarity


def test_senior_wording_leans_senior(index: RegisterIndex, bank: Bank) -> None:
    leans = {
        level: sum(index.read(q.references.at(level), exclude=q.id).senior_lean for q in bank)
        / len(bank)
        for level in (Level.STRONG, Level.SENIOR)
    }
    assert leans[Level.SENIOR] > leans[Level.STRONG]


def test_length_earns_nothing(index: RegisterIndex) -> None:
    once = index.read(GENERIC).level
    three_times = index.read(" ".join([GENERIC] * 3)).level
    assert three_times == pytest.approx(once, abs=0.1)


def test_the_index_covers_every_reference(index: RegisterIndex, bank: Bank) -> None:
    assert len(index) == 4 * len(bank) > NEIGHBOURS
