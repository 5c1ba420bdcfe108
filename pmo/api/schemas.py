"""Schemas shared by every router: the error shape, pagination and references to related records."""

from typing import Annotated, Any, Generic, TypeVar

from ninja import Schema
from pydantic import Field

T = TypeVar("T")

# A record id: what the database can store (64-bit); a larger number is refused as input (422).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    code: str
    message: str
    details: dict[str, Any]


class Page(Schema, Generic[T]):
    items: list[T]
    count: int
    page: int
    page_size: int


class Ref(Schema):
    id: int
    name: str


class CodeRef(Schema):
    id: int
    code: str
    name: str


class AuditEventOut(Schema):
    id: int
    at: str
    actor: str
    action: str
    changes: dict[str, Any]
    comment: str


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": str(obj.name)}


def code_ref(obj: Any) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "code": obj.code, "name": obj.name}


def audit_event_out(event: Any) -> dict[str, Any]:
    return {
        "id": event.pk,
        "at": event.at.isoformat(),
        "actor": event.actor_name,
        "action": event.action,
        "changes": event.changes,
        "comment": event.comment,
    }
