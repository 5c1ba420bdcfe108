"""Project selection: criteria scoring, AHP weights, portfolio optimisation and the efficient frontier.

Four tools a Project Management Office uses to decide which proposals to fund:

* :func:`score_candidates` -- weighted scoring.  Each :class:`Criterion` is numeric (a measured quantity,
  normalised min-max over the observed values or against a reference scale) or rated (a rating on a
  scale, optionally with labels such as ``low``/``medium``/``high``), with a direction (higher or lower is
  better).  Several evaluators may rate the same candidate: their normalised values are averaged and the
  spread between them (population standard deviation, minimum, maximum) is reported per criterion and
  for the total, so the product can flag the proposals the panel disagrees on.
* :func:`ahp_weights` -- criteria weights from a reciprocal pairwise-comparison matrix (Saaty's analytic
  hierarchy process): principal eigenvector, ``lambda_max``, consistency index and ratio.  A consistency
  ratio above 0.1 is reported as *refused* with an explanation naming the most inconsistent judgement.
* :func:`optimise_portfolio` -- choose the candidates maximising the total value under capacity limits
  per named dimension, must-do candidates, dependencies ("A requires B"), mutual exclusions and optional
  start windows for time-phased costs.  Solved with OR-Tools CP-SAT, warm-started by a greedy heuristic;
  returns a proven bound, the usage per dimension, the binding dimensions and, for rejected candidates,
  what it would take to get them in.
* :func:`efficient_frontier` -- the best value at several budget levels.

**Time-phased costs.**  A dimension in :attr:`PortfolioProblem.period_capacities` (e.g. ``"role:backend"``)
has one limit per period (month 0, 1, ...).  A candidate's :attr:`PortfolioCandidate.profile` gives its
cost in that dimension per period *relative to its start*, and :attr:`PortfolioCandidate.starts` the start
periods it may take (a window); the optimiser picks one, which shifts the whole profile.  Such a
dimension-period is reported as ``"role:backend@3"`` (period 3).  Flat costs
(:attr:`PortfolioCandidate.costs`) do not depend on the start.

**Integer scaling.**  CP-SAT works on integers.  Every capacity row (dimension or dimension-period) is
scaled separately: its costs are multiplied by the smallest power of ten ``10**k`` (``k <= 6``) that makes
all of them whole numbers, then divided by their greatest common divisor; the capacity is scaled the same
way and rounded *down*, which is exact because every scaled cost is a whole number.  The values are scaled
the same way (objective).  So numbers with up to six decimals are handled exactly; numbers with more
decimals (e.g. ``1/3``) are rounded to six decimals and the result carries a note.

**Bound and status.**  ``bound`` is a proven upper bound on the objective: the LP relaxation (GLOP) or,
when CP-SAT got further, CP-SAT's own bound.  ``status`` is ``"optimal"`` when the objective meets it.

**Solving strategy** (:func:`optimise_portfolio`).  (1) LP relaxation with GLOP: bound, dual prices,
reduced costs.  (2) Greedy: must-do candidates first, then candidates by decreasing value per unit of
dual-priced cost (the classic surrogate-duality ratio), each with whatever it requires.  (3) For large
problems (more than ``_CORE_MIN_ITEMS`` free candidates), CP-SAT on *core problems*: the candidates whose LP
value is integral and whose reduced cost is far from zero are fixed at their LP value and CP-SAT optimises
the others (the core, the candidates the LP hesitates about), first a small core then a larger one --
the core concept of Balas & Zemel and Puchinger, Raidl & Pferschy (2010) for knapsack problems.  (4) The
full model, warm-started with the best solution so far, for the remaining time; it supplies the proven
bound.  Small problems go straight to (4).

**What it would take.**  For each rejected candidate the result lists the dimensions that would be
exceeded if it (and what it requires) were added to the selection, and by how much.  For up to
``explain`` rejected candidates (those the LP relaxation finds closest to getting in) the model is
re-solved with the candidate forced in: the drop of the optimum is the value increase the candidate would
need to be chosen (exact when both solves are optimal).  The LP reduced cost gives a cheaper, optimistic
estimate for all of them (``lp_value_needed``), and the LP dual prices of the capacity rows are reported as
shadow prices (value per extra unit of capacity).

The module is pure Python (numpy for AHP, OR-Tools for the optimisation) and knows nothing about Django.
"""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import numpy as np

from pmo.engine.errors import ConflictingMandatoryError, InfeasibleError, InvalidInputError

__all__ = [
    "RANDOM_INDEX",
    "AhpResult",
    "BindingConstraint",
    "CandidateScore",
    "Criterion",
    "CriterionScore",
    "FrontierPoint",
    "PortfolioCandidate",
    "PortfolioObjective",
    "PortfolioProblem",
    "PortfolioResult",
    "PortfolioStatus",
    "Rating",
    "RejectedCandidate",
    "ScoringResult",
    "Spread",
    "ahp_weights",
    "efficient_frontier",
    "optimise_portfolio",
    "score_candidates",
]

PortfolioStatus = Literal["optimal", "feasible", "infeasible"]
PortfolioObjective = Literal["value", "count"]
Direction = Literal["higher", "lower"]
CriterionKind = Literal["numeric", "rated"]


