"""Scoring models: criteria from the business case and from evaluators, AHP weights with the consistency
check, several evaluators with their spread, the ranking page."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from pmo.core.errors import ValidationFailed
from pmo.core.roles import Role
from pmo.selection import scoring, services
from pmo.selection.models import Criterion, ScoringModel
from tests.selection.test_proposals import complete


@pytest.fixture
def pipeline(roles, org):
    """Two proposals under evaluation: A (NPV 17.63, strategic fit 4) and B (bigger, NPV higher)."""
    requester = roles[Role.REQUESTER]
    a = services.proposal_create(actor=requester, title="A")
    complete(a, requester, org)
    b = services.proposal_create(actor=requester, title="B")
    complete(b, requester, org)
    services.proposal_business_case_update(
        actor=requester,
        proposal=b,
        cash_flows=[services.CashFlowRow(0, Decimal("2000")), services.CashFlowRow(1, benefit=Decimal("3000"))],
        demands=[services.DemandRow("Developer", Decimal("1"), 0, 3)],
        contributions=[(org["objective"], 2)],
    )
    for p in (a, b):
        services.proposal_transition(actor=requester, proposal=p, to_state="submitted")
        services.proposal_transition(actor=roles[Role.PMO_ANALYST], proposal=p, to_state="under_evaluation")
    model = scoring.scoring_model_save(
        actor=roles[Role.PMO_ANALYST],
        name="Standard",
        criteria=[
            scoring.CriterionSpec("Value", kind="npv", weight=Decimal("2")),
            scoring.CriterionSpec("Fit", kind="strategic_fit", weight=Decimal("1")),
            scoring.CriterionSpec(
                "Feasibility", kind="rated", weight=Decimal("1"), levels=("poor", "", "", "", "great")
            ),
        ],
        evaluators=[roles[Role.PMO_ANALYST], roles[Role.PORTFOLIO_MANAGER]],
    )
    return {"a": a, "b": b, "model": model}


def test_score_table_normalises_weights_and_ranks(roles, pipeline):
    feasibility = pipeline["model"].criteria.get(name="Feasibility")
    scoring.evaluation_record(
        actor=roles[Role.PMO_ANALYST], proposal=pipeline["a"], model=pipeline["model"], ratings={feasibility: (5, "")}
    )
    scoring.evaluation_record(
        actor=roles[Role.PORTFOLIO_MANAGER],
        proposal=pipeline["a"],
        model=pipeline["model"],
        ratings={feasibility: (3, "")},
    )
    rows = scoring.score_table(pipeline["model"], [pipeline["a"], pipeline["b"]])
    # B's NPV (-2000 + 3000/1.08 = 777.78) is the best: Value 2/4 of 100 = 50 points; A gets 0 there.
    # A's fit 4 beats B's 2: 25 points. A's feasibility mean 4 on 1..5 -> 0.75 x 25 = 18.75; B is unrated: 0.
    assert [(r.proposal.title, r.score, r.rank) for r in rows] == [("B", 50.0, 1), ("A", 43.75, 2)]
    a_parts = {p.criterion.name: (p.raw, p.weighted, p.spread, p.ratings) for p in rows[1].parts}
    assert a_parts == {"Value": (17.63, 0.0, None, 0), "Fit": (4.0, 25.0, None, 0), "Feasibility": (4.0, 18.75, 1.0, 2)}
    assert rows[0].missing_evaluators == ["analyst", "portfolio"]
    assert rows[1].missing_evaluators == []


def test_ahp_weights_and_the_consistency_refusal(roles, pipeline):
    model = pipeline["model"]
    scoring.scoring_model_set_ahp(
        actor=roles[Role.PMO_ANALYST], model=model, matrix=[[1, 3, 5], [1 / 3, 1, 3], [1 / 5, 1 / 3, 1]]
    )
    model.refresh_from_db()
    assert [str(c.weight) for c in model.criteria.all()] == ["0.6370", "0.2583", "0.1047"]
    assert (model.weighting, model.consistency_ratio) == ("ahp", 0.0332)
    with pytest.raises(ValidationFailed) as error:
        scoring.scoring_model_set_ahp(
            actor=roles[Role.PMO_ANALYST], model=model, matrix=[[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]
        )
    assert error.value.fields["ahp_matrix"][0].startswith("The consistency ratio is ")
    assert "above 0.10" in error.value.fields["ahp_matrix"][0]
    model.refresh_from_db()
    assert [str(c.weight) for c in model.criteria.all()] == ["0.6370", "0.2583", "0.1047"]


def test_only_the_pmo_configures_models_and_only_evaluators_score(roles, pipeline):
    with pytest.raises(PermissionDenied):
        scoring.scoring_model_save(
            actor=roles[Role.PROJECT_MANAGER], name="Mine", criteria=[scoring.CriterionSpec("X")]
        )
    assert ScoringModel.objects.count() == 1
    feasibility = pipeline["model"].criteria.get(name="Feasibility")
    with pytest.raises(PermissionDenied):
        scoring.evaluation_record(
            actor=roles[Role.REQUESTER], proposal=pipeline["a"], model=pipeline["model"], ratings={feasibility: (5, "")}
        )
    with pytest.raises(ValidationFailed) as error:
        scoring.evaluation_record(
            actor=roles[Role.PMO_ANALYST],
            proposal=pipeline["a"],
            model=pipeline["model"],
            ratings={feasibility: (9, "")},
        )
    assert error.value.fields == {"Feasibility": ["Rate from 1 to 5."]}
    with pytest.raises(ValidationFailed) as error:
        scoring.scoring_model_save(actor=roles[Role.PMO_ANALYST], name="Bad", criteria=[])
    assert error.value.fields == {"criteria": ["Give the model at least one criterion."]}


def test_ranking_and_scoring_pages(client_for, roles, pipeline):
    client = client_for(Role.PMO_ANALYST)
    feasibility = pipeline["model"].criteria.get(name="Feasibility")
    response = client.post(
        f"/proposals/{pipeline['a'].pk}/evaluate/?model={pipeline['model'].pk}", {f"rating-{feasibility.pk}": "4"}
    )
    assert response.status_code == 302
    html = client.get(f"/ranking/?model={pipeline['model'].pk}").content.decode()
    assert html.index("PR-0002 B") < html.index("PR-0001 A")
    assert "Not scored by" in html
    detail = client.get(f"/scoring/{pipeline['model'].pk}/").content.decode()
    assert "Derive the weights by pairwise comparison (AHP)" in detail
    response = client.post(
        f"/scoring/{pipeline['model'].pk}/ahp/",
        {"pair-0-1": "9", "pair-0-2": "0.1111111111", "pair-1-2": "9"},
        follow=True,
    )
    assert "above 0.10" in response.content.decode()
    assert client_for(Role.REQUESTER).get("/ranking/").status_code == 403


def test_criterion_kinds_cover_the_business_case():
    assert set(Criterion.Kind.values) == {
        "rated",
        "npv",
        "irr",
        "payback",
        "total_cost",
        "total_benefit",
        "strategic_fit",
        "risk",
    }
