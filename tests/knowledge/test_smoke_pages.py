from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.knowledge import services
from tests.knowledge.conftest import complete_closure


def test_pages_render(client_for, org, closing):
    c = client_for(Role.PMO_DIRECTOR)
    complete_closure(closing)
    services.assessment_create(
        actor=SYSTEM,
        assessed_on="2025-01-10",
        title="A1",
        levels={d: 2 for d in ["governance", "method", "resources", "benefits", "risk", "reporting"]},
    )
    services.assessment_create(
        actor=SYSTEM,
        assessed_on="2026-01-10",
        title="A2",
        levels={d: 3 for d in ["governance", "method", "resources", "benefits", "risk", "reporting"]},
    )
    services.improvement_create(actor=SYSTEM, title="Gate checklist", dimension="governance", due="2026-06-01")
    for url in [
        "/knowledge/",
        "/knowledge/lessons/1/",
        "/knowledge/categories/",
        "/knowledge/search/",
        "/knowledge/search/?q=review",
        "/knowledge/closures/",
        f"/projects/{closing.pk}/closure/",
        "/knowledge/maturity/",
        "/knowledge/maturity/1/",
        "/knowledge/maturity/trend.svg",
        "/knowledge/improvements/1/",
        f"/projects/{closing.pk}/",
        f"/projects/{org['p2'].pk}/closure/",
    ]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.status_code)
    r = c.post(f"/projects/{closing.pk}/closure/", {"action": "close"})
    assert r.status_code == 302
    r = c.get(f"/projects/{closing.pk}/closure/")
    assert b"Closed on" in r.content
