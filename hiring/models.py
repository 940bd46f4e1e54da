"""The hiring team, openings, candidates and their way through a pipeline."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Lower, Replace
from django.utils import timezone


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

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(headcount__gte=1), name="hiring_job_headcount_positive")]

    def __str__(self) -> str:
        return self.title


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
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="hiring_cand_name_idx"),
            models.Index(fields=["updated_at"], name="hiring_cand_updated_idx"),
            # The CSV import looks up a batch's emails case-insensitively in one query.
            models.Index(Lower("email"), name="hiring_cand_email_lower_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


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
    body = models.TextField(help_text="Plain text; {{ candidate_name }} and {{ job_title }} are filled in.")
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
    updated_at = models.DateTimeField(auto_now=True)

    objects = ApplicationQuerySet.as_manager()

    # Not stored: a board card's figures, set by hiring.selectors.board (``extensions.CARD_FACTS``).
    days_in_stage: int
    has_overdue: bool
    overdue_count: int
    scorecards_total: int
    scorecards_submitted: int

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
