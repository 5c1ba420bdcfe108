"""The reporting pages: the dashboard, the roadmap, reports (produce, archive, subscriptions) and downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from pmo.core.access import can, require
from pmo.core.errors import DomainError, ValidationFailed
from pmo.core.freshness import cached
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.reporting import charts, reports, services
from pmo.reporting.dashboard import MILESTONE_AHEAD_DAYS, MILESTONE_PAST_DAYS, sees_dashboard, year_breakdown
from pmo.reporting.dashboard import dashboard as build_dashboard
from pmo.reporting.exports import list_export, list_exports
from pmo.reporting.models import ReportArchive, ReportFormat, ReportSubscription
from pmo.reporting.roadmap import roadmap as build_roadmap
from pmo.reporting.selectors import visible_archives


def _say(request: HttpRequest, error: DomainError) -> None:
    if isinstance(error, ValidationFailed):
        text = "; ".join(f"{k.replace('_', ' ').capitalize()}: {' '.join(v)}" for k, v in error.fields.items())
    else:
        text = error.message
    messages.error(request, text)


def _portfolio(request: HttpRequest, value: str | None) -> Portfolio | None:
    value = (value or "").strip()
    if not value:
        return None
    found = Portfolio.objects.filter(pk=int(value)).first() if value.isdigit() else None
    found = found or Portfolio.objects.filter(code__iexact=value).first()
    if found is None or not can(request.user, "view", found):
        raise Http404(f"No portfolio {value}.")
    return found


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "").strip())
    except ValueError:
        return None


def _need_dashboard(request: HttpRequest) -> None:
    if not sees_dashboard(request.user):
        raise PermissionDenied("The dashboard is for the PMO, managers and executives.")


def _portfolios(request: HttpRequest) -> list[Portfolio]:
    return [p for p in Portfolio.objects.filter(active=True).order_by("code") if can(request.user, "view", p)]


def _scoped(url: str, portfolio: Portfolio | None) -> str:
    """`url` in the dashboard's scope (its portfolio, if one is chosen)."""
    return f"{url}?portfolio={portfolio.pk}" if portfolio else url


def year_url(year: int, portfolio: Portfolio | None) -> str:
    return _scoped(reverse("reporting-year", args=[year]), portfolio)


def capacity_cell_url(start: dt.date, months: int, key: str, period: int) -> str:
    """The capacity page's drill-down of one cell of the dashboard's role heat map (the same months, demand
    of running projects only): the projects and tasks demanding that role in that period."""
    query = urlencode(
        {
            "by": "role",
            "unit": "month",
            "count": months,
            "start": f"{start:%Y-%m}",
            "proposals": "off",
            "cell": f"{key}|{period}",
        }
    )
    return f"{reverse('capacity')}?{query}#drill"


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _need_dashboard(request)
    portfolio = _portfolio(request, request.GET.get("portfolio"))
    # The figures of 1,000 projects take seconds to gather: computed once per change of the data, per user.
    fresh = cached(
        "dashboard",
        (request.user.pk, portfolio.pk if portfolio else None),
        lambda: render_to_string("reporting/_dashboard_body.html", _dashboard_context(request, portfolio)),
        refresh=request.GET.get("refresh") == "1",
    )
    return render(
        request,
        "reporting/dashboard.html",
        {
            "body": mark_safe(fresh.value),  # rendered by the template engine, which escaped every value
            "computed_at": timezone.localtime(fresh.computed_at),
            "from_cache": fresh.from_cache,
            "portfolio": portfolio,
            "portfolios": _portfolios(request),
        },
    )


