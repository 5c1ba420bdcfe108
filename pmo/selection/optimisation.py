"""From proposals and a scenario's assumptions to the optimiser's problem, and back.

Each proposal is a candidate whose value is its score (or NPV, total benefit, strategic fit) and whose costs
fall in named dimensions: `budget YEAR` (capex + opex of each business-case year, year 0 being the year of
its earliest start) and `ROLE MONTH` (FTE of each role in each month of its demand). The scenario gives the
limits: budget per year and FTE available per role each month. Mandatory (forced in) and excluded (forced
out) proposals, "requires" and "excludes" links come along. The same problem shape is what `pmo select`
reads.

Two options go beyond that shape:

* **Running projects compete too**: every active project that came from a proposal is a candidate (its id
  is the project code) with its remaining costs (budget years from this year, demand months from this
  month). Leaving it out means stopping it.
* **Choose start months**: a proposal may start in any month of its window (earliest..latest start); its
  role demand is then a time-phased profile (``"profile"``, ``"starts"``, with ``"period_capacities"`` per
  role over ``"months"``) and the optimiser picks the start that fits. Budget years stay those of the
  earliest start."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pmo.portfolio.lifecycle import ACTIVE_STATES
from pmo.selection.models import Proposal, Scenario
from pmo.selection.scoring import score_table
from pmo.selection.selectors import financials

# A window longer than this many months is cut: more starts add little and slow the model down.
MAX_STARTS = 12


def _month(start: dt.date, offset: int) -> str:
    month_index = start.month - 1 + offset
    return f"{start.year + month_index // 12}-{month_index % 12 + 1:02d}"


def _months_between(earlier: dt.date, later: dt.date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


@dataclass(frozen=True)
class Candidate:
    """A proposal competing for money and people, or a running project (``project`` set) that may be stopped."""

    proposal: Proposal
    project_code: str | None = None

    @property
    def id(self) -> str:
        return self.project_code or self.proposal.code

    @property
    def start(self) -> dt.date:
        if self.project_code and self.proposal.project and self.proposal.project.planned_start:
            return self.proposal.project.planned_start.replace(day=1)
        return (self.proposal.earliest_start or dt.date.today()).replace(day=1)


def candidate_costs(
    proposal: Proposal, *, start: dt.date | None = None, today: dt.date | None = None
) -> dict[str, float]:
    """Costs of one proposal per dimension (see the module docstring); with ``today``, only what is still to
    be spent: budget years from today's year and demand months from today's month."""
    start = start or proposal.earliest_start or dt.date.today()
    costs: dict[str, float] = defaultdict(float)
    for flow in proposal.cash_flows.all():
        amount = float(flow.capex + flow.opex)
        if amount and (today is None or start.year + flow.year >= today.year):
            costs[f"budget {start.year + flow.year}"] += amount
    now = None if today is None else _month(today, 0)
    for demand in proposal.demands.all():
        for month in range(demand.start_month, demand.start_month + demand.months):
            label = _month(start, month)
            if now is None or label >= now:
                costs[f"{demand.role} {label}"] += float(demand.fte)
    return dict(costs)


def scenario_candidates(scenario: Scenario) -> list[Candidate]:
    """Proposals submitted or under evaluation, and with the option running projects from proposals; minus
    those forced out."""
    qs = Proposal.objects.filter(
        state__in=[Proposal.State.SUBMITTED, Proposal.State.UNDER_EVALUATION]
    ).prefetch_related("cash_flows", "demands", "contributions", "requires", "excludes")
    running = Proposal.objects.none()
    if scenario.include_running:
        running = (
            Proposal.objects.filter(state=Proposal.State.APPROVED, project__state__in=ACTIVE_STATES)
            .select_related("project")
            .prefetch_related("cash_flows", "demands", "contributions", "requires", "excludes")
        )
    if scenario.portfolio_id:
        qs = qs.filter(portfolio_id=scenario.portfolio_id)
        running = running.filter(project__portfolio_id=scenario.portfolio_id)
    excluded = set(scenario.forced_out.values_list("pk", flat=True))
    found = [Candidate(p) for p in qs.order_by("code") if p.pk not in excluded]
    found += [Candidate(p, p.project.code) for p in running.order_by("project__code") if p.pk not in excluded]
    return found


def _values(scenario: Scenario, candidates: list[Candidate]) -> dict[int, float]:
    proposals = [c.proposal for c in candidates]
    if scenario.objective == Scenario.Objective.SCORE and scenario.scoring_model_id:
        return {row.proposal.pk: row.score for row in score_table(scenario.scoring_model, proposals)}
    if scenario.objective == Scenario.Objective.BENEFIT:
        return {p.pk: float(financials(p).total_benefit) for p in proposals}
    if scenario.objective == Scenario.Objective.STRATEGIC_FIT:
        return {p.pk: float(sum(c.rating for c in p.contributions.all())) for p in proposals}
    return {p.pk: float(financials(p).npv or 0) for p in proposals}


def build_problem(scenario: Scenario, *, today: dt.date | None = None) -> dict[str, Any]:
    """The optimiser's input (the `pmo select` JSON shape, plus the time-phased fields when start months are
    chosen) for a scenario."""
    today = today or dt.date.today()
    candidates = scenario_candidates(scenario)
    by_proposal = {c.proposal.pk: c for c in candidates}
    values = _values(scenario, candidates)
    forced = set(scenario.forced_in.values_list("pk", flat=True))
    capacities: dict[str, float] = {
        f"budget {year}": float(Decimal(str(amount))) for year, amount in scenario.budget_per_year.items()
    }
    roles = dict(scenario.capacity_per_role)
    phased = scenario.spread_starts
    # Month 0 of the time-phased rows: this month, or the earliest proposal start if that is earlier.
    origin = min([today.replace(day=1), *(c.start for c in candidates if c.project_code is None)])
    horizon = 0
    rows = []
    for cand in candidates:
        running = cand.project_code is not None
        p = cand.proposal
        base = origin if running else cand.start  # a running project's profile counts from month 0
        costs = candidate_costs(p, start=cand.start, today=today if running else None)
        row: dict[str, Any] = {"id": cand.id, "value": round(values.get(p.pk, 0.0), 4)}
        flat: dict[str, float] = {}
        profile: dict[str, list[float]] = {}
        for name, amount in costs.items():
            if name.startswith("budget "):
                flat[name] = amount
                continue
            role, month = name.rsplit(" ", 1)
            if role not in roles:
                continue  # a role the scenario does not limit
            if phased:
                year, mon = (int(x) for x in month.split("-"))
                offset = _months_between(base, dt.date(year, mon, 1))
                series = profile.setdefault(role, [])
                series.extend([0.0] * (offset + 1 - len(series)))
                series[offset] += amount
            else:
                flat[name] = amount
                capacities.setdefault(name, float(roles[role]))
        row["costs"] = {k: round(v, 4) for k, v in flat.items()}
        row["mandatory"] = p.pk in forced
        row["requires"] = [r.code for r in p.requires.all() if r.pk in by_proposal]
        row["excludes"] = [r.code for r in p.excludes.all() if r.pk in by_proposal]
        if phased:
            first = _months_between(origin, base)
            last = first
            if not running and p.latest_start and p.latest_start > cand.start:
                last = min(first + MAX_STARTS - 1, _months_between(origin, p.latest_start.replace(day=1)))
            row["starts"] = list(range(first, last + 1))
            row["profile"] = {role: [round(v, 4) for v in series] for role, series in profile.items()}
            horizon = max([horizon, last + 1, *(last + len(series) for series in profile.values())])
        rows.append(row)
    # Requires/excludes name proposals; a running project is known by its project code.
    code_of = {c.proposal.code: c.id for c in candidates}
    for row in rows:
        row["requires"] = [code_of[code] for code in row["requires"]]
        row["excludes"] = [code_of[code] for code in row["excludes"]]
    # A budget year the scenario says nothing about is not limited: its limit is the whole demand.
    unlimited = sorted({name for row in rows for name in row["costs"] if name not in capacities})
    for name in unlimited:
        capacities[name] = sum(r["costs"].get(name, 0.0) for r in rows)
    problem: dict[str, Any] = {"capacities": capacities, "candidates": rows, "unlimited": unlimited}
    if phased:
        used_roles = sorted({role for row in rows for role in row["profile"]})
        problem["months"] = [_month(origin, t) for t in range(horizon)]
        problem["period_capacities"] = {role: [float(roles[role])] * horizon for role in used_roles}
    return problem


def _money(x: float) -> str:
    return f"{x:,.0f}"


def _why_not(rejected: Any, exceeded: dict[str, float]) -> str:
    """One short sentence on why a candidate was left out and what would get it in: budget years with the
    amount over, roles with the number of months over and the worst month."""
    over: list[str] = []
    roles: dict[str, list[float]] = defaultdict(list)
    for name, amount in sorted(exceeded.items()):
        if name.startswith("budget "):
            over.append(f"{name} by {_money(amount)}")
        else:
            roles[name.rsplit(" ", 1)[0]].append(amount)
    for role, amounts in sorted(roles.items()):
        months = "1 month" if len(amounts) == 1 else f"{len(amounts)} months"
        over.append(f"{role} capacity in {months} (by up to {max(amounts):g} FTE)")
    parts = []
    if over:
        parts.append("would exceed " + ", ".join(over))
    if rejected.conflicts:
        parts.append(f"excludes {', '.join(rejected.conflicts)}")
    if rejected.value_needed is not None:
        parts.append(f"gets in if its value rises by {rejected.value_needed:.1f}")
    if not parts and rejected.reason:
        parts.append(str(rejected.reason).rstrip("."))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "." if text else ""


def solve(problem: dict[str, Any], *, time_limit_s: float = 10.0, frontier_points: int = 0) -> dict[str, Any]:
    """Run the portfolio optimiser on a problem of the `pmo select` shape (plus the time-phased fields); the
    answer has that command's JSON shape plus the capacity of every row, the chosen start months and an
    explanation for each candidate left out. Time-phased rows are named ``ROLE YYYY-MM`` like flat ones."""
    from pmo.engine.selection import PortfolioCandidate, PortfolioProblem, efficient_frontier, optimise_portfolio

    months: list[str] = problem.get("months", [])
    engine_problem = PortfolioProblem(
        capacities=problem["capacities"],
        period_capacities=problem.get("period_capacities", {}),
        candidates=tuple(
            PortfolioCandidate(
                c["id"],
                c["value"],
                c["costs"],
                mandatory=c.get("mandatory", False),
                requires=tuple(c.get("requires", ())),
                excludes=tuple(c.get("excludes", ())),
                profile=c.get("profile", {}),
                starts=tuple(c.get("starts", (0,))),
            )
            for c in problem["candidates"]
        ),
    )

    def row_name(key: str) -> str:
        if "@" not in key:
            return key
        role, period = key.rsplit("@", 1)
        return f"{role} {months[int(period)]}"

    result = optimise_portfolio(engine_problem, time_limit_s=time_limit_s)
    answer: dict[str, Any] = {
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "selected": list(result.selected),
        "usage": {row_name(k): v for k, v in result.usage.items()},
        "capacities": {row_name(k): v for k, v in result.capacities.items()},
        "binding": [
            {
                "name": row_name(b.dimension),
                "blocked": list(b.blocked),
                "slack": b.slack,
                "shadow_price": b.shadow_price,
            }
            for b in result.binding
        ],
        "explanations": {r.id: _why_not(r, {row_name(k): v for k, v in r.exceeded.items()}) for r in result.rejected},
    }
    if months:
        answer["starts"] = {cid: months[t] for cid, t in result.starts.items()}
    if frontier_points:
        answer["frontier"] = [
            {"budget_fraction": p.budget_fraction, "objective": p.objective or 0.0, "selected": list(p.selected)}
            for p in efficient_frontier(
                engine_problem, frontier_points, time_limit_s=max(0.5, time_limit_s / frontier_points)
            )
        ]
    return answer
