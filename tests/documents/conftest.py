"""The `org` of tests/conftest.py (portfolio DIG managed by the portfolio manager, P1 managed by the project
manager, P2 by another manager) with the executive as P1's sponsor, a charter template and a policy."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.documents import services
from pmo.documents.models import Kind
from pmo.portfolio import services as portfolio_services

TODAY = dt.date(2026, 12, 3)

CHARTER_BODY = (
    "# Charter of {{ project.code }} {{ project.name }}\n"
    "Sponsor: {{ project.sponsor }}\n"
    "Manager: {{ project.manager }}\n"
    "Budget: {{ project.budget }} {{ project.currency }}\n"
    "From {{ project.planned_start }} to {{ project.planned_finish }}\n"
    "Portfolio: {{ project.portfolio }}{% if project.program %} / {{ project.program }}{% endif %}\n"
    "Dated {{ today }}\n"
)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """The tests run on 3 December 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def docs(org: dict[str, Any], roles: dict[Role, Any]) -> dict[str, Any]:
    sponsor = org["person"][Role.EXECUTIVE]
    p1 = portfolio_services.project_update(actor=SYSTEM, project=org["p1"], sponsor=sponsor)
    charter = services.template_create(actor=SYSTEM, name="Project charter", kind=Kind.CHARTER, body=CHARTER_BODY)
    policy = services.template_create(
        actor=SYSTEM, name="Document control policy", kind=Kind.POLICY, body="Every deliverable is versioned."
    )
    return {**org, "p1": p1, "sponsor": sponsor, "charter_template": charter, "policy": policy}
