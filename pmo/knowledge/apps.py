from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "pmo.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge"
