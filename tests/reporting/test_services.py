"""Producing and archiving reports, subscriptions, the scheduled run (task, e-mail, archive), and refusals
that change nothing."""

import datetime as dt
import re
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from pmo.core.errors import ValidationFailed
from pmo.core.models import AuditEvent
from pmo.core.roles import Role
from pmo.reporting import services
from pmo.reporting.models import ReportArchive, ReportSubscription


def test_report_generate_archives_the_file(board: dict[str, Any], roles: Any) -> None:
    archive = services.report_generate(actor=roles[Role.PORTFOLIO_MANAGER], portfolio=board["portfolio"], fmt="xlsx")
    assert (archive.kind, archive.format, archive.title) == ("portfolio", "xlsx", "Portfolio status report — Digital")
    assert (archive.period_start, archive.period_end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert archive.filename == "portfolio-report-dig-2026-11-30.xlsx"
    assert re.fullmatch(r"reports/2026/12/[0-9a-f]{12}/portfolio-report-dig-2026-11-30\.xlsx", archive.file.name)
    with archive.file.open("rb") as handle:
        assert len(handle.read()) == archive.size > 4000
    assert archive.created_by == roles[Role.PORTFOLIO_MANAGER]


def test_project_report_is_archived(board: dict[str, Any], roles: Any) -> None:
    archive = services.project_report_generate(actor=roles[Role.PROJECT_MANAGER], project=board["p1"])
    assert (archive.kind, archive.project, archive.format) == ("project", board["p1"], "pdf")
    assert archive.filename == "project-report-p1-2026-12-03.pdf"
    with archive.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        ({"fmt": "docx"}, {"format": ["Choose one of pdf, xlsx, csv (got 'docx')."]}),
        (
            {"period_start": dt.date(2026, 11, 30), "period_end": dt.date(2026, 11, 1)},
            {"period_end": ["The period ends before it starts."]},
        ),
    ],
)
def test_bad_input_is_refused_naming_the_field(board: dict[str, Any], roles: Any, kwargs: Any, errors: Any) -> None:
    with pytest.raises(ValidationFailed) as caught:
        services.report_generate(actor=roles[Role.PMO_DIRECTOR], **kwargs)
    assert caught.value.fields == errors
    assert ReportArchive.objects.count() == 0


