"""Single sign-on in a real browser: the sign-in page offers the provider, Chromium follows the whole
OpenID Connect flow against the test provider (tests/core/oidc_provider.py) under pmo's
Content-Security-Policy and cookie settings, and signing out ends the provider's session too."""

import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import override_settings
from playwright.sync_api import Page, expect

from pmo.core.oidc_settings import oidc_settings
from tests.core.oidc_provider import CLIENT_ID, CLIENT_SECRET, Provider, RunningProvider
from tests.e2e.screenshots import screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def provider() -> Iterator[Provider]:
    running = RunningProvider()
    env = {
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_ISSUER": running.issuer,
        "OIDC_PROVIDER_NAME": "Example ID",
    }
    overlay = oidc_settings(env, backends=settings.AUTHENTICATION_BACKENDS, csp=settings.CONTENT_SECURITY_POLICY)
    with override_settings(**overlay):
        yield running.provider
    running.close()


def test_sign_in_and_out_through_the_provider(provider: Provider, page: Page) -> None:
    provider.sign_in_as(email="PM@example.org", email_verified=True)  # the demo's project manager

    page.goto("/projects/")
    page.wait_for_url(re.compile(r"/login/\?next=/projects/$"))
    sign_in = page.get_by_role("link", name="Sign in with Example ID")
    expect(sign_in).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()  # password sign-in stays (OIDC_ONLY is off)
    screenshot(page, "sso-sign-in")

    sign_in.click()
    page.wait_for_url(re.compile(r"/projects/$"))
    expect(page.locator(".topbar .roles")).to_have_text("Project manager")
    assert len(provider.token_requests) == 1

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login/$"))
    assert [sorted(entry) for entry in provider.logouts] == [["client_id", "id_token_hint", "post_logout_redirect_uri"]]
    page.goto("/projects/")
    page.wait_for_url(re.compile(r"/login/\?next=/projects/$"))
