"""Writes of governance: the methodology library (drafts, publication, new versions), the methodology a project
follows, gate reviews (criteria, reviewers, votes, decisions and their conditions) and quality audits (checklists,
scoring, findings, corrective actions). Each function checks the caller first, so a refused call changes
nothing, and audits what it writes in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from pmo.changes.services import notify
from pmo.core.access import SystemActor, require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.services import record_create, record_delete, record_update
from pmo.governance import selectors
from pmo.governance.models import (
    Area,
    Audit,
    AuditAnswer,
    AuditQuestion,
    AuditTemplate,
    CorrectiveAction,
    Criterion,
    CriterionAnswer,
    Decision,
    Finding,
    GateCondition,
    GateReview,
    Methodology,
    MethodologyVersion,
    Phase,
    ProjectMethodology,
    Requirement,
    Reviewer,
    Severity,
)
from pmo.portfolio.models import LifecycleState, Project
from pmo.portfolio.models import Methodology as Kind
from pmo.resources.models import Person

FINISHED = (LifecycleState.CLOSED, LifecycleState.CANCELLED)


def _user(actor: Any) -> Any:
    return None if isinstance(actor, SystemActor) or getattr(actor, "pk", None) is None else actor


def _text(value: str | None, field: str, *, required: bool = True, limit: int = 200) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed({field: "This field is required."})
    if len(value) > limit:
        raise ValidationFailed({field: f"At most {limit} characters."})
    return value


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _person(value: Any, field: str) -> Person:
    if isinstance(value, Person):
        return value
    person = Person.objects.filter(pk=value).first() if isinstance(value, int) else None
    if person is None:
        raise ValidationFailed({field: "Choose a person." if value in (None, "") else f"No person with id {value}."})
    return person


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise ValidationFailed({field: "Give a date (YYYY-MM-DD)."}) from error


def _users_of(people: Iterable[Person | None]) -> list[Any]:
    return [p.user for p in people if p is not None and p.user_id is not None]


# --- the methodology library ------------------------------------------------------------------------------


def methodology_create(*, actor: Any, name: str, kind: str, description: str = "") -> Methodology:
    """A new methodology with an empty draft version 1, ready for its phases."""
    require(actor, "add", Methodology(kind=kind))
    if kind not in Kind.values:
        raise ValidationFailed({"kind": f"Choose one of: {', '.join(Kind.values)}."})
    name = _text(name, "name", limit=120)
    if Methodology.objects.filter(name__iexact=name).exists():
        raise ValidationFailed({"name": f"A methodology named {name!r} already exists."})
    with transaction.atomic():
        methodology = record_create(
            actor=actor,
            model=Methodology,
            fields={"name": name, "kind": kind, "description": (description or "").strip()},
            allowed=("name", "kind", "description"),
        )
        record_create(
            actor=actor,
            model=MethodologyVersion,
            fields={"methodology": methodology, "number": 1},
            allowed=("methodology", "number"),
        )
    return methodology


def methodology_update(
    *, actor: Any, methodology: Methodology, description: str | None = None, active: bool | None = None
) -> Methodology:
    """Describe or retire a methodology (its versions and the projects on them are untouched)."""
    changes: dict[str, Any] = {}
    if description is not None:
        changes["description"] = description.strip()
    if active is not None:
        changes["active"] = active
    return record_update(actor=actor, obj=methodology, changes=changes, allowed=("description", "active"))


def _editable(version: MethodologyVersion) -> None:
    if version.state != MethodologyVersion.State.DRAFT:
        raise Conflict(
            f"{version} is published and can no longer change: start a new draft version to edit the methodology.",
            details={"version": version.pk},
        )


def version_draft(*, actor: Any, methodology: Methodology) -> MethodologyVersion:
    """Start the next draft version as a copy of the latest published one (phases, requirements, criteria).
    Projects on published versions keep them: nothing they follow changes."""
    require(actor, "add", MethodologyVersion(methodology=methodology))
    with transaction.atomic():
        Methodology.objects.select_for_update().filter(pk=methodology.pk).first()
        if methodology.versions.filter(state=MethodologyVersion.State.DRAFT).exists():
            raise Conflict(f"{methodology} already has a draft version: edit and publish it first.")
        source = methodology.versions.filter(state=MethodologyVersion.State.PUBLISHED).order_by("-number").first()
        number = (methodology.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = record_create(
            actor=actor,
            model=MethodologyVersion,
            fields={"methodology": methodology, "number": number},
            allowed=("methodology", "number"),
            comment=f"Copied from v{source.number}" if source else "",
        )
        if source is not None:
            for phase in source.phases.prefetch_related("requirements", "criteria"):
                copy = Phase.objects.create(
                    methodology_version=draft,
                    order=phase.order,
                    name=phase.name,
                    description=phase.description,
                    gate_name=phase.gate_name,
                    typical_weeks=phase.typical_weeks,
                )
                Requirement.objects.bulk_create(
                    Requirement(phase=copy, name=r.name, type=r.type, template_name=r.template_name)
                    for r in phase.requirements.all()
                )
                Criterion.objects.bulk_create(
                    Criterion(phase=copy, order=c.order, text=c.text) for c in phase.criteria.all()
                )
    return draft


def _check_template(template_name: str) -> None:
    if not template_name:
        return
    from pmo.documents.models import DocumentTemplate

    if not DocumentTemplate.objects.filter(name=template_name).exists():
        raise ValidationFailed({"template_name": f"No template named {template_name!r} in the documents library."})


def phase_add(
    *,
    actor: Any,
    version: MethodologyVersion,
    name: str,
    gate_name: str,
    typical_weeks: int = 4,
    description: str = "",
) -> Phase:
    """Add a phase at the end of a draft version."""
    require(actor, "change", version)
    _editable(version)
    order = (version.phases.aggregate(n=Max("order"))["n"] or 0) + 1
    return record_create(
        actor=actor,
        model=Phase,
        fields={
            "methodology_version": version,
            "order": order,
            "name": _text(name, "name", limit=120),
            "gate_name": _text(gate_name, "gate_name", limit=120),
            "typical_weeks": typical_weeks,
            "description": (description or "").strip(),
        },
        allowed=("methodology_version", "order", "name", "gate_name", "typical_weeks", "description"),
    )


def phase_update(*, actor: Any, phase: Phase, changes: Mapping[str, Any]) -> Phase:
    _editable(phase.methodology_version)
    clean = dict(changes)
    for field, limit in (("name", 120), ("gate_name", 120)):
        if field in clean:
            clean[field] = _text(clean[field], field, limit=limit)
    return record_update(
        actor=actor, obj=phase, changes=clean, allowed=("name", "gate_name", "typical_weeks", "description")
    )


def phase_delete(*, actor: Any, phase: Phase) -> None:
    """Remove a phase of a draft; the later phases move up one place."""
    version = phase.methodology_version
    _editable(version)
    with transaction.atomic():
        record_delete(actor=actor, obj=phase)
        for later in version.phases.filter(order__gt=phase.order).order_by("order"):
            Phase.objects.filter(pk=later.pk).update(order=later.order - 1)


def requirement_add(
    *, actor: Any, phase: Phase, name: str, type: str = Requirement.Type.DOCUMENT, template_name: str = ""
) -> Requirement:
    """A deliverable or document the phase requires before its gate (optionally naming a library template)."""
    require(actor, "change", phase.methodology_version)
    _editable(phase.methodology_version)
    if type not in Requirement.Type.values:
        raise ValidationFailed({"type": f"Choose one of: {', '.join(Requirement.Type.values)}."})
    template_name = (template_name or "").strip()
    _check_template(template_name)
    return record_create(
        actor=actor,
        model=Requirement,
        fields={"phase": phase, "name": _text(name, "name"), "type": type, "template_name": template_name},
        allowed=("phase", "name", "type", "template_name"),
    )


def requirement_delete(*, actor: Any, requirement: Requirement) -> None:
    _editable(requirement.phase.methodology_version)
    record_delete(actor=actor, obj=requirement)


def criterion_add(*, actor: Any, phase: Phase, text: str) -> Criterion:
    """A question of the gate's checklist."""
    require(actor, "change", phase.methodology_version)
    _editable(phase.methodology_version)
    order = (phase.criteria.aggregate(n=Max("order"))["n"] or 0) + 1
    return record_create(
        actor=actor,
        model=Criterion,
        fields={"phase": phase, "order": order, "text": _text(text, "text", limit=300)},
        allowed=("phase", "order", "text"),
    )


