"""The dashboard is computed once per change of the data, per user: a committed (audited) write shows at the
next view, a user never gets another user's figures, and the page says when its figures were computed."""

from typing import Any

from pmo.core.access import SYSTEM
from pmo.core.freshness import cached, data_stamp
from pmo.core.roles import Role
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Project


def _page(client: Any, query: str = "") -> str:
    response = client.get(f"/dashboard/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_is_kept_until_the_data_changes(board: dict[str, Any], client_for: Any) -> None:
    executive = client_for(Role.EXECUTIVE)
    first = _page(executive)
    assert "Figures as of" in first and "kept since the last change" not in first
    assert "kept since the last change of the data" in _page(executive)
    # An audited write through the services: the next view computes the figures anew and shows it.
    p1 = board["p1"]
    portfolio_services.project_update(actor=SYSTEM, project=p1, name="Mobile app v2")
    after = _page(executive)
    assert "kept since the last change" not in after and "Mobile app v2" in after
    # A write that bypasses the services is not seen until the figures expire or the user refreshes.
    Project.objects.filter(pk=p1.pk).update(name="Renamed quietly")
    assert "Renamed quietly" not in _page(executive)
    refreshed = _page(executive, "?refresh=1")
    assert "Renamed quietly" in refreshed and "kept since the last change" not in refreshed


def test_results_are_kept_per_key_and_data_stamp(org: dict[str, Any]) -> None:
    calls: list[str] = []

    def compute(label: str) -> Any:
        return lambda: calls.append(label) or f"{label} #{len(calls)}"

    first = cached("board", (1, None), compute("user 1"))
    assert (first.value, first.from_cache) == ("user 1 #1", False)
    assert cached("board", (1, None), compute("user 1")).value == "user 1 #1"  # kept
    # Another user (or filter) never gets that result: its own is computed.
    assert cached("board", (2, None), compute("user 2")).value == "user 2 #2"
    assert cached("board", (1, org["portfolio"].pk), compute("user 1 DIG")).value == "user 1 DIG #3"
    # A committed, audited write changes the stamp: computed anew.
    stamp = data_stamp()
    portfolio_services.project_update(actor=SYSTEM, project=org["p2"], name="Data lake v2")
    assert data_stamp() > stamp
    assert cached("board", (1, None), compute("user 1")).value == "user 1 #4"
    assert cached("board", (1, None), compute("user 1"), refresh=True).value == "user 1 #5"
    assert calls == ["user 1", "user 2", "user 1 DIG", "user 1", "user 1"]


def test_the_cache_can_be_turned_off(board: dict[str, Any], client_for: Any, settings: Any) -> None:
    settings.DASHBOARD_CACHE_SECONDS = 0
    executive = client_for(Role.EXECUTIVE)
    _page(executive)
    Project.objects.filter(pk=board["p1"].pk).update(name="Seen at once")
    page = _page(executive)
    assert "Seen at once" in page and "kept since the last change" not in page
