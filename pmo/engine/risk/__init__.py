"""Quantitative schedule and cost risk analysis: Monte Carlo simulation of a task network.

Build a :class:`RiskModel` from :class:`RiskTask` values (a :class:`ThreePoint` duration estimate in
working days, triangular or PERT-beta, and an optional cost: fixed + per day of duration), the
:class:`Link` values between them (FS/SS/FF/SF with lags, as in :mod:`pmo.engine.schedule`), the
:class:`RiskEvent` values of the risk register (a probability and :class:`RiskImpact` values: extra
days on a task and/or extra cost, each a three-point estimate) and optional :class:`Correlation`
groups, then call :func:`simulate`:

>>> model = RiskModel(
...     tasks=[
...         RiskTask("Design", ThreePoint(8, 10, 15), cost_per_day=500),
...         RiskTask("Build", ThreePoint(15, 20, 30, "pert"), cost_per_day=800),
...         RiskTask("Docs", ThreePoint(5, 8, 12), cost_per_day=300),
...         RiskTask("Go-live", ThreePoint.fixed(0), fixed_cost=2000),
...     ],
...     links=[Link("Design", "Build"), Link("Design", "Docs"), Link("Build", "Go-live"), Link("Docs", "Go-live")],
...     risks=[RiskEvent("R1", 0.3, [RiskImpact("Build", ThreePoint(2, 5, 10), cost=ThreePoint(0, 2000, 8000))])],
... )
>>> result = simulate(model, iterations=5000, seed=1, target_duration=32, milestones=["Build"])
>>> result.deterministic_duration, round(result.duration.summary.p50, 1), round(result.duration.summary.p80, 1)
(30.0, 33.0, 36.9)
>>> round(result.chance_on_time, 2), result.criticality["Build"], result.criticality["Docs"]
(0.4, 1.0, 0.0)
>>> [(d.kind, d.id, round(d.correlation, 2)) for d in result.drivers(3)]
[('task', 'Build', 0.67), ('risk', 'R1', 0.61), ('task', 'Design', 0.34)]

Sampling (see :mod:`pmo.engine.risk.sampling`)
    Durations are drawn by inversion: a uniform per task and iteration through the inverse CDF of the
    estimate.  Tasks of a :class:`Correlation` group get their uniforms from a Gaussian copula (one
    common normal factor weighted ``sqrt(rho)`` plus an own factor weighted ``sqrt(1 - rho)``), so the
    marginals are exactly the estimates' and ``rho = 1`` makes the group's uniforms identical.  Each
    risk occurs in an iteration with its probability (one draw, shared by all its impacts); each
    impact draws its extra days and extra cost.  A task's duration is its draw plus the extra days of
    the risks that occurred.  The random streams (tasks, occurrences, impact amounts, copula) are
    separate and drawn iteration by iteration from ``numpy.random.SeedSequence(seed)``, so the same
    model and seed give the same result and one task's draws do not depend on the other estimates.
Scheduling (see :mod:`pmo.engine.risk.network`)
    Each iteration is scheduled by the critical path method in continuous working days from the
    project start (0), with the link semantics of :mod:`pmo.engine.schedule`; the passes are
    vectorised over iterations (the Python loop runs over the network's levels).  A task is critical in
    an iteration when its total float is zero (within ``1e-9`` of the project duration).
Cost
    A task costs ``fixed_cost + cost_per_day x duration`` (its extra risk days included); the total adds
    the risks' extra costs.
Results (:class:`SimulationResult`)
    Summaries (mean, std, min, max, P10, P50, P80, P90), histogram and S-curve of the duration and the
    cost, the chance to meet a target duration and a budget, the criticality index of each task,
    Spearman rank correlations of each task and risk with the duration and the cost (the tornado:
    :meth:`SimulationResult.drivers`) and the finish of chosen milestones.

The engine speaks working days; the caller turns them into dates with the project's
:class:`~pmo.engine.calendar.WorkingCalendar` (``start`` + ``days x minutes_per_day`` working minutes)
and its ``Decimal`` money into floats and back.  Memory: about ``8 x tasks x iterations`` bytes are kept
for the task sensitivities (80 MB for 1,000 tasks and 10,000 iterations), blocks of about 1 M values and
64 KiB per distinct PERT shape ``(most_likely - min) / (max - min)``.
``bench/bench_risk.py`` checks the figures against closed forms and measures the speed.
"""

from __future__ import annotations

from pmo.engine.risk.model import (
    CheckedModel,
    Correlation,
    CyclicNetworkError,
    Distribution,
    Link,
    RiskEvent,
    RiskImpact,
    RiskModel,
    RiskTask,
    ThreePoint,
    validate,
)
from pmo.engine.risk.simulation import Driver, Outcome, Samples, SimulationResult, simulate
from pmo.engine.risk.stats import Histogram, Summary, histogram, s_curve, spearman, summarise

__all__ = [
    "CheckedModel",
    "Correlation",
    "CyclicNetworkError",
    "Distribution",
    "Driver",
    "Histogram",
    "Link",
    "Outcome",
    "RiskEvent",
    "RiskImpact",
    "RiskModel",
    "RiskTask",
    "Samples",
    "SimulationResult",
    "Summary",
    "ThreePoint",
    "histogram",
    "s_curve",
    "simulate",
    "spearman",
    "summarise",
    "validate",
]
