"""The quality-audit pages: compliance by project and its trend per portfolio, open findings, planned and completed
audits, checklists; an audit with its answers, score, findings and corrective actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from pmo.core.access import can
from pmo.core.errors import ValidationFailed
from pmo.governance import charts, selectors, services
from pmo.governance.models import Area, Audit, AuditAnswer, AuditTemplate, CorrectiveAction, Finding, Severity
from pmo.governance.views import _get, _int, _people, _run, _tabs, require_gates
from pmo.portfolio.models import Portfolio, Project
from pmo.reporting.exports import list_export


@login_required
def audits(request: HttpRequest) -> HttpResponse:
    require_gates(request.user)
    portfolios = list(Portfolio.objects.filter(active=True).order_by("name"))
    portfolio = next((p for p in portfolios if p.pk == _int(request.GET.get("portfolio"))), None)
    if portfolio is None and portfolios and "portfolio" not in request.GET:
        portfolio = portfolios[0]
    if request.method == "POST" and request.POST.get("action") in ("template_add", "question_add"):
        _checklist_action(request)
        return HttpResponseRedirect(request.get_full_path() + "#checklists")
    if request.method == "POST":
        made: list[Audit] = []
        project = Project.objects.filter(pk=_int(request.POST.get("project"))).first()
        template = AuditTemplate.objects.filter(pk=_int(request.POST.get("template"))).first()

        def create() -> None:
            if project is None:
                raise ValidationFailed({"project": "Choose the project to audit."})
            if template is None:
                raise ValidationFailed({"template": "Choose a checklist."})
            made.append(
                services.audit_create(
                    actor=request.user,
                    project=project,
                    template=template,
                    planned_date=request.POST.get("planned_date", ""),
                    scheduled=request.POST.get("scheduled") == "1",
                    auditor=_int(request.POST.get("auditor")),
                )
            )

        if _run(request, "Audit planned: answer its checklist to score it.", create):
            return HttpResponseRedirect(reverse("governance:audit", args=[made[0].pk]))
        return HttpResponseRedirect(request.get_full_path())
    today = timezone.localdate()
    audit_qs = Audit.objects.select_related("project", "template", "auditor")
    projects = Project.objects.exclude(state__in=("closed", "cancelled"))
    if portfolio is not None:
        audit_qs = audit_qs.filter(project__portfolio=portfolio)
        projects = projects.filter(portfolio=portfolio)
    scores = []
    for project in projects.order_by("code"):
        latest = selectors.compliance(project)
        if latest is not None:
            scores.append((project, latest))
    download = list_export(
        request,
        "Quality audits",
        [
            ("Audit", lambda a: str(a.template)),
            ("Project code", lambda a: a.project.code),
            ("Project", lambda a: a.project.name),
            ("Scheduled", lambda a: a.scheduled),
            ("State", lambda a: a.get_state_display()),
            ("Planned", lambda a: a.planned_date),
            ("Completed", lambda a: a.completed_on),
            ("Auditor", lambda a: str(a.auditor or "")),
            ("Score", lambda a: a.score),
        ],
        audit_qs.order_by("planned_date", "pk"),
    )
    if download:
        return download
    trend = selectors.compliance_trend(portfolio=portfolio, today=today) if portfolio is not None else []
    return render(
        request,
        "governance/audits.html",
        {
            "portfolios": portfolios,
            "portfolio": portfolio,
            "planned": audit_qs.filter(state=Audit.State.PLANNED).order_by("planned_date"),
            "completed": audit_qs.filter(state=Audit.State.COMPLETED).order_by("-completed_on")[:20],
            "scores": scores,
            "trend_svg": charts.trend_svg(trend) if any(v is not None for _, v in trend) else "",
            "trend": trend,
            "findings": selectors.open_findings(portfolio=portfolio),
            "templates": AuditTemplate.objects.filter(active=True).prefetch_related("questions"),
            "projects": projects.order_by("code"),
            "people": _people(),
            "can_add": can(request.user, "add", Audit),
            "can_keep_checklists": can(request.user, "add", AuditTemplate),
            "template_types": AuditTemplate.Type.choices,
            "areas": Area.choices,
            "today": today,
            "tabs": _tabs("audits", request.user),
        },
    )


def _checklist_action(request: HttpRequest) -> bool:
    post = request.POST
    if post.get("action") == "template_add":
        return _run(
            request,
            "Checklist created: add its questions.",
            lambda: services.audit_template_create(
                actor=request.user,
                name=post.get("name", ""),
                type=post.get("type", ""),
                description=post.get("description", ""),
            ),
        )
    template = _get(AuditTemplate, post.get("template"), request)
    return _run(
        request,
        "Question added.",
        lambda: services.audit_question_add(
            actor=request.user,
            template=template,
            text=post.get("text", ""),
            area=post.get("area", ""),
            weight=_int(post.get("weight")) or 0,
        ),
    )


def _audit_action(request: HttpRequest, audit: Audit) -> bool:
    post = request.POST
    user = request.user
    action = post.get("action", "")
    if action == "answers":

        def answer_all() -> None:
            from django.db import transaction

            with transaction.atomic():
                for answer in audit.answers.all():
                    key = f"rating_{answer.pk}"
                    if key not in post:
                        continue
                    rating, note = post.get(key, ""), post.get(f"note_{answer.pk}", "")
                    if (rating, note) != (answer.rating, answer.note):
                        services.audit_answer(actor=user, answer=answer, rating=rating, note=note)

        return _run(request, "Answers saved.", answer_all)
    if action == "complete":
        return _run(
            request,
            "Audit completed and scored.",
            lambda: services.audit_complete(actor=user, audit=audit, summary=post.get("summary", "")),
        )
    if action == "finding_add":
        return _run(
            request,
            "Finding recorded.",
            lambda: services.finding_add(
                actor=user,
                audit=audit,
                title=post.get("title", ""),
                owner=_int(post.get("owner")),
                due_date=post.get("due_date", ""),
                severity=post.get("severity", ""),
                area=post.get("area", ""),
                description=post.get("description", ""),
            ),
        )
    if action == "action_add":
        finding = _get(Finding, post.get("finding"), request)
        return _run(
            request,
            "Corrective action added.",
            lambda: services.action_add(
                actor=user,
                finding=finding,
                description=post.get("description", ""),
                owner=_int(post.get("owner")),
                due_date=post.get("due_date", ""),
            ),
        )
    if action == "action_close":
        corrective = _get(CorrectiveAction, post.get("corrective"), request)
        return _run(request, "Action done.", lambda: services.action_close(actor=user, action=corrective))
    messages.error(request, "Unknown action.")
    return False


@login_required
def audit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_gates(request.user)
    audit = _get(Audit, pk, request)
    if request.method == "POST":
        _audit_action(request, audit)
        return HttpResponseRedirect(reverse("governance:audit", args=[pk]))
    user = request.user
    findings = []
    for finding in audit.findings.select_related("owner").prefetch_related("actions__owner"):
        findings.append(
            {
                "finding": finding,
                "actions": [(a, a.status == "open" and can(user, "close_action", a)) for a in finding.actions.all()],
                "can_act": can(user, "add", CorrectiveAction(finding=finding)),
            }
        )
    answers = list(audit.answers.select_related("question"))
    return render(
        request,
        "governance/audit.html",
        {
            "audit": audit,
            "answers": answers,
            "ratings": [c for c in AuditAnswer.Rating.choices if c[0]],
            "findings": findings,
            "can_edit": audit.state == Audit.State.PLANNED and can(user, "change", audit),
            "can_find": can(user, "add", Finding(audit=audit, project=audit.project)),
            "severities": Severity.choices,
            "areas": Area.choices,
            "people": _people(),
            "today": timezone.localdate(),
            "open_count": sum(1 for a in answers if not a.rating),
            "tabs": _tabs("audits", user),
        },
    )
