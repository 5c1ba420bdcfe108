"""The reporting pages: the dashboard, the roadmap, reports (produce, archive, subscriptions) and downloads."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pmo.core.access import can, require
from pmo.core.errors import DomainError, ValidationFailed
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.reporting import charts, reports, services
from pmo.reporting.dashboard import MILESTONE_AHEAD_DAYS, MILESTONE_PAST_DAYS, sees_dashboard
from pmo.reporting.dashboard import dashboard as build_dashboard
from pmo.reporting.models import ReportArchive, ReportFormat, ReportSubscription
from pmo.reporting.roadmap import roadmap as build_roadmap


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


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _need_dashboard(request)
    portfolio = _portfolio(request, request.GET.get("portfolio"))
    board = build_dashboard(request.user, portfolio)
    return render(
        request,
        "reporting/dashboard.html",
        {
            "board": board,
            "portfolio": portfolio,
            "portfolios": _portfolios(request),
            "money_svg": charts.money_bars(board.years),
            "funnel_svg": charts.funnel(board.funnel, link=reverse("proposals-list")),
            "bubble_svg": charts.bubbles(board.rows),
            "milestones_svg": charts.milestone_timeline(
                board.milestones,
                board.today - dt.timedelta(days=MILESTONE_PAST_DAYS),
                board.today + dt.timedelta(days=MILESTONE_AHEAD_DAYS),
                board.today,
            ),
            "can_produce": can(request.user, "produce_report", ReportArchive),
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


def _archives_for(user: Any) -> list[ReportArchive]:
    qs = ReportArchive.objects.select_related("portfolio", "project", "created_by", "subscription__user")[:200]
    return [a for a in qs if can(user, "view", a)][:50]


@login_required
def reports_page(request: HttpRequest) -> HttpResponse:
    _need_dashboard(request)
    start, end = reports.default_period()
    subscriptions = ReportSubscription.objects.filter(user=request.user).select_related("portfolio")
    return render(
        request,
        "reporting/reports.html",
        {
            "portfolios": _portfolios(request),
            "formats": ReportFormat.choices,
            "frequencies": ReportSubscription.Frequency.choices,
            "period_start": start,
            "period_end": end,
            "archives": _archives_for(request.user),
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