def _dashboard_context(request: HttpRequest, portfolio: Portfolio | None) -> dict[str, Any]:
    board = build_dashboard(request.user, portfolio)
    capacity = board.capacity
    if capacity and capacity["months"]:
        start, months = capacity["months"][0], len(capacity["months"])
        capacity = {
            **capacity,
            "rows": [
                {
                    **row,
                    "cells": [
                        {**c, "url": capacity_cell_url(start, months, row["key"], c["period"])} for c in row["cells"]
                    ],
                }
                for row in capacity["rows"]
            ],
        }
    return {
        "board": board,
        "capacity": capacity,
        "year_links": [(y, year_url(y.year, portfolio)) for y in board.years],
        "portfolio": portfolio,
        "money_svg": charts.money_bars(board.years, link=lambda year: year_url(year, portfolio)),
        "funnel_svg": charts.funnel(
            board.funnel,
            link=reverse("proposals-list"),
            query=f"portfolio={portfolio.pk}" if portfolio else "",
        ),
        "bubble_svg": charts.bubbles(board.rows),
        "milestones_svg": charts.milestone_timeline(
            board.milestones,
            board.today - dt.timedelta(days=MILESTONE_PAST_DAYS),
            board.today + dt.timedelta(days=MILESTONE_AHEAD_DAYS),
            board.today,
        ),
        "can_produce": can(request.user, "produce_report", ReportArchive),
    }


YEAR_COLUMNS: list[tuple[str, Any]] = [
    ("Code", lambda r: r.project.code),
    ("Project", lambda r: r.project.name),
    ("Portfolio", lambda r: r.project.portfolio.code if r.project.portfolio_id else ""),
    ("Manager", lambda r: str(r.project.manager or "")),
    ("Budget", lambda r: r.budget),
    ("Actual", lambda r: r.actual),
    ("Forecast", lambda r: r.forecast),
    ("Variance", lambda r: r.variance),
]


@login_required
def dashboard_year(request: HttpRequest, year: int) -> HttpResponse:
    """One year of the dashboard's budget/actual/forecast chart by project, in the dashboard's scope."""
    _need_dashboard(request)
    portfolio = _portfolio(request, request.GET.get("portfolio"))
    breakdown = year_breakdown(request.user, portfolio, year)
    scope = f" {portfolio.code}" if portfolio else ""
    download = list_export(request, f"Budget actual forecast {year}{scope}", YEAR_COLUMNS, breakdown.rows)
    if download:
        return download
    return render(
        request,
        "reporting/year.html",
        {
            "breakdown": breakdown,
            "portfolio": portfolio,
            "portfolios": _portfolios(request),
            "dashboard_url": _scoped(reverse("reporting-dashboard"), portfolio) + "#money",
            "previous_url": year_url(breakdown.previous, portfolio) if breakdown.previous else "",
            "next_url": year_url(breakdown.next, portfolio) if breakdown.next else "",
        },
    )


@login_required
def roadmap(request: HttpRequest) -> HttpResponse:
    _need_dashboard(request)
    portfolio = _portfolio(request, request.GET.get("portfolio"))
    program = None
    if (request.GET.get("program") or "").isdigit():
        program = Program.objects.filter(pk=int(request.GET["program"])).first()
        if program is None or not can(request.user, "view", program):
            raise Http404("No such program.")
    road = build_roadmap(request.user, portfolio=portfolio, program=program)
    programs = Program.objects.filter(portfolio=portfolio) if portfolio else Program.objects.all()
    return render(
        request,
        "reporting/roadmap.html",
        {
            "road": road,
            "portfolio": portfolio,
            "program": program,
            "portfolios": _portfolios(request),
            "programs": [p for p in programs.order_by("code") if can(request.user, "view", p)],
            "svg": charts.roadmap(road.lanes, road.links, road.first, road.last, road.today) if road.lanes else "",
        },
    )


ARCHIVE_SHOWN = 50  # the page lists the latest; its export holds them all

ARCHIVE_COLUMNS: list[tuple[str, Any]] = [
    ("Report", lambda a: a.title),
    ("Format", lambda a: a.get_format_display()),
    ("Period from", lambda a: a.period_start),
    ("Period to", lambda a: a.period_end),
    ("Produced", lambda a: a.created_at),
    ("By", lambda a: archive_by(a)),
    ("Size (bytes)", lambda a: a.size),
]

SUBSCRIPTION_COLUMNS: list[tuple[str, Any]] = [
    ("Frequency", lambda s: s.get_frequency_display().split(" (")[0]),
    ("Format", lambda s: s.get_format_display()),
    ("Portfolio", lambda s: s.portfolio.code if s.portfolio_id else "all portfolios"),
    ("Next", lambda s: s.next_run),
    ("Last sent", lambda s: s.last_run),
]