def criterion_delete(*, actor: Any, criterion: Criterion) -> None:
    _editable(criterion.phase.methodology_version)
    record_delete(actor=actor, obj=criterion)


def version_publish(*, actor: Any, version: MethodologyVersion, notes: str = "") -> MethodologyVersion:
    """Publish a draft: from now on it is immutable and offered to new projects. It needs at least one phase, and
    every phase a gate checklist of at least one criterion."""
    require(actor, "publish_version", version)
    _editable(version)
    phases = list(version.phases.prefetch_related("criteria"))
    if not phases:
        raise ValidationFailed({"phases": "Add at least one phase before publishing."})
    empty = [p.name for p in phases if not p.criteria.all()]
    if empty:
        raise ValidationFailed({"criteria": f"Give each gate at least one criterion; missing: {', '.join(empty)}."})
    return record_update(
        actor=actor,
        obj=version,
        changes={
            "state": MethodologyVersion.State.PUBLISHED,
            "published_at": timezone.now(),
            "published_by": _user(actor),
            "notes": (notes or version.notes).strip(),
        },
        allowed=("state", "published_at", "published_by", "notes"),
        action="publish_version",
        comment="Published",
    )


# --- the methodology a project follows ------------------------------------------------------------------


def project_methodology_set(
    *,
    actor: Any,
    project: Project,
    version: MethodologyVersion | None = None,
    start: dt.date | None = None,
    on: dt.date | None = None,
) -> ProjectMethodology:
    """Put a project that has none on a published methodology version (default: the latest published of its
    `methodology` kind). It starts in the first phase; the first gate is planned after the phase's typical
    duration. The project keeps this version for life."""
    record = ProjectMethodology(project=project)
    require(actor, "add", record)
    if ProjectMethodology.objects.filter(project=project).exists():
        raise Conflict(f"{project} already follows a methodology; a project keeps the version it started with.")
    if project.state in FINISHED:
        raise Conflict(f"{project} is {project.get_state_display().lower()}.")
    if version is None:
        version = selectors.latest_published(project.methodology)
        if version is None:
            raise ValidationFailed(
                {"version": f"No published {project.get_methodology_display().lower()} methodology: choose one."}
            )
    if not version.is_published:
        raise ValidationFailed({"version": f"{version} is a draft: only published versions can be followed."})
    first = version.phases.order_by("order").first()
    if first is None:
        raise ValidationFailed({"version": f"{version} has no phases."})
    started = start or project.planned_start or _today(on)
    with transaction.atomic():
        record = record_create(
            actor=actor,
            model=ProjectMethodology,
            fields={
                "project": project,
                "methodology_version": version,
                "current_phase": first,
                "phase_started": started,
                "chosen_by": _user(actor),
            },
            allowed=("project", "methodology_version", "current_phase", "phase_started", "chosen_by"),
            comment=f"Follows {version}",
        )
        _open_review(
            actor=actor, project=project, phase=first, planned=started + dt.timedelta(weeks=first.typical_weeks)
        )
    return record


