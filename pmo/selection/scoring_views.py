"""Pages for scoring: models and their criteria, AHP weighting, evaluations, and the ranking."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pmo.core.access import can, require
from pmo.core.errors import DomainError, ValidationFailed
from pmo.reporting.exports import list_export
from pmo.selection import scoring, selectors
from pmo.selection.models import Criterion, ScoringModel

SAATY = [
    (9, "9 — extremely more"),
    (7, "7 — very strongly more"),
    (5, "5 — strongly more"),
    (3, "3 — moderately more"),
    (1, "1 — equally"),
    (1 / 3, "1/3 — moderately less"),
    (1 / 5, "1/5 — strongly less"),
    (1 / 7, "1/7 — very strongly less"),
    (1 / 9, "1/9 — extremely less"),
]


class CriterionForm(forms.Form):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=Criterion.Kind.choices)
    direction = forms.ChoiceField(choices=Criterion.Direction.choices)
    weight = forms.DecimalField(min_value=0, max_digits=7, decimal_places=4, initial=1)
    levels = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text="Rated: one line per level 1–5"
    )

    def has_changed(self) -> bool:
        # A spare row left without a name is no criterion, though its kind and direction lists show a choice.
        return bool(str(self["name"].value() or "").strip()) or bool(str(self["levels"].value() or "").strip())


CriterionFormSet = forms.formset_factory(CriterionForm, extra=2)


def _errors(request: HttpRequest, error: DomainError) -> None:
    if isinstance(error, ValidationFailed):
        for name, msgs in error.fields.items():
            messages.error(request, f"{name.replace('_', ' ').capitalize()}: {' '.join(msgs)}")
    else:
        messages.error(request, error.message)


@login_required
def model_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", ScoringModel)
    models = ScoringModel.objects.prefetch_related("criteria")
    download = list_export(
        request,
        "Scoring models",
        [
            ("Model", lambda m: m.name),
            ("Weights", lambda m: m.get_weighting_display()),
            ("Criteria", lambda m: ", ".join(f"{c.name} ({c.weight:.2f})" for c in m.criteria.all())),
            ("Consistency ratio", lambda m: m.consistency_ratio),
        ],
        models,
    )
    if download:
        return download
    return render(
        request,
        "selection/scoring_list.html",
        {
            "models": models,
            "can_add": can(request.user, "add", ScoringModel),
        },
    )


@login_required
def model_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    model = ScoringModel.objects.filter(pk=pk).first() if pk else None
    if pk and model is None:
        raise Http404("No such scoring model.")
    require(request.user, "change" if model else "add", model or ScoringModel)
    users = get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct().order_by("username")
    if request.method == "POST":
        formset = CriterionFormSet(request.POST, prefix="c")
        if formset.is_valid():
            specs = [
                scoring.CriterionSpec(
                    name=f["name"],
                    kind=f["kind"],
                    direction=f["direction"],
                    weight=f["weight"],
                    levels=tuple(line.strip() for line in (f.get("levels") or "").splitlines() if line.strip()),
                )
                for f in formset.cleaned_data
                if f
            ]
            try:
                saved = scoring.scoring_model_save(
                    actor=request.user,
                    model=model,
                    name=request.POST.get("name", "").strip(),
                    description=request.POST.get("description", ""),
                    criteria=specs,
                    evaluators=users.filter(pk__in=request.POST.getlist("evaluators")),
                )
                messages.success(request, f"Scoring model {saved} saved.")
                return HttpResponseRedirect(reverse("scoring-detail", args=[saved.pk]))
            except DomainError as error:
                _errors(request, error)
    else:
        initial = [
            {
                "name": c.name,
                "kind": c.kind,
                "direction": c.direction,
                "weight": c.weight,
                "levels": "\n".join(c.levels),
            }
            for c in (model.criteria.all() if model else [])
        ]
        formset = CriterionFormSet(prefix="c", initial=initial)
    return render(
        request,
        "selection/scoring_form.html",
        {
            "model": model,
            "formset": formset,
            "users": users,
            "chosen": set(model.evaluators.values_list("pk", flat=True)) if model else set(),
        },
    )


@login_required
def model_detail(request: HttpRequest, pk: int) -> HttpResponse:
    model = ScoringModel.objects.filter(pk=pk).prefetch_related("criteria", "evaluators").first()
    if model is None:
        raise Http404("No such scoring model.")
    require(request.user, "view", model)
    criteria = list(model.criteria.all())
    total = sum(c.weight for c in criteria) or Decimal(1)
    pairs = [(i, j, a, b) for i, a in enumerate(criteria) for j, b in enumerate(criteria) if i < j]
    matrix = model.ahp_matrix or []
    current = {(i, j): matrix[i][j] for i, j, _a, _b in pairs} if matrix else {}
    return render(
        request,
        "selection/scoring_detail.html",
        {
            "model": model,
            "criteria": [(c, float(c.weight / total) * 100) for c in criteria],
            "pairs": [(i, j, a, b, current.get((i, j), 1)) for i, j, a, b in pairs],
            "saaty": SAATY,
            "can_change": can(request.user, "change", model),
        },
    )


@login_required
@require_POST
def model_ahp(request: HttpRequest, pk: int) -> HttpResponse:
    model = ScoringModel.objects.filter(pk=pk).first()
    if model is None:
        raise Http404("No such scoring model.")
    n = model.criteria.count()
    matrix = [[1.0] * n for _ in range(n)]
    try:
        for i in range(n):
            for j in range(i + 1, n):
                value = float(request.POST.get(f"pair-{i}-{j}", "1"))
                if value <= 0:
                    raise ValueError
                matrix[i][j], matrix[j][i] = value, 1 / value
        model = scoring.scoring_model_set_ahp(actor=request.user, model=model, matrix=matrix)
        messages.success(request, f"Weights derived by AHP; consistency ratio {model.consistency_ratio:.3f}.")
    except ValueError:
        messages.error(request, "Each comparison must be a positive number from the scale.")
    except DomainError as error:
        _errors(request, error)
    return HttpResponseRedirect(reverse("scoring-detail", args=[pk]))


def _model_from(request: HttpRequest) -> ScoringModel | None:
    models_ = ScoringModel.objects.filter(active=True)
    return models_.filter(pk=request.GET.get("model") or 0).first() or models_.first()


@login_required
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.visible_proposals(request.user).filter(pk=pk).first()
    if proposal is None:
        raise Http404("No such proposal.")
    model = _model_from(request)
    if model is None:
        messages.error(request, "No scoring model yet: the PMO sets one up under Scoring.")
        return HttpResponseRedirect(reverse("proposals-detail", args=[pk]))
    rated = list(model.criteria.filter(kind=Criterion.Kind.RATED))
    mine = {e.criterion_id: e for e in proposal.evaluations.filter(evaluator=request.user)}
    if request.method == "POST":
        try:
            ratings: dict[Criterion, tuple[int, str]] = {}
            for c in rated:
                raw = request.POST.get(f"rating-{c.pk}", "")
                if raw:
                    ratings[c] = (int(raw), request.POST.get(f"comment-{c.pk}", ""))
            scoring.evaluation_record(actor=request.user, proposal=proposal, model=model, ratings=ratings)
            messages.success(request, f"Your scores for {proposal.code} are saved.")
            return HttpResponseRedirect(reverse("ranking") + f"?model={model.pk}")
        except DomainError as error:
            _errors(request, error)
        except ValueError:
            messages.error(request, "Ratings go from 1 to 5.")
    return render(
        request,
        "selection/evaluate.html",
        {"proposal": proposal, "model": model, "rated": [(c, mine.get(c.pk)) for c in rated], "levels": range(1, 6)},
    )


def _ranking_columns(criteria: list[Any]) -> list[tuple[str, Any]]:
    """The ranking as a spreadsheet: rank, proposal, state, total score, then each criterion's weighted points."""
    columns: list[tuple[str, Any]] = [
        ("Rank", lambda r: r.rank),
        ("Proposal", lambda r: r.proposal.code),
        ("Title", lambda r: r.proposal.title),
        ("Project", lambda r: r.proposal.project.code if r.proposal.project else ""),
        (
            "State",
            lambda r: (
                f"Project {r.proposal.project.get_state_display().lower()}"
                if r.proposal.project
                else r.proposal.get_state_display()
            ),
        ),
        ("Score", lambda r: round(r.score, 1)),
    ]
    for index, criterion in enumerate(criteria):
        columns.append(
            (
                criterion.name,
                lambda r, i=index: None if r.parts[i].normalised is None else round(r.parts[i].weighted, 1),
            )
        )
    columns.append(("Not scored by", lambda r: ", ".join(r.missing_evaluators)))
    return columns


@login_required
def ranking(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", ScoringModel)
    model = _model_from(request)
    proposals = list(selectors.rankable_proposals(request.user))
    portfolio = request.GET.get("portfolio")
    if portfolio:
        proposals = [p for p in proposals if str(p.portfolio_id) == portfolio]
    rows = scoring.score_table(model, proposals) if model else []
    criteria = list(model.criteria.all()) if model else []
    download = list_export(request, f"Ranking {model.name if model else ''}", _ranking_columns(criteria), rows)
    if download:
        return download
    return render(
        request,
        "selection/ranking.html",
        {
            "model": model,
            "models": ScoringModel.objects.filter(active=True),
            "rows": rows,
            "criteria": criteria,
            "portfolio": portfolio,
            "can_evaluate": any(can(request.user, "evaluate", r.proposal) for r in rows)
            or (model is not None and model.evaluators.filter(pk=request.user.pk).exists()),
        },
    )
