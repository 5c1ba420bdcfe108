from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "pmo.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from pmo.core.roles import sync_role_groups

        # Role groups and their model permissions are kept in step with the matrix in pmo/core/roles.py.
        # No sender filter: the business apps' permissions exist only after their own post_migrate.
        post_migrate.connect(sync_role_groups, dispatch_uid="pmo.sync_role_groups")
