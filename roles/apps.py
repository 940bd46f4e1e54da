from django.apps import AppConfig
from django.db.backends.signals import connection_created


class RolesConfig(AppConfig):
    name = "roles"
    verbose_name = "Role templates"

    def ready(self) -> None:
        from . import fragments

        # Every committed write to the apps' tables makes the cached page fragments out of date.
        connection_created.connect(fragments.install, dispatch_uid="roles.fragments.install")
