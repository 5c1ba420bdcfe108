"""The API of stakeholders: registers, communication items and their log, surveys and answers, benefits and
their measurements, and the benefits roll-up (realised against planned per project, portfolio, programme and
objective)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from pmo.api.schemas import ERRORS, CodeRef, Ref, code_ref, ref
from pmo.core.access import can
from pmo.core.errors import ValidationFailed
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.resources.models import Person
from pmo.stakeholders import selectors, services
from pmo.stakeholders.models import (
    Benefit,
    Channel,
    CommunicationItem,
    Engagement,
    Frequency,
    Stakeholder,
    Survey,
)

router = Router(tags=["Stakeholders"])


def _sees(request: HttpRequest) -> None:
    if not selectors.sees_stakeholders(request.user):
        raise PermissionDenied(
            "Stakeholders, communications and benefits are for the project teams, the PMO and management."
        )


def _get(request: HttpRequest, model: Any, pk: int, *, check: bool = True) -> Any:
    if check:
        _sees(request)
    obj = model.objects.filter(pk=pk).first()
    if obj is None or not can(request.user, "view", obj):
        raise Http404(f"No {model._meta.verbose_name} with id {pk}.")
    return obj


def _one(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationFailed({field: f"No {model._meta.verbose_name} with id {pk}."})
    return obj


def _scope(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "project": _one(Project, data.pop("project_id", None), "project_id"),
        "program": _one(Program, data.pop("program_id", None), "program_id"),
        "portfolio": _one(Portfolio, data.pop("portfolio_id", None), "portfolio_id"),
    }


def _stakeholders(ids: list[int] | None) -> list[Stakeholder] | None:
    if ids is None:
        return None
    found = list(Stakeholder.objects.filter(pk__in=ids))
    missing = sorted(set(ids) - {s.pk for s in found})
    if missing:
        raise ValidationFailed({"stakeholder_ids": f"No stakeholder with id {', '.join(map(str, missing))}."})
    return found


class ScopeFilter(Schema):
    project_id: int | None = None
    program_id: int | None = None
    portfolio_id: int | None = None


def _scoped(qs: Any, f: ScopeFilter) -> Any:
    if f.project_id is not None:
        qs = qs.filter(project_id=f.project_id)
    if f.program_id is not None:
        qs = qs.filter(program_id=f.program_id)
    if f.portfolio_id is not None:
        qs = qs.filter(portfolio_id=f.portfolio_id)
    return qs


# --- stakeholders -----------------------------------------------------------------------------------------


class StakeholderOut(Schema):
    id: int
    name: str
    person: Ref | None
    organisation: str
    role: str
    interest: int
    influence: int
    quadrant: str = Field(description="manage closely, keep satisfied, keep informed or monitor (3 or more is high)")
    current_engagement: Engagement
    desired_engagement: Engagement
    engagement_gap: int = Field(description="Steps from current to desired engagement (0: none)")
    relationship_owner: Ref | None
    notes: str
    project: CodeRef | None
    program: CodeRef | None
    portfolio: CodeRef | None
    version: int


def stakeholder_out(s: Stakeholder) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "person": ref(s.person),
        "organisation": s.organisation,
        "role": s.role,
        "interest": s.interest,
        "influence": s.influence,
        "quadrant": s.quadrant,
        "current_engagement": s.current_engagement,
        "desired_engagement": s.desired_engagement,
        "engagement_gap": s.engagement_gap,
        "relationship_owner": ref(s.relationship_owner),
        "notes": s.notes,
        "project": code_ref(s.project),
        "program": code_ref(s.program),
        "portfolio": code_ref(s.portfolio),
        "version": s.version,
    }


class StakeholderIn(Schema):
    project_id: int | None = None
    program_id: int | None = None
    portfolio_id: int | None = None
    name: str = ""
    person_id: int | None = None
    organisation: str = ""
    role: str = ""
    interest: int = Field(ge=1, le=5)
    influence: int = Field(ge=1, le=5)
    current_engagement: Engagement = Engagement.NEUTRAL
    desired_engagement: Engagement = Engagement.SUPPORTIVE
    relationship_owner_id: int | None = None
    notes: str = ""


class StakeholderPatch(Schema):
    version: int | None = None
    name: str | None = None
    person_id: int | None = None
    organisation: str | None = None
    role: str | None = None
    interest: int | None = Field(default=None, ge=1, le=5)
    influence: int | None = Field(default=None, ge=1, le=5)
    current_engagement: Engagement | None = None
    desired_engagement: Engagement | None = None
    relationship_owner_id: int | None = None
    notes: str | None = None


def _people(data: dict[str, Any], *names: str) -> None:
    for name in names:
        if f"{name}_id" in data:
            data[name] = _one(Person, data.pop(f"{name}_id"), f"{name}_id")


@router.get("/stakeholders", response={200: list[StakeholderOut], **ERRORS}, operation_id="stakeholders_list")
def list_stakeholders(request: HttpRequest, filters: Query[ScopeFilter]) -> Any:
    _sees(request)
    qs = _scoped(
        Stakeholder.objects.select_related("person", "relationship_owner", "project", "program", "portfolio"), filters
    )
    return [stakeholder_out(s) for s in qs]


@router.post("/stakeholders", response={201: StakeholderOut, **ERRORS}, operation_id="stakeholders_create")
def create_stakeholder(request: HttpRequest, payload: StakeholderIn) -> Any:
    _sees(request)
    data = payload.dict()
    scope = _scope(data)
    _people(data, "person", "relationship_owner")
    return 201, stakeholder_out(services.stakeholder_create(actor=request.user, **scope, **data))


@router.get("/stakeholders/{int:pk}", response={200: StakeholderOut, **ERRORS}, operation_id="stakeholders_get")
def get_stakeholder(request: HttpRequest, pk: int) -> Any:
    return stakeholder_out(_get(request, Stakeholder, pk))


@router.patch("/stakeholders/{int:pk}", response={200: StakeholderOut, **ERRORS}, operation_id="stakeholders_update")
def patch_stakeholder(request: HttpRequest, pk: int, payload: StakeholderPatch) -> Any:
    s = _get(request, Stakeholder, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    _people(data, "person", "relationship_owner")
    return stakeholder_out(
        services.stakeholder_update(actor=request.user, stakeholder=s, expected_version=version, **data)
    )


@router.delete("/stakeholders/{int:pk}", response={204: None, **ERRORS}, operation_id="stakeholders_delete")
def delete_stakeholder(request: HttpRequest, pk: int) -> Any:
    services.stakeholder_delete(actor=request.user, stakeholder=_get(request, Stakeholder, pk))
    return 204, None


# --- communication plan and log ---------------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    what: str
    stakeholders: list[Ref]
    audience_groups: str
    frequency: Frequency
    channel: Channel
    sender: Ref | None
    next_due: dt.date | None
    overdue: bool
    active: bool
    project: CodeRef | None
    program: CodeRef | None
    portfolio: CodeRef | None
    version: int


def item_out(item: CommunicationItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "what": item.what,
        "stakeholders": [ref(s) for s in item.stakeholders.all()],
        "audience_groups": item.audience_groups,
        "frequency": item.frequency,
        "channel": item.channel,
        "sender": ref(item.sender),
        "next_due": item.next_due,
        "overdue": selectors.is_overdue(item),
        "active": item.active,
        "project": code_ref(item.project),
        "program": code_ref(item.program),
        "portfolio": code_ref(item.portfolio),
        "version": item.version,
    }


class ItemIn(Schema):
    project_id: int | None = None
    program_id: int | None = None
    portfolio_id: int | None = None
    what: str
    stakeholder_ids: list[int] = []
    audience_groups: str = ""
    frequency: Frequency = Frequency.MONTHLY
    channel: Channel = Channel.EMAIL
    sender_id: int | None = None
    next_due: dt.date | None = None


class ItemPatch(Schema):
    version: int | None = None
    what: str | None = None
    stakeholder_ids: list[int] | None = None
    audience_groups: str | None = None
    frequency: Frequency | None = None
    channel: Channel | None = None
    sender_id: int | None = None
    next_due: dt.date | None = None
    active: bool | None = None


class ItemFilter(ScopeFilter):
    due: bool = Field(default=False, description="Only active items due within 14 days, overdue ones included")
    mine: bool = Field(default=False, description="Only the items the caller sends")


class LogIn(Schema):
    sent_on: dt.date | None = Field(default=None, description="Default: today")
    note: str = ""


class LogOut(Schema):
    id: int
    item_id: int
    sent_on: dt.date
    sent_by: str
    note: str


def log_out(log: Any) -> dict[str, Any]:
    return {"id": log.pk, "item_id": log.item_id, "sent_on": log.sent_on, "sent_by": log.sent_by_name, "note": log.note}


@router.get(
    "/communication-items",
    response={200: list[ItemOut], **ERRORS},
    operation_id="communication_items_list",
    summary="The communication plan, soonest due first",
)
def list_items(request: HttpRequest, filters: Query[ItemFilter]) -> Any:
    _sees(request)
    qs = _scoped(
        CommunicationItem.objects.select_related("sender", "project", "program", "portfolio").prefetch_related(
            "stakeholders"
        ),
        filters,
    )
    if filters.mine:
        qs = qs.filter(sender_id=selectors.person_id_of(request.user) or 0)
    items = selectors.due_items(qs) if filters.due else list(qs)
    return [item_out(i) for i in items]


@router.post("/communication-items", response={201: ItemOut, **ERRORS}, operation_id="communication_items_create")
def create_item(request: HttpRequest, payload: ItemIn) -> Any:
    _sees(request)
    data = payload.dict()
    scope = _scope(data)
    _people(data, "sender")
    audience = _stakeholders(data.pop("stakeholder_ids")) or []
    item = services.communication_item_create(actor=request.user, stakeholders=audience, **scope, **data)
    return 201, item_out(item)


@router.get("/communication-items/{int:pk}", response={200: ItemOut, **ERRORS}, operation_id="communication_items_get")
def get_item(request: HttpRequest, pk: int) -> Any:
    return item_out(_get(request, CommunicationItem, pk))


@router.patch(
    "/communication-items/{int:pk}", response={200: ItemOut, **ERRORS}, operation_id="communication_items_update"
)
def patch_item(request: HttpRequest, pk: int, payload: ItemPatch) -> Any:
    item = _get(request, CommunicationItem, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    _people(data, "sender")
    audience = _stakeholders(data.pop("stakeholder_ids", None))
    item = services.communication_item_update(
        actor=request.user, item=item, expected_version=version, stakeholders=audience, **data
    )
    return item_out(item)


@router.delete(
    "/communication-items/{int:pk}", response={204: None, **ERRORS}, operation_id="communication_items_delete"
)
def delete_item(request: HttpRequest, pk: int) -> Any:
    services.communication_item_delete(actor=request.user, item=_get(request, CommunicationItem, pk))
    return 204, None


@router.get(
    "/communication-items/{int:pk}/log",
    response={200: list[LogOut], **ERRORS},
    operation_id="communication_log_list",
    summary="Communications sent, latest first",
)
def list_log(request: HttpRequest, pk: int) -> Any:
    item = _get(request, CommunicationItem, pk)
    return [log_out(log) for log in item.log.all()]


@router.post(
    "/communication-items/{int:pk}/log",
    response={201: LogOut, **ERRORS},
    operation_id="communication_log_record",
    summary="Record the communication as sent: moves its next due date on by its frequency",
)
def record_sent(request: HttpRequest, pk: int, payload: LogIn) -> Any:
    item = _get(request, CommunicationItem, pk)
    log = services.communication_record_sent(actor=request.user, item=item, sent_on=payload.sent_on, note=payload.note)
    return 201, log_out(log)


# --- surveys ----------------------------------------------------------------------------------------------


class SurveyOut(Schema):
    id: int
    project: CodeRef
    period: str
    question: str
    is_open: bool
    responses: int
    average: Decimal | None = Field(description="Mean score, two decimals (half up); null without answers")
    distribution: list[int] = Field(description="How many answered 1, 2, 3, 4 and 5")
    version: int


def survey_out(result: selectors.SurveyResult) -> dict[str, Any]:
    s = result.survey
    return {
        "id": s.pk,
        "project": code_ref(s.project),
        "period": s.period,
        "question": s.question,
        "is_open": s.is_open,
        "responses": result.count,
        "average": result.average,
        "distribution": list(result.distribution),
        "version": s.version,
    }


def _survey_result(survey: Survey) -> dict[str, Any]:
    return survey_out(next(r for r in selectors.survey_results(survey.project) if r.survey.pk == survey.pk))


class SurveyIn(Schema):
    project_id: int
    period: str = Field(description="The month, YYYY-MM")
    question: str = ""


class SurveyPatch(Schema):
    is_open: bool


class SurveyAnswerIn(Schema):
    score: int = Field(ge=1, le=5)
    comment: str = ""


class SurveyAnswerOut(Schema):
    id: int
    survey_id: int
    respondent: str
    score: int
    comment: str


def answer_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "survey_id": r.survey_id,
        "respondent": r.respondent_name,
        "score": r.score,
        "comment": r.comment,
    }


@router.get("/surveys", response={200: list[SurveyOut], **ERRORS}, operation_id="surveys_list")
def list_surveys(request: HttpRequest, project_id: int) -> Any:
    _sees(request)
    project = _one(Project, project_id, "project_id")
    return [survey_out(r) for r in selectors.survey_results(project)]


@router.post("/surveys", response={201: SurveyOut, **ERRORS}, operation_id="surveys_create")
def create_survey(request: HttpRequest, payload: SurveyIn) -> Any:
    _sees(request)
    project = _one(Project, payload.project_id, "project_id")
    survey = services.survey_create(
        actor=request.user, project=project, period=payload.period, question=payload.question
    )
    return 201, _survey_result(survey)


@router.get("/surveys/{int:pk}", response={200: SurveyOut, **ERRORS}, operation_id="surveys_get")
def get_survey(request: HttpRequest, pk: int) -> Any:
    return _survey_result(_get(request, Survey, pk, check=False))


@router.patch(
    "/surveys/{int:pk}", response={200: SurveyOut, **ERRORS}, operation_id="surveys_update", summary="Open or close"
)
def patch_survey(request: HttpRequest, pk: int, payload: SurveyPatch) -> Any:
    survey = _get(request, Survey, pk)
    return _survey_result(services.survey_set_open(actor=request.user, survey=survey, is_open=payload.is_open))


@router.get(
    "/surveys/{int:pk}/responses", response={200: list[SurveyAnswerOut], **ERRORS}, operation_id="survey_answers_list"
)
def list_answers(request: HttpRequest, pk: int) -> Any:
    survey = _get(request, Survey, pk)
    return [answer_out(r) for r in survey.responses.all()]


@router.post(
    "/surveys/{int:pk}/responses",
    response={201: SurveyAnswerOut, **ERRORS},
    operation_id="survey_answer",
    summary="The caller's answer (answering again replaces it)",
)
def answer(request: HttpRequest, pk: int, payload: SurveyAnswerIn) -> Any:
    survey = _get(request, Survey, pk, check=False)
    return 201, answer_out(
        services.survey_answer(actor=request.user, survey=survey, score=payload.score, comment=payload.comment)
    )


# --- benefits ---------------------------------------------------------------------------------------------


class MeasurementOut(Schema):
    id: int
    measured_on: dt.date
    value: Decimal
    comment: str
    recorded_by: str


def measurement_out(m: Any) -> dict[str, Any]:
    return {
        "id": m.pk,
        "measured_on": m.measured_on,
        "value": m.value,
        "comment": m.comment,
        "recorded_by": m.recorded_by_name,
    }


class BenefitOut(Schema):
    id: int
    project: CodeRef
    name: str
    kpi: str
    unit: str
    baseline_value: Decimal
    target_value: Decimal
    target_date: dt.date
    owner: Ref | None
    financial_value: Decimal
    currency: str
    description: str
    latest_value: Decimal | None
    latest_on: dt.date | None
    progress: Decimal | None = Field(description="(latest - baseline) / (target - baseline), 4 decimals, unclamped")
    realised_value: Decimal = Field(description="financial value x progress kept within 0..1, to the cent")
    measurements: list[MeasurementOut]
    version: int


def benefit_out(row: selectors.BenefitRow) -> dict[str, Any]:
    b = row.benefit
    return {
        "id": b.pk,
        "project": code_ref(b.project),
        "name": b.name,
        "kpi": b.kpi,
        "unit": b.unit,
        "baseline_value": b.baseline_value,
        "target_value": b.target_value,
        "target_date": b.target_date,
        "owner": ref(b.owner),
        "financial_value": b.financial_value,
        "currency": b.currency,
        "description": b.description,
        "latest_value": row.latest_value,
        "latest_on": row.latest_on,
        "progress": None if row.progress is None else row.progress.quantize(Decimal("0.0001")),
        "realised_value": row.realised_value,
        "measurements": [measurement_out(m) for m in row.measurements],
        "version": b.version,
    }


class BenefitIn(Schema):
    project_id: int
    name: str
    kpi: str
    unit: str = ""
    baseline_value: Decimal
    target_value: Decimal
    target_date: dt.date
    owner_id: int | None = None
    financial_value: Decimal = Decimal("0")
    currency: str | None = Field(default=None, description="Default: the project's currency")
    description: str = ""


class BenefitPatch(Schema):
    version: int | None = None
    name: str | None = None
    kpi: str | None = None
    unit: str | None = None
    baseline_value: Decimal | None = None
    target_value: Decimal | None = None
    target_date: dt.date | None = None
    owner_id: int | None = None
    financial_value: Decimal | None = None
    description: str | None = None


class MeasurementIn(Schema):
    measured_on: dt.date
    value: Decimal
    comment: str = ""


def _benefit_row(benefit: Benefit) -> dict[str, Any]:
    return benefit_out(selectors.benefit_row(Benefit.objects.get(pk=benefit.pk)))


class BenefitFilter(Schema):
    project_id: int | None = None
    portfolio_id: int | None = None


@router.get("/benefits", response={200: list[BenefitOut], **ERRORS}, operation_id="benefits_list")
def list_benefits(request: HttpRequest, filters: Query[BenefitFilter]) -> Any:
    _sees(request)
    qs = Benefit.objects.all()
    if filters.project_id is not None:
        qs = qs.filter(project_id=filters.project_id)
    if filters.portfolio_id is not None:
        qs = qs.filter(project__portfolio_id=filters.portfolio_id)
    return [benefit_out(r) for r in selectors.benefit_rows(benefits=qs)]


@router.post("/benefits", response={201: BenefitOut, **ERRORS}, operation_id="benefits_create")
def create_benefit(request: HttpRequest, payload: BenefitIn) -> Any:
    _sees(request)
    data = payload.dict()
    project = _one(Project, data.pop("project_id"), "project_id")
    _people(data, "owner")
    if data["currency"] is None:
        data.pop("currency")
    return 201, _benefit_row(services.benefit_create(actor=request.user, project=project, **data))


class LineOut(Schema):
    project_id: int
    code: str
    name: str
    portfolio_id: int
    program_id: int | None
    state: str
    closed: bool
    planned_value: Decimal
    realised_value: Decimal
    currency: str
    progress: float | None
    benefits: int
    measured: int


class KpiOut(Schema):
    benefit_id: int
    project: str
    name: str
    kpi: str
    unit: str
    baseline_value: Decimal
    target_value: Decimal
    target_date: dt.date
    latest_value: Decimal | None
    latest_on: dt.date | None
    progress: Decimal | None = Field(description="(latest - baseline) / (target - baseline), 4 decimals, unclamped")
    financial_value: Decimal
    realised_value: Decimal


class GroupOut(Schema):
    id: int
    code: str
    name: str
    currency: str
    planned_value: Decimal
    realised_value: Decimal
    progress: float | None
    projects: list[str]
    kpis: list[KpiOut] = Field(description="The group's benefits one by one, by project code then name")


class BenefitRollupOut(Schema):
    projects: list[LineOut]
    portfolios: list[GroupOut]
    programs: list[GroupOut] = Field(description="Per programme (projects in no programme are left out)")
    objectives: list[GroupOut]


def _kpi_out(row: selectors.BenefitRow) -> dict[str, Any]:
    b = row.benefit
    return {
        "benefit_id": b.pk,
        "project": b.project.code,
        "name": b.name,
        "kpi": b.kpi,
        "unit": b.unit,
        "baseline_value": b.baseline_value,
        "target_value": b.target_value,
        "target_date": b.target_date,
        "latest_value": row.latest_value,
        "latest_on": row.latest_on,
        "progress": None if row.progress is None else row.progress.quantize(Decimal("0.0001")),
        "financial_value": b.financial_value,
        "realised_value": row.realised_value,
    }


def _group_out(g: selectors.RollupGroup) -> dict[str, Any]:
    return {
        "id": g.key.pk,
        "code": g.key.code,
        "name": g.key.name,
        "currency": g.currency,
        "planned_value": g.planned_value,
        "realised_value": g.realised_value,
        "progress": g.progress,
        "projects": [line.code for line in g.lines],
        "kpis": [_kpi_out(row) for row in g.kpis],
    }


@router.get(
    "/benefits/rollup",
    response={200: BenefitRollupOut, **ERRORS},
    operation_id="benefits_rollup",
    summary="Realised against planned benefits per project, portfolio, programme and objective (closed projects "
    "included)",
)
def rollup(request: HttpRequest, portfolio_id: int | None = None, program_id: int | None = None) -> Any:
    _sees(request)
    if portfolio_id is not None:
        _one(Portfolio, portfolio_id, "portfolio_id")
    if program_id is not None:
        _one(Program, program_id, "program_id")
    lines = selectors.benefits_rollup(portfolio=portfolio_id, program=program_id)
    return {
        "projects": [
            {
                "project_id": line.project_id,
                "code": line.code,
                "name": line.name,
                "portfolio_id": line.portfolio_id,
                "program_id": line.program_id,
                "state": line.state,
                "closed": line.closed,
                "planned_value": line.planned_value,
                "realised_value": line.realised_value,
                "currency": line.currency,
                "progress": line.progress,
                "benefits": line.benefit_count,
                "measured": line.measured_count,
            }
            for line in lines
        ],
        "portfolios": [_group_out(g) for g in selectors.rollup_by_portfolio(lines)],
        "programs": [_group_out(g) for g in selectors.rollup_by_program(lines)],
        "objectives": [_group_out(g) for g in selectors.rollup_by_objective(lines)],
    }


@router.get("/benefits/{int:pk}", response={200: BenefitOut, **ERRORS}, operation_id="benefits_get")
def get_benefit(request: HttpRequest, pk: int) -> Any:
    return _benefit_row(_get(request, Benefit, pk))


@router.patch("/benefits/{int:pk}", response={200: BenefitOut, **ERRORS}, operation_id="benefits_update")
def patch_benefit(request: HttpRequest, pk: int, payload: BenefitPatch) -> Any:
    benefit = _get(request, Benefit, pk)
    data = payload.dict(exclude_unset=True)
    version = data.pop("version", None)
    _people(data, "owner")
    return _benefit_row(services.benefit_update(actor=request.user, benefit=benefit, expected_version=version, **data))


@router.delete("/benefits/{int:pk}", response={204: None, **ERRORS}, operation_id="benefits_delete")
def delete_benefit(request: HttpRequest, pk: int) -> Any:
    services.benefit_delete(actor=request.user, benefit=_get(request, Benefit, pk))
    return 204, None


@router.get(
    "/benefits/{int:pk}/measurements",
    response={200: list[MeasurementOut], **ERRORS},
    operation_id="benefit_measurements_list",
)
def list_measurements(request: HttpRequest, pk: int) -> Any:
    return [measurement_out(m) for m in _get(request, Benefit, pk).measurements.all()]


@router.post(
    "/benefits/{int:pk}/measurements",
    response={201: MeasurementOut, **ERRORS},
    operation_id="benefit_measurements_record",
    summary="Record the KPI's value on a date (also after the project closed)",
)
def record_measurement(request: HttpRequest, pk: int, payload: MeasurementIn) -> Any:
    benefit = _get(request, Benefit, pk)
    m = services.measurement_record(
        actor=request.user,
        benefit=benefit,
        measured_on=payload.measured_on,
        value=payload.value,
        comment=payload.comment,
    )
    return 201, measurement_out(m)
