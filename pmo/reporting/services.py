"""Writes of reporting: produce and archive a report, subscribe to scheduled reports, run the due ones.

Reports are produced as the person who asked for them (or who subscribed): each sees the projects whose
figures they may see, nothing more."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import task as background_task

from pmo.core.access import require
from pmo.core.errors import ValidationFailed
from pmo.core.services import record_create, record_delete, record_update
from pmo.portfolio.models import Portfolio, Project
from pmo.reporting import reports
from pmo.reporting.models import ReportArchive, ReportFormat, ReportSubscription

log = logging.getLogger(__name__)
FORMATS = tuple(ReportFormat.values)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ValidationFailed({"format": f"Choose one of {', '.join(FORMATS)} (got {fmt!r})."})


def _check_period(start: dt.date | None, end: dt.date | None) -> None:
    if start and end and end < start:
        raise ValidationFailed({"period_end": "The period ends before it starts."})


def _save_archive(archive: ReportArchive, content: bytes, name: str) -> ReportArchive:
    """Store the file and the row together: a failure removes the file again."""
    # A folder of its own per report, so the file keeps its plain name (no suffix added by the storage).
    folder = f"reports/{timezone.localdate():%Y/%m}/{uuid.uuid4().hex[:12]}"
    path = default_storage.save(f"{folder}/{name}", ContentFile(content))
    try:
        with transaction.atomic():
            archive.file.name = path
            archive.size = len(content)
            archive.save()
    except Exception:
        default_storage.delete(path)
        raise
    return archive


def report_generate(
    *,
    actor: Any,
    portfolio: Portfolio | None = None,
    fmt: str = "pdf",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    subscription: ReportSubscription | None = None,
    today: dt.date | None = None,
) -> ReportArchive:
    """Produce the consolidated status report of a portfolio (or of all) for a period, archive it and
    return the archive row. Refused (nothing stored) for those who may not produce reports."""
    require(actor, "produce_report", ReportArchive)
    _check_format(fmt)
    _check_period(period_start, period_end)
    if portfolio is not None:
        require(actor, "view", portfolio)
    built = reports.build(actor, portfolio=portfolio, period_start=period_start, period_end=period_end, today=today)
    content = reports.render(built, fmt)
    scope = portfolio.code if portfolio else "all"
    name = f"portfolio-report-{slugify(scope)}-{built.period_end:%Y-%m-%d}.{fmt}"
    archive = ReportArchive(
        kind=ReportArchive.Kind.PORTFOLIO,
        portfolio=portfolio,
        format=fmt,
        period_start=built.period_start,
        period_end=built.period_end,
        title=built.title,
        created_by=actor if getattr(actor, "pk", None) else None,
        subscription=subscription,
    )
    return _save_archive(archive, content, name)


def project_report_generate(*, actor: Any, project: Project, today: dt.date | None = None) -> ReportArchive:
    """The status report PDF of one project, archived."""
    require(actor, "produce_report", ReportArchive)
    require(actor, "view_financials", project)
    today = today or timezone.localdate()
    content = reports.project_pdf(actor, project, today=today)
    archive = ReportArchive(
        kind=ReportArchive.Kind.PROJECT,
        project=project,
        portfolio=project.portfolio,
        format=ReportFormat.PDF,
        period_start=today.replace(day=1),
        period_end=today,
        title=f"Project status report — {project.code} {project.name}",
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    return _save_archive(archive, content, f"project-report-{slugify(project.code)}-{today:%Y-%m-%d}.pdf")


# --- subscriptions --------------------------------------------------------------------------------------


def next_run_after(frequency: str, day: dt.date) -> dt.date:
    """The next Monday (weekly) or the next 1st of a month (monthly) strictly after `day`.

    >>> next_run_after("weekly", dt.date(2026, 12, 3)), next_run_after("monthly", dt.date(2026, 12, 1))
    (datetime.date(2026, 12, 7), datetime.date(2027, 1, 1))
    """
    if frequency == ReportSubscription.Frequency.WEEKLY:
        return day + dt.timedelta(days=7 - day.weekday())
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _check_subscription(frequency: str, fmt: str) -> None:
    errors = {}
    if frequency not in ReportSubscription.Frequency.values:
        errors["frequency"] = "Choose weekly or monthly."
    if fmt not in FORMATS:
        errors["format"] = f"Choose one of {', '.join(FORMATS)}."
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def subscription_create(
    *,
    actor: Any,
    user: Any | None = None,
    portfolio: Portfolio | None = None,
    frequency: str = "monthly",
    fmt: str = "pdf",
    today: dt.date | None = None,
) -> ReportSubscription:
    """Subscribe `user` (the actor by default) to the consolidated report of a portfolio (or of all)."""
    user = user or actor
    require(actor, "add", ReportSubscription(user=user))
    _check_subscription(frequency, fmt)
    if not getattr(user, "email", ""):
        raise ValidationFailed({"user": f"{user.get_username()} has no e-mail address to send reports to."})
    if portfolio is not None:
        require(actor, "view", portfolio)
    today = today or timezone.localdate()
    return record_create(
        actor=actor,
        model=ReportSubscription,
        fields={
            "user": user,
            "portfolio": portfolio,
            "frequency": frequency,
            "format": fmt,
            "next_run": next_run_after(frequency, today),
        },
        allowed={"user", "portfolio", "frequency", "format", "next_run"},
    )


@transaction.atomic
def subscription_update(
    *, actor: Any, subscription: ReportSubscription, changes: dict[str, Any], expected_version: int | None = None
) -> ReportSubscription:
    """Change the frequency, format, portfolio or pause (active=False) a subscription."""
    require(actor, "change", subscription)
    fields = dict(changes)
    _check_subscription(fields.get("frequency", subscription.frequency), fields.get("format", subscription.format))
    if "frequency" in fields and fields["frequency"] != subscription.frequency:
        fields["next_run"] = next_run_after(fields["frequency"], timezone.localdate())
    return record_update(
        actor=actor,
        obj=subscription,
        changes=fields,
        allowed={"portfolio", "frequency", "format", "active", "next_run"},
        expected_version=expected_version,
    )


def subscription_delete(*, actor: Any, subscription: ReportSubscription) -> None:
    record_delete(actor=actor, obj=subscription)


def _email(archive: ReportArchive, subscription: ReportSubscription) -> str:
    user = subscription.user
    link = f"{getattr(settings, 'PMO_BASE_URL', '')}/reports/{archive.pk}/download/"
    message = EmailMessage(
        subject=f"[pmo] {archive.title} ({archive.period_start:%d %b} – {archive.period_end:%d %b %Y})",
        body=(
            f"Hello {user.get_full_name() or user.get_username()},\n\n"
            f"Your {subscription.get_frequency_display().split(' ')[0].lower()} report is attached: {archive.title}.\n"
            f"Every report stays in the archive: {link}\n\n"
            "To change or stop this subscription, open Reports in pmo."
        ),
        to=[user.email],
    )
    with archive.file.open("rb") as handle:
        message.attach(archive.filename, handle.read(), reports.CONTENT_TYPES[archive.format].split(";")[0])
    message.send()
    return user.email


def subscription_run(*, subscription: ReportSubscription, today: dt.date | None = None) -> ReportArchive:
    """Produce one subscription's report as its subscriber, archive and e-mail it, and move its next run on.
    The period is the past week (weekly) or the past month (monthly) before `today`."""
    today = today or timezone.localdate()
    if subscription.frequency == ReportSubscription.Frequency.WEEKLY:
        start, end = today - dt.timedelta(days=7), today - dt.timedelta(days=1)
    else:
        start, end = reports.default_period(today)
    archive = report_generate(
        actor=subscription.user,
        portfolio=subscription.portfolio,
        fmt=subscription.format,
        period_start=start,
        period_end=end,
        subscription=subscription,
        today=today,
    )
    archive.emailed_to = _email(archive, subscription)
    archive.save(update_fields=["emailed_to"])
    ReportSubscription.objects.filter(pk=subscription.pk).update(
        last_run=timezone.now(), next_run=next_run_after(subscription.frequency, today)
    )
    return archive


@background_task()
def run_subscription(subscription_id: int, today: str | None = None) -> int | None:
    """The background job of one due subscription; returns the archive id (None when it failed)."""
    subscription = ReportSubscription.objects.select_related("user", "portfolio").get(pk=subscription_id)
    try:
        archive = subscription_run(subscription=subscription, today=dt.date.fromisoformat(today) if today else None)
    except Exception:  # one failing subscription must not stop the others; the log says why
        log.exception("scheduled report %s failed", subscription_id)
        return None
    return archive.pk


def due_subscriptions(today: dt.date | None = None) -> list[ReportSubscription]:
    today = today or timezone.localdate()
    return list(
        ReportSubscription.objects.filter(active=True, next_run__lte=today, user__is_active=True)
        .select_related("user", "portfolio")
        .order_by("next_run", "id")
    )


def subscriptions_run_due(*, today: dt.date | None = None) -> list[int]:
    """Enqueue a background task for each due subscription (what cron calls); returns their ids."""
    today = today or timezone.localdate()
    ids = []
    for subscription in due_subscriptions(today):
        run_subscription.enqueue(subscription.pk, today.isoformat())
        ids.append(subscription.pk)
    return ids
