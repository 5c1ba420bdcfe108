"""Writes: the template and policy library, a project's documents and their versions (text or file), review
and approval by the named approvers (the sponsor for the charter), and baselines. Every function checks the
caller first, so a refused call changes nothing, and audits what it writes."""

from __future__ import annotations

import hashlib
import mimetypes
import os
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_valid_filename

from pmo.changes.services import notify
from pmo.core.access import SYSTEM, SystemActor, can, require
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.services import record_create, record_delete, record_update
from pmo.documents import fields
from pmo.documents.models import (
    Document,
    DocumentApproval,
    DocumentBaseline,
    DocumentTemplate,
    DocumentVersion,
    Kind,
    Status,
    TemplateVersion,
)
from pmo.portfolio.models import Project
from pmo.resources.models import Person

MAX_UPLOAD_BYTES = getattr(settings, "PMO_DOCUMENT_MAX_BYTES", 20 * 1024 * 1024)
ALLOWED_EXTENSIONS = (
    ".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".txt", ".md", ".csv", ".png", ".jpg", ".jpeg",
    ".svg", ".xml", ".mpp", ".zip",
)  # fmt: skip
MAX_TEXT_CHARS = 500_000
TEMPLATE_FIELDS = ("name", "kind", "description", "body", "number", "active")
DOCUMENT_FIELDS = ("project", "title", "kind", "template", "description", "status", "created_by")


def _user(actor: Any) -> Any:
    return None if isinstance(actor, SystemActor) or getattr(actor, "pk", None) is None else actor


def _person_user(person: Any) -> Any:
    return person.user if person is not None and person.user_id else None


def _clean_text(value: str | None, field: str, *, required: bool = True, limit: int = 200) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationFailed({field: "This field is required."})
    if len(text) > limit:
        raise ValidationFailed({field: f"At most {limit} characters (this has {len(text)})."})
    return text


def _newlines(text: str) -> str:
    """Browsers send CRLF from text areas; versions keep plain newlines so that diffs compare lines."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _kind(value: str | None, field: str = "kind") -> str:
    if value not in Kind.values:
        raise ValidationFailed({field: f"Unknown kind {value!r}: one of {', '.join(Kind.values)}."})
    return str(value)


# --- the template and policy library --------------------------------------------------------------------


def template_create(
    *, actor: Any, name: str, kind: str, body: str, description: str = "", note: str = ""
) -> DocumentTemplate:
    """Add a template (or a policy) to the library, as its version 1."""
    require(actor, "add", DocumentTemplate)
    values = {
        "name": _clean_text(name, "name"),
        "kind": _kind(kind),
        "description": (description or "").strip(),
        "body": _newlines(body or ""),
        "number": 1,
    }
    if kind != Kind.POLICY:
        fields.check_body(values["body"])
    elif not values["body"].strip():
        raise ValidationFailed({"body": "Write the policy's text."})
    if DocumentTemplate.objects.filter(name__iexact=values["name"]).exists():
        raise ValidationFailed({"name": f"The library already has a template named {values['name']!r}."})
    with transaction.atomic():
        template = record_create(actor=actor, model=DocumentTemplate, fields=values, allowed=TEMPLATE_FIELDS)
        record_create(
            actor=actor,
            model=TemplateVersion,
            fields={
                "template": template,
                "number": 1,
                "body": values["body"],
                "note": note[:300] or "First version",
                "author": _user(actor),
            },
            allowed=("template", "number", "body", "note", "author"),
        )
    return template


def template_update(
    *,
    actor: Any,
    template: DocumentTemplate,
    body: str | None = None,
    note: str = "",
    expected_version: int | None = None,
    **changes: Any,
) -> DocumentTemplate:
    """Change a template: a new text is saved as its next version (the earlier ones stay readable); name, kind,
    description and `active` change in place."""
    require(actor, "change", template)
    unknown = set(changes) - {"name", "kind", "description", "active"}
    if unknown:
        raise ValidationFailed({name: "This field cannot be set here." for name in sorted(unknown)})
    if "name" in changes:
        changes["name"] = _clean_text(changes["name"], "name")
        if DocumentTemplate.objects.filter(name__iexact=changes["name"]).exclude(pk=template.pk).exists():
            raise ValidationFailed({"name": f"The library already has a template named {changes['name']!r}."})
    if "kind" in changes:
        changes["kind"] = _kind(changes["kind"])
    kind = changes.get("kind", template.kind)
    body = _newlines(body) if body is not None else None
    new_text = body is not None and body != template.body
    if body is not None:
        if kind != Kind.POLICY:
            fields.check_body(body)
        elif not body.strip():
            raise ValidationFailed({"body": "Write the policy's text."})
    with transaction.atomic():
        if new_text:
            number = (template.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            changes.update({"body": body, "number": number})
            record_create(
                actor=actor,
                model=TemplateVersion,
                fields={
                    "template": template,
                    "number": number,
                    "body": body,
                    "note": note[:300],
                    "author": _user(actor),
                },
                allowed=("template", "number", "body", "note", "author"),
            )
        return record_update(
            actor=actor,
            obj=template,
            changes=changes,
            allowed=TEMPLATE_FIELDS,
            expected_version=expected_version,
            comment=note[:300],
        )


def template_fill(*, template: DocumentTemplate, project: Project) -> str:
    """The template's text with the project's fields filled in (policies are returned as they are)."""
    if template.is_policy:
        return template.body
    return fields.fill(template.body, fields.project_context(project))


# --- versions: text or files -----------------------------------------------------------------------------


def _check_upload(upload: Any) -> tuple[str, str]:
    """The upload's safe file name and extension; ValidationFailed on the `file` field when it breaks a limit."""
    name = os.path.basename(getattr(upload, "name", "") or "")
    if not name:
        raise ValidationFailed({"file": "Choose a file to upload."})
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationFailed(
            {
                "file": f"Files of type {extension or '(none)'} are not accepted. "
                f"Allowed: {', '.join(ALLOWED_EXTENSIONS)}."
            }
        )
    size = getattr(upload, "size", 0) or 0
    if size == 0:
        raise ValidationFailed({"file": f"{name} is empty."})
    if size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(
            {"file": f"{name} is {size / 1048576:.1f} MB; the limit is {MAX_UPLOAD_BYTES / 1048576:.0f} MB."}
        )
    return get_valid_filename(name)[:150] or f"file{extension}", extension


