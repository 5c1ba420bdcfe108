"""The pages: each renders for the roles that see it, refuses requesters, and its forms call the services
(field errors on the form, nothing written)."""

import datetime as dt
import re

import pytest

from pmo.changes.models import Issue
from pmo.core.roles import Role
from pmo.risks import services
from pmo.risks.models import Risk, RiskAction, RiskScale
from tests.risks.conftest import add_risk


def test_project_tab_link_and_empty_register(team, client_for):
    p1 = team["p1"]
    pm = client_for(Role.PROJECT_MANAGER)
    detail = pm.get(f"/projects/{p1.pk}/").content.decode()
    assert f'href="/projects/{p1.pk}/risks/"' in detail
    page = pm.get(f"/projects/{p1.pk}/risks/").content.decode()
    assert 'class="empty"' in page and "Add a risk or opportunity" in page
    issues = pm.get(f"/projects/{p1.pk}/issues/").content.decode()
    assert f'<a href="/projects/{p1.pk}/risks/" class="">Risks</a>' in issues  # the tab beside Issues
    assert client_for(Role.EXECUTIVE).get(f"/projects/{p1.pk}/risks/").status_code == 200
    assert client_for(Role.REQUESTER).get(f"/projects/{p1.pk}/risks/").status_code == 403
    assert f"/projects/{p1.pk}/risks/" not in client_for(Role.REQUESTER).get(f"/projects/{p1.pk}/").content.decode()
    assert "Add a risk" not in client_for(Role.EXECUTIVE).get(f"/projects/{p1.pk}/risks/").content.decode()


def test_add_a_risk_from_the_project_page(team, client_for):
    p1 = team["p1"]
    pm = client_for(Role.PROJECT_MANAGER)
    form = {
        "new-title": "Card readers late",
        "new-kind": "threat",
        "new-category": "supplier",
        "new-probability": "3",
        "new-impact": "4",
        "new-strategy": "exploit",
        "new-proximity": "near",
    }
    page = pm.post(f"/projects/{p1.pk}/risks/", form).content.decode()
    assert re.search(r'has-error">\s*<label for="id_new-strategy">', page)
    assert "For a threat: avoid, mitigate, transfer, accept." in page
    assert not Risk.objects.exists()
    page = pm.post(f"/projects/{p1.pk}/risks/", {**form, "new-probability": ""}).content.decode()
    assert "This field is required." in page and not Risk.objects.exists()
    response = pm.post(f"/projects/{p1.pk}/risks/", {**form, "new-strategy": "mitigate"})
    risk = Risk.objects.get()
    assert response.url == f"/risks/{risk.pk}/"
    assert (risk.code, risk.score, risk.strategy, risk.proximity) == ("RSK-0001", 12, "mitigate", "near")
    page = pm.get(f"/projects/{p1.pk}/risks/").content.decode()
    assert "Card readers late" in page and 'class="score score-high"' in page
    assert 'data-cell="3-4"' in page  # its heat-map cell links to the drill-down
    page = pm.get(f"/projects/{p1.pk}/risks/?p=3&i=4").content.decode()
    assert 'id="drill"' in page and "1 risk" in page
    assert client_for(Role.EXECUTIVE).post(f"/projects/{p1.pk}/risks/", form).status_code == 403
    assert Risk.objects.count() == 1


