"""Thresholds per portfolio raise deviations; the check is idempotent, follows a metric's severity and closes
what recovered; the project manager is told."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pmo.changes import selectors, services
from pmo.changes.models import Deviation, Notification, Threshold
from pmo.core.access import SYSTEM
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.roles import Role
from tests.changes.conftest import slip


def _active(project):
    return sorted(
        (d.metric, d.value, d.severity, d.status)
        for d in Deviation.objects.filter(project=project).exclude(status="closed")
    )


def test_raised_once_updated_then_closed(planned, roles):
    p1, pm = planned["p1"], roles[Role.PROJECT_MANAGER]
    planned["evm"].update(cpi=0.93, spi=1.0)
    slip(planned["a"], 20)
    assert services.deviations_check(actor=SYSTEM, projects=[p1]) == {"raised": 2, "updated": 0, "closed": 0}
    assert _active(p1) == [
        ("cpi", Decimal("0.930"), "amber", "open"),
        ("milestone_slip_days", Decimal("15.000"), "red", "open"),
    ]
    assert Notification.objects.filter(recipient=pm).count() == 2
    # The same metrics again: nothing changes, nobody is told twice.
    assert services.deviations_check(actor=SYSTEM, projects=[p1]) == {"raised": 0, "updated": 0, "closed": 0}
    assert Deviation.objects.count() == 2 and Notification.objects.count() == 2
    # CPI worsens to red: the same deviation follows, and the manager hears it turned red.
    planned["evm"]["cpi"] = 0.85
    assert services.deviations_check(actor=SYSTEM, projects=[p1]) == {"raised": 0, "updated": 1, "closed": 0}
    cpi = Deviation.objects.get(metric="cpi")
    assert (cpi.value, cpi.threshold, cpi.severity) == (Decimal("0.850"), Decimal("0.900"), "red")
    assert Notification.objects.filter(recipient=pm).first().message == (
        "P1: Cost performance index (CPI) is now red (0.85)."
    )
    # Both recover: both close; a further check changes nothing.
    planned["evm"]["cpi"] = 0.99
    slip(planned["a"], 5)
    assert services.deviations_check(actor=SYSTEM, projects=[p1]) == {"raised": 0, "updated": 0, "closed": 2}
    assert _active(p1) == []
    assert set(Deviation.objects.values_list("status", flat=True)) == {"closed"}
    assert services.deviations_check(actor=SYSTEM, projects=[p1]) == {"raised": 0, "updated": 0, "closed": 0}
    assert selectors.deviations("active").count() == 0 and selectors.deviations("closed").count() == 2


def test_portfolio_thresholds_decide(planned, roles):
    pfm = roles[Role.PORTFOLIO_MANAGER]
    planned["evm"].update(cpi=0.96)
    assert services.deviations_check(actor=SYSTEM, projects=[planned["p1"]])["raised"] == 0
    services.thresholds_set(
        actor=pfm,
        portfolio=planned["portfolio"],
        values={"cpi": (Decimal("0.98"), Decimal("0.95")), "milestone_slip_days": (Decimal("2"), Decimal("4"))},
    )
    assert selectors.thresholds_for(planned["portfolio"].pk)["cpi"].amber == Decimal("0.980")
    assert selectors.thresholds_for(planned["other_portfolio"].pk)["cpi"].amber == Decimal("0.950")
    slip(planned["a"], 8)  # 3 working days late: amber under the portfolio's 2/4 days
    assert services.deviations_check(actor=SYSTEM, projects=[planned["p1"]])["raised"] == 2
    assert _active(planned["p1"]) == [
        ("cpi", Decimal("0.960"), "amber", "open"),
        ("milestone_slip_days", Decimal("3.000"), "amber", "open"),
    ]


def test_thresholds_are_set_by_the_pmo_and_checked(planned, roles):
    for role in (Role.PROJECT_MANAGER, Role.PMO_ANALYST, Role.EXECUTIVE):
        with pytest.raises(PermissionDenied):
            services.thresholds_set(
                actor=roles[role], portfolio=planned["portfolio"], values={"cpi": (Decimal("0.9"), Decimal("0.8"))}
            )
    # The portfolio manager manages DIG only.
    with pytest.raises(PermissionDenied):
        services.thresholds_set(
            actor=roles[Role.PORTFOLIO_MANAGER],
            portfolio=planned["other_portfolio"],
            values={"cpi": (Decimal("0.9"), Decimal("0.8"))},
        )
    assert not Threshold.objects.exists()
    with pytest.raises(ValidationFailed) as error:
        services.thresholds_set(
            actor=roles[Role.PMO_DIRECTOR],
            portfolio=planned["portfolio"],
            values={"cpi": (Decimal("0.9"), Decimal("0.95")), "milestone_slip_days": (Decimal("10"), Decimal("5"))},
        )
    assert error.value.fields == {
        "cpi": ["The red limit must be at or below the amber limit (lower is worse)."],
        "milestone_slip_days": ["The red limit must be at or above the amber limit (higher is worse)."],
    }
    assert not Threshold.objects.exists()


def test_the_all_projects_check_is_for_the_pmo(planned, roles):
    planned["evm"].update(cpi=0.5)
    for role in (Role.PROJECT_MANAGER, Role.EXECUTIVE, Role.TEAM_MEMBER):
        with pytest.raises(PermissionDenied):
            services.deviations_check(actor=roles[role])
    assert not Deviation.objects.exists()
    assert services.deviations_check(actor=roles[Role.PMO_ANALYST]) == {"raised": 1, "updated": 0, "closed": 0}


def test_acknowledge(planned, roles):
    planned["evm"].update(cpi=0.5)
    services.deviations_check(actor=SYSTEM, projects=[planned["p1"]])
    deviation = Deviation.objects.get()
    with pytest.raises(PermissionDenied):
        services.deviation_acknowledge(actor=planned["other_pm"], deviation=deviation, note="Not mine")
    with pytest.raises(ValidationFailed):
        services.deviation_acknowledge(actor=roles[Role.PROJECT_MANAGER], deviation=deviation, note=" ")
    deviation.refresh_from_db()
    assert deviation.status == "open" and deviation.note == ""
    services.deviation_acknowledge(actor=roles[Role.PROJECT_MANAGER], deviation=deviation, note="Re-plan on Monday")
    deviation.refresh_from_db()
    assert (deviation.status, deviation.note, deviation.acknowledged_by) == (
        "acknowledged",
        "Re-plan on Monday",
        roles[Role.PROJECT_MANAGER],
    )
    with pytest.raises(Conflict):
        services.deviation_acknowledge(actor=roles[Role.PROJECT_MANAGER], deviation=deviation, note="again")
    # Acknowledged and still past the threshold: it stays acknowledged.
    services.deviations_check(actor=SYSTEM, projects=[planned["p1"]])
    deviation.refresh_from_db()
    assert deviation.status == "acknowledged"


def test_management_command(planned):
    from io import StringIO

    from django.core.management import CommandError, call_command

    planned["evm"].update(cpi=0.5)
    out = StringIO()
    call_command("deviations_check", stdout=out)
    assert out.getvalue() == "1 raised, 0 updated, 0 closed\n"
    out = StringIO()
    call_command("deviations_check", "--project", "P1", stdout=out)
    assert out.getvalue() == "0 raised, 0 updated, 0 closed\n"
    with pytest.raises(CommandError, match=r"No project with code NOPE\."):
        call_command("deviations_check", "--project", "NOPE")