def _content_type(upload: Any, filename: str) -> str:
    """The type the browser gave, else the one its name says."""
    given = getattr(upload, "content_type", "") or ""
    if given and given != "application/octet-stream":
        return str(given)[:100]
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"


def _add_version(*, actor: Any, document: Document, text: str | None, upload: Any, note: str) -> DocumentVersion:
    """Write the next version of `document` (inside the caller's transaction; permission already checked)."""
    if (text is None) == (upload is None):
        raise ValidationFailed({"text": "Give either the text of the version or a file to upload, not both."})
    number = (DocumentVersion.objects.filter(document=document).aggregate(n=Max("number"))["n"] or 0) + 1
    values: dict[str, Any] = {
        "document": document,
        "number": number,
        "note": (note or "").strip()[:300],
        "status": Status.DRAFT,
        "author": _user(actor),
    }
    if upload is not None:
        filename, _extension = _check_upload(upload)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        path = default_storage.save(f"documents/{document.project.code}/{document.pk}/v{number}/{filename}", upload)
        values.update(
            {
                "file": path,
                "filename": filename,
                "content_type": _content_type(upload, filename),
                "size": upload.size,
                "sha256": digest.hexdigest(),
            }
        )
        try:
            return record_create(actor=actor, model=DocumentVersion, fields=values, allowed=values.keys())
        except Exception:
            default_storage.delete(path)
            raise
    body = _newlines(text or "")
    if not body.strip():
        raise ValidationFailed({"text": "Write the text of the version."})
    if len(body) > MAX_TEXT_CHARS:
        raise ValidationFailed({"text": f"At most {MAX_TEXT_CHARS:,} characters; upload a file for longer texts."})
    encoded = body.encode()
    values.update(
        {
            "text": body,
            "size": len(encoded),
            "sha256": hashlib.sha256(encoded).hexdigest(),
            "content_type": "text/markdown",
        }
    )
    return record_create(actor=actor, model=DocumentVersion, fields=values, allowed=values.keys())


def _people(ids_or_people: Iterable[Any], field: str = "approvers") -> list[Person]:
    people: list[Person] = []
    ids: list[int] = []
    for item in ids_or_people:
        if isinstance(item, Person):
            people.append(item)
        else:
            ids.append(int(item))
    if ids:
        found = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
        missing = sorted(set(ids) - set(found))
        if missing:
            raise ValidationFailed({field: f"No person with id {', '.join(map(str, missing))}."})
        people.extend(found[i] for i in ids)
    unique = {p.pk: p for p in people}
    return list(unique.values())


