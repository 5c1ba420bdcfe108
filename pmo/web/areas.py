"""The record pages of the product (list, detail, create, edit, delete, history), described once per kind
of record by an `Area` and served by the generic views in `pmo.web.views`."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db.models import Model, QuerySet


@dataclass(frozen=True)
class Column:
    label: str
    value: Callable[[Any], Any]
    sort: str | None = None  # ORM field to order by when the header is clicked
    link: bool = False  # the cell links to the record's page
    kind: str = "text"  # text | badge | money | date | number


@dataclass(frozen=True)
class Filter:
    name: str  # query-string key
    label: str
    lookup: str  # ORM lookup the value is applied to
    choices: Callable[[], list[tuple[str, str]]]
    requires: str | None = None  # an action (see pmo.core.access.can) the user needs to use this filter


@dataclass(frozen=True)
class Section:
    """A titled block on a detail page: a table of related records or a list of facts."""

    title: str
    columns: tuple[Column, ...] = ()
    rows: list[Any] = field(default_factory=list)
    empty: str = "Nothing here yet."
    url_of: Callable[[Any], str] | None = None


@dataclass(frozen=True)
class Area:
    key: str  # URL segment and name prefix: "projects"
    model: type[Model]
    title: str  # "Projects"
    icon: str
    queryset: Callable[[], QuerySet[Any]]
    columns: tuple[Column, ...]
    form: type[forms.ModelForm]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., Any]
    obj_kwarg: str
    facts: Callable[[Any, Any], list[tuple[str, Any]]]  # (label, value) pairs for the detail page
    filters: tuple[Filter, ...] = ()
    search_fields: tuple[str, ...] = ("name",)
    search_hint: str = "Search by name"
    default_sort: str = "name"
    sections: Callable[[Any, Any], list[Section]] = lambda obj, user: []
    initial: Callable[[Any, dict[str, str]], dict[str, Any]] = lambda user, params: {}
    scope: Callable[[QuerySet[Any], Any], QuerySet[Any]] = lambda qs, user: qs  # rows this user may see
    columns_for: Callable[[Any], tuple[Column, ...]] | None = None  # per-user columns (hide money from some)
    extra: Callable[[Any, Any], dict[str, Any]] = lambda obj, user: {}  # more context for a custom detail page
    detail_template: str = "web/detail.html"
    empty_text: str = "Nothing to show yet."

    @property
    def singular(self) -> str:
        return str(self.model._meta.verbose_name)
