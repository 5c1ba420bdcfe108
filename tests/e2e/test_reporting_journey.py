"""The reporting journey in a real browser: an executive opens the dashboard and drills down from a red
bubble of the value/risk chart to its project, and from this year's column of the money chart to the year by
project and on to a project; the PMO analyst produces the Digital portfolio's status report
as PDF and as Excel (both downloads opened and checked); the roadmap shows the late cross-project link of the
demo (DIG-006 waits for DIG-007's second build increment)."""

import datetime as dt
import io
import re

import pypdfium2
import pytest
from django.contrib.auth.models import User
from openpyxl import load_workbook
from playwright.sync_api import Page, ViewportSize, expect

from pmo.portfolio.models import Portfolio, Project
from pmo.reporting.dashboard import dashboard, year_breakdown
from pmo.reporting.models import ReportArchive
from tests.e2e.screenshots import screenshot
from tests.e2e.test_changes_journey import sign_in

pytestmark = pytest.mark.e2e

LAPTOP: ViewportSize = {"width": 1366, "height": 768}


def test_dashboard_drill_down_reports_and_roadmap(page: Page) -> None:
    page.set_viewport_size(LAPTOP)
    digital = Portfolio.objects.get(code="DIG")

    # 1. The executive opens the dashboard from the sidebar.
    sign_in(page, "exec", "Robert Hale", "Executive")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard · all portfolios")
    expect(page.locator("#health-matrix tbody tr").first).to_be_visible()
    red = page.locator("#bubbles a.bubble-red").first
    expect(red).to_be_attached()
    code = red.get_attribute("data-project")
    assert code
    # The health matrix agrees: that project is red overall.
    expect(page.locator(f"#health-matrix tr[data-project='{code}'] a.overall")).to_have_text("Red")
    screenshot(page, "reporting-01-dashboard")

    # 2. ... drills down from the red bubble to the project.
    red.locator("circle").click()
    project = Project.objects.get(code=code)
    page.wait_for_url(re.compile(rf"/projects/{project.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)
    expect(page.locator("#reporting-panel")).to_contain_text("Status report (PDF)")
    screenshot(page, "reporting-02-red-project")

    # 2b. ... goes back, clicks this year's column of the budget/actual/forecast chart, and sees the year by
    # project, adding up to the chart's figures; each project opens its page.
    page.go_back()
    year = next(y for y in dashboard(User.objects.get(username="exec")).years if y.year == dt.date.today().year)
    page.locator(f"#money svg a.year-link[data-year='{year.year}']").click()
    page.wait_for_url(re.compile(rf"/dashboard/years/{year.year}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Budget, actual and forecast {year.year}")
    rows = page.locator("#year-table tbody tr")
    expect(rows.first).to_be_visible()
    breakdown = year_breakdown(User.objects.get(username="exec"), None, year.year)
    expect(rows).to_have_count(len(breakdown.rows))
    total = page.locator("#year-table tfoot td")
    expect(total.nth(3)).to_have_text(f"{year.budget:,.0f}")
    expect(total.nth(5)).to_have_text(f"{year.forecast:,.0f}")
    screenshot(page, "reporting-02b-year-by-project")
    first = breakdown.rows[0].project
    rows.first.get_by_role("link", name=f"{first.code} {first.name}").click()
    page.wait_for_url(re.compile(rf"/projects/{first.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.code)

    # 3. The PMO analyst produces the Digital portfolio's report as a PDF ...
    sign_in(page, "analyst", "Priya Natarajan", "PMO analyst")
    page.goto("/reports/")
    form = page.locator("#generate-form")
    form.locator("select[name=portfolio]").select_option(str(digital.pk))
    form.locator("select[name=format]").select_option("pdf")
    with page.expect_download() as pdf_download:
        form.get_by_role("button", name="Produce and download").click()
    pdf = pdf_download.value
    assert re.fullmatch(r"portfolio-report-dig-\d{4}-\d{2}-\d{2}\.pdf", pdf.suggested_filename)
    pdf_bytes = open(pdf.path(), "rb").read()  # noqa: SIM115 - read once, closed by the download
    document = pypdfium2.PdfDocument(pdf_bytes)
    assert len(document) >= 3
    first_page = document[0].get_textpage().get_text_range()
    document.close()
    assert "Portfolio status report — Digital Transformation" in first_page

    # ... and as Excel, one sheet per section.
    page.goto("/reports/")
    form.locator("select[name=portfolio]").select_option(str(digital.pk))
    form.locator("select[name=format]").select_option("xlsx")
    with page.expect_download() as xlsx_download:
        form.get_by_role("button", name="Produce and download").click()
    book = load_workbook(io.BytesIO(open(xlsx_download.value.path(), "rb").read()))  # noqa: SIM115
    assert book.sheetnames[:3] == ["Summary", "Projects", "Budget by year"]
    codes = [row[0] for row in list(book["Projects"].values)[1:]]
    assert codes and all(c.startswith("DIG-") for c in codes)
    # Both are in the archive, the newest first.
    page.goto("/reports/")
    archive = page.locator("#archive-table tbody tr")
    expect(archive.first).to_contain_text("Excel")
    expect(archive.nth(1)).to_contain_text("PDF")
    assert ReportArchive.objects.filter(created_by__username="analyst").count() == 2
    screenshot(page, "reporting-03-reports")

    # 4. The roadmap of the Digital portfolio shows the late cross-project link.
    page.get_by_role("link", name="Roadmap").click()
    page.locator(".reporting-scope select[name=portfolio]").select_option(str(digital.pk))
    page.wait_for_url(re.compile(rf"portfolio={digital.pk}"))
    expect(page.locator(".roadmap-wrap svg path.link.late").first).to_be_attached()
    late = page.locator("#link-table tr.late", has_text="DIG-006")
    expect(late).to_contain_text("DIG-007")
    expect(late).to_contain_text(re.compile(r"\d+ days late"))
    screenshot(page, "reporting-04-roadmap")
