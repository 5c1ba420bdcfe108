"""Single sign-on through OpenID Connect, end to end against a real provider.

`tests/core/oidc_provider.py` runs a small OpenID provider on 127.0.0.1 (discovery, authorisation with
PKCE, a token endpoint signing RS256 ID tokens with a key made in the test, JWKS, userinfo, sign-out).
Django's test client drives the whole flow through mozilla-django-oidc, unmocked: GET
/oidc/authenticate/ -> the provider's /authorize (fetched with `requests`, as the browser would) -> its
redirect to /oidc/callback/ -> pmo exchanges the code, checks the token, finds the user, signs them in.

How the settings are switched per test: `sso(...)` builds the settings from an environment with the
same function pmo/settings.py uses at start-up (`oidc_settings`, which also runs the discovery against
the provider) and applies them with `override_settings`. Nothing has to be reloaded: the /oidc/
addresses are always routed and answer 404 while `OIDC_ENABLED` is off, and the views, the backend
(Django instantiates backends per call) and the Content-Security-Policy middleware read the settings
at each request. The start-up path itself (environment -> pmo/settings.py -> `pmo manage check`) is
run in subprocesses at the end.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from pmo.core.access import can, roles_of
from pmo.core.audit import history_of
from pmo.core.oidc_settings import oidc_settings
from pmo.core.roles import Role, sync_role_groups
from pmo.portfolio.models import Project
from pmo.resources.models import Person
from tests.core.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, RunningProvider

BUTTON = "Sign in with Example ID"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    running = RunningProvider()
    yield running.provider
    running.close()


def sso_env(provider: Provider, **env: str) -> dict[str, str]:
    return {
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_ISSUER": provider.issuer,
        "OIDC_PROVIDER_NAME": "Example ID",
        **env,
    }


def settings_for(env: dict[str, str]) -> dict[str, Any]:
    return oidc_settings(env, backends=settings.AUTHENTICATION_BACKENDS, csp=settings.CONTENT_SECURITY_POLICY)


@pytest.fixture
def sso(provider: Provider, db: Any) -> Iterator[Callable[..., None]]:
    """`sso(OIDC_CREATE_USERS="1", ...)` turns single sign-on on for the rest of the test."""
    sync_role_groups()
    with ExitStack() as stack:

        def configure(**env: str) -> None:
            stack.enter_context(override_settings(**settings_for(sso_env(provider, **env))))

        yield configure


def sign_in(client: Client, provider: Provider, next_url: str = "/") -> Any:
    """The browser's part of the flow; returns pmo's answer to the provider's redirect back."""
    start = client.get("/oidc/authenticate/", {"next": next_url})
    assert start.status_code == 302
    assert start["Location"].startswith(f"{provider.issuer}/authorize?")
    back = requests.get(start["Location"], allow_redirects=False, timeout=10)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert (callback.scheme, callback.netloc, callback.path) == ("http", "testserver", "/oidc/callback/")
    return client.get(f"{callback.path}?{callback.query}")


def signed_in_user(client: Client) -> User | None:
    user_id = client.session.get("_auth_user_id")
    return User.objects.get(pk=user_id) if user_id else None


def refusal(client: Client, answer: Any) -> str:
    """The reason the sign-in page shows after a refused sign-in."""
    assert (answer.status_code, answer["Location"]) == (302, "/login/")
    assert signed_in_user(client) is None
    page = client.get("/login/").content.decode()
    start = page.index('<div class="form-errors" role="alert"><p>') + len('<div class="form-errors" role="alert"><p>')
    return html.unescape(page[start : page.index("</p>", start)])


def user_with(username: str, email: str, role: Role | None = None, **fields: Any) -> User:
    user = User.objects.create_user(username=username, email=email, password="pw-" + username, **fields)
    if role is not None:
        user.groups.add(Group.objects.get(name=role.value))
    return user


# --- off ---------------------------------------------------------------------------------------------


def test_off_by_default_no_oidc_addresses_and_no_button(db):
    assert settings.OIDC_ENABLED is False
    client = Client()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404
    page = client.get("/login/").content.decode()
    assert "Sign in with" not in page and "/oidc/" not in page
    assert 'name="password"' in page


