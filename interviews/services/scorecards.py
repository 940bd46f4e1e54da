"""Writes of scorecards: autosave of one field, save of the whole form, submit, amend, withdraw, reminders.

Every save carries the version the writer started from. A save from a stale version
still goes through when the field it changes has not moved on the server since the
writer loaded it (``base`` equals the stored value); otherwise it raises
``ScorecardConflict`` with both texts, and nothing is overwritten.
"""

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from hiring.rules import candidate_name_for
from hiring.services.outbox import Email, outbox_deliver_on_commit, outbox_enqueue_many
from hiring.services.webhooks import webhook_emit
from interviews.models import CompetencyRating, Scorecard, ScorecardRevision, overdue_q
from interviews.summaries.services import summary_request
from roles import fragments, scale
from roles.cleaning import clean_text

RATING_FIELD = re.compile(r"^(rating|evidence)-(\d+)$")
SCORECARD_TEXT_FIELDS = ("key_takeaways", "private_note")
SCORECARD_FIELDS = ("overall_recommendation", *SCORECARD_TEXT_FIELDS)
NOT_ASSESSED = "na"
MAX_TEXT = 20_000
REMINDER_LIMIT = 5


class ScorecardLocked(Exception):
    """The scorecard is submitted: amend it first."""


@dataclass
class FieldConflict:
    field: str
    label: str
    mine: str
    theirs: str


class ScorecardConflict(Exception):
    """The stored text moved on since the writer loaded it; nothing was saved."""

    def __init__(self, conflicts: list[FieldConflict], version: int):
        super().__init__("The scorecard was changed elsewhere.")
        self.conflicts = conflicts
        self.version = version


@dataclass
class FieldSaved:
    field: str
    value: str
    version: int
    saved_at: datetime
    errors: list[str] = dataclasses.field(default_factory=list)


def _rating_value(rating: CompetencyRating) -> str:
    if rating.not_assessed:
        return NOT_ASSESSED
    return "" if rating.rating is None else str(rating.rating)


def _parse_rating(value: str) -> tuple[int | None, bool]:
    """A posted rating: '1'..'4', 'na' (not assessed) or '' (not chosen yet)."""
    value = (value or "").strip()
    if value == NOT_ASSESSED:
        return None, True
    if value == "":
        return None, False
    if value.isdigit() and int(value) in scale.LEVELS:
        return int(value), False
    raise ValidationError(f"Choose a rating from {scale.DESCRIPTION}, or Not assessed.")


def _parse_recommendation(value: str) -> int | None:
    value = (value or "").strip()
    if value == "":
        return None
    if value.isdigit() and int(value) in scale.LEVELS:
        return int(value)
    raise ValidationError("Choose Strong no, No, Yes or Strong yes.")


def _posted(value: str | None) -> str:
    """A posted value as it may be stored: no NUL or other control characters, ``\n`` line ends."""
    return clean_text(value or "").replace("\r\n", "\n")


def _clean_text(value: str) -> str:
    value = _posted(value)
    if len(value) > MAX_TEXT:
        raise ValidationError(f"Keep this under {MAX_TEXT:,} characters (it has {len(value):,}).")
    return value


def scorecard_field_save(*, scorecard_id: int, user, field: str, value: str, version: int, base: str) -> FieldSaved:
    """Autosave one field of a draft scorecard: one read and two compare-and-set updates.

    ``version`` is the scorecard version the writer started from and ``base`` the field's
    value they loaded. A stale version still saves when the stored value is still ``base``
    (nothing moved under the writer); otherwise ``ScorecardConflict`` carries both texts.

    No explicit transaction (so no BEGIN/COMMIT round trips): the version is bumped first
    with ``WHERE version = <read>`` and the field is written with ``WHERE field = <read>``.
    Any writer that interleaves makes one of the two match nothing, and this save starts
    over from a fresh read, where the conflict check sees the other text. A crash between
    the two statements leaves a raised version and the old text, which only sends the next
    save through the ``base`` check: nothing typed is overwritten.

    Raises ``Scorecard.DoesNotExist`` for a scorecard that is not the user's,
    ``ScorecardLocked`` once it is submitted, ``ScorecardConflict`` for a stale edit
    and ``ValidationError`` for a value out of range; in each case nothing is written.
    """
    match = RATING_FIELD.match(field)
    if match is None and field not in SCORECARD_FIELDS:
        raise ValidationError("Unknown field.")
    value = _clean_text(value)
    base = _posted(base)
    for _attempt in range(5):
        # A draft's text and ratings are on no cached page (roles/fragments.py): the cached
        # boards and lists stay valid while interviewers type.
        with fragments.unwatched():
            saved = _field_save_once(
                scorecard_id=scorecard_id, user=user, field=field, match=match, value=value, version=version, base=base
            )
        if saved is not None:
            return saved
    raise ValidationError("The scorecard is being saved from somewhere else right now; try again in a moment.")


