"""Notifications by kind, and by e-mail for the kinds each user chooses: sent after the write commits, with
the link; the inbox always has them."""

import pytest
from django.core import mail
from django.test import Client

from pmo.changes.models import Notification, NotificationPreference
from pmo.changes.notifications import email_kinds, notify, preferences_set
from pmo.core.errors import ValidationFailed
from pmo.core.roles import Role


@pytest.fixture
def pm(roles):
    user = roles[Role.PROJECT_MANAGER]
    user.email = "pm@example.org"
    user.save()
    return user


def test_default_kinds_by_email(pm):
    assert email_kinds(pm) == {"approval", "gate", "deviation", "report"}


def test_an_email_goes_out_after_commit_for_the_chosen_kinds(pm, roles, settings, django_capture_on_commit_callbacks):
    settings.PMO_BASE_URL = "https://pmo.example.org"
    other = roles[Role.EXECUTIVE]  # no e-mail address: inbox only
    with django_capture_on_commit_callbacks(execute=True):
        count = notify(
            users=[pm, other, pm, None],
            message="P1: CPI is 0.8, past the red threshold 0.9.",
            url="/deviations/",
            kind="deviation",
        )
    assert count == 2
    assert sorted(Notification.objects.values_list("recipient__username", "kind")) == [
        ("exec", "deviation"),
        ("pm", "deviation"),
    ]
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert (sent.to, sent.subject) == (["pm@example.org"], "[pmo] P1: CPI is 0.8, past the red threshold 0.9.")
    assert "https://pmo.example.org/deviations/" in sent.body
    # An assignment is inbox-only by default; the user turns it on, and deviations off.
    preferences_set(user=pm, email={"assignment": True, "deviation": False})
    with django_capture_on_commit_callbacks(execute=True):
        notify(users=[pm], message="Jonas Weber assigned to your request.", kind="assignment")
        notify(users=[pm], message="P1: SPI is now red (0.7).", kind="deviation")
    assert [m.subject for m in mail.outbox[1:]] == ["[pmo] Jonas Weber assigned to your request."]
    assert Notification.objects.filter(recipient=pm).count() == 3


def test_unknown_kinds_are_refused(pm):
    with pytest.raises(ValidationFailed) as error:
        preferences_set(user=pm, email={"gossip": True})
    assert error.value.fields == {"kind": ["Unknown kind(s): gossip."]}
    assert not NotificationPreference.objects.exists()
    with pytest.raises(ValueError, match="unknown notification kind 'gossip'"):
        notify(users=[pm], message="x", kind="gossip")
    assert not Notification.objects.exists()


def test_preferences_on_the_page_and_over_the_api(pm, client_for):
    client = Client()
    client.force_login(pm)
    page = client.get("/notifications/")
    assert [k for k, _label, on in page.context["preferences"] if on] == ["approval", "gate", "deviation", "report"]
    response = client.post("/notifications/", {"action": "preferences", "email": ["gate", "dependency"]}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["E-mail for 2 kind(s) of notification (pm@example.org)."]
    assert email_kinds(pm) == {"gate", "dependency"}
    api = client.get("/api/v1/notifications/preferences").json()
    assert [k for k, on in api["email"].items() if on] == ["gate", "dependency"]
    changed = client.put(
        "/api/v1/notifications/preferences", {"email": {"report": True}}, content_type="application/json"
    ).json()
    assert [k for k, on in changed["email"].items() if on] == ["gate", "dependency", "report"]
    bad = client.put("/api/v1/notifications/preferences", {"email": {"x": True}}, content_type="application/json")
    assert (bad.status_code, bad.json()["details"]["fields"]) == (422, {"kind": ["Unknown kind(s): x."]})
    notify(users=[pm], message="You review the gate Design of P1.", kind="gate")
    notify(users=[pm], message="P2 waits for P1.", kind="dependency")
    filtered = client.get("/notifications/?kind=gate")
    assert [n.message for n in filtered.context["items"]] == ["You review the gate Design of P1."]
    listed = client.get("/api/v1/notifications").json()
    assert [(n["kind"], n["message"]) for n in listed] == [
        ("dependency", "P2 waits for P1."),
        ("gate", "You review the gate Design of P1."),
    ]
