"""Writes shared by every app: validated, permission-checked, audited creates, updates and deletes, and
personal API tokens. Each app's services build on these and add their own rules."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from pmo.core import audit
from pmo.core.access import require
from pmo.core.errors import StaleVersion, ValidationFailed
from pmo.core.models import ApiToken, AuditEvent, BusinessModel

M = TypeVar("M", bound=BusinessModel)


def validate_instance(obj: models.Model, *, exclude: Iterable[str] = ()) -> None:
    """Run the model's field validation and raise ValidationFailed naming each bad field."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=True)
    except DjangoValidationError as error:
        raise ValidationFailed(
            {("general" if name == "__all__" else name): msgs for name, msgs in error.message_dict.items()}
        ) from error


def _m2m_names(obj: models.Model, m2m: Mapping[str, Iterable[models.Model]] | None) -> dict[str, list[str]]:
    if not m2m:
        return {}
    if obj.pk is None:
        return {name: [str(o) for o in values] for name, values in m2m.items()}
    return {name: [str(o) for o in getattr(obj, name).all()] for name in m2m}


def _check_fields(model: type[models.Model], fields: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields) - set(allowed))
    if unknown:
        raise ValidationFailed({name: "This field cannot be set here." for name in unknown})


def record_create(
    *,
    actor: Any,
    model: type[M],
    fields: Mapping[str, Any],
    allowed: Iterable[str],
    m2m: Mapping[str, Iterable[models.Model]] | None = None,
    comment: str = "",
) -> M:
    """Create a record of `model` from `fields` (only `allowed` names), audited in the same transaction."""
    _check_fields(model, fields, allowed)
    obj = model(**fields)
    require(actor, "add", obj)
    validate_instance(obj)
    with transaction.atomic():
        obj.save()
        m2m_values = {name: list(values) for name, values in (m2m or {}).items()}
        for name, values in m2m_values.items():
            getattr(obj, name).set(values)
        audit.record(
            actor=actor,
            action=AuditEvent.Action.CREATE,
            obj=obj,
            before=None,
            after=audit.snapshot(obj, {n: [str(v) for v in vals] for n, vals in m2m_values.items()}),
            comment=comment,
        )
    return obj


def record_update(
    *,
    actor: Any,
    obj: M,
    changes: Mapping[str, Any],
    allowed: Iterable[str],
    expected_version: int | None = None,
    m2m: Mapping[str, Iterable[models.Model]] | None = None,
    comment: str = "",
    action: str = "change",
) -> M:
    """Apply `changes` to `obj`. A stale `expected_version` raises StaleVersion and writes nothing."""
    _check_fields(type(obj), changes, allowed)
    require(actor, action, obj)
    with transaction.atomic():
        # Lock the row so that two writers cannot both pass the version check.
        current_version = (
            type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("version", flat=True).first()
        )
        if current_version is None:
            raise StaleVersion(f"{obj._meta.verbose_name} {obj} no longer exists.")
        if expected_version is not None and expected_version != current_version:
            obj.refresh_from_db()
            raise StaleVersion(
                f"{obj._meta.verbose_name} {obj} was changed by someone else "
                f"(you edited version {expected_version}, it is now version {current_version}).",
                details={"current_version": current_version, "current": audit.snapshot(obj)},
            )
        before = audit.snapshot(obj, _m2m_names(obj, m2m))
        for name, value in changes.items():
            setattr(obj, name, value)
        validate_instance(obj)
        obj.version = F("version") + 1
        obj.save()
        obj.refresh_from_db(fields=["version", "updated_at"])
        m2m_values = {name: list(values) for name, values in (m2m or {}).items()}
        for name, values in m2m_values.items():
            getattr(obj, name).set(values)
        audit.record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            obj=obj,
            before=before,
            after=audit.snapshot(obj, {n: [str(v) for v in vals] for n, vals in m2m_values.items()}),
            comment=comment,
        )
    return obj


def record_delete(*, actor: Any, obj: models.Model, expected_version: int | None = None) -> None:
    """Delete `obj`, audited; refused (ValidationFailed) while other records still refer to it."""
    require(actor, "delete", obj)
    with transaction.atomic():
        if expected_version is not None and getattr(obj, "version", expected_version) != expected_version:
            raise StaleVersion(f"{obj._meta.verbose_name} {obj} was changed by someone else.")
        before = audit.snapshot(obj)
        pk = obj.pk
        try:
            with transaction.atomic():
                obj.delete()
        except models.ProtectedError as error:
            users = sorted({str(o) for o in error.protected_objects})[:5]
            raise ValidationFailed(
                {"general": f"{obj} is still used by: {', '.join(users)}."}, message=f"{obj} is still in use."
            ) from error
        obj.pk = pk
        audit.record(actor=actor, action=AuditEvent.Action.DELETE, obj=obj, before=before, after=None)


# --- personal API tokens -------------------------------------------------------------------------

TOKEN_PREFIX = "pmo_"


def _digest(token: str) -> str:
    # Tokens carry 256 random bits, so a plain SHA-256 is a safe one-way store (no salt or stretching needed).
    return hashlib.sha256(token.encode()).hexdigest()


MAX_TOKEN_DAYS = 366


def token_create(
    *, user: Any, name: str, scope: str = ApiToken.Scope.WRITE, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Create a token for `user`, read-only or read-write, valid for `expires_in_days` (None: until revoked);
    returns the record and the plaintext token, which is never stored."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "Give the token a name, such as the script that will use it."
    elif len(name) > 100:
        errors["name"] = "At most 100 characters."
    if scope not in ApiToken.Scope.values:
        errors["scope"] = "Choose read or write."
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_TOKEN_DAYS:
        errors["expires_in_days"] = f"Between 1 and {MAX_TOKEN_DAYS} days."
    if errors:
        raise ValidationFailed(errors)
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = None if expires_in_days is None else timezone.now() + dt.timedelta(days=expires_in_days)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=plaintext[:12], digest=_digest(plaintext), scope=scope, expires_at=expires_at
    )
    return token, plaintext


def token_revoke(*, user: Any, token_id: int) -> ApiToken:
    """Revoke one of `user`'s own tokens."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        from django.http import Http404

        raise Http404("No such token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def token_lookup(plaintext: str) -> ApiToken | None:
    """The active (not revoked, not expired) token of an active user, or None."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(plaintext), revoked_at__isnull=True, user__is_active=True)
        .exclude(expires_at__lte=now)
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def token_authenticate(plaintext: str) -> Any | None:
    """The active user owning this token, or None."""
    token = token_lookup(plaintext)
    return None if token is None else token.user
