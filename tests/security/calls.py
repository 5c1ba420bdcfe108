"""How to call each API operation of the matrix: for an operation, a row and a context, the builder makes the
target record (with the factories of `World`) and returns the request. Builders run before the database is
snapshotted, once for every caller (most return the same call for all)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from tests.security.conftest import MONDAY, TODAY, World
from tests.security.matrix import API, MINE, OTHER, OWN, PROGRAM, THEIRS, Op

V = "/api/v1"
PM = Role.PROJECT_MANAGER
TM = Role.TEAM_MEMBER
EXE = Role.EXECUTIVE


@dataclass(frozen=True)
class Call:
    path: str
    body: Any = None
    files: dict[str, Any] | None = None  # multipart form (with files)
    query: dict[str, Any] = field(default_factory=dict)


Builder = Callable[[World, str, Any], Call]


@dataclass(frozen=True)
class Entry:
    build: Builder
    contexts: tuple[str, ...] | None  # None: every context of the row


# (method, path template, row) -> how to call it
CALLS: dict[tuple[str, str, str], Entry] = {}


def api(method: str, path: str, row: str | None = None, contexts: tuple[str, ...] | None = None) -> Any:
    key = (method, V + path)

    def register(build: Builder) -> Builder:
        ops = ops_of(key)
        chosen = row or ops[0].row
        assert any(o.row == chosen for o in ops), (key, chosen)
        assert (method, V + path, chosen) not in CALLS, key
        CALLS[(method, V + path, chosen)] = Entry(build, contexts)
        return build

    return register


def ops_of(key: tuple[str, str]) -> tuple[Op, ...]:
    entry = API[key]
    return (entry,) if isinstance(entry, Op) else entry


def _csv(text: str, name: str = "costs.csv") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


# --- account ---------------------------------------------------------------------------------------------------


@api("GET", "/me")
def _me(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/me")


@api("GET", "/tokens")
def _tokens(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/tokens")


@api("POST", "/tokens")
def _token_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/tokens", {"name": "script"})


@api("DELETE", "/tokens/{pk}", row="account")
def _token_revoke(w: World, ctx: str, actor: Any) -> Call:
    from pmo.core.services import token_create

    return Call(f"{V}/tokens/{token_create(user=w.users[actor], name='spare')[0].pk}")


@api("DELETE", "/tokens/{pk}", row="account: someone else's")
def _token_revoke_other(w: World, ctx: str, actor: Any) -> Call:
    from pmo.core.services import token_create

    token = w.once("pm2-token", lambda: token_create(user=w.pm2, name="spare")[0])
    return Call(f"{V}/tokens/{token.pk}")


# --- objectives, portfolios, programs, projects ------------------------------------------------------------------


@api("GET", "/objectives")
def _objectives(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/objectives")


@api("POST", "/objectives")
def _objective_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/objectives", {"code": "SO9", "name": "Cut costs"})


@api("GET", "/objectives/{pk}")
def _objective(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/objectives/{w.objective.pk}")


@api("PATCH", "/objectives/{pk}")
def _objective_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/objectives/{w.objective.pk}", {"name": "Grow revenue abroad"})


@api("DELETE", "/objectives/{pk}")
def _objective_delete(w: World, ctx: str, actor: Any) -> Call:
    from pmo.portfolio import services

    unused = w.once("objective", lambda: services.objective_create(actor=SYSTEM, code="SO8", name="Unused"))
    return Call(f"{V}/objectives/{unused.pk}")


@api("GET", "/objectives/{pk}/history")
def _objective_history(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/objectives/{w.objective.pk}/history")


@api("GET", "/portfolios")
def _portfolios(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/portfolios")


@api("POST", "/portfolios")
def _portfolio_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/portfolios", {"code": "REG", "name": "Regulatory"})


@api("GET", "/portfolios/{pk}")
def _portfolio(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/portfolios/{w.dig.pk}")


@api("PATCH", "/portfolios/{pk}")
def _portfolio_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/portfolios/{w.portfolio(ctx).pk}", {"description": "Changed"})


@api("DELETE", "/portfolios/{pk}")
def _portfolio_delete(w: World, ctx: str, actor: Any) -> Call:
    from pmo.portfolio import services

    empty = w.once("portfolio", lambda: services.portfolio_create(actor=SYSTEM, code="EMPTY", name="Empty"))
    return Call(f"{V}/portfolios/{empty.pk}")


@api("GET", "/portfolios/{pk}/history")
def _portfolio_history(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/portfolios/{w.dig.pk}/history")


@api("GET", "/programs")
def _programs(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/programs")


@api("POST", "/programs")
def _program_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/programs", {"code": "NEW", "name": "New program", "portfolio_id": w.portfolio(ctx).pk})


def _program(w: World, ctx: str) -> Any:
    from pmo.portfolio import services

    if ctx == OWN:
        return w.cx
    return w.once(
        "ops-program", lambda: services.program_create(actor=SYSTEM, code="LOG", name="Logistics", portfolio=w.ops)
    )


@api("GET", "/programs/{pk}")
def _program_read(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/programs/{w.cx.pk}")


@api("PATCH", "/programs/{pk}")
def _program_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/programs/{_program(w, ctx).pk}", {"description": "Changed"})


@api("DELETE", "/programs/{pk}")
def _program_delete(w: World, ctx: str, actor: Any) -> Call:
    from pmo.portfolio import services

    portfolio = w.portfolio(ctx)
    empty = w.once(
        "empty-program", lambda: services.program_create(actor=SYSTEM, code="EMP", name="Empty", portfolio=portfolio)
    )
    return Call(f"{V}/programs/{empty.pk}")


@api("GET", "/programs/{pk}/history")
def _program_history(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/programs/{w.cx.pk}/history")


@api("GET", "/projects")
def _projects(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects")


@api("POST", "/projects")
def _project_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(
        f"{V}/projects",
        {"code": "P9", "name": "New", "portfolio_id": w.portfolio(ctx).pk, "manager_id": w.person(actor).pk},
    )


@api("GET", "/projects/{pk}")
def _project(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.p1.pk}")


@api("PATCH", "/projects/{pk}")
def _project_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.project(ctx).pk}", {"description": "Changed"})


@api("DELETE", "/projects/{pk}")
def _project_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.set_state(w.project(ctx), 'proposed').pk}")


@api("GET", "/projects/{pk}/history")
def _project_history(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.p1.pk}/history")


@api("POST", "/projects/{pk}/transition", row="lifecycle: approve")
def _approve(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.set_state(w.project(ctx), 'proposed').pk}/transition", {"to_state": "approved"})


@api("POST", "/projects/{pk}/transition", row="lifecycle: cancel")
def _cancel(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.project(ctx).pk}/transition", {"to_state": "cancelled", "comment": "Stopped."})


@api("POST", "/projects/{pk}/transition", row="lifecycle: other steps")
def _execute(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.set_state(w.project(ctx), 'planning').pk}/transition", {"to_state": "executing"})


# --- people and units ---------------------------------------------------------------------------------------------


def _unit(w: World) -> Any:
    from pmo.resources import services

    return w.once("unit", lambda: services.org_unit_create(actor=SYSTEM, code="IT", name="IT"))


@api("GET", "/org-units")
def _units(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/org-units")


@api("POST", "/org-units")
def _unit_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/org-units", {"code": "FIN", "name": "Finance"})


@api("GET", "/org-units/{pk}")
def _unit_read(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/org-units/{_unit(w).pk}")


@api("PATCH", "/org-units/{pk}")
def _unit_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/org-units/{_unit(w).pk}", {"name": "Information technology"})


@api("DELETE", "/org-units/{pk}")
def _unit_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/org-units/{_unit(w).pk}")


@api("GET", "/org-units/{pk}/history")
def _unit_history(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/org-units/{_unit(w).pk}/history")


@api("GET", "/people")
def _people(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/people")


@api("POST", "/people")
def _person_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/people", {"name": "Ada Lovelace"})


@api("GET", "/people/{pk}")
def _person(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/people/{w.person(TM).pk}")


@api("PATCH", "/people/{pk}")
def _person_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/people/{w.person(TM).pk}", {"job_title": "Tester"})


@api("DELETE", "/people/{pk}")
def _person_delete(w: World, ctx: str, actor: Any) -> Call:
    from pmo.resources import services

    loose = w.once("loose", lambda: services.person_create(actor=SYSTEM, name="Loose End"))
    return Call(f"{V}/people/{loose.pk}")


@api("GET", "/people/{pk}/history")
def _person_history(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/people/{w.person(TM).pk}/history")


# --- plans ------------------------------------------------------------------------------------------------------


@api("GET", "/projects/{pk}/plan")
def _plan(w: World, ctx: str, actor: Any) -> Call:
    w.plan(w.p1)
    return Call(f"{V}/projects/{w.p1.pk}/plan")


@api("POST", "/projects/{pk}/plan/tasks")
def _task_create(w: World, ctx: str, actor: Any) -> Call:
    project = w.project(ctx)
    w.plan(project)
    return Call(f"{V}/projects/{project.pk}/plan/tasks", {"name": "Test", "duration": "3d", "predecessors": "2"})


@api("PATCH", "/projects/{pk}/plan/tasks/{uid}")
def _task_update(w: World, ctx: str, actor: Any) -> Call:
    project = w.project(ctx)
    w.plan(project)
    return Call(f"{V}/projects/{project.pk}/plan/tasks/2", {"duration": "12d"})


@api("DELETE", "/projects/{pk}/plan/tasks/{uid}")
def _task_delete(w: World, ctx: str, actor: Any) -> Call:
    project = w.project(ctx)
    w.plan(project)
    return Call(f"{V}/projects/{project.pk}/plan/tasks/2")


def _loose_task(w: World, project: Any) -> Any:
    """A task after Build with no links (so that it may go under Build)."""
    from pmo.planning import services as planning

    w.plan(project)
    return w.once(f"loose-{project.code}", lambda: planning.task_create(actor=SYSTEM, project=project, name="Docs"))


@api("POST", "/projects/{pk}/plan/tasks/{uid}/indent")
def _task_indent(w: World, ctx: str, actor: Any) -> Call:
    project = w.project(ctx)
    return Call(f"{V}/projects/{project.pk}/plan/tasks/{_loose_task(w, project).uid}/indent")


@api("POST", "/projects/{pk}/plan/tasks/{uid}/outdent")
def _task_outdent(w: World, ctx: str, actor: Any) -> Call:
    from pmo.planning import services as planning

    project = w.project(ctx)
    task = w.once(f"indented-{project.code}", lambda: planning.task_indent(actor=SYSTEM, task=_loose_task(w, project)))
    return Call(f"{V}/projects/{project.pk}/plan/tasks/{task.uid}/outdent")


@api("GET", "/projects/{pk}/baselines")
def _baselines(w: World, ctx: str, actor: Any) -> Call:
    w.plan(w.p1)
    return Call(f"{V}/projects/{w.p1.pk}/baselines")


@api("POST", "/projects/{pk}/baselines")
def _baseline_capture(w: World, ctx: str, actor: Any) -> Call:
    project = w.project(ctx)
    w.plan(project)
    return Call(f"{V}/projects/{project.pk}/baselines", {"name": "Re-plan"})


@api("GET", "/projects/{pk}/baselines/compare")
def _baselines_compare(w: World, ctx: str, actor: Any) -> Call:
    from pmo.planning.models import Baseline

    w.plan(w.p1)
    return Call(f"{V}/projects/{w.p1.pk}/baselines/compare", query={"reference": Baseline.objects.get().pk})


def _cross_link(w: World, project: Any) -> Any:
    from pmo.planning import links

    w.plan(w.p2)
    tasks = w.plan(project)
    return w.once(
        f"link-{project.code}",
        lambda: links.cross_link_create(actor=SYSTEM, provider=w.plan(w.p2)[2], consumer=tasks[1]),
    )


@api("GET", "/projects/{pk}/cross-links")
def _cross_links(w: World, ctx: str, actor: Any) -> Call:
    _cross_link(w, w.p1)
    return Call(f"{V}/projects/{w.p1.pk}/cross-links")


@api("POST", "/projects/{pk}/cross-links")
def _cross_link_create(w: World, ctx: str, actor: Any) -> Call:
    project = w.project(ctx)
    w.plan(project)
    w.plan(w.p2)
    return Call(
        f"{V}/projects/{project.pk}/cross-links", {"provider_project": "P2", "provider_uid": 2, "consumer_uid": 1}
    )


@api("DELETE", "/projects/{pk}/cross-links/{link_id}")
def _cross_link_delete(w: World, ctx: str, actor: Any) -> Call:
    project = w.project(ctx)
    return Call(f"{V}/projects/{project.pk}/cross-links/{_cross_link(w, project).pk}")


def _leveling_run(w: World, project: Any, status: str = "done") -> Any:
    from pmo.planning.models import LevelingRun

    def make() -> Any:
        w.plan(project)
        run = LevelingRun.objects.create(status=status, result={"tasks": []}, portfolio=project.portfolio)
        run.projects.set([project])
        return run

    return w.once(f"leveling-{project.code}", make)


@api("POST", "/leveling-runs")
def _leveling_start(w: World, ctx: str, actor: Any) -> Call:
    w.plan(w.p1)
    return Call(f"{V}/leveling-runs", {"project_ids": [w.p1.pk]})


@api("GET", "/leveling-runs/{pk}")
def _leveling_read(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/leveling-runs/{_leveling_run(w, w.p1).pk}")


@api("POST", "/leveling-runs/{pk}/accept")
def _leveling_accept(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/leveling-runs/{_leveling_run(w, w.project(ctx)).pk}/accept")


@api("POST", "/leveling-runs/{pk}/discard")
def _leveling_discard(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/leveling-runs/{_leveling_run(w, w.p1).pk}/discard")


@api("GET", "/portfolios/{pk}/dependencies")
def _dependencies(w: World, ctx: str, actor: Any) -> Call:
    _cross_link(w, w.p1)
    return Call(f"{V}/portfolios/{w.dig.pk}/dependencies")


# --- proposals, scoring, scenarios -------------------------------------------------------------------------------


def _draft(w: World, ctx: str, actor: Any, complete: bool = False) -> Any:
    """MINE: the caller's own draft; THEIRS: another project manager's draft (both in DIG)."""
    requester = w.users[actor] if ctx == MINE else w.pm2
    return w.proposal(requester, complete=complete)


@api("GET", "/proposals", contexts=(MINE,))
def _proposals(w: World, ctx: str, actor: Any) -> Call:
    _draft(w, ctx, actor)
    return Call(f"{V}/proposals")


@api("POST", "/proposals")
def _proposal_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/proposals", {"title": "Kiosks", "portfolio_id": w.dig.pk})


@api("GET", "/proposals/{pk}")
def _proposal(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/proposals/{_draft(w, ctx, actor).pk}")


@api("PATCH", "/proposals/{pk}")
def _proposal_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/proposals/{_draft(w, ctx, actor).pk}", {"problem": "Changed"})


@api("DELETE", "/proposals/{pk}")
def _proposal_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/proposals/{_draft(w, ctx, actor).pk}")


@api("GET", "/proposals/{pk}/history")
def _proposal_history(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/proposals/{_draft(w, THEIRS, actor).pk}/history")


@api("PUT", "/proposals/{pk}/business-case")
def _business_case(w: World, ctx: str, actor: Any) -> Call:
    body = {
        "cash_flows": [{"year": 0, "capex": "50000", "benefit": "80000"}],
        "demands": [{"role": "Developer", "fte": "1", "months": 3}],
        "contributions": [{"objective_id": w.objective.pk, "rating": 3}],
    }
    return Call(f"{V}/proposals/{_draft(w, ctx, actor).pk}/business-case", body)


@api("POST", "/proposals/{pk}/move", row="proposals: submit")
def _proposal_submit(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/proposals/{_draft(w, ctx, actor, complete=True).pk}/move", {"to_state": "submitted"})


@api("POST", "/proposals/{pk}/move", row="proposals: evaluate")
def _proposal_evaluate(w: World, ctx: str, actor: Any) -> Call:
    proposal = w.once(f"submitted-{ctx}", lambda: w.proposal(w.pm2, w.portfolio(ctx), "submitted", complete=True))
    return Call(f"{V}/proposals/{proposal.pk}/move", {"to_state": "under_evaluation"})


@api("POST", "/proposals/{pk}/move", row="proposals: decide")
def _proposal_decide(w: World, ctx: str, actor: Any) -> Call:
    proposal = w.once(f"evaluated-{ctx}", lambda: w.proposal(w.pm2, w.portfolio(ctx), "under_evaluation", True))
    return Call(f"{V}/proposals/{proposal.pk}/move", {"to_state": "approved", "project_code": "P7"})


@api("GET", "/ranking")
def _ranking(w: World, ctx: str, actor: Any) -> Call:
    w.scoring_model()
    return Call(f"{V}/ranking")


@api("PUT", "/proposals/{pk}/evaluation")
def _evaluation(w: World, ctx: str, actor: Any) -> Call:
    model = w.scoring_model(named=ctx == "named")
    proposal = w.once("evaluated", lambda: w.proposal(w.pm2, w.dig, "under_evaluation", complete=True))
    criterion = model.criteria.get()
    return Call(
        f"{V}/proposals/{proposal.pk}/evaluation",
        {"scoring_model_id": model.pk, "ratings": [{"criterion_id": criterion.pk, "rating": 4}]},
    )


def _scenario(w: World, ctx: str = OWN, done: bool = False) -> Any:
    return w.once(f"scenario-{ctx}-{done}", lambda: w.scenario(w.portfolio(ctx), done=done))


@api("GET", "/scenarios")
def _scenarios(w: World, ctx: str, actor: Any) -> Call:
    _scenario(w)
    return Call(f"{V}/scenarios")


@api("POST", "/scenarios")
def _scenario_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/scenarios", {"name": "Budget cut", "portfolio_id": w.dig.pk})


@api("GET", "/scenarios/{pk}")
def _scenario_read(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/scenarios/{_scenario(w).pk}")


@api("PATCH", "/scenarios/{pk}")
def _scenario_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/scenarios/{_scenario(w).pk}", {"name": "Budget cut 2"})


@api("DELETE", "/scenarios/{pk}")
def _scenario_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/scenarios/{_scenario(w).pk}")


@api("GET", "/scenarios/{pk}/history")
def _scenario_history(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/scenarios/{_scenario(w).pk}/history")


@api("POST", "/scenarios/{pk}/run")
def _scenario_run(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/scenarios/{_scenario(w).pk}/run")


@api("POST", "/scenarios/{pk}/copy")
def _scenario_copy(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/scenarios/{_scenario(w).pk}/copy", {"name": "Copy"})


@api("POST", "/scenarios/{pk}/approve")
def _scenario_approve(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/scenarios/{_scenario(w, ctx, done=True).pk}/approve", {"project_codes": {}})


# --- timesheets ---------------------------------------------------------------------------------------------------


@api("GET", "/timesheets/week")
def _week(w: World, ctx: str, actor: Any) -> Call:
    w.everyone_on(w.p1)
    return Call(f"{V}/timesheets/week", query={"week": MONDAY.isoformat()})


@api("PUT", "/timesheets/week")
def _week_save(w: World, ctx: str, actor: Any) -> Call:
    task = w.everyone_on(w.p1)
    entries = [{"task_id": task.pk, "day": MONDAY.isoformat(), "hours": "3"}]
    return Call(f"{V}/timesheets/week", {"week_start": MONDAY.isoformat(), "entries": entries})


@api("POST", "/timesheets/week/submit")
def _week_submit(w: World, ctx: str, actor: Any) -> Call:
    from decimal import Decimal

    from pmo.control.models import TimeEntry, Timesheet

    task = w.everyone_on(w.p1)
    sheet = Timesheet.objects.create(person=w.person(actor), project=w.p1, week_start=MONDAY)  # a draft with hours
    TimeEntry.objects.create(timesheet=sheet, task=task, day=MONDAY, hours=Decimal(2))
    return Call(f"{V}/timesheets/week/submit", {"week_start": MONDAY.isoformat()})


@api("GET", "/timesheets/approvals")
def _approvals(w: World, ctx: str, actor: Any) -> Call:
    w.once("sheet-own", lambda: w.timesheet(w.p1))
    return Call(f"{V}/timesheets/approvals")


@api("GET", "/timesheets/{pk}")
def _sheet(w: World, ctx: str, actor: Any) -> Call:
    sheet = w.once("sheet-padm", lambda: w.timesheet(w.p1, who=Role.PROJECT_ADMINISTRATOR))
    return Call(f"{V}/timesheets/{sheet.pk}")


@api("POST", "/timesheets/{pk}/approve")
def _sheet_approve(w: World, ctx: str, actor: Any) -> Call:
    sheet = w.once(f"sheet-{ctx}", lambda: w.timesheet(w.project(ctx)))
    return Call(f"{V}/timesheets/{sheet.pk}/approve", {"comment": "Thanks"})


@api("POST", "/timesheets/{pk}/return")
def _sheet_return(w: World, ctx: str, actor: Any) -> Call:
    sheet = w.once(f"sheet-{ctx}", lambda: w.timesheet(w.project(ctx)))
    return Call(f"{V}/timesheets/{sheet.pk}/return", {"comment": "Wrong task"})


# --- costs and earned value ----------------------------------------------------------------------------------------


@api("GET", "/projects/{pk}/costs")
def _costs(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.p1.pk}/costs")


@api("POST", "/projects/{pk}/costs")
def _cost_create(w: World, ctx: str, actor: Any) -> Call:
    body = {"date": "2026-11-20", "category": "services", "amount": "1200.00", "description": "Pen test"}
    return Call(f"{V}/projects/{w.project(ctx).pk}/costs", body)


@api("POST", "/projects/{pk}/costs/import")
def _cost_import(w: World, ctx: str, actor: Any) -> Call:
    text = "date,category,amount,description\n2026-11-20,services,1200.00,Pen test\n"
    return Call(f"{V}/projects/{w.project(ctx).pk}/costs/import", files={"file": _csv(text)})


def _measured(w: World, project: Any) -> Any:
    from decimal import Decimal

    from pmo.control import services as control

    def make() -> Any:
        tasks = w.plan(project)
        control.task_budget_set(actor=SYSTEM, task=tasks[1], budget=Decimal(1000))
        control.task_budget_set(actor=SYSTEM, task=tasks[2], budget=Decimal(2000))
        return tasks

    return w.once(f"measured-{project.code}", make)


@api("GET", "/projects/{pk}/evm")
def _evm(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.p1.pk}/evm")


@api("POST", "/projects/{pk}/evm")
def _evm_take(w: World, ctx: str, actor: Any) -> Call:
    project = w.project(ctx)
    _measured(w, project)
    return Call(f"{V}/projects/{project.pk}/evm", {"status_date": "2026-11-30"})


@api("GET", "/programs/{pk}/evm")
def _evm_program(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/programs/{w.cx.pk}/evm")


@api("POST", "/programs/{pk}/evm")
def _evm_program_take(w: World, ctx: str, actor: Any) -> Call:
    from pmo.portfolio.models import Project

    program = _program(w, ctx)
    project = w.project(ctx)
    Project.objects.filter(pk=project.pk).update(program=program)
    _measured(w, project)
    return Call(f"{V}/programs/{program.pk}/evm", {"status_date": "2026-11-30"})


@api("GET", "/portfolios/{pk}/evm")
def _evm_portfolio(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/portfolios/{w.dig.pk}/evm")


@api("POST", "/portfolios/{pk}/evm")
def _evm_portfolio_take(w: World, ctx: str, actor: Any) -> Call:
    _measured(w, w.project(ctx))
    return Call(f"{V}/portfolios/{w.portfolio(ctx).pk}/evm", {"status_date": "2026-11-30"})


@api("GET", "/projects/{pk}/control-settings")
def _control_settings(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.p1.pk}/control-settings")


@api("PUT", "/projects/{pk}/control-settings")
def _control_settings_set(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.project(ctx).pk}/control-settings", {"progress_method": "physical"})


@api("GET", "/projects/{pk}/task-budgets")
def _task_budgets(w: World, ctx: str, actor: Any) -> Call:
    _measured(w, w.p1)
    return Call(f"{V}/projects/{w.p1.pk}/task-budgets")


@api("PUT", "/projects/{pk}/task-budgets/{uid}")
def _task_budget_set(w: World, ctx: str, actor: Any) -> Call:
    project = w.project(ctx)
    w.plan(project)
    return Call(f"{V}/projects/{project.pk}/task-budgets/1", {"budget": "5000"})


@api("GET", "/people/{pk}/cost-rate")
def _cost_rate(w: World, ctx: str, actor: Any) -> Call:
    from decimal import Decimal

    from pmo.control import services as control

    w.once("rate", lambda: control.cost_rate_set(actor=SYSTEM, person=w.person(TM), rate_per_hour=Decimal(50)))
    return Call(f"{V}/people/{w.person(TM).pk}/cost-rate")


@api("PUT", "/people/{pk}/cost-rate")
def _cost_rate_set(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/people/{w.person(TM).pk}/cost-rate", {"rate_per_hour": "55"})


# --- status reports, thresholds, deviations, issues, change requests, notifications -------------------------------


@api("GET", "/projects/{pk}/status-reports")
def _reports(w: World, ctx: str, actor: Any) -> Call:
    w.status_report(w.p1)
    return Call(f"{V}/projects/{w.p1.pk}/status-reports")


@api("POST", "/projects/{pk}/status-reports")
def _report_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.project(ctx).pk}/status-reports", {"period": "2026-11-01"})


@api("GET", "/status-reports/{pk}")
def _report(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/status-reports/{w.status_report(w.p1).pk}")


@api("PATCH", "/status-reports/{pk}")
def _report_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/status-reports/{w.status_report(w.project(ctx)).pk}", {"narrative": "On track."})


@api("POST", "/status-reports/{pk}/submit")
def _report_submit(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/status-reports/{w.status_report(w.project(ctx)).pk}/submit")


@api("GET", "/status-reports/missing")
def _missing(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/status-reports/missing")


@api("GET", "/portfolios/{pk}/thresholds")
def _thresholds(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/portfolios/{w.dig.pk}/thresholds")


@api("PUT", "/portfolios/{pk}/thresholds")
def _thresholds_set(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/portfolios/{w.portfolio(ctx).pk}/thresholds", [{"metric": "spi", "amber": "0.95", "red": "0.85"}])


@api("GET", "/deviations")
def _deviations(w: World, ctx: str, actor: Any) -> Call:
    w.once("deviation-own", lambda: w.deviation(w.p1))
    return Call(f"{V}/deviations")


def something_to_check(w: World) -> None:
    """An open high-priority issue on P1: the threshold check raises a deviation."""
    from pmo.changes import services as changes

    w.once("high-issue", lambda: changes.issue_create(actor=SYSTEM, project=w.p1, title="Outage", priority=2))


@api("POST", "/deviations/check")
def _deviations_check(w: World, ctx: str, actor: Any) -> Call:
    something_to_check(w)
    return Call(f"{V}/deviations/check", {})


@api("POST", "/deviations/{pk}/acknowledge")
def _deviation_acknowledge(w: World, ctx: str, actor: Any) -> Call:
    deviation = w.once(f"deviation-{ctx}", lambda: w.deviation(w.project(ctx)))
    return Call(f"{V}/deviations/{deviation.pk}/acknowledge", {"note": "Known: the vendor is late."})


@api("GET", "/projects/{pk}/issues")
def _issues(w: World, ctx: str, actor: Any) -> Call:
    w.issue(w.p1)
    return Call(f"{V}/projects/{w.p1.pk}/issues")


@api("POST", "/projects/{pk}/issues")
def _issue_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.project(ctx).pk}/issues", {"title": "Licence expired"})


@api("PATCH", "/issues/{pk}")
def _issue_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/issues/{w.issue(w.project(ctx)).pk}", {"description": "Since Monday."})


@api("POST", "/issues/{pk}/escalate")
def _issue_escalate(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/issues/{w.issue(w.project(ctx)).pk}/escalate", {"level": "portfolio", "reason": "Blocked."})


@api("GET", "/projects/{pk}/change-requests")
def _changes(w: World, ctx: str, actor: Any) -> Call:
    w.once("change-own", lambda: w.change_request(w.p1))
    return Call(f"{V}/projects/{w.p1.pk}/change-requests")


@api("POST", "/projects/{pk}/change-requests")
def _change_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.project(ctx).pk}/change-requests", {"title": "More reports"})


@api("GET", "/change-requests/{pk}")
def _change(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/change-requests/{w.once('change-own', lambda: w.change_request(w.p1)).pk}")


@api("PATCH", "/change-requests/{pk}")
def _change_update(w: World, ctx: str, actor: Any) -> Call:
    change = w.once(f"change-{ctx}", lambda: w.change_request(w.project(ctx)))
    return Call(f"{V}/change-requests/{change.pk}", {"description": "Two more reports."})


@api("POST", "/change-requests/{pk}/assess")
def _change_assess(w: World, ctx: str, actor: Any) -> Call:
    change = w.once(f"change-{ctx}", lambda: w.change_request(w.project(ctx)))
    return Call(f"{V}/change-requests/{change.pk}/assess", {"assessment": "A week.", "schedule_impact_days": 5})


@api("POST", "/change-requests/{pk}/decide")
def _change_decide(w: World, ctx: str, actor: Any) -> Call:
    change = w.once(f"assessed-{ctx}", lambda: w.change_request(w.project(ctx), assessed=True))
    return Call(f"{V}/change-requests/{change.pk}/decide", {"decision": "approved", "comment": "Go ahead."})


@api("GET", "/change-board")
def _change_board(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/change-board")


@api("GET", "/notifications")
def _notifications(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/notifications")


@api("GET", "/notifications/preferences")
def _preferences(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/notifications/preferences")


@api("PUT", "/notifications/preferences")
def _preferences_set(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/notifications/preferences", {"email": {"deviation": True}})


@api("POST", "/notifications/read")
def _notifications_read(w: World, ctx: str, actor: Any) -> Call:
    from pmo.changes.models import Notification

    Notification.objects.create(recipient=w.users[actor], message="Something happened")
    return Call(f"{V}/notifications/read", {})


# --- risks ------------------------------------------------------------------------------------------------------


@api("GET", "/risks", contexts=(OWN,))
def _risks(w: World, ctx: str, actor: Any) -> Call:
    w.risk(OWN)
    return Call(f"{V}/risks")


@api("POST", "/risks")
def _risk_create(w: World, ctx: str, actor: Any) -> Call:
    where = {"program_id": w.cx.pk} if ctx == PROGRAM else {"project_id": w.project(ctx).pk}
    return Call(f"{V}/risks", {"title": "Key person leaves", "probability": 2, "impact": 4, **where})


@api("GET", "/risks/{pk}")
def _risk(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/risks/{w.risk(ctx).pk}")


@api("PATCH", "/risks/{pk}")
def _risk_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/risks/{w.risk(ctx).pk}", {"response": "Hire a second vendor."})


@api("POST", "/risks/{pk}/rate")
def _risk_rate(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/risks/{w.risk(ctx).pk}/rate", {"probability": 4, "impact": 3})


@api("GET", "/risks/{pk}/assessments")
def _risk_assessments(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/risks/{w.risk(ctx).pk}/assessments")


@api("POST", "/risks/{pk}/occur", contexts=(OWN, OTHER))
def _risk_occur(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/risks/{w.risk(ctx).pk}/occur", {"note": "The vendor is late."})


@api("GET", "/risks/{pk}/actions")
def _risk_actions(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/risks/{w.risk(ctx).pk}/actions")


@api("POST", "/risks/{pk}/actions")
def _risk_action_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/risks/{w.risk(ctx).pk}/actions", {"description": "Call the vendor", "due_date": "2026-12-10"})


@api("PATCH", "/risk-actions/{pk}", row="risks: write")
def _risk_action_update(w: World, ctx: str, actor: Any) -> Call:
    action = w.once(f"action-{ctx}", lambda: w.risk_action(ctx, w.pm2.person))
    return Call(f"{V}/risk-actions/{action.pk}", {"description": "Call both vendors"})


@api("PATCH", "/risk-actions/{pk}", row="risk actions: change the status")
def _risk_action_progress(w: World, ctx: str, actor: Any) -> Call:
    owner = w.person(actor) if ctx == MINE else w.pm2.person
    return Call(f"{V}/risk-actions/{w.risk_action(OTHER, owner).pk}", {"status": "in_progress"})


def an_overdue_action(w: World) -> None:
    """An action of P1's risk that was due yesterday: the overdue check tells its owner."""
    from pmo.risks.models import RiskAction

    action = w.once("overdue", lambda: w.risk_action(OWN, w.person(TM)))
    RiskAction.objects.filter(pk=action.pk).update(due_date=TODAY - dt.timedelta(days=1))


