"""The documents API: exact payloads, multipart uploads, downloads, the error shape, and denied calls that
change nothing."""

import json
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.documents.models import Document, DocumentBaseline, DocumentTemplate, DocumentVersion


def caller(user: Any) -> Any:
    token = token_create(user=user, name="api")[1]

    def call(method: str, path: str, body: Any = None, **extra: Any) -> tuple[int, Any]:
        kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {token}", **extra}
        if body is not None:
            kwargs.update({"data": json.dumps(body), "content_type": "application/json"})
        response = getattr(Client(), method)(f"/api/v1{path}", **kwargs)
        is_json = response.get("Content-Type", "").startswith("application/json")
        return response.status_code, (response.json() if is_json and response.content else response)

    return call


def test_charter_round_trip(docs: dict[str, Any], roles: Any) -> None:
    pm, sponsor = caller(roles[Role.PROJECT_MANAGER]), caller(roles[Role.EXECUTIVE])
    p1 = docs["p1"]
    status, body = pm("post", f"/projects/{p1.pk}/charter")
    assert status == 201
    doc_id = body["id"]
    assert {k: body[k] for k in ("title", "kind", "status", "latest_version", "approved_version")} == {
        "title": "Project charter",
        "kind": "charter",
        "status": "draft",
        "latest_version": 1,
        "approved_version": None,
    }
    assert body["approvers"] == [{"id": docs["sponsor"].pk, "name": "Exec"}]
    assert body["versions"][0]["download_url"] == f"/api/v1/documents/{doc_id}/versions/1/download"
    status, body = pm("post", f"/documents/{doc_id}/versions", {"text": "Charter, edited", "note": "Edited"})
    assert (status, body["number"], body["kind"], body["status"], body["size"]) == (201, 2, "text", "draft", 15)
    status, body = pm("post", f"/documents/{doc_id}/submit", {})
    assert (status, body["status"]) == (200, "in_review")
    assert body["approvals"] == [
        {
            "approver": {"id": docs["sponsor"].pk, "name": "Exec"},
            "version": 2,
            "decision": "pending",
            "comment": "",
            "decided_at": None,
        }
    ]
    status, body = pm("post", f"/documents/{doc_id}/approve", {})
    assert status == 403
    assert body["code"] == "permission_denied"
    status, body = sponsor("post", f"/documents/{doc_id}/approve", {"comment": "Fine"})
    assert (status, body["status"], body["approved_version"]) == (200, "approved", 2)
    status, response = sponsor("get", f"/documents/{doc_id}/versions/1/download")
    assert status == 200
    assert response.content.decode().startswith("# Charter of P1 Mobile app")
    status, body = pm("get", f"/projects/{p1.pk}/charter")
    assert (status, body["id"]) == (200, doc_id)


def test_multipart_upload_and_limits(docs: dict[str, Any], roles: Any) -> None:
    pm = caller(roles[Role.PROJECT_MANAGER])
    p1 = docs["p1"]
    status, body = pm(
        "post",
        f"/projects/{p1.pk}/documents/upload",
        data={"title": "Test report", "kind": "test_report", "file": SimpleUploadedFile("report.csv", b"a,b\n1,2\n")},
    )
    assert status == 201
    doc_id = body["id"]
    assert (body["versions"][0]["filename"], body["versions"][0]["kind"], body["versions"][0]["size"]) == (
        "report.csv",
        "file",
        8,
    )
    status, body = pm(
        "post", f"/documents/{doc_id}/versions/upload", data={"file": SimpleUploadedFile("x.bat", b"echo")}
    )
    assert status == 422
    assert body["code"] == "validation_error"
    assert list(body["details"]["fields"]) == ["file"]
    assert DocumentVersion.objects.filter(document_id=doc_id).count() == 1
    status, body = pm(
        "post",
        f"/documents/{doc_id}/versions/upload",
        data={"file": SimpleUploadedFile("report.csv", b"a,b\n3,4\n"), "note": "Second run"},
    )
    assert (status, body["number"], body["note"]) == (201, 2, "Second run")
    status, response = pm("get", f"/documents/{doc_id}/versions/1/download")
    assert b"".join(response.streaming_content) == b"a,b\n1,2\n"


def test_documents_list_filters(docs: dict[str, Any], roles: Any) -> None:
    pm = caller(roles[Role.PROJECT_MANAGER])
    p1 = docs["p1"]
    pm("post", f"/projects/{p1.pk}/documents", {"title": "Scope", "kind": "requirements", "text": "S"})
    pm("post", f"/projects/{p1.pk}/charter")
    status, body = pm("get", f"/projects/{p1.pk}/documents")
    assert (status, [d["title"] for d in body]) == (200, ["Project charter", "Scope"])
    status, body = pm("get", f"/projects/{p1.pk}/documents?kind=requirements")
    assert [d["title"] for d in body] == ["Scope"]
    status, body = pm("get", f"/projects/{p1.pk}/documents?status=approved")
    assert body == []


