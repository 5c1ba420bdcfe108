"""The `org` of tests/conftest.py (portfolio DIG managed by the portfolio manager, program CX, P1 managed by the
project manager and in CX, P2 by another manager), on 3 December 2026."""

import datetime as dt

import pytest
from django.utils import timezone

TODAY = dt.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY
