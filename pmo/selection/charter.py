"""The charter draft a project starts with when its proposal is approved: what the requester and the
decision makers already agreed on, in the order a charter is read (purpose, objectives, business case,
people, dependencies, decision). The project manager edits it from there."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from pmo.selection.models import Proposal
from pmo.selection.selectors import Financials


def _money(amount: Decimal | float, currency: str) -> str:
    return f"{currency} {float(amount):,.0f}"


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def charter_draft(proposal: Proposal, money: Financials, *, start: dt.date | None, decision: str) -> str:
    """Plain text, one section per paragraph; figures computed from the business case, never retyped."""
    cur = proposal.currency
    lines = [f"Purpose\n{proposal.problem.strip() or proposal.title}"]
    objectives = [
        f"- {c.objective} (contribution {c.rating}/5)" for c in proposal.contributions.select_related("objective")
    ]
    if objectives:
        lines.append("Strategic objectives\n" + "\n".join(objectives))
    if proposal.non_financial_benefits.strip():
        lines.append(f"Other benefits\n{proposal.non_financial_benefits.strip()}")
    case = [f"Total cost {_money(money.total_cost, cur)}", f"total benefit {_money(money.total_benefit, cur)}"]
    if money.npv is not None:
        case.append(f"NPV {_money(money.npv, cur)} at {proposal.discount_rate}%")
    if money.irr is not None:
        case.append(f"IRR {100 * money.irr:.1f}%")
    if money.payback_years is not None:
        case.append(f"payback {money.payback_years:.1f} years")
    flows = [
        f"- year {f.year}: capex {_money(f.capex, cur)}, opex {_money(f.opex, cur)}, benefit {_money(f.benefit, cur)}"
        for f in proposal.cash_flows.all()
    ]
    lines.append("Business case\n" + "; ".join(case) + "." + ("\n" + "\n".join(flows) if flows else ""))
    schedule = []
    if start is not None:
        schedule.append(f"Start {start:%B %Y}")
        if proposal.duration_months:
            schedule.append(f"finish {add_months(start, proposal.duration_months):%B %Y}")
    if proposal.duration_months:
        schedule.append(f"{proposal.duration_months} months")
    if schedule:
        lines.append("Schedule\n" + ", ".join(schedule) + ".")
    demands = [
        f"- {d.fte} FTE {d.role}, months {d.start_month + 1}-{d.start_month + d.months}" for d in proposal.demands.all()
    ]
    if demands:
        lines.append("People\n" + "\n".join(demands))
    depends = [str(p) for p in proposal.requires.all()] + [str(p) for p in proposal.depends_on_projects.all()]
    if depends:
        lines.append("Depends on\n" + "\n".join(f"- {d}" for d in depends))
    people = [f"Sponsor: {proposal.sponsor or 'to be named'}", f"Risk level: {proposal.get_risk_level_display()}"]
    lines.append("Governance\n" + "\n".join(people))
    lines.append(f"Decision\n{decision}")
    return "\n\n".join(lines)
