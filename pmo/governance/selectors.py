"""Reads of governance: the methodology a project follows and where it stands, what is due before its next gate,
upcoming and overdue gates, compliance scores and their trend per portfolio."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from pmo.governance.models import (
    Audit,
    CriterionAnswer,
    Finding,
    GateCondition,
    GateReview,
    MethodologyVersion,
    Phase,
    ProjectMethodology,
)


def methodology_name(project: Any) -> str | None:
    """The name of the methodology the project follows (e.g. "Hybrid delivery"), None when it has none."""
    if project is None or getattr(project, "pk", None) is None:
        return None
    return (
        ProjectMethodology.objects.filter(project_id=project.pk)
        .values_list("methodology_version__methodology__name", flat=True)
        .first()
    )


def latest_published(kind: str) -> MethodologyVersion | None:
    """The most recently published version of an active methodology of this kind (waterfall, agile, hybrid)."""
    return (
        MethodologyVersion.objects.filter(
            state=MethodologyVersion.State.PUBLISHED, methodology__kind=kind, methodology__active=True
        )
        .select_related("methodology")
        .order_by("-published_at", "-pk")
        .first()
    )


def published_version(value: Any, *, field: str = "version") -> MethodologyVersion | None:
    """The published version `value` names (a MethodologyVersion or its id; None or "" for none); a bad value
    raises ValidationFailed naming `field`."""
    from pmo.core.errors import ValidationFailed

    if value in (None, ""):
        return None
    if isinstance(value, MethodologyVersion):
        version: MethodologyVersion | None = value
    else:
        version = (
            MethodologyVersion.objects.select_related("methodology").filter(pk=int(value)).first()
            if str(value).isdigit()
            else None
        )
        if version is None:
            raise ValidationFailed({field: f"No methodology version with id {value}."})
    if version is not None and not version.is_published:
        raise ValidationFailed({field: f"{version} is a draft: only published versions can be followed."})
    return version


def published_versions() -> QuerySet[MethodologyVersion]:
    """The latest published version of each active methodology, for choosing one."""
    versions = MethodologyVersion.objects.filter(
        state=MethodologyVersion.State.PUBLISHED, methodology__active=True
    ).select_related("methodology")
    latest: dict[int, int] = {}
    for v in versions.order_by("methodology_id", "number"):
        latest[v.methodology_id] = v.pk
    return versions.filter(pk__in=latest.values()).order_by("methodology__kind", "methodology__name")


def deliverables(project: Any, names: list[str]) -> dict[str, str]:
    """The status of each required deliverable by name, from the documents app: "missing", "draft", "in_review",
    "approved" or "baselined"."""
    if not names:
        return {}
    from pmo.documents.selectors import deliverables_status

    return deliverables_status(project, names)


READY = frozenset({"approved", "baselined"})


@dataclass
class DueItem:
    name: str
    type: str
    template_name: str
    status: str

    @property
    def ready(self) -> bool:
        return self.status in READY


@dataclass
class GateStatus:
    """Where a project stands in its methodology."""

    tracking: ProjectMethodology
    phases: list[tuple[Phase, str]]  # (phase, "done" | "current" | "next")
    review: GateReview | None
    due: list[DueItem] = field(default_factory=list)
    answers: list[CriterionAnswer] = field(default_factory=list)
    open_conditions: list[GateCondition] = field(default_factory=list)
    today: dt.date = field(default_factory=timezone.localdate)

    @property
    def version(self) -> MethodologyVersion:
        return self.tracking.methodology_version

    @property
    def phase(self) -> Phase | None:
        return self.tracking.current_phase

    @property
    def overdue(self) -> bool:
        return self.review is not None and self.review.planned_date < self.today

    @property
    def days_to_gate(self) -> int | None:
        return (self.review.planned_date - self.today).days if self.review else None

    @property
    def days_late(self) -> int:
        return max(0, -(self.days_to_gate or 0))

    @property
    def missing(self) -> list[str]:
        """What still stands between the project and its next gate, in words."""
        out = [f"{d.name} ({d.status.replace('_', ' ')})" for d in self.due if not d.ready]
        out += [f"Criterion not answered: {a.criterion.text}" for a in self.answers if not a.answer]
        out += [f"Criterion not met: {a.criterion.text}" for a in self.answers if a.answer == "not_met"]
        return out


def gate_status(project: Any, *, today: dt.date | None = None) -> GateStatus | None:
    """The project's methodology, phases, next gate, what is due before it and what is missing; None without one."""
    tracking = (
        ProjectMethodology.objects.select_related("methodology_version__methodology", "current_phase")
        .filter(project_id=project.pk)
        .first()
    )
    if tracking is None:
        return None
    today = today or timezone.localdate()
    phases = list(tracking.methodology_version.phases.order_by("order").prefetch_related("requirements"))
    current = tracking.current_phase
    rows = []
    for phase in phases:
        if current is None or phase.order < current.order:
            rows.append((phase, "done"))
        elif phase.pk == current.pk:
            rows.append((phase, "current"))
        else:
            rows.append((phase, "next"))
    review = (
        GateReview.objects.filter(project_id=project.pk, state=GateReview.State.OPEN).select_related("phase").first()
    )
    status = GateStatus(tracking=tracking, phases=rows, review=review, today=today)
    if current is not None:
        requirements = list(current.requirements.all())
        found = deliverables(project, [r.name for r in requirements])
        status.due = [
            DueItem(r.name, r.get_type_display(), r.template_name, found.get(r.name, "missing")) for r in requirements
        ]
    if review is not None:
        status.answers = list(review.answers.select_related("criterion"))
    status.open_conditions = list(
        GateCondition.objects.filter(review__project_id=project.pk, status=GateCondition.Status.OPEN).select_related(
            "owner", "review__phase"
        )
    )
    return status


