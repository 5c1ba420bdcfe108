"""The pages: lists with filter, sort, search and pagination, forms that name the bad field, history,
and controls shown only to those allowed to use them."""

import re

import pytest
from django.test import Client

from pmo.core.access import SYSTEM
from pmo.core.models import AuditEvent
from pmo.core.roles import Role
from pmo.portfolio import services
from pmo.portfolio.models import Project


def codes_in(html: str) -> list[str]:
    return re.findall(r'<td class="kind-text"><a href="/projects/\d+/">([A-Z0-9-]+)</a>', html)


def test_sign_in_page_and_redirect(db):
    response = Client().get("/projects/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/projects/")
    assert "Sign in" in Client().get("/login/").content.decode()


def test_navigation_shows_only_permitted_areas(client_for, org):
    html = client_for(Role.REQUESTER).get("/").content.decode()
    nav = html.split('<nav class="sidebar"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'<span class="icon">.</span>([^<]+)</a>', nav) == [
        "Overview",
        "Portfolios",
        "Programs",
        "Projects",
        "Strategy",
        "Proposals",
        "Templates",  # the PMO's policies and templates are for everyone to read
    ]
    html = client_for(Role.PMO_ANALYST).get("/").content.decode()
    assert ">People</a>" in html and ">Organisation</a>" in html


def test_project_list_search_filter_sort_and_paginate(client_for, org):
    for i in range(30):
        services.project_create(actor=SYSTEM, code=f"X{i:02d}", name=f"Extra {i}", portfolio=org["other_portfolio"])
    client = client_for(Role.PMO_ANALYST)
    first = client.get("/projects/").content.decode()
    assert codes_in(first)[:3] == ["P1", "P2", "X00"]
    assert "1–25 of 32" in first
    second = client.get("/projects/?page=2").content.decode()
    assert codes_in(second) == [f"X{i:02d}" for i in range(23, 30)]
    assert codes_in(client.get("/projects/?q=mobile").content.decode()) == ["P1"]
    assert codes_in(client.get(f"/projects/?portfolio={org['portfolio'].pk}&sort=-code").content.decode()) == [
        "P2",
        "P1",
    ]
    empty = client.get("/projects/?q=nothing-like-this").content.decode()
    assert "Nothing matches these filters." in empty


