"""Create a personal API token for a user, for scripts: the token is the last line printed."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hiring.models import ApiToken, User
from hiring.services import api_token_create


class Command(BaseCommand):
    help = "Create a personal API token for EMAIL and print it (the last line of the output is the token)."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--scope", choices=["read", "write"], default="read", help="read (default) or write")
        parser.add_argument("--days", type=int, default=None, help="days until it expires (default: the setting)")
        parser.add_argument("--name", default="Command line", help="what the token is for")

    def handle(self, *args, email: str, scope: str, days: int | None, name: str, **options):
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active user with the email address {email}.")
        try:
            created = api_token_create(
                user=user, name=name, scope=ApiToken.Scope.WRITE if scope == "write" else ApiToken.Scope.READ, days=days
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        token = created.token
        self.stdout.write(
            f"Token “{token.name}” for {user.email}: {token.get_scope_display().lower()}, "
            f"expires {token.expires_at:%Y-%m-%d}. It is shown only now:"
        )
        self.stdout.write(created.secret)
