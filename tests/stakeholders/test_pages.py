"""The pages: overview, registers with the power/interest grid and plan, survey, project benefits, benefits
realisation, and the panel on detail pages."""

import datetime as dt
from decimal import Decimal

from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.portfolio.models import Project
from pmo.stakeholders import services
from pmo.stakeholders.models import BenefitMeasurement, CommunicationItem, Stakeholder, SurveyResponse


def _setup(org):
    s = services.stakeholder_create(
        actor=SYSTEM,
        program=org["program"],
        name="Branch network",
        interest=4,
        influence=4,
        current_engagement="resistant",
        desired_engagement="supportive",
    )
    item = services.communication_item_create(
        actor=SYSTEM,
        program=org["program"],
        what="Steering pack",
        stakeholders=[s],
        frequency="monthly",
        next_due=dt.date(2026, 11, 28),
        sender=org["person"][Role.PORTFOLIO_MANAGER],
    )
    b = services.benefit_create(
        actor=SYSTEM,
        project=org["p1"],
        name="More members",
        kpi="Active members",
        unit="members",
        baseline_value=Decimal(100),
        target_value=Decimal(200),
        target_date=dt.date(2026, 6, 30),
        financial_value=Decimal("1000"),
    )
    services.measurement_record(actor=SYSTEM, benefit=b, measured_on=dt.date(2026, 10, 1), value=Decimal(180))
    return s, item, b


