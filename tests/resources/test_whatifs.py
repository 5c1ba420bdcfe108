"""Saved what-ifs, the capacity API and levelling from the capacity page, on the double booking of the
`busy` fixture: the team member full time on P1's Build and P2's Migration in the same two weeks."""

import datetime as dt

import pytest
from django.test import Client

from pmo.core.errors import ValidationFailed
from pmo.core.models import AuditEvent
from pmo.core.roles import Role
from pmo.planning.models import LevelingRun, Task
from pmo.resources import whatifs
from pmo.resources.models import SavedWhatIf
from tests.resources.conftest import MONDAY

BASE = "/capacity/?by=person&unit=week&start=2026-01&count=5"


def _api(user):
    client = Client()
    client.force_login(user)
    return client


def _row(rows, label):
    return next(r for r in rows if r["label"] == label)


def test_saving_a_what_if_keeps_the_view_and_the_changes(busy, roles):
    director = roles[Role.PMO_DIRECTOR]
    view = whatifs.CapacityView.checked(by="person", unit="week", start="2026-01", count=5)
    saved = whatifs.whatif_save(
        actor=director,
        name="  P2 a month later ",
        view=view,
        changes={"shifts": [[str(busy["p2"].pk), 4]]},
        note="For the board",
    )
    saved.refresh_from_db()
    assert (saved.name, saved.note, saved.owner_id) == ("P2 a month later", "For the board", director.pk)
    assert saved.view == {
        "by": "person",
        "unit": "week",
        "start": "2026-01-01",
        "count": 5,
        "include_proposals": True,
    }
    assert saved.changes == {
        "shifts": [[str(busy["p2"].pk), 4]],
        "add_proposals": [],
        "drop_proposals": [],
        "remove_people": [],
        "add_people": [],
    }
    assert AuditEvent.objects.filter(content_type__model="savedwhatif", object_id=str(saved.pk)).count() == 1
    assert whatifs.whatif_query(saved) == (
        f"by=person&unit=week&count=5&start=2026-01&proposals=on&shift={busy['p2'].pk}%3A4&saved={saved.pk}"
    )


@pytest.mark.parametrize(
    ("name", "changes", "field", "message"),
    [
        ("", {"shifts": [["1", 4]]}, "name", "Give the what-if a name."),
        ("Nothing", {}, "changes", "Try at least one change before saving the what-if."),
        ("Too far", {"shifts": [["1", 60]]}, "changes", "Move a project by at most 52 weeks either way."),
        ("Taken", {"shifts": [["1", 4]]}, "name", "You already have a what-if called 'Taken'."),
    ],
)
def test_a_bad_what_if_is_refused_naming_the_field(busy, roles, name, changes, field, message):
    director = roles[Role.PMO_DIRECTOR]
    view = whatifs.CapacityView()
    whatifs.whatif_save(actor=director, name="taken", view=view, changes={"add_people": [["Developer", 40]]})
    with pytest.raises(ValidationFailed) as error:
        whatifs.whatif_save(actor=director, name=name, view=view, changes=changes)
    assert error.value.fields == {field: [message]}
    assert SavedWhatIf.objects.count() == 1


def test_a_bad_view_names_each_field():
    with pytest.raises(ValidationFailed) as error:
        whatifs.CapacityView.checked(by="team", unit="day", start="next year", count=0)
    assert error.value.fields == {
        "by": ["Group by one of person, role, skill, org_unit."],
        "unit": ["Use month or week."],
        "start": ["Give the first period as YYYY-MM or YYYY-MM-DD."],
        "count": ["Show between 1 and 104 days."],
    }


def test_the_page_saves_opens_and_deletes_a_what_if(busy, client_for):
    client = client_for(Role.PORTFOLIO_MANAGER)
    p2 = busy["p2"]
    tried = client.get(f"{BASE}&shift_project={p2.pk}&shift_weeks=4")
    query = tried.context["query"]
    assert f"shift={p2.pk}%3A4" in query
    response = client.post("/capacity/what-ifs/", {"name": "P2 after P1", "note": "", "query": query})
    saved = SavedWhatIf.objects.get()
    assert response.status_code == 302
    assert response["Location"] == "/capacity/?" + whatifs.whatif_query(saved)
    opened = client.get(response["Location"])
    assert opened.context["saved_open"] == saved
    assert opened.context["whatif"] == ["P2 Data lake later by 4 week(s)"]
    member = busy["member"].name
    assert [c["load"] for c in _row(opened.context["whatif_rows"], member)["cells"]] == [0, 100, 100, 0, 0]
    assert [s["obj"].name for s in opened.context["saved"]] == ["P2 after P1"]
    # Another user sees it but may not delete it; nothing changes.
    other = client_for(Role.PROJECT_MANAGER)
    assert [s["can_delete"] for s in other.get(BASE).context["saved"]] == [False]
    assert other.post(f"/capacity/what-ifs/{saved.pk}/delete/").status_code == 403
    assert SavedWhatIf.objects.filter(pk=saved.pk).exists()
    assert client.post(f"/capacity/what-ifs/{saved.pk}/delete/").status_code == 302
    assert not SavedWhatIf.objects.exists()
    assert Task.objects.get(project=p2).start == MONDAY  # the plan was never touched


