"""Interview plans, interviews, scorecards and the summaries built from them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from hiring.models import Resume
from roles import audit
from roles.models import Competency
from roles.scale import HIGHEST, LOWEST, Rating


class InterviewPlan(models.Model):
    job = models.OneToOneField("hiring.Job", on_delete=models.CASCADE, related_name="interview_plan")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Plan for {self.job}"


class InterviewStep(models.Model):
    class Kind(models.TextChoices):
        PHONE = "phone", "Phone"
        VIDEO = "video", "Video"
        ONSITE = "onsite", "On-site"
        TAKE_HOME = "take_home", "Take-home"

    plan = models.ForeignKey(InterviewPlan, on_delete=models.CASCADE, related_name="steps")
    name = models.CharField(max_length=120)
    stage = models.ForeignKey("hiring.Stage", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind, default=Kind.VIDEO)
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    order = models.PositiveIntegerField(default=0)
    competencies = models.ManyToManyField(
        "roles.Competency", through="StepCompetency", related_name="interview_steps", blank=True
    )

    # Not stored: set by interviews.selectors.plan_detail for the plan editor.
    competency_rows: list[tuple[Competency, StepCompetency | None]]
    error_key: str

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="interviews_step_duration_min"),
        ]

    def __str__(self) -> str:
        return self.name


class StepCompetency(models.Model):
    """A competency an interview step focuses on, with optional question prompts."""

    step = models.ForeignKey(InterviewStep, on_delete=models.CASCADE, related_name="focus")
    competency = models.ForeignKey("roles.Competency", on_delete=models.CASCADE, related_name="+")
    prompts = models.TextField(blank=True, help_text="One question per line.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "competency"], name="interviews_step_competency_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.step}: {self.competency}"


class Interview(models.Model):
    application = models.ForeignKey("hiring.Application", on_delete=models.CASCADE, related_name="interviews")
    step = models.ForeignKey(InterviewStep, on_delete=models.PROTECT, related_name="interviews")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    video_url = models.URLField(blank=True)
    interviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="interviews", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Not stored: the interview kit, set by interviews.selectors.interview_for_kit.
    resume: Resume | None
    my_scorecard: Scorecard | None
    focus_items: list[dict[str, Any]]

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="interviews_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.step} with {self.application.candidate}"


class InterviewInvitation(models.Model):
    """One row per invitation email sent: makes the invitation task safe to run twice."""

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="invitations")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interview", "interviewer"], name="interviews_invitation_unique"),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.interviewer_id} to {self.interview_id}"


def overdue_cutoff(now: datetime) -> datetime:
    """A draft scorecard is overdue once its interview ended before this moment.

    ``SCORECARD_REMINDER_HOURS`` after the end of the interview: the board, the job page,
    My interviews and the reminders all follow this one rule.
    """
    return now - timedelta(hours=settings.SCORECARD_REMINDER_HOURS)


def overdue_q(*, now: datetime, prefix: str = "") -> Q:
    """The overdue rule as a condition on scorecards (``prefix``: the path to them, e.g. ``"scorecards__"``).

    A draft never submitted, not withdrawn, whose interview ended ``SCORECARD_REMINDER_HOURS``
    ago or more. A draft that was submitted before (being amended) is not overdue.
    """
    return Q(
        **{
            f"{prefix}status": Scorecard.Status.DRAFT,
            f"{prefix}submitted_at__isnull": True,
            f"{prefix}withdrawn_at__isnull": True,
            f"{prefix}interview__ends_at__lte": overdue_cutoff(now),
        }
    )


class ScorecardQuerySet(models.QuerySet["Scorecard"]):
    def submitted(self) -> ScorecardQuerySet:
        return self.filter(status=Scorecard.Status.SUBMITTED)

    def drafts(self) -> ScorecardQuerySet:
        return self.filter(status=Scorecard.Status.DRAFT)

    def overdue(self, now: datetime) -> ScorecardQuerySet:
        """Drafts still owed at ``now`` (see ``overdue_q``)."""
        return self.filter(overdue_q(now=now))


class Scorecard(models.Model):
    # Free text about a person: emptied when retention anonymises them (``hiring.services.privacy``).
    personal_text_fields = ("key_takeaways", "private_note")

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"

    interview = models.ForeignKey(Interview, on_delete=models.CASCADE, related_name="scorecards")
    interviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scorecards")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT, db_index=True)
    overall_recommendation = models.PositiveSmallIntegerField(choices=Rating, null=True, blank=True)
    key_takeaways = models.TextField(blank=True)
    private_note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every save; guards concurrent edits.")
    submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="First submission; kept while an amendment is being written."
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, help_text="Set when the interviewer withdraws it.")
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScorecardQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["interview", "interviewer"], name="interviews_scorecard_unique"),
            models.CheckConstraint(
                condition=Q(overall_recommendation__isnull=True)
                | Q(overall_recommendation__gte=LOWEST, overall_recommendation__lte=HIGHEST),
                name="interviews_scorecard_recommendation_range",
            ),
        ]
        # The summaries' sweeper looks at recently changed submitted scorecards.
        indexes = [models.Index(fields=["status", "updated_at"], name="interviews_card_recent_idx")]

    def __str__(self) -> str:
        return f"{self.interviewer} on {self.interview_id}"

    def is_overdue(self, now: datetime) -> bool:
        """``overdue_q`` for a loaded scorecard (with its interview)."""
        return (
            self.status == self.Status.DRAFT
            and self.submitted_at is None
            and self.withdrawn_at is None
            and self.interview.ends_at <= overdue_cutoff(now)
        )


class CompetencyRating(models.Model):
    """A rating of one competency, with a snapshot of the competency as it was."""

    personal_text_fields = ("evidence",)

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(
        "roles.Competency", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=200)
    category = models.CharField(max_length=12, blank=True)
    description = models.TextField(blank=True)
    weight = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    anchors = models.JSONField(default=dict, blank=True, help_text='{"1": "...", "2": ..., "4": "..."}')
    prompts = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)
    rating = models.PositiveSmallIntegerField(choices=Rating, null=True, blank=True)
    not_assessed = models.BooleanField(
        default=False, help_text="The interviewer chose “Not assessed” (no rating) rather than leaving it blank."
    )
    evidence = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "name"], name="interviews_rating_name_unique"),
            models.CheckConstraint(
                condition=Q(not_assessed=False) | Q(rating__isnull=True),
                name="interviews_rating_not_assessed_has_no_rating",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=LOWEST, rating__lte=HIGHEST),
                name="interviews_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.rating}"

    @property
    def category_label(self) -> str:
        return dict(Competency.Category.choices).get(self.category, self.category)


class ScorecardRevision(models.Model):
    """The text of a submitted scorecard before it was amended."""

    personal_text_fields = ("content",)

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    content = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Scorecard {self.scorecard_id} v{self.version}"


PHRASE_HELP = (
    "Matched on whole words in any case; a hyphen also matches a space, and the last word's endings "
    "-s, -es, -er, -est, -ed, -ing also match (young: younger, youngest). When a short word has "
    "innocent forms (old: the oldest commit), enter a longer phrase instead (too old)."
)


class FlaggedPhrase(models.Model):
    """A phrase that is not job-related evidence; flagged while an interviewer writes."""

    phrase = models.CharField(max_length=100, unique=True, help_text=PHRASE_HELP)
    reason = models.CharField(max_length=255)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["phrase"]

    def __str__(self) -> str:
        return self.phrase


class ApplicationSummary(models.Model):
    personal_text_fields = ("narrative", "content")

    class Status(models.TextChoices):
        PENDING = "pending", "Being rebuilt"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    application = models.OneToOneField("hiring.Application", on_delete=models.CASCADE, related_name="summary")
    fingerprint = models.CharField(max_length=64, blank=True)
    content = models.JSONField(default=dict, blank=True)
    narrative = models.TextField(blank=True)
    backend = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    requested_at = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(
        null=True, blank=True, help_text="Set while a rebuild is queued: later requests do not enqueue another."
    )
    built_at = models.DateTimeField(null=True, blank=True)
    build_count = models.PositiveIntegerField(default=0)
    claimed_by = models.CharField(
        max_length=100, blank=True, help_text="The build working on it (no lock is held while it computes)."
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "application summaries"
        indexes = [models.Index(fields=["status", "requested_at"], name="interviews_summary_stale_idx")]

    def __str__(self) -> str:
        return f"Summary of {self.application_id}"


class JobDigest(models.Model):
    """One row per weekly digest sent for a job: makes the digest job safe to run twice."""

    job = models.ForeignKey("hiring.Job", on_delete=models.CASCADE, related_name="digests")
    week = models.DateField(help_text="The Monday the digest's week starts on.")
    recipients = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-week", "job_id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "week"], name="interviews_job_digest_unique"),
        ]

    def __str__(self) -> str:
        return f"Digest of {self.job_id} for the week of {self.week}"


class ReportSnapshot(models.Model):
    """A report's rows as computed one night (``interviews.tasks.report_snapshots_store``).

    Report pages read the latest one instead of computing when ``REPORTS_FROM_SNAPSHOTS`` is
    on and only a job (or nothing) is chosen, and say "as of" its day. ``scope`` is ``all`` or
    ``job:<id>``; one row per report, scope and day, so storing a day again replaces it.
    """

    name = models.CharField(max_length=40)
    scope = models.CharField(max_length=40)
    day = models.DateField()
    rows = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "name", "scope"]
        constraints = [
            models.UniqueConstraint(fields=["name", "scope", "day"], name="interviews_report_snapshot_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.scope}) as of {self.day}"


class HiringDecision(models.Model):
    """The hiring manager's (or an admin's) call on an application, with the reasons written down.

    Decisions are kept, newest first: a Hold followed by a Hire leaves both. ``citations`` are
    the summary points and scorecards the rationale relies on (``[{"key", "label"}]``, keys
    ``scorecard:<id>`` or ``summary:<section>.<index>``), with their label as it read then.
    A decision recorded before every required scorecard was in carries ``override_reason``.
    """

    class Outcome(models.TextChoices):
        HIRE = "hire", "Hire"
        NO_HIRE = "no_hire", "No hire"
        HOLD = "hold", "Hold"

    application = models.ForeignKey("hiring.Application", on_delete=models.CASCADE, related_name="hiring_decisions")
    outcome = models.CharField(max_length=8, choices=Outcome)
    rationale = models.TextField(max_length=10_000)
    citations = models.JSONField(default=list, blank=True)
    override_reason = models.CharField(
        max_length=500, blank=True, help_text="Why it was decided before every required scorecard was in."
    )
    scorecards_submitted = models.PositiveSmallIntegerField(default=0)
    scorecards_required = models.PositiveSmallIntegerField(default=0)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["application", "-decided_at"], name="interviews_decision_app_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(rationale=""),
                name="interviews_decision_has_rationale",
                violation_error_message="Write the rationale of the decision.",
            ),
            models.CheckConstraint(
                condition=Q(scorecards_required__gt=0, scorecards_submitted__gte=models.F("scorecards_required"))
                | ~Q(override_reason=""),
                name="interviews_decision_early_needs_reason",
                violation_error_message="A decision before every required scorecard is in needs a reason.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {self.application_id}"

    @property
    def was_early(self) -> bool:
        return not self.scorecards_required or self.scorecards_submitted < self.scorecards_required


# The audit trail (``roles.audit``): scorecards once submitted (submission, amendments, withdrawal).
audit.track(
    Scorecard,
    exclude=["version", "reminders_sent", "last_reminded_at"],
    when=lambda card: card.status == Scorecard.Status.SUBMITTED or card.submitted_at or card.withdrawn_at,
)
audit.track(HiringDecision)
