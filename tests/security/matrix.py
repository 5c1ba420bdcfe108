"""The permission matrix the security tests hold the product to, transcribed by hand from docs/roles.md.

Nothing here is computed from the code's own rules (pmo.core.access, pmo.core.roles, pmo/*/permissions.py):
if it were, the tests could not fail. When docs/roles.md changes, change this file by hand too.

`ROWS` names each record or step of docs/roles.md once, with the roles allowed in each context the
tests build (see CONTEXTS). `API` gives every operation of /api/v1/openapi.json an entry, and `PAGES` every
page that writes (a URL pattern whose view takes a POST): `Op(row, action, target)`, or several where one
endpoint carries several rows (a lifecycle step, a form with several buttons). `READ_PAGES` lists the pages
that only read, so that a new page of either kind fails the completeness test until it is placed here.
"""

from typing import NamedTuple

from pmo.core.roles import Role

DIR = Role.PMO_DIRECTOR
PFM = Role.PORTFOLIO_MANAGER
ANA = Role.PMO_ANALYST
PM = Role.PROJECT_MANAGER
PADM = Role.PROJECT_ADMINISTRATOR
EXE = Role.EXECUTIVE
TM = Role.TEAM_MEMBER
REQ = Role.REQUESTER
RM = Role.RESOURCE_MANAGER
NOROLE = "no role"  # signed in without a role: keeps their own account, nothing else (docs/roles.md)

ROLES: tuple[Role, ...] = (DIR, PFM, ANA, PM, PADM, EXE, TM, REQ, RM)
ACTORS: tuple[Role | str, ...] = (*ROLES, NOROLE)

# Contexts: where the target record sits, seen from the users of the `org` fixture (tests/conftest.py).
ANY = "any"  # the rule does not depend on whose record it is
OWN = "own"  # P1: managed by the project manager, in portfolio DIG managed by the portfolio manager
OTHER = "other"  # P3: another manager's project in portfolio OPS, which the portfolio manager does not manage
MINE = "mine"  # the caller's own record (their proposal, token, risk action, what-if, subscription)
THEIRS = "theirs"  # the same kind of record, someone else's
PROGRAM = "program"  # program CX of DIG, managed by the project manager
NAMED = "named"  # a record naming the caller (or, for votes and approvals, the executive) as evaluator etc.
CONTEXTS = (ANY, OWN, OTHER, MINE, THEIRS, PROGRAM, NAMED)


def _(*roles: Role | str) -> frozenset[Role | str]:
    return frozenset(roles)


EVERYONE = _(*ROLES)
ALL_BUT_REQ = EVERYONE - {REQ}
WATCHERS = _(DIR, PFM, ANA, PM, PADM, EXE, RM)  # those who see the dashboard and the roadmap
NOBODY = _()

ROWS: dict[str, dict[str, frozenset[Role | str]]] = {
    # --- the main table ---------------------------------------------------------------------------------------
    "public records: read": {ANY: EVERYONE},  # objectives, portfolios, programs, projects (requesters: public facts)
    "change history: read": {ANY: ALL_BUT_REQ},
    "objectives: create, update, delete": {ANY: _(DIR)},
    "portfolios: create, delete": {ANY: _(DIR)},
    "portfolios: update": {OWN: _(DIR, PFM), OTHER: _(DIR)},
    "programs: create, update, delete": {OWN: _(DIR, PFM), OTHER: _(DIR)},
    "projects: create": {OWN: _(DIR, PFM, PM, PADM), OTHER: _(DIR, PM, PADM)},  # a PM names themselves manager
    "projects: update": {OWN: _(DIR, PFM, PM, PADM), OTHER: _(DIR, PADM)},
    "projects: delete while proposed": {OWN: _(DIR, PFM, PM), OTHER: _(DIR)},
    "lifecycle: approve": {OWN: _(DIR, PFM), OTHER: _(DIR)},
    "lifecycle: cancel": {OWN: _(DIR, PFM), OTHER: _(DIR)},
    "lifecycle: other steps": {OWN: _(DIR, PFM, PM), OTHER: _(DIR)},  # who may update it, but administrators
    "people and units: read": {ANY: ALL_BUT_REQ},
    "people and units: create, update": {ANY: _(DIR, PADM, RM)},
    "people and units: delete": {ANY: _(DIR)},
    "plans: read": {ANY: ALL_BUT_REQ},
    "plans: write": {OWN: _(DIR, PFM, PM, PADM), OTHER: _(DIR, PADM)},
    "levelling: start and review": {OWN: ALL_BUT_REQ},
    "levelling: accept": {OWN: _(DIR, PFM, PM, PADM), OTHER: _(DIR, PADM)},
    "proposals: read": {MINE: EVERYONE, THEIRS: ALL_BUT_REQ},  # requesters: their own only
    "proposals: create": {ANY: _(DIR, PFM, ANA, PM, PADM, TM, REQ)},
    "proposals: update": {MINE: _(DIR, PFM, ANA, PM, PADM, TM, REQ), THEIRS: _(DIR, PFM)},
    "proposals: delete a draft": {MINE: _(DIR, PFM, ANA, PM, PADM, TM, REQ), THEIRS: _(DIR)},
    "proposals: submit": {MINE: _(DIR, PFM, ANA, PM, PADM, TM, REQ), THEIRS: _(DIR, PFM)},
    "proposals: evaluate": {OWN: _(DIR, PFM, ANA), OTHER: _(DIR, ANA)},
    "proposals: decide": {OWN: _(DIR, PFM), OTHER: _(DIR)},
    "scores": {ANY: _(DIR, PFM, ANA), NAMED: ALL_BUT_REQ},
    "scoring models: read": {ANY: ALL_BUT_REQ},
    "scoring models: write": {ANY: _(DIR, ANA)},
    "scenarios: read": {ANY: ALL_BUT_REQ},
    "scenarios: create, edit, run, copy, delete": {ANY: _(DIR, PFM, ANA)},
    "scenarios: approve": {OWN: _(DIR, PFM), OTHER: _(DIR)},
    "timesheets: read": {ANY: ALL_BUT_REQ - {TM}},  # someone else's; team members see their own only
    "timesheets: my week, my approvals": {ANY: ALL_BUT_REQ},  # the approvals: those the caller may approve
    "timesheets: own hours": {MINE: _(DIR, PFM, ANA, PM, PADM, TM)},
    "timesheets: approve or return": {OWN: _(DIR, PFM, PM), OTHER: _(DIR)},
    "costs: read": {ANY: ALL_BUT_REQ},
    "costs: write": {OWN: _(DIR, PFM, PM, PADM), OTHER: _(DIR, PADM)},
    "cost rates: read": {ANY: ALL_BUT_REQ - {TM}},
    "cost rates: write": {ANY: _(DIR, PADM)},
    "EVM snapshots: take": {OWN: _(DIR, PFM, ANA, PM, PADM), OTHER: _(DIR, ANA, PADM)},
    "control: read": {ANY: ALL_BUT_REQ},  # status reports, issues, change requests, deviations
    "control: write": {OWN: _(DIR, PFM, PM), OTHER: _(DIR)},  # status reports, issues, change requests
    "change requests: decide": {OWN: _(DIR, PFM), OTHER: _(DIR)},
    "thresholds: read": {ANY: ALL_BUT_REQ},
    "thresholds: write": {OWN: _(DIR, PFM), OTHER: _(DIR)},
    "deviations: acknowledge": {OWN: _(DIR, PFM, PM), OTHER: _(DIR)},
    "deviations: check all projects": {ANY: _(DIR, PFM, ANA)},
    "risks: read": {OWN: ALL_BUT_REQ, OTHER: ALL_BUT_REQ - {TM}},  # team members: projects they work on
    "risks: write": {OWN: _(DIR, PFM, PM), OTHER: _(DIR), PROGRAM: _(DIR, PFM, PM)},
    "risk actions: change the status": {MINE: ALL_BUT_REQ, THEIRS: _(DIR)},
    "risk scales: read": {ANY: ALL_BUT_REQ},
    "risk scales: write": {OWN: _(DIR, PFM), OTHER: _(DIR)},
    "risk actions: overdue check": {ANY: _(DIR, PFM, ANA)},
    "risk analysis: run": {OWN: _(DIR, PFM, ANA, PM), OTHER: _(DIR, ANA)},
    "portfolio risk analysis: run": {OWN: _(DIR, PFM, ANA), OTHER: _(DIR, ANA)},
    # --- the resource pool --------------------------------------------------------------------------------
    "pool: read": {ANY: ALL_BUT_REQ},
    "pool: keep": {ANY: _(DIR, RM)},
    "resource requests: ask": {OWN: _(DIR, PFM, PM, RM), OTHER: _(DIR, RM)},
    "resource requests: assign or decline": {ANY: _(DIR, RM)},
    "resource requests: withdraw": {THEIRS: _(DIR, PM, RM)},  # a request the project manager asked
    "capacity what-ifs: save": {ANY: ALL_BUT_REQ},
    "capacity what-ifs: delete": {THEIRS: _(DIR, PM)},  # a what-if the project manager saved
    # --- templates, documents ------------------------------------------------------------------------------
    "templates: read": {ANY: EVERYONE},
    "templates: write": {ANY: _(DIR, ANA)},
    "documents: read": {ANY: ALL_BUT_REQ},
    "documents: write": {OWN: _(DIR, PFM, PM, PADM), OTHER: _(DIR, PADM)},
    "documents: approve or reject": {NAMED: _(EXE)},  # the executive is the approver named on it
    "documents: baseline": {OWN: _(DIR, PFM, PM), OTHER: _(DIR)},
    # --- closure, lessons, maturity ----------------------------------------------------------------------
    "closures: read": {ANY: ALL_BUT_REQ},
    "closures: write": {OWN: _(DIR, PFM, PM), OTHER: _(DIR)},
    "lessons: read": {ANY: EVERYONE},
    "lessons: record": {OWN: _(DIR, PFM, ANA, PM), OTHER: _(DIR, ANA)},
    "lessons: change": {OWN: _(DIR, PFM, ANA, PM), OTHER: _(DIR, ANA)},  # OWN: recorded by the P1 manager
    "lessons: mark relevant": {OWN: _(DIR, PFM, ANA), OTHER: _(DIR, ANA)},
    "lessons: delete": {OWN: _(DIR, PFM, ANA), OTHER: _(DIR, ANA)},
    "lesson categories: keep": {ANY: _(DIR, ANA)},
    "maturity: read": {ANY: ALL_BUT_REQ},  # and the list of lesson categories
    "maturity: assess": {ANY: _(DIR, ANA)},
    "improvements: plan or change": {ANY: _(DIR, PFM, ANA)},
    "improvements: move along": {NAMED: _(DIR, PFM, ANA, TM)},  # the team member owns it; planners change it
    # --- methodologies, gates, audits ---------------------------------------------------------------------
    "methodologies: read": {ANY: EVERYONE},
    "methodologies: build": {ANY: _(DIR, ANA)},
    "methodologies: publish": {ANY: _(DIR)},
    "project methodology: set": {OWN: _(DIR, PFM, PM), OTHER: _(DIR)},
    "governance: read": {ANY: ALL_BUT_REQ},  # gate reviews, conditions, audits, findings
    "gates: prepare": {OWN: _(DIR, PFM, ANA, PM), OTHER: _(DIR, ANA)},
    "gates: vote": {NAMED: _(DIR, EXE)},  # the executive is the named reviewer
    "gates: decide": {OWN: _(DIR, PFM), OTHER: _(DIR)},
    "gate conditions: close": {OWN: _(DIR, PFM, ANA, PM, TM), OTHER: _(DIR, ANA, TM)},  # owned by the team member
    "audit checklists: keep": {ANY: _(DIR, ANA)},
    "audits: run": {OWN: _(DIR, PFM, ANA), OTHER: _(DIR, ANA)},
    "audits: add a corrective action": {OWN: _(DIR, PFM, ANA, PM), OTHER: _(DIR, ANA)},
    "audits: close a corrective action": {OWN: _(DIR, PFM, ANA, PM, TM), OTHER: _(DIR, ANA, TM)},
    # --- stakeholders, communication, benefits ----------------------------------------------------------
    "stakeholders: read": {ANY: ALL_BUT_REQ},
    "registers: keep": {OWN: _(DIR, PFM, PM), OTHER: _(DIR), PROGRAM: _(DIR, PFM, PM)},
    "portfolio registers: keep": {OWN: _(DIR, PFM), OTHER: _(DIR)},
    "communications: record as sent": {OWN: _(DIR, PFM, PM, TM), OTHER: _(DIR, TM)},  # sent by the team member
    "benefits: plan": {OWN: _(DIR, PFM, PM), OTHER: _(DIR)},
    "benefits: measure": {OWN: _(DIR, PFM, ANA, PM, TM), OTHER: _(DIR, ANA, TM)},  # owned by the team member
    "surveys: open or close": {OWN: _(DIR, PFM, PM), OTHER: _(DIR)},
    "surveys: answer": {ANY: EVERYONE},
    # --- dashboard, reports --------------------------------------------------------------------------------
    "dashboard: see": {ANY: WATCHERS},
    "reports: produce": {ANY: _(DIR, PFM, ANA, PM, EXE)},
    "reports: download": {THEIRS: _(DIR, PFM, ANA, PM, EXE)},  # a report the project manager produced
    "subscriptions: subscribe": {ANY: WATCHERS},
    "subscriptions: change": {THEIRS: _(DIR, PM)},  # the project manager's subscription
    "subscriptions: run due": {ANY: _(DIR)},
    # --- one's own account ---------------------------------------------------------------------------------
    "account": {ANY: _(*ACTORS)},  # one's own account: API tokens, notifications and their settings
    "account: someone else's": {ANY: NOBODY},
}


