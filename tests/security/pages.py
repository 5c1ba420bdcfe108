"""How to press each button of the page matrix (PAGES in matrix.py): the page that shows the form, which form (by
the URL it posts to and its hidden fields or button), and what to type in. The test opens the page as the viewer
(the PMO director unless said), reads the form as a browser would and posts it as every caller. A `Post` without
a page posts `fill` as it is (forms the director's page does not show)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from tests.security import calls as c
from tests.security.conftest import MONDAY, World
from tests.security.matrix import DIR, EXE, MINE, OTHER, OWN, PAGES, PM, PROGRAM, TM, Op


@dataclass(frozen=True)
class Post:
    url: str  # where the form posts
    page: str | None = None  # the page that shows the form (None: post `fill` as it is)
    match: dict[str, str] = field(default_factory=dict)  # hidden fields or the button that pick the form
    fill: dict[str, Any] = field(default_factory=dict)  # what is typed in (None: left out)
    viewer: Any = DIR  # who opens the page


Builder = Callable[[World, str, Any], Post]


@dataclass(frozen=True)
class Entry:
    build: Builder
    contexts: tuple[str, ...] | None


PAGE_CALLS: dict[tuple[str, str], Entry] = {}  # (route, action of the Op) -> how to post it


def ops_of(route: str) -> tuple[Op, ...]:
    entry = PAGES[route]
    return (entry,) if isinstance(entry, Op) else entry


def page(route: str, action: str | None = None, contexts: tuple[str, ...] | None = None) -> Any:
    def register(build: Builder) -> Builder:
        ops = ops_of(route)
        chosen = action or ops[0].action
        assert any(o.action == chosen for o in ops), (route, chosen)
        assert (route, chosen) not in PAGE_CALLS, (route, chosen)
        PAGE_CALLS[(route, chosen)] = Entry(build, contexts)
        return build

    return register


def _file(name: str, content: bytes, kind: str = "text/csv") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=kind)


def _mspdi(w: World) -> bytes:
    from pmo.planning import interchange

    w.plan(w.p2)
    return w.once("mspdi", lambda: interchange.export_mspdi(w.p2))


# --- account ------------------------------------------------------------------------------------------------------


@page("account/", "create a token")
def _token(w: World, ctx: str, actor: Any) -> Post:
    return Post("/account/", "/account/", {"action": "create"}, {"name": "laptop"}, viewer=actor)


@page("account/", "revoke a token")
def _token_revoke(w: World, ctx: str, actor: Any) -> Post:
    from pmo.core.services import token_create

    token = w.once("pm2-token", lambda: token_create(user=w.pm2, name="spare")[0])
    return Post("/account/", fill={"action": "revoke", "token_id": token.pk})


@page("notifications/")
def _preferences(w: World, ctx: str, actor: Any) -> Post:
    return Post("/notifications/", "/notifications/", {"action": "preferences"}, {"email": ["gate"]}, viewer=actor)


# --- plans ------------------------------------------------------------------------------------------------------


def _plan_page(w: World, ctx: str) -> tuple[Any, str]:
    project = w.project(ctx)
    w.plan(project)
    return project, f"/projects/{project.pk}/plan/"


@page("projects/<int:pk>/plan/settings/")
def _plan_settings(w: World, ctx: str, actor: Any) -> Post:
    _project, plan = _plan_page(w, ctx)
    return Post(f"{plan}settings/", plan, fill={"status_date": "2026-11-16"})


@page("projects/<int:pk>/plan/tasks/")
def _task_add(w: World, ctx: str, actor: Any) -> Post:
    _project, plan = _plan_page(w, ctx)
    return Post(f"{plan}tasks/", plan, fill={"name": "Test", "duration": "3d"})


@page("projects/<int:pk>/plan/tasks/<int:task_pk>/")
def _task_save(w: World, ctx: str, actor: Any) -> Post:
    project, plan = _plan_page(w, ctx)
    return Post(f"{plan}tasks/{w.plan(project)[2].pk}/", plan, fill={"duration": "12d"})


@page("projects/<int:pk>/plan/tasks/<int:task_pk>/<str:action>/")
def _task_delete(w: World, ctx: str, actor: Any) -> Post:
    project, plan = _plan_page(w, ctx)
    return Post(f"{plan}tasks/{w.plan(project)[2].pk}/delete/", plan)


@page("projects/<int:pk>/plan/baselines/")
def _baseline(w: World, ctx: str, actor: Any) -> Post:
    _project, plan = _plan_page(w, ctx)
    return Post(f"{plan}baselines/", plan, fill={"name": "Re-plan"})


@page("projects/<int:pk>/plan/import/")
def _plan_import(w: World, ctx: str, actor: Any) -> Post:
    _project, plan = _plan_page(w, ctx)
    return Post(f"{plan}import/", plan, fill={"file": _file("plan.xml", _mspdi(w), "application/xml")})


@page("portfolios/<int:portfolio_pk>/import/")
def _project_import(w: World, ctx: str, actor: Any) -> Post:
    portfolio = w.portfolio(ctx)
    fill = {"code": "P8", "name": "Imported", "file": _file("plan.xml", _mspdi(w), "application/xml")}
    return Post(f"/portfolios/{portfolio.pk}/import/", f"/portfolios/{portfolio.pk}/", fill=fill)


@page("projects/<int:pk>/plan/links/")
def _link_add(w: World, ctx: str, actor: Any) -> Post:
    _project, plan = _plan_page(w, ctx)
    w.plan(w.p2)
    return Post(f"{plan}links/", plan, fill={"provider_project": "P2", "provider_uid": "2", "consumer_uid": "1"})


@page("projects/<int:pk>/plan/links/<int:link_pk>/remove/")
def _link_remove(w: World, ctx: str, actor: Any) -> Post:
    project, plan = _plan_page(w, ctx)
    return Post(f"{plan}links/{c._cross_link(w, project).pk}/remove/")


@page("leveling/")
def _leveling_start(w: World, ctx: str, actor: Any) -> Post:
    w.plan(w.p1)
    return Post("/leveling/", fill={"projects": [str(w.p1.pk)], "mode": "fast", "time_limit": "5"})


@page("leveling/<int:pk>/<str:decision>/", "accept")
def _leveling_accept(w: World, ctx: str, actor: Any) -> Post:
    run = c._leveling_run(w, w.project(ctx))
    return Post(f"/leveling/{run.pk}/accept/", f"/leveling/{run.pk}/")


@page("leveling/<int:pk>/<str:decision>/", "discard")
def _leveling_discard(w: World, ctx: str, actor: Any) -> Post:
    run = c._leveling_run(w, w.p1)
    return Post(f"/leveling/{run.pk}/discard/", f"/leveling/{run.pk}/")


@page("capacity/reassign/")
def _reassign(w: World, ctx: str, actor: Any) -> Post:
    from pmo.planning import services as planning

    project = w.project(ctx)
    design = w.plan(project)[1]
    if ctx == OTHER:  # P3's Design: the team member works on it here too
        w.once("p3-member", lambda: planning.task_update(actor=SYSTEM, task=design, assignments=[(w.person(TM), 1)]))
    fill = {"task": design.pk, "from": w.person(TM).pk, "to": w.person(Role.PROJECT_ADMINISTRATOR).pk}
    return Post("/capacity/reassign/", fill=fill)


@page("projects/<int:pk>/risk-analysis/estimates/")
def _estimates(w: World, ctx: str, actor: Any) -> Post:
    project, _plan = _plan_page(w, ctx)
    build = w.plan(project)[2]
    return Post(
        f"/projects/{project.pk}/risk-analysis/estimates/",
        f"/projects/{project.pk}/risk-analysis/",
        fill={f"optimistic-{build.uid}": "8d", f"pessimistic-{build.uid}": "15d"},
    )


# --- proposals, scoring, scenarios -------------------------------------------------------------------------------


@page("proposals/<int:pk>/business-case/")
def _business_case(w: World, ctx: str, actor: Any) -> Post:
    proposal = c._draft(w, ctx, actor, complete=True)
    url = f"/proposals/{proposal.pk}/business-case/"
    return Post(url, url, fill={"flow-0-capex": "120000"})


@page("proposals/<int:pk>/move/", "submit")
def _proposal_submit(w: World, ctx: str, actor: Any) -> Post:
    proposal = c._draft(w, ctx, actor, complete=True)
    return Post(f"/proposals/{proposal.pk}/move/", fill={"to_state": "submitted"})


@page("proposals/<int:pk>/move/", "approve")
def _proposal_approve(w: World, ctx: str, actor: Any) -> Post:
    proposal = w.once(f"evaluated-{ctx}", lambda: w.proposal(w.pm2, w.portfolio(ctx), "under_evaluation", True))
    url = f"/proposals/{proposal.pk}/move/"
    return Post(url, f"/proposals/{proposal.pk}/", {"to_state": "approved"}, {"project_code": "P7"})


@page("proposals/<int:pk>/evaluate/")
def _evaluate(w: World, ctx: str, actor: Any) -> Post:
    model = w.scoring_model(named=ctx == "named")
    proposal = w.once("evaluated", lambda: w.proposal(w.pm2, w.dig, "under_evaluation", complete=True))
    url = f"/proposals/{proposal.pk}/evaluate/?model={model.pk}"
    return Post(url, fill={f"rating-{model.criteria.get().pk}": "4", "model": model.pk})


@page("scoring/new/")
def _scoring_new(w: World, ctx: str, actor: Any) -> Post:
    return Post("/scoring/new/", "/scoring/new/", fill={"name": "Lean model", "c-0-name": "Fit", "c-0-weight": "2"})


@page("scoring/<int:pk>/edit/")
def _scoring_edit(w: World, ctx: str, actor: Any) -> Post:
    url = f"/scoring/{w.scoring_model().pk}/edit/"
    return Post(url, url, fill={"description": "The PMO's"})


@page("scoring/<int:pk>/ahp/")
def _scoring_ahp(w: World, ctx: str, actor: Any) -> Post:
    from pmo.selection import scoring

    model = w.once(
        "model-2",
        lambda: scoring.scoring_model_save(
            actor=SYSTEM,
            name="Two criteria",
            criteria=[scoring.CriterionSpec(name="Fit"), scoring.CriterionSpec(name="Risk")],
        ),
    )
    return Post(f"/scoring/{model.pk}/ahp/", fill={"pair-0-1": "3"})


@page("scenarios/new/")
def _scenario_new(w: World, ctx: str, actor: Any) -> Post:
    w.scoring_model()
    return Post("/scenarios/new/", "/scenarios/new/", fill={"name": "Budget cut", "portfolio": str(w.dig.pk)})


@page("scenarios/<int:pk>/edit/")
def _scenario_edit(w: World, ctx: str, actor: Any) -> Post:
    url = f"/scenarios/{c._scenario(w).pk}/edit/"
    return Post(url, url, fill={"name": "Budget cut 2"})


@page("scenarios/<int:pk>/<str:action>/", "run")
def _scenario_run(w: World, ctx: str, actor: Any) -> Post:
    return Post(f"/scenarios/{c._scenario(w).pk}/run/")


@page("scenarios/<int:pk>/<str:action>/", "approve")
def _scenario_approve(w: World, ctx: str, actor: Any) -> Post:
    scenario = c._scenario(w, ctx, done=True)
    return Post(f"/scenarios/{scenario.pk}/approve/", f"/scenarios/{scenario.pk}/", fill={"comment": "Go"})


# --- timesheets, costs, earned value -----------------------------------------------------------------------------


@page("timesheet/")
def _timesheet(w: World, ctx: str, actor: Any) -> Post:
    task = w.everyone_on(w.p1)
    url = f"/timesheet/?week={MONDAY.isoformat()}"
    return Post(url, fill={"week": MONDAY.isoformat(), f"h-{task.pk}-0": "3", "save": "1"})


@page("timesheet/<int:pk>/decide/")
def _timesheet_decide(w: World, ctx: str, actor: Any) -> Post:
    sheet = w.once(f"sheet-{ctx}", lambda: w.timesheet(w.project(ctx)))
    return Post(f"/timesheet/{sheet.pk}/decide/", fill={"decision": "approve", "comment": "Thanks"})


@page("performance/snapshot/")
def _portfolio_snapshot(w: World, ctx: str, actor: Any) -> Post:
    c._measured(w, w.project(ctx))
    return Post("/performance/snapshot/", fill={"portfolio": w.portfolio(ctx).pk, "status_date": "2026-11-30"})


def _performance(w: World, ctx: str) -> tuple[Any, str]:
    project = w.project(ctx)
    c._measured(w, project)
    return project, f"/projects/{project.pk}/performance/"


@page("projects/<int:pk>/performance/snapshot/")
def _snapshot(w: World, ctx: str, actor: Any) -> Post:
    _project, performance = _performance(w, ctx)
    return Post(f"{performance}snapshot/", performance, fill={"status_date": "2026-11-30"})


@page("projects/<int:pk>/performance/settings/")
def _progress_method(w: World, ctx: str, actor: Any) -> Post:
    _project, performance = _performance(w, ctx)
    return Post(f"{performance}settings/", performance, fill={"progress_method": "physical"})


@page("projects/<int:pk>/performance/budgets/")
def _budgets(w: World, ctx: str, actor: Any) -> Post:
    project, performance = _performance(w, ctx)
    return Post(f"{performance}budgets/", performance, fill={f"budget-{w.plan(project)[1].pk}": "1500"})


@page("projects/<int:pk>/costs/add/")
def _cost_add(w: World, ctx: str, actor: Any) -> Post:
    project, performance = _performance(w, ctx)
    fill = {"date": "2026-11-20", "category": "services", "amount": "1200", "description": "Pen test"}
    return Post(f"/projects/{project.pk}/costs/add/", performance, fill=fill)


@page("projects/<int:pk>/costs/import/")
def _cost_import(w: World, ctx: str, actor: Any) -> Post:
    project, performance = _performance(w, ctx)
    text = b"date,category,amount,description\n2026-11-20,services,1200.00,Pen test\n"
    return Post(f"/projects/{project.pk}/costs/import/", performance, fill={"file": _file("costs.csv", text)})


# --- status reports, issues, changes, deviations ---------------------------------------------------------------


@page("projects/<int:pk>/status/")
def _report_start(w: World, ctx: str, actor: Any) -> Post:
    url = f"/projects/{w.project(ctx).pk}/status/"
    return Post(url, url)


@page("projects/<int:pk>/issues/")
def _issue_log(w: World, ctx: str, actor: Any) -> Post:
    url = f"/projects/{w.project(ctx).pk}/issues/"
    return Post(url, url, fill={"new-title": "Licence expired"})


@page("projects/<int:pk>/changes/")
def _change_raise(w: World, ctx: str, actor: Any) -> Post:
    url = f"/projects/{w.project(ctx).pk}/changes/"
    return Post(url, url, fill={"new-title": "More reports", "new-reason": "Asked by finance"})


@page("status-reports/<int:pk>/")
def _report_submit(w: World, ctx: str, actor: Any) -> Post:
    url = f"/status-reports/{w.status_report(w.project(ctx)).pk}/"
    return Post(url, url, {"action": "submit"})


@page("issues/<int:pk>/")
def _issue_escalate(w: World, ctx: str, actor: Any) -> Post:
    url = f"/issues/{w.issue(w.project(ctx)).pk}/"
    return Post(url, url, {"action": "escalate"}, {"escalation": "portfolio", "escalation_reason": "Blocked"})


@page("change-requests/<int:pk>/", "assess")
def _change_assess(w: World, ctx: str, actor: Any) -> Post:
    change = w.once(f"change-{ctx}", lambda: w.change_request(w.project(ctx)))
    url = f"/change-requests/{change.pk}/"
    return Post(url, url, {"action": "assess"}, {"assessment": "A week of work."})


@page("change-requests/<int:pk>/", "approve")
def _change_decide(w: World, ctx: str, actor: Any) -> Post:
    change = w.once(f"assessed-{ctx}", lambda: w.change_request(w.project(ctx), assessed=True))
    url = f"/change-requests/{change.pk}/"
    return Post(url, url, {"action": "decide", "decision": "approved"}, {"comment": "Go ahead."})


@page("deviations/")
def _deviations_check(w: World, ctx: str, actor: Any) -> Post:
    c.something_to_check(w)
    return Post("/deviations/", fill={"action": "check"})


@page("deviations/<int:pk>/acknowledge/")
def _deviation_acknowledge(w: World, ctx: str, actor: Any) -> Post:
    deviation = w.once(f"deviation-{ctx}", lambda: w.deviation(w.project(ctx)))
    return Post(f"/deviations/{deviation.pk}/acknowledge/", "/deviations/", fill={"note": "Known."})


@page("portfolios/<int:pk>/thresholds/")
def _thresholds(w: World, ctx: str, actor: Any) -> Post:
    url = f"/portfolios/{w.portfolio(ctx).pk}/thresholds/"
    return Post(url, url, fill={"spi-amber": "0.97"})


# --- risks ------------------------------------------------------------------------------------------------------


@page("projects/<int:pk>/risks/")
def _risk_add(w: World, ctx: str, actor: Any) -> Post:
    url = f"/projects/{w.project(ctx).pk}/risks/"
    return Post(url, url, fill={"new-title": "Key person leaves", "new-probability": "2", "new-impact": "4"})


@page("risks/", "add a program risk", contexts=(PROGRAM,))
def _program_risk(w: World, ctx: str, actor: Any) -> Post:
    url = f"/risks/?portfolio={w.dig.pk}"
    fill = {"register": f"program-{w.cx.pk}", "new-title": "Budget freeze", "new-probability": "2", "new-impact": "4"}
    return Post(url, url, {"register": "portfolio"}, fill)


@page("risks/", "check")
def _risk_check(w: World, ctx: str, actor: Any) -> Post:
    c.an_overdue_action(w)
    return Post("/risks/", fill={"action": "check"})


@page("risks/<int:pk>/", "re-rate", contexts=(OWN, OTHER))
def _risk_rate(w: World, ctx: str, actor: Any) -> Post:
    url = f"/risks/{w.risk(ctx).pk}/"
    return Post(url, url, {"action": "rate"}, {"rate-probability": "4", "rate-impact": "2"})


@page("risks/<int:pk>/", "action status")
def _risk_action_status(w: World, ctx: str, actor: Any) -> Post:
    owner = w.person(actor) if ctx == MINE else w.pm2.person
    action = w.risk_action(OTHER, owner)
    return Post(f"/risks/{action.risk_id}/", fill={"action": "action-status", "action_id": action.pk, "status": "done"})


@page("portfolios/<int:pk>/risk-scales/")
def _scales(w: World, ctx: str, actor: Any) -> Post:
    url = f"/portfolios/{w.portfolio(ctx).pk}/risk-scales/"
    return Post(url, url, fill={"probability-5-percent": "90"})


@page("projects/<int:pk>/risk-analysis/run/")
def _analysis(w: World, ctx: str, actor: Any) -> Post:
    project = w.project(ctx)
    w.plan(project)
    url = f"/projects/{project.pk}/risk-analysis/"
    return Post(f"{url}run/", url, fill={"iterations": "200", "seed": "1"})


@page("portfolios/<int:pk>/risk-analysis/run/")
def _portfolio_analysis(w: World, ctx: str, actor: Any) -> Post:
    w.plan(w.project(ctx))
    url = f"/portfolios/{w.portfolio(ctx).pk}/risk-analysis/"
    return Post(f"{url}run/", url, fill={"iterations": "200", "seed": "1"})


# --- the resource pool -------------------------------------------------------------------------------------------


@page("pool/")
def _generic(w: World, ctx: str, actor: Any) -> Post:
    return Post("/pool/", "/pool/", fill={"role": str(w.job_role().pk), "headcount": "2"})


@page("pool/people/<int:pk>/")
def _skill_level(w: World, ctx: str, actor: Any) -> Post:
    url = f"/pool/people/{w.person(TM).pk}/"
    return Post(url, url, {"action": "skill"}, {"skill-skill": str(w.skill().pk), "skill-level": "3"})


@page("pool/skills/")
def _requirement(w: World, ctx: str, actor: Any) -> Post:
    fill = {"role": str(w.job_role().pk), "skill": str(w.skill().pk), "required_level": "3"}
    return Post("/pool/skills/", "/pool/skills/", fill=fill)


@page("pool/requests/")
def _ask(w: World, ctx: str, actor: Any) -> Post:
    fill = {
        "project": str(w.project(ctx).pk),
        "role": str(w.job_role().pk),
        "fte": "0.5",
        "start": "2027-01-04",
        "finish": "2027-02-26",
    }
    return Post("/pool/requests/", "/pool/requests/", fill=fill)


@page("resource-requests/<int:pk>/", "assign")
def _assign(w: World, ctx: str, actor: Any) -> Post:
    url = f"/resource-requests/{c._request(w).pk}/"
    return Post(url, url, {"action": "assign"}, {"person": str(w.person(TM).pk)})


@page("resource-requests/<int:pk>/", "withdraw")
def _withdraw(w: World, ctx: str, actor: Any) -> Post:
    return Post(f"/resource-requests/{c._request(w).pk}/", fill={"action": "withdraw"})


@page("pool/training/")
def _training_done(w: World, ctx: str, actor: Any) -> Post:
    return Post("/pool/training/", "/pool/training/", {"action": "complete", "id": str(c._training_plan(w).pk)})


@page("capacity/what-ifs/")
def _whatif_save(w: World, ctx: str, actor: Any) -> Post:
    return Post("/capacity/what-ifs/", fill={"name": "Hire", "query": "by=role&hire=Developer:40"})


@page("capacity/what-ifs/<int:pk>/delete/")
def _whatif_delete(w: World, ctx: str, actor: Any) -> Post:
    return Post(f"/capacity/what-ifs/{c._whatif(w).pk}/delete/")


# --- documents ----------------------------------------------------------------------------------------------------


@page("projects/<int:pk>/documents/")
def _document_add(w: World, ctx: str, actor: Any) -> Post:
    url = f"/projects/{w.project(ctx).pk}/documents/"
    return Post(url, url, fill={"new-title": "Design", "new-kind": "design", "new-text": "# Design"})


@page("projects/<int:pk>/charter/")
def _charter(w: World, ctx: str, actor: Any) -> Post:
    w.template()
    url = f"/projects/{w.project(ctx).pk}/charter/"
    return Post(url, url)


@page("projects/<int:pk>/document-baselines/")
def _document_baseline(w: World, ctx: str, actor: Any) -> Post:
    c._doc(w, ctx, "approved")
    url = f"/projects/{w.project(ctx).pk}/document-baselines/"
    return Post(url, url, fill={"label": "Design freeze"})


@page("documents/<int:pk>/", "submit")
def _document_submit(w: World, ctx: str, actor: Any) -> Post:
    url = f"/documents/{c._doc(w, ctx).pk}/"
    return Post(url, url, {"action": "submit"})


@page("documents/<int:pk>/", "approve")
def _document_approve(w: World, ctx: str, actor: Any) -> Post:
    url = f"/documents/{c._doc(w, OWN, 'submitted').pk}/"
    return Post(url, url, {"action": "approve"}, viewer=EXE)


@page("document-templates/")
def _template_add(w: World, ctx: str, actor: Any) -> Post:
    fill = {"new-name": "Risk plan", "new-kind": "risk_plan", "new-body": "# Risks"}
    return Post("/document-templates/", "/document-templates/", fill=fill)


@page("document-templates/<int:pk>/")
def _template_change(w: World, ctx: str, actor: Any) -> Post:
    url = f"/document-templates/{w.template().pk}/"
    return Post(url, url, fill={"edit-description": "The PMO's charter"})


# --- governance ---------------------------------------------------------------------------------------------------


@page("governance/methodologies/")
def _methodology_create(w: World, ctx: str, actor: Any) -> Post:
    url = "/governance/methodologies/"
    return Post(url, url, fill={"name": "Scrum", "kind": "agile"})


@page("governance/methodologies/<int:pk>/", "add a criterion")
def _criterion_add(w: World, ctx: str, actor: Any) -> Post:
    version = c._draft_version(w)
    url = f"/governance/methodologies/{version.methodology_id}/"
    return Post(url, url, {"action": "criterion_add"}, {"text": "Budget agreed"})


@page("governance/methodologies/<int:pk>/", "publish")
def _publish(w: World, ctx: str, actor: Any) -> Post:
    version = c._draft_version(w)
    url = f"/governance/methodologies/{version.methodology_id}/"
    return Post(url, url, {"action": "publish"}, {"notes": "First"})


@page("governance/reviews/<int:pk>/", "add a reviewer")
def _reviewer_add(w: World, ctx: str, actor: Any) -> Post:
    url = f"/governance/reviews/{w.gate_review(w.project(ctx)).pk}/"
    return Post(url, url, {"action": "reviewer_add"}, {"person": str(w.person(TM).pk), "role": "Architect"})


@page("governance/reviews/<int:pk>/", "vote")
def _vote(w: World, ctx: str, actor: Any) -> Post:
    reviewer = w.reviewer(w.p1)
    url = f"/governance/reviews/{reviewer.review_id}/"
    return Post(url, url, {"action": "vote", "reviewer": str(reviewer.pk)}, {"vote": "go"}, viewer=EXE)


@page("governance/reviews/<int:pk>/", "go")
def _gate_decide(w: World, ctx: str, actor: Any) -> Post:
    from pmo.governance import services as governance

    review = w.gate_review(w.project(ctx))
    for answer in review.answers.all():
        governance.criterion_answer(actor=SYSTEM, answer=answer, value="met")
    url = f"/governance/reviews/{review.pk}/"
    return Post(url, url, {"action": "decide"}, {"decision": "go", "comment": "All met."})


@page("governance/projects/<int:pk>/")
def _track(w: World, ctx: str, actor: Any) -> Post:
    project = w.project(ctx)
    return Post(f"/governance/projects/{project.pk}/", fill={"version": w.methodology().pk})


@page("governance/audits/", "plan")
def _audit_plan(w: World, ctx: str, actor: Any) -> Post:
    w.audit_template()
    fill = {"project": str(w.project(ctx).pk), "planned_date": "2026-12-20"}
    return Post("/governance/audits/", "/governance/audits/", {"scheduled": "1"}, fill)


@page("governance/audits/", "add")
def _checklist_add(w: World, ctx: str, actor: Any) -> Post:
    w.audit_template()
    return Post("/governance/audits/", "/governance/audits/", {"action": "template_add"}, {"name": "Gate readiness"})


def _audit_page(w: World, ctx: str) -> str:
    return f"/governance/audits/{w.audit(w.project(ctx)).pk}/"


@page("governance/audits/<int:pk>/", "record a finding")
def _finding(w: World, ctx: str, actor: Any) -> Post:
    url = _audit_page(w, ctx)
    fill = {"title": "No risk log", "owner": str(w.person(TM).pk), "due_date": "2026-12-31"}
    return Post(url, url, {"action": "finding_add"}, fill)


@page("governance/audits/<int:pk>/", "add a corrective action")
def _corrective(w: World, ctx: str, actor: Any) -> Post:
    w.finding(w.project(ctx))
    url = _audit_page(w, ctx)
    fill = {"description": "Start a risk log", "owner": str(w.person(TM).pk), "due_date": "2026-12-20"}
    return Post(url, url, {"action": "action_add"}, fill)


@page("governance/audits/<int:pk>/", "done")
def _corrective_close(w: World, ctx: str, actor: Any) -> Post:
    action = w.corrective_action(w.project(ctx))
    return Post(_audit_page(w, ctx), fill={"action": "action_close", "corrective": action.pk})


# --- knowledge ----------------------------------------------------------------------------------------------------


@page("knowledge/")
def _lesson_record(w: World, ctx: str, actor: Any) -> Post:
    fill = {"title": "Freeze scope early", "what_happened": "Scope crept.", "project": str(w.project(ctx).pk)}
    return Post("/knowledge/", "/knowledge/", fill=fill)


@page("knowledge/lessons/<int:pk>/", "save")
def _lesson_save(w: World, ctx: str, actor: Any) -> Post:
    url = f"/knowledge/lessons/{w.lesson(ctx).pk}/"
    return Post(url, url, {"action": "save"}, {"recommendation": "Book it a quarter ahead."})


@page("knowledge/lessons/<int:pk>/", "mark relevant")
def _lesson_relevant(w: World, ctx: str, actor: Any) -> Post:
    return Post(f"/knowledge/lessons/{w.lesson(ctx).pk}/", fill={"action": "relevant", "relevant": "1"})


@page("knowledge/lessons/<int:pk>/", "delete")
def _lesson_delete(w: World, ctx: str, actor: Any) -> Post:
    return Post(f"/knowledge/lessons/{w.lesson(ctx).pk}/", fill={"action": "delete"})


@page("knowledge/categories/")
def _category(w: World, ctx: str, actor: Any) -> Post:
    return Post("/knowledge/categories/", "/knowledge/categories/", {"action": "add"}, {"name": "Vendors"})


@page("knowledge/maturity/", "assess")
def _assess(w: World, ctx: str, actor: Any) -> Post:
    fill = {"assess-title": "Q4", **{f"assess-level_{d}": "3" for d in c.LEVELS}}
    return Post("/knowledge/maturity/", "/knowledge/maturity/", {"action": "assess"}, fill)


@page("knowledge/maturity/", "plan")
def _improvement_plan(w: World, ctx: str, actor: Any) -> Post:
    return Post("/knowledge/maturity/", "/knowledge/maturity/", {"action": "plan"}, {"plan-title": "Gate checklists"})


@page("knowledge/maturity/", "progress")
def _improvement_progress(w: World, ctx: str, actor: Any) -> Post:
    item = w.improvement()
    return Post("/knowledge/maturity/", fill={"action": "progress", "item": item.pk, "status": "in_progress"})


@page("knowledge/improvements/<int:pk>/")
def _improvement_change(w: World, ctx: str, actor: Any) -> Post:
    url = f"/knowledge/improvements/{w.improvement().pk}/"
    return Post(url, url, fill={"description": "Two half days"})


@page("projects/<int:pk>/closure/")
def _closure_start(w: World, ctx: str, actor: Any) -> Post:
    project = w.set_state(w.project(ctx), "closing")
    return Post(f"/projects/{project.pk}/closure/", fill={"action": "start", "reason": "Delivered."})


# --- stakeholders, communication, surveys, benefits ------------------------------------------------------------


@page("stakeholders/<int:pk>/")
def _stakeholder_change(w: World, ctx: str, actor: Any) -> Post:
    url = f"/stakeholders/{w.stakeholder(ctx).pk}/"
    return Post(url, url, {"version": "1"}, {"s-notes": "Meets monthly"})


def _register(w: World, ctx: str) -> str:
    if ctx == PROGRAM:
        return f"/programs/{w.cx.pk}/stakeholders/"
    return f"/projects/{w.project(ctx).pk}/stakeholders/"


@page("projects/<int:pk>/stakeholders/", "add a stakeholder", contexts=(OWN, OTHER))
def _stakeholder_add(w: World, ctx: str, actor: Any) -> Post:
    url = _register(w, ctx)
    return Post(url, url, {"action": "stakeholder"}, {"s-name": "Customer panel"})


@page("projects/<int:pk>/stakeholders/", "sent", contexts=(OWN, OTHER))
def _sent(w: World, ctx: str, actor: Any) -> Post:
    item = w.communication(ctx)
    url = _register(w, ctx)
    return Post(url, fill={"action": "sent", "item": item.pk, "sent_on": "2026-12-01"})


@page("programs/<int:pk>/stakeholders/", contexts=(PROGRAM,))
def _program_stakeholder(w: World, ctx: str, actor: Any) -> Post:
    url = _register(w, ctx)
    return Post(url, url, {"action": "stakeholder"}, {"s-name": "Customer panel"})


@page("portfolios/<int:pk>/stakeholders/")
def _portfolio_stakeholder(w: World, ctx: str, actor: Any) -> Post:
    url = f"/portfolios/{w.portfolio(ctx).pk}/stakeholders/"
    return Post(url, url, {"action": "stakeholder"}, {"s-name": "Works council"})


@page("projects/<int:pk>/surveys/")
def _survey_open(w: World, ctx: str, actor: Any) -> Post:
    project = w.project(ctx)
    url = f"/projects/{project.pk}/stakeholders/"
    return Post(f"/projects/{project.pk}/surveys/", url, fill={"v-period": "2027-01"})


@page("surveys/<int:pk>/", "answer")
def _survey_answer(w: World, ctx: str, actor: Any) -> Post:
    return Post(f"/surveys/{w.survey(w.p1).pk}/", fill={"score": "4", "comment": "Good"})


@page("surveys/<int:pk>/", "close")
def _survey_close(w: World, ctx: str, actor: Any) -> Post:
    return Post(f"/surveys/{w.survey(w.project(ctx)).pk}/", fill={"action": "close"})


@page("projects/<int:pk>/benefits/", "plan")
def _benefit_plan(w: World, ctx: str, actor: Any) -> Post:
    url = f"/projects/{w.project(ctx).pk}/benefits/"
    fill = {
        "b-name": "Shorter queues",
        "b-kpi": "Minutes waiting",
        "b-baseline_value": "12",
        "b-target_value": "4",
        "b-target_date": "30/06/2027",
    }
    return Post(url, url, {"action": "benefit"}, fill)


@page("projects/<int:pk>/benefits/", "measure")
def _benefit_measure(w: World, ctx: str, actor: Any) -> Post:
    benefit = w.benefit(w.project(ctx))
    fill = {"action": "measure", "m-benefit": benefit.pk, "m-measured_on": "2026-11-30", "m-value": "900"}
    return Post(f"/projects/{benefit.project_id}/benefits/", fill=fill)


@page("communications/<int:pk>/")
def _communication_change(w: World, ctx: str, actor: Any) -> Post:
    url = f"/communications/{w.communication(ctx).pk}/"
    return Post(url, url, {"version": "1"}, {"i-audience_groups": "Sales"})


@page("benefits/<int:pk>/")
def _benefit_change(w: World, ctx: str, actor: Any) -> Post:
    url = f"/benefits/{w.benefit(w.project(ctx)).pk}/"
    return Post(url, url, {"version": "1"}, {"b-description": "Measured by the call centre"})


# --- reports ------------------------------------------------------------------------------------------------------


@page("reports/generate/")
def _report(w: World, ctx: str, actor: Any) -> Post:
    return Post("/reports/generate/", "/reports/", fill={"portfolio": "DIG", "format": "csv"})


@page("reports/subscriptions/")
def _subscribe(w: World, ctx: str, actor: Any) -> Post:
    return Post("/reports/subscriptions/", "/reports/", fill={"portfolio": "DIG", "format": "csv"})


@page("reports/subscriptions/<int:pk>/delete/")
def _unsubscribe(w: World, ctx: str, actor: Any) -> Post:
    return Post(f"/reports/subscriptions/{w.subscription().pk}/delete/")


# --- lifecycle and the record pages -------------------------------------------------------------------------------


@page("projects/<int:pk>/transition/", "proposed -> approved")
def _approve(w: World, ctx: str, actor: Any) -> Post:
    project = w.set_state(w.project(ctx), "proposed")
    return Post(f"/projects/{project.pk}/transition/", fill={"to_state": "approved"})


@page("projects/<int:pk>/transition/", "executing -> closing")
def _closing(w: World, ctx: str, actor: Any) -> Post:
    project = w.project(ctx)
    return Post(f"/projects/{project.pk}/transition/", f"/projects/{project.pk}/", {"to_state": "closing"})


def _new(area: str, fill: dict[str, Any]) -> Post:
    return Post(f"/{area}/new/", f"/{area}/new/", fill=fill)


def _edit(area: str, pk: int, fill: dict[str, Any]) -> Post:
    return Post(f"/{area}/{pk}/edit/", f"/{area}/{pk}/edit/", fill=fill)


@page("portfolios/new/")
def _portfolio_new(w: World, ctx: str, actor: Any) -> Post:
    return _new("portfolios", {"code": "REG", "name": "Regulatory"})


@page("portfolios/<int:pk>/edit/")
def _portfolio_edit(w: World, ctx: str, actor: Any) -> Post:
    return _edit("portfolios", w.portfolio(ctx).pk, {"description": "Changed"})


@page("portfolios/<int:pk>/delete/")
def _portfolio_delete(w: World, ctx: str, actor: Any) -> Post:
    from pmo.portfolio import services

    empty = w.once("portfolio", lambda: services.portfolio_create(actor=SYSTEM, code="EMPTY", name="Empty"))
    return Post(f"/portfolios/{empty.pk}/delete/")


@page("programs/new/")
def _program_new(w: World, ctx: str, actor: Any) -> Post:
    return _new("programs", {"code": "NEW", "name": "New program", "portfolio": str(w.portfolio(ctx).pk)})


@page("programs/<int:pk>/edit/")
def _program_edit(w: World, ctx: str, actor: Any) -> Post:
    return _edit("programs", c._program(w, ctx).pk, {"description": "Changed"})


@page("programs/<int:pk>/delete/")
def _program_delete(w: World, ctx: str, actor: Any) -> Post:
    from pmo.portfolio import services

    portfolio = w.portfolio(ctx)
    empty = w.once(
        "empty-program", lambda: services.program_create(actor=SYSTEM, code="EMP", name="E", portfolio=portfolio)
    )
    return Post(f"/programs/{empty.pk}/delete/")


@page("projects/new/")
def _project_new(w: World, ctx: str, actor: Any) -> Post:
    fill = {"code": "P9", "name": "New", "portfolio": str(w.portfolio(ctx).pk), "manager": str(w.person(actor).pk)}
    return Post("/projects/new/", "/projects/new/", fill=fill)


@page("projects/<int:pk>/edit/")
def _project_edit(w: World, ctx: str, actor: Any) -> Post:
    return _edit("projects", w.project(ctx).pk, {"description": "Changed"})


@page("projects/<int:pk>/delete/")
def _project_delete(w: World, ctx: str, actor: Any) -> Post:
    return Post(f"/projects/{w.set_state(w.project(ctx), 'proposed').pk}/delete/")


@page("objectives/new/")
def _objective_new(w: World, ctx: str, actor: Any) -> Post:
    return _new("objectives", {"code": "SO9", "name": "Cut costs"})


@page("objectives/<int:pk>/edit/")
def _objective_edit(w: World, ctx: str, actor: Any) -> Post:
    return _edit("objectives", w.objective.pk, {"name": "Grow revenue abroad"})


@page("objectives/<int:pk>/delete/")
def _objective_delete(w: World, ctx: str, actor: Any) -> Post:
    from pmo.portfolio import services

    unused = w.once("objective", lambda: services.objective_create(actor=SYSTEM, code="SO8", name="Unused"))
    return Post(f"/objectives/{unused.pk}/delete/")


@page("proposals/new/")
def _proposal_new(w: World, ctx: str, actor: Any) -> Post:
    return Post("/proposals/new/", "/proposals/new/", fill={"title": "Kiosks", "portfolio": str(w.dig.pk)}, viewer=PM)


@page("proposals/<int:pk>/edit/")
def _proposal_edit(w: World, ctx: str, actor: Any) -> Post:
    return _edit("proposals", c._draft(w, ctx, actor).pk, {"problem": "Changed"})


@page("proposals/<int:pk>/delete/")
def _proposal_delete(w: World, ctx: str, actor: Any) -> Post:
    return Post(f"/proposals/{c._draft(w, ctx, actor).pk}/delete/")


@page("people/new/")
def _person_new(w: World, ctx: str, actor: Any) -> Post:
    return _new("people", {"name": "Ada Lovelace"})


@page("people/<int:pk>/edit/")
def _person_edit(w: World, ctx: str, actor: Any) -> Post:
    return _edit("people", w.person(TM).pk, {"job_title": "Tester"})


@page("people/<int:pk>/delete/")
def _person_delete(w: World, ctx: str, actor: Any) -> Post:
    from pmo.resources import services

    loose = w.once("loose", lambda: services.person_create(actor=SYSTEM, name="Loose End"))
    return Post(f"/people/{loose.pk}/delete/")


@page("org-units/new/")
def _unit_new(w: World, ctx: str, actor: Any) -> Post:
    return _new("org-units", {"code": "FIN", "name": "Finance"})


@page("org-units/<int:pk>/edit/")
def _unit_edit(w: World, ctx: str, actor: Any) -> Post:
    return _edit("org-units", c._unit(w).pk, {"name": "Information technology"})


@page("org-units/<int:pk>/delete/")
def _unit_delete(w: World, ctx: str, actor: Any) -> Post:
    return Post(f"/org-units/{c._unit(w).pk}/delete/")
