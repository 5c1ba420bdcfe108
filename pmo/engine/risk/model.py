"""The inputs of the risk simulation: estimates, tasks, links, risk events, correlation groups.

The dataclasses are plain frozen containers; :func:`validate` (called by
:func:`~pmo.engine.risk.simulate`) checks a whole :class:`RiskModel` at once, so every message can name
the task, the risk or the link at fault::

    task 'B': duration min 5 > max 3
    risk 'R2': probability must be within 0..1, got 1.5
    risk 'R2' impact 1: unknown task 'Z'

Durations and lags are in working days; costs in the project's currency.  Numbers may be ints, floats
or ``Decimal`` values (money); the engine computes in floats and the caller rounds its results back.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from numbers import Real

import numpy as np
from numpy.typing import ArrayLike, NDArray

from pmo.engine.errors import CyclicDependencyError, InvalidInputError
from pmo.engine.risk.sampling import pert_cdf, pert_ppf, triangular_cdf, triangular_ppf
from pmo.engine.schedule import DependencyType

__all__ = [
    "Correlation",
    "CyclicNetworkError",
    "Distribution",
    "Link",
    "RiskEvent",
    "RiskImpact",
    "RiskModel",
    "RiskTask",
    "ThreePoint",
    "validate",
]


class Distribution(StrEnum):
    """The shape given to a three-point estimate.  Plain strings (``"pert"``) are accepted.

    ``TRIANGULAR``: the triangle on ``[min, max]`` peaking at ``most_likely``.  ``PERT``: the PERT-beta
    (``lambda = 4``) on ``[min, max]`` with mode ``most_likely``, whose mean ``(min + 4 most_likely + max) / 6``
    stays closer to the most likely value than the triangle's ``(min + most_likely + max) / 3``.

    >>> Distribution("pert") is Distribution.PERT, Distribution.TRIANGULAR == "triangular"
    (True, True)
    """

    TRIANGULAR = "triangular"
    PERT = "pert"


class CyclicNetworkError(CyclicDependencyError, InvalidInputError):
    """The links of a risk model form a cycle; ``task_ids`` names one cycle in link order.

    It is both the engine's :class:`~pmo.engine.errors.CyclicDependencyError` and an
    :class:`~pmo.engine.errors.InvalidInputError`, so either ``except`` catches it.

    >>> err = CyclicNetworkError(["A", "B"])
    >>> str(err), isinstance(err, InvalidInputError), err.task_ids
    ('dependency cycle: A -> B -> A', True, ('A', 'B'))
    """


@dataclass(frozen=True, slots=True)
class ThreePoint:
    """A three-point estimate ``(min, most_likely, max)`` and its distribution.

    ``min == most_likely == max`` is a fixed value (:meth:`fixed`).  The numbers are checked when the
    model is validated (they must be finite, ``>= 0`` and ordered), not here.

    >>> est = ThreePoint(2, 4, 9)
    >>> est.mean, est.variance
    (5.0, 2.1666666666666665)
    >>> ThreePoint(2, 4, 9, "pert").mean
    4.5
    >>> ThreePoint.fixed(3).ppf([0.1, 0.9]).tolist()
    [3.0, 3.0]
    """

    min: float
    most_likely: float
    max: float
    distribution: Distribution | str = Distribution.TRIANGULAR

    @classmethod
    def fixed(cls, value: float) -> ThreePoint:
        """A value known for certain.

        >>> ThreePoint.fixed(5)
        ThreePoint(min=5, most_likely=5, max=5, distribution=<Distribution.TRIANGULAR: 'triangular'>)
        """
        return cls(value, value, value)

    @property
    def is_fixed(self) -> bool:
        """True when ``min == max`` (no uncertainty).

        >>> ThreePoint.fixed(2).is_fixed, ThreePoint(1, 2, 3).is_fixed
        (True, False)
        """
        return self.min == self.max

    @property
    def is_pert(self) -> bool:
        """True for a PERT-beta estimate.

        >>> ThreePoint(1, 2, 3, "pert").is_pert
        True
        """
        return self.distribution == Distribution.PERT

    @property
    def mean(self) -> float:
        """The expected value: ``(a + m + b) / 3`` (triangular) or ``(a + 4m + b) / 6`` (PERT).

        >>> ThreePoint(1, 2, 6).mean, ThreePoint(1, 2, 6, "pert").mean
        (3.0, 2.5)
        """
        a, m, b = float(self.min), float(self.most_likely), float(self.max)
        return (a + 4 * m + b) / 6 if self.is_pert else (a + m + b) / 3

    @property
    def variance(self) -> float:
        """The variance: ``(a² + m² + b² - am - ab - mb) / 18`` (triangular) or
        ``(mean - a)(b - mean) / 7`` (PERT, ``lambda = 4``).

        >>> ThreePoint(0, 0, 6).variance, ThreePoint(0, 3, 6, "pert").variance
        (2.0, 1.2857142857142858)
        """
        a, m, b = float(self.min), float(self.most_likely), float(self.max)
        if self.is_pert:
            mu = self.mean
            return (mu - a) * (b - mu) / 7
        return (a * a + m * m + b * b - a * m - a * b - m * b) / 18

    def ppf(self, u: ArrayLike) -> NDArray[np.float64]:
        """The inverse CDF at probabilities ``u`` (in ``[0, 1]``), vectorised.

        Triangular: closed form.  PERT: the beta CDF tabulated on a fine grid and inverted by
        interpolation (error below 5e-7 of ``max - min``, see :mod:`pmo.engine.risk.sampling`).

        >>> ThreePoint(0, 0, 1).ppf([0.0, 0.75, 1.0]).tolist()
        [0.0, 0.5, 1.0]
        >>> round(float(ThreePoint(0, 5, 10, "pert").ppf(0.5)), 6)
        5.0
        """
        q = np.asarray(u, dtype=np.float64)
        a, m, b = float(self.min), float(self.most_likely), float(self.max)
        if self.is_pert:
            return pert_ppf(q, a, m, b)
        return triangular_ppf(q, a, m, b)

    def cdf(self, x: ArrayLike) -> NDArray[np.float64]:
        """The cumulative probability ``P(X <= x)``, vectorised (PERT: from the same table as :meth:`ppf`).

        >>> ThreePoint(0, 0, 2).cdf([0, 1, 2, 3]).tolist()
        [0.0, 0.75, 1.0, 1.0]
        """
        q = np.asarray(x, dtype=np.float64)
        a, m, b = float(self.min), float(self.most_likely), float(self.max)
        if self.is_pert:
            return pert_cdf(q, a, m, b)
        return triangular_cdf(q, a, m, b)


@dataclass(frozen=True, slots=True)
class RiskTask:
    """A task of the simulated network: its duration estimate (working days) and its cost.

    The task's cost in an iteration is ``fixed_cost + cost_per_day x duration``, the duration including
    the extra days of the risks that hit it, so a labour-priced task costs more when it runs longer.

    >>> t = RiskTask("Build", ThreePoint(8, 10, 15), fixed_cost=1000, cost_per_day=400)
    >>> t.duration.mean, t.fixed_cost + t.cost_per_day * t.duration.mean
    (11.0, 5400.0)
    """

    id: str
    duration: ThreePoint
    fixed_cost: float = 0.0
    cost_per_day: float = 0.0
    name: str = ""


@dataclass(frozen=True, slots=True)
class Link:
    """A precedence link with the semantics of :mod:`pmo.engine.schedule` (in working days).

    ``FS``: the successor starts >= the predecessor's finish + lag; ``SS``: start >= start + lag;
    ``FF``: finish >= finish + lag; ``SF``: finish >= start + lag.  A negative lag is a lead.  No task
    starts before the project start, whatever its leads.

    >>> Link("A", "B"), Link("A", "C", "SS", 2.5).type
    (Link(predecessor='A', successor='B', type=<DependencyType.FS: 'FS'>, lag_days=0.0), <DependencyType.SS: 'SS'>)
    """

    predecessor: str
    successor: str
    type: DependencyType | str = DependencyType.FS
    lag_days: float = 0.0

    def __post_init__(self) -> None:
        if type(self.type) is not DependencyType:
            try:
                object.__setattr__(self, "type", DependencyType(self.type))
            except ValueError:
                raise InvalidInputError(
                    f"link {self.predecessor!r} -> {self.successor!r}: type must be FS, SS, FF or SF, got {self.type!r}"
                ) from None


@dataclass(frozen=True, slots=True)
class RiskImpact:
    """What a risk event does when it occurs: extra working days on a task and/or an extra cost.

    ``task_id=None`` is a project-level impact (cost only).  Each impact draws its own amounts.

    >>> RiskImpact("Build", duration=ThreePoint(2, 5, 10), cost=ThreePoint(0, 1000, 5000)).duration.mean
    5.666666666666667
    """

    task_id: str | None
    duration: ThreePoint | None = None
    cost: ThreePoint | None = None


@dataclass(frozen=True, slots=True)
class RiskEvent:
    """A threat of the risk register: it occurs with ``probability`` (one draw per iteration) and then
    applies all its ``impacts``.

    >>> r = RiskEvent("R1", 0.3, (RiskImpact("Build", ThreePoint(2, 5, 10)),), name="Supplier late")
    >>> r.probability * r.impacts[0].duration.mean  # expected extra days on Build
    1.7
    """

    id: str
    probability: float
    impacts: Sequence[RiskImpact] = ()
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "impacts", tuple(self.impacts))


@dataclass(frozen=True, slots=True)
class Correlation:
    """Tasks whose durations move together: a Gaussian copula with correlation ``rho`` (0..1) between
    every pair of the group's normal scores.

    The rank correlation between two tasks of the group is ``(6 / pi) asin(rho / 2)`` (0.48 for
    ``rho = 0.5``, 1 for ``rho = 1``).  A task belongs to at most one group.

    >>> Correlation(("Design", "Build"), 0.6).rho
    0.6
    """

    task_ids: Sequence[str]
    rho: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "task_ids", tuple(self.task_ids))


@dataclass(frozen=True)
class RiskModel:
    """The network to simulate: tasks, links, risk events and correlation groups.

    >>> model = RiskModel(
    ...     tasks=[RiskTask("A", ThreePoint(1, 2, 3)), RiskTask("B", ThreePoint.fixed(4))],
    ...     links=[Link("A", "B")],
    ...     risks=[RiskEvent("R1", 0.5, [RiskImpact("B", ThreePoint(1, 1, 1))])],
    ... )
    >>> len(model.tasks), model.links[0].type
    (2, <DependencyType.FS: 'FS'>)
    """

    tasks: Sequence[RiskTask]
    links: Sequence[Link] = ()
    risks: Sequence[RiskEvent] = ()
    correlations: Sequence[Correlation] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for name in ("tasks", "links", "risks", "correlations"):
            object.__setattr__(self, name, tuple(getattr(self, name)))


# ---------------------------------------------------------------------------------------------- validation


def _number(value: object, where: str, *, minimum: float | None = 0.0) -> float:
    """A finite real number (int, float or ``Decimal``; never a bool) as a float."""
    if isinstance(value, bool) or not isinstance(value, Real | Decimal) or not math.isfinite(value):
        raise InvalidInputError(f"{where} must be a finite number, got {value!r}")
    if minimum is not None and value < minimum:
        raise InvalidInputError(f"{where} must be >= {minimum:g}, got {value!r}")
    return float(value)


def _three_point(est: object, where: str) -> ThreePoint:
    if not isinstance(est, ThreePoint):
        raise InvalidInputError(f"{where} must be a ThreePoint, got {type(est).__name__}")
    a = _number(est.min, f"{where} min")
    m = _number(est.most_likely, f"{where} most_likely")
    b = _number(est.max, f"{where} max")
    if a > b:
        raise InvalidInputError(f"{where} min {est.min:g} > max {est.max:g}")
    if a > m:
        raise InvalidInputError(f"{where} min {est.min:g} > most_likely {est.most_likely:g}")
    if m > b:
        raise InvalidInputError(f"{where} most_likely {est.most_likely:g} > max {est.max:g}")
    try:
        kind = Distribution(est.distribution)
    except ValueError:
        raise InvalidInputError(
            f"{where} distribution must be 'triangular' or 'pert', got {est.distribution!r}"
        ) from None
    return ThreePoint(a, m, b, kind)


@dataclass(frozen=True, slots=True)
class CheckedModel:
    """A validated model: normalised estimates, index maps and the topological order (internal)."""

    task_ids: tuple[str, ...]
    index: dict[str, int]
    durations: tuple[ThreePoint, ...]
    fixed_cost: tuple[float, ...]
    cost_per_day: tuple[float, ...]
    links: tuple[tuple[int, int, DependencyType, float], ...]
    risk_ids: tuple[str, ...]
    probabilities: tuple[float, ...]
    # one row per impact: (risk index, task index or -1, duration estimate or None, cost estimate or None)
    impacts: tuple[tuple[int, int, ThreePoint | None, ThreePoint | None], ...]
    groups: tuple[tuple[tuple[int, ...], float], ...]
    order: tuple[int, ...]
    level: tuple[int, ...]


def _topological(n: int, links: Sequence[tuple[int, int, DependencyType, float]], ids: Sequence[str]) -> list[int]:
    """Kahn's order (ties by input order); raises :class:`CyclicNetworkError` naming one cycle."""
    succ: list[list[int]] = [[] for _ in range(n)]
    indeg = [0] * n
    for u, v, _, _ in links:
        succ[u].append(v)
        indeg[v] += 1
    order = [u for u in range(n) if not indeg[u]]
    for u in order:
        for v in succ[u]:
            indeg[v] -= 1
            if not indeg[v]:
                order.append(v)
    if len(order) == n:
        return order
    done = [False] * n
    for u in order:
        done[u] = True
    pred: dict[int, int] = {}
    for u, v, _, _ in links:
        if not done[u] and not done[v] and v not in pred:
            pred[v] = u
    # every task left has a predecessor left, so walking back must come round to a task already seen
    x = min(pred)
    seen: dict[int, int] = {}
    path: list[int] = []
    while x not in seen:
        seen[x] = len(path)
        path.append(x)
        x = pred[x]
    cycle = path[seen[x] :]
    cycle.reverse()
    first = cycle.index(min(cycle))
    cycle = cycle[first:] + cycle[:first]
    raise CyclicNetworkError([ids[u] for u in cycle])


