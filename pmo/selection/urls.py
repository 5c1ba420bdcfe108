from django.urls import path

from pmo.selection import views

urlpatterns = [
    path("proposals/<int:pk>/business-case/", views.business_case, name="proposal-business-case"),
    path("proposals/<int:pk>/move/", views.proposal_move, name="proposal-move"),
]