def test_create_form_names_bad_fields_and_writes_nothing(client_for, org):
    client = client_for(Role.PROJECT_MANAGER)
    before = (Project.objects.count(), AuditEvent.objects.count())
    response = client.post(
        "/projects/new/",
        {
            "code": "bad code",
            "name": "",
            "portfolio": org["portfolio"].pk,
            "methodology": "waterfall",
            "budget": "10",
            "currency": "EUR",
            "priority": 3,
            "health": "unknown",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-name">This field is required.' in html
    assert 'id="error-code">Use capital letters, digits' in html
    assert (Project.objects.count(), AuditEvent.objects.count()) == before


def test_create_and_edit_through_the_pages(client_for, roles, org):
    client = client_for(Role.PROJECT_MANAGER)
    response = client.post(
        "/projects/new/",
        {
            "code": "P7",
            "name": "Portal",
            "portfolio": org["portfolio"].pk,
            "manager": roles[Role.PROJECT_MANAGER].person.pk,
            "methodology": "agile",
            "budget": "1000",
            "currency": "EUR",
            "priority": 2,
            "health": "green",
        },
    )
    project = Project.objects.get(code="P7")
    assert (response.status_code, response["Location"]) == (302, f"/projects/{project.pk}/")
    response = client.post(
        f"/projects/{project.pk}/edit/",
        {
            "code": "P7",
            "name": "Customer portal",
            "portfolio": org["portfolio"].pk,
            "manager": roles[Role.PROJECT_MANAGER].person.pk,
            "methodology": "agile",
            "budget": "1000",
            "currency": "EUR",
            "priority": 2,
            "health": "amber",
            "version": 1,
        },
    )
    assert response.status_code == 302
    history = client.get(f"/projects/{project.pk}/history/").content.decode()
    assert "Created</strong> by pm" in history and "Updated</strong> by pm" in history
    assert '<td class="old">Portal</td><td class="new">Customer portal</td>' in history
    assert '<td>Health</td><td class="old">Green</td><td class="new">Amber</td>' in history
    assert '<td>Budget</td><td class="old">—</td><td class="new">1,000</td>' in history


def test_edit_with_a_stale_version_shows_a_conflict(client_for, roles, org):
    client = client_for(Role.PROJECT_MANAGER)
    services.project_update(actor=roles[Role.PMO_DIRECTOR], project=org["p1"], name="Changed meanwhile")
    response = client.post(
        f"/projects/{org['p1'].pk}/edit/",
        {
            "code": "P1",
            "name": "My edit",
            "portfolio": org["portfolio"].pk,
            "program": org["program"].pk,
            "manager": roles[Role.PROJECT_MANAGER].person.pk,
            "methodology": "waterfall",
            "budget": "1",
            "currency": "EUR",
            "priority": 3,
            "health": "unknown",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert "was changed by someone else (you edited version 1, it is now version 2)" in response.content.decode()
    assert Project.objects.get(pk=org["p1"].pk).name == "Changed meanwhile"


@pytest.mark.parametrize("path", ["/projects/{id}/edit/", "/projects/{id}/delete/", "/projects/{id}/transition/"])
def test_executive_sees_no_edit_controls_and_posts_are_refused(client_for, org, path):
    client = client_for(Role.EXECUTIVE)
    page = client.get(f"/projects/{org['p1'].pk}/").content.decode()
    assert ">Edit</a>" not in page and ">Delete</button>" not in page and "Move to" not in page
    assert "New project" not in client.get("/projects/").content.decode()
    before = (list(Project.objects.values_list("name", "state", "version")), AuditEvent.objects.count())
    response = client.post(path.format(id=org["p1"].pk), {"name": "Hijacked", "to_state": "approved"})
    assert response.status_code == 403
    assert (
        list(Project.objects.values_list("name", "state", "version")),
        AuditEvent.objects.count(),
    ) == before


def test_director_moves_a_project_through_the_lifecycle_page(client_for, org):
    client = client_for(Role.PMO_DIRECTOR)
    page = client.get(f"/projects/{org['p1'].pk}/").content.decode()
    assert '<option value="approved">Approved</option><option value="cancelled">Cancelled</option>' in page
    response = client.post(f"/projects/{org['p1'].pk}/transition/", {"to_state": "approved", "version": "1"})
    assert response.status_code == 302
    assert Project.objects.get(pk=org["p1"].pk).state == "approved"
    response = client.post(f"/projects/{org['p1'].pk}/transition/", {"to_state": "closed"}, follow=True)
    assert "A project cannot go from Approved to Closed." in response.content.decode()


def test_requester_sees_no_money_or_history(client_for, org):
    client = client_for(Role.REQUESTER)
    page = client.get(f"/projects/{org['p1'].pk}/").content.decode()
    assert "Mobile app" in page and "1,250,000" not in page and ">History</a>" not in page
    listing = client.get("/projects/").content.decode()
    assert "Budget" not in listing and "Health" not in listing
    assert client.get(f"/projects/{org['p1'].pk}/history/").status_code == 403


def test_account_page_creates_a_token_shown_once(client_for):
    client = client_for(Role.TEAM_MEMBER)
    html = client.post("/account/", {"action": "create", "name": "report script"}).content.decode()
    token = re.search(r'<code id="new-token">(pmo_[^<]+)</code>', html).group(1)
    again = client.get("/account/").content.decode()
    assert token not in again and "report script" in again


def test_every_detail_and_list_page_renders(client_for, org):
    client = client_for(Role.PMO_DIRECTOR)
    ids = {
        "projects": org["p1"].pk,
        "portfolios": org["portfolio"].pk,
        "programs": org["program"].pk,
        "objectives": org["objective"].pk,
        "people": org["person"][Role.PROJECT_MANAGER].pk,
    }
    for area, pk in ids.items():
        for path in (
            f"/{area}/",
            f"/{area}/{pk}/",
            f"/{area}/{pk}/edit/",
            f"/{area}/new/",
            f"/{area}/{pk}/history/",
        ):
            assert client.get(path).status_code == 200, path
    assert client.get("/org-units/").status_code == 200


def test_sign_in_is_locked_after_five_failures(roles):
    from django.test import Client

    user = roles[Role.PROJECT_MANAGER]
    user.set_password("right-horse-battery")
    user.save()
    client = Client()
    for _ in range(4):
        page = client.post("/login/", {"username": "pm", "password": "wrong"})
        assert page.status_code == 200 and "That username and password do not match" in page.content.decode()
    locked = client.post("/login/", {"username": "pm", "password": "wrong"})
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    # Even the right password is refused while the lock lasts; another user name is not affected.
    assert client.post("/login/", {"username": "pm", "password": "right-horse-battery"}).status_code == 429
    assert "_auth_user_id" not in client.session
    other = roles[Role.EXECUTIVE]
    other.set_password("another-long-secret")
    other.save()
    assert client.post("/login/", {"username": "exec", "password": "another-long-secret"}).status_code == 302


def test_pages_carry_the_security_headers(client_for):
    response = client_for(Role.PMO_ANALYST).get("/projects/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert (response["X-Frame-Options"], response["X-Content-Type-Options"]) == ("DENY", "nosniff")
    assert response["Referrer-Policy"] == "same-origin"


def test_two_writers_never_silently_overwrite_each_other(client_for, roles, org):
    """Two people open the same project's edit page; the first saves; the second is told, sees what changed,
    keeps nothing silently, and overwrites only by saving again deliberately."""
    pm, director = client_for(Role.PROJECT_MANAGER), client_for(Role.PMO_DIRECTOR)
    url = f"/projects/{org['p1'].pk}/edit/"
    for client in (pm, director):
        assert client.get(url).context["form"]["version"].value() == 1
    base = {
        "code": "P1",
        "portfolio": org["portfolio"].pk,
        "program": org["program"].pk,
        "manager": roles[Role.PROJECT_MANAGER].person.pk,
        "methodology": "waterfall",
        "budget": "1250000.00",
        "currency": "EUR",
        "priority": 3,
        "health": "unknown",
        "version": 1,
    }
    assert director.post(url, {**base, "name": "Mobile app (phase 1)", "health": "amber"}).status_code == 302
    second = pm.post(url, {**base, "name": "Mobile banking app"})
    assert second.status_code == 200
    assert second.context["form"].conflict == [
        ("Name", "Mobile banking app", "Mobile app (phase 1)"),
        ("Health", "Not assessed", "Amber"),
    ]
    assert second.context["form"]["version"].value() == "2"
    saved = Project.objects.get(pk=org["p1"].pk)
    assert (saved.name, saved.health, saved.version) == ("Mobile app (phase 1)", "amber", 2)
    # Saving again, knowingly, overwrites; the history keeps both writes.
    again = pm.post(url, {**base, "name": "Mobile banking app", "version": 2})
    assert again.status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.health, saved.version) == ("Mobile banking app", "unknown", 3)


def test_the_api_answers_a_stale_write_with_409_and_the_current_state(roles, org):
    from django.test import Client

    from pmo.core.services import token_create

    token = token_create(user=roles[Role.PROJECT_MANAGER], name="t")[1]
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    services.project_update(actor=roles[Role.PMO_DIRECTOR], project=org["p1"], name="Changed meanwhile")
    response = client.patch(
        f"/api/v1/projects/{org['p1'].pk}", {"name": "Mine", "version": 1}, content_type="application/json"
    )
    body = response.json()
    assert (response.status_code, body["code"]) == (409, "stale_version")
    assert body["details"]["current_version"] == 2
    assert (body["details"]["current"]["name"], body["details"]["current"]["code"]) == ("Changed meanwhile", "P1")
    assert Project.objects.get(pk=org["p1"].pk).name == "Changed meanwhile"
