"""Full-text search, on SQLite (FTS5) and PostgreSQL alike: exact hits, ranking (title before body, more
matches first), word beginnings, filters, highlighted snippets, the index kept in step with the lessons, and
external texts (templates, policies, closed projects' documents) brought in step by digest."""

from dataclasses import dataclass

import pytest
from django.db import connection

from pmo.core.access import SYSTEM
from pmo.knowledge import search, services
from pmo.knowledge.models import SearchEntry

SQLITE_ONLY = pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table and its exact snippets")


@pytest.fixture
def lessons(org):
    cat = services.category_create(actor=SYSTEM, name="Suppliers and contracts")
    data = services.category_create(actor=SYSTEM, name="Data and migration")
    made = {
        "vendor": services.lesson_create(
            actor=SYSTEM,
            project=org["p1"],
            title="Vendor onboarding was slow",
            what_happened="The supplier needed eight weeks for security checks.",
            recommendation="Start vendor onboarding in the first month.",
            category=cat,
            tags="supplier, onboarding",
        ),
        "migration": services.lesson_create(
            actor=SYSTEM,
            project=org["p2"],
            title="Customer data migration",
            what_happened="Duplicates in the CRM extract; the vendor's tool could not merge them.",
            category=data,
        ),
        "practice": services.lesson_create(
            actor=SYSTEM,
            kind="best_practice",
            title="Profile data early",
            what_happened="Profiling sources in week one avoided late migration surprises.",
            category=data,
        ),
    }
    return made


def titles(results):
    return [h.entry.title for h in results.hits]


@SQLITE_ONLY
def test_fts_query_quotes_each_word():
    assert search.fts_query('supplier "onboarding" OR NEAR(x) -y') == (
        '"supplier"* "onboarding"* "or"* "near"* "x"* "y"*'
    )
    assert search.fts_query("  ") == ""


def test_exact_hits_and_ranking(lessons):
    # "vendor" is in LL-0001's title and recommendation, only in LL-0002's body
    assert titles(search.search("vendor")) == [
        "LL-0001 Vendor onboarding was slow",
        "LL-0002 Customer data migration",
    ]
    # every word must appear
    assert titles(search.search("vendor duplicates")) == ["LL-0002 Customer data migration"]
    # word beginnings count; porter stemming matches "migrate" with "migration"
    assert titles(search.search("migrat")) == ["LL-0002 Customer data migration", "LL-0003 Profile data early"]
    assert titles(search.search("nothing-like-this")) == []
    assert search.search("   ").total == 0


def test_results_are_grouped_by_type_with_highlighted_snippets(lessons):
    results = search.search("data")
    assert [(t, [h.entry.title for h in hits]) for t, _label, hits in results.groups()] == [
        ("lesson", ["LL-0002 Customer data migration"]),
        ("best_practice", ["LL-0003 Profile data early"]),
    ]
    practice = results.groups()[1][2][0]
    assert practice.type_label == "Best practices"
    assert "<mark>Data</mark>" in str(practice.snippet) or "<mark>data</mark>" in str(practice.snippet)
    assert practice.rank > 0
    if connection.vendor != "sqlite":
        return
    assert str(practice.snippet) == (
        "Profiling sources in week one avoided late migration surprises.\nData and migration"
    ).replace("Data and", "<mark>Data</mark> and")
    assert practice.rank > 0


@SQLITE_ONLY
def test_snippets_escape_html(org):
    services.lesson_create(actor=SYSTEM, title="Tags", what_happened="The <script> tag broke the vendor page.")
    hit = search.search("vendor").hits[0]
    assert str(hit.snippet) == "The &lt;script&gt; tag broke the <mark>vendor</mark> page."


