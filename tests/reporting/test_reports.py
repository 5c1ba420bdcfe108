"""The consolidated portfolio report as PDF (rendered to images and read back), Excel and CSV, the project
report, and `pmo report portfolio`."""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy
import pypdfium2
import pytest
from openpyxl import load_workbook

from pmo.cli import main
from pmo.core.roles import Role
from pmo.reporting import reports


def _pages(pdf: bytes) -> tuple[list[Any], list[str]]:
    doc = pypdfium2.PdfDocument(pdf)
    images = [doc[i].render(scale=1).to_pil().convert("RGB") for i in range(len(doc))]
    texts = [doc[i].get_textpage().get_text_range() for i in range(len(doc))]
    sizes = {tuple(round(v) for v in doc[i].get_size()) for i in range(len(doc))}
    doc.close()
    assert sizes == {(842, 595)}  # A4 landscape, in points
    return images, texts


def _ink(image: Any, box: tuple[int, int, int, int]) -> int:
    """How many pixels of the box are not white."""
    pixels = numpy.asarray(image.crop(box), dtype=int)
    return int((pixels != 255).any(axis=2).sum())


def _coloured(image: Any, rgb: tuple[int, int, int], tolerance: int = 40) -> int:
    pixels = numpy.asarray(image, dtype=int)
    return int((numpy.abs(pixels - numpy.array(rgb)) <= tolerance).all(axis=2).sum())


def test_portfolio_pdf(board: dict[str, Any], roles: Any) -> None:
    built = reports.build(roles[Role.PMO_DIRECTOR], portfolio=board["portfolio"])
    assert (built.period_start, built.period_end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    images, texts = _pages(reports.portfolio_pdf(built))
    assert len(images) == 4  # the charts; the projects and registers; the roadmap; the period's reports
    first = texts[0]
    assert "Portfolio status report — Digital" in first
    assert "Period 1 Nov 2026 – 30 Nov 2026" in first
    assert "1,250,000" in first and "Value against risk" in first and "Pipeline" in first
    assert "P1 Mobile app" in texts[1] and "Vendor late" in texts[1] and "Launch" in texts[1]
    assert "Roadmap and cross-project dependencies" in texts[2] and "No cross-project dependency." in texts[2]
    assert "Build is late; the launch moves to January." in texts[3]
    page = images[0]
    assert _ink(page, (0, 0, 842, 35)) == 0  # the top margin is blank
    assert _ink(page, (40, 60, 500, 100)) > 2000  # the title
    assert _ink(page, (40, 180, 420, 460)) > 5000  # the bubble chart
    assert _ink(page, (430, 180, 800, 330)) > 5000  # the money chart
    assert _coloured(page, (225, 145, 140), tolerance=20) > 200  # P1's red bubble (55 % opaque on white)
    assert _coloured(page, (0x24, 0x57, 0xD6), tolerance=20) > 100  # actual cost bars, the approved stage
    assert _coloured(images[2], (0xC8, 0x37, 0x2D), tolerance=30) > 20  # the today line


def test_project_pdf(board: dict[str, Any], roles: Any) -> None:
    images, texts = _pages(reports.project_pdf(roles[Role.PROJECT_MANAGER], board["p1"]))
    assert len(images) == 1
    text = texts[0]
    assert "P1 Mobile app — status report" in text
    assert "From the status report of November 2026." in text
    assert "Build is late; the launch moves to January." in text
    assert "P3 waits for P1 “Build”" in text and "4 days late" in text
    assert _coloured(images[0], (0xC8, 0x37, 0x2D), tolerance=30) > 100  # red schedule and overall cells


def test_portfolio_excel_one_sheet_per_section(board: dict[str, Any], roles: Any) -> None:
    built = reports.build(roles[Role.PMO_DIRECTOR])
    book = load_workbook(io.BytesIO(reports.portfolio_xlsx(built)))
    assert book.sheetnames == [
        "Summary",
        "Projects",
        "Budget by year",
        "Pipeline",
        "Milestones",
        "Top risks",
        "Deviations",
        "Overdue gates",
        "Dependencies",
        "Status narratives",
    ]
    projects = list(book["Projects"].values)
    assert projects[0] == reports.PROJECT_COLUMNS
    assert projects[1][:12] == (
        "P1",
        "Mobile app",
        "DIG",
        "Executing",
        "Pm",
        "red",
        "amber",
        "green",
        "amber",
        "red",
        "Nov 2026 report",
        "red",
    )
    assert projects[1][12:] == (1250000, 260000, 50000, 1400000, 60000, None)
    assert [r[0] for r in projects[1:]] == ["P1", "P3", "P2"]
    assert list(book["Budget by year"].values)[1:] == [
        (2025, 0, 10000, 10000),
        (2026, 1451643.84, 290000, 928714.29),
        (2027, 198356.16, 0, 861285.71),
    ]
    assert list(book["Dependencies"].values)[1] == (
        "P3",
        "Integrate",
        "P1",
        "Build",
        dt.datetime(2026, 11, 16),
        dt.datetime(2026, 11, 20),
        4,
    )
    summary = dict(book["Summary"].values)
    assert (summary["Projects"], summary["Red"], summary["Amber"], summary["Green"]) == (3, 1, 1, 1)


def test_portfolio_csv_is_the_project_table(board: dict[str, Any], roles: Any) -> None:
    built = reports.build(roles[Role.PMO_DIRECTOR], portfolio=board["portfolio"])
    content = reports.portfolio_csv(built).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0] == list(reports.PROJECT_COLUMNS)
    assert [r[0] for r in rows[1:]] == ["P1", "P2"]
    assert rows[1][12:17] == ["1250000.00", "260000.00", "50000.00", "1400000.00", "60000.00"]


def test_the_report_covers_what_the_user_may_see(board: dict[str, Any], roles: Any) -> None:
    built = reports.build(roles[Role.EXECUTIVE])
    assert [r[0] for r in built.project_rows()] == ["P1", "P3", "P2"]
    assert built.period_costs == {board["p1"].pk: Decimal("50000.00")}


def test_cli_writes_the_report(board: dict[str, Any], tmp_path: Path, capsys: Any) -> None:
    out = tmp_path / "dig.xlsx"
    assert main(["report", "portfolio", "--portfolio", "dig", "--output", str(out)]) == 0
    book = load_workbook(out)
    assert [r[0] for r in list(book["Projects"].values)[1:]] == ["P1", "P2"]
    assert "Portfolio status report — Digital, 2026-11-01 to 2026-11-30: 2 projects, xlsx written to" in (
        capsys.readouterr().out
    )
    pdf = tmp_path / "all.pdf"
    assert (
        main(["report", "portfolio", "--format", "pdf", "--from", "2026-10-01", "--to", "2026-11-30", "-o", str(pdf)])
        == 0
    )
    assert pdf.read_bytes().startswith(b"%PDF")
    csv_out = tmp_path / "all.csv"
    assert main(["report", "portfolio", "--output", str(csv_out), "--user", "exec"]) == 0
    assert csv_out.read_text(encoding="utf-8-sig").splitlines()[1].startswith("P1,Mobile app,DIG")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--portfolio", "NOPE"], "no portfolio 'NOPE' (there are: DIG, OPS)"),
        (["--user", "ghost"], "no user named 'ghost'"),
        (["--from", "2026-11-30", "--to", "2026-11-01"], "--to is before --from"),
    ],
)
def test_cli_refuses_bad_arguments(
    board: dict[str, Any], tmp_path: Path, capsys: Any, args: list[str], message: str
) -> None:
    out = tmp_path / "x.pdf"
    assert main(["report", "portfolio", *args, "--output", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()