def _open_review(*, actor: Any, project: Project, phase: Phase, planned: dt.date) -> GateReview:
    """The next gate review of a project, with its phase's checklist and its default reviewers (the sponsor and
    the portfolio's manager)."""
    review = record_create(
        actor=actor,
        model=GateReview,
        fields={"project": project, "phase": phase, "planned_date": planned},
        allowed=("project", "phase", "planned_date"),
    )
    CriterionAnswer.objects.bulk_create(CriterionAnswer(review=review, criterion=c) for c in phase.criteria.all())
    defaults: list[tuple[Person | None, str]] = [
        (project.sponsor, "Sponsor"),
        (project.portfolio.manager, "Portfolio manager"),
    ]
    seen: set[int] = set()
    for person, role in defaults:
        if person is not None and person.pk not in seen:
            seen.add(person.pk)
            Reviewer.objects.create(review=review, person=person, role=role)
    return review


# --- gate reviews -----------------------------------------------------------------------------------------


def _open(review: GateReview) -> None:
    if review.state != GateReview.State.OPEN:
        raise Conflict(f"The review of {review} was decided ({review.get_decision_display().lower()}).")


def review_open(*, actor: Any, project: Project, planned_date: Any = None) -> GateReview:
    """Open the review of the gate ending the project's current phase (when none is open, e.g. after the project
    came back from hold), planned on `planned_date` (default: the phase's start plus its typical duration)."""
    require(actor, "add", GateReview(project=project))
    tracking = ProjectMethodology.objects.filter(project=project).select_related("current_phase").first()
    if tracking is None:
        raise Conflict(f"{project} follows no methodology: choose one first.")
    if tracking.current_phase is None:
        raise Conflict(f"{project} has passed every gate of {tracking.methodology_version}.")
    if project.state in FINISHED:
        raise Conflict(f"{project} is {project.get_state_display().lower()}.")
    if GateReview.objects.filter(project=project, state=GateReview.State.OPEN).exists():
        raise Conflict(f"{project} already has an open gate review.")
    phase = tracking.current_phase
    planned = (
        _date(planned_date, "planned_date")
        if planned_date not in (None, "")
        else tracking.phase_started + dt.timedelta(weeks=phase.typical_weeks)
    )
    with transaction.atomic():
        return _open_review(actor=actor, project=project, phase=phase, planned=planned)


