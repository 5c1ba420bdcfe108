"""CSV and Excel exports of list pages: the rows the page shows for its search, filters and sort — all of
them, not only the current page — and the columns the user sees.

The generic list pages (pmo.web) export their own columns; the apps' own list pages (risks, lessons,
deviations, …) call :func:`list_export` with the rows they show and a list of (label, value) columns, and put
``{% export_buttons %}`` (pmo_tags) on the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from pmo.reporting.reports import CONTENT_TYPES, csv_bytes, workbook

EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ExportColumn:
    label: str
    value: Callable[[Any], Any]


def requested_format(request: HttpRequest) -> str | None:
    """The export the request asks for (``?export=csv|xlsx``), or None for the page itself."""
    fmt = request.GET.get("export", "")
    if not fmt:
        return None
    if fmt not in EXPORT_FORMATS:
        raise Http404(f"No export format {fmt!r}; use csv or xlsx.")
    return fmt


def list_export(
    request: HttpRequest,
    title: str,
    columns: Sequence[tuple[str, Callable[[Any], Any]]],
    objects: Iterable[Any],
) -> HttpResponse | None:
    """The download of a list page when the request asks for one, else None (render the page).

    ``objects`` are the rows the page shows (already filtered to what the user may see); each column is a
    label and a function from a row to its cell."""
    fmt = requested_format(request)
    if fmt is None:
        return None
    return export_response(title, [ExportColumn(label, value) for label, value in columns], objects, fmt)


def list_exports(
    request: HttpRequest,
    lists: dict[str, tuple[str, Sequence[tuple[str, Callable[[Any], Any]]], Callable[[], Iterable[Any]]]],
) -> HttpResponse | None:
    """The download of one of the lists of a page with several (``?export=csv|xlsx&list=<name>``; the first
    list without ``list``), else None. Each list is named and given as (title, columns, a function returning
    its rows), so only the list asked for is read; an unknown name is a 404."""
    fmt = requested_format(request)
    if fmt is None:
        return None
    name = request.GET.get("list", "") or next(iter(lists))
    if name not in lists:
        raise Http404(f"No list {name!r} on this page to export.")
    title, columns, rows = lists[name]
    return export_response(title, [ExportColumn(label, value) for label, value in columns], rows(), fmt)


def plain(value: Any) -> Any:
    """A cell's value as a spreadsheet takes it: text of links and badges, the amount of money, dates as dates.

    >>> plain({"url": "/p/1/", "text": "DIG-001"}), plain({"badge": "Open", "tone": "red"}), plain(None)
    ('DIG-001', 'Open', '')
    >>> plain((Decimal("12.50"), "EUR")), plain({"money": Decimal("3"), "currency": "EUR"})
    (Decimal('12.50'), Decimal('3'))
    """
    if value is None:
        return ""
    if isinstance(value, tuple):
        return value[0] if value else ""
    if isinstance(value, dict):
        if "money" in value:
            return value["money"]
        return value.get("text", value.get("badge", ""))
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, dt.date | Decimal | int | float):
        return value
    return str(value)


def table_rows(columns: Sequence[Any], objects: Iterable[Any]) -> list[list[Any]]:
    return [[plain(column.value(obj)) for column in columns] for obj in objects]


def export_response(title: str, columns: Sequence[Any], objects: Iterable[Any], fmt: str) -> HttpResponse:
    """The list as a CSV or .xlsx download named after the page and today's date."""
    header = [str(c.label) for c in columns]
    rows = table_rows(columns, objects)
    name = f"{slugify(title)}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "xlsx":
        content = workbook([(str(title), header, rows)])
    else:
        content = csv_bytes(header, [[_csv(v) for v in row] for row in rows])
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
