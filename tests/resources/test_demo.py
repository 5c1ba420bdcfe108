import datetime as dt

from pmo.core.roles import sync_role_groups
from pmo.demo import load_demo
from pmo.resources import selectors
from pmo.resources.models import (
    Absence,
    CapacityPeriod,
    GenericResource,
    Person,
    PersonSkill,
    ResourceRequest,
    TrainingPlan,
)


def test_demo_pool(db):
    today = dt.date(2026, 11, 23)
    sync_role_groups()
    load_demo(today=today)
    assert sorted(ResourceRequest.objects.values_list("state", flat=True)) == [
        "assigned",
        "declined",
        "submitted",
        "submitted",
        "withdrawn",
    ]
    rahul = Person.objects.get(name="Rahul Mehta")
    assert selectors.capacity_on(rahul, today) == 40
    assert selectors.capacity_on(rahul, today + dt.timedelta(days=70)) == 24
    assert selectors.capacity_on(Person.objects.get(name="Elena Petrova"), today) == 32  # 0.8 x 40
    assert CapacityPeriod.objects.count() == 4 and Absence.objects.count() == 6
    assert GenericResource.objects.count() == 3
    assert [(r.title, f) for r, f in selectors.certificates_to_watch(today)] == [
        ("AWS Solutions Architect Associate", "expired"),
        ("PMP", "expiring"),
    ]
    jonas = Person.objects.get(name="Jonas Weber")
    assert [(g.skill.name, g.gap) for g in selectors.gaps_for([jonas])] == [("Kubernetes", 2), ("SQL", 1)]
    assert PersonSkill.objects.get(person=rahul, skill__name="AWS").level == 3  # raised by the plan done
    assert sorted(TrainingPlan.objects.values_list("status", flat=True)) == ["done", "in_progress", "planned"]