def document_create(
    *,
    actor: Any,
    project: Project,
    title: str,
    kind: str = Kind.DELIVERABLE,
    description: str = "",
    template: DocumentTemplate | None = None,
    text: str | None = None,
    upload: Any = None,
    note: str = "",
    approvers: Iterable[Any] = (),
) -> Document:
    """Add a document to a project with its first version: the given text, an uploaded file, or (neither
    given) the template's text filled with the project's data."""
    require(actor, "add", Document(project=project))
    values = {
        "project": project,
        "title": _clean_text(title, "title"),
        "kind": _kind(kind),
        "template": template,
        "description": (description or "").strip(),
        "status": Status.DRAFT,
        "created_by": _user(actor),
    }
    if kind == Kind.POLICY:
        raise ValidationFailed({"kind": "Policies live in the template library, not in a project."})
    if template is not None and template.is_policy:
        raise ValidationFailed({"template": "A policy is read as it is; choose a template."})
    if kind == Kind.CHARTER and _charter_of(project) is not None:
        raise ValidationFailed({"kind": f"{project.code} already has a charter: add a version to it instead."})
    if text is None and upload is None:
        if template is None:
            raise ValidationFailed({"text": "Write the first version's text, upload a file or choose a template."})
        text = template_fill(template=template, project=project)
        note = note or f"Produced from the template {template.name} v{template.number}"
    people = _people(approvers)
    with transaction.atomic():
        document = record_create(
            actor=actor, model=Document, fields=values, allowed=DOCUMENT_FIELDS, m2m={"approvers": people}
        )
        _add_version(actor=actor, document=document, text=text, upload=upload, note=note or "First version")
    return document


def _charter_of(project: Project) -> Document | None:
    return Document.objects.filter(project=project, kind=Kind.CHARTER).exclude(status=Status.SUPERSEDED).first()


def charter_template() -> DocumentTemplate | None:
    """The library's charter template (the active one most recently changed)."""
    return DocumentTemplate.objects.filter(kind=Kind.CHARTER, active=True).order_by("-updated_at", "-id").first()


def charter_generate(*, actor: Any, project: Project, template: DocumentTemplate | None = None) -> Document:
    """Produce the project's charter from the charter template, filled with the project's data; its sponsor is
    its approver. Refused when the project already has a charter."""
    require(actor, "add", Document(project=project))
    existing = _charter_of(project)
    if existing is not None:
        raise Conflict(f"{project.code} already has a charter (version {existing.versions.count()}): edit it instead.")
    template = template or charter_template()
    if template is None:
        raise ValidationFailed({"template": "The library has no charter template: ask the PMO to add one."})
    if template.kind != Kind.CHARTER:
        raise ValidationFailed({"template": f"{template.name} is not a charter template."})
    return document_create(
        actor=actor,
        project=project,
        title="Project charter",
        kind=Kind.CHARTER,
        template=template,
        description=f"The charter of {project}, produced from {template.name}.",
        approvers=[project.sponsor] if project.sponsor_id else [],
    )


def document_version_add(
    *,
    actor: Any,
    document: Document,
    text: str | None = None,
    upload: Any = None,
    note: str = "",
    expected_version: int | None = None,
) -> DocumentVersion:
    """Save a new version (text or file). The document goes back to draft; its approved version stays approved
    (and in its baselines) until the new one is approved. Refused while it is in review or superseded."""
    require(actor, "change", document)
    with transaction.atomic():
        document = Document.objects.select_for_update(of=("self",)).select_related("project").get(pk=document.pk)
        if expected_version is not None and document.version != expected_version:
            raise Conflict(
                f"{document} was changed by someone else (you edited version {expected_version}, "
                f"it is now version {document.version}): reload it first."
            )
        if document.status == Status.IN_REVIEW:
            raise Conflict(f"{document} is in review: wait for the approvers' decision or withdraw it first.")
        if document.status == Status.SUPERSEDED:
            raise Conflict(f"{document} is superseded: it takes no new versions.")
        version = _add_version(actor=actor, document=document, text=text, upload=upload, note=note)
        for earlier in DocumentVersion.objects.filter(document=document, status=Status.DRAFT).exclude(pk=version.pk):
            record_update(
                actor=actor,
                obj=earlier,
                changes={"status": Status.SUPERSEDED},
                allowed=("status",),
                comment=f"Superseded by version {version.number}",
            )
        record_update(
            actor=actor,
            obj=document,
            changes={"status": Status.DRAFT},
            allowed=("status",),
            comment=f"Version {version.number} saved",
        )
    return version