def archive_by(archive: ReportArchive) -> str:
    """Who produced an archived report, as the archive shows it."""
    if archive.subscription_id:
        return f"schedule of {archive.subscription.user.get_username()}"
    user = archive.created_by
    return (user.get_full_name() or user.get_username()) if user else "—"


@login_required
def reports_page(request: HttpRequest) -> HttpResponse:
    _need_dashboard(request)
    start, end = reports.default_period()
    subscriptions = list(ReportSubscription.objects.filter(user=request.user).select_related("portfolio"))
    archives = visible_archives(request.user)
    download = list_exports(
        request,
        {
            "archive": ("Report archive", ARCHIVE_COLUMNS, lambda: archives),
            "subscriptions": ("My scheduled reports", SUBSCRIPTION_COLUMNS, lambda: subscriptions),
        },
    )
    if download:
        return download
    return render(
        request,
        "reporting/reports.html",
        {
            "portfolios": _portfolios(request),
            "formats": ReportFormat.choices,
            "frequencies": ReportSubscription.Frequency.choices,
            "period_start": start,
            "period_end": end,
            "archives": archives[:ARCHIVE_SHOWN],
            "archive_count": archives.count(),
            "subscriptions": subscriptions,
            "can_produce": can(request.user, "produce_report", ReportArchive),
            "can_subscribe": can(request.user, "add", ReportSubscription),
            "has_email": bool(request.user.email),
        },
    )


@login_required
@require_POST
def report_generate(request: HttpRequest) -> HttpResponse:
    _need_dashboard(request)
    try:
        archive = services.report_generate(
            actor=request.user,
            portfolio=_portfolio(request, request.POST.get("portfolio")),
            fmt=request.POST.get("format", "pdf"),
            period_start=_day(request.POST.get("period_start")),
            period_end=_day(request.POST.get("period_end")),
        )
    except DomainError as error:
        _say(request, error)
        return HttpResponseRedirect(reverse("reporting-reports"))
    messages.success(request, f"{archive.title} ({archive.get_format_display()}) is ready and archived.")
    return HttpResponseRedirect(reverse("reporting-download", args=[archive.pk]))


@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    archive = ReportArchive.objects.select_related("subscription").filter(pk=pk).first()
    if archive is None or not can(request.user, "view", archive):
        raise Http404("No such report.")
    try:
        handle = archive.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The report's file is missing from the storage.") from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=archive.filename,
        content_type=reports.CONTENT_TYPES[archive.format],
    )


@login_required
def project_report(request: HttpRequest, pk: int) -> HttpResponse:
    project = Project.objects.select_related("portfolio", "manager").filter(pk=pk).first()
    if project is None or not can(request.user, "view", project):
        raise Http404("No such project.")
    try:
        archive = services.project_report_generate(actor=request.user, project=project)
    except DomainError as error:
        _say(request, error)
        return HttpResponseRedirect(reverse("projects-detail", args=[pk]))
    return HttpResponseRedirect(reverse("reporting-download", args=[archive.pk]))


@login_required
@require_POST
def subscription_add(request: HttpRequest) -> HttpResponse:
    _need_dashboard(request)
    try:
        subscription = services.subscription_create(
            actor=request.user,
            portfolio=_portfolio(request, request.POST.get("portfolio")),
            frequency=request.POST.get("frequency", ""),
            fmt=request.POST.get("format", ""),
        )
    except DomainError as error:
        _say(request, error)
    else:
        messages.success(
            request, f"Subscribed: {subscription}. The first one comes on {subscription.next_run:%d %b %Y}."
        )
    return HttpResponseRedirect(reverse("reporting-reports"))


@login_required
@require_POST
def subscription_remove(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = ReportSubscription.objects.filter(pk=pk).first()
    if subscription is None:
        raise Http404("No such subscription.")
    require(request.user, "delete", subscription)
    services.subscription_delete(actor=request.user, subscription=subscription)
    messages.success(request, f"Unsubscribed from the {subscription}.")
    return HttpResponseRedirect(reverse("reporting-reports"))
