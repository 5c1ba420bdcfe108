import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from pmo.api.crud import Resource, register
from pmo.api.schemas import ERRORS, CodeRef, Ref, code_ref, ref
from pmo.core.access import can, require
from pmo.core.errors import ValidationFailed
from pmo.portfolio.models import StrategicObjective
from pmo.selection import scenarios, scoring, selectors, services
from pmo.selection.models import Proposal, Scenario, ScoringModel

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


# --- scoring: the ranking and evaluators' ratings ----------------------------------------------------------


class CriterionScoreOut(Schema):
    criterion_id: int
    criterion: str
    raw: float | None = Field(description="The value from the business case, or the evaluators' mean rating")
    normalised: float | None = Field(description="0..1, 1 = best among the candidates")
    points: float = Field(description="What the criterion adds to the score out of 100")
    spread: float | None = Field(description="Standard deviation between evaluators (rated criteria)")
    ratings: int


class RankingRowOut(Schema):
    rank: int
    proposal_id: int
    code: str
    title: str
    state: Proposal.State
    project_code: str | None
    score: float
    parts: list[CriterionScoreOut]
    missing_evaluators: list[str]


class RankingFilters(Schema):
    scoring_model_id: int | None = Field(None, description="Default: the first active scoring model")
    portfolio_id: int | None = None


@router.get(
    "/ranking",
    response={200: list[RankingRowOut], **ERRORS},
    summary="Proposals and projects from proposals ranked by score, broken down by criterion",
    tags=["scoring"],
    operation_id="ranking",
)
def ranking(request: HttpRequest, filters: Query[RankingFilters]) -> Any:
    require(request.user, "view", ScoringModel)
    models = ScoringModel.objects.filter(active=True)
    model = models.filter(pk=filters.scoring_model_id).first() if filters.scoring_model_id else models.first()
    if model is None:
        raise Http404("No active scoring model." if not filters.scoring_model_id else "No such scoring model.")
    proposals = selectors.rankable_proposals(request.user)
    if filters.portfolio_id:
        proposals = proposals.filter(portfolio_id=filters.portfolio_id)
    rows = scoring.score_table(model, list(proposals))
    return [
        {
            "rank": row.rank,
            "proposal_id": row.proposal.pk,
            "code": row.proposal.code,
            "title": row.proposal.title,
            "state": row.proposal.state,
            "project_code": row.proposal.project.code if row.proposal.project else None,
            "score": row.score,
            "parts": [
                {
                    "criterion_id": part.criterion.pk,
                    "criterion": part.criterion.name,
                    "raw": part.raw,
                    "normalised": part.normalised,
                    "points": part.weighted,
                    "spread": part.spread,
                    "ratings": part.ratings,
                }
                for part in row.parts
            ],
            "missing_evaluators": row.missing_evaluators,
        }
        for row in rows
    ]


class RatingIn(Schema):
    criterion_id: int
    rating: int = Field(description="1 to 5, as the criterion's levels describe")
    comment: str = ""


class EvaluationIn(Schema):
    scoring_model_id: int
    ratings: list[RatingIn]


@router.put(
    "/proposals/{int:pk}/evaluation",
    response={204: None, **ERRORS},
    summary="Record your ratings of a proposal on a scoring model's rated criteria (replacing earlier ones)",
    tags=["scoring"],
    operation_id="proposals_evaluate",
)
def put_evaluation(request: HttpRequest, pk: int, payload: EvaluationIn) -> Any:
    proposal = _load(request, pk)
    model = ScoringModel.objects.filter(pk=payload.scoring_model_id).first()
    if model is None:
        raise ValidationFailed({"scoring_model_id": f"No scoring model with id {payload.scoring_model_id}."})
    criteria = {c.pk: c for c in model.criteria.all()}
    unknown = sorted({r.criterion_id for r in payload.ratings} - set(criteria))
    if unknown:
        raise ValidationFailed({"ratings": f"No criterion of '{model.name}' with id {', '.join(map(str, unknown))}."})
    scoring.evaluation_record(
        actor=request.user,
        proposal=proposal,
        model=model,
        ratings={criteria[r.criterion_id]: (r.rating, r.comment) for r in payload.ratings},
    )
    return 204, None


# --- scenarios ---------------------------------------------------------------------------------------


class ScenarioOut(Schema):
    id: int
    name: str
    portfolio: CodeRef | None
    scoring_model_id: int | None
    objective: Scenario.Objective
    budget_per_year: dict[str, float]
    capacity_per_role: dict[str, float]
    include_running: bool
    spread_starts: bool
    forced_in: list[str] = Field(description="Codes of the must-do proposals")
    forced_out: list[str] = Field(description="Codes of the proposals left out")
    time_limit_s: float
    frontier_points: int
    status: Scenario.Status
    progress: int
    message: str
    result: dict[str, Any] = Field(
        description="After a run: status, objective, bound, gap, selected, usage, capacities, binding, "
        "explanations, starts (when start months are chosen), frontier and the problem solved"
    )
    version: int


