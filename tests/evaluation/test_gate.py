"""The gate's comparison: any figure worse than recorded, by any amount, is a problem."""

import copy

from pmloop.evaluation._gate import GATE_SETS, compare_figures

RECORDED = {
    "command": "pmloop eval data/x",
    "qwk": 0.8,
    "pairwise": 0.9,
    "exact": 0.6,
    "flags": {"false_certainty": {"precision": 0.5, "recall": 0.4}},
    "guardrails": {"gaming_answers_graded_3_or_4": 0, "senior_answers_graded_1_or_2": 1},
    "categories": {"off_topic": {"exploit_rate": 0.25, "senior_miss": 0}},
}


def _measured(**changes: object) -> dict:
    measured = copy.deepcopy(RECORDED)
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = measured
        for key in parents:
            node = node[key]
        node[last] = value
    return measured


def test_the_same_figures_hold() -> None:
    assert compare_figures(RECORDED, _measured()) == []
    better = _measured(qwk=0.81, guardrails__senior_answers_graded_1_or_2=0)
    assert compare_figures(RECORDED, better) == []


def test_the_smallest_step_down_is_caught() -> None:
    cases = {
        "qwk": _measured(qwk=0.7999),
        "pairwise": _measured(pairwise=0.8999),
        "exact": _measured(exact=0.5999),
        "precision": _measured(flags__false_certainty__precision=0.4999),
        "recall": _measured(flags__false_certainty__recall=0.0),
        "guardrail": _measured(guardrails__gaming_answers_graded_3_or_4=1),
        "exploit": _measured(categories__off_topic__exploit_rate=0.2501),
        "senior miss": _measured(categories__off_topic__senior_miss=1),
    }
    for what, measured in cases.items():
        problems = compare_figures(RECORDED, measured)
        assert len(problems) == 1, (what, problems)


def test_a_vanished_or_new_figure_is_caught() -> None:
    gone = _measured()
    del gone["flags"]["false_certainty"]
    assert compare_figures(RECORDED, gone)  # the detector stopped firing altogether
    new_flag = _measured(flags__red_line={"precision": 0.0, "recall": None})
    assert compare_figures(RECORDED, new_flag) == [
        "flag red_line is raised where it never was; record it deliberately"
    ]
    lost_category = _measured(categories={})
    assert compare_figures(RECORDED, lost_category)
    assert compare_figures(RECORDED, _measured(qwk=None))


def test_each_set_names_the_command_that_reproduces_it() -> None:
    commands = {s.name: s.command for s in GATE_SETS}
    assert commands["holdout_fixed_model"] == (
        "pmloop eval data/holdout --fixed-model --no-references"
    )
    assert commands["labeled_leave_question_out"] == "pmloop eval data/labeled"