class Op(NamedTuple):
    row: str  # a key of ROWS
    action: str  # what the call does
    target: str  # the record it addresses (the test builds it in each context of the row)


def _ops(*ops: Op) -> tuple[Op, ...]:
    return ops


V = "/api/v1"
API: dict[tuple[str, str], Op | tuple[Op, ...]] = {
    # account
    ("GET", f"{V}/me"): Op("account", "who am I", "the caller"),
    ("GET", f"{V}/tokens"): Op("account", "list my tokens", "the caller's tokens"),
    ("POST", f"{V}/tokens"): Op("account", "create a token", "the caller's tokens"),
    ("DELETE", f"{V}/tokens/{{pk}}"): _ops(
        Op("account", "revoke a token", "the caller's token"),
        Op("account: someone else's", "revoke a token", "another project manager's token"),
    ),
    # objectives, portfolios, programs, projects
    ("GET", f"{V}/objectives"): Op("public records: read", "list", "objectives"),
    ("POST", f"{V}/objectives"): Op("objectives: create, update, delete", "create", "a new objective"),
    ("GET", f"{V}/objectives/{{pk}}"): Op("public records: read", "read", "SO1"),
    ("PATCH", f"{V}/objectives/{{pk}}"): Op("objectives: create, update, delete", "update", "SO1"),
    ("DELETE", f"{V}/objectives/{{pk}}"): Op("objectives: create, update, delete", "delete", "an unused objective"),
    ("GET", f"{V}/objectives/{{pk}}/history"): Op("change history: read", "history", "SO1"),
    ("GET", f"{V}/portfolios"): Op("public records: read", "list", "portfolios"),
    ("POST", f"{V}/portfolios"): Op("portfolios: create, delete", "create", "a new portfolio"),
    ("GET", f"{V}/portfolios/{{pk}}"): Op("public records: read", "read", "DIG"),
    ("PATCH", f"{V}/portfolios/{{pk}}"): Op("portfolios: update", "update", "DIG / OPS"),
    ("DELETE", f"{V}/portfolios/{{pk}}"): Op("portfolios: create, delete", "delete", "an empty portfolio"),
    ("GET", f"{V}/portfolios/{{pk}}/history"): Op("change history: read", "history", "DIG"),
    ("GET", f"{V}/programs"): Op("public records: read", "list", "programs"),
    ("POST", f"{V}/programs"): Op("programs: create, update, delete", "create", "a program in DIG / OPS"),
    ("GET", f"{V}/programs/{{pk}}"): Op("public records: read", "read", "CX"),
    ("PATCH", f"{V}/programs/{{pk}}"): Op("programs: create, update, delete", "update", "a program of DIG / OPS"),
    ("DELETE", f"{V}/programs/{{pk}}"): Op("programs: create, update, delete", "delete", "a program of DIG / OPS"),
    ("GET", f"{V}/programs/{{pk}}/history"): Op("change history: read", "history", "CX"),
    ("GET", f"{V}/projects"): Op("public records: read", "list", "projects"),
    ("POST", f"{V}/projects"): Op("projects: create", "create (the caller as manager)", "a project in DIG / OPS"),
    ("GET", f"{V}/projects/{{pk}}"): Op("public records: read", "read", "P1"),
    ("PATCH", f"{V}/projects/{{pk}}"): Op("projects: update", "update", "P1 / P3"),
    ("DELETE", f"{V}/projects/{{pk}}"): Op("projects: delete while proposed", "delete", "P1 / P3 (proposed)"),
    ("GET", f"{V}/projects/{{pk}}/history"): Op("change history: read", "history", "P1"),
    ("POST", f"{V}/projects/{{pk}}/transition"): _ops(
        Op("lifecycle: approve", "proposed -> approved", "P1 / P3 (proposed)"),
        Op("lifecycle: cancel", "executing -> cancelled", "P1 / P3 (executing)"),
        Op("lifecycle: other steps", "planning -> executing", "P1 / P3 (planning)"),
    ),
    # people and units
    ("GET", f"{V}/org-units"): Op("people and units: read", "list", "units"),
    ("POST", f"{V}/org-units"): Op("people and units: create, update", "create", "a new unit"),
    ("GET", f"{V}/org-units/{{pk}}"): Op("people and units: read", "read", "a unit"),
    ("PATCH", f"{V}/org-units/{{pk}}"): Op("people and units: create, update", "update", "a unit"),
    ("DELETE", f"{V}/org-units/{{pk}}"): Op("people and units: delete", "delete", "an empty unit"),
    ("GET", f"{V}/org-units/{{pk}}/history"): Op("change history: read", "history", "a unit"),
    ("GET", f"{V}/people"): Op("people and units: read", "list", "people"),
    ("POST", f"{V}/people"): Op("people and units: create, update", "create", "a new person"),
    ("GET", f"{V}/people/{{pk}}"): Op("people and units: read", "read", "the team member"),
    ("PATCH", f"{V}/people/{{pk}}"): Op("people and units: create, update", "update", "a person"),
    ("DELETE", f"{V}/people/{{pk}}"): Op("people and units: delete", "delete", "a person without links"),
    ("GET", f"{V}/people/{{pk}}/history"): Op("change history: read", "history", "the team member"),
    # plans
    ("GET", f"{V}/projects/{{pk}}/plan"): Op("plans: read", "read", "P1's plan"),
    ("POST", f"{V}/projects/{{pk}}/plan/tasks"): Op("plans: write", "add a task", "P1 / P3's plan"),
    ("PATCH", f"{V}/projects/{{pk}}/plan/tasks/{{uid}}"): Op("plans: write", "change a task", "P1 / P3's task"),
    ("DELETE", f"{V}/projects/{{pk}}/plan/tasks/{{uid}}"): Op("plans: write", "delete a task", "P1 / P3's task"),
    ("POST", f"{V}/projects/{{pk}}/plan/tasks/{{uid}}/indent"): Op("plans: write", "indent", "P1 / P3's task"),
    ("POST", f"{V}/projects/{{pk}}/plan/tasks/{{uid}}/outdent"): Op("plans: write", "outdent", "P1 / P3's task"),
    ("GET", f"{V}/projects/{{pk}}/baselines"): Op("plans: read", "list baselines", "P1"),
    ("POST", f"{V}/projects/{{pk}}/baselines"): Op("plans: write", "capture a baseline", "P1 / P3"),
    ("GET", f"{V}/projects/{{pk}}/baselines/compare"): Op("plans: read", "compare baselines", "P1"),
    ("GET", f"{V}/projects/{{pk}}/cross-links"): Op("plans: read", "list cross-project links", "P1"),
    ("POST", f"{V}/projects/{{pk}}/cross-links"): Op("plans: write", "wait for P2's deliverable", "P1 / P3"),
    ("DELETE", f"{V}/projects/{{pk}}/cross-links/{{link_id}}"): Op("plans: write", "remove a link", "P1 / P3"),
    ("POST", f"{V}/leveling-runs"): Op("levelling: start and review", "start", "P1"),
    ("GET", f"{V}/leveling-runs/{{pk}}"): Op("levelling: start and review", "review", "a run over P1"),
    ("POST", f"{V}/leveling-runs/{{pk}}/accept"): Op("levelling: accept", "accept", "a run over P1 / P3"),
    ("POST", f"{V}/leveling-runs/{{pk}}/discard"): Op("levelling: start and review", "discard", "a run over P1"),
    ("GET", f"{V}/portfolios/{{pk}}/dependencies"): Op("plans: read", "dependency map", "DIG"),
    # proposals, scoring, scenarios
    ("GET", f"{V}/proposals"): Op("proposals: read", "list", "proposals"),
    ("POST", f"{V}/proposals"): Op("proposals: create", "create", "a new proposal in DIG"),
    ("GET", f"{V}/proposals/{{pk}}"): Op("proposals: read", "read", "a draft"),
    ("PATCH", f"{V}/proposals/{{pk}}"): Op("proposals: update", "update", "a draft"),
    ("DELETE", f"{V}/proposals/{{pk}}"): Op("proposals: delete a draft", "delete", "a draft"),
    ("GET", f"{V}/proposals/{{pk}}/history"): Op("change history: read", "history", "a draft"),
    ("PUT", f"{V}/proposals/{{pk}}/business-case"): Op("proposals: update", "business case", "a draft"),
    ("POST", f"{V}/proposals/{{pk}}/move"): _ops(
        Op("proposals: submit", "draft -> submitted", "a complete draft"),
        Op("proposals: evaluate", "submitted -> under evaluation", "a submitted proposal of DIG / OPS"),
        Op("proposals: decide", "under evaluation -> approved", "a proposal under evaluation of DIG / OPS"),
    ),
    ("GET", f"{V}/ranking"): Op("scoring models: read", "ranking", "the active scoring model"),
    ("PUT", f"{V}/proposals/{{pk}}/evaluation"): Op("scores", "score", "a proposal under evaluation"),
    ("GET", f"{V}/scenarios"): Op("scenarios: read", "list", "scenarios"),
    ("POST", f"{V}/scenarios"): Op("scenarios: create, edit, run, copy, delete", "create", "a scenario"),
    ("GET", f"{V}/scenarios/{{pk}}"): Op("scenarios: read", "read", "a scenario"),
    ("PATCH", f"{V}/scenarios/{{pk}}"): Op("scenarios: create, edit, run, copy, delete", "edit", "a scenario"),
    ("DELETE", f"{V}/scenarios/{{pk}}"): Op("scenarios: create, edit, run, copy, delete", "delete", "a scenario"),
    ("GET", f"{V}/scenarios/{{pk}}/history"): Op("change history: read", "history", "a scenario"),
    ("POST", f"{V}/scenarios/{{pk}}/run"): Op("scenarios: create, edit, run, copy, delete", "run", "a scenario"),
    ("POST", f"{V}/scenarios/{{pk}}/copy"): Op("scenarios: create, edit, run, copy, delete", "copy", "a scenario"),
    ("POST", f"{V}/scenarios/{{pk}}/approve"): Op("scenarios: approve", "approve", "a run scenario of DIG / OPS"),
    # timesheets
    ("GET", f"{V}/timesheets/week"): Op("timesheets: my week, my approvals", "read my week", "the caller's week"),
    ("PUT", f"{V}/timesheets/week"): Op("timesheets: own hours", "save my hours", "the caller's week"),
    ("POST", f"{V}/timesheets/week/submit"): Op("timesheets: own hours", "submit my week", "the caller's week"),
    ("GET", f"{V}/timesheets/approvals"): Op("timesheets: my week, my approvals", "approvals waiting", "mine"),
    ("GET", f"{V}/timesheets/{{pk}}"): Op("timesheets: read", "read", "the administrator's week on P1"),
    ("POST", f"{V}/timesheets/{{pk}}/approve"): Op("timesheets: approve or return", "approve", "a week on P1 / P3"),
    ("POST", f"{V}/timesheets/{{pk}}/return"): Op("timesheets: approve or return", "return", "a week on P1 / P3"),
    # costs and earned value
    ("GET", f"{V}/projects/{{pk}}/costs"): Op("costs: read", "list", "P1"),
    ("POST", f"{V}/projects/{{pk}}/costs"): Op("costs: write", "record an expense", "P1 / P3"),
    ("POST", f"{V}/projects/{{pk}}/costs/import"): Op("costs: write", "import expenses", "P1 / P3"),
    ("GET", f"{V}/projects/{{pk}}/evm"): Op("costs: read", "snapshots", "P1"),
    ("POST", f"{V}/projects/{{pk}}/evm"): Op("EVM snapshots: take", "take a snapshot", "P1 / P3"),
    ("GET", f"{V}/programs/{{pk}}/evm"): Op("costs: read", "roll-up", "CX"),
    ("POST", f"{V}/programs/{{pk}}/evm"): Op("EVM snapshots: take", "snapshots of its projects", "CX / OPS's program"),
    ("GET", f"{V}/portfolios/{{pk}}/evm"): Op("costs: read", "roll-up", "DIG"),
    ("POST", f"{V}/portfolios/{{pk}}/evm"): Op("EVM snapshots: take", "snapshots of its projects", "DIG / OPS"),
    ("GET", f"{V}/projects/{{pk}}/control-settings"): Op("costs: read", "progress method", "P1"),
    ("PUT", f"{V}/projects/{{pk}}/control-settings"): Op("costs: write", "progress method", "P1 / P3"),
    ("GET", f"{V}/projects/{{pk}}/task-budgets"): Op("costs: read", "task budgets", "P1"),
    ("PUT", f"{V}/projects/{{pk}}/task-budgets/{{uid}}"): Op("costs: write", "task budget", "P1 / P3's task"),
    ("GET", f"{V}/people/{{pk}}/cost-rate"): Op("cost rates: read", "read", "the team member"),
    ("PUT", f"{V}/people/{{pk}}/cost-rate"): Op("cost rates: write", "set", "the team member"),
    # status reports, deviations, issues, change requests, notifications
    ("GET", f"{V}/projects/{{pk}}/status-reports"): Op("control: read", "list", "P1"),
    ("POST", f"{V}/projects/{{pk}}/status-reports"): Op("control: write", "start a report", "P1 / P3"),
    ("GET", f"{V}/status-reports/{{pk}}"): Op("control: read", "read", "P1's draft report"),
    ("PATCH", f"{V}/status-reports/{{pk}}"): Op("control: write", "edit", "a draft report of P1 / P3"),
    ("POST", f"{V}/status-reports/{{pk}}/submit"): Op("control: write", "submit", "a draft report of P1 / P3"),
    ("GET", f"{V}/status-reports/missing"): Op("control: read", "missing reports", "all projects"),
    ("GET", f"{V}/portfolios/{{pk}}/thresholds"): Op("thresholds: read", "read", "DIG"),
    ("PUT", f"{V}/portfolios/{{pk}}/thresholds"): Op("thresholds: write", "set", "DIG / OPS"),
    ("GET", f"{V}/deviations"): Op("control: read", "list", "deviations"),
    ("POST", f"{V}/deviations/check"): Op("deviations: check all projects", "check", "every project"),
    ("POST", f"{V}/deviations/{{pk}}/acknowledge"): Op("deviations: acknowledge", "acknowledge", "P1 / P3's"),
    ("GET", f"{V}/projects/{{pk}}/issues"): Op("control: read", "list", "P1"),
    ("POST", f"{V}/projects/{{pk}}/issues"): Op("control: write", "log an issue", "P1 / P3"),
    ("PATCH", f"{V}/issues/{{pk}}"): Op("control: write", "edit", "an issue of P1 / P3"),
    ("POST", f"{V}/issues/{{pk}}/escalate"): Op("control: write", "escalate", "an issue of P1 / P3"),
    ("GET", f"{V}/projects/{{pk}}/change-requests"): Op("control: read", "list", "P1"),
    ("POST", f"{V}/projects/{{pk}}/change-requests"): Op("control: write", "raise", "P1 / P3"),
    ("GET", f"{V}/change-requests/{{pk}}"): Op("control: read", "read", "a change request of P1"),
    ("PATCH", f"{V}/change-requests/{{pk}}"): Op("control: write", "edit", "a raised change of P1 / P3"),
    ("POST", f"{V}/change-requests/{{pk}}/assess"): Op("control: write", "assess", "a raised change of P1 / P3"),
    ("POST", f"{V}/change-requests/{{pk}}/decide"): Op("change requests: decide", "approve", "an assessed change"),
    ("GET", f"{V}/change-board"): Op("control: read", "the change board", "waiting changes"),
    ("GET", f"{V}/notifications"): Op("account", "my notifications", "the caller's"),
    ("GET", f"{V}/notifications/preferences"): Op("account", "my e-mail settings", "the caller's"),
    ("PUT", f"{V}/notifications/preferences"): Op("account", "set my e-mail settings", "the caller's"),
    ("POST", f"{V}/notifications/read"): Op("account", "mark read", "the caller's notifications"),
    # risks
    ("GET", f"{V}/risks"): Op("risks: read", "list", "risks"),
    ("POST", f"{V}/risks"): Op("risks: write", "add", "a risk of P1 / P3 / program CX"),
    ("GET", f"{V}/risks/{{pk}}"): Op("risks: read", "read", "a risk of P1 / P3"),
    ("PATCH", f"{V}/risks/{{pk}}"): Op("risks: write", "edit", "a risk of P1 / P3 / CX"),
    ("POST", f"{V}/risks/{{pk}}/rate"): Op("risks: write", "re-rate", "a risk of P1 / P3 / CX"),
    ("GET", f"{V}/risks/{{pk}}/assessments"): Op("risks: read", "ratings", "a risk of P1 / P3"),
    ("POST", f"{V}/risks/{{pk}}/occur"): Op("risks: write", "mark occurred", "a risk of P1 / P3"),
    ("GET", f"{V}/risks/{{pk}}/actions"): Op("risks: read", "actions", "a risk of P1 / P3"),
    ("POST", f"{V}/risks/{{pk}}/actions"): Op("risks: write", "add an action", "a risk of P1 / P3 / CX"),
    ("PATCH", f"{V}/risk-actions/{{pk}}"): _ops(
        Op("risks: write", "edit an action", "an action of a risk of P1 / P3 / CX"),
        Op("risk actions: change the status", "status only", "an action of P3's risk"),
    ),
    ("POST", f"{V}/risk-actions/check"): Op("risk actions: overdue check", "check", "every project"),
    ("GET", f"{V}/risks/{{pk}}/task-impacts"): Op("risks: read", "task impacts", "a risk of P1 / P3"),
    ("PUT", f"{V}/risks/{{pk}}/task-impacts"): Op("risks: write", "set a task impact", "a risk of P1 / P3"),
    ("DELETE", f"{V}/risk-task-impacts/{{pk}}"): Op("risks: write", "remove a task impact", "a risk of P1 / P3"),
    ("GET", f"{V}/portfolios/{{pk}}/risk-scales"): Op("risk scales: read", "read", "DIG"),
    ("PUT", f"{V}/portfolios/{{pk}}/risk-scales"): Op("risk scales: write", "set", "DIG / OPS"),
    ("GET", f"{V}/portfolios/{{pk}}/risk-heatmap"): Op("risk scales: read", "heat map", "DIG"),
    ("GET", f"{V}/projects/{{pk}}/risk-heatmap"): Op("risks: read", "heat map", "P1 / P3"),
    ("GET", f"{V}/portfolios/{{pk}}/risk-exposure"): Op("risk scales: read", "exposure", "DIG"),
    ("POST", f"{V}/projects/{{pk}}/risk-analysis"): Op("risk analysis: run", "run", "P1 / P3"),
    ("GET", f"{V}/projects/{{pk}}/risk-analysis"): Op("plans: read", "runs", "P1"),
    ("POST", f"{V}/portfolios/{{pk}}/risk-analysis"): Op("portfolio risk analysis: run", "run", "DIG / OPS"),
    ("GET", f"{V}/risk-analysis/{{run_id}}"): Op("plans: read", "read", "a run of P1"),
    # the resource pool
    ("GET", f"{V}/job-roles"): Op("pool: read", "list", "roles"),
    ("POST", f"{V}/job-roles"): Op("pool: keep", "create", "a role"),
    ("GET", f"{V}/job-roles/{{pk}}"): Op("pool: read", "read", "a role"),
    ("PATCH", f"{V}/job-roles/{{pk}}"): Op("pool: keep", "update", "a role"),
    ("DELETE", f"{V}/job-roles/{{pk}}"): Op("pool: keep", "delete", "an unused role"),
    ("GET", f"{V}/job-roles/{{pk}}/history"): Op("change history: read", "history", "a role"),
    ("GET", f"{V}/skills"): Op("pool: read", "list", "skills"),
    ("POST", f"{V}/skills"): Op("pool: keep", "create", "a skill"),
    ("GET", f"{V}/skills/{{pk}}"): Op("pool: read", "read", "a skill"),
    ("PATCH", f"{V}/skills/{{pk}}"): Op("pool: keep", "update", "a skill"),
    ("DELETE", f"{V}/skills/{{pk}}"): Op("pool: keep", "delete", "an unused skill"),
    ("GET", f"{V}/skills/{{pk}}/history"): Op("change history: read", "history", "a skill"),
    ("GET", f"{V}/people/{{pk}}/pool"): Op("pool: read", "resource profile", "the team member"),
    ("PUT", f"{V}/people/{{pk}}/pool"): Op("pool: keep", "roles, calendar, non-project share", "the team member"),
    ("PUT", f"{V}/people/{{pk}}/skills"): Op("pool: keep", "skill level", "the team member"),
    ("POST", f"{V}/people/{{pk}}/capacity-periods"): Op("pool: keep", "capacity period", "the team member"),
    ("POST", f"{V}/people/{{pk}}/absences"): Op("pool: keep", "leave", "the team member"),
    ("GET", f"{V}/generic-resources"): Op("pool: read", "list", "generic resources"),
    ("POST", f"{V}/generic-resources"): Op("pool: keep", "create", "a generic resource"),
    ("GET", f"{V}/resource-requests"): Op("pool: read", "list", "resource requests"),
    ("POST", f"{V}/resource-requests"): Op("resource requests: ask", "ask", "for P1 / P3"),
    ("GET", f"{V}/resource-requests/{{pk}}"): Op("pool: read", "read", "a request for P1"),
    ("POST", f"{V}/resource-requests/{{pk}}/assign"): Op("resource requests: assign or decline", "assign", "one"),
    ("POST", f"{V}/resource-requests/{{pk}}/decline"): Op("resource requests: assign or decline", "decline", "one"),
    ("POST", f"{V}/resource-requests/{{pk}}/withdraw"): Op("resource requests: withdraw", "withdraw", "PM's"),
    ("GET", f"{V}/competency-gaps"): Op("pool: read", "competency gaps", "the pool"),
    ("GET", f"{V}/training-plans"): Op("pool: read", "list", "training plans"),
    ("POST", f"{V}/training-plans"): Op("pool: keep", "plan training", "the team member"),
    ("POST", f"{V}/training-plans/{{pk}}/complete"): Op("pool: keep", "mark done", "the team member's plan"),
    ("GET", f"{V}/capacity"): Op("pool: read", "heat map", "the pool"),
    ("GET", f"{V}/capacity/what-ifs"): Op("pool: read", "list", "saved what-ifs"),
    ("POST", f"{V}/capacity/what-ifs"): Op("capacity what-ifs: save", "save", "a what-if"),
    ("GET", f"{V}/capacity/what-ifs/{{pk}}"): Op("pool: read", "read", "PM's what-if"),
    ("DELETE", f"{V}/capacity/what-ifs/{{pk}}"): Op("capacity what-ifs: delete", "delete", "PM's what-if"),
    # templates and documents
    ("GET", f"{V}/document-templates"): Op("templates: read", "list", "templates"),
    ("POST", f"{V}/document-templates"): Op("templates: write", "add", "a template"),
    ("GET", f"{V}/document-templates/fields"): Op("templates: read", "fields", "templates"),
    ("GET", f"{V}/document-templates/{{pk}}"): Op("templates: read", "read", "a template"),
    ("PATCH", f"{V}/document-templates/{{pk}}"): Op("templates: write", "change", "a template"),
    ("GET", f"{V}/document-templates/{{pk}}/fill"): Op("documents: read", "fill for P1", "a template"),
    ("GET", f"{V}/projects/{{pk}}/documents"): Op("documents: read", "list", "P1"),
    ("POST", f"{V}/projects/{{pk}}/documents"): Op("documents: write", "add", "P1 / P3"),
    ("POST", f"{V}/projects/{{pk}}/documents/upload"): Op("documents: write", "upload", "P1 / P3"),
    ("POST", f"{V}/projects/{{pk}}/charter"): Op("documents: write", "draft the charter", "P1 / P3"),
    ("GET", f"{V}/projects/{{pk}}/charter"): Op("documents: read", "the charter", "P1"),
    ("GET", f"{V}/documents/{{pk}}"): Op("documents: read", "read", "a document of P1"),
    ("PATCH", f"{V}/documents/{{pk}}"): Op("documents: write", "change", "a draft of P1 / P3"),
    ("DELETE", f"{V}/documents/{{pk}}"): Op("documents: write", "delete", "a draft of P1 / P3"),
    ("GET", f"{V}/documents/{{pk}}/versions"): Op("documents: read", "versions", "a document of P1"),
    ("POST", f"{V}/documents/{{pk}}/versions"): Op("documents: write", "save a version", "a draft of P1 / P3"),
    ("POST", f"{V}/documents/{{pk}}/versions/upload"): Op("documents: write", "upload a version", "P1 / P3's"),
    ("GET", f"{V}/documents/{{pk}}/versions/{{number}}/download"): Op("documents: read", "download", "P1's"),
    ("POST", f"{V}/documents/{{pk}}/submit"): Op("documents: write", "submit", "a draft of P1 / P3"),
    ("POST", f"{V}/documents/{{pk}}/withdraw"): Op("documents: write", "withdraw", "a submitted one of P1 / P3"),
    ("POST", f"{V}/documents/{{pk}}/approve"): Op("documents: approve or reject", "approve", "a submitted one"),
    ("POST", f"{V}/documents/{{pk}}/reject"): Op("documents: approve or reject", "reject", "a submitted one"),
    ("POST", f"{V}/documents/{{pk}}/supersede"): Op("documents: write", "supersede", "an approved one of P1 / P3"),
    ("GET", f"{V}/projects/{{pk}}/document-baselines"): Op("documents: read", "list", "P1"),
    ("POST", f"{V}/projects/{{pk}}/document-baselines"): Op("documents: baseline", "take", "P1 / P3"),
    # methodologies, gates, audits
    ("GET", f"{V}/methodologies"): Op("methodologies: read", "list", "the library"),
    ("POST", f"{V}/methodologies"): Op("methodologies: build", "create", "a methodology"),
    ("GET", f"{V}/methodologies/{{pk}}"): Op("methodologies: read", "read", "a methodology"),
    ("POST", f"{V}/methodologies/{{pk}}/versions"): Op("methodologies: build", "new version", "a methodology"),
    ("GET", f"{V}/methodology-versions/{{pk}}"): Op("methodologies: read", "read", "a version"),
    ("POST", f"{V}/methodology-versions/{{pk}}/phases"): Op("methodologies: build", "add a phase", "a draft"),
    ("DELETE", f"{V}/methodology-phases/{{pk}}"): Op("methodologies: build", "remove a phase", "a draft's"),
    ("PATCH", f"{V}/methodology-phases/{{pk}}"): Op("methodologies: build", "change a phase", "a draft's"),
    ("POST", f"{V}/methodology-phases/{{pk}}/requirements"): Op("methodologies: build", "add", "a draft's phase"),
    ("POST", f"{V}/methodology-phases/{{pk}}/criteria"): Op("methodologies: build", "add", "a draft's phase"),
    ("POST", f"{V}/methodology-versions/{{pk}}/publish"): Op("methodologies: publish", "publish", "a draft"),
    ("DELETE", f"{V}/methodology-requirements/{{pk}}"): Op("methodologies: build", "remove", "a draft's"),
    ("DELETE", f"{V}/methodology-criteria/{{pk}}"): Op("methodologies: build", "remove", "a draft's"),
    ("GET", f"{V}/projects/{{pk}}/methodology"): Op("governance: read", "read", "P1's track"),
    ("PUT", f"{V}/projects/{{pk}}/methodology"): Op("project methodology: set", "put on", "P1 / P3"),
    ("GET", f"{V}/gate-reviews"): Op("governance: read", "list", "gate reviews"),
    ("POST", f"{V}/gate-reviews"): Op("gates: prepare", "open", "for P1 / P3"),
    ("GET", f"{V}/gate-reviews/{{pk}}"): Op("governance: read", "read", "P1's review"),
    ("PATCH", f"{V}/gate-reviews/{{pk}}"): Op("gates: prepare", "reschedule", "P1 / P3's review"),
    ("PUT", f"{V}/gate-review-answers/{{pk}}"): Op("gates: prepare", "answer a criterion", "P1 / P3's review"),
    ("POST", f"{V}/gate-reviews/{{pk}}/reviewers"): Op("gates: prepare", "add a reviewer", "P1 / P3's review"),
    ("DELETE", f"{V}/gate-reviewers/{{pk}}"): Op("gates: prepare", "remove a reviewer", "P1 / P3's review"),
    ("POST", f"{V}/gate-reviewers/{{pk}}/vote"): Op("gates: vote", "vote", "the executive's seat"),
    ("POST", f"{V}/gate-reviews/{{pk}}/decide"): Op("gates: decide", "go", "P1 / P3's review"),
    ("GET", f"{V}/gate-conditions"): Op("governance: read", "list", "gate conditions"),
    ("POST", f"{V}/gate-conditions/{{pk}}/close"): Op("gate conditions: close", "close", "P1 / P3's"),
    ("GET", f"{V}/audit-templates"): Op("governance: read", "list", "checklists"),
    ("POST", f"{V}/audit-templates"): Op("audit checklists: keep", "add", "a checklist"),
    ("GET", f"{V}/audits"): Op("governance: read", "list", "audits"),
    ("POST", f"{V}/audits"): Op("audits: run", "plan", "an audit of P1 / P3"),
    ("GET", f"{V}/audits/{{pk}}"): Op("governance: read", "read", "P1's audit"),
    ("PUT", f"{V}/audit-answers/{{pk}}"): Op("audits: run", "answer", "P1 / P3's audit"),
    ("POST", f"{V}/audits/{{pk}}/complete"): Op("audits: run", "complete", "P1 / P3's audit"),
    ("POST", f"{V}/audits/{{pk}}/findings"): Op("audits: run", "record a finding", "P1 / P3's audit"),
    ("GET", f"{V}/findings"): Op("governance: read", "list", "findings"),
    ("POST", f"{V}/findings/{{pk}}/actions"): Op("audits: add a corrective action", "add", "P1 / P3's finding"),
    ("POST", f"{V}/corrective-actions/{{pk}}/close"): Op("audits: close a corrective action", "done", "P1 / P3"),
    ("GET", f"{V}/portfolios/{{pk}}/compliance-trend"): Op("governance: read", "trend", "DIG"),
    # lessons, closures, maturity
    ("GET", f"{V}/lessons"): Op("lessons: read", "list", "lessons"),
    ("POST", f"{V}/lessons"): Op("lessons: record", "record", "a lesson of P1 / P3"),
    ("GET", f"{V}/lessons/{{pk}}"): Op("lessons: read", "read", "a lesson of P1"),
    ("PATCH", f"{V}/lessons/{{pk}}"): _ops(
        Op("lessons: change", "change", "a lesson of P1 (by its manager) / P3"),
        Op("lessons: mark relevant", "mark relevant", "a lesson of P1 / P3"),
    ),
    ("DELETE", f"{V}/lessons/{{pk}}"): Op("lessons: delete", "delete", "a lesson of P1 (by its manager) / P3"),
    ("GET", f"{V}/lesson-categories"): Op("maturity: read", "list", "lesson categories"),
    ("POST", f"{V}/lesson-categories"): Op("lesson categories: keep", "add", "a category"),
    ("GET", f"{V}/knowledge/search"): Op("lessons: read", "search", "the knowledge base"),
    ("GET", f"{V}/closures"): Op("closures: read", "list", "closures"),
    ("POST", f"{V}/projects/{{pk}}/closure"): Op("closures: write", "start", "P1 / P3 (closing)"),
    ("GET", f"{V}/projects/{{pk}}/closure"): Op("closures: read", "read", "P1's closure"),
    ("PUT", f"{V}/projects/{{pk}}/closure/report"): Op("closures: write", "report", "P1 / P3's closure"),
    ("PUT", f"{V}/projects/{{pk}}/closure/session"): Op("closures: write", "session", "P1 / P3's closure"),
    ("POST", f"{V}/projects/{{pk}}/closure/close"): Op("closures: write", "close", "P1 / P3's complete closure"),
    ("GET", f"{V}/maturity/assessments"): Op("maturity: read", "list", "assessments"),
    ("POST", f"{V}/maturity/assessments"): Op("maturity: assess", "record", "an assessment"),
    ("GET", f"{V}/maturity/assessments/{{pk}}"): Op("maturity: read", "read", "an assessment"),
    ("GET", f"{V}/maturity/actions"): Op("maturity: read", "list", "improvement actions"),
    ("POST", f"{V}/maturity/actions"): Op("improvements: plan or change", "plan", "an improvement action"),
    ("PATCH", f"{V}/maturity/actions/{{pk}}"): _ops(
        Op("improvements: plan or change", "change", "an improvement action"),
        Op("improvements: move along", "status only", "the team member's action"),
    ),
    # stakeholders, communication, surveys, benefits
    ("GET", f"{V}/stakeholders"): Op("stakeholders: read", "list", "P1's register"),
    ("POST", f"{V}/stakeholders"): Op("registers: keep", "add", "to P1 / P3 / CX's register"),
    ("GET", f"{V}/stakeholders/{{pk}}"): Op("stakeholders: read", "read", "a stakeholder of P1"),
    ("PATCH", f"{V}/stakeholders/{{pk}}"): Op("registers: keep", "change", "a stakeholder of P1 / P3 / CX"),
    ("DELETE", f"{V}/stakeholders/{{pk}}"): Op("registers: keep", "remove", "a stakeholder of P1 / P3 / CX"),
    ("GET", f"{V}/communication-items"): Op("stakeholders: read", "list", "P1's plan"),
    ("POST", f"{V}/communication-items"): Op("registers: keep", "add", "to P1 / P3 / CX's plan"),
    ("GET", f"{V}/communication-items/{{pk}}"): Op("stakeholders: read", "read", "an item of P1"),
    ("PATCH", f"{V}/communication-items/{{pk}}"): Op("registers: keep", "change", "an item of P1 / P3 / CX"),
    ("DELETE", f"{V}/communication-items/{{pk}}"): Op("registers: keep", "remove", "an item of P1 / P3 / CX"),
    ("GET", f"{V}/communication-items/{{pk}}/log"): Op("stakeholders: read", "log", "an item of P1"),
    ("POST", f"{V}/communication-items/{{pk}}/log"): Op("communications: record as sent", "sent", "P1 / P3's"),
    ("GET", f"{V}/surveys"): Op("stakeholders: read", "list", "surveys"),
    ("POST", f"{V}/surveys"): Op("surveys: open or close", "open", "a survey of P1 / P3"),
    ("GET", f"{V}/surveys/{{pk}}"): Op("surveys: answer", "read (the link)", "P1's open survey"),
    ("PATCH", f"{V}/surveys/{{pk}}"): Op("surveys: open or close", "close", "a survey of P1 / P3"),
    ("GET", f"{V}/surveys/{{pk}}/responses"): Op("stakeholders: read", "answers", "P1's survey"),
    ("POST", f"{V}/surveys/{{pk}}/responses"): Op("surveys: answer", "answer", "P1's open survey"),
    ("GET", f"{V}/benefits"): Op("stakeholders: read", "list", "benefits"),
    ("POST", f"{V}/benefits"): Op("benefits: plan", "plan", "a benefit of P1 / P3"),
    ("GET", f"{V}/benefits/rollup"): Op("stakeholders: read", "roll-up", "benefits"),
    ("GET", f"{V}/benefits/{{pk}}"): Op("stakeholders: read", "read", "a benefit of P1"),
    ("PATCH", f"{V}/benefits/{{pk}}"): Op("benefits: plan", "change", "a benefit of P1 / P3"),
    ("DELETE", f"{V}/benefits/{{pk}}"): Op("benefits: plan", "remove", "a benefit of P1 / P3"),
    ("GET", f"{V}/benefits/{{pk}}/measurements"): Op("stakeholders: read", "measurements", "a benefit of P1"),
    ("POST", f"{V}/benefits/{{pk}}/measurements"): Op("benefits: measure", "record", "a benefit of P1 / P3"),
    # dashboard, reports
    ("GET", f"{V}/dashboard"): Op("dashboard: see", "dashboard", "every project"),
    ("GET", f"{V}/dashboard/years/{{year}}"): Op("dashboard: see", "a year by project", "every project"),
    ("GET", f"{V}/roadmap"): Op("dashboard: see", "roadmap", "every project"),
    ("POST", f"{V}/reports"): Op("reports: produce", "produce", "DIG's status report"),
    ("GET", f"{V}/reports"): Op("dashboard: see", "list", "the archived reports the caller may download"),
    ("GET", f"{V}/reports/{{pk}}/download"): Op("reports: download", "download", "a report PM produced"),
    ("GET", f"{V}/report-subscriptions"): Op("subscriptions: subscribe", "list", "my subscriptions"),
    ("POST", f"{V}/report-subscriptions"): Op("subscriptions: subscribe", "subscribe", "DIG's report"),
    ("PATCH", f"{V}/report-subscriptions/{{pk}}"): Op("subscriptions: change", "change", "PM's subscription"),
    ("DELETE", f"{V}/report-subscriptions/{{pk}}"): Op("subscriptions: change", "cancel", "PM's subscription"),
    ("POST", f"{V}/report-subscriptions/run-due"): Op("subscriptions: run due", "run", "the due subscriptions"),
}


