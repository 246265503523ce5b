import re
from pathlib import Path

from pmloop.vocabulary import BARS, COMPETENCIES, FLAGS, Competency, Flag, Level

SRC = Path(__file__).resolve().parent.parent / "src" / "pmloop"


def test_public_ids_are_the_contract() -> None:
    assert [c.value for c in Competency] == [
        "judgment_under_ambiguity",
        "technical_depth",
        "system_thinking",
        "evaluation_logic",
        "execution_tradeoffs",
        "cross_functional_influence",
        "values_alignment",
    ]
    assert [f.value for f in Flag] == [
        "framework_recitation",
        "buzzword_without_substance",
        "performance_theater",
        "heuristic_collapse",
        "false_certainty",
        "off_topic",
        "grader_directed",
        "red_line",
        "no_call",
        "no_substance",
        "arithmetic",
    ]
    assert [(lv.value, lv.label) for lv in Level] == [
        (1, "below_bar"),
        (2, "surface"),
        (3, "strong"),
        (4, "senior"),
    ]


def test_every_competency_has_an_anchor_at_every_level() -> None:
    assert set(BARS) == set(Competency) == set(COMPETENCIES)
    assert set(FLAGS) == set(Flag)
    for competency, anchors in BARS.items():
        assert set(anchors) == set(Level), competency
        texts = list(anchors.values())
        assert len(set(texts)) == 4, f"{competency} repeats an anchor"
        assert all(len(t.split()) >= 10 for t in texts)


def test_level_lookup_by_name_or_number() -> None:
    assert Level.from_label("senior") is Level.SENIOR
    assert Level.from_label("below-bar") is Level.BELOW_BAR
    assert Level.from_label("2") is Level.SURFACE


def test_no_other_module_spells_the_ids() -> None:
    """Ids appear as string literals only in vocabulary.py (data files are validated instead)."""
    ids = [c.value for c in Competency] + [f.value for f in Flag]
    pattern = re.compile(r"[\"'](" + "|".join(ids) + r")[\"']")
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "vocabulary.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
