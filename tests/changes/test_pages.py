"""The pages: each renders for the roles that see it, refuses requesters, and its forms call the services."""

import re

import pytest

from pmo.changes import services
from pmo.changes.models import ChangeRequest, Issue, StatusReport
from pmo.core.access import SYSTEM
from pmo.core.roles import Role
from pmo.portfolio.models import Project


def test_project_pages_and_links(planned, roles, client_for):
    p1 = planned["p1"]
    pm = client_for(Role.PROJECT_MANAGER)
    detail = pm.get(f"/projects/{p1.pk}/").content.decode()
    assert f'href="/projects/{p1.pk}/status/"' in detail and f'href="/projects/{p1.pk}/changes/"' in detail
    for url in (f"/projects/{p1.pk}/status/", f"/projects/{p1.pk}/issues/", f"/projects/{p1.pk}/changes/"):
        assert pm.get(url).status_code == 200
        assert client_for(Role.EXECUTIVE).get(url).status_code == 200
        assert client_for(Role.REQUESTER).get(url).status_code == 403
    requester_detail = client_for(Role.REQUESTER).get(f"/projects/{p1.pk}/").content.decode()
    assert "/status/" not in requester_detail


def test_report_form_override_and_submit(planned, roles, client_for):
    planned["evm"].update(cpi=0.88)
    p1 = planned["p1"]
    pm = client_for(Role.PROJECT_MANAGER)
    response = pm.post(f"/projects/{p1.pk}/status/")
    report = StatusReport.objects.get()
    assert response.url == f"/status-reports/{report.pk}/"
    page = pm.get(response.url).content.decode()
    assert "CPI 0.88 &lt; 0.9 (red)" in page
    form = {
        "version": report.version,
        "schedule_rag": "green",
        "cost_rag": "amber",
        "scope_rag": "green",
        "risk_rag": "green",
        "overall_rag": "red",
        "narrative": "Design done.",
        "action": "submit",
    }
    page = pm.post(f"/status-reports/{report.pk}/", form, follow=True).content.decode()
    assert "Cost comment: pmo suggests red for cost from the metrics; say why you report amber." in page
    report.refresh_from_db()
    assert report.state == "draft" and report.cost_rag == "red"
    page = pm.post(
        f"/status-reports/{report.pk}/", {**form, "cost_comment": "Credit note"}, follow=True
    ).content.decode()
    assert "Report for November 2026 submitted." in page or "submitted." in page
    report.refresh_from_db()
    assert (report.state, report.cost_rag, report.override_comments) == ("submitted", "amber", {"cost": "Credit note"})
    assert client_for(Role.EXECUTIVE).post(f"/status-reports/{report.pk}/", form).status_code == 403


def test_pmo_pages(planned, roles, client_for):
    planned["evm"].update(cpi=0.5)
    Project.objects.filter(pk=planned["p2"].pk).update(state="executing")
    director = client_for(Role.PMO_DIRECTOR)
    page = director.post("/deviations/", follow=True).content.decode()
    assert "Threshold check done: 2 raised, 0 updated, 0 closed." in page
    assert re.search(r"Cost performance index \(CPI\)</td><td class=\"kind-number\">0.5</td>", page)
    page = director.get("/status-reports/missing/").content.decode()
    assert "P1 Mobile app" in page and "P2 Data lake" in page
    assert "have submitted their report" in page
    assert director.get(f"/portfolios/{planned['portfolio'].pk}/thresholds/").status_code == 200
    response = director.post(
        f"/portfolios/{planned['portfolio'].pk}/thresholds/",
        {
            "cpi-amber": "0.97",
            "cpi-red": "0.93",
            **{
                f"{m}-{k}": v
                for m, k, v in (
                    ("spi", "amber", "0.95"),
                    ("spi", "red", "0.9"),
                    ("spi_t", "amber", "0.95"),
                    ("spi_t", "red", "0.9"),
                    ("milestone_slip_days", "amber", "5"),
                    ("milestone_slip_days", "red", "10"),
                    ("open_high_issues", "amber", "0"),
                    ("open_high_issues", "red", "2"),
                    ("pending_changes", "amber", "1"),
                    ("pending_changes", "red", "3"),
                    ("dependency_slip_days", "amber", "0"),
                    ("dependency_slip_days", "red", "10"),
                )
            },
        },
    )
    assert response.status_code == 302
    assert (
        client_for(Role.PROJECT_MANAGER).post(f"/portfolios/{planned['portfolio'].pk}/thresholds/", {}).status_code
        == 403
    )
    assert director.get("/change-board/").status_code == 200
    nav = director.get("/").content.decode()
    assert 'href="/deviations/"' in nav and 'href="/change-board/"' in nav and 'href="/status-reports/missing/"' in nav
    for url in ("/deviations/", "/change-board/", "/status-reports/missing/"):
        assert client_for(Role.REQUESTER).get(url).status_code == 403


