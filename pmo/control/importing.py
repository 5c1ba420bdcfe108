"""Reading expense files (CSV or Excel): every row checked, every problem named by row number and field.

The first row holds the column names (any order, case-insensitive): `date` (YYYY-MM-DD, or DD/MM/YYYY),
`category` (material, services, travel, other), `amount` (a number, a dot or comma for decimals),
`description` (optional) and `task` (optional: the task's number in the plan). Row numbers are those a
spreadsheet shows: the header is row 1."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from pmo.control.models import CostCategory
from pmo.core.errors import ValidationFailed

REQUIRED = ("date", "category", "amount")
OPTIONAL = ("description", "task")
IMPORTABLE = [c for c in CostCategory.values if c != CostCategory.LABOUR]
MAX_ROWS = 10_000


@dataclass(frozen=True)
class CostRow:
    row: int
    date: dt.date
    category: str
    amount: Decimal
    description: str
    task_uid: int | None


def _rows_of(filename: str, content: bytes) -> list[list[Any]]:
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds on a damaged file
            raise ValidationFailed({"file": f"Not a readable Excel workbook: {error}"}) from error
        try:
            if not workbook.worksheets:
                raise ValidationFailed({"file": "The workbook has no worksheet."})
            # read-only mode parses the sheet's XML while iterating: damage shows up here, not on load
            return [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
        except ValidationFailed:
            raise
        except Exception as error:
            raise ValidationFailed({"file": f"Not a readable Excel workbook: {error}"}) from error
        finally:
            workbook.close()
    if name.endswith((".csv", ".txt")):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("latin-1")
        try:
            dialect: Any = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        reader = csv.reader(io.StringIO(text, newline=""), dialect)
        try:
            return [list(r) for r in reader]
        except csv.Error as error:  # a field over the csv module's size limit, a stray carriage return...
            raise ValidationFailed({f"row {reader.line_num}": f"Not a readable CSV line: {error}."}) from None
    raise ValidationFailed({"file": "Upload a .csv or .xlsx file."})


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date (use YYYY-MM-DD).")


def _amount(value: Any) -> Decimal:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        amount = Decimal(str(value))
    else:
        text = str(value).strip().replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        else:
            text = text.replace(",", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{str(value)!r} is not a number.") from None
    if not amount.is_finite() or amount <= 0:
        raise ValueError("Must be more than 0.")
    if amount >= Decimal("1e12"):
        raise ValueError("Too large.")
    amount = amount.quantize(Decimal("0.01"))  # the stored precision: 0.001 rounds to 0.00, 999999999999.999 up
    if amount <= 0:
        raise ValueError("Must be at least 0.01.")
    if amount >= Decimal("1e12"):
        raise ValueError("Too large.")
    return amount


def parse_cost_file(filename: str, content: bytes, *, task_uids: set[int]) -> list[CostRow]:
    """The rows of an expense file, or ValidationFailed listing every bad row and field ("row 3, amount")."""
    rows = _rows_of(filename, content)
    while rows and all(c is None or str(c).strip() == "" for c in rows[-1]):
        rows.pop()
    if not rows:
        raise ValidationFailed({"file": "The file is empty."})
    header = [str(c or "").strip().lower() for c in rows[0]]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationFailed({"row 1": f"Missing column: {', '.join(missing)}."})
    if len(rows) - 1 > MAX_ROWS:
        raise ValidationFailed({"file": f"At most {MAX_ROWS} rows at a time."})
    col = {name: header.index(name) for name in (*REQUIRED, *OPTIONAL) if name in header}
    errors: dict[str, list[str]] = {}
    out: list[CostRow] = []
    for number, raw in enumerate(rows[1:], start=2):
        if all(c is None or str(c).strip() == "" for c in raw):
            continue

        def cell(name: str, raw: list[Any] = raw) -> Any:
            i = col.get(name)
            value = raw[i] if i is not None and i < len(raw) else None
            return None if value is None or str(value).strip() == "" else value

        parsed: dict[str, Any] = {}
        for name in REQUIRED:
            if cell(name) is None:
                errors[f"row {number}, {name}"] = ["Required."]
        try:
            if cell("date") is not None:
                parsed["date"] = _date(cell("date"))
        except ValueError as error:
            errors[f"row {number}, date"] = [str(error)]
        category = str(cell("category") or "").strip().lower()
        if category and category not in IMPORTABLE:
            errors[f"row {number}, category"] = [f"{category!r} is not one of {', '.join(IMPORTABLE)}."]
        try:
            if cell("amount") is not None:
                parsed["amount"] = _amount(cell("amount"))
        except ValueError as error:
            errors[f"row {number}, amount"] = [str(error)]
        task_uid: int | None = None
        if cell("task") is not None:
            try:
                task_uid = int(float(str(cell("task")).strip()))
            except (ValueError, OverflowError):  # OverflowError: "inf", "1e400"
                errors[f"row {number}, task"] = [f"{cell('task')!r} is not a task number."]
            else:
                if task_uid not in task_uids:
                    errors[f"row {number}, task"] = [f"The plan has no task {task_uid}."]
        description = str(cell("description") or "").strip()
        if len(description) > 255:
            errors[f"row {number}, description"] = ["At most 255 characters."]
        if not any(key.startswith(f"row {number},") for key in errors):
            out.append(CostRow(number, parsed["date"], category, parsed["amount"], description, task_uid))
    if errors:
        raise ValidationFailed(errors, message=f"Nothing was imported: {len(errors)} problem(s) in the file.")
    if not out:
        raise ValidationFailed({"file": "The file has no rows under its header."})
    return out
