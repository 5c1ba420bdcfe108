"""The knowledge pages: the lessons register, a lesson, search, closures, a project's closure page (through to
closing), maturity; the panels on the project and proposal pages; refused posts that change nothing."""

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.knowledge import services
from pmo.knowledge.models import Closure, ImprovementAction, Lesson, MaturityAssessment
from pmo.portfolio.models import Project
from tests.knowledge.conftest import complete_closure

LEVELS = {"governance": 2, "method": 3, "resources": 1, "benefits": 2, "risk": 3, "reporting": 4}


def text(response):
    return response.content.decode()


def test_empty_states(client_for, org):
    c = client_for(Role.PMO_ANALYST)
    assert "No lesson recorded yet." in text(c.get("/knowledge/"))
    assert "No closure in progress." in text(c.get("/knowledge/closures/"))
    assert "No maturity assessment yet." in text(c.get("/knowledge/maturity/"))
    assert "Type what you are looking for" in text(c.get("/knowledge/search/"))
    page = text(c.get(f"/projects/{org['p1'].pk}/closure/"))
    assert "P1 is proposed: a closure starts when the project reaches “closing”" in page


def test_lessons_register_records_and_filters(client_for, org):
    c = client_for(Role.PROJECT_MANAGER)
    response = c.post(
        "/knowledge/",
        {"title": "Late vendor", "kind": "lesson", "what_happened": "Eight weeks.", "project": org["p1"].pk},
    )
    lesson = Lesson.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/knowledge/lessons/{lesson.pk}/"
    response = c.post("/knowledge/", {"title": "", "kind": "lesson", "what_happened": ""})
    assert response.status_code == 200 and "Please correct the fields marked below." in text(response)
    assert Lesson.objects.count() == 1
    page = text(c.get("/knowledge/?kind=best_practice"))
    assert "No lesson matches these filters." in page
    page = text(c.get("/knowledge/"))
    assert "LL-0001" in page and "Late vendor" in page and "Mark relevant" not in page
    page = text(client_for(Role.PMO_ANALYST).get(f"/knowledge/lessons/{lesson.pk}/"))
    assert "Mark relevant" in page


def test_requester_cannot_post_a_lesson(client_for, org):
    response = client_for(Role.REQUESTER).post("/knowledge/", {"title": "X", "kind": "lesson", "what_happened": "x"})
    assert response.status_code == 403
    assert Lesson.objects.count() == 0


def test_mark_relevant_on_the_lesson_page(client_for, org):
    lesson = services.lesson_create(actor=SYSTEM, title="T", what_happened="x")
    c = client_for(Role.PMO_ANALYST)
    response = c.post(f"/knowledge/lessons/{lesson.pk}/", {"action": "relevant", "relevant": "1"}, follow=True)
    assert "LL-0001 marked relevant." in text(response)
    assert Lesson.objects.get().relevant is True
    response = client_for(Role.TEAM_MEMBER).post(f"/knowledge/lessons/{lesson.pk}/", {"action": "relevant"})
    assert Lesson.objects.get().relevant is True and response.status_code in (200, 403)


def test_search_page_groups_and_highlights(client_for, org):
    services.lesson_create(actor=SYSTEM, title="Vendor late", what_happened="The vendor missed the date.")
    services.lesson_create(actor=SYSTEM, kind="best_practice", title="Scorecards", what_happened="Vendor reviews.")
    page = text(client_for(Role.EXECUTIVE).get("/knowledge/search/?q=vendor"))
    assert "2 results for “vendor”" in page
    assert page.index('id="results-lesson"') < page.index('id="results-best_practice"')
    assert "The <mark>vendor</mark> missed the date." in page
    page = text(client_for(Role.EXECUTIVE).get("/knowledge/search/?q=vendor&kind=template"))
    assert "Nothing matches “vendor” with these filters." in page


