"""The hiring team, openings, candidates and their way through a pipeline."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager, Group
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower, Replace
from django.utils import timezone

from roles import audit


def _digits_only(field: str):
    """The field with the usual phone punctuation removed (portable SQL REPLACE calls)."""
    expression = models.F(field)
    for char in " -().+/":
        expression = Replace(expression, Value(char), Value(""))
    return expression


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A member of the hiring team; signs in with an email address."""

    username = None
    email = models.EmailField("email address", unique=True)
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        help_text="IANA name, e.g. Europe/Berlin: times are shown and entered in it. Empty: the site's time zone.",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["first_name", "last_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email

    @property
    def zone_name(self) -> str:
        """The time zone the person reads and enters times in (the site's unless they chose one)."""
        return self.time_zone or settings.TIME_ZONE


class Job(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        ON_HOLD = "on_hold", "On hold"
        CLOSED = "closed", "Closed"

    class EmploymentType(models.TextChoices):
        FULL_TIME = "full_time", "Full-time"
        PART_TIME = "part_time", "Part-time"
        CONTRACT = "contract", "Contract"
        INTERNSHIP = "internship", "Internship"

    template = models.ForeignKey("roles.RoleTemplate", on_delete=models.PROTECT, related_name="jobs")
    title = models.CharField(max_length=200)
    department = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=120, blank=True)
    employment_type = models.CharField(max_length=16, choices=EmploymentType, default=EmploymentType.FULL_TIME)
    headcount = models.PositiveSmallIntegerField(default=1)
    target_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.OPEN, db_index=True)
    evidence_required = models.BooleanField(
        default=True, help_text="Interviewers must write evidence for every rating they give."
    )
    blind_review = models.BooleanField(
        default=False,
        help_text="Interviewers, and hiring managers until the debrief, see a neutral label instead of the "
        "candidate's name, no contact details, and a résumé with names, contacts and schools masked.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Not stored: set by hiring.selectors.jobs for the jobs list and the job page.
    stage_list: list[Stage]
    status_counts: dict[str, int]
    active_count: int
    overdue_scorecards: int
    hired_count: int

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(headcount__gte=1), name="hiring_job_headcount_positive")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_filled(self) -> bool:
        """Its hires reached its openings (``hired_count`` is set by the selectors that show it)."""
        return getattr(self, "hired_count", 0) >= self.headcount


class Stage(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="stages")
    name = models.CharField(max_length=80)
    order = models.PositiveIntegerField(default=0)

    # Not stored: set by hiring.selectors.jobs (active applications in the stage).
    active_count: int

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["job", "name"], name="hiring_stage_name_unique")]

    def __str__(self) -> str:
        return self.name


