"""Single sign-on through OpenID Connect: who a provider's sign-in is in pmo.

mozilla-django-oidc runs the authorisation-code flow (state, nonce, PKCE, the token exchange, the ID
token's signature against the provider's published keys). `OIDCBackend` adds what pmo needs:

* the ID token must name pmo's client as its audience, come from the configured issuer and carry an
  expiry (the library checks none of these), and the userinfo answer must be about the same subject;
* the person is matched to one existing user by e-mail address (case-insensitive; never on an address
  the provider marks unverified) or, with OIDC_USERNAME_CLAIM, by that claim against the user name;
* an unknown person gets a new user only with OIDC_CREATE_USERS, and then no role unless OIDC_SYNC_ROLES
  maps one of their provider groups to a pmo role (roles are Django groups, see pmo.core.roles);
* with OIDC_SYNC_ROLES the provider decides the user's roles at every sign-in;
* a person record with the same e-mail address and no user yet is linked to the user;
* inactive users are refused, at sign-in and on every later request.

A refusal leaves its reason on the request (`request.pmo_sso_refusal`) for the sign-in page to show.
The settings come from the environment through pmo.core.oidc_settings.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from pmo.core.roles import Role

logger = logging.getLogger("pmo.sso")


class Refused(SuspiciousOperation):
    """A sign-in the provider vouched for but pmo does not accept; the message is for the person."""


def provider_name() -> str:
    return str(getattr(settings, "OIDC_PROVIDER_NAME", "single sign-on"))


def roles_from_claims(claims: dict[str, Any]) -> set[str]:
    """The pmo roles (group names) the provider's groups claim maps to.

    A provider group counts when it is named like a role (case-insensitive; Keycloak's "/PMO director"
    path form too) or is mapped to one by OIDC_ROLE_MAP."""
    values = claims.get(getattr(settings, "OIDC_GROUPS_CLAIM", "groups"))
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        return set()
    role_map: dict[str, str] = getattr(settings, "OIDC_ROLE_MAP", {})
    by_name = {role.value.casefold(): role.value for role in Role}
    wanted = set()
    for value in map(str, values):
        key = value.strip().casefold()
        if key in role_map:
            wanted.add(role_map[key])
        leaf = key.rsplit("/", 1)[-1] if key.startswith("/") else key
        if leaf in by_name:
            wanted.add(by_name[leaf])
    return wanted


def user_roles_sync(*, user: Any, roles: set[str]) -> None:
    """Give `user` exactly these role groups; groups that are not pmo roles stay as they are."""
    role_names = [role.value for role in Role]
    current = set(user.groups.filter(name__in=role_names).values_list("name", flat=True))
    if current == roles:
        return
    user.groups.remove(*Group.objects.filter(name__in=current - roles))
    user.groups.add(*Group.objects.filter(name__in=roles - current))
    user.__dict__.pop("_pmo_roles", None)
    logger.info("single sign-on: roles of %s: %s -> %s", user.get_username(), sorted(current), sorted(roles))


def person_link(*, user: Any, email: str) -> None:
    """Link the one person record with this e-mail address and no user yet to `user` (if it has none)."""
    from pmo.core.access import SYSTEM
    from pmo.resources.models import Person
    from pmo.resources.services import person_update

    if not email or Person.objects.filter(user=user).exists():
        return
    candidates = list(Person.objects.filter(email__iexact=email, user__isnull=True)[:2])
    if len(candidates) == 1:
        person_update(actor=SYSTEM, person=candidates[0], user=user)
        logger.info("single sign-on: linked %s to the person %s", user.get_username(), candidates[0])


class OIDCBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with pmo's checks, matching, creation, roles and person link."""

    # ModelBackend's: a user made inactive after signing in loses the session at the next request
    # (the library's own get_user ignores is_active).
    get_user = ModelBackend.get_user

    def refuse(self, reason: str, detail: str = "") -> Refused:
        request = getattr(self, "request", None)
        if request is not None:
            request.pmo_sso_refusal = reason
        logger.warning("single sign-on refused: %s%s", reason, f" ({detail})" if detail else "")
        return Refused(reason)

    # --- the tokens -------------------------------------------------------------------------------------

    def check_id_token(self, payload: dict[str, Any]) -> None:
        """OpenID Connect Core 3.1.3.7: audience, authorised party, issuer, expiry."""
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        client_id = self.OIDC_RP_CLIENT_ID
        if client_id not in audiences or (len(audiences) > 1 and payload.get("azp") != client_id):
            raise self.refuse("The provider's answer was not meant for pmo.", f"aud={audience!r}")
        issuer = getattr(settings, "OIDC_OP_ISSUER", None)
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer.rstrip("/"):
            raise self.refuse("The provider's answer came from another issuer.", f"iss={payload.get('iss')!r}")
        if "exp" not in payload or not payload.get("sub"):
            raise self.refuse("The provider's answer is incomplete.", "no exp or sub in the ID token")

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return True  # what pmo needs from the claims is checked where it is used, with a reason

    # --- who it is --------------------------------------------------------------------------------------

    def identity(self, claims: dict[str, Any]) -> tuple[str, str]:
        """(lookup field, value): the user name from OIDC_USERNAME_CLAIM, or else the e-mail address."""
        claim = getattr(settings, "OIDC_USERNAME_CLAIM", None)
        if claim:
            value = str(claims.get(claim) or "").strip()
            if not value:
                raise self.refuse(f"The provider did not send your {claim}.", f"claims: {sorted(claims)}")
            return "username", value
        email = str(claims.get("email") or "").strip()
        if not email:
            raise self.refuse("The provider did not send your e-mail address.", f"claims: {sorted(claims)}")
        if claims.get("email_verified") is False:
            raise self.refuse(f"Your e-mail address {email} is not verified at {provider_name()}.")
        return "email", email

    def filter_users_by_claims(self, claims: dict[str, Any]) -> Any:
        field, value = self.identity(claims)
        return self.UserModel.objects.filter(**{f"{field}__iexact": value})

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        self.check_id_token(payload)
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise self.refuse("The provider's answer is inconsistent.", "userinfo sub differs from the ID token's")
        # The ID token's claims with the userinfo answer over them: some providers (Azure AD) put the
        # groups in the ID token only.
        claims = {**payload, **userinfo}
        field, value = self.identity(claims)
        with transaction.atomic():
            users = list(self.filter_users_by_claims(claims)[:2])
            if len(users) > 1:
                raise self.refuse(f"Several pmo accounts have the {_label(field)} {value}; ask the PMO to merge them.")
            if users:
                user = users[0]
                if not user.is_active:
                    raise self.refuse("Your pmo account is disabled.", user.get_username())
                return self.update_user(user, claims)
            if not getattr(settings, "OIDC_CREATE_USERS", False):
                raise self.refuse(f"There is no pmo account for {value}. Ask the PMO for access.")
            return self.create_user(claims)

    def create_user(self, claims: dict[str, Any]) -> Any:
        _field, username = self.identity(claims)
        email = str(claims.get("email") or "").strip() if claims.get("email_verified") is not False else ""
        try:
            UnicodeUsernameValidator()(username)
            if len(username) > 150:
                raise ValidationError("too long")
        except ValidationError as error:
            raise self.refuse(
                f"{username} cannot be a pmo user name; ask the PMO for an account.", str(error)
            ) from None
        if self.UserModel.objects.filter(username__iexact=username).exists():
            raise self.refuse(f"A pmo account named {username} exists with another e-mail address; ask the PMO.")
        user = self.UserModel.objects.create_user(
            username,
            email=email,
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
        )  # no password: this user signs in through the provider only
        logger.info("single sign-on: created the user %s", username)
        return self.update_user(user, claims)

    def update_user(self, user: Any, claims: dict[str, Any]) -> Any:
        email = str(claims.get("email") or "").strip() if claims.get("email_verified") is not False else ""
        if email and not user.email:
            user.email = email
            user.save(update_fields=["email"])
        if getattr(settings, "OIDC_SYNC_ROLES", False):
            user_roles_sync(user=user, roles=roles_from_claims(claims))
        person_link(user=user, email=user.email)
        return user


def _label(field: str) -> str:
    return "e-mail address" if field == "email" else "user name"


def provider_logout_url(request: HttpRequest) -> str | None:
    """Where sign-out continues to end the provider's session too (RP-initiated logout), or None.

    Only for a session that signed in through the provider (it holds the ID token) and a provider that
    publishes an end_session_endpoint; the provider sends the person back to pmo's sign-in page."""
    endpoint = getattr(settings, "OIDC_OP_LOGOUT_ENDPOINT", None)
    id_token = request.session.get("oidc_id_token")
    if not getattr(settings, "OIDC_ENABLED", False) or not endpoint or not id_token:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL)),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def axes_exempt(request: HttpRequest, credentials: Any = None) -> bool:
    """django-axes leaves the provider's callback alone: no password is tried there (the provider throttles
    its own sign-in), and refused sign-ins would otherwise lock out everyone behind one address."""
    return getattr(request, "path_info", None) == reverse("oidc_authentication_callback")