def test_off_unless_the_client_id_is_set_and_stray_variables_are_named():
    assert oidc_settings({}, backends=[], csp={}) == {"OIDC_ENABLED": False}
    with pytest.raises(ImproperlyConfigured, match=r"^OIDC_ISSUER is set but OIDC_RP_CLIENT_ID is not"):
        oidc_settings({"OIDC_ISSUER": "https://id.example.org"}, backends=[], csp={})


# --- the flow ----------------------------------------------------------------------------------------


def test_the_request_to_the_provider_carries_state_nonce_and_pkce(sso, provider):
    sso()
    client = Client()
    start = client.get("/oidc/authenticate/", {"next": "/projects/"})
    query = {k: v[0] for k, v in parse_qs(urlsplit(start["Location"]).query).items()}
    assert {k: query[k] for k in ("response_type", "client_id", "redirect_uri", "scope", "code_challenge_method")} == {
        "response_type": "code",
        "client_id": CLIENT_ID,
        "redirect_uri": "http://testserver/oidc/callback/",
        "scope": "openid email profile",
        "code_challenge_method": "S256",
    }
    stored = client.session["oidc_states"][query["state"]]
    assert stored["nonce"] == query["nonce"] and len(query["nonce"]) == 32
    assert len(stored["code_verifier"]) == 64
    assert client.session["oidc_login_next"] == "/projects/"


def test_an_existing_user_is_matched_by_email_whatever_its_case(sso, provider):
    sso()
    pm = user_with("pat", "Pat.Manager@Example.org", Role.PROJECT_MANAGER)
    provider.sign_in_as(email="pat.manager@example.ORG", email_verified=True, groups=["PMO director"])
    client = Client()

    answer = sign_in(client, provider, next_url="/projects/")

    assert (answer.status_code, answer["Location"]) == (302, "/projects/")
    assert signed_in_user(client) == pm
    assert client.session["_auth_user_backend"] == "pmo.core.oidc.OIDCBackend"
    assert client.get("/projects/").status_code == 200
    # roles are not synchronised unless asked: the provider's group changed nothing
    assert roles_of(User.objects.get(pk=pm.pk)) == {Role.PROJECT_MANAGER}
    # PKCE: the verifier went to the token endpoint and matched (the provider checks it)
    assert len(provider.token_requests[-1]["code_verifier"]) == 64


def test_an_unknown_person_is_refused_when_creating_users_is_off(sso, provider):
    sso()
    provider.sign_in_as(email="new.person@example.org")
    client = Client()

    reason = refusal(client, sign_in(client, provider))

    assert reason == "There is no pmo account for new.person@example.org. Ask the PMO for access."
    assert not User.objects.filter(email__iexact="new.person@example.org").exists()


def test_an_unknown_person_is_created_without_a_role_and_linked_to_their_person_record(sso, provider):
    sso(OIDC_CREATE_USERS="1")
    person = Person.objects.create(name="Nora Newcomer", email="Nora.Newcomer@example.org")
    provider.sign_in_as(
        email="nora.newcomer@example.org", given_name="Nora", family_name="Newcomer", groups=["PMO director"]
    )
    client = Client()

    answer = sign_in(client, provider)

    assert (answer.status_code, answer["Location"]) == (302, "/")
    user = signed_in_user(client)
    assert user is not None
    assert (user.username, user.email, user.first_name, user.last_name) == (
        "nora.newcomer@example.org",
        "nora.newcomer@example.org",
        "Nora",
        "Newcomer",
    )
    assert not user.has_usable_password()
    assert roles_of(user) == frozenset()  # groups are not read unless OIDC_SYNC_ROLES
    assert not can(user, "view", Project)
    person.refresh_from_db()
    assert person.user == user
    assert next(event.changes for event in history_of(person)) == {"user": {"old": None, "new": user.username}}
    # a second sign-in finds the same user
    again = Client()
    sign_in(again, provider)
    assert signed_in_user(again) == user
    assert User.objects.filter(email__iexact="nora.newcomer@example.org").count() == 1


