"""The permission matrix of docs/roles.md, held against every page that writes (issue 10).

Each page entry of tests/security/matrix.py names the buttons the test presses: the page is opened (as the PMO
director unless the builder says otherwise), its form read as a browser would, and posted as every role and as
a user without a role, each signed in with a session (the test client does not check CSRF tokens):

- a denied post answers 403 or 404 and changes nothing (the database is compared before and after);
- an allowed post answers with the page or a redirect (below 400) and changes the database: a form that only
  came back with an error would change nothing.

Which pages write: those whose view, or a function of the view's module the view hands the request to, handles a
POST (reads `request.POST`, checks for "POST" or is `require_POST`); every other page of the site must be listed as
read-only, so that a new page fails until it is placed in the matrix.
"""

import inspect
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.db_snapshot import changed_tables, snapshot
from tests.security.conftest import World, rolled_back
from tests.security.forms import forms_of, pick, submission
from tests.security.matrix import ACTORS, ANY, CONTEXTS, NOT_PAGES, PAGES, READ_PAGES, ROWS
from tests.security.pages import PAGE_CALLS, Post, ops_of

_CLIENTS: dict[Any, Client] = {}  # one per caller for the whole run: a new client loads the middleware again


@pytest.fixture
def clients(world: World) -> dict[Any, Client]:
    """A client signed in as each caller (sessions are rows too: all made before any snapshot)."""
    for actor in ACTORS:
        client = _CLIENTS.setdefault(actor, Client())
        client.cookies.clear()
        client.force_login(world.users[actor])
    return _CLIENTS


def _cases() -> list[Any]:
    cases = []
    for route in PAGES:
        for op in ops_of(route):
            entry = PAGE_CALLS.get((route, op.action))
            contexts = (entry.contexts if entry else None) or tuple(ROWS.get(op.row, (ANY,)))
            for ctx in contexts:
                cases.append(pytest.param(route, op, ctx, id=f"{route} [{op.action}] {ctx}"))
    return cases


def _data(post: Post, clients: dict[Any, Client], pages: dict[tuple[str, Any], Any]) -> dict[str, Any]:
    if post.page is None:
        return dict(post.fill)
    key = (post.page, post.viewer)
    if key not in pages:
        response = clients[post.viewer].get(post.page)
        assert response.status_code == 200, f"{post.page} as {post.viewer}: {response.status_code}"
        pages[key] = forms_of(response.content.decode())
    form = pick(pages[key], urlsplit(post.url).path, post.match, urlsplit(post.page).path)
    return submission(form, post.match, post.fill)


def _post(client: Client, post: Post, data: dict[str, Any]) -> Any:
    for value in data.values():
        if hasattr(value, "seek"):
            value.seek(0)
    return client.post(post.url, data)


@pytest.mark.parametrize(("route", "op", "ctx"), _cases())
def test_page(route: str, op: Any, ctx: str, world: World, clients: dict[Any, Client], subtests: Any) -> None:
    build = PAGE_CALLS[(route, op.action)].build
    posts = {actor: build(world, ctx, actor) for actor in ACTORS}
    for post in posts.values():
        assert resolve(urlsplit(post.url).path).route == route, post.url
    pages: dict[tuple[str, Any], Any] = {}
    data = {actor: _data(post, clients, pages) for actor, post in posts.items()}
    allowed = ROWS[op.row][ctx]
    label = f"POST {route} [{op.row}: {op.action}, {ctx}]"
    denied = [a for a in ACTORS if a not in allowed]
    before = snapshot()
    answers: dict[Any, Any] = {}
    with rolled_back():
        for actor in denied:
            answers[actor] = _post(clients[actor], posts[actor], data[actor])
        after = snapshot()
    changed: dict[Any, list[str]] = {}
    if after != before:  # name who changed what
        for actor in denied:
            with rolled_back():
                _post(clients[actor], posts[actor], data[actor])
                alone = snapshot()
            if alone != before:
                changed[actor] = changed_tables(before, alone)
    for actor in ACTORS:
        with subtests.test(msg=label, actor=str(actor)):
            if actor in allowed:
                with rolled_back():
                    response = _post(clients[actor], posts[actor], data[actor])
                    wrote = snapshot() != before
                said = f"{response.status_code} {response.headers.get('Location', '')}"
                assert response.status_code < 400, f"{label} as {actor} (allowed): {said}"
                assert wrote, f"{label} as {actor} (allowed) changed nothing: {said} {_flash(response)}"
            else:
                response = answers[actor]
                assert response.status_code in (403, 404), f"{label} as {actor} (denied): {response.status_code}"
                assert actor not in changed, f"{label} as {actor} (denied) changed {changed[actor]}"