@api("POST", "/risk-actions/check")
def _risk_actions_check(w: World, ctx: str, actor: Any) -> Call:
    an_overdue_action(w)
    return Call(f"{V}/risk-actions/check")


def _impact(w: World, ctx: str) -> Any:
    from decimal import Decimal

    from pmo.risks import services as risks

    return w.once(
        f"impact-{ctx}",
        lambda: risks.risk_task_impact_set(
            actor=SYSTEM,
            risk=w.risk(ctx),
            task=w.plan(w.project(ctx))[2],
            min_days=Decimal(1),
            likely_days=Decimal(3),
            max_days=Decimal(5),
        ),
    )


@api("GET", "/risks/{pk}/task-impacts")
def _impacts(w: World, ctx: str, actor: Any) -> Call:
    _impact(w, ctx)
    return Call(f"{V}/risks/{w.risk(ctx).pk}/task-impacts")


@api("PUT", "/risks/{pk}/task-impacts", contexts=(OWN, OTHER))
def _impact_set(w: World, ctx: str, actor: Any) -> Call:
    task = w.plan(w.project(ctx))[2]
    body = {"task_id": task.pk, "min_days": "1", "likely_days": "2", "max_days": "5"}
    return Call(f"{V}/risks/{w.risk(ctx).pk}/task-impacts", body)


