"""The executive dashboard, portfolio views and roadmap, consolidated reports (PDF, Excel, CSV), scheduled reports."""
