"""Merging two records of one person: the survivor keeps the chosen values and everything else.

One transaction under both rows' locks (taken in id order, so two merges of the same pair
cannot deadlock), and only from the versions the recruiter compared: an edit of either record
in between raises ``CandidateConflict`` and nothing is written. The other record stays as a
tombstone (``merged_into``) whose page redirects to the survivor; its email and phone are
cleared so duplicate checks only ever find the survivor.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hiring.models import Application, Candidate, Note, Resume, Tag

from .candidates import CandidateConflict, candidate_update
from .resumes import candidate_refresh_resume_text

# The fields a recruiter picks from either record, in the order the merge page shows them.
MERGE_FIELDS = ("first_name", "last_name", "email", "phone", "location", "links", "source", "consent_at")


@transaction.atomic
def candidate_merge(
    *,
    survivor: Candidate,
    other: Candidate,
    survivor_version: int,
    other_version: int,
    take_from_other: set[str] | frozenset[str] = frozenset(),
    actor=None,
) -> Candidate:
    """Merge ``other`` into ``survivor``; ``take_from_other``: the fields whose value comes from ``other``.

    Applications (with their stage history, interviews, scorecards and careers answers), notes,
    résumés and tags move to the survivor; the emails sent or queued about those applications
    (outbox rows refer to the application) follow them. Refused: merging a record into itself,
    a tombstone, two applications to one job (reject or remove one first), an unknown field.
    """
    if survivor.pk == other.pk:
        raise ValidationError("A candidate cannot be merged into itself: choose the other record.", code="self")
    unknown = set(take_from_other) - set(MERGE_FIELDS)
    if unknown:
        raise ValidationError(f"Not a field of a candidate: {', '.join(sorted(unknown))}.", code="unknown_field")
    locked = {
        c.pk: c for c in Candidate.objects.select_for_update().filter(pk__in=[survivor.pk, other.pk]).order_by("pk")
    }
    if len(locked) != 2:
        raise ValidationError("One of the two records no longer exists.", code="missing")
    keep, gone = locked[survivor.pk], locked[other.pk]
    for record, expected in ((keep, survivor_version), (gone, other_version)):
        if record.version != expected or record.merged_into_id is not None:
            raise CandidateConflict(record)
    shared = list(
        Application.objects.filter(candidate=gone, job__applications__candidate=keep).values_list(
            "job__title", flat=True
        )
    )
    if shared:
        raise ValidationError(
            f"Both records applied to {', '.join(sorted(shared))}: reject or remove one of those applications first.",
            code="same_job",
        )
    values = {name: getattr(gone if name in take_from_other else keep, name) for name in MERGE_FIELDS}
    old_email = gone.email
    now = timezone.now()
    # The tombstone first: its email and phone must be free before the survivor may take them.
    Candidate.objects.filter(pk=gone.pk).update(
        merged_into=keep, merged_at=now, email="", phone="", version=gone.version + 1, updated_at=now
    )
    Application.objects.filter(candidate=gone).update(candidate=keep)
    Note.objects.filter(candidate=gone).update(candidate=keep)
    Resume.objects.filter(candidate=gone).update(candidate=keep)
    through = Tag.candidates.through
    tag_ids = set(through.objects.filter(candidate=gone).values_list("tag_id", flat=True))
    tag_ids -= set(through.objects.filter(candidate=keep).values_list("tag_id", flat=True))
    through.objects.bulk_create(through(candidate_id=keep.pk, tag_id=tag_id) for tag_id in tag_ids)
    through.objects.filter(candidate=gone).delete()
    merged = candidate_update(candidate=keep, **values)
    Note.objects.create(
        candidate=merged,
        author=actor,
        body=f"Merged the duplicate record of {gone.full_name} (#{gone.pk}{', ' + old_email if old_email else ''}) "
        "into this one.",
    )
    candidate_refresh_resume_text(candidate_id=merged.pk)
    merged.refresh_from_db()
    return merged
