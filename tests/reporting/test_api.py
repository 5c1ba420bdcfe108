"""The reporting API: the dashboard and roadmap as JSON, reports produced, listed and downloaded,
subscriptions, the common error shape, and refusals that change nothing."""

import json
from typing import Any

from django.test import Client

from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.reporting.models import ReportArchive, ReportSubscription


def caller(user: Any) -> Any:
    token = token_create(user=user, name="api")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def call(method: str, path: str, body: Any = None, raw: bool = False) -> Any:
        kwargs: dict[str, Any] = {"content_type": "application/json", **headers}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        response = getattr(Client(), method)(f"/api/v1{path}", **kwargs)
        if raw:
            return response
        return response.status_code, (response.json() if response.content else None)

    return call


def test_dashboard_json(board: dict[str, Any], roles: Any) -> None:
    status, body = caller(roles[Role.EXECUTIVE])("get", "/dashboard?portfolio=DIG")
    assert status == 200
    assert body["portfolio"] == {"id": board["portfolio"].pk, "code": "DIG", "name": "Digital"}
    assert body["counts"] == {"projects": 2, "red": 1, "amber": 0, "green": 1}
    assert body["totals"] == {
        "budget": "1250000.00",
        "actual": "260000.00",
        "eac": "1400000.00",
        "exposure": "60000.00",
    }
    p1 = body["health"][0]
    assert {k: p1[k] for k in ("schedule", "cost", "scope", "risk", "overall", "source", "earned_value")} == {
        "schedule": "red",
        "cost": "amber",
        "scope": "green",
        "risk": "amber",
        "overall": "red",
        "source": "report",
        "earned_value": "red",
    }
    assert p1["url"] == f"/projects/{board['p1'].pk}/"
    assert body["money_by_year"][1] == {
        "year": 2026,
        "budget": "1250000.00",
        "actual": "250000.00",
        "forecast": "839000.00",
    }
    assert [(s["state"], s["count"]) for s in body["pipeline"]] == [
        ("draft", 2),
        ("submitted", 1),
        ("under_evaluation", 0),
        ("approved", 0),
    ]
    assert body["milestones"] == [
        {
            "project": {"id": board["p1"].pk, "code": "P1", "name": "Mobile app"},
            "name": "Launch",
            "date": "2026-11-20",
            "status": "late",
        }
    ]
    assert [r["title"] for r in body["top_risks"]] == ["Vendor late"]
    assert body["overdue_gates"] == [] and body["benefits"] == []


def test_roadmap_json(board: dict[str, Any], roles: Any) -> None:
    status, body = caller(roles[Role.PMO_DIRECTOR])("get", "/roadmap")
    assert status == 200
    assert [lane["project"]["code"] for lane in body["lanes"]] == ["P1", "P3", "P2"]
    assert body["lanes"][0]["forecast_finish"] == "2027-01-29" and body["lanes"][0]["slip_days"] == 42
    [link] = body["links"]
    assert {k: link[k] for k in ("provider_task", "consumer_task", "needed_by", "forecast", "late", "days_late")} == {
        "provider_task": "Build",
        "consumer_task": "Integrate",
        "needed_by": "2026-11-16",
        "forecast": "2026-11-20",
        "late": True,
        "days_late": 4,
    }
    assert caller(roles[Role.PMO_DIRECTOR])("get", "/roadmap?program=NOPE") == (
        422,
        {
            "code": "validation_error",
            "message": "Invalid input: program: No program 'NOPE'.",
            "details": {"fields": {"program": ["No program 'NOPE'."]}},
        },
    )


def test_reports_round_trip(board: dict[str, Any], roles: Any) -> None:
    call = caller(roles[Role.PMO_ANALYST])
    status, body = call("post", "/reports", {"portfolio": "OPS", "format": "csv"})
    assert status == 201
    assert (body["title"], body["format"], body["period_start"], body["period_end"]) == (
        "Portfolio status report — Operations",
        "csv",
        "2026-11-01",
        "2026-11-30",
    )
    response = call("get", body["download_url"].removeprefix("/api/v1"), raw=True)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="portfolio-report-ops-2026-11-30.csv"'
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines] == ["Project", "P3"]
    status, project = call("post", "/reports", {"project": "P1"})
    assert (status, project["kind"], project["format"]) == (201, "project", "pdf")
    status, listed = call("get", "/reports")
    assert [r["id"] for r in listed] == [project["id"], body["id"]]


