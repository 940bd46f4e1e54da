"""Signing in and loading the signed-in user: Django's model backend, with the user's role.

Every page asks for the user's role (``hiring.groups.role_of``). Loaded the usual way, that is a
second query on every request (the user, then their groups); here the session's user row
comes with the name of their most capable role group, read by a subquery in the same query.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.db.models import Case, IntegerField, OuterRef, Subquery, Value, When

from .groups import ROLE_NAMES


def top_role_group():
    """The name of the user's most capable role group (``ROLE_NAMES`` order), or None."""
    rank = Case(
        *(When(name=name, then=Value(index)) for index, name in enumerate(ROLE_NAMES)), output_field=IntegerField()
    )
    return Subquery(
        Group.objects.filter(user=OuterRef("pk"), name__in=ROLE_NAMES)
        .annotate(rank=rank)
        .order_by("rank")
        .values("name")[:1]
    )


class RoleModelBackend(ModelBackend):
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.annotate(_top_role_group=top_role_group()).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