def document_update(
    *,
    actor: Any,
    document: Document,
    expected_version: int | None = None,
    approvers: Iterable[Any] | None = None,
    **changes: Any,
) -> Document:
    """Change a document's title, kind, description or approvers (not while it is in review)."""
    require(actor, "change", document)
    unknown = set(changes) - {"title", "kind", "description"}
    if unknown:
        raise ValidationFailed({name: "This field cannot be set here." for name in sorted(unknown)})
    if "title" in changes:
        changes["title"] = _clean_text(changes["title"], "title")
    if "kind" in changes:
        changes["kind"] = _kind(changes["kind"])
        if changes["kind"] != document.kind and Kind.CHARTER in (changes["kind"], document.kind):
            raise ValidationFailed({"kind": "A charter stays a charter, and only the charter is one."})
    if document.status == Status.IN_REVIEW and approvers is not None:
        raise Conflict(f"{document} is in review: its approvers change once the review is over.")
    people = _people(approvers) if approvers is not None else None
    return record_update(
        actor=actor,
        obj=document,
        changes=changes,
        allowed=("title", "kind", "description"),
        expected_version=expected_version,
        m2m={"approvers": people} if people is not None else None,
    )


# --- review and approval ---------------------------------------------------------------------------------


def _latest(document: Document) -> DocumentVersion | None:
    return DocumentVersion.objects.filter(document=document).order_by("-number").first()


def _doc_url(document: Document) -> str:
    return reverse("document-detail", args=[document.pk])


def document_submit(
    *, actor: Any, document: Document, approvers: Iterable[Any] | None = None, comment: str = ""
) -> Document:
    """Submit the latest version for review by the document's approvers (given here or named before; the
    project's sponsor for the charter). Each one is notified and approves or rejects it."""
    require(actor, "submit", document)
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(of=("self",)).select_related("project__sponsor").get(pk=document.pk)
        )
        project = document.project
        if document.status != Status.DRAFT:
            raise Conflict(
                f"{document} is {document.get_status_display().lower()}: only a draft is submitted "
                "(save a new version first)."
            )
        version = _latest(document)
        if version is None:
            raise ValidationFailed({"text": "Save a version before submitting it."})
        if document.is_charter:
            if not project.sponsor_id:
                raise ValidationFailed(
                    {
                        "approvers": f"{project.code} has no sponsor: the charter is approved by the sponsor, "
                        "set one on the project first."
                    }
                )
            people = [project.sponsor]
        elif approvers is not None:
            people = _people(approvers)
        else:
            people = list(document.approvers.all())
        if not people:
            raise ValidationFailed({"approvers": "Name at least one approver."})
        unable = [p.name for p in people if not _can_sign_in(p)]
        if unable:
            raise ValidationFailed(
                {
                    "approvers": f"{', '.join(unable)} cannot sign in to pmo to read and approve it: "
                    "give them an account with a role first, or name someone else."
                }
            )
        record_update(
            actor=actor,
            obj=document,
            changes={"status": Status.IN_REVIEW},
            allowed=("status",),
            m2m={"approvers": people},
            comment=comment or f"Version {version.number} submitted for review",
            action="submit",
        )
        record_update(
            actor=actor, obj=version, changes={"status": Status.IN_REVIEW}, allowed=("status",), action="submit"
        )
        for person in people:
            current = DocumentApproval.objects.filter(document_version=version, approver=person).first()
            if current is None:
                record_create(
                    actor=actor,
                    model=DocumentApproval,
                    fields={"document": document, "document_version": version, "approver": person},
                    allowed=("document", "document_version", "approver"),
                )
            else:
                record_update(
                    actor=actor,
                    obj=current,
                    changes={"decision": DocumentApproval.Decision.PENDING, "comment": "", "decided_at": None},
                    allowed=("decision", "comment", "decided_at"),
                    action="submit",
                )
        dropped = DocumentApproval.objects.filter(
            document_version=version, decision=DocumentApproval.Decision.PENDING
        ).exclude(approver__in=people)
        for approval in dropped:  # approvers no longer named on this round
            record_delete(actor=actor, obj=approval)
        users = [_person_user(p) for p in people]
        message = f"{project.code}: {document} v{version.number} waits for your approval."
        url = _doc_url(document)
        transaction.on_commit(lambda: notify(users=users, message=message, url=url, kind="approval"))
    return document


