from django.urls import path

from pmo.risks import simulation_views, views

urlpatterns = [
    path("projects/<int:pk>/risks/", views.project_risks, name="project-risks"),
    path("risks/", views.portfolio_risks, name="portfolio-risks"),
    path("risks/<int:pk>/", views.risk_detail, name="risk-detail"),
    path("portfolios/<int:pk>/risk-scales/", views.risk_scales, name="risk-scales"),
    path("projects/<int:pk>/risk-analysis/", simulation_views.project_analysis, name="risk-analysis"),
    path("projects/<int:pk>/risk-analysis/run/", simulation_views.project_analysis_run, name="risk-analysis-run"),
    path(
        "projects/<int:pk>/risk-analysis/estimates/",
        simulation_views.project_estimates_save,
        name="risk-analysis-estimates",
    ),
    path("portfolios/<int:pk>/risk-analysis/", simulation_views.portfolio_analysis, name="portfolio-risk-analysis"),
    path(
        "portfolios/<int:pk>/risk-analysis/run/",
        simulation_views.portfolio_analysis_run,
        name="portfolio-risk-analysis-run",
    ),
]