def test_create_without_content_names_the_field(docs: dict[str, Any], roles: Any) -> None:
    status, body = caller(roles[Role.PROJECT_MANAGER])("post", f"/projects/{docs['p1'].pk}/documents", {"title": "X"})
    assert status == 422
    assert body["details"]["fields"] == {
        "text": ["Write the first version's text, upload a file or choose a template."]
    }
    assert Document.objects.count() == 0


def test_baselines_api(docs: dict[str, Any], roles: Any) -> None:
    p1 = docs["p1"]
    status, body = caller(roles[Role.PMO_ANALYST])("post", f"/projects/{p1.pk}/document-baselines", {"label": "G"})
    assert status == 403
    assert DocumentBaseline.objects.count() == 0
    status, body = caller(roles[Role.PORTFOLIO_MANAGER])(
        "post", f"/projects/{p1.pk}/document-baselines", {"label": "Gate 1", "note": "Initiation"}
    )
    assert (status, body["label"], body["items"], body["created_by"]) == (201, "Gate 1", [], "portfolio")
    status, body = caller(roles[Role.EXECUTIVE])("get", f"/projects/{p1.pk}/document-baselines")
    assert [b["label"] for b in body] == ["Gate 1"]


def test_templates_api(docs: dict[str, Any], roles: Any) -> None:
    analyst, pm = caller(roles[Role.PMO_ANALYST]), caller(roles[Role.PROJECT_MANAGER])
    status, body = pm("post", "/document-templates", {"name": "X", "kind": "other", "body": "x"})
    assert status == 403
    status, body = analyst(
        "post",
        "/document-templates",
        {"name": "Closure report", "kind": "closure_report", "body": "Closing {{ project.code }}"},
    )
    assert (status, body["number"], len(body["versions"])) == (201, 1, 1)
    template_id = body["id"]
    status, body = analyst(
        "patch", f"/document-templates/{template_id}", {"body": "Closure of {{ project.code }}", "note": "Wording"}
    )
    assert (status, body["number"], [v["note"] for v in body["versions"]]) == (200, 2, ["Wording", "First version"])
    status, body = pm("get", f"/document-templates/{template_id}/fill?project_id={docs['p1'].pk}")
    assert body == {"template": "Closure report", "project": "P1", "text": "Closure of P1"}
    status, body = pm("get", "/document-templates?kind=policy")
    assert [t["name"] for t in body] == ["Document control policy"]
    status, body = analyst("patch", f"/document-templates/{template_id}", {"name": "x", "version": 1})
    assert status == 409
    assert DocumentTemplate.objects.get(pk=template_id).name == "Closure report"
    status, body = pm("get", "/document-templates/fields")
    assert body[0] == {"name": "project.name", "description": "Project name"}


def test_requester_gets_404_on_project_documents(docs: dict[str, Any], roles: Any) -> None:
    status, _body = caller(roles[Role.REQUESTER])("get", f"/projects/{docs['p1'].pk}/documents")
    assert status == 404


def test_withdraw_supersede_and_delete(docs: dict[str, Any], roles: Any) -> None:
    pm = caller(roles[Role.PROJECT_MANAGER])
    analyst_id = roles[Role.PMO_ANALYST].person.pk
    status, body = pm(
        "post", f"/projects/{docs['p1'].pk}/documents", {"title": "Plan", "text": "x", "approver_ids": [analyst_id]}
    )
    doc_id = body["id"]
    assert pm("post", f"/documents/{doc_id}/submit", {})[1]["status"] == "in_review"
    status, body = pm("delete", f"/documents/{doc_id}")
    assert (status, body["code"]) == (409, "conflict")
    assert pm("post", f"/documents/{doc_id}/withdraw", {})[1]["status"] == "draft"
    status, body = pm("patch", f"/documents/{doc_id}", {"title": "Project plan"})
    assert (status, body["title"]) == (200, "Project plan")
    status, _ = pm("delete", f"/documents/{doc_id}")
    assert status == 204
    assert not Document.objects.filter(pk=doc_id).exists()
    status, body = pm("post", f"/projects/{docs['p1'].pk}/documents", {"title": "Old", "text": "x"})
    status, body = pm("post", f"/documents/{body['id']}/supersede", {"comment": "Gone"})
    assert (status, body["status"]) == (200, "superseded")