class HiringTeamMember(models.Model):
    class Role(models.TextChoices):
        RECRUITER = "recruiter", "Recruiter"
        HIRING_MANAGER = "hiring_manager", "Hiring manager"
        INTERVIEWER = "interviewer", "Interviewer"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_memberships")
    role = models.CharField(max_length=16, choices=Role)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "user"], name="hiring_team_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Tag(models.Model):
    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Candidate(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True, db_index=True)
    phone = models.CharField(max_length=32, blank=True, db_index=True)
    # Digits of the phone number, for duplicate checks ("+1 (555) 010-2000" == "15550102000").
    phone_digits = models.GeneratedField(
        expression=_digits_only("phone"), output_field=models.CharField(max_length=32), db_persist=True, db_index=True
    )
    location = models.CharField(max_length=120, blank=True)
    links = models.JSONField(default=list, blank=True)
    source = models.CharField(max_length=60, blank=True, db_index=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="candidates")
    consent_at = models.DateTimeField(null=True, blank=True)
    resume_text = models.TextField(
        blank=True, editable=False, help_text="Text of the candidate's résumés, kept by the résumé service."
    )
    # What search looks at: maintained by the database itself, so rows written by any
    # code path (bulk_create, admin, imports) are searchable. PostgreSQL adds a GIN
    # full-text index on it (migration 0003); SQLite searches it with LIKE.
    search_document = models.GeneratedField(
        expression=Concat(
            "first_name",
            Value(" "),
            "last_name",
            Value(" "),
            "email",
            Value(" "),
            # The email's parts too: PostgreSQL's parser keeps "ada@example.org" as one word.
            Replace(Replace(Replace("email", Value("@"), Value(" ")), Value("."), Value(" ")), Value("-"), Value(" ")),
            Value(" "),
            "resume_text",
            output_field=models.TextField(),
        ),
        output_field=models.TextField(),
        db_persist=True,
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Raised on every edit; guards concurrent edits and merges."
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_duplicates",
        help_text="Set on a duplicate merged into another record: its page redirects there.",
        # Indexed for tombstones only (below): a plain index on this column, NULL on nearly every
        # row, made SQLite answer "live candidates, newest first" by sorting the whole table.
        db_index=False,
    )
    merged_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Not stored: the date of their last activity, set by ``hiring.selectors.privacy`` (retention).
    last_activity: datetime

    anonymised_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Set when their personal data was erased (kept facts only)."
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        # No check constraint here: ``full_clean`` checks each with a query, and the CSV import
        # validates every row; ``candidate_merge`` refuses a merge into itself.
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="hiring_cand_name_idx"),
            models.Index(fields=["updated_at"], name="hiring_cand_updated_idx"),
            # The CSV import looks up a batch's emails case-insensitively in one query.
            models.Index(Lower("email"), name="hiring_cand_email_lower_idx"),
            models.Index(
                fields=["merged_into"], condition=Q(merged_into__isnull=False), name="hiring_cand_tombstone_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_tombstone(self) -> bool:
        return self.merged_into_id is not None


class RejectionReason(models.Model):
    name = models.CharField(max_length=120, unique=True)
    active = models.BooleanField(default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class EmailTemplate(models.Model):
    class Kind(models.TextChoices):
        REJECTION = "rejection", "Rejection"
        OTHER = "other", "Other"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=16, choices=Kind, default=Kind.REJECTION)
    subject = models.CharField(max_length=200)
    body = models.TextField(
        help_text=(
            "Plain text. Placeholders: {{ candidate_name }}, {{ first_name }}, {{ job_title }}, "
            "{{ interview_time }} (the next interview, in the candidate's time zone if known) and {{ recruiter_name }}."
        )
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApplicationQuerySet(models.QuerySet["Application"]):
    def active(self) -> ApplicationQuerySet:
        """Applications still in the pipeline (not hired, rejected or withdrawn): what the board shows."""
        return self.filter(status=Application.Status.ACTIVE)


class Application(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        HIRED = "hired", "Hired"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="applications")
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="applications")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="applications")
    status = models.CharField(max_length=12, choices=Status, default=Status.ACTIVE)
    rejection_reason = models.ForeignKey(
        RejectionReason, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    stage_entered_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(default=timezone.now)
    version = models.PositiveIntegerField(default=1, help_text="Raised on every move; guards concurrent moves.")
    rejection_email_template = models.ForeignKey(
        EmailTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rejection_email_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when the rejection email was queued in the outbox; it is queued once."
    )
    # Blind review: when a hiring manager revealed the candidate's identity after the debrief.
    identity_revealed_at = models.DateTimeField(null=True, blank=True)
    identity_revealed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "job"], name="hiring_application_candidate_job_unique"),
        ]
        indexes = [
            models.Index(fields=["job", "status", "stage", "stage_entered_at"], name="hiring_app_board_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} → {self.job}"


class StageChange(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(Stage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    to_stage = models.ForeignKey(Stage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class Note(models.Model):
    # Free text about a person: emptied when retention anonymises them (``hiring.services.privacy``).
    personal_text_fields = ("body",)

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="notes")
    application = models.ForeignKey(Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    # Not stored: the sanitised Markdown, set by hiring.selectors.candidates.
    body_html: str

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.body[:60]


def resume_upload_to(instance: Resume, filename: str) -> str:
    return f"resumes/{instance.candidate_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Resume(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Extracting text"
        DONE = "done", "Text extracted"
        FAILED = "failed", "Could not read"

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="resumes")
    file = models.FileField(upload_to=resume_upload_to)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    text = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    status_reason = models.CharField(
        max_length=255, blank=True, help_text="Why the text could not be read (shown on the candidate page)."
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The sweeper's look-up: only the few résumés still being read are in this index.
            models.Index(fields=["created_at"], name="resume_pending_idx", condition=models.Q(status="pending")),
        ]

    def __str__(self) -> str:
        return self.original_name


class CandidateImport(models.Model):
    """A CSV upload, its column mapping and the progress of its import task."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Importing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, null=True, blank=True, related_name="imports")
    file = models.FileField(upload_to="imports/")
    original_name = models.CharField(max_length=255)
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    reused_count = models.PositiveIntegerField(
        default=0, help_text="Rows whose email (or, without an email, phone number) matched a candidate on file."
    )
    failed_count = models.PositiveIntegerField(default=0, help_text="Rows not imported (the first ones are in errors).")
    errors = models.JSONField(default=list, blank=True)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="When the import last made progress; the sweeper resumes stale ones."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_stalled(self) -> bool:
        """Queued or running, but without progress for longer than the sweeper waits."""
        if not self.in_progress:
            return False
        last = self.heartbeat_at or self.created_at
        return (timezone.now() - last).total_seconds() > settings.IMPORT_STALE_AFTER_SECONDS


class OutboxMessage(models.Model):
    """One message (an email now, a webhook call later) to one recipient, for one purpose.

    Written in the same transaction as the change it reports, so it exists if and only if
    that change committed; delivered afterwards, outside any transaction, by
    ``hiring.services.outbox``. ``key`` is unique: the same message can never be queued twice.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        WEBHOOK = "webhook", "Webhook"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=8, choices=Kind, default=Kind.EMAIL)
    key = models.CharField(max_length=255, unique=True, help_text="Purpose, reference and recipient: unique.")
    purpose = models.CharField(max_length=60, help_text="What the message is for, e.g. interview-invitation.")
    reference = models.CharField(max_length=100, blank=True, help_text="The record it is about, e.g. interview:12.")
    recipient = models.CharField(max_length=500, help_text="An email address (or a URL for a webhook).")
    subject = models.CharField(max_length=255, blank=True)
    body_text = models.TextField(blank=True)
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(
        default=list, blank=True, help_text='[{"filename", "mimetype", "content_b64"}], e.g. an .ics invitation.'
    )
    status = models.CharField(max_length=8, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="hiring_outbox_sent_has_sent_at",
                violation_error_message="A sent message records when it was sent.",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False),
                name="hiring_outbox_sending_is_claimed",
                violation_error_message="A message being sent records when it was claimed.",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="hiring_outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.purpose} to {self.recipient} ({self.get_status_display()})"


# --- Careers site: public postings, what applicants send, self-identification kept apart -----


class Posting(models.Model):
    """The public page of a job: written by the recruiter, pre-filled from the job's role template."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    class Workplace(models.TextChoices):
        ONSITE = "onsite", "On site"
        HYBRID = "hybrid", "Hybrid"
        REMOTE = "remote", "Remote"

    # What the recruiter edits on the posting form (the rest is set by the services).
    EDITABLE_FIELDS = (
        "title",
        "slug",
        "team",
        "location",
        "country",
        "workplace",
        "remote_regions",
        "summary",
        "responsibilities",
        "requirements",
        "show_pay",
        "pay_currency",
        "pay_min",
        "pay_max",
        "valid_through",
    )

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="posting")
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    team = models.CharField(max_length=120, blank=True)
    location = models.CharField(max_length=120, blank=True, help_text="City (and region) of the office.")
    country = models.CharField(max_length=2, blank=True, help_text="Two-letter country code of the office, e.g. DE.")
    workplace = models.CharField(max_length=8, choices=Workplace, default=Workplace.ONSITE, db_index=True)
    remote_regions = models.CharField(
        max_length=200, blank=True, help_text="Where remote applicants may live, e.g. “Germany” or “European Union”."
    )
    summary = models.TextField(blank=True)
    responsibilities = models.TextField(blank=True, help_text="One per line.")
    requirements = models.TextField(blank=True, help_text="One per line.")
    show_pay = models.BooleanField(
        default=False, help_text="Publish the pay range (required by pay-transparency laws in many places)."
    )
    pay_currency = models.CharField(max_length=3, blank=True)
    pay_min = models.PositiveIntegerField(null=True, blank=True)
    pay_max = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    valid_through = models.DateField(null=True, blank=True, help_text="Last day applications are accepted.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_min__isnull=True) | Q(pay_max__isnull=True) | Q(pay_min__lte=models.F("pay_max")),
                name="hiring_posting_pay_min_le_max",
                violation_error_message="The lowest pay cannot be above the highest.",
            ),
            models.CheckConstraint(
                condition=Q(show_pay=False)
                | (Q(pay_min__isnull=False) & Q(pay_max__isnull=False) & ~Q(pay_currency="")),
                name="hiring_posting_shown_pay_complete",
                violation_error_message="To publish the pay range, give its currency, lowest and highest pay.",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="hiring_posting_published_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "published_at"], name="hiring_posting_public_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and (
            self.valid_through is None or self.valid_through >= timezone.localdate()
        )

    def template_band(self) -> tuple[str, int, int] | None:
        """The role template's pay band as (currency, lowest, highest), or None when it has no complete one."""
        band = getattr(self.job.template, "compensation", None)
        if band is None or band.min is None or band.max is None or not band.currency:
            return None
        return band.currency, band.min, band.max

    @property
    def responsibility_list(self) -> list[str]:
        return [line.strip() for line in self.responsibilities.splitlines() if line.strip()]

    @property
    def requirement_list(self) -> list[str]:
        return [line.strip() for line in self.requirements.splitlines() if line.strip()]


class PostingQuestion(models.Model):
    """A question of a posting's apply form: admin-defined, or a yes/no drawn from a requirement."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", "Yes / no"
        TEXT = "text", "Short text"

    posting = models.ForeignKey(Posting, on_delete=models.CASCADE, related_name="questions")
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=8, choices=Kind, default=Kind.YES_NO)
    required = models.BooleanField(default=True, help_text="The applicant must answer.")
    must_have = models.BooleanField(
        default=False, help_text="Yes/no only: a “no” tags the application for the recruiter (never rejects it)."
    )
    requirement = models.ForeignKey(
        "roles.Requirement", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(must_have=False) | Q(kind="yes_no"),
                name="hiring_question_must_have_yes_no",
                violation_error_message="Only yes/no questions can be must-haves.",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class ApplicationSubmission(models.Model):
    """What an applicant sent through the careers site, beside the application it created."""

    personal_text_fields = ("cover_letter", "referrer", "utm")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="submission")
    posting = models.ForeignKey(Posting, on_delete=models.SET_NULL, null=True, related_name="submissions")
    source = models.CharField(max_length=60, blank=True, db_index=True)
    utm = models.JSONField(default=dict, blank=True)
    referrer = models.CharField(max_length=500, blank=True)
    cover_letter = models.TextField(blank=True)
    consent_version = models.CharField(max_length=20)
    consent_at = models.DateTimeField()
    must_have_missed = models.BooleanField(default=False, help_text="An answer missed a must-have requirement.")
    duplicate_match = models.CharField(
        max_length=8, blank=True, help_text="“email” or “phone” when the applicant matched a candidate on file."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Submission for {self.application}"

    @property
    def needs_duplicate_review(self) -> bool:
        return bool(self.duplicate_match)


class ApplicationAnswer(models.Model):
    personal_text_fields = ("answer",)

    submission = models.ForeignKey(ApplicationSubmission, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(PostingQuestion, on_delete=models.SET_NULL, null=True, related_name="answers")
    question_text = models.CharField(max_length=300, help_text="The question as the applicant saw it.")
    answer = models.TextField(blank=True)
    missed_must_have = models.BooleanField(default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.question_text}: {self.answer[:40]}"


class SelfIdentification(models.Model):
    """Voluntary self-identification: kept apart from the candidate, admin-only, for aggregate reports.

    No reverse accessor from the application (``related_name="+"``): nothing that renders an
    application, a candidate, an export or a summary can reach these answers by accident.
    """

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="+")
    posting = models.ForeignKey(Posting, on_delete=models.SET_NULL, null=True, related_name="+")
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "self-identification"

    def __str__(self) -> str:
        return f"Self-identification #{self.pk}"


# --- Offers: what is offered, checked against the role's pay band, approved, sent, answered ------


class OfferLetterTemplate(models.Model):
    """An offer letter written by an admin: Markdown with ``{{ placeholder }}`` fields."""

    name = models.CharField(max_length=120, unique=True)
    body = models.TextField(
        help_text=(
            "Markdown. Placeholders: {{ candidate_name }}, {{ first_name }}, {{ job_title }}, {{ base_salary }}, "
            "{{ currency }}, {{ start_date }}, {{ bonus }}, {{ equity }}, {{ expires_on }}, {{ signer_name }}."
        )
    )
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OfferApprover(models.Model):
    """Who signs an out-of-band offer off after the hiring manager: one user or anyone of a group.

    The first row is the one in force; without any row, an admin signs off.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    group = models.ForeignKey("auth.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(group__isnull=True))
                | (Q(user__isnull=True) & Q(group__isnull=False)),
                name="hiring_offer_approver_user_xor_group",
                violation_error_message="Choose either a user or a group as the approver, not both.",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user) if self.user_id else f"Group: {self.group}"


# Above this base salary a figure is taken as a typing mistake, whatever the currency's unit.
OFFER_SALARY_MAX = 100_000_000


class Offer(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Pending approval"
        APPROVED = "approved", "Approved"
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"

    OPEN_STATUSES = (Status.DRAFT, Status.PENDING, Status.APPROVED, Status.SENT)

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="offers")
    status = models.CharField(max_length=10, choices=Status, default=Status.DRAFT, db_index=True)
    base_salary = models.PositiveIntegerField(help_text="Yearly base salary in whole units of the currency.")
    currency = models.CharField(max_length=3)
    start_date = models.DateField()
    bonus = models.CharField(max_length=300, blank=True)
    equity = models.CharField(max_length=300, blank=True)
    expires_on = models.DateField(help_text="Last day the candidate may accept.")
    letter_template = models.ForeignKey(
        OfferLetterTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="offers"
    )
    # The role's pay band as it was when the offer was last saved (the template may change later).
    band_currency = models.CharField(max_length=3, blank=True)
    band_min = models.PositiveIntegerField(null=True, blank=True)
    band_median = models.PositiveIntegerField(null=True, blank=True)
    band_max = models.PositiveIntegerField(null=True, blank=True)
    out_of_band = models.BooleanField(default=False)
    justification = models.TextField(blank=True, help_text="Why an offer outside the band is right.")
    round = models.PositiveSmallIntegerField(default=0, help_text="How many times it was submitted for approval.")
    decline_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True, help_text="Accepted, declined or expired.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(base_salary__gte=1) & Q(base_salary__lte=OFFER_SALARY_MAX),
                name="hiring_offer_salary_sane",
                violation_error_message="The base salary must be a positive figure below 100,000,000.",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status__in=["draft", "pending", "approved", "sent"]),
                name="hiring_offer_one_open_per_application",
                violation_error_message="This application has an open offer already.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "declined", "expired"]) | Q(answered_at__isnull=False),
                name="hiring_offer_answered_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_on"], name="hiring_offer_expiry_idx")]

    def __str__(self) -> str:
        return f"Offer to {self.application}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class OfferApproval(models.Model):
    class Step(models.TextChoices):
        HIRING_MANAGER = "hiring_manager", "Hiring manager"
        FINAL = "final", "Approver"

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Sent back"

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="approvals")
    round = models.PositiveSmallIntegerField()
    step = models.CharField(max_length=16, choices=Step)
    decision = models.CharField(max_length=10, choices=Decision)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "round", "step"], name="hiring_offer_approval_once_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.get_decision_display()}"


