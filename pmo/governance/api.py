"""The API of governance: the methodology library (versions, phases, requirements, criteria, publication), the
methodology a project follows and where it stands, gate reviews (checklist, reviewers, votes, decisions and
conditions), and quality audits (checklists, audits, answers, findings, corrective actions, compliance trend)."""

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
from pmo.governance import selectors, services
from pmo.governance.models import (
    Area,
    Audit,
    AuditAnswer,
    AuditTemplate,
    CorrectiveAction,
    CriterionAnswer,
    Decision,
    Finding,
    GateCondition,
    GateReview,
    Methodology,
    MethodologyVersion,
    Phase,
    Requirement,
    Reviewer,
    Severity,
)
from pmo.portfolio.models import Methodology as Kind
from pmo.portfolio.models import Portfolio, Project

router = Router(tags=["governance"])


def _get(request: HttpRequest, model: Any, pk: int) -> Any:
    obj = model.objects.filter(pk=pk).first()
    if obj is None or not can(request.user, "view", obj):
        raise Http404(f"No {model._meta.verbose_name} with id {pk}.")
    return obj


def _may_list(request: HttpRequest, model: Any) -> None:
    if not can(request.user, "view", model):
        raise PermissionDenied(f"You cannot see {model._meta.verbose_name_plural}.")


