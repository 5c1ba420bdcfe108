"""Single sign-on through OpenID Connect: the Django settings, read from the environment.

`pmo/settings.py` calls `oidc_settings(os.environ, backends=..., csp=...)` once while Django starts and
adds what it returns to its own names. Sign-on is off (`{"OIDC_ENABLED": False}`) unless
`OIDC_RP_CLIENT_ID` is set; then the provider's endpoints come from `OIDC_ISSUER` (read from its
`/.well-known/openid-configuration`) or from the explicit `OIDC_OP_*` variables, which win over
discovered ones. A missing variable or a provider that cannot be read stops the start with an
`ImproperlyConfigured` that names the variable.

The tests call the same function with their own environment (a provider they run on 127.0.0.1) and
apply the result with `override_settings`: nothing else reads these settings before a request, so no
module needs reloading (see tests/core/test_oidc.py).

Keep this module free of model imports: it runs before Django's apps are loaded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKEND = "pmo.core.oidc.OIDCBackend"
ENDPOINTS = {
    # setting (and environment variable) -> key of the discovery document
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
LOGOUT_ENDPOINT = "OIDC_OP_LOGOUT_ENDPOINT"  # discovery: end_session_endpoint (optional)
DEFAULT_SCOPES = "openid email profile"
DEFAULT_TIMEOUT_SECONDS = 10


def _flag(env: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = env.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _value(env: Mapping[str, str], name: str) -> str:
    return (env.get(name) or "").strip()


def discover(issuer: str, *, timeout: float) -> dict[str, Any]:
    """The provider's discovery document, checked to belong to `issuer` (OpenID Connect Discovery 1.0 §4)."""
    import requests  # installed with mozilla-django-oidc

    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=timeout, headers={"Accept": "application/json"})
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ImproperlyConfigured(
            f"OIDC_ISSUER={issuer}: could not read the provider's discovery document {url}: {error}"
        ) from error
    if not isinstance(document, dict):
        raise ImproperlyConfigured(f"OIDC_ISSUER={issuer}: {url} is not an OpenID Connect discovery document")
    if str(document.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
        raise ImproperlyConfigured(
            f"OIDC_ISSUER={issuer}: the provider at {url} calls itself {document.get('issuer')!r}; "
            "set OIDC_ISSUER to exactly that value"
        )
    return document


def parse_role_map(text: str) -> dict[str, str]:
    """`OIDC_ROLE_MAP`: "provider group=pmo role" pairs separated by ";" (provider group case-insensitive).

    >>> parse_role_map("pmo-directors=PMO director; 7f3c0d1e=executive")
    {'pmo-directors': 'PMO director', '7f3c0d1e': 'Executive'}
    """
    from pmo.core.roles import Role

    roles = {role.value.casefold(): role.value for role in Role}
    mapping: dict[str, str] = {}
    for pair in text.split(";"):
        if not pair.strip():
            continue
        group, sep, role = pair.rpartition("=")
        if not sep or not group.strip() or role.strip().casefold() not in roles:
            raise ImproperlyConfigured(
                f"OIDC_ROLE_MAP: {pair.strip()!r} is not 'provider group=pmo role' with one of the roles "
                + ", ".join(role.value for role in Role)
            )
        mapping[group.strip().casefold()] = roles[role.strip().casefold()]
    return mapping


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def oidc_settings(env: Mapping[str, str], *, backends: Sequence[str], csp: Mapping[str, Any]) -> dict[str, Any]:
    """The settings single sign-on needs, from `env`; `backends` and `csp` are the settings without it.

    Off unless OIDC_RP_CLIENT_ID is set; then also AUTHENTICATION_BACKENDS (pmo's backend after the
    others: axes stays first, password sign-in keeps working) and CONTENT_SECURITY_POLICY (the
    provider's sign-out address may receive the sign-out form's redirect).
    """
    client_id = _value(env, "OIDC_RP_CLIENT_ID")
    explicit = {name: _value(env, name) for name in (*ENDPOINTS, LOGOUT_ENDPOINT) if _value(env, name)}
    issuer = _value(env, "OIDC_ISSUER")
    if not client_id:
        stray = [name for name in ("OIDC_ISSUER", *explicit, "OIDC_RP_CLIENT_SECRET") if _value(env, name)]
        if stray:
            raise ImproperlyConfigured(
                f"{stray[0]} is set but OIDC_RP_CLIENT_ID is not: set OIDC_RP_CLIENT_ID to turn single "
                "sign-on on, or unset the OIDC_ variables"
            )
        return {"OIDC_ENABLED": False}

    secret = env.get("OIDC_RP_CLIENT_SECRET", "")
    if not secret:
        raise ImproperlyConfigured("OIDC_RP_CLIENT_ID is set but OIDC_RP_CLIENT_SECRET is not")
    try:
        timeout = float(_value(env, "OIDC_TIMEOUT") or DEFAULT_TIMEOUT_SECONDS)
    except ValueError as error:
        raise ImproperlyConfigured(f"OIDC_TIMEOUT: {env.get('OIDC_TIMEOUT')!r} is not a number of seconds") from error
    algorithm = _value(env, "OIDC_RP_SIGN_ALGO") or "RS256"

    endpoints: dict[str, str] = {}
    if issuer:
        document = discover(issuer, timeout=timeout)
        issuer = str(document["issuer"])
        endpoints = {name: str(document[key]) for name, key in ENDPOINTS.items() if document.get(key)}
        if document.get("end_session_endpoint"):
            endpoints[LOGOUT_ENDPOINT] = str(document["end_session_endpoint"])
        supported = document.get("id_token_signing_alg_values_supported")
        if isinstance(supported, list) and algorithm not in supported:
            raise ImproperlyConfigured(
                f"OIDC_RP_SIGN_ALGO={algorithm}: the provider at OIDC_ISSUER={issuer} signs with "
                + ", ".join(map(str, supported))
            )
    endpoints.update(explicit)
    missing = [name for name in ENDPOINTS if not endpoints.get(name)]
    if algorithm.startswith("HS"):
        missing = [name for name in missing if name != "OIDC_OP_JWKS_ENDPOINT"]
    if missing:
        where = f"the provider at OIDC_ISSUER={issuer} does not publish it" if issuer else "or set OIDC_ISSUER"
        raise ImproperlyConfigured(f"single sign-on needs {', '.join(missing)} ({where})")

    provider_logout = _flag(env, "OIDC_PROVIDER_LOGOUT", True) and bool(endpoints.get(LOGOUT_ENDPOINT))
    directives = dict(csp.get("DIRECTIVES", {}))
    if provider_logout:
        origin = _origin(endpoints[LOGOUT_ENDPOINT])
        directives["form-action"] = [*directives.get("form-action", ["'self'"]), origin]

    return {
        "OIDC_ENABLED": True,
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": secret,
        "OIDC_OP_ISSUER": issuer or None,
        **{name: endpoints.get(name) for name in ENDPOINTS},
        LOGOUT_ENDPOINT: endpoints.get(LOGOUT_ENDPOINT) if provider_logout else None,
        "OIDC_RP_SIGN_ALGO": algorithm,
        "OIDC_RP_SCOPES": _value(env, "OIDC_RP_SCOPES") or DEFAULT_SCOPES,
        "OIDC_PROVIDER_NAME": _value(env, "OIDC_PROVIDER_NAME") or "single sign-on",
        "OIDC_USERNAME_CLAIM": _value(env, "OIDC_USERNAME_CLAIM") or None,
        "OIDC_CREATE_USERS": _flag(env, "OIDC_CREATE_USERS"),
        "OIDC_SYNC_ROLES": _flag(env, "OIDC_SYNC_ROLES"),
        "OIDC_GROUPS_CLAIM": _value(env, "OIDC_GROUPS_CLAIM") or "groups",
        "OIDC_ROLE_MAP": parse_role_map(env.get("OIDC_ROLE_MAP", "")),
        "OIDC_ONLY": _flag(env, "OIDC_ONLY"),
        # mozilla-django-oidc's own settings
        "OIDC_USE_PKCE": _flag(env, "OIDC_USE_PKCE", True),
        "OIDC_USE_NONCE": True,
        "OIDC_TIMEOUT": timeout,
        "OIDC_STORE_ID_TOKEN": provider_logout,  # the id_token_hint of the provider's sign-out
        "LOGIN_REDIRECT_URL_FAILURE": "/login/",
        "AUTHENTICATION_BACKENDS": [*backends, BACKEND],
        "CONTENT_SECURITY_POLICY": {**csp, "DIRECTIVES": directives},
    }