def review_reschedule(*, actor: Any, review: GateReview, planned_date: Any) -> GateReview:
    _open(review)
    return record_update(
        actor=actor,
        obj=review,
        changes={"planned_date": _date(planned_date, "planned_date")},
        allowed=("planned_date",),
    )


def criterion_answer(
    *, actor: Any, answer: CriterionAnswer, value: str, evidence_url: str = "", note: str = ""
) -> CriterionAnswer:
    """Answer a criterion of the gate's checklist: met, not met or n.a., with a link to the evidence."""
    require(actor, "change", answer)
    _open(answer.review)
    if value not in CriterionAnswer.Answer.values:
        raise ValidationFailed({"answer": "Choose met, not_met, na (or empty)."})
    return record_update(
        actor=actor,
        obj=answer,
        changes={
            "answer": value,
            "evidence_url": (evidence_url or "").strip(),
            "note": _text(note, "note", required=False, limit=500),
        },
        allowed=("answer", "evidence_url", "note"),
    )


def reviewer_add(*, actor: Any, review: GateReview, person: Any, role: str) -> Reviewer:
    """Name a reviewer of the gate in a role (sponsor, portfolio manager, PMO, quality...)."""
    require(actor, "add", Reviewer(review=review))
    person = _person(person, "person")
    role = _text(role, "role", limit=60)
    _open(review)
    if review.reviewers.filter(person=person).exists():
        raise ValidationFailed({"person": f"{person} already reviews this gate."})
    reviewer = record_create(
        actor=actor,
        model=Reviewer,
        fields={"review": review, "person": person, "role": role},
        allowed=("review", "person", "role"),
    )
    users = _users_of([person])
    if users and users[0] != _user(actor):
        url = reverse("governance:review", args=[review.pk])
        transaction.on_commit(
            lambda: notify(
                users=users, message=f"You review the gate {review.phase.gate_name} of {review.project}.", url=url
            )
        )
    return reviewer


def reviewer_remove(*, actor: Any, reviewer: Reviewer) -> None:
    _open(reviewer.review)
    record_delete(actor=actor, obj=reviewer)


def gate_vote(*, actor: Any, reviewer: Reviewer, vote: str, comment: str = "") -> Reviewer:
    """A reviewer records their vote (one of the decisions) and comment; they may change it until the decision."""
    require(actor, "gate_vote", reviewer)
    _open(reviewer.review)
    if vote not in Decision.values:
        raise ValidationFailed({"vote": f"Choose one of: {', '.join(Decision.values)}."})
    comment = (comment or "").strip()
    if vote in (Decision.HOLD, Decision.RECYCLE, Decision.KILL, Decision.GO_CONDITIONS) and not comment:
        raise ValidationFailed({"comment": "Say why (a vote other than go needs a comment)."})
    return record_update(
        actor=actor,
        obj=reviewer,
        changes={"vote": vote, "comment": comment, "voted_at": timezone.now()},
        allowed=("vote", "comment", "voted_at"),
        action="gate_vote",
    )


