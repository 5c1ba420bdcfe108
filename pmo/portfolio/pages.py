"""The pages of strategy, portfolios, programs and projects."""

from typing import Any

from django.urls import reverse

from pmo.core.access import can, person_id_of
from pmo.planning.models import Task
from pmo.portfolio import selectors, services
from pmo.portfolio.forms import ObjectiveForm, PortfolioForm, ProgramForm, ProjectForm
from pmo.portfolio.models import (
    Health,
    LifecycleState,
    Methodology,
    Portfolio,
    Program,
    Project,
    StrategicObjective,
)
from pmo.web.areas import Area, Column, Filter, Section


def _choices(model: Any) -> Any:
    return lambda: [(str(o.pk), str(o)) for o in model.objects.order_by("name")]


def _objectives(obj: Any) -> str:
    return ", ".join(o.code for o in obj.objectives.all()) or "—"


def _link(obj: Any, key: str) -> dict[str, str] | None:
    return None if obj is None else {"text": str(obj), "url": reverse(f"{key}-detail", args=[obj.pk])}


def _state(project: Project) -> dict[str, str]:
    return {"text": project.get_state_display(), "tone": project.state}


PROJECT_COLUMNS = (
    Column("Code", lambda p: p.code, sort="code", link=True),
    Column("Name", lambda p: p.name, sort="name", link=True),
    Column("Portfolio", lambda p: p.portfolio.name, sort="portfolio__name"),
    Column("Manager", lambda p: p.manager or "—", sort="manager__name"),
    Column("State", _state, sort="state", kind="badge"),
    Column(
        "Health",
        lambda p: {"text": p.get_health_display(), "tone": f"health-{p.health}"},
        sort="health",
        kind="badge",
    ),
    Column("Start", lambda p: p.planned_start, sort="planned_start", kind="date"),
    Column("Finish", lambda p: p.planned_finish, sort="planned_finish", kind="date"),
    Column("Budget", lambda p: (p.budget, p.currency), sort="budget", kind="money"),
)
PUBLIC_PROJECT_COLUMNS = tuple(c for c in PROJECT_COLUMNS if c.label not in ("Health", "Budget"))


def project_rows_section(title: str, projects: Any, user: Any, empty: str) -> Section:
    financial = can(user, "view_financials", Project)
    return Section(
        title=title,
        columns=PROJECT_COLUMNS if financial else PUBLIC_PROJECT_COLUMNS,
        rows=list(projects),
        empty=empty,
        url_of=lambda p: reverse("projects-detail", args=[p.pk]),
    )


# --- strategic objectives ----------------------------------------------------------------------

objectives = Area(
    key="objectives",
    model=StrategicObjective,
    title="Strategy",
    icon="◆",
    queryset=lambda: StrategicObjective.objects.select_related("owner"),
    columns=(
        Column("Code", lambda o: o.code, sort="code", link=True),
        Column("Objective", lambda o: o.name, sort="name", link=True),
        Column("Owner", lambda o: o.owner or "—", sort="owner__name"),
        Column("Target year", lambda o: o.target_year or "—", sort="target_year", kind="number"),
        Column("Active", lambda o: "Yes" if o.active else "No", sort="active"),
    ),
    filters=(Filter("active", "Status", "active", lambda: [("True", "Active"), ("False", "Retired")]),),
    search_fields=("code", "name", "description"),
    search_hint="Search objectives",
    default_sort="code",
    form=ObjectiveForm,
    create=services.objective_create,
    update=services.objective_update,
    delete=services.objective_delete,
    obj_kwarg="objective",
    facts=lambda o, user: [
        ("Code", o.code),
        ("Owner", o.owner or "—"),
        ("Target year", o.target_year or "—"),
        ("Active", "Yes" if o.active else "No"),
        ("Description", o.description or "—"),
    ],
    sections=lambda o, user: [
        project_rows_section(
            "Projects serving this objective",
            selectors.projects().filter(objectives=o),
            user,
            "No project serves this objective yet.",
        )
    ],
    empty_text="No strategic objectives yet. Objectives are what portfolios and projects are ranked against.",
)


def _leveling_context(portfolio: Portfolio, user: Any) -> dict[str, Any]:
    if not can(user, "view", Task):
        return {}
    from pmo.planning.models import LevelingRun

    return {
        "can_import_project": can(user, "add", Project(portfolio=portfolio, manager_id=person_id_of(user))),
        "level_candidates": list(
            Project.objects.filter(portfolio=portfolio, tasks__isnull=False)
            .exclude(state__in=["closed", "cancelled", "proposed"])
            .distinct()
            .order_by("code")
        ),
        "level_runs": list(LevelingRun.objects.filter(portfolio=portfolio)[:5]),
    }


# --- portfolios ----------------------------------------------------------------------------------