# --- pages --------------------------------------------------------------------------------------------------------
# A page writes when its view, or a function of the view's module that the view hands the request to, handles a
# POST (test_permission_matrix_pages.py reads their source). Each such URL pattern has an entry here, with the
# buttons of its forms that the tests press (one per row, at least one per page).
PAGES: dict[str, Op | tuple[Op, ...]] = {
    "account/": _ops(
        Op("account", "create a token", "the caller's tokens"),
        Op("account: someone else's", "revoke a token", "another project manager's token"),
    ),
    "projects/<int:pk>/plan/settings/": Op("plans: write", "plan settings", "P1 / P3"),
    "projects/<int:pk>/plan/tasks/": Op("plans: write", "add a task", "P1 / P3"),
    "projects/<int:pk>/plan/tasks/<int:task_pk>/": Op("plans: write", "save a task", "P1 / P3's Build"),
    "projects/<int:pk>/plan/tasks/<int:task_pk>/<str:action>/": Op("plans: write", "delete a task", "P1 / P3"),
    "projects/<int:pk>/plan/baselines/": Op("plans: write", "capture a baseline", "P1 / P3"),
    "projects/<int:pk>/plan/import/": Op("plans: write", "import a plan file", "P1 / P3"),
    "portfolios/<int:portfolio_pk>/import/": Op("projects: create", "a project from a plan file", "DIG / OPS"),
    "projects/<int:pk>/plan/links/": Op("plans: write", "wait for P2's deliverable", "P1 / P3"),
    "projects/<int:pk>/plan/links/<int:link_pk>/remove/": Op("plans: write", "remove a link", "P1 / P3"),
    "leveling/": Op("levelling: start and review", "start", "P1"),
    "leveling/<int:pk>/<str:decision>/": _ops(
        Op("levelling: accept", "accept", "a run over P1 / P3"),
        Op("levelling: start and review", "discard", "a run over P1"),
    ),
    "proposals/<int:pk>/business-case/": Op("proposals: update", "business case", "a draft"),
    "proposals/<int:pk>/move/": _ops(
        Op("proposals: submit", "submit", "a complete draft"),
        Op("proposals: decide", "approve", "a proposal under evaluation of DIG / OPS"),
    ),
    "proposals/<int:pk>/evaluate/": Op("scores", "score", "a proposal under evaluation"),
    "scoring/new/": Op("scoring models: write", "create", "a scoring model"),
    "scoring/<int:pk>/edit/": Op("scoring models: write", "edit", "a scoring model"),
    "scoring/<int:pk>/ahp/": Op("scoring models: write", "weigh by AHP", "a scoring model"),
    "scenarios/new/": Op("scenarios: create, edit, run, copy, delete", "create", "a scenario"),
    "scenarios/<int:pk>/edit/": Op("scenarios: create, edit, run, copy, delete", "edit", "a scenario"),
    "scenarios/<int:pk>/<str:action>/": _ops(
        Op("scenarios: create, edit, run, copy, delete", "run", "a scenario"),
        Op("scenarios: approve", "approve", "a run scenario of DIG / OPS"),
    ),
    "timesheet/": Op("timesheets: own hours", "save my hours", "the caller's week"),
    "timesheet/<int:pk>/decide/": Op("timesheets: approve or return", "approve", "a week on P1 / P3"),
    "performance/snapshot/": Op("EVM snapshots: take", "snapshots of a portfolio", "DIG / OPS"),
    "projects/<int:pk>/performance/snapshot/": Op("EVM snapshots: take", "take a snapshot", "P1 / P3"),
    "projects/<int:pk>/performance/settings/": Op("costs: write", "progress method", "P1 / P3"),
    "projects/<int:pk>/performance/budgets/": Op("costs: write", "task budgets", "P1 / P3"),
    "projects/<int:pk>/costs/add/": Op("costs: write", "record an expense", "P1 / P3"),
    "projects/<int:pk>/costs/import/": Op("costs: write", "import expenses", "P1 / P3"),
    "projects/<int:pk>/status/": Op("control: write", "start a report", "P1 / P3"),
    "projects/<int:pk>/issues/": Op("control: write", "log an issue", "P1 / P3"),
    "projects/<int:pk>/changes/": Op("control: write", "raise a change", "P1 / P3"),
    "status-reports/<int:pk>/": Op("control: write", "submit", "a draft report of P1 / P3"),
    "issues/<int:pk>/": Op("control: write", "escalate", "an issue of P1 / P3"),
    "change-requests/<int:pk>/": _ops(
        Op("control: write", "assess", "a raised change of P1 / P3"),
        Op("change requests: decide", "approve", "an assessed change of P1 / P3"),
    ),
    "deviations/": Op("deviations: check all projects", "check", "every project"),
    "deviations/<int:pk>/acknowledge/": Op("deviations: acknowledge", "acknowledge", "P1 / P3's"),
    "portfolios/<int:pk>/thresholds/": Op("thresholds: write", "set", "DIG / OPS"),
    "notifications/": Op("account", "e-mail settings", "the caller's"),
    "projects/<int:pk>/risks/": Op("risks: write", "add a risk", "P1 / P3"),
    "risks/": _ops(
        Op("risks: write", "add a program risk", "program CX"),
        Op("risk actions: overdue check", "check", "every project"),
    ),
    "risks/<int:pk>/": _ops(
        Op("risks: write", "re-rate", "a risk of P1 / P3"),
        Op("risk actions: change the status", "action status", "an action of P3's risk"),
    ),
    "portfolios/<int:pk>/risk-scales/": Op("risk scales: write", "set", "DIG / OPS"),
    "projects/<int:pk>/risk-analysis/run/": Op("risk analysis: run", "run", "P1 / P3"),
    "projects/<int:pk>/risk-analysis/estimates/": Op("plans: write", "three-point estimates", "P1 / P3"),
    "portfolios/<int:pk>/risk-analysis/run/": Op("portfolio risk analysis: run", "run", "DIG / OPS"),
    "pool/": Op("pool: keep", "add a generic resource", "the pool"),
    "pool/people/<int:pk>/": Op("pool: keep", "skill level", "the team member"),
    "pool/skills/": Op("pool: keep", "role requirement", "a role"),
    "pool/requests/": Op("resource requests: ask", "ask", "for P1 / P3"),
    "resource-requests/<int:pk>/": _ops(
        Op("resource requests: assign or decline", "assign", "a request for P1"),
        Op("resource requests: withdraw", "withdraw", "the project manager's request"),
    ),
    "pool/training/": Op("pool: keep", "mark done", "the team member's plan"),
    "capacity/reassign/": Op("plans: write", "give a task's work to another", "P1 / P3's Design"),
    "capacity/what-ifs/": Op("capacity what-ifs: save", "save", "a what-if"),
    "capacity/what-ifs/<int:pk>/delete/": Op("capacity what-ifs: delete", "delete", "PM's what-if"),
    "projects/<int:pk>/documents/": Op("documents: write", "add", "P1 / P3"),
    "projects/<int:pk>/charter/": Op("documents: write", "draft the charter", "P1 / P3"),
    "projects/<int:pk>/document-baselines/": Op("documents: baseline", "take", "P1 / P3"),
    "documents/<int:pk>/": _ops(
        Op("documents: write", "submit", "a draft of P1 / P3"),
        Op("documents: approve or reject", "approve", "a submitted one"),
    ),
    "document-templates/": Op("templates: write", "add", "a template"),
    "document-templates/<int:pk>/": Op("templates: write", "change", "a template"),
    "governance/methodologies/": Op("methodologies: build", "create", "a methodology"),
    "governance/methodologies/<int:pk>/": _ops(
        Op("methodologies: build", "add a criterion", "a draft"),
        Op("methodologies: publish", "publish", "a draft"),
    ),
    "governance/reviews/<int:pk>/": _ops(
        Op("gates: prepare", "add a reviewer", "P1 / P3's review"),
        Op("gates: vote", "vote", "the executive's seat"),
        Op("gates: decide", "go", "P1 / P3's review"),
    ),
    "governance/projects/<int:pk>/": Op("project methodology: set", "put on", "P1 / P3"),
    "governance/audits/": _ops(
        Op("audits: run", "plan", "an audit of P1 / P3"),
        Op("audit checklists: keep", "add", "a checklist"),
    ),
    "governance/audits/<int:pk>/": _ops(
        Op("audits: run", "record a finding", "P1 / P3's audit"),
        Op("audits: add a corrective action", "add a corrective action", "P1 / P3's finding"),
        Op("audits: close a corrective action", "done", "P1 / P3's corrective action"),
    ),
    "knowledge/": Op("lessons: record", "record", "a lesson of P1 / P3"),
    "knowledge/lessons/<int:pk>/": _ops(
        Op("lessons: change", "save", "a lesson of P1 (by its manager) / P3"),
        Op("lessons: mark relevant", "mark relevant", "a lesson of P1 / P3"),
        Op("lessons: delete", "delete", "a lesson of P1 / P3"),
    ),
    "knowledge/categories/": Op("lesson categories: keep", "add", "a category"),
    "knowledge/maturity/": _ops(
        Op("maturity: assess", "assess", "the PMO"),
        Op("improvements: plan or change", "plan", "an improvement action"),
        Op("improvements: move along", "progress", "the team member's action"),
    ),
    "knowledge/improvements/<int:pk>/": Op("improvements: plan or change", "change", "an improvement action"),
    "projects/<int:pk>/closure/": Op("closures: write", "start", "P1 / P3 (closing)"),
    "stakeholders/<int:pk>/": Op("registers: keep", "change", "a stakeholder of P1 / P3 / CX"),
    "projects/<int:pk>/stakeholders/": _ops(
        Op("registers: keep", "add a stakeholder", "P1 / P3"),
        Op("communications: record as sent", "sent", "a communication of P1 / P3"),
    ),
    "programs/<int:pk>/stakeholders/": Op("registers: keep", "add a stakeholder", "CX"),
    "portfolios/<int:pk>/stakeholders/": Op("portfolio registers: keep", "add a stakeholder", "DIG / OPS"),
    "projects/<int:pk>/surveys/": Op("surveys: open or close", "open", "a survey of P1 / P3"),
    "surveys/<int:pk>/": _ops(
        Op("surveys: answer", "answer", "P1's open survey"),
        Op("surveys: open or close", "close", "a survey of P1 / P3"),
    ),
    "projects/<int:pk>/benefits/": _ops(
        Op("benefits: plan", "plan", "a benefit of P1 / P3"),
        Op("benefits: measure", "measure", "a benefit of P1 / P3"),
    ),
    "communications/<int:pk>/": Op("registers: keep", "change", "a communication of P1 / P3 / CX"),
    "benefits/<int:pk>/": Op("benefits: plan", "change", "a benefit of P1 / P3"),
    "reports/generate/": Op("reports: produce", "produce", "DIG's status report"),
    "reports/subscriptions/": Op("subscriptions: subscribe", "subscribe", "DIG's report"),
    "reports/subscriptions/<int:pk>/delete/": Op("subscriptions: change", "cancel", "PM's subscription"),
    "projects/<int:pk>/transition/": _ops(
        Op("lifecycle: approve", "proposed -> approved", "P1 / P3 (proposed)"),
        Op("lifecycle: other steps", "executing -> closing", "P1 / P3 (executing)"),
    ),
    "portfolios/new/": Op("portfolios: create, delete", "create", "a new portfolio"),
    "portfolios/<int:pk>/edit/": Op("portfolios: update", "update", "DIG / OPS"),
    "portfolios/<int:pk>/delete/": Op("portfolios: create, delete", "delete", "an empty portfolio"),
    "programs/new/": Op("programs: create, update, delete", "create", "a program in DIG / OPS"),
    "programs/<int:pk>/edit/": Op("programs: create, update, delete", "update", "a program of DIG / OPS"),
    "programs/<int:pk>/delete/": Op("programs: create, update, delete", "delete", "a program of DIG / OPS"),
    "projects/new/": Op("projects: create", "create (the caller as manager)", "a project in DIG / OPS"),
    "projects/<int:pk>/edit/": Op("projects: update", "update", "P1 / P3"),
    "projects/<int:pk>/delete/": Op("projects: delete while proposed", "delete", "P1 / P3 (proposed)"),
    "objectives/new/": Op("objectives: create, update, delete", "create", "a new objective"),
    "objectives/<int:pk>/edit/": Op("objectives: create, update, delete", "update", "SO1"),
    "objectives/<int:pk>/delete/": Op("objectives: create, update, delete", "delete", "an unused objective"),
    "proposals/new/": Op("proposals: create", "create", "a new proposal in DIG"),
    "proposals/<int:pk>/edit/": Op("proposals: update", "update", "a draft"),
    "proposals/<int:pk>/delete/": Op("proposals: delete a draft", "delete", "a draft"),
    "people/new/": Op("people and units: create, update", "create", "a new person"),
    "people/<int:pk>/edit/": Op("people and units: create, update", "update", "a person"),
    "people/<int:pk>/delete/": Op("people and units: delete", "delete", "a person without links"),
    "org-units/new/": Op("people and units: create, update", "create", "a new unit"),
    "org-units/<int:pk>/edit/": Op("people and units: create, update", "update", "a unit"),
    "org-units/<int:pk>/delete/": Op("people and units: delete", "delete", "an empty unit"),
}

