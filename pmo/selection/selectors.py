"""Reads of proposals: the business case figures computed from the cash flows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet

from pmo.core.access import can, roles_of
from pmo.core.roles import Role
from pmo.engine import finance
from pmo.selection.models import Proposal


@dataclass(frozen=True)
class Financials:
    total_cost: Decimal
    total_benefit: Decimal
    npv: Decimal | None
    irr: float | None
    payback_years: float | None


def financials(proposal: Proposal) -> Financials:
    """NPV at the proposal's discount rate, IRR and payback, computed from its yearly cash flows (never typed)."""
    flows = list(proposal.cash_flows.all())
    if not flows:
        return Financials(Decimal(0), Decimal(0), None, None, None)
    last = max(f.year for f in flows)
    by_year = {f.year: f for f in flows}
    net = [float(by_year[y].net) if y in by_year else 0.0 for y in range(last + 1)]
    rate = float(proposal.discount_rate) / 100
    return Financials(
        total_cost=sum((f.capex + f.opex for f in flows), Decimal(0)),
        total_benefit=sum((f.benefit for f in flows), Decimal(0)),
        npv=Decimal(str(round(finance.npv(rate, net), 2))),
        irr=finance.irr(net),
        payback_years=finance.payback_years(net),
    )


def rankable_proposals(user: object) -> QuerySet[Proposal]:
    """What the ranking lists: proposals submitted or under evaluation, and running projects that came from a
    proposal (ranked by their business case, so the PMO sees which no longer earn their place)."""
    from pmo.portfolio.lifecycle import ACTIVE_STATES

    return (
        visible_proposals(user)
        .filter(
            Q(state__in=[Proposal.State.SUBMITTED, Proposal.State.UNDER_EVALUATION])
            | Q(state=Proposal.State.APPROVED, project__state__in=ACTIVE_STATES)
        )
        .select_related("project")
        .prefetch_related("contributions", "cash_flows")
    )


def visible_proposals(user: object, qs: QuerySet[Proposal] | None = None) -> QuerySet[Proposal]:
    """Requesters see their own proposals; everybody else with access sees all."""
    qs = Proposal.objects.select_related("portfolio", "sponsor", "requester") if qs is None else qs
    if not can(user, "view", Proposal):
        return qs.none()
    roles = roles_of(user)
    if roles and roles <= {Role.REQUESTER}:
        return qs.filter(requester_id=getattr(user, "pk", None))
    return qs