def _field_save_once(*, scorecard_id, user, field, match, value, version, base) -> FieldSaved | None:
    """One attempt; None when another writer got in between (the caller reads again)."""
    rating = None
    if match:
        rating = (
            CompetencyRating.objects.select_related("scorecard")
            .filter(pk=int(match.group(2)), scorecard_id=scorecard_id, scorecard__interviewer=user)
            .first()
        )
        if rating is None:
            raise Scorecard.DoesNotExist
        card = rating.scorecard
        is_rating = match.group(1) == "rating"
        current = _rating_value(rating) if is_rating else rating.evidence
        label = f"{rating.name}: {'rating' if is_rating else 'evidence'}"
    else:
        found = Scorecard.objects.filter(pk=scorecard_id, interviewer=user).first()
        if found is None:
            raise Scorecard.DoesNotExist
        card = found
        stored = getattr(card, field)
        current = "" if stored is None else str(stored)
        label = str(getattr(Scorecard._meta.get_field(field), "verbose_name", field)).capitalize()
    if card.status != Scorecard.Status.DRAFT:
        raise ScorecardLocked
    if version != card.version and current not in (base, value):
        raise ScorecardConflict([FieldConflict(field=field, label=label, mine=value, theirs=current)], card.version)

    now = timezone.now()
    new_version = card.version + 1
    if rating is not None:
        if is_rating:
            guard: dict[str, object] = {"rating": rating.rating, "not_assessed": rating.not_assessed}
            rating.rating, rating.not_assessed = _parse_rating(value)
            changes = {"rating": rating.rating, "not_assessed": rating.not_assessed}
        else:
            guard = {"evidence": rating.evidence}
            rating.evidence = value
            changes = {"evidence": value}
        rating.full_clean(exclude=["scorecard", "competency"], validate_unique=False, validate_constraints=False)
        bumped = Scorecard.objects.filter(pk=card.pk, version=card.version, status=Scorecard.Status.DRAFT).update(
            version=new_version, updated_at=now
        )
        if not bumped:
            return None
        if not CompetencyRating.objects.filter(pk=rating.pk, **guard).update(**changes):
            return None
    else:
        guard = {field: getattr(card, field)}
        if field == "overall_recommendation":
            card.overall_recommendation = _parse_recommendation(value)
        else:
            setattr(card, field, value)
        card.full_clean(exclude=["interview", "interviewer"], validate_unique=False, validate_constraints=False)
        changes = {field: getattr(card, field)}
        bumped = Scorecard.objects.filter(
            pk=card.pk, version=card.version, status=Scorecard.Status.DRAFT, **guard
        ).update(version=new_version, updated_at=now, **changes)
        if not bumped:
            return None
    return FieldSaved(field=field, value=value, version=new_version, saved_at=now)


def _snapshot(card: Scorecard, ratings: list[CompetencyRating]) -> dict:
    return {
        "status": card.status,
        "overall_recommendation": card.overall_recommendation,
        "key_takeaways": card.key_takeaways,
        "private_note": card.private_note,
        "submitted_at": card.submitted_at.isoformat() if card.submitted_at else None,
        "ratings": [
            {
                "name": r.name,
                "rating": r.rating,
                "not_assessed": r.not_assessed,
                "evidence": r.evidence,
            }
            for r in ratings
        ],
    }


def _locked_card(*, scorecard_id: int, user) -> tuple[Scorecard, list[CompetencyRating]]:
    card = (
        Scorecard.objects.select_for_update(of=("self",))
        .select_related("interview__application__job")
        .filter(pk=scorecard_id, interviewer=user)
        .first()
    )
    if card is None:
        raise Scorecard.DoesNotExist
    return card, list(card.ratings.select_for_update().order_by("order", "id"))