# Pages that only read (a GET may still record that a notification was opened or a schedule recalculated).
READ_PAGES = frozenset(
    {
        "",
        "projects/<int:pk>/plan/",
        "projects/<int:pk>/plan/compare/",
        "projects/<int:pk>/plan/export.xml",
        "portfolios/<int:pk>/dependencies/",
        "leveling/<int:pk>/",
        "leveling/<int:pk>/status.json",
        "scoring/",
        "scoring/<int:pk>/",
        "ranking/",
        "scenarios/",
        "scenarios/compare/",
        "scenarios/<int:pk>/",
        "scenarios/<int:pk>/status.json",
        "timesheet/approvals/",
        "performance/",
        "projects/<int:pk>/performance/",
        "status-reports/missing/",
        "change-board/",
        "notifications/<int:pk>/",
        "projects/<int:pk>/risk-analysis/",
        "portfolios/<int:pk>/risk-analysis/",
        "capacity/",
        "documents/<int:pk>/diff/",
        "documents/<int:pk>/v<int:number>/download/",
        "documents/<int:pk>/v<int:number>/",
        "document-baselines/<int:pk>/",
        "governance/",
        "governance/gates/",
        "knowledge/search/",
        "knowledge/closures/",
        "knowledge/maturity/<int:pk>/",
        "knowledge/maturity/trend.svg",
        "stakeholders/",
        "benefits/",
        "dashboard/",
        "dashboard/years/<int:year>/",
        "roadmap/",
        "reports/",
        "reports/<int:pk>/download/",
        "projects/<int:pk>/status-report.pdf",
        *(
            f"{area}/{page}"
            for area in ("portfolios", "programs", "projects", "objectives", "proposals", "people", "org-units")
            for page in ("", "<int:pk>/", "<int:pk>/history/")
        ),
    }
)

# Signing in and out is not a matter of roles; the Django admin is for superusers only.
NOT_PAGES = frozenset({"login/", "logout/", "oidc/authenticate/", "oidc/callback/"})