def test_risk_page_rate_act_and_occur(team, roles, client_for):
    pm_user = roles[Role.PROJECT_MANAGER]
    risk = add_risk(pm_user, team["p1"], "Card readers late", p=3, i=3, cause="One supplier", effect="delay the pilot")
    pm = client_for(Role.PROJECT_MANAGER)
    url = f"/risks/{risk.pk}/"
    page = pm.get(url).content.decode()
    assert "Because of <em>One supplier</em>" in page and "Re-rate" in page and "Mark as occurred" in page
    page = pm.post(url, {"action": "rate", "rate-probability": "9", "rate-impact": "4"}).content.decode()
    assert "Select a valid choice. 9 is not one of the available choices." in page
    response = pm.post(url, {"action": "rate", "rate-probability": "4", "rate-impact": "4", "rate-note": "Slipped"})
    assert response.status_code == 302
    risk.refresh_from_db()
    assert risk.score == 16
    page = pm.get(url).content.decode()
    assert "Escalated to the program and portfolio" in page and 'aria-label="Score history: 9, 16"' in page
    pm.post(
        url,
        {
            "action": "add-action",
            "action-description": "Qualify a second supplier",
            "action-owner": team["person"][Role.TEAM_MEMBER].pk,
            "action-due_date": "2026-11-30",
            "action-status": "planned",
        },
    )
    action = RiskAction.objects.get()
    assert action.description == "Qualify a second supplier"
    assert "Overdue" in pm.get(url).content.decode()
    # The owner moves it along from the same page; an executive cannot.
    member = client_for(Role.TEAM_MEMBER)
    assert member.post(url, {"action": "action-status", "action_id": action.pk, "status": "done"}).status_code == 302
    assert RiskAction.objects.get().status == "done"
    assert client_for(Role.EXECUTIVE).post(url, {"action": "rate", "rate-probability": "1"}).status_code == 403
    response = pm.post(url, {"action": "occur", "occur-note": "Supplier confirmed the slip"})
    issue = Issue.objects.get()
    assert response.status_code == 302 and Risk.objects.get().issue == issue
    page = pm.get(url).content.decode()
    assert f'href="/issues/{issue.pk}/"' in page and "Mark as occurred" not in page
    assert f'href="/risks/{risk.pk}/"' in pm.get(f"/issues/{issue.pk}/").content.decode()


def test_portfolio_page_heat_map_drill_down_and_escalations(team, roles, client_for):
    director = roles[Role.PMO_DIRECTOR]
    add_risk(director, team["p1"], "Core banking freeze", p=5, i=4)
    add_risk(director, team["p2"], "Licence audit", p=2, i=2)
    services.risk_create(actor=director, portfolio=team["portfolio"], title="Budget cut", probability=3, impact=5)
    client = client_for(Role.PORTFOLIO_MANAGER)
    page = client.get(f"/risks/?portfolio={team['portfolio'].pk}").content.decode()
    assert 'href="/risks/"' in page  # the sidebar entry
    assert re.search(r'data-cell="5-4">1</a>', page) and re.search(r'data-cell="2-2">1</a>', page)
    assert "Top 3 threats" in page and "Escalated and shared risks" in page
    page = client.get(f"/risks/?portfolio={team['portfolio'].pk}&scope=escalated&p=5&i=4").content.decode()
    drill = page.split('id="drill"')[1].split("</div>")[0]
    assert "Core banking freeze" in drill and "Licence audit" not in drill
    assert 'data-cell="2-2"' not in page  # not escalated: not on the escalated map
    portfolio_page = client.get(f"/portfolios/{team['portfolio'].pk}/").content.decode()
    assert "Escalated risks" in portfolio_page and "Core banking freeze" in portfolio_page
    assert "Licence audit" not in portfolio_page
    program_page = client.get(f"/programs/{team['program'].pk}/").content.decode()
    assert "Core banking freeze" in program_page and "Budget cut" not in program_page
    assert client_for(Role.REQUESTER).get("/risks/").status_code == 403
    assert 'href="/risks/"' not in client_for(Role.REQUESTER).get("/").content.decode()


def test_portfolio_page_adds_program_and_portfolio_risks(team, client_for):
    client = client_for(Role.PORTFOLIO_MANAGER)
    url = f"/risks/?portfolio={team['portfolio'].pk}"
    form = {"register": f"program-{team['program'].pk}", "new-title": "Architects leave", "new-kind": "threat"}
    form.update({"new-category": "resources", "new-probability": "2", "new-impact": "3"})
    response = client.post(url, form)
    risk = Risk.objects.get()
    assert response.url == f"/risks/{risk.pk}/" and risk.program == team["program"] and risk.level == "program"
    assert client_for(Role.PROJECT_MANAGER).post(url, {**form, "register": "portfolio"}).status_code == 403
    assert Risk.objects.count() == 1


