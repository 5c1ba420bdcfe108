"""Writes: stakeholders, communication items and the log of communications sent (which moves the item's next
due date on), surveys and their answers, benefits and their measurements. Every function checks the caller
first, so a refused call changes nothing, and audits what it writes."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from pmo.changes.services import notify
from pmo.core.access import SystemActor, require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.services import record_create, record_delete, record_update
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.resources.models import Person
from pmo.stakeholders.models import (
    Benefit,
    BenefitMeasurement,
    CommunicationItem,
    CommunicationLog,
    Frequency,
    Stakeholder,
    Survey,
    SurveyResponse,
)

STAKEHOLDER_FIELDS = (
    "name",
    "person",
    "organisation",
    "role",
    "interest",
    "influence",
    "current_engagement",
    "desired_engagement",
    "relationship_owner",
    "notes",
)
ITEM_FIELDS = ("what", "audience_groups", "frequency", "channel", "sender", "next_due", "active")
BENEFIT_FIELDS = (
    "name",
    "kpi",
    "unit",
    "baseline_value",
    "target_value",
    "target_date",
    "owner",
    "financial_value",
    "currency",
    "description",
)
SCOPE_FIELDS = ("project", "program", "portfolio")


def _user(actor: Any) -> Any:
    return None if isinstance(actor, SystemActor) or getattr(actor, "pk", None) is None else actor


def _name(actor: Any) -> str:
    user = _user(actor)
    if user is None:
        return "system"
    person = Person.objects.filter(user_id=user.pk).first()
    return person.name if person else (user.get_full_name() or user.get_username())


def _scope(project: Project | None, program: Program | None, portfolio: Portfolio | None) -> dict[str, Any]:
    values = zip(SCOPE_FIELDS, (project, program, portfolio), strict=True)
    given = {name: value for name, value in values if value is not None}
    if len(given) != 1:
        raise ValidationFailed({"scope": "Give exactly one of project, program or portfolio."})
    return {name: given.get(name) for name in SCOPE_FIELDS}


def scope_url(obj: Any) -> str:
    return str(obj.register_url)


# --- stakeholder register ---------------------------------------------------------------------------------


@transaction.atomic
def stakeholder_create(
    *,
    actor: Any,
    name: str = "",
    project: Project | None = None,
    program: Program | None = None,
    portfolio: Portfolio | None = None,
    **fields: Any,
) -> Stakeholder:
    """Add a stakeholder to a project's, program's or portfolio's register; a stakeholder who is a Person takes
    their name when none is given."""
    scope = _scope(project, program, portfolio)
    person = fields.get("person")
    if not name and person is not None:
        name = person.name
    return record_create(
        actor=actor,
        model=Stakeholder,
        fields={**scope, "name": name, **fields},
        allowed=(*SCOPE_FIELDS, *STAKEHOLDER_FIELDS),
    )


@transaction.atomic
def stakeholder_update(
    *, actor: Any, stakeholder: Stakeholder, expected_version: int | None = None, **changes: Any
) -> Stakeholder:
    return record_update(
        actor=actor, obj=stakeholder, changes=changes, allowed=STAKEHOLDER_FIELDS, expected_version=expected_version
    )


@transaction.atomic
def stakeholder_delete(*, actor: Any, stakeholder: Stakeholder) -> None:
    record_delete(actor=actor, obj=stakeholder)


# --- communication plan -----------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, the month's last day where it is shorter.

    >>> add_months(dt.date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_occurrence(day: dt.date, frequency: str) -> dt.date | None:
    """The due date after `day` for a frequency; None for a one-off."""
    if frequency == Frequency.WEEKLY:
        return day + dt.timedelta(days=7)
    if frequency == Frequency.FORTNIGHTLY:
        return day + dt.timedelta(days=14)
    if frequency == Frequency.MONTHLY:
        return add_months(day, 1)
    if frequency == Frequency.QUARTERLY:
        return add_months(day, 3)
    return None


def _check_audience(stakeholders: Iterable[Stakeholder], item_scope: dict[str, Any]) -> list[Stakeholder]:
    chosen = list(stakeholders)
    program = item_scope.get("program")
    for s in chosen:
        same = (
            (item_scope.get("project") is not None and s.project_id == item_scope["project"].pk)
            or (
                program is not None
                and (s.program_id == program.pk or (s.project_id and s.project.program_id == program.pk))
            )
            or (item_scope.get("portfolio") is not None and s.owning_portfolio_id == item_scope["portfolio"].pk)
        )
        if not same:
            raise ValidationFailed({"stakeholders": f"{s} is not in this register."})
    return chosen


@transaction.atomic
def communication_item_create(
    *,
    actor: Any,
    what: str,
    project: Project | None = None,
    program: Program | None = None,
    portfolio: Portfolio | None = None,
    stakeholders: Iterable[Stakeholder] = (),
    **fields: Any,
) -> CommunicationItem:
    """Plan a communication: what, to whom (stakeholders and/or groups), how often, how, who sends, when next."""
    scope = _scope(project, program, portfolio)
    audience = _check_audience(stakeholders, scope)
    if not audience and not fields.get("audience_groups"):
        raise ValidationFailed({"stakeholders": "Name the audience: stakeholders, groups or both."})
    if fields.get("active", True) and fields.get("next_due") is None:
        raise ValidationFailed({"next_due": "Give the date the communication is next due."})
    item = record_create(
        actor=actor,
        model=CommunicationItem,
        fields={**scope, "what": what, **fields},
        allowed=(*SCOPE_FIELDS, *ITEM_FIELDS),
        m2m={"stakeholders": audience},
    )
    sender = item.sender
    if sender is not None and sender.user_id and sender.user_id != getattr(_user(actor), "pk", None):
        user = sender.user
        transaction.on_commit(
            lambda: notify(
                users=[user],
                message=f"You send '{item.what}' ({item.get_frequency_display()})",
                url=scope_url(item),
                kind="assignment",
            )
        )
    return item


@transaction.atomic
def communication_item_update(
    *,
    actor: Any,
    item: CommunicationItem,
    expected_version: int | None = None,
    stakeholders: Iterable[Stakeholder] | None = None,
    **changes: Any,
) -> CommunicationItem:
    active = changes.get("active", item.active)
    if active and "next_due" in changes and changes["next_due"] is None:
        raise ValidationFailed({"next_due": "Give the date the communication is next due."})
    m2m = None
    if stakeholders is not None:
        scope = {name: getattr(item, name) for name in SCOPE_FIELDS}
        m2m = {"stakeholders": _check_audience(stakeholders, scope)}
    return record_update(
        actor=actor, obj=item, changes=changes, allowed=ITEM_FIELDS, expected_version=expected_version, m2m=m2m
    )


@transaction.atomic
def communication_item_delete(*, actor: Any, item: CommunicationItem) -> None:
    record_delete(actor=actor, obj=item)


@transaction.atomic
def communication_record_sent(
    *, actor: Any, item: CommunicationItem, sent_on: dt.date | None = None, note: str = ""
) -> CommunicationLog:
    """Log that the item was sent and move its next due date on by its frequency, past the date sent (a one-off
    item is done: no next date, inactive)."""
    require(actor, "record_sent", item)
    sent_on = sent_on or timezone.localdate()
    if sent_on > timezone.localdate():
        raise ValidationFailed({"sent_on": "A communication cannot be sent in the future."})
    if not item.active:
        raise Conflict(f"'{item.what}' is no longer active.")
    log = CommunicationLog(item=item, sent_on=sent_on, sent_by=_user(actor), sent_by_name=_name(actor), note=note)
    log = record_create(
        actor=actor,
        model=CommunicationLog,
        fields={
            "item": item,
            "sent_on": sent_on,
            "sent_by": log.sent_by,
            "sent_by_name": log.sent_by_name,
            "note": note,
        },
        allowed=("item", "sent_on", "sent_by", "sent_by_name", "note"),
    )
    if item.frequency == Frequency.ONCE:
        changes: dict[str, Any] = {"next_due": None, "active": False}
    else:
        due = item.next_due or sent_on
        nxt = next_occurrence(due, item.frequency)
        while nxt is not None and nxt <= sent_on:
            nxt = next_occurrence(nxt, item.frequency)
        changes = {"next_due": nxt}
    record_update(
        actor=actor,
        obj=item,
        changes=changes,
        allowed=ITEM_FIELDS,
        action="record_sent",
        comment=f"Sent on {sent_on.isoformat()}",
    )
    return log


# --- surveys ----------------------------------------------------------------------------------------------


@transaction.atomic
def survey_create(*, actor: Any, project: Project, period: str, question: str = "") -> Survey:
    """Open a satisfaction survey of the project for a month (YYYY-MM)."""
    fields: dict[str, Any] = {"project": project, "period": period}
    if question:
        fields["question"] = question
    if Survey.objects.filter(project=project, period=period).exists():
        raise ValidationFailed({"period": f"{project.code} already has a survey for {period}."})
    survey = record_create(actor=actor, model=Survey, fields=fields, allowed=("project", "period", "question"))
    users = _stakeholder_users(project)
    if users:
        url = reverse("stakeholders-survey", args=[survey.pk])
        message = f"Your view is asked: {project.code} satisfaction survey {period}"
        transaction.on_commit(lambda: notify(users=users, message=message, url=url))
    return survey


def _stakeholder_users(project: Project) -> list[Any]:
    """The accounts of the people in the project's register and in its program's."""
    where = Stakeholder.objects.filter(project=project)
    if project.program_id:
        where = where | Stakeholder.objects.filter(program_id=project.program_id)
    people = where.filter(person__user__isnull=False).select_related("person__user")
    return [s.person.user for s in people]


@transaction.atomic
def survey_set_open(*, actor: Any, survey: Survey, is_open: bool) -> Survey:
    return record_update(actor=actor, obj=survey, changes={"is_open": is_open}, allowed=("is_open",))


@transaction.atomic
def survey_answer(*, actor: Any, survey: Survey, score: int, comment: str = "") -> SurveyResponse:
    """Record the signed-in user's answer (1 to 5 and a comment); answering again replaces their answer."""
    user = _user(actor)
    if user is None:
        raise ValidationFailed({"respondent": "Sign in to answer a survey."})
    require(actor, "answer", survey)
    if not survey.is_open:
        raise Conflict(f"The survey {survey} is closed.")
    existing = SurveyResponse.objects.filter(survey=survey, respondent=user).first()
    if existing is not None:
        return record_update(
            actor=actor, obj=existing, changes={"score": score, "comment": comment}, allowed=("score", "comment")
        )
    return record_create(
        actor=actor,
        model=SurveyResponse,
        fields={
            "survey": survey,
            "respondent": user,
            "respondent_name": _name(actor),
            "score": score,
            "comment": comment,
        },
        allowed=("survey", "respondent", "respondent_name", "score", "comment"),
    )


