from django.urls import path

from pmo.risks import views

urlpatterns = [
    path("projects/<int:pk>/risks/", views.project_risks, name="project-risks"),
    path("risks/", views.portfolio_risks, name="portfolio-risks"),
    path("risks/<int:pk>/", views.risk_detail, name="risk-detail"),
    path("portfolios/<int:pk>/risk-scales/", views.risk_scales, name="risk-scales"),
]
