"""Every API error leaves as {"code", "message", "details"}."""

import traceback
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from pmo.core.errors import DomainError

_SOURCES = {"body", "query", "path", "form", "header", "cookie", "file"}


def _field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in _SOURCES:
        source = parts.pop(0)
        # Body errors are nested under the handler's parameter name ("payload"); drop it.
        if source == "body" and len(parts) > 1:
            parts.pop(0)
    return ".".join(parts) or "body"


def error_response(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str, details: Any = None):
    return api.create_response(request, {"code": code, "message": message, "details": details or {}}, status=status)


def install(api: NinjaAPI) -> None:
    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for error in exc.errors:
            fields.setdefault(_field_name(error.get("loc", ())), []).append(error.get("msg", "Invalid value."))
        summary = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
        return error_response(api, request, 422, "validation_error", f"Invalid input: {summary}", {"fields": fields})

    def on_domain(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return error_response(api, request, exc.status, exc.code, exc.message, exc.details)

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return error_response(api, request, 403, "permission_denied", str(exc) or "You are not allowed to do this.")

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return error_response(api, request, 404, "not_found", str(exc) or "Not found.")

    def on_http(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            return error_response(
                api, request, 401, "not_authenticated", "Sign in, or send 'Authorization: Bearer <token>'."
            )
        codes = {400: "bad_request", 403: "permission_denied", 404: "not_found", 405: "method_not_allowed"}
        return error_response(api, request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))

    def on_overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
        # An id or number beyond what the database stores (SQLite: 64 bits) can name no record: the
        # input is wrong, not the server. Any other overflow stays a server error.
        frames = traceback.extract_tb(exc.__traceback__)
        if not frames or "/django/db/" not in frames[-1].filename.replace("\\", "/"):
            raise exc
        return error_response(
            api, request, 422, "validation_error", "Invalid input: a number is too large.", {"fields": {}}
        )

    api.add_exception_handler(NinjaValidationError, on_validation)
    api.add_exception_handler(OverflowError, on_overflow)
    api.add_exception_handler(DomainError, on_domain)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(HttpError, on_http)
