"""Gate reviews: the checklist, reviewers and votes, and each decision's effect on the project."""

import datetime as dt
from typing import Any

import pytest

from pmo.changes.models import Notification
from pmo.core.access import SYSTEM
from pmo.core.errors import Conflict, ValidationFailed
from pmo.core.roles import Role
from pmo.documents.models import Document, DocumentBaseline
from pmo.governance import selectors, services
from pmo.governance.models import GateCondition, GateReview, ProjectMethodology
from pmo.knowledge.models import Closure
from tests.governance.conftest import answer_all


def open_review(project: Any) -> GateReview:
    return GateReview.objects.get(project=project, state="open")


def test_the_first_review_carries_the_checklist_and_default_reviewers(on_hybrid: dict[str, Any]) -> None:
    review = open_review(on_hybrid["p1"])
    assert review.planned_date == dt.date(2026, 2, 16)  # 5 Jan + 6 weeks
    assert [(a.criterion.text, a.answer) for a in review.answers.all()] == [
        ("Business case approved by the sponsor", ""),
        ("Risks identified and owned", ""),
    ]
    # P1 has no sponsor; its portfolio's manager reviews.
    assert [(r.person.name, r.role) for r in review.reviewers.all()] == [("Portfolio", "Portfolio manager")]


def test_gate_status_lists_what_is_due_and_missing(on_hybrid: dict[str, Any]) -> None:
    p1 = on_hybrid["p1"]
    Document.objects.create(project=p1, title="Project charter", kind="charter", status="approved")
    Document.objects.create(project=p1, title="Business case", kind="business_case", status="draft")
    review = open_review(p1)
    first = review.answers.first()
    services.criterion_answer(actor=SYSTEM, answer=first, value="not_met", evidence_url="https://wiki.example/bc")
    status = selectors.gate_status(p1)
    assert status.phase.name == "Define"
    assert [(phase.name, state) for phase, state in status.phases] == [("Define", "current"), ("Build", "next")]
    assert [(d.name, d.status, d.ready) for d in status.due] == [
        ("Project charter", "approved", True),
        ("Business case", "draft", False),
    ]
    assert status.overdue is True
    assert status.days_late == 290
    assert status.missing == [
        "Business case (draft)",
        "Criterion not answered: Risks identified and owned",
        "Criterion not met: Business case approved by the sponsor",
    ]


def test_go_with_conditions_moves_to_the_next_phase_and_baselines(
    on_hybrid: dict[str, Any], roles: Any, django_capture_on_commit_callbacks: Any
) -> None:
    p1, pm = on_hybrid["p1"], on_hybrid["person"][Role.PROJECT_MANAGER]
    review = open_review(p1)
    answer_all(review)
    first = review.answers.first()
    services.criterion_answer(actor=SYSTEM, answer=first, value="not_met")
    with pytest.raises(ValidationFailed) as error:
        services.gate_decide(actor=roles[Role.PORTFOLIO_MANAGER], review=review, decision="go")
    assert error.value.fields == {
        "decision": ["A criterion is not met: decide go with conditions, hold or recycle instead of go."]
    }
    with pytest.raises(ValidationFailed) as error:
        services.gate_decide(
            actor=roles[Role.PORTFOLIO_MANAGER], review=review, decision="go_conditions", comment="Almost"
        )
    assert error.value.fields == {"conditions": ["Give at least one condition with its owner and due date."]}
    with django_capture_on_commit_callbacks(execute=True):
        decided = services.gate_decide(
            actor=roles[Role.PORTFOLIO_MANAGER],
            review=review,
            decision="go_conditions",
            comment="Sponsor signs the business case within two weeks",
            conditions=[
                {"text": "Business case signed", "owner": pm.pk, "due_date": "2026-12-17"},
                {"text": "", "owner": None, "due_date": ""},  # an empty row is ignored
            ],
        )
    assert (decided.state, decided.decision, decided.decided_on) == ("decided", "go_conditions", dt.date(2026, 12, 3))
    assert [(c.text, c.owner, c.due_date, c.status) for c in decided.conditions.all()] == [
        ("Business case signed", pm, dt.date(2026, 12, 17), "open")
    ]
    tracking = ProjectMethodology.objects.get(project=p1)
    assert (tracking.current_phase.name, tracking.phase_started) == ("Build", dt.date(2026, 12, 3))
    following = open_review(p1)
    assert (following.phase.gate_name, following.planned_date) == ("Release", dt.date(2027, 2, 25))
    assert list(DocumentBaseline.objects.filter(project=p1).values_list("label", flat=True)) == ["Gate: Business case"]
    assert (
        Notification.objects.filter(
            recipient=roles[Role.PROJECT_MANAGER], message__contains="go with conditions"
        ).count()
        == 1
    )
    condition = decided.conditions.get()
    services.condition_close(actor=roles[Role.PROJECT_MANAGER], condition=condition, note="Signed on 10 Dec")
    condition.refresh_from_db()
    assert (condition.status, condition.closed_on, condition.closing_note) == (
        "done",
        dt.date(2026, 12, 3),
        "Signed on 10 Dec",
    )
    with pytest.raises(Conflict):
        services.condition_close(actor=SYSTEM, condition=condition)


