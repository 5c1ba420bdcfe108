"""The governance API: the library round trip, a project's methodology, a gate review to its decision, audits to
a closed finding; exact payloads, the common error shape, and denied calls that change nothing."""

import json
from typing import Any

from django.test import Client

from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.governance.models import GateReview, Methodology, MethodologyVersion, ProjectMethodology


def caller(user: Any) -> Any:
    token = token_create(user=user, name="api")[1]

    def call(method: str, path: str, body: Any = None) -> tuple[int, Any]:
        kwargs: dict[str, Any] = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Bearer {token}"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        response = getattr(Client(), method)(f"/api/v1{path}", **kwargs)
        return response.status_code, (response.json() if response.content else None)

    return call


def test_the_director_builds_and_publishes_a_methodology(roles: Any) -> None:
    director = caller(roles[Role.PMO_DIRECTOR])
    status, body = director("post", "/methodologies", {"name": "Hybrid delivery", "kind": "hybrid"})
    assert status == 201
    assert [(v["number"], v["state"]) for v in body["versions"]] == [(1, "draft")]
    version_id = body["versions"][0]["id"]
    status, phase = director(
        "post", f"/methodology-versions/{version_id}/phases", {"name": "Define", "gate_name": "Business case"}
    )
    assert status == 201
    assert (phase["order"], phase["typical_weeks"]) == (1, 4)
    status, req = director("post", f"/methodology-phases/{phase['id']}/requirements", {"name": "Business case"})
    assert (status, req["type"]) == (201, "document")
    status, crit = director("post", f"/methodology-phases/{phase['id']}/criteria", {"text": "Case approved"})
    assert (status, crit["order"]) == (201, 1)
    status, version = director("post", f"/methodology-versions/{version_id}/publish", {"notes": "First"})
    assert status == 200
    assert (version["state"], version["notes"]) == ("published", "First")
    assert [p["criteria"][0]["text"] for p in version["phases"]] == ["Case approved"]
    # Published: immutable.
    status, body = director("post", f"/methodology-phases/{phase['id']}/criteria", {"text": "More"})
    assert status == 409
    assert body["code"] == "conflict"
    status, draft = director("post", f"/methodologies/{version['methodology']['id']}/versions")
    assert (status, draft["number"], draft["state"], len(draft["phases"])) == (201, 2, "draft", 1)


def test_only_the_director_publishes_and_the_pmo_keeps_the_library(roles: Any) -> None:
    analyst = caller(roles[Role.PMO_ANALYST])
    status, body = analyst("post", "/methodologies", {"name": "Agile", "kind": "agile"})
    assert status == 201
    version_id = body["versions"][0]["id"]
    status, phase = analyst(
        "post", f"/methodology-versions/{version_id}/phases", {"name": "Sprint", "gate_name": "Demo"}
    )
    analyst("post", f"/methodology-phases/{phase['id']}/criteria", {"text": "Demo accepted"})
    status, body = analyst("post", f"/methodology-versions/{version_id}/publish", {})
    assert status == 403
    assert MethodologyVersion.objects.get(pk=version_id).state == "draft"
    pm = caller(roles[Role.PROJECT_MANAGER])
    status, _ = pm("post", "/methodologies", {"name": "Mine", "kind": "agile"})
    assert status == 403
    assert Methodology.objects.count() == 1
    status, body = pm("post", "/methodologies", {"name": "", "kind": "agile"})
    assert status == 403  # the permission is checked before the input


def test_validation_errors_name_the_field(roles: Any) -> None:
    director = caller(roles[Role.PMO_DIRECTOR])
    status, body = director("post", "/methodologies", {"name": " ", "kind": "hybrid"})
    assert status == 422
    assert body["details"]["fields"] == {"name": ["This field is required."]}