def history(project: Any) -> QuerySet[GateReview]:
    return (
        GateReview.objects.filter(project_id=project.pk, state=GateReview.State.DECIDED)
        .select_related("phase", "decided_by")
        .prefetch_related("conditions__owner")
        .order_by("-decided_on", "-pk")
    )


def open_reviews(*, portfolio: Any = None) -> QuerySet[GateReview]:
    """Every gate review still to hold, by planned date (of one portfolio, or all)."""
    qs = GateReview.objects.filter(state=GateReview.State.OPEN).select_related(
        "project__portfolio", "project__manager", "phase__methodology_version__methodology"
    )
    if portfolio is not None:
        qs = qs.filter(project__portfolio=portfolio)
    return qs.exclude(project__state__in=("closed", "cancelled")).order_by("planned_date", "project__code")


def compliance(project: Any) -> Audit | None:
    """The latest completed audit of a project (its score is the project's compliance score)."""
    return (
        Audit.objects.filter(project_id=project.pk, state=Audit.State.COMPLETED)
        .select_related("template")
        .order_by("-completed_on", "-pk")
        .first()
    )


def month_ends(last: dt.date, count: int) -> list[dt.date]:
    """The last day of each of the `count` months up to `last`'s month, oldest first.

    >>> month_ends(dt.date(2026, 3, 10), 3)
    [datetime.date(2026, 1, 31), datetime.date(2026, 2, 28), datetime.date(2026, 3, 31)]
    """
    out = []
    year, month = last.year, last.month
    for _ in range(count):
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        out.append(nxt - dt.timedelta(days=1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def compliance_trend(
    *, portfolio: Any, today: dt.date | None = None, months: int = 12
) -> list[tuple[dt.date, Decimal | None]]:
    """Per month end, the portfolio's compliance: the mean of each project's latest audit score completed by then
    (projects never audited by then are left out; None when no project was)."""
    today = today or timezone.localdate()
    audits = list(
        Audit.objects.filter(project__portfolio=portfolio, state=Audit.State.COMPLETED, score__isnull=False)
        .order_by("completed_on", "pk")
        .values_list("project_id", "completed_on", "score")
    )
    points: list[tuple[dt.date, Decimal | None]] = []
    for end in month_ends(today, months):
        latest: dict[int, Decimal] = {}
        for project_id, completed, value in audits:
            if completed <= end:
                latest[project_id] = value
        mean = (sum(latest.values(), Decimal(0)) / len(latest)).quantize(Decimal("0.1")) if latest else None
        points.append((end, mean))
    return points


def open_findings(*, portfolio: Any = None) -> QuerySet[Finding]:
    qs = Finding.objects.filter(status=Finding.Status.OPEN).select_related("project", "owner", "audit__template")
    if portfolio is not None:
        qs = qs.filter(project__portfolio=portfolio)
    return qs.order_by("due_date", "pk")
