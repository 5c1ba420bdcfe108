import datetime as dt
from decimal import Decimal

from django.test import Client

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.resources import services
from pmo.resources.models import PersonSkill, ResourceRequest, TrainingPlan


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _request(org, pool):
    return services.resource_request_submit(
        actor=SYSTEM,
        project=org["p1"],
        role=pool["dev"],
        hours_per_week=Decimal("16"),
        start=dt.date(2026, 4, 6),
        finish=dt.date(2026, 6, 26),
    )


def test_pages_open_for_the_pool_and_not_for_requesters(pool, org, roles):
    rr = _request(org, pool)
    member = pool["member"]
    urls = ["/pool/", f"/pool/people/{member.pk}/", "/pool/skills/", "/pool/requests/", "/pool/training/"]
    urls.append(f"/resource-requests/{rr.pk}/")
    for role in (Role.PMO_DIRECTOR, Role.PROJECT_MANAGER, Role.TEAM_MEMBER, Role.EXECUTIVE):
        client = _client(roles[role])
        for url in urls:
            assert client.get(url).status_code == 200, (role, url)
    requester = _client(roles[Role.REQUESTER])
    for url in urls:
        assert requester.get(url).status_code == 403, url
    page = _client(pool["rm"]).get("/pool/").content.decode()
    assert "Resource pool" in page and member.name in page


def test_skills_matrix_and_gaps_on_the_page(pool, roles):
    page = _client(pool["rm"]).get(f"/pool/skills/?role={pool['dev'].pk}").content.decode()
    assert 'title="Level 2">2</span>' in page
    person_page = _client(pool["rm"]).get(f"/pool/people/{pool['member'].pk}/").content.decode()
    assert 'Competency gaps <span class="count">2</span>' in person_page


def test_resource_manager_assigns_on_the_page(pool, org, roles):
    rr = _request(org, pool)
    response = _client(pool["rm"]).post(
        f"/resource-requests/{rr.pk}/", {"action": "assign", "person": pool["member"].pk, "note": "ok"}
    )
    assert response.status_code == 302
    rr.refresh_from_db()
    assert (rr.state, rr.assigned_person) == ("assigned", pool["member"])


def test_project_manager_cannot_assign_or_keep_the_pool(pool, org, roles):
    rr = _request(org, pool)
    pm = _client(roles[Role.PROJECT_MANAGER])
    assert pm.post(f"/resource-requests/{rr.pk}/", {"action": "assign", "person": pool["member"].pk}).status_code == 403
    url = f"/pool/people/{pool['member'].pk}/"
    assert pm.post(url, {"action": "skill", "skill": pool["python"].pk, "level": 5}).status_code == 403
    assert ResourceRequest.objects.get().state == "submitted"
    assert PersonSkill.objects.get(person=pool["member"], skill=pool["python"]).level == 2


def test_project_manager_asks_on_the_page(pool, org, roles):
    pm = _client(roles[Role.PROJECT_MANAGER])
    data = {"project": org["p1"].pk, "role": pool["ba"].pk, "fte": "0.5", "start": "2026-05-04", "finish": "2026-05-01"}
    page = pm.post("/pool/requests/", data).content.decode()
    assert "The end cannot come before the start." in page
    data["finish"] = "2026-08-28"
    assert pm.post("/pool/requests/", data).status_code == 302
    rr = ResourceRequest.objects.get()
    assert (rr.role, rr.fte, rr.requested_by) == (pool["ba"], Decimal("0.50"), roles[Role.PROJECT_MANAGER])
    # not a project of theirs
    data["project"] = org["p2"].pk
    assert pm.post("/pool/requests/", data).status_code == 403
    assert ResourceRequest.objects.count() == 1


def test_training_plan_done_on_the_page_raises_the_level(pool):
    rm = _client(pool["rm"])
    data = {"action": "plan", "person": pool["member"].pk, "skill": pool["python"].pk, "target_level": 4}
    assert rm.post("/pool/training/", data).status_code == 302
    plan = TrainingPlan.objects.get()
    assert rm.post("/pool/training/", {"action": "complete", "id": plan.pk, "raise_level": "on"}).status_code == 302
    assert PersonSkill.objects.get(person=pool["member"], skill=pool["python"]).level == 4


def test_resource_manager_records_skill_capacity_and_leave_on_the_profile(pool):
    rm, member = _client(pool["rm"]), pool["member"]
    url = f"/pool/people/{member.pk}/"
    assert rm.post(url, {"action": "skill", "skill-skill": pool["python"].pk, "skill-level": 3}).status_code == 302
    assert PersonSkill.objects.get(person=member, skill=pool["python"]).level == 3
    data = {"action": "capacity", "capacity-start": "2026-02-02", "capacity-hours_per_week": "24"}
    assert rm.post(url, data).status_code == 302
    data = {
        "action": "absence",
        "absence-start": "2026-08-03",
        "absence-finish": "2026-08-01",
        "absence-reason": "sick",
    }
    assert "The end cannot come before the start." in rm.post(url, data).content.decode()
    assert member.capacity_periods.get().hours_per_week == Decimal("24.00")
    assert member.absences.count() == 0
