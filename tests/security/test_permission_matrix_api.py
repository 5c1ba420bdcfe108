"""The permission matrix of docs/roles.md, held against every operation of the API (issue 10).

For each operation and each context of its row (tests/security/matrix.py), every role calls it with its own API
token, and so does a user without a role:

- an allowed write must succeed (2xx);
- a denied write must answer 403 or 404 and change nothing: the database is snapshotted before and after
  (tests/db_snapshot.py);
- an allowed read answers 200, a denied one 403 or 404; where a role sees only some rows of a list, a test
  below names the exact rows for one representative case.

The denied calls of one case run one after the other and the database is compared once; only when it changed
are they repeated one by one to name the culprit. Allowed calls each run in a savepoint that is rolled back,
so every call starts from the same records.
"""

import json
from typing import Any

import pytest
from django.test import Client

from pmo.core.roles import Role
from tests.db_snapshot import changed_tables, snapshot
from tests.security.calls import CALLS, Call, V, ops_of
from tests.security.conftest import World, rolled_back
from tests.security.matrix import ACTORS, ANY, API, CONTEXTS, EXE, OWN, REQ, ROWS, TM

WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _cases(methods: tuple[str, ...]) -> list[Any]:
    cases = []
    for key in API:
        if key[0] not in methods:
            continue
        for op in ops_of(key):
            entry = CALLS.get((*key, op.row))
            contexts = (entry.contexts if entry else None) or tuple(ROWS.get(op.row, (ANY,)))
            for ctx in contexts:
                cases.append(pytest.param(key, op, ctx, id=f"{key[0]} {key[1][len(V) :]} [{op.row}] {ctx}"))
    return cases


_CLIENT = Client()  # one for every call: a new client loads the middleware again, 40 ms


def send(world: World, actor: Any, method: str, call: Call) -> Any:
    """The call as `actor`, authenticated with their API token."""
    client = _CLIENT
    client.cookies.clear()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {world.tokens[actor]}"}
    if method == "GET":
        return client.get(call.path, call.query, **headers)
    if call.files is not None:
        for value in call.files.values():
            if hasattr(value, "seek"):
                value.seek(0)
        return client.post(call.path, call.files, **headers)
    body = "" if call.body is None else json.dumps(call.body)
    return client.generic(method, call.path, body, content_type="application/json", **headers)


def _said(response: Any) -> str:
    return response.content[:300].decode(errors="replace")


def check_write(
    world: World, subtests: Any, label: str, allowed: frozenset[Any], calls: dict[Any, Any], do: Any
) -> None:
    """Denied callers: 403/404 and nothing changed; allowed callers: 2xx. `do(actor, call)` sends one call."""
    denied = [a for a in ACTORS if a not in allowed]
    before = snapshot()
    answers: dict[Any, Any] = {}
    with rolled_back():
        for actor in denied:
            answers[actor] = do(actor, calls[actor])
        after = snapshot()
    changed: dict[Any, list[str]] = {}
    if after != before:  # name who changed what
        for actor in denied:
            with rolled_back():
                do(actor, calls[actor])
                alone = snapshot()
            if alone != before:
                changed[actor] = changed_tables(before, alone)
    for actor in ACTORS:
        with subtests.test(msg=label, actor=str(actor)):
            if actor in allowed:
                with rolled_back():
                    response = do(actor, calls[actor])
                assert 200 <= response.status_code < 300, (
                    f"{label} as {actor} (allowed): {response.status_code} {_said(response)}"
                )
            else:
                response = answers[actor]
                assert response.status_code in (403, 404), (
                    f"{label} as {actor} (denied): {response.status_code} {_said(response)}"
                )
                assert actor not in changed, f"{label} as {actor} (denied) changed {changed[actor]}"


@pytest.mark.parametrize(("key", "op", "ctx"), _cases(WRITES))
def test_write(key: tuple[str, str], op: Any, ctx: str, world: World, subtests: Any) -> None:
    method, path = key
    build = CALLS[(method, path, op.row)].build
    calls = {actor: build(world, ctx, actor) for actor in ACTORS}
    label = f"{method} {path} [{op.row}: {op.action}, {ctx}]"
    check_write(world, subtests, label, ROWS[op.row][ctx], calls, lambda a, c: send(world, a, method, c))


@pytest.mark.parametrize(("key", "op", "ctx"), _cases(("GET",)))
def test_read(key: tuple[str, str], op: Any, ctx: str, world: World, subtests: Any) -> None:
    method, path = key
    build = CALLS[(method, path, op.row)].build
    calls = {actor: build(world, ctx, actor) for actor in ACTORS}
    allowed = ROWS[op.row][ctx]
    label = f"GET {path} [{op.row}: {op.action}, {ctx}]"
    for actor in ACTORS:
        with subtests.test(msg=label, actor=str(actor)):
            response = send(world, actor, "GET", calls[actor])
            if actor in allowed:
                assert response.status_code == 200, (
                    f"{label} as {actor} (allowed): {response.status_code} {_said(response)}"
                )
            else:
                assert response.status_code in (403, 404), (
                    f"{label} as {actor} (denied): {response.status_code} {_said(response)}"
                )


# --- completeness -------------------------------------------------------------------------------------------------