def _can_sign_in(person: Person) -> bool:
    user = person.user if person.user_id else None
    return user is not None and user.is_active and can(user, "view", Document)


def document_withdraw(*, actor: Any, document: Document, comment: str = "") -> Document:
    """Take a document out of review (back to draft); the approvers' pending decisions lapse."""
    require(actor, "submit", document)
    with transaction.atomic():
        document = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
        if document.status != Status.IN_REVIEW:
            raise Conflict(f"{document} is not in review.")
        version = _latest(document)
        if version is not None:
            record_update(
                actor=actor, obj=version, changes={"status": Status.DRAFT}, allowed=("status",), action="submit"
            )
        return record_update(
            actor=actor,
            obj=document,
            changes={"status": Status.DRAFT},
            allowed=("status",),
            comment=comment or "Withdrawn from review",
            action="submit",
        )


def document_decide(*, actor: Any, document: Document, decision: str, comment: str = "") -> DocumentApproval:
    """An approver approves or rejects the version under review. When every approver has approved, the version
    is approved (the earlier approved one superseded) and, for the charter, its text becomes the project's
    charter. One rejection (a comment is required) sends the document back to draft."""
    if decision not in ("approve", "reject", "approved", "rejected"):
        raise ValidationFailed({"decision": "Either approve or reject."})
    approve = decision in ("approve", "approved")
    document.refresh_from_db(fields=["status"])
    require(actor, "sign", document)
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationFailed({"comment": "Say why it is rejected, so that its author knows what to change."})
    with transaction.atomic():
        document = (
            Document.objects.select_for_update(of=("self",)).select_related("project__manager").get(pk=document.pk)
        )
        if document.status != Status.IN_REVIEW:
            raise Conflict(f"{document} is not in review.")
        version = _latest(document)
        assert version is not None
        approval = DocumentApproval.objects.filter(
            document_version=version, approver_id=_person_id(actor), decision=DocumentApproval.Decision.PENDING
        ).first()
        if approval is None:
            raise Conflict(f"You have no pending decision on {document} v{version.number}.")
        project = document.project
        others_pending = (
            DocumentApproval.objects.filter(document_version=version, approver__in=document.approvers.all())
            .exclude(pk=approval.pk)
            .exclude(decision=DocumentApproval.Decision.APPROVED)
            .exists()
        )
        # The document and version first, while this approval is still pending (the rule that lets the approver
        # write them), the approval last.
        if not approve:
            record_update(
                actor=actor, obj=version, changes={"status": Status.DRAFT}, allowed=("status",), action="sign"
            )
            record_update(
                actor=actor,
                obj=document,
                changes={"status": Status.DRAFT},
                allowed=("status",),
                comment=f"Version {version.number} rejected: {comment}",
                action="sign",
            )
        elif not others_pending:
            previous = document.approved_version
            if previous is not None and previous.status == Status.APPROVED:
                record_update(
                    actor=actor, obj=previous, changes={"status": Status.SUPERSEDED}, allowed=("status",), action="sign"
                )
            record_update(
                actor=actor, obj=version, changes={"status": Status.APPROVED}, allowed=("status",), action="sign"
            )
            record_update(
                actor=actor,
                obj=document,
                changes={"status": Status.APPROVED, "approved_version": version},
                allowed=("status", "approved_version"),
                comment=f"Version {version.number} approved",
                action="sign",
            )
        approval = record_update(
            actor=actor,
            obj=approval,
            changes={
                "decision": DocumentApproval.Decision.APPROVED if approve else DocumentApproval.Decision.REJECTED,
                "comment": comment,
                "decided_at": timezone.now(),
            },
            allowed=("decision", "comment", "decided_at"),
            action="sign",
        )
        if approve and not others_pending and document.is_charter:
            from pmo.portfolio.services import project_update

            project_update(
                actor=actor if can(actor, "change", project) else SYSTEM, project=project, charter=version.text
            )
        verb = "approved" if approve else "rejected"
        final = not approve or not others_pending
        if final:
            users = [document.created_by, _person_user(project.manager)]
            message = f"{project.code}: {document} v{version.number} {verb} by {approval.approver}."
            if not approve:
                message += f" {comment}"
            url = _doc_url(document)
            transaction.on_commit(lambda: notify(users=users, message=message, url=url, kind="approval"))
    return approval


