import datetime as dt
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import format_html

register = template.Library()


def money(amount: Decimal | None, currency: str = "") -> str:
    if amount is None:
        return "—"
    return f"{intcomma(f'{amount:,.0f}'.replace(',', ''))} {currency}".strip()


@register.simple_tag
def show(value: Any, kind: str = "text") -> str:
    """Render a value the same way on every page: dashes for blanks, badges, money, dates, links."""
    if value is None or value == "":
        return "—"
    if isinstance(value, tuple) and kind == "money":
        return money(*value)
    if isinstance(value, int | float) and not isinstance(value, bool) and kind == "money":
        return money(Decimal(str(value)))
    if isinstance(value, dict):
        if "url" in value:
            return format_html('<a href="{}">{}</a>', value["url"], value["text"])
        if "money" in value:
            return money(value["money"], value.get("currency", ""))
        tone = value.get("tone", "")
        text = value.get("text", value.get("badge", ""))
        return format_html('<span class="badge badge-{}">{}</span>', tone, text)
    if isinstance(value, dt.date):
        return value.strftime("%d %b %Y")
    if isinstance(value, Decimal):
        return money(value)
    return format_html("{}", value)


@register.filter
def isodate(value: str | None) -> str:
    """'2027-05-31T17:00:00' -> '31 May 2027' (stored results keep dates as ISO text)."""
    if not value:
        return "—"
    try:
        return dt.datetime.fromisoformat(str(value)).strftime("%d %b %Y")
    except ValueError:
        return str(value)


@register.simple_tag(takes_context=True)
def export_buttons(context: dict[str, Any], label: str = "", of: str = "") -> str:
    """ "Export CSV" and "Export Excel" links for the list on this page, keeping its filters and sort
    (the view answers ``?export=csv|xlsx`` with pmo.reporting.exports.list_export). A page with several
    lists names the one each pair exports with ``of`` (sent as ``&list=<of>``; see exports.list_exports)."""
    request = context["request"]
    params = {k: v for k, v in request.GET.items() if k not in ("page", "export", "list")}
    if of:
        params["list"] = of
    suffix = f" {label}" if label else ""
    slug = f"-{of}" if of else (f"-{label.lower().replace(' ', '-')}" if label else "")
    return format_html(
        '<a class="button ghost" href="?{}" id="export-csv{}" download>Export{} CSV</a> '
        '<a class="button ghost" href="?{}" id="export-xlsx{}" download>Export{} Excel</a>',
        urlencode({**params, "export": "csv"}),
        slug,
        suffix,
        urlencode({**params, "export": "xlsx"}),
        slug,
        suffix,
    )
