"""The capacity page: the team member works full time on P1's Build and on P2's Migration in the same two
weeks (200 %), the heat map shows it, the cell lists both tasks with who could take them over, giving
P2's work to Bob (a developer with room) brings the load back to 100 %, and a what-if moving P2 four
weeks later shows the same relief beside today without touching the plans."""

import datetime as dt

from django.utils import timezone

from pmo.core.roles import Role
from pmo.planning.models import Assignment, Task
from pmo.resources import capacity

MONDAY = timezone.make_aware(dt.datetime(2026, 1, 5, 8))


def _row(rows, label):
    return next(r for r in rows if r["label"] == label)


def test_the_heat_map_shows_the_double_booking_and_what_is_behind_it(busy):
    inputs, labels = capacity.capacity_inputs(start=dt.date(2026, 1, 5), count=3, unit="week")
    from pmo.engine import capacity as engine

    result = engine.compute(inputs)
    hm = engine.heat_map(result, "person")
    member = str(busy["member"].pk)
    assert [p.label for p in hm.periods] == ["2026-W02", "2026-W03", "2026-W04"]
    row = list(hm.keys).index(member)
    assert hm.demand[row].tolist() == [80.0, 80.0, 0.0]
    assert hm.capacity[row].tolist() == [40.0, 40.0, 40.0]
    over = engine.over_allocations(result, "person")
    assert [(o.key, o.period.label, o.excess_hours) for o in over] == [
        (member, "2026-W02", 40.0),
        (member, "2026-W03", 40.0),
    ]
    assert sorted(labels.projects[c.project_id] for c in over[0].contributions) == ["P1 Mobile app", "P2 Data lake"]
    suggestion = engine.suggest_reassignments(result, over[0].contributions[0].item)[0]
    assert (labels.people[suggestion.person_id], suggestion.free_hours) == ("Bob Stone", 80.0)


def test_the_page_reassigns_work_and_tries_a_what_if(busy, client_for):
    client = client_for(Role.PMO_DIRECTOR)
    member, bob = busy["member"], busy["bob"]
    base = "/capacity/?by=person&unit=week&start=2026-01&count=5"
    page = client.get(base)
    assert page.status_code == 200
    today = _row(page.context["today_rows"], member.name)
    assert [c["load"] for c in today["cells"]] == [0, 200, 200, 0, 0]
    assert [c["colour"] for c in today["cells"]][:3] == ["green", "red", "red"]
    assert page.context["over"][0]["excess"] == 40
    # The cell behind week 2: both tasks, and who could take them over.
    cell = client.get(f"{base}&cell={member.pk}|1")
    drill = cell.context["drill"]
    assert sorted(r["task"] for r in drill["rows"]) == ["1 Build", "1 Migration"]
    assert all(r["suggestions"][0]["name"] == "Bob Stone" for r in drill["rows"])
    # What if P2 starts four weeks later? Beside today; the plan is untouched.
    p2 = busy["p2"]
    tried = client.get(f"{base}&shift_project={p2.pk}&shift_weeks=4")
    assert [c["load"] for c in _row(tried.context["whatif_rows"], member.name)["cells"]] == [0, 100, 100, 0, 0]
    assert [c["load"] for c in _row(tried.context["today_rows"], member.name)["cells"]] == [0, 200, 200, 0, 0]
    assert tried.context["whatif"] == ["P2 Data lake later by 4 week(s)"]
    assert Task.objects.get(project=p2).start == MONDAY
    # Give P2's migration to Bob: the plan changes (audited), the double booking is gone.
    migration = Task.objects.get(project=p2)
    done = client.post("/capacity/reassign/", {"task": migration.pk, "from": member.pk, "to": bob.pk, "back": ""})
    assert done.status_code == 302
    assert list(Assignment.objects.filter(task=migration).values_list("person__name", flat=True)) == ["Bob Stone"]
    after = client.get(base)
    assert [c["load"] for c in _row(after.context["today_rows"], member.name)["cells"]] == [0, 100, 100, 0, 0]
    assert [c["load"] for c in _row(after.context["today_rows"], "Bob Stone")["cells"]] == [0, 100, 100, 0, 0]


def test_who_may_reassign(busy, client_for):
    migration = Task.objects.get(project=busy["p2"])
    viewer = client_for(Role.EXECUTIVE)
    response = viewer.post(
        "/capacity/reassign/", {"task": migration.pk, "from": busy["member"].pk, "to": busy["bob"].pk}
    )
    assert response.status_code == 403
    assert list(Assignment.objects.filter(task=migration).values_list("person_id", flat=True)) == [busy["member"].pk]