# --- benefits ---------------------------------------------------------------------------------------------


def _check_benefit(project: Project, fields: dict[str, Any]) -> None:
    baseline, target = fields.get("baseline_value"), fields.get("target_value")
    if baseline is not None and target is not None and Decimal(baseline) == Decimal(target):
        raise ValidationFailed({"target_value": "The target must differ from the baseline."})
    currency = fields.get("currency")
    if currency and currency != project.currency:
        raise ValidationFailed({"currency": f"Use the project's currency, {project.currency}."})


@transaction.atomic
def benefit_create(*, actor: Any, project: Project, name: str, **fields: Any) -> Benefit:
    """Plan a benefit of the project: KPI, unit, baseline, target and its date, owner, financial value."""
    fields.setdefault("currency", project.currency)
    _check_benefit(project, fields)
    return record_create(
        actor=actor,
        model=Benefit,
        fields={"project": project, "name": name, **fields},
        allowed=("project", *BENEFIT_FIELDS),
    )


@transaction.atomic
def benefit_update(*, actor: Any, benefit: Benefit, expected_version: int | None = None, **changes: Any) -> Benefit:
    merged = {
        "baseline_value": changes.get("baseline_value", benefit.baseline_value),
        "target_value": changes.get("target_value", benefit.target_value),
        "currency": changes.get("currency", benefit.currency),
    }
    require(actor, "change", benefit)
    _check_benefit(benefit.project, merged)
    return record_update(
        actor=actor, obj=benefit, changes=changes, allowed=BENEFIT_FIELDS, expected_version=expected_version
    )


