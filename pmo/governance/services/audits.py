"""Quality assurance: audit and health-check checklists, audits answered and scored, findings with their
corrective actions (a finding closes when its last action is done)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse

from pmo.changes.services import notify
from pmo.core.access import require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.services import record_create, record_update
from pmo.governance.models import (
    Area,
    Audit,
    AuditAnswer,
    AuditQuestion,
    AuditTemplate,
    CorrectiveAction,
    Finding,
    Severity,
)
from pmo.governance.services._common import _date, _person, _text, _today, _user, _users_of
from pmo.portfolio.models import Project


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
    require(actor, "change", template)
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
        message = f"Audit finding for you: {finding.title}"
        transaction.on_commit(lambda: notify(users=users, message=message, url=url, kind="action"))
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
