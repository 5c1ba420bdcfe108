from django.urls import path

from pmo.resources import capacity_views, views

urlpatterns = [
    path("pool/", views.pool, name="pool"),
    path("pool/people/<int:pk>/", views.person_profile, name="pool-person"),
    path("pool/skills/", views.skills, name="pool-skills"),
    path("pool/requests/", views.requests, name="pool-requests"),
    path("resource-requests/<int:pk>/", views.request_detail, name="resource-request-detail"),
    path("pool/training/", views.training, name="pool-training"),
    path("capacity/", capacity_views.capacity_page, name="capacity"),
    path("capacity/reassign/", capacity_views.capacity_reassign, name="capacity-reassign"),
    path("capacity/what-ifs/", capacity_views.capacity_whatif_save, name="capacity-whatif-save"),
    path("capacity/what-ifs/<int:pk>/delete/", capacity_views.capacity_whatif_delete, name="capacity-whatif-delete"),
]
