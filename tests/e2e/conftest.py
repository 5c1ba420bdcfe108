"""Fixtures for the browser tests: Debian's Chromium (/usr/bin/chromium, never a downloaded one)
driven by Playwright's sync API against pytest-django's live server, with the demo portfolio loaded.

Every test in this directory is marked `e2e`, so `make test` (which deselects the marker) never
starts a browser.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from pmo.core.roles import Role, sync_role_groups
from pmo.demo import load_demo

CHROMIUM = Path(os.environ.get("PMO_E2E_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000
E2E_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    # The sync API runs an event loop in this thread; Django's ORM, called from the tests and
    # fixtures for setup and checks, would otherwise refuse to run "in an async context".
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (the e2e tests never download a browser)")
    browser = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def demo(transactional_db: Any, live_server: Any) -> str:
    """The demo portfolio in the live server's database; returns the server's base URL.

    Transactional tests flush the database after each test; the role groups come back with the
    post_migrate signal the flush sends, and are recreated here should that ever not happen."""
    if Group.objects.filter(name__in=[r.value for r in Role]).count() != len(Role):
        sync_role_groups()
    load_demo()
    return str(live_server.url)


@pytest.fixture
def context(browser: Browser, demo: str) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=demo, viewport={"width": 1400, "height": 900}, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A fresh tab; the test errors if a page raised a JavaScript error, a static file failed to load or the
    Content-Security-Policy blocked something."""
    page = context.new_page()
    failures: list[str] = []
    page.on("pageerror", lambda error: failures.append(f"JavaScript error: {error}"))
    # The pages must work under the Content-Security-Policy: the browser reports what it blocks.
    page.on(
        "console",
        lambda message: (
            failures.append(f"blocked by the Content-Security-Policy: {message.text}")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            failures.append(f"{response.status} {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )
    yield page
    page.close()
    assert not failures, "the browser saw problems:\n" + "\n".join(failures)
