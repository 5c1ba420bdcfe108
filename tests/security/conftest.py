"""The records the permission matrix tests act on, built on the `org` of tests/conftest.py.

`world` adds a resource manager, a user with no role, project P3 (another manager's, in portfolio OPS, which the
portfolio manager does not manage), makes the project manager the manager of program CX, puts P1 and P3 in
execution and gives every user an API token. Everything else is built on demand, once per test, by the
methods of `World` (a plan, a risk, a gate review...), so each test pays only for what its call needs.
"""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from pmo.core.access import SYSTEM
from pmo.core.models import ApiToken
from pmo.core.roles import Role
from pmo.core.services import token_create
from pmo.portfolio import services as portfolio_services
from pmo.portfolio.models import Project
from tests.conftest import make_user
from tests.security.matrix import NOROLE, OTHER, OWN, ROLES

TODAY = dt.date(2026, 12, 3)
MONDAY = dt.date(2026, 11, 30)  # the week of TODAY


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """The tests run on 3 December 2026."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return settings.MEDIA_ROOT


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run the block in a savepoint and undo everything it wrote."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


def _at(day: dt.date, hour: int = 8) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


class World:
    """The users (one per role, and one without a role) and the records of the `org` fixture, with factories
    for the records a call acts on. Factories build each record once (`once`)."""

    def __init__(self, org: dict[str, Any], roles: dict[Role, Any], client_for: Callable[[Role], Client]) -> None:
        self.org = org
        self.users: dict[Any, Any] = dict(roles)
        self.users[Role.RESOURCE_MANAGER] = make_user("resources", Role.RESOURCE_MANAGER, "Nadia Hassan")
        self.users[NOROLE] = make_user("nobody", None, "No Role")
        self.client_for = client_for
        self.objective = org["objective"]
        self.dig = org["portfolio"]
        self.ops = org["other_portfolio"]
        self.cx = org["program"]
        self.p1 = org["p1"]
        self.p2 = org["p2"]
        self.pm2 = org["other_pm"]
        self.p3 = portfolio_services.project_create(
            actor=SYSTEM,
            code="P3",
            name="Warehouse",
            portfolio=self.ops,
            manager=self.pm2.person,
            planned_start=dt.date(2026, 1, 5),
            planned_finish=dt.date(2026, 12, 18),
            budget=Decimal("400000.00"),
        )
        portfolio_services.program_update(actor=SYSTEM, program=self.cx, manager=self.person(Role.PROJECT_MANAGER))
        Project.objects.filter(pk__in=(self.p1.pk, self.p3.pk)).update(state="executing")
        self.p1.refresh_from_db()
        self.p3.refresh_from_db()
        self.tokens: dict[Any, str] = {}
        for actor, user in self.users.items():
            self.tokens[actor] = token_create(user=user, name="matrix")[1]
            user.email = f"{user.username}@example.org"  # scheduled reports go by e-mail
            user.save(update_fields=["email"])
        # A token records its use at most once a minute: mark them used now, so that no call under test writes.
        ApiToken.objects.update(last_used_at=timezone.now())
        self._made: dict[str, Any] = {}

    # --- helpers ------------------------------------------------------------------------------------------

    def once(self, key: str, make: Callable[[], Any]) -> Any:
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def person(self, actor: Any) -> Any:
        return self.users[actor].person

    def project(self, ctx: str) -> Project:
        return {OWN: self.p1, OTHER: self.p3}.get(ctx, self.p1)

    def portfolio(self, ctx: str) -> Any:
        return {OWN: self.dig, OTHER: self.ops}.get(ctx, self.dig)

    def set_state(self, project: Project, state: str) -> Project:
        Project.objects.filter(pk=project.pk).update(state=state)
        project.refresh_from_db()
        return project

    # --- plans ------------------------------------------------------------------------------------------------

    def plan(self, project: Project) -> dict[int, Any]:
        """Design (5 days; on P1 the team member's) then Build (10 days) from Monday 2 November 2026; a baseline."""

        def make() -> dict[int, Any]:
            from pmo.planning import services as planning
            from pmo.planning.models import Task

            member = ((self.person(Role.TEAM_MEMBER), Decimal(1)),) if project == self.p1 else ()
            planning.plan_replace(
                actor=SYSTEM,
                project=project,
                start=_at(dt.date(2026, 11, 2)),
                tasks=[
                    planning.TaskSpec(uid=1, name="Design", duration_minutes=5 * 480, assignments=member),
                    planning.TaskSpec(uid=2, name="Build", duration_minutes=10 * 480, links=((1, "FS", 0, False),)),
                ],
            )
            planning.baseline_capture(actor=SYSTEM, project=project, name="Approved plan")
            return {t.uid: t for t in Task.objects.filter(project=project)}

        return self.once(f"plan-{project.code}", make)

    def everyone_on(self, project: Project) -> Any:
        """A task of `project` this week that every user works on (for their own timesheets)."""

        def make() -> Any:
            from pmo.planning import services as planning

            self.plan(project)
            people = tuple((user.person, Decimal("0.1")) for user in self.users.values())
            return planning.task_create(
                actor=SYSTEM,
                project=project,
                name="Support",
                duration_minutes=20 * 480,
                assignments=people,
                constraint_type="SNET",
                constraint_date=_at(dt.date(2026, 11, 16)),
            )

        return self.once(f"everyone-{project.code}", make)

    # --- proposals, scoring, scenarios --------------------------------------------------------------------

    def proposal(self, requester: Any, portfolio: Any = None, state: str = "draft", complete: bool = False) -> Any:
        from pmo.selection import services as selection
        from pmo.selection.models import Proposal

        portfolio = portfolio or self.dig
        proposal = selection.proposal_create(
            actor=SYSTEM,
            title=f"Chatbot for {requester}",
            problem="Customers wait too long.",
            portfolio=portfolio,
            sponsor=self.person(Role.EXECUTIVE),
            requester=requester,
            earliest_start=dt.date(2027, 1, 1),
            duration_months=6,
        )
        if complete:
            selection.proposal_business_case_update(
                actor=SYSTEM,
                proposal=proposal,
                cash_flows=[selection.CashFlowRow(0, Decimal(100000), Decimal(0), Decimal(150000))],
                demands=[selection.DemandRow("Developer", Decimal(1), 0, 6)],
                contributions=[(self.objective, 4)],
            )
        # A proposal belongs to whoever created it: make it `requester`'s (and put it in `state`).
        Proposal.objects.filter(pk=proposal.pk).update(requester=requester, state=state)
        proposal.refresh_from_db()
        return proposal

    def scoring_model(self, named: bool = False) -> Any:
        def make() -> Any:
            from pmo.selection import scoring

            evaluators = [u for a, u in self.users.items() if a != NOROLE] if named else []
            return scoring.scoring_model_save(
                actor=SYSTEM,
                name="Named" if named else "PMO model",
                criteria=[scoring.CriterionSpec(name="Strategic fit")],
                evaluators=evaluators,
            )

        return self.once(f"scoring-{named}", make)

    def scenario(self, portfolio: Any, done: bool = False) -> Any:
        from pmo.selection import scenarios
        from pmo.selection.models import Scenario

        scenario = scenarios.scenario_save(actor=SYSTEM, name=f"Plan {portfolio.code}", portfolio=portfolio)
        if done:
            Scenario.objects.filter(pk=scenario.pk).update(status=Scenario.Status.DONE, result={"selected": []})
            scenario.refresh_from_db()
        return scenario

    # --- control -------------------------------------------------------------------------------------------

    def timesheet(self, project: Project, submitted: bool = True, who: Any = Role.TEAM_MEMBER) -> Any:
        """`who`'s hours on `project` this week (submitted; `who` costs 50 an hour)."""
        from pmo.control import services as control
        from pmo.control.models import CostRate

        if not CostRate.objects.filter(person=self.person(who)).exists():
            control.cost_rate_set(actor=SYSTEM, person=self.person(who), rate_per_hour=Decimal(50))

        task = self.everyone_on(project)
        member = self.person(who)
        sheet = control.timesheet_save(
            actor=SYSTEM, person=member, week_start=MONDAY, rows=[control.HoursRow(task.pk, MONDAY, Decimal(4))]
        )[0]
        if submitted:
            control.timesheet_submit(actor=SYSTEM, person=member, week_start=MONDAY)
            sheet.refresh_from_db()
        return sheet

    def status_report(self, project: Project) -> Any:
        """The November report of `project`, a draft rated green throughout (ready to submit)."""
        from pmo.changes import services as changes
        from pmo.changes.models import DIMENSIONS

        def make() -> Any:
            report = changes.status_report_create(actor=SYSTEM, project=project, period=dt.date(2026, 11, 1))
            return changes.status_report_update(
                actor=SYSTEM,
                report=report,
                narrative="On track.",
                override_comments={d: "As agreed with the sponsor." for d in DIMENSIONS},
                **{f"{d}_rag": "green" for d in DIMENSIONS},
            )

        return self.once(f"report-{project.code}", make)

    def issue(self, project: Project) -> Any:
        from pmo.changes import services as changes

        return self.once(
            f"issue-{project.code}",
            lambda: changes.issue_create(actor=SYSTEM, project=project, title="Test rig unavailable"),
        )

    def change_request(self, project: Project, assessed: bool = False) -> Any:
        from pmo.changes import services as changes

        change = changes.change_request_create(
            actor=SYSTEM, project=project, title="Add a chat channel", reason="Customers ask for it."
        )
        if assessed:
            change = changes.change_request_assess(
                actor=self.users[Role.PROJECT_MANAGER] if project == self.p1 else self.pm2,
                change=change,
                assessment="Two weeks of work.",
            )
        return change

    def deviation(self, project: Project) -> Any:
        from pmo.changes.models import Deviation

        return Deviation.objects.create(
            project=project,
            metric="spi",
            value=Decimal("0.7"),
            threshold=Decimal("0.8"),
            severity="red",
            raised_at=timezone.now(),
        )

    # --- risks --------------------------------------------------------------------------------------------

    def risk(self, ctx: str) -> Any:
        """A threat of P1 (OWN), of P3 (OTHER) or of program CX (PROGRAM)."""
        from pmo.risks import services as risks

        def make() -> Any:
            where = {"program": self.cx} if ctx == "program" else {"project": self.project(ctx)}
            if "project" in where:
                self.plan(where["project"])
            return risks.risk_create(
                actor=SYSTEM, title="Vendor late", probability=3, impact=3, cost_impact=Decimal(10000), **where
            )

        return self.once(f"risk-{ctx}", make)

    def risk_action(self, ctx: str, owner: Any) -> Any:
        from pmo.risks import services as risks

        return risks.risk_action_create(
            actor=SYSTEM, risk=self.risk(ctx), description="Second supplier", owner=owner, due_date=TODAY
        )

    # --- resources ----------------------------------------------------------------------------------------

    def job_role(self) -> Any:
        from pmo.resources import services as resources

        return self.once(
            "job-role",
            lambda: resources.job_role_create(actor=SYSTEM, name="Developer", standard_hours_per_week=Decimal(40)),
        )

    def skill(self) -> Any:
        from pmo.resources import services as resources

        return self.once("skill", lambda: resources.skill_create(actor=SYSTEM, name="Python", category="Technical"))

    def resource_request(self, project: Project) -> Any:
        from pmo.resources import services as resources

        return resources.resource_request_submit(
            actor=self.users[Role.PROJECT_MANAGER] if project == self.p1 else SYSTEM,
            project=project,
            role=self.job_role(),
            start=dt.date(2027, 1, 4),
            finish=dt.date(2027, 3, 26),
            hours_per_week=Decimal(20),
        )

    # --- documents ------------------------------------------------------------------------------------------

    def document(self, project: Project, state: str = "draft") -> Any:
        """A deliverable of `project` with one version; submitted or approved with the executive as approver."""
        from pmo.documents import services as documents

        doc = documents.document_create(
            actor=SYSTEM,
            project=project,
            title="Test strategy",
            text="# Test strategy\nEverything is tested.",
            approvers=[self.person(Role.EXECUTIVE)],
        )
        if state in ("submitted", "approved"):
            doc = documents.document_submit(actor=SYSTEM, document=doc)
        if state == "approved":
            documents.document_decide(actor=self.users[Role.EXECUTIVE], document=doc, decision="approve")
            doc.refresh_from_db()
        return doc

    def template(self) -> Any:
        from pmo.documents import services as documents

        return self.once(
            "template",
            lambda: documents.template_create(
                actor=SYSTEM, name="Project charter", kind="charter", body="# Charter of {{ project.code }}"
            ),
        )

    # --- governance -------------------------------------------------------------------------------------------

    def methodology(self, publish: bool = True) -> Any:
        from tests.governance.conftest import build_methodology

        name = "Hybrid delivery" if publish else "Hybrid delivery, next"
        return self.once(f"methodology-{publish}", lambda: build_methodology(name=name, publish=publish))

    def on_methodology(self, project: Project) -> Any:
        from pmo.governance import services as governance

        return self.once(
            f"track-{project.code}",
            lambda: governance.project_methodology_set(actor=SYSTEM, project=project, version=self.methodology()),
        )

    def gate_review(self, project: Project) -> Any:
        """The review of the gate ending the project's first phase (opened when it was put on the methodology)."""
        from pmo.governance.models import GateReview

        def make() -> Any:
            self.on_methodology(project)
            return GateReview.objects.get(project=project, state=GateReview.State.OPEN)

        return self.once(f"review-{project.code}", make)

    def reviewer(self, project: Project) -> Any:
        from pmo.governance import services as governance

        return self.once(
            f"reviewer-{project.code}",
            lambda: governance.reviewer_add(
                actor=SYSTEM, review=self.gate_review(project), person=self.person(Role.EXECUTIVE), role="Sponsor"
            ),
        )

    def gate_condition(self, project: Project) -> Any:
        from pmo.governance import services as governance

        def make() -> Any:
            review = self.gate_review(project)
            for answer in review.answers.all():
                governance.criterion_answer(actor=SYSTEM, answer=answer, value="met")
            governance.gate_decide(
                actor=SYSTEM,
                review=review,
                decision="go_conditions",
                comment="Go, with one condition.",
                conditions=[
                    {"text": "Sign the vendor contract", "owner": self.person(Role.TEAM_MEMBER), "due_date": TODAY}
                ],
            )
            return review.conditions.get()

        return self.once(f"condition-{project.code}", make)

    def audit_template(self) -> Any:
        from pmo.governance import services as governance

        return self.once(
            "audit-template",
            lambda: governance.audit_template_create(
                actor=SYSTEM, name="Health check", questions=[{"text": "Is the plan baselined?", "area": "method"}]
            ),
        )

    def audit(self, project: Project) -> Any:
        from pmo.governance import services as governance

        return self.once(
            f"audit-{project.code}",
            lambda: governance.audit_create(
                actor=SYSTEM, project=project, template=self.audit_template(), planned_date=dt.date(2026, 12, 10)
            ),
        )

    def finding(self, project: Project) -> Any:
        from pmo.governance import services as governance

        return self.once(
            f"finding-{project.code}",
            lambda: governance.finding_add(
                actor=SYSTEM,
                audit=self.audit(project),
                title="No baseline",
                owner=self.person(Role.TEAM_MEMBER),
                due_date=dt.date(2026, 12, 31),
            ),
        )

    def corrective_action(self, project: Project) -> Any:
        from pmo.governance import services as governance

        return self.once(
            f"corrective-{project.code}",
            lambda: governance.action_add(
                actor=SYSTEM,
                finding=self.finding(project),
                description="Capture a baseline",
                owner=self.person(Role.TEAM_MEMBER),
                due_date=dt.date(2026, 12, 20),
            ),
        )

    # --- knowledge --------------------------------------------------------------------------------------------

    def lesson(self, ctx: str) -> Any:
        """A lesson of P1 recorded by its manager (OWN) or of P3 recorded by its manager (OTHER)."""
        from pmo.knowledge import services as knowledge

        project = self.project(ctx)
        author = self.users[Role.PROJECT_MANAGER] if ctx == OWN else self.pm2
        return self.once(
            f"lesson-{ctx}",
            lambda: knowledge.lesson_create(
                actor=author, project=project, title="Book the test rig early", what_happened="It was taken."
            ),
        )

    def closure(self, project: Project, complete: bool = False) -> Any:
        from pmo.knowledge import services as knowledge

        self.set_state(project, "closing")
        closure = knowledge.closure_start(actor=SYSTEM, project=project, reason="Delivered.")
        if complete:
            from tests.knowledge.conftest import complete_closure

            closure.delete()
            closure = complete_closure(project)
        return closure

    def improvement(self) -> Any:
        from pmo.knowledge import services as knowledge

        return self.once(
            "improvement",
            lambda: knowledge.improvement_create(
                actor=SYSTEM,
                title="Train project managers in EVM",
                dimension="governance",
                owner=self.person(Role.TEAM_MEMBER),
            ),
        )

    # --- stakeholders --------------------------------------------------------------------------------------

    def where(self, ctx: str) -> dict[str, Any]:
        return {"program": self.cx} if ctx == "program" else {"project": self.project(ctx)}

    def stakeholder(self, ctx: str) -> Any:
        from pmo.stakeholders import services as stakeholders

        return self.once(
            f"stakeholder-{ctx}",
            lambda: stakeholders.stakeholder_create(
                actor=SYSTEM, name="Works council", interest=4, influence=5, **self.where(ctx)
            ),
        )

    def communication(self, ctx: str) -> Any:
        from pmo.stakeholders import services as stakeholders

        return self.once(
            f"communication-{ctx}",
            lambda: stakeholders.communication_item_create(
                actor=SYSTEM,
                what="Monthly update",
                stakeholders=[self.stakeholder(ctx)],
                frequency="monthly",
                sender=self.person(Role.TEAM_MEMBER),
                next_due=dt.date(2026, 12, 15),
                **self.where(ctx),
            ),
        )

    def survey(self, project: Project) -> Any:
        from pmo.stakeholders import services as stakeholders

        return self.once(
            f"survey-{project.code}",
            lambda: stakeholders.survey_create(actor=SYSTEM, project=project, period="2026-11"),
        )

    def benefit(self, project: Project) -> Any:
        from pmo.stakeholders import services as stakeholders

        return self.once(
            f"benefit-{project.code}",
            lambda: stakeholders.benefit_create(
                actor=SYSTEM,
                project=project,
                name="Fewer calls",
                kpi="Calls a month",
                baseline_value=Decimal(1000),
                target_value=Decimal(600),
                target_date=dt.date(2027, 6, 30),
                owner=self.person(Role.TEAM_MEMBER),
            ),
        )

    # --- reporting ------------------------------------------------------------------------------------------

    def report(self) -> Any:
        from pmo.reporting import services as reporting

        return self.once(
            "report",
            lambda: reporting.report_generate(
                actor=self.users[Role.PROJECT_MANAGER], portfolio=self.dig, fmt="csv", today=TODAY
            ),
        )

    def subscription(self) -> Any:
        from pmo.reporting import services as reporting

        return self.once(
            "subscription",
            lambda: reporting.subscription_create(
                actor=self.users[Role.PROJECT_MANAGER], portfolio=self.dig, fmt="csv", today=TODAY
            ),
        )


@pytest.fixture
def world(org: dict[str, Any], roles: dict[Role, Any], client_for: Callable[[Role], Client]) -> World:
    built = World(org, roles, client_for)
    assert set(built.users) == {*ROLES, NOROLE}
    return built
