"""A project follows a methodology from its approval: the one chosen on the proposal, else the latest published
of its kind; a bad choice refuses the whole approval."""

import datetime as dt
from typing import Any

import pytest

from pmo.core.errors import ValidationFailed
from pmo.core.roles import Role
from pmo.governance.models import GateReview, ProjectMethodology
from pmo.portfolio.models import Project
from pmo.selection import services as selection
from pmo.selection.models import Proposal
from tests.governance.conftest import build_methodology
from tests.selection.test_proposals import complete


@pytest.fixture
def evaluated(roles: Any, org: dict[str, Any]) -> Proposal:
    proposal = selection.proposal_create(actor=roles[Role.REQUESTER], title="Chatbot for support")
    complete(proposal, roles[Role.REQUESTER], org)
    selection.proposal_transition(actor=roles[Role.REQUESTER], proposal=proposal, to_state="submitted")
    selection.proposal_transition(actor=roles[Role.PMO_ANALYST], proposal=proposal, to_state="under_evaluation")
    return proposal


def test_the_chosen_methodology_is_recorded_at_approval(roles: Any, evaluated: Proposal) -> None:
    hybrid = build_methodology()
    project = selection.proposal_approve_into_project(
        actor=roles[Role.PORTFOLIO_MANAGER], proposal=evaluated, code="DIG-050", methodology_version=str(hybrid.pk)
    )
    tracking = ProjectMethodology.objects.get(project=project)
    assert (tracking.methodology_version, tracking.current_phase.name, tracking.phase_started) == (
        hybrid,
        "Define",
        dt.date(2027, 1, 4),
    )
    assert project.methodology == "hybrid"
    assert GateReview.objects.get(project=project).planned_date == dt.date(2027, 2, 15)


def test_the_default_is_the_latest_published_of_the_kind(roles: Any, evaluated: Proposal) -> None:
    waterfall = build_methodology("Waterfall classic", "waterfall")
    project = selection.proposal_approve_into_project(
        actor=roles[Role.PORTFOLIO_MANAGER], proposal=evaluated, code="DIG-050"
    )
    assert ProjectMethodology.objects.get(project=project).methodology_version == waterfall


def test_without_a_published_methodology_the_project_has_none(roles: Any, evaluated: Proposal) -> None:
    project = selection.proposal_approve_into_project(
        actor=roles[Role.PORTFOLIO_MANAGER], proposal=evaluated, code="DIG-050"
    )
    assert not ProjectMethodology.objects.filter(project=project).exists()


def test_a_draft_refuses_the_approval(roles: Any, evaluated: Proposal) -> None:
    draft = build_methodology(publish=False)
    with pytest.raises(ValidationFailed) as error:
        selection.proposal_approve_into_project(
            actor=roles[Role.PORTFOLIO_MANAGER], proposal=evaluated, code="DIG-050", methodology_version=draft.pk
        )
    assert error.value.fields == {
        "methodology_version": ["Hybrid delivery v1 is a draft: only published versions can be followed."]
    }
    evaluated.refresh_from_db()
    assert evaluated.state == "under_evaluation"
    assert not Project.objects.filter(code="DIG-050").exists()


def test_the_approval_form_offers_the_methodologies(roles: Any, evaluated: Proposal, client_for: Any) -> None:
    hybrid = build_methodology()
    client = client_for(Role.PORTFOLIO_MANAGER)
    html = client.get(f"/proposals/{evaluated.pk}/").content.decode()
    assert f'<option value="{hybrid.pk}">Hybrid delivery v1</option>' in html
    response = client.post(
        f"/proposals/{evaluated.pk}/move/",
        {"to_state": "approved", "project_code": "DIG-051", "methodology_version": str(hybrid.pk)},
    )
    project = Project.objects.get(code="DIG-051")
    assert response.url == f"/projects/{project.pk}/"
    assert ProjectMethodology.objects.get(project=project).methodology_version == hybrid