def test_go_after_the_last_gate_completes_the_methodology(on_hybrid: dict[str, Any]) -> None:
    p1 = on_hybrid["p1"]
    for _ in range(2):
        review = open_review(p1)
        answer_all(review)
        services.gate_decide(actor=SYSTEM, review=review, decision="go")
    tracking = ProjectMethodology.objects.get(project=p1)
    assert tracking.current_phase is None
    assert not GateReview.objects.filter(project=p1, state="open").exists()
    assert [r.phase.gate_name for r in selectors.history(p1)] == ["Release", "Business case"]
    assert selectors.gate_status(p1).missing == []


def test_go_needs_every_criterion_answered(on_hybrid: dict[str, Any]) -> None:
    review = open_review(on_hybrid["p1"])
    with pytest.raises(ValidationFailed) as error:
        services.gate_decide(actor=SYSTEM, review=review, decision="go")
    assert error.value.fields == {
        "criteria": [
            "Answer every criterion first; still open: Business case approved by the sponsor; "
            "Risks identified and owned."
        ]
    }
    review.refresh_from_db()
    assert review.state == "open"


def test_hold_keeps_the_phase_and_plans_another_review(on_hybrid: dict[str, Any]) -> None:
    p1 = on_hybrid["p1"]
    review = open_review(p1)
    with pytest.raises(ValidationFailed) as error:
        services.gate_decide(actor=SYSTEM, review=review, decision="hold")
    assert error.value.fields == {"comment": ["Say why the gate is decided hold."]}
    services.gate_decide(
        actor=SYSTEM, review=review, decision="hold", comment="Funding round first", next_review="2027-01-15"
    )
    again = open_review(p1)
    assert (again.phase.name, again.planned_date) == ("Define", dt.date(2027, 1, 15))
    assert ProjectMethodology.objects.get(project=p1).current_phase.name == "Define"
    assert DocumentBaseline.objects.count() == 0


def test_recycle_restarts_the_phase(on_hybrid: dict[str, Any]) -> None:
    p1 = on_hybrid["p1"]
    services.gate_decide(actor=SYSTEM, review=open_review(p1), decision="recycle", comment="Redo the business case")
    tracking = ProjectMethodology.objects.get(project=p1)
    assert (tracking.current_phase.name, tracking.phase_started) == ("Define", dt.date(2026, 12, 3))
    assert open_review(p1).planned_date == dt.date(2027, 1, 14)


