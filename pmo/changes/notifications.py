"""Notifications: one inbox entry per user and, for the kinds each user chose, an e-mail sent after the
write commits by a background task (so a slow or failing mail server never blocks or undoes the write)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.message import EmailMessage
from django.db import transaction
from django_tasks import task as background_task

from pmo.changes.models import EMAIL_BY_DEFAULT, Notification, NotificationKind, NotificationPreference
from pmo.core.errors import ValidationFailed

log = logging.getLogger(__name__)


def email_kinds(user: Any) -> set[str]:
    """The kinds of notification `user` also gets by e-mail."""
    chosen = dict(NotificationPreference.objects.filter(user_id=user.pk).values_list("kind", "email"))
    return {kind for kind in NotificationKind.values if chosen.get(kind, kind in EMAIL_BY_DEFAULT)}


def notify(*, users: Iterable[Any], message: str, url: str = "", kind: str = NotificationKind.OTHER) -> int:
    """One unread notification per user (duplicates and missing users skipped); returns how many. Users who
    chose e-mail for this kind (and have an address) get one after the write commits."""
    if kind not in NotificationKind.values:
        raise ValueError(f"unknown notification kind {kind!r}")
    recipients = {u.pk: u for u in users if u is not None and getattr(u, "pk", None)}
    created = Notification.objects.bulk_create(
        Notification(recipient=u, kind=kind, message=message[:300], url=url) for u in recipients.values()
    )
    # SQLite and PostgreSQL return the new rows' ids from bulk_create.
    mailed = [n.pk for n in created if n.recipient.email and kind in email_kinds(n.recipient)]
    if mailed:
        transaction.on_commit(lambda: send_notification_emails.enqueue(mailed))
    return len(recipients)


@background_task()
def send_notification_emails(ids: list[int]) -> int:
    """Send the e-mails of these notifications; returns how many went out. A failure is logged, and the
    notifications stay in the inbox."""
    base = getattr(settings, "PMO_BASE_URL", "").rstrip("/")
    messages = []
    for note in Notification.objects.filter(pk__in=ids).select_related("recipient"):
        link = f"\n\n{base}{note.url}" if note.url and base else (f"\n\n{note.url}" if note.url else "")
        why = f"{note.get_kind_display().lower()}; choose what comes by e-mail on the Notifications page"
        body = f"{note.message}{link}\n\n— pmo ({why})"
        messages.append(
            EmailMessage(
                subject=f"[pmo] {note.message[:90]}",
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[note.recipient.email],
            )
        )
    if not messages:
        return 0
    try:
        return get_connection().send_messages(messages) or 0
    except OSError as error:  # SMTP down, refused, file backend unwritable
        log.warning("notification e-mails not sent: %s", error)
        return 0


@transaction.atomic
def preferences_set(*, user: Any, email: Mapping[str, bool]) -> set[str]:
    """Choose, kind by kind, which notifications also come by e-mail; returns the kinds now e-mailed."""
    unknown = sorted(set(email) - set(NotificationKind.values))
    if unknown:
        raise ValidationFailed({"kind": f"Unknown kind(s): {', '.join(unknown)}."})
    for kind, on in email.items():
        NotificationPreference.objects.update_or_create(user_id=user.pk, kind=kind, defaults={"email": bool(on)})
    return email_kinds(user)
