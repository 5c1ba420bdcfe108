"""Fuzzing the plan import (`pmo import`, the plan page's and the portfolio page's import).

A valid Microsoft Project XML file (the export of a small planned project, and the engine fuzzing's seed
plan with a resource the organisation does not know) is mutated by hypothesis: XML elements deleted,
duplicated, shuffled or moved, values replaced with junk, bytes truncated or inserted.  Every import
either succeeds or raises the services' own :class:`~pmo.core.errors.DomainError` (which the pages and
the API turn into a message), and after a failed one every table holds exactly what it held before.
"""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from pmo.core.errors import DomainError
from pmo.core.roles import Role
from pmo.planning import interchange, services
from pmo.planning.models import Task
from tests.db_snapshot import changed_tables, snapshot
from tests.engine.test_format_fuzzing import SEED_MSPDI, mutated_xml

FUZZ = settings(
    derandomize=os.environ.get("PMO_FUZZ_RANDOM") is None,
    max_examples=int(os.environ.get("PMO_FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
    # each example snapshots the database twice: shrinking a failure would take many minutes, and the
    # derandomised run finds the same (unshrunk) example again
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


@pytest.fixture
def planned(roles: Any, org: Any) -> Any:
    """P1 with an outline, links, an assignment and a baseline: what an import replaces."""
    pm = roles[Role.PROJECT_MANAGER]
    project = org["p1"]
    services.task_create(actor=pm, project=project, name="Phase 1", duration_minutes=0)
    services.task_create(actor=pm, project=project, name="Design", duration_minutes=1440)
    services.task_create(
        actor=pm,
        project=project,
        name="Build",
        duration_minutes=2400,
        predecessors="2FS+1d",
        assignments=[(org["person"][Role.TEAM_MEMBER], Decimal("0.5"))],
    )
    services.task_create(actor=pm, project=project, name="Done", duration_minutes=0, predecessors="3")
    services.task_indent(actor=pm, task=Task.objects.get(project=project, uid=2))
    services.task_indent(actor=pm, task=Task.objects.get(project=project, uid=3))
    services.baseline_capture(actor=pm, project=project, name="Approved")
    return project


def note(value: str, payload: str = "") -> None:
    """Count outcomes for `pytest --hypothesis-show-statistics` (about half of the examples import)."""
    if currently_in_test_context():
        event(value, payload)


def attempt(run: Any, on_success: Any = None) -> bool:
    """Run an import inside a savepoint that is always rolled back (examples stay independent); True when
    it succeeded (then `on_success(result)` checks what it wrote), False when it raised a DomainError, and a
    failure of the test for anything else.  After a DomainError the database must be exactly as before."""
    with transaction.atomic():
        before = snapshot()
        try:
            with transaction.atomic():
                result = run()
        except DomainError as error:
            after = snapshot()
            assert changed_tables(before, after) == []
            transaction.set_rollback(True)
            note("refused", type(error).__name__)
            return False
        note("imported")
        if on_success is not None:
            on_success(result)
        transaction.set_rollback(True)
        return True


def test_the_seed_files_import(roles: Any, org: Any, planned: Any) -> None:
    director = roles[Role.PMO_DIRECTOR]
    exported = interchange.export_mspdi(planned)
    for content in (exported, SEED_MSPDI):
        assert attempt(
            lambda content=content: interchange.plan_import(
                actor=director, project=org["p2"], filename="seed.xml", content=content
            )
        )


@pytest.mark.parametrize("uid", ["\u00b2", "\u0663", "99999999999999999999", "2147483648"])
def test_task_uids_that_are_not_task_numbers_are_renumbered(roles: Any, org: Any, uid: str) -> None:
    """Found by fuzzing: a UID of other digits (str.isdigit() but int() refuses '²') crashed the import with a
    ValueError; a huge one overflowed the task number.  Such files are numbered 1, 2, 3… like any other."""
    content = SEED_MSPDI.replace(b"<UID>4</UID>", f"<UID>{uid}</UID>".encode())
    result = interchange.plan_import(
        actor=roles[Role.PMO_DIRECTOR], project=org["p2"], filename="odd.xml", content=content
    )
    assert result.tasks == 4
    assert list(Task.objects.filter(project=org["p2"]).order_by("uid").values_list("uid", "name")) == [
        (1, "Phase"),
        (2, "Design"),
        (3, "Build"),
        (4, "Done"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            b"<LinkLag>600</LinkLag>",
            b"<LinkLag>-99999999999999999999999999</LinkLag>",
            "link 2 -> 3: lag of -10000000000000000905969664 minutes is beyond 100 years",
        ),
        (
            b"<Duration>PT8H0M0S</Duration>",
            b"<Duration>PT99999999999H0M0S</Duration>",
            "task 3 'Build': duration of 5999999999940 minutes is beyond 100 years",
        ),
        (b"<Units>1</Units>", b"<Units>1e6</Units>", "assignment of resource 1 to task 2: units 1e+06 not within"),
    ],
)
def test_values_beyond_the_columns_are_refused(
    roles: Any, org: Any, planned: Any, old: bytes, new: bytes, message: str
) -> None:
    """Found by fuzzing: a huge LinkLag reached the database (OverflowError on SQLite, DataError on
    PostgreSQL); durations and assignment units had the same gap."""
    assert old in SEED_MSPDI
    content = SEED_MSPDI.replace(old, new, 1)
    before = snapshot()
    with pytest.raises(DomainError) as error:
        interchange.plan_import(actor=roles[Role.PMO_DIRECTOR], project=planned, filename="big.xml", content=content)
    assert error.value.message.startswith("big.xml: ") and message in error.value.message
    assert changed_tables(before, snapshot()) == []


@FUZZ
@given(data=st.data())
def test_mutated_files_import_or_change_nothing(roles: Any, org: Any, planned: Any, data: st.DataObject) -> None:
    seed = data.draw(st.sampled_from(["export", "engine"]), label="seed")
    content = data.draw(mutated_xml(interchange.export_mspdi(planned) if seed == "export" else SEED_MSPDI))
    actor = roles[data.draw(st.sampled_from([Role.PMO_DIRECTOR, Role.PROJECT_MANAGER]), label="role")]
    attempt(lambda: interchange.plan_import(actor=actor, project=planned, filename="fuzz.xml", content=content))


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 3))
@given(data=st.data())
def test_mutated_files_create_a_project_or_nothing(roles: Any, org: Any, data: st.DataObject) -> None:
    content = data.draw(mutated_xml(SEED_MSPDI))
    actor = roles[data.draw(st.sampled_from([Role.PMO_DIRECTOR, Role.PORTFOLIO_MANAGER]), label="role")]
    attempt(
        lambda: interchange.project_create_from_file(
            actor=actor, portfolio=org["portfolio"], code="NEW", filename="fuzz.xml", content=content
        )
    )


@settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 3))
@given(data=st.data())
def test_mutated_primavera_files_import_or_change_nothing(
    roles: Any, org: Any, planned: Any, data: st.DataObject
) -> None:
    """The same through MPXJ (the `mpp` extra), on a small Primavera .xer file of the shared samples."""
    from pmo.engine.formats.mpxj_reader import mpxj_unavailable_reason
    from tests.engine.test_format_fuzzing import XER_SEED, encoded, mutated_text

    if mpxj_unavailable_reason() is not None:
        pytest.skip(f"MPXJ unavailable: {mpxj_unavailable_reason()}")
    if not XER_SEED.is_file():
        pytest.skip(f"{XER_SEED.name} not found (shared data set absent)")
    text = data.draw(mutated_text(XER_SEED.read_bytes().decode("latin-1")), label="text")
    content = data.draw(encoded(text), label="bytes")
    director = roles[Role.PMO_DIRECTOR]
    attempt(lambda: interchange.plan_import(actor=director, project=planned, filename="fuzz.xer", content=content))
