"""Screenshots of the pages the browser tests visit, for people to look at (test-results/ is git-ignored)."""

from pathlib import Path

from playwright.sync_api import Page

SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as test-results/screenshots/<name>.png and return the path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
