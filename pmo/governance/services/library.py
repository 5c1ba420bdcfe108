"""The methodology library: methodologies, draft versions (phases, required deliverables, gate criteria),
publication (after which a version never changes) and new versions copied from the latest published one."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from pmo.core.access import require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.services import record_create, record_delete, record_update
from pmo.governance.models import Criterion, Methodology, MethodologyVersion, Phase, Requirement
from pmo.governance.services._common import _text, _user
from pmo.portfolio.models import Methodology as Kind


def methodology_create(*, actor: Any, name: str, kind: str, description: str = "") -> Methodology:
    """A new methodology with an empty draft version 1, ready for its phases."""
    require(actor, "add", Methodology(kind=kind))
    if kind not in Kind.values:
        raise ValidationFailed({"kind": f"Choose one of: {', '.join(Kind.values)}."})
    name = _text(name, "name", limit=120)
    if Methodology.objects.filter(name__iexact=name).exists():
        raise ValidationFailed({"name": f"A methodology named {name!r} already exists."})
    with transaction.atomic():
        methodology = record_create(
            actor=actor,
            model=Methodology,
            fields={"name": name, "kind": kind, "description": (description or "").strip()},
            allowed=("name", "kind", "description"),
        )
        record_create(
            actor=actor,
            model=MethodologyVersion,
            fields={"methodology": methodology, "number": 1},
            allowed=("methodology", "number"),
        )
    return methodology


def methodology_update(
    *, actor: Any, methodology: Methodology, description: str | None = None, active: bool | None = None
) -> Methodology:
    """Describe or retire a methodology (its versions and the projects on them are untouched)."""
    changes: dict[str, Any] = {}
    if description is not None:
        changes["description"] = description.strip()
    if active is not None:
        changes["active"] = active
    return record_update(actor=actor, obj=methodology, changes=changes, allowed=("description", "active"))


def _editable(version: MethodologyVersion) -> None:
    if version.state != MethodologyVersion.State.DRAFT:
        raise Conflict(
            f"{version} is published and can no longer change: start a new draft version to edit the methodology.",
            details={"version": version.pk},
        )


def version_draft(*, actor: Any, methodology: Methodology) -> MethodologyVersion:
    """Start the next draft version as a copy of the latest published one (phases, requirements, criteria).
    Projects on published versions keep them: nothing they follow changes."""
    require(actor, "add", MethodologyVersion(methodology=methodology))
    with transaction.atomic():
        Methodology.objects.select_for_update().filter(pk=methodology.pk).first()
        if methodology.versions.filter(state=MethodologyVersion.State.DRAFT).exists():
            raise Conflict(f"{methodology} already has a draft version: edit and publish it first.")
        source = methodology.versions.filter(state=MethodologyVersion.State.PUBLISHED).order_by("-number").first()
        number = (methodology.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = record_create(
            actor=actor,
            model=MethodologyVersion,
            fields={"methodology": methodology, "number": number},
            allowed=("methodology", "number"),
            comment=f"Copied from v{source.number}" if source else "",
        )
        if source is not None:
            for phase in source.phases.prefetch_related("requirements", "criteria"):
                copy = Phase.objects.create(
                    methodology_version=draft,
                    order=phase.order,
                    name=phase.name,
                    description=phase.description,
                    gate_name=phase.gate_name,
                    typical_weeks=phase.typical_weeks,
                )
                Requirement.objects.bulk_create(
                    Requirement(phase=copy, name=r.name, type=r.type, template_name=r.template_name)
                    for r in phase.requirements.all()
                )
                Criterion.objects.bulk_create(
                    Criterion(phase=copy, order=c.order, text=c.text) for c in phase.criteria.all()
                )
    return draft


def _check_template(template_name: str) -> None:
    if not template_name:
        return
    from pmo.documents.models import DocumentTemplate

    if not DocumentTemplate.objects.filter(name=template_name).exists():
        raise ValidationFailed({"template_name": f"No template named {template_name!r} in the documents library."})


def phase_add(
    *,
    actor: Any,
    version: MethodologyVersion,
    name: str,
    gate_name: str,
    typical_weeks: int = 4,
    description: str = "",
) -> Phase:
    """Add a phase at the end of a draft version."""
    require(actor, "change", version)
    _editable(version)
    order = (version.phases.aggregate(n=Max("order"))["n"] or 0) + 1
    return record_create(
        actor=actor,
        model=Phase,
        fields={
            "methodology_version": version,
            "order": order,
            "name": _text(name, "name", limit=120),
            "gate_name": _text(gate_name, "gate_name", limit=120),
            "typical_weeks": typical_weeks,
            "description": (description or "").strip(),
        },
        allowed=("methodology_version", "order", "name", "gate_name", "typical_weeks", "description"),
    )


def phase_update(*, actor: Any, phase: Phase, changes: Mapping[str, Any]) -> Phase:
    require(actor, "change", phase.methodology_version)
    _editable(phase.methodology_version)
    clean = {name: value for name, value in changes.items() if value is not None}
    for field, limit in (("name", 120), ("gate_name", 120)):
        if field in clean:
            clean[field] = _text(clean[field], field, limit=limit)
    return record_update(
        actor=actor, obj=phase, changes=clean, allowed=("name", "gate_name", "typical_weeks", "description")
    )


def phase_delete(*, actor: Any, phase: Phase) -> None:
    """Remove a phase of a draft; the later phases move up one place."""
    version = phase.methodology_version
    _editable(version)
    with transaction.atomic():
        record_delete(actor=actor, obj=phase)
        for later in version.phases.filter(order__gt=phase.order).order_by("order"):
            Phase.objects.filter(pk=later.pk).update(order=later.order - 1)


def requirement_add(
    *, actor: Any, phase: Phase, name: str, type: str = Requirement.Type.DOCUMENT, template_name: str = ""
) -> Requirement:
    """A deliverable or document the phase requires before its gate (optionally naming a library template)."""
    require(actor, "change", phase.methodology_version)
    _editable(phase.methodology_version)
    if type not in Requirement.Type.values:
        raise ValidationFailed({"type": f"Choose one of: {', '.join(Requirement.Type.values)}."})
    template_name = (template_name or "").strip()
    _check_template(template_name)
    return record_create(
        actor=actor,
        model=Requirement,
        fields={"phase": phase, "name": _text(name, "name"), "type": type, "template_name": template_name},
        allowed=("phase", "name", "type", "template_name"),
    )


def requirement_delete(*, actor: Any, requirement: Requirement) -> None:
    _editable(requirement.phase.methodology_version)
    record_delete(actor=actor, obj=requirement)


def criterion_add(*, actor: Any, phase: Phase, text: str) -> Criterion:
    """A question of the gate's checklist."""
    require(actor, "change", phase.methodology_version)
    _editable(phase.methodology_version)
    order = (phase.criteria.aggregate(n=Max("order"))["n"] or 0) + 1
    return record_create(
        actor=actor,
        model=Criterion,
        fields={"phase": phase, "order": order, "text": _text(text, "text", limit=300)},
        allowed=("phase", "order", "text"),
    )


def criterion_delete(*, actor: Any, criterion: Criterion) -> None:
    _editable(criterion.phase.methodology_version)
    record_delete(actor=actor, obj=criterion)


def version_publish(*, actor: Any, version: MethodologyVersion, notes: str = "") -> MethodologyVersion:
    """Publish a draft: from now on it is immutable and offered to new projects. It needs at least one phase, and
    every phase a gate checklist of at least one criterion."""
    require(actor, "publish_version", version)
    _editable(version)
    phases = list(version.phases.prefetch_related("criteria"))
    if not phases:
        raise ValidationFailed({"phases": "Add at least one phase before publishing."})
    empty = [p.name for p in phases if not p.criteria.all()]
    if empty:
        raise ValidationFailed({"criteria": f"Give each gate at least one criterion; missing: {', '.join(empty)}."})
    return record_update(
        actor=actor,
        obj=version,
        changes={
            "state": MethodologyVersion.State.PUBLISHED,
            "published_at": timezone.now(),
            "published_by": _user(actor),
            "notes": (notes or version.notes).strip(),
        },
        allowed=("state", "published_at", "published_by", "notes"),
        action="publish_version",
        comment="Published",
    )
