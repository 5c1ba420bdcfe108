"""The `org` of tests/conftest.py (portfolio DIG managed by the portfolio manager; P1 managed by the project
manager, P2 by another manager) and a published two-phase hybrid methodology to put them on."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from pmo.core.access import SYSTEM
from pmo.governance import services

TODAY = dt.date(2026, 12, 3)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """The tests run on 3 December 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def build_methodology(name: str = "Hybrid delivery", kind: str = "hybrid", publish: bool = True) -> Any:
    methodology = services.methodology_create(
        actor=SYSTEM, name=name, kind=kind, description="Plan-driven, agile build"
    )
    version = methodology.versions.get()
    define = services.phase_add(
        actor=SYSTEM, version=version, name="Define", gate_name="Business case", typical_weeks=6
    )
    services.requirement_add(actor=SYSTEM, phase=define, name="Project charter", type="document")
    services.requirement_add(actor=SYSTEM, phase=define, name="Business case", type="document")
    services.criterion_add(actor=SYSTEM, phase=define, text="Business case approved by the sponsor")
    services.criterion_add(actor=SYSTEM, phase=define, text="Risks identified and owned")
    build = services.phase_add(actor=SYSTEM, version=version, name="Build", gate_name="Release", typical_weeks=12)
    services.requirement_add(actor=SYSTEM, phase=build, name="Test report", type="deliverable")
    services.criterion_add(actor=SYSTEM, phase=build, text="Acceptance tests passed")
    if publish:
        services.version_publish(actor=SYSTEM, version=version, notes="First edition")
    version.refresh_from_db()
    return version


@pytest.fixture
def hybrid(db: Any) -> Any:
    return build_methodology()


@pytest.fixture
def on_hybrid(org: dict[str, Any], hybrid: Any) -> dict[str, Any]:
    """P1 and P2 follow the hybrid methodology, both in Define."""
    p1 = services.project_methodology_set(actor=SYSTEM, project=org["p1"], version=hybrid)
    p2 = services.project_methodology_set(actor=SYSTEM, project=org["p2"], version=hybrid, start=dt.date(2026, 10, 1))
    return {**org, "hybrid": hybrid, "track1": p1, "track2": p2}


def answer_all(review: Any, value: str = "met") -> None:
    for answer in review.answers.all():
        services.criterion_answer(actor=SYSTEM, answer=answer, value=value, evidence_url="https://wiki.example/e")
