"""The packaged bank covers an AI PM loop: enough questions per competency, round and topic,
and no two questions that are the same case."""

from collections import Counter

import numpy as np

from pmloop.bank import Bank
from pmloop.grading._embeddings import default_embedder
from pmloop.vocabulary import TOPICS, Competency, QuestionFormat, Round

#: Question plus scenario embeddings closer than this are the same case told twice.
NEAR_DUPLICATE = 0.85


def test_at_least_150_questions_and_20_per_competency(bank: Bank) -> None:
    questions = list(bank)
    assert len(questions) >= 150
    per_competency = Counter(q.primary for q in questions)
    assert {c: per_competency[c] for c in Competency} == {
        c: n for c, n in per_competency.items() if n >= 20
    }, per_competency


def test_at_least_twelve_questions_in_each_interactive_format(bank: Bank) -> None:
    formats = Counter(q.format for q in bank)
    assert formats[QuestionFormat.AMBIGUITY] >= 12
    assert formats[QuestionFormat.ROLEPLAY] >= 12
    # facts to ask for in every ambiguity question, a stakeholder in every roleplay
    assert all(q.facts for q in bank if q.format is QuestionFormat.AMBIGUITY)
    assert all(q.stakeholder for q in bank if q.format is QuestionFormat.ROLEPLAY)


def test_every_round_is_asked(bank: Bank) -> None:
    per_round = Counter(q.round for q in bank)
    assert set(per_round) == set(Round)
    # the rounds a loop spends most of its time in are the deepest
    for round_ in (Round.PRODUCT_SENSE, Round.STRATEGY, Round.METRICS, Round.TECHNICAL,
                   Round.BEHAVIOURAL):  # fmt: skip
        assert per_round[round_] >= 14, (round_, per_round[round_])


def test_every_topic_has_at_least_three_questions(bank: Bank) -> None:
    per_topic = Counter(tag for q in bank for tag in q.tags if tag in TOPICS)
    thin = {topic: per_topic[topic] for topic in TOPICS if per_topic[topic] < 3}
    assert thin == {}


def test_behavioural_questions_ask_for_a_story_not_a_case(bank: Bank) -> None:
    for question in bank:
        if question.round is Round.BEHAVIOURAL:
            assert question.scenario is None and "behavioral" in question.tags, question.id
            assert "rehearsed-story" in question.tags, question.id


def test_no_two_questions_are_the_same_case(bank: Bank) -> None:
    questions = list(bank)
    vectors = default_embedder().embed([f"{q.text} {q.scenario or ''}" for q in questions])
    vectors = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    first, second = np.unravel_index(int(np.argmax(similarity)), similarity.shape)
    closest = float(similarity[first, second])
    assert closest < NEAR_DUPLICATE, (questions[first].id, questions[second].id, closest)
