from django.urls import URLPattern, URLResolver, path

from pmo.knowledge import views

app_name = "knowledge"

urlpatterns: list[URLPattern | URLResolver] = [
    path("knowledge/", views.lessons_page, name="lessons"),
    path("knowledge/lessons/<int:pk>/", views.lesson_page, name="lesson"),
    path("knowledge/categories/", views.categories_page, name="categories"),
    path("knowledge/search/", views.search_page, name="search"),
    path("knowledge/closures/", views.closures_page, name="closures"),
    path("knowledge/maturity/", views.maturity_page, name="maturity"),
    path("knowledge/maturity/<int:pk>/", views.assessment_page, name="assessment"),
    path("knowledge/maturity/trend.svg", views.maturity_trend_svg, name="maturity-trend"),
    path("knowledge/improvements/<int:pk>/", views.improvement_page, name="improvement"),
    path("projects/<int:pk>/closure/", views.closure_page, name="closure"),
]
