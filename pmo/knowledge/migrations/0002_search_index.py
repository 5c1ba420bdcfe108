"""The full-text index of knowledge.SearchEntry: an FTS5 virtual table on SQLite, a GIN index on PostgreSQL.

Each statement runs only on its own database (other back-ends get none: the search then finds nothing)."""

from django.db import migrations

SQLITE_FORWARD = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS knowledge_search_fts "
    "USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2')"
)
SQLITE_BACKWARD = "DROP TABLE IF EXISTS knowledge_search_fts"
POSTGRES_FORWARD = (
    "CREATE INDEX IF NOT EXISTS knowledge_searchentry_tsv ON knowledge_searchentry USING GIN "
    "((setweight(to_tsvector('english'::regconfig, COALESCE(title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(body, '')), 'B')))"
)
POSTGRES_BACKWARD = "DROP INDEX IF EXISTS knowledge_searchentry_tsv"


def _run(sql_by_vendor: dict[str, str]):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        sql = sql_by_vendor.get(schema_editor.connection.vendor)
        if sql:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
