"""The knowledge API: lessons (list, search, create, update), full-text search, closures (start, report, session,
close) and maturity; exact payloads, the common error shape, and denied calls that change nothing."""

import json

from django.test import Client

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.knowledge import services
from pmo.knowledge.models import Closure, ImprovementAction, Lesson, MaturityAssessment
from pmo.portfolio.models import Project


def caller(user):
    token = token_create(user=user, name="api")[1]

    def call(method, path, body=None):
        kwargs = {"content_type": "application/json", "HTTP_AUTHORIZATION": f"Bearer {token}"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        response = getattr(Client(), method)(f"/api/v1{path}", **kwargs)
        return response.status_code, (response.json() if response.content else None)

    return call


def test_lesson_round_trip(org, roles):
    pm = caller(roles[Role.PROJECT_MANAGER])
    category = services.category_create(actor=SYSTEM, name="Suppliers")
    status, body = pm(
        "post",
        "/lessons",
        {
            "title": "Vendor onboarding was slow",
            "what_happened": "Eight weeks of security checks.",
            "recommendation": "Start in month one.",
            "category_id": category.pk,
            "phase": "executing",
            "tags": ["Supplier", "onboarding"],
            "project_id": org["p1"].pk,
        },
    )
    assert status == 201
    lesson_id = body.pop("id")
    assert body.pop("created_at")
    assert body == {
        "code": "LL-0001",
        "kind": "lesson",
        "title": "Vendor onboarding was slow",
        "what_happened": "Eight weeks of security checks.",
        "impact": "",
        "recommendation": "Start in month one.",
        "category": {"id": category.pk, "name": "Suppliers"},
        "phase": "executing",
        "tags": ["supplier", "onboarding"],
        "project": {"id": org["p1"].pk, "code": "P1", "name": "Mobile app"},
        "portfolio": {"id": org["portfolio"].pk, "code": "DIG", "name": "Digital"},
        "relevant": False,
        "recorded_by": "pm",
        "version": 1,
    }
    status, body = pm("patch", f"/lessons/{lesson_id}", {"impact": "Launch late", "version": 1})
    assert (status, body["impact"], body["version"]) == (200, "Launch late", 2)
    status, body = pm("patch", f"/lessons/{lesson_id}", {"impact": "Again", "version": 1})
    assert (status, body["code"]) == (409, "stale_version")
    status, body = pm("patch", f"/lessons/{lesson_id}", {"relevant": True})
    assert (status, body["code"]) == (403, "permission_denied")
    status, body = caller(roles[Role.PMO_ANALYST])("patch", f"/lessons/{lesson_id}", {"relevant": True})
    assert (status, body["relevant"]) == (200, True)
    status, body = pm("get", "/lessons?relevant=true&tag=supplier")
    assert [lesson["code"] for lesson in body] == ["LL-0001"]
    status, body = pm("get", "/lessons?q=security")
    assert [lesson["code"] for lesson in body] == ["LL-0001"]


def test_lesson_errors_name_the_field(org, roles):
    analyst = caller(roles[Role.PMO_ANALYST])
    status, body = analyst("post", "/lessons", {"title": "", "what_happened": "x", "project_id": 999})
    assert (status, body["code"], body["details"]) == (
        422,
        "validation_error",
        {"fields": {"project_id": ["No project with id 999."]}},
    )
    status, body = analyst("post", "/lessons", {"title": " ", "what_happened": "x"})
    assert (status, body["details"]) == (422, {"fields": {"title": ["Give the lesson a short title."]}})
    assert Lesson.objects.count() == 0


def test_requester_reads_lessons_but_records_none(org, roles):
    services.lesson_create(actor=SYSTEM, title="Shared", what_happened="x", relevant=True)
    requester = caller(roles[Role.REQUESTER])
    status, body = requester("get", "/lessons")
    assert (status, [lesson["title"] for lesson in body]) == (200, ["Shared"])
    status, body = requester("post", "/lessons", {"title": "Mine", "what_happened": "x"})
    assert (status, body["code"]) == (403, "permission_denied")
    assert Lesson.objects.count() == 1
    status, body = requester("get", "/closures")
    assert status == 403
    status, body = requester("get", "/maturity/assessments")
    assert status == 403


def test_search_endpoint(org, roles):
    services.lesson_create(actor=SYSTEM, title="Vendor late", what_happened="The vendor missed the date.")
    services.lesson_create(actor=SYSTEM, kind="best_practice", title="Vendor scorecards", what_happened="Monthly.")
    status, body = caller(roles[Role.EXECUTIVE])("get", "/knowledge/search?q=vendor")
    assert status == 200
    assert (body["query"], body["total"], list(body["groups"])) == ("vendor", 2, ["lesson", "best_practice"])
    hit = body["groups"]["lesson"][0]
    assert (hit["title"], hit["snippet"], hit["url"]) == (
        "LL-0001 Vendor late",
        "The «vendor» missed the date.",
        f"/knowledge/lessons/{Lesson.objects.get(code='LL-0001').pk}/",
    )
    status, body = caller(roles[Role.EXECUTIVE])("get", "/knowledge/search?q=%20")
    assert (status, body["details"]) == (422, {"fields": {"q": ["Give a word to search for."]}})


def test_closure_round_trip(org, roles):
    Project.objects.filter(pk=org["p1"].pk).update(state="closing")
    pm = caller(roles[Role.PROJECT_MANAGER])
    pk = org["p1"].pk
    status, body = pm("get", f"/projects/{pk}/closure")
    assert (status, body["code"]) == (404, "not_found")
    status, body = pm("post", f"/projects/{pk}/closure", {"reason": "Delivered"})
    assert status == 201
    assert (body["status"], body["project_state"], body["killed"], body["report_complete"]) == (
        "in_progress",
        "closing",
        False,
        False,
    )
    assert body["objectives"] == [{"objective": "SO1 Grow revenue", "met": "", "comment": ""}]
    assert body["figures"]["budget"] == "1250000.00"
    status, again = pm("post", f"/projects/{pk}/closure", {"reason": "Other"})
    assert (status, again["id"], again["reason"]) == (200, body["id"], "Delivered")
    status, body = pm("post", f"/projects/{pk}/closure/close", {})
    assert (status, body["code"]) == (409, "conflict")
    assert body["details"]["missing"][0] == "say whether the objectives were met (overall or for each objective)"
    status, body = pm(
        "put",
        f"/projects/{pk}/closure/report",
        {
            "objectives": [{"objective": "SO1 Grow revenue", "met": "yes", "comment": "+12 %"}],
            "benefits_handed_over": "To Sales Ops",
            "recommendations": "Test with stores",
            "final_cost": "1300000.00",
        },
    )
    assert (status, body["report_complete"], body["figures"]["actual_cost"]) == (200, True, "1300000.00")
    status, body = pm(
        "put", f"/projects/{pk}/closure/session", {"session_date": "2026-12-02", "participants": ["Pat", "Sam"]}
    )
    assert (status, body["session_participants"], body["missing"]) == (
        200,
        ["Pat", "Sam"],
        ["record at least one lesson learned"],
    )
    pm("post", "/lessons", {"title": "Stores", "what_happened": "Demos helped", "project_id": pk})
    status, body = pm("post", f"/projects/{pk}/closure/close", {"comment": "Done"})
    assert (status, body["status"], body["project_state"], body["missing"]) == (200, "closed", "closed", [])
    status, body = pm("get", "/closures?status=closed")
    assert [c["project"]["code"] for c in body] == ["P1"]
    status, body = pm("put", f"/projects/{pk}/closure/report", {"recommendations": "Late"})
    assert status == 403
    assert Closure.objects.get().recommendations == "Test with stores"


def test_closure_denied_to_other_managers_changes_nothing(org, roles):
    Project.objects.filter(pk=org["p2"].pk).update(state="closing")
    status, body = caller(roles[Role.PROJECT_MANAGER])("post", f"/projects/{org['p2'].pk}/closure", {})
    assert (status, body["code"]) == (403, "permission_denied")
    assert Closure.objects.count() == 0


def test_team_members_see_closures_without_money(org, roles):
    Project.objects.filter(pk=org["p1"].pk).update(state="closing")
    services.closure_start(actor=SYSTEM, project=Project.objects.get(pk=org["p1"].pk), reason="Delivered")
    status, body = caller(roles[Role.TEAM_MEMBER])("get", "/closures")
    assert status == 200 and body[0]["figures"]["budget"] == "1250000.00"  # team members see project figures


def test_maturity_endpoints(org, roles):
    analyst = caller(roles[Role.PMO_ANALYST])
    levels = {"governance": 2, "method": 3, "resources": 1, "benefits": 2, "risk": 3, "reporting": 4}
    status, body = analyst(
        "post", "/maturity/assessments", {"title": "Review", "assessed_on": "2026-11-01", "levels": levels}
    )
    assert (status, body["average"], len(body["scores"])) == (201, "2.5", 6)
    status, body = analyst(
        "post", "/maturity/assessments", {"title": "Bad", "assessed_on": "2026-11-01", "levels": {"risk": 9}}
    )
    assert status == 422 and body["details"]["fields"]["levels.risk"] == ["Rate risk from 1 to 5."]
    assert MaturityAssessment.objects.count() == 1
    member = org["person"][Role.TEAM_MEMBER]
    status, body = analyst(
        "post",
        "/maturity/actions",
        {"title": "Benefit owners", "dimension": "benefits", "owner_id": member.pk, "due": "2026-11-30"},
    )
    assert (status, body["overdue"], body["status"], body["owner"]) == (
        201,
        True,
        "open",
        {"id": member.pk, "name": member.name},
    )
    action_id = body["id"]
    status, body = analyst("get", "/maturity/actions?overdue=true")
    assert [a["title"] for a in body] == ["Benefit owners"]
    owner = caller(roles[Role.TEAM_MEMBER])
    status, body = owner("patch", f"/maturity/actions/{action_id}", {"title": "Renamed"})
    assert status == 403
    status, body = owner("patch", f"/maturity/actions/{action_id}", {"status": "done"})
    assert (status, body["status"], body["overdue"]) == (200, "done", False)
    status, body = caller(roles[Role.EXECUTIVE])("patch", f"/maturity/actions/{action_id}", {"status": "open"})
    assert status == 403
    assert ImprovementAction.objects.get().status == "done"
