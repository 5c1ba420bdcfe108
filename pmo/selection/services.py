"""Writes on proposals: create, edit, the business case, and the moves from draft to decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F

from pmo.core import audit
from pmo.core.access import SystemActor, require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.models import AuditEvent
from pmo.core.services import record_create, record_delete, record_update
from pmo.portfolio.models import Project, StrategicObjective
from pmo.selection import lifecycle
from pmo.selection.models import CashFlow, ObjectiveContribution, Proposal, ResourceDemand

PROPOSAL_FIELDS = (
    "title",
    "problem",
    "portfolio",
    "sponsor",
    "risk_level",
    "earliest_start",
    "latest_start",
    "duration_months",
    "discount_rate",
    "non_financial_benefits",
    "currency",
)


def _next_code() -> str:
    last = Proposal.objects.order_by("-id").values_list("code", flat=True).first()
    number = int(last.split("-")[1]) + 1 if last and "-" in last and last.split("-")[1].isdigit() else 1
    return f"PR-{number:04d}"


def _check_window(fields: dict[str, Any], current: Proposal | None = None) -> None:
    start = fields.get("earliest_start", getattr(current, "earliest_start", None))
    latest = fields.get("latest_start", getattr(current, "latest_start", None))
    if start and latest and latest < start:
        raise ValidationFailed({"latest_start": "The latest start cannot be before the earliest start."})


def proposal_create(
    *,
    actor: Any,
    requires: Iterable[Proposal] | None = None,
    excludes: Iterable[Proposal] | None = None,
    **fields: Any,
) -> Proposal:
    """A new draft proposal owned by the actor."""
    _check_window(fields)
    with transaction.atomic():
        requester = None if isinstance(actor, SystemActor) else actor
        m2m = {name: list(v) for name, v in (("requires", requires), ("excludes", excludes)) if v is not None}
        proposal = record_create(
            actor=actor,
            model=Proposal,
            fields={**fields, "requester": requester, "code": _next_code()},
            allowed=(*PROPOSAL_FIELDS, "requester", "code"),
            m2m=m2m or None,
        )
    return proposal


def proposal_update(
    *,
    actor: Any,
    proposal: Proposal,
    expected_version: int | None = None,
    requires: Iterable[Proposal] | None = None,
    excludes: Iterable[Proposal] | None = None,
    **changes: Any,
) -> Proposal:
    _check_window(changes, proposal)
    m2m = {name: list(v) for name, v in (("requires", requires), ("excludes", excludes)) if v is not None}
    if any(p.pk == proposal.pk for values in m2m.values() for p in values):
        raise ValidationFailed({"requires": "A proposal cannot require or exclude itself."})
    return record_update(
        actor=actor,
        obj=proposal,
        changes=changes,
        allowed=PROPOSAL_FIELDS,
        expected_version=expected_version,
        m2m=m2m or None,
    )


def proposal_delete(*, actor: Any, proposal: Proposal) -> None:
    record_delete(actor=actor, obj=proposal)


@dataclass(frozen=True)
class CashFlowRow:
    year: int
    capex: Decimal = Decimal("0")
    opex: Decimal = Decimal("0")
    benefit: Decimal = Decimal("0")


@dataclass(frozen=True)
class DemandRow:
    role: str
    fte: Decimal
    start_month: int
    months: int


def _case_snapshot(proposal: Proposal) -> dict[str, list[str]]:
    return {
        "cash flows": [
            f"year {c.year}: capex {c.capex} opex {c.opex} benefit {c.benefit}" for c in proposal.cash_flows.all()
        ],
        "resource demand": [str(d) for d in proposal.demands.all()],
        "objectives": [f"{c.objective.code} {c.rating}" for c in proposal.contributions.select_related("objective")],
    }


def proposal_business_case_update(
    *,
    actor: Any,
    proposal: Proposal,
    cash_flows: Iterable[CashFlowRow],
    demands: Iterable[DemandRow],
    contributions: Iterable[tuple[StrategicObjective, int]],
) -> Proposal:
    """Replace the proposal's yearly cash flows, resource demand and objective ratings, audited as one change."""
    require(actor, "change", proposal)
    flows, needs, ratings = list(cash_flows), list(demands), list(contributions)
    errors: dict[str, str] = {}
    years = [f.year for f in flows]
    if len(set(years)) != len(years):
        errors["cash_flows"] = "Each year can appear once."
    if any(min(f.capex, f.opex, f.benefit) < 0 for f in flows):
        errors["cash_flows"] = "Amounts cannot be negative: costs and benefits are entered as positive numbers."
    for index, need in enumerate(needs, start=1):
        if not need.role.strip() or need.fte <= 0 or need.months < 1 or need.start_month < 0:
            errors["demands"] = f"Row {index}: give a role, FTE above 0, a start month from 0 and at least 1 month."
    if len({o.pk for o, _ in ratings}) != len(ratings):
        errors["contributions"] = "Rate each objective once."
    if any(not 1 <= rating <= 5 for _, rating in ratings):
        errors["contributions"] = "Ratings go from 1 (a little) to 5 (decisively)."
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        before = _case_snapshot(proposal)
        proposal.cash_flows.all().delete()
        proposal.demands.all().delete()
        proposal.contributions.all().delete()
        CashFlow.objects.bulk_create(
            CashFlow(proposal=proposal, year=f.year, capex=f.capex, opex=f.opex, benefit=f.benefit) for f in flows
        )
        ResourceDemand.objects.bulk_create(
            ResourceDemand(
                proposal=proposal, role=n.role.strip(), fte=n.fte, start_month=n.start_month, months=n.months
            )
            for n in needs
        )
        ObjectiveContribution.objects.bulk_create(
            ObjectiveContribution(proposal=proposal, objective=o, rating=r) for o, r in ratings
        )
        Proposal.objects.filter(pk=proposal.pk).update(version=F("version") + 1)
        audit.record(
            actor=actor, action=AuditEvent.Action.UPDATE, obj=proposal, before=before, after=_case_snapshot(proposal)
        )
    proposal.refresh_from_db()
    return proposal


