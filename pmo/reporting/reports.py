"""The consolidated portfolio status report and the project status report, as PDF (WeasyPrint, with the
dashboard's SVG charts), Excel (openpyxl, one sheet per section) and CSV (the project table)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Sum
from django.template.loader import render_to_string
from django.utils import timezone

from pmo.changes.models import StatusReport
from pmo.control.models import CostEntry
from pmo.portfolio.models import Portfolio, Project
from pmo.reporting import charts
from pmo.reporting.dashboard import Dashboard, dashboard
from pmo.reporting.roadmap import Roadmap, roadmap

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
PROJECT_COLUMNS = (
    "Project",
    "Name",
    "Portfolio",
    "State",
    "Manager",
    "Schedule",
    "Cost",
    "Scope",
    "Risk",
    "Overall",
    "Health from",
    "Earned value",
    "Budget",
    "Actual to date",
    "Actual in period",
    "EAC",
    "Risk exposure",
    "Value (NPV)",
)


def default_period(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The last full calendar month before `today`."""
    today = today or timezone.localdate()
    end = today.replace(day=1) - dt.timedelta(days=1)
    return end.replace(day=1), end


@dataclass
class PortfolioReport:
    title: str
    portfolio: Portfolio | None
    period_start: dt.date
    period_end: dt.date
    produced: dt.datetime
    produced_for: str
    board: Dashboard
    road: Roadmap
    period_costs: dict[int, Decimal]
    narratives: list[StatusReport]

    def project_rows(self) -> list[list[Any]]:
        """The project table (the CSV, the Excel "Projects" sheet and the PDF table)."""
        out = []
        for r in self.board.rows:
            p = r.project
            out.append(
                [
                    p.code,
                    p.name,
                    p.portfolio.code,
                    p.get_state_display(),
                    p.manager.name if p.manager_id else "",
                    r.schedule,
                    r.cost,
                    r.scope,
                    r.risk,
                    r.overall,
                    f"{r.period:%b %Y} report" if r.period else "suggested",
                    r.performance,
                    r.budget,
                    r.actual,
                    self.period_costs.get(p.pk, Decimal("0.00")),
                    r.eac,
                    r.exposure,
                    r.value,
                ]
            )
        return out


def build(
    user: Any,
    *,
    portfolio: Portfolio | None = None,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    today: dt.date | None = None,
) -> PortfolioReport:
    today = today or timezone.localdate()
    default_start, default_end = default_period(today)
    start, end = period_start or default_start, period_end or default_end
    board = dashboard(user, portfolio, today=today)
    projects = [r.project for r in board.rows]
    totals = (
        CostEntry.objects.filter(project__in=projects, date__gte=start, date__lte=end)
        .values_list("project_id")
        .annotate(total=Sum("amount"))
        .values_list("project_id", "total")
    )
    costs = {pk: total.quantize(Decimal("0.01")) for pk, total in totals}
    narratives = list(
        StatusReport.objects.filter(
            project__in=projects, state=StatusReport.State.SUBMITTED, period__gte=start.replace(day=1), period__lte=end
        )
        .select_related("project")
        .order_by("project__code", "-period")
    )
    latest: dict[int, StatusReport] = {}
    for report in narratives:
        latest.setdefault(report.project_id, report)
    scope = portfolio.name if portfolio else "All portfolios"
    return PortfolioReport(
        title=f"Portfolio status report — {scope}",
        portfolio=portfolio,
        period_start=start,
        period_end=end,
        produced=timezone.now(),
        produced_for=_who(user),
        board=board,
        road=roadmap(user, portfolio=portfolio, today=today),
        period_costs=costs,
        narratives=list(latest.values()),
    )


def _who(user: Any) -> str:
    if not getattr(user, "pk", None):
        return "pmo (command line)"
    return str(user.get_full_name() or user.get_username())


# --- PDF ----------------------------------------------------------------------------------------------------


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


def portfolio_pdf(report: PortfolioReport) -> bytes:
    board = report.board
    html = render_to_string(
        "reporting/pdf/portfolio.html",
        {
            "report": report,
            "board": board,
            "rows": report.project_rows(),
            "money_svg": charts.money_bars(board.years),
            "bubble_svg": charts.bubbles(board.rows),
            "funnel_svg": charts.funnel(board.funnel),
            # The roadmap's box: as tall as its lanes need, at most what leaves room for the links' table.
            "roadmap_height": min(150, 16 + 8 * len(report.road.lanes)),
            "roadmap_svg": charts.roadmap(
                report.road.lanes,
                report.road.links,
                report.road.first,
                report.road.last,
                report.road.today,
                fill=True,
            )
            if report.road.lanes
            else "",
        },
    )
    return _pdf(html)


