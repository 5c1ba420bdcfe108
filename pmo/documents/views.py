"""The pages of documents: a project's documents (filters, add one from a template, a text or a file), its
charter, its baselines; a document with its versions, approvals, diff and history; any version's download;
the template and policy library."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from pmo.core import audit
from pmo.core.access import can, person_id_of
from pmo.core.errors import DomainError, ValidationFailed
from pmo.core.models import AuditEvent
from pmo.documents import fields, selectors, services
from pmo.documents.downloads import download_response
from pmo.documents.forms import (
    BaselineForm,
    DecisionForm,
    DocumentForm,
    SubmitForm,
    TemplateForm,
    TextVersionForm,
    UploadVersionForm,
)
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
from pmo.reporting.exports import list_export


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


def _require_documents(user: Any) -> None:
    if not selectors.sees_documents(user):
        raise PermissionDenied("Project documents are for the project teams, the PMO and management.")


def _project(request: HttpRequest, pk: int) -> Project:
    _require_documents(request.user)
    project = Project.objects.select_related("portfolio", "program", "manager", "sponsor").filter(pk=pk).first()
    if project is None or not can(request.user, "view", project):
        raise Http404(f"No project with id {pk}.")
    return project


def _document(request: HttpRequest, pk: int) -> Document:
    _require_documents(request.user)
    document = (
        Document.objects.select_related("project__portfolio", "project__sponsor", "project__manager", "template")
        .filter(pk=pk)
        .first()
    )
    if document is None or not can(request.user, "view", document):
        raise Http404(f"No document with id {pk}.")
    return document


def _version(document: Document, number: int) -> DocumentVersion:
    version = DocumentVersion.objects.filter(document=document, number=number).select_related("author").first()
    if version is None:
        raise Http404(f"{document} has no version {number}.")
    return version


def _head(project: Project, tab: str) -> dict[str, Any]:
    return {"project": project, "tab": tab}


# --- a project's documents -----------------------------------------------------------------------------


@login_required
def project_documents(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    can_add = can(request.user, "add", Document(project=project))
    form = DocumentForm(prefix="new")
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("Only whoever may change the project adds its documents.")
        form = DocumentForm(request.POST, request.FILES, prefix="new")
        if form.is_valid():
            data = form.cleaned_data
            upload = data["file"]
            text = data["text"] if data["text"].strip() else None
            try:
                document = services.document_create(
                    actor=request.user,
                    project=project,
                    title=data["title"],
                    kind=data["kind"],
                    description=data["description"],
                    template=data["template"],
                    text=text,
                    upload=upload,
                    note=data["note"],
                    approvers=data["approvers"],
                )
            except DomainError as error:
                form_errors(form, error)
            else:
                messages.success(request, f"{document} added as version 1 (draft).")
                return HttpResponseRedirect(reverse("document-detail", args=[document.pk]))
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    documents = selectors.documents_of(project)
    if status in Status.values:
        documents = documents.filter(status=status)
    if kind in Kind.values:
        documents = documents.filter(kind=kind)
    download = list_export(
        request,
        f"Documents {project.code}",
        [
            ("Document", lambda d: d.title),
            ("Kind", lambda d: d.get_kind_display()),
            ("Status", lambda d: d.get_status_display()),
            ("Latest version", lambda d: d.versions.all()[0].number if d.versions.all() else None),
            ("Approved version", lambda d: d.approved_version.number if d.approved_version else None),
            ("Approvers", lambda d: ", ".join(p.name for p in d.approvers.all())),
            ("Template", lambda d: d.template.name if d.template else ""),
            ("Changed", lambda d: d.updated_at),
        ],
        documents,
    )
    if download:
        return download
    counts = selectors.status_counts(project)
    return render(
        request,
        "documents/project_documents.html",
        {
            **_head(project, "documents"),
            "documents": list(documents),
            "counts": [(s, label, counts[s]) for s, label in Status.choices],
            "total": sum(counts.values()),
            "status": status,
            "kind": kind,
            "kinds": Kind.choices,
            "statuses": Status.choices,
            "form": form,
            "can_add": can_add,
            "form_open": request.method == "POST",
            "charter": selectors.charter_of(project),
            "baselines": list(selectors.baselines_of(project)[:3]),
        },
    )


@login_required
def project_charter(request: HttpRequest, pk: int) -> HttpResponse:
    """The charter: open it, or produce it from the library's charter template."""
    project = _project(request, pk)
    charter = selectors.charter_of(project)
    if request.method == "POST":
        try:
            charter = services.charter_generate(actor=request.user, project=project)
        except PermissionDenied:
            raise
        except DomainError as error:
            flash(request, error)
        else:
            messages.success(
                request, "The charter is drafted from the template with the project's data. Edit it, then submit it."
            )
            return HttpResponseRedirect(reverse("document-detail", args=[charter.pk]) + "?edit=1#edit")
    if charter is not None and request.method != "POST":
        return HttpResponseRedirect(reverse("document-detail", args=[charter.pk]))
    template = services.charter_template()
    preview = services.template_fill(template=template, project=project) if template else ""
    return render(
        request,
        "documents/charter_new.html",
        {
            **_head(project, "charter"),
            "template": template,
            "preview": preview,
            "can_add": can(request.user, "add", Document(project=project)),
        },
    )


