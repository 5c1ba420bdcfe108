"""Signing in and out, with the optional single sign-on through OpenID Connect.

The /oidc/ addresses are always routed and answer 404 while single sign-on is off; every view reads the
settings when it runs, so switching sign-on on or off (the tests do, with override_settings) needs no
reloading of the URLs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from jwt import PyJWTError
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView
from requests import RequestException

from pmo.core.oidc import provider_logout_url, provider_name

logger = logging.getLogger("pmo.sso")


def sso_enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


def password_sign_in() -> bool:
    return not (sso_enabled() and getattr(settings, "OIDC_ONLY", False))


def only_with_sso(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        return view(request, *args, **kwargs)

    return wrapped


class SignInView(auth_views.LoginView):
    """The sign-in page: the provider's button when single sign-on is on, the password form unless OIDC_ONLY."""

    template_name = "web/login.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if sso_enabled():
            next_url = self.get_redirect_url()
            query = f"?{urlencode({'next': next_url})}" if next_url else ""
            context["sso"] = {"name": provider_name(), "url": f"/oidc/authenticate/{query}"}
        context["password_sign_in"] = password_sign_in()
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not password_sign_in():
            messages.error(request, f"Password sign-in is turned off: sign in with {provider_name()}.")
            response = self.get(request, *args, **kwargs)
            response.status_code = 403
            return response
        return super().post(request, *args, **kwargs)


class SignOutView(auth_views.LogoutView):
    """Ends pmo's session; after a single sign-on, continues to the provider's sign-out when it has one."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        provider = provider_logout_url(request)  # before the session, which holds the ID token, is gone
        response = super().post(request, *args, **kwargs)
        return HttpResponseRedirect(provider) if provider else response


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the person back here; a failure returns to the sign-in page with the reason."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except (SuspiciousOperation, PyJWTError, RequestException) as error:
            # A forged or replayed answer, a token that fails its signature or has expired, a provider
            # that cannot be reached: nobody is signed in.
            logger.warning("single sign-on failed: %s: %s", type(error).__name__, error)
            return self.login_failure()

    def login_failure(self) -> HttpResponse:
        request = self.request
        reason = getattr(request, "pmo_sso_refusal", None)
        if reason is None and request.GET.get("error"):
            reason = f"{provider_name()} did not sign you in ({request.GET['error']})."
        messages.error(request, reason or f"Signing in with {provider_name()} failed. Try again.")
        return HttpResponseRedirect(self.failure_url)


authenticate = only_with_sso(OIDCAuthenticationRequestView.as_view())
callback = only_with_sso(CallbackView.as_view())