def test_the_providers_groups_become_pmo_roles(sso, provider):
    sso(OIDC_SYNC_ROLES="1", OIDC_ROLE_MAP="pmo-analysts=PMO analyst")
    user = user_with("riley", "riley@example.org", Role.TEAM_MEMBER)
    local = Group.objects.create(name="Workshop attendees")  # not a role: left alone
    user.groups.add(local)
    provider.sign_in_as(email="riley@example.org", groups=["/PMO director", "executive", "pmo-analysts", "Staff"])

    sign_in(Client(), provider)

    user = User.objects.get(pk=user.pk)
    assert roles_of(user) == {Role.PMO_DIRECTOR, Role.EXECUTIVE, Role.PMO_ANALYST}
    assert set(user.groups.values_list("name", flat=True)) == {
        "PMO director",
        "Executive",
        "PMO analyst",
        "Workshop attendees",
    }

    provider.sign_in_as(email="riley@example.org", groups=["Staff"])
    client = Client()
    sign_in(client, provider)
    user = User.objects.get(pk=user.pk)
    assert roles_of(user) == frozenset()
    assert set(user.groups.values_list("name", flat=True)) == {"Workshop attendees"}
    assert signed_in_user(client) == user  # signed in, with no role: sees nothing


def test_a_new_user_gets_the_roles_of_their_groups(sso, provider):
    sso(OIDC_CREATE_USERS="1", OIDC_SYNC_ROLES="1", OIDC_GROUPS_CLAIM="roles")
    provider.sign_in_as(email="ana@example.org", roles=["Portfolio manager"], groups=["PMO director"])
    client = Client()
    sign_in(client, provider)
    assert roles_of(signed_in_user(client)) == {Role.PORTFOLIO_MANAGER}


def test_matching_by_a_username_claim(sso, provider):
    sso(OIDC_USERNAME_CLAIM="preferred_username")
    user = user_with("jdoe", "")
    provider.sign_in_as(preferred_username="JDoe", email="john.doe@example.org")
    client = Client()
    sign_in(client, provider)
    assert signed_in_user(client) == user
    user.refresh_from_db()
    assert user.email == "john.doe@example.org"  # an empty address is filled in


def test_an_inactive_user_is_refused(sso, provider):
    sso()
    user_with("gone", "gone@example.org", Role.EXECUTIVE, is_active=False)
    provider.sign_in_as(email="gone@example.org")
    client = Client()
    assert refusal(client, sign_in(client, provider)) == "Your pmo account is disabled."


def test_a_user_made_inactive_loses_the_session_signed_in_by_the_provider(sso, provider):
    sso()
    user = user_with("leaver", "leaver@example.org", Role.EXECUTIVE)
    provider.sign_in_as(email="leaver@example.org")
    client = Client()
    sign_in(client, provider)
    assert client.get("/projects/").status_code == 200
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/projects/")["Location"] == "/login/?next=/projects/"


def test_an_unverified_email_address_matches_nobody(sso, provider):
    sso(OIDC_CREATE_USERS="1")
    user_with("victim", "victim@example.org", Role.PMO_DIRECTOR)
    provider.sign_in_as(email="victim@example.org", email_verified=False)
    client = Client()
    assert refusal(client, sign_in(client, provider)) == (
        "Your e-mail address victim@example.org is not verified at Example ID."
    )


def test_an_id_token_signed_with_another_key_is_refused(sso, provider):
    sso(OIDC_CREATE_USERS="1")
    user_with("target", "target@example.org", Role.PMO_DIRECTOR)
    provider.sign_in_as(email="target@example.org")
    provider.forge_with_other_key = True
    client = Client()
    assert refusal(client, sign_in(client, provider)) == "Signing in with Example ID failed. Try again."


def test_an_id_token_for_another_client_is_refused(sso, provider):
    sso()
    user_with("target", "target@example.org", Role.PMO_DIRECTOR)
    provider.sign_in_as(email="target@example.org")
    provider.audience = "some-other-application"
    client = Client()
    assert refusal(client, sign_in(client, provider)) == "The provider's answer was not meant for pmo."


def test_a_replayed_or_foreign_callback_signs_nobody_in(sso, provider):
    sso()
    user_with("pat", "pat@example.org", Role.PROJECT_MANAGER)
    provider.sign_in_as(email="pat@example.org")
    client = Client()
    start = client.get("/oidc/authenticate/")
    back = requests.get(start["Location"], allow_redirects=False, timeout=10).headers["Location"]
    callback = urlsplit(back)
    # the redirect back opened in another browser (no session with that state): refused
    stranger = Client()
    assert stranger.get(f"{callback.path}?{callback.query}")["Location"] == "/login/"
    assert signed_in_user(stranger) is None
    # the right browser signs in once; the same answer again is refused
    assert client.get(f"{callback.path}?{callback.query}")["Location"] == "/"
    client.logout()
    assert refusal(client, client.get(f"{callback.path}?{callback.query}"))


