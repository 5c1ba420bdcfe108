"""Microsoft Project XML out and in: a round trip keeps the plan; a bad file changes nothing and says why;
real files from Microsoft Project import with their tasks and links."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from pmo.cli import main
from pmo.core.access import SYSTEM
from pmo.core.errors import ValidationFailed
from pmo.core.roles import Role
from pmo.planning import interchange, selectors, services
from pmo.planning.models import Baseline, Task

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "project_file_samples"


@pytest.fixture
def planned(roles, org):
    pm = roles[Role.PROJECT_MANAGER]
    member = org["person"][Role.TEAM_MEMBER]
    project = org["p1"]
    services.task_create(actor=pm, project=project, name="Phase 1", duration_minutes=0)
    services.task_create(actor=pm, project=project, name="Design", duration_minutes=1440)
    services.task_create(
        actor=pm,
        project=project,
        name="Build",
        duration_minutes=2400,
        predecessors="2FS+1d",
        assignments=[(member, Decimal("0.5"))],
    )
    services.task_create(actor=pm, project=project, name="Done", duration_minutes=0, predecessors="3")
    services.task_indent(actor=pm, task=Task.objects.get(project=project, uid=2))
    services.task_indent(actor=pm, task=Task.objects.get(project=project, uid=3))
    services.baseline_capture(actor=pm, project=project, name="Approved")
    return project


def table(project):
    return [
        (r.wbs, r.task.uid, r.task.name, r.duration_text, r.predecessors, r.assignees, r.task.start, r.task.finish)
        for r in selectors.task_rows(project)
    ]


def test_round_trip_through_mspdi_keeps_the_plan(roles, org, planned):
    content = interchange.export_mspdi(planned)
    assert content.startswith(b"<?xml") and b"<Name>Mobile app</Name>" in content
    result = interchange.plan_import(
        actor=roles[Role.PMO_DIRECTOR], project=org["p2"], filename="p1.xml", content=content
    )
    assert (result.tasks, result.links, result.assignments, result.baselines) == (4, 2, 1, 1)
    assert table(org["p2"]) == table(planned)
    assert Baseline.objects.get(project=org["p2"]).name == "p1 baseline 0"


def test_a_broken_file_changes_nothing_and_names_the_problem(roles, org, planned):
    before = table(planned)
    content = interchange.export_mspdi(planned).replace(
        b"<PredecessorUID>2</PredecessorUID>", b"<PredecessorUID>77</PredecessorUID>"
    )
    with pytest.raises(ValidationFailed) as error:
        interchange.plan_import(actor=roles[Role.PMO_DIRECTOR], project=planned, filename="bad.xml", content=content)
    assert "77" in error.value.fields["file"][0] and "Build" in error.value.fields["file"][0]
    with pytest.raises(ValidationFailed) as error:
        interchange.plan_import(
            actor=roles[Role.PMO_DIRECTOR], project=planned, filename="cut.xml", content=content[:500]
        )
    assert error.value.fields["file"][0].startswith("cut.xml")
    with pytest.raises(ValidationFailed) as error:
        interchange.plan_import(actor=roles[Role.PMO_DIRECTOR], project=planned, filename="plan.docx", content=b"x")
    assert error.value.fields == {
        "file": ["plan.docx: unknown file type; use Microsoft Project XML (.xml), .mpp, .xer or .pmxml."]
    }
    assert table(planned) == before


def test_executives_cannot_import(roles, org, planned):
    content = interchange.export_mspdi(planned)
    with pytest.raises(PermissionDenied):
        interchange.plan_import(actor=roles[Role.EXECUTIVE], project=org["p2"], filename="p1.xml", content=content)
    assert Task.objects.filter(project=org["p2"]).count() == 0


def test_import_page_and_command_line(client_for, org, planned, tmp_path, capsys):
    content = interchange.export_mspdi(planned)
    response = client_for(Role.PMO_DIRECTOR).post(
        f"/projects/{org['p2'].pk}/plan/import/",
        {"file": SimpleUploadedFile("plan.xml", content, content_type="application/xml")},
        follow=True,
    )
    assert "Imported 4 tasks, 2 links and 1 assignments from plan.xml." in response.content.decode()
    response = client_for(Role.PMO_DIRECTOR).post(
        f"/projects/{org['p2'].pk}/plan/import/",
        {"file": SimpleUploadedFile("plan.xml", content[:300], content_type="application/xml")},
        follow=True,
    )
    assert "Nothing was imported from plan.xml. File: plan.xml" in response.content.decode()
    assert Task.objects.filter(project=org["p2"]).count() == 4
    path = tmp_path / "plan.xml"
    path.write_bytes(content)
    assert main(["import", str(path), "--project", "P2"]) == 0
    assert capsys.readouterr().out.strip() == "Imported 4 tasks, 2 links and 1 assignments from plan.xml into P2."
    path.write_bytes(content[:300])
    assert main(["import", str(path), "--project", "P2"]) == 2
    assert capsys.readouterr().err.startswith(f"pmo import: {path}: plan.xml")
    assert main(["import", str(path), "--project", "NOPE"]) == 2


def test_export_download_from_the_plan_page(client_for, planned):
    response = client_for(Role.EXECUTIVE).get(f"/projects/{planned.pk}/plan/export.xml")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="P1.xml"'


@pytest.mark.skipif(not SAMPLES.exists(), reason="../shared/data/project_file_samples is not present")
def test_microsoft_project_files_import_with_their_tasks_and_links(roles, org):
    folder = SAMPLES / "mpxj_junit_data" / "generated" / "task-links"
    files = sorted(folder.glob("*.xml"))
    assert files
    for path in files:
        result = interchange.plan_import(actor=SYSTEM, project=org["p2"], filename=path.name, content=path.read_bytes())
        assert (result.tasks, result.links) == (16, 8), path.name


def test_new_project_from_a_file_on_the_portfolio_page_and_the_command_line(client_for, org, planned, tmp_path, capsys):
    content = interchange.export_mspdi(planned)
    client = client_for(Role.PORTFOLIO_MANAGER)
    response = client.post(
        f"/portfolios/{org['portfolio'].pk}/import/",
        {"code": "P9", "name": "", "file": SimpleUploadedFile("mobile.xml", content, content_type="application/xml")},
        follow=True,
    )
    assert "Created P9 Mobile app with 4 tasks and 2 links from mobile.xml." in response.content.decode()
    created = org["portfolio"].projects.get(code="P9")
    assert created.state == "planning"  # the portfolio manager may approve projects in own portfolio
    assert table(created) == table(planned)
    response = client.post(
        f"/portfolios/{org['portfolio'].pk}/import/",
        {"code": "P10", "file": SimpleUploadedFile("bad.xml", content[:200], content_type="application/xml")},
        follow=True,
    )
    assert "No project was created from bad.xml." in response.content.decode()
    assert not org["portfolio"].projects.filter(code="P10").exists()
    path = tmp_path / "plan.xml"
    path.write_bytes(content)
    assert main(["import", str(path), "--project", "NEW-1", "--portfolio", "OPS", "--name", "Copied plan"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Created project NEW-1 Copied plan in Operations."
    assert main(["import", str(path), "--project", "NEW-2"]) == 2
    assert "add --portfolio CODE to create it" in capsys.readouterr().err
