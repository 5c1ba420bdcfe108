from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from pmo.api.schemas import ERRORS
from pmo.core.access import person_id_of, roles_of
from pmo.core.models import ApiToken
from pmo.core.services import token_create, token_revoke

router = Router(tags=["account"])


class MeOut(Schema):
    username: str
    full_name: str
    roles: list[str]
    person_id: int | None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: str
    last_used_at: str | None
    revoked: bool


class TokenCreatedOut(TokenOut):
    token: str = Field(description="Shown this once; only a digest is stored.")


class TokenIn(Schema):
    name: str = Field(max_length=100)


def token_out(t: ApiToken) -> dict[str, Any]:
    return {
        "id": t.pk,
        "name": t.name,
        "prefix": t.prefix,
        "created_at": t.created_at.isoformat(),
        "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
        "revoked": t.revoked_at is not None,
    }


@router.get("/me", response={200: MeOut, **ERRORS}, summary="Who am I", operation_id="me")
def me(request: HttpRequest) -> Any:
    user = request.user
    return {
        "username": user.get_username(),
        "full_name": user.get_full_name(),
        "roles": sorted(r.value for r in roles_of(user)),
        "person_id": person_id_of(user),
    }


@router.get("/tokens", response={200: list[TokenOut], **ERRORS}, summary="My API tokens", operation_id="tokens_list")
def list_tokens(request: HttpRequest) -> Any:
    return [token_out(t) for t in ApiToken.objects.filter(user=request.user)]


@router.post(
    "/tokens",
    response={201: TokenCreatedOut, **ERRORS},
    summary="Create an API token",
    operation_id="tokens_create",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Any:
    token, plaintext = token_create(user=request.user, name=payload.name)
    return 201, {**token_out(token), "token": plaintext}


@router.delete(
    "/tokens/{int:pk}",
    response={204: None, **ERRORS},
    summary="Revoke an API token",
    operation_id="tokens_revoke",
)
def revoke_token(request: HttpRequest, pk: int) -> Any:
    token_revoke(user=request.user, token_id=pk)
    return 204, None
