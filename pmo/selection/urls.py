from django.urls import path

from pmo.selection import scenario_views, scoring_views, views

urlpatterns = [
    path("proposals/<int:pk>/business-case/", views.business_case, name="proposal-business-case"),
    path("proposals/<int:pk>/move/", views.proposal_move, name="proposal-move"),
    path("proposals/<int:pk>/evaluate/", scoring_views.evaluate, name="proposal-evaluate"),
    path("scoring/", scoring_views.model_list, name="scoring-list"),
    path("scoring/new/", scoring_views.model_edit, name="scoring-create"),
    path("scoring/<int:pk>/", scoring_views.model_detail, name="scoring-detail"),
    path("scoring/<int:pk>/edit/", scoring_views.model_edit, name="scoring-edit"),
    path("scoring/<int:pk>/ahp/", scoring_views.model_ahp, name="scoring-ahp"),
    path("ranking/", scoring_views.ranking, name="ranking"),
    path("scenarios/", scenario_views.scenario_list, name="scenario-list"),
    path("scenarios/new/", scenario_views.scenario_edit, name="scenario-create"),
    path("scenarios/compare/", scenario_views.scenario_compare, name="scenario-compare"),
    path("scenarios/<int:pk>/", scenario_views.scenario_detail, name="scenario-detail"),
    path("scenarios/<int:pk>/edit/", scenario_views.scenario_edit, name="scenario-edit"),
    path("scenarios/<int:pk>/status.json", scenario_views.scenario_status, name="scenario-status"),
    path("scenarios/<int:pk>/<str:action>/", scenario_views.scenario_action, name="scenario-action"),
]