def project_pdf(user: Any, project: Project, *, today: dt.date | None = None) -> bytes:
    """One project's status: its health (as on the dashboard), its latest status report, money, milestones,
    top risks, open deviations and cross-project links."""
    from pmo.changes import selectors as changes
    from pmo.control import selectors as control
    from pmo.reporting.dashboard import health_rows, milestones
    from pmo.reporting.roadmap import link_lines
    from pmo.risks import selectors as risks

    today = today or timezone.localdate()
    row = health_rows(user, [project])[0]
    report = (
        StatusReport.objects.filter(project=project, state=StatusReport.State.SUBMITTED).order_by("-period").first()
    )
    top = risks.top(risks.rows(risks.visible(user, risks.project_register(project)))) if risks.sees_risks(user) else []
    others = list(control.measured_projects(user))
    links = [line for line in link_lines(others) if project.pk in (line.provider_project_id, line.consumer_project_id)]
    snapshots = control.snapshots(project)
    html = render_to_string(
        "reporting/pdf/project.html",
        {
            "project": project,
            "row": row,
            "report": report,
            "snapshot": snapshots[-1] if snapshots else None,
            "milestones": milestones([project], today),
            "top_risks": top,
            "deviations": list(changes.deviations(status="open").filter(project=project)),
            "links": links,
            "today": today,
            "produced": timezone.now(),
            "health_svg": charts.health_grid([row]),
        },
    )
    return _pdf(html)


# --- Excel and CSV ------------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def workbook(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """An .xlsx with one sheet per (title, header, rows); headers bold and frozen, columns sized."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        sheet.freeze_panes = "A2"
        for i, name in enumerate(header, start=1):
            width = max([len(str(name)), *(len(str(r[i - 1] or "")) for r in rows)])
            sheet.column_dimensions[sheet.cell(row=1, column=i).column_letter].width = min(60, width + 2)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def portfolio_sheets(report: PortfolioReport) -> list[tuple[str, list[str], list[list[Any]]]]:
    board = report.board
    summary = [
        ["Report", report.title],
        ["Period", f"{report.period_start:%d %b %Y} – {report.period_end:%d %b %Y}"],
        ["Produced", timezone.localtime(report.produced).strftime("%d %b %Y %H:%M")],
        ["Produced for", report.produced_for],
        ["Projects", len(board.rows)],
        ["Red", board.red],
        ["Amber", board.amber],
        ["Green", board.green],
        ["Budget", board.totals["budget"]],
        ["Actual to date", board.totals["actual"]],
        ["Forecast at completion", board.totals["eac"]],
        ["Risk exposure (open threats)", board.totals["exposure"]],
    ]
    sheets: list[tuple[str, list[str], list[list[Any]]]] = [
        ("Summary", ["Item", "Value"], summary),
        ("Projects", list(PROJECT_COLUMNS), report.project_rows()),
        (
            "Budget by year",
            ["Year", "Budget", "Actual", "Forecast"],
            [[y.year, y.budget, y.actual, y.forecast] for y in board.years],
        ),
        (
            "Pipeline",
            ["State", "Proposals", "Business case cost"],
            [[s.label, s.count, s.cost] for s in (*board.funnel, *board.set_aside)],
        ),
        (
            "Milestones",
            ["Project", "Milestone", "Date", "Status"],
            [[m.project.code, m.name, m.day, m.status] for m in board.milestones],
        ),
    ]
    if board.top_risks is not None:
        sheets.append(
            (
                "Top risks",
                ["Risk", "Title", "Register", "Score", "Rating", "Expected cost", "Owner"],
                [
                    [
                        r.risk.code,
                        r.risk.title,
                        r.register,
                        r.risk.score,
                        r.rating,
                        r.exposure_money,
                        r.risk.owner.name if r.risk.owner_id else "",
                    ]
                    for r in board.top_risks
                ],
            )
        )
    if board.deviations is not None:
        sheets.append(
            (
                "Deviations",
                ["Project", "Metric", "Value", "Threshold", "Severity", "Raised"],
                [
                    [
                        d.project.code,
                        d.get_metric_display(),
                        d.value,
                        d.threshold,
                        d.severity,
                        timezone.localtime(d.raised_at).date(),
                    ]
                    for d in board.deviations
                ],
            )
        )
    if board.overdue_gates is not None:
        sheets.append(
            (
                "Overdue gates",
                ["Project", "Gate", "Planned", "Days late"],
                [
                    [g.project.code, g.phase.name, g.planned_date, (board.today - g.planned_date).days]
                    for g in board.overdue_gates
                ],
            )
        )
    sheets.append(
        (
            "Dependencies",
            ["Waiting project", "Waiting task", "Provider", "Deliverable", "Needed by", "Forecast", "Days late"],
            [
                [
                    link.consumer.project.code,
                    link.consumer.name,
                    link.provider.project.code,
                    link.provider.name,
                    link.needed_by,
                    link.provided,
                    link.days_late,
                ]
                for link in report.road.links
            ],
        )
    )
    sheets.append(
        (
            "Status narratives",
            ["Project", "Period", "Overall", "Summary", "Decisions needed"],
            [[s.project.code, s.period, s.overall_rag, s.narrative, s.decisions_needed] for s in report.narratives],
        )
    )
    return sheets


def portfolio_xlsx(report: PortfolioReport) -> bytes:
    return workbook(portfolio_sheets(report))


def csv_bytes(header: list[str], rows: list[list[Any]]) -> bytes:
    """UTF-8 CSV with a byte-order mark (so Excel reads accents), one line per row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def portfolio_csv(report: PortfolioReport) -> bytes:
    return csv_bytes(list(PROJECT_COLUMNS), report.project_rows())


def render(report: PortfolioReport, fmt: str) -> bytes:
    if fmt == "pdf":
        return portfolio_pdf(report)
    if fmt == "xlsx":
        return portfolio_xlsx(report)
    return portfolio_csv(report)
