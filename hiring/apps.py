from django.apps import AppConfig
from django.db.models.signals import post_migrate


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Hiring"

    def ready(self) -> None:
        from .roles import sync_groups

        # New models get their permissions into the role groups after every migrate.
        post_migrate.connect(sync_groups, sender=self, dispatch_uid="hiring.sync_groups")
        # Celery's autodiscovery looks at hiring.tasks only; register the candidates' tasks too.
        from . import tasks_resumes  # noqa: F401
