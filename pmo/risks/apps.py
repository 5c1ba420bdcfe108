from django.apps import AppConfig


class RisksConfig(AppConfig):
    name = "pmo.risks"
    label = "risks"
    verbose_name = "Risk registers"