def test_kill_cancels_the_project_and_opens_its_closure(on_hybrid: dict[str, Any], roles: Any) -> None:
    p2 = on_hybrid["p2"]
    review = open_review(p2)
    services.gate_decide(
        actor=roles[Role.PMO_DIRECTOR], review=review, decision="kill", comment="The business case does not hold"
    )
    p2.refresh_from_db()
    assert p2.state == "cancelled"
    closure = Closure.objects.get(project=p2)
    assert closure.killed is True
    assert closure.reason == "Killed at the gate Business case: The business case does not hold"
    assert not GateReview.objects.filter(project=p2, state="open").exists()
    assert [r.decision for r in selectors.history(p2)] == ["kill"]


def test_a_failed_kill_changes_nothing(on_hybrid: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The decision, the cancellation and the closure are one transaction."""
    p2 = on_hybrid["p2"]
    review = open_review(p2)

    def refuse(**kwargs: Any) -> None:
        raise Conflict("Closure refused")

    monkeypatch.setattr("pmo.knowledge.services.closure_start", refuse)
    with pytest.raises(Conflict):
        services.gate_decide(actor=SYSTEM, review=review, decision="kill", comment="Stop")
    p2.refresh_from_db()
    review.refresh_from_db()
    assert (p2.state, review.state, review.decision) == ("proposed", "open", "")


def test_votes_are_recorded_by_the_reviewer(on_hybrid: dict[str, Any], roles: Any) -> None:
    review = open_review(on_hybrid["p1"])
    executive = on_hybrid["person"][Role.EXECUTIVE]
    reviewer = services.reviewer_add(
        actor=roles[Role.PROJECT_MANAGER], review=review, person=executive.pk, role="Sponsor"
    )
    with pytest.raises(ValidationFailed) as error:
        services.reviewer_add(actor=SYSTEM, review=review, person=executive, role="PMO")
    assert error.value.fields == {"person": ["Exec already reviews this gate."]}
    with pytest.raises(ValidationFailed) as error:
        services.gate_vote(actor=roles[Role.EXECUTIVE], reviewer=reviewer, vote="hold")
    assert error.value.fields == {"comment": ["Say why (a vote other than go needs a comment)."]}
    services.gate_vote(actor=roles[Role.EXECUTIVE], reviewer=reviewer, vote="go_conditions", comment="Sign the case")
    reviewer.refresh_from_db()
    assert (reviewer.vote, reviewer.comment) == ("go_conditions", "Sign the case")
    assert reviewer.voted_at is not None


def test_a_decided_review_is_closed(on_hybrid: dict[str, Any]) -> None:
    review = open_review(on_hybrid["p1"])
    services.gate_decide(actor=SYSTEM, review=review, decision="hold", comment="Wait")
    with pytest.raises(Conflict):
        services.gate_decide(actor=SYSTEM, review=review, decision="kill", comment="Stop")
    with pytest.raises(Conflict):
        services.criterion_answer(actor=SYSTEM, answer=review.answers.first(), value="met")


def test_upcoming_and_overdue_gates(on_hybrid: dict[str, Any]) -> None:
    reviews = list(selectors.open_reviews(portfolio=on_hybrid["portfolio"]))
    assert [(r.project.code, r.planned_date) for r in reviews] == [
        ("P1", dt.date(2026, 2, 16)),
        ("P2", dt.date(2026, 11, 12)),
    ]
    assert list(selectors.open_reviews(portfolio=on_hybrid["other_portfolio"])) == []
    assert GateCondition.objects.count() == 0


def test_a_stale_review_cannot_be_decided_twice(on_hybrid: dict[str, Any]) -> None:
    """Two deciders with the same page open: the second finds the review decided and changes nothing."""
    review = open_review(on_hybrid["p1"])
    stale = GateReview.objects.get(pk=review.pk)
    services.gate_decide(actor=SYSTEM, review=review, decision="hold", comment="Wait")
    with pytest.raises(Conflict):
        services.gate_decide(actor=SYSTEM, review=stale, decision="kill", comment="Stop")
    on_hybrid["p1"].refresh_from_db()
    assert on_hybrid["p1"].state == "proposed"
    assert GateReview.objects.filter(project=on_hybrid["p1"]).count() == 2
