"""Backup and restore: the demo organisation goes into an archive and comes back identical, table by table,
with its uploaded files; a database that holds data is refused unless told; a broken archive or one from a
newer pmo changes nothing."""

import datetime as dt
import json
import zipfile

import pytest
from django.core import serializers

from pmo.core import backup
from pmo.core.roles import sync_role_groups
from pmo.portfolio.models import Project


def _tables() -> dict[str, list[dict]]:
    return {
        m._meta.label_lower: serializers.serialize(
            "python", m._default_manager.order_by("pk"), use_natural_foreign_keys=True
        )
        for m in backup._models()
    }


@pytest.fixture
def demo(db, settings, tmp_path):
    from pmo.demo import load_demo

    settings.MEDIA_ROOT = str(tmp_path / "media")
    sync_role_groups()
    load_demo(today=dt.date(2026, 11, 23))
    upload = tmp_path / "media" / "documents" / "charter-v1.txt"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_text("Charter, version 1")
    return tmp_path


def test_the_demo_comes_back_identical(demo, settings):
    before = _tables()
    archive = demo / "backup.zip"
    summary = backup.backup_write(archive)
    assert summary.rows == sum(len(rows) for rows in before.values())
    manifest = backup.read_manifest(archive)
    assert summary.files == len(manifest["files"]) and "documents/charter-v1.txt" in manifest["files"]
    assert manifest["format"] == 1 and manifest["database"] in ("sqlite", "postgresql")
    assert manifest["rows"]["portfolio.project"] == 41
    # A database with data is refused, and stays as it was.
    with pytest.raises(backup.BackupError, match="already holds data"):
        backup.backup_restore(archive)
    # Replace: emptied and loaded in one transaction, then compared table by table.
    (demo / "media" / "documents" / "charter-v1.txt").unlink()
    Project.objects.filter(code="DIG-001").update(name="Changed after the backup")
    restored = backup.backup_restore(archive, replace=True)
    assert (restored.rows, restored.files) == (summary.rows, summary.files)
    after = _tables()
    assert sorted(after) == sorted(before)
    for label in before:
        assert after[label] == before[label], label
    assert (demo / "media" / "documents" / "charter-v1.txt").read_text() == "Charter, version 1"


def test_a_broken_or_newer_archive_changes_nothing(demo):
    archive = demo / "backup.zip"
    backup.backup_write(archive)
    before = Project.objects.count()
    broken = demo / "broken.zip"
    broken.write_bytes(b"not a zip")
    with pytest.raises(backup.BackupError, match="is not a pmo backup"):
        backup.backup_restore(broken, replace=True)
    newer = demo / "newer.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(newer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                manifest["migrations"]["portfolio"].append("9999_from_the_future")
                data = json.dumps(manifest).encode()
            target.writestr(item, data)
    with pytest.raises(backup.BackupError, match=r"lacks the migrations portfolio\.9999_from_the_future"):
        backup.backup_restore(newer, replace=True)
    tampered = demo / "tampered.zip"
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "data.json":
                rows = json.loads(data)
                rows.append({"model": "portfolio.project", "pk": 999999, "fields": {"code": "BAD"}})
                data = json.dumps(rows).encode()
            target.writestr(item, data)
    with pytest.raises(Exception):  # noqa: B017 - the database refuses the incomplete row
        backup.backup_restore(tampered, replace=True)
    assert Project.objects.count() == before
    assert Project.objects.filter(code="DIG-001").exists()
