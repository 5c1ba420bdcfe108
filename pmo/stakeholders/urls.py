from django.urls import URLPattern, URLResolver, path

from pmo.stakeholders import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("stakeholders/", views.index, name="stakeholders-index"),
    path("stakeholders/<int:pk>/", views.stakeholder_detail, name="stakeholders-detail"),
    path("projects/<int:pk>/stakeholders/", views.project_register, name="stakeholders-project"),
    path("programs/<int:pk>/stakeholders/", views.program_register, name="stakeholders-program"),
    path("portfolios/<int:pk>/stakeholders/", views.portfolio_register, name="stakeholders-portfolio"),
    path("projects/<int:pk>/surveys/", views.project_survey_create, name="stakeholders-survey-create"),
    path("surveys/<int:pk>/", views.survey_page, name="stakeholders-survey"),
    path("projects/<int:pk>/benefits/", views.project_benefits, name="stakeholders-benefits"),
    path("benefits/", views.benefits, name="stakeholders-benefits-all"),
    path("communications/<int:pk>/", views.item_detail, name="stakeholders-item"),
    path("benefits/<int:pk>/", views.benefit_detail, name="stakeholders-benefit"),
]
