"""Backup and restore of everything pmo keeps: every table of every app (through Django's serializers, so
an archive written on SQLite loads into PostgreSQL and back) and the uploaded files.

The archive is a zip file:

    manifest.json   format version, pmo version, when, from which database, the migrations applied,
                    and the number of rows of every model (checked again after a restore)
    data.json       every row, with natural keys for content types and permissions (which migrations
                    create on the target again)
    media/...       the uploaded files (documents' versions, produced reports)

A backup reads the database in one transaction (REPEATABLE READ on PostgreSQL), so it is consistent while
people keep working. A restore runs in one transaction into a migrated database that holds no data (or,
when told, after emptying it): either everything loads, or nothing does.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model

import pmo

FORMAT = 1
# Rebuilt by `migrate` on the target; rows that reference them use natural keys.
SKIPPED = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry"}


class BackupError(Exception):
    """An archive that cannot be written or restored; the message says why."""


@dataclass(frozen=True)
class Summary:
    path: Path
    rows: int
    models: int
    files: int


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (it rounds them to milliseconds)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


def _models() -> list[type[Model]]:
    """Every concrete model with a table, in an order where a row's foreign keys point backwards."""
    app_list = {}
    for config in apps.get_app_configs():
        models = [
            m
            for m in config.get_models()
            if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in SKIPPED
        ]
        if models:
            app_list[config] = models
    return list(serializers.sort_dependencies(app_list.items(), allow_cycles=True))


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


@contextmanager
def _snapshot() -> Iterator[None]:
    outermost = not connection.in_atomic_block  # inside a caller's transaction, its snapshot holds
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def backup_write(path: str | Path) -> Summary:
    """Write the archive to `path` (replaced if it exists); returns what it holds."""
    target = Path(path)
    models = _models()
    with _snapshot():
        counts = {m._meta.label_lower: m._default_manager.count() for m in models}
        rows = serializers.serialize(
            "python",
            (obj for m in models for obj in m._default_manager.order_by("pk").iterator(chunk_size=2000)),
            use_natural_foreign_keys=True,
        )
        data = json.dumps(rows, cls=_ExactEncoder)
        migrations = _applied_migrations()
    media = _media_root()
    files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
    manifest = {
        "format": FORMAT,
        "pmo_version": pmo.__version__,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "migrations": migrations,
        "rows": counts,
        "files": [str(p.relative_to(media)) for p in files],
    }
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
        archive.writestr("data.json", data)
        for file in files:
            archive.write(file, f"media/{file.relative_to(media)}")
    partial.replace(target)  # a crash mid-write never leaves a truncated archive under the real name
    return Summary(target, sum(counts.values()), len(counts), len(files))


def read_manifest(path: str | Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    except (OSError, KeyError, zipfile.BadZipFile, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is not a pmo backup ({error}).") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is a backup of format {manifest.get('format')!r}; this pmo reads format {FORMAT}.")
    return manifest


def holds_data() -> bool:
    """Whether the database already holds business data or users."""
    from django.contrib.auth import get_user_model

    from pmo.portfolio.models import Portfolio

    return get_user_model().objects.exists() or Portfolio.objects.exists()


def backup_restore(path: str | Path, *, replace: bool = False) -> Summary:
    """Load the archive into this (migrated) database. Refuses a database that holds data unless `replace`,
    which empties it first — in the same transaction, so a failed restore leaves it as it was."""
    manifest = read_manifest(path)
    applied = _applied_migrations()
    missing = sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if name not in applied.get(app, [])
    )
    if missing:
        raise BackupError(
            "The backup comes from a newer pmo: this database lacks the migrations "
            + ", ".join(missing[:5])
            + (" …" if len(missing) > 5 else "")
            + ". Upgrade pmo, run `pmo manage migrate`, then restore."
        )
    if holds_data() and not replace:
        raise BackupError("The database already holds data; restore into an empty one, or pass --replace to empty it.")
    models = _models()
    with tempfile.TemporaryDirectory(prefix="pmo-restore-") as tmp, zipfile.ZipFile(path) as archive:
        data_file = Path(tmp) / "data.json"
        data_file.write_bytes(archive.read("data.json"))
        with transaction.atomic():
            # Also rows the target made for itself when migrated (the role groups): the backup has its own.
            _empty(models)
            call_command("loaddata", str(data_file), verbosity=0)
            counts = {m._meta.label_lower: m._default_manager.count() for m in models}
            wrong = {label: (n, counts.get(label)) for label, n in manifest["rows"].items() if counts.get(label) != n}
            if wrong:
                label, (expected, found) = sorted(wrong.items())[0]
                raise BackupError(f"Restore check failed: {label} has {found} rows, the backup {expected}.")
            if connection.vendor == "postgresql":
                _reset_sequences(models)
        media = _media_root()
        names = [n for n in archive.namelist() if n.startswith("media/") and not n.endswith("/")]
        for name in names:
            relative = Path(name[len("media/") :])
            if relative.is_absolute() or ".." in relative.parts:
                raise BackupError(f"The archive holds an unsafe file name: {name}.")
            target = media / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(name))
    return Summary(Path(path), sum(counts.values()), len(counts), len(names))


def _empty(models: list[type[Model]]) -> None:
    """Delete every row of these models and of their many-to-many tables, without cascades or signals.
    Foreign keys are checked at commit (Django creates them deferred on SQLite and PostgreSQL), so the
    order does not matter, and trees that protect their own parents empty too."""
    for model in reversed(models):
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through  # type: ignore[attr-defined]
            if through._meta.auto_created:
                through._base_manager.all()._raw_delete(connection.alias)
        model._base_manager.all()._raw_delete(connection.alias)


def _reset_sequences(models: list[type[Model]]) -> None:
    """Loaded rows keep their ids: move each table's id sequence past them (PostgreSQL)."""
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
