"""Full-text search over lessons, best practices, templates and policies, and closed projects' documents.

Every searchable text is a `SearchEntry` row. On SQLite an FTS5 virtual table (`knowledge_search_fts`, created
by migration 0001 on SQLite only) holds the same title and body under the entry's id and is kept in step here:
ranked with bm25 (title weighs 5 times the body), snippets with `snippet()`. On PostgreSQL the search uses
`django.contrib.postgres.search` (websearch query, weighted vectors, `ts_rank`, `ts_headline`) with a GIN
index on the text's tsvector (migration 0001 on PostgreSQL only).

Lessons are indexed by the knowledge services as they are written; templates, policies and the documents of
closed (and cancelled) projects come from pmo.documents and are brought in step when someone searches and
what they depend on has changed (`sync_if_changed`), comparing a digest of each text (`sync_external`)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from pmo.knowledge.models import Lesson, SearchEntry, SearchState
from pmo.portfolio.models import LifecycleState, Project

FTS_TABLE = "knowledge_search_fts"
_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use marks around a hit, replaced by <mark> after escaping
TYPE_ORDER = [t.value for t in SearchEntry.Type]
PG_CONFIG = "english"


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def _digest(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


# --- keeping the index in step -----------------------------------------------------------------------------


def _fts_write(entry: SearchEntry) -> None:
    if not _is_sqlite():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [entry.pk])
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)", [entry.pk, entry.title, entry.body]
        )


def _fts_delete(ids: Iterable[int]) -> None:
    ids = list(ids)
    if not ids or not _is_sqlite():
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [[i] for i in ids])


def _put(key: str, values: dict[str, Any]) -> SearchEntry:
    values = {**values, "digest": _digest(*(values[k] for k in sorted(values)))}
    entry = SearchEntry.objects.filter(key=key).first()
    if entry is not None and entry.digest == values["digest"]:
        return entry
    if entry is None:
        entry = SearchEntry(key=key)
    for name, value in values.items():
        setattr(entry, name, value)
    entry.save()
    _fts_write(entry)
    return entry


def lesson_text(lesson: Lesson) -> str:
    parts = [
        lesson.what_happened,
        lesson.impact,
        lesson.recommendation,
        lesson.category.name if lesson.category_id else "",
        " ".join(lesson.tag_list),
        lesson.project.name if lesson.project_id else "",
    ]
    return "\n".join(p for p in parts if p)


@transaction.atomic
def index_lesson(lesson: Lesson) -> SearchEntry:
    """Put (or refresh) a lesson or best practice in the index."""
    from pmo.knowledge.selectors import methodology_of

    project = lesson.project if lesson.project_id else None
    portfolio_id = lesson.portfolio_id or (project.portfolio_id if project else None)
    return _put(
        f"lesson:{lesson.pk}",
        {
            "type": SearchEntry.Type.BEST_PRACTICE
            if lesson.kind == Lesson.Kind.BEST_PRACTICE
            else SearchEntry.Type.LESSON,
            "title": f"{lesson.code} {lesson.title}",
            "body": lesson_text(lesson),
            "url": reverse("knowledge:lesson", args=[lesson.pk]),
            "project_id": lesson.project_id,
            "portfolio_id": portfolio_id,
            "category": lesson.category.name if lesson.category_id else "",
            "methodology": methodology_of(project) if project else "",
        },
    )


@transaction.atomic
def unindex(keys: Iterable[str]) -> None:
    entries = list(SearchEntry.objects.filter(key__in=list(keys)).values_list("pk", flat=True))
    _fts_delete(entries)
    SearchEntry.objects.filter(pk__in=entries).delete()


def _external_texts() -> list[tuple[str, Any]]:
    """(type, DocumentText) of the templates and policies and of closed projects' documents, from
    pmo.documents (nothing while that app has no such selectors)."""
    try:
        from pmo.documents import selectors as documents
    except ImportError:
        return []
    out: list[tuple[str, Any]] = []
    if hasattr(documents, "template_texts"):
        out += [(SearchEntry.Type.TEMPLATE, t) for t in documents.template_texts()]
    if hasattr(documents, "document_texts"):
        archived = list(
            Project.objects.filter(state__in=(LifecycleState.CLOSED, LifecycleState.CANCELLED)).values_list(
                "pk", flat=True
            )
        )
        if archived:
            out += [(SearchEntry.Type.DOCUMENT, d) for d in documents.document_texts(project_ids=archived)]
    return out


@transaction.atomic
def sync_external() -> int:
    """Bring templates, policies and closed projects' documents in step with pmo.documents; returns how many
    entries were written or removed."""
    from pmo.knowledge.selectors import methodology_of

    wanted: dict[str, dict[str, Any]] = {}
    projects: dict[int, Project] = {}
    for type_, text in _external_texts():
        key = f"{type_}:{getattr(text, 'kind', '')}:{text.id}"[:60]
        project_id = getattr(text, "project_id", None)
        project = None
        if project_id:
            project = projects.get(project_id) or Project.objects.filter(pk=project_id).first()
            if project is not None:
                projects[project_id] = project
        kind = str(getattr(text, "kind", "") or "")
        wanted[key] = {
            "type": type_,
            "title": str(text.title)[:300],
            "body": str(text.text or ""),
            "url": str(getattr(text, "url", "") or "")[:300],
            "project_id": project.pk if project else None,
            "portfolio_id": project.portfolio_id if project else None,
            "category": kind.replace("_", " ")[:80],
            "methodology": methodology_of(project)[:80] if project else "",
        }
    existing = dict(
        SearchEntry.objects.filter(type__in=(SearchEntry.Type.TEMPLATE, SearchEntry.Type.DOCUMENT)).values_list(
            "key", "digest"
        )
    )
    changed = 0
    for key, values in wanted.items():
        digest = _digest(*(values[k] for k in sorted(values)))
        if existing.get(key) != digest:
            _put(key, values)
            changed += 1
    gone = set(existing) - set(wanted)
    if gone:
        unindex(gone)
        changed += len(gone)
    return changed


FINGERPRINT_KEY = "external-fingerprint"


def _fingerprint() -> str:
    """A digest of what the external texts depend on (templates, documents, their versions, which projects are
    archived); the same digest means nothing to bring in step. Empty when pmo.documents has no models."""
    try:
        from pmo.documents.models import Document, DocumentTemplate, DocumentVersion, TemplateVersion
    except ImportError:
        return ""
    from django.db.models import Count, Max

    parts: list[Any] = []
    for model in (DocumentTemplate, TemplateVersion, Document, DocumentVersion):
        parts.append(model.objects.aggregate(n=Count("pk"), last=Max("updated_at"), top=Max("pk")))
    parts.append(
        sorted(
            Project.objects.filter(state__in=(LifecycleState.CLOSED, LifecycleState.CANCELLED)).values_list(
                "pk", flat=True
            )
        )
    )
    return _digest(*parts)


def sync_if_changed() -> int:
    """`sync_external` unless nothing it reads has changed since the last time (a search calls this)."""
    fingerprint = _fingerprint()
    if fingerprint:
        state = SearchState.objects.filter(key=FINGERPRINT_KEY).first()
        if state is not None and state.value == fingerprint:
            return 0
    with transaction.atomic():
        changed = sync_external()
        if fingerprint:
            SearchState.objects.update_or_create(key=FINGERPRINT_KEY, defaults={"value": fingerprint})
    return changed


def rebuild() -> int:
    """Rebuild the whole index from the lessons and pmo.documents (a repair tool); returns the entry count."""
    with transaction.atomic():
        _fts_delete(SearchEntry.objects.values_list("pk", flat=True))
        SearchEntry.objects.all().delete()
        SearchState.objects.filter(key=FINGERPRINT_KEY).delete()
        for lesson in Lesson.objects.select_related("category", "project"):
            index_lesson(lesson)
        sync_external()
    return SearchEntry.objects.count()


# --- searching ---------------------------------------------------------------------------------------------


@dataclass
class Hit:
    entry: SearchEntry
    rank: float
    snippet: SafeString

    @property
    def type_label(self) -> str:
        return str(SearchEntry.Type(self.entry.type).label)


@dataclass
class Results:
    query: str
    hits: list[Hit] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.hits)

    def groups(self) -> list[tuple[str, str, list[Hit]]]:
        """(type, label, hits best first) for each type with hits, in a fixed order."""
        out = []
        for type_ in TYPE_ORDER:
            hits = [h for h in self.hits if h.entry.type == type_]
            if hits:
                out.append((type_, str(SearchEntry.Type(type_).label), hits))
        return out


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str:
    """The user's words as an FTS5 query: every word must appear (as a word or a word's start); quotes keep
    FTS5's operators out of the user's hands. "supplier onboarding" -> '"supplier"* "onboarding"*'."""
    return " ".join(f'"{w}"*' for w in _WORD.findall(text.lower()))


def _highlight(raw: str) -> SafeString:
    return mark_safe(escape(raw).replace(_OPEN, "<mark>").replace(_CLOSE, "</mark>"))


def _filtered(
    *,
    types: Iterable[str] | None,
    category: str | None,
    portfolio_id: int | None,
    methodology: str | None,
) -> Any:
    qs = SearchEntry.objects.select_related("project", "portfolio")
    if types:
        qs = qs.filter(type__in=list(types))
    if category:
        qs = qs.filter(category__iexact=category)
    if portfolio_id:
        qs = qs.filter(portfolio_id=portfolio_id)
    if methodology:
        qs = qs.filter(methodology__iexact=methodology)
    return qs


def search(
    text: str,
    *,
    kind: str | None = None,
    category: str | None = None,
    portfolio_id: int | None = None,
    methodology: str | None = None,
    limit: int = 100,
    sync: bool = True,
) -> Results:
    """Ranked hits for `text` (best first), filtered by kind (a SearchEntry type: lesson, best_practice,
    template, document), lesson category, portfolio and methodology."""
    results = Results(query=text.strip())
    if not _WORD.search(text or ""):
        return results
    if sync:
        sync_if_changed()
    types = [kind] if kind else None
    qs = _filtered(types=types, category=category, portfolio_id=portfolio_id, methodology=methodology)
    if _is_sqlite():
        results.hits = _search_sqlite(text, qs, limit)
    else:
        results.hits = _search_postgres(text, qs, limit)
    return results


def _search_sqlite(text: str, qs: Any, limit: int) -> list[Hit]:
    query = fts_query(text)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, bm25({FTS_TABLE}, 5.0, 1.0) AS score, "
            f"snippet({FTS_TABLE}, 1, %s, %s, '…', 24), highlight({FTS_TABLE}, 0, %s, %s) "
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s ORDER BY score, rowid",
            [_OPEN, _CLOSE, _OPEN, _CLOSE, query],
        )
        rows = cursor.fetchall()
    allowed = {e.pk: e for e in qs.filter(pk__in=[r[0] for r in rows])}
    hits = []
    for rowid, score, snippet, _title in rows:
        entry = allowed.get(rowid)
        if entry is None:
            continue
        hits.append(Hit(entry=entry, rank=round(-float(score), 6), snippet=_highlight(snippet)))
        if len(hits) >= limit:
            break
    return hits


def _search_postgres(text: str, qs: Any, limit: int) -> list[Hit]:
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

    vector = SearchVector("title", weight="A", config=PG_CONFIG) + SearchVector("body", weight="B", config=PG_CONFIG)
    # As on SQLite: every word must appear, a word's beginning is enough ("migrat" finds "migration"). The words
    # are \w+ runs, so they carry none of to_tsquery's operators.
    raw = " & ".join(f"{w}:*" for w in _WORD.findall(text.lower()))
    query = SearchQuery(raw, search_type="raw", config=PG_CONFIG)
    rows = (
        qs.annotate(
            score=SearchRank(vector, query),
            snippet=SearchHeadline(
                "body", query, config=PG_CONFIG, start_sel=_OPEN, stop_sel=_CLOSE, max_words=30, min_words=12
            ),
        )
        .filter(score__gt=0)
        .filter(pk__in=qs.annotate(v=vector).filter(v=query).values("pk"))
        .order_by("-score", "pk")[:limit]
    )
    return [Hit(entry=e, rank=round(float(e.score), 6), snippet=_highlight(e.snippet)) for e in rows]
