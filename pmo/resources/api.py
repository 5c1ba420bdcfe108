from typing import Any

from ninja import Router, Schema
from pydantic import Field

from pmo.api.crud import Resource, register
from pmo.api.schemas import Ref, ref
from pmo.resources import services
from pmo.resources.models import OrgUnit, Person

router = Router()


class OrgUnitOut(Schema):
    id: int
    code: str
    name: str
    parent: Ref | None
    version: int


class OrgUnitIn(Schema):
    code: str = Field(max_length=20)
    name: str = Field(max_length=200)
    parent_id: int | None = None


class OrgUnitPatch(Schema):
    code: str | None = Field(None, max_length=20)
    name: str | None = Field(None, max_length=200)
    parent_id: int | None = None
    version: int | None = None


class OrgUnitFilters(Schema):
    parent_id: int | None = None


def org_unit_out(u: OrgUnit, user: Any) -> dict[str, Any]:
    return {"id": u.pk, "code": u.code, "name": u.name, "parent": ref(u.parent), "version": u.version}


register(
    router,
    Resource(
        path="org-units",
        model=OrgUnit,
        out=OrgUnitOut,
        create_in=OrgUnitIn,
        patch_in=OrgUnitPatch,
        filters=OrgUnitFilters,
        queryset=lambda: OrgUnit.objects.select_related("parent"),
        serialize=org_unit_out,
        create=services.org_unit_create,
        update=services.org_unit_update,
        delete=services.org_unit_delete,
        search_fields=("code", "name"),
        orderings=("code", "name"),
        tag="people",
        obj_kwarg="org_unit",
    ),
)


class PersonOut(Schema):
    id: int
    name: str
    email: str
    job_title: str
    org_unit: Ref | None
    username: str | None
    active: bool
    version: int


class PersonIn(Schema):
    name: str = Field(max_length=200)
    email: str = Field("", max_length=254)
    job_title: str = Field("", max_length=200)
    org_unit_id: int | None = None
    active: bool = True


class PersonPatch(Schema):
    name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    job_title: str | None = Field(None, max_length=200)
    org_unit_id: int | None = None
    active: bool | None = None
    version: int | None = None


class PersonFilters(Schema):
    org_unit_id: int | None = None
    active: bool | None = None


def person_out(p: Person, user: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "name": p.name,
        "email": p.email,
        "job_title": p.job_title,
        "org_unit": ref(p.org_unit),
        "username": p.user.get_username() if p.user_id else None,
        "active": p.active,
        "version": p.version,
    }


register(
    router,
    Resource(
        path="people",
        model=Person,
        out=PersonOut,
        create_in=PersonIn,
        patch_in=PersonPatch,
        filters=PersonFilters,
        queryset=lambda: Person.objects.select_related("org_unit", "user"),
        serialize=person_out,
        create=services.person_create,
        update=services.person_update,
        delete=services.person_delete,
        search_fields=("name", "email", "job_title"),
        orderings=("name", "job_title"),
        tag="people",
    ),
)
