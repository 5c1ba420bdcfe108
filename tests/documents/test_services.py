"""Templates, the charter from its template, versions, review by the named approvers, baselines."""

import os
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.changes.models import Notification
from pmo.core.access import SYSTEM
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.models import AuditEvent
from pmo.core.roles import Role
from pmo.documents import selectors, services
from pmo.documents.models import Document, DocumentApproval, DocumentBaseline, DocumentVersion, Kind, Status
from pmo.portfolio.models import Project

EXPECTED_CHARTER = (
    "# Charter of P1 Mobile app\n"
    "Sponsor: Exec\n"
    "Manager: Pm\n"
    "Budget: 1,250,000.00 EUR\n"
    "From 5 January 2026 to 18 December 2026\n"
    "Portfolio: Digital / Customer\n"
    "Dated 3 December 2026\n"
)


def test_charter_is_generated_from_the_template_with_the_project_data(docs: dict[str, Any], roles: Any) -> None:
    charter = services.charter_generate(actor=roles[Role.PROJECT_MANAGER], project=docs["p1"])
    assert (charter.title, charter.kind, charter.status) == ("Project charter", "charter", "draft")
    assert [p.name for p in charter.approvers.all()] == ["Exec"]
    version = charter.versions.get()
    assert version.number == 1
    assert version.text == EXPECTED_CHARTER
    assert version.note == "Produced from the template Project charter v1"
    assert AuditEvent.objects.filter(object_repr="Project charter", action="create", actor_name="pm").count() == 1


def test_a_second_charter_is_refused(docs: dict[str, Any], roles: Any) -> None:
    pm = roles[Role.PROJECT_MANAGER]
    services.charter_generate(actor=pm, project=docs["p1"])
    with pytest.raises(Conflict, match="P1 already has a charter"):
        services.charter_generate(actor=pm, project=docs["p1"])
    assert Document.objects.count() == 1


