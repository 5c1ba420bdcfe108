"""Expenses entered and imported from CSV or Excel: all rows or none, every bad row named by row and field."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from pmo.control import selectors, services
from pmo.control.models import CostEntry
from pmo.core.errors import ValidationFailed
from pmo.core.roles import Role

GOOD_CSV = b"""date,category,amount,description,task
2026-01-06,material,1200.50,Laptops,2
07/01/2026,Travel,"1,300.00",Kick-off trip,
2026-01-20,services,99,Hosting,
"""


def test_csv_import_creates_every_row(roles, measured):
    p1 = measured["p1"]
    created = services.cost_entries_import(
        actor=roles[Role.PROJECT_MANAGER], project=p1, filename="costs.csv", content=GOOD_CSV
    )
    assert [(e.date, e.category, e.amount, e.task_id) for e in created] == [
        (dt.date(2026, 1, 6), "material", Decimal("1200.50"), measured["a"].pk),
        (dt.date(2026, 1, 7), "travel", Decimal("1300.00"), None),
        (dt.date(2026, 1, 20), "services", Decimal("99.00"), None),
    ]
    months = selectors.costs_by_month(p1)
    assert [(m["month"], m["total"], m["cumulative"]) for m in months] == [
        (dt.date(2026, 1, 1), Decimal("2599.50"), Decimal("2599.50"))
    ]
    assert services.actual_cost_until(p1, dt.date(2026, 1, 7)) == Decimal("2500.50")


def test_bad_rows_are_named_and_nothing_is_imported(roles, measured):
    content = b"""date,category,amount,description,task
2026-01-06,material,100,ok,
2026-13-01,food,abc,,99
,travel,-5,,
2026-01-08,labour,10,,
"""
    with pytest.raises(ValidationFailed) as error:
        services.cost_entries_import(
            actor=roles[Role.PROJECT_MANAGER], project=measured["p1"], filename="costs.csv", content=content
        )
    assert error.value.fields == {
        "row 3, date": ["'2026-13-01' is not a date (use YYYY-MM-DD)."],
        "row 3, category": ["'food' is not one of material, services, travel, other."],
        "row 3, amount": ["'abc' is not a number."],
        "row 3, task": ["The plan has no task 99."],
        "row 4, date": ["Required."],
        "row 4, amount": ["Must be more than 0."],
        "row 5, category": ["'labour' is not one of material, services, travel, other."],
    }
    assert not CostEntry.objects.exists()


def test_missing_columns_and_wrong_file_types(roles, measured):
    pm, p1 = roles[Role.PROJECT_MANAGER], measured["p1"]
    with pytest.raises(ValidationFailed) as error:
        services.cost_entries_import(actor=pm, project=p1, filename="c.csv", content=b"when,what\n2026-01-01,x\n")
    assert error.value.fields == {"row 1": ["Missing column: date, category, amount."]}
    with pytest.raises(ValidationFailed) as error:
        services.cost_entries_import(actor=pm, project=p1, filename="c.pdf", content=b"%PDF")
    assert "file" in error.value.fields


def test_excel_import(roles, measured):
    book = Workbook()
    sheet = book.active
    sheet.append(["Date", "Category", "Amount", "Description"])
    sheet.append([dt.datetime(2026, 1, 9), "other", 250.25, "Licences"])
    sheet.append([dt.datetime(2026, 1, 9), "other", "x", "Bad"])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationFailed) as error:
        services.cost_entries_import(
            actor=roles[Role.PROJECT_MANAGER], project=measured["p1"], filename="c.xlsx", content=buffer.getvalue()
        )
    assert list(error.value.fields) == ["row 3, amount"]
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    [entry] = services.cost_entries_import(
        actor=roles[Role.PROJECT_MANAGER], project=measured["p1"], filename="c.xlsx", content=buffer.getvalue()
    )
    assert (entry.date, entry.amount, entry.source) == (dt.date(2026, 1, 9), Decimal("250.25"), "import")


def test_denied_cost_calls_change_nothing(roles, measured):
    p1 = measured["p1"]
    for user in (measured["other_pm"], roles[Role.EXECUTIVE], roles[Role.TEAM_MEMBER], roles[Role.PMO_ANALYST]):
        with pytest.raises(PermissionDenied):
            services.cost_entries_import(actor=user, project=p1, filename="c.csv", content=GOOD_CSV)
        with pytest.raises(PermissionDenied):
            services.cost_entry_create(
                actor=user, project=p1, date=dt.date(2026, 1, 6), category="material", amount=Decimal(1)
            )
    assert not CostEntry.objects.exists()


def test_labour_cannot_be_entered_by_hand(roles, measured):
    with pytest.raises(ValidationFailed):
        services.cost_entry_create(
            actor=roles[Role.PROJECT_MANAGER],
            project=measured["p1"],
            date=dt.date(2026, 1, 6),
            category="labour",
            amount=Decimal(1),
        )
