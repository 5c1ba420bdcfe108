"""The pages of people and organisational units."""

from django.urls import reverse

from pmo.portfolio import selectors
from pmo.portfolio.pages import project_rows_section
from pmo.resources import services
from pmo.resources.forms import OrgUnitForm, PersonForm
from pmo.resources.models import OrgUnit, Person
from pmo.web.areas import Area, Column, Filter, Section

people = Area(
    key="people",
    model=Person,
    title="People",
    icon="☺",
    queryset=lambda: Person.objects.select_related("org_unit", "user"),
    columns=(
        Column("Name", lambda p: p.name, sort="name", link=True),
        Column("Job title", lambda p: p.job_title or "—", sort="job_title"),
        Column("Unit", lambda p: p.org_unit or "—", sort="org_unit__name"),
        Column("Email", lambda p: p.email or "—", sort="email"),
        Column("Sign-in", lambda p: p.user.get_username() if p.user_id else "—"),
    ),
    filters=(
        Filter("unit", "Unit", "org_unit_id", lambda: [(str(u.pk), u.name) for u in OrgUnit.objects.all()]),
        Filter("active", "Status", "active", lambda: [("True", "Active"), ("False", "Left")]),
    ),
    search_fields=("name", "email", "job_title"),
    search_hint="Search name, email or title",
    form=PersonForm,
    create=services.person_create,
    update=services.person_update,
    delete=services.person_delete,
    obj_kwarg="person",
    facts=lambda p, user: [
        ("Job title", p.job_title or "—"),
        ("Unit", p.org_unit or "—"),
        ("Email", p.email or "—"),
        ("Signs in as", p.user.get_username() if p.user_id else "—"),
        ("Active", "Yes" if p.active else "No"),
    ],
    sections=lambda p, user: [
        project_rows_section("Projects managed", selectors.projects().filter(manager=p), user, "Manages no project."),
        project_rows_section(
            "Projects sponsored", selectors.projects().filter(sponsor=p), user, "Sponsors no project."
        ),
    ],
    empty_text="No people yet. Add the people who manage, sponsor and work on projects.",
)

org_units = Area(
    key="org-units",
    model=OrgUnit,
    title="Organisation",
    icon="⌂",
    queryset=lambda: OrgUnit.objects.select_related("parent"),
    columns=(
        Column("Code", lambda u: u.code, sort="code", link=True),
        Column("Unit", lambda u: u.name, sort="name", link=True),
        Column("Part of", lambda u: u.parent or "—", sort="parent__name"),
    ),
    search_fields=("code", "name"),
    search_hint="Search units",
    form=OrgUnitForm,
    create=services.org_unit_create,
    update=services.org_unit_update,
    delete=services.org_unit_delete,
    obj_kwarg="org_unit",
    facts=lambda u, user: [("Code", u.code), ("Part of", u.parent or "—")],
    sections=lambda u, user: [
        Section(
            title="People",
            columns=(Column("Name", lambda p: p.name, link=True), Column("Job title", lambda p: p.job_title)),
            rows=list(u.people.all()),
            empty="Nobody in this unit.",
            url_of=lambda p: reverse("people-detail", args=[p.pk]),
        ),
        project_rows_section("Projects", selectors.projects().filter(org_unit=u), user, "No projects."),
    ],
    empty_text="No organisational units yet.",
)

AREAS = (people, org_units)
