from django.urls import path

from pmo.resources import views

urlpatterns = [
    path("pool/", views.pool, name="pool"),
    path("pool/people/<int:pk>/", views.person_profile, name="pool-person"),
    path("pool/skills/", views.skills, name="pool-skills"),
    path("pool/requests/", views.requests, name="pool-requests"),
    path("resource-requests/<int:pk>/", views.request_detail, name="resource-request-detail"),
    path("pool/training/", views.training, name="pool-training"),
]