def _check_finite(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInputError(f"{what} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise InvalidInputError(f"{what} must be a finite number, got {value!r}")
    return number


# ---------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    """A scoring criterion.

    ``weight`` is relative (weights are normalised to sum to 1; use :func:`ahp_weights` to derive them).
    ``direction`` says whether higher or lower raw values are better.

    * ``kind="numeric"``: a measured quantity (NPV, cost, months).  Normalised min-max over every value
      entered for the criterion (all candidates, all evaluators), or, when ``scale=(low, high)`` is given,
      against that reference scale (values outside it are clipped).  When all values are equal the
      criterion does not discriminate and every candidate gets 1.
    * ``kind="rated"``: a rating on ``scale`` (default ``(1, 5)``), given as a number or, when ``levels``
      are listed (worst-to-best in the criterion's direction is *not* assumed: level ``k`` is simply the
      rating ``k + 1``), as one of the labels; the scale then defaults to ``(1, len(levels))``.  Ratings
      outside the scale are an error.
    """

    id: str
    weight: float = 1.0
    direction: Direction = "higher"
    kind: CriterionKind = "numeric"
    scale: tuple[float, float] | None = None
    levels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "levels", tuple(self.levels))
        if self.scale is not None:
            object.__setattr__(self, "scale", (float(self.scale[0]), float(self.scale[1])))


@dataclass(frozen=True)
class Rating:
    """One evaluator's value for one candidate on one criterion (a number, or a level label)."""

    candidate: str
    criterion: str
    value: float | str
    evaluator: str = ""


@dataclass(frozen=True)
class Spread:
    """Spread of several values: count, mean, population standard deviation, minimum and maximum."""

    n: int
    mean: float
    stdev: float
    min: float
    max: float


def _spread(values: Sequence[float]) -> Spread:
    return Spread(
        n=len(values),
        mean=statistics.fmean(values),
        stdev=statistics.pstdev(values) if len(values) > 1 else 0.0,
        min=min(values),
        max=max(values),
    )


@dataclass(frozen=True)
class CriterionScore:
    """A candidate's result on one criterion.

    ``raw`` is the spread of the raw values the evaluators entered (ratings as numbers), ``normalised`` the
    mean of their normalised values (0 worst .. 1 best), ``weight`` the normalised weight and
    ``contribution = weight * normalised`` the share of the total.
    """

    criterion: str
    raw: Spread
    normalised: float
    weight: float
    contribution: float


@dataclass(frozen=True)
class CandidateScore:
    """A candidate's total (0..1, the sum of the contributions), its rank (1 = best, ties share a rank),
    its result per criterion, the total each evaluator's own ratings give (criteria an evaluator did not
    rate take the panel mean) and the spread of those evaluator totals."""

    candidate: str
    total: float
    rank: int
    criteria: Mapping[str, CriterionScore]
    evaluator_totals: Mapping[str, float]
    spread: Spread


@dataclass(frozen=True)
class ScoringResult:
    """Scores in ranking order (best first) and the normalised weights used."""

    scores: tuple[CandidateScore, ...]
    weights: Mapping[str, float]

    def by_candidate(self) -> dict[str, CandidateScore]:
        """The scores keyed by candidate id.

        >>> r = score_candidates([Criterion("npv")], [Rating("A", "npv", 1), Rating("B", "npv", 2)])
        >>> sorted(r.by_candidate())
        ['A', 'B']
        """
        return {s.candidate: s for s in self.scores}


def _rating_number(criterion: Criterion, rating: Rating) -> float:
    where = f"candidate {rating.candidate!r}, criterion {criterion.id!r}" + (
        f", evaluator {rating.evaluator!r}" if rating.evaluator else ""
    )
    if isinstance(rating.value, str):
        if criterion.kind != "rated" or not criterion.levels:
            raise InvalidInputError(f"{where}: expected a number, got {rating.value!r}")
        if rating.value not in criterion.levels:
            raise InvalidInputError(f"{where}: unknown level {rating.value!r} (levels: {', '.join(criterion.levels)})")
        return float(criterion.levels.index(rating.value) + 1)
    value = _check_finite(rating.value, where)
    if criterion.kind == "rated":
        low, high = _criterion_scale(criterion)
        if not low <= value <= high:
            raise InvalidInputError(f"{where}: rating {value:g} outside the scale {low:g}..{high:g}")
    return value


def _criterion_scale(criterion: Criterion) -> tuple[float, float]:
    if criterion.scale is not None:
        return criterion.scale
    if criterion.kind == "rated":
        return (1.0, float(len(criterion.levels))) if criterion.levels else (1.0, 5.0)
    raise AssertionError("numeric criteria without a scale use min-max")  # pragma: no cover


def _validate_criteria(criteria: Sequence[Criterion]) -> dict[str, float]:
    if not criteria:
        raise InvalidInputError("at least one criterion is needed")
    seen: set[str] = set()
    for c in criteria:
        if not c.id:
            raise InvalidInputError("criterion id must not be empty")
        if c.id in seen:
            raise InvalidInputError(f"duplicate criterion {c.id!r}")
        seen.add(c.id)
        weight = _check_finite(c.weight, f"criterion {c.id!r}: weight")
        if weight < 0:
            raise InvalidInputError(f"criterion {c.id!r}: weight must be >= 0, got {weight:g}")
        if c.direction not in ("higher", "lower"):
            raise InvalidInputError(f"criterion {c.id!r}: direction must be 'higher' or 'lower', got {c.direction!r}")
        if c.kind not in ("numeric", "rated"):
            raise InvalidInputError(f"criterion {c.id!r}: kind must be 'numeric' or 'rated', got {c.kind!r}")
        if c.levels and c.kind != "rated":
            raise InvalidInputError(f"criterion {c.id!r}: levels are only for rated criteria")
        if len(set(c.levels)) != len(c.levels):
            raise InvalidInputError(f"criterion {c.id!r}: duplicate level labels")
        if c.kind == "rated" and c.scale is None and len(c.levels) == 1:
            raise InvalidInputError(f"criterion {c.id!r}: a rated criterion needs at least two levels")
        if c.scale is not None:
            low = _check_finite(c.scale[0], f"criterion {c.id!r}: scale low")
            high = _check_finite(c.scale[1], f"criterion {c.id!r}: scale high")
            if not low < high:
                raise InvalidInputError(f"criterion {c.id!r}: scale low must be < high, got {low:g}..{high:g}")
    total = sum(float(c.weight) for c in criteria)
    if total <= 0:
        raise InvalidInputError("the criteria weights sum to 0; give at least one criterion a positive weight")
    return {c.id: float(c.weight) / total for c in criteria}


def score_candidates(
    criteria: Sequence[Criterion],
    ratings: Iterable[Rating],
    *,
    candidates: Sequence[str] | None = None,
) -> ScoringResult:
    """Weighted scoring of candidates from several evaluators' ratings.

    Every candidate (those listed in ``candidates``, else those rated, in order of first appearance) must
    have at least one rating on every criterion; an evaluator may rate a candidate on a criterion at most
    once.  Errors raise :class:`~pmo.engine.errors.InvalidInputError` naming the candidate and criterion.

    Worked example: NPV (numeric, weight 3, min-max over 100..300) and risk (rated 1..5, lower is better,
    weight 1).  Weights normalise to 0.75 and 0.25.  A: NPV 300 -> 1.0, risk rated 4 and 2 by two
    evaluators -> normalised (1 - 0.75) and (1 - 0.25), mean 0.5; total 0.75 * 1 + 0.25 * 0.5 = 0.875.
    B: NPV 100 -> 0, risk 1 -> 1; total 0.25.

    >>> crit = [Criterion("npv", weight=3), Criterion("risk", weight=1, direction="lower", kind="rated")]
    >>> ratings = [Rating("A", "npv", 300, "ann"), Rating("B", "npv", 100, "ann"),
    ...            Rating("A", "risk", 4, "ann"), Rating("A", "risk", 2, "bob"), Rating("B", "risk", 1, "ann")]
    >>> result = score_candidates(crit, ratings)
    >>> [(s.candidate, s.rank, round(s.total, 3)) for s in result.scores]
    [('A', 1, 0.875), ('B', 2, 0.25)]
    >>> a = result.scores[0]
    >>> a.criteria["risk"].raw.mean, a.criteria["risk"].raw.stdev, a.criteria["risk"].normalised
    (3.0, 1.0, 0.5)
    >>> {k: round(v, 4) for k, v in a.evaluator_totals.items()}, round(a.spread.stdev, 4)
    ({'ann': 0.8125, 'bob': 0.9375}, 0.0625)
    """
    weights = _validate_criteria(criteria)
    by_id = {c.id: c for c in criteria}
    values: dict[tuple[str, str], dict[str, float]] = {}
    order: list[str] = []
    for rating in ratings:
        if rating.criterion not in by_id:
            raise InvalidInputError(f"candidate {rating.candidate!r}: unknown criterion {rating.criterion!r}")
        if not isinstance(rating.candidate, str) or not rating.candidate:
            raise InvalidInputError(f"criterion {rating.criterion!r}: a rating has no candidate id")
        number = _rating_number(by_id[rating.criterion], rating)
        cell = values.setdefault((rating.candidate, rating.criterion), {})
        if rating.evaluator in cell:
            who = f"evaluator {rating.evaluator!r}" if rating.evaluator else "the anonymous evaluator"
            raise InvalidInputError(
                f"candidate {rating.candidate!r}, criterion {rating.criterion!r}: {who} rated it twice"
            )
        cell[rating.evaluator] = number
        if rating.candidate not in order:
            order.append(rating.candidate)
    if candidates is not None:
        unknown = [c for c in order if c not in candidates]
        if unknown:
            raise InvalidInputError(f"candidate {unknown[0]!r} is rated but not in the candidate list")
        order = list(candidates)
        if len(set(order)) != len(order):
            raise InvalidInputError("duplicate candidate ids in the candidate list")
    if not order:
        raise InvalidInputError("no candidates to score")
    for cand in order:
        for c in criteria:
            if (cand, c.id) not in values:
                raise InvalidInputError(f"candidate {cand!r} has no rating on criterion {c.id!r}")

    # Normalisation per criterion: an affine map to 0..1 (1 = best), clipped for reference scales.
    def normaliser(c: Criterion) -> tuple[float, float, bool]:
        if c.scale is not None or c.kind == "rated":
            low, high = _criterion_scale(c)
            return low, high, True
        every = [v for cand in order for v in values[(cand, c.id)].values()]
        return min(every), max(every), False

    norms = {c.id: normaliser(c) for c in criteria}

    def normalise(c: Criterion, raw: float) -> float:
        low, high, clip = norms[c.id]
        if high == low:
            return 1.0
        x = (raw - low) / (high - low)
        if clip:
            x = min(1.0, max(0.0, x))
        return 1.0 - x if c.direction == "lower" else x

    rows: list[tuple[str, float, dict[str, CriterionScore], dict[str, float], Spread]] = []
    for cand in order:
        per_crit: dict[str, CriterionScore] = {}
        normed: dict[str, dict[str, float]] = {}
        for c in criteria:
            cell = values[(cand, c.id)]
            normed[c.id] = {ev: normalise(c, raw) for ev, raw in cell.items()}
            mean_norm = statistics.fmean(normed[c.id].values())
            per_crit[c.id] = CriterionScore(
                criterion=c.id,
                raw=_spread(list(cell.values())),
                normalised=mean_norm,
                weight=weights[c.id],
                contribution=weights[c.id] * mean_norm,
            )
        total = sum(s.contribution for s in per_crit.values())
        evaluators: list[str] = []
        for c in criteria:
            for ev in values[(cand, c.id)]:
                if ev not in evaluators:
                    evaluators.append(ev)
        ev_totals = {
            ev: sum(weights[c.id] * normed[c.id].get(ev, per_crit[c.id].normalised) for c in criteria)
            for ev in evaluators
        }
        rows.append((cand, total, per_crit, ev_totals, _spread(list(ev_totals.values()))))

    ranked = sorted(range(len(rows)), key=lambda i: (-rows[i][1], i))
    scores: list[CandidateScore] = []
    rank = 0
    previous: float | None = None
    for position, i in enumerate(ranked, start=1):
        cand, total, per_crit, ev_totals, spread = rows[i]
        if previous is None or abs(total - previous) > 1e-12:
            rank = position
            previous = total
        scores.append(
            CandidateScore(
                candidate=cand,
                total=total,
                rank=rank,
                criteria=MappingProxyType(per_crit),
                evaluator_totals=MappingProxyType(ev_totals),
                spread=spread,
            )
        )
    return ScoringResult(scores=tuple(scores), weights=MappingProxyType(weights))


# ---------------------------------------------------------------------------------------
# AHP
# ---------------------------------------------------------------------------------------

#: Saaty's random consistency index RI for n = 1 .. 15 (T. L. Saaty, *The Analytic Hierarchy Process*,
#: 1980; the values for n = 11 .. 15 as extended by Saaty), index ``n - 1``.
RANDOM_INDEX: tuple[float, ...] = (
    0.0,
    0.0,
    0.58,
    0.90,
    1.12,
    1.24,
    1.32,
    1.41,
    1.45,
    1.49,
    1.51,
    1.48,
    1.56,
    1.57,
    1.59,
)
_AHP_THRESHOLD = 0.1
_RECIPROCAL_TOLERANCE = 0.01  # |a_ij * a_ji - 1| allowed: people type 0.33 for 1/3


@dataclass(frozen=True)
class AhpResult:
    """Weights from a pairwise-comparison matrix and its consistency.

    ``weights`` (summing to 1) are the normalised principal eigenvector; ``consistency_index`` is
    ``(lambda_max - n) / (n - 1)`` and ``consistency_ratio`` divides it by Saaty's random index for ``n``
    (0 when ``n <= 2``: such matrices are always consistent).  ``consistent`` is ``consistency_ratio <=
    threshold`` (0.1); otherwise the matrix should be refused and ``explanation`` says why and which
    judgement (``most_inconsistent``, a pair of row/column indices) disagrees most with the derived weights
    and what value (``suggested_value``, ``w_i / w_j``) would fit them.
    """

    weights: tuple[float, ...]
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    consistent: bool
    random_index: float
    labels: tuple[str, ...] = ()
    most_inconsistent: tuple[int, int] | None = None
    suggested_value: float | None = None
    explanation: str = ""

    @property
    def refused(self) -> bool:
        """True when the consistency ratio exceeds the threshold (the product refuses such weights).

        >>> ahp_weights([[1, 2], [0.5, 1]]).refused
        False
        """
        return not self.consistent

    def by_label(self) -> dict[str, float]:
        """The weights keyed by label (labels default to ``"1"`` .. ``"n"``).

        >>> ahp_weights([[1, 3], [1 / 3, 1]], labels=["cost", "risk"]).by_label()
        {'cost': 0.75, 'risk': 0.25}
        """
        return dict(zip(self.labels, self.weights, strict=True))


def ahp_weights(
    matrix: Sequence[Sequence[float]],
    *,
    labels: Sequence[str] | None = None,
    threshold: float = _AHP_THRESHOLD,
) -> AhpResult:
    """Criteria weights from a reciprocal pairwise-comparison matrix (Saaty's eigenvector method).

    ``matrix[i][j]`` says how much more important criterion ``i`` is than ``j`` (1 .. 9 and reciprocals);
    it must be square (``n <= 15``, the extent of the random-index table), positive, with ones on the
    diagonal and ``matrix[j][i] == 1 / matrix[i][j]`` (within 1 %, so ``0.33`` passes for ``1/3``).  Errors
    raise :class:`~pmo.engine.errors.InvalidInputError` naming the cell.

    Worked example: a perfectly consistent matrix built from weights 0.6, 0.3, 0.1 (``a_ij = w_i / w_j``)
    gives those weights back, ``lambda_max = n = 3`` and a consistency ratio of 0.

    >>> r = ahp_weights([[1, 2, 6], [1 / 2, 1, 3], [1 / 6, 1 / 3, 1]], labels=["value", "risk", "fit"])
    >>> [round(w, 6) for w in r.weights], round(r.lambda_max, 6), round(r.consistency_ratio, 6), r.consistent
    ([0.6, 0.3, 0.1], 3.0, 0.0, True)

    An inconsistent one (A > B > C > A) is refused:

    >>> bad = ahp_weights([[1, 3, 1 / 3], [1 / 3, 1, 3], [3, 1 / 3, 1]], labels=["A", "B", "C"])
    >>> bad.consistent, round(bad.consistency_ratio, 2)
    (False, 1.15)
    >>> bad.explanation.split(";")[0]
    'consistency ratio 1.15 exceeds 0.10, the judgements contradict each other'
    >>> ahp_weights([[1, 3], [3, 1]])
    Traceback (most recent call last):
    ...
    pmo.engine.errors.InvalidInputError: matrix cell (1, 2) = 3 and cell (2, 1) = 3 are not reciprocal (expected 0.3333)
    """
    n = len(matrix)
    if n == 0:
        raise InvalidInputError("the comparison matrix is empty")
    if n > len(RANDOM_INDEX):
        raise InvalidInputError(f"at most {len(RANDOM_INDEX)} criteria can be compared, got {n}")
    names = tuple(labels) if labels is not None else tuple(str(i + 1) for i in range(n))
    if len(names) != n:
        raise InvalidInputError(f"{len(names)} labels for a {n}x{n} matrix")
    if len(set(names)) != n:
        raise InvalidInputError("duplicate labels")

    def cell(i: int, j: int) -> str:
        return f"cell ({names[i]}, {names[j]})" if labels is not None else f"cell ({i + 1}, {j + 1})"

    a = np.ones((n, n))
    for i, row in enumerate(matrix):
        if len(row) != n:
            raise InvalidInputError(f"matrix row {names[i]} has {len(row)} entries, expected {n}")
        for j, v in enumerate(row):
            number = _check_finite(v, f"matrix {cell(i, j)}")
            if number <= 0:
                raise InvalidInputError(f"matrix {cell(i, j)} must be positive, got {number:g}")
            a[i, j] = number
    for i in range(n):
        if abs(a[i, i] - 1) > _RECIPROCAL_TOLERANCE:
            raise InvalidInputError(f"matrix {cell(i, i)} is on the diagonal and must be 1, got {a[i, i]:g}")
        for j in range(i + 1, n):
            if abs(a[i, j] * a[j, i] - 1) > _RECIPROCAL_TOLERANCE + 1e-9:  # 3 * 0.33 is 0.99 plus rounding
                raise InvalidInputError(
                    f"matrix {cell(i, j)} = {a[i, j]:g} and {cell(j, i)} = {a[j, i]:g} are not reciprocal "
                    f"(expected {1 / a[i, j]:.4g})"
                )
    if threshold < 0:
        raise InvalidInputError(f"threshold must be >= 0, got {threshold:g}")
    eigenvalues, eigenvectors = np.linalg.eig(a)
    k = int(np.argmax(eigenvalues.real))
    vector = np.abs(eigenvectors[:, k].real)
    weights_arr = vector / vector.sum()
    lam = float(eigenvalues[k].real)
    ci = max(0.0, (lam - n) / (n - 1)) if n > 2 else 0.0
    ri = RANDOM_INDEX[n - 1]
    cr = ci / ri if ri > 0 else 0.0
    weights = tuple(float(w) for w in weights_arr)
    worst: tuple[int, int] | None = None
    suggested: float | None = None
    if n > 2:
        deviation = -1.0
        for i in range(n):
            for j in range(i + 1, n):
                d = abs(math.log(a[i, j] * weights[j] / weights[i]))
                if d > deviation + 1e-12:
                    deviation, worst = d, (i, j)
        if worst is not None:
            suggested = weights[worst[0]] / weights[worst[1]]
    consistent = cr <= threshold
    if consistent:
        explanation = f"consistency ratio {cr:.2f} is within {threshold:.2f}"
    else:
        assert worst is not None and suggested is not None
        i, j = worst
        explanation = (
            f"consistency ratio {cr:.2f} exceeds {threshold:.2f}, the judgements contradict each other; "
            f"the comparison of {names[i]} with {names[j]} ({a[i, j]:.3g}) disagrees most with the derived "
            f"weights, which suggest about {suggested:.3g}: revise it and compare again"
        )
    return AhpResult(
        weights=weights,
        lambda_max=lam,
        consistency_index=ci,
        consistency_ratio=cr,
        consistent=consistent,
        random_index=ri,
        labels=names,
        most_inconsistent=worst,
        suggested_value=suggested,
        explanation=explanation,
    )


# ---------------------------------------------------------------------------------------
# Portfolio: data model
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortfolioCandidate:
    """A candidate project.

    ``costs`` are flat costs per dimension of :attr:`PortfolioProblem.capacities` (budget, headcount...);
    ``profile`` time-phased costs per dimension of :attr:`PortfolioProblem.period_capacities`, one number
    per period counted from the candidate's start, and ``starts`` the start periods it may take (one of
    them is chosen; the default ``(0,)`` pins it to period 0).  ``mandatory`` candidates (must-dos) are
    always selected; ``requires`` lists candidates that must be selected whenever this one is and
    ``excludes`` candidates that cannot be selected together with it.
    """

    id: str
    value: float
    costs: Mapping[str, float] = field(default_factory=dict)
    mandatory: bool = False
    requires: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    profile: Mapping[str, Sequence[float]] = field(default_factory=dict)
    starts: tuple[int, ...] = (0,)

    def __post_init__(self) -> None:
        object.__setattr__(self, "costs", MappingProxyType(dict(self.costs)))
        object.__setattr__(self, "profile", MappingProxyType({k: tuple(v) for k, v in self.profile.items()}))
        object.__setattr__(self, "requires", tuple(self.requires))
        object.__setattr__(self, "excludes", tuple(self.excludes))
        object.__setattr__(self, "starts", tuple(self.starts))


@dataclass(frozen=True)
class PortfolioProblem:
    """Candidates and limits: ``capacities`` for flat dimensions, ``period_capacities`` (one limit per
    period) for time-phased ones.  A dimension is either flat or time-phased, not both."""

    candidates: tuple[PortfolioCandidate, ...]
    capacities: Mapping[str, float] = field(default_factory=dict)
    period_capacities: Mapping[str, Sequence[float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "candidates", tuple(self.candidates))
        object.__setattr__(self, "capacities", MappingProxyType(dict(self.capacities)))
        object.__setattr__(
            self, "period_capacities", MappingProxyType({k: tuple(v) for k, v in self.period_capacities.items()})
        )


@dataclass(frozen=True)
class BindingConstraint:
    """A capacity row that keeps candidates out.

    ``dimension`` is the row's name (``"budget"``, or ``"role:backend@3"`` for period 3 of a time-phased
    dimension); ``blocked`` the rejected candidates that would exceed it if added to the selection;
    ``shadow_price`` the LP dual price: the value one more unit of capacity is worth in the LP relaxation
    (an estimate for the integer problem; 0 when the LP does not find the row tight).
    """

    dimension: str
    capacity: float
    usage: float
    slack: float
    blocked: tuple[str, ...]
    shadow_price: float


@dataclass(frozen=True)
class RejectedCandidate:
    """Why a candidate was left out and what it would take to get in.

    ``exceeded``: the capacity rows that would be exceeded, and by how much, if the candidate (with the
    unselected candidates it requires, ``requires_also``, at their best start) were added to the selection.
    ``conflicts``: selected candidates it excludes or is excluded by.  ``value_needed``: how much its value
    would have to grow for the optimum to include it, found by re-solving with the candidate forced in
    (``None`` when not computed, or when it cannot be selected at all -- then ``reason`` says why);
    ``value_needed_exact`` is true when both solves were proven optimal.  ``lp_value_needed``: the LP
    relaxation's estimate (minus the reduced cost), optimistic and computed for every candidate.
    """

    id: str
    value: float
    exceeded: Mapping[str, float]
    conflicts: tuple[str, ...]
    requires_also: tuple[str, ...]
    value_needed: float | None
    value_needed_exact: bool
    lp_value_needed: float | None
    reason: str


@dataclass(frozen=True)
class PortfolioResult:
    """The outcome of :func:`optimise_portfolio`.

    ``objective`` is the total value of ``selected`` (ids in input order), or their number for the
    ``"count"`` objective; ``bound`` a proven upper bound on the objective and ``gap`` the relative
    distance ``(bound - objective) / |bound|`` (0 when optimal).  ``starts`` gives the chosen start period
    of every selected candidate.  ``usage`` and ``capacities`` are keyed by capacity row (flat dimension, or
    ``"dimension@period"``).  ``binding`` lists the rows that keep candidates out (most blocking first) and
    ``rejected`` every rejected candidate, most promising first.  ``lp_bound`` is the LP relaxation value;
    ``notes`` mention approximations (rounded decimals).
    """

    status: PortfolioStatus
    objective: float
    bound: float
    gap: float
    selected: tuple[str, ...]
    starts: Mapping[str, int]
    usage: Mapping[str, float]
    capacities: Mapping[str, float]
    binding: tuple[BindingConstraint, ...] = ()
    rejected: tuple[RejectedCandidate, ...] = ()
    lp_bound: float | None = None
    solve_time_s: float = 0.0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class FrontierPoint:
    """One point of :func:`efficient_frontier`: the capacities at ``budget_fraction`` of the original
    ones and the best portfolio there (``status`` ``"infeasible"``, ``objective`` ``None`` and nothing
    selected when the must-do candidates do not fit; ``message`` then says why)."""

    budget_fraction: float
    status: PortfolioStatus
    objective: float | None
    bound: float | None
    selected: tuple[str, ...]
    capacities: Mapping[str, float]
    usage: Mapping[str, float]
    message: str = ""


# ---------------------------------------------------------------------------------------
# Portfolio: compilation (validation, integer scaling, must-do closure)
# ---------------------------------------------------------------------------------------

_MAX_DECIMALS = 6
_MAX_SCALED = 2**53


def _decimals(values: Iterable[float]) -> tuple[int, bool]:
    """Smallest k <= 6 such that every value * 10**k is (nearly) whole, and whether that is exact.

    >>> _decimals([1, 2.5, 0.25]), _decimals([600.1, 3]), _decimals([1 / 3])
    ((2, True), (1, True), (6, False))
    """
    vals = [v for v in values if v]
    for k in range(_MAX_DECIMALS + 1):
        p = 10**k
        if all(abs(v * p - round(v * p)) <= 1e-9 * max(1.0, abs(v * p)) for v in vals):
            return k, True
    return _MAX_DECIMALS, False


def _scale_ints(values: Sequence[float]) -> tuple[list[int], int, int, bool]:
    """Values as integers: (ints, 10**k, gcd, exact) with ``value ~= int * gcd / 10**k``."""
    k, exact = _decimals(values)
    p = 10**k
    ints = [round(v * p) for v in values]
    g = 0
    for i in ints:
        g = math.gcd(g, abs(i))
    g = max(g, 1)
    return [i // g for i in ints], p, g, exact


@dataclass
class _Row:
    key: str
    dimension: str
    period: int | None
    capacity: float
    cap_int: int
    p10: int  # original = int * gcd / p10
    gcd: int

    def to_units(self, amount: int) -> float:
        return amount * self.gcd / self.p10


@dataclass
class _Option:
    start: int
    costs: dict[int, int]  # row index -> scaled cost (> 0)


@dataclass
class _Compiled:
    problem: PortfolioProblem
    ids: list[str]
    index: dict[str, int]
    vint: list[int]
    v_p10: int
    v_gcd: int
    options: list[list[_Option]]
    rows: list[_Row]
    requires: list[tuple[int, int]]
    excludes: list[tuple[int, int]]
    mandatory: set[int]
    forbidden: dict[int, str]  # item -> why it can never be selected
    via: dict[int, int]  # must-do closure: item -> the item that requires it
    notes: list[str]

    def value_units(self, amount: float) -> float:
        return amount * self.v_gcd / self.v_p10

    req_of: list[list[int]] = field(default_factory=list)
    excl_of: list[set[int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.req_of = [[] for _ in self.ids]
        for a, b in self.requires:
            self.req_of[a].append(b)
        self.excl_of = [set() for _ in self.ids]
        for a, b in self.excludes:
            self.excl_of[a].add(b)
            self.excl_of[b].add(a)

    def req_closure(self, j: int) -> list[int]:
        """j and everything it requires, transitively (j first)."""
        out = [j]
        seen = {j}
        k = 0
        while k < len(out):
            for b in self.req_of[out[k]]:
                if b not in seen:
                    seen.add(b)
                    out.append(b)
            k += 1
        return out


def _fits_alone(c: _Compiled, j: int) -> bool:
    """Whether j with everything it requires fits the capacities when nothing else is selected (greedy over
    start options, so a time-phased fit may be missed)."""
    load = [0] * len(c.rows)
    for k in c.req_closure(j):
        o = _best_option(c, load, k)
        if o is None:
            return False
        for r, cost in c.options[k][o].costs.items():
            load[r] += cost
    return True


def _why_never(c: _Compiled, j: int) -> str:
    """Why no portfolio can include j (the forced re-solve proved it infeasible)."""
    if c.mandatory and _fits_alone(c, j):
        return "it cannot be selected together with the must-do candidates"
    also = " with what it requires" if len(c.req_closure(j)) > 1 else ""
    return f"it does not fit within the capacities even alone{also}"


def _why_must(c: _Compiled, j: int) -> str:
    """'A' is mandatory / 'C' is required by 'B', which is mandatory."""
    chain = [j]
    while chain[-1] in c.via and len(chain) <= len(c.ids):
        chain.append(c.via[chain[-1]])
    if len(chain) == 1:
        return f"{c.ids[j]!r} is mandatory"
    links = ", required by ".join(repr(c.ids[i]) for i in chain[1:])
    return f"{c.ids[j]!r} is required by {links}, which is mandatory"


def _compile(problem: PortfolioProblem, objective: str) -> _Compiled:
    if objective not in ("value", "count"):
        raise InvalidInputError(f"objective must be 'value' or 'count', got {objective!r}")
    if not isinstance(problem, PortfolioProblem):
        raise InvalidInputError("expected a PortfolioProblem")
    notes: list[str] = []
    flat: dict[str, float] = {}
    for name, cap in problem.capacities.items():
        if not isinstance(name, str) or not name:
            raise InvalidInputError(f"capacity names must be non-empty strings, got {name!r}")
        value = _check_finite(cap, f"capacity {name!r}")
        if value < 0:
            raise InvalidInputError(f"capacity {name!r} must be >= 0, got {value:g}")
        flat[name] = value
    phased: dict[str, tuple[float, ...]] = {}
    for name, caps in problem.period_capacities.items():
        if not isinstance(name, str) or not name:
            raise InvalidInputError(f"period capacity names must be non-empty strings, got {name!r}")
        if name in flat:
            raise InvalidInputError(f"dimension {name!r} is both a flat and a time-phased capacity")
        if "@" in name:
            raise InvalidInputError(f"time-phased dimension {name!r}: the name must not contain '@'")
        vals = []
        for t, cap in enumerate(caps):
            value = _check_finite(cap, f"period capacity {name!r}, period {t}")
            if value < 0:
                raise InvalidInputError(f"period capacity {name!r}, period {t} must be >= 0, got {value:g}")
            vals.append(value)
        phased[name] = tuple(vals)

    ids: list[str] = []
    index: dict[str, int] = {}
    for cand in problem.candidates:
        if not isinstance(cand.id, str) or not cand.id:
            raise InvalidInputError(f"candidate ids must be non-empty strings, got {cand.id!r}")
        if cand.id in index:
            raise InvalidInputError(f"duplicate candidate {cand.id!r}")
        index[cand.id] = len(ids)
        ids.append(cand.id)

    # rows: flat dimensions first (problem order), then dimension-periods
    rows: list[_Row] = []
    row_of: dict[str, int] = {}
    for name, cap in flat.items():
        row_of[name] = len(rows)
        rows.append(_Row(name, name, None, cap, 0, 1, 1))
    for name, caps in phased.items():
        for t, cap in enumerate(caps):
            key = f"{name}@{t}"
            row_of[key] = len(rows)
            rows.append(_Row(key, name, t, cap, 0, 1, 1))

    raw_options: list[list[tuple[int, dict[int, float]]]] = []
    values: list[float] = []
    requires: list[tuple[int, int]] = []
    excl: set[tuple[int, int]] = set()
    mandatory0: list[int] = []
    for j, cand in enumerate(problem.candidates):
        who = f"candidate {cand.id!r}"
        values.append(_check_finite(cand.value, f"{who}: value"))
        if not isinstance(cand.mandatory, bool):
            raise InvalidInputError(f"{who}: mandatory must be true or false, got {cand.mandatory!r}")
        if cand.mandatory:
            mandatory0.append(j)
        flat_costs: dict[int, float] = {}
        for name, cost in cand.costs.items():
            if name not in flat:
                hint = " (a time-phased dimension: use the profile)" if name in phased else ""
                raise InvalidInputError(f"{who}: cost {name!r} is not a capacity{hint}")
            value = _check_finite(cost, f"{who}: cost {name!r}")
            if value < 0:
                raise InvalidInputError(f"{who}: cost {name!r} must be >= 0, got {value:g}")
            if value:
                flat_costs[row_of[name]] = value
        if not cand.starts:
            raise InvalidInputError(f"{who}: starts must list at least one start period")
        starts: list[int] = []
        for s in cand.starts:
            if isinstance(s, bool) or not isinstance(s, int) or s < 0:
                raise InvalidInputError(f"{who}: start periods must be integers >= 0, got {s!r}")
            if s not in starts:
                starts.append(s)
        profile: dict[str, tuple[float, ...]] = {}
        for name, series in cand.profile.items():
            if name not in phased:
                hint = " (a flat dimension: use costs)" if name in flat else ""
                raise InvalidInputError(f"{who}: profile {name!r} is not a time-phased capacity{hint}")
            vals = []
            for t, cost in enumerate(series):
                value = _check_finite(cost, f"{who}: profile {name!r}, period {t}")
                if value < 0:
                    raise InvalidInputError(f"{who}: profile {name!r}, period {t} must be >= 0, got {value:g}")
                vals.append(value)
            profile[name] = tuple(vals)
        opts: list[tuple[int, dict[int, float]]] = []
        for s in starts:
            costs = dict(flat_costs)
            for name, series in profile.items():
                horizon = len(phased[name])
                for t, cost in enumerate(series):
                    if not cost:
                        continue
                    if s + t >= horizon:
                        raise InvalidInputError(
                            f"{who}: starting in period {s}, profile {name!r} needs period {s + t} but the "
                            f"capacity has only {horizon} periods (0..{horizon - 1})"
                        )
                    costs[row_of[f"{name}@{s + t}"]] = cost
            opts.append((s, costs))
        if not profile and len(opts) > 1:
            opts = opts[:1]  # the start does not matter without a profile
        raw_options.append(opts)
        for other in cand.requires:
            if other not in index:
                raise InvalidInputError(f"{who}: requires unknown candidate {other!r}")
            if other == cand.id:
                raise InvalidInputError(f"{who}: requires itself")
            pair = (j, index[other])
            if pair not in requires:
                requires.append(pair)
        for other in cand.excludes:
            if other not in index:
                raise InvalidInputError(f"{who}: excludes unknown candidate {other!r}")
            if other == cand.id:
                raise InvalidInputError(f"{who}: excludes itself")
            k = index[other]
            excl.add((min(j, k), max(j, k)))

    # integer scaling, per row
    per_row: list[list[float]] = [[] for _ in rows]
    for opts in raw_options:
        for _, costs in opts:
            for r, cost in costs.items():
                per_row[r].append(cost)
    scaled_cost: dict[tuple[int, float], int] = {}
    for r, row in enumerate(rows):
        distinct = sorted(set(per_row[r]))
        ints, p10, g, exact = _scale_ints(distinct)
        row.p10, row.gcd = p10, g
        x = row.capacity * p10 / g
        row.cap_int = math.floor(x + 1e-9 * max(1.0, abs(x)))
        if not exact:
            notes.append(f"costs on {row.key!r} have more than {_MAX_DECIMALS} decimals and were rounded")
        if sum(ints) > _MAX_SCALED or row.cap_int > _MAX_SCALED:
            raise InvalidInputError(f"capacity {row.key!r}: numbers too large or too precise to scale to integers")
        for v, i in zip(distinct, ints, strict=True):
            scaled_cost[(r, v)] = i
    options = [
        [_Option(s, {r: scaled_cost[(r, v)] for r, v in costs.items() if scaled_cost[(r, v)]}) for s, costs in opts]
        for opts in raw_options
    ]
    if objective == "count":
        vint, v_p10, v_gcd = [1] * len(ids), 1, 1
    else:
        vint, v_p10, v_gcd, exact = _scale_ints(values)
        if not exact:
            notes.append(f"values have more than {_MAX_DECIMALS} decimals and were rounded")
        if sum(abs(v) for v in vint) > _MAX_SCALED:
            raise InvalidInputError("candidate values are too large or too precise to scale to integers")

    c = _Compiled(
        problem=problem,
        ids=ids,
        index=index,
        vint=vint,
        v_p10=v_p10,
        v_gcd=v_gcd,
        options=options,
        rows=rows,
        requires=requires,
        excludes=sorted(excl),
        mandatory=set(),
        forbidden={},
        via={},
        notes=notes,
    )
    # must-do closure under "requires"
    must: list[int] = list(mandatory0)
    seen = set(must)
    k = 0
    while k < len(must):
        for b in c.req_of[must[k]]:
            if b not in seen:
                seen.add(b)
                c.via[b] = must[k]
                must.append(b)
        k += 1
    c.mandatory = seen
    for a, b in c.excludes:
        if a in seen and b in seen:
            if b in c.req_of[a] or a in c.req_of[b]:
                x, y = (a, b) if b in c.req_of[a] else (b, a)
                detail = f"{ids[x]!r} both requires and excludes {ids[y]!r}"
            else:
                detail = f"{ids[a]!r} and {ids[b]!r} exclude each other"
            raise ConflictingMandatoryError(
                f"the must-do candidates conflict through an exclusion: {detail}, but {_why_must(c, a)} and "
                f"{_why_must(c, b)}",
                constraint=f"excludes {ids[a]} / {ids[b]}",
                candidates=(ids[a], ids[b]),
            )
    # candidates that can never be selected
    for a, b in c.excludes:
        for x, y in ((a, b), (b, a)):
            if x in seen and y not in c.forbidden:
                c.forbidden[y] = f"excluded by {ids[x]!r}, which must be selected ({_why_must(c, x)})"
    changed = True
    while changed:
        changed = False
        for a, b in c.requires:
            if b in c.forbidden and a not in c.forbidden:
                c.forbidden[a] = f"requires {ids[b]!r}, which cannot be selected ({c.forbidden[b]})"
                changed = True
    return c


# ---------------------------------------------------------------------------------------
# Portfolio: must-do feasibility, LP relaxation, greedy
# ---------------------------------------------------------------------------------------

Assignment = dict[int, int]  # selected item -> option index


def _load_of(c: _Compiled, assign: Assignment) -> list[int]:
    load = [0] * len(c.rows)
    for j, o in assign.items():
        for r, cost in c.options[j][o].costs.items():
            load[r] += cost
    return load


def _fits(c: _Compiled, load: list[int], option: _Option) -> bool:
    return all(load[r] + cost <= c.rows[r].cap_int for r, cost in option.costs.items())


def _best_option(c: _Compiled, load: list[int], j: int) -> int | None:
    """The fitting option of j that leaves the lowest peak relative load (first one on ties)."""
    best: tuple[float, int] | None = None
    for o, option in enumerate(c.options[j]):
        if not _fits(c, load, option):
            continue
        peak = max(((load[r] + cost) / max(1, c.rows[r].cap_int) for r, cost in option.costs.items()), default=0.0)
        if best is None or peak < best[0] - 1e-12:
            best = (peak, o)
    return None if best is None else best[1]


def _overload_message(c: _Compiled, r: int, members: Sequence[int], amounts: Mapping[int, int]) -> str:
    row = c.rows[r]
    parts = ", ".join(f"{c.ids[j]} {_fmt(row.to_units(amounts[j]))}" for j in members if amounts.get(j))
    need = row.to_units(sum(amounts.get(j, 0) for j in members))
    return f"{row.key!r}: they need {_fmt(need)} but the capacity is {_fmt(row.capacity)} ({parts})"


def _fmt(x: float) -> str:
    return f"{x:.6g}" if abs(x) < 1e15 else f"{x:.3e}"


def _must_do_assignment(c: _Compiled, workers: int, seed: int, time_limit_s: float) -> Assignment:
    """Options for the must-do candidates such that they fit together; raises ConflictingMandatoryError."""
    must = sorted(c.mandatory)
    if not must:
        return {}
    # a row the must-dos overload whatever their starts
    for r, row in enumerate(c.rows):
        amounts = {j: min(o.costs.get(r, 0) for o in c.options[j]) for j in must}
        if sum(amounts.values()) > row.cap_int:
            involved = [j for j in must if amounts[j]]
            raise ConflictingMandatoryError(
                "the must-do candidates do not fit within " + _overload_message(c, r, involved, amounts),
                constraint=row.key,
                candidates=tuple(c.ids[j] for j in involved),
            )
    # greedy: fixed-start items first, then the others by decreasing size
    order = sorted(must, key=lambda j: (len(c.options[j]) > 1, -sum(c.options[j][0].costs.values()), j))
    load = [0] * len(c.rows)
    assign: Assignment = {}
    for j in order:
        o = _best_option(c, load, j)
        if o is None:
            break
        assign[j] = o
        for r, cost in c.options[j][o].costs.items():
            load[r] += cost
    else:
        return assign
    # start choices make it a search: minimise the number of overloaded rows with CP-SAT
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    ys = {(j, o): model.new_bool_var(f"y{j}_{o}") for j in must for o in range(len(c.options[j]))}
    for j in must:
        model.add_exactly_one([ys[(j, o)] for o in range(len(c.options[j]))])
    over: dict[int, Any] = {}
    for r, row in enumerate(c.rows):
        terms = [(ys[(j, o)], opt.costs[r]) for j in must for o, opt in enumerate(c.options[j]) if r in opt.costs]
        if not terms or sum(w for _, w in terms) <= row.cap_int:
            continue
        over[r] = model.new_bool_var(f"over{r}")
        big = sum(w for _, w in terms)
        model.add(
            cp_model.LinearExpr.weighted_sum([v for v, _ in terms], [w for _, w in terms])
            <= row.cap_int + big * over[r]
        )
    model.minimize(sum(over.values()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.5, time_limit_s)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise InfeasibleError("could not find start periods that fit the must-do candidates in the time limit")
    assign = {j: o for (j, o), y in ys.items() if solver.value(y)}
    broken = [r for r, v in over.items() if solver.value(v)]
    if not broken:
        return assign
    r = broken[0]
    amounts = {j: c.options[j][assign[j]].costs.get(r, 0) for j in must}
    involved = [j for j in must if amounts[j]]
    more = f" (and {len(broken) - 1} more period(s))" if len(broken) > 1 else ""
    raise ConflictingMandatoryError(
        "the must-do candidates do not fit whatever their start periods: at best "
        + _overload_message(c, r, involved, amounts)
        + more,
        constraint=c.rows[r].key,
        candidates=tuple(c.ids[j] for j in involved),
    )


@dataclass
class _Lp:
    bound: float  # in scaled objective units
    x: list[float]
    y: list[list[float]]
    duals: list[float]  # per row: scaled value per scaled capacity unit
    rc: list[float]  # per item: reduced cost of selecting it (<= 0 for items the LP leaves out)


def _solve_lp(c: _Compiled, extra_fixed: Mapping[int, int] | None = None) -> _Lp | None:
    """LP relaxation with GLOP on the scaled integer model (None if GLOP is unavailable or fails)."""
    from ortools.linear_solver import pywraplp

    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return None
    inf = solver.infinity()
    n = len(c.ids)
    xs = []
    for j in range(n):
        lo = 1.0 if j in c.mandatory else 0.0
        hi = 0.0 if j in c.forbidden else 1.0
        if extra_fixed is not None and j in extra_fixed:
            lo = hi = float(extra_fixed[j])
        xs.append(solver.NumVar(lo, hi, f"x{j}"))
    ys: list[list[Any]] = []
    for j in range(n):
        if len(c.options[j]) == 1:
            ys.append([xs[j]])
            continue
        yj = [solver.NumVar(0.0, 1.0, f"y{j}_{o}") for o in range(len(c.options[j]))]
        link = solver.Constraint(0.0, 0.0)
        for y in yj:
            link.SetCoefficient(y, 1.0)
        link.SetCoefficient(xs[j], -1.0)
        ys.append(yj)
    cons: list[Any] = []
    for row in c.rows:
        cons.append(solver.Constraint(-inf, float(row.cap_int)))
    for j in range(n):
        for o, option in enumerate(c.options[j]):
            for r, cost in option.costs.items():
                cons[r].SetCoefficient(ys[j][o], float(cost))
    for a, b in c.requires:
        ct = solver.Constraint(-inf, 0.0)
        ct.SetCoefficient(xs[a], 1.0)
        ct.SetCoefficient(xs[b], -1.0)
    for a, b in c.excludes:
        ct = solver.Constraint(-inf, 1.0)
        ct.SetCoefficient(xs[a], 1.0)
        ct.SetCoefficient(xs[b], 1.0)
    obj = solver.Objective()
    for j in range(n):
        obj.SetCoefficient(xs[j], float(c.vint[j]))
    obj.SetMaximization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    return _Lp(
        bound=float(obj.Value()),
        x=[v.solution_value() for v in xs],
        y=[[v.solution_value() for v in yj] for yj in ys],
        duals=[ct.dual_value() for ct in cons],
        rc=[v.reduced_cost() for v in xs],
    )


def _greedy(c: _Compiled, base: Assignment, lp: _Lp | None) -> Assignment:
    """Must-do candidates, then the others by decreasing value per unit of (dual-priced) cost."""
    assign = dict(base)
    load = _load_of(c, assign)
    use_duals = lp is not None and any(d > 1e-9 for d in lp.duals)

    def unit_cost(j: int) -> float:
        best = math.inf
        for option in c.options[j]:
            if use_duals:
                assert lp is not None
                cost = sum(lp.duals[r] * w for r, w in option.costs.items())
            else:
                cost = sum(w / max(1, c.rows[r].cap_int) for r, w in option.costs.items())
            best = min(best, cost)
        return best

    def ratio(j: int) -> float:
        cost = unit_cost(j)
        return c.vint[j] / cost if cost > 1e-12 else math.inf * (1 if c.vint[j] > 0 else -1)

    candidates = [j for j in range(len(c.ids)) if j not in assign and j not in c.forbidden and c.vint[j] > 0]
    candidates.sort(key=lambda j: (-ratio(j), -c.vint[j], j))
    for j in candidates:
        if j in assign:
            continue
        group = [i for i in c.req_closure(j) if i not in assign]
        if any(i in c.forbidden for i in group) or sum(c.vint[i] for i in group) <= 0:
            continue
        members = set(group) | set(assign)
        if any(k in members for i in group for k in c.excl_of[i]):
            continue
        placed: Assignment = {}
        trial = list(load)
        for i in group:
            o = _best_option(c, trial, i)
            if o is None:
                break
            placed[i] = o
            for r, cost in c.options[i][o].costs.items():
                trial[r] += cost
        else:
            assign.update(placed)
            load = trial
    return assign


# ---------------------------------------------------------------------------------------
# Portfolio: CP-SAT
# ---------------------------------------------------------------------------------------


@dataclass
class _CpOutcome:
    status: str  # "optimal", "feasible", "infeasible", "unknown"
    assign: Assignment | None
    objective: int | None
    bound: float | None


def _solve_cpsat(
    c: _Compiled,
    *,
    time_limit_s: float,
    workers: int,
    seed: int,
    free: set[int] | None = None,
    fixed: Mapping[int, int] | None = None,
    hint: Mapping[int, int] | None = None,
    force: int | None = None,
) -> _CpOutcome:
    """Solve the model (``free`` None: every candidate; else only ``free`` ones, the others as ``fixed``,
    item -> option, absent = not selected).  ``force`` selects one candidate (and what it requires)."""
    from ortools.sat.python import cp_model

    model = cp_model.CpModel()
    n = len(c.ids)
    fixed = fixed or {}
    sel: list[list[tuple[Any, int]]] = [[] for _ in range(n)]  # (literal, option) pairs per variable item
    const: dict[int, int] = {}  # constant items: item -> option (selected) or -1
    forced = set(c.req_closure(force)) if force is not None else set()
    for j in range(n):
        must = j in c.mandatory or j in forced
        if j in c.forbidden:
            const[j] = -1
        elif len(c.options[j]) == 1 and must:
            const[j] = 0
        elif free is not None and j not in free and (j in fixed or not must):
            const[j] = fixed.get(j, -1)
        else:
            sel[j] = [(model.new_bool_var(f"y{j}_{o}"), o) for o in range(len(c.options[j]))]
            lits = [lit for lit, _ in sel[j]]
            if must:
                model.add_exactly_one(lits)
            elif len(lits) > 1:
                model.add_at_most_one(lits)

    def expr(j: int) -> Any:
        return sum(lit for lit, _ in sel[j]) if len(sel[j]) > 1 else sel[j][0][0]

    for j in forced:
        if const.get(j, 0) == -1:
            return _CpOutcome("infeasible", None, None, None)
    fixed_load = [0] * len(c.rows)
    row_vars: list[list[Any]] = [[] for _ in c.rows]
    row_coefs: list[list[int]] = [[] for _ in c.rows]
    for j in range(n):
        if j in const:
            if const[j] >= 0:
                for r, cost in c.options[j][const[j]].costs.items():
                    fixed_load[r] += cost
            continue
        for lit, o in sel[j]:
            for r, cost in c.options[j][o].costs.items():
                row_vars[r].append(lit)
                row_coefs[r].append(cost)
    for r, row in enumerate(c.rows):
        rhs = row.cap_int - fixed_load[r]
        if rhs < 0:
            return _CpOutcome("infeasible", None, None, None)
        if row_vars[r] and sum(row_coefs[r]) > rhs:
            model.add(cp_model.LinearExpr.weighted_sum(row_vars[r], row_coefs[r]) <= rhs)
    for a, b in c.requires:
        ca, cb = const.get(a), const.get(b)
        if ca is not None and cb is not None:
            if ca >= 0 and cb < 0:
                return _CpOutcome("infeasible", None, None, None)
        elif ca is None and cb is None:
            model.add(expr(a) <= expr(b))
        elif ca is None:
            if cb is not None and cb < 0:
                model.add(expr(a) == 0)
        elif ca >= 0:
            model.add(expr(b) == 1)
    for a, b in c.excludes:
        ca, cb = const.get(a), const.get(b)
        if ca is not None and cb is not None:
            if ca >= 0 and cb >= 0:
                return _CpOutcome("infeasible", None, None, None)
        elif ca is None and cb is None:
            model.add(expr(a) + expr(b) <= 1)
        elif ca is None:
            if cb is not None and cb >= 0:
                model.add(expr(a) == 0)
        elif ca >= 0:
            model.add(expr(b) == 0)
    base = sum(c.vint[j] for j, o in const.items() if o >= 0)
    obj_vars = [lit for j in range(n) for lit, _ in sel[j]]
    obj_coefs = [c.vint[j] for j in range(n) for _ in sel[j]]
    model.maximize(cp_model.LinearExpr.weighted_sum(obj_vars, obj_coefs) if obj_vars else 0)
    if hint is not None:
        for j in range(n):
            for lit, o in sel[j]:
                model.add_hint(lit, hint.get(j, -1) == o)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.01, time_limit_s)
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    for key, value in _CP_PARAMS.items():
        if key == "dtime_per_second":
            solver.parameters.max_deterministic_time = max(0.01, time_limit_s) * value
            solver.parameters.max_time_in_seconds = 10 * max(1.0, time_limit_s)
        elif isinstance(value, list):
            getattr(solver.parameters, key).extend(value)
        else:
            setattr(solver.parameters, key, value)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return _CpOutcome("infeasible", None, None, None)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _CpOutcome("unknown", None, None, None)
    assign = {j: o for j, o in const.items() if o >= 0}
    for j in range(n):
        for lit, o in sel[j]:
            if solver.value(lit):
                assign[j] = o
    objective = base + round(solver.objective_value)
    bound = base + float(solver.best_objective_bound)
    return _CpOutcome("optimal" if status == cp_model.OPTIMAL else "feasible", assign, objective, bound)


def _value(c: _Compiled, assign: Assignment) -> int:
    return sum(c.vint[j] for j in assign)


# Core problems: used when more than _CORE_MIN_ITEMS candidates are free; (core size, share of the time).
# Small cores pay off most where many limits make the full model hard (OR-Library mknapcb, 30 x 100:
# mean gap to Chu & Beasley 0.20 % -> 0.12 % on ten instances at 10 s, bench/bench_mknap.py).
_CORE_MIN_ITEMS = 60
_CORE_PHASES: tuple[tuple[int, float], ...] = ((35, 0.3), (60, 0.4))
_EPS = 1e-6
_CP_PARAMS: dict[str, Any] = {}  # extra CP-SAT parameters (tuning experiments)


def _core_fixing(c: _Compiled, lp: _Lp, free_items: list[int]) -> tuple[list[int], Assignment]:
    """Free items ordered for the core (fractional first, then by |reduced cost|) and the LP-integral
    assignment of the others."""
    fractional: list[int] = []
    fixed: Assignment = {}
    for j in free_items:
        ys = lp.y[j]
        if any(_EPS < y < 1 - _EPS for y in ys):
            fractional.append(j)
        elif lp.x[j] > 1 - _EPS:
            fixed[j] = max(range(len(ys)), key=lambda o: ys[o])
    rest = [j for j in free_items if j not in set(fractional)]
    rest.sort(key=lambda j: (abs(lp.rc[j]), j))
    return fractional + rest, fixed


def _search(
    c: _Compiled,
    *,
    base: Assignment,
    lp: _Lp | None,
    hint: Assignment | None,
    deadline: float,
    workers: int,
    seed: int,
) -> tuple[Assignment, float, bool]:
    """Best assignment found, proven bound (scaled units) and whether it is proven optimal."""
    best = _greedy(c, base, lp)
    if hint is not None and _valid(c, hint) and _value(c, hint) > _value(c, best):
        best = dict(hint)
    lp_bound = math.floor(lp.bound + 1e-6 * max(1.0, abs(lp.bound))) if lp is not None else math.inf
    if _value(c, best) >= lp_bound:
        return best, float(lp_bound), True
    free_items = [
        j for j in range(len(c.ids)) if j not in c.forbidden and not (j in c.mandatory and len(c.options[j]) == 1)
    ]
    if lp is not None and len(free_items) > _CORE_MIN_ITEMS:
        order, lp_fixed = _core_fixing(c, lp, free_items)
        start = time.perf_counter()
        total = max(0.0, deadline - start)
        for size, share in _CORE_PHASES:
            if size >= len(order):
                break
            core = set(order[: max(size, sum(1 for j in order if any(_EPS < y < 1 - _EPS for y in lp.y[j])))])
            budget = min(share * total, deadline - time.perf_counter())
            if budget <= 0.05:
                break
            out = _solve_cpsat(
                c,
                time_limit_s=budget,
                workers=workers,
                seed=seed,
                free=core,
                fixed=lp_fixed,
                hint=best,
            )
            if out.assign is not None and _value(c, out.assign) > _value(c, best):
                best = out.assign
            if _value(c, best) >= lp_bound:
                return best, float(lp_bound), True
    remaining = deadline - time.perf_counter()
    out = _solve_cpsat(c, time_limit_s=max(0.05, remaining), workers=workers, seed=seed, hint=best)
    bound = float(lp_bound)
    if out.assign is not None and _value(c, out.assign) > _value(c, best):
        best = out.assign
    if out.bound is not None:
        bound = min(bound, math.floor(out.bound + 1e-9))
    if out.status == "optimal":
        bound = min(bound, float(_value(c, best)))
    bound = max(bound, float(_value(c, best)))
    return best, bound, _value(c, best) >= bound


def _valid(c: _Compiled, assign: Mapping[int, int]) -> bool:
    if any(j in c.forbidden for j in assign) or any(j not in assign for j in c.mandatory):
        return False
    if any(not 0 <= o < len(c.options[j]) for j, o in assign.items()):
        return False
    load = _load_of(c, dict(assign))
    if any(load[r] > row.cap_int for r, row in enumerate(c.rows)):
        return False
    if any(a in assign and b not in assign for a, b in c.requires):
        return False
    return not any(a in assign and b in assign for a, b in c.excludes)


# ---------------------------------------------------------------------------------------
# Portfolio: explanations
# ---------------------------------------------------------------------------------------


def _shadow_price(c: _Compiled, lp: _Lp | None, r: int) -> float:
    if lp is None:
        return 0.0
    row = c.rows[r]
    price = lp.duals[r] * (c.v_gcd / c.v_p10) / (row.gcd / row.p10)
    return price if abs(price) > 1e-9 else 0.0


def _least_overflow(c: _Compiled, load: list[int], j: int) -> int:
    """The option of j that overflows the capacities least (relative to each capacity)."""

    def overflow(o: int) -> tuple[float, int]:
        total = sum(
            max(0, load[r] + w - c.rows[r].cap_int) / max(1, c.rows[r].cap_int)
            for r, w in c.options[j][o].costs.items()
        )
        return total, o

    return min(range(len(c.options[j])), key=overflow)


def _explain(
    c: _Compiled,
    best: Assignment,
    lp: _Lp | None,
    proven: bool,
    explain: int,
    per_solve_s: float,
    workers: int,
    seed: int,
) -> tuple[list[RejectedCandidate], list[BindingConstraint], Assignment | None]:
    """Rejected candidates and binding rows; returns a better assignment if a forced re-solve found one."""
    load = _load_of(c, best)
    best_value = _value(c, best)
    facts: dict[int, dict[str, Any]] = {}
    for j in range(len(c.ids)):
        if j in best:
            continue
        lp_needed = None if lp is None else c.value_units(max(0.0, -lp.rc[j]))
        if lp_needed is not None and abs(lp_needed) < 1e-9:
            lp_needed = 0.0
        if j in c.forbidden:
            facts[j] = {"exceeded": {}, "conflicts": (), "also": (), "lp": None, "forbidden": c.forbidden[j]}
            continue
        group = [i for i in c.req_closure(j) if i not in best]
        conflicts = sorted({k for i in group for k in c.excl_of[i] if k in best})
        trial = list(load)
        for i in group:
            o = _least_overflow(c, trial, i)
            for r, w in c.options[i][o].costs.items():
                trial[r] += w
        exceeded = {
            c.rows[r].key: c.rows[r].to_units(trial[r]) - c.rows[r].capacity
            for r in range(len(c.rows))
            if trial[r] > c.rows[r].cap_int and trial[r] != load[r]
        }
        facts[j] = {
            "exceeded": exceeded,
            "conflicts": tuple(c.ids[k] for k in conflicts),
            "also": tuple(c.ids[i] for i in group[1:]),
            "lp": lp_needed,
            "forbidden": None,
        }
    # re-solve with the most promising candidates forced in
    chosen = sorted(
        (j for j in facts if facts[j]["forbidden"] is None),
        key=lambda j: (facts[j]["lp"] if facts[j]["lp"] is not None else math.inf, -c.vint[j], j),
    )[: max(0, explain)]
    needed: dict[int, tuple[float | None, bool, str]] = {}
    better: Assignment | None = None
    for j in chosen:
        out = _solve_cpsat(c, time_limit_s=per_solve_s, workers=workers, seed=seed, force=j, hint=best)
        if out.status == "infeasible":
            needed[j] = (None, False, _why_never(c, j))
        elif out.assign is None:
            needed[j] = (None, False, "no portfolio including it was found within the time limit")
        else:
            forced_value = _value(c, out.assign)
            if forced_value > best_value and (better is None or forced_value > _value(c, better)):
                better = out.assign
            gap = max(0, best_value - forced_value)
            needed[j] = (c.value_units(gap), proven and out.status == "optimal", "")
    rejected: list[RejectedCandidate] = []
    for j, f in facts.items():
        parts: list[str] = []
        value_needed: float | None = None
        exact = False
        if f["forbidden"] is not None:
            parts.append(f"cannot be selected: {f['forbidden']}")
        else:
            if f["conflicts"]:
                parts.append("conflicts with selected " + ", ".join(repr(x) for x in f["conflicts"]))
            if f["exceeded"]:
                parts.append(
                    "would exceed "
                    + ", ".join(f"{k} by {_fmt(v)}" for k, v in sorted(f["exceeded"].items(), key=lambda kv: -kv[1]))
                )
            if f["also"]:
                parts.append("needs " + ", ".join(repr(x) for x in f["also"]) + " too")
            if j in needed:
                value_needed, exact, note = needed[j]
                if note:
                    parts.append(note)
                elif value_needed is not None and value_needed <= 0:
                    parts.append("an equally good portfolio includes it")
                elif value_needed is not None:
                    approx = "" if exact else "about "
                    parts.append(f"its value would need to rise by {approx}{_fmt(value_needed)} to get in")
            elif f["lp"] is not None:
                parts.append(f"the LP relaxation says its value would need to rise by at least {_fmt(f['lp'])}")
        rejected.append(
            RejectedCandidate(
                id=c.ids[j],
                value=c.value_units(c.vint[j]),
                exceeded=MappingProxyType(dict(f["exceeded"])),
                conflicts=f["conflicts"],
                requires_also=f["also"],
                value_needed=value_needed,
                value_needed_exact=exact,
                lp_value_needed=f["lp"],
                reason="; ".join(parts) if parts else "not worth its costs",
            )
        )
    rejected.sort(
        key=lambda r: (
            r.value_needed is None,
            r.value_needed if r.value_needed is not None else 0.0,
            r.lp_value_needed if r.lp_value_needed is not None else math.inf,
            -r.value,
            c.index[r.id],
        )
    )
    binding: list[BindingConstraint] = []
    for r, row in enumerate(c.rows):
        blocked = tuple(x.id for x in rejected if row.key in x.exceeded)
        if not blocked:
            continue
        usage = row.to_units(load[r])
        binding.append(
            BindingConstraint(
                dimension=row.key,
                capacity=row.capacity,
                usage=usage,
                slack=row.capacity - usage,
                blocked=blocked,
                shadow_price=_shadow_price(c, lp, r),
            )
        )
    binding.sort(key=lambda b: -len(b.blocked))  # stable: rows in problem order otherwise
    return rejected, binding, better


# ---------------------------------------------------------------------------------------
# Portfolio: public entry points
# ---------------------------------------------------------------------------------------


def optimise_portfolio(
    problem: PortfolioProblem,
    *,
    time_limit_s: float = 10.0,
    objective: PortfolioObjective = "value",
    workers: int = 2,
    seed: int = 0,
    explain: int = 10,
    explain_time_limit_s: float | None = None,
    hint: Mapping[str, int] | None = None,
) -> PortfolioResult:
    """Choose the candidates maximising the total value (``objective="count"``: their number) within the
    capacities, with every must-do candidate, every requirement and no excluded pair.

    ``time_limit_s`` bounds the search (LP, greedy, CP-SAT); the explanation of rejected candidates then
    re-solves the model for at most ``explain`` of them, each within ``explain_time_limit_s`` (default
    ``min(1, time_limit_s / 10)``), so pass ``explain=0`` when only the selection matters.  ``workers`` is
    CP-SAT's thread count and ``seed`` its random seed; runs with a time limit that stops the search are
    not reproducible across machines.  ``hint`` (candidate id -> start period) is a known portfolio to
    start from.

    Raises :class:`~pmo.engine.errors.InvalidInputError` for bad input (unknown ids, negative numbers...)
    and :class:`~pmo.engine.errors.ConflictingMandatoryError` (an
    :class:`~pmo.engine.errors.InfeasibleError`) when the must-do candidates cannot all be selected; its
    ``constraint`` names the capacity row or the exclusion they break.

    Worked example: budget 10 and two developers.  A (value 8, cost 6) and B (value 5, cost 4) fill the
    budget exactly (value 13); C (value 6, cost 5) would replace B for +1 but then A and C cost 11.  D is a
    must-do needing one developer; E needs both developers, so it cannot join D.

    >>> problem = PortfolioProblem(
    ...     capacities={"budget": 10, "developers": 2},
    ...     candidates=[
    ...         PortfolioCandidate("A", 8, {"budget": 6}),
    ...         PortfolioCandidate("B", 5, {"budget": 4}),
    ...         PortfolioCandidate("C", 6, {"budget": 5}),
    ...         PortfolioCandidate("D", 0, {"developers": 1}, mandatory=True),
    ...         PortfolioCandidate("E", 4, {"developers": 2}),
    ...     ],
    ... )
    >>> r = optimise_portfolio(problem, time_limit_s=5)
    >>> r.status, r.objective, r.bound, r.selected, dict(r.usage)
    ('optimal', 13.0, 13.0, ('A', 'B', 'D'), {'budget': 10.0, 'developers': 1.0})
    >>> [(b.dimension, b.blocked) for b in r.binding]
    [('budget', ('C',)), ('developers', ('E',))]
    >>> c = next(x for x in r.rejected if x.id == "C")
    >>> dict(c.exceeded), c.value_needed, c.value_needed_exact
    ({'budget': 5.0}, 2.0, True)

    With C forced in, the best portfolio is {B, C, D} worth 11 (A and C together cost 11): C's value would
    have to rise by 2 for a portfolio with C to be as good as the optimum.
    """
    t0 = time.perf_counter()
    limit = _check_finite(time_limit_s, "time_limit_s")
    if limit <= 0:
        raise InvalidInputError(f"time_limit_s must be > 0, got {time_limit_s!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise InvalidInputError(f"workers must be an integer >= 1, got {workers!r}")
    c = _compile(problem, objective)
    base = _must_do_assignment(c, workers, seed, limit)
    lp = _solve_lp(c)
    start_hint: Assignment | None = None
    if hint is not None:
        start_hint = {}
        for cid, start in hint.items():
            if cid not in c.index:
                raise InvalidInputError(f"hint names unknown candidate {cid!r}")
            j = c.index[cid]
            starts = [o.start for o in c.options[j]]
            start_hint[j] = starts.index(start) if start in starts else 0
    best, bound_int, proven = _search(
        c, base=base, lp=lp, hint=start_hint, deadline=t0 + limit, workers=workers, seed=seed
    )
    rejected: list[RejectedCandidate] = []
    binding: list[BindingConstraint] = []
    per_solve = explain_time_limit_s if explain_time_limit_s is not None else min(1.0, limit / 10)
    for _ in range(2):
        rejected, binding, better = _explain(c, best, lp, proven, explain, per_solve, workers, seed)
        if better is None:
            break
        best = better  # a forced re-solve found a better portfolio than the time-limited search
        bound_int = max(bound_int, float(_value(c, best)))
        proven = _value(c, best) >= bound_int
    value = _value(c, best)
    objective_units = c.value_units(value)
    bound_units = c.value_units(bound_int)
    gap = 0.0 if proven else ((bound_units - objective_units) / abs(bound_units) if bound_units else 0.0)
    load = _load_of(c, best)
    selected = tuple(c.ids[j] for j in sorted(best))
    return PortfolioResult(
        status="optimal" if proven else "feasible",
        objective=objective_units,
        bound=objective_units if proven else bound_units,
        gap=gap,
        selected=selected,
        starts=MappingProxyType({c.ids[j]: c.options[j][o].start for j, o in sorted(best.items())}),
        usage=MappingProxyType({row.key: row.to_units(load[r]) for r, row in enumerate(c.rows)}),
        capacities=MappingProxyType({row.key: row.capacity for row in c.rows}),
        binding=tuple(binding),
        rejected=tuple(rejected),
        lp_bound=None if lp is None else c.value_units(lp.bound),
        solve_time_s=time.perf_counter() - t0,
        notes=tuple(c.notes),
    )


def efficient_frontier(
    problem: PortfolioProblem,
    n_points: int = 5,
    *,
    dimension: str | None = None,
    low: float | None = None,
    time_limit_s: float = 10.0,
    objective: PortfolioObjective = "value",
    workers: int = 2,
    seed: int = 0,
) -> tuple[FrontierPoint, ...]:
    """The best portfolio at ``n_points`` budget levels, from a low fraction up to 100 %.

    The capacities scaled are those of ``dimension`` (a flat or time-phased dimension; every period of a
    time-phased one) or, when ``None``, all of them.  The fractions are ``k / n_points`` for ``k = 1 ..
    n_points`` or, with ``low``, ``n_points`` evenly spaced values from ``low`` to 1.  Each level is solved
    by :func:`optimise_portfolio` within ``time_limit_s``, warm-started with the previous level's portfolio
    (which still fits).  Levels where the must-do candidates do not fit are reported as infeasible.

    Worked example: items worth 3, 4 and 6 costing 2, 3 and 4 against a budget of 8.

    >>> p = PortfolioProblem(capacities={"budget": 8}, candidates=[
    ...     PortfolioCandidate("a", 3, {"budget": 2}), PortfolioCandidate("b", 4, {"budget": 3}),
    ...     PortfolioCandidate("c", 6, {"budget": 4})])
    >>> [(pt.budget_fraction, pt.objective, pt.selected) for pt in efficient_frontier(p, 4, time_limit_s=2)]
    [(0.25, 3.0, ('a',)), (0.5, 6.0, ('c',)), (0.75, 9.0, ('a', 'c')), (1.0, 10.0, ('b', 'c'))]
    """
    if isinstance(n_points, bool) or not isinstance(n_points, int) or n_points < 1:
        raise InvalidInputError(f"n_points must be an integer >= 1, got {n_points!r}")
    if dimension is not None and dimension not in problem.capacities and dimension not in problem.period_capacities:
        raise InvalidInputError(f"unknown dimension {dimension!r}")
    if low is None:
        fractions = [k / n_points for k in range(1, n_points + 1)]
    else:
        lo = _check_finite(low, "low")
        if not 0 <= lo <= 1:
            raise InvalidInputError(f"low must be within 0..1, got {lo:g}")
        fractions = [1.0] if n_points == 1 else [lo + (1 - lo) * k / (n_points - 1) for k in range(n_points)]
    points: list[FrontierPoint] = []
    previous: dict[str, int] | None = None
    for fraction in fractions:
        caps = {k: (v * fraction if dimension is None or k == dimension else v) for k, v in problem.capacities.items()}
        period_caps = {
            k: tuple(x * fraction for x in v) if dimension is None or k == dimension else v
            for k, v in problem.period_capacities.items()
        }
        scaled = PortfolioProblem(candidates=problem.candidates, capacities=caps, period_capacities=period_caps)
        # every capacity row, as optimise_portfolio reports them (time-phased ones as "dimension@period")
        all_rows = {**caps, **{f"{k}@{t}": x for k, v in period_caps.items() for t, x in enumerate(v)}}
        try:
            r = optimise_portfolio(
                scaled,
                time_limit_s=time_limit_s,
                objective=objective,
                workers=workers,
                seed=seed,
                explain=0,
                hint=previous,
            )
        except ConflictingMandatoryError as exc:
            points.append(
                FrontierPoint(
                    budget_fraction=fraction,
                    status="infeasible",
                    objective=None,
                    bound=None,
                    selected=(),
                    capacities=MappingProxyType(all_rows),
                    usage=MappingProxyType({}),
                    message=str(exc),
                )
            )
            continue
        previous = dict(r.starts)
        points.append(
            FrontierPoint(
                budget_fraction=fraction,
                status=r.status,
                objective=r.objective,
                bound=r.bound,
                selected=r.selected,
                capacities=r.capacities,
                usage=r.usage,
            )
        )
    return tuple(points)