def test_bell_counts_unread(planned, roles, client_for):
    services.notify(users=[roles[Role.PROJECT_MANAGER]], message="Hello", url="/deviations/")
    pm = client_for(Role.PROJECT_MANAGER)
    assert 'class="bell-count">1<' in pm.get("/").content.decode()
    note = roles[Role.PROJECT_MANAGER].notifications.get()
    assert pm.get(f"/notifications/{note.pk}/").url == "/deviations/"
    assert "bell-count" not in pm.get("/").content.decode()
    assert client_for(Role.EXECUTIVE).get(f"/notifications/{note.pk}/").status_code == 404


def test_issue_and_change_pages(planned, roles, client_for):
    p1 = planned["p1"]
    pm = client_for(Role.PROJECT_MANAGER)
    response = pm.post(
        f"/projects/{p1.pk}/issues/", {"new-title": "Server down", "new-priority": "1", "new-due_date": "2020-02-01"}
    )
    assert response.status_code == 302
    issue = Issue.objects.get()
    page = pm.get(f"/projects/{p1.pk}/issues/").content.decode()
    assert "Server down" in page and "Overdue" in page
    pm.post(f"/issues/{issue.pk}/", {"action": "escalate", "escalation": "portfolio", "escalation_reason": "Help"})
    issue.refresh_from_db()
    assert issue.escalation == "portfolio"
    page = client_for(Role.PORTFOLIO_MANAGER).get(f"/portfolios/{planned['portfolio'].pk}/").content.decode()
    assert "Escalated issues" in page and "Server down" in page
    response = pm.post(
        f"/projects/{p1.pk}/changes/",
        {"new-title": "Extra", "new-cost_impact": "1000", "new-schedule_impact_days": "3"},
    )
    change = ChangeRequest.objects.get()
    assert response.url == f"/change-requests/{change.pk}/"
    pm.post(response.url, {"action": "assess", "assessment": "Small"})
    pm.post(response.url, {"action": "decide", "decision": "approved", "comment": "Me"})
    change.refresh_from_db()
    assert change.state == "assessed"
    client_for(Role.PMO_DIRECTOR).post(response.url, {"action": "decide", "decision": "approved", "comment": "Yes"})
    change.refresh_from_db()
    assert change.state == "approved" and change.baseline is not None
    page = pm.get(f"/projects/{p1.pk}/changes/").content.decode()
    assert "CR-0001 Extra" in page and "1,251,000" in page


@pytest.mark.parametrize("url", ["/deviations/", "/change-board/", "/notifications/"])
def test_empty_states(roles, client_for, url):
    page = client_for(Role.PMO_DIRECTOR).get(url).content.decode()
    assert 'class="empty"' in page
    assert SYSTEM  # the system actor exists for loaders


def test_change_page_after_the_assessor_and_decider_left(planned, roles, client_for):
    """Their user records are gone (the change keeps no link to them): the page still shows the change."""
    from django.contrib.auth.models import User

    assessor = User.objects.create_user("gone", password="pw")
    change = services.change_request_create(actor=SYSTEM, project=planned["p1"], title="Add a chat channel")
    services.change_request_assess(actor=SYSTEM, change=change, assessment="Two weeks.")
    ChangeRequest.objects.filter(pk=change.pk).update(assessed_by=assessor, decided_by=assessor)
    services.change_request_decide(
        actor=roles[Role.PMO_DIRECTOR],
        change=ChangeRequest.objects.get(pk=change.pk),
        decision="approved",
        comment="Go",
    )
    ChangeRequest.objects.filter(pk=change.pk).update(decided_by=assessor)
    assessor.delete()
    page = client_for(Role.PROJECT_MANAGER).get(f"/change-requests/{change.pk}/")
    assert page.status_code == 200 and "Two weeks." in page.content.decode()