class ScenarioIn(Schema):
    name: str = Field(max_length=100)
    portfolio_id: int | None = None
    scoring_model_id: int | None = None
    objective: Scenario.Objective = Scenario.Objective.SCORE
    budget_per_year: dict[str, float] = Field(default_factory=dict, description='e.g. {"2027": 2000000}')
    capacity_per_role: dict[str, float] = Field(default_factory=dict, description='e.g. {"Backend developer": 4}')
    include_running: bool = False
    spread_starts: bool = False
    forced_in_ids: list[int] = []
    forced_out_ids: list[int] = []
    time_limit_s: float = Field(10, gt=0, le=600)
    frontier_points: int = Field(8, ge=0, le=50)


class ScenarioPatch(Schema):
    name: str | None = Field(None, max_length=100)
    portfolio_id: int | None = None
    scoring_model_id: int | None = None
    objective: Scenario.Objective | None = None
    budget_per_year: dict[str, float] | None = None
    capacity_per_role: dict[str, float] | None = None
    include_running: bool | None = None
    spread_starts: bool | None = None
    forced_in_ids: list[int] | None = None
    forced_out_ids: list[int] | None = None
    time_limit_s: float | None = Field(None, gt=0, le=600)
    frontier_points: int | None = Field(None, ge=0, le=50)
    version: int | None = None


class ScenarioFilters(Schema):
    status: Scenario.Status | None = None
    portfolio_id: int | None = None


def scenario_out(s: Scenario, user: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "portfolio": code_ref(s.portfolio),
        "scoring_model_id": s.scoring_model_id,
        "objective": s.objective,
        "budget_per_year": s.budget_per_year,
        "capacity_per_role": s.capacity_per_role,
        "include_running": s.include_running,
        "spread_starts": s.spread_starts,
        "forced_in": [p.code for p in s.forced_in.all()],
        "forced_out": [p.code for p in s.forced_out.all()],
        "time_limit_s": s.time_limit_s,
        "frontier_points": s.frontier_points,
        "status": s.status,
        "progress": s.progress,
        "message": s.message,
        "result": s.result,
        "version": s.version,
    }


register(
    router,
    Resource(
        path="scenarios",
        model=Scenario,
        out=ScenarioOut,
        create_in=ScenarioIn,
        patch_in=ScenarioPatch,
        filters=ScenarioFilters,
        queryset=lambda: Scenario.objects.select_related("portfolio").prefetch_related("forced_in", "forced_out"),
        serialize=scenario_out,
        create=scenarios.scenario_save,
        update=scenarios.scenario_save,
        delete=scenarios.scenario_delete,
        search_fields=("name",),
        orderings=("name", "status", "created_at"),
        m2m={"forced_in_ids": ("forced_in", Proposal), "forced_out_ids": ("forced_out", Proposal)},
        tag="scenarios",
        obj_kwarg="scenario",
    ),
)


def _scenario(request: HttpRequest, pk: int) -> Scenario:
    scenario = Scenario.objects.filter(pk=pk).first()
    if scenario is None or not can(request.user, "view", scenario):
        raise Http404(f"No scenario with id {pk}.")
    return scenario


@router.post(
    "/scenarios/{int:pk}/run",
    response={202: ScenarioOut, **ERRORS},
    summary="Run the optimiser on the scenario (a background task: poll the scenario until its status is "
    "'done' or 'failed')",
    tags=["scenarios"],
    operation_id="scenarios_run",
)
def run_scenario(request: HttpRequest, pk: int) -> Any:
    scenario = scenarios.scenario_run(actor=request.user, scenario=_scenario(request, pk))
    return 202, scenario_out(scenario, request.user)


class CopyIn(Schema):
    name: str = Field(max_length=100)


@router.post(
    "/scenarios/{int:pk}/copy",
    response={201: ScenarioOut, **ERRORS},
    summary="Copy a scenario's assumptions under a new name",
    tags=["scenarios"],
    operation_id="scenarios_copy",
)
def copy_scenario(request: HttpRequest, pk: int, payload: CopyIn) -> Any:
    copy = scenarios.scenario_copy(actor=request.user, scenario=_scenario(request, pk), name=payload.name)
    return 201, scenario_out(copy, request.user)


class ApproveIn(Schema):
    project_codes: dict[str, str] = Field(description="New project code per selected proposal code")
    comment: str = ""


class ApprovedOut(Schema):
    scenario: ScenarioOut
    projects: list[CodeRef]


@router.post(
    "/scenarios/{int:pk}/approve",
    response={200: ApprovedOut, **ERRORS},
    summary="Approve the selection: chosen proposals become projects, the others are rejected",
    tags=["scenarios"],
    operation_id="scenarios_approve",
)
def approve_scenario(request: HttpRequest, pk: int, payload: ApproveIn) -> Any:
    scenario = _scenario(request, pk)
    projects = scenarios.scenario_approve(
        actor=request.user, scenario=scenario, project_codes=payload.project_codes, comment=payload.comment
    )
    scenario.refresh_from_db()
    return {"scenario": scenario_out(scenario, request.user), "projects": [code_ref(p) for p in projects]}
