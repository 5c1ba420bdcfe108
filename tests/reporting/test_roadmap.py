"""The roadmap: one lane per project, its forecast, and the cross-project links with late ones flagged."""

import datetime as dt
from typing import Any

from pmo.core.roles import Role
from pmo.reporting import charts
from pmo.reporting.roadmap import roadmap


def test_lanes_and_links(board: dict[str, Any], roles: Any) -> None:
    road = roadmap(roles[Role.PMO_DIRECTOR])
    lanes = {lane.project.code: lane for lane in road.lanes}
    p1 = lanes["P1"]
    assert (p1.planned_start, p1.planned_finish) == (dt.date(2026, 1, 5), dt.date(2026, 12, 18))
    # The plan's start; the finish forecast by the latest snapshot, 42 days after the planned finish.
    assert (p1.start, p1.finish, p1.slip_days) == (dt.date(2026, 11, 2), dt.date(2027, 1, 29), 42)
    assert [(m.name, m.status) for m in p1.milestones] == [("Launch", "late")]
    assert (lanes["P3"].start, lanes["P3"].finish) == (dt.date(2026, 11, 9), dt.date(2026, 11, 17))
    assert (lanes["P2"].start, lanes["P2"].finish) == (None, None)
    [link] = road.links
    assert (link.provider.name, link.consumer.name) == ("Build", "Integrate")
    assert (link.needed_by, link.provided, link.late, link.days_late) == (
        dt.date(2026, 11, 16),
        dt.date(2026, 11, 20),
        True,
        4,
    )
    assert road.late_links == [link]
    assert (road.first, road.last) == (dt.date(2026, 1, 1), dt.date(2027, 7, 15))


def test_a_link_shows_only_with_both_ends(board: dict[str, Any], roles: Any) -> None:
    assert roadmap(roles[Role.PMO_DIRECTOR], portfolio=board["portfolio"]).links == []
    assert [lane.project.code for lane in roadmap(roles[Role.PMO_DIRECTOR], program=board["program"]).lanes] == ["P1"]


def test_the_svg_draws_the_late_link_red_and_dashed(board: dict[str, Any], roles: Any) -> None:
    road = roadmap(roles[Role.PMO_DIRECTOR])
    svg = str(charts.roadmap(road.lanes, road.links, road.first, road.last, road.today))
    assert svg.count('class="link late"') == 1
    assert 'marker-end="url(#arrow-late)"' in svg and 'stroke-dasharray="5 3"' in svg
    assert "P3 &#x27;Integrate&#x27; needs P1 &#x27;Build&#x27; by 16 Nov 2026; forecast 20 Nov 2026" in svg
    assert svg.count('class="today"') == 1
    assert svg.count("<title>Launch: 20 Nov 2026 (late)</title>") == 1  # the milestone's diamond