@transaction.atomic
def benefit_delete(*, actor: Any, benefit: Benefit) -> None:
    require(actor, "delete", benefit)
    BenefitMeasurement.objects.filter(benefit=benefit).delete()
    record_delete(actor=actor, obj=benefit)


@transaction.atomic
def measurement_record(
    *, actor: Any, benefit: Benefit, measured_on: dt.date, value: Decimal, comment: str = ""
) -> BenefitMeasurement:
    """Record the KPI's value on a date (also after the project closed); never in the future."""
    require(actor, "measure", benefit)
    if measured_on is None:
        raise ValidationFailed({"measured_on": "Give the date of the measurement."})
    if measured_on > timezone.localdate():
        raise ValidationFailed({"measured_on": "A measurement cannot be dated in the future."})
    measurement = record_create(
        actor=actor,
        model=BenefitMeasurement,
        fields={
            "benefit": benefit,
            "measured_on": measured_on,
            "value": value,
            "comment": comment,
            "recorded_by": _user(actor),
            "recorded_by_name": _name(actor),
        },
        allowed=("benefit", "measured_on", "value", "comment", "recorded_by", "recorded_by_name"),
    )
    owner_user = benefit.owner.user if benefit.owner_id and benefit.owner.user_id else None
    if owner_user is not None and owner_user.pk != getattr(_user(actor), "pk", None):
        url = reverse("stakeholders-benefits", args=[benefit.project_id])
        transaction.on_commit(
            lambda: notify(
                users=[owner_user],
                message=f"{benefit.kpi} of {benefit.project.code} measured: {value} {benefit.unit}".strip(),
                url=url,
                kind="report",
            )
        )
    return measurement


