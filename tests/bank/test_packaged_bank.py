"""The packaged bank: size, coverage and the rules every question follows."""

from collections import Counter

from pmloop.bank import Bank, word_count
from pmloop.vocabulary import LOOP_TAGS, Competency, Level


def test_bank_size_and_competency_coverage(bank: Bank) -> None:
    assert len(bank) >= 70
    primaries = Counter(q.primary for q in bank)
    assert set(primaries) == set(Competency)
    assert min(primaries.values()) >= 10


def test_every_question_is_complete(bank: Bank) -> None:
    for q in bank:
        assert LOOP_TAGS & set(q.tags), q.id
        assert sum(s.level == "senior" for s in q.signals) >= 1, q.id
        assert sum(s.level == "strong" for s in q.signals) >= 1, q.id
        assert all(len(s.paraphrases) >= 3 for s in q.signals), q.id
        assert len(q.pressure_probes) >= 2, q.id
        for level in Level:
            assert 60 <= word_count(q.references.at(level)) <= 350, (q.id, level)


def test_all_loop_types_and_difficulties_are_present(bank: Bank) -> None:
    tags = Counter(t for q in bank for t in q.tags)
    assert all(tags[t] >= 10 for t in LOOP_TAGS)
    assert {q.difficulty for q in bank} == {"warm-up", "core", "stretch"}


def test_senior_references_are_not_senior_by_length(bank: Bank) -> None:
    shorter = [
        q.id for q in bank if word_count(q.references.senior) < word_count(q.references.strong)
    ]
    assert len(shorter) >= 10


def test_bank_covers_what_loops_probe(bank: Bank) -> None:
    """Each topic the loops probe is asked by at least one question."""
    text = {q.id: (q.text + " " + (q.scenario or "")).lower() for q in bank}
    topics = {
        "context window cost": ("token", "context", "history"),
        "fine-tuning vs retrieval": ("fine-tun", "retriev"),
        "inference latency": ("latency", "seconds", " ms"),
        "offline vs production": ("offline",),
        "regression vs bug": ("regression", "bug"),
        "automation vs oversight": ("human", "review"),
        "safety vs growth": ("safety", "growth"),
        "uncertainty to a designer": ("designer",),
        "cannot ship, evals not ready": ("eval",),
        "no-ship under pressure": ("launch", "ship"),
    }
    for topic, needles in topics.items():
        hits = [qid for qid, t in text.items() if all(n in t for n in needles[:2])]
        assert hits, topic


def test_ids_are_unique_and_content_hash_is_stable(bank: Bank) -> None:
    from pmloop.bank import load_bank

    assert len({q.id for q in bank}) == len(bank)
    assert load_bank().content_hash == bank.content_hash
