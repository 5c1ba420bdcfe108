"""The demo's governance."""

import datetime as dt


def load_demo_governance(*, today: dt.date) -> None:
    return None
