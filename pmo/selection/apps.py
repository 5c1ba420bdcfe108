from django.apps import AppConfig


class SelectionConfig(AppConfig):
    name = "pmo.selection"
    label = "selection"
    verbose_name = "Project selection"
