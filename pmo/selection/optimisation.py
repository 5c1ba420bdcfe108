"""From proposals and a scenario's assumptions to the optimiser's problem, and back.

Each proposal is a candidate whose value is its score (or NPV) and whose costs fall in named dimensions:
`budget YEAR` (capex + opex of each business-case year, year 0 being the year of its earliest start) and
`ROLE MONTH` (FTE of each role in each month of its demand). The scenario gives the limits: budget per
year and FTE available per role each month. Mandatory (forced in) and excluded (forced out) proposals,
"requires" and "excludes" links come along. The same problem shape is what `pmo select` reads."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from pmo.selection.models import Proposal, Scenario
from pmo.selection.scoring import score_table
from pmo.selection.selectors import financials


def _month(start: dt.date, offset: int) -> str:
    month_index = start.month - 1 + offset
    return f"{start.year + month_index // 12}-{month_index % 12 + 1:02d}"


def candidate_costs(proposal: Proposal) -> dict[str, float]:
    """Costs of one proposal per dimension (see the module docstring)."""
    start = proposal.earliest_start or dt.date.today()
    costs: dict[str, float] = defaultdict(float)
    for flow in proposal.cash_flows.all():
        amount = float(flow.capex + flow.opex)
        if amount:
            costs[f"budget {start.year + flow.year}"] += amount
    for demand in proposal.demands.all():
        for month in range(demand.start_month, demand.start_month + demand.months):
            costs[f"{demand.role} {_month(start, month)}"] += float(demand.fte)
    return dict(costs)


def scenario_candidates(scenario: Scenario) -> list[Proposal]:
    qs = Proposal.objects.filter(
        state__in=[Proposal.State.SUBMITTED, Proposal.State.UNDER_EVALUATION]
    ).prefetch_related("cash_flows", "demands", "contributions", "requires", "excludes")
    if scenario.portfolio_id:
        qs = qs.filter(portfolio_id=scenario.portfolio_id)
    excluded = set(scenario.forced_out.values_list("pk", flat=True))
    return [p for p in qs.order_by("code") if p.pk not in excluded]


def build_problem(scenario: Scenario) -> dict[str, Any]:
    """The optimiser's input (the `pmo select` JSON shape) for a scenario."""
    candidates = scenario_candidates(scenario)
    ids = {p.pk for p in candidates}
    if scenario.objective == Scenario.Objective.SCORE and scenario.scoring_model_id:
        values = {row.proposal.pk: row.score for row in score_table(scenario.scoring_model, candidates)}
    else:
        values = {p.pk: float(financials(p).npv or 0) for p in candidates}
    forced = set(scenario.forced_in.values_list("pk", flat=True))
    capacities: dict[str, float] = {
        f"budget {year}": float(Decimal(str(amount))) for year, amount in scenario.budget_per_year.items()
    }
    rows = []
    for p in candidates:
        costs = candidate_costs(p)
        for name in costs:
            if name not in capacities:
                role = name.rsplit(" ", 1)[0]
                if not name.startswith("budget ") and role in scenario.capacity_per_role:
                    capacities[name] = float(scenario.capacity_per_role[role])
        rows.append(
            {
                "id": p.code,
                "value": round(values.get(p.pk, 0.0), 4),
                "costs": {k: round(v, 4) for k, v in costs.items() if k in capacities or k.startswith("budget ")},
                "mandatory": p.pk in forced,
                "requires": [r.code for r in p.requires.all() if r.pk in ids],
                "excludes": [r.code for r in p.excludes.all() if r.pk in ids],
            }
        )
    # A budget year the scenario says nothing about is not limited: its limit is the whole demand.
    unlimited = sorted({name for row in rows for name in row["costs"] if name not in capacities})
    for name in unlimited:
        capacities[name] = sum(r["costs"].get(name, 0.0) for r in rows)
    return {"capacities": capacities, "candidates": rows, "unlimited": unlimited}


def _money(x: float) -> str:
    return f"{x:,.0f}"


def _why_not(rejected: Any) -> str:
    """One short sentence on why a candidate was left out and what would get it in: budget years with the
    amount over, roles with the number of months over and the worst month."""
    over: list[str] = []
    roles: dict[str, list[float]] = defaultdict(list)
    for name, amount in sorted(rejected.exceeded.items()):
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
    """Run the portfolio optimiser on a problem of the `pmo select` shape; the answer has that command's JSON
    shape plus an explanation for each candidate left out."""
    from pmo.engine.selection import PortfolioCandidate, PortfolioProblem, efficient_frontier, optimise_portfolio

    engine_problem = PortfolioProblem(
        capacities=problem["capacities"],
        candidates=tuple(
            PortfolioCandidate(
                c["id"],
                c["value"],
                c["costs"],
                mandatory=c.get("mandatory", False),
                requires=tuple(c.get("requires", ())),
                excludes=tuple(c.get("excludes", ())),
            )
            for c in problem["candidates"]
        ),
    )
    result = optimise_portfolio(engine_problem, time_limit_s=time_limit_s)
    answer: dict[str, Any] = {
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "selected": list(result.selected),
        "usage": dict(result.usage),
        "binding": [b.dimension for b in result.binding],
        "explanations": {r.id: _why_not(r) for r in result.rejected},
    }
    if frontier_points:
        answer["frontier"] = [
            {"budget_fraction": p.budget_fraction, "objective": p.objective or 0.0, "selected": list(p.selected)}
            for p in efficient_frontier(
                engine_problem, frontier_points, time_limit_s=max(0.5, time_limit_s / frontier_points)
            )
        ]
    return answer
