"""The demo's stakeholders."""

import datetime as dt


def load_demo_stakeholders(*, today: dt.date) -> None:
    return None
