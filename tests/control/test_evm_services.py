"""EVM of a project against hand-worked values, snapshots (idempotent per date), progress methods and the
roll-up to program and portfolio."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from pmo.changes.selectors import thresholds_for
from pmo.changes.services import thresholds_set
from pmo.control import mappers, selectors, services
from pmo.control.models import CostCategory, CostEntry, EvmSnapshot, ProgressMethod
from pmo.core.access import SYSTEM
from pmo.core.errors import ValidationFailed
from pmo.planning import services as planning
from pmo.planning.models import Task
from pmo.portfolio.models import Project


def set_progress(task: Task, percent: int) -> None:
    Task.objects.filter(pk=task.pk).update(percent_complete=Decimal(percent))


def spend(project, day: dt.date, amount: str, category: str = CostCategory.MATERIAL) -> None:
    CostEntry.objects.create(project=project, date=day, category=category, amount=Decimal(amount))


def test_pv_curve_spreads_each_task_budget_over_its_working_days(measured):
    loaded = mappers.load_baseline(measured["p1"])
    assert loaded.bac == 2000.0
    assert [(t.uid, t.cost) for t in loaded.tasks] == [(2, 1000.0), (3, 1000.0)]
    pv = loaded.curve.pv_at
    assert pv(mappers.status_instant(dt.date(2026, 1, 6))) == 400.0  # two of A's five days
    assert pv(mappers.status_instant(dt.date(2026, 1, 10))) == 1000.0  # Saturday: nothing more planned
    assert pv(mappers.status_instant(dt.date(2026, 1, 14))) == 1600.0  # A, and three of B's five days


def test_snapshot_figures_match_the_hand_worked_values(measured):
    """Wednesday 14 January: A done, B a quarter done, 1,500 spent.
    PV = 1000 + 3/5 x 1000 = 1600; EV = 1000 + 250 = 1250; SPI = 1250/1600 = 0.78125; CPI = 1250/1500;
    ES = 5 days (A) + 250/200 per day = 6.25 days, AT = 8 working days, SPI(t) = 0.78125, SV(t) = -1.75;
    EAC(CPI) = 2000/CPI = 2400, EAC(PF=1) = 1500 + 750 = 2250, recommended = (2250 + 2400)/2 = 2325;
    finish = AT + PD - ES = 11.75 working days from Mon 5 Jan 08:00 = Tue 20 Jan 15:00."""
    p1 = measured["p1"]
    set_progress(measured["a"], 100)
    set_progress(measured["b"], 25)
    spend(p1, dt.date(2026, 1, 9), "1000.00")
    spend(p1, dt.date(2026, 1, 14), "500.00", CostCategory.SERVICES)
    spend(p1, dt.date(2026, 1, 15), "999.00")  # after the status date: not in AC
    s = services.evm_snapshot_take(actor=SYSTEM, project=p1, status_date=dt.date(2026, 1, 14))
    assert (s.bac, s.pv, s.ev, s.ac) == (Decimal("2000.00"), Decimal("1600.00"), Decimal("1250.00"), Decimal("1500.00"))
    assert s.spi == pytest.approx(0.78125)
    assert s.cpi == pytest.approx(1250 / 1500)
    assert s.spi_t == pytest.approx(0.78125)
    assert s.sv_t_days == pytest.approx(-1.75)
    assert s.metrics["es_days"] == pytest.approx(6.25)
    assert s.metrics["eac_cost"]["cpi"] == pytest.approx(2400.0)
    assert s.metrics["eac_cost"]["pf1"] == pytest.approx(2250.0)
    assert s.eac == Decimal("2325.00")
    assert s.metrics["forecast"]["finish"] == "2026-01-20T15:00:00"
    assert timezone.localtime(s.forecast_finish).replace(tzinfo=None) == dt.datetime(2026, 1, 20, 15)
    assert selectors.rag(s) == "red"


def test_a_snapshot_is_idempotent_per_date(measured):
    p1 = measured["p1"]
    set_progress(measured["a"], 50)
    day = dt.date(2026, 1, 7)
    first = services.evm_snapshot_take(actor=SYSTEM, project=p1, status_date=day)
    set_progress(measured["a"], 60)
    second = services.evm_snapshot_take(actor=SYSTEM, project=p1, status_date=day)
    assert first.pk == second.pk
    assert EvmSnapshot.objects.filter(project=p1).count() == 1
    assert second.ev == Decimal("600.00")


def test_physical_percent_and_milestone_weights(measured):
    p1 = measured["p1"]
    set_progress(measured["a"], 100)
    services.task_budget_set(actor=SYSTEM, task=measured["a"], budget=Decimal(1000), physical_percent=Decimal(80))
    services.control_settings_update(actor=SYSTEM, project=p1, progress_method=ProgressMethod.PHYSICAL)
    metrics, _ = services.evm_analyse(p1, dt.date(2026, 1, 9))
    assert metrics.ev == 800.0
    services.control_settings_update(actor=SYSTEM, project=p1, progress_method=ProgressMethod.MILESTONES)
    with pytest.raises(ValidationFailed) as error:
        services.evm_analyse(p1, dt.date(2026, 1, 9))
    assert "no milestones" in error.value.fields["progress_method"][0]


def test_the_project_budget_is_spread_by_planned_work_when_tasks_have_no_budget(measured):
    from pmo.control.models import TaskBudget

    TaskBudget.objects.filter(task=measured["b"]).delete()  # B: the rest of the budget, 1,250,000 - 1,000
    loaded = mappers.load_baseline(measured["p1"])
    assert [(t.uid, t.cost) for t in loaded.tasks] == [(2, 1000.0), (3, 1249000.0)]


def test_no_baseline_is_a_clear_error(org):
    with pytest.raises(ValidationFailed) as error:
        services.evm_snapshot_take(actor=SYSTEM, project=org["p2"], status_date=dt.date(2026, 1, 9))
    assert "no baseline" in error.value.fields["baseline"][0]
    assert not EvmSnapshot.objects.exists()


def test_rollup_sums_and_recomputes_the_indices(measured):
    """P1: PV 1600, EV 1250, AC 1500. P2 (given): BAC 1000, PV 400, EV 500, AC 400.
    Sums: PV 2000, EV 1750, AC 1900 -> SPI 0.875, CPI 1750/1900 (not the mean of 0.78 and 1.25)."""
    p1, p2 = measured["p1"], measured["p2"]
    set_progress(measured["a"], 100)
    set_progress(measured["b"], 25)
    spend(p1, dt.date(2026, 1, 9), "1500.00")
    day = dt.date(2026, 1, 14)
    services.evm_snapshot_take(actor=SYSTEM, project=p1, status_date=day)
    EvmSnapshot.objects.create(
        project=p2, status_date=day, baseline_name="B", bac=1000, pv=400, ev=500, ac=400, spi=1.25, cpi=1.25
    )
    result = selectors.rollup([p1, p2])
    t = result.totals
    assert (t.bac, t.pv, t.ev, t.ac, t.projects) == (3000.0, 2000.0, 1750.0, 1900.0, 2)
    assert t.spi == pytest.approx(0.875)
    assert t.cpi == pytest.approx(1750 / 1900)
    assert t.eac_cpi == pytest.approx(3000 / (1750 / 1900))
    assert result.status_date == day
    history = selectors.rollup_history([p1, p2])
    assert [(d, r.pv) for d, r in history] == [(day, 2000.0)]


def test_performance_colours_follow_the_portfolio_thresholds(measured):
    """The same thresholds colour status reports, deviations and the Performance pages: P1 at SPI 0.78125
    and CPI 0.8333 is red on the defaults (red below 0.90); with its portfolio's red limits lowered to 0.75
    (amber below 0.85) it is amber, and P2 (SPI and CPI 1.25) stays green."""
    p1, p2 = measured["p1"], measured["p2"]
    set_progress(measured["a"], 100)
    set_progress(measured["b"], 25)
    spend(p1, dt.date(2026, 1, 9), "1500.00")
    day = dt.date(2026, 1, 14)
    s1 = services.evm_snapshot_take(actor=SYSTEM, project=p1, status_date=day)
    EvmSnapshot.objects.create(
        project=p2, status_date=day, baseline_name="B", bac=1000, pv=400, ev=500, ac=400, spi=1.25, cpi=1.25
    )
    assert selectors.rag(s1) == "red"
    assert selectors.index_colours(s1, thresholds_for(p1.portfolio_id)) == {"spi": "red", "cpi": "red", "spi_t": "red"}
    limits = (Decimal("0.85"), Decimal("0.75"))
    thresholds_set(actor=SYSTEM, portfolio=p1.portfolio, values={"spi": limits, "cpi": limits, "spi_t": limits})
    s1.refresh_from_db()
    assert selectors.rag(s1) == "amber"
    rows = {r.project.pk: r for r in selectors.rollup([p1, p2]).rows}
    assert (rows[p1.pk].rag, rows[p2.pk].rag) == ("amber", "green")
    assert rows[p1.pk].colours == {"spi": "amber", "cpi": "amber", "spi_t": "amber"}
    assert selectors.index_limits(thresholds_for(p1.portfolio_id)) == [(0.85, "amber"), (0.75, "red")]


def _plan_like_p1(project) -> None:
    """The measured fixture's plan (A then B, five days each, 1,000 each) on another project, baselined."""
    project.state = "executing"
    project.save(update_fields=["state"])
    specs = [
        planning.TaskSpec(uid=1, name="A design", duration_minutes=5 * 480),
        planning.TaskSpec(uid=2, name="B code", duration_minutes=5 * 480, links=((1, "FS", 0, False),)),
    ]
    planning.plan_replace(
        actor=SYSTEM, project=project, tasks=specs, start=timezone.make_aware(dt.datetime(2026, 1, 5, 8))
    )
    for task in Task.objects.filter(project=project):
        services.task_budget_set(actor=SYSTEM, task=task, budget=Decimal(1000))
    planning.baseline_capture(actor=SYSTEM, project=project, name="Approved plan")