def _one(model: Any, pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationFailed({field: f"No {model._meta.verbose_name} with id {pk}."})
    return obj


# --- the methodology library ------------------------------------------------------------------------------


class VersionRef(Schema):
    id: int
    number: int
    state: str
    published_at: dt.datetime | None


class MethodologyOut(Schema):
    id: int
    name: str
    kind: Kind
    description: str
    active: bool
    versions: list[VersionRef]


def methodology_out(m: Methodology) -> dict[str, Any]:
    return {
        "id": m.pk,
        "name": m.name,
        "kind": m.kind,
        "description": m.description,
        "active": m.active,
        "versions": [
            {"id": v.pk, "number": v.number, "state": v.state, "published_at": v.published_at}
            for v in m.versions.order_by("-number")
        ],
    }


class MethodologyIn(Schema):
    name: str
    kind: Kind
    description: str = ""


class RequirementOut(Schema):
    id: int
    name: str
    type: Requirement.Type
    template_name: str


class CriterionOut(Schema):
    id: int
    order: int
    text: str


class PhaseOut(Schema):
    id: int
    order: int
    name: str
    gate_name: str
    typical_weeks: int
    description: str
    requirements: list[RequirementOut]
    criteria: list[CriterionOut]


class VersionOut(Schema):
    id: int
    methodology: Ref
    number: int
    state: str
    notes: str
    published_at: dt.datetime | None
    phases: list[PhaseOut]


def phase_out(p: Phase) -> dict[str, Any]:
    return {
        "id": p.pk,
        "order": p.order,
        "name": p.name,
        "gate_name": p.gate_name,
        "typical_weeks": p.typical_weeks,
        "description": p.description,
        "requirements": [
            {"id": r.pk, "name": r.name, "type": r.type, "template_name": r.template_name} for r in p.requirements.all()
        ],
        "criteria": [{"id": c.pk, "order": c.order, "text": c.text} for c in p.criteria.all()],
    }


def version_out(v: MethodologyVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "methodology": ref(v.methodology),
        "number": v.number,
        "state": v.state,
        "notes": v.notes,
        "published_at": v.published_at,
        "phases": [phase_out(p) for p in v.phases.prefetch_related("requirements", "criteria")],
    }


@router.get("/methodologies", response={200: list[MethodologyOut], **ERRORS}, operation_id="methodologies_list")
def list_methodologies(request: HttpRequest) -> Any:
    _may_list(request, Methodology)
    return [methodology_out(m) for m in Methodology.objects.order_by("kind", "name")]


@router.post(
    "/methodologies",
    response={201: MethodologyOut, **ERRORS},
    operation_id="methodologies_create",
    summary="A new methodology, with an empty draft version 1",
)
def create_methodology(request: HttpRequest, payload: MethodologyIn) -> Any:
    m = services.methodology_create(actor=request.user, **payload.dict())
    return 201, methodology_out(m)


@router.get("/methodologies/{int:pk}", response={200: MethodologyOut, **ERRORS}, operation_id="methodologies_get")
def get_methodology(request: HttpRequest, pk: int) -> Any:
    return methodology_out(_get(request, Methodology, pk))


@router.post(
    "/methodologies/{int:pk}/versions",
    response={201: VersionOut, **ERRORS},
    operation_id="methodologies_new_version",
    summary="Start the next draft version, a copy of the latest published one",
)
def new_version(request: HttpRequest, pk: int) -> Any:
    return 201, version_out(services.version_draft(actor=request.user, methodology=_get(request, Methodology, pk)))


@router.get(
    "/methodology-versions/{int:pk}", response={200: VersionOut, **ERRORS}, operation_id="methodology_versions_get"
)
def get_version(request: HttpRequest, pk: int) -> Any:
    return version_out(_get(request, MethodologyVersion, pk))


class PhaseIn(Schema):
    name: str
    gate_name: str
    typical_weeks: int = Field(4, ge=1, le=260)
    description: str = ""


@router.post(
    "/methodology-versions/{int:pk}/phases",
    response={201: PhaseOut, **ERRORS},
    operation_id="methodology_versions_add_phase",
    summary="Add a phase (and its gate) at the end of a draft version",
)
def add_phase(request: HttpRequest, pk: int, payload: PhaseIn) -> Any:
    phase = services.phase_add(actor=request.user, version=_get(request, MethodologyVersion, pk), **payload.dict())
    return 201, phase_out(phase)


@router.delete("/methodology-phases/{int:pk}", response={204: None, **ERRORS}, operation_id="methodology_phases_delete")
def delete_phase(request: HttpRequest, pk: int) -> Any:
    services.phase_delete(actor=request.user, phase=_get(request, Phase, pk))
    return 204, None


class RequirementIn(Schema):
    name: str
    type: Requirement.Type = Requirement.Type.DOCUMENT
    template_name: str = ""


@router.post(
    "/methodology-phases/{int:pk}/requirements",
    response={201: RequirementOut, **ERRORS},
    operation_id="methodology_phases_add_requirement",
)
def add_requirement(request: HttpRequest, pk: int, payload: RequirementIn) -> Any:
    r = services.requirement_add(actor=request.user, phase=_get(request, Phase, pk), **payload.dict())
    return 201, {"id": r.pk, "name": r.name, "type": r.type, "template_name": r.template_name}


class CriterionIn(Schema):
    text: str


@router.post(
    "/methodology-phases/{int:pk}/criteria",
    response={201: CriterionOut, **ERRORS},
    operation_id="methodology_phases_add_criterion",
)
def add_criterion(request: HttpRequest, pk: int, payload: CriterionIn) -> Any:
    c = services.criterion_add(actor=request.user, phase=_get(request, Phase, pk), text=payload.text)
    return 201, {"id": c.pk, "order": c.order, "text": c.text}


class PublishIn(Schema):
    notes: str = ""


@router.post(
    "/methodology-versions/{int:pk}/publish",
    response={200: VersionOut, **ERRORS},
    operation_id="methodology_versions_publish",
    summary="Publish a draft version (PMO director); it never changes afterwards",
)
def publish_version(request: HttpRequest, pk: int, payload: PublishIn) -> Any:
    v = services.version_publish(actor=request.user, version=_get(request, MethodologyVersion, pk), notes=payload.notes)
    return version_out(v)


# --- a project's methodology ------------------------------------------------------------------------------


class DueOut(Schema):
    name: str
    type: str
    template_name: str
    status: str
    ready: bool


class ReviewRef(Schema):
    id: int
    gate_name: str
    planned_date: dt.date
    overdue: bool


class ProjectMethodologyOut(Schema):
    project: CodeRef
    methodology: Ref
    version: VersionRef
    current_phase: str | None
    phase_started: dt.date
    phases: list[dict[str, Any]]
    next_gate: ReviewRef | None
    due: list[DueOut]
    missing: list[str]
    open_conditions: int


def project_methodology_out(project: Project) -> dict[str, Any]:
    status = selectors.gate_status(project)
    if status is None:
        raise Http404(f"{project} follows no methodology.")
    version = status.version
    review = status.review
    return {
        "project": code_ref(project),
        "methodology": ref(version.methodology),
        "version": {
            "id": version.pk,
            "number": version.number,
            "state": version.state,
            "published_at": version.published_at,
        },
        "current_phase": status.phase.name if status.phase else None,
        "phase_started": status.tracking.phase_started,
        "phases": [{"order": p.order, "name": p.name, "gate_name": p.gate_name, "state": s} for p, s in status.phases],
        "next_gate": {
            "id": review.pk,
            "gate_name": review.phase.gate_name,
            "planned_date": review.planned_date,
            "overdue": status.overdue,
        }
        if review
        else None,
        "due": [
            {"name": d.name, "type": d.type, "template_name": d.template_name, "status": d.status, "ready": d.ready}
            for d in status.due
        ],
        "missing": status.missing,
        "open_conditions": len(status.open_conditions),
    }


@router.get(
    "/projects/{int:pk}/methodology",
    response={200: ProjectMethodologyOut, **ERRORS},
    operation_id="project_methodology_get",
    summary="The methodology a project follows, its phase, next gate, what is due and what is missing",
)
def get_project_methodology(request: HttpRequest, pk: int) -> Any:
    _may_list(request, GateReview)
    return project_methodology_out(_get(request, Project, pk))


class ProjectMethodologyIn(Schema):
    version_id: int | None = Field(None, description="Default: the latest published of the project's kind")
    start: dt.date | None = None


@router.put(
    "/projects/{int:pk}/methodology",
    response={201: ProjectMethodologyOut, **ERRORS},
    operation_id="project_methodology_set",
    summary="Put a project that has none on a published methodology version (kept for life)",
)
def set_project_methodology(request: HttpRequest, pk: int, payload: ProjectMethodologyIn) -> Any:
    project = _get(request, Project, pk)
    services.project_methodology_set(
        actor=request.user,
        project=project,
        version=_one(MethodologyVersion, payload.version_id, "version_id"),
        start=payload.start,
    )
    return 201, project_methodology_out(project)


# --- gate reviews -----------------------------------------------------------------------------------------


class AnswerOut(Schema):
    id: int
    criterion: str
    answer: str
    evidence_url: str
    note: str


class ReviewerOut(Schema):
    id: int
    person: Ref
    role: str
    vote: str
    comment: str
    voted_at: dt.datetime | None


class ConditionOut(Schema):
    id: int
    review_id: int
    project: CodeRef
    text: str
    owner: Ref
    due_date: dt.date
    status: str
    closed_on: dt.date | None
    closing_note: str


def condition_out(c: GateCondition) -> dict[str, Any]:
    return {
        "id": c.pk,
        "review_id": c.review_id,
        "project": code_ref(c.review.project),
        "text": c.text,
        "owner": ref(c.owner),
        "due_date": c.due_date,
        "status": c.status,
        "closed_on": c.closed_on,
        "closing_note": c.closing_note,
    }


class ReviewOut(Schema):
    id: int
    project: CodeRef
    methodology: str
    phase: str
    gate_name: str
    planned_date: dt.date
    overdue: bool
    state: str
    decision: str
    decision_comment: str
    decided_on: dt.date | None
    answers: list[AnswerOut]
    reviewers: list[ReviewerOut]
    conditions: list[ConditionOut]
    deliverables: list[DueOut]


def review_out(r: GateReview, *, full: bool = True) -> dict[str, Any]:
    from django.utils import timezone

    out: dict[str, Any] = {
        "id": r.pk,
        "project": code_ref(r.project),
        "methodology": str(r.phase.methodology_version),
        "phase": r.phase.name,
        "gate_name": r.phase.gate_name,
        "planned_date": r.planned_date,
        "overdue": r.is_open and r.planned_date < timezone.localdate(),
        "state": r.state,
        "decision": r.decision,
        "decision_comment": r.decision_comment,
        "decided_on": r.decided_on,
        "answers": [],
        "reviewers": [],
        "conditions": [],
        "deliverables": [],
    }
    if full:
        out["answers"] = [
            {
                "id": a.pk,
                "criterion": a.criterion.text,
                "answer": a.answer,
                "evidence_url": a.evidence_url,
                "note": a.note,
            }
            for a in r.answers.select_related("criterion")
        ]
        out["reviewers"] = [
            {
                "id": v.pk,
                "person": ref(v.person),
                "role": v.role,
                "vote": v.vote,
                "comment": v.comment,
                "voted_at": v.voted_at,
            }
            for v in r.reviewers.select_related("person")
        ]
        out["conditions"] = [condition_out(c) for c in r.conditions.select_related("owner", "review__project")]
        requirements = list(r.phase.requirements.all())
        found = selectors.deliverables(r.project, [q.name for q in requirements])
        out["deliverables"] = [
            {
                "name": q.name,
                "type": q.get_type_display(),
                "template_name": q.template_name,
                "status": found.get(q.name, "missing"),
                "ready": found.get(q.name, "missing") in selectors.READY,
            }
            for q in requirements
        ]
    return out


class ReviewFilters(Schema):
    portfolio_id: int | None = None
    project_id: int | None = None
    state: GateReview.State | None = None
    overdue: bool | None = Field(None, description="Only open reviews past their planned date")


@router.get(
    "/gate-reviews",
    response={200: list[ReviewOut], **ERRORS},
    operation_id="gate_reviews_list",
    summary="Gate reviews by planned date (checklists and votes are in the single review)",
)
def list_reviews(request: HttpRequest, filters: Query[ReviewFilters]) -> Any:
    from django.utils import timezone

    _may_list(request, GateReview)
    qs = GateReview.objects.select_related("project", "phase__methodology_version__methodology").order_by(
        "planned_date", "pk"
    )
    if filters.portfolio_id is not None:
        qs = qs.filter(project__portfolio_id=filters.portfolio_id)
    if filters.project_id is not None:
        qs = qs.filter(project_id=filters.project_id)
    if filters.state is not None:
        qs = qs.filter(state=filters.state)
    if filters.overdue:
        qs = qs.filter(state=GateReview.State.OPEN, planned_date__lt=timezone.localdate())
    return [review_out(r, full=False) for r in qs]


class ReviewOpenIn(Schema):
    project_id: int
    planned_date: dt.date | None = None


@router.post(
    "/gate-reviews",
    response={201: ReviewOut, **ERRORS},
    operation_id="gate_reviews_create",
    summary="Open the review of the gate ending the project's current phase (when none is open)",
)
def open_review(request: HttpRequest, payload: ReviewOpenIn) -> Any:
    project = _one(Project, payload.project_id, "project_id")
    review = services.review_open(actor=request.user, project=project, planned_date=payload.planned_date)
    return 201, review_out(review)


@router.get("/gate-reviews/{int:pk}", response={200: ReviewOut, **ERRORS}, operation_id="gate_reviews_get")
def get_review(request: HttpRequest, pk: int) -> Any:
    return review_out(_get(request, GateReview, pk))


class RescheduleIn(Schema):
    planned_date: dt.date


@router.patch("/gate-reviews/{int:pk}", response={200: ReviewOut, **ERRORS}, operation_id="gate_reviews_reschedule")
def reschedule_review(request: HttpRequest, pk: int, payload: RescheduleIn) -> Any:
    review = services.review_reschedule(
        actor=request.user, review=_get(request, GateReview, pk), planned_date=payload.planned_date
    )
    return review_out(review)


class AnswerIn(Schema):
    answer: CriterionAnswer.Answer
    evidence_url: str = ""
    note: str = ""


@router.put(
    "/gate-review-answers/{int:pk}",
    response={200: AnswerOut, **ERRORS},
    operation_id="gate_review_answers_set",
    summary="Answer a criterion: met, not_met or na (empty clears it), with an evidence link",
)
def answer_criterion(request: HttpRequest, pk: int, payload: AnswerIn) -> Any:
    a = services.criterion_answer(
        actor=request.user,
        answer=_get(request, CriterionAnswer, pk),
        value=payload.answer,
        evidence_url=payload.evidence_url,
        note=payload.note,
    )
    return {
        "id": a.pk,
        "criterion": a.criterion.text,
        "answer": a.answer,
        "evidence_url": a.evidence_url,
        "note": a.note,
    }


class ReviewerIn(Schema):
    person_id: int
    role: str


def reviewer_out(v: Reviewer) -> dict[str, Any]:
    return {
        "id": v.pk,
        "person": ref(v.person),
        "role": v.role,
        "vote": v.vote,
        "comment": v.comment,
        "voted_at": v.voted_at,
    }


@router.post(
    "/gate-reviews/{int:pk}/reviewers", response={201: ReviewerOut, **ERRORS}, operation_id="gate_reviews_add_reviewer"
)
def add_reviewer(request: HttpRequest, pk: int, payload: ReviewerIn) -> Any:
    v = services.reviewer_add(
        actor=request.user, review=_get(request, GateReview, pk), person=payload.person_id, role=payload.role
    )
    return 201, reviewer_out(v)


@router.delete("/gate-reviewers/{int:pk}", response={204: None, **ERRORS}, operation_id="gate_reviewers_delete")
def remove_reviewer(request: HttpRequest, pk: int) -> Any:
    services.reviewer_remove(actor=request.user, reviewer=_get(request, Reviewer, pk))
    return 204, None


class VoteIn(Schema):
    vote: Decision
    comment: str = ""


@router.post(
    "/gate-reviewers/{int:pk}/vote",
    response={200: ReviewerOut, **ERRORS},
    operation_id="gate_reviewers_vote",
    summary="A reviewer records their own vote and comment",
)
def vote(request: HttpRequest, pk: int, payload: VoteIn) -> Any:
    v = services.gate_vote(
        actor=request.user, reviewer=_get(request, Reviewer, pk), vote=payload.vote, comment=payload.comment
    )
    return reviewer_out(v)


class ConditionIn(Schema):
    text: str
    owner_id: int
    due_date: dt.date


class DecideIn(Schema):
    decision: Decision
    comment: str = ""
    conditions: list[ConditionIn] = []
    next_review: dt.date | None = Field(None, description="The next review's date (hold, recycle or the next gate)")


@router.post(
    "/gate-reviews/{int:pk}/decide",
    response={200: ReviewOut, **ERRORS},
    operation_id="gate_reviews_decide",
    summary="Decide the gate (PMO director or the portfolio's manager): go, go_conditions, hold, recycle or kill",
)
def decide(request: HttpRequest, pk: int, payload: DecideIn) -> Any:
    review = services.gate_decide(
        actor=request.user,
        review=_get(request, GateReview, pk),
        decision=payload.decision,
        comment=payload.comment,
        conditions=[{"text": c.text, "owner": c.owner_id, "due_date": c.due_date} for c in payload.conditions],
        next_review=payload.next_review,
    )
    return review_out(review)


class ConditionFilters(Schema):
    status: GateCondition.Status | None = None
    portfolio_id: int | None = None


@router.get("/gate-conditions", response={200: list[ConditionOut], **ERRORS}, operation_id="gate_conditions_list")
def list_conditions(request: HttpRequest, filters: Query[ConditionFilters]) -> Any:
    _may_list(request, GateCondition)
    qs = GateCondition.objects.select_related("owner", "review__project").order_by("due_date", "pk")
    if filters.status is not None:
        qs = qs.filter(status=filters.status)
    if filters.portfolio_id is not None:
        qs = qs.filter(review__project__portfolio_id=filters.portfolio_id)
    return [condition_out(c) for c in qs]


class CloseIn(Schema):
    note: str = ""


@router.post(
    "/gate-conditions/{int:pk}/close", response={200: ConditionOut, **ERRORS}, operation_id="gate_conditions_close"
)
def close_condition(request: HttpRequest, pk: int, payload: CloseIn) -> Any:
    c = services.condition_close(actor=request.user, condition=_get(request, GateCondition, pk), note=payload.note)
    return condition_out(c)


# --- quality audits ---------------------------------------------------------------------------------------


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


class ActionOut(Schema):
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
    actions: list[ActionOut]


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


class CompleteIn(Schema):
    summary: str = ""


@router.post(
    "/audits/{int:pk}/complete",
    response={200: AuditOut, **ERRORS},
    operation_id="audits_complete",
    summary="Complete and score an audit (every question answered)",
)
def complete_audit(request: HttpRequest, pk: int, payload: CompleteIn) -> Any:
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


class ActionIn(Schema):
    description: str
    owner_id: int
    due_date: dt.date


@router.post("/findings/{int:pk}/actions", response={201: ActionOut, **ERRORS}, operation_id="findings_add_action")
def add_action(request: HttpRequest, pk: int, payload: ActionIn) -> Any:
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
    response={200: ActionOut, **ERRORS},
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
