from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "pmo.resources"
    label = "resources"
    verbose_name = "People and organisation"
