from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate


class HiringConfig(AppConfig):
    name = "hiring"
    verbose_name = "Hiring"

    def ready(self) -> None:
        from .groups import sync_groups
        from .middleware import remember_two_factor

        # New models get their permissions into the role groups after every migrate.
        post_migrate.connect(sync_groups, sender=self, dispatch_uid="hiring.sync_groups")
        # Whether the person signing in set up a second factor (TwoFactorMiddleware asks for it).
        user_logged_in.connect(remember_two_factor, dispatch_uid="hiring.remember_two_factor")
        # Setting up or replacing an authenticator app is in the audit trail (never its key).
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from roles import audit

        audit.track(TOTPDevice, fields=["user", "name", "confirmed"])
