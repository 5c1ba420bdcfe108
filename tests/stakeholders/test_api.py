"""The API: registers, communication plan and log, surveys, benefits, measurements and the roll-up."""

import datetime as dt
from decimal import Decimal

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.stakeholders import services
from pmo.stakeholders.models import BenefitMeasurement, CommunicationItem, Stakeholder

API = "/api/v1"


def test_stakeholders_and_communication_plan(org, client_for):
    pf = client_for(Role.PORTFOLIO_MANAGER)
    r = pf.post(
        f"{API}/stakeholders",
        {
            "program_id": org["program"].pk,
            "name": "Branch managers",
            "interest": 4,
            "influence": 4,
            "current_engagement": "resistant",
            "desired_engagement": "supportive",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["quadrant"], body["engagement_gap"], body["program"]["code"]) == ("manage closely", 2, "CX")
    bad = pf.post(
        f"{API}/stakeholders",
        {"program_id": org["program"].pk, "name": "X", "interest": 9, "influence": 1},
        content_type="application/json",
    )
    assert bad.status_code == 422 and bad.json()["code"] == "validation_error"
    r = pf.post(
        f"{API}/communication-items",
        {
            "program_id": org["program"].pk,
            "what": "Briefing",
            "stakeholder_ids": [body["id"]],
            "frequency": "fortnightly",
            "channel": "meeting",
            "next_due": "2026-11-25",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    item = r.json()
    assert (item["overdue"], item["stakeholders"][0]["name"]) == (True, "Branch managers")
    due = pf.get(f"{API}/communication-items", {"program_id": org["program"].pk, "due": True}).json()
    assert [i["what"] for i in due] == ["Briefing"]
    sent = pf.post(
        f"{API}/communication-items/{item['id']}/log",
        {"sent_on": "2026-12-02", "note": "Done"},
        content_type="application/json",
    )
    assert sent.status_code == 201 and sent.json()["sent_by"] == "Portfolio"
    after = pf.get(f"{API}/communication-items/{item['id']}").json()
    assert (after["next_due"], after["overdue"]) == ("2026-12-09", False)
    assert [e["note"] for e in pf.get(f"{API}/communication-items/{item['id']}/log").json()] == ["Done"]


def test_denied_api_writes_change_nothing(org, client_for):
    s = services.stakeholder_create(actor=SYSTEM, project=org["p1"], name="A", interest=1, influence=1)
    member = client_for(Role.TEAM_MEMBER)
    r = member.patch(f"{API}/stakeholders/{s.pk}", {"interest": 5}, content_type="application/json")
    assert r.status_code == 403
    s.refresh_from_db()
    assert s.interest == 1
    requester = client_for(Role.REQUESTER)
    assert requester.get(f"{API}/stakeholders").status_code == 403
    assert member.delete(f"{API}/stakeholders/{s.pk}").status_code == 403
    assert Stakeholder.objects.count() == 1 and CommunicationItem.objects.count() == 0


def test_benefits_measurements_and_rollup(org, client_for):
    pm = client_for(Role.PROJECT_MANAGER)
    r = pm.post(
        f"{API}/benefits",
        {
            "project_id": org["p1"].pk,
            "name": "Members",
            "kpi": "Active members",
            "unit": "members",
            "baseline_value": "100",
            "target_value": "300",
            "target_date": "2027-06-30",
            "financial_value": "5000",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    b = r.json()
    assert (b["currency"], b["progress"], b["realised_value"]) == ("EUR", None, "0.00")
    m = pm.post(
        f"{API}/benefits/{b['id']}/measurements",
        {"measured_on": "2026-11-30", "value": "150"},
        content_type="application/json",
    )
    assert m.status_code == 201 and m.json()["recorded_by"] == "Pm"
    assert (
        pm.post(
            f"{API}/benefits/{b['id']}/measurements",
            {"measured_on": "2027-01-01", "value": "1"},
            content_type="application/json",
        ).status_code
        == 422
    )
    got = pm.get(f"{API}/benefits/{b['id']}").json()
    assert (got["latest_value"], got["progress"], got["realised_value"]) == ("150.0000", "0.2500", "1250.00")
    other = services.benefit_create(
        actor=SYSTEM,
        project=org["p2"],
        name="Speed",
        kpi="Speed",
        baseline_value=Decimal(0),
        target_value=Decimal(4),
        target_date=dt.date(2026, 10, 1),
        financial_value=Decimal("1000"),
    )
    services.measurement_record(actor=SYSTEM, benefit=other, measured_on=dt.date(2026, 11, 1), value=Decimal(3))
    roll = client_for(Role.EXECUTIVE).get(f"{API}/benefits/rollup").json()
    assert [(p["code"], p["planned_value"], p["realised_value"], p["progress"]) for p in roll["projects"]] == [
        ("P1", "5000.00", "1250.00", 0.25),
        ("P2", "1000.00", "750.00", 0.75),
    ]
    assert [(g["code"], g["planned_value"], g["realised_value"], g["progress"]) for g in roll["portfolios"]] == [
        ("DIG", "6000.00", "2000.00", 0.3333)
    ]
    assert [(g["code"], g["projects"]) for g in roll["objectives"]] == [("SO1", ["P1"])]
    denied = client_for(Role.EXECUTIVE).post(
        f"{API}/benefits/{b['id']}/measurements",
        {"measured_on": "2026-11-30", "value": "999"},
        content_type="application/json",
    )
    assert denied.status_code == 403 and BenefitMeasurement.objects.count() == 2
    assert client_for(Role.EXECUTIVE).get(f"{API}/benefits/rollup", {"portfolio_id": 999}).status_code == 422


def test_surveys_through_the_api(org, client_for):
    pm = client_for(Role.PROJECT_MANAGER)
    r = pm.post(f"{API}/surveys", {"project_id": org["p1"].pk, "period": "2026-11"}, content_type="application/json")
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    for role, score in ((Role.REQUESTER, 5), (Role.TEAM_MEMBER, 2), (Role.EXECUTIVE, 4)):
        a = client_for(role).post(
            f"{API}/surveys/{sid}/responses", {"score": score, "comment": "ok"}, content_type="application/json"
        )
        assert a.status_code == 201, a.content
    got = pm.get(f"{API}/surveys/{sid}").json()
    assert (got["responses"], got["average"], got["distribution"]) == (3, "3.67", [0, 1, 0, 1, 1])
    assert (
        pm.patch(f"{API}/surveys/{sid}", {"is_open": False}, content_type="application/json").json()["is_open"] is False
    )
    late = client_for(Role.PMO_ANALYST).post(
        f"{API}/surveys/{sid}/responses", {"score": 1}, content_type="application/json"
    )
    assert late.status_code == 409
