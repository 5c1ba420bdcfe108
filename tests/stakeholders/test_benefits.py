"""Benefits: planning, measurements (also after closure), progress and the roll-up arithmetic with exact values."""

import datetime as dt
from decimal import Decimal

import pytest

from pmo.core.access import SYSTEM
from pmo.core.errors import ValidationFailed
from pmo.core.roles import Role
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Project
from pmo.stakeholders import selectors, services
from pmo.stakeholders.models import Benefit, BenefitMeasurement


def plan(project, name="Members", baseline="100", target="200", value="1000.00", **extra):
    return services.benefit_create(
        actor=SYSTEM,
        project=project,
        name=name,
        kpi=name,
        baseline_value=Decimal(baseline),
        target_value=Decimal(target),
        target_date=dt.date(2026, 6, 30),
        financial_value=Decimal(value),
        **extra,
    )


def measure(benefit, value, on=dt.date(2026, 11, 1)):
    return services.measurement_record(actor=SYSTEM, benefit=benefit, measured_on=on, value=Decimal(value))


def close(project):
    Project.objects.filter(pk=project.pk).update(state="closed")
    return Project.objects.get(pk=project.pk)


def test_progress_uses_the_latest_measurement(org):
    b = plan(org["p1"])
    measure(b, "180", dt.date(2026, 10, 1))
    measure(b, "160", dt.date(2026, 11, 1))
    measure(b, "130", dt.date(2026, 9, 1))
    row = selectors.benefit_rows(org["p1"])[0]
    assert (row.latest_value, row.latest_on) == (Decimal("160"), dt.date(2026, 11, 1))
    assert row.progress == Decimal("0.6")
    assert row.realised_value == Decimal("600.00")
    assert row.progress_pct == 60


def test_a_falling_kpi_and_values_beyond_the_range(org):
    down = plan(org["p1"], "Churn", baseline="14", target="10", value="200000")
    measure(down, "11")
    assert selectors.benefit_rows(org["p1"])[0].realised_value == Decimal("150000.00")  # 3/4 of the way
    worse = plan(org["p2"], "Cost", baseline="100", target="50", value="300")
    measure(worse, "120")  # went the wrong way: -40 %, realises nothing
    beyond = plan(org["p2"], "Speed", baseline="0", target="10", value="500")
    measure(beyond, "15")  # 150 %: realises its full value, no more
    rows = {r.benefit.name: r for r in selectors.benefit_rows(org["p2"])}
    assert (rows["Cost"].progress, rows["Cost"].realised_value) == (Decimal("-0.4"), Decimal("0.00"))
    assert (rows["Speed"].progress, rows["Speed"].realised_value) == (Decimal("1.5"), Decimal("500.00"))


def test_rollup_per_project_portfolio_and_objective(org):
    p1, p2 = org["p1"], org["p2"]
    a = plan(p1, "A", value="1000.00")
    measure(a, "150")  # 0.5 -> 500
    b = plan(p1, "B", baseline="0", target="3", value="333.33")
    measure(b, "1")  # 1/3 -> 111.11
    plan(p1, "C", value="66.67")  # not measured -> 0
    c = plan(p2, "D", value="2000")
    measure(c, "175")  # 0.75 -> 1500
    other = portfolio_services.project_create(
        actor=SYSTEM, code="X1", name="Elsewhere", portfolio=org["other_portfolio"], objectives=[org["objective"]]
    )
    plan(other, "E", value="10")
    lines = selectors.benefits_rollup()
    assert [(ln.code, ln.planned_value, ln.realised_value, ln.progress, ln.measured_count) for ln in lines] == [
        ("P1", Decimal("1400.00"), Decimal("611.11"), 0.4365, 2),
        ("P2", Decimal("2000.00"), Decimal("1500.00"), 0.75, 1),
        ("X1", Decimal("10.00"), Decimal("0.00"), None, 0),
    ]
    assert lines[0].currency == "EUR" and lines[0].portfolio_id == org["portfolio"].pk
    by_portfolio = selectors.rollup_by_portfolio(lines)
    assert [(g.key.code, g.planned_value, g.realised_value, g.progress) for g in by_portfolio] == [
        ("DIG", Decimal("3400.00"), Decimal("2111.11"), 0.6209),
        ("OPS", Decimal("10.00"), Decimal("0.00"), 0.0),
    ]
    by_objective = selectors.rollup_by_objective(lines)  # P1 and X1 serve SO1; P2 serves none
    assert [(g.key.code, g.planned_value, g.realised_value, [ln.code for ln in g.lines]) for g in by_objective] == [
        ("SO1", Decimal("1410.00"), Decimal("611.11"), ["P1", "X1"])
    ]
    only_dig = selectors.benefits_rollup(portfolio=org["portfolio"])
    assert [ln.code for ln in only_dig] == ["P1", "P2"]
    assert [ln.code for ln in selectors.benefits_rollup(portfolio=org["other_portfolio"].pk)] == ["X1"]


def test_without_money_progress_is_the_mean_of_the_measured(org):
    a = plan(org["p1"], "A", value="0")
    measure(a, "150")
    b = plan(org["p1"], "B", value="0")
    measure(b, "200")
    plan(org["p1"], "C", value="0")
    (line,) = selectors.benefits_rollup()
    assert (line.planned_value, line.realised_value, line.progress) == (Decimal("0.00"), Decimal("0.00"), 0.75)


def test_closed_projects_stay_in_the_rollup_and_take_measurements(org, roles):
    b = plan(org["p1"])
    close(org["p1"])
    pm = roles[Role.PROJECT_MANAGER]
    m = services.measurement_record(actor=pm, benefit=b, measured_on=dt.date(2026, 12, 1), value=Decimal("190"))
    assert m.recorded_by_name == "Pm"
    (line,) = selectors.benefits_rollup()
    assert (line.closed, line.state, line.realised_value, line.progress) == (True, "closed", Decimal("900.00"), 0.9)


def test_bad_benefits_are_refused_naming_the_field(org):
    with pytest.raises(ValidationFailed) as same:
        plan(org["p1"], baseline="5", target="5")
    assert "target_value" in same.value.fields
    with pytest.raises(ValidationFailed) as currency:
        plan(org["p1"], currency="USD")
    assert currency.value.fields["currency"] == ["Use the project's currency, EUR."]
    with pytest.raises(ValidationFailed) as negative:
        plan(org["p1"], value="-1")
    assert "financial_value" in negative.value.fields
    b = plan(org["p1"])
    with pytest.raises(ValidationFailed) as future:
        measure(b, "150", dt.date(2026, 12, 4))
    assert "measured_on" in future.value.fields
    assert Benefit.objects.count() == 1 and BenefitMeasurement.objects.count() == 0


def test_the_owner_is_notified_of_a_measurement(org, roles, django_capture_on_commit_callbacks):
    from pmo.changes.models import Notification

    b = plan(org["p1"], owner=org["person"][Role.EXECUTIVE])
    with django_capture_on_commit_callbacks(execute=True):
        services.measurement_record(
            actor=roles[Role.PMO_ANALYST], benefit=b, measured_on=dt.date(2026, 11, 30), value=Decimal("150")
        )
    note = Notification.objects.get(recipient=roles[Role.EXECUTIVE])
    assert note.message == "Members of P1 measured: 150"
    assert note.url == f"/projects/{org['p1'].pk}/benefits/"
