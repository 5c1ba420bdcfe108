"""The pages of stakeholders: the overview (registers, my communications due), the register and communication
plan of a project, program or portfolio (power/interest grid, plan, due items, log, feedback), a survey to
answer, a project's benefits (table and a chart per KPI) and the benefits realisation page (by portfolio and
by strategic objective, closed projects included)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from pmo.core.access import can
from pmo.core.errors import DomainError, ValidationFailed
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.reporting.exports import list_export, list_exports
from pmo.stakeholders import charts, exports, selectors, services
from pmo.stakeholders.charts import fmt
from pmo.stakeholders.forms import (
    AnswerForm,
    BenefitEditForm,
    BenefitForm,
    ItemEditForm,
    ItemForm,
    MeasurementForm,
    SentForm,
    StakeholderForm,
    SurveyForm,
)
from pmo.stakeholders.models import Benefit, CommunicationItem, Stakeholder, Survey


def form_errors(form: Any, error: DomainError) -> None:
    if isinstance(error, ValidationFailed):
        for name, msgs in error.fields.items():
            for msg in msgs:
                form.add_error(name if name in form.fields else None, msg)
    else:
        form.add_error(None, error.message)


def flash(request: HttpRequest, error: DomainError) -> None:
    if isinstance(error, ValidationFailed):
        for name, msgs in error.fields.items():
            messages.error(request, f"{name.replace('_', ' ').capitalize()}: {' '.join(msgs)}")
    else:
        messages.error(request, error.message)


def require_sees(user: Any) -> None:
    if not selectors.sees_stakeholders(user):
        raise PermissionDenied(
            "Stakeholders, communications and benefits are for the project teams, the PMO and management."
        )


def _load(model: Any, pk: int) -> Any:
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise Http404(f"No {model._meta.verbose_name} with id {pk}.")
    return obj


# --- overview ---------------------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    require_sees(request.user)
    counts: dict[tuple[str, int], int] = {}
    for field in ("project", "program", "portfolio"):
        for row in Stakeholder.objects.filter(**{f"{field}__isnull": False}).values(field).annotate(n=Count("id")):
            counts[(field, row[field])] = row["n"]
    registers = []
    for model, field, url in (
        (Portfolio, "portfolio", "stakeholders-portfolio"),
        (Program, "program", "stakeholders-program"),
        (Project, "project", "stakeholders-project"),
    ):
        ids = [pk for (kind, pk) in counts if kind == field]
        for obj in model.objects.filter(pk__in=ids).order_by("code"):
            due = selectors.due_items(selectors.items_of(obj))
            registers.append(
                {
                    "obj": obj,
                    "kind": model._meta.verbose_name,
                    "url": reverse(url, args=[obj.pk]),
                    "stakeholders": counts[(field, obj.pk)],
                    "due": len(due),
                    "overdue": sum(1 for i in due if selectors.is_overdue(i)),
                }
            )
    mine = selectors.my_due_items(request.user)
    all_due = selectors.due_items()
    today = timezone.localdate()
    download = list_exports(
        request,
        {
            "registers": ("Stakeholder registers", exports.REGISTERS, lambda: registers),
            "mine": ("My communications due", exports.my_due(today), lambda: mine),
            "due": ("Communications due", exports.all_due(today), lambda: all_due),
        },
    )
    if download:
        return download
    return render(
        request,
        "stakeholders/index.html",
        {
            "registers": registers,
            "mine": mine,
            "all_due": all_due,
            "today": timezone.localdate(),
            "programs": Program.objects.order_by("code"),
        },
    )


# --- register and communication plan of a scope ----------------------------------------------------------


def _scope_page(request: HttpRequest, scope: Any, kind: str) -> HttpResponse:
    require_sees(request.user)
    scope_kwargs = {kind: scope}
    with_projects = kind == "program"
    stakeholders = list(selectors.stakeholders_of(scope, with_projects=with_projects))
    # Soonest due first, those done (no next date) last, alike on every database.
    items = list(
        selectors.items_of(scope, with_projects=with_projects).order_by(
            F("next_due").asc(nulls_last=True), "what", "id"
        )
    )
    can_keep = can(request.user, "add", Stakeholder(**scope_kwargs))
    audience = selectors.stakeholders_of(scope, with_projects=with_projects)
    s_form = StakeholderForm(prefix="s")
    i_form = ItemForm(prefix="i", audience=audience)
    open_form = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "stakeholder":
            s_form = StakeholderForm(request.POST, prefix="s")
            open_form = "stakeholder"
            if s_form.is_valid():
                try:
                    s = services.stakeholder_create(actor=request.user, **scope_kwargs, **s_form.cleaned_data)
                    messages.success(request, f"{s} added to the register.")
                    return HttpResponseRedirect(request.path + "#register")
                except DomainError as error:
                    form_errors(s_form, error)
        elif action == "item":
            i_form = ItemForm(request.POST, prefix="i", audience=audience)
            open_form = "item"
            if i_form.is_valid():
                data = dict(i_form.cleaned_data)
                try:
                    item = services.communication_item_create(actor=request.user, **scope_kwargs, **data)
                    messages.success(request, f"'{item.what}' added to the communication plan.")
                    return HttpResponseRedirect(request.path + "#plan")
                except DomainError as error:
                    form_errors(i_form, error)
        elif action == "sent":
            item = _load(CommunicationItem, int(request.POST.get("item") or 0))
            form = SentForm(request.POST)
            if form.is_valid():
                try:
                    services.communication_record_sent(actor=request.user, item=item, **form.cleaned_data)
                    nxt = CommunicationItem.objects.get(pk=item.pk).next_due
                    messages.success(
                        request,
                        f"'{item.what}' recorded as sent."
                        + (f" Next due {nxt:%d %b %Y}." if nxt else " It was a one-off: done."),
                    )
                except DomainError as error:
                    flash(request, error)
            return HttpResponseRedirect(request.path + "#plan")
        if not can_keep:
            raise PermissionDenied("Only the leads of this register keep it.")
    today = timezone.localdate()
    item_rows = [
        {
            "item": i,
            "overdue": selectors.is_overdue(i, today),
            "can_send": i.active and can(request.user, "record_sent", i),
            "log": list(i.log.all()[:3]),
        }
        for i in items
    ]
    due = selectors.due_items(selectors.items_of(scope, with_projects=with_projects), today=today)
    log = [entry for i in items for entry in i.log.all()]
    log.sort(key=lambda e: (e.sent_on, e.pk), reverse=True)
    if request.method == "GET":
        lists: dict[str, Any] = {
            "register": (
                f"Stakeholders {scope.code}",
                exports.register(kind),
                lambda: list(enumerate(stakeholders, start=1)),
            ),
            "plan": (f"Communication plan {scope.code}", exports.plan(kind), lambda: item_rows),
            "due": (f"Communications due {scope.code}", exports.due(today), lambda: due),
            "log": (f"Communication log {scope.code}", exports.LOG, lambda: log),
        }
        if kind == "project":
            lists["surveys"] = (f"Surveys {scope.code}", exports.SURVEYS, lambda: selectors.survey_results(scope))
        download = list_exports(request, lists)
        if download:
            return download
    projects = list(scope.projects.order_by("code")) if kind in ("program", "portfolio") else []
    context = {
        "scope": scope,
        "kind": kind,
        "stakeholders": stakeholders,
        "dots": selectors.power_interest_grid(stakeholders),
        "gaps": [s for s in stakeholders if s.engagement_gap],
        "item_rows": item_rows,
        "due": due,
        "overdue_count": sum(1 for i in due if selectors.is_overdue(i, today)),
        "log": log[:15],
        "log_count": len(log),
        "can_keep": can_keep,
        "s_form": s_form,
        "i_form": i_form,
        "sent_form": SentForm(initial={"sent_on": today}),
        "open_form": open_form,
        "today": today,
        "projects": projects,
        "detail_url": reverse(f"{kind}s-detail", args=[scope.pk]),
    }
    if kind == "project":
        context.update(_feedback_context(request, scope))
    return render(request, "stakeholders/register.html", context)


def _feedback_context(request: HttpRequest, project: Project) -> dict[str, Any]:
    results = selectors.survey_results(project)
    return {
        "survey_results": results,
        "trend": charts.survey_trend(results),
        "survey_form": SurveyForm(prefix="v", initial={"period": f"{timezone.localdate():%Y-%m}"}),
        "can_survey": can(request.user, "add", Survey(project=project)),
    }


@login_required
def project_register(request: HttpRequest, pk: int) -> HttpResponse:
    return _scope_page(request, _load(Project, pk), "project")


@login_required
def program_register(request: HttpRequest, pk: int) -> HttpResponse:
    return _scope_page(request, _load(Program, pk), "program")


@login_required
def portfolio_register(request: HttpRequest, pk: int) -> HttpResponse:
    return _scope_page(request, _load(Portfolio, pk), "portfolio")


@login_required
def stakeholder_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_sees(request.user)
    s = _load(Stakeholder, pk)
    form = StakeholderForm(
        prefix="s",
        initial={
            "name": s.name,
            "person": s.person_id,
            "organisation": s.organisation,
            "role": s.role,
            "interest": s.interest,
            "influence": s.influence,
            "current_engagement": s.current_engagement,
            "desired_engagement": s.desired_engagement,
            "relationship_owner": s.relationship_owner_id,
            "notes": s.notes,
        },
    )
    can_change = can(request.user, "change", s)
    back = services.scope_url(s)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            try:
                services.stakeholder_delete(actor=request.user, stakeholder=s)
            except DomainError as error:
                flash(request, error)
                return HttpResponseRedirect(request.path)
            messages.success(request, f"{s} removed from the register.")
            return HttpResponseRedirect(back)
        form = StakeholderForm(request.POST, prefix="s")
        if form.is_valid():
            try:
                services.stakeholder_update(
                    actor=request.user,
                    stakeholder=s,
                    expected_version=int(request.POST.get("version") or s.version),
                    **form.cleaned_data,
                )
                messages.success(request, f"{s} saved.")
                return HttpResponseRedirect(request.path)
            except DomainError as error:
                form_errors(form, error)
    return render(
        request,
        "stakeholders/stakeholder.html",
        {
            "s": s,
            "form": form,
            "can_change": can_change,
            "back": back,
            "communications": s.communications.all(),
        },
    )


# --- surveys ----------------------------------------------------------------------------------------------


@login_required
def project_survey_create(request: HttpRequest, pk: int) -> HttpResponse:
    require_sees(request.user)
    project = _load(Project, pk)
    form = SurveyForm(request.POST, prefix="v")
    if form.is_valid():
        try:
            survey = services.survey_create(actor=request.user, project=project, **form.cleaned_data)
            link = request.build_absolute_uri(reverse("stakeholders-survey", args=[survey.pk]))
            messages.success(request, f"Survey {survey.period} opened. Share its link: {link}")
        except DomainError as error:
            flash(request, error)
    else:
        for name, errors in form.errors.items():
            messages.error(request, f"{name.capitalize()}: {' '.join(errors)}")
    return HttpResponseRedirect(reverse("stakeholders-project", args=[pk]) + "#feedback")


@login_required
def survey_page(request: HttpRequest, pk: int) -> HttpResponse:
    survey = _load(Survey, pk)
    if not can(request.user, "view", survey):
        raise PermissionDenied("You cannot see this survey.")
    mine = survey.responses.filter(respondent=request.user).first()
    form = AnswerForm(initial={"score": mine.score, "comment": mine.comment} if mine else None)
    if request.method == "POST":
        if request.POST.get("action") in ("close", "open"):
            services.survey_set_open(actor=request.user, survey=survey, is_open=request.POST["action"] == "open")
            messages.success(request, f"Survey {survey.period} {'reopened' if survey.is_open else 'closed'}.")
            return HttpResponseRedirect(request.path)
        form = AnswerForm(request.POST)
        if form.is_valid():
            try:
                services.survey_answer(actor=request.user, survey=survey, **form.cleaned_data)
                messages.success(request, "Thank you: your answer is recorded.")
                return HttpResponseRedirect(request.path)
            except DomainError as error:
                form_errors(form, error)
    result = next(r for r in selectors.survey_results(survey.project) if r.survey.pk == survey.pk)
    sees_results = selectors.sees_stakeholders(request.user)
    return render(
        request,
        "stakeholders/survey.html",
        {
            "survey": survey,
            "form": form,
            "mine": mine,
            "result": result if sees_results else None,
            "bars": [
                {"score": n + 1, "count": c, "pct": round(100 * c / result.count) if result.count else 0}
                for n, c in enumerate(result.distribution)
            ],
            "responses": list(survey.responses.all()) if sees_results else [],
            "can_close": can(request.user, "change", survey),
        },
    )


# --- benefits ---------------------------------------------------------------------------------------------


@login_required
def project_benefits(request: HttpRequest, pk: int) -> HttpResponse:
    require_sees(request.user)
    project = _load(Project, pk)
    can_plan = can(request.user, "add", Benefit(project=project))
    form = BenefitForm(prefix="b", initial={"target_date": project.planned_finish})
    m_form = MeasurementForm(prefix="m", initial={"measured_on": timezone.localdate()})
    open_form = ""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "benefit":
            open_form = "benefit"
            form = BenefitForm(request.POST, prefix="b")
            if form.is_valid():
                try:
                    b = services.benefit_create(actor=request.user, project=project, **form.cleaned_data)
                    messages.success(request, f"Benefit '{b.name}' planned.")
                    return HttpResponseRedirect(request.path)
                except DomainError as error:
                    form_errors(form, error)
        elif action == "measure":
            m_form = MeasurementForm(request.POST, prefix="m")
            if m_form.is_valid():
                data = dict(m_form.cleaned_data)
                benefit = Benefit.objects.filter(pk=data.pop("benefit"), project=project).first()
                if benefit is None:
                    raise Http404("No such benefit on this project.")
                try:
                    services.measurement_record(actor=request.user, benefit=benefit, **data)
                    messages.success(request, f"{benefit.kpi}: {fmt(data['value'])} {benefit.unit} recorded.")
                    return HttpResponseRedirect(request.path + f"#benefit-{benefit.pk}")
                except DomainError as error:
                    flash(request, error)
            else:
                for name, errors in m_form.errors.items():
                    messages.error(request, f"{name.replace('_', ' ').capitalize()}: {' '.join(errors)}")
            return HttpResponseRedirect(request.path)
    rows = selectors.benefit_rows(project)
    line = selectors.benefit_line(project)
    financial = can(request.user, "view_financials", project)
    download = list_export(request, f"Benefits {project.code}", exports.benefits(financial), rows)
    if download:
        return download
    cards = [
        {
            "row": r,
            "chart": charts.kpi_chart(r),
            "can_measure": can(request.user, "measure", r.benefit),
        }
        for r in rows
    ]
    return render(
        request,
        "stakeholders/project_benefits.html",
        {
            "project": project,
            "rows": rows,
            "cards": cards,
            "line": line,
            "form": form,
            "m_form": m_form,
            "can_plan": can_plan,
            "open_form": open_form,
            "closed": project.state in selectors.CLOSED_STATES,
            "financial": financial,
        },
    )


def _pick(request: HttpRequest, model: Any, name: str) -> Any:
    value = request.GET.get(name) or ""
    return model.objects.filter(pk=int(value)).first() if value.isdigit() else None


@login_required
def benefits(request: HttpRequest) -> HttpResponse:
    require_sees(request.user)
    portfolio = _pick(request, Portfolio, "portfolio")
    program = _pick(request, Program, "program")
    lines = selectors.benefits_rollup(portfolio=portfolio, program=program)
    by_portfolio = selectors.rollup_by_portfolio(lines)
    by_program = selectors.rollup_by_program(lines)
    by_objective = selectors.rollup_by_objective(lines)
    download = list_exports(
        request,
        {
            "projects": ("Benefits by project", exports.PROJECTS, lambda: lines),
            "portfolios": ("Benefits by portfolio", exports.rollup("Portfolio"), lambda: by_portfolio),
            "programmes": ("Benefits by programme", exports.rollup("Programme"), lambda: by_program),
            "programme-kpis": (
                "KPIs by programme",
                exports.PROGRAMME_KPIS,
                lambda: [(g, row) for g in by_program for row in g.kpis],
            ),
            "objectives": ("Benefits by objective", exports.rollup("Objective"), lambda: by_objective),
        },
    )
    if download:
        return download
    max_planned = max([g.planned_value for g in by_portfolio + by_objective] or [1]) or 1
    programs = Program.objects.order_by("code")
    return render(
        request,
        "stakeholders/benefits.html",
        {
            "lines": lines,
            "by_portfolio": by_portfolio,
            "by_program": by_program,
            "by_objective": by_objective,
            "outside_programs": sum(1 for line in lines if line.program_id is None),
            "bars_max": max_planned,
            "portfolio": portfolio,
            "program": program,
            "portfolios": Portfolio.objects.order_by("code"),
            "programs": programs.filter(portfolio=portfolio) if portfolio else programs,
            "closed_count": sum(1 for line in lines if line.closed),
        },
    )


# --- one communication item, one benefit ------------------------------------------------------------------


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_sees(request.user)
    item = _load(CommunicationItem, pk)
    back = services.scope_url(item)
    audience = selectors.stakeholders_of(item.scope, with_projects=item.program_id is not None)
    initial = {
        "what": item.what,
        "stakeholders": list(item.stakeholders.all()),
        "audience_groups": item.audience_groups,
        "frequency": item.frequency,
        "channel": item.channel,
        "sender": item.sender_id,
        "next_due": item.next_due,
        "active": item.active,
    }
    form = ItemEditForm(prefix="i", audience=audience, initial=initial)
    if request.method == "POST":
        if request.POST.get("action") == "delete":
            try:
                services.communication_item_delete(actor=request.user, item=item)
            except DomainError as error:
                flash(request, error)
                return HttpResponseRedirect(request.path)
            messages.success(request, f"'{item.what}' removed from the plan.")
            return HttpResponseRedirect(back + "#plan")
        form = ItemEditForm(request.POST, prefix="i", audience=audience)
        if form.is_valid():
            try:
                services.communication_item_update(
                    actor=request.user,
                    item=item,
                    expected_version=int(request.POST.get("version") or item.version),
                    **form.cleaned_data,
                )
                messages.success(request, f"'{item.what}' saved.")
                return HttpResponseRedirect(back + "#plan")
            except DomainError as error:
                form_errors(form, error)
    return render(
        request,
        "stakeholders/item.html",
        {"item": item, "form": form, "back": back, "can_change": can(request.user, "change", item)},
    )


@login_required
def benefit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_sees(request.user)
    benefit = _load(Benefit, pk)
    back = reverse("stakeholders-benefits", args=[benefit.project_id])
    fields = ("name", "kpi", "unit", "baseline_value", "target_value", "target_date", "owner", "financial_value")
    initial = {name: getattr(benefit, name) for name in fields} | {"description": benefit.description}
    form = BenefitEditForm(prefix="b", initial=initial)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "delete":
            services.benefit_delete(actor=request.user, benefit=benefit)
            messages.success(request, f"Benefit '{benefit.name}' removed.")
            return HttpResponseRedirect(back)
        if action == "delete-measurement":
            m = benefit.measurements.filter(pk=int(request.POST.get("measurement") or 0)).first()
            if m is None:
                raise Http404("No such measurement of this benefit.")
            services.measurement_delete(actor=request.user, measurement=m)
            messages.success(request, f"Measurement of {m.measured_on:%d %b %Y} removed.")
            return HttpResponseRedirect(request.path)
        form = BenefitEditForm(request.POST, prefix="b")
        if form.is_valid():
            try:
                services.benefit_update(
                    actor=request.user,
                    benefit=benefit,
                    expected_version=int(request.POST.get("version") or benefit.version),
                    **form.cleaned_data,
                )
                messages.success(request, f"Benefit '{benefit.name}' saved.")
                return HttpResponseRedirect(back + f"#benefit-{benefit.pk}")
            except DomainError as error:
                form_errors(form, error)
    return render(
        request,
        "stakeholders/benefit.html",
        {
            "benefit": benefit,
            "row": selectors.benefit_row(benefit),
            "form": form,
            "back": back,
            "can_change": can(request.user, "change", benefit),
            "can_delete_measurements": can(request.user, "delete", benefit),
        },
    )
