"""The proposal pages: intake list, the proposal with its business case, forms."""

from typing import Any

from django.urls import reverse

from pmo.core.access import can
from pmo.portfolio.models import Portfolio
from pmo.selection import lifecycle, selectors, services
from pmo.selection.forms import ProposalForm
from pmo.selection.models import Proposal
from pmo.web.areas import Area, Column, Filter


def _state(p: Proposal) -> dict[str, str]:
    return {"text": p.get_state_display(), "tone": f"proposal-{p.state}"}


def _facts(p: Proposal, user: Any) -> list[tuple[str, Any]]:
    money = selectors.financials(p)
    return [
        ("Code", p.code),
        ("State", {"badge": p.get_state_display(), "tone": f"proposal-{p.state}"}),
        (
            "Portfolio",
            {"text": p.portfolio.name, "url": reverse("portfolios-detail", args=[p.portfolio_id])}
            if p.portfolio_id
            else "—",
        ),
        ("Sponsor", p.sponsor or "—"),
        ("Requested by", p.requester.get_full_name() or p.requester.get_username() if p.requester_id else "—"),
        ("Risk", p.get_risk_level_display()),
        ("Start window", " to ".join(d.strftime("%d %b %Y") if d else "—" for d in (p.earliest_start, p.latest_start))),
        ("Duration", f"{p.duration_months} months" if p.duration_months else "—"),
        ("Total cost", {"money": money.total_cost, "currency": p.currency}),
        ("Total benefit", {"money": money.total_benefit, "currency": p.currency}),
        ("NPV", {"money": money.npv, "currency": p.currency} if money.npv is not None else "—"),
        ("IRR", f"{money.irr:.1%}" if money.irr is not None else "—"),
        ("Payback", f"{money.payback_years:g} years" if money.payback_years is not None else "—"),
        ("Discount rate", f"{p.discount_rate:g} %"),
        ("Requires", ", ".join(r.code for r in p.requires.all()) or "—"),
        ("Excludes", ", ".join(r.code for r in p.excludes.all()) or "—"),
        (
            "Became project",
            {"text": str(p.project), "url": reverse("projects-detail", args=[p.project_id])} if p.project_id else "—",
        ),
        ("Problem and objectives", p.problem or "—"),
        ("Non-financial benefits", p.non_financial_benefits or "—"),
    ]


def _is_evaluator(user: Any) -> bool:
    from pmo.selection.models import ScoringModel

    return ScoringModel.objects.filter(active=True, evaluators=getattr(user, "pk", None)).exists()


def _extra(p: Proposal, user: Any) -> dict[str, Any]:
    moves = []
    for state, action in lifecycle.TRANSITIONS.get(p.state, {}).items():
        if can(user, action, p) and state != Proposal.State.APPROVED:
            moves.append((state, Proposal.State(state).label))
    return {
        "moves": moves,
        "can_approve": Proposal.State.APPROVED in lifecycle.TRANSITIONS.get(p.state, {}) and can(user, "decide", p),
        "missing": services.missing_for_submission(p) if p.state in lifecycle.EDITABLE else {},
        "cash_flows": list(p.cash_flows.all()),
        "demands": list(p.demands.all()),
        "contributions": list(p.contributions.select_related("objective")),
        "can_edit_case": can(user, "change", p),
        "can_score": p.state in (Proposal.State.SUBMITTED, Proposal.State.UNDER_EVALUATION)
        and (can(user, "evaluate", p) or _is_evaluator(user)),
    }


proposals = Area(
    key="proposals",
    model=Proposal,
    title="Proposals",
    icon="✎",
    queryset=lambda: Proposal.objects.select_related("portfolio", "sponsor", "requester"),
    scope=lambda qs, user: selectors.visible_proposals(user, qs),
    columns=(
        Column("Code", lambda p: p.code, sort="code", link=True),
        Column("Title", lambda p: p.title, sort="title", link=True),
        Column("Portfolio", lambda p: p.portfolio.name if p.portfolio_id else "—", sort="portfolio__name"),
        Column("Sponsor", lambda p: p.sponsor or "—", sort="sponsor__name"),
        Column("State", _state, sort="state", kind="badge"),
        Column("Risk", lambda p: p.get_risk_level_display(), sort="risk_level"),
        Column("Earliest start", lambda p: p.earliest_start, sort="earliest_start", kind="date"),
    ),
    filters=(
        Filter("state", "State", "state", lambda: list(Proposal.State.choices)),
        Filter(
            "portfolio", "Portfolio", "portfolio_id", lambda: [(str(p.pk), p.name) for p in Portfolio.objects.all()]
        ),
    ),
    search_fields=("code", "title", "problem"),
    search_hint="Search proposals",
    default_sort="-code",
    form=ProposalForm,
    create=services.proposal_create,
    update=services.proposal_update,
    delete=services.proposal_delete,
    obj_kwarg="proposal",
    facts=_facts,
    extra=_extra,
    detail_template="selection/proposal_detail.html",
    empty_text="No proposals yet. Anyone with an idea for a project can submit one here.",
)

AREAS = (proposals,)