def test_the_providers_error_is_shown(sso, provider):
    sso()
    client = Client()
    start = client.get("/oidc/authenticate/")
    state = parse_qs(urlsplit(start["Location"]).query)["state"][0]
    answer = client.get("/oidc/callback/", {"error": "access_denied", "state": state})
    assert refusal(client, answer) == "Example ID did not sign you in (access_denied)."


def test_refused_sign_ins_never_lock_anyone_out(sso, provider):
    sso()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        provider.sign_in_as(email="stranger@example.org")
        client = Client()
        refusal(client, sign_in(client, provider))
    assert AccessAttempt.objects.count() == 0
    user = user_with("pat", "pat@example.org", Role.PROJECT_MANAGER)
    provider.sign_in_as(email="pat@example.org")
    client = Client()
    sign_in(client, provider)
    assert signed_in_user(client) == user


# --- sign-in page and sign-out -------------------------------------------------------------------------


def test_the_sign_in_page_offers_the_provider_next_to_the_password_form(sso):
    sso()
    page = Client().get("/login/", {"next": "/projects/"}).content.decode()
    assert f'<a class="button primary" href="/oidc/authenticate/?next=%2Fprojects%2F">{BUTTON}</a>' in page
    assert 'name="password"' in page
    # and the password still works
    user_with("pat", "pat@example.org", Role.PROJECT_MANAGER)
    client = Client()
    assert client.post("/login/", {"username": "pat", "password": "pw-pat"})["Location"] == "/"


def test_oidc_only_hides_and_refuses_password_sign_in(sso):
    sso(OIDC_ONLY="1")
    user_with("pat", "pat@example.org", Role.PROJECT_MANAGER)
    client = Client()
    page = client.get("/login/").content.decode()
    assert BUTTON in page and 'name="password"' not in page
    refused = client.post("/login/", {"username": "pat", "password": "pw-pat"})
    assert refused.status_code == 403
    assert "Password sign-in is turned off: sign in with Example ID." in refused.content.decode()
    assert signed_in_user(client) is None


