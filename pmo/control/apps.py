from django.apps import AppConfig


class ControlConfig(AppConfig):
    name = "pmo.control"
    label = "control"
    verbose_name = "Monitoring and control"
