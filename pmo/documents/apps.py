from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "pmo.documents"
    label = "documents"
    verbose_name = "Documents"
