from pmo.core.access import SYSTEM
from pmo.knowledge import search, selectors, services
from tests.knowledge.conftest import complete_closure


def test_close_a_project_through_its_closure(org, closing):
    closure = complete_closure(closing)
    assert selectors.closure_missing(closure) == []
    services.closure_close(actor=SYSTEM, closure=closure)
    closing.refresh_from_db()
    assert closing.state == "closed"
    hits = search.search("app store review")
    assert [h.entry.title for h in hits.hits] == ["LL-0001 App-store review took three weeks"]
