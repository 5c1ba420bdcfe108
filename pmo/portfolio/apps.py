from django.apps import AppConfig


class PortfolioConfig(AppConfig):
    name = "pmo.portfolio"
    label = "portfolio"
    verbose_name = "Strategy and portfolio"
