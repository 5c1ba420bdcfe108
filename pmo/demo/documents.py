"""The demo's documents."""

import datetime as dt


def load_demo_documents(*, today: dt.date) -> None:
    return None
