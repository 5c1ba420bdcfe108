"""The API of a project's methodology and its gate reviews: checklist, reviewers, votes, decisions, conditions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from pmo.api.schemas import ERRORS, CodeRef, Ref, code_ref, ref
from pmo.governance import selectors, services
from pmo.governance.api._common import _get, _may_list, _one
from pmo.governance.api.library import VersionRef
from pmo.governance.models import (
    CriterionAnswer,
    Decision,
    GateCondition,
    GateReview,
    MethodologyVersion,
    Reviewer,
)
from pmo.portfolio.models import Project

router = Router()


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
