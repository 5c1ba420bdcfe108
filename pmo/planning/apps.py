from django.apps import AppConfig


class PlanningConfig(AppConfig):
    name = "pmo.planning"
    label = "planning"
    verbose_name = "Plans and schedules"