@transaction.atomic
def scorecard_save(*, scorecard_id: int, user, data: dict[str, str], version: int) -> Scorecard:
    """Save the whole form (the path without JavaScript).

    ``data`` holds the posted values by field name (``rating-<id>``, ``evidence-<id>``,
    ``overall_recommendation``, ``key_takeaways``, ``private_note``). A stale ``version``
    raises ``ScorecardConflict`` listing the fields where the posted text differs from
    the stored one; nothing is saved then. Values out of range raise ``ValidationError``
    keyed by field.
    """
    card, ratings = _locked_card(scorecard_id=scorecard_id, user=user)
    if card.status != Scorecard.Status.DRAFT:
        raise ScorecardLocked
    stored = {"overall_recommendation": "" if card.overall_recommendation is None else str(card.overall_recommendation)}
    stored.update({name: getattr(card, name) for name in SCORECARD_TEXT_FIELDS})
    labels = {"overall_recommendation": "Overall recommendation", "key_takeaways": "Key takeaways"}
    labels["private_note"] = "Private note"
    for r in ratings:
        stored[f"rating-{r.pk}"] = _rating_value(r)
        stored[f"evidence-{r.pk}"] = r.evidence
        labels[f"rating-{r.pk}"] = f"{r.name}: rating"
        labels[f"evidence-{r.pk}"] = f"{r.name}: evidence"
    posted = {name: _posted(data.get(name)) for name in stored if name in data}
    if version != card.version:
        conflicts = [
            FieldConflict(field=name, label=labels[name], mine=value, theirs=stored[name])
            for name, value in posted.items()
            if value != stored[name]
        ]
        if conflicts:
            raise ScorecardConflict(conflicts, card.version)
    errors: dict[str, str] = {}
    for r in ratings:
        try:
            if f"rating-{r.pk}" in posted:
                r.rating, r.not_assessed = _parse_rating(posted[f"rating-{r.pk}"])
        except ValidationError as error:
            errors[f"rating-{r.pk}"] = error.messages[0]
        try:
            if f"evidence-{r.pk}" in posted:
                r.evidence = _clean_text(posted[f"evidence-{r.pk}"])
        except ValidationError as error:
            errors[f"evidence-{r.pk}"] = error.messages[0]
    try:
        if "overall_recommendation" in posted:
            card.overall_recommendation = _parse_recommendation(posted["overall_recommendation"])
    except ValidationError as error:
        errors["overall_recommendation"] = error.messages[0]
    for name in SCORECARD_TEXT_FIELDS:
        try:
            if name in posted:
                setattr(card, name, _clean_text(posted[name]))
        except ValidationError as error:
            errors[name] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    for r in ratings:
        r.full_clean(exclude=["scorecard", "competency"], validate_unique=False, validate_constraints=False)
    CompetencyRating.objects.bulk_update(ratings, ["rating", "not_assessed", "evidence"])
    card.version += 1
    card.full_clean(exclude=["interview", "interviewer"], validate_unique=False, validate_constraints=False)
    card.save()
    return card


def scorecard_missing(*, card: Scorecard, ratings: list[CompetencyRating]) -> dict[str, str]:
    """What a scorecard still needs before it can be submitted, by field name."""
    missing: dict[str, str] = {}
    evidence_required = card.interview.application.job.evidence_required
    for r in ratings:
        if r.rating is None and not r.not_assessed:
            missing[f"rating-{r.pk}"] = f"Rate {r.name}, or choose Not assessed."
        elif r.rating is not None and evidence_required and not r.evidence.strip():
            missing[f"evidence-{r.pk}"] = f"Write the evidence behind your rating of {r.name}."
    if ratings and all(r.not_assessed for r in ratings):
        missing.setdefault(f"rating-{ratings[0].pk}", "Rate at least one competency.")
    if card.overall_recommendation is None:
        missing["overall_recommendation"] = "Choose an overall recommendation: there is no neutral option."
    return missing


@transaction.atomic
def scorecard_submit(*, scorecard_id: int, user) -> Scorecard:
    """Submit a complete draft: it is locked, counts in the summary, and opens colleagues' feedback."""
    card, ratings = _locked_card(scorecard_id=scorecard_id, user=user)
    if card.status != Scorecard.Status.DRAFT:
        raise ScorecardLocked
    starts_at = card.interview.starts_at
    if starts_at > timezone.now():
        when = timezone.localtime(starts_at).strftime("%a %d %b, %H:%M")
        raise ValidationError(
            {"interview": f"The interview starts {when}: submit once it has started (your draft is kept)."},
            code="not_started",
        )
    missing = scorecard_missing(card=card, ratings=ratings)
    if missing:
        raise ValidationError(missing)
    now = timezone.now()
    card.status = Scorecard.Status.SUBMITTED
    card.submitted_at = card.submitted_at or now
    card.withdrawn_at = None
    card.version += 1
    card.full_clean(exclude=["interview", "interviewer"], validate_unique=False, validate_constraints=False)
    card.save()
    summary_request(application_id=card.interview.application_id)
    webhook_emit(
        event_type="scorecard.submitted",
        data={
            "scorecard_id": card.pk,
            "interview_id": card.interview_id,
            "application_id": card.interview.application_id,
            "interviewer_id": card.interviewer_id,
            "overall_recommendation": card.overall_recommendation,
            "submitted_at": card.submitted_at,
        },
    )
    return card


