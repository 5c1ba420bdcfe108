"""Browser tests: Chromium driven by Playwright against a live pmo server (run with `make e2e`)."""
