"""The governance pages: each renders for the roles that see it, its forms reach the services, and errors come
back as messages naming the field."""

from typing import Any

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.governance import services
from pmo.governance.models import GateReview, Methodology, MethodologyVersion
from tests.governance.conftest import answer_all


def page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_sidebar_and_the_library(on_hybrid: dict[str, Any], client_for: Any) -> None:
    client = client_for(Role.PMO_DIRECTOR)
    html = page(client, "/")
    assert 'href="/governance/"' in html
    assert client.get("/governance/").url == "/governance/methodologies/"
    html = page(client, "/governance/methodologies/")
    assert "Hybrid delivery" in html
    assert "New methodology" in html
    html = page(client, f"/governance/methodologies/{on_hybrid['hybrid'].methodology_id}/")
    assert "Gate: Business case" in html
    assert "Edit as a new version" in html
    assert "Add a phase" not in html  # published: read-only


def test_the_director_builds_and_publishes_on_the_pages(db: Any, roles: Any, client_for: Any) -> None:
    client = client_for(Role.PMO_DIRECTOR)
    response = client.post("/governance/methodologies/", {"name": "Hybrid delivery", "kind": "hybrid"})
    methodology = Methodology.objects.get()
    url = f"/governance/methodologies/{methodology.pk}/"
    assert response.url == url
    version = methodology.versions.get()
    client.post(
        url + f"?v={version.pk}",
        {"action": "phase_add", "name": "Define", "gate_name": "Business case", "typical_weeks": "6"},
    )
    phase = version.phases.get()
    client.post(
        url + f"?v={version.pk}",
        {"action": "requirement_add", "phase": phase.pk, "name": "Charter", "type": "document"},
    )
    response = client.post(url + f"?v={version.pk}", {"action": "publish"}, follow=True)
    assert "Criteria: Give each gate at least one criterion; missing: Define." in response.content.decode()
    client.post(url + f"?v={version.pk}", {"action": "criterion_add", "phase": phase.pk, "text": "Case approved"})
    response = client.post(url + f"?v={version.pk}", {"action": "publish", "notes": "First"}, follow=True)
    assert "Hybrid delivery v1 published" in response.content.decode()
    assert MethodologyVersion.objects.get().state == "published"


def test_the_analyst_cannot_publish(db: Any, roles: Any, client_for: Any) -> None:
    methodology = services.methodology_create(actor=SYSTEM, name="Agile", kind="agile")
    version = methodology.versions.get()
    client = client_for(Role.PMO_ANALYST)
    html = page(client, f"/governance/methodologies/{methodology.pk}/")
    assert "Add a phase" in html
    assert 'value="publish"' not in html
    assert client.post(f"/governance/methodologies/{methodology.pk}/", {"action": "publish"}).status_code == 403
    version.refresh_from_db()
    assert version.state == "draft"


def test_project_page_panel_and_governance_page(on_hybrid: dict[str, Any], client_for: Any) -> None:
    client = client_for(Role.PROJECT_MANAGER)
    p1 = on_hybrid["p1"]
    html = page(client, f"/projects/{p1.pk}/")
    assert 'id="governance"' in html
    assert "Hybrid delivery" in html
    assert "Next gate" in html
    assert "overdue by 290 days" in html
    assert "Project charter" in html
    html = page(client, f"/governance/projects/{p1.pk}/")
    assert "Gate history" in html
    html = page(client, f"/portfolios/{on_hybrid['portfolio'].pk}/")
    assert "2 gates to hold" in html


def test_a_gate_review_on_the_page(on_hybrid: dict[str, Any], client_for: Any, roles: Any) -> None:
    review = GateReview.objects.get(project=on_hybrid["p1"], state="open")
    url = f"/governance/reviews/{review.pk}/"
    pm = client_for(Role.PROJECT_MANAGER)
    html = page(pm, url)
    assert "Save the checklist" in html
    assert "Record the decision" not in html
    data = {"action": "answers"}
    for answer in review.answers.all():
        data[f"answer_{answer.pk}"] = "met"
        data[f"evidence_{answer.pk}"] = "https://wiki.example/x"
    pm.post(url, data)
    assert list(review.answers.values_list("answer", flat=True)) == ["met", "met"]
    director = client_for(Role.PMO_DIRECTOR)
    html = page(director, url)
    assert "Record the decision" in html
    owner = on_hybrid["person"][Role.PROJECT_MANAGER].pk
    response = director.post(url, {"action": "decide", "decision": "go_conditions", "comment": ""}, follow=True)
    assert "Comment: Say why the gate is decided go with conditions." in response.content.decode()
    response = director.post(
        url,
        {
            "action": "decide",
            "decision": "go_conditions",
            "comment": "Sign the case",
            "condition_text": ["Case signed", ""],
            "condition_owner": [str(owner), ""],
            "condition_due": ["2026-12-20", ""],
        },
        follow=True,
    )
    assert "Gate decided: go with conditions." in response.content.decode()
    review.refresh_from_db()
    assert (review.decision, review.conditions.count()) == ("go_conditions", 1)


def test_gates_and_audits_pages(on_hybrid: dict[str, Any], client_for: Any) -> None:
    services.gate_decide(
        actor=SYSTEM,
        review=GateReview.objects.get(project=on_hybrid["p2"], state="open"),
        decision="kill",
        comment="No case",
    )
    answer_all(GateReview.objects.get(project=on_hybrid["p1"], state="open"))
    client = client_for(Role.EXECUTIVE)
    html = page(client, "/governance/gates/")
    assert "Overdue gates" in html
    assert "P1" in html
    assert "Kill" in html
    html = page(client, "/governance/audits/")
    assert "Compliance trend" in html
    assert "Plan an audit" not in html  # executives read


def test_requesters_are_kept_out(on_hybrid: dict[str, Any], client_for: Any) -> None:
    client = client_for(Role.REQUESTER)
    assert client.get("/governance/gates/").status_code == 403
    assert client.get("/governance/audits/").status_code == 403
    review = GateReview.objects.filter(project=on_hybrid["p1"]).first()
    assert client.get(f"/governance/reviews/{review.pk}/").status_code == 403
    assert client.get("/governance/methodologies/").status_code == 200


def test_the_pmo_keeps_checklists_on_the_audits_page(db: Any, roles: Any, client_for: Any) -> None:
    from pmo.governance.models import AuditTemplate

    client = client_for(Role.PMO_ANALYST)
    client.post("/governance/audits/", {"action": "template_add", "name": "Closure audit", "type": "audit"})
    template = AuditTemplate.objects.get()
    response = client.post(
        "/governance/audits/",
        {
            "action": "question_add",
            "template": template.pk,
            "text": "Lessons recorded",
            "area": "governance",
            "weight": "3",
        },
        follow=True,
    )
    assert "Question added." in response.content.decode()
    assert [(q.text, q.area, q.weight) for q in template.questions.all()] == [("Lessons recorded", "governance", 3)]
    response = client.post(
        "/governance/audits/",
        {"action": "question_add", "template": template.pk, "text": "Heavy", "area": "governance", "weight": "9"},
        follow=True,
    )
    assert "Weight: A weight from 1 to 5." in response.content.decode()
    pm = client_for(Role.PROJECT_MANAGER)
    assert "New checklist" not in pm.get("/governance/audits/").content.decode()
    assert pm.post("/governance/audits/", {"action": "template_add", "name": "Mine"}).status_code == 403
    assert AuditTemplate.objects.count() == 1
