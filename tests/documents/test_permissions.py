"""Who may do what with documents; every refused call changes nothing."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from pmo.core.access import can
from pmo.core.models import AuditEvent
from pmo.core.roles import Role
from pmo.documents import services
from pmo.documents.models import Document, DocumentApproval, DocumentBaseline, DocumentTemplate, DocumentVersion

WRITERS = (Role.PMO_DIRECTOR, Role.PORTFOLIO_MANAGER, Role.PROJECT_MANAGER, Role.PROJECT_ADMINISTRATOR)
READERS = (Role.PMO_ANALYST, Role.EXECUTIVE, Role.TEAM_MEMBER)


@pytest.fixture
def draft(docs: dict[str, Any], roles: Any) -> Document:
    return services.document_create(
        actor=roles[Role.PROJECT_MANAGER],
        project=docs["p1"],
        title="Design",
        text="v1",
        approvers=[roles[Role.PMO_ANALYST].person],
    )


def _counts() -> tuple[int, ...]:
    return (
        Document.objects.count(),
        DocumentVersion.objects.count(),
        DocumentApproval.objects.count(),
        DocumentBaseline.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("role", WRITERS)
def test_who_may_change_the_project_writes_its_documents(docs: dict[str, Any], roles: Any, role: Role) -> None:
    assert can(roles[role], "add", Document(project=docs["p1"]))


@pytest.mark.parametrize("role", READERS)
def test_readers_cannot_write(docs: dict[str, Any], roles: Any, draft: Document, role: Role) -> None:
    user = roles[role]
    assert can(user, "view", draft)
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.document_create(actor=user, project=docs["p1"], title="Mine", text="x")
    with pytest.raises(PermissionDenied):
        services.document_version_add(actor=user, document=draft, text="v2")
    with pytest.raises(PermissionDenied):
        services.document_submit(actor=user, document=draft)
    with pytest.raises(PermissionDenied):
        services.charter_generate(actor=user, project=docs["p1"])
    assert _counts() == before
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_another_projects_manager_cannot_write(docs: dict[str, Any], draft: Document) -> None:
    other = docs["other_pm"]
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.document_version_add(actor=other, document=draft, text="v2")
    with pytest.raises(PermissionDenied):
        services.documents_baseline(actor=other, project=docs["p1"], label="G1")
    assert _counts() == before
    assert can(other, "add", Document(project=docs["p2"]))


def test_requesters_see_only_the_library(docs: dict[str, Any], roles: Any, draft: Document) -> None:
    requester = roles[Role.REQUESTER]
    assert not can(requester, "view", draft)
    assert can(requester, "view", docs["policy"])
    assert not can(requester, "change", docs["policy"])


@pytest.mark.parametrize("role", [Role.PMO_DIRECTOR, Role.PMO_ANALYST])
def test_pmo_keeps_the_library(docs: dict[str, Any], roles: Any, role: Role) -> None:
    assert can(roles[role], "change", docs["charter_template"])


@pytest.mark.parametrize("role", [Role.PORTFOLIO_MANAGER, Role.PROJECT_MANAGER, Role.EXECUTIVE, Role.TEAM_MEMBER])
def test_others_read_the_library(docs: dict[str, Any], roles: Any, role: Role) -> None:
    before = (DocumentTemplate.objects.count(), AuditEvent.objects.count())
    with pytest.raises(PermissionDenied):
        services.template_create(actor=roles[role], name="Mine", kind="other", body="x")
    assert (DocumentTemplate.objects.count(), AuditEvent.objects.count()) == before


def test_only_named_approvers_sign(docs: dict[str, Any], roles: Any, draft: Document) -> None:
    services.document_submit(actor=roles[Role.PROJECT_MANAGER], document=draft)
    before = _counts()
    for role in (Role.PMO_DIRECTOR, Role.PROJECT_MANAGER, Role.EXECUTIVE):
        assert not can(roles[role], "sign", draft)
        with pytest.raises(PermissionDenied):
            services.document_decide(actor=roles[role], document=draft, decision="approve")
    assert _counts() == before
    assert can(roles[Role.PMO_ANALYST], "sign", draft)


def test_an_approver_cannot_sign_a_draft(docs: dict[str, Any], roles: Any, draft: Document) -> None:
    assert not can(roles[Role.PMO_ANALYST], "sign", draft)


def test_approved_document_cannot_be_deleted(docs: dict[str, Any], roles: Any, draft: Document) -> None:
    pm = roles[Role.PROJECT_MANAGER]
    assert can(pm, "delete", draft)
    services.document_submit(actor=pm, document=draft)
    services.document_decide(actor=roles[Role.PMO_ANALYST], document=draft, decision="approve")
    draft.refresh_from_db()
    assert not can(pm, "delete", draft)


def test_closed_projects_documents_are_read_only(docs: dict[str, Any], roles: Any, draft: Document) -> None:
    from pmo.portfolio.models import Project

    Project.objects.filter(pk=docs["p1"].pk).update(state="closed")
    draft = Document.objects.select_related("project").get(pk=draft.pk)
    director = roles[Role.PMO_DIRECTOR]
    assert can(director, "view", draft)
    assert not can(director, "change", draft)
    before = _counts()
    with pytest.raises(PermissionDenied):
        services.document_version_add(actor=director, document=draft, text="late")
    with pytest.raises(PermissionDenied):
        services.documents_baseline(actor=director, project=draft.project, label="After closure")
    assert _counts() == before