@api("DELETE", "/risk-task-impacts/{pk}", contexts=(OWN, OTHER))
def _impact_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/risk-task-impacts/{_impact(w, ctx).pk}")


SCALES = {
    "probability": [
        {"level": i, "label": label, "percent": percent}
        for i, (label, percent) in enumerate(
            (("Rare", 5), ("Unlikely", 20), ("Possible", 50), ("Likely", 70), ("Almost certain", 90)), start=1
        )
    ],
    "impact": [
        {"level": i, "label": label, "money": money, "days": days}
        for i, (label, money, days) in enumerate(
            (
                ("Minor", 10000, 5),
                ("Moderate", 50000, 10),
                ("Major", 100000, 20),
                ("Severe", 500000, 40),
                ("Critical", 1000000, 80),
            ),
            start=1,
        )
    ],
    "escalation_score": 12,
}


@api("GET", "/portfolios/{pk}/risk-scales")
def _scales(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/portfolios/{w.dig.pk}/risk-scales")


@api("PUT", "/portfolios/{pk}/risk-scales")
def _scales_set(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/portfolios/{w.portfolio(ctx).pk}/risk-scales", SCALES)


@api("GET", "/portfolios/{pk}/risk-heatmap")
def _portfolio_heatmap(w: World, ctx: str, actor: Any) -> Call:
    w.risk(OWN)
    return Call(f"{V}/portfolios/{w.dig.pk}/risk-heatmap")


@api("GET", "/projects/{pk}/risk-heatmap", contexts=(OWN,))
def _project_heatmap(w: World, ctx: str, actor: Any) -> Call:
    w.risk(ctx)
    return Call(f"{V}/projects/{w.project(ctx).pk}/risk-heatmap")


@api("GET", "/portfolios/{pk}/risk-exposure")
def _exposure(w: World, ctx: str, actor: Any) -> Call:
    w.risk(OWN)
    return Call(f"{V}/portfolios/{w.dig.pk}/risk-exposure")


ANALYSIS = {"iterations": 200, "seed": 1}


@api("POST", "/projects/{pk}/risk-analysis")
def _analysis_run(w: World, ctx: str, actor: Any) -> Call:
    project = w.project(ctx)
    w.plan(project)
    return Call(f"{V}/projects/{project.pk}/risk-analysis", ANALYSIS)


def _analysis(w: World) -> Any:
    from pmo.risks import simulation

    def make() -> Any:
        w.plan(w.p1)
        return simulation.simulation_start(actor=SYSTEM, project=w.p1, iterations=200, seed=1)

    return w.once("analysis", make)


@api("GET", "/projects/{pk}/risk-analysis")
def _analyses(w: World, ctx: str, actor: Any) -> Call:
    _analysis(w)
    return Call(f"{V}/projects/{w.p1.pk}/risk-analysis")


@api("POST", "/portfolios/{pk}/risk-analysis")
def _portfolio_analysis_run(w: World, ctx: str, actor: Any) -> Call:
    w.plan(w.project(ctx))
    return Call(f"{V}/portfolios/{w.portfolio(ctx).pk}/risk-analysis", ANALYSIS)


@api("GET", "/risk-analysis/{run_id}")
def _analysis_read(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/risk-analysis/{_analysis(w).pk}")


# --- the resource pool ---------------------------------------------------------------------------------------------


@api("GET", "/job-roles")
def _job_roles(w: World, ctx: str, actor: Any) -> Call:
    w.job_role()
    return Call(f"{V}/job-roles")


@api("POST", "/job-roles")
def _job_role_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/job-roles", {"name": "Tester", "standard_hours_per_week": "38"})


@api("GET", "/job-roles/{pk}")
def _job_role(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/job-roles/{w.job_role().pk}")


@api("PATCH", "/job-roles/{pk}")
def _job_role_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/job-roles/{w.job_role().pk}", {"description": "Writes code"})


@api("DELETE", "/job-roles/{pk}")
def _job_role_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/job-roles/{w.job_role().pk}")


@api("GET", "/job-roles/{pk}/history")
def _job_role_history(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/job-roles/{w.job_role().pk}/history")


@api("GET", "/skills")
def _skills(w: World, ctx: str, actor: Any) -> Call:
    w.skill()
    return Call(f"{V}/skills")


@api("POST", "/skills")
def _skill_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/skills", {"name": "SQL", "category": "Technical"})


@api("GET", "/skills/{pk}")
def _skill(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/skills/{w.skill().pk}")


@api("PATCH", "/skills/{pk}")
def _skill_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/skills/{w.skill().pk}", {"description": "The language"})


@api("DELETE", "/skills/{pk}")
def _skill_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/skills/{w.skill().pk}")


@api("GET", "/skills/{pk}/history")
def _skill_history(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/skills/{w.skill().pk}/history")


@api("GET", "/people/{pk}/pool")
def _pool_profile(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/people/{w.person(TM).pk}/pool")


@api("PUT", "/people/{pk}/pool")
def _pool_profile_set(w: World, ctx: str, actor: Any) -> Call:
    body = {"primary_role_id": w.job_role().pk, "other_role_ids": [], "non_project_percent": "10"}
    return Call(f"{V}/people/{w.person(TM).pk}/pool", body)


@api("PUT", "/people/{pk}/skills")
def _pool_skill_set(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/people/{w.person(TM).pk}/skills", {"skill_id": w.skill().pk, "level": 3})


@api("POST", "/people/{pk}/capacity-periods")
def _capacity_add(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/people/{w.person(TM).pk}/capacity-periods", {"start": "2027-01-01", "hours_per_week": "32"})


@api("POST", "/people/{pk}/absences")
def _absence_add(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/people/{w.person(TM).pk}/absences", {"start": "2026-12-21", "finish": "2026-12-31"})


@api("GET", "/generic-resources")
def _generic(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/generic-resources")


@api("POST", "/generic-resources")
def _generic_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/generic-resources", {"role_id": w.job_role().pk, "headcount": "2"})


@api("GET", "/resource-requests")
def _requests(w: World, ctx: str, actor: Any) -> Call:
    w.once("request-own", lambda: w.resource_request(w.p1))
    return Call(f"{V}/resource-requests")


@api("POST", "/resource-requests")
def _request_submit(w: World, ctx: str, actor: Any) -> Call:
    body = {
        "project_id": w.project(ctx).pk,
        "role_id": w.job_role().pk,
        "start": "2027-01-04",
        "finish": "2027-02-26",
        "fte": "0.5",
    }
    return Call(f"{V}/resource-requests", body)


def _request(w: World) -> Any:
    return w.once("request-own", lambda: w.resource_request(w.p1))


@api("GET", "/resource-requests/{pk}")
def _request_read(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/resource-requests/{_request(w).pk}")


@api("POST", "/resource-requests/{pk}/assign")
def _request_assign(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/resource-requests/{_request(w).pk}/assign", {"person_id": w.person(TM).pk})


@api("POST", "/resource-requests/{pk}/decline")
def _request_decline(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/resource-requests/{_request(w).pk}/decline", {"reason": "Nobody free."})


@api("POST", "/resource-requests/{pk}/withdraw")
def _request_withdraw(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/resource-requests/{_request(w).pk}/withdraw")


@api("GET", "/competency-gaps")
def _gaps(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/competency-gaps")


def _training_plan(w: World) -> Any:
    from pmo.resources import services as resources

    return w.once(
        "training",
        lambda: resources.training_plan_create(actor=SYSTEM, person=w.person(TM), skill=w.skill(), target_level=3),
    )


@api("GET", "/training-plans")
def _trainings(w: World, ctx: str, actor: Any) -> Call:
    _training_plan(w)
    return Call(f"{V}/training-plans")


@api("POST", "/training-plans")
def _training_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/training-plans", {"person_id": w.person(TM).pk, "skill_id": w.skill().pk, "target_level": 4})


@api("POST", "/training-plans/{pk}/complete")
def _training_complete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/training-plans/{_training_plan(w).pk}/complete", {"completed_on": "2026-12-01"})


@api("GET", "/capacity")
def _capacity(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/capacity")


def _whatif(w: World) -> Any:
    from pmo.resources import whatifs

    return w.once(
        "whatif",
        lambda: whatifs.whatif_save(
            actor=w.users[PM], name="Later", view=whatifs.CapacityView(), changes={"shifts": [[str(w.p1.pk), 4]]}
        ),
    )


@api("GET", "/capacity/what-ifs")
def _whatifs(w: World, ctx: str, actor: Any) -> Call:
    _whatif(w)
    return Call(f"{V}/capacity/what-ifs")


@api("POST", "/capacity/what-ifs")
def _whatif_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/capacity/what-ifs", {"name": "Hire", "changes": {"add_people": [["Developer", 40]]}})


@api("GET", "/capacity/what-ifs/{pk}")
def _whatif_read(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/capacity/what-ifs/{_whatif(w).pk}")


@api("DELETE", "/capacity/what-ifs/{pk}")
def _whatif_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/capacity/what-ifs/{_whatif(w).pk}")


# --- templates and documents -----------------------------------------------------------------------------------


@api("GET", "/document-templates")
def _templates(w: World, ctx: str, actor: Any) -> Call:
    w.template()
    return Call(f"{V}/document-templates")


@api("POST", "/document-templates")
def _template_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/document-templates", {"name": "Risk plan", "kind": "risk_plan", "body": "# Risks"})


@api("GET", "/document-templates/fields")
def _template_fields(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/document-templates/fields")


@api("GET", "/document-templates/{pk}")
def _template(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/document-templates/{w.template().pk}")


@api("PATCH", "/document-templates/{pk}")
def _template_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/document-templates/{w.template().pk}", {"description": "The PMO's charter"})


@api("GET", "/document-templates/{pk}/fill")
def _template_fill(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/document-templates/{w.template().pk}/fill", query={"project_id": w.p1.pk})


@api("GET", "/projects/{pk}/documents")
def _documents(w: World, ctx: str, actor: Any) -> Call:
    w.once("doc-own", lambda: w.document(w.p1))
    return Call(f"{V}/projects/{w.p1.pk}/documents")


@api("POST", "/projects/{pk}/documents")
def _document_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.project(ctx).pk}/documents", {"title": "Design", "kind": "design", "text": "# D"})


@api("POST", "/projects/{pk}/documents/upload")
def _document_upload(w: World, ctx: str, actor: Any) -> Call:
    files = {"title": "Design", "kind": "design", "file": _csv("a,b\n1,2\n", "design.csv")}
    return Call(f"{V}/projects/{w.project(ctx).pk}/documents/upload", files=files)


@api("POST", "/projects/{pk}/charter")
def _charter_generate(w: World, ctx: str, actor: Any) -> Call:
    w.template()
    return Call(f"{V}/projects/{w.project(ctx).pk}/charter")


@api("GET", "/projects/{pk}/charter")
def _charter(w: World, ctx: str, actor: Any) -> Call:
    from pmo.documents import services as documents

    w.template()
    w.once("charter", lambda: documents.charter_generate(actor=SYSTEM, project=w.p1))
    return Call(f"{V}/projects/{w.p1.pk}/charter")


def _doc(w: World, ctx: str, state: str = "draft") -> Any:
    return w.once(f"doc-{ctx}-{state}", lambda: w.document(w.project(ctx), state))


@api("GET", "/documents/{pk}")
def _document(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/documents/{_doc(w, OWN).pk}")


@api("PATCH", "/documents/{pk}")
def _document_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/documents/{_doc(w, ctx).pk}", {"description": "How we test"})


@api("DELETE", "/documents/{pk}")
def _document_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/documents/{_doc(w, ctx).pk}")


@api("GET", "/documents/{pk}/versions")
def _versions(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/documents/{_doc(w, OWN).pk}/versions")


@api("POST", "/documents/{pk}/versions")
def _version_add(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/documents/{_doc(w, ctx).pk}/versions", {"text": "# Test strategy\nAll of it.", "note": "v2"})


@api("POST", "/documents/{pk}/versions/upload")
def _version_upload(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/documents/{_doc(w, ctx).pk}/versions/upload", files={"file": _csv("x\n1\n", "v2.csv")})


@api("GET", "/documents/{pk}/versions/{number}/download")
def _version_download(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/documents/{_doc(w, OWN).pk}/versions/1/download")


@api("POST", "/documents/{pk}/submit")
def _document_submit(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/documents/{_doc(w, ctx).pk}/submit", {"comment": "Please approve"})


@api("POST", "/documents/{pk}/withdraw")
def _document_withdraw(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/documents/{_doc(w, ctx, 'submitted').pk}/withdraw", {"comment": "Not yet"})


@api("POST", "/documents/{pk}/approve")
def _document_approve(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/documents/{_doc(w, OWN, 'submitted').pk}/approve", {"comment": "Fine"})


@api("POST", "/documents/{pk}/reject")
def _document_reject(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/documents/{_doc(w, OWN, 'submitted').pk}/reject", {"comment": "Add the load tests"})


@api("POST", "/documents/{pk}/supersede")
def _document_supersede(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/documents/{_doc(w, ctx, 'approved').pk}/supersede", {"comment": "Replaced"})


@api("GET", "/projects/{pk}/document-baselines")
def _document_baselines(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.p1.pk}/document-baselines")


@api("POST", "/projects/{pk}/document-baselines")
def _document_baseline(w: World, ctx: str, actor: Any) -> Call:
    _doc(w, ctx, "approved")
    return Call(f"{V}/projects/{w.project(ctx).pk}/document-baselines", {"label": "Design freeze"})


# --- methodologies, gates, audits --------------------------------------------------------------------------------


@api("GET", "/methodologies")
def _methodologies(w: World, ctx: str, actor: Any) -> Call:
    w.methodology()
    return Call(f"{V}/methodologies")


@api("POST", "/methodologies")
def _methodology_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/methodologies", {"name": "Scrum", "kind": "agile"})


@api("GET", "/methodologies/{pk}")
def _methodology(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/methodologies/{w.methodology().methodology_id}")


@api("POST", "/methodologies/{pk}/versions")
def _methodology_version(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/methodologies/{w.methodology().methodology_id}/versions")


@api("GET", "/methodology-versions/{pk}")
def _version_read(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/methodology-versions/{w.methodology().pk}")


def _draft_version(w: World) -> Any:
    return w.methodology(publish=False)


@api("POST", "/methodology-versions/{pk}/phases")
def _phase_add(w: World, ctx: str, actor: Any) -> Call:
    body = {"name": "Run", "gate_name": "Handover", "typical_weeks": 2}
    return Call(f"{V}/methodology-versions/{_draft_version(w).pk}/phases", body)


@api("DELETE", "/methodology-phases/{pk}")
def _phase_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/methodology-phases/{_draft_version(w).phases.last().pk}")


@api("PATCH", "/methodology-phases/{pk}")
def _phase_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/methodology-phases/{_draft_version(w).phases.first().pk}", {"typical_weeks": 8})


@api("POST", "/methodology-phases/{pk}/requirements")
def _requirement_add(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/methodology-phases/{_draft_version(w).phases.first().pk}/requirements", {"name": "Risk log"})


@api("POST", "/methodology-phases/{pk}/criteria")
def _criterion_add(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/methodology-phases/{_draft_version(w).phases.first().pk}/criteria", {"text": "Budget agreed"})


@api("POST", "/methodology-versions/{pk}/publish")
def _version_publish(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/methodology-versions/{_draft_version(w).pk}/publish", {"notes": "First"})


@api("DELETE", "/methodology-requirements/{pk}")
def _requirement_delete(w: World, ctx: str, actor: Any) -> Call:
    from pmo.governance.models import Requirement

    return Call(
        f"{V}/methodology-requirements/{Requirement.objects.filter(phase__methodology_version=_draft_version(w)).first().pk}"
    )


@api("DELETE", "/methodology-criteria/{pk}")
def _criterion_delete(w: World, ctx: str, actor: Any) -> Call:
    from pmo.governance.models import Criterion

    return Call(
        f"{V}/methodology-criteria/{Criterion.objects.filter(phase__methodology_version=_draft_version(w)).first().pk}"
    )


@api("GET", "/projects/{pk}/methodology")
def _track(w: World, ctx: str, actor: Any) -> Call:
    w.on_methodology(w.p1)
    return Call(f"{V}/projects/{w.p1.pk}/methodology")


@api("PUT", "/projects/{pk}/methodology")
def _track_set(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/projects/{w.project(ctx).pk}/methodology", {"version_id": w.methodology().pk})


@api("GET", "/gate-reviews")
def _reviews(w: World, ctx: str, actor: Any) -> Call:
    w.gate_review(w.p1)
    return Call(f"{V}/gate-reviews")


@api("POST", "/gate-reviews")
def _review_open(w: World, ctx: str, actor: Any) -> Call:
    from pmo.governance.models import GateReview

    project = w.project(ctx)
    w.on_methodology(project)
    GateReview.objects.filter(project=project).delete()  # none open: one may be opened
    return Call(f"{V}/gate-reviews", {"project_id": project.pk, "planned_date": "2026-12-15"})


@api("GET", "/gate-reviews/{pk}")
def _review(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/gate-reviews/{w.gate_review(w.p1).pk}")


@api("PATCH", "/gate-reviews/{pk}")
def _review_reschedule(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/gate-reviews/{w.gate_review(w.project(ctx)).pk}", {"planned_date": "2026-12-17"})


@api("PUT", "/gate-review-answers/{pk}")
def _review_answer(w: World, ctx: str, actor: Any) -> Call:
    answer = w.gate_review(w.project(ctx)).answers.first()
    return Call(f"{V}/gate-review-answers/{answer.pk}", {"answer": "met", "evidence_url": "https://wiki.example/x"})


@api("POST", "/gate-reviews/{pk}/reviewers")
def _reviewer_add(w: World, ctx: str, actor: Any) -> Call:
    review = w.gate_review(w.project(ctx))
    return Call(f"{V}/gate-reviews/{review.pk}/reviewers", {"person_id": w.person(TM).pk, "role": "Architect"})


@api("DELETE", "/gate-reviewers/{pk}")
def _reviewer_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/gate-reviewers/{w.reviewer(w.project(ctx)).pk}")


@api("POST", "/gate-reviewers/{pk}/vote")
def _vote(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/gate-reviewers/{w.reviewer(w.p1).pk}/vote", {"vote": "go", "comment": "Ready"})


@api("POST", "/gate-reviews/{pk}/decide")
def _gate_decide(w: World, ctx: str, actor: Any) -> Call:
    from pmo.governance import services as governance

    review = w.gate_review(w.project(ctx))
    for answer in review.answers.all():
        governance.criterion_answer(actor=SYSTEM, answer=answer, value="met")
    return Call(f"{V}/gate-reviews/{review.pk}/decide", {"decision": "go", "comment": "All met."})


@api("GET", "/gate-conditions")
def _conditions(w: World, ctx: str, actor: Any) -> Call:
    w.gate_condition(w.p1)
    return Call(f"{V}/gate-conditions")


@api("POST", "/gate-conditions/{pk}/close")
def _condition_close(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/gate-conditions/{w.gate_condition(w.project(ctx)).pk}/close", {"note": "Signed"})


@api("GET", "/audit-templates")
def _audit_templates(w: World, ctx: str, actor: Any) -> Call:
    w.audit_template()
    return Call(f"{V}/audit-templates")


@api("POST", "/audit-templates")
def _audit_template_create(w: World, ctx: str, actor: Any) -> Call:
    body = {"name": "Gate readiness", "questions": [{"text": "Is the charter signed?"}]}
    return Call(f"{V}/audit-templates", body)


@api("GET", "/audits")
def _audits(w: World, ctx: str, actor: Any) -> Call:
    w.audit(w.p1)
    return Call(f"{V}/audits")


@api("POST", "/audits")
def _audit_create(w: World, ctx: str, actor: Any) -> Call:
    body = {"project_id": w.project(ctx).pk, "template_id": w.audit_template().pk, "planned_date": "2026-12-20"}
    return Call(f"{V}/audits", body)


@api("GET", "/audits/{pk}")
def _audit(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/audits/{w.audit(w.p1).pk}")


@api("PUT", "/audit-answers/{pk}")
def _audit_answer(w: World, ctx: str, actor: Any) -> Call:
    answer = w.audit(w.project(ctx)).answers.first()
    return Call(f"{V}/audit-answers/{answer.pk}", {"rating": "yes"})


@api("POST", "/audits/{pk}/complete")
def _audit_complete(w: World, ctx: str, actor: Any) -> Call:
    from pmo.governance import services as governance

    audit = w.audit(w.project(ctx))
    for answer in audit.answers.all():
        governance.audit_answer(actor=SYSTEM, answer=answer, rating="yes")
    return Call(f"{V}/audits/{audit.pk}/complete", {"summary": "Fine"})


@api("POST", "/audits/{pk}/findings")
def _finding_add(w: World, ctx: str, actor: Any) -> Call:
    body = {"title": "No risk log", "owner_id": w.person(TM).pk, "due_date": "2026-12-31"}
    return Call(f"{V}/audits/{w.audit(w.project(ctx)).pk}/findings", body)


@api("GET", "/findings")
def _findings(w: World, ctx: str, actor: Any) -> Call:
    w.finding(w.p1)
    return Call(f"{V}/findings")


@api("POST", "/findings/{pk}/actions")
def _corrective_add(w: World, ctx: str, actor: Any) -> Call:
    body = {"description": "Start a risk log", "owner_id": w.person(TM).pk, "due_date": "2026-12-20"}
    return Call(f"{V}/findings/{w.finding(w.project(ctx)).pk}/actions", body)


@api("POST", "/corrective-actions/{pk}/close")
def _corrective_close(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/corrective-actions/{w.corrective_action(w.project(ctx)).pk}/close")


@api("GET", "/portfolios/{pk}/compliance-trend")
def _compliance(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/portfolios/{w.dig.pk}/compliance-trend")


# --- lessons, closures, maturity -----------------------------------------------------------------------------------


@api("GET", "/lessons")
def _lessons(w: World, ctx: str, actor: Any) -> Call:
    w.lesson(OWN)
    return Call(f"{V}/lessons")


@api("POST", "/lessons")
def _lesson_create(w: World, ctx: str, actor: Any) -> Call:
    body = {"title": "Freeze scope early", "what_happened": "Scope crept.", "project_id": w.project(ctx).pk}
    return Call(f"{V}/lessons", body)


@api("GET", "/lessons/{pk}")
def _lesson(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/lessons/{w.lesson(OWN).pk}")


@api("PATCH", "/lessons/{pk}", row="lessons: change")
def _lesson_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/lessons/{w.lesson(ctx).pk}", {"recommendation": "Book it a quarter ahead."})


@api("PATCH", "/lessons/{pk}", row="lessons: mark relevant")
def _lesson_relevant(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/lessons/{w.lesson(ctx).pk}", {"relevant": True})


@api("DELETE", "/lessons/{pk}")
def _lesson_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/lessons/{w.lesson(ctx).pk}")


@api("GET", "/lesson-categories")
def _categories(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/lesson-categories")


@api("POST", "/lesson-categories")
def _category_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/lesson-categories", {"name": "Vendors"})


@api("GET", "/knowledge/search")
def _search(w: World, ctx: str, actor: Any) -> Call:
    w.lesson(OWN)
    return Call(f"{V}/knowledge/search", query={"q": "rig"})


@api("GET", "/closures")
def _closures(w: World, ctx: str, actor: Any) -> Call:
    w.once("closure-own", lambda: w.closure(w.p1))
    return Call(f"{V}/closures")


@api("POST", "/projects/{pk}/closure")
def _closure_start(w: World, ctx: str, actor: Any) -> Call:
    project = w.set_state(w.project(ctx), "closing")
    return Call(f"{V}/projects/{project.pk}/closure", {"reason": "Delivered."})


@api("GET", "/projects/{pk}/closure")
def _closure(w: World, ctx: str, actor: Any) -> Call:
    w.once("closure-own", lambda: w.closure(w.p1))
    return Call(f"{V}/projects/{w.p1.pk}/closure")


@api("PUT", "/projects/{pk}/closure/report")
def _closure_report(w: World, ctx: str, actor: Any) -> Call:
    project = w.project(ctx)
    w.once(f"closure-{ctx}", lambda: w.closure(project))
    body = {"objectives_met": "yes", "benefits_handed_over": "To operations.", "recommendations": "None."}
    return Call(f"{V}/projects/{project.pk}/closure/report", body)


@api("PUT", "/projects/{pk}/closure/session")
def _closure_session(w: World, ctx: str, actor: Any) -> Call:
    project = w.project(ctx)
    w.once(f"closure-{ctx}", lambda: w.closure(project))
    body = {"session_date": "2026-12-01", "participants": ["Pat Manager", "Team Member"]}
    return Call(f"{V}/projects/{project.pk}/closure/session", body)


@api("POST", "/projects/{pk}/closure/close")
def _closure_close(w: World, ctx: str, actor: Any) -> Call:
    project = w.project(ctx)
    w.once(f"closure-{ctx}-complete", lambda: w.closure(project, complete=True))
    return Call(f"{V}/projects/{project.pk}/closure/close", {"comment": "Done."})


LEVELS = {"governance": 3, "method": 2, "resources": 2, "benefits": 1, "risk": 3, "reporting": 2}


def _assessment(w: World) -> Any:
    from pmo.knowledge import services as knowledge

    return w.once(
        "assessment",
        lambda: knowledge.assessment_create(actor=SYSTEM, assessed_on=TODAY, title="2026", levels=LEVELS),
    )


@api("GET", "/maturity/assessments")
def _assessments(w: World, ctx: str, actor: Any) -> Call:
    _assessment(w)
    return Call(f"{V}/maturity/assessments")


@api("POST", "/maturity/assessments")
def _assessment_create(w: World, ctx: str, actor: Any) -> Call:
    body = {"title": "Q4", "assessed_on": "2026-12-01", "levels": LEVELS}
    return Call(f"{V}/maturity/assessments", body)


@api("GET", "/maturity/assessments/{pk}")
def _assessment_read(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/maturity/assessments/{_assessment(w).pk}")


@api("GET", "/maturity/actions")
def _improvements(w: World, ctx: str, actor: Any) -> Call:
    w.improvement()
    return Call(f"{V}/maturity/actions")


@api("POST", "/maturity/actions")
def _improvement_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/maturity/actions", {"title": "Gate checklists", "dimension": "method"})


@api("PATCH", "/maturity/actions/{pk}", row="improvements: plan or change")
def _improvement_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/maturity/actions/{w.improvement().pk}", {"description": "Two half days"})


@api("PATCH", "/maturity/actions/{pk}", row="improvements: move along")
def _improvement_progress(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/maturity/actions/{w.improvement().pk}", {"status": "in_progress"})


# --- stakeholders, communication, surveys, benefits ------------------------------------------------------------


def _scope(w: World, ctx: str) -> dict[str, int]:
    return {"program_id": w.cx.pk} if ctx == PROGRAM else {"project_id": w.project(ctx).pk}


@api("GET", "/stakeholders")
def _stakeholders(w: World, ctx: str, actor: Any) -> Call:
    w.stakeholder(OWN)
    return Call(f"{V}/stakeholders", query={"project_id": w.p1.pk})


@api("POST", "/stakeholders")
def _stakeholder_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/stakeholders", {"name": "Customer panel", "interest": 5, "influence": 2, **_scope(w, ctx)})


@api("GET", "/stakeholders/{pk}")
def _stakeholder(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/stakeholders/{w.stakeholder(OWN).pk}")


@api("PATCH", "/stakeholders/{pk}")
def _stakeholder_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/stakeholders/{w.stakeholder(ctx).pk}", {"notes": "Meets monthly"})


@api("DELETE", "/stakeholders/{pk}")
def _stakeholder_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/stakeholders/{w.stakeholder(ctx).pk}")


@api("GET", "/communication-items")
def _communications(w: World, ctx: str, actor: Any) -> Call:
    w.communication(OWN)
    return Call(f"{V}/communication-items", query={"project_id": w.p1.pk})


@api("POST", "/communication-items")
def _communication_create(w: World, ctx: str, actor: Any) -> Call:
    body = {"what": "Newsletter", "audience_groups": "Everyone", "frequency": "monthly", "next_due": "2026-12-20"}
    return Call(f"{V}/communication-items", {**body, **_scope(w, ctx)})


@api("GET", "/communication-items/{pk}")
def _communication(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/communication-items/{w.communication(OWN).pk}")


@api("PATCH", "/communication-items/{pk}")
def _communication_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/communication-items/{w.communication(ctx).pk}", {"audience_groups": "Sales"})


@api("DELETE", "/communication-items/{pk}")
def _communication_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/communication-items/{w.communication(ctx).pk}")


@api("GET", "/communication-items/{pk}/log")
def _communication_log(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/communication-items/{w.communication(OWN).pk}/log")


@api("POST", "/communication-items/{pk}/log")
def _communication_sent(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/communication-items/{w.communication(ctx).pk}/log", {"sent_on": "2026-12-01"})


@api("GET", "/surveys")
def _surveys(w: World, ctx: str, actor: Any) -> Call:
    w.survey(w.p1)
    return Call(f"{V}/surveys", query={"project_id": w.p1.pk})


@api("POST", "/surveys")
def _survey_create(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/surveys", {"project_id": w.project(ctx).pk, "period": "2027-01"})


@api("GET", "/surveys/{pk}")
def _survey(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/surveys/{w.survey(w.p1).pk}")


@api("PATCH", "/surveys/{pk}")
def _survey_close(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/surveys/{w.survey(w.project(ctx)).pk}", {"is_open": False})


@api("GET", "/surveys/{pk}/responses")
def _survey_answers(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/surveys/{w.survey(w.p1).pk}/responses")


@api("POST", "/surveys/{pk}/responses")
def _survey_answer(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/surveys/{w.survey(w.p1).pk}/responses", {"score": 4, "comment": "Good"})


@api("GET", "/benefits")
def _benefits(w: World, ctx: str, actor: Any) -> Call:
    w.benefit(w.p1)
    return Call(f"{V}/benefits")


@api("POST", "/benefits")
def _benefit_create(w: World, ctx: str, actor: Any) -> Call:
    body = {
        "project_id": w.project(ctx).pk,
        "name": "Shorter queues",
        "kpi": "Minutes waiting",
        "baseline_value": "12",
        "target_value": "4",
        "target_date": "2027-06-30",
    }
    return Call(f"{V}/benefits", body)


@api("GET", "/benefits/rollup")
def _benefits_rollup(w: World, ctx: str, actor: Any) -> Call:
    w.benefit(w.p1)
    return Call(f"{V}/benefits/rollup")


@api("GET", "/benefits/{pk}")
def _benefit(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/benefits/{w.benefit(w.p1).pk}")


@api("PATCH", "/benefits/{pk}")
def _benefit_update(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/benefits/{w.benefit(w.project(ctx)).pk}", {"description": "Measured by the call centre"})


@api("DELETE", "/benefits/{pk}")
def _benefit_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/benefits/{w.benefit(w.project(ctx)).pk}")


@api("GET", "/benefits/{pk}/measurements")
def _measurements(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/benefits/{w.benefit(w.p1).pk}/measurements")


@api("POST", "/benefits/{pk}/measurements")
def _measurement(w: World, ctx: str, actor: Any) -> Call:
    body = {"measured_on": "2026-11-30", "value": "900"}
    return Call(f"{V}/benefits/{w.benefit(w.project(ctx)).pk}/measurements", body)


# --- dashboard, reports -------------------------------------------------------------------------------------------


@api("GET", "/dashboard")
def _dashboard(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/dashboard")


@api("GET", "/dashboard/years/{year}")
def _dashboard_year(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/dashboard/years/2026")


@api("GET", "/roadmap")
def _roadmap(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/roadmap")


@api("POST", "/reports")
def _report_generate(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/reports", {"portfolio": "DIG", "format": "csv"})


@api("GET", "/reports")
def _archive(w: World, ctx: str, actor: Any) -> Call:
    w.report()
    return Call(f"{V}/reports")


@api("GET", "/reports/{pk}/download")
def _download(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/reports/{w.report().pk}/download")


@api("GET", "/report-subscriptions")
def _subscriptions(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/report-subscriptions")


@api("POST", "/report-subscriptions")
def _subscribe(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/report-subscriptions", {"portfolio": "DIG", "frequency": "weekly", "format": "csv"})


@api("PATCH", "/report-subscriptions/{pk}")
def _subscription_update(w: World, ctx: str, actor: Any) -> Call:
    subscription = w.subscription()
    return Call(f"{V}/report-subscriptions/{subscription.pk}", {"version": subscription.version, "format": "xlsx"})


@api("DELETE", "/report-subscriptions/{pk}")
def _subscription_delete(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/report-subscriptions/{w.subscription().pk}")


@api("POST", "/report-subscriptions/run-due")
def _run_due(w: World, ctx: str, actor: Any) -> Call:
    return Call(f"{V}/report-subscriptions/run-due")