@transaction.atomic
def measurement_delete(*, actor: Any, measurement: BenefitMeasurement) -> None:
    record_delete(actor=actor, obj=measurement)


def _reminder_users(item: CommunicationItem) -> list[Any]:
    """The sender, or where there is none (or they have no account) the manager of the item's project or program."""
    if item.sender_id and item.sender.user_id:
        return [item.sender.user]
    owner = item.project.manager if item.project_id else item.program.manager if item.program_id else None
    if owner is None and item.portfolio_id:
        owner = item.portfolio.manager
    return [owner.user] if owner is not None and owner.user_id else []


@transaction.atomic
def communications_remind(*, actor: Any, today: dt.date | None = None) -> dict[str, int]:
    """Tell the senders of overdue communications (once per item and due date; running it again tells nobody
    twice). Returns how many items are overdue and how many reminders were sent."""
    today = today or timezone.localdate()
    overdue = list(
        CommunicationItem.objects.filter(active=True, next_due__lt=today).select_related(
            "sender__user", "project__manager__user", "program__manager__user", "portfolio__manager__user"
        )
    )
    sent = 0
    for item in overdue:
        if item.reminded_for == item.next_due:
            continue
        users = _reminder_users(item)
        if users:
            sent += notify(
                users=users,
                message=f"Overdue communication: '{item.what}' ({item.scope.code}) was due {item.next_due:%d %b %Y}",
                url=scope_url(item) + "#plan",
                kind="action",
            )
        CommunicationItem.objects.filter(pk=item.pk).update(reminded_for=item.next_due)
    return {"overdue": len(overdue), "notified": sent}