def test_project_methodology_and_a_gate_to_go_with_conditions(on_hybrid: dict[str, Any], roles: Any) -> None:
    p1 = on_hybrid["p1"]
    pm = caller(roles[Role.PROJECT_MANAGER])
    status, body = pm("get", f"/projects/{p1.pk}/methodology")
    assert status == 200
    assert body["methodology"]["name"] == "Hybrid delivery"
    assert (body["current_phase"], body["next_gate"]["gate_name"], body["next_gate"]["overdue"]) == (
        "Define",
        "Business case",
        True,
    )
    assert [(d["name"], d["status"]) for d in body["due"]] == [
        ("Project charter", "missing"),
        ("Business case", "missing"),
    ]
    review_id = body["next_gate"]["id"]
    status, review = pm("get", f"/gate-reviews/{review_id}")
    for answer in review["answers"]:
        status, _ = pm(
            "put", f"/gate-review-answers/{answer['id']}", {"answer": "met", "evidence_url": "https://x.example/e"}
        )
        assert status == 200
    # The project manager prepares but does not decide.
    status, body = pm("post", f"/gate-reviews/{review_id}/decide", {"decision": "go"})
    assert status == 403
    assert GateReview.objects.get(pk=review_id).state == "open"
    portfolio = caller(roles[Role.PORTFOLIO_MANAGER])
    status, body = portfolio(
        "post",
        f"/gate-reviews/{review_id}/decide",
        {
            "decision": "go_conditions",
            "comment": "Charter to sign",
            "conditions": [
                {
                    "text": "Charter signed",
                    "owner_id": on_hybrid["person"][Role.PROJECT_MANAGER].pk,
                    "due_date": "2026-12-20",
                }
            ],
        },
    )
    assert status == 200
    assert (body["state"], body["decision"]) == ("decided", "go_conditions")
    condition_id = body["conditions"][0]["id"]
    status, body = pm("get", "/gate-conditions?status=open")
    assert [c["text"] for c in body] == ["Charter signed"]
    status, body = pm("post", f"/gate-conditions/{condition_id}/close", {"note": "Signed"})
    assert (status, body["status"]) == (200, "done")
    status, body = pm("get", f"/gate-reviews?project_id={p1.pk}")
    assert [(r["gate_name"], r["state"]) for r in body] == [("Business case", "decided"), ("Release", "open")]


def test_kill_over_the_api(on_hybrid: dict[str, Any], roles: Any) -> None:
    p2 = on_hybrid["p2"]
    review = GateReview.objects.get(project=p2, state="open")
    director = caller(roles[Role.PMO_DIRECTOR])
    status, body = director("post", f"/gate-reviews/{review.pk}/decide", {"decision": "kill"})
    assert status == 422
    assert body["details"]["fields"] == {"comment": ["Say why the gate is decided kill."]}
    status, body = director("post", f"/gate-reviews/{review.pk}/decide", {"decision": "kill", "comment": "No case"})
    assert (status, body["decision"]) == (200, "kill")
    p2.refresh_from_db()
    assert p2.state == "cancelled"


def test_set_a_project_methodology(org: dict[str, Any], hybrid: Any, roles: Any) -> None:
    pm = caller(roles[Role.PROJECT_MANAGER])
    status, body = pm("put", f"/projects/{org['p2'].pk}/methodology", {"version_id": hybrid.pk})
    assert status == 403  # P2 is another manager's
    assert not ProjectMethodology.objects.exists()
    status, body = pm("get", f"/projects/{org['p1'].pk}/methodology")
    assert status == 404
    status, body = pm("put", f"/projects/{org['p1'].pk}/methodology", {"version_id": hybrid.pk, "start": "2026-11-02"})
    assert status == 201
    assert (body["phase_started"], body["next_gate"]["planned_date"]) == ("2026-11-02", "2026-12-14")
    status, body = pm("put", f"/projects/{org['p1'].pk}/methodology", {"version_id": hybrid.pk})
    assert status == 409