def _flash(response: Any) -> str:
    """The error the page showed, to say why an allowed post wrote nothing."""
    text = response.content.decode(errors="replace")
    found = re.findall(r'class="[^"]*(?:error|errorlist|alert)[^"]*"[^>]*>(.*?)</', text, re.S)
    cookie = response.cookies.get("messages")
    return "; ".join(f.strip() for f in found if f.strip())[:300] + (
        f" messages={cookie.value[:200]}" if cookie else ""
    )


# --- completeness -------------------------------------------------------------------------------------------------


def _routes() -> dict[str, Any]:
    """Every URL pattern of the site but the admin and the API, with its view."""

    def walk(resolver: URLResolver, prefix: str = "") -> Any:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.callback

    return {route: view for route, view in walk(get_resolver()) if not route.startswith(("admin/", "api/"))}


def _takes_post(view: Any) -> bool:
    """The view, or a function of its module that it calls (and so on), handles a POST."""
    view = inspect.unwrap(view)
    if getattr(view, "view_class", None) is not None:
        return any(hasattr(view.view_class, m) for m in ("post", "form_valid"))
    module = inspect.getmodule(view)
    seen: set[str] = set()
    todo = [view]
    while todo:
        function = todo.pop()
        source = inspect.getsource(function)
        if "POST" in source:
            return True
        for name in set(re.findall(r"\b(\w+)\(", source)) - seen:
            seen.add(name)
            helper = getattr(module, name, None)
            if inspect.isfunction(helper) and inspect.getmodule(helper) is module:
                todo.append(inspect.unwrap(helper))
    return False


def test_every_page_that_writes_has_an_entry_in_the_matrix() -> None:
    routes = _routes()
    writing = {route for route, view in routes.items() if route not in NOT_PAGES and _takes_post(view)}
    unlisted = sorted(set(routes) - set(PAGES) - READ_PAGES - NOT_PAGES)
    missing = sorted(writing - set(PAGES))
    not_writing = sorted(set(PAGES) - writing)
    gone = sorted((set(PAGES) | READ_PAGES | NOT_PAGES) - set(routes))
    assert not missing, f"pages that take a POST without an entry in PAGES (tests/security/matrix.py): {missing}"
    assert not unlisted, f"pages in neither PAGES nor READ_PAGES (tests/security/matrix.py): {unlisted}"
    assert not not_writing, f"PAGES entries whose view takes no POST: {not_writing}"
    assert not gone, f"entries of tests/security/matrix.py for pages that no longer exist: {gone}"


def test_every_page_entry_names_a_row_and_a_post() -> None:
    problems = []
    for route in PAGES:
        for op in ops_of(route):
            if op.row not in ROWS:
                problems.append(f"{route}: no row {op.row!r}")
                continue
            if not set(ROWS[op.row]) <= set(CONTEXTS):
                problems.append(f"row {op.row!r}: unknown context")
            entry = PAGE_CALLS.get((route, op.action))
            if entry is None:
                problems.append(f"{route} [{op.action}]: no builder in tests/security/pages.py")
            elif entry.contexts and not set(entry.contexts) <= set(ROWS[op.row]):
                problems.append(f"{route} [{op.action}]: contexts {entry.contexts} not in the row")
    extra = [k for k in PAGE_CALLS if k[0] not in PAGES or k[1] not in {o.action for o in ops_of(k[0])}]
    assert not problems and not extra, problems + [f"builder without an entry: {k}" for k in extra]
