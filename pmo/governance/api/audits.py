"""The API of quality audits: checklists, audits, answers, findings, corrective actions, compliance trend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from pmo.api.schemas import ERRORS, CodeRef, Ref, code_ref, ref
from pmo.core.errors import ValidationFailed
from pmo.governance import selectors, services
from pmo.governance.api._common import _get, _may_list, _one
from pmo.governance.api.gates import DueOut  # noqa: F401
from pmo.governance.models import (
    Area,
    Audit,
    AuditAnswer,
    AuditTemplate,
    CorrectiveAction,
    Finding,
    Severity,
)
from pmo.portfolio.models import Portfolio, Project

router = Router()


class QuestionIn(Schema):
    text: str
    area: Area = Area.METHOD
    weight: int = Field(1, ge=1, le=5)


class QuestionOut(QuestionIn):
    id: int


class AuditTemplateIn(Schema):
    name: str
    type: AuditTemplate.Type = AuditTemplate.Type.AUDIT
    description: str = ""
    questions: list[QuestionIn] = []


class AuditTemplateOut(Schema):
    id: int
    name: str
    type: str
    description: str
    active: bool
    questions: list[QuestionOut]


def template_out(t: AuditTemplate) -> dict[str, Any]:
    return {
        "id": t.pk,
        "name": t.name,
        "type": t.type,
        "description": t.description,
        "active": t.active,
        "questions": [{"id": q.pk, "text": q.text, "area": q.area, "weight": q.weight} for q in t.questions.all()],
    }


@router.get("/audit-templates", response={200: list[AuditTemplateOut], **ERRORS}, operation_id="audit_templates_list")
def list_templates(request: HttpRequest) -> Any:
    _may_list(request, AuditTemplate)
    return [template_out(t) for t in AuditTemplate.objects.prefetch_related("questions")]


@router.post("/audit-templates", response={201: AuditTemplateOut, **ERRORS}, operation_id="audit_templates_create")
def create_template(request: HttpRequest, payload: AuditTemplateIn) -> Any:
    data = payload.dict()
    t = services.audit_template_create(actor=request.user, **data)
    return 201, template_out(t)


class AuditAnswerOut(Schema):
    id: int
    question: str
    area: str
    weight: int
    rating: str
    note: str


class AuditActionOut(Schema):
    id: int
    description: str
    owner: Ref
    due_date: dt.date
    status: str
    done_on: dt.date | None


class FindingOut(Schema):
    id: int
    audit_id: int
    project: CodeRef
    title: str
    description: str
    area: str
    severity: str
    owner: Ref
    due_date: dt.date
    status: str
    closed_on: dt.date | None
    actions: list[AuditActionOut]


def action_out(a: CorrectiveAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "description": a.description,
        "owner": ref(a.owner),
        "due_date": a.due_date,
        "status": a.status,
        "done_on": a.done_on,
    }


def finding_out(f: Finding) -> dict[str, Any]:
    return {
        "id": f.pk,
        "audit_id": f.audit_id,
        "project": code_ref(f.project),
        "title": f.title,
        "description": f.description,
        "area": f.area,
        "severity": f.severity,
        "owner": ref(f.owner),
        "due_date": f.due_date,
        "status": f.status,
        "closed_on": f.closed_on,
        "actions": [action_out(a) for a in f.actions.select_related("owner")],
    }


class AuditOut(Schema):
    id: int
    project: CodeRef
    template: Ref
    scheduled: bool
    planned_date: dt.date
    auditor: Ref | None
    state: str
    completed_on: dt.date | None
    score: Decimal | None
    summary: str
    answers: list[AuditAnswerOut]
    findings: list[FindingOut]


def audit_out(a: Audit, *, full: bool = True) -> dict[str, Any]:
    return {
        "id": a.pk,
        "project": code_ref(a.project),
        "template": ref(a.template),
        "scheduled": a.scheduled,
        "planned_date": a.planned_date,
        "auditor": ref(a.auditor),
        "state": a.state,
        "completed_on": a.completed_on,
        "score": a.score,
        "summary": a.summary,
        "answers": [
            {
                "id": x.pk,
                "question": x.question.text,
                "area": x.question.area,
                "weight": x.question.weight,
                "rating": x.rating,
                "note": x.note,
            }
            for x in a.answers.select_related("question")
        ]
        if full
        else [],
        "findings": [finding_out(f) for f in a.findings.select_related("project", "owner")] if full else [],
    }


class AuditFilters(Schema):
    portfolio_id: int | None = None
    project_id: int | None = None
    state: Audit.State | None = None


@router.get("/audits", response={200: list[AuditOut], **ERRORS}, operation_id="audits_list")
def list_audits(request: HttpRequest, filters: Query[AuditFilters]) -> Any:
    _may_list(request, Audit)
    qs = Audit.objects.select_related("project", "template", "auditor")
    if filters.portfolio_id is not None:
        qs = qs.filter(project__portfolio_id=filters.portfolio_id)
    if filters.project_id is not None:
        qs = qs.filter(project_id=filters.project_id)
    if filters.state is not None:
        qs = qs.filter(state=filters.state)
    return [audit_out(a, full=False) for a in qs]


class AuditIn(Schema):
    project_id: int
    template_id: int
    planned_date: dt.date
    scheduled: bool = True
    auditor_id: int | None = None


@router.post("/audits", response={201: AuditOut, **ERRORS}, operation_id="audits_create")
def create_audit(request: HttpRequest, payload: AuditIn) -> Any:
    audit = services.audit_create(
        actor=request.user,
        project=_one(Project, payload.project_id, "project_id"),
        template=_one(AuditTemplate, payload.template_id, "template_id"),
        planned_date=payload.planned_date,
        scheduled=payload.scheduled,
        auditor=payload.auditor_id,
    )
    return 201, audit_out(audit)


@router.get("/audits/{int:pk}", response={200: AuditOut, **ERRORS}, operation_id="audits_get")
def get_audit(request: HttpRequest, pk: int) -> Any:
    return audit_out(_get(request, Audit, pk))


class AuditAnswerIn(Schema):
    rating: AuditAnswer.Rating
    note: str = ""


@router.put("/audit-answers/{int:pk}", response={200: AuditAnswerOut, **ERRORS}, operation_id="audit_answers_set")
def answer_question(request: HttpRequest, pk: int, payload: AuditAnswerIn) -> Any:
    x = services.audit_answer(
        actor=request.user, answer=_get(request, AuditAnswer, pk), rating=payload.rating, note=payload.note
    )
    return {
        "id": x.pk,
        "question": x.question.text,
        "area": x.question.area,
        "weight": x.question.weight,
        "rating": x.rating,
        "note": x.note,
    }


class AuditCompleteIn(Schema):
    summary: str = ""


@router.post(
    "/audits/{int:pk}/complete",
    response={200: AuditOut, **ERRORS},
    operation_id="audits_complete",
    summary="Complete and score an audit (every question answered)",
)
def complete_audit(request: HttpRequest, pk: int, payload: AuditCompleteIn) -> Any:
    return audit_out(
        services.audit_complete(actor=request.user, audit=_get(request, Audit, pk), summary=payload.summary)
    )


class FindingIn(Schema):
    title: str
    owner_id: int
    due_date: dt.date
    severity: Severity = Severity.MEDIUM
    area: Area = Area.METHOD
    description: str = ""


@router.post("/audits/{int:pk}/findings", response={201: FindingOut, **ERRORS}, operation_id="audits_add_finding")
def add_finding(request: HttpRequest, pk: int, payload: FindingIn) -> Any:
    data = payload.dict()
    data["owner"] = data.pop("owner_id")
    f = services.finding_add(actor=request.user, audit=_get(request, Audit, pk), **data)
    return 201, finding_out(f)


class FindingFilters(Schema):
    portfolio_id: int | None = None
    project_id: int | None = None
    status: Finding.Status | None = None


@router.get("/findings", response={200: list[FindingOut], **ERRORS}, operation_id="findings_list")
def list_findings(request: HttpRequest, filters: Query[FindingFilters]) -> Any:
    _may_list(request, Finding)
    qs = Finding.objects.select_related("project", "owner").order_by("status", "due_date", "pk")
    if filters.portfolio_id is not None:
        qs = qs.filter(project__portfolio_id=filters.portfolio_id)
    if filters.project_id is not None:
        qs = qs.filter(project_id=filters.project_id)
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    return [finding_out(f) for f in qs]


class AuditActionIn(Schema):
    description: str
    owner_id: int
    due_date: dt.date


@router.post("/findings/{int:pk}/actions", response={201: AuditActionOut, **ERRORS}, operation_id="findings_add_action")
def add_action(request: HttpRequest, pk: int, payload: AuditActionIn) -> Any:
    a = services.action_add(
        actor=request.user,
        finding=_get(request, Finding, pk),
        description=payload.description,
        owner=payload.owner_id,
        due_date=payload.due_date,
    )
    return 201, action_out(a)


@router.post(
    "/corrective-actions/{int:pk}/close",
    response={200: AuditActionOut, **ERRORS},
    operation_id="corrective_actions_close",
    summary="Mark an action done; its finding closes when all of its actions are done",
)
def close_action(request: HttpRequest, pk: int) -> Any:
    return action_out(services.action_close(actor=request.user, action=_get(request, CorrectiveAction, pk)))


class TrendPoint(Schema):
    month_end: dt.date
    score: Decimal | None


@router.get(
    "/portfolios/{int:pk}/compliance-trend",
    response={200: list[TrendPoint], **ERRORS},
    operation_id="portfolios_compliance_trend",
    summary="Per month end, the mean of each project's latest audit score by then",
)
def compliance_trend(request: HttpRequest, pk: int, months: int = 12) -> Any:
    _may_list(request, Audit)
    if not 1 <= months <= 60:
        raise ValidationFailed({"months": "From 1 to 60."})
    portfolio = _get(request, Portfolio, pk)
    return [{"month_end": d, "score": s} for d, s in selectors.compliance_trend(portfolio=portfolio, months=months)]
