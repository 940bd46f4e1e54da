from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "Role templates"

    def ready(self) -> None:
        from . import fragments

        # Every committed write to the apps' tables makes the cached page fragments out of date.
        connection_created.connect(fragments.install, dispatch_uid="roles.fragments.install")
        # A deployment migrates: fragments rendered by the code it replaces are not served again.
        post_migrate.connect(fragments.after_migrate, sender=self, dispatch_uid="roles.fragments.after_migrate")