def _clean_conditions(conditions: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for i, condition in enumerate(conditions, start=1):
        text = (condition.get("text") or "").strip()
        if not text and not condition.get("owner") and not condition.get("due_date"):
            continue
        if not text:
            raise ValidationFailed({"conditions": f"Condition {i}: say what must be done."})
        if len(text) > 300:
            raise ValidationFailed({"conditions": f"Condition {i}: at most 300 characters."})
        try:
            owner = _person(condition.get("owner"), "owner")
        except ValidationFailed as error:
            raise ValidationFailed({"conditions": f"Condition {i}: choose its owner."}) from error
        try:
            due = _date(condition.get("due_date"), "due_date")
        except ValidationFailed as error:
            raise ValidationFailed({"conditions": f"Condition {i}: give its due date (YYYY-MM-DD)."}) from error
        cleaned.append({"text": text, "owner": owner, "due_date": due})
    return cleaned


def gate_decide(
    *,
    actor: Any,
    review: GateReview,
    decision: str,
    comment: str = "",
    conditions: Iterable[Mapping[str, Any]] = (),
    next_review: Any = None,
    on: dt.date | None = None,
) -> GateReview:
    """The closure authority decides the gate, all in one transaction:

    - go: the project's documents are baselined ("Gate: <gate>") and it moves to the next phase, whose gate review
      is planned after the phase's typical duration (after the last gate, the methodology is complete);
    - go with conditions: the same, with conditions (text, owner, due date) tracked to closure;
    - hold: the project stays in the phase; the gate is reviewed again on `next_review` (default in 4 weeks);
    - recycle: the phase is done again from today, and its gate planned after its typical duration;
    - kill: the project is cancelled and its closure opened in the knowledge app.

    Go needs every criterion met or n.a.; with a criterion not met, decide go with conditions, hold or recycle.
    """
    require(actor, "gate_decide", review)
    _open(review)
    if decision not in Decision.values:
        raise ValidationFailed({"decision": f"Choose one of: {', '.join(Decision.values)}."})
    comment = (comment or "").strip()
    today = _today(on)
    if decision != Decision.GO and not comment:
        raise ValidationFailed({"comment": f"Say why the gate is decided {Decision(decision).label.lower()}."})
    project = review.project
    answers = list(review.answers.select_related("criterion"))
    if decision in (Decision.GO, Decision.GO_CONDITIONS):
        unanswered = [a.criterion.text for a in answers if not a.answer]
        if unanswered:
            raise ValidationFailed({"criteria": f"Answer every criterion first; still open: {'; '.join(unanswered)}."})
        if decision == Decision.GO and any(a.answer == CriterionAnswer.Answer.NOT_MET for a in answers):
            raise ValidationFailed(
                {"decision": "A criterion is not met: decide go with conditions, hold or recycle instead of go."}
            )
    cleaned = _clean_conditions(conditions) if decision == Decision.GO_CONDITIONS else []
    if decision == Decision.GO_CONDITIONS and not cleaned:
        raise ValidationFailed({"conditions": "Give at least one condition with its owner and due date."})
    next_date = _date(next_review, "next_review") if next_review not in (None, "") else None
    if next_date is not None and next_date < today:
        raise ValidationFailed({"next_review": "The next review cannot be in the past."})
    tracking = ProjectMethodology.objects.filter(project=project).select_related("current_phase").first()
    if tracking is None or tracking.current_phase_id != review.phase_id:
        raise Conflict(f"{project} is not in the phase ended by this gate; reviews of past phases cannot be decided.")

    with transaction.atomic():
        review = record_update(
            actor=actor,
            obj=review,
            changes={
                "state": GateReview.State.DECIDED,
                "decision": decision,
                "decision_comment": comment,
                "decided_on": today,
                "decided_by": _user(actor),
            },
            allowed=("state", "decision", "decision_comment", "decided_on", "decided_by"),
            action="gate_decide",
            comment=f"{Decision(decision).label}: {comment}" if comment else Decision(decision).label,
        )
        for condition in cleaned:
            record_create(
                actor=actor,
                model=GateCondition,
                fields={"review": review, **condition},
                allowed=("review", "text", "owner", "due_date"),
                comment="Condition of the gate decision",
            )
        phase = review.phase
        if decision in (Decision.GO, Decision.GO_CONDITIONS):
            from pmo.documents.services import documents_baseline

            documents_baseline(actor=actor, project=project, label=f"Gate: {phase.gate_name}")
            following = phase.methodology_version.phases.filter(order__gt=phase.order).order_by("order").first()
            record_update(
                actor=actor,
                obj=tracking,
                changes={"current_phase": following, "phase_started": today},
                allowed=("current_phase", "phase_started"),
                comment=f"Passed {phase.gate_name}"
                + (f"; now in {following.name}" if following else "; all gates passed"),
            )
            if following is not None:
                _open_review(
                    actor=actor,
                    project=project,
                    phase=following,
                    planned=next_date or today + dt.timedelta(weeks=following.typical_weeks),
                )
        elif decision == Decision.HOLD:
            _open_review(actor=actor, project=project, phase=phase, planned=next_date or today + dt.timedelta(weeks=4))
        elif decision == Decision.RECYCLE:
            record_update(
                actor=actor,
                obj=tracking,
                changes={"phase_started": today},
                allowed=("phase_started",),
                comment=f"{phase.name} is done again",
            )
            _open_review(
                actor=actor,
                project=project,
                phase=phase,
                planned=next_date or today + dt.timedelta(weeks=phase.typical_weeks),
            )
        else:  # kill: the closure authority cancels the project and opens its closure
            from pmo.knowledge.services import closure_start
            from pmo.portfolio.services import project_transition

            project = project_transition(
                actor=actor,
                project=project,
                to_state=LifecycleState.CANCELLED,
                comment=f"Killed at {phase.gate_name}: {comment}",
            )
            closure_start(
                actor=actor, project=project, reason=f"Killed at the gate {phase.gate_name}: {comment}", killed=True
            )
        people = [project.manager, project.sponsor, *(c["owner"] for c in cleaned)]
        users = [u for u in _users_of(people) if u != _user(actor)]
        if users:
            url = reverse("governance:review", args=[review.pk])
            message = f"Gate {phase.gate_name} of {project}: {Decision(decision).label.lower()}."
            transaction.on_commit(lambda: notify(users=users, message=message, url=url))
    return review


def condition_close(
    *, actor: Any, condition: GateCondition, note: str = "", on: dt.date | None = None
) -> GateCondition:
    """Close a condition of a "go with conditions" decision (its owner, the project's leads or the PMO)."""
    require(actor, "close_condition", condition)
    if condition.status == GateCondition.Status.DONE:
        raise Conflict(f"The condition {condition} is already closed.")
    return record_update(
        actor=actor,
        obj=condition,
        changes={
            "status": GateCondition.Status.DONE,
            "closed_on": _today(on),
            "closing_note": _text(note, "note", required=False, limit=300),
        },
        allowed=("status", "closed_on", "closing_note"),
        action="close_condition",
    )


# --- quality audits ---------------------------------------------------------------------------------------


def audit_template_create(
    *,
    actor: Any,
    name: str,
    type: str = AuditTemplate.Type.AUDIT,
    description: str = "",
    questions: Iterable[Mapping[str, Any]] = (),
) -> AuditTemplate:
    """A health-check or audit checklist; each question has an area (method, documentation, governance) and a
    weight from 1 to 5."""
    require(actor, "add", AuditTemplate())
    name = _text(name, "name", limit=120)
    if type not in AuditTemplate.Type.values:
        raise ValidationFailed({"type": f"Choose one of: {', '.join(AuditTemplate.Type.values)}."})
    if AuditTemplate.objects.filter(name__iexact=name).exists():
        raise ValidationFailed({"name": f"A checklist named {name!r} already exists."})
    with transaction.atomic():
        template = record_create(
            actor=actor,
            model=AuditTemplate,
            fields={"name": name, "type": type, "description": (description or "").strip()},
            allowed=("name", "type", "description"),
        )
        for q in questions:
            audit_question_add(
                actor=actor,
                template=template,
                text=q.get("text", ""),
                area=q.get("area", Area.METHOD),
                weight=q.get("weight", 1),
            )
    return template


def audit_question_add(
    *, actor: Any, template: AuditTemplate, text: str, area: str = Area.METHOD, weight: int = 1
) -> AuditQuestion:
    if area not in Area.values:
        raise ValidationFailed({"area": f"Choose one of: {', '.join(Area.values)}."})
    if not isinstance(weight, int) or not 1 <= weight <= 5:
        raise ValidationFailed({"weight": "A weight from 1 to 5."})
    order = (template.questions.aggregate(n=Max("order"))["n"] or 0) + 1
    return record_create(
        actor=actor,
        model=AuditQuestion,
        fields={
            "template": template,
            "order": order,
            "text": _text(text, "text", limit=300),
            "area": area,
            "weight": weight,
        },
        allowed=("template", "order", "text", "area", "weight"),
    )


def audit_create(
    *,
    actor: Any,
    project: Project,
    template: AuditTemplate,
    planned_date: Any,
    scheduled: bool = True,
    auditor: Any = None,
) -> Audit:
    """Plan an audit or health check of a project (or record an ad hoc one), with the checklist to answer."""
    require(actor, "add", Audit(project=project, template=template))
    auditor_person = _person(auditor, "auditor") if auditor not in (None, "") else None
    planned = _date(planned_date, "planned_date")
    if not template.active:
        raise ValidationFailed({"template": f"{template} is retired."})
    questions = list(template.questions.all())
    if not questions:
        raise ValidationFailed({"template": f"{template} has no questions."})
    with transaction.atomic():
        audit = record_create(
            actor=actor,
            model=Audit,
            fields={
                "project": project,
                "template": template,
                "planned_date": planned,
                "scheduled": bool(scheduled),
                "auditor": auditor_person,
            },
            allowed=("project", "template", "planned_date", "scheduled", "auditor"),
        )
        AuditAnswer.objects.bulk_create(AuditAnswer(audit=audit, question=q) for q in questions)
    return audit


def audit_answer(*, actor: Any, answer: AuditAnswer, rating: str, note: str = "") -> AuditAnswer:
    require(actor, "change", answer)
    if answer.audit.state == Audit.State.COMPLETED:
        raise Conflict(f"{answer.audit} is completed; its answers are final.")
    if rating not in AuditAnswer.Rating.values:
        raise ValidationFailed({"rating": "Choose yes, partly, no, na (or empty)."})
    return record_update(
        actor=actor,
        obj=answer,
        changes={"rating": rating, "note": _text(note, "note", required=False, limit=500)},
        allowed=("rating", "note"),
    )


CREDIT = {
    AuditAnswer.Rating.YES: Decimal(1),
    AuditAnswer.Rating.PARTLY: Decimal("0.5"),
    AuditAnswer.Rating.NO: Decimal(0),
}


def score(answers: Iterable[tuple[str, int]]) -> Decimal | None:
    """The compliance score of an audit from (rating, weight) pairs: yes counts fully, partly half, no nothing;
    n.a. leaves the question out. Score = 100 * sum(weight * credit) / sum(weight) of the applicable questions, to one
    decimal. None when nothing applies.

    >>> score([("yes", 2), ("partly", 1), ("no", 1), ("na", 3)])
    Decimal('62.5')
    """
    total = Decimal(0)
    earned = Decimal(0)
    for rating, weight in answers:
        if rating in CREDIT:
            total += weight
            earned += weight * CREDIT[rating]
    if not total:
        return None
    return (Decimal(100) * earned / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def audit_complete(*, actor: Any, audit: Audit, summary: str = "", on: dt.date | None = None) -> Audit:
    """Complete an audit: every question answered; its score is computed (see `score`)."""
    require(actor, "change", audit)
    if audit.state == Audit.State.COMPLETED:
        raise Conflict(f"{audit} is already completed.")
    answers = list(audit.answers.select_related("question"))
    missing = [a.question.text for a in answers if not a.rating]
    if missing:
        raise ValidationFailed({"answers": f"Answer every question first; still open: {'; '.join(missing)}."})
    value = score((a.rating, a.question.weight) for a in answers)
    if value is None:
        raise ValidationFailed({"answers": "Every question is n.a.: nothing to score."})
    return record_update(
        actor=actor,
        obj=audit,
        changes={
            "state": Audit.State.COMPLETED,
            "completed_on": _today(on),
            "score": value,
            "summary": (summary or "").strip(),
        },
        allowed=("state", "completed_on", "score", "summary"),
        comment=f"Score {value}",
    )


def finding_add(
    *,
    actor: Any,
    audit: Audit,
    title: str,
    owner: Any,
    due_date: Any,
    severity: str = Severity.MEDIUM,
    area: str = Area.METHOD,
    description: str = "",
) -> Finding:
    """A finding of an audit, with its severity, owner and due date; it closes when its actions are done."""
    require(actor, "add", Finding(audit=audit, project=audit.project))
    if severity not in Severity.values:
        raise ValidationFailed({"severity": f"Choose one of: {', '.join(Severity.values)}."})
    if area not in Area.values:
        raise ValidationFailed({"area": f"Choose one of: {', '.join(Area.values)}."})
    person = _person(owner, "owner")
    finding = record_create(
        actor=actor,
        model=Finding,
        fields={
            "audit": audit,
            "project": audit.project,
            "title": _text(title, "title"),
            "description": (description or "").strip(),
            "severity": severity,
            "area": area,
            "owner": person,
            "due_date": _date(due_date, "due_date"),
        },
        allowed=("audit", "project", "title", "description", "severity", "area", "owner", "due_date"),
    )
    users = [u for u in _users_of([person]) if u != _user(actor)]
    if users:
        url = reverse("governance:audit", args=[audit.pk])
        transaction.on_commit(lambda: notify(users=users, message=f"Audit finding for you: {finding.title}", url=url))
    return finding


def action_add(*, actor: Any, finding: Finding, description: str, owner: Any, due_date: Any) -> CorrectiveAction:
    """A corrective action of a finding (a closed finding reopens when a new action is added)."""
    require(actor, "add", CorrectiveAction(finding=finding))
    person = _person(owner, "owner")
    with transaction.atomic():
        action = record_create(
            actor=actor,
            model=CorrectiveAction,
            fields={
                "finding": finding,
                "description": _text(description, "description", limit=300),
                "owner": person,
                "due_date": _date(due_date, "due_date"),
            },
            allowed=("finding", "description", "owner", "due_date"),
        )
        if finding.status == Finding.Status.CLOSED:
            record_update(
                actor=actor,
                obj=finding,
                changes={"status": Finding.Status.OPEN, "closed_on": None},
                allowed=("status", "closed_on"),
                comment="Reopened: a new corrective action",
            )
    return action


def action_close(*, actor: Any, action: CorrectiveAction, on: dt.date | None = None) -> CorrectiveAction:
    """Mark a corrective action done; its finding closes when all of its actions are done."""
    require(actor, "close_action", action)
    if action.status == CorrectiveAction.Status.DONE:
        raise Conflict(f"The action {action} is already done.")
    today = _today(on)
    with transaction.atomic():
        action = record_update(
            actor=actor,
            obj=action,
            changes={"status": CorrectiveAction.Status.DONE, "done_on": today},
            allowed=("status", "done_on"),
            action="close_action",
        )
        finding = Finding.objects.select_for_update().get(pk=action.finding_id)
        if (
            finding.status == Finding.Status.OPEN
            and not finding.actions.filter(status=CorrectiveAction.Status.OPEN).exists()
        ):
            record_update(
                actor=actor,
                obj=finding,
                changes={"status": Finding.Status.CLOSED, "closed_on": today},
                allowed=("status", "closed_on"),
                action="close_action",
                comment="Closed: all corrective actions done",
            )
    return action
