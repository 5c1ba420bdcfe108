import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import Field

from pmo.api.crud import Resource, register
from pmo.api.schemas import ERRORS, CodeRef, Ref, code_ref, ref
from pmo.core.errors import ValidationFailed
from pmo.portfolio.models import StrategicObjective
from pmo.selection import selectors, services
from pmo.selection.models import Proposal

router = Router()


class ProposalOut(Schema):
    id: int
    code: str
    title: str
    problem: str
    portfolio: CodeRef | None
    sponsor: Ref | None
    requester: str | None
    state: Proposal.State
    risk_level: Proposal.Risk
    earliest_start: dt.date | None
    latest_start: dt.date | None
    duration_months: int | None
    discount_rate: Decimal
    currency: str
    non_financial_benefits: str
    total_cost: Decimal
    total_benefit: Decimal
    npv: Decimal | None
    irr: float | None
    payback_years: float | None
    requires: list[str]
    excludes: list[str]
    project_id: int | None
    version: int


class ProposalIn(Schema):
    title: str = Field(max_length=200)
    problem: str = ""
    portfolio_id: int | None = None
    sponsor_id: int | None = None
    risk_level: Proposal.Risk = Proposal.Risk.MEDIUM
    earliest_start: dt.date | None = None
    latest_start: dt.date | None = None
    duration_months: int | None = Field(None, ge=1, le=240)
    discount_rate: Decimal = Field(Decimal("8"), ge=0, le=100)
    currency: str = Field("EUR", min_length=3, max_length=3)
    non_financial_benefits: str = ""
    requires_ids: list[int] = []
    excludes_ids: list[int] = []


class ProposalPatch(Schema):
    title: str | None = Field(None, max_length=200)
    problem: str | None = None
    portfolio_id: int | None = None
    sponsor_id: int | None = None
    risk_level: Proposal.Risk | None = None
    earliest_start: dt.date | None = None
    latest_start: dt.date | None = None
    duration_months: int | None = Field(None, ge=1, le=240)
    discount_rate: Decimal | None = Field(None, ge=0, le=100)
    currency: str | None = Field(None, min_length=3, max_length=3)
    non_financial_benefits: str | None = None
    requires_ids: list[int] | None = None
    excludes_ids: list[int] | None = None
    version: int | None = None


class ProposalFilters(Schema):
    state: Proposal.State | None = None
    portfolio_id: int | None = None


def proposal_out(p: Proposal, user: Any) -> dict[str, Any]:
    money = selectors.financials(p)
    return {
        "id": p.pk,
        "code": p.code,
        "title": p.title,
        "problem": p.problem,
        "portfolio": code_ref(p.portfolio),
        "sponsor": ref(p.sponsor),
        "requester": p.requester.get_username() if p.requester_id else None,
        "state": p.state,
        "risk_level": p.risk_level,
        "earliest_start": p.earliest_start,
        "latest_start": p.latest_start,
        "duration_months": p.duration_months,
        "discount_rate": p.discount_rate,
        "currency": p.currency,
        "non_financial_benefits": p.non_financial_benefits,
        "total_cost": money.total_cost,
        "total_benefit": money.total_benefit,
        "npv": money.npv,
        "irr": money.irr,
        "payback_years": money.payback_years,
        "requires": [r.code for r in p.requires.all()],
        "excludes": [r.code for r in p.excludes.all()],
        "project_id": p.project_id,
        "version": p.version,
    }


register(
    router,
    Resource(
        path="proposals",
        model=Proposal,
        out=ProposalOut,
        create_in=ProposalIn,
        patch_in=ProposalPatch,
        filters=ProposalFilters,
        queryset=lambda: Proposal.objects.select_related("portfolio", "sponsor", "requester"),
        scope=lambda qs, user: selectors.visible_proposals(user, qs),
        serialize=proposal_out,
        create=services.proposal_create,
        update=services.proposal_update,
        delete=services.proposal_delete,
        search_fields=("code", "title", "problem"),
        orderings=("code", "title", "state", "earliest_start"),
        m2m={"requires_ids": ("requires", Proposal), "excludes_ids": ("excludes", Proposal)},
        tag="proposals",
        obj_kwarg="proposal",
    ),
)


class CashFlowIn(Schema):
    year: int = Field(ge=0, le=50)
    capex: Decimal = Field(Decimal("0"), ge=0)
    opex: Decimal = Field(Decimal("0"), ge=0)
    benefit: Decimal = Field(Decimal("0"), ge=0)


class DemandIn(Schema):
    role: str = Field(min_length=1, max_length=100)
    fte: Decimal = Field(gt=0)
    start_month: int = Field(0, ge=0)
    months: int = Field(ge=1)


class ContributionIn(Schema):
    objective_id: int
    rating: int = Field(ge=1, le=5)


class BusinessCaseIn(Schema):
    cash_flows: list[CashFlowIn] = []
    demands: list[DemandIn] = []
    contributions: list[ContributionIn] = []


class MoveIn(Schema):
    to_state: Proposal.State
    comment: str = ""
    project_code: str | None = Field(None, description="Required when approving: the new project's code")


def _load(request: HttpRequest, pk: int) -> Proposal:
    proposal = selectors.visible_proposals(request.user).filter(pk=pk).first()
    if proposal is None:
        raise Http404(f"No proposal with id {pk}.")
    return proposal


@router.put(
    "/proposals/{int:pk}/business-case",
    response={200: ProposalOut, **ERRORS},
    summary="Replace the business case (cash flows, people needed, objectives served)",
    tags=["proposals"],
    operation_id="proposals_business_case",
)
def put_business_case(request: HttpRequest, pk: int, payload: BusinessCaseIn) -> Any:
    proposal = _load(request, pk)
    objectives = {
        o.pk: o for o in StrategicObjective.objects.filter(pk__in=[c.objective_id for c in payload.contributions])
    }
    missing = sorted({c.objective_id for c in payload.contributions} - set(objectives))
    if missing:
        raise ValidationFailed({"contributions": f"No strategic objective with id {', '.join(map(str, missing))}."})
    services.proposal_business_case_update(
        actor=request.user,
        proposal=proposal,
        cash_flows=[services.CashFlowRow(c.year, c.capex, c.opex, c.benefit) for c in payload.cash_flows],
        demands=[services.DemandRow(d.role, d.fte, d.start_month, d.months) for d in payload.demands],
        contributions=[(objectives[c.objective_id], c.rating) for c in payload.contributions],
    )
    return proposal_out(_load(request, pk), request.user)


@router.post(
    "/proposals/{int:pk}/move",
    response={200: ProposalOut, **ERRORS},
    summary="Submit, evaluate, approve, reject, defer or withdraw a proposal",
    tags=["proposals"],
    operation_id="proposals_move",
)
def move_proposal(request: HttpRequest, pk: int, payload: MoveIn) -> Any:
    proposal = _load(request, pk)
    if payload.to_state == Proposal.State.APPROVED:
        if not payload.project_code:
            raise ValidationFailed({"project_code": "Give the code of the project the proposal becomes."})
        services.proposal_approve_into_project(
            actor=request.user, proposal=proposal, code=payload.project_code, comment=payload.comment
        )
    else:
        services.proposal_transition(
            actor=request.user, proposal=proposal, to_state=payload.to_state, comment=payload.comment
        )
    return proposal_out(_load(request, pk), request.user)