def test_closure_page_journey(client_for, org):
    Project.objects.filter(pk=org["p1"].pk).update(state="closing")
    c = client_for(Role.PROJECT_MANAGER)
    url = f"/projects/{org['p1'].pk}/closure/"
    assert "Start the closure" in text(c.get(url))
    c.post(url, {"action": "start", "reason": "Delivered"})
    page = text(c.get(url))
    assert "Still to do: say whether the objectives were met" in page
    assert "1,250,000.00" in page  # the budget, against the actual cost
    response = c.post(url, {"action": "close"}, follow=True)
    assert "P1 Mobile app cannot be closed yet" in text(response)
    c.post(
        url,
        {
            "action": "report",
            "objective": ["SO1 Grow revenue"],
            "objective_met": ["yes"],
            "objective_comment": ["+12 %"],
            "benefits_handed_over": "To Sales Ops",
            "recommendations": "Test with stores",
            "version": 1,
        },
    )
    response = c.post(url, {"action": "session", "session_date": "2026-12-04", "participants": "Pat", "version": 2})
    assert "The session cannot be in the future" in text(response)
    c.post(url, {"action": "session", "session_date": "2026-12-02", "participants": "Pat\nSam", "version": 2})
    c.post(url, {"action": "lesson", "title": "Store demos", "kind": "lesson", "what_happened": "They helped."})
    page = text(c.get(url))
    assert "Ready to close" not in page and "The report and the lessons-learned session are complete." in page
    response = c.post(url, {"action": "close", "comment": "Done"}, follow=True)
    assert "P1 Mobile app is closed and archived." in text(response)
    closure = Closure.objects.get()
    assert (closure.status, closure.project.state, closure.objectives.get().met) == ("closed", "closed", "yes")
    assert "Archived: the project, its plan and this closure are read-only" in text(c.get(url))


def test_closure_page_refuses_other_managers(client_for, org):
    Project.objects.filter(pk=org["p2"].pk).update(state="closing")
    response = client_for(Role.PROJECT_MANAGER).post(f"/projects/{org['p2'].pk}/closure/", {"action": "start"})
    assert response.status_code == 403
    assert Closure.objects.count() == 0


def test_project_panel_and_closures_list(client_for, org):
    closing = Project.objects.get(pk=org["p1"].pk)
    Project.objects.filter(pk=closing.pk).update(state="closing")
    closing.refresh_from_db()
    c = client_for(Role.PORTFOLIO_MANAGER)
    page = text(c.get(f"/projects/{closing.pk}/"))
    assert 'id="closure-panel"' in page and "The closure has not been started" in page
    assert "P1 Mobile app" in text(c.get("/knowledge/closures/"))
    complete_closure(closing)
    page = text(c.get(f"/projects/{closing.pk}/"))
    assert "Report and lessons-learned session complete: ready to close." in page
    assert "Ready to close" in text(c.get("/knowledge/closures/"))
    # a running project shows no closure, only relevant lessons of similar projects
    services.lesson_create(actor=SYSTEM, project=closing, title="Relevant one", what_happened="x", relevant=True)
    page = text(c.get(f"/projects/{org['p2'].pk}/"))
    assert 'id="closure-panel"' not in page
    assert "Lessons from similar projects" in page and "Relevant one" in page


def test_proposal_panel_shows_relevant_lessons(client_for, org, roles):
    from pmo.selection import services as selection

    services.lesson_create(actor=SYSTEM, project=org["p2"], title="Digital lesson", what_happened="x", relevant=True)
    proposal = selection.proposal_create(actor=roles[Role.REQUESTER], title="New app", portfolio=org["portfolio"])
    page = text(client_for(Role.REQUESTER).get(f"/proposals/{proposal.pk}/"))
    assert "Lessons from similar projects" in page and "Digital lesson" in page


def test_maturity_page(client_for, org, roles):
    c = client_for(Role.PMO_ANALYST)
    data = {"action": "assess", "assess-title": "Review 2026", "assess-assessed_on": "2026-11-01"}
    data.update({f"assess-level_{k}": v for k, v in LEVELS.items()})
    response = c.post("/knowledge/maturity/", {**data, "assess-level_risk": ""})
    assert "Rate risk from 1 to 5." in text(response)
    assert MaturityAssessment.objects.count() == 0
    c.post("/knowledge/maturity/", data)
    page = text(c.get("/knowledge/maturity/"))
    assert '<svg class="maturity-chart"' in page and "average level 2.5" in page
    c.post(
        "/knowledge/maturity/",
        {
            "action": "plan",
            "plan-title": "Benefit owners",
            "plan-dimension": "benefits",
            "plan-due": "2026-11-30",
        },
    )
    action = ImprovementAction.objects.get()
    assert action.assessment == MaturityAssessment.objects.get()
    assert "1 overdue" in text(c.get("/knowledge/maturity/"))
    c.post("/knowledge/maturity/", {"action": "progress", "item": action.pk, "status": "done"})
    assert ImprovementAction.objects.get().status == "done"
    assert client_for(Role.EXECUTIVE).post("/knowledge/maturity/", data).status_code == 403
    assert MaturityAssessment.objects.count() == 1
    assert client_for(Role.REQUESTER).get("/knowledge/maturity/").status_code == 403
    svg = client_for(Role.EXECUTIVE).get("/knowledge/maturity/trend.svg")
    assert svg["Content-Type"] == "image/svg+xml" and text(svg).startswith("<svg")