def test_charter_edited_submitted_and_approved_by_the_sponsor(
    docs: dict[str, Any], roles: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pm, sponsor = roles[Role.PROJECT_MANAGER], roles[Role.EXECUTIVE]
    charter = services.charter_generate(actor=pm, project=docs["p1"])
    v2 = services.document_version_add(actor=pm, document=charter, text="Edited charter", note="Scope added")
    assert v2.number == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.document_submit(actor=pm, document=charter)
    charter.refresh_from_db()
    assert charter.status == "in_review"
    approval = DocumentApproval.objects.get()
    assert (approval.approver.name, approval.document_version.number, approval.decision) == ("Exec", 2, "pending")
    assert Notification.objects.filter(recipient=sponsor).count() == 1
    assert list(selectors.pending_approvals(sponsor)) == [approval]

    services.document_decide(actor=sponsor, document=charter, decision="approve", comment="Go ahead")
    charter.refresh_from_db()
    assert charter.status == "approved"
    assert charter.approved_version.number == 2
    assert Project.objects.get(pk=docs["p1"].pk).charter == "Edited charter"
    assert [(v.number, v.status) for v in charter.versions.order_by("number")] == [(1, "superseded"), (2, "approved")]
    assert list(selectors.pending_approvals(sponsor)) == []


def test_only_the_sponsor_approves_the_charter(docs: dict[str, Any], roles: Any) -> None:
    pm = roles[Role.PROJECT_MANAGER]
    charter = services.charter_generate(actor=pm, project=docs["p1"])
    services.document_submit(actor=pm, document=charter)
    for role in (Role.PROJECT_MANAGER, Role.PMO_DIRECTOR, Role.PORTFOLIO_MANAGER, Role.TEAM_MEMBER):
        with pytest.raises(Exception, match="not allowed to sign"):
            services.document_decide(actor=roles[role], document=charter, decision="approve")
    charter.refresh_from_db()
    assert charter.status == "in_review"
    assert DocumentApproval.objects.get().decision == "pending"
    assert Project.objects.get(pk=docs["p1"].pk).charter == ""


def test_charter_without_sponsor_cannot_be_submitted(docs: dict[str, Any], roles: Any) -> None:
    pm = roles[Role.PROJECT_MANAGER]
    project = docs["p1"]
    Project.objects.filter(pk=project.pk).update(sponsor=None)
    project.refresh_from_db()
    charter = services.charter_generate(actor=pm, project=project)
    with pytest.raises(ValidationFailed) as error:
        services.document_submit(actor=pm, document=charter)
    assert error.value.fields == {
        "approvers": ["P1 has no sponsor: the charter is approved by the sponsor, set one on the project first."]
    }
    charter.refresh_from_db()
    assert charter.status == "draft"


def test_rejection_needs_a_comment_and_sends_back_to_draft(
    docs: dict[str, Any], roles: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pm, sponsor = roles[Role.PROJECT_MANAGER], roles[Role.EXECUTIVE]
    charter = services.charter_generate(actor=pm, project=docs["p1"])
    services.document_submit(actor=pm, document=charter)
    with pytest.raises(ValidationFailed) as error:
        services.document_decide(actor=sponsor, document=charter, decision="reject")
    assert error.value.fields == {"comment": ["Say why it is rejected, so that its author knows what to change."]}
    with django_capture_on_commit_callbacks(execute=True):
        services.document_decide(actor=sponsor, document=charter, decision="reject", comment="Budget is missing")
    charter.refresh_from_db()
    assert charter.status == "draft"
    approval = DocumentApproval.objects.get()
    assert (approval.decision, approval.comment) == ("rejected", "Budget is missing")
    assert Notification.objects.filter(recipient=pm).latest("id").message == (
        "P1: Project charter v1 rejected by Exec. Budget is missing"
    )
    # resubmitted as it is: the same version is reviewed again
    services.document_submit(actor=pm, document=charter)
    assert DocumentApproval.objects.get().decision == "pending"


def test_all_named_approvers_must_approve(docs: dict[str, Any], roles: Any) -> None:
    pm = roles[Role.PROJECT_MANAGER]
    analyst, director = roles[Role.PMO_ANALYST], roles[Role.PMO_DIRECTOR]
    doc = services.document_create(
        actor=pm,
        project=docs["p1"],
        title="Test plan",
        kind=Kind.PLAN,
        text="Plan v1",
        approvers=[analyst.person, director.person],
    )
    services.document_submit(actor=pm, document=doc)
    services.document_decide(actor=analyst, document=doc, decision="approve")
    doc.refresh_from_db()
    assert doc.status == "in_review"
    with pytest.raises(Exception, match="not allowed to sign"):
        services.document_decide(actor=analyst, document=doc, decision="approve")
    services.document_decide(actor=director, document=doc, decision="approve")
    doc.refresh_from_db()
    assert doc.status == "approved"


def test_new_version_of_an_approved_document_keeps_the_approved_one(docs: dict[str, Any], roles: Any) -> None:
    pm, analyst = roles[Role.PROJECT_MANAGER], roles[Role.PMO_ANALYST]
    doc = services.document_create(
        actor=pm, project=docs["p1"], title="Design", kind=Kind.DESIGN, text="A", approvers=[analyst.person]
    )
    services.document_submit(actor=pm, document=doc)
    services.document_decide(actor=analyst, document=doc, decision="approve")
    services.document_version_add(actor=pm, document=doc, text="B")
    doc.refresh_from_db()
    assert (doc.status, doc.approved_version.number) == ("draft", 1)
    assert selectors.deliverables_status(docs["p1"], ["Design"]) == {"Design": "approved"}
    services.document_submit(actor=pm, document=doc)
    with pytest.raises(Conflict, match="is in review"):
        services.document_version_add(actor=pm, document=doc, text="C")
    services.document_decide(actor=analyst, document=doc, decision="approve")
    assert [(v.number, v.status) for v in doc.versions.order_by("number")] == [(1, "superseded"), (2, "approved")]


def test_upload_limits_name_the_file_field(docs: dict[str, Any], roles: Any, settings: Any) -> None:
    pm = roles[Role.PROJECT_MANAGER]
    project = docs["p1"]
    bad = SimpleUploadedFile("tool.exe", b"MZ...")
    with pytest.raises(ValidationFailed) as error:
        services.document_create(actor=pm, project=project, title="Tool", upload=bad)
    assert list(error.value.fields) == ["file"]
    assert error.value.fields["file"][0].startswith("Files of type .exe are not accepted.")
    empty = SimpleUploadedFile("empty.pdf", b"")
    with pytest.raises(ValidationFailed) as error:
        services.document_create(actor=pm, project=project, title="Empty", upload=empty)
    assert error.value.fields == {"file": ["empty.pdf is empty."]}
    big = SimpleUploadedFile("big.pdf", b"x" * (services.MAX_UPLOAD_BYTES + 1))
    with pytest.raises(ValidationFailed) as error:
        services.document_create(actor=pm, project=project, title="Big", upload=big)
    assert error.value.fields == {"file": ["big.pdf is 20.0 MB; the limit is 20 MB."]}
    assert Document.objects.count() == 0
    assert DocumentVersion.objects.count() == 0


def test_uploaded_versions_are_kept_and_readable(docs: dict[str, Any], roles: Any) -> None:
    pm = roles[Role.PROJECT_MANAGER]
    doc = services.document_create(
        actor=pm,
        project=docs["p1"],
        title="Requirements",
        kind=Kind.REQUIREMENTS,
        upload=SimpleUploadedFile("reqs.md", b"# Requirements\nR1", content_type="text/markdown"),
    )
    services.document_version_add(actor=pm, document=doc, upload=SimpleUploadedFile("reqs.md", b"# Requirements\nR2"))
    v1, v2 = doc.versions.order_by("number")
    assert services.version_content(v1) == b"# Requirements\nR1"
    assert services.version_content(v2) == b"# Requirements\nR2"
    assert (v1.filename, v1.size, v1.content_type) == ("reqs.md", 17, "text/markdown")
    assert v1.file.name != v2.file.name
    texts = selectors.document_texts(project_ids=[docs["p1"].pk])
    assert [(t.kind, t.title, t.text) for t in texts] == [("document", "Requirements", "# Requirements\nR2")]
    assert texts[0].url == f"/documents/{doc.pk}/"


def test_baseline_freezes_approved_versions(docs: dict[str, Any], roles: Any) -> None:
    pm, sponsor, analyst = roles[Role.PROJECT_MANAGER], roles[Role.EXECUTIVE], roles[Role.PMO_ANALYST]
    charter = services.charter_generate(actor=pm, project=docs["p1"])
    services.document_submit(actor=pm, document=charter)
    services.document_decide(actor=sponsor, document=charter, decision="approve")
    draft = services.document_create(actor=pm, project=docs["p1"], title="Design", text="D", approvers=[analyst.person])
    baseline = services.documents_baseline(actor=pm, project=docs["p1"], label="Gate 1: initiation")
    assert [str(v) for v in baseline.versions.all()] == ["Project charter v1"]
    charter.refresh_from_db()
    draft.refresh_from_db()
    assert (charter.status, draft.status) == ("baselined", "draft")
    assert selectors.deliverables_status(docs["p1"], ["project charter", "Design", "Business case"]) == {
        "project charter": "baselined",
        "Design": "draft",
        "Business case": "missing",
    }
    # a new draft of the charter: the baseline still holds version 1
    services.document_version_add(actor=pm, document=charter, text="Charter v2")
    assert [v.number for v in DocumentBaseline.objects.get().versions.all()] == [1]
    assert selectors.deliverables_status(docs["p1"], ["Project charter"]) == {"Project charter": "baselined"}


def test_empty_baseline_is_recorded(docs: dict[str, Any], roles: Any) -> None:
    baseline = services.documents_baseline(actor=roles[Role.PMO_DIRECTOR], project=docs["p2"], label="Gate 0")
    assert baseline.versions.count() == 0
    assert AuditEvent.objects.filter(object_repr="P2 · Gate 0").get().comment == "0 document versions frozen"


@pytest.mark.parametrize("role", [Role.PMO_ANALYST, Role.EXECUTIVE, Role.TEAM_MEMBER, Role.PROJECT_ADMINISTRATOR])
def test_baseline_refused_changes_nothing(docs: dict[str, Any], roles: Any, role: Role) -> None:
    with pytest.raises(Exception, match="not allowed to add"):
        services.documents_baseline(actor=roles[role], project=docs["p1"], label="Gate 1")
    assert DocumentBaseline.objects.count() == 0


def test_template_versions_and_unknown_fields(docs: dict[str, Any], roles: Any) -> None:
    analyst = roles[Role.PMO_ANALYST]
    template = docs["charter_template"]
    with pytest.raises(ValidationFailed) as error:
        services.template_update(actor=analyst, template=template, body="{{ project.nmae }}")
    assert error.value.fields["body"][0].startswith("Unknown field: project.nmae. Use one of: project.name,")
    with pytest.raises(ValidationFailed) as error:
        services.template_update(actor=analyst, template=template, body="{% include 'web/base.html' %}")
    assert error.value.fields == {"body": ["The tag {% include %} is not allowed in a template."]}
    with pytest.raises(ValidationFailed) as error:
        services.template_update(actor=analyst, template=template, body="{% if %}")
    assert error.value.fields["body"][0].startswith("The template does not read:")
    services.template_update(actor=analyst, template=template, body="Charter of {{ project.name }}", note="Shorter")
    template.refresh_from_db()
    assert (template.number, template.body) == (2, "Charter of {{ project.name }}")
    assert [(v.number, v.note) for v in template.versions.all()] == [(2, "Shorter"), (1, "First version")]
    assert services.template_fill(template=template, project=docs["p1"]) == "Charter of Mobile app"


def test_template_library_kept_by_pmo_only(docs: dict[str, Any], roles: Any) -> None:
    with pytest.raises(Exception, match="not allowed to change"):
        services.template_update(actor=roles[Role.PROJECT_MANAGER], template=docs["policy"], body="Nothing")
    with pytest.raises(Exception, match="not allowed to add"):
        services.template_create(actor=roles[Role.PORTFOLIO_MANAGER], name="X", kind="other", body="x")
    docs["policy"].refresh_from_db()
    assert docs["policy"].body == "Every deliverable is versioned."


def test_template_texts_for_search(docs: dict[str, Any]) -> None:
    texts = selectors.template_texts()
    assert [(t.kind, t.title, t.project_id) for t in texts] == [
        ("template", "Project charter", None),
        ("policy", "Document control policy", None),
    ]
    assert texts[1].text == "Every deliverable is versioned."


def test_system_can_generate(docs: dict[str, Any]) -> None:
    charter = services.charter_generate(actor=SYSTEM, project=docs["p1"])
    assert charter.status == Status.DRAFT


def test_a_draft_never_approved_is_deleted_with_its_files(
    docs: dict[str, Any], roles: Any, django_capture_on_commit_callbacks: Any
) -> None:
    pm = roles[Role.PROJECT_MANAGER]
    doc = services.document_create(
        actor=pm, project=docs["p1"], title="Scratch", upload=SimpleUploadedFile("notes.txt", b"draft")
    )
    path = doc.versions.get().file.path
    with pytest.raises(Exception, match="not allowed to delete"):
        services.document_delete(actor=roles[Role.TEAM_MEMBER], document=doc)
    assert os.path.exists(path)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_delete(actor=pm, document=doc)
    assert not os.path.exists(path)
    assert not Document.objects.filter(pk=doc.pk).exists()
    assert DocumentVersion.objects.count() == 0
    assert AuditEvent.objects.filter(action="delete", object_repr__in=["Scratch", "Scratch v1"]).count() == 2


def test_an_approved_document_is_not_deleted(docs: dict[str, Any], roles: Any) -> None:
    pm, analyst = roles[Role.PROJECT_MANAGER], roles[Role.PMO_ANALYST]
    doc = services.document_create(actor=pm, project=docs["p1"], title="Kept", text="x", approvers=[analyst.person])
    services.document_submit(actor=pm, document=doc)
    services.document_decide(actor=analyst, document=doc, decision="approve")
    doc.refresh_from_db()
    with pytest.raises(Exception, match="not allowed to delete"):
        services.document_delete(actor=pm, document=doc)
    assert Document.objects.filter(pk=doc.pk).exists()


def test_approvers_must_be_able_to_sign_in(docs: dict[str, Any], roles: Any) -> None:
    from pmo.resources import services as resource_services

    pm = roles[Role.PROJECT_MANAGER]
    outsider = resource_services.person_create(actor=SYSTEM, name="External Auditor")
    doc = services.document_create(actor=pm, project=docs["p1"], title="Audit plan", text="x")
    for person in (outsider, roles[Role.REQUESTER].person):
        with pytest.raises(ValidationFailed) as error:
            services.document_submit(actor=pm, document=doc, approvers=[person])
        assert error.value.fields["approvers"][0].startswith(f"{person.name} cannot sign in to pmo")
    doc.refresh_from_db()
    assert (doc.status, DocumentApproval.objects.count()) == ("draft", 0)


def test_deliverables_match_title_template_or_kind(docs: dict[str, Any], roles: Any) -> None:
    pm, analyst = roles[Role.PROJECT_MANAGER], roles[Role.PMO_ANALYST]
    case_template = services.template_create(
        actor=analyst, name="Business case (short form)", kind=Kind.BUSINESS_CASE, body="Case of {{ project.code }}"
    )
    services.document_create(actor=pm, project=docs["p1"], title="Why we do it", template=case_template)
    plan = services.document_create(actor=pm, project=docs["p1"], title="PMP", kind=Kind.PLAN, text="x")
    services.document_submit(actor=pm, document=plan, approvers=[analyst.person])
    old = services.document_create(actor=pm, project=docs["p1"], title="Closure report", text="x")
    services.document_supersede(actor=pm, document=old)
    names = ["business case", "BUSINESS CASE (SHORT FORM)", "why we do it", "Project management plan", "Closure report"]
    assert selectors.deliverables_status(docs["p1"], names) == {
        "business case": "draft",
        "BUSINESS CASE (SHORT FORM)": "draft",
        "why we do it": "draft",
        "Project management plan": "in_review",
        "Closure report": "missing",
    }
    assert selectors.deliverables_status(docs["p2"], ["Business case"]) == {"Business case": "missing"}


def test_withdraw_and_supersede(docs: dict[str, Any], roles: Any) -> None:
    pm, analyst = roles[Role.PROJECT_MANAGER], roles[Role.PMO_ANALYST]
    doc = services.document_create(actor=pm, project=docs["p1"], title="Plan", text="x", approvers=[analyst.person])
    services.document_submit(actor=pm, document=doc)
    with pytest.raises(Conflict, match="in review: withdraw it first"):
        services.document_supersede(actor=pm, document=doc)
    services.document_withdraw(actor=pm, document=doc)
    doc.refresh_from_db()
    assert (doc.status, doc.versions.get().status) == ("draft", "draft")
    assert not selectors.pending_approvals(analyst).exists()
    services.document_supersede(actor=pm, document=doc, comment="Replaced by the PMP")
    doc.refresh_from_db()
    assert (doc.status, doc.versions.get().status) == ("superseded", "superseded")
    with pytest.raises(Conflict, match="superseded: it takes no new versions"):
        services.document_version_add(actor=pm, document=doc, text="y")


def test_a_new_round_counts_only_the_approvers_named_now(docs: dict[str, Any], roles: Any) -> None:
    pm, analyst, director = roles[Role.PROJECT_MANAGER], roles[Role.PMO_ANALYST], roles[Role.PMO_DIRECTOR]
    doc = services.document_create(actor=pm, project=docs["p1"], title="Spec", text="x")
    services.document_submit(actor=pm, document=doc, approvers=[analyst.person, director.person])
    services.document_decide(actor=director, document=doc, decision="reject", comment="Not my area")
    services.document_submit(actor=pm, document=doc, approvers=[analyst.person])
    services.document_decide(actor=analyst, document=doc, decision="approve")
    doc.refresh_from_db()
    assert doc.status == "approved"
    assert sorted((a.approver.name, a.decision) for a in DocumentApproval.objects.all()) == [
        ("Analyst", "approved"),
        ("Director", "rejected"),
    ]
