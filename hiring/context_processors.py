import rules
from django.http import HttpRequest

from . import groups
from . import rules as hiring_rules


def navigation(request: HttpRequest) -> dict:
    """The signed-in user's role and what the navigation bar offers them (asked of ``hiring.rules``)."""
    user = getattr(request, "user", None)
    if user is None:
        return {"nav_role": None, "nav_is_admin": False, "nav_is_recruiting": False, "nav_is_interviewer": False}
    role = groups.role_of(user)
    return {
        "nav_role": role,
        "nav_is_admin": bool(hiring_rules.is_admin(user)),
        "nav_is_recruiting": rules.has_perm("hiring.access_recruiting", user),
        "nav_is_interviewer": role is not None,
    }