def test_an_audit_to_a_closed_finding(org: dict[str, Any], roles: Any) -> None:
    analyst = caller(roles[Role.PMO_ANALYST])
    status, template = analyst(
        "post",
        "/audit-templates",
        {
            "name": "Health check",
            "type": "health_check",
            "questions": [{"text": "Plan current", "weight": 2}, {"text": "Charter approved", "area": "documentation"}],
        },
    )
    assert status == 201
    status, audit = analyst(
        "post",
        "/audits",
        {"project_id": org["p1"].pk, "template_id": template["id"], "planned_date": "2026-12-01", "scheduled": False},
    )
    assert (status, audit["state"], len(audit["answers"])) == (201, "planned", 2)
    for answer, rating in zip(audit["answers"], ["yes", "no"], strict=True):
        analyst("put", f"/audit-answers/{answer['id']}", {"rating": rating})
    status, audit = analyst("post", f"/audits/{audit['id']}/complete", {"summary": "Charter missing"})
    assert (status, audit["score"]) == (200, "66.7")
    owner = org["person"][Role.PROJECT_MANAGER].pk
    status, finding = analyst(
        "post",
        f"/audits/{audit['id']}/findings",
        {"title": "Charter not approved", "owner_id": owner, "due_date": "2026-12-15", "severity": "high"},
    )
    assert (status, finding["status"]) == (201, "open")
    pm = caller(roles[Role.PROJECT_MANAGER])
    status, action = pm(
        "post",
        f"/findings/{finding['id']}/actions",
        {"description": "Get it signed", "owner_id": owner, "due_date": "2026-12-10"},
    )
    assert status == 201
    member = caller(roles[Role.TEAM_MEMBER])
    status, _ = member("post", f"/corrective-actions/{action['id']}/close")
    assert status == 403
    status, action = pm("post", f"/corrective-actions/{action['id']}/close")
    assert (status, action["status"]) == (200, "done")
    status, findings = pm("get", f"/findings?project_id={org['p1'].pk}")
    assert [(f["title"], f["status"], f["closed_on"]) for f in findings] == [
        ("Charter not approved", "closed", "2026-12-03")
    ]
    status, trend = pm("get", f"/portfolios/{org['portfolio'].pk}/compliance-trend?months=2")
    assert trend == [{"month_end": "2026-11-30", "score": None}, {"month_end": "2026-12-31", "score": "66.7"}]


def test_requesters_see_the_library_but_no_gates(on_hybrid: dict[str, Any], roles: Any) -> None:
    requester = caller(roles[Role.REQUESTER])
    status, body = requester("get", "/methodologies")
    assert (status, [m["name"] for m in body]) == (200, ["Hybrid delivery"])
    status, _ = requester("get", "/gate-reviews")
    assert status == 403
    status, _ = requester("get", "/audits")
    assert status == 403


def test_a_draft_is_edited_over_the_api(roles: Any) -> None:
    director = caller(roles[Role.PMO_DIRECTOR])
    _, body = director("post", "/methodologies", {"name": "Agile", "kind": "agile"})
    version_id = body["versions"][0]["id"]
    _, phase = director("post", f"/methodology-versions/{version_id}/phases", {"name": "Sprint", "gate_name": "Demo"})
    _, req = director("post", f"/methodology-phases/{phase['id']}/requirements", {"name": "Demo notes"})
    _, crit = director("post", f"/methodology-phases/{phase['id']}/criteria", {"text": "Demo accepted"})
    status, body = director("patch", f"/methodology-phases/{phase['id']}", {"name": "Release", "typical_weeks": 8})
    assert (status, body["name"], body["gate_name"], body["typical_weeks"]) == (200, "Release", "Demo", 8)
    status, body = director("patch", f"/methodology-phases/{phase['id']}", {"typical_weeks": 0})
    assert status == 422
    assert list(body["details"]["fields"]) == ["typical_weeks"]
    assert director("delete", f"/methodology-requirements/{req['id']}")[0] == 204
    assert director("delete", f"/methodology-criteria/{crit['id']}")[0] == 204
    _, version = director("get", f"/methodology-versions/{version_id}")
    assert [(p["name"], p["requirements"], p["criteria"]) for p in version["phases"]] == [("Release", [], [])]


def test_overdue_gates_and_reschedule(on_hybrid: dict[str, Any], roles: Any) -> None:
    analyst = caller(roles[Role.PMO_ANALYST])
    status, body = analyst("get", f"/gate-reviews?portfolio_id={on_hybrid['portfolio'].pk}&overdue=true")
    assert [(r["project"]["code"], r["planned_date"], r["overdue"]) for r in body] == [
        ("P1", "2026-02-16", True),
        ("P2", "2026-11-12", True),
    ]
    status, body = analyst("patch", f"/gate-reviews/{body[1]['id']}", {"planned_date": "2027-01-20"})
    assert (status, body["planned_date"], body["overdue"]) == (200, "2027-01-20", False)
    status, body = analyst("get", "/gate-reviews?overdue=true")
    assert [r["project"]["code"] for r in body] == ["P1"]
    status, body = analyst("post", "/gate-reviews", {"project_id": on_hybrid["p1"].pk})
    assert (status, body["code"]) == (409, "conflict")
