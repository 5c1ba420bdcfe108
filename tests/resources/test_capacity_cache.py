"""The capacity heat map's inputs are read once per change of the data and shared by every user: a committed
(audited) change shows at the next view, and what is kept gives the same heat map as a fresh read."""

import datetime as dt
from decimal import Decimal
from typing import Any

from pmo.core.access import SYSTEM
from pmo.engine import capacity as engine
from pmo.resources import capacity, services

START = dt.date(2026, 4, 1)


def _demand_hours(inputs: engine.CapacityInput) -> float:
    return round(float(engine.heat_map(engine.compute(inputs), "role").demand.sum()), 1)


def test_kept_inputs_follow_the_data(pool: dict[str, Any], org: dict[str, Any]) -> None:
    first, _ = capacity.capacity_inputs_kept(start=START, count=3)
    assert _demand_hours(first) == 0
    services.resource_request_submit(
        actor=SYSTEM,
        project=org["p1"],
        role=pool["dev"],
        hours_per_week=Decimal("16"),
        start=dt.date(2026, 4, 6),
        finish=dt.date(2026, 6, 26),
    )
    kept, _ = capacity.capacity_inputs_kept(start=START, count=3)
    fresh, _ = capacity.capacity_inputs(start=START, count=3)
    # 16 hours a week over the 12 weeks from 6 April to 26 June.
    assert _demand_hours(kept) == _demand_hours(fresh) == 192.0
    again, _ = capacity.capacity_inputs_kept(start=START, count=3)
    assert _demand_hours(again) == 192.0
