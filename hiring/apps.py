from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Hiring"

    def ready(self) -> None:
        from .groups import sync_groups

        # New models get their permissions into the role groups after every migrate.
        post_migrate.connect(sync_groups, sender=self, dispatch_uid="hiring.sync_groups")
