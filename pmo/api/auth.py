from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from pmo.core.services import token_authenticate


class BearerToken(HttpBearer):
    """Personal API tokens, sent as `Authorization: Bearer <token>`."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


# Token first: a script with a token needs no CSRF; the browser session (with CSRF) serves the pages.
API_AUTH = [BearerToken(), SessionAuth()]
