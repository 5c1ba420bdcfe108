"""Proposal pages beyond the generic ones: the business case grid and the lifecycle moves."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pmo.core.access import require
from pmo.core.errors import DomainError, ValidationFailed
from pmo.portfolio.models import StrategicObjective
from pmo.selection import selectors, services
from pmo.selection.models import Proposal


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    proposal = selectors.visible_proposals(request.user).filter(pk=pk).first()
    if proposal is None:
        raise Http404("No such proposal.")
    return proposal


class CashFlowForm(forms.Form):
    year = forms.IntegerField(min_value=0, max_value=50)
    capex = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, required=False)
    opex = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, required=False)
    benefit = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, required=False)


class DemandForm(forms.Form):
    role = forms.CharField(max_length=100)
    fte = forms.DecimalField(min_value=Decimal("0.01"), max_digits=5, decimal_places=2, label="FTE")
    start_month = forms.IntegerField(min_value=0, max_value=120, initial=0)
    months = forms.IntegerField(min_value=1, max_value=120)


CashFlowFormSet = forms.formset_factory(CashFlowForm, extra=3)
DemandFormSet = forms.formset_factory(DemandForm, extra=2)


def _zero(value: Decimal | None) -> Decimal:
    return value if value is not None else Decimal("0")


@login_required
def business_case(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    require(request.user, "change", proposal)
    objectives = list(StrategicObjective.objects.filter(active=True))
    ratings = {c.objective_id: c.rating for c in proposal.contributions.all()}
    if request.method == "POST":
        flows = CashFlowFormSet(request.POST, prefix="flow")
        needs = DemandFormSet(request.POST, prefix="need")
        try:
            contributions = []
            for objective in objectives:
                raw = request.POST.get(f"objective-{objective.pk}", "").strip()
                if raw:
                    contributions.append((objective, int(raw)))
        except ValueError:
            contributions = None
        if flows.is_valid() and needs.is_valid() and contributions is not None:
            try:
                services.proposal_business_case_update(
                    actor=request.user,
                    proposal=proposal,
                    cash_flows=[
                        services.CashFlowRow(
                            f["year"], _zero(f.get("capex")), _zero(f.get("opex")), _zero(f.get("benefit"))
                        )
                        for f in flows.cleaned_data
                        if f
                    ],
                    demands=[
                        services.DemandRow(d["role"], d["fte"], d["start_month"], d["months"])
                        for d in needs.cleaned_data
                        if d
                    ],
                    contributions=contributions,
                )
                messages.success(request, "Business case saved.")
                return HttpResponseRedirect(reverse("proposals-detail", args=[pk]))
            except ValidationFailed as error:
                for name, msgs in error.fields.items():
                    messages.error(request, f"{name.replace('_', ' ').capitalize()}: {' '.join(msgs)}")
        else:
            messages.error(request, "Some rows are not valid; the errors are shown next to them.")
    else:
        flows = CashFlowFormSet(
            prefix="flow",
            initial=[
                {"year": f.year, "capex": f.capex, "opex": f.opex, "benefit": f.benefit}
                for f in proposal.cash_flows.all()
            ]
            or None,
        )
        needs = DemandFormSet(
            prefix="need",
            initial=[
                {"role": d.role, "fte": d.fte, "start_month": d.start_month, "months": d.months}
                for d in proposal.demands.all()
            ],
        )
    return render(
        request,
        "selection/business_case.html",
        {
            "proposal": proposal,
            "flows": flows,
            "needs": needs,
            "objectives": [(o, ratings.get(o.pk)) for o in objectives],
            "ratings": range(1, 6),
        },
    )


@login_required
@require_POST
def proposal_move(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    to_state = request.POST.get("to_state", "")
    try:
        if to_state == Proposal.State.APPROVED:
            project = services.proposal_approve_into_project(
                actor=request.user,
                proposal=proposal,
                code=request.POST.get("project_code", "").strip(),
                comment=request.POST.get("comment", ""),
                methodology_version=request.POST.get("methodology_version") or None,
            )
            messages.success(request, f"Approved: {project} is now a project.")
            return HttpResponseRedirect(reverse("projects-detail", args=[project.pk]))
        services.proposal_transition(
            actor=request.user, proposal=proposal, to_state=to_state, comment=request.POST.get("comment", "")
        )
        messages.success(request, f"{proposal.code} is now {proposal.get_state_display().lower()}.")
    except (DomainError, InvalidOperation) as error:
        if isinstance(error, ValidationFailed):
            for name, msgs in error.fields.items():
                messages.error(request, f"{name.replace('_', ' ').capitalize()}: {' '.join(msgs)}")
        else:
            messages.error(request, getattr(error, "message", str(error)))
    return HttpResponseRedirect(reverse("proposals-detail", args=[pk]))