def validate(model: RiskModel) -> CheckedModel:
    """Check a model as a whole and return its normalised form (used by :func:`~pmo.engine.risk.simulate`).

    Raises :class:`~pmo.engine.errors.InvalidInputError` naming the item: a bad or unordered estimate,
    a negative number, a probability outside 0..1, an unknown or duplicate id, a ``rho`` outside 0..1, a
    task in two correlation groups; and :class:`CyclicNetworkError` naming the tasks of a cycle.

    >>> validate(RiskModel([RiskTask("A", ThreePoint(1, 2, 3))])).task_ids
    ('A',)
    >>> validate(RiskModel([RiskTask("A", ThreePoint(5, 4, 3))]))
    Traceback (most recent call last):
    ...
    pmo.engine.errors.InvalidInputError: task 'A': duration min 5 > max 3
    >>> validate(RiskModel([RiskTask("A", ThreePoint.fixed(1)), RiskTask("B", ThreePoint.fixed(1))],
    ...                    [Link("A", "B"), Link("B", "A")]))
    Traceback (most recent call last):
    ...
    pmo.engine.risk.model.CyclicNetworkError: dependency cycle: A -> B -> A
    """
    if not isinstance(model, RiskModel):
        raise InvalidInputError(f"expected a RiskModel, got {type(model).__name__}")
    if not model.tasks:
        raise InvalidInputError("the model has no tasks")
    index: dict[str, int] = {}
    durations: list[ThreePoint] = []
    fixed_cost: list[float] = []
    cost_per_day: list[float] = []
    for k, task in enumerate(model.tasks):
        if not isinstance(task, RiskTask):
            raise InvalidInputError(f"tasks[{k}] must be a RiskTask, got {type(task).__name__}")
        if not isinstance(task.id, str) or not task.id:
            raise InvalidInputError(f"tasks[{k}]: id must be a non-empty string, got {task.id!r}")
        where = f"task {task.id!r}"
        if task.id in index:
            raise InvalidInputError(f"{where}: duplicate task id")
        index[task.id] = k
        durations.append(_three_point(task.duration, f"{where}: duration"))
        fixed_cost.append(_number(task.fixed_cost, f"{where}: fixed_cost"))
        cost_per_day.append(_number(task.cost_per_day, f"{where}: cost_per_day"))
    ids = tuple(index)

    links: list[tuple[int, int, DependencyType, float]] = []
    for k, link in enumerate(model.links):
        if not isinstance(link, Link):
            raise InvalidInputError(f"links[{k}] must be a Link, got {type(link).__name__}")
        where = f"link {link.predecessor!r} -> {link.successor!r}"
        for end in (link.predecessor, link.successor):
            if end not in index:
                raise InvalidInputError(f"{where}: unknown task {end!r}")
        if link.predecessor == link.successor:
            raise CyclicNetworkError([link.predecessor])
        lag = _number(link.lag_days, f"{where}: lag_days", minimum=None)
        links.append((index[link.predecessor], index[link.successor], DependencyType(link.type), lag))

    risk_index: dict[str, int] = {}
    probabilities: list[float] = []
    impacts: list[tuple[int, int, ThreePoint | None, ThreePoint | None]] = []
    for k, risk in enumerate(model.risks):
        if not isinstance(risk, RiskEvent):
            raise InvalidInputError(f"risks[{k}] must be a RiskEvent, got {type(risk).__name__}")
        if not isinstance(risk.id, str) or not risk.id:
            raise InvalidInputError(f"risks[{k}]: id must be a non-empty string, got {risk.id!r}")
        where = f"risk {risk.id!r}"
        if risk.id in risk_index:
            raise InvalidInputError(f"{where}: duplicate risk id")
        risk_index[risk.id] = k
        p = _number(risk.probability, f"{where}: probability")
        if p > 1:
            raise InvalidInputError(f"{where}: probability must be within 0..1, got {risk.probability!r}")
        probabilities.append(p)
        for j, impact in enumerate(risk.impacts):
            at = f"{where} impact {j}"
            if not isinstance(impact, RiskImpact):
                raise InvalidInputError(f"{at} must be a RiskImpact, got {type(impact).__name__}")
            if impact.task_id is None:
                target = -1
                if impact.duration is not None:
                    raise InvalidInputError(f"{at}: extra duration needs a task (task_id is None)")
            elif impact.task_id not in index:
                raise InvalidInputError(f"{at}: unknown task {impact.task_id!r}")
            else:
                target = index[impact.task_id]
            if impact.duration is None and impact.cost is None:
                raise InvalidInputError(f"{at}: give an extra duration, an extra cost or both")
            dur = None if impact.duration is None else _three_point(impact.duration, f"{at}: duration")
            cost = None if impact.cost is None else _three_point(impact.cost, f"{at}: cost")
            impacts.append((k, target, dur, cost))

    groups: list[tuple[tuple[int, ...], float]] = []
    grouped: dict[int, int] = {}
    for k, group in enumerate(model.correlations):
        if not isinstance(group, Correlation):
            raise InvalidInputError(f"correlations[{k}] must be a Correlation, got {type(group).__name__}")
        where = f"correlation {k}"
        rho = _number(group.rho, f"{where}: rho", minimum=None)
        if not 0 <= rho <= 1:
            raise InvalidInputError(f"{where}: rho must be within 0..1, got {group.rho!r}")
        members: list[int] = []
        for task_id in group.task_ids:
            if task_id not in index:
                raise InvalidInputError(f"{where}: unknown task {task_id!r}")
            u = index[task_id]
            if u in grouped:
                if grouped[u] == k:
                    continue
                raise InvalidInputError(f"{where}: task {task_id!r} is already in correlation {grouped[u]}")
            grouped[u] = k
            members.append(u)
        if len(members) >= 2 and rho > 0:
            groups.append((tuple(members), rho))

    order = _topological(len(ids), links, ids)
    level = [0] * len(ids)
    preds: list[list[int]] = [[] for _ in ids]
    for u, v, _, _ in links:
        preds[v].append(u)
    for v in order:
        if preds[v]:
            level[v] = 1 + max(level[u] for u in preds[v])
    return CheckedModel(
        ids, index, tuple(durations), tuple(fixed_cost), tuple(cost_per_day), tuple(links),
        tuple(risk_index), tuple(probabilities), tuple(impacts), tuple(groups), tuple(order), tuple(level),
    )  # fmt: skip
