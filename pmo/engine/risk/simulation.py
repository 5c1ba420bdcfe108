"""The Monte Carlo simulation: sampling, risk events, vectorised CPM passes and the result."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from numbers import Integral, Real
from typing import Any

import numpy as np
from numpy.typing import NDArray

from pmo.engine.errors import InvalidInputError
from pmo.engine.risk.model import CheckedModel, RiskModel, ThreePoint, validate
from pmo.engine.risk.network import LevelledNetwork
from pmo.engine.risk.sampling import normal_cdf, pert_ppf, pert_table, triangular_ppf
from pmo.engine.risk.stats import Histogram, Summary, histogram, midranks, s_curve, spearman_rows, summarise

__all__ = ["Driver", "Outcome", "Samples", "SimulationResult", "simulate"]

# Iterations are simulated in blocks of about this many (task x iteration) values, so memory stays
# bounded; the random streams are drawn iteration by iteration, so the block size never changes a result.
CHUNK_VALUES = 1 << 20
_RANK_ROWS = 256
_OUTCOME_TOLERANCE = 1e-9


@dataclass(frozen=True, slots=True)
class Outcome:
    """The distribution of one simulated figure (project duration, total cost).

    ``curve`` is the S-curve: at most ``curve_points`` points ``(value, P(X <= value))``, increasing.

    >>> from pmo.engine.risk import RiskModel, RiskTask, ThreePoint
    >>> r = simulate(RiskModel([RiskTask("A", ThreePoint.fixed(4))]), iterations=10)
    >>> r.duration.summary.p80, r.duration.curve, r.duration.histogram.counts[:3]
    (4.0, ((4.0, 1.0),), (0, 0, 0))
    """

    summary: Summary
    histogram: Histogram
    curve: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class Driver:
    """One bar of a tornado chart: a task or a risk and its rank correlation with the outcome.

    >>> Driver("risk", "R1", 0.42)
    Driver(kind='risk', id='R1', correlation=0.42)
    """

    kind: str  # "task" or "risk"
    id: str
    correlation: float


@dataclass(frozen=True)
class Samples:
    """The raw samples, kept when ``simulate(..., keep_samples=True)``: one value per iteration.

    ``milestones`` maps each requested task id to its early finish per iteration.
    """

    duration: NDArray[np.float64]
    cost: NDArray[np.float64]
    milestones: Mapping[str, NDArray[np.float64]]


@dataclass(frozen=True)
class SimulationResult:
    """What :func:`simulate` computes.  Times are working days from the project start.

    * ``duration`` / ``cost``: the distribution of the project duration and of the total cost;
      ``deterministic_duration`` / ``deterministic_cost``: the plan with most likely durations and no
      risk (the critical path method's figure);
    * ``chance_on_time``: the share of iterations finishing within ``target_duration`` (``None`` when no
      target was given), ``chance_within_budget`` the same for ``budget``, ``chance_on_time_and_budget``
      both at once (when both are given);
    * ``criticality``: per task (input order), the share of iterations in which it is on a critical path;
    * ``task_sensitivity`` / ``risk_sensitivity``: Spearman's rank correlation with the project duration
      of each task's duration as estimated (before risk impacts) and of each risk's extra days (0 when it
      does not occur); ``task_cost_sensitivity`` / ``risk_cost_sensitivity``: the same with the total
      cost, the risk's effect being its extra cost plus the extra days priced at the tasks' daily cost.
      A fixed duration (or an effect that never varies) has 0;
    * ``risk_occurrence``: the share of iterations in which each risk occurred;
    * ``milestones``: the early finish of each requested task (p50, p80, ...).

    >>> from pmo.engine.risk import RiskModel, RiskTask, ThreePoint
    >>> r = simulate(RiskModel([RiskTask("A", ThreePoint.fixed(4))]), iterations=10, target_duration=5)
    >>> r.iterations, r.duration.summary.mean, r.chance_on_time, r.criticality
    (10, 4.0, 1.0, {'A': 1.0})
    """

    iterations: int
    seed: int
    duration: Outcome
    cost: Outcome
    deterministic_duration: float
    deterministic_cost: float
    target_duration: float | None
    chance_on_time: float | None
    budget: float | None
    chance_within_budget: float | None
    chance_on_time_and_budget: float | None
    criticality: Mapping[str, float]
    task_sensitivity: Mapping[str, float]
    risk_sensitivity: Mapping[str, float]
    task_cost_sensitivity: Mapping[str, float]
    risk_cost_sensitivity: Mapping[str, float]
    risk_occurrence: Mapping[str, float]
    milestones: Mapping[str, Summary]
    samples: Samples | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """Everything but the raw samples as plain JSON-ready values (dicts, lists, numbers, None).

        >>> from pmo.engine.risk import RiskModel, RiskTask, ThreePoint
        >>> d = simulate(RiskModel([RiskTask("A", ThreePoint.fixed(2))]), iterations=3).to_dict()
        >>> d["duration"]["summary"]["p80"], d["duration"]["curve"], d["criticality"]
        (2.0, [[2.0, 1.0]], {'A': 1.0})
        """
        out: dict[str, Any] = _plain(asdict(replace(self, samples=None)))
        del out["samples"]
        return out

    def drivers(self, top: int | None = 10, *, of: str = "duration") -> tuple[Driver, ...]:
        """The tasks and risks ordered by the strength of their rank correlation with the duration
        (``of="duration"``) or the cost (``of="cost"``): the bars of a tornado chart, at most ``top``
        (all with ``None``), zero correlations left out.

        >>> from pmo.engine.risk import RiskEvent, RiskImpact, RiskModel, RiskTask, ThreePoint
        >>> model = RiskModel([RiskTask("A", ThreePoint(1, 2, 9)), RiskTask("B", ThreePoint.fixed(1))],
        ...                   risks=[RiskEvent("R", 0.5, [RiskImpact("A", ThreePoint.fixed(3))])])
        >>> [(d.kind, d.id) for d in simulate(model, iterations=2000).drivers()]
        [('task', 'A'), ('risk', 'R')]
        """
        if of not in ("duration", "cost"):
            raise InvalidInputError(f"of must be 'duration' or 'cost', got {of!r}")
        tasks = self.task_sensitivity if of == "duration" else self.task_cost_sensitivity
        risks = self.risk_sensitivity if of == "duration" else self.risk_cost_sensitivity
        bars = [Driver("task", k, v) for k, v in tasks.items() if v] + [
            Driver("risk", k, v) for k, v in risks.items() if v
        ]
        bars.sort(key=lambda d: -abs(d.correlation))
        return tuple(bars if top is None else bars[:top])


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# ---------------------------------------------------------------------------------------------- the plan


@dataclass(frozen=True, slots=True)
class _Estimates:
    """Three-point estimates as arrays, split by how they are sampled."""

    low: NDArray[np.float64]
    mode: NDArray[np.float64]
    high: NDArray[np.float64]
    triangular: NDArray[np.intp]  # rows sampled by the closed-form inverse
    pert: NDArray[np.intp]
    fixed: NDArray[np.intp]
    tables: tuple[NDArray[np.float64], ...]  # the CDF table of each PERT row (shared by equal shapes)

    @classmethod
    def of(cls, estimates: Sequence[ThreePoint]) -> _Estimates:
        low = np.asarray([e.min for e in estimates], dtype=np.float64)
        mode = np.asarray([e.most_likely for e in estimates], dtype=np.float64)
        high = np.asarray([e.max for e in estimates], dtype=np.float64)
        pert = np.asarray([e.is_pert for e in estimates], dtype=bool)
        fixed = high <= low
        pert_rows = np.flatnonzero(~fixed & pert)
        built: dict[float, NDArray[np.float64]] = {}
        tables = []
        for r in pert_rows.tolist():
            shape = float((mode[r] - low[r]) / (high[r] - low[r]))
            if shape not in built:
                built[shape] = pert_table(shape)
            tables.append(built[shape])
        return cls(low, mode, high, np.flatnonzero(~fixed & ~pert), pert_rows, np.flatnonzero(fixed), tuple(tables))

    def sample(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        """Rows of ``u`` (one per estimate) through each estimate's inverse CDF."""
        k = self.low.size
        if self.triangular.size == k:
            return triangular_ppf(u, self.low[:, None], self.mode[:, None], self.high[:, None])
        out = np.empty(u.shape)
        tri = self.triangular
        if tri.size:
            out[tri] = triangular_ppf(u[tri], self.low[tri, None], self.mode[tri, None], self.high[tri, None])
        for r, table in zip(self.pert.tolist(), self.tables, strict=True):
            out[r] = pert_ppf(u[r], self.low[r], self.mode[r], self.high[r], table)
        if self.fixed.size:
            out[self.fixed] = self.low[self.fixed, None]
        return out


class _Plan:
    """A checked model laid out in arrays, tasks in the network's position order."""

    def __init__(self, checked: CheckedModel) -> None:
        n = len(checked.task_ids)
        self.n = n
        self.net = LevelledNetwork(n, checked.links, checked.level)
        pos = self.net.position
        self.order = self.net.order  # task index at each position
        self.tasks = _Estimates.of([checked.durations[i] for i in self.order.tolist()])
        self.uncertain = np.flatnonzero(self.tasks.high > self.tasks.low)  # positions
        rate = np.asarray([checked.cost_per_day[i] for i in self.order.tolist()], dtype=np.float64)
        self.rated = np.flatnonzero(rate > 0)
        self.rate = rate
        self.fixed_cost = math.fsum(checked.fixed_cost)
        self.probability = np.asarray(checked.probabilities, dtype=np.float64)
        dur = [(r, t, d) for r, t, d, _ in checked.impacts if d is not None]
        cost = [(r, c) for r, _, _, c in checked.impacts if c is not None]
        self.impact_count = len(checked.impacts)
        self.dur_slot = np.asarray([k for k, imp in enumerate(checked.impacts) if imp[2] is not None], dtype=np.intp)
        self.cost_slot = np.asarray([k for k, imp in enumerate(checked.impacts) if imp[3] is not None], dtype=np.intp)
        self.dur_risk = np.asarray([r for r, _, _ in dur], dtype=np.intp)
        self.dur_task = np.asarray([pos[t] for _, t, _ in dur], dtype=np.intp)
        self.dur_est = _Estimates.of([d for _, _, d in dur])
        self.dur_rate = rate[self.dur_task] if dur else np.zeros(0)
        self.cost_risk = np.asarray([r for r, _ in cost], dtype=np.intp)
        self.cost_est = _Estimates.of([c for _, c in cost])
        # correlation: one common factor per group, then one own factor per member
        members = [pos[u] for group, _ in checked.groups for u in group]
        self.grouped = np.asarray(members, dtype=np.intp)
        self.group_of = np.asarray([g for g, (group, _) in enumerate(checked.groups) for _ in group], dtype=np.intp)
        rho = np.asarray([rho for group, rho in checked.groups for _ in group], dtype=np.float64)
        self.common_weight = np.sqrt(rho)
        self.own_weight = np.sqrt(1.0 - rho)
        self.group_count = len(checked.groups)


def _check_options(
    checked: CheckedModel,
    iterations: object,
    seed: object,
    target_duration: object,
    budget: object,
    milestones: Sequence[str],
    histogram_bins: object,
    curve_points: object,
) -> tuple[float | None, float | None, list[str]]:
    for name, value, low in (
        ("iterations", iterations, 1),
        ("seed", seed, 0),
        ("histogram_bins", histogram_bins, 1),
        ("curve_points", curve_points, 2),
    ):
        if isinstance(value, bool) or not isinstance(value, Integral) or value < low:
            raise InvalidInputError(f"{name} must be an integer >= {low}, got {value!r}")
    targets: list[float | None] = []
    for name, value in (("target_duration", target_duration), ("budget", budget)):
        if value is None:
            targets.append(None)
        elif isinstance(value, bool) or not isinstance(value, Real | Decimal) or not math.isfinite(value) or value < 0:
            raise InvalidInputError(f"{name} must be a finite number >= 0, got {value!r}")
        else:
            targets.append(float(value))
    if isinstance(milestones, str):
        raise InvalidInputError(f"milestones must be a sequence of task ids, got {milestones!r}")
    names: list[str] = []
    for task_id in milestones:
        if task_id not in checked.index:
            raise InvalidInputError(f"milestone: unknown task {task_id!r}")
        if task_id not in names:
            names.append(task_id)
    return targets[0], targets[1], names


def _outcome(samples: NDArray[np.float64], bins: int, points: int) -> Outcome:
    return Outcome(summarise(samples), histogram(samples, bins), s_curve(samples, points))


def _within(samples: NDArray[np.float64], limit: float) -> NDArray[np.bool_]:
    return samples <= limit + _OUTCOME_TOLERANCE * max(1.0, abs(limit))


def simulate(
    model: RiskModel,
    *,
    iterations: int = 10_000,
    seed: int = 0,
    target_duration: float | None = None,
    budget: float | None = None,
    milestones: Sequence[str] = (),
    histogram_bins: int = 40,
    curve_points: int = 200,
    keep_samples: bool = False,
) -> SimulationResult:
    """Simulate the project ``iterations`` times and summarise the duration, the cost and their drivers.

    Each iteration draws every task's duration from its estimate (correlated within the
    :class:`Correlation` groups), draws whether each risk occurs (one Bernoulli draw per risk) and, for
    those that do, the extra days and costs of every impact; it then runs the critical path method on
    the network.  Everything is vectorised over iterations.  The same model and ``seed`` give the same
    result; a task's draws do not depend on the other tasks' estimates, so changing one estimate leaves
    the others' samples as they were (common random numbers for what-if comparisons).

    ``target_duration`` (working days from the start) and ``budget`` ask for the chance to meet them;
    ``milestones`` names tasks whose finish is summarised.  Raises
    :class:`~pmo.engine.errors.InvalidInputError` naming the item for a bad model or option (see
    :func:`~pmo.engine.risk.validate`).

    >>> from pmo.engine.risk import Link, RiskEvent, RiskImpact, RiskModel, RiskTask, ThreePoint
    >>> model = RiskModel(
    ...     tasks=[RiskTask("A", ThreePoint.fixed(3)), RiskTask("B", ThreePoint.fixed(5)),
    ...            RiskTask("C", ThreePoint.fixed(2), cost_per_day=100)],
    ...     links=[Link("A", "C"), Link("B", "C")],
    ...     risks=[RiskEvent("R1", 1.0, [RiskImpact("A", ThreePoint.fixed(4))])],
    ... )
    >>> r = simulate(model, iterations=100, target_duration=8, milestones=["A"])
    >>> r.duration.summary.mean, r.deterministic_duration, r.cost.summary.mean, r.chance_on_time
    (9.0, 7.0, 200.0, 0.0)
    >>> r.criticality, r.milestones["A"].p50
    ({'A': 1.0, 'B': 0.0, 'C': 1.0}, 7.0)
    """
    checked = validate(model)
    target, limit, milestone_ids = _check_options(
        checked, iterations, seed, target_duration, budget, milestones, histogram_bins, curve_points
    )
    plan = _Plan(checked)
    n, total = plan.n, int(iterations)
    risks = len(checked.risk_ids)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(4)]
    task_rng, occurrence_rng, impact_rng, copula_rng = streams

    duration = np.empty(total)
    cost = np.empty(total)
    critical_counts = np.zeros(n, dtype=np.int64)
    milestone_pos = np.asarray([plan.net.position[checked.index[m]] for m in milestone_ids], dtype=np.intp)
    milestone_finish = np.empty((milestone_pos.size, total))
    uniforms = np.empty((plan.uncertain.size, total))  # ranked afterwards for the task sensitivities
    risk_days = np.zeros((risks, total))
    risk_money = np.zeros((risks, total))
    occurred = np.zeros(risks, dtype=np.int64)

    step = max(1, min(total, CHUNK_VALUES // max(n, 1)))
    for begin in range(0, total, step):
        width = min(step, total - begin)
        cols = slice(begin, begin + width)
        # (iterations, tasks) drawn row by row, then laid out as (positions, iterations)
        u = task_rng.random((width, n)).T[plan.order]
        if plan.group_count:
            z = copula_rng.standard_normal((width, plan.group_count + plan.grouped.size)).T
            scores = plan.common_weight[:, None] * z[plan.group_of] + plan.own_weight[:, None] * z[plan.group_count :]
            u[plan.grouped] = normal_cdf(scores)
        uniforms[:, cols] = u[plan.uncertain]
        d = plan.tasks.sample(u)
        extra_cost = np.zeros(width)
        if risks:
            hit = (occurrence_rng.random((width, risks)) < plan.probability).T
            occurred += hit.sum(axis=1)
            if plan.impact_count:
                ui = impact_rng.random((width, 2 * plan.impact_count)).T
                if plan.dur_slot.size:
                    days = plan.dur_est.sample(ui[plan.dur_slot]) * hit[plan.dur_risk]
                    np.add.at(d, plan.dur_task, days)
                    np.add.at(risk_days[:, cols], plan.dur_risk, days)
                    np.add.at(risk_money[:, cols], plan.dur_risk, days * plan.dur_rate[:, None])
                if plan.cost_slot.size:
                    money = plan.cost_est.sample(ui[plan.impact_count + plan.cost_slot]) * hit[plan.cost_risk]
                    np.add.at(risk_money[:, cols], plan.cost_risk, money)
                    extra_cost += money.sum(axis=0)
        block = plan.net.passes(d)
        duration[cols] = block.finish
        critical_counts += block.critical.sum(axis=1)
        if milestone_pos.size:
            milestone_finish[:, cols] = block.early_finish[milestone_pos]
        labour = (d[plan.rated] * plan.rate[plan.rated, None]).sum(axis=0) if plan.rated.size else 0.0
        cost[cols] = plan.fixed_cost + labour + extra_cost

    # the plan: most likely durations, no risk
    likely = plan.net.passes(plan.tasks.mode[:, None].copy())
    deterministic_duration = float(likely.finish[0])
    deterministic_cost = plan.fixed_cost + math.fsum((plan.rate * plan.tasks.mode).tolist())

    # sensitivities: rank correlations with the duration (row 0) and the cost (row 1)
    targets = midranks(np.vstack((duration, cost)))
    task_corr = np.zeros((n, 2))
    for lo in range(0, plan.uncertain.size, _RANK_ROWS):
        rows = plan.uncertain[lo : lo + _RANK_ROWS]
        task_corr[rows] = spearman_rows(uniforms[lo : lo + _RANK_ROWS], targets)
    del uniforms
    risk_dur_corr = spearman_rows(risk_days, targets[:1])[:, 0] if risks else np.zeros(0)
    risk_cost_corr = spearman_rows(risk_money, targets[1:])[:, 0] if risks else np.zeros(0)

    pos = plan.net.position
    ids = checked.task_ids
    on_time = _within(duration, target) if target is not None else None
    in_budget = _within(cost, limit) if limit is not None else None
    both = None if on_time is None or in_budget is None else float((on_time & in_budget).mean())
    return SimulationResult(
        iterations=total,
        seed=int(seed),
        duration=_outcome(duration, histogram_bins, curve_points),
        cost=_outcome(cost, histogram_bins, curve_points),
        deterministic_duration=deterministic_duration,
        deterministic_cost=deterministic_cost,
        target_duration=target,
        chance_on_time=None if on_time is None else float(on_time.mean()),
        budget=limit,
        chance_within_budget=None if in_budget is None else float(in_budget.mean()),
        chance_on_time_and_budget=both,
        criticality={t: float(critical_counts[pos[i]] / total) for i, t in enumerate(ids)},
        task_sensitivity={t: float(task_corr[pos[i], 0]) for i, t in enumerate(ids)},
        risk_sensitivity={r: float(v) for r, v in zip(checked.risk_ids, risk_dur_corr.tolist(), strict=True)},
        task_cost_sensitivity={t: float(task_corr[pos[i], 1]) for i, t in enumerate(ids)},
        risk_cost_sensitivity={r: float(v) for r, v in zip(checked.risk_ids, risk_cost_corr.tolist(), strict=True)},
        risk_occurrence={r: float(c / total) for r, c in zip(checked.risk_ids, occurred.tolist(), strict=True)},
        milestones={m: summarise(milestone_finish[k]) for k, m in enumerate(milestone_ids)},
        samples=Samples(duration, cost, {m: milestone_finish[k] for k, m in enumerate(milestone_ids)})
        if keep_samples
        else None,
    )