@login_required
def project_baselines(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    can_baseline = can(request.user, "add", DocumentBaseline(project=project))
    form = BaselineForm()
    if request.method == "POST":
        if not can_baseline:
            raise PermissionDenied("Only the project's manager, its portfolio's manager and the PMO director baseline.")
        form = BaselineForm(request.POST)
        if form.is_valid():
            try:
                baseline = services.documents_baseline(actor=request.user, project=project, **form.cleaned_data)
            except DomainError as error:
                form_errors(form, error)
            else:
                count = baseline.versions.count()
                messages.success(
                    request,
                    f"Baseline “{baseline.label}” taken: {count} document version{'s' if count != 1 else ''} frozen.",
                )
                return HttpResponseRedirect(reverse("document-baseline", args=[baseline.pk]))
    candidates = (
        Document.objects.filter(project=project, approved_version__isnull=False)
        .exclude(status=Status.SUPERSEDED)
        .select_related("approved_version")
        .order_by("title")
    )
    return render(
        request,
        "documents/project_baselines.html",
        {
            **_head(project, "baselines"),
            "baselines": list(selectors.baselines_of(project)),
            "candidates": list(candidates),
            "form": form,
            "can_baseline": can_baseline,
        },
    )


@login_required
def baseline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_documents(request.user)
    baseline = DocumentBaseline.objects.select_related("project", "created_by").filter(pk=pk).first()
    if baseline is None or not can(request.user, "view", baseline):
        raise Http404(f"No baseline with id {pk}.")
    versions = sorted(baseline.versions.select_related("document", "author"), key=lambda v: v.document.title)
    return render(
        request,
        "documents/baseline_detail.html",
        {**_head(baseline.project, "baselines"), "baseline": baseline, "versions": versions},
    )


# --- a document ----------------------------------------------------------------------------------------


def _history(document: Document, *, limit: int = 15) -> list[dict[str, Any]]:
    """Who changed what: the audit events of the document, its versions and its approvals, newest first."""
    parts = [(Document, [document.pk]), (DocumentVersion, list(document.versions.values_list("pk", flat=True)))]
    parts.append((DocumentApproval, list(document.approvals.values_list("pk", flat=True))))
    query = Q()
    models = {}
    for model, ids in parts:
        content_type = ContentType.objects.get_for_model(model)
        models[content_type.pk] = model
        query |= Q(content_type=content_type, object_id__in=[str(i) for i in ids])
    events = list(AuditEvent.objects.filter(query).order_by("-at", "-id")[:limit])
    out = []
    for e in events:
        model = models[e.content_type_id]
        changes = e.changes if model is Document else {k: v for k, v in e.changes.items() if k in _PART_FIELDS}
        what = "" if model is Document else e.object_repr
        rows = [row for row in audit.readable_changes(model, changes) if row[1:] != ("—", "—")]
        out.append({"event": e, "what": what, "rows": rows})
    return out


# What the history shows of a version's or an approval's own record (the rest repeats the document's page).
_PART_FIELDS = frozenset({"status", "note", "filename", "decision", "comment"})


def _act(request: HttpRequest, document: Document) -> HttpResponse | dict[str, Any]:
    """Handle one POSTed action of the document page; a redirect on success, the bound forms otherwise."""
    action = request.POST.get("action", "")
    bound: dict[str, Any] = {}
    url = reverse("document-detail", args=[document.pk])
    try:
        if action == "text":
            form = TextVersionForm(request.POST, prefix="edit")
            bound["text_form"] = form
            if form.is_valid():
                version = services.document_version_add(
                    actor=request.user,
                    document=document,
                    text=form.cleaned_data["text"],
                    note=form.cleaned_data["note"],
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(request, f"Version {version.number} saved.")
                return HttpResponseRedirect(url)
        elif action == "upload":
            form = UploadVersionForm(request.POST, request.FILES, prefix="upload")
            bound["upload_form"] = form
            if form.is_valid():
                version = services.document_version_add(
                    actor=request.user,
                    document=document,
                    upload=form.cleaned_data["file"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, f"Version {version.number} uploaded.")
                return HttpResponseRedirect(url)
        elif action == "submit":
            form = SubmitForm(request.POST, prefix="submit")
            bound["submit_form"] = form
            if form.is_valid():
                approvers = None if document.is_charter else list(form.cleaned_data["approvers"]) or None
                services.document_submit(
                    actor=request.user, document=document, approvers=approvers, comment=form.cleaned_data["comment"]
                )
                messages.success(request, "Submitted: the approvers are notified.")
                return HttpResponseRedirect(url)
        elif action in ("approve", "reject"):
            form = DecisionForm(request.POST, prefix="decide")
            bound["decision_form"] = form
            if form.is_valid():
                services.document_decide(
                    actor=request.user, document=document, decision=action, comment=form.cleaned_data["comment"]
                )
                messages.success(request, "Approved." if action == "approve" else "Rejected: back to its author.")
                return HttpResponseRedirect(url)
        elif action == "withdraw":
            services.document_withdraw(actor=request.user, document=document)
            messages.success(request, "Withdrawn from review: back to draft.")
            return HttpResponseRedirect(url)
        elif action == "delete":
            project_url = reverse("project-documents", args=[document.project_id])
            services.document_delete(actor=request.user, document=document)
            messages.success(request, f"{document} deleted.")
            return HttpResponseRedirect(project_url)
        elif action == "supersede":
            services.document_supersede(actor=request.user, document=document, comment=request.POST.get("comment", ""))
            messages.success(request, f"{document} is superseded: kept for reference, it takes no new versions.")
            return HttpResponseRedirect(url)
        else:
            messages.error(request, "Unknown action.")
            return HttpResponseRedirect(url)
    except DomainError as error:
        form = next(iter(bound.values()), None)
        if form is not None:
            form_errors(form, error)
        else:
            flash(request, error)
            return HttpResponseRedirect(url)
    return bound


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    bound: dict[str, Any] = {}
    if request.method == "POST":
        result = _act(request, document)
        if isinstance(result, HttpResponse):
            return result
        bound = result
        document = _document(request, pk)
    versions = list(document.versions.select_related("author").order_by("-number"))
    latest = versions[0] if versions else None
    approvals = list(
        document.approvals.select_related("approver", "document_version").order_by(
            "-document_version__number", "approver__name"
        )
    )
    me = person_id_of(request.user)
    my_pending = next(
        (
            a
            for a in approvals
            if a.approver_id == me
            and a.decision == DocumentApproval.Decision.PENDING
            and latest is not None
            and a.document_version_id == latest.pk
        ),
        None,
    )
    can_change = can(request.user, "change", document) and document.status not in (Status.SUPERSEDED,)
    editable = can_change and document.status != Status.IN_REVIEW
    text_form = bound.get("text_form") or TextVersionForm(
        prefix="edit",
        initial={"text": latest.text if latest and not latest.file else "", "version": document.version},
    )
    submit_form = bound.get("submit_form") or SubmitForm(
        prefix="submit", initial={"approvers": list(document.approvers.all())}
    )
    project = document.project
    return render(
        request,
        "documents/document_detail.html",
        {
            **_head(project, "documents"),
            "document": document,
            "versions": versions,
            "latest": latest,
            "approvals": approvals,
            "current_approvals": [a for a in approvals if latest is not None and a.document_version_id == latest.pk],
            "my_pending": my_pending if document.status == Status.IN_REVIEW else None,
            "can_change": can_change,
            "editable": editable,
            "can_submit": can_change and document.status == Status.DRAFT and latest is not None,
            "can_withdraw": can(request.user, "change", document) and document.status == Status.IN_REVIEW,
            "can_delete": can(request.user, "delete", document) and document.status != Status.IN_REVIEW,
            "text_form": text_form,
            "upload_form": bound.get("upload_form") or UploadVersionForm(prefix="upload"),
            "submit_form": submit_form,
            "decision_form": bound.get("decision_form") or DecisionForm(prefix="decide"),
            "edit_open": "text_form" in bound or "upload_form" in bound or request.GET.get("edit") == "1",
            "history": _history(document),
            "baselines": list(
                DocumentBaseline.objects.filter(versions__document=document).distinct().order_by("-created_at")
            ),
            "sponsor": project.sponsor,
        },
    )


@login_required
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document = _document(request, pk)
    version = _version(document, number)
    previous = DocumentVersion.objects.filter(document=document, number__lt=number).order_by("-number").first()
    return render(
        request,
        "documents/version_detail.html",
        {
            **_head(document.project, "documents"),
            "document": document,
            "version": version,
            "text": selectors.version_text(version),
            "previous": previous,
            "approvals": version.approvals.select_related("approver"),
        },
    )


@login_required
def version_download(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    document = _document(request, pk)
    return download_response(_version(document, number))


@login_required
def document_diff(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    versions = list(document.versions.order_by("number"))
    if len(versions) < 2:
        messages.info(request, "There is only one version: nothing to compare yet.")
        return HttpResponseRedirect(reverse("document-detail", args=[document.pk]))

    def pick(name: str, default: int) -> DocumentVersion:
        raw = request.GET.get(name, "")
        number = int(raw) if raw.isdigit() else default
        return _version(document, number)

    new = pick("b", versions[-1].number)
    old = pick("a", max(1, new.number - 1) if new.number > 1 else versions[0].number)
    old_text, new_text = selectors.version_text(old), selectors.version_text(new)
    binary = (old.file and not old_text) or (new.file and not new_text)
    lines = [] if binary else selectors.diff(old_text, new_text)
    return render(
        request,
        "documents/diff.html",
        {
            **_head(document.project, "documents"),
            "document": document,
            "old": old,
            "new": new,
            "versions": versions,
            "lines": lines,
            "binary": binary,
            "added": sum(1 for line in lines if line.kind == "added"),
            "removed": sum(1 for line in lines if line.kind == "removed"),
        },
    )


# --- the library ---------------------------------------------------------------------------------------


@login_required
def template_library(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "view", DocumentTemplate):
        raise PermissionDenied("The template library is not open to you.")
    can_add = can(request.user, "add", DocumentTemplate)
    form = TemplateForm(prefix="new", initial={"active": True})
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("The PMO director and the PMO analysts keep the library.")
        form = TemplateForm(request.POST, prefix="new")
        if form.is_valid():
            data = form.cleaned_data
            try:
                template = services.template_create(
                    actor=request.user,
                    name=data["name"],
                    kind=data["kind"],
                    body=data["body"],
                    description=data["description"],
                    note=data["note"],
                )
            except DomainError as error:
                form_errors(form, error)
            else:
                messages.success(request, f"{template} added to the library.")
                return HttpResponseRedirect(reverse("document-template-detail", args=[template.pk]))
    show_retired = request.GET.get("show") == "all"
    templates = list(selectors.library(include_retired=show_retired))
    download = list_export(
        request,
        "Templates and policies",
        [
            ("Name", lambda t: t.name),
            ("Kind", lambda t: t.get_kind_display()),
            ("Version", lambda t: t.number),
            ("Retired", lambda t: not t.active),
            ("Description", lambda t: t.description),
            ("Changed", lambda t: t.updated_at),
        ],
        templates,
    )
    if download:
        return download
    return render(
        request,
        "documents/library.html",
        {
            "templates": [t for t in templates if not t.is_policy],
            "policies": [t for t in templates if t.is_policy],
            "show_retired": show_retired,
            "form": form,
            "can_add": can_add,
            "form_open": request.method == "POST",
            "fields": fields.FIELDS,
            "pending": list(selectors.pending_approvals(request.user)),
        },
    )


@login_required
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = DocumentTemplate.objects.filter(pk=pk).first()
    if template is None or not can(request.user, "view", template):
        raise Http404(f"No template with id {pk}.")
    can_change = can(request.user, "change", template)
    initial = {
        "name": template.name,
        "kind": template.kind,
        "description": template.description,
        "body": template.body,
        "active": template.active,
        "version": template.version,
    }
    form = TemplateForm(prefix="edit", initial=initial)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied("The PMO director and the PMO analysts keep the library.")
        form = TemplateForm(request.POST, prefix="edit")
        if form.is_valid():
            data = form.cleaned_data
            try:
                template = services.template_update(
                    actor=request.user,
                    template=template,
                    body=data["body"],
                    note=data["note"],
                    expected_version=data["version"],
                    name=data["name"],
                    kind=data["kind"],
                    description=data["description"],
                    active=data["active"],
                )
            except DomainError as error:
                form_errors(form, error)
            else:
                messages.success(request, f"{template} saved (version {template.number}).")
                return HttpResponseRedirect(reverse("document-template-detail", args=[template.pk]))
    version_number = request.GET.get("v", "")
    shown = template.versions.filter(number=int(version_number)).first() if version_number.isdigit() else None
    project = None
    preview = ""
    project_id = request.GET.get("project", "")
    if project_id.isdigit() and not template.is_policy:
        project = Project.objects.filter(pk=int(project_id)).first()
        if project is not None and can(request.user, "view", project):
            preview = services.template_fill(template=template, project=project)
    return render(
        request,
        "documents/template_detail.html",
        {
            "template": template,
            "versions": list(template.versions.select_related("author")),
            "shown": shown,
            "form": form,
            "can_change": can_change,
            "form_open": request.method == "POST",
            "fields": fields.FIELDS,
            "projects": Project.objects.order_by("code").only("pk", "code", "name") if not template.is_policy else [],
            "project": project,
            "preview": preview,
            "used_by": template.documents.select_related("project").order_by("project__code")[:20],
        },
    )
