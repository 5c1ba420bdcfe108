"""A small portfolio for the dashboard, the roadmap and the reports, on 3 December 2026.

- P1 "Mobile app" (DIG, executing, the project manager's): budget 1,250,000 planned 5 Jan - 18 Dec 2026; a
  plan Design (5 days) -> Build (10 days) -> Launch (milestone) from 2 Nov 2026; costs 10,000 (Dec 2025),
  200,000 (Mar 2026) and 50,000 (Nov 2026); a snapshot of 30 Nov 2026 (SPI 0.85, CPI 0.88, AC 260,000,
  EAC 1,400,000, forecast finish 29 Jan 2027); a submitted November report: schedule red, cost amber, scope
  green, risk amber, overall red; one threat (probability 4, impact 4, cost impact 100,000).
- P2 "Data lake" (DIG, planning): no budget, no dates, nothing measured.
- P3 "Warehouse" (OPS, executing, another manager's): budget 400,000 planned 1 Jul 2026 - 30 Jun 2027;
  cost 40,000 (Aug 2026); a plan Prepare (2 days) -> Integrate (5 days) from 9 Nov 2026, Integrate waiting
  for P1's Build, needed by 16 Nov 2026 (Build is forecast to finish on 20 Nov: four days late).
- Proposals: 2 drafts, 1 submitted (business case cost 300,000), 1 rejected.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from pmo.changes import services as changes
from pmo.control import services as control
from pmo.control.models import EvmSnapshot
from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.planning import services as planning
from pmo.planning.links import cross_link_create
from pmo.planning.models import Task
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Project
from pmo.risks import services as risks
from pmo.selection import services as selection
from pmo.selection.models import CashFlow, Proposal

TODAY = dt.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """The tests run on 3 December 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings.MEDIA_ROOT


def _at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def board(org: dict[str, Any], roles: dict[Role, Any]) -> dict[str, Any]:
    p1, p2 = org["p1"], org["p2"]
    Project.objects.filter(pk=p1.pk).update(state="executing")
    Project.objects.filter(pk=p2.pk).update(state="planning")
    p3 = portfolio_services.project_create(
        actor=SYSTEM,
        code="P3",
        name="Warehouse",
        portfolio=org["other_portfolio"],
        manager=org["other_pm"].person,
        planned_start=dt.date(2026, 7, 1),
        planned_finish=dt.date(2027, 6, 30),
        budget=Decimal("400000.00"),
    )
    Project.objects.filter(pk=p3.pk).update(state="executing")
    p1.refresh_from_db()
    p2.refresh_from_db()
    p3.refresh_from_db()

    planning.plan_replace(
        actor=SYSTEM,
        project=p1,
        start=_at(dt.date(2026, 11, 2)),
        tasks=[
            planning.TaskSpec(uid=1, name="Design", duration_minutes=5 * 480),
            planning.TaskSpec(uid=2, name="Build", duration_minutes=10 * 480, links=((1, "FS", 0, False),)),
            planning.TaskSpec(uid=3, name="Launch", duration_minutes=0, links=((2, "FS", 0, False),)),
        ],
    )
    planning.plan_replace(
        actor=SYSTEM,
        project=p3,
        start=_at(dt.date(2026, 11, 9)),
        tasks=[
            planning.TaskSpec(uid=1, name="Prepare", duration_minutes=2 * 480),
            planning.TaskSpec(uid=2, name="Integrate", duration_minutes=5 * 480, links=((1, "FS", 0, False),)),
        ],
    )
    build = Task.objects.get(project=p1, uid=2)
    integrate = Task.objects.get(project=p3, uid=2)
    link = cross_link_create(actor=SYSTEM, provider=build, consumer=integrate, date_needed=dt.date(2026, 11, 16))

    for day, amount in (
        (dt.date(2025, 12, 15), "10000"),
        (dt.date(2026, 3, 10), "200000"),
        (dt.date(2026, 11, 20), "50000"),
    ):
        control.cost_entry_create(actor=SYSTEM, project=p1, date=day, category="services", amount=Decimal(amount))
    control.cost_entry_create(
        actor=SYSTEM, project=p3, date=dt.date(2026, 8, 1), category="material", amount=Decimal("40000")
    )
    EvmSnapshot.objects.create(
        project=p1,
        status_date=dt.date(2026, 11, 30),
        baseline_name="Baseline 1",
        bac=Decimal("1250000.00"),
        pv=Decimal("300000.00"),
        ev=Decimal("255000.00"),
        ac=Decimal("260000.00"),
        spi=0.85,
        cpi=0.88,
        spi_t=0.86,
        eac=Decimal("1400000.00"),
        forecast_finish=_at(dt.date(2027, 1, 29), 17),
        planned_finish=_at(dt.date(2026, 12, 18), 17),
    )

    report = changes.status_report_create(actor=SYSTEM, project=p1, period=dt.date(2026, 11, 1))
    changes.status_report_update(
        actor=SYSTEM,
        report=report,
        schedule_rag="red",
        cost_rag="amber",
        scope_rag="green",
        risk_rag="amber",
        overall_rag="red",
        narrative="Build is late; the launch moves to January.",
        override_comments={"schedule": "Build two weeks late.", "cost": "Overspend on services.", "risk": "Vendor."},
    )
    report.refresh_from_db()
    changes.status_report_submit(actor=SYSTEM, report=report)

    threat = risks.risk_create(
        actor=SYSTEM, project=p1, title="Vendor late", probability=4, impact=4, cost_impact=Decimal("100000")
    )

    def proposal(title: str, state: str, cost: str | None = None) -> Proposal:
        made = selection.proposal_create(actor=SYSTEM, title=title, portfolio=org["portfolio"])
        if cost:
            CashFlow.objects.create(proposal=made, year=0, capex=Decimal(cost), benefit=Decimal("0"))
        Proposal.objects.filter(pk=made.pk).update(state=state)
        return made

    proposal("Chatbot", "draft")
    proposal("Loyalty", "draft")
    proposal("Self-service kiosks", "submitted", "300000")
    proposal("Blockchain", "rejected")
    return {**org, "p1": p1, "p2": p2, "p3": p3, "link": link, "threat": threat, "report": report}