def missing_for_submission(proposal: Proposal) -> dict[str, str]:
    """What the business case still lacks before the proposal can be submitted, by field."""
    missing: dict[str, str] = {}
    if not proposal.problem.strip():
        missing["problem"] = "Describe the problem and the objectives."
    if proposal.sponsor_id is None:
        missing["sponsor"] = "Name a sponsor."
    if proposal.portfolio_id is None:
        missing["portfolio"] = "Choose the portfolio the proposal is for."
    if proposal.earliest_start is None:
        missing["earliest_start"] = "Give the earliest start."
    if not proposal.duration_months:
        missing["duration_months"] = "Give the expected duration in months."
    flows = list(proposal.cash_flows.all())
    if not any(f.capex or f.opex for f in flows):
        missing["cash_flows"] = "Enter the estimated cost per year (capex and opex)."
    if not any(f.benefit for f in flows) and not proposal.non_financial_benefits.strip():
        missing["benefits"] = "Enter the expected benefits: money per year, or non-financial benefits."
    if not proposal.contributions.exists():
        missing["contributions"] = "Rate at least one strategic objective the proposal serves."
    if not proposal.demands.exists():
        missing["demands"] = "Enter the people needed by role and month (e.g. 2 FTE developer for 6 months)."
    return missing


def proposal_transition(*, actor: Any, proposal: Proposal, to_state: str, comment: str = "") -> Proposal:
    """Move a proposal along its lifecycle, by the role allowed, with a comment; audited."""
    source = proposal.state
    allowed = lifecycle.TRANSITIONS.get(source, {})
    if to_state not in allowed:
        names = ", ".join(Proposal.State(s).label.lower() for s in allowed) or "none (it is final)"
        raise Conflict(
            f"A proposal cannot go from {Proposal.State(source).label.lower()} to "
            f"{Proposal.State(to_state).label.lower() if to_state in Proposal.State.values else to_state}. "
            f"Allowed next states: {names}.",
            details={"state": source, "allowed": list(allowed)},
        )
    require(actor, allowed[to_state], proposal)
    if to_state in lifecycle.COMMENT_REQUIRED and not comment.strip():
        raise ValidationFailed({"comment": "Say why, for the requester and the record."})
    if to_state == Proposal.State.SUBMITTED:
        missing = missing_for_submission(proposal)
        if missing:
            raise ValidationFailed(missing, message="The business case is not complete: " + " ".join(missing.values()))
    with transaction.atomic():
        before = audit.snapshot(proposal)
        proposal.state = to_state
        proposal.version += 1
        proposal.save(update_fields=["state", "version", "updated_at"])
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=proposal,
            before=before,
            after=audit.snapshot(proposal),
            comment=comment.strip(),
        )
    return proposal


def proposal_approve_into_project(
    *,
    actor: Any,
    proposal: Proposal,
    code: str,
    comment: str = "",
    start: dt.date | None = None,
    methodology_version: Any = None,
) -> Project:
    """Approve a proposal under evaluation: it becomes a project (state approved) carrying its business case's
    objectives, dates, budget and a charter draft; audited on both records. ``start`` is the start month a
    scenario chose within the proposal's window (default: its earliest start). The project follows
    ``methodology_version`` (a published governance.MethodologyVersion or its id; default: the latest published
    waterfall one, if any) from its first phase."""
    from pmo.governance import selectors as governance_selectors
    from pmo.governance import services as governance_services
    from pmo.portfolio import services as portfolio_services
    from pmo.selection.charter import add_months, charter_draft
    from pmo.selection.selectors import financials

    require(actor, "decide", proposal)
    if proposal.portfolio_id is None:
        raise ValidationFailed({"portfolio": "Choose the portfolio the project goes into."})
    version = governance_selectors.published_version(methodology_version, field="methodology_version")
    with transaction.atomic():
        proposal_transition(actor=actor, proposal=proposal, to_state=Proposal.State.APPROVED, comment=comment)
        money = financials(proposal)
        start = start or proposal.earliest_start
        decision = f"Approved by {getattr(actor, 'get_full_name', lambda: '')() or actor} on {dt.date.today():%d %B %Y}"
        decision += f": {comment}" if comment else "."
        project = portfolio_services.project_create(
            actor=actor,
            state="approved",
            code=code,
            name=proposal.title[:200],
            description=proposal.problem,
            portfolio=proposal.portfolio,
            sponsor=proposal.sponsor,
            planned_start=start,
            planned_finish=add_months(start, proposal.duration_months) if start and proposal.duration_months else None,
            charter=charter_draft(proposal, money, start=start, decision=decision),
            budget=money.total_cost,
            currency=proposal.currency,
            objectives=[c.objective for c in proposal.contributions.select_related("objective")],
            **({"methodology": version.methodology.kind} if version is not None else {}),
        )
        version = version or governance_selectors.latest_published(project.methodology)
        if version is not None:
            governance_services.project_methodology_set(actor=actor, project=project, version=version, start=start)
        Proposal.objects.filter(pk=proposal.pk).update(project=project)
        proposal.project = project
    return project