def _reopen(*, scorecard_id: int, user, withdraw: bool) -> Scorecard:
    card, ratings = _locked_card(scorecard_id=scorecard_id, user=user)
    if card.status != Scorecard.Status.SUBMITTED:
        raise ValidationError("Only a submitted scorecard can be amended or withdrawn.")
    ScorecardRevision.objects.create(
        scorecard=card, version=card.version, content=_snapshot(card, ratings), created_by=user
    )
    card.status = Scorecard.Status.DRAFT
    if withdraw:
        card.submitted_at = None
        card.withdrawn_at = timezone.now()
    card.version += 1
    card.full_clean(exclude=["interview", "interviewer"], validate_unique=False, validate_constraints=False)
    card.save()
    summary_request(application_id=card.interview.application_id)
    return card


@transaction.atomic
def scorecard_amend(*, scorecard_id: int, user) -> Scorecard:
    """Reopen a submitted scorecard for changes; the submitted text is kept as a revision."""
    return _reopen(scorecard_id=scorecard_id, user=user, withdraw=False)


@transaction.atomic
def scorecard_withdraw(*, scorecard_id: int, user) -> Scorecard:
    """Take a submitted scorecard back: it no longer counts; its text is kept as a revision."""
    return _reopen(scorecard_id=scorecard_id, user=user, withdraw=True)


def reminders_due_filter(*, now: datetime) -> Q:
    """Overdue (the one rule, ``interviews.models.overdue_q``), not reminded today, fewer than the limit."""
    return (
        overdue_q(now=now)
        & Q(reminders_sent__lt=REMINDER_LIMIT)
        & (Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - timedelta(days=1)))
    )


def _still_due_here(*, now: datetime) -> Q:
    """The part of "due" that lives on the scorecard row itself, for the claiming UPDATE.

    It must not follow a relation: Django turns a joined filter into ``WHERE id IN
    (SELECT ...)``, and PostgreSQL re-checks a concurrently updated row against the
    subquery's old snapshot, so two overlapping runs would both count it. Row-local
    conditions are re-checked on the row's newest version, so only one run wins.
    """
    return (
        Q(status=Scorecard.Status.DRAFT, submitted_at__isnull=True, withdrawn_at__isnull=True)
        & Q(reminders_sent__lt=REMINDER_LIMIT)
        & (Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lte=now - timedelta(days=1)))
    )


def _reminder_email(card: Scorecard) -> Email:
    interview = card.interview
    url = settings.SITE_URL.rstrip("/") + reverse("interviews:scorecard-edit", args=[card.pk])
    candidate = candidate_name_for(card.interviewer, interview.application)  # blind review: the label
    body = (
        f"Hello {card.interviewer.display_name},\n\n"
        f"Your scorecard for {candidate} ({interview.step.name}, {interview.application.job.title}) "
        "is still a draft. Writing it while the interview is fresh keeps the evidence accurate.\n\n"
        f"Open it here: {url}\n"
    )
    return Email(
        purpose="scorecard-reminder",
        # One key per scorecard and reminder number: each of the (at most five) reminders once.
        reference=f"scorecard:{card.pk}:{card.reminders_sent + 1}",
        recipient=card.interviewer.email,
        subject=f"Scorecard due: {candidate}, {interview.step.name}",
        body_text=body,
    )


def scorecard_reminders_send(*, now: datetime | None = None, batch: int = 500) -> int:
    """Queue a reminder for each draft scorecard past its due time; safe to run twice, and at once.

    Three statements whatever the number of scorecards, each safe on its own, so no
    transaction (and no row lock) is needed: read the due scorecards; queue one outbox
    message per scorecard and reminder number (its unique key makes a second run's insert a
    no-op); raise the counters with an UPDATE that re-checks "due", so of two runs only one
    counts a scorecard. A run that dies between the two writes leaves a queued reminder and
    an unraised counter; the next run queues the same key again (a no-op) and raises it.
    The emails go out after this returns (outbox delivery tasks). Returns how many
    scorecards this run reminded.
    """
    now = now or timezone.now()
    due = list(
        Scorecard.objects.filter(reminders_due_filter(now=now))
        .select_related("interviewer", "interview__step", "interview__application__candidate")
        .select_related("interview__application__job")
        .order_by("id")[:batch]
    )
    if not due:
        return 0
    emails = [_reminder_email(card) for card in due if card.interviewer.email]
    message_ids = outbox_enqueue_many(emails=emails, deliver_on_commit=False)
    reminded = Scorecard.objects.filter(_still_due_here(now=now), pk__in=[card.pk for card in due]).update(
        reminders_sent=F("reminders_sent") + 1, last_reminded_at=now
    )
    outbox_deliver_on_commit(message_ids=message_ids)
    return reminded