def test_an_empty_what_if_is_not_saved_and_says_why(busy, client_for):
    client = client_for(Role.PORTFOLIO_MANAGER)
    response = client.post("/capacity/what-ifs/", {"name": "Today", "query": "by=person"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Not saved: Try at least one change before saving the what-if."
    ]
    assert not SavedWhatIf.objects.exists()


def test_the_page_offers_to_level_the_projects_behind_the_over_allocation(busy, client_for):
    client = client_for(Role.PMO_DIRECTOR)
    page = client.get(BASE)
    assert [p.code for p in page.context["level_candidates"]] == ["P1", "P2"]
    response = client.post(
        "/leveling/",
        {"projects": [busy["p1"].pk, busy["p2"].pk], "mode": "fast", "time_limit": "5", "back": BASE},
    )
    run = LevelingRun.objects.get()
    assert response["Location"] == f"/leveling/{run.pk}/"
    assert sorted(run.projects.values_list("code", flat=True)) == ["P1", "P2"]


def test_the_api_gives_the_heat_map_and_the_what_if_beside_it(busy, roles):
    client = _api(roles[Role.PORTFOLIO_MANAGER])
    p2 = busy["p2"]
    response = client.get(
        "/api/v1/capacity", {"by": "person", "unit": "week", "start": "2026-01-05", "count": 3, "shift": f"{p2.pk}:4"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert [p["label"] for p in body["periods"]] == ["2026-W02", "2026-W03", "2026-W04"]
    assert body["periods"][0]["start"] == "2026-01-05"
    member = busy["member"].name
    today = _row(body["today"], member)["cells"]
    assert [(c["load"], c["colour"], c["demand"], c["capacity"]) for c in today] == [
        (200, "red", 80, 40),
        (200, "red", 80, 40),
        (0, "green", 0, 40),
    ]
    assert [c["load"] for c in _row(body["whatif"], member)["cells"]] == [100, 100, 0]
    assert body["changes"] == ["P2 Data lake later by 4 week(s)"]
    assert body["over_allocated"] == []  # of the what-if: nobody above 100 %
    plain = client.get("/api/v1/capacity", {"by": "person", "unit": "week", "start": "2026-01-05", "count": 3}).json()
    assert plain["whatif"] is None
    assert [(o["label"], o["period"], o["excess_hours"], o["projects"]) for o in plain["over_allocated"]] == [
        (member, "2026-W02", 40.0, ["P1 Mobile app", "P2 Data lake"]),
        (member, "2026-W03", 40.0, ["P1 Mobile app", "P2 Data lake"]),
    ]
    bad = client.get("/api/v1/capacity", {"by": "team", "count": 50})
    assert bad.status_code == 422
    assert bad.json()["details"]["fields"] == {
        "by": ["Group by one of person, role, skill, org_unit."],
        "count": ["Show between 1 and 36 months."],
    }


def test_saved_what_ifs_over_the_api(busy, roles):
    owner, other = _api(roles[Role.PORTFOLIO_MANAGER]), _api(roles[Role.PROJECT_MANAGER])
    p2 = busy["p2"]
    payload = {
        "name": "P2 later",
        "view": {"by": "person", "unit": "week", "start": "2026-01-05", "count": 3},
        "changes": {"shifts": [[str(p2.pk), 4]]},
    }
    created = owner.post("/api/v1/capacity/what-ifs", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["view"]["start"] == "2026-01-05"
    replay = other.get("/api/v1/capacity", {"saved": pk}).json()
    assert [c["load"] for c in _row(replay["whatif"], busy["member"].name)["cells"]] == [100, 100, 0]
    assert [w["name"] for w in other.get("/api/v1/capacity/what-ifs").json()] == ["P2 later"]
    assert other.delete(f"/api/v1/capacity/what-ifs/{pk}").status_code == 403
    assert SavedWhatIf.objects.filter(pk=pk).exists()
    assert owner.delete(f"/api/v1/capacity/what-ifs/{pk}").status_code == 204
    assert owner.get(f"/api/v1/capacity/what-ifs/{pk}").status_code == 404


def test_requesters_see_no_capacity(busy, roles):
    requester = _api(roles[Role.REQUESTER])
    assert requester.get("/api/v1/capacity").status_code == 403
    denied = requester.post(
        "/api/v1/capacity/what-ifs",
        {"name": "x", "changes": {"add_people": [["Developer", 40]]}},
        content_type="application/json",
    )
    assert denied.status_code == 403
    assert not SavedWhatIf.objects.exists()
    assert dt.date(2026, 1, 5).isoweekday() == 1


def test_a_what_if_that_no_longer_applies_still_opens_and_says_what_was_skipped(busy, roles):
    client = _api(roles[Role.PORTFOLIO_MANAGER])
    params = {"by": "person", "unit": "week", "start": "2026-01-05", "count": 3}
    body = client.get(
        "/api/v1/capacity", {**params, "shift": f"{busy['p2'].pk}:4", "add": ["", "proposal-999"], "remove": ""}
    ).json()
    assert body["changes"] == ["P2 Data lake later by 4 week(s)", "with proposal-999"]
    assert body["skipped"] == ["counting a proposal (no demand in these periods)"]
    assert [c["load"] for c in _row(body["whatif"], busy["member"].name)["cells"]] == [100, 100, 0]
