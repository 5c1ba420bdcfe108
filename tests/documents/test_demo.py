"""The documents demo: the library, charters in each state, DIG-001's documents in every state and its
baseline, loaded with the rest of the demo portfolio."""

import datetime as dt
from typing import Any

from pmo.changes.models import Notification
from pmo.core.roles import sync_role_groups
from pmo.demo import load_demo
from pmo.documents import selectors
from pmo.documents.models import Document, DocumentBaseline, DocumentTemplate, Kind
from pmo.portfolio.models import Project


def test_demo_documents(db: Any, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    sync_role_groups()
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(today=dt.date(2026, 12, 3))
    assert DocumentTemplate.objects.filter(kind=Kind.POLICY).count() == 3
    assert DocumentTemplate.objects.exclude(kind=Kind.POLICY).count() == 6
    assert DocumentTemplate.objects.get(name="Project charter").number == 2
    charters = {d.project.code: d for d in Document.objects.filter(kind=Kind.CHARTER).select_related("project")}
    assert sorted(charters) == ["DIG-001", "DIG-002", "DIG-007", "DIG-012"]
    assert (charters["DIG-012"].status, charters["DIG-007"].status) == ("in_review", "draft")
    assert charters["DIG-001"].approved_version.number == 3
    assert charters["DIG-002"].approved_version.number == 2
    dig1 = Project.objects.get(code="DIG-001")
    assert dig1.charter.startswith("Project charter — DIG-001 Mobile banking app 2.0\n")
    assert "- Migration of 1.2 M users" in dig1.charter
    assert Project.objects.get(code="DIG-012").charter == ""
    statuses = dict(Document.objects.filter(project=dig1).values_list("title", "status"))
    assert statuses["Solution architecture"] == "in_review"
    assert statuses["Requirements specification"] == "draft"
    assert statuses["Release plan 2026"] == "superseded"
    assert statuses["Integration test report — sprint 9"] == "draft"
    baseline = DocumentBaseline.objects.get(project=dig1, label="Gate 2: planning approved")
    assert sorted(str(v) for v in baseline.versions.all()) == [
        "Business case v2",
        "Project charter v3",
        "Requirements specification v1",
    ]
    assert selectors.deliverables_status(dig1, ["Project charter", "Requirements", "Closure report"]) == {
        "Project charter": "baselined",
        "Requirements": "baselined",
        "Closure report": "missing",
    }
    ingrid = Notification.objects.filter(recipient__username="exec4", message__startswith="DIG-012: Project charter")
    assert [n.message for n in ingrid] == ["DIG-012: Project charter v2 waits for your approval."]
    texts = selectors.document_texts(project_ids=[dig1.pk])
    report = next(t for t in texts if t.title == "Integration test report — sprint 9")
    assert report.text.startswith("test,result,defects\nlogin,passed,0\ncard freeze,passed,0\n")