def test_sign_out_ends_pmo_session_and_the_providers(sso, provider):
    sso()
    user_with("pat", "pat@example.org", Role.PROJECT_MANAGER)
    provider.sign_in_as(email="pat@example.org")
    client = Client()
    sign_in(client, provider)
    id_token = client.session["oidc_id_token"]

    out = client.post("/logout/")

    location = urlsplit(out["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.issuer}/logout"
    assert {k: v[0] for k, v in parse_qs(location.query).items()} == {
        "id_token_hint": id_token,
        "client_id": CLIENT_ID,
        "post_logout_redirect_uri": "http://testserver/login/",
    }
    assert signed_in_user(client) is None
    assert client.get("/projects/")["Location"] == "/login/?next=/projects/"
    back = requests.get(out["Location"], allow_redirects=False, timeout=10)
    assert back.headers["Location"] == "http://testserver/login/"


def test_sign_out_after_a_password_sign_in_stays_in_pmo(sso):
    sso()
    user_with("pat", "pat@example.org", Role.PROJECT_MANAGER)
    client = Client()
    client.post("/login/", {"username": "pat", "password": "pw-pat"})
    assert client.post("/logout/")["Location"] == "/login/"


def _directives(policy: str) -> dict[str, str]:
    """The policy's directives by name (their order in the header is not fixed)."""
    return {name: value for name, _, value in (d.strip().partition(" ") for d in policy.split(";") if d.strip())}


def test_the_content_security_policy_lets_the_sign_out_form_reach_the_provider(sso, provider):
    policy = _directives(Client().get("/login/")["Content-Security-Policy"])
    assert policy["form-action"] == "'self'"
    sso()
    policy = _directives(Client().get("/login/")["Content-Security-Policy"])
    assert policy["form-action"] == f"'self' {provider.issuer}"


# --- configuration -----------------------------------------------------------------------------------------


def test_explicit_endpoints_work_without_discovery(sso, provider, settings):
    env = {k: v for k, v in sso_env(provider).items() if k != "OIDC_ISSUER"}
    env.update(
        OIDC_OP_AUTHORIZATION_ENDPOINT=f"{provider.issuer}/authorize",
        OIDC_OP_TOKEN_ENDPOINT=f"{provider.issuer}/token",
        OIDC_OP_USER_ENDPOINT=f"{provider.issuer}/userinfo",
        OIDC_OP_JWKS_ENDPOINT=f"{provider.issuer}/jwks",
    )
    overlay = settings_for(env)
    assert (overlay["OIDC_OP_ISSUER"], overlay["OIDC_OP_LOGOUT_ENDPOINT"]) == (None, None)
    user = user_with("pat", "pat@example.org", Role.PROJECT_MANAGER)
    provider.sign_in_as(email="pat@example.org")
    with override_settings(**overlay):
        client = Client()
        sign_in(client, provider)
        assert signed_in_user(client) == user
        assert client.post("/logout/")["Location"] == "/login/"  # no provider sign-out known


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OIDC_RP_CLIENT_SECRET": ""}, "^OIDC_RP_CLIENT_ID is set but OIDC_RP_CLIENT_SECRET is not$"),
        ({"OIDC_ISSUER": "http://127.0.0.1:9"}, "^OIDC_ISSUER=http://127.0.0.1:9: could not read the provider's"),
        ({"OIDC_ISSUER": ""}, "^single sign-on needs OIDC_OP_AUTHORIZATION_ENDPOINT, .* \\(or set OIDC_ISSUER\\)$"),
        ({"OIDC_RP_SIGN_ALGO": "ES256"}, "^OIDC_RP_SIGN_ALGO=ES256: the provider at OIDC_ISSUER=.* signs with RS256$"),
        ({"OIDC_ROLE_MAP": "admins=Superhero"}, "^OIDC_ROLE_MAP: 'admins=Superhero' is not 'provider group=pmo role'"),
        ({"OIDC_TIMEOUT": "soon"}, "^OIDC_TIMEOUT: 'soon' is not a number of seconds$"),
    ],
)
def test_a_configuration_that_cannot_work_names_the_variable(provider, env, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        settings_for(sso_env(provider, **env))


def test_the_issuer_must_be_the_one_the_provider_names(provider):
    with pytest.raises(ImproperlyConfigured, match="set OIDC_ISSUER to exactly that value"):
        settings_for(sso_env(provider, OIDC_ISSUER=provider.issuer.replace("127.0.0.1", "localhost")))


def _pmo(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_") and k not in ("DEBUG", "DATABASE_URL")}
    return subprocess.run(
        [sys.executable, "-m", "pmo", *args], env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_start_up_reads_the_environment_and_the_deployment_check_stays_clean(provider, tmp_path):
    production = {
        "SECRET_KEY": "a-long-random-production-key-" + "x7Q2pL9vR4sT8wY1zA6bC3dE5fG0hJ" * 2,
        "ALLOWED_HOSTS": "pmo.example.org",
        "HTTPS": "1",
        "PMO_DATA_DIR": str(tmp_path),
    }
    env = {**production, **sso_env(provider, OIDC_ONLY="1")}
    shown = _pmo(
        "manage",
        "shell",
        "-c",
        "from django.conf import settings as s; "
        "print(s.AUTHENTICATION_BACKENDS, s.OIDC_OP_TOKEN_ENDPOINT, s.OIDC_ONLY, s.SESSION_COOKIE_SECURE)",
        env=env,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip().splitlines()[-1] == (
        "['axes.backends.AxesStandaloneBackend', 'django.contrib.auth.backends.ModelBackend', "
        f"'pmo.core.oidc.OIDCBackend'] {provider.issuer}/token True True"
    )
    check = _pmo("manage", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert check.returncode == 0, check.stderr
    assert "System check identified no issues (0 silenced)." in check.stdout

    unreachable = _pmo("manage", "check", env={**env, "OIDC_ISSUER": "http://127.0.0.1:9"})
    assert unreachable.returncode == 2
    assert unreachable.stderr.startswith("pmo: configuration error: OIDC_ISSUER=http://127.0.0.1:9: could not read")