def test_closed_projects_teach_the_recommended_forecast(measured, settings):
    """P1 at Fri 9 Jan: EV 800 (A 80 %), AC 1000, so the base forecasts say 11 working days (AT 5 + PD 10
    - ES 4) and 2,350 (the mean of PF=1 2,200 and CPI 2,500).  It really ended on Tue 20 Jan 17:00 (12
    working days) having cost 2,640: ratios 12/11 and 2640/2350.  P2, at the same point, is forecast
    with that history: 12 days (finish Tue 20 Jan 17:00) and 2,640."""
    p1, p2 = measured["p1"], measured["p2"]
    set_progress(measured["a"], 80)
    spend(p1, dt.date(2026, 1, 9), "1000.00")
    services.evm_snapshot_take(actor=SYSTEM, project=p1, status_date=dt.date(2026, 1, 9))
    finish = timezone.make_aware(dt.datetime(2026, 1, 20, 17))
    Task.objects.filter(pk=measured["b"].pk).update(percent_complete=100, actual_finish=finish)
    spend(p1, dt.date(2026, 1, 20), "1640.00")
    Project.objects.filter(pk=p1.pk).update(state="closed")

    records = selectors.reference_history()
    assert [(r.project, r.sector, r.progress) for r in records] == [(p1.code, p1.portfolio.code, 0.4)]
    assert records[0].time_ratio == pytest.approx(12 / 11)
    assert records[0].cost_ratio == pytest.approx(2640 / 2350)
    assert selectors.reference_history(excluding=p1) == []

    _plan_like_p1(p2)
    Task.objects.filter(project=p2, uid=1).update(percent_complete=80)
    spend(p2, dt.date(2026, 1, 9), "1000.00")
    settings.PMO_REFERENCE_CLASS_MIN_PROJECTS = 1
    s = services.evm_snapshot_take(actor=SYSTEM, project=p2, status_date=dt.date(2026, 1, 9))
    assert s.metrics["forecast"]["method"].startswith("time: earned schedule x reference class of 1 projects")
    assert s.metrics["forecast"]["finish"] == "2026-01-20T17:00:00"
    assert s.eac == Decimal("2640.00")
    settings.PMO_REFERENCE_CLASS_MIN_PROJECTS = 2  # too little history: the textbook-based forecast
    s = services.evm_snapshot_take(actor=SYSTEM, project=p2, status_date=dt.date(2026, 1, 9))
    assert s.metrics["forecast"]["finish"] == "2026-01-19T17:00:00"  # 11 working days
    assert s.eac == Decimal("2350.00")
