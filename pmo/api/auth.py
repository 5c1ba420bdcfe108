from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from pmo.core.services import token_lookup

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BearerToken(HttpBearer):
    """Personal API tokens, sent as `Authorization: Bearer <token>`. An expired or revoked token is not
    accepted (401); a read-only token may only read (403 on any write, which then changes nothing)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        found = token_lookup(token)
        if found is None:
            return None
        if found.scope == found.Scope.READ and request.method not in READ_METHODS:
            raise PermissionDenied("This API token is read-only: create a read-write token to make changes.")
        request.user = found.user
        return found.user


# Token first: a script with a token needs no CSRF; the browser session (with CSRF) serves the pages.
API_AUTH = [BearerToken(), SessionAuth()]
