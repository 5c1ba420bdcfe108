from django.urls import URLPattern, URLResolver, path

from pmo.documents import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("projects/<int:pk>/documents/", views.project_documents, name="project-documents"),
    path("projects/<int:pk>/charter/", views.project_charter, name="project-charter"),
    path("projects/<int:pk>/document-baselines/", views.project_baselines, name="project-document-baselines"),
    path("documents/<int:pk>/", views.document_detail, name="document-detail"),
    path("documents/<int:pk>/diff/", views.document_diff, name="document-diff"),
    path("documents/<int:pk>/v<int:number>/download/", views.version_download, name="document-version-download"),
    path("documents/<int:pk>/v<int:number>/", views.version_detail, name="document-version"),
    path("document-baselines/<int:pk>/", views.baseline_detail, name="document-baseline"),
    path("document-templates/", views.template_library, name="document-templates"),
    path("document-templates/<int:pk>/", views.template_detail, name="document-template-detail"),
]