def test_every_api_operation_has_an_entry_in_the_matrix() -> None:
    from pmo.api.main import api

    schema = api.get_openapi_schema()
    operations = {(method.upper(), path) for path, item in schema["paths"].items() for method in item}
    missing = sorted(operations - set(API))
    gone = sorted(set(API) - operations)
    assert not missing, f"API operations without an entry in tests/security/matrix.py: {missing}"
    assert not gone, f"entries of tests/security/matrix.py for operations that no longer exist: {gone}"


def test_every_entry_names_a_row_and_a_call() -> None:
    problems = []
    for key in API:
        for op in ops_of(key):
            if op.row not in ROWS:
                problems.append(f"{key}: no row {op.row!r}")
                continue
            if not set(ROWS[op.row]) <= set(CONTEXTS):
                problems.append(f"row {op.row!r}: unknown context")
            entry = CALLS.get((*key, op.row))
            if entry is None:
                problems.append(f"{key} [{op.row}]: no builder in tests/security/calls.py")
            elif entry.contexts and not set(entry.contexts) <= set(ROWS[op.row]):
                problems.append(f"{key} [{op.row}]: contexts {entry.contexts} not in the row")
    extra = [k for k in CALLS if (k[0], k[1]) not in API or k[2] not in {o.row for o in ops_of((k[0], k[1]))}]
    assert not problems and not extra, problems + [f"builder without an entry: {k}" for k in extra]


# --- lists a role sees only part of -------------------------------------------------------------------------------


def _get(world: World, actor: Any, path: str, **query: Any) -> Any:
    response = send(world, actor, "GET", Call(path, query=query))
    assert response.status_code == 200, response.content
    return response.json()


def test_requesters_see_only_their_own_proposals(world: World) -> None:
    mine = world.proposal(world.users[REQ])
    theirs = world.proposal(world.pm2)
    assert [p["id"] for p in _get(world, REQ, f"{V}/proposals")["items"]] == [mine.pk]
    assert sorted(p["id"] for p in _get(world, Role.PMO_ANALYST, f"{V}/proposals")["items"]) == [mine.pk, theirs.pk]


def test_requesters_see_the_public_facts_of_projects(world: World) -> None:
    rows = {p["code"]: p for p in _get(world, REQ, f"{V}/projects")["items"]}
    assert sorted(rows) == ["P1", "P2", "P3"]
    assert {(p["budget"], p["currency"], p["priority"], p["health"]) for p in rows.values()} == {
        (None, None, None, None)
    }
    assert _get(world, EXE, f"{V}/projects/{world.p1.pk}")["budget"] == "1250000.00"


def test_team_members_see_only_the_risks_of_their_projects(world: World) -> None:
    mine = world.risk(OWN)  # P1: the team member works on its Design task
    world.risk("other")
    assert [r["id"] for r in _get(world, TM, f"{V}/risks")["items"]] == [mine.pk]
    assert len(_get(world, EXE, f"{V}/risks")["items"]) == 2


def test_team_members_see_only_their_own_timesheets(world: World) -> None:
    sheet = world.timesheet(world.p1)
    assert _get(world, TM, f"{V}/timesheets/{sheet.pk}")["id"] == sheet.pk
    assert send(world, Role.PROJECT_ADMINISTRATOR, "GET", Call(f"{V}/timesheets/{sheet.pk}")).status_code == 200
    # the approvals waiting: only those the caller may approve
    assert [s["id"] for s in _get(world, Role.PROJECT_MANAGER, f"{V}/timesheets/approvals")] == [sheet.pk]
    assert [s["id"] for s in _get(world, Role.PORTFOLIO_MANAGER, f"{V}/timesheets/approvals")] == [sheet.pk]
    assert _get(world, Role.PMO_ANALYST, f"{V}/timesheets/approvals") == []
    assert _get(world, TM, f"{V}/timesheets/approvals") == []


def test_team_members_heat_map_counts_only_the_risks_they_see(world: World) -> None:
    world.risk("other")  # P3's: the team member does not work on P3
    cells = _get(world, TM, f"{V}/projects/{world.p3.pk}/risk-heatmap")["cells"]
    assert sum(c["count"] for c in cells) == 0
    cells = _get(world, EXE, f"{V}/projects/{world.p3.pk}/risk-heatmap")["cells"]
    assert sum(c["count"] for c in cells) == 1


def test_archived_reports_are_listed_to_whoever_may_download_them(world: World) -> None:
    report = world.report()  # produced by the project manager
    for actor in (Role.PROJECT_MANAGER, Role.PMO_DIRECTOR, Role.PMO_ANALYST, Role.PORTFOLIO_MANAGER, EXE):
        assert [r["id"] for r in _get(world, actor, f"{V}/reports")] == [report.pk], actor
    for actor in (Role.PROJECT_ADMINISTRATOR, Role.RESOURCE_MANAGER):
        assert _get(world, actor, f"{V}/reports") == [], actor


def test_subscriptions_are_listed_to_their_owner_and_the_director(world: World) -> None:
    subscription = world.subscription()  # the project manager's
    assert [s["id"] for s in _get(world, Role.PROJECT_MANAGER, f"{V}/report-subscriptions")] == [subscription.pk]
    assert _get(world, EXE, f"{V}/report-subscriptions", all="true") == []
    assert [s["id"] for s in _get(world, Role.PMO_DIRECTOR, f"{V}/report-subscriptions", all="true")] == [
        subscription.pk
    ]
