"""Money by year, per project and in total: the dashboard's *budget, actual and forecast by year* chart and
the breakdown of one year by project that each of its years drills down to.

- Budget: each project's budget spread over its planned dates, in proportion to the days in each year.
- Actual: the project's recorded costs (pmo.control CostEntry) by the cost's date.
- Forecast: actual cost to date, plus what the latest EVM snapshot's EAC says is still to spend, spread from
  the day after the status date to the forecast finish (the planned finish when no forecast exists); a
  project without a snapshot forecasts the rest of its budget over the rest of its planned dates (from today).
- Variance (of one project in one year) = budget - forecast: below zero, the year is forecast to cost more
  than its share of the budget.

The year totals are the sums of the projects' figures, so a year's breakdown adds up to its bar.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone

from pmo.control import selectors as control
from pmo.control.models import CostEntry
from pmo.portfolio.models import Project

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


@dataclass
class YearMoney:
    year: int
    budget: Decimal = ZERO
    actual: Decimal = ZERO
    forecast: Decimal = ZERO


@dataclass
class ProjectYear:
    """One project's money in one year."""

    project: Project
    year: int
    budget: Decimal = ZERO
    actual: Decimal = ZERO
    forecast: Decimal = ZERO

    @property
    def variance(self) -> Decimal:
        return self.budget - self.forecast

    @property
    def url(self) -> str:
        return reverse("projects-detail", args=[self.project.pk])

    @property
    def empty(self) -> bool:
        return not (self.budget or self.actual or self.forecast)


@dataclass
class YearBreakdown:
    year: int
    rows: list[ProjectYear]
    total: YearMoney
    years: list[int] = field(default_factory=list)  # every year the chart shows, for moving to the next

    @property
    def variance(self) -> Decimal:
        return self.total.budget - self.total.forecast

    @property
    def previous(self) -> int | None:
        earlier = [y for y in self.years if y < self.year]
        return earlier[-1] if earlier else None

    @property
    def next(self) -> int | None:
        later = [y for y in self.years if y > self.year]
        return later[0] if later else None


def spread(amount: Decimal, first: dt.date, last: dt.date) -> dict[int, Decimal]:
    """`amount` shared over the calendar years of [first, last] in proportion to their days (the last year
    takes the rounding rest).

    >>> spread(Decimal("365"), dt.date(2026, 7, 2), dt.date(2027, 7, 1))
    {2026: Decimal('183.00'), 2027: Decimal('182.00')}
    """
    if last < first:
        last = first
    total_days = (last - first).days + 1
    out: dict[int, Decimal] = {}
    given = ZERO
    for year in range(first.year, last.year + 1):
        start = max(first, dt.date(year, 1, 1))
        end = min(last, dt.date(year, 12, 31))
        if year == last.year:
            out[year] = (amount - given).quantize(CENT)
        else:
            share = (amount * Decimal((end - start).days + 1) / Decimal(total_days)).quantize(CENT)
            out[year] = share
            given += share
    return out


def money_by_project(projects: list[Project], today: dt.date) -> dict[int, dict[int, ProjectYear]]:
    """Budget, actual and forecast of each project (by pk) in each year it has any of them."""
    out: dict[int, dict[int, ProjectYear]] = {p.pk: {} for p in projects}
    by_pk = {p.pk: p for p in projects}

    def cell(project_id: int, year: int) -> ProjectYear:
        return out[project_id].setdefault(year, ProjectYear(by_pk[project_id], year))

    for project in projects:
        if project.budget and project.planned_start and project.planned_finish:
            for y, amount in spread(project.budget, project.planned_start, project.planned_finish).items():
                cell(project.pk, y).budget += amount
    actual = (
        CostEntry.objects.filter(project__in=projects)
        .annotate(year=ExtractYear("date"))
        .values_list("project_id", "year")
        .annotate(total=Sum("amount"))
    )
    spent: dict[int, Decimal] = {}
    for project_id, year, total in actual:
        amount = total.quantize(CENT)
        cell(project_id, year).actual += amount
        cell(project_id, year).forecast += amount
        spent[project_id] = spent.get(project_id, ZERO) + amount
    snapshots = control.latest_snapshots(projects)
    for project in projects:
        snapshot = snapshots.get(project.pk)
        if snapshot is not None and snapshot.eac is not None:
            remaining = snapshot.eac - snapshot.ac
            finish = timezone.localtime(snapshot.forecast_finish).date() if snapshot.forecast_finish else None
            finish = finish or project.planned_finish or snapshot.status_date
            start = snapshot.status_date + dt.timedelta(days=1)
        elif project.budget and project.planned_finish:
            # Not measured yet: what is left of the budget, over what is left of the planned dates.
            remaining = project.budget - spent.get(project.pk, ZERO)
            start = max(today, project.planned_start or today)
            finish = project.planned_finish
        else:
            continue
        if remaining <= 0:
            continue
        for y, amount in spread(remaining, start, max(start, finish)).items():
            cell(project.pk, y).forecast += amount
    return out


def money_by_year(projects: list[Project], today: dt.date) -> list[YearMoney]:
    """The projects' budget, actual and forecast summed by year, oldest year first."""
    years: dict[int, YearMoney] = {}
    for cells in money_by_project(projects, today).values():
        for y, c in cells.items():
            total = years.setdefault(y, YearMoney(y))
            total.budget += c.budget
            total.actual += c.actual
            total.forecast += c.forecast
    return [years[y] for y in sorted(years)]


def year_breakdown(projects: list[Project], year: int, today: dt.date) -> YearBreakdown:
    """One year of the chart by project: each project with budget, actual or forecast in that year (by
    code), and the year's totals (the chart's figures for that year)."""
    cells = money_by_project(projects, today)
    rows = sorted(
        (by_year[year] for by_year in cells.values() if year in by_year and not by_year[year].empty),
        key=lambda r: r.project.code,
    )
    total = YearMoney(
        year,
        budget=sum((r.budget for r in rows), ZERO),
        actual=sum((r.actual for r in rows), ZERO),
        forecast=sum((r.forecast for r in rows), ZERO),
    )
    years = sorted({y for by_year in cells.values() for y in by_year})
    return YearBreakdown(year=year, rows=rows, total=total, years=years)