def test_program_register_shows_grid_plan_and_records_sent(org, client_for):
    s, item, _ = _setup(org)
    pf = client_for(Role.PORTFOLIO_MANAGER)
    page = pf.get(f"/programs/{org['program'].pk}/stakeholders/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'href="/stakeholders/{s.pk}/"' in html and "dot dot-gap" in html
    assert "Steering pack" in html and "badge-overdue" in html and "Record sent" in html
    r = pf.post(
        f"/programs/{org['program'].pk}/stakeholders/",
        {"action": "sent", "item": item.pk, "sent_on": "2026-12-01", "note": "Q4 pack"},
    )
    assert r.status_code == 302
    item.refresh_from_db()
    assert item.next_due == dt.date(2026, 12, 28)
    follow = pf.get(f"/programs/{org['program'].pk}/stakeholders/").content.decode()
    assert "Q4 pack" in follow and "recorded as sent" in follow


def test_adding_a_stakeholder_and_an_item_from_the_page(org, client_for):
    pm = client_for(Role.PROJECT_MANAGER)
    url = f"/projects/{org['p1'].pk}/stakeholders/"
    r = pm.post(
        url,
        {
            "action": "stakeholder",
            "s-name": "Users",
            "s-interest": "5",
            "s-influence": "2",
            "s-current_engagement": "neutral",
            "s-desired_engagement": "supportive",
        },
    )
    assert r.status_code == 302
    users = Stakeholder.objects.get(name="Users")
    bad = pm.post(url, {"action": "item", "i-what": "Demo", "i-frequency": "weekly", "i-channel": "meeting"})
    assert bad.status_code == 200 and "This field is required." in bad.content.decode()
    r = pm.post(
        url,
        {
            "action": "item",
            "i-what": "Demo",
            "i-frequency": "weekly",
            "i-channel": "meeting",
            "i-next_due": "2026-12-10",
            "i-stakeholders": [users.pk],
        },
    )
    assert r.status_code == 302 and CommunicationItem.objects.get().what == "Demo"
    assert (
        client_for(Role.TEAM_MEMBER)
        .post(url, {"action": "stakeholder", "s-name": "X", "s-interest": "1", "s-influence": "1"})
        .status_code
        == 403
    )
    assert Stakeholder.objects.count() == 1


def test_overview_lists_my_due_communications(org, client_for):
    _setup(org)
    html = client_for(Role.PORTFOLIO_MANAGER).get("/stakeholders/").content.decode()
    assert "My communications due" in html and "Steering pack" in html and "overdue 28 Nov" in html
    assert client_for(Role.REQUESTER).get("/stakeholders/").status_code == 403


def test_project_benefits_page_chart_and_measurement(org, client_for):
    _, _, b = _setup(org)
    Project.objects.filter(pk=org["p1"].pk).update(state="closed")
    pm = client_for(Role.PROJECT_MANAGER)
    url = f"/projects/{org['p1'].pk}/benefits/"
    html = pm.get(url).content.decode()
    assert "its benefits are still tracked" in html
    assert 'class="sh-kpi-chart"' in html and 'class="measured-dot"' in html and "80%" in html
    r = pm.post(url, {"action": "measure", "m-benefit": b.pk, "m-measured_on": "2026-12-01", "m-value": "190"})
    assert r.status_code == 302
    assert BenefitMeasurement.objects.filter(benefit=b).count() == 2
    denied = client_for(Role.EXECUTIVE).post(
        url, {"action": "measure", "m-benefit": b.pk, "m-measured_on": "2026-12-01", "m-value": "1"}
    )
    assert denied.status_code == 403 and BenefitMeasurement.objects.count() == 2


def test_benefits_realisation_page(org, client_for):
    _setup(org)
    html = client_for(Role.EXECUTIVE).get("/benefits/").content.decode()
    assert "By portfolio" in html and "By strategic objective" in html
    assert "1,000 EUR" in html and "800 EUR" in html and "80%" in html
    empty = client_for(Role.EXECUTIVE).get(f"/benefits/?portfolio={org['other_portfolio'].pk}").content.decode()
    assert "No project has planned benefits yet" in empty


def test_survey_page_answer_and_results(org, client_for):
    survey = services.survey_create(actor=SYSTEM, project=org["p1"], period="2026-11")
    requester = client_for(Role.REQUESTER)
    page = requester.get(f"/surveys/{survey.pk}/")
    assert page.status_code == 200 and "Send my answer" in page.content.decode()
    assert requester.post(f"/surveys/{survey.pk}/", {"score": "4", "comment": "Fine"}).status_code == 302
    assert SurveyResponse.objects.get().score == 4
    results = client_for(Role.PROJECT_MANAGER).get(f"/surveys/{survey.pk}/").content.decode()
    assert "4.00" in results and "Fine" in results
    register = client_for(Role.PROJECT_MANAGER).get(f"/projects/{org['p1'].pk}/stakeholders/").content.decode()
    assert 'class="sh-trend"' in register and "2026-11" in register


def test_panel_on_detail_pages(org, client_for):
    _setup(org)
    pm = client_for(Role.PROJECT_MANAGER)
    project = pm.get(f"/projects/{org['p1'].pk}/").content.decode()
    assert 'id="stakeholders-panel"' in project and "1,000 EUR; 800 EUR realised (80% of planned)" in project
    program = pm.get(f"/programs/{org['program'].pk}/").content.decode()
    assert "1 stakeholder in the register, 1 with an engagement gap" in program
    assert "1 communication overdue" in program
    assert (
        'id="stakeholders-panel"' not in client_for(Role.REQUESTER).get(f"/projects/{org['p1'].pk}/").content.decode()
    )


def test_item_and_benefit_pages_edit_and_remove(org, client_for):
    s, item, b = _setup(org)
    pf = client_for(Role.PORTFOLIO_MANAGER)
    url = f"/communications/{item.pk}/"
    assert "Steering pack" in pf.get(url).content.decode()
    data = {
        "i-what": "Steering pack",
        "i-frequency": "quarterly",
        "i-channel": "report",
        "i-active": "on",
        "i-stakeholders": [s.pk],
        "version": item.version,
    }
    missing = pf.post(url, data)
    assert "Give the date the communication is next due." in missing.content.decode()
    assert pf.post(url, {**data, "i-next_due": "2027-01-15"}).status_code == 302
    item.refresh_from_db()
    assert (item.frequency, item.next_due) == ("quarterly", dt.date(2027, 1, 15))
    assert client_for(Role.TEAM_MEMBER).post(url, {"action": "delete"}).status_code == 403
    assert pf.post(url, {"action": "delete"}).status_code == 302 and CommunicationItem.objects.count() == 0
    pm = client_for(Role.PROJECT_MANAGER)
    burl = f"/benefits/{b.pk}/"
    page = pm.get(burl).content.decode()
    assert "80% of the way" in page and "180" in page
    m = b.measurements.get()
    assert pm.post(burl, {"action": "delete-measurement", "measurement": m.pk}).status_code == 302
    assert BenefitMeasurement.objects.count() == 0
    bad = pm.post(
        burl,
        {
            "b-name": "More members",
            "b-kpi": "Members",
            "b-baseline_value": "5",
            "b-target_value": "5",
            "b-target_date": "2027-01-01",
            "b-financial_value": "10",
        },
    )
    assert "The target must differ from the baseline." in bad.content.decode()
    assert pm.post(burl, {"action": "delete"}).status_code == 302
    assert not type(b).objects.exists()


def test_portfolio_register_and_stakeholder_page(org, client_for):
    s = services.stakeholder_create(actor=SYSTEM, portfolio=org["portfolio"], name="CFO", interest=2, influence=5)
    pf = client_for(Role.PORTFOLIO_MANAGER)
    page = pf.get(f"/portfolios/{org['portfolio'].pk}/stakeholders/").content.decode()
    assert "CFO" in page and "Keep satisfied" in page and "No communications planned." in page
    url = f"/stakeholders/{s.pk}/"
    assert "Keep satisfied" in pf.get(url).content.decode()
    data = {
        "s-name": "CFO",
        "s-interest": "4",
        "s-influence": "5",
        "s-current_engagement": "neutral",
        "s-desired_engagement": "supportive",
        "version": s.version,
    }
    assert client_for(Role.EXECUTIVE).post(url, data).status_code == 403
    s.refresh_from_db()
    assert s.interest == 2
    assert pf.post(url, data).status_code == 302
    s.refresh_from_db()
    assert (s.interest, s.quadrant) == (4, "manage closely")
    assert pf.post(url, {"action": "delete"}).status_code == 302 and not Stakeholder.objects.exists()
