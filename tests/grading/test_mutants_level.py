"""The level model's fit and file: the fit reaches its optimum, and a written model reads back.

Written from a mutation run (benchmarks/mutation.py). The fit was tested only for the sign of
one weight, so a wrong gradient, a penalty pulling the wrong way, a search that stopped after
one step or cut points swapped on the way out all passed; ``to_json``, which
``pmloop eval --write-model`` writes the packaged model with, had no test at all.
"""

import json
import math
import random
from pathlib import Path

import pytest

from pmloop.grading import FEATURES, fit_level_model, load_level_model
from pmloop.grading.offline._level import CAPS, PRIOR_WEIGHTS, SIGNS, LevelModel

USED = ("register", "pasted", "specificity")
L2 = 0.05


def _rows() -> list[tuple[dict[str, float], int]]:
    """Answers drawn from a known ordinal model: register up, pasted down; specificity is made
    to fall as the level rises, against its sign."""
    rng = random.Random(11)
    rows = []
    for _ in range(500):
        register = rng.uniform(-1.0, 0.0)
        pasted = float(rng.random() < 0.4)
        eta = 3.0 * register - 1.5 * pasted
        u = rng.random()
        level = 1 + sum(u > 1 / (1 + math.exp(-(cut - eta))) for cut in (-3.0, -2.0, -1.0))
        specificity = 1.0 - (level - 1) / 3 + rng.uniform(-0.1, 0.1)
        rows.append(({"register": register, "pasted": pasted, "specificity": specificity}, level))
    return rows


def _penalised_loss(
    rows: list[tuple[dict[str, float], int]],
    weights: dict[str, float],
    cuts: list[float],
    up_to: list[int] | None = None,
) -> float:
    """The objective the fit minimises, written out independently of the fitter; ``up_to``
    makes each row's label a range, from its level up to that level."""
    total = 0.0
    tops = up_to or [level for _, level in rows]
    for (features, level), top in zip(rows, tops, strict=True):
        eta = sum(weights[name] * features.get(name, 0.0) for name in FEATURES)
        upper = 1.0 if top == 4 else 1 / (1 + math.exp(-(cuts[top - 1] - eta)))
        lower = 0.0 if level == 1 else 1 / (1 + math.exp(-(cuts[level - 2] - eta)))
        total -= math.log(upper - lower)
    penalty = sum((weights[n] - PRIOR_WEIGHTS[n]) ** 2 for n in FEATURES)
    return total / len(rows) + 0.5 * L2 * penalty


@pytest.fixture(scope="module")
def fitted() -> tuple[LevelModel, list[tuple[dict[str, float], int]]]:
    rows = _rows()
    model = fit_level_model(rows, "v-test", "synthetic rows", prior=PRIOR_WEIGHTS, l2=L2)
    return model, rows


def test_the_fit_keeps_its_names_and_ordered_cuts(
    fitted: tuple[LevelModel, list[tuple[dict[str, float], int]]],
) -> None:
    model, _ = fitted
    assert (model.version, model.trained_on) == ("v-test", "synthetic rows")
    assert set(model.weights) == set(FEATURES)
    assert model.cuts[0] < model.cuts[1] < model.cuts[2]
    # the generating model, give or take the sample and the pull towards the prior
    assert model.cuts == pytest.approx((-3.0, -2.0, -1.0), abs=0.5)
    assert model.weights["register"] == pytest.approx(3.0, abs=0.7)
    assert -2.0 < model.weights["pasted"] < -0.5  # unsigned: free to go negative


def test_unused_features_keep_their_prior_and_a_signed_weight_stops_at_zero(
    fitted: tuple[LevelModel, list[tuple[dict[str, float], int]]],
) -> None:
    model, _ = fitted
    assert model.weights["specificity"] == 0.0
    for name in FEATURES:
        if name in USED:
            continue
        prior = PRIOR_WEIGHTS[name]
        expected = 0.0 if SIGNS.get(name, 0) * prior < 0 else prior
        assert model.weights[name] == pytest.approx(expected, abs=1e-9), name


def test_the_fit_is_the_optimum_of_its_objective(
    fitted: tuple[LevelModel, list[tuple[dict[str, float], int]]],
) -> None:
    model, rows = fitted
    weights, cuts = dict(model.weights), list(model.cuts)
    best = _penalised_loss(rows, weights, cuts)
    step = 0.02
    for name in ("register", "pasted"):
        for delta in (-step, step):
            moved = {**weights, name: weights[name] + delta}
            assert _penalised_loss(rows, moved, cuts) > best, (name, delta)
    # the weight held at zero may only move up, and that is worse too
    assert _penalised_loss(rows, {**weights, "specificity": step}, cuts) > best
    for index in range(3):
        for delta in (-step, step):
            moved_cuts = list(cuts)
            moved_cuts[index] += delta
            assert _penalised_loss(rows, weights, moved_cuts) > best, (index, delta)


