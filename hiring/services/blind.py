"""Writes of blind review: revealing a candidate to the job's hiring managers after the debrief."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from hiring.models import Application, User
from hiring.rules import can_reveal_identity
from hiring.services.access_events import access_event_record


@transaction.atomic
def identity_reveal(*, application: Application, user: User) -> Application:
    """Show the candidate's name to the job's hiring managers; recorded as an access event.

    Refused (``PermissionDenied``) unless ``hiring.rules.can_reveal_identity`` allows it; revealing
    twice records nothing more.
    """
    locked = Application.objects.select_for_update().select_related("job").get(pk=application.pk)
    if locked.identity_revealed_at is not None:
        return locked
    if not can_reveal_identity(user, locked):
        raise PermissionDenied("The candidate can be revealed by a hiring manager of the job after the debrief.")
    locked.identity_revealed_at = timezone.now()
    locked.identity_revealed_by = user
    locked.save(update_fields=["identity_revealed_at", "identity_revealed_by", "updated_at"])
    access_event_record(
        user=user,
        obj=locked,
        what="blind review reveal",
        label=f"Application #{locked.pk} of candidate #{locked.candidate_id}",
        job_id=locked.job_id,
    )
    return locked