def test_overdue_check_button(team, roles, client_for):
    risk = add_risk(roles[Role.PROJECT_MANAGER], team["p1"])
    services.risk_action_create(
        actor=roles[Role.PROJECT_MANAGER], risk=risk, description="Late", due_date=dt.date(2026, 1, 1)
    )
    page = client_for(Role.PMO_ANALYST).post("/risks/", {"action": "check"}, follow=True).content.decode()
    assert "Overdue check done: 1 overdue actions, 1 owners told." in page
    page = client_for(Role.PROJECT_MANAGER).get("/risks/").content.decode()
    assert "Run the overdue check" not in page
    refused = client_for(Role.PROJECT_MANAGER).post("/risks/", {"action": "check"})
    assert refused.status_code == 403 and "Only the PMO runs the overdue check" in refused.content.decode()


def test_scales_page(team, client_for):
    url = f"/portfolios/{team['portfolio'].pk}/risk-scales/"
    assert client_for(Role.EXECUTIVE).get(url).status_code == 200
    assert client_for(Role.PROJECT_MANAGER).post(url, {"escalation_score": "12"}).status_code == 403
    client = client_for(Role.PORTFOLIO_MANAGER)
    page = client.get(url).content.decode()
    assert (
        'value="Very high (over 70 %)"' in page
        and 'name="escalation_score" id="id_escalation_score" value="15"' in page
    )
    form = {"probability_count": "5", "impact_count": "5", "escalation_score": "12", "action": "save"}
    for n, (label, percent) in enumerate(
        [("Rare", "5"), ("Unlikely", "20"), ("Possible", "40"), ("Likely", "60"), ("Almost certain", "85")], 1
    ):
        form[f"probability-{n}-label"], form[f"probability-{n}-percent"] = label, percent
    for n, (label, money, days) in enumerate(
        [("Minor", "10000", "5"), ("Moderate", "50000", "10"), ("Major", "150000", "20"), ("Severe", "500000", "40")],
        1,
    ):
        form[f"impact-{n}-label"], form[f"impact-{n}-money"], form[f"impact-{n}-days"] = label, money, days
    form.update({"impact-5-label": "Extreme", "impact-5-money": "100", "impact-5-days": "60"})
    page = client.post(url, form).content.decode()
    assert "Impact: Each level&#x27;s cost and days are at least those of the level before it." in page
    assert not RiskScale.objects.exists()
    response = client.post(url, {**form, "impact-5-money": "2000000"})
    assert response.status_code == 302
    scale = RiskScale.objects.get()
    assert (scale.escalation_score, scale.probability_levels[4]["label"], scale.impact_levels[4]["money"]) == (
        12,
        "Almost certain",
        "2000000",
    )
    page = client.post(url, {**form, "action": "resize", "new_impact_count": "4"}).content.decode()
    assert 'name="impact-4-label"' in page and 'name="impact-5-label"' not in page


@pytest.mark.parametrize("url", ["/risks/", "/projects/{p1}/risks/"])
def test_empty_states(team, client_for, url):
    page = client_for(Role.PMO_DIRECTOR).get(url.format(p1=team["p1"].pk)).content.decode()
    assert 'class="empty"' in page


def test_task_impacts_on_the_risk_page(team, roles, client_for):
    risk = add_risk(roles[Role.PROJECT_MANAGER], team["p1"], "Card readers late")
    pm = client_for(Role.PROJECT_MANAGER)
    url = f"/risks/{risk.pk}/"
    form = {"action": "add-impact", "impact-task": team["build"].pk, "impact-min_days": "2"}
    form.update({"impact-likely_days": "1", "impact-max_days": "9"})
    form.update({"impact-min_cost": "0", "impact-likely_cost": "5000", "impact-max_cost": "12000"})
    page = pm.post(url, form).content.decode()
    assert "Minimum ≤ most likely ≤ maximum." in page and not risk.task_impacts.exists()
    assert pm.post(url, {**form, "impact-likely_days": "4"}).status_code == 302
    page = pm.get(url).content.decode()
    assert "P1 · Build" in page and "2.0 / 4.0 / 9.0" in page and "5,000 / 12,000" in page
    impact = risk.task_impacts.get()
    pm.post(url, {"action": "delete-impact", "impact_id": impact.pk})
    assert not risk.task_impacts.exists()
