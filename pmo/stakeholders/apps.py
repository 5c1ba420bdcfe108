from django.apps import AppConfig


class StakeholdersConfig(AppConfig):
    name = "pmo.stakeholders"
    label = "stakeholders"
    verbose_name = "Stakeholders"
