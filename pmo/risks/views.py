"""The pages of the risk registers: a project's register with its heat map, a risk with its actions, history
and re-rating, the portfolio's risk page (heat map, top risks, exposure, escalations) and its scales."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from pmo.changes.models import ChangeRequest, Issue
from pmo.core import audit
from pmo.core.access import can
from pmo.core.errors import DomainError, ValidationFailed
from pmo.portfolio.models import Portfolio, Program, Project
from pmo.reporting.exports import list_export
from pmo.risks import selectors, services
from pmo.risks.forms import ActionForm, OccurForm, RateForm, RiskCreateForm, RiskEditForm, TaskImpactForm
from pmo.risks.models import Category, Risk, RiskAction, RiskScale, RiskTaskImpact
from pmo.risks.scales import Scales


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


def require_risks(user: Any) -> None:
    if not selectors.sees_risks(user):
        raise PermissionDenied("Risk registers are for the project teams, the PMO and management.")


def as_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _cleaned(form: Any) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


def _create(request: HttpRequest, form: Any, owner: dict[str, Any]) -> Risk | None:
    """Hand a valid create form to the service; service errors become form errors."""
    if not form.is_valid():
        return None
    data = _cleaned(form)
    affected = data.pop("affected_projects", [])
    try:
        return services.risk_create(actor=request.user, affected_projects=affected, **owner, **data)
    except DomainError as error:
        form_errors(form, error)
    return None


def register_columns(financial: bool) -> list[tuple[str, Any]]:
    """The risk register as a spreadsheet: the columns of the register table and the facts behind them
    (expected cost only for those who see the project's money)."""
    columns: list[tuple[str, Any]] = [
        ("Code", lambda r: r.risk.code),
        ("Register", lambda r: str(r.risk.scope or "")),
        ("Kind", lambda r: r.risk.get_kind_display()),
        ("Risk", lambda r: r.risk.title),
        ("Category", lambda r: r.risk.get_category_display()),
        ("Owner", lambda r: str(r.risk.owner or "")),
        ("Probability", lambda r: r.risk.probability),
        ("Impact", lambda r: r.risk.impact),
        ("Score", lambda r: r.risk.score),
        ("Rating", lambda r: r.rating),
        ("Trend", lambda r: r.trend),
        ("Residual score", lambda r: r.risk.residual_score),
        ("Strategy", lambda r: r.risk.get_strategy_display()),
        ("Response", lambda r: r.risk.response),
        ("Open actions", lambda r: r.open_actions),
        ("Overdue actions", lambda r: len(r.overdue_actions)),
        ("Status", lambda r: r.risk.get_status_display()),
        ("Expected delay (days)", lambda r: r.exposure_days),
    ]
    if financial:
        columns.append(("Expected cost", lambda r: r.exposure_money))
    return columns


def heat_context(
    request: HttpRequest, scales: Scales, risk_rows: list[selectors.RiskRow], params: dict[str, str]
) -> dict[str, Any]:
    """The heat map, and the risks of the cell picked (?p=&i=), with links that keep the other filters."""
    residual = params.get("rating") == "residual"
    p, i = as_int(request.GET.get("p")), as_int(request.GET.get("i"))
    query = {k: v for k, v in params.items() if v}
    picked = None
    if p is not None and i is not None:
        picked = {
            "probability": p,
            "impact": i,
            "score": p * i,
            "rating": scales.rating(p * i),
            "rows": selectors.in_cell(risk_rows, p, i, residual=residual),
            "clear": "?" + urlencode(query) if query else "?",
        }
    levels = {lv.level: lv for lv in scales.probability}
    return {
        "heat_rows": [
            (levels[row[0].probability], row) for row in selectors.grid(scales, risk_rows, residual=residual)
        ],
        "scales": scales,
        "cell_query": urlencode(query),
        "picked": picked,
        "residual": residual,
        "impact_levels": scales.impact,
    }


def _tabs(project: Project) -> dict[str, Any]:
    return {
        "project": project,
        "tab": "risks",
        "open_issues": Issue.objects.filter(project=project, status__in=("open", "in_progress")).count(),
        "open_changes": ChangeRequest.objects.filter(project=project, state__in=("draft", "assessed")).count(),
    }


# --- a project's register --------------------------------------------------------------------------------


@login_required
def project_risks(request: HttpRequest, pk: int) -> HttpResponse:
    require_risks(request.user)
    project = Project.objects.select_related("portfolio", "program", "manager").filter(pk=pk).first()
    if project is None:
        raise Http404(f"No project with id {pk}.")
    scales = selectors.scales_for(project.portfolio_id)
    can_add = can(request.user, "add", Risk(project=project))
    options = {"scales": scales, "currency": project.currency, "portfolio_id": project.portfolio_id}
    form = RiskCreateForm(prefix="new", instance=Risk(project=project), **options)
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("Only the project's manager and the PMO add risks to its register.")
        form = RiskCreateForm(request.POST, prefix="new", instance=Risk(project=project), **options)
        risk = _create(request, form, {"project": project})
        if risk is not None:
            messages.success(request, f"{risk.code} added to the register. Plan its response actions below.")
            return HttpResponseRedirect(reverse("risk-detail", args=[risk.pk]))
    show = request.GET.get("show", "open")
    kind = request.GET.get("kind", "")
    register = selectors.visible(request.user, selectors.project_register(project))
    register = selectors.filtered(register, status="open" if show == "open" else "", kind=kind)
    today = timezone.localdate()
    cache = selectors.ScaleCache()
    risk_rows = selectors.rows(register, today=today, cache=cache)
    params = {"show": show, "kind": kind, "rating": request.GET.get("rating", "")}
    affecting = selectors.rows(
        selectors.visible(request.user, selectors.affecting(project)).filter(status=Risk.Status.OPEN),
        today=today,
        cache=cache,
    )
    download = list_export(
        request,
        f"Risks {project.code}",
        register_columns(can(request.user, "view_financials", project)),
        risk_rows,
    )
    if download:
        return download
    lines, total = selectors.exposure_by(risk_rows, "category")
    return render(
        request,
        "risks/project_risks.html",
        {
            **_tabs(project),
            **heat_context(request, scales, risk_rows, params),
            "rows": risk_rows,
            "affecting": affecting,
            "show": show,
            "kind": kind,
            "form": form,
            "can_add": can_add,
            "form_open": request.method == "POST",
            "overdue_count": sum(len(r.overdue_actions) for r in risk_rows),
            "by_category": lines,
            "total": total,
            "financial": can(request.user, "view_financials", project),
            "currency": project.currency,
        },
    )


# --- one risk --------------------------------------------------------------------------------------------


def _risk(request: HttpRequest, pk: int) -> Risk:
    require_risks(request.user)
    risk = selectors.base().filter(pk=pk).first()
    if risk is None or not can(request.user, "view", risk):
        raise Http404(f"No risk with id {pk}.")
    return risk


def _detail_post(request: HttpRequest, risk: Risk, forms: dict[str, Any], scales: Scales) -> bool:
    """Run the posted action; True when it succeeded (the page redirects), False to show the forms again."""
    action = request.POST.get("action", "")
    if action == "save":
        form = forms["edit"] = RiskEditForm(request.POST, instance=Risk.objects.get(pk=risk.pk), **forms["_edit"])
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version", None)
            affected = data.pop("affected_projects", None)
            try:
                services.risk_update(
                    actor=request.user, risk=risk, expected_version=version, affected_projects=affected, **data
                )
                messages.success(request, f"{risk.code} saved.")
                return True
            except DomainError as error:
                form_errors(form, error)
        return False
    if action == "rate":
        form = forms["rate"] = RateForm(request.POST, prefix="rate", **forms["_rate"])
        if form.is_valid():
            try:
                services.risk_rate(actor=request.user, risk=risk, **form.cleaned_data)
                risk.refresh_from_db()
                messages.success(request, f"{risk.code} re-rated: score {risk.score} ({scales.rating(risk.score)}).")
                return True
            except DomainError as error:
                form_errors(form, error)
        return False
    if action == "add-action":
        form = forms["action"] = ActionForm(request.POST, prefix="action")
        if form.is_valid():
            try:
                services.risk_action_create(actor=request.user, risk=risk, **_cleaned(form))
                messages.success(request, "Action added.")
                return True
            except DomainError as error:
                form_errors(form, error)
        return False
    if action == "occur":
        form = forms["occur"] = OccurForm(request.POST, prefix="occur", risk=risk)
        if form.is_valid():
            try:
                issue = services.risk_occur(actor=request.user, risk=risk, **form.cleaned_data)
                messages.success(request, f"{risk.code} marked as occurred and logged as issue #{issue.pk}.")
                return True
            except DomainError as error:
                form_errors(form, error)
        return False
    if action == "add-impact":
        form = forms["impact"] = TaskImpactForm(request.POST, prefix="impact", risk=risk)
        if form.is_valid():
            try:
                services.risk_task_impact_set(actor=request.user, risk=risk, **form.cleaned_data)
                messages.success(request, "Task impact saved.")
                return True
            except DomainError as error:
                form_errors(form, error)
        return False
    try:
        if action in ("close", "reopen"):
            status = Risk.Status.CLOSED if action == "close" else Risk.Status.OPEN
            services.risk_update(
                actor=request.user, risk=risk, status=status, closure_note=request.POST.get("closure_note", "").strip()
            )
            messages.success(request, f"{risk.code} {'closed' if action == 'close' else 'reopened'}.")
        elif action == "action-status":
            found = RiskAction.objects.filter(pk=as_int(request.POST.get("action_id")), risk=risk).first()
            if found is None:
                raise Http404("No such action.")
            services.risk_action_update(actor=request.user, action=found, status=request.POST.get("status", ""))
            messages.success(request, f"Action “{found.description}” is now {found.get_status_display().lower()}.")
        elif action == "delete-impact":
            impact = RiskTaskImpact.objects.filter(pk=as_int(request.POST.get("impact_id")), risk=risk).first()
            if impact is None:
                raise Http404("No such task impact.")
            services.risk_task_impact_delete(actor=request.user, impact=impact)
            messages.success(request, "Task impact removed.")
        else:
            messages.error(request, "Unknown action.")
    except DomainError as error:
        flash(request, error)
    return True


@login_required
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = _risk(request, pk)
    portfolio_id = risk.owning_portfolio_id
    scales = selectors.scales_for(portfolio_id)
    currency = risk.project.currency if risk.project_id else "EUR"
    rate_initial = {f: getattr(risk, f) for f in ("probability", "impact", "residual_probability", "residual_impact")}
    forms: dict[str, Any] = {
        "_edit": {"portfolio_id": portfolio_id},
        "_rate": {"scales": scales, "currency": currency},
        "edit": RiskEditForm(
            instance=Risk.objects.get(pk=pk), initial={"version": risk.version}, portfolio_id=portfolio_id
        ),
        "rate": RateForm(prefix="rate", initial=rate_initial, scales=scales, currency=currency),
        "action": ActionForm(prefix="action"),
        "occur": OccurForm(prefix="occur", risk=risk),
        "impact": TaskImpactForm(prefix="impact", risk=risk),
    }
    can_change = can(request.user, "change", risk)
    opened = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        own_action = action == "action-status"
        if not can_change and not own_action:
            raise PermissionDenied("Only the risk's project manager and the PMO change it.")
        if _detail_post(request, risk, forms, scales):
            return HttpResponseRedirect(reverse("risk-detail", args=[pk]))
        opened = action
        risk = _risk(request, pk)
    row = selectors.rows([risk])[0]
    actions = [
        {
            "a": a,
            "overdue": selectors.is_overdue(a),
            "can_progress": can(request.user, "progress", a),
        }
        for a in risk.actions.all()
    ]
    history = [  # fields left empty on creation are not worth a line
        {"event": e, "rows": [r for r in audit.readable_changes(Risk, e.changes) if r[1:] != ("—", "—")]}
        for e in audit.history_of(risk)[:10]
    ]
    scope = risk.scope
    return render(
        request,
        "risks/risk_detail.html",
        {
            **(_tabs(risk.project) if risk.project else {}),
            "risk": risk,
            "row": row,
            "scales": scales,
            "forms": forms,
            "opened": opened,
            "can_change": can_change,
            "can_occur": can_change and risk.status == Risk.Status.OPEN and risk.kind == Risk.Kind.THREAT,
            "actions": actions,
            "assessments": list(reversed(list(risk.assessments.all()))),
            "impacts": list(risk.task_impacts.select_related("task", "task__project")),
            "history": history,
            "scope": scope,
            "project": risk.project,
            "percent": f"{scales.probability_of(min(risk.probability, len(scales.probability))).percent.normalize():f}",
            "financial": risk.project is None or can(request.user, "view_financials", risk.project),
            "currency": currency,
            "action_statuses": RiskAction.Status.choices,
        },
    )


# --- the portfolio's risks -------------------------------------------------------------------------------


@login_required
def portfolio_risks(request: HttpRequest) -> HttpResponse:
    require_risks(request.user)
    portfolios = list(Portfolio.objects.order_by("name"))
    portfolio_id = as_int(request.GET.get("portfolio")) or (portfolios[0].pk if portfolios else None)
    portfolio = next((p for p in portfolios if p.pk == portfolio_id), None)
    if request.method == "POST" and request.POST.get("action") == "check":
        if not can(request.user, "check", RiskAction()):
            raise PermissionDenied("Only the PMO runs the overdue check for every project.")
        try:
            counts = services.risk_actions_check(actor=request.user)
            messages.success(
                request, f"Overdue check done: {counts['overdue']} overdue actions, {counts['notified']} owners told."
            )
        except DomainError as error:
            flash(request, error)
        return HttpResponseRedirect(request.get_full_path())
    if portfolio is None:
        return render(request, "risks/portfolio_risks.html", {"portfolios": portfolios, "portfolio": None})
    scales = selectors.scales_for(portfolio.pk)
    programs = list(Program.objects.filter(portfolio=portfolio).order_by("name"))
    register_choices = [("portfolio", f"Portfolio: {portfolio.name}")] + [
        (f"program-{p.pk}", f"Program: {p.name}") for p in programs
    ]
    can_add = can(request.user, "add", Risk(portfolio=portfolio)) or any(
        can(request.user, "add", Risk(program=p)) for p in programs
    )
    form = RiskCreateForm(prefix="new", scales=scales, portfolio_id=portfolio.pk)
    if request.method == "POST":
        form = RiskCreateForm(request.POST, prefix="new", scales=scales, portfolio_id=portfolio.pk)
        chosen = request.POST.get("register", "portfolio")
        program = next((p for p in programs if f"program-{p.pk}" == chosen), None)
        owner = {"program": program} if program else {"portfolio": portfolio}
        if not can(request.user, "add", Risk(**owner)):
            raise PermissionDenied("Only the PMO and the program's manager add risks to this register.")
        risk = _create(request, form, owner)
        if risk is not None:
            messages.success(request, f"{risk.code} added to the register of {risk.scope}.")
            return HttpResponseRedirect(reverse("risk-detail", args=[risk.pk]))
    scope = request.GET.get("scope", "all")
    kind = request.GET.get("kind", "threat")
    project_id = as_int(request.GET.get("project"))
    category = request.GET.get("category", "")
    risks = selectors.visible(request.user, selectors.in_portfolio(portfolio))
    shown = selectors.filtered(
        risks,
        kind=kind,
        scope=scope,
        project_id=project_id,
        category=category,
        escalation_score=scales.escalation_score,
    )
    today = timezone.localdate()
    cache = selectors.ScaleCache()
    risk_rows = selectors.rows(shown, today=today, cache=cache)
    download = list_export(
        request,
        f"Risks {portfolio.name}",
        register_columns(can(request.user, "view_financials", Project)),
        risk_rows,
    )
    if download:
        return download
    all_open = selectors.rows(risks.filter(status=Risk.Status.OPEN), today=today, cache=cache)
    params = {
        "portfolio": str(portfolio.pk),
        "scope": scope,
        "kind": kind,
        "project": str(project_id or ""),
        "category": category,
        "rating": request.GET.get("rating", ""),
    }
    by_project, total = selectors.exposure_by(all_open, "project")
    by_category, _ = selectors.exposure_by(all_open, "category")
    escalated = selectors.rows(selectors.visible(request.user, selectors.escalated(portfolio=portfolio)), cache=cache)
    return render(
        request,
        "risks/portfolio_risks.html",
        {
            **heat_context(request, scales, risk_rows, params),
            "portfolios": portfolios,
            "portfolio": portfolio,
            "projects": Project.objects.filter(portfolio=portfolio).order_by("code"),
            "categories": Category.choices,
            "scope": scope,
            "kind": kind,
            "project_id": project_id,
            "category": category,
            "shown": len(risk_rows),
            "top": selectors.top(all_open),
            "by_project": by_project,
            "by_category": by_category,
            "total": total,
            "escalated": escalated,
            "overdue": [a for r in all_open for a in r.overdue_actions],
            "can_check": can(request.user, "check", RiskAction()),
            "can_scales": can(request.user, "change", RiskScale(portfolio=portfolio)),
            "can_add": can_add,
            "form": form,
            "form_open": request.method == "POST",
            "register_choices": register_choices,
            "financial": can(request.user, "view_financials", Project),
        },
    )


# --- scales ----------------------------------------------------------------------------------------------


def _scale_rows(request: HttpRequest, axis: str, count: int) -> list[dict[str, str]]:
    out = []
    for level in range(1, count + 1):
        row = {"level": str(level), "label": request.POST.get(f"{axis}-{level}-label", "").strip()}
        if axis == "probability":
            row["percent"] = request.POST.get(f"{axis}-{level}-percent", "").strip()
        else:
            row["money"] = request.POST.get(f"{axis}-{level}-money", "").strip()
            row["days"] = request.POST.get(f"{axis}-{level}-days", "").strip()
        out.append(row)
    return out


@login_required
def risk_scales(request: HttpRequest, pk: int) -> HttpResponse:
    require_risks(request.user)
    portfolio = Portfolio.objects.filter(pk=pk).first()
    if portfolio is None:
        raise Http404("No such portfolio.")
    current = RiskScale.objects.filter(portfolio=portfolio).first()
    can_edit = can(request.user, "change", current or RiskScale(portfolio=portfolio))
    scales = selectors.scales_from(current)
    probability = [
        {"level": str(p.level), "label": p.label, "percent": f"{p.percent.normalize():f}"} for p in scales.probability
    ]
    impact = [
        {"level": str(i.level), "label": i.label, "money": f"{i.money.normalize():f}", "days": str(i.days)}
        for i in scales.impact
    ]
    escalation = str(scales.escalation_score)
    n_probability, n_impact = len(probability), len(impact)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only the PMO director and this portfolio's manager set its risk scales.")
        n_probability = as_int(request.POST.get("probability_count")) or n_probability
        n_impact = as_int(request.POST.get("impact_count")) or n_impact
        probability = _scale_rows(request, "probability", min(n_probability, 10))
        impact = _scale_rows(request, "impact", min(n_impact, 10))
        escalation = request.POST.get("escalation_score", "").strip()
        if request.POST.get("action") == "resize":
            probability = (probability + [{"level": str(n), "label": "", "percent": ""} for n in range(1, 11)])[
                : max(3, min(as_int(request.POST.get("new_probability_count")) or n_probability, 10))
            ]
            impact = (impact + [{"level": str(n), "label": "", "money": "", "days": ""} for n in range(1, 11)])[
                : max(3, min(as_int(request.POST.get("new_impact_count")) or n_impact, 10))
            ]
            for n, row in enumerate(probability, 1):
                row["level"] = str(n)
            for n, row in enumerate(impact, 1):
                row["level"] = str(n)
        else:
            try:
                services.risk_scales_set(
                    actor=request.user,
                    portfolio=portfolio,
                    probability=probability,
                    impact=impact,
                    escalation_score=int(escalation) if escalation.isdigit() else 0,
                )
                messages.success(request, f"Risk scales of {portfolio} saved.")
                return HttpResponseRedirect(reverse("risk-scales", args=[pk]))
            except ValidationFailed as error:
                errors = error.fields
            except DomainError as error:
                errors = {"general": [error.message]}
    return render(
        request,
        "risks/scales.html",
        {
            "portfolio": portfolio,
            "can_edit": can_edit,
            "probability": probability,
            "impact": impact,
            "escalation_score": escalation,
            "errors": errors,
            "is_default": current is None,
            "sizes": range(3, 11),
        },
    )
