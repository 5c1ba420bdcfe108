"""The pages of governance: the methodology library (build, publish, new versions), a project's methodology and
gates, a gate review (checklist, deliverables, reviewers and votes, decision, conditions), the upcoming and
overdue gates of the portfolios, and quality audits (compliance trend, audits, findings, corrective actions).

Every form posts an `action` to its page; the page hands it to one service and shows the service's error (naming
the field) as a message, so nothing is half-written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from pmo.core.access import can
from pmo.core.errors import DomainError, ValidationFailed
from pmo.governance import selectors, services
from pmo.governance.models import (
    Audit,
    Criterion,
    CriterionAnswer,
    Decision,
    Finding,
    GateCondition,
    GateReview,
    Methodology,
    MethodologyVersion,
    Phase,
    ProjectMethodology,
    Requirement,
    Reviewer,
)
from pmo.portfolio.models import Methodology as Kind
from pmo.portfolio.models import Portfolio, Project
from pmo.reporting.exports import list_export
from pmo.resources.models import Person

FLASH_NAMES = {"general": "", "criteria": "Criteria", "conditions": "Conditions"}


def flash(request: HttpRequest, error: DomainError) -> None:
    if isinstance(error, ValidationFailed):
        for name, msgs in error.fields.items():
            label = FLASH_NAMES.get(name, name.replace("_", " ").capitalize())
            messages.error(request, f"{label}: {' '.join(msgs)}" if label else " ".join(msgs))
    else:
        messages.error(request, error.message)


def _get(model: Any, pk: Any, request: HttpRequest) -> Any:
    obj = model.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if obj is None or not can(request.user, "view", obj):
        raise Http404(f"No {model._meta.verbose_name} with id {pk}.")
    return obj


def _int(value: Any) -> int | None:
    return int(value) if value not in (None, "") and str(value).isdigit() else None


def _run(request: HttpRequest, done: str, call: Any) -> bool:
    """Run a service call; a domain error becomes messages, PermissionDenied a 403."""
    try:
        call()
    except DomainError as error:
        flash(request, error)
        return False
    messages.success(request, done)
    return True


def require_gates(user: Any) -> None:
    if not can(user, "view", GateReview):
        raise PermissionDenied("Gate reviews and audits are for the project teams, the PMO and management.")


def _people() -> Any:
    return Person.objects.filter(active=True).order_by("name")


def _tabs(active: str, user: Any) -> list[dict[str, Any]]:
    tabs = [{"key": "methodologies", "label": "Methodologies", "url": reverse("governance:methodologies")}]
    if can(user, "view", GateReview):
        tabs += [
            {"key": "gates", "label": "Gates", "url": reverse("governance:gates")},
            {"key": "audits", "label": "Quality audits", "url": reverse("governance:audits")},
        ]
    for tab in tabs:
        tab["active"] = tab["key"] == active
    return tabs


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(reverse("governance:methodologies"))


# --- the methodology library ------------------------------------------------------------------------------


@login_required
def methodologies(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "view", Methodology):
        raise PermissionDenied("You cannot see the methodology library.")
    if request.method == "POST":
        made: list[Methodology] = []

        def create() -> None:
            made.append(
                services.methodology_create(
                    actor=request.user,
                    name=request.POST.get("name", ""),
                    kind=request.POST.get("kind", ""),
                    description=request.POST.get("description", ""),
                )
            )

        if _run(request, "Methodology created: add its phases, then publish it.", create):
            return HttpResponseRedirect(reverse("governance:methodology", args=[made[0].pk]))
    rows = []
    for m in Methodology.objects.prefetch_related("versions").order_by("kind", "name"):
        versions = list(m.versions.all())
        published = [v for v in versions if v.is_published]
        rows.append(
            {
                "methodology": m,
                "published": published[0] if published else None,
                "draft": next((v for v in versions if not v.is_published), None),
                "projects": ProjectMethodology.objects.filter(methodology_version__methodology=m).count(),
            }
        )
    download = list_export(
        request,
        "Methodologies",
        [
            ("Methodology", lambda r: r["methodology"].name),
            ("Kind", lambda r: r["methodology"].get_kind_display()),
            ("Retired", lambda r: not r["methodology"].active),
            ("Published version", lambda r: r["published"].number if r["published"] else None),
            ("Published", lambda r: r["published"].published_at if r["published"] else None),
            ("Draft version", lambda r: r["draft"].number if r["draft"] else None),
            ("Projects", lambda r: r["projects"]),
        ],
        rows,
    )
    if download:
        return download
    return render(
        request,
        "governance/methodologies.html",
        {
            "rows": rows,
            "tabs": _tabs("methodologies", request.user),
            "can_add": can(request.user, "add", Methodology),
            "kinds": Kind.choices,
            "posted": request.POST if request.method == "POST" else {},
        },
    )


def _version_action(request: HttpRequest, methodology: Methodology, version: MethodologyVersion) -> bool:
    action = request.POST.get("action", "")
    user = request.user
    post = request.POST
    calls: dict[str, tuple[str, Any]] = {
        "phase_add": (
            "Phase added.",
            lambda: services.phase_add(
                actor=user,
                version=version,
                name=post.get("name", ""),
                gate_name=post.get("gate_name", ""),
                typical_weeks=_int(post.get("typical_weeks")) or 4,
                description=post.get("description", ""),
            ),
        ),
        "phase_update": (
            "Phase saved.",
            lambda: services.phase_update(
                actor=user,
                phase=_get(Phase, post.get("phase"), request),
                changes={
                    "name": post.get("name", ""),
                    "gate_name": post.get("gate_name", ""),
                    "typical_weeks": _int(post.get("typical_weeks")) or 0,
                    "description": post.get("description", ""),
                },
            ),
        ),
        "phase_delete": (
            "Phase removed.",
            lambda: services.phase_delete(actor=user, phase=_get(Phase, post.get("phase"), request)),
        ),
        "requirement_add": (
            "Required deliverable added.",
            lambda: services.requirement_add(
                actor=user,
                phase=_get(Phase, post.get("phase"), request),
                name=post.get("name", ""),
                type=post.get("type", "document"),
                template_name=post.get("template_name", ""),
            ),
        ),
        "requirement_delete": (
            "Requirement removed.",
            lambda: services.requirement_delete(
                actor=user, requirement=_get(Requirement, post.get("requirement"), request)
            ),
        ),
        "criterion_add": (
            "Gate criterion added.",
            lambda: services.criterion_add(
                actor=user, phase=_get(Phase, post.get("phase"), request), text=post.get("text", "")
            ),
        ),
        "criterion_delete": (
            "Criterion removed.",
            lambda: services.criterion_delete(actor=user, criterion=_get(Criterion, post.get("criterion"), request)),
        ),
        "publish": (
            f"{version} published: new projects can follow it.",
            lambda: services.version_publish(actor=user, version=version, notes=post.get("notes", "")),
        ),
    }
    if action not in calls:
        messages.error(request, "Unknown action.")
        return False
    done, call = calls[action]
    return _run(request, done, call)


@login_required
def methodology_detail(request: HttpRequest, pk: int) -> HttpResponse:
    methodology = _get(Methodology, pk, request)
    versions = list(methodology.versions.order_by("-number"))
    version = next((v for v in versions if v.pk == _int(request.GET.get("v"))), None)
    if version is None:
        version = next((v for v in versions if not v.is_published), None) or (versions[0] if versions else None)
    if request.method == "POST":
        if request.POST.get("action") == "new_draft":
            drafts: list[MethodologyVersion] = []
            if _run(
                request,
                "New draft version: edit it, then publish it. Projects keep the version they follow.",
                lambda: drafts.append(services.version_draft(actor=request.user, methodology=methodology)),
            ):
                return HttpResponseRedirect(f"{reverse('governance:methodology', args=[pk])}?v={drafts[0].pk}")
        elif version is not None:
            _version_action(request, methodology, version)
        return HttpResponseRedirect(f"{reverse('governance:methodology', args=[pk])}?v={version.pk if version else ''}")
    phases = list(version.phases.prefetch_related("requirements", "criteria")) if version else []
    editable = bool(version and not version.is_published and can(request.user, "change", version))
    from pmo.documents.models import DocumentTemplate

    return render(
        request,
        "governance/methodology.html",
        {
            "methodology": methodology,
            "versions": versions,
            "version": version,
            "phases": phases,
            "editable": editable,
            "can_publish": bool(version and not version.is_published and can(request.user, "publish_version", version)),
            "can_draft": can(request.user, "add", MethodologyVersion(methodology=methodology))
            and not any(not v.is_published for v in versions),
            "projects": ProjectMethodology.objects.filter(methodology_version=version).select_related("project")
            if version
            else [],
            "templates": DocumentTemplate.objects.filter(active=True).order_by("name"),
            "requirement_types": list(reversed(Requirement.Type.choices)),  # documents first
            "tabs": _tabs("methodologies", request.user),
        },
    )


# --- a project's methodology and gates ------------------------------------------------------------------


@login_required
def project_governance(request: HttpRequest, pk: int) -> HttpResponse:
    require_gates(request.user)
    project = _get(Project, pk, request)
    if request.method == "POST":
        version = MethodologyVersion.objects.filter(pk=_int(request.POST.get("version"))).first()
        start = request.POST.get("start") or None
        _run(
            request,
            "Methodology set: the first gate review is planned.",
            lambda: services.project_methodology_set(
                actor=request.user,
                project=project,
                version=version,
                start=services._date(start, "start") if start else None,
            ),
        )
        return HttpResponseRedirect(reverse("governance:project", args=[pk]))
    status = selectors.gate_status(project)
    return render(
        request,
        "governance/project.html",
        {
            "project": project,
            "status": status,
            "history": selectors.history(project),
            "audits": Audit.objects.filter(project=project).select_related("template").order_by("-planned_date"),
            "findings": Finding.objects.filter(project=project, status=Finding.Status.OPEN).select_related("owner"),
            "can_set": status is None and can(request.user, "add", ProjectMethodology(project=project)),
            "versions": selectors.published_versions(),
            "default_version": selectors.latest_published(project.methodology),
            "tabs": _tabs("gates", request.user),
        },
    )


# --- gate reviews -----------------------------------------------------------------------------------------


def _conditions_from(post: Any) -> list[dict[str, Any]]:
    texts = post.getlist("condition_text")
    owners = post.getlist("condition_owner")
    dues = post.getlist("condition_due")
    return [{"text": t, "owner": _int(o), "due_date": d} for t, o, d in zip(texts, owners, dues, strict=False)]


def _review_action(request: HttpRequest, review: GateReview) -> bool:
    post = request.POST
    user = request.user
    action = post.get("action", "")
    if action == "answers":

        def answer_all() -> None:
            from django.db import transaction

            with transaction.atomic():
                for answer in review.answers.all():
                    key = f"answer_{answer.pk}"
                    if key not in post:
                        continue
                    value = post.get(key, "")
                    url = post.get(f"evidence_{answer.pk}", "")
                    note = post.get(f"note_{answer.pk}", "")
                    if (value, url, note) != (answer.answer, answer.evidence_url, answer.note):
                        services.criterion_answer(actor=user, answer=answer, value=value, evidence_url=url, note=note)

        return _run(request, "Checklist saved.", answer_all)
    if action == "vote":
        reviewer = _get(Reviewer, post.get("reviewer"), request)
        return _run(
            request,
            "Vote recorded.",
            lambda: services.gate_vote(
                actor=user, reviewer=reviewer, vote=post.get("vote", ""), comment=post.get("comment", "")
            ),
        )
    if action == "reviewer_add":
        return _run(
            request,
            "Reviewer added.",
            lambda: services.reviewer_add(
                actor=user, review=review, person=_int(post.get("person")), role=post.get("role", "")
            ),
        )
    if action == "reviewer_remove":
        return _run(
            request,
            "Reviewer removed.",
            lambda: services.reviewer_remove(actor=user, reviewer=_get(Reviewer, post.get("reviewer"), request)),
        )
    if action == "reschedule":
        return _run(
            request,
            "Gate review rescheduled.",
            lambda: services.review_reschedule(actor=user, review=review, planned_date=post.get("planned_date", "")),
        )
    if action == "decide":
        decision = post.get("decision", "")
        return _run(
            request,
            f"Gate decided: {Decision(decision).label.lower() if decision in Decision.values else decision}.",
            lambda: services.gate_decide(
                actor=user,
                review=review,
                decision=decision,
                comment=post.get("comment", ""),
                conditions=_conditions_from(post),
                next_review=post.get("next_review") or None,
            ),
        )
    if action == "condition_close":
        condition = _get(GateCondition, post.get("condition"), request)
        return _run(
            request,
            "Condition closed.",
            lambda: services.condition_close(actor=user, condition=condition, note=post.get("note", "")),
        )
    messages.error(request, "Unknown action.")
    return False


@login_required
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_gates(request.user)
    review = _get(GateReview, pk, request)
    if request.method == "POST":
        _review_action(request, review)
        return HttpResponseRedirect(reverse("governance:review", args=[pk]))
    project = review.project
    phase = review.phase
    requirements = list(phase.requirements.all())
    found = selectors.deliverables(project, [r.name for r in requirements])
    due = [
        selectors.DueItem(r.name, r.get_type_display(), r.template_name, found.get(r.name, "missing"))
        for r in requirements
    ]
    user = request.user
    reviewers = list(review.reviewers.select_related("person"))
    answers = list(review.answers.select_related("criterion"))
    lessons: list[Any] = []
    try:
        from pmo.knowledge.selectors import relevant_lessons

        lessons = relevant_lessons(
            category=None,
            methodology=phase.methodology_version.methodology.name,
            exclude_project_id=project.pk,
            limit=5,
        )
    except ImportError:  # the knowledge app not installed
        lessons = []
    return render(
        request,
        "governance/review.html",
        {
            "review": review,
            "project": project,
            "phase": phase,
            "due": due,
            "answers": answers,
            "answer_choices": [c for c in CriterionAnswer.Answer.choices if c[0]],
            "reviewers": [(r, review.is_open and can(user, "gate_vote", r)) for r in reviewers],
            "conditions": [(c, can(user, "close_condition", c)) for c in review.conditions.select_related("owner")],
            "decisions": Decision.choices,
            "can_prepare": review.is_open and can(user, "change", review),
            "can_decide": review.is_open and can(user, "gate_decide", review),
            "people": _people(),
            "lessons": lessons,
            "counts": {
                "met": sum(1 for a in answers if a.answer == "met"),
                "not_met": sum(1 for a in answers if a.answer == "not_met"),
                "na": sum(1 for a in answers if a.answer == "na"),
                "open": sum(1 for a in answers if not a.answer),
            },
            "overdue": review.is_open and review.planned_date < timezone.localdate(),
            "tabs": _tabs("gates", user),
        },
    )


@login_required
def gates(request: HttpRequest) -> HttpResponse:
    require_gates(request.user)
    portfolios = list(Portfolio.objects.filter(active=True).order_by("name"))
    portfolio = next((p for p in portfolios if p.pk == _int(request.GET.get("portfolio"))), None)
    today = timezone.localdate()
    horizon = today + dt.timedelta(days=_int(request.GET.get("days")) or 90)
    reviews = list(selectors.open_reviews(portfolio=portfolio))
    overdue = [r for r in reviews if r.planned_date < today]
    upcoming = [r for r in reviews if today <= r.planned_date <= horizon]
    later = [r for r in reviews if r.planned_date > horizon]
    conditions = GateCondition.objects.filter(status=GateCondition.Status.OPEN).select_related(
        "owner", "review__project", "review__phase"
    )
    if portfolio is not None:
        conditions = conditions.filter(review__project__portfolio=portfolio)
    decided = GateReview.objects.filter(state=GateReview.State.DECIDED).select_related("project", "phase")
    if portfolio is not None:
        decided = decided.filter(project__portfolio=portfolio)
    download = list_export(
        request,
        "Open gate reviews",
        [
            ("Gate", lambda r: str(r.phase)),
            ("Project code", lambda r: r.project.code),
            ("Project", lambda r: r.project.name),
            ("Portfolio", lambda r: str(r.project.portfolio)),
            ("Planned", lambda r: r.planned_date),
            (
                "When",
                lambda r: "overdue" if r.planned_date < today else "upcoming" if r.planned_date <= horizon else "later",
            ),
            ("Days overdue", lambda r: max((today - r.planned_date).days, 0)),
        ],
        reviews,
    )
    if download:
        return download
    without = Project.objects.filter(governance__isnull=True).exclude(state__in=("proposed", "closed", "cancelled"))
    if portfolio is not None:
        without = without.filter(portfolio=portfolio)
    return render(
        request,
        "governance/gates.html",
        {
            "portfolios": portfolios,
            "portfolio": portfolio,
            "overdue": overdue,
            "upcoming": upcoming,
            "later": later,
            "days": (horizon - today).days,
            "today": today,
            "conditions": conditions.order_by("due_date"),
            "decided": decided.order_by("-decided_on", "-pk")[:10],
            "without": without.order_by("code"),
            "tabs": _tabs("gates", request.user),
        },
    )
