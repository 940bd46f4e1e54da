from django.http import HttpRequest

from . import groups


def navigation(request: HttpRequest) -> dict:
    """The signed-in user's role, for the navigation bar."""
    user = getattr(request, "user", None)
    role = groups.role_of(user) if user is not None else None
    return {
        "nav_role": role,
        "nav_is_admin": role == groups.ADMIN,
        "nav_is_recruiting": role in (groups.ADMIN, groups.RECRUITER, groups.HIRING_MANAGER),
        "nav_is_interviewer": role is not None,
    }
