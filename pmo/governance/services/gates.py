"""The methodology a project follows and its gate reviews: checklist, reviewers and votes, the closure
authority's decision (go, go with conditions, hold, recycle, kill) and the conditions tracked to closure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pmo.changes.services import notify
from pmo.core.access import require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.services import record_create, record_delete, record_update
from pmo.governance import selectors
from pmo.governance.models import (
    CriterionAnswer,
    Decision,
    GateCondition,
    GateReview,
    MethodologyVersion,
    Phase,
    ProjectMethodology,
    Reviewer,
)
from pmo.governance.services._common import FINISHED, _date, _person, _text, _today, _user, _users_of
from pmo.portfolio.models import LifecycleState, Project
from pmo.resources.models import Person

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
                users=users,
                message=f"You review the gate {review.phase.gate_name} of {review.project}.",
                url=url,
                kind="gate",
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
        # Two deciders at once: the second waits for the first and then finds the review decided.
        if GateReview.objects.select_for_update().filter(pk=review.pk).values_list("state", flat=True).first() != (
            GateReview.State.OPEN
        ):
            raise Conflict(f"The review of {review} was decided meanwhile.")
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
            transaction.on_commit(lambda: notify(users=users, message=message, url=url, kind="gate"))
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
