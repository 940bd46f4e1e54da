"""Demo logins, one per role (demo only)."""

from django.contrib.auth.models import Group

from hiring import groups
from hiring.models import User

DEMO_PASSWORD = "hire-demo-2026"  # noqa: S105 - documented demo login, never used in production

DEMO_USERS = [
    # email, first name, last name, role, is_staff/superuser
    ("admin@demo.test", "Ada", "Admin", groups.ADMIN),
    ("recruiter@demo.test", "Rosa", "Recruiter", groups.RECRUITER),
    ("manager@demo.test", "Hugo", "Manager", groups.HIRING_MANAGER),
    ("interviewer@demo.test", "Ines", "Interviewer", groups.INTERVIEWER),
    ("interviewer2@demo.test", "Ivan", "Ivanov", groups.INTERVIEWER),
    ("interviewer3@demo.test", "Iris", "Ito", groups.INTERVIEWER),
]


def seed_users() -> dict[str, User]:
    """Create (or leave as they are) one login per role; returns them by email."""
    by_name = {group.name: group for group in Group.objects.filter(name__in=groups.ROLE_NAMES)}
    users = {}
    for email, first, last, role in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            is_admin = role == groups.ADMIN
            user = User.objects.create_user(
                email=email,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                is_staff=is_admin,
                is_superuser=is_admin,
            )
            user.groups.add(by_name[role])
        users[email] = user
    return users
