"""The API of documents: the template and policy library, a project's documents and charter, versions (JSON
text or a multipart upload), submission, approval or rejection by the named approvers, baselines and the
download of any version."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from pmo.api.schemas import ERRORS, CodeRef, Ref, code_ref, ref
from pmo.core.access import can
from pmo.core.errors import ValidationFailed
from pmo.documents import fields, selectors, services
from pmo.documents.downloads import download_response
from pmo.documents.models import (
    Document,
    DocumentApproval,
    DocumentBaseline,
    DocumentTemplate,
    DocumentVersion,
    Kind,
    Status,
)
from pmo.portfolio.models import Project

router = Router(tags=["Documents"])


def _project(request: HttpRequest, pk: int) -> Project:
    project = Project.objects.select_related("sponsor", "manager", "portfolio").filter(pk=pk).first()
    if project is None or not can(request.user, "view", project) or not selectors.sees_documents(request.user):
        raise Http404(f"No project with id {pk}.")
    return project


def _document(request: HttpRequest, pk: int) -> Document:
    document = Document.objects.select_related("project", "template", "approved_version").filter(pk=pk).first()
    if document is None or not can(request.user, "view", document):
        raise Http404(f"No document with id {pk}.")
    return document


def _template(request: HttpRequest, pk: int) -> DocumentTemplate:
    template = DocumentTemplate.objects.filter(pk=pk).first()
    if template is None or not can(request.user, "view", template):
        raise Http404(f"No template with id {pk}.")
    return template


def _version(document: Document, number: int) -> DocumentVersion:
    version = DocumentVersion.objects.filter(document=document, number=number).first()
    if version is None:
        raise Http404(f"{document} has no version {number}.")
    return version


# --- the library -------------------------------------------------------------------------------------------


class TemplateVersionOut(Schema):
    number: int
    note: str
    author: str
    created_at: dt.datetime


class TemplateOut(Schema):
    id: int
    name: str
    kind: Kind
    is_policy: bool
    description: str
    body: str
    number: int = Field(description="The number of its latest version")
    active: bool
    version: int
    url: str


class TemplateDetailOut(TemplateOut):
    versions: list[TemplateVersionOut]


def template_out(t: DocumentTemplate) -> dict[str, Any]:
    return {
        "id": t.pk,
        "name": t.name,
        "kind": t.kind,
        "is_policy": t.is_policy,
        "description": t.description,
        "body": t.body,
        "number": t.number,
        "active": t.active,
        "version": t.version,
        "url": f"/document-templates/{t.pk}/",
    }


class TemplateIn(Schema):
    name: str
    kind: Kind
    body: str
    description: str = ""
    note: str = ""


class TemplatePatch(Schema):
    name: str | None = None
    kind: Kind | None = None
    description: str | None = None
    active: bool | None = None
    body: str | None = Field(None, description="A new text: saved as the template's next version")
    note: str = ""
    version: int | None = Field(None, description="The version you edited (409 if someone changed it since)")


class FieldOut(Schema):
    name: str
    description: str


@router.get(
    "/document-templates",
    response={200: list[TemplateOut], **ERRORS},
    summary="The template and policy library",
    operation_id="document_templates_list",
)
def templates_list(request: HttpRequest, kind: str = "", include_retired: bool = False) -> Any:
    templates = selectors.library(include_retired=include_retired)
    if kind:
        templates = templates.filter(kind=kind)
    if not can(request.user, "view", DocumentTemplate):
        raise Http404("No template library.")
    return [template_out(t) for t in templates]


@router.get(
    "/document-templates/fields",
    response={200: list[FieldOut], **ERRORS},
    summary="The project fields a template may use, such as {{ project.name }}",
    operation_id="document_template_fields",
)
def template_fields(request: HttpRequest) -> Any:
    if not can(request.user, "view", DocumentTemplate):
        raise Http404("No template library.")
    return [{"name": name, "description": text} for name, text in fields.FIELDS.items()]


@router.post(
    "/document-templates",
    response={201: TemplateDetailOut, **ERRORS},
    summary="Add a template or policy to the library (PMO director and analysts)",
    operation_id="document_templates_create",
)
def templates_create(request: HttpRequest, payload: TemplateIn) -> Any:
    template = services.template_create(actor=request.user, **payload.dict())
    return 201, template_detail_out(template)


def template_detail_out(t: DocumentTemplate) -> dict[str, Any]:
    versions = t.versions.select_related("author").order_by("-number")
    return {
        **template_out(t),
        "versions": [
            {
                "number": v.number,
                "note": v.note,
                "author": v.author.get_username() if v.author else "system",
                "created_at": v.created_at,
            }
            for v in versions
        ],
    }


@router.get(
    "/document-templates/{int:pk}",
    response={200: TemplateDetailOut, **ERRORS},
    summary="A template or policy with its versions",
    operation_id="document_templates_get",
)
def templates_get(request: HttpRequest, pk: int) -> Any:
    return template_detail_out(_template(request, pk))


@router.patch(
    "/document-templates/{int:pk}",
    response={200: TemplateDetailOut, **ERRORS},
    summary="Change a template: a new body is saved as its next version",
    operation_id="document_templates_update",
)
def templates_update(request: HttpRequest, pk: int, payload: TemplatePatch) -> Any:
    template = _template(request, pk)
    data = payload.dict(exclude_unset=True)
    expected = data.pop("version", None)
    note = data.pop("note", "")
    changes = {k: v for k, v in data.items() if v is not None}
    template = services.template_update(
        actor=request.user, template=template, expected_version=expected, note=note, **changes
    )
    return template_detail_out(template)


class FilledOut(Schema):
    template: str
    project: str
    text: str


@router.get(
    "/document-templates/{int:pk}/fill",
    response={200: FilledOut, **ERRORS},
    summary="Preview a template filled with a project's data",
    operation_id="document_templates_fill",
)
def templates_fill(request: HttpRequest, pk: int, project_id: int) -> Any:
    template = _template(request, pk)
    project = _project(request, project_id)
    return {
        "template": template.name,
        "project": project.code,
        "text": services.template_fill(template=template, project=project),
    }


# --- documents ---------------------------------------------------------------------------------------------


class DocumentVersionOut(Schema):
    number: int
    status: Status
    note: str
    kind: str = Field(description='"text" or "file"')
    filename: str
    content_type: str
    size: int
    sha256: str
    author: str
    created_at: dt.datetime
    download_url: str


class ApprovalOut(Schema):
    approver: Ref
    version: int
    decision: DocumentApproval.Decision
    comment: str
    decided_at: dt.datetime | None


class DocumentOut(Schema):
    id: int
    project: CodeRef
    title: str
    kind: Kind
    template: Ref | None
    description: str
    status: Status
    latest_version: int | None
    approved_version: int | None
    approvers: list[Ref]
    version: int
    url: str


class DocumentDetailOut(DocumentOut):
    versions: list[DocumentVersionOut]
    approvals: list[ApprovalOut]


def version_out(v: DocumentVersion) -> dict[str, Any]:
    return {
        "number": v.number,
        "status": v.status,
        "note": v.note,
        "kind": "file" if v.file else "text",
        "filename": v.filename,
        "content_type": v.content_type,
        "size": v.size,
        "sha256": v.sha256,
        "author": v.author.get_username() if v.author else "system",
        "created_at": v.created_at,
        "download_url": f"/api/v1/documents/{v.document_id}/versions/{v.number}/download",
    }


def document_out(d: Document) -> dict[str, Any]:
    versions = list(d.versions.all())
    return {
        "id": d.pk,
        "project": code_ref(d.project),
        "title": d.title,
        "kind": d.kind,
        "template": ref(d.template),
        "description": d.description,
        "status": d.status,
        "latest_version": max((v.number for v in versions), default=None),
        "approved_version": d.approved_version.number if d.approved_version_id and d.approved_version else None,
        "approvers": [ref(p) for p in d.approvers.all()],
        "version": d.version,
        "url": f"/documents/{d.pk}/",
    }


def document_detail_out(d: Document) -> dict[str, Any]:
    approvals = d.approvals.select_related("approver", "document_version").order_by("-document_version__number")
    return {
        **document_out(d),
        "versions": [version_out(v) for v in d.versions.select_related("author").order_by("-number")],
        "approvals": [
            {
                "approver": ref(a.approver),
                "version": a.document_version.number,
                "decision": a.decision,
                "comment": a.comment,
                "decided_at": a.decided_at,
            }
            for a in approvals
        ],
    }


class DocumentIn(Schema):
    title: str
    kind: Kind = Kind.DELIVERABLE
    description: str = ""
    template_id: int | None = Field(None, description="Fill the first version from this template")
    text: str | None = Field(None, description="The first version's text (or leave empty and give a template)")
    note: str = ""
    approver_ids: list[int] = []


class DocumentPatch(Schema):
    title: str | None = None
    kind: Kind | None = None
    description: str | None = None
    approver_ids: list[int] | None = None
    version: int | None = None


class DocumentFilter(Schema):
    status: Status | None = None
    kind: Kind | None = None


@router.get(
    "/projects/{int:pk}/documents",
    response={200: list[DocumentOut], **ERRORS},
    summary="A project's documents and deliverables",
    operation_id="project_documents_list",
)
def documents_list(request: HttpRequest, pk: int, filters: Query[DocumentFilter]) -> Any:  # type: ignore[type-arg]
    project = _project(request, pk)
    documents = selectors.documents_of(project)
    if filters.status:
        documents = documents.filter(status=filters.status)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    return [document_out(d) for d in documents]


@router.post(
    "/projects/{int:pk}/documents",
    response={201: DocumentDetailOut, **ERRORS},
    summary="Add a document with its first version (text, or a template filled with the project's data)",
    operation_id="project_documents_create",
)
def documents_create(request: HttpRequest, pk: int, payload: DocumentIn) -> Any:
    project = _project(request, pk)
    template = None
    if payload.template_id is not None:
        template = DocumentTemplate.objects.filter(pk=payload.template_id).first()
        if template is None:
            raise ValidationFailed({"template_id": f"No template with id {payload.template_id}."})
    document = services.document_create(
        actor=request.user,
        project=project,
        title=payload.title,
        kind=payload.kind,
        description=payload.description,
        template=template,
        text=payload.text,
        note=payload.note,
        approvers=payload.approver_ids,
    )
    return 201, document_detail_out(document)


@router.post(
    "/projects/{int:pk}/documents/upload",
    response={201: DocumentDetailOut, **ERRORS},
    summary="Add a document whose first version is an uploaded file (multipart)",
    operation_id="project_documents_upload",
)
def documents_upload(
    request: HttpRequest,
    pk: int,
    title: Form[str],  # type: ignore[type-arg]
    file: UploadedFile = File(...),  # noqa: B008
    kind: Form[str] = Kind.DELIVERABLE,  # type: ignore[type-arg]
    description: Form[str] = "",  # type: ignore[type-arg]
    note: Form[str] = "",  # type: ignore[type-arg]
) -> Any:
    project = _project(request, pk)
    document = services.document_create(
        actor=request.user, project=project, title=title, kind=kind, description=description, upload=file, note=note
    )
    return 201, document_detail_out(document)


@router.post(
    "/projects/{int:pk}/charter",
    response={201: DocumentDetailOut, **ERRORS},
    summary="Produce the project's charter from the charter template (its sponsor approves it)",
    operation_id="project_charter_generate",
)
def charter_generate(request: HttpRequest, pk: int) -> Any:
    project = _project(request, pk)
    return 201, document_detail_out(services.charter_generate(actor=request.user, project=project))


@router.get(
    "/projects/{int:pk}/charter",
    response={200: DocumentDetailOut, **ERRORS},
    summary="The project's charter",
    operation_id="project_charter_get",
)
def charter_get(request: HttpRequest, pk: int) -> Any:
    project = _project(request, pk)
    charter = selectors.charter_of(project)
    if charter is None:
        raise Http404(f"{project.code} has no charter yet: POST to produce it from the template.")
    return document_detail_out(charter)


@router.get(
    "/documents/{int:pk}",
    response={200: DocumentDetailOut, **ERRORS},
    summary="A document with its versions and approvals",
    operation_id="documents_get",
)
def documents_get(request: HttpRequest, pk: int) -> Any:
    return document_detail_out(_document(request, pk))


@router.patch(
    "/documents/{int:pk}",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Change a document's title, kind, description or approvers",
    operation_id="documents_update",
)
def documents_update(request: HttpRequest, pk: int, payload: DocumentPatch) -> Any:
    document = _document(request, pk)
    data = payload.dict(exclude_unset=True)
    expected = data.pop("version", None)
    approvers = data.pop("approver_ids", None)
    changes = {k: v for k, v in data.items() if v is not None}
    document = services.document_update(
        actor=request.user, document=document, expected_version=expected, approvers=approvers, **changes
    )
    return document_detail_out(document)


@router.delete(
    "/documents/{int:pk}",
    response={204: None, **ERRORS},
    summary="Delete a document that was never approved (with its versions)",
    operation_id="documents_delete",
)
def documents_delete(request: HttpRequest, pk: int) -> Any:
    services.document_delete(actor=request.user, document=_document(request, pk))
    return 204, None


class TextVersionIn(Schema):
    text: str
    note: str = ""
    version: int | None = Field(None, description="The document version you edited (409 if changed since)")


@router.get(
    "/documents/{int:pk}/versions",
    response={200: list[DocumentVersionOut], **ERRORS},
    summary="A document's versions, newest first",
    operation_id="document_versions_list",
)
def versions_list(request: HttpRequest, pk: int) -> Any:
    document = _document(request, pk)
    return [version_out(v) for v in document.versions.select_related("author").order_by("-number")]


@router.post(
    "/documents/{int:pk}/versions",
    response={201: DocumentVersionOut, **ERRORS},
    summary="Save a new text version",
    operation_id="document_versions_add_text",
)
def versions_add_text(request: HttpRequest, pk: int, payload: TextVersionIn) -> Any:
    document = _document(request, pk)
    version = services.document_version_add(
        actor=request.user, document=document, text=payload.text, note=payload.note, expected_version=payload.version
    )
    return 201, version_out(version)


@router.post(
    "/documents/{int:pk}/versions/upload",
    response={201: DocumentVersionOut, **ERRORS},
    summary="Upload a file as the next version (multipart: file, note)",
    description=f"At most {services.MAX_UPLOAD_BYTES // 1048576} MB; types {', '.join(services.ALLOWED_EXTENSIONS)}.",
    operation_id="document_versions_upload",
)
def versions_upload(
    request: HttpRequest,
    pk: int,
    file: UploadedFile = File(...),  # noqa: B008
    note: Form[str] = "",  # type: ignore[type-arg]
) -> Any:
    document = _document(request, pk)
    version = services.document_version_add(actor=request.user, document=document, upload=file, note=note)
    return 201, version_out(version)


@router.get(
    "/documents/{int:pk}/versions/{int:number}/download",
    response={200: None, **ERRORS},
    summary="Download any version (its file, or its text as .md)",
    operation_id="document_versions_download",
)
def versions_download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document = _document(request, pk)
    return download_response(_version(document, number))


class SubmitIn(Schema):
    approver_ids: list[int] | None = Field(
        None, description="Who approves (default: the named approvers; the charter: the sponsor)"
    )
    comment: str = ""


class DocumentDecisionIn(Schema):
    comment: str = ""


@router.post(
    "/documents/{int:pk}/submit",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Submit the latest version for review by the approvers",
    operation_id="documents_submit",
)
def documents_submit(request: HttpRequest, pk: int, payload: SubmitIn) -> Any:
    document = _document(request, pk)
    services.document_submit(
        actor=request.user, document=document, approvers=payload.approver_ids, comment=payload.comment
    )
    return document_detail_out(_document(request, pk))


@router.post(
    "/documents/{int:pk}/withdraw",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Take a document out of review (back to draft)",
    operation_id="documents_withdraw",
)
def documents_withdraw(request: HttpRequest, pk: int, payload: DocumentDecisionIn) -> Any:
    document = _document(request, pk)
    services.document_withdraw(actor=request.user, document=document, comment=payload.comment)
    return document_detail_out(_document(request, pk))


@router.post(
    "/documents/{int:pk}/approve",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Approve the version under review (named approvers only; the sponsor for the charter)",
    operation_id="documents_approve",
)
def documents_approve(request: HttpRequest, pk: int, payload: DocumentDecisionIn) -> Any:
    document = _document(request, pk)
    services.document_decide(actor=request.user, document=document, decision="approve", comment=payload.comment)
    return document_detail_out(_document(request, pk))


@router.post(
    "/documents/{int:pk}/reject",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Reject the version under review, saying why (back to draft)",
    operation_id="documents_reject",
)
def documents_reject(request: HttpRequest, pk: int, payload: DocumentDecisionIn) -> Any:
    document = _document(request, pk)
    services.document_decide(actor=request.user, document=document, decision="reject", comment=payload.comment)
    return document_detail_out(_document(request, pk))


@router.post(
    "/documents/{int:pk}/supersede",
    response={200: DocumentDetailOut, **ERRORS},
    summary="Retire a document (kept readable, takes no new versions)",
    operation_id="documents_supersede",
)
def documents_supersede(request: HttpRequest, pk: int, payload: DocumentDecisionIn) -> Any:
    document = _document(request, pk)
    services.document_supersede(actor=request.user, document=document, comment=payload.comment)
    return document_detail_out(_document(request, pk))


# --- baselines ---------------------------------------------------------------------------------------------


class BaselineItemOut(Schema):
    document_id: int
    title: str
    version: int
    download_url: str


class ConfigBaselineOut(Schema):
    id: int
    project: CodeRef
    label: str
    note: str
    created_at: dt.datetime
    created_by: str
    items: list[BaselineItemOut]


class ConfigBaselineIn(Schema):
    label: str
    note: str = ""


def baseline_out(b: DocumentBaseline) -> dict[str, Any]:
    versions = sorted(b.versions.select_related("document"), key=lambda v: (v.document.title, v.number))
    return {
        "id": b.pk,
        "project": code_ref(b.project),
        "label": b.label,
        "note": b.note,
        "created_at": b.created_at,
        "created_by": b.created_by.get_username() if b.created_by else "system",
        "items": [
            {
                "document_id": v.document_id,
                "title": v.document.title,
                "version": v.number,
                "download_url": f"/api/v1/documents/{v.document_id}/versions/{v.number}/download",
            }
            for v in versions
        ],
    }


@router.get(
    "/projects/{int:pk}/document-baselines",
    response={200: list[ConfigBaselineOut], **ERRORS},
    summary="A project's baselined document sets, newest first",
    operation_id="project_document_baselines_list",
)
def baselines_list(request: HttpRequest, pk: int) -> Any:
    project = _project(request, pk)
    return [baseline_out(b) for b in selectors.baselines_of(project)]


@router.post(
    "/projects/{int:pk}/document-baselines",
    response={201: ConfigBaselineOut, **ERRORS},
    summary="Freeze the approved version of each document under a label (a gate's name)",
    description="The project's manager, the manager of its portfolio or the PMO director.",
    operation_id="project_document_baselines_create",
)
def baselines_create(request: HttpRequest, pk: int, payload: ConfigBaselineIn) -> Any:
    project = _project(request, pk)
    baseline = services.documents_baseline(actor=request.user, project=project, label=payload.label, note=payload.note)
    return 201, baseline_out(baseline)