def test_filters(lessons, org):
    assert titles(search.search("data", kind="best_practice")) == ["LL-0003 Profile data early"]
    assert titles(search.search("vendor", category="suppliers and contracts")) == ["LL-0001 Vendor onboarding was slow"]
    assert titles(search.search("vendor", portfolio_id=org["portfolio"].pk)) == [
        "LL-0001 Vendor onboarding was slow",
        "LL-0002 Customer data migration",
    ]
    assert titles(search.search("vendor", portfolio_id=org["other_portfolio"].pk)) == []
    assert titles(search.search("vendor", methodology="Waterfall")) == [
        "LL-0001 Vendor onboarding was slow",
        "LL-0002 Customer data migration",
    ]
    assert titles(search.search("vendor", methodology="Agile")) == []


def test_index_follows_updates_and_deletes(lessons):
    services.lesson_update(actor=SYSTEM, lesson=lessons["vendor"], title="Supplier security checks")
    assert titles(search.search("security")) == ["LL-0001 Supplier security checks"]
    assert titles(search.search("slow")) == []
    services.lesson_delete(actor=SYSTEM, lesson=lessons["vendor"])
    assert titles(search.search("security")) == []
    assert SearchEntry.objects.count() == 2
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")
        assert cursor.fetchone()[0] == 2 == SearchEntry.objects.count()


@SQLITE_ONLY
def test_rebuild(lessons):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {search.FTS_TABLE}")
    assert search.search("vendor").total == 0
    assert search.rebuild() == 3
    assert search.search("vendor").total == 2


@dataclass(frozen=True)
class Text:
    kind: str
    id: int
    project_id: int | None
    title: str
    text: str
    url: str


def test_templates_and_closed_projects_documents(lessons, org, monkeypatch):
    from tests.knowledge.conftest import set_state

    closed = set_state(org["p2"], "closed")
    texts = [
        (
            SearchEntry.Type.TEMPLATE,
            Text("template", 1, None, "Closure report template", "Vendor handover list", "/t/1"),
        ),
        (SearchEntry.Type.DOCUMENT, Text("document", 7, closed.pk, "Vendor exit memo", "Exit plan", "/d/7")),
    ]
    monkeypatch.setattr(search, "_external_texts", lambda: texts)
    results = search.search("vendor")
    assert [(t, [h.entry.title for h in hits]) for t, _l, hits in results.groups()] == [
        ("lesson", ["LL-0001 Vendor onboarding was slow", "LL-0002 Customer data migration"]),
        ("template", ["Closure report template"]),
        ("document", ["Vendor exit memo"]),
    ]
    memo = SearchEntry.objects.get(type="document")
    assert (memo.project_id, memo.portfolio_id, memo.url, memo.methodology) == (
        closed.pk,
        org["portfolio"].pk,
        "/d/7",
        "Waterfall",
    )
    # unchanged texts are not rewritten; changed ones are; gone ones leave the index
    assert search.sync_external() == 0
    texts[1] = (SearchEntry.Type.DOCUMENT, Text("document", 7, closed.pk, "Supplier exit memo", "Exit plan", "/d/7"))
    texts.pop(0)
    assert search.sync_external() == 2
    assert titles(search.search("vendor", kind="template")) == []
    assert titles(search.search("supplier exit")) == ["Supplier exit memo"]


def test_word_forms_match(org):
    services.lesson_create(actor=SYSTEM, title="Approval delays", what_happened="The board delayed the decision.")
    assert titles(search.search("delay")) == ["LL-0001 Approval delays"]
    assert titles(search.search("delays decisions")) == ["LL-0001 Approval delays"]


def test_external_texts_are_read_again_only_when_something_changed(org, monkeypatch):
    from tests.knowledge.conftest import set_state

    calls = []
    monkeypatch.setattr(search, "_external_texts", lambda: calls.append(1) or [])
    search.search("anything")
    search.search("anything")
    assert len(calls) == 1
    set_state(org["p2"], "cancelled")  # one more archived project: its documents join the search
    search.search("anything")
    assert len(calls) == 2
