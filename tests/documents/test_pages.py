"""The documents pages: the project's documents, the charter journey, a document's page and its actions, the
diff, downloads, baselines, the library and the panel on the project page."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.core.roles import Role
from pmo.documents import services
from pmo.documents.models import Document, DocumentBaseline, DocumentTemplate, Kind


def test_charter_journey_on_the_pages(docs: dict[str, Any], client_for: Any) -> None:
    pm, sponsor = client_for(Role.PROJECT_MANAGER), client_for(Role.EXECUTIVE)
    p1 = docs["p1"]
    page = pm.get(f"/projects/{p1.pk}/charter/")
    assert page.status_code == 200
    assert "Produce the charter from the template" in page.content.decode()
    assert "# Charter of P1 Mobile app" in page.content.decode()
    response = pm.post(f"/projects/{p1.pk}/charter/")
    charter = Document.objects.get(kind=Kind.CHARTER)
    assert response.status_code == 302
    assert response["Location"] == f"/documents/{charter.pk}/?edit=1#edit"
    # the charter tab now opens it
    assert pm.get(f"/projects/{p1.pk}/charter/")["Location"] == f"/documents/{charter.pk}/"
    response = pm.post(
        f"/documents/{charter.pk}/",
        {"action": "text", "edit-text": "# Charter of P1\nScope: the app", "edit-note": "Scope", "edit-version": "1"},
    )
    assert response.status_code == 302
    assert charter.versions.count() == 2
    response = pm.post(f"/documents/{charter.pk}/", {"action": "submit"})
    assert response.status_code == 302
    charter.refresh_from_db()
    assert charter.status == "in_review"
    page = sponsor.get(f"/documents/{charter.pk}/").content.decode()
    assert "Your decision on version 2" in page
    assert "<strong>Created</strong> Project charter v2 by pm" in page  # the history covers the versions
    assert "Your decision" not in pm.get(f"/documents/{charter.pk}/").content.decode()
    response = sponsor.post(f"/documents/{charter.pk}/", {"action": "approve", "decide-comment": "Agreed"})
    assert response.status_code == 302
    charter.refresh_from_db()
    assert charter.status == "approved"
    p1.refresh_from_db()
    assert p1.charter == "# Charter of P1\nScope: the app"
    download = sponsor.get(f"/documents/{charter.pk}/v1/download/")
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="P1-Project-charter-v1.md"'
    assert download.content.decode().startswith("# Charter of P1 Mobile app\nSponsor: Exec\n")


def test_stale_edit_is_a_form_error(docs: dict[str, Any], client_for: Any, roles: Any) -> None:
    pm = client_for(Role.PROJECT_MANAGER)
    charter = services.charter_generate(actor=roles[Role.PROJECT_MANAGER], project=docs["p1"])
    services.document_version_add(actor=roles[Role.PROJECT_MANAGER], document=charter, text="Someone else")
    response = pm.post(f"/documents/{charter.pk}/", {"action": "text", "edit-text": "Mine", "edit-version": "1"})
    assert response.status_code == 200
    assert "was changed by someone else" in response.content.decode()
    assert charter.versions.count() == 2


def test_reject_without_comment_shows_the_error(docs: dict[str, Any], client_for: Any, roles: Any) -> None:
    pm = roles[Role.PROJECT_MANAGER]
    charter = services.charter_generate(actor=pm, project=docs["p1"])
    services.document_submit(actor=pm, document=charter)
    response = client_for(Role.EXECUTIVE).post(f"/documents/{charter.pk}/", {"action": "reject"})
    assert response.status_code == 200
    assert "Say why it is rejected" in response.content.decode()
    charter.refresh_from_db()
    assert charter.status == "in_review"


def test_add_document_with_a_file_and_filter(docs: dict[str, Any], client_for: Any) -> None:
    pm = client_for(Role.PROJECT_MANAGER)
    p1 = docs["p1"]
    response = pm.post(
        f"/projects/{p1.pk}/documents/",
        {
            "new-title": "Architecture",
            "new-kind": "design",
            "new-file": SimpleUploadedFile("arch.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        },
    )
    document = Document.objects.get(title="Architecture")
    assert response.status_code == 302
    page = pm.get(f"/projects/{p1.pk}/documents/?status=draft").content.decode()
    assert "Architecture" in page
    assert "arch.pdf" in page
    assert "Architecture" not in pm.get(f"/projects/{p1.pk}/documents/?status=approved").content.decode()
    download = pm.get(f"/documents/{document.pk}/v1/download/")
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert download["Content-Type"] == "application/pdf"


def test_bad_upload_is_a_form_error(docs: dict[str, Any], client_for: Any) -> None:
    pm = client_for(Role.PROJECT_MANAGER)
    response = pm.post(
        f"/projects/{docs['p1'].pk}/documents/",
        {"new-title": "Virus", "new-kind": "other", "new-file": SimpleUploadedFile("run.exe", b"MZ")},
    )
    assert response.status_code == 200
    assert "Files of type .exe are not accepted." in response.content.decode()
    assert Document.objects.count() == 0


def test_diff_page(docs: dict[str, Any], client_for: Any, roles: Any) -> None:
    pm = roles[Role.PROJECT_MANAGER]
    doc = services.document_create(actor=pm, project=docs["p1"], title="Plan", text="one\ntwo\nthree")
    services.document_version_add(actor=pm, document=doc, text="one\n2\nthree\nfour")
    page = client_for(Role.TEAM_MEMBER).get(f"/documents/{doc.pk}/diff/?a=1&b=2").content.decode()
    assert "+2 lines" in page
    assert "−1 line" in page
    assert (
        '<tr class="diff-removed"><td class="ln">2</td><td class="ln"></td>'
        '<td class="mark">−</td><td class="code">two</td></tr>' in page
    )


def test_baseline_page(docs: dict[str, Any], client_for: Any, roles: Any) -> None:
    p1 = docs["p1"]
    assert (
        "Take a baseline"
        not in client_for(Role.PMO_ANALYST).get(f"/projects/{p1.pk}/document-baselines/").content.decode()
    )
    assert (
        client_for(Role.PMO_ANALYST).post(f"/projects/{p1.pk}/document-baselines/", {"label": "G1"}).status_code == 403
    )
    response = client_for(Role.PROJECT_MANAGER).post(f"/projects/{p1.pk}/document-baselines/", {"label": "Gate 1"})
    baseline = DocumentBaseline.objects.get()
    assert response["Location"] == f"/document-baselines/{baseline.pk}/"
    page = client_for(Role.EXECUTIVE).get(f"/document-baselines/{baseline.pk}/").content.decode()
    assert "An empty set" in page


def test_library_pages(docs: dict[str, Any], client_for: Any) -> None:
    analyst = client_for(Role.PMO_ANALYST)
    page = client_for(Role.REQUESTER).get("/document-templates/").content.decode()
    assert "Document control policy" in page
    assert "Add a template or policy" not in page
    response = analyst.post(
        "/document-templates/",
        {"new-name": "Business case", "new-kind": "business_case", "new-body": "Case for {{ project.name }}"},
    )
    template = DocumentTemplate.objects.get(name="Business case")
    assert response["Location"] == f"/document-templates/{template.pk}/"
    response = analyst.post(
        f"/document-templates/{template.pk}/",
        {
            "edit-name": "Business case",
            "edit-kind": "business_case",
            "edit-body": "{{ project.oops }}",
            "edit-version": str(template.version),
            "edit-active": "on",
        },
    )
    assert response.status_code == 200
    assert "Unknown field: project.oops." in response.content.decode()
    preview = analyst.get(f"/document-templates/{template.pk}/?project={docs['p1'].pk}").content.decode()
    assert "Case for Mobile app" in preview
    assert client_for(Role.PROJECT_MANAGER).post(f"/document-templates/{template.pk}/", {}).status_code == 403


def test_project_page_shows_the_panel(docs: dict[str, Any], client_for: Any, roles: Any) -> None:
    pm = roles[Role.PROJECT_MANAGER]
    charter = services.charter_generate(actor=pm, project=docs["p1"])
    services.document_submit(actor=pm, document=charter)
    page = client_for(Role.EXECUTIVE).get(f"/projects/{docs['p1'].pk}/").content.decode()
    assert "documents-panel" in page
    assert "waiting for your approval" in page
    assert "waiting for the sponsor, Exec" in page
    portfolio_page = client_for(Role.EXECUTIVE).get(f"/portfolios/{docs['portfolio'].pk}/").content.decode()
    assert "documents-panel" not in portfolio_page


def test_requester_sees_no_project_documents(docs: dict[str, Any], client_for: Any) -> None:
    requester = client_for(Role.REQUESTER)
    assert requester.get(f"/projects/{docs['p1'].pk}/documents/").status_code == 403


def test_download_name_of_a_text_version_with_any_title(docs: dict[str, Any], client_for: Any, roles: Any) -> None:
    doc = services.document_create(
        actor=roles[Role.PROJECT_MANAGER], project=docs["p1"], title='Test report — "sprint 9"', text="ok"
    )
    response = client_for(Role.TEAM_MEMBER).get(f"/documents/{doc.pk}/v1/download/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="P1-Test-report-sprint-9-v1.md"'


def test_text_and_file_together_is_a_form_error(docs: dict[str, Any], client_for: Any) -> None:
    response = client_for(Role.PROJECT_MANAGER).post(
        f"/projects/{docs['p1'].pk}/documents/",
        {"new-title": "Both", "new-kind": "other", "new-text": "x", "new-file": SimpleUploadedFile("a.txt", b"y")},
    )
    assert response.status_code == 200
    assert "Give either the text of the version or a file to upload, not both." in response.content.decode()
    assert Document.objects.count() == 0