def test_a_written_model_reads_back_the_same(tmp_path: Path) -> None:
    model = LevelModel(
        version="v9",
        weights={name: 0.123456 * (i + 1) for i, name in enumerate(FEATURES)},
        cuts=(-1.00004, 0.5, 2.25),
        trained_on="some rows",
    )
    data = model.to_json()
    assert data["version"] == "v9" and data["trained_on"] == "some rows"
    assert data["features"] == list(FEATURES)
    assert data["caps"] == CAPS
    assert data["cuts"] == [-1.0, 0.5, 2.25]
    assert data["weights"][FEATURES[0]] == 0.1235 and list(data["weights"]) == list(FEATURES)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded = load_level_model(path)
    assert (loaded.version, loaded.trained_on, loaded.cuts) == (
        "v9",
        "some rows",
        (-1.0, 0.5, 2.25),
    )
    assert loaded.weights == data["weights"]


def test_a_model_file_with_other_caps_or_bad_cuts_is_refused(tmp_path: Path) -> None:
    good = load_level_model().to_json()
    path = tmp_path / "model.json"
    for broken, message in (
        ({**good, "caps": {**good["caps"], "specificity": 9}}, "other feature caps"),
        ({**good, "cuts": [0.0, 1.0]}, "three increasing"),
        ({**good, "cuts": [0.0, 2.0, 1.0]}, "three increasing"),
        ({**good, "cuts": [0.0, 0.0, 1.0]}, "three increasing"),
    ):
        path.write_text(json.dumps(broken), encoding="utf-8")
        with pytest.raises(ValueError, match=message):
            load_level_model(path)
    without_caps = {k: v for k, v in good.items() if k not in ("caps", "trained_on")}
    path.write_text(json.dumps(without_caps), encoding="utf-8")
    assert load_level_model(path).trained_on == ""  # an older file without them still loads


def test_scores_split_each_band_evenly_between_its_edges() -> None:
    model = load_level_model()
    low, mid, high = model.cuts
    width = (high - low) / 2
    assert model.band_width() == pytest.approx(width)
    assert model.from_latent(low - width).score == 0.0
    assert model.from_latent(low - width / 2).score == 12.5
    assert model.from_latent(low).score == 25.0
    assert model.from_latent((low + mid) / 2).score == 37.5
    assert model.from_latent(high + width / 2).score == 87.5
    assert model.from_latent(high + width).score == 100.0
    assert [model.from_latent(x).level for x in (low - 0.01, low + 0.01, high + 0.01)] == [1, 2, 4]


def test_two_equal_upper_cuts_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps({**load_level_model().to_json(), "cuts": [0.0, 1.0, 1.0]}))
    with pytest.raises(ValueError, match="three increasing"):
        load_level_model(path)


def test_a_row_that_says_only_not_strong_is_held_below_strong_not_pushed_below_bar() -> None:
    rows = [({**features, "relevance": 1.0}, level) for features, level in _rows()]
    # answers that read like strong ones but answer something else, labeled below bar
    rng = random.Random(5)
    polished = [({"register": rng.uniform(-0.35, 0.0), "relevance": 0.0}, 1) for _ in range(80)]
    exact = fit_level_model(rows + polished, "e", "e", prior=PRIOR_WEIGHTS, l2=L2)
    up_to = [level for _, level in rows] + [2] * len(polished)
    ranged = fit_level_model(rows + polished, "r", "r", prior=PRIOR_WEIGHTS, l2=L2, up_to=up_to)
    plain = fit_level_model(rows, "p", "p", prior=PRIOR_WEIGHTS, l2=L2)

    def below_bar(model: LevelModel, group: list[tuple[dict[str, float], int]]) -> int:
        return sum(model.predict(features).level == 1 for features, _ in group)

    assert sum(plain.predict(f).level >= 3 for f, _ in polished) > 40  # what they read like
    for model in (exact, ranged):
        assert all(model.predict(f).level <= 2 for f, _ in polished)
    # said exactly, the label drags them (and the ordinary surface answers) below bar; said as
    # "1 or 2", it holds them under strong and leaves the line below surface nearer where it was
    assert below_bar(exact, polished) > below_bar(ranged, polished) + 20
    surface = [row for row in rows if row[1] == 2]
    assert below_bar(plain, surface) <= below_bar(ranged, surface) < below_bar(exact, surface)
    # ...and the ranged fit is the optimum of the ranged objective
    weights, cuts = dict(ranged.weights), list(ranged.cuts)
    best = _penalised_loss(rows + polished, weights, cuts, up_to)
    for index in range(3):
        for delta in (-0.02, 0.02):
            moved = list(cuts)
            moved[index] += delta
            assert _penalised_loss(rows + polished, weights, moved, up_to) > best
    for delta in (-0.02, 0.02):
        moved_weights = {**weights, "relevance": weights["relevance"] + delta}
        assert _penalised_loss(rows + polished, moved_weights, cuts, up_to) > best
    # a range equal to the labels is the plain fit
    same = fit_level_model(
        rows, "s", "s", prior=PRIOR_WEIGHTS, l2=L2, up_to=[level for _, level in rows]
    )
    assert same.cuts == pytest.approx(plain.cuts) and same.weights == pytest.approx(plain.weights)


def test_a_range_below_its_label_or_of_the_wrong_length_is_refused() -> None:
    rows = _rows()[:20]
    assert any(level > 1 for _, level in rows)
    for up_to in ([1] * 20, [4] * 19, [5] * 20):
        with pytest.raises(ValueError, match="up_to"):
            fit_level_model(rows, "x", "x", up_to=up_to)