def test_report_errors(board: dict[str, Any], roles: Any) -> None:
    call = caller(roles[Role.PMO_ANALYST])
    assert call("post", "/reports", {"portfolio": "NOPE"}) == (
        422,
        {
            "code": "validation_error",
            "message": "Invalid input: portfolio: No portfolio 'NOPE'.",
            "details": {"fields": {"portfolio": ["No portfolio 'NOPE'."]}},
        },
    )
    status, body = call("post", "/reports", {"project": "P1", "format": "xlsx"})
    assert (status, body["details"]) == (422, {"fields": {"format": ["A project status report is a PDF."]}})
    status, body = call("post", "/reports", {"format": "docx"})
    assert status == 422
    assert ReportArchive.objects.count() == 0


def test_archives_are_private_to_their_producer_and_the_readers(board: dict[str, Any], roles: Any) -> None:
    _status, made = caller(roles[Role.PROJECT_MANAGER])("post", "/reports", {"portfolio": "DIG", "format": "csv"})
    assert caller(roles[Role.PROJECT_ADMINISTRATOR])("get", f"/reports/{made['id']}/download")[0] == 404
    assert caller(roles[Role.PROJECT_ADMINISTRATOR])("get", "/reports") == (200, [])
    assert caller(roles[Role.EXECUTIVE])("get", f"/reports/{made['id']}/download", raw=True).status_code == 200


def test_denied_calls_change_nothing(board: dict[str, Any], roles: Any) -> None:
    for role in (Role.TEAM_MEMBER, Role.REQUESTER):
        call = caller(roles[role])
        assert call("get", "/dashboard")[0] == 403
        assert call("post", "/reports", {"format": "csv"})[0] == 403
        assert call("post", "/report-subscriptions", {"frequency": "weekly"})[0] == 403
    assert caller(roles[Role.PROJECT_ADMINISTRATOR])("post", "/reports", {"format": "csv"})[0] == 403
    assert caller(roles[Role.EXECUTIVE])("post", "/report-subscriptions/run-due")[0] == 403
    assert (ReportArchive.objects.count(), ReportSubscription.objects.count()) == (0, 0)


def test_subscriptions_round_trip(board: dict[str, Any], roles: Any) -> None:
    user = roles[Role.EXECUTIVE]
    user.email = "exec@example.org"
    user.save()
    call = caller(user)
    status, made = call("post", "/report-subscriptions", {"portfolio": "DIG", "frequency": "weekly", "format": "xlsx"})
    assert status == 201
    assert {k: made[k] for k in ("user", "frequency", "format", "active", "next_run", "version")} == {
        "user": "exec",
        "frequency": "weekly",
        "format": "xlsx",
        "active": True,
        "next_run": "2026-12-07",
        "version": 1,
    }
    status, changed = call("patch", f"/report-subscriptions/{made['id']}", {"version": 1, "active": False})
    assert (status, changed["active"], changed["version"]) == (200, False, 2)
    assert call("patch", f"/report-subscriptions/{made['id']}", {"version": 1, "active": True})[0] == 409
    other = caller(roles[Role.PORTFOLIO_MANAGER])
    assert other("delete", f"/report-subscriptions/{made['id']}")[0] == 404
    assert other("get", "/report-subscriptions") == (200, [])
    assert call("delete", f"/report-subscriptions/{made['id']}") == (204, None)
    assert ReportSubscription.objects.count() == 0


def test_run_due_by_the_director(board: dict[str, Any], roles: Any) -> None:
    assert caller(roles[Role.PMO_DIRECTOR])("post", "/report-subscriptions/run-due") == (200, {"enqueued": []})


def test_dashboard_year_json(board: dict[str, Any], roles: Any) -> None:
    status, body = caller(roles[Role.EXECUTIVE])("get", "/dashboard/years/2026")
    assert status == 200
    assert body["total"] == {"year": 2026, "budget": "1451643.84", "actual": "290000.00", "forecast": "928714.29"}
    assert body["variance"] == "522929.55"
    assert [(p["project"]["code"], p["url"], p["forecast"], p["variance"]) for p in body["projects"]] == [
        ("P1", f"/projects/{board['p1'].pk}/", "839000.00", "411000.00"),
        ("P3", f"/projects/{board['p3'].pk}/", "89714.29", "111929.55"),
    ]
    status, body = caller(roles[Role.EXECUTIVE])("get", "/dashboard/years/2026?portfolio=OPS")
    assert [p["project"]["code"] for p in body["projects"]] == ["P3"] and body["portfolio"]["code"] == "OPS"
    assert caller(roles[Role.TEAM_MEMBER])("get", "/dashboard/years/2026")[0] == 403
    assert caller(roles[Role.EXECUTIVE])("get", "/dashboard/years/2026?portfolio=NOPE")[0] == 422