# --- Email to candidates: written in the app, held for the undo window, then sent by the outbox ----


class CandidateEmail(models.Model):
    """One email written to a candidate about an application: the thread on the application's timeline.

    Its outbox row is written with it and is not due before ``send_after`` (the undo window);
    undoing deletes that still-pending row, so an undone email never leaves.
    """

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        UNDONE = "undone", "Undone"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="emails")
    template = models.ForeignKey(EmailTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    purpose = models.CharField(max_length=20, default="message", help_text="message or rejection")
    recipient = models.EmailField()
    subject = models.CharField(max_length=255)
    body_text = models.TextField()
    status = models.CharField(max_length=10, choices=Status, default=Status.SCHEDULED)
    send_after = models.DateTimeField(help_text="The end of the undo window.")
    outbox_message = models.OneToOneField(
        OutboxMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidate_email"
    )
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.subject


# The audit trail (``roles.audit``): one line per recorded model.
audit.track(User, exclude=["user_permissions"], m2m=["groups"])
audit.track(Group, m2m=["permissions"])
audit.track(Candidate, exclude=["resume_text", "version"])
audit.track(Application, fields=["candidate", "job", "stage", "status", "rejection_reason"])


class RetentionPolicy(models.Model):
    """How long the data of people no longer in a process is kept (one row, set by admins)."""

    active = models.BooleanField(default=True, help_text="Anonymise automatically (every night).")
    inactive_months = models.PositiveSmallIntegerField(
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text="Anonymise candidates without an open application and without activity for this many months.",
    )
    keep_hired = models.BooleanField(default=True, help_text="Never anonymise people who were hired.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "retention policy"

    def __str__(self) -> str:
        return f"Anonymise after {self.inactive_months} months without activity"


audit.track(RetentionPolicy)
audit.track(Offer, exclude=["updated_at"])
audit.track(OfferApproval)


# --- The public API's personal tokens and the outgoing webhooks ---------------------------------------


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self, now=None) -> ApiTokenQuerySet:
        """Not revoked and not expired: what may still sign a request."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """A personal API token: shown once when created, stored only as its SHA-256 digest."""

    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, help_text="What the token is for, e.g. “BI export”.")
    prefix = models.CharField(max_length=16, help_text="The token's first characters, to recognise it in lists.")
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token (hex).")
    scope = models.CharField(max_length=8, choices=Scope, default=Scope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="hiring_token_expires_later"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class WebhookEndpoint(models.Model):
    """An address that receives signed event deliveries (Standard Webhooks), registered by an admin."""

    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(
        max_length=100, help_text="whsec_ followed by the base64 signing key; the receiver verifies with it."
    )
    events = models.JSONField(default=list, blank=True, help_text="Event types delivered here, e.g. application.moved.")
    active = models.BooleanField(default=True)
    failure_streak = models.PositiveIntegerField(
        default=0, help_text="Failed attempts since the last success; the endpoint is disabled past the limit."
    )
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["url", "id"]

    def __str__(self) -> str:
        return self.description or self.url


class WebhookDelivery(models.Model):
    """One event for one endpoint: the webhook outbox row, written in the transaction of the change."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=64, help_text="The webhook-id header: the same on every retry.")
    event_type = models.CharField(max_length=60)
    body = models.TextField(help_text="The JSON body exactly as signed and sent.")
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    retry_until = models.DateTimeField(help_text="No retry after this moment (24 hours after the event).")
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=100, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.UniqueConstraint(fields=["endpoint", "event_id"], name="hiring_webhook_delivery_once"),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False), name="hiring_webhook_sending_is_claimed"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="hiring_webhook_due_idx")]

    def __str__(self) -> str:
        return f"{self.event_type} to {self.endpoint_id} ({self.get_status_display()})"


class WebhookAttempt(models.Model):
    """The log of one delivery attempt: the answer's status code (or the error) and how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-attempted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.status_code or self.error} in {self.duration_ms} ms"
