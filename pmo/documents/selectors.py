"""Reads: a project's documents and their counts by status, the status of required deliverables (for gate
reviews), the texts the knowledge search indexes, the library, version diffs and the approvals waiting for
someone."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from pmo.core.access import can, person_id_of
from pmo.documents.models import (
    Document,
    DocumentApproval,
    DocumentBaseline,
    DocumentTemplate,
    DocumentVersion,
    Kind,
    Status,
)

TEXT_EXTENSIONS = (".txt", ".md", ".csv")
MAX_INDEXED_BYTES = 2 * 1024 * 1024
# The order in which a document's status counts as "further along" (the best one wins in deliverables_status).
PROGRESS = {"missing": 0, Status.DRAFT: 1, Status.IN_REVIEW: 2, Status.APPROVED: 3, Status.BASELINED: 4}


def sees_documents(user: Any) -> bool:
    return can(user, "view", Document)


def documents_of(project: Any) -> QuerySet[Document]:
    return (
        Document.objects.filter(project=project)
        .select_related("template", "approved_version", "project")
        .prefetch_related(
            "approvers",
            Prefetch("versions", queryset=DocumentVersion.objects.select_related("author").order_by("-number")),
        )
        .order_by("kind", "title")
    )


def charter_of(project: Any) -> Document | None:
    return Document.objects.filter(project=project, kind=Kind.CHARTER).exclude(status=Status.SUPERSEDED).first()


def status_counts(project: Any) -> dict[str, int]:
    """How many of the project's documents are in each status (every status listed, zero or not)."""
    counts = Counter(Document.objects.filter(project=project).values_list("status", flat=True))
    return {status: counts.get(status, 0) for status in Status.values}


def _names(document: Document) -> set[str]:
    names = {document.title.strip().casefold(), Kind(document.kind).label.casefold()}
    if document.template_id and document.template is not None:
        names.add(document.template.name.strip().casefold())
        names.add(Kind(document.template.kind).label.casefold())
    return names


def _effective_status(document: Document) -> str:
    """A document's status for a gate: a draft or in-review revision of an approved document still counts as
    approved (or baselined) through its approved version."""
    status = str(document.status)
    if status in (Status.DRAFT, Status.IN_REVIEW) and document.approved_version_id:
        approved = document.approved_version
        return Status.BASELINED if approved is not None and approved.status == Status.BASELINED else Status.APPROVED
    return status


def deliverables_status(project: Any, names: Sequence[str]) -> dict[str, str]:
    """For each required deliverable name the status of the project's document of that name or kind (matched
    case-insensitively on its title, its template's name or its kind's label): "missing", "draft",
    "in_review", "approved" or "baselined". Superseded documents do not count; of several matches, the one
    furthest along wins."""
    documents = list(
        Document.objects.filter(project=project)
        .exclude(status=Status.SUPERSEDED)
        .select_related("template", "approved_version")
    )
    named = [(_names(d), _effective_status(d)) for d in documents]
    result: dict[str, str] = {}
    for name in names:
        key = name.strip().casefold()
        best = "missing"
        for doc_names, status in named:
            if key in doc_names and PROGRESS.get(status, 0) > PROGRESS[best]:
                best = status
        result[name] = best
    return result


@dataclass(frozen=True)
class DocumentText:
    """The searchable text of a document (its latest version), a template or a policy."""

    kind: str  # "document" | "template" | "policy"
    id: int
    project_id: int | None
    title: str
    text: str
    url: str


def version_text(version: DocumentVersion | None) -> str:
    """The text of a version: in-app text, or an uploaded .txt/.md/.csv decoded; "" for other files."""
    if version is None:
        return ""
    if not version.file:
        return version.text
    name = (version.filename or version.file.name).lower()
    if not name.endswith(TEXT_EXTENSIONS) or version.size > MAX_INDEXED_BYTES:
        return ""
    from django.core.files.storage import default_storage

    try:
        with default_storage.open(version.file.name, "rb") as handle:
            return bytes(handle.read()).decode("utf-8", errors="replace")
    except OSError:
        return ""


def document_texts(*, project_ids: Iterable[int] | None = None) -> list[DocumentText]:
    """The latest version's text of each document (of the given projects, or all), for full-text search."""
    documents = Document.objects.prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.order_by("-number"))
    ).order_by("project_id", "pk")
    if project_ids is not None:
        documents = documents.filter(project_id__in=list(project_ids))
    out = []
    for document in documents:
        versions = list(document.versions.all())
        out.append(
            DocumentText(
                kind="document",
                id=document.pk,
                project_id=document.project_id,
                title=document.title,
                text=version_text(versions[0] if versions else None),
                url=reverse("document-detail", args=[document.pk]),
            )
        )
    return out


def template_texts() -> list[DocumentText]:
    """The text of each template and policy of the library (the latest version), for full-text search."""
    return [
        DocumentText(
            kind="policy" if t.is_policy else "template",
            id=t.pk,
            project_id=None,
            title=t.name,
            text=t.body,
            url=reverse("document-template-detail", args=[t.pk]),
        )
        for t in DocumentTemplate.objects.order_by("kind", "name")
    ]


def library(*, include_retired: bool = False) -> QuerySet[DocumentTemplate]:
    templates = DocumentTemplate.objects.order_by("kind", "name")
    return templates if include_retired else templates.filter(active=True)


def pending_approvals(user: Any) -> QuerySet[DocumentApproval]:
    """The versions waiting for this user's decision."""
    person = person_id_of(user)
    if person is None:
        return DocumentApproval.objects.none()
    return DocumentApproval.objects.filter(
        approver_id=person, decision=DocumentApproval.Decision.PENDING, document__status=Status.IN_REVIEW
    ).select_related("document__project", "document_version")


def baselines_of(project: Any) -> QuerySet[DocumentBaseline]:
    return (
        DocumentBaseline.objects.filter(project=project)
        .prefetch_related("versions__document")
        .select_related("created_by")
    )


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same" | "added" | "removed" | "skip"
    old: int | None
    new: int | None
    text: str


def diff(old_text: str, new_text: str, *, context: int = 3) -> list[DiffLine]:
    """The lines that differ between two texts, with `context` unchanged lines around each change."""
    old_lines, new_lines = old_text.splitlines(), new_text.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    out: list[DiffLine] = []
    for group in matcher.get_grouped_opcodes(context):
        if out:
            out.append(DiffLine("skip", None, None, "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(DiffLine("same", i1 + k + 1, j1 + k + 1, old_lines[i1 + k]) for k in range(i2 - i1))
                continue
            out.extend(DiffLine("removed", i + 1, None, old_lines[i]) for i in range(i1, i2))
            out.extend(DiffLine("added", None, j + 1, new_lines[j]) for j in range(j1, j2))
    return out