def _person_id(actor: Any) -> int | None:
    from pmo.core.access import person_id_of

    return person_id_of(actor)


def document_supersede(*, actor: Any, document: Document, comment: str = "") -> Document:
    """Retire a document (replaced by another, or no longer needed): it stays readable, with all its versions,
    and takes no new ones."""
    require(actor, "change", document)
    with transaction.atomic():
        document = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
        if document.status == Status.SUPERSEDED:
            raise Conflict(f"{document} is already superseded.")
        if document.status == Status.IN_REVIEW:
            raise Conflict(f"{document} is in review: withdraw it first.")
        for version in document.versions.filter(status__in=(Status.DRAFT, Status.APPROVED)):
            record_update(actor=actor, obj=version, changes={"status": Status.SUPERSEDED}, allowed=("status",))
        return record_update(
            actor=actor,
            obj=document,
            changes={"status": Status.SUPERSEDED},
            allowed=("status",),
            comment=comment or "Superseded",
        )


def document_delete(*, actor: Any, document: Document) -> None:
    """Delete a document that was never approved (a draft added by mistake), its versions and files with it.
    A document once approved stays: supersede it instead."""
    require(actor, "delete", document)
    if document.status == Status.IN_REVIEW:
        raise Conflict(f"{document} is in review: withdraw it first.")
    with transaction.atomic():
        versions = list(DocumentVersion.objects.filter(document=document))
        paths = [v.file.name for v in versions if v.file]
        for approval in DocumentApproval.objects.filter(document=document):
            record_delete(actor=actor, obj=approval)
        for version in versions:
            record_delete(actor=actor, obj=version)
        record_delete(actor=actor, obj=document)
        transaction.on_commit(lambda: [default_storage.delete(path) for path in paths])


# --- baselines ---------------------------------------------------------------------------------------------


def documents_baseline(*, actor: Any, project: Project, label: str, note: str = "") -> DocumentBaseline:
    """Freeze the approved version of each of the project's documents under `label` (a gate's name): the set
    is kept as it is, and those documents become baselined. An empty set is allowed and recorded."""
    require(actor, "add", DocumentBaseline(project=project))
    label = _clean_text(label, "label")
    with transaction.atomic():
        documents = list(
            Document.objects.select_for_update(of=("self",))
            .filter(project=project, approved_version__isnull=False)
            .exclude(status=Status.SUPERSEDED)
            .select_related("approved_version")
            .order_by("pk")
        )
        versions = [d.approved_version for d in documents if d.approved_version is not None]
        baseline = record_create(
            actor=actor,
            model=DocumentBaseline,
            fields={"project": project, "label": label, "note": (note or "").strip(), "created_by": _user(actor)},
            allowed=("project", "label", "note", "created_by"),
            m2m={"versions": versions},
            comment=f"{len(versions)} document version{'s' if len(versions) != 1 else ''} frozen",
        )
        for document in documents:
            version = document.approved_version
            assert version is not None
            if version.status != Status.BASELINED:
                record_update(actor=actor, obj=version, changes={"status": Status.BASELINED}, allowed=("status",))
            if document.status == Status.APPROVED:
                record_update(
                    actor=actor,
                    obj=document,
                    changes={"status": Status.BASELINED},
                    allowed=("status",),
                    comment=f"Baselined: {label}",
                )
    return baseline


def version_content(version: DocumentVersion) -> bytes:
    """The bytes of a version: its file, or its text as UTF-8."""
    if version.file:
        with default_storage.open(version.file.name, "rb") as handle:
            return bytes(handle.read())
    return version.text.encode()


def text_upload(name: str, text: str) -> ContentFile:
    """An in-memory upload (for the demo and tests)."""
    return ContentFile(text.encode(), name=name)


__all__: Sequence[str] = (
    "charter_generate",
    "document_create",
    "document_decide",
    "document_delete",
    "document_submit",
    "document_supersede",
    "document_update",
    "document_version_add",
    "document_withdraw",
    "documents_baseline",
    "template_create",
    "template_fill",
    "template_update",
)
