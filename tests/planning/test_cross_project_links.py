"""Cross-project links: P1's "Go-live" waits for P2's "Data platform ready"; the link is refused when it
would close a loop through both plans, and only who may change the waiting plan may add or remove it."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from pmo.core import audit
from pmo.core.access import SYSTEM
from pmo.core.errors import ValidationFailed
from pmo.core.roles import Role
from pmo.planning import links, services
from pmo.planning.models import CrossProjectLink, Task


@pytest.fixture
def two_plans(org):
    p1, p2 = org["p1"], org["p2"]
    build = services.task_create(actor=SYSTEM, project=p1, name="Build", duration_minutes=3 * 480)
    go_live = services.task_create(actor=SYSTEM, project=p1, name="Go-live", duration_minutes=0, predecessors="1")
    platform = services.task_create(actor=SYSTEM, project=p2, name="Data platform", duration_minutes=5 * 480)
    ready = services.task_create(
        actor=SYSTEM, project=p2, name="Data platform ready", duration_minutes=0, predecessors="1"
    )
    return {"p1": p1, "p2": p2, "build": build, "go_live": go_live, "platform": platform, "ready": ready}


def test_a_task_waits_for_another_projects_milestone(two_plans, roles):
    pm = roles[Role.PROJECT_MANAGER]  # manages P1, the consumer
    link = links.cross_link_create(
        actor=pm, provider=two_plans["ready"], consumer=two_plans["go_live"], date_needed=dt.date(2026, 1, 16)
    )
    assert [str(x) for x in links.links_of([two_plans["p2"]])] == [str(link)]
    assert audit.history_of(link)[0].action == "create"
    with pytest.raises(ValidationFailed) as error:  # P2's platform work waiting for P1's build closes a loop
        links.cross_link_create(actor=SYSTEM, provider=two_plans["go_live"], consumer=two_plans["platform"])
    assert error.value.fields == {
        "provider": [
            "This link would make a loop: P2 1 Data platform -> P2 2 Data platform ready -> P1 2 Go-live -> "
            "P2 1 Data platform."
        ]
    }
    with pytest.raises(ValidationFailed) as error:
        links.cross_link_create(actor=SYSTEM, provider=two_plans["build"], consumer=two_plans["go_live"])
    assert error.value.fields == {"provider": ["Both tasks are in the same project: link them in its plan instead."]}
    with pytest.raises(PermissionDenied):  # P2 belongs to another project manager
        links.cross_link_create(actor=pm, provider=two_plans["build"], consumer=two_plans["platform"])
    with pytest.raises(PermissionDenied):
        links.cross_link_delete(actor=roles[Role.EXECUTIVE], link=link)
    assert CrossProjectLink.objects.count() == 1
    links.cross_link_delete(actor=pm, link=link)
    assert CrossProjectLink.objects.count() == 0


def test_cross_links_over_the_api(two_plans, roles):
    from pmo.core.services import token_create

    token = token_create(user=roles[Role.PROJECT_MANAGER], name="test")[1]
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    client = Client()
    path = f"/api/v1/projects/{two_plans['p1'].pk}/cross-links"
    ready = Task.objects.get(pk=two_plans["ready"].pk)
    needed = timezone.localtime(ready.finish).date() - dt.timedelta(days=2)
    body = {"provider_project": "P2", "provider_uid": 2, "consumer_uid": 2, "date_needed": needed.isoformat()}
    response = client.post(path, json.dumps(body), content_type="application/json", **headers)
    assert response.status_code == 201
    made = response.json()
    # P2's milestone is planned two days after the date P1 needs it.
    assert (made["provider_name"], made["consumer_name"], made["late_days"]) == ("Data platform ready", "Go-live", 2)
    bad = {**body, "provider_uid": 9}
    response = client.post(path, json.dumps(bad), content_type="application/json", **headers)
    assert (response.status_code, response.json()["details"]["fields"]) == (422, {"provider_uid": ["No task 9 in P2."]})
    listed = client.get(path, **headers).json()
    assert [(x["provider_project"], x["consumer_project"]) for x in listed] == [("P2", "P1")]
    assert client.delete(f"{path}/{made['id']}", **headers).status_code == 204
    assert client.get(path, **headers).json() == []


MONDAY = timezone.make_aware(dt.datetime(2026, 1, 5, 8))


def test_a_provider_slipping_past_the_date_needed_flags_the_consumer(two_plans, roles):
    from pmo.changes.models import Deviation, Notification

    for project in (two_plans["p1"], two_plans["p2"]):
        services.plan_update(actor=SYSTEM, project=project, start=MONDAY)
    link = links.cross_link_create(
        actor=SYSTEM, provider=two_plans["ready"], consumer=two_plans["go_live"], date_needed=dt.date(2026, 1, 9)
    )
    # P2 is ready on Friday 9 January, the day P1 needs it: on time.
    assert (link.forecast_date, link.late_days, link.impact_days, link.late_since) == (
        dt.date(2026, 1, 9),
        0,
        0,
        None,
    )
    assert not Notification.objects.exists()
    # P2's platform work doubles: ready a week later, P1 is flagged and both managers are told.
    services.task_update(actor=SYSTEM, task=Task.objects.get(pk=two_plans["platform"].pk), duration_minutes=10 * 480)
    link.refresh_from_db()
    assert (link.forecast_date, link.late_days, str(link.impact_days)) == (dt.date(2026, 1, 16), 7, "7.0")
    assert link.late_since is not None
    message = (
        "P1 waits for P2 Data platform ready: forecast 16 Jan 2026, 7 day(s) after the 09 Jan 2026 it is needed "
        "for Go-live."
    )
    assert sorted(Notification.objects.filter(message=message).values_list("recipient__username", flat=True)) == [
        "pm",
        "pm2",
    ]
    deviation = Deviation.objects.get(project=two_plans["p1"], metric="dependency_slip_days")
    assert (deviation.value, deviation.severity, deviation.status) == (7, "amber", "open")
    assert links.consumer_impact(two_plans["p1"]) == 7
    # Re-scheduling again changes nothing and tells nobody twice.
    services.plan_schedule(project=two_plans["p2"])
    assert Notification.objects.filter(message=message).count() == 2
    # Back to five days: on time again, the deviation closes.
    services.task_update(actor=SYSTEM, task=Task.objects.get(pk=two_plans["platform"].pk), duration_minutes=5 * 480)
    link.refresh_from_db()
    assert (link.late_days, link.impact_days, link.late_since) == (0, 0, None)
    deviation.refresh_from_db()
    assert deviation.status == "closed"


def test_the_plan_page_and_the_dependency_map_show_the_late_deliverable(two_plans, roles, client_for):
    for project in (two_plans["p1"], two_plans["p2"]):
        services.plan_update(actor=SYSTEM, project=project, start=MONDAY)
    p1, p2 = two_plans["p1"], two_plans["p2"]
    pm = client_for(Role.PROJECT_MANAGER)  # manages P1, the waiting project
    response = pm.post(
        f"/projects/{p1.pk}/plan/links/",
        {"consumer_uid": "2", "provider_project": "P2", "provider_uid": "2", "date_needed": "2026-01-09"},
        follow=True,
    )
    assert [str(m) for m in response.context["messages"]] == [
        "2 Go-live now waits for P2 Data platform ready (on time)."
    ]
    wrong = {"consumer_uid": "2", "provider_project": "P2", "provider_uid": "9"}
    bad = pm.post(f"/projects/{p1.pk}/plan/links/", wrong, follow=True)
    assert [str(m) for m in bad.context["messages"]] == ["Not linked: Provider uid: No task 9 in P2."]
    assert CrossProjectLink.objects.count() == 1
    services.task_update(actor=SYSTEM, task=Task.objects.get(pk=two_plans["platform"].pk), duration_minutes=10 * 480)
    page = pm.get(f"/projects/{p1.pk}/plan/")
    assert [(r["late"], str(r["impact"])) for r in page.context["incoming"]] == [(7, "7.0")]
    assert page.context["finish_impact"] == 7
    html = page.content.decode()
    assert "this project finishes <strong>7.0 working days</strong> later" in html
    assert [r["link"].consumer.name for r in pm.get(f"/projects/{p2.pk}/plan/").context["outgoing"]] == ["Go-live"]
    # The portfolio's map: P2 -> P1, late.
    director = client_for(Role.PMO_DIRECTOR)
    dependency_map = director.get(f"/portfolios/{two_plans['p1'].portfolio_id}/dependencies/")
    assert dependency_map.context["flagged"] == ["P1"]
    svg = str(dependency_map.context["svg"])
    assert svg.count('class="dm-node') == 2 and 'class="dm-link late"' in svg and "1 · 7 d late" in svg
    api = director.get(f"/api/v1/portfolios/{two_plans['p1'].portfolio_id}/dependencies").json()
    assert [(x["provider_project"], x["consumer_project"], x["late_days"], x["impact_days"]) for x in api] == [
        ("P2", "P1", 7, 7.0)
    ]
    assert api[0]["forecast_date"] == "2026-01-16" and api[0]["needed_by"] == "2026-01-09"
    # Only who may change the waiting plan removes the link; a refused call changes nothing.
    link = CrossProjectLink.objects.get()
    viewer = client_for(Role.EXECUTIVE)
    assert viewer.post(f"/projects/{p1.pk}/plan/links/{link.pk}/remove/").status_code == 403
    assert CrossProjectLink.objects.count() == 1
    assert pm.post(f"/projects/{p1.pk}/plan/links/{link.pk}/remove/").status_code == 302
    assert not CrossProjectLink.objects.exists()
