from django.contrib import admin
from django.urls import include, path

from pmo.api.main import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("pmo.web.urls")),
]

handler403 = "pmo.web.views.permission_denied"
