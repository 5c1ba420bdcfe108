"""Project selection: scoring, AHP weights, portfolio optimisation and the efficient frontier.

Every expected number below is worked out by hand in the comment next to it; the optimiser is also
cross-checked against brute-force enumeration of every subset on seeded random problems.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import statistics
from collections.abc import Mapping
from dataclasses import FrozenInstanceError
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from pmo.engine.errors import ConflictingMandatoryError, EngineError, InfeasibleError, InvalidInputError
from pmo.engine.selection import (
    RANDOM_INDEX,
    Criterion,
    FrontierPoint,
    PortfolioCandidate,
    PortfolioProblem,
    PortfolioResult,
    Rating,
    ahp_weights,
    efficient_frontier,
    optimise_portfolio,
    score_candidates,
)

# Every problem here is tiny: CP-SAT proves it optimal in milliseconds.  One worker keeps the runs
# light on a shared machine.
LIMIT = 2.0
PC = PortfolioCandidate


def solve(problem: PortfolioProblem, **kwargs: Any) -> PortfolioResult:
    kwargs.setdefault("time_limit_s", LIMIT)
    kwargs.setdefault("workers", 1)
    return optimise_portfolio(problem, **kwargs)


def frontier(problem: PortfolioProblem, n_points: int, **kwargs: Any) -> tuple[FrontierPoint, ...]:
    kwargs.setdefault("time_limit_s", LIMIT)
    kwargs.setdefault("workers", 1)
    return efficient_frontier(problem, n_points, **kwargs)


# =========================================================================================
# Scoring
# =========================================================================================


def test_numeric_min_max_normalisation_with_both_directions() -> None:
    # npv (higher is better) 10 / 20 / 30 -> 0, 0.5, 1; cost (lower is better) 100 / 300 / 200 -> 1, 0, 0.5.
    # Equal weights 0.5 each: A = 0 + 0.5 = 0.5, B = 0.25 + 0 = 0.25, C = 0.5 + 0.25 = 0.75.
    result = score_candidates(
        [Criterion("npv"), Criterion("cost", direction="lower")],
        [
            Rating("A", "npv", 10),
            Rating("B", "npv", 20),
            Rating("C", "npv", 30),
            Rating("A", "cost", 100),
            Rating("B", "cost", 300),
            Rating("C", "cost", 200),
        ],
    )
    assert dict(result.weights) == {"npv": 0.5, "cost": 0.5}
    assert [(s.candidate, s.rank, s.total) for s in result.scores] == [("C", 1, 0.75), ("A", 2, 0.5), ("B", 3, 0.25)]
    by = result.by_candidate()
    assert {c: (by[c].criteria["npv"].normalised, by[c].criteria["cost"].normalised) for c in "ABC"} == {
        "A": (0.0, 1.0),
        "B": (0.5, 0.0),
        "C": (1.0, 0.5),
    }
    c_cost = by["C"].criteria["cost"]
    assert (c_cost.weight, c_cost.contribution, c_cost.raw.mean, c_cost.raw.n) == (0.5, 0.25, 200.0, 1)
    # a single anonymous evaluator: one evaluator total equal to the total, no spread
    assert dict(by["C"].evaluator_totals) == {"": 0.75}
    assert (by["C"].spread.n, by["C"].spread.stdev) == (1, 0.0)


def test_weights_are_relative_and_normalised() -> None:
    # weights 3 and 1 -> 0.75 and 0.25; A is best on x (1.0), B on y (1.0): A 0.75, B 0.25
    result = score_candidates(
        [Criterion("x", weight=3), Criterion("y", weight=1)],
        [Rating("A", "x", 2), Rating("B", "x", 1), Rating("A", "y", 1), Rating("B", "y", 2)],
    )
    assert dict(result.weights) == {"x": 0.75, "y": 0.25}
    assert [(s.candidate, s.total) for s in result.scores] == [("A", 0.75), ("B", 0.25)]


def test_a_zero_weight_criterion_does_not_count() -> None:
    result = score_candidates(
        [Criterion("x", weight=1), Criterion("y", weight=0)],
        [Rating("A", "x", 1), Rating("B", "x", 2), Rating("A", "y", 9), Rating("B", "y", 0)],
    )
    assert dict(result.weights) == {"x": 1.0, "y": 0.0}
    assert [(s.candidate, s.total) for s in result.scores] == [("B", 1.0), ("A", 0.0)]


def test_equal_values_do_not_discriminate_and_ties_share_a_rank() -> None:
    # x is 5 for everybody -> 1 for everybody; y 1 / 1 / 0 -> 1 / 1 / 0.  Totals 1, 1, 0.5: A and B tie
    # for rank 1 (input order kept), C is third (not second).
    result = score_candidates(
        [Criterion("x"), Criterion("y")],
        [
            Rating("A", "x", 5),
            Rating("B", "x", 5),
            Rating("C", "x", 5),
            Rating("A", "y", 1),
            Rating("B", "y", 1),
            Rating("C", "y", 0),
        ],
    )
    assert [(s.candidate, s.rank, s.total) for s in result.scores] == [("A", 1, 1.0), ("B", 1, 1.0), ("C", 3, 0.5)]
    assert all(s.criteria["x"].normalised == 1.0 for s in result.scores)


def test_numeric_reference_scale_clips_out_of_range_values() -> None:
    # scale 0..100: 150 clips to 1, -10 clips to 0, 25 -> 0.25 (not min-max over -10..150)
    result = score_candidates(
        [Criterion("x", scale=(0, 100))],
        [Rating("A", "x", 150), Rating("B", "x", -10), Rating("C", "x", 25)],
    )
    assert {s.candidate: s.total for s in result.scores} == {"A": 1.0, "B": 0.0, "C": 0.25}
    # lower is better on the same scale: 25 -> 0.75
    lower = score_candidates([Criterion("x", scale=(0, 100), direction="lower")], [Rating("C", "x", 25)])
    assert lower.scores[0].total == 0.75


def test_rated_criteria_with_labels_and_several_evaluators() -> None:
    # fit: levels low/medium/high = ratings 1/2/3 on the scale 1..3, higher is better.
    # risk: same labels, lower is better, weight 3 -> weights fit 0.25, risk 0.75.
    # A.fit: ann high (3 -> 1.0), bob medium (2 -> 0.5), cy 1 (-> 0.0): mean 0.5;
    #        raw 3, 2, 1: mean 2, population stdev sqrt(2/3), min 1, max 3.
    # A.risk: ann low (1 -> 1.0), bob high (3 -> 0.0): mean 0.5; raw stdev 1.
    # A total = 0.25 * 0.5 + 0.75 * 0.5 = 0.5.
    # Evaluator totals: ann 0.25 * 1 + 0.75 * 1 = 1; bob 0.25 * 0.5 + 0.75 * 0 = 0.125;
    #   cy did not rate risk, so the panel mean 0.5 stands in: 0.25 * 0 + 0.75 * 0.5 = 0.375.
    #   Their spread: mean 0.5, stdev sqrt((0.25 + 0.140625 + 0.015625) / 3), min 0.125, max 1.
    # B: fit low -> 0, risk medium -> 0.5: total 0.375.
    levels = ("low", "medium", "high")
    result = score_candidates(
        [
            Criterion("fit", kind="rated", levels=levels),
            Criterion("risk", kind="rated", levels=levels, direction="lower", weight=3),
        ],
        [
            Rating("A", "fit", "high", "ann"),
            Rating("A", "fit", "medium", "bob"),
            Rating("A", "fit", 1, "cy"),
            Rating("A", "risk", "low", "ann"),
            Rating("A", "risk", "high", "bob"),
            Rating("B", "fit", "low", "ann"),
            Rating("B", "risk", "medium", "ann"),
        ],
    )
    assert dict(result.weights) == {"fit": 0.25, "risk": 0.75}
    assert [(s.candidate, s.rank, s.total) for s in result.scores] == [("A", 1, 0.5), ("B", 2, 0.375)]
    a = result.scores[0]
    fit = a.criteria["fit"]
    assert (fit.raw.n, fit.raw.mean, fit.raw.min, fit.raw.max) == (3, 2.0, 1.0, 3.0)
    assert fit.raw.stdev == pytest.approx(math.sqrt(2 / 3), abs=1e-12)
    assert (fit.normalised, fit.contribution) == (0.5, 0.125)
    risk = a.criteria["risk"]
    assert (risk.raw.n, risk.raw.mean, risk.raw.stdev, risk.normalised, risk.contribution) == (2, 2.0, 1.0, 0.5, 0.375)
    assert dict(a.evaluator_totals) == {"ann": 1.0, "bob": 0.125, "cy": 0.375}
    assert (a.spread.n, a.spread.mean, a.spread.min, a.spread.max) == (3, 0.5, 0.125, 1.0)
    assert a.spread.stdev == pytest.approx(math.sqrt(0.40625 / 3), abs=1e-12)
    assert a.spread.stdev == pytest.approx(statistics.pstdev([1.0, 0.125, 0.375]), abs=1e-12)
    b = result.scores[1]
    assert (b.criteria["fit"].normalised, b.criteria["risk"].normalised) == (0.0, 0.5)
    assert dict(b.evaluator_totals) == {"ann": 0.375}


def test_rated_criterion_default_scale_is_one_to_five() -> None:
    # 1 -> 0, 3 -> 0.5, 5 -> 1 whatever the other candidates' ratings (no min-max)
    result = score_candidates(
        [Criterion("q", kind="rated")], [Rating("A", "q", 3), Rating("B", "q", 5), Rating("C", "q", 1)]
    )
    assert {s.candidate: s.total for s in result.scores} == {"A": 0.5, "B": 1.0, "C": 0.0}
    only = score_candidates([Criterion("q", kind="rated")], [Rating("A", "q", 4)])
    assert only.scores[0].total == 0.75


def test_candidate_list_sets_the_order_of_tied_candidates() -> None:
    ratings = [Rating("A", "x", 1), Rating("B", "x", 1)]
    assert [s.candidate for s in score_candidates([Criterion("x")], ratings).scores] == ["A", "B"]
    listed = score_candidates([Criterion("x")], ratings, candidates=["B", "A"])
    assert [(s.candidate, s.rank) for s in listed.scores] == [("B", 1), ("A", 1)]


@pytest.mark.parametrize(
    ("criteria", "ratings", "kwargs", "message"),
    [
        ([], [], {}, "at least one criterion is needed"),
        ([Criterion("")], [], {}, "criterion id must not be empty"),
        ([Criterion("x"), Criterion("x")], [], {}, "duplicate criterion 'x'"),
        ([Criterion("x", weight=-1)], [], {}, "criterion 'x': weight must be >= 0, got -1"),
        ([Criterion("x", weight=math.nan)], [], {}, "criterion 'x': weight must be a finite number, got nan"),
        (
            [Criterion("x", weight=0)],
            [Rating("A", "x", 1)],
            {},
            "the criteria weights sum to 0; give at least one criterion a positive weight",
        ),
        (
            [Criterion("x", direction="up")],  # type: ignore[arg-type]
            [],
            {},
            "criterion 'x': direction must be 'higher' or 'lower', got 'up'",
        ),
        (
            [Criterion("x", kind="text")],  # type: ignore[arg-type]
            [],
            {},
            "criterion 'x': kind must be 'numeric' or 'rated', got 'text'",
        ),
        ([Criterion("x", levels=("a", "b"))], [], {}, "criterion 'x': levels are only for rated criteria"),
        ([Criterion("x", kind="rated", levels=("a", "a"))], [], {}, "criterion 'x': duplicate level labels"),
        (
            [Criterion("x", kind="rated", levels=("a",))],
            [],
            {},
            "criterion 'x': a rated criterion needs at least two levels",
        ),
        ([Criterion("x", scale=(5, 5))], [], {}, "criterion 'x': scale low must be < high, got 5..5"),
        ([Criterion("x")], [Rating("A", "y", 1)], {}, "candidate 'A': unknown criterion 'y'"),
        ([Criterion("x")], [Rating("", "x", 1)], {}, "criterion 'x': a rating has no candidate id"),
        (
            [Criterion("x")],
            [Rating("A", "x", "high")],
            {},
            "candidate 'A', criterion 'x': expected a number, got 'high'",
        ),
        (
            [Criterion("x", kind="rated", levels=("lo", "hi"))],
            [Rating("A", "x", "mid", "ann")],
            {},
            "candidate 'A', criterion 'x', evaluator 'ann': unknown level 'mid' (levels: lo, hi)",
        ),
        (
            [Criterion("x", kind="rated")],
            [Rating("A", "x", 6, "ann")],
            {},
            "candidate 'A', criterion 'x', evaluator 'ann': rating 6 outside the scale 1..5",
        ),
        (
            [Criterion("x", kind="rated", levels=("lo", "hi"))],
            [Rating("A", "x", 3)],
            {},
            "candidate 'A', criterion 'x': rating 3 outside the scale 1..2",
        ),
        ([Criterion("x")], [Rating("A", "x", math.inf)], {}, "candidate 'A', criterion 'x' must be a finite number"),
        ([Criterion("x")], [Rating("A", "x", True)], {}, "candidate 'A', criterion 'x' must be a number, got True"),
        (
            [Criterion("x")],
            [Rating("A", "x", 1, "ann"), Rating("A", "x", 2, "ann")],
            {},
            "candidate 'A', criterion 'x': evaluator 'ann' rated it twice",
        ),
        (
            [Criterion("x")],
            [Rating("A", "x", 1), Rating("A", "x", 2)],
            {},
            "candidate 'A', criterion 'x': the anonymous evaluator rated it twice",
        ),
        ([Criterion("x"), Criterion("y")], [Rating("A", "x", 1)], {}, "candidate 'A' has no rating on criterion 'y'"),
        (
            [Criterion("x")],
            [Rating("A", "x", 1)],
            {"candidates": ["B"]},
            "candidate 'A' is rated but not in the candidate list",
        ),
        (
            [Criterion("x")],
            [Rating("A", "x", 1)],
            {"candidates": ["A", "B"]},
            "candidate 'B' has no rating on criterion 'x'",
        ),
        (
            [Criterion("x")],
            [Rating("A", "x", 1)],
            {"candidates": ["A", "A"]},
            "duplicate candidate ids in the candidate list",
        ),
        ([Criterion("x")], [], {}, "no candidates to score"),
    ],
)
def test_scoring_rejects_invalid_input_naming_the_field(
    criteria: list[Criterion], ratings: list[Rating], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInputError, match="^" + re.escape(message)):
        score_candidates(criteria, ratings, **kwargs)


# =========================================================================================
# AHP
# =========================================================================================


def principal_eigen(matrix: list[list[float]]) -> tuple[float, np.ndarray]:
    """Independent cross-check: power iteration for the Perron root and vector."""
    a = np.array(matrix, dtype=float)
    w = np.ones(len(a)) / len(a)
    for _ in range(1000):
        nxt = a @ w
        nxt /= nxt.sum()
        if np.allclose(nxt, w, atol=1e-15, rtol=0):
            break
        w = nxt
    lam = float(np.mean((a @ w) / w))
    return lam, w


def test_consistent_matrix_gives_its_weights_exactly() -> None:
    # built from weights 4 : 2 : 1, i.e. a_ij = w_i / w_j -> weights 4/7, 2/7, 1/7, lambda_max 3, CR 0
    r = ahp_weights([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]], labels=["value", "risk", "fit"])
    assert r.weights == pytest.approx((4 / 7, 2 / 7, 1 / 7), abs=1e-12)
    assert sum(r.weights) == pytest.approx(1.0, abs=1e-12)
    assert r.lambda_max == pytest.approx(3.0, abs=1e-9)
    assert r.consistency_index == pytest.approx(0.0, abs=1e-9)
    assert r.consistency_ratio == pytest.approx(0.0, abs=1e-9)
    assert (r.consistent, r.refused, r.random_index) == (True, False, 0.58)
    assert r.labels == ("value", "risk", "fit")
    assert r.by_label() == pytest.approx({"value": 4 / 7, "risk": 2 / 7, "fit": 1 / 7}, abs=1e-12)
    assert r.explanation == "consistency ratio 0.00 is within 0.10"


def test_tiny_matrices_are_always_consistent() -> None:
    one = ahp_weights([[1]])
    assert (one.weights, one.lambda_max, one.consistency_ratio, one.consistent, one.labels) == (
        (1.0,),
        1.0,
        0.0,
        True,
        ("1",),
    )
    # 2x2: w = (3/4, 1/4); a reciprocal 2x2 matrix has lambda_max exactly 2
    two = ahp_weights([[1, 3], [1 / 3, 1]])
    assert two.weights == pytest.approx((0.75, 0.25), abs=1e-12)
    assert two.lambda_max == pytest.approx(2.0, abs=1e-12)
    assert (two.consistency_index, two.consistency_ratio, two.consistent) == (0.0, 0.0, True)
    assert two.most_inconsistent is None


def test_textbook_matrix_lambda_max_and_consistency_ratio() -> None:
    # The classic 3x3 textbook matrix [[1, 5, 3], [1/5, 1, 1/3], [1/3, 3, 1]].  For a 3x3 reciprocal
    # matrix lambda_max = 1 + q**(1/3) + q**(-1/3) with q = a13 / (a12 * a23) = 3 / (5/3) = 1.8, i.e.
    # 3.0385; CI = 0.0193; CR = CI / 0.58 = 0.0332.  The principal eigenvector of a 3x3 reciprocal matrix
    # is the row geometric mean: 15**(1/3) : (1/15)**(1/3) : 1, normalised 0.6370, 0.1047, 0.2583.
    matrix: list[list[float]] = [[1, 5, 3], [1 / 5, 1, 1 / 3], [1 / 3, 3, 1]]
    r = ahp_weights(matrix, labels=["cost", "risk", "fit"])
    q = 1.8
    assert r.lambda_max == pytest.approx(1 + q ** (1 / 3) + q ** (-1 / 3), abs=1e-9)
    assert round(r.lambda_max, 4) == 3.0385
    assert round(r.consistency_index, 4) == 0.0193
    assert round(r.consistency_ratio, 4) == 0.0332
    geo = [15 ** (1 / 3), (1 / 15) ** (1 / 3), 1.0]
    assert r.weights == pytest.approx([g / sum(geo) for g in geo], abs=1e-9)
    assert [round(w, 4) for w in r.weights] == [0.637, 0.1047, 0.2583]
    lam, vec = principal_eigen(matrix)  # independent power iteration
    assert r.lambda_max == pytest.approx(lam, abs=1e-9)
    assert r.weights == pytest.approx(list(vec), abs=1e-9)
    assert r.consistent and r.explanation == "consistency ratio 0.03 is within 0.10"
    # the same matrix with a stricter threshold is refused
    strict = ahp_weights(matrix, labels=["cost", "risk", "fit"], threshold=0.03)
    assert strict.refused and strict.explanation.startswith("consistency ratio 0.03 exceeds 0.03")


def test_intransitive_judgements_are_refused() -> None:
    # A > B (3), B > C (3) but C > A (3): q = (1/3) / 9 = 1/27 -> lambda_max = 1 + 1/3 + 3 = 13/3,
    # CI = (13/3 - 3) / 2 = 2/3, CR = (2/3) / 0.58 = 1.1494.  The three judgements are equally wrong.
    r = ahp_weights([[1, 3, 1 / 3], [1 / 3, 1, 3], [3, 1 / 3, 1]], labels=["A", "B", "C"])
    assert r.lambda_max == pytest.approx(13 / 3, abs=1e-9)
    assert r.consistency_index == pytest.approx(2 / 3, abs=1e-9)
    assert r.consistency_ratio == pytest.approx((2 / 3) / 0.58, abs=1e-9)
    assert round(r.consistency_ratio, 4) == 1.1494
    assert r.weights == pytest.approx((1 / 3, 1 / 3, 1 / 3), abs=1e-9)
    assert (r.consistent, r.refused) == (False, True)
    assert r.most_inconsistent in {(0, 1), (0, 2), (1, 2)}
    assert r.explanation.startswith(
        "consistency ratio 1.15 exceeds 0.10, the judgements contradict each other; the comparison of "
    )
    assert r.explanation.endswith(": revise it and compare again")


def test_refusal_names_the_most_inconsistent_judgement() -> None:
    # Consistent judgements from weights 8 : 4 : 2 : 1, except A vs D entered the wrong way round
    # (1/8 instead of 8).  Every other judgement agrees with the rest, so A vs D is the one to revise.
    w = [8, 4, 2, 1]
    matrix = [[w[i] / w[j] for j in range(4)] for i in range(4)]
    matrix[0][3], matrix[3][0] = 1 / 8, 8
    r = ahp_weights(matrix, labels=["A", "B", "C", "D"])
    lam, vec = principal_eigen(matrix)
    assert r.lambda_max == pytest.approx(lam, abs=1e-9)
    assert r.weights == pytest.approx(list(vec), abs=1e-9)
    assert round(r.lambda_max, 4) == 6.7346
    assert r.consistency_index == pytest.approx((r.lambda_max - 4) / 3, abs=1e-12)
    assert r.consistency_ratio == pytest.approx(r.consistency_index / 0.90, abs=1e-12)
    assert round(r.consistency_ratio, 4) == 1.0128
    assert r.refused and r.most_inconsistent == (0, 3)
    assert r.suggested_value == pytest.approx(r.weights[0] / r.weights[3], abs=1e-12)
    assert r.explanation == (
        "consistency ratio 1.01 exceeds 0.10, the judgements contradict each other; the comparison of A with D "
        "(0.125) disagrees most with the derived weights, which suggest about 0.66: revise it and compare again"
    )


def test_refusal_without_labels_names_positions() -> None:
    w = [8, 4, 2, 1]
    matrix = [[w[i] / w[j] for j in range(4)] for i in range(4)]
    matrix[0][3], matrix[3][0] = 1.0, 1.0  # should be 8
    r = ahp_weights(matrix)
    assert r.labels == ("1", "2", "3", "4")
    assert r.refused and r.most_inconsistent == (0, 3)
    assert round(r.consistency_ratio, 4) == 0.216
    assert "the comparison of 1 with 4 (1) disagrees most" in r.explanation


def test_rounded_reciprocals_are_accepted() -> None:
    # 0.333 for 1/3: 3 * 0.333 = 0.999, well within the 1 % tolerance.  w = (3 : 0.999... ) normalised:
    # for a 2x2 matrix the weights are sqrt(a12 / a21) : 1, i.e. sqrt(3 / 0.333) : 1.
    r = ahp_weights([[1, 3], [0.333, 1]])
    ratio = math.sqrt(3 / 0.333)
    assert r.consistent
    assert r.weights == pytest.approx((ratio / (1 + ratio), 1 / (1 + ratio)), abs=1e-12)
    # 2 % off is too far
    with pytest.raises(InvalidInputError, match=re.escape("are not reciprocal (expected 0.1429)")):
        ahp_weights([[1, 7], [0.14, 1]])


def test_random_index_table() -> None:
    assert len(RANDOM_INDEX) == 15
    assert RANDOM_INDEX[:5] == (0.0, 0.0, 0.58, 0.90, 1.12)


@pytest.mark.parametrize(
    ("matrix", "kwargs", "message"),
    [
        ([], {}, "the comparison matrix is empty"),
        ([[1] * 16 for _ in range(16)], {}, "at most 15 criteria can be compared, got 16"),
        ([[1, 2], [0.5, 1]], {"labels": ["a"]}, "1 labels for a 2x2 matrix"),
        ([[1, 2], [0.5, 1]], {"labels": ["a", "a"]}, "duplicate labels"),
        ([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5]], {}, "matrix row 3 has 2 entries, expected 3"),
        ([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]], {"threshold": -0.1}, "threshold must be >= 0, got -0.1"),
        ([[1, -2], [-0.5, 1]], {}, "matrix cell (1, 2) must be positive, got -2"),
        ([[1, 0], [0, 1]], {"labels": ["cost", "risk"]}, "matrix cell (cost, risk) must be positive, got 0"),
        ([[1, math.nan], [1, 1]], {}, "matrix cell (1, 2) must be a finite number, got nan"),
        ([[1, "3"], [1 / 3, 1]], {}, "matrix cell (1, 2) must be a number, got '3'"),
        ([[2, 1], [1, 1]], {}, "matrix cell (1, 1) is on the diagonal and must be 1, got 2"),
        (
            [[1, 3], [3, 1]],
            {"labels": ["cost", "risk"]},
            "matrix cell (cost, risk) = 3 and cell (risk, cost) = 3 are not reciprocal (expected 0.3333)",
        ),
    ],
)
def test_ahp_rejects_invalid_matrices_naming_the_cell(
    matrix: list[list[Any]], kwargs: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInputError, match="^" + re.escape(message) + "$"):
        ahp_weights(matrix, **kwargs)


# =========================================================================================
# Portfolio: data model
# =========================================================================================


def test_candidate_and_problem_normalise_and_freeze_their_fields() -> None:
    costs = {"budget": 4}
    cand = PortfolioCandidate(
        "A",
        5,
        costs,
        requires=["B"],  # type: ignore[arg-type]
        excludes=["C"],  # type: ignore[arg-type]
        profile={"dev": [1, 2]},
        starts=[0, 1],  # type: ignore[arg-type]
    )
    costs["budget"] = 99  # the candidate kept its own copy
    assert dict(cand.costs) == {"budget": 4}
    assert (cand.requires, cand.excludes, cand.starts, dict(cand.profile)) == (("B",), ("C",), (0, 1), {"dev": (1, 2)})
    with pytest.raises(TypeError):
        cand.costs["budget"] = 1  # type: ignore[index]
    with pytest.raises(FrozenInstanceError):
        cand.value = 6  # type: ignore[misc]
    problem = PortfolioProblem(
        candidates=[cand],  # type: ignore[arg-type]
        capacities={"budget": 10},
        period_capacities={"dev": [3, 3, 3]},
    )
    assert problem.candidates == (cand,)
    assert dict(problem.period_capacities) == {"dev": (3, 3, 3)}
    with pytest.raises(TypeError):
        problem.capacities["budget"] = 1  # type: ignore[index]
    defaults = PortfolioCandidate("D", 1)
    assert (dict(defaults.costs), defaults.mandatory, defaults.starts) == ({}, False, (0,))


# =========================================================================================
# Portfolio: hand-checked optimisation
# =========================================================================================

# Budget 10: a (value 10, cost 5), b (7, 4), c (6, 3), d (4, 2).  The subsets within 10:
# {a, c, d} = 20 (cost 10) is the best; {a, b} = 17, {b, c, d} = 17, {a, c} = 16, ...
KNAPSACK = PortfolioProblem(
    capacities={"budget": 10},
    candidates=[
        PC("a", 10, {"budget": 5}),
        PC("b", 7, {"budget": 4}),
        PC("c", 6, {"budget": 3}),
        PC("d", 4, {"budget": 2}),
    ],
)


def test_small_knapsack_optimum_usage_and_explanations() -> None:
    r = solve(KNAPSACK)
    assert (r.status, r.objective, r.bound, r.gap) == ("optimal", 20.0, 20.0, 0.0)
    assert r.selected == ("a", "c", "d")
    assert dict(r.starts) == {"a": 0, "c": 0, "d": 0}
    assert dict(r.usage) == {"budget": 10.0}
    assert dict(r.capacities) == {"budget": 10.0}
    assert r.lp_bound == 20.0  # a, c and d have the best value per cost (2), b 1.75: the LP is integral
    assert r.notes == ()
    # b would bring the budget to 14 (4 over).  With b forced in, the best is b + a (17) or b + c + d
    # (17): its value must rise by 20 - 17 = 3.
    (b,) = r.rejected
    assert (b.id, b.value, dict(b.exceeded), b.conflicts, b.requires_also) == ("b", 7.0, {"budget": 4.0}, (), ())
    assert (b.value_needed, b.value_needed_exact) == (3.0, True)
    assert b.reason == "would exceed budget by 4; its value would need to rise by 3 to get in"
    (binding,) = r.binding
    assert (binding.dimension, binding.capacity, binding.usage, binding.slack, binding.blocked) == (
        "budget",
        10.0,
        10.0,
        0.0,
        ("b",),
    )


def test_binding_constraint_shadow_price_and_lp_bound() -> None:
    # Budget 10: a (12, cost 6), b (9, cost 5).  Both together cost 11, so the optimum is a alone (12).
    # LP relaxation: a (ratio 2) fully, b (ratio 1.8) at 4/5: 12 + 7.2 = 19.2; b is fractional, so the
    # budget's dual price is b's ratio, 1.8, and b's reduced cost is 0.
    r = solve(
        PortfolioProblem(capacities={"budget": 10}, candidates=[PC("a", 12, {"budget": 6}), PC("b", 9, {"budget": 5})])
    )
    assert (r.status, r.objective, r.bound, r.selected) == ("optimal", 12.0, 12.0, ("a",))
    assert r.lp_bound == pytest.approx(19.2, abs=1e-9)
    (binding,) = r.binding
    assert (binding.dimension, binding.capacity, binding.usage, binding.slack, binding.blocked) == (
        "budget",
        10.0,
        6.0,
        4.0,
        ("b",),
    )
    assert binding.shadow_price == pytest.approx(1.8, abs=1e-9)
    (b,) = r.rejected
    assert dict(b.exceeded) == {"budget": 1.0}  # 6 + 5 - 10
    assert (b.value_needed, b.value_needed_exact) == (3.0, True)  # b alone is worth 9, 3 short of 12
    assert b.lp_value_needed == pytest.approx(0.0, abs=1e-9)


def test_mandatory_candidate_displaces_a_better_one() -> None:
    # Budget 10: must-do M (value 1, cost 6) leaves 4: Y (4, cost 4) fits, X (10, cost 5) does not.
    r = solve(
        PortfolioProblem(
            capacities={"budget": 10},
            candidates=[
                PC("M", 1, {"budget": 6}, mandatory=True),
                PC("X", 10, {"budget": 5}),
                PC("Y", 4, {"budget": 4}),
            ],
        )
    )
    assert (r.status, r.objective, r.selected, dict(r.usage)) == ("optimal", 5.0, ("M", "Y"), {"budget": 10.0})
    (x,) = r.rejected
    assert (x.id, dict(x.exceeded), x.value_needed) == ("X", {"budget": 5.0}, None)  # 10 + 5 - 10
    # X and M together cost 11: no portfolio with X exists
    assert x.reason == "would exceed budget by 5; it cannot be selected together with the must-do candidates"


def test_requires_is_transitive() -> None:
    # A (10) requires B (1), which requires C (1); D (3).  All cost 1.
    # Budget 3: {A, B, C} = 12 beats {B, C, D} = 5.  D forced in: {B, C, D} = 5 -> must rise by 7.
    cands = [
        PC("A", 10, {"budget": 1}, requires=("B",)),
        PC("B", 1, {"budget": 1}, requires=("C",)),
        PC("C", 1, {"budget": 1}),
        PC("D", 3, {"budget": 1}),
    ]
    r = solve(PortfolioProblem(capacities={"budget": 3}, candidates=cands))
    assert (r.status, r.objective, r.selected) == ("optimal", 12.0, ("A", "B", "C"))
    (d,) = r.rejected
    assert (d.id, dict(d.exceeded), d.value_needed, d.value_needed_exact) == ("D", {"budget": 1.0}, 7.0, True)
    # Budget 2: A needs B and C as well (3 > 2).  Best: {C, D} = 4 ({B, C} = 2).  A would also need B
    # (C is in already): 2 + 1 + 1 = 4, 2 over.
    r2 = solve(PortfolioProblem(capacities={"budget": 2}, candidates=cands))
    assert (r2.status, r2.objective, r2.selected) == ("optimal", 4.0, ("C", "D"))
    a = next(x for x in r2.rejected if x.id == "A")
    assert (a.requires_also, dict(a.exceeded), a.value_needed) == (("B",), {"budget": 2.0}, None)
    assert "needs 'B' too" in a.reason
    b = next(x for x in r2.rejected if x.id == "B")
    # B forced in: {B, C} = 2, so it would need 4 - 2 = 2 more
    assert (b.requires_also, dict(b.exceeded), b.value_needed) == ((), {"budget": 1.0}, 2.0)


def test_mandatory_pulls_in_its_requirements_and_forbids_their_exclusions() -> None:
    # A must be done, A requires B, B requires C: all three are selected although worth nothing.
    # X (50) excludes C, so it can never be selected; Y requires X, so neither can Y.
    r = solve(
        PortfolioProblem(
            capacities={"budget": 10},
            candidates=[
                PC("A", 0, {"budget": 1}, mandatory=True, requires=("B",)),
                PC("B", 0, {"budget": 1}, requires=("C",)),
                PC("C", 0, {"budget": 1}),
                PC("X", 50, {"budget": 1}, excludes=("C",)),
                PC("Y", 5, {"budget": 1}, requires=("X",)),
            ],
        )
    )
    assert (r.status, r.objective, r.selected, dict(r.usage)) == ("optimal", 0.0, ("A", "B", "C"), {"budget": 3.0})
    rejected = {x.id: x for x in r.rejected}
    assert set(rejected) == {"X", "Y"}
    assert rejected["X"].reason == (
        "cannot be selected: excluded by 'C', which must be selected "
        "('C' is required by 'B', required by 'A', which is mandatory)"
    )
    assert rejected["Y"].reason.startswith(
        "cannot be selected: requires 'X', which cannot be selected (excluded by 'C'"
    )
    assert all(x.value_needed is None and x.lp_value_needed is None for x in r.rejected)
    assert r.binding == ()


def test_excludes_keeps_the_better_of_two_alternatives() -> None:
    # A (10) and B (9) exclude each other; C (3).  Best {A, C} = 13; B forced in: {B, C} = 12 -> 1 more.
    r = solve(
        PortfolioProblem(
            capacities={"budget": 10},
            candidates=[
                PC("A", 10, {"budget": 1}, excludes=("B",)),
                PC("B", 9, {"budget": 1}),
                PC("C", 3, {"budget": 1}),
            ],
        )
    )
    assert (r.status, r.objective, r.selected) == ("optimal", 13.0, ("A", "C"))
    (b,) = r.rejected
    assert (b.id, b.conflicts, dict(b.exceeded), b.value_needed, b.value_needed_exact) == ("B", ("A",), {}, 1.0, True)
    assert b.reason == "conflicts with selected 'A'; its value would need to rise by 1 to get in"
    assert r.binding == ()  # no capacity row keeps anybody out


def test_negative_values_are_only_taken_when_required() -> None:
    # A (5, must-do) requires B (-3): both in, objective 2.  C (-1, free) stays out: it needs +1.
    r = solve(
        PortfolioProblem(
            capacities={"budget": 10},
            candidates=[
                PC("A", 5, {"budget": 1}, mandatory=True, requires=("B",)),
                PC("B", -3, {"budget": 1}),
                PC("C", -1),
            ],
        )
    )
    assert (r.objective, r.selected) == (2.0, ("A", "B"))
    (c,) = r.rejected
    assert (c.id, c.value, c.value_needed) == ("C", -1.0, 1.0)


def test_count_objective_maximises_the_number_of_candidates() -> None:
    # Budget 10: a (100, cost 10) alone, or b, c, d (value 1 each, costs 3 + 3 + 4 = 10)
    problem = PortfolioProblem(
        capacities={"budget": 10},
        candidates=[
            PC("a", 100, {"budget": 10}),
            PC("b", 1, {"budget": 3}),
            PC("c", 1, {"budget": 3}),
            PC("d", 1, {"budget": 4}),
        ],
    )
    by_value = solve(problem)
    assert (by_value.objective, by_value.selected) == (100.0, ("a",))
    by_count = solve(problem, objective="count")
    assert (by_count.status, by_count.objective, by_count.bound, by_count.selected) == (
        "optimal",
        3.0,
        3.0,
        ("b", "c", "d"),
    )
    (a,) = by_count.rejected
    # in count units: a forced in fits alone (1 candidate), 2 fewer than the optimum
    assert (a.id, a.value, a.value_needed, dict(a.exceeded)) == ("a", 1.0, 2.0, {"budget": 10.0})


def test_decimal_costs_are_handled_exactly() -> None:
    # In floating point 0.1 + 0.2 > 0.3, yet b (0.2) and c (0.1) fill a capacity of 0.3 exactly.
    # a (1, 0.1), b (2, 0.2), c (1.5, 0.1): {b, c} = 3.5 beats {a, b} = 3 and {a, c} = 2.5.
    assert 0.1 + 0.2 > 0.3
    r = solve(
        PortfolioProblem(
            capacities={"budget": 0.3},
            candidates=[PC("a", 1, {"budget": 0.1}), PC("b", 2, {"budget": 0.2}), PC("c", 1.5, {"budget": 0.1})],
        )
    )
    assert (r.status, r.objective, r.bound, r.selected) == ("optimal", 3.5, 3.5, ("b", "c"))
    assert dict(r.usage) == {"budget": 0.3}
    assert r.notes == ()
    (a,) = r.rejected
    assert a.value_needed == 0.5  # a forced in: {a, b} = 3
    assert dict(a.exceeded) == pytest.approx({"budget": 0.1}, abs=1e-12)
    assert r.binding[0].slack == 0.0


def test_decimal_values_and_capacity_fill() -> None:
    # costs 0.25 each, capacity 0.75: three of the four; values 0.1 / 0.2 / 0.3 / 0.4 -> drop 0.1
    r = solve(
        PortfolioProblem(
            capacities={"budget": 0.75},
            candidates=[PC(k, v, {"budget": 0.25}) for k, v in (("w", 0.1), ("x", 0.2), ("y", 0.3), ("z", 0.4))],
        )
    )
    assert (r.objective, r.selected, dict(r.usage)) == (0.9, ("x", "y", "z"), {"budget": 0.75})
    assert r.rejected[0].value_needed == pytest.approx(0.1, abs=1e-12)


def test_more_than_six_decimals_are_rounded_with_a_note() -> None:
    r = solve(
        PortfolioProblem(
            capacities={"budget": 1},
            candidates=[PC("A", 1, {"budget": 1 / 3}), PC("B", 1, {"budget": 1 / 3}), PC("C", 1, {"budget": 1 / 3})],
        )
    )
    assert r.selected == ("A", "B", "C")
    assert r.notes == ("costs on 'budget' have more than 6 decimals and were rounded",)


def test_zero_capacity_admits_only_free_candidates() -> None:
    r = solve(PortfolioProblem(capacities={"budget": 0}, candidates=[PC("A", 1, {"budget": 1}), PC("B", 2)]))
    assert (r.objective, r.selected, dict(r.usage)) == (2.0, ("B",), {"budget": 0.0})
    assert dict(r.rejected[0].exceeded) == {"budget": 1.0}


def test_several_dimensions() -> None:
    # budget 10, staff 4: b (7; 4, 2) and c (6; 1, 3) cannot go together (staff 5); m is a must-do
    # (1; 5, 1).  m + b = 8 (budget 9, staff 3) beats m + c = 7 (budget 6, staff 4).
    r = solve(
        PortfolioProblem(
            capacities={"budget": 10, "staff": 4},
            candidates=[
                PC("m", 1, {"budget": 5, "staff": 1}, mandatory=True),
                PC("b", 7, {"budget": 4, "staff": 2}),
                PC("c", 6, {"budget": 1, "staff": 3}),
            ],
        )
    )
    assert (r.objective, r.selected, dict(r.usage)) == (8.0, ("m", "b"), {"budget": 9.0, "staff": 3.0})
    (c,) = r.rejected
    # c added: budget 10 (fits), staff 6 (2 over)
    assert (dict(c.exceeded), c.value_needed) == ({"staff": 2.0}, 1.0)
    assert [b.dimension for b in r.binding] == ["staff"]


def test_hint_does_not_change_the_optimum() -> None:
    assert solve(KNAPSACK, hint={"a": 0, "b": 0}).selected == ("a", "c", "d")  # the hint is worth 17
    assert solve(KNAPSACK, hint={"a": 0, "b": 0, "c": 0}).selected == ("a", "c", "d")  # over budget: ignored


def test_explain_zero_skips_the_forced_re_solves() -> None:
    (b,) = solve(KNAPSACK, explain=0).rejected
    assert (b.value_needed, dict(b.exceeded)) == (None, {"budget": 4.0})
    assert b.lp_value_needed is not None


# --- time-phased costs -----------------------------------------------------------------------


def test_start_window_moves_a_candidate_off_the_peak() -> None:
    # One developer per period for 4 periods.  X needs one developer for periods 0-1 (fixed start);
    # Y needs one for two periods and may start in 0, 1 or 2: only start 2 avoids X.
    problem = PortfolioProblem(
        period_capacities={"dev": [1, 1, 1, 1]},
        candidates=[PC("X", 5, profile={"dev": [1, 1]}), PC("Y", 4, profile={"dev": [1, 1]}, starts=(0, 1, 2))],
    )
    r = solve(problem)
    assert (r.status, r.objective, r.selected, dict(r.starts)) == ("optimal", 9.0, ("X", "Y"), {"X": 0, "Y": 2})
    assert dict(r.usage) == {"dev@0": 1.0, "dev@1": 1.0, "dev@2": 1.0, "dev@3": 1.0}
    assert dict(r.capacities) == {"dev@0": 1.0, "dev@1": 1.0, "dev@2": 1.0, "dev@3": 1.0}
    # Without the window both want periods 0-1: only X (5) fits, Y would exceed both periods by 1.
    pinned = PortfolioProblem(
        period_capacities={"dev": [1, 1, 1, 1]},
        candidates=[PC("X", 5, profile={"dev": [1, 1]}), PC("Y", 4, profile={"dev": [1, 1]})],
    )
    r2 = solve(pinned)
    assert (r2.objective, r2.selected) == (5.0, ("X",))
    assert dict(r2.usage) == {"dev@0": 1.0, "dev@1": 1.0, "dev@2": 0.0, "dev@3": 0.0}
    (y,) = r2.rejected
    assert (dict(y.exceeded), y.value_needed) == ({"dev@0": 1.0, "dev@1": 1.0}, 1.0)
    assert [b.dimension for b in r2.binding] == ["dev@0", "dev@1"]


def test_three_projects_two_fit_when_staggered() -> None:
    # Two developers per period for 4 periods; each project needs both for two periods and may start in
    # 0, 1 or 2.  Only two fit (starts 0 and 2): the two most valuable, X (5) and Y (4).
    r = solve(
        PortfolioProblem(
            period_capacities={"dev": [2, 2, 2, 2]},
            candidates=[PC(k, v, profile={"dev": [2, 2]}, starts=(0, 1, 2)) for k, v in (("X", 5), ("Y", 4), ("Z", 3))],
        )
    )
    assert (r.status, r.objective, r.selected) == ("optimal", 9.0, ("X", "Y"))
    assert sorted(r.starts.values()) == [0, 2]
    assert all(u == 2.0 for u in r.usage.values())
    (z,) = r.rejected
    assert z.value_needed == 1.0  # Z in place of Y: 5 + 3 = 8


def test_flat_and_time_phased_costs_together() -> None:
    # Budget 10 and two developers in each of 3 periods.
    #   P (6): budget 6, both developers for one period, starting in 0 or 1;
    #   Q (5): budget 3, both developers for two periods, starting in 0 or 1;
    #   R (4): budget 4, one developer in period 0.
    # P + Q (11, budget 9) fit only with Q in periods 1-2 and P in period 0; adding R costs 13.
    # Otherwise P + R = 10 (P moved to period 1), Q + R = 9.
    r = solve(
        PortfolioProblem(
            capacities={"budget": 10},
            period_capacities={"dev": [2, 2, 2]},
            candidates=[
                PC("P", 6, {"budget": 6}, profile={"dev": [2]}, starts=(0, 1)),
                PC("Q", 5, {"budget": 3}, profile={"dev": [2, 2]}, starts=(0, 1)),
                PC("R", 4, {"budget": 4}, profile={"dev": [1]}),
            ],
        )
    )
    assert (r.status, r.objective, r.selected, dict(r.starts)) == ("optimal", 11.0, ("P", "Q"), {"P": 0, "Q": 1})
    assert dict(r.usage) == {"budget": 9.0, "dev@0": 2.0, "dev@1": 2.0, "dev@2": 2.0}
    (rr,) = r.rejected
    # R added: budget 13 (3 over) and 3 developers in period 0 (1 over); best with R: P + R = 10
    assert (dict(rr.exceeded), rr.value_needed) == ({"budget": 3.0, "dev@0": 1.0}, 1.0)
    assert rr.reason == "would exceed budget by 3, dev@0 by 1; its value would need to rise by 1 to get in"


# --- must-do conflicts ----------------------------------------------------------------------


def test_must_dos_over_a_capacity_raise_naming_the_row() -> None:
    problem = PortfolioProblem(
        capacities={"budget": 10, "staff": 5},
        candidates=[
            PC("M1", 1, {"budget": 6, "staff": 1}, mandatory=True),
            PC("M2", 1, {"budget": 5}, mandatory=True),
            PC("M3", 1, {"staff": 1}, mandatory=True),
        ],
    )
    with pytest.raises(ConflictingMandatoryError) as info:
        solve(problem)
    err = info.value
    assert isinstance(err, InfeasibleError) and isinstance(err, EngineError)
    assert (err.constraint, err.candidates) == ("budget", ("M1", "M2"))
    assert str(err) == (
        "the must-do candidates do not fit within 'budget': they need 11 but the capacity is 10 (M1 6, M2 5)"
    )


def test_must_dos_over_a_period_raise_naming_the_period() -> None:
    # both need 2 developers for two periods out of three (starts 0 or 1): period 1 always carries 4 > 2
    problem = PortfolioProblem(
        period_capacities={"dev": [2, 2, 2]},
        candidates=[PC(k, 1, profile={"dev": [2, 2]}, starts=(0, 1), mandatory=True) for k in ("M1", "M2")],
    )
    with pytest.raises(ConflictingMandatoryError) as info:
        solve(problem)
    assert (info.value.constraint, info.value.candidates) == ("dev@1", ("M1", "M2"))
    assert str(info.value) == (
        "the must-do candidates do not fit within 'dev@1': they need 4 but the capacity is 2 (M1 2, M2 2)"
    )


def test_must_dos_that_no_choice_of_starts_fits() -> None:
    # three must-dos, each needing 2 developers for one period, starting in 0 or 1; capacity 2 in each of
    # 2 periods.  No single period is overloaded whatever the starts, but together they need 6 > 4.
    problem = PortfolioProblem(
        period_capacities={"dev": [2, 2]},
        candidates=[PC(k, 1, profile={"dev": [2]}, starts=(0, 1), mandatory=True) for k in ("M0", "M1", "M2")],
    )
    with pytest.raises(ConflictingMandatoryError) as info:
        solve(problem)
    err = info.value
    assert err.constraint in {"dev@0", "dev@1"}
    assert len(err.candidates) == 2 and set(err.candidates) <= {"M0", "M1", "M2"}
    assert str(err).startswith(
        f"the must-do candidates do not fit whatever their start periods: at best {err.constraint!r}: "
        "they need 4 but the capacity is 2"
    )


def test_must_dos_that_exclude_each_other() -> None:
    problem = PortfolioProblem(
        capacities={"budget": 10},
        candidates=[PC("M1", 1, {"budget": 1}, mandatory=True, excludes=("M2",)), PC("M2", 1, mandatory=True)],
    )
    with pytest.raises(ConflictingMandatoryError) as info:
        solve(problem)
    assert (info.value.constraint, info.value.candidates) == ("excludes M1 / M2", ("M1", "M2"))
    assert str(info.value) == (
        "the must-do candidates conflict through an exclusion: 'M1' and 'M2' exclude each other, but 'M1' is "
        "mandatory and 'M2' is mandatory"
    )


def test_must_do_that_requires_what_another_must_do_excludes() -> None:
    # M1 is a must-do, requires B, which requires C; M2 (must-do) excludes C.
    problem = PortfolioProblem(
        capacities={"budget": 10},
        candidates=[
            PC("M1", 1, mandatory=True, requires=("B",)),
            PC("B", 1, requires=("C",)),
            PC("C", 1),
            PC("M2", 1, mandatory=True, excludes=("C",)),
        ],
    )
    with pytest.raises(ConflictingMandatoryError) as info:
        solve(problem)
    assert (info.value.constraint, info.value.candidates) == ("excludes C / M2", ("C", "M2"))
    assert str(info.value) == (
        "the must-do candidates conflict through an exclusion: 'C' and 'M2' exclude each other, but 'C' is "
        "required by 'B', required by 'M1', which is mandatory and 'M2' is mandatory"
    )


def test_must_do_that_requires_and_excludes_the_same_candidate() -> None:
    problem = PortfolioProblem(
        capacities={"budget": 10},
        candidates=[PC("M1", 1, mandatory=True, requires=("X",), excludes=("X",)), PC("X", 1)],
    )
    with pytest.raises(ConflictingMandatoryError, match="'M1' both requires and excludes 'X'") as info:
        solve(problem)
    assert info.value.constraint == "excludes M1 / X"


# --- invalid input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("capacities", "period_capacities", "candidates", "message"),
    [
        ({"budget": 1}, {}, [PC("A", 1, requires=("Z",))], "candidate 'A': requires unknown candidate 'Z'"),
        ({"budget": 1}, {}, [PC("A", 1, excludes=("Z",))], "candidate 'A': excludes unknown candidate 'Z'"),
        ({"budget": 1}, {}, [PC("A", 1, requires=("A",))], "candidate 'A': requires itself"),
        ({"budget": 1}, {}, [PC("A", 1, excludes=("A",))], "candidate 'A': excludes itself"),
        ({"budget": 1}, {}, [PC("A", 1, {"budget": -1})], "candidate 'A': cost 'budget' must be >= 0, got -1"),
        ({"budget": 1}, {}, [PC("A", 1, {"staff": 1})], "candidate 'A': cost 'staff' is not a capacity"),
        ({"budget": 1}, {}, [PC("A", 1, {"budget": math.inf})], "candidate 'A': cost 'budget' must be a finite"),
        ({"budget": 1}, {}, [PC("A", 1), PC("A", 2)], "duplicate candidate 'A'"),
        ({"budget": 1}, {}, [PC("", 1)], "candidate ids must be non-empty strings, got ''"),
        ({"budget": 1}, {}, [PC("A", math.nan)], "candidate 'A': value must be a finite number, got nan"),
        ({"budget": 1}, {}, [PC("A", "5")], "candidate 'A': value must be a number, got '5'"),  # type: ignore[arg-type]
        ({"budget": -1}, {}, [PC("A", 1)], "capacity 'budget' must be >= 0, got -1"),
        ({"": 1}, {}, [PC("A", 1)], "capacity names must be non-empty strings, got ''"),
        ({"budget": 1}, {}, [PC("A", 1, starts=())], "candidate 'A': starts must list at least one start period"),
        (
            {"budget": 1},
            {},
            [PC("A", 1, starts=(-1,))],
            "candidate 'A': start periods must be integers >= 0, got -1",
        ),
        (
            {"budget": 1},
            {},
            [PC("A", 1, mandatory=1)],  # type: ignore[arg-type]
            "candidate 'A': mandatory must be true or false, got 1",
        ),
        (
            {},
            {"dev": [1, 1]},
            [PC("A", 1, {"dev": 1})],
            "candidate 'A': cost 'dev' is not a capacity (a time-phased dimension: use the profile)",
        ),
        (
            {"dev": 1},
            {},
            [PC("A", 1, profile={"dev": [1]})],
            "candidate 'A': profile 'dev' is not a time-phased capacity (a flat dimension: use costs)",
        ),
        (
            {},
            {"dev": [1, 1]},
            [PC("A", 1, profile={"dev": [1, 1]}, starts=(0, 1))],
            "candidate 'A': starting in period 1, profile 'dev' needs period 2 but the capacity has only 2 "
            "periods (0..1)",
        ),
        (
            {},
            {"dev": [1, 1]},
            [PC("A", 1, profile={"dev": [1, -1]})],
            "candidate 'A': profile 'dev', period 1 must be >= 0, got -1",
        ),
        ({}, {"dev": [1, -2]}, [PC("A", 1)], "period capacity 'dev', period 1 must be >= 0, got -2"),
        ({"dev": 1}, {"dev": [1]}, [PC("A", 1)], "dimension 'dev' is both a flat and a time-phased capacity"),
        ({}, {"d@v": [1]}, [PC("A", 1)], "time-phased dimension 'd@v': the name must not contain '@'"),
    ],
)
def test_invalid_problems_raise_naming_the_field(
    capacities: dict[str, float], period_capacities: dict[str, list[float]], candidates: list[PC], message: str
) -> None:
    problem = PortfolioProblem(candidates=candidates, capacities=capacities, period_capacities=period_capacities)
    with pytest.raises(InvalidInputError, match="^" + re.escape(message)):
        solve(problem)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"time_limit_s": 0}, "time_limit_s must be > 0, got 0"),
        ({"time_limit_s": math.nan}, "time_limit_s must be a finite number, got nan"),
        ({"workers": 0}, "workers must be an integer >= 1, got 0"),
        ({"workers": True}, "workers must be an integer >= 1, got True"),
        ({"objective": "money"}, "objective must be 'value' or 'count', got 'money'"),
        ({"hint": {"Q": 0}}, "hint names unknown candidate 'Q'"),
    ],
)
def test_invalid_solver_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match="^" + re.escape(message) + "$"):
        solve(KNAPSACK, **kwargs)


def test_not_a_problem_is_refused() -> None:
    with pytest.raises(InvalidInputError, match=r"^expected a PortfolioProblem$"):
        optimise_portfolio({"capacities": {}}, time_limit_s=LIMIT)  # type: ignore[arg-type]


# =========================================================================================
# Portfolio: cross-check against brute-force enumeration
# =========================================================================================


def random_problem(seed: int, *, decimals: int = 0) -> PortfolioProblem:
    """10-12 candidates, 2-3 dimensions, a requirement chain, an exclusion, a must-do and random extras."""
    rng = random.Random(seed)
    n = rng.randint(10, 12)
    dims = [f"d{k}" for k in range(rng.randint(2, 3))]
    ids = [chr(ord("A") + j) for j in range(n)]

    def number(lo: int, hi: int) -> float:
        return rng.randint(lo, hi) if decimals == 0 else round(rng.uniform(lo, hi), decimals)

    costs = [{d: number(0, 9) for d in dims if rng.random() < 0.85} for _ in ids]
    caps = {d: round(sum(c.get(d, 0) for c in costs) * rng.uniform(0.3, 0.6), decimals) for d in dims}
    requires: dict[str, set[str]] = {i: set() for i in ids}
    excludes: dict[str, set[str]] = {i: set() for i in ids}
    x, y, z = rng.sample(ids, 3)
    requires[x].add(y)  # a chain x -> y -> z
    requires[y].add(z)
    u, v = rng.sample(ids, 2)
    excludes[u].add(v)
    for i in ids:
        if rng.random() < 0.15:
            requires[i].add(rng.choice(ids))
        if rng.random() < 0.1:
            excludes[i].add(rng.choice(ids))
        requires[i].discard(i)
        excludes[i].discard(i)
    mandatory = {rng.choice(ids)} | {i for i in ids if rng.random() < 0.05}
    return PortfolioProblem(
        capacities=caps,
        candidates=[
            PC(
                i,
                number(1, 30),
                costs[j],
                mandatory=i in mandatory,
                requires=tuple(sorted(requires[i])),
                excludes=tuple(sorted(excludes[i])),
            )
            for j, i in enumerate(ids)
        ],
    )


def exact(x: float) -> Fraction:
    return Fraction(str(x))  # the decimal the user typed, exactly


def is_feasible(problem: PortfolioProblem, chosen: Mapping[str, int]) -> bool:
    """Independent feasibility check of a selection (candidate -> start period)."""
    for c in problem.candidates:
        if c.mandatory and c.id not in chosen:
            return False
        if c.id in chosen:
            if any(r not in chosen for r in c.requires) or any(x in chosen for x in c.excludes):
                return False
            if chosen[c.id] not in c.starts:
                return False
    for dim, cap in problem.capacities.items():
        if sum(exact(c.costs.get(dim, 0)) for c in problem.candidates if c.id in chosen) > exact(cap):
            return False
    for dim, caps in problem.period_capacities.items():
        load = [Fraction(0)] * len(caps)
        for c in problem.candidates:
            if c.id in chosen:
                for t, w in enumerate(c.profile.get(dim, ())):
                    load[chosen[c.id] + t] += exact(w)
        if any(load[t] > exact(caps[t]) for t in range(len(caps))):
            return False
    return True


def enumerate_portfolios(problem: PortfolioProblem, objective: str = "value") -> list[tuple[Fraction, dict[str, int]]]:
    """Every feasible portfolio (each candidate out, or in at one of its starts) with its objective."""
    options = [[None, *c.starts] for c in problem.candidates]
    out = []
    for combo in itertools.product(*options):
        chosen = {c.id: s for c, s in zip(problem.candidates, combo, strict=True) if s is not None}
        if is_feasible(problem, chosen):
            value = (
                Fraction(len(chosen))
                if objective == "count"
                else sum((exact(c.value) for c in problem.candidates if c.id in chosen), Fraction(0))
            )
            out.append((value, chosen))
    return out


def check_against_enumeration(problem: PortfolioProblem, objective: str = "value") -> str:
    feasible = enumerate_portfolios(problem, objective)
    if not feasible:
        with pytest.raises(ConflictingMandatoryError):
            solve(problem, objective=objective)
        return "conflict"
    r = solve(problem, objective=objective, explain=len(problem.candidates))
    optimum = max(v for v, _ in feasible)
    assert (r.status, exact(r.objective), r.bound, r.gap) == ("optimal", optimum, r.objective, 0.0)
    assert is_feasible(problem, r.starts)
    ids = [c.id for c in problem.candidates]
    assert r.selected == tuple(i for i in ids if i in r.starts)  # input order
    for dim in problem.capacities:
        assert exact(r.usage[dim]) == sum(exact(c.costs.get(dim, 0)) for c in problem.candidates if c.id in r.starts)
    for dim, caps in problem.period_capacities.items():
        for t in range(len(caps)):
            used = sum(
                exact(c.profile[dim][t - r.starts[c.id]])
                for c in problem.candidates
                if c.id in r.starts and dim in c.profile and 0 <= t - r.starts[c.id] < len(c.profile[dim])
            )
            assert exact(r.usage[f"{dim}@{t}"]) == used
    assert sorted(x.id for x in r.rejected) == sorted(set(ids) - set(r.selected))
    for x in r.rejected:
        with_x = [v for v, chosen in feasible if x.id in chosen]
        if with_x:  # the value it lacks: the optimum minus the best portfolio that includes it
            assert x.value_needed is not None and exact(x.value_needed) == optimum - max(with_x), x
            assert x.value_needed_exact
        else:
            assert x.value_needed is None, x
    for b in r.binding:
        assert b.blocked == tuple(x.id for x in r.rejected if b.dimension in x.exceeded)
    return "optimal"


# seeds 3 and 10 draw must-dos that cannot all be selected: no feasible portfolio exists at all
@pytest.mark.parametrize(("seed", "outcome"), [(s, "conflict" if s in (3, 10) else "optimal") for s in range(11)])
def test_random_problems_match_enumeration(seed: int, outcome: str) -> None:
    problem = random_problem(seed)
    # the generator gives every problem a requirement chain, an exclusion and a must-do
    assert any(c.requires for c in problem.candidates) and any(c.excludes for c in problem.candidates)
    assert any(c.mandatory for c in problem.candidates)
    assert check_against_enumeration(problem) == outcome


@pytest.mark.parametrize("seed", [100, 101, 102])
def test_random_decimal_problems_match_enumeration(seed: int) -> None:
    problem = random_problem(seed, decimals=2)
    assert any(exact(c.value).denominator > 1 for c in problem.candidates)
    check_against_enumeration(problem)


@pytest.mark.parametrize("seed", [200, 201, 202])
def test_random_problems_count_objective_match_enumeration(seed: int) -> None:
    check_against_enumeration(random_problem(seed), objective="count")


def random_phased_problem(seed: int) -> PortfolioProblem:
    """7 candidates with a flat budget and a time-phased 'dev' profile over 4-5 periods, with windows."""
    rng = random.Random(seed)
    horizon = rng.randint(4, 5)
    ids = [f"P{j}" for j in range(7)]
    cands = []
    for j, cid in enumerate(ids):
        length = rng.randint(1, 3)
        profile = [rng.randint(0, 3) for _ in range(length)]
        possible = list(range(horizon - length + 1))
        starts = tuple(sorted(rng.sample(possible, min(len(possible), rng.randint(1, 3)))))
        cands.append(
            PC(
                cid,
                rng.randint(1, 20),
                {"budget": rng.randint(0, 5)},
                profile={"dev": profile},
                starts=starts,
                requires=(rng.choice(ids[:j]),) if j and rng.random() < 0.2 else (),
                mandatory=rng.random() < 0.1,
            )
        )
    return PortfolioProblem(
        capacities={"budget": rng.randint(8, 18)},
        period_capacities={"dev": [rng.randint(2, 5) for _ in range(horizon)]},
        candidates=cands,
    )


@pytest.mark.parametrize("seed", range(4))
def test_random_time_phased_problems_match_enumeration(seed: int) -> None:
    problem = random_phased_problem(seed)
    assert any(len(c.starts) > 1 for c in problem.candidates)
    assert check_against_enumeration(problem) == "optimal"


# =========================================================================================
# Efficient frontier
# =========================================================================================


def test_frontier_levels_and_portfolios() -> None:
    # KNAPSACK at budgets 2, 4, 6, 8, 10: d (4); b (7); b + d (11); a + c (16); a + c + d (20)
    points = frontier(KNAPSACK, 5)
    assert [p.budget_fraction for p in points] == [0.2, 0.4, 0.6, 0.8, 1.0]
    assert [(p.status, p.objective, p.bound, p.selected) for p in points] == [
        ("optimal", 4.0, 4.0, ("d",)),
        ("optimal", 7.0, 7.0, ("b",)),
        ("optimal", 11.0, 11.0, ("b", "d")),
        ("optimal", 16.0, 16.0, ("a", "c")),
        ("optimal", 20.0, 20.0, ("a", "c", "d")),
    ]
    assert [dict(p.capacities) for p in points] == [{"budget": float(b)} for b in (2, 4, 6, 8, 10)]
    assert [dict(p.usage) for p in points] == [{"budget": float(b)} for b in (2, 4, 6, 8, 10)]
    assert all(p.message == "" for p in points)


MUST_DO = PortfolioProblem(
    capacities={"budget": 10, "staff": 4},
    candidates=[
        PC("m", 1, {"budget": 5, "staff": 1}, mandatory=True),
        PC("b", 7, {"budget": 4, "staff": 2}),
        PC("c", 6, {"budget": 1, "staff": 3}),
    ],
)


def test_frontier_reports_levels_where_the_must_dos_do_not_fit() -> None:
    # 25 %: budget 2.5 < m's 5 -> infeasible.  50 % (5, 2): m only.  75 % (7.5, 3): m + b costs 9 and
    # m + c needs staff 4: m only.  100 %: m + b (8).
    points = frontier(MUST_DO, 4)
    assert [(p.budget_fraction, p.status, p.objective, p.selected) for p in points] == [
        (0.25, "infeasible", None, ()),
        (0.5, "optimal", 1.0, ("m",)),
        (0.75, "optimal", 1.0, ("m",)),
        (1.0, "optimal", 8.0, ("m", "b")),
    ]
    first = points[0]
    assert (first.bound, dict(first.usage), dict(first.capacities)) == (None, {}, {"budget": 2.5, "staff": 1.0})
    assert (
        first.message == "the must-do candidates do not fit within 'budget': they need 5 but the capacity is 2.5 (m 5)"
    )


def test_frontier_with_low_and_one_dimension() -> None:
    # only the budget is scaled (50 %, 75 %, 100 %), staff stays 4: budget 5 -> m; 7.5 -> m + c (7;
    # budget 6, staff 4); 10 -> m + b (8)
    points = frontier(MUST_DO, 3, low=0.5, dimension="budget")
    assert [p.budget_fraction for p in points] == [0.5, 0.75, 1.0]
    assert [(p.objective, p.selected) for p in points] == [(1.0, ("m",)), (7.0, ("m", "c")), (8.0, ("m", "b"))]
    assert [dict(p.capacities) for p in points] == [
        {"budget": 5.0, "staff": 4.0},
        {"budget": 7.5, "staff": 4.0},
        {"budget": 10.0, "staff": 4.0},
    ]
    assert [p.budget_fraction for p in frontier(MUST_DO, 1, low=0.5)] == [1.0]
    assert [p.budget_fraction for p in frontier(KNAPSACK, 2, low=0)] == [0.0, 1.0]


def test_frontier_scales_a_time_phased_dimension_in_every_period() -> None:
    problem = PortfolioProblem(
        capacities={"budget": 10},
        period_capacities={"dev": [4, 4]},
        candidates=[
            PC("m", 1, {"budget": 2}, profile={"dev": [2, 2]}, mandatory=True),
            PC("x", 5, {"budget": 8}, profile={"dev": [2, 0]}),
        ],
    )
    half, full = frontier(problem, 2, dimension="dev")
    assert dict(half.capacities) == {"budget": 10.0, "dev@0": 2.0, "dev@1": 2.0}
    assert (half.objective, half.selected, full.objective, full.selected) == (1.0, ("m",), 6.0, ("m", "x"))


@pytest.mark.parametrize("seed", [3, 4])
def test_frontier_is_monotone_and_optimal_at_every_level(seed: int) -> None:
    problem = random_problem(seed)
    problem = PortfolioProblem(  # drop the must-dos so that every level is feasible
        capacities=problem.capacities,
        candidates=[PC(c.id, c.value, c.costs, requires=c.requires, excludes=c.excludes) for c in problem.candidates],
    )
    points = frontier(problem, 5)
    assert all(p.status == "optimal" and p.objective is not None for p in points)
    objectives = [float(p.objective or 0) for p in points]
    assert objectives == sorted(objectives)  # non-decreasing
    assert objectives[0] < objectives[-1]
    for p, objective in zip(points, objectives, strict=True):
        scaled = PortfolioProblem(candidates=problem.candidates, capacities=p.capacities)
        assert exact(objective) == max(v for v, _ in enumerate_portfolios(scaled))


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((0,), {}, "n_points must be an integer >= 1, got 0"),
        ((True,), {}, "n_points must be an integer >= 1, got True"),
        ((3,), {"dimension": "staff"}, "unknown dimension 'staff'"),
        ((3,), {"low": 1.5}, "low must be within 0..1, got 1.5"),
        ((3,), {"low": -0.1}, "low must be within 0..1, got -0.1"),
        ((3,), {"low": math.inf}, "low must be a finite number, got inf"),
    ],
)
def test_frontier_rejects_invalid_arguments(args: tuple[Any, ...], kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match="^" + re.escape(message) + "$"):
        efficient_frontier(KNAPSACK, *args, **kwargs)


# =========================================================================================
# Fixed defects (found by these tests)
# =========================================================================================


def test_too_big_candidate_is_not_blamed_on_must_dos() -> None:
    r = solve(PortfolioProblem(capacities={"budget": 10}, candidates=[PC("a", 5, {"budget": 20}), PC("b", 1)]))
    (a,) = r.rejected
    assert (a.value_needed, dict(a.exceeded)) == (None, {"budget": 10.0})
    assert a.reason == "would exceed budget by 10; it does not fit within the capacities even alone"
    assert a.value_needed_exact is False


def test_infeasible_frontier_point_reports_time_phased_capacities() -> None:
    problem = PortfolioProblem(
        period_capacities={"dev": [4, 4]},
        candidates=[PC("m", 1, profile={"dev": [2, 2]}, mandatory=True), PC("x", 5, profile={"dev": [2, 0]})],
    )
    low, high = frontier(problem, 2, low=0.25)  # dev 1 per period: m (2) cannot fit; dev 4: m + x
    assert (low.status, high.status) == ("infeasible", "optimal")
    assert set(low.capacities) == set(high.capacities) == {"dev@0", "dev@1"}
    assert dict(low.capacities) == {"dev@0": 1.0, "dev@1": 1.0}


@pytest.mark.parametrize(("judgement", "typed"), [(3, 0.33), (9, 0.11)])
def test_two_decimal_reciprocals_pass_as_documented(judgement: int, typed: float) -> None:
    r = ahp_weights([[1, judgement], [typed, 1]])
    assert r.consistent