@pytest.mark.parametrize("role", [Role.TEAM_MEMBER, Role.REQUESTER, Role.PROJECT_ADMINISTRATOR])
def test_who_may_not_produce_reports(board: dict[str, Any], roles: Any, role: Role, media: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.report_generate(actor=roles[role])
    assert ReportArchive.objects.count() == 0
    assert not (media / "reports").exists()


def test_subscribe_and_the_next_run(board: dict[str, Any], roles: Any) -> None:
    user = roles[Role.EXECUTIVE]
    user.email = "exec@example.org"
    user.save()
    weekly = services.subscription_create(actor=user, portfolio=board["portfolio"], frequency="weekly", fmt="xlsx")
    monthly = services.subscription_create(actor=user, frequency="monthly", fmt="pdf")
    assert (weekly.next_run, monthly.next_run) == (dt.date(2026, 12, 7), dt.date(2027, 1, 1))
    assert AuditEvent.objects.filter(content_type__model="reportsubscription", object_id=str(weekly.pk)).count() == 1
    changed = services.subscription_update(
        actor=user, subscription=weekly, changes={"frequency": "monthly"}, expected_version=1
    )
    assert (changed.frequency, changed.next_run, changed.version) == ("monthly", dt.date(2027, 1, 1), 2)


def test_subscription_needs_an_email_and_known_choices(board: dict[str, Any], roles: Any) -> None:
    user = roles[Role.EXECUTIVE]
    with pytest.raises(ValidationFailed) as caught:
        services.subscription_create(actor=user)
    assert caught.value.fields == {"user": ["exec has no e-mail address to send reports to."]}
    user.email = "exec@example.org"
    user.save()
    with pytest.raises(ValidationFailed) as caught:
        services.subscription_create(actor=user, frequency="daily", fmt="docx")
    assert caught.value.fields == {
        "frequency": ["Choose weekly or monthly."],
        "format": ["Choose one of pdf, xlsx, csv."],
    }
    assert ReportSubscription.objects.count() == 0


def test_only_the_owner_or_the_director_changes_a_subscription(board: dict[str, Any], roles: Any) -> None:
    owner = roles[Role.EXECUTIVE]
    owner.email = "exec@example.org"
    owner.save()
    subscription = services.subscription_create(actor=owner, frequency="weekly")
    with pytest.raises(PermissionDenied):
        services.subscription_update(
            actor=roles[Role.PORTFOLIO_MANAGER], subscription=subscription, changes={"active": False}
        )
    with pytest.raises(PermissionDenied):
        services.subscription_delete(actor=roles[Role.PROJECT_MANAGER], subscription=subscription)
    subscription.refresh_from_db()
    assert (subscription.active, subscription.version) == (True, 1)
    services.subscription_delete(actor=roles[Role.PMO_DIRECTOR], subscription=subscription)
    assert ReportSubscription.objects.count() == 0


def test_the_scheduled_run_produces_archives_and_mails(board: dict[str, Any], roles: Any) -> None:
    user = roles[Role.EXECUTIVE]
    user.email = "exec@example.org"
    user.save()
    due = services.subscription_create(
        actor=user, portfolio=board["portfolio"], frequency="weekly", fmt="csv", today=dt.date(2026, 11, 25)
    )
    later = services.subscription_create(actor=user, frequency="monthly", fmt="pdf")
    assert due.next_run == dt.date(2026, 11, 30)
    out = StringIO()
    call_command("run_scheduled_reports", stdout=out)
    assert out.getvalue().splitlines() == [
        "Portfolio status report — Digital (csv) sent to exec@example.org",
        "1 due, 1 sent, 0 failed",
    ]
    archive = ReportArchive.objects.get()
    assert (archive.subscription, archive.period_start, archive.period_end) == (
        due,
        dt.date(2026, 11, 26),
        dt.date(2026, 12, 2),
    )
    [message] = mail.outbox
    assert message.to == ["exec@example.org"]
    assert message.subject == "[pmo] Portfolio status report — Digital (26 Nov – 02 Dec 2026)"
    assert message.attachments[0][0] == "portfolio-report-dig-2026-12-02.csv"
    assert str(message.attachments[0][1]).startswith("\ufeffProject,Name")
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.next_run, due.last_run is not None, later.last_run) == (dt.date(2026, 12, 7), True, None)
    # Nothing is due any more today.
    out = StringIO()
    call_command("run_scheduled_reports", stdout=out)
    assert out.getvalue().strip() == "0 due, 0 sent, 0 failed"
    assert len(mail.outbox) == 1


def test_a_failing_subscription_does_not_stop_the_others(board: dict[str, Any], roles: Any) -> None:
    user = roles[Role.TEAM_MEMBER]  # may not produce reports (e.g. after a change of role)
    user.email = "member@example.org"
    user.save()
    ReportSubscription.objects.create(user=user, frequency="weekly", format="pdf", next_run=dt.date(2026, 12, 1))
    director = roles[Role.PMO_DIRECTOR]
    director.email = "director@example.org"
    director.save()
    ok = services.subscription_create(actor=director, frequency="weekly", fmt="csv", today=dt.date(2026, 11, 25))
    with pytest.raises(CommandError, match="1 scheduled report"):
        call_command("run_scheduled_reports", stdout=StringIO())
    assert list(ReportArchive.objects.values_list("subscription", flat=True)) == [ok.pk]
    assert [m.to for m in mail.outbox] == [["director@example.org"]]


def test_command_refuses_a_bad_date(board: dict[str, Any]) -> None:
    with pytest.raises(CommandError, match="--date: 'soon' is not a date"):
        call_command("run_scheduled_reports", "--date", "soon")


def test_next_run_after() -> None:
    assert services.next_run_after("weekly", dt.date(2026, 12, 7)) == dt.date(2026, 12, 14)
    assert services.next_run_after("monthly", dt.date(2026, 12, 31)) == dt.date(2027, 1, 1)