portfolios = Area(
    key="portfolios",
    model=Portfolio,
    title="Portfolios",
    icon="▦",
    queryset=selectors.portfolios,
    columns=(
        Column("Code", lambda p: p.code, sort="code", link=True),
        Column("Portfolio", lambda p: p.name, sort="name", link=True),
        Column("Manager", lambda p: p.manager or "—", sort="manager__name"),
        Column("Projects", lambda p: p.project_count, sort="project_count", kind="number"),
        Column("Objectives", _objectives),
    ),
    filters=(Filter("active", "Status", "active", lambda: [("True", "Active"), ("False", "Inactive")]),),
    search_fields=("code", "name", "description"),
    search_hint="Search portfolios",
    form=PortfolioForm,
    create=services.portfolio_create,
    update=services.portfolio_update,
    delete=services.portfolio_delete,
    obj_kwarg="portfolio",
    facts=lambda p, user: [
        ("Code", p.code),
        ("Manager", p.manager or "—"),
        ("Strategic objectives", _objectives(p)),
        ("Active", "Yes" if p.active else "No"),
        ("Description", p.description or "—"),
    ],
    sections=lambda p, user: [
        Section(
            title="Programs",
            columns=(
                Column("Code", lambda g: g.code, link=True),
                Column("Program", lambda g: g.name, link=True),
                Column("Manager", lambda g: g.manager or "—"),
                Column("Projects", lambda g: g.projects.count(), kind="number"),
            ),
            rows=list(selectors.programs().filter(portfolio=p)),
            empty="No programs in this portfolio.",
            url_of=lambda g: reverse("programs-detail", args=[g.pk]),
        ),
        project_rows_section(
            "Projects", selectors.projects().filter(portfolio=p), user, "No projects in this portfolio yet."
        ),
    ],
    detail_template="portfolio/portfolio_detail.html",
    extra=lambda p, user: _leveling_context(p, user),
    empty_text="No portfolios yet. A portfolio groups the programs and projects one manager answers for.",
)


# --- programs ------------------------------------------------------------------------------------

programs = Area(
    key="programs",
    model=Program,
    title="Programs",
    icon="▤",
    queryset=selectors.programs,
    columns=(
        Column("Code", lambda g: g.code, sort="code", link=True),
        Column("Program", lambda g: g.name, sort="name", link=True),
        Column("Portfolio", lambda g: g.portfolio.name, sort="portfolio__name"),
        Column("Manager", lambda g: g.manager or "—", sort="manager__name"),
        Column("Objectives", _objectives),
    ),
    filters=(Filter("portfolio", "Portfolio", "portfolio_id", _choices(Portfolio)),),
    search_fields=("code", "name", "description"),
    search_hint="Search programs",
    form=ProgramForm,
    create=services.program_create,
    update=services.program_update,
    delete=services.program_delete,
    obj_kwarg="program",
    facts=lambda g, user: [
        ("Code", g.code),
        ("Portfolio", _link(g.portfolio, "portfolios")),
        ("Manager", g.manager or "—"),
        ("Strategic objectives", _objectives(g)),
        ("Description", g.description or "—"),
    ],
    sections=lambda g, user: [
        project_rows_section(
            "Projects", selectors.projects().filter(program=g), user, "No projects in this program yet."
        )
    ],
    initial=lambda user, params: {"portfolio": params.get("portfolio")},
    empty_text="No programs yet. A program bundles related projects inside a portfolio.",
)


# --- projects ------------------------------------------------------------------------------------


def _project_facts(p: Project, user: Any) -> list[tuple[str, Any]]:
    facts: list[tuple[str, Any]] = [
        ("Code", p.code),
        ("Portfolio", _link(p.portfolio, "portfolios")),
        ("Program", _link(p.program, "programs") or "—"),
        ("Manager", p.manager or "—"),
        ("Sponsor", p.sponsor or "—"),
        ("Unit", p.org_unit or "—"),
        ("Methodology", p.get_methodology_display()),
        ("Planned start", p.planned_start or "—"),
        ("Planned finish", p.planned_finish or "—"),
        ("Strategic objectives", _objectives(p)),
    ]
    if can(user, "view_financials", p):
        facts += [
            ("Budget", {"money": p.budget, "currency": p.currency}),
            ("Priority", p.get_priority_display()),
            ("Health", {"badge": p.get_health_display(), "tone": f"health-{p.health}"}),
        ]
    facts.append(("Description", p.description or "—"))
    return facts


def _project_initial(user: Any, params: dict[str, str]) -> dict[str, Any]:
    initial: dict[str, Any] = {"portfolio": params.get("portfolio"), "program": params.get("program")}
    initial["manager"] = person_id_of(user)
    return initial


projects = Area(
    key="projects",
    model=Project,
    title="Projects",
    icon="▣",
    queryset=selectors.projects,
    columns=PROJECT_COLUMNS,
    filters=(
        Filter("portfolio", "Portfolio", "portfolio_id", _choices(Portfolio)),
        Filter("program", "Program", "program_id", _choices(Program)),
        Filter("state", "State", "state", lambda: list(LifecycleState.choices)),
        Filter("health", "Health", "health", lambda: list(Health.choices), requires="view_financials"),
        Filter("methodology", "Method", "methodology", lambda: list(Methodology.choices)),
    ),
    search_fields=("code", "name", "description", "manager__name"),
    search_hint="Search code, name or manager",
    default_sort="code",
    form=ProjectForm,
    create=services.project_create,
    update=services.project_update,
    delete=services.project_delete,
    obj_kwarg="project",
    facts=_project_facts,
    initial=_project_initial,
    columns_for=lambda user: PROJECT_COLUMNS if can(user, "view_financials", Project) else PUBLIC_PROJECT_COLUMNS,
    extra=lambda p, user: {
        "can_view_plan": can(user, "view", Task),
        "transitions": [(s, LifecycleState(s).label) for s in selectors.allowed_transitions(user, p)],
        "lifecycle": [
            {"key": s.value, "label": s.label, "current": s.value == p.state}
            for s in LifecycleState
            if s not in (LifecycleState.ON_HOLD, LifecycleState.CANCELLED) or s.value == p.state
        ],
    },
    detail_template="portfolio/project_detail.html",
    empty_text="No projects yet. Create one, or import the demo portfolio with 'make run'.",
)

AREAS = (portfolios, programs, projects, objectives)
