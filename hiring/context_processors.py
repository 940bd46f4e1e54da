from django.http import HttpRequest

from . import roles


def navigation(request: HttpRequest) -> dict:
    """The signed-in user's role, for the navigation bar."""
    user = getattr(request, "user", None)
    role = roles.role_of(user) if user is not None else None
    return {
        "nav_role": role,
        "nav_is_admin": role == roles.ADMIN,
        "nav_is_recruiting": role in (roles.ADMIN, roles.RECRUITER, roles.HIRING_MANAGER),
        "nav_is_interviewer": role is not None,
    }
