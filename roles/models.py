"""What good looks like for a role: versioned templates of competencies and anchors."""

from django.db import models
from django.db.models import F, Q

from . import audit
from .scale import DESCRIPTION as SCALE_DESCRIPTION
from .scale import HIGHEST, LOWEST


class RoleTemplateQuerySet(models.QuerySet["RoleTemplate"]):
    def published(self) -> "RoleTemplateQuerySet":
        """The current published versions: what jobs are opened from."""
        return self.filter(status=RoleTemplate.Status.PUBLISHED)


class RoleTemplate(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=12, choices=Status, default=Status.DRAFT, db_index=True)
    level = models.CharField(max_length=80, blank=True)
    family = models.CharField(max_length=120, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True, help_text="Sections of the source document kept for reference.")
    skipped_parts = models.JSONField(
        default=list,
        blank=True,
        help_text="Parts of the source document the importer did not turn into content: where each is and why.",
    )
    source_text = models.TextField(blank=True)
    source_filename = models.CharField(max_length=255, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RoleTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="roles_template_slug_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="roles_template_version_positive"),
            # One current published version and one draft in progress per role (older ones are archived).
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(status="published"),
                name="roles_template_one_published_per_slug",
                violation_error_message="This role already has a published version; publishing archives it.",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(status="draft"),
                name="roles_template_one_draft_per_slug",
                violation_error_message="This role already has a draft version.",
            ),
            # A draft set aside by a newer import is archived without ever having been published.
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="roles_template_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Competency(models.Model):
    class Category(models.TextChoices):
        TECHNICAL = "technical", "Technical"
        LEADERSHIP = "leadership", "Leadership"
        SOFT_SKILL = "soft_skill", "Soft skill"
        DOMAIN = "domain", "Domain"

    template = models.ForeignKey(RoleTemplate, on_delete=models.CASCADE, related_name="competencies")
    category = models.CharField(max_length=12, choices=Category)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    weight = models.DecimalField(max_digits=4, decimal_places=2, default=1)
    order = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=255, blank=True, help_text="Where in the source document it came from.")
    anchors_need_review = models.BooleanField(default=False)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "competencies"
        constraints = [
            models.UniqueConstraint(fields=["template", "name"], name="roles_competency_name_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="roles_competency_weight_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class RatingAnchor(models.Model):
    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="anchors")
    level = models.PositiveSmallIntegerField()
    description = models.TextField()

    class Meta:
        ordering = ["level"]
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="roles_anchor_level_unique"),
            models.CheckConstraint(
                condition=Q(level__gte=LOWEST, level__lte=HIGHEST),
                name="roles_anchor_level_range",
                violation_error_message=f"Anchor levels run from {SCALE_DESCRIPTION}.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency} / {self.level}"


class Responsibility(models.Model):
    template = models.ForeignKey(RoleTemplate, on_delete=models.CASCADE, related_name="responsibilities")
    area = models.CharField(max_length=200)
    items = models.JSONField(default=list, blank=True)
    order = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["order", "id"]
        verbose_name_plural = "responsibilities"
        constraints = [
            models.UniqueConstraint(fields=["template", "area"], name="roles_responsibility_area_unique"),
        ]

    def __str__(self) -> str:
        return self.area


class Requirement(models.Model):
    class Kind(models.TextChoices):
        EDUCATION = "education", "Education"
        EXPERIENCE = "experience", "Experience"
        SKILL = "skill", "Skill"
        CERTIFICATION = "certification", "Certification"
        OTHER = "other", "Other"

    template = models.ForeignKey(RoleTemplate, on_delete=models.CASCADE, related_name="requirements")
    kind = models.CharField(max_length=16, choices=Kind)
    text = models.TextField()
    required = models.BooleanField(default=True)
    min_years = models.PositiveSmallIntegerField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class CompensationBand(models.Model):
    template = models.OneToOneField(RoleTemplate, on_delete=models.CASCADE, related_name="compensation")
    currency = models.CharField(max_length=3, default="USD")
    p10 = models.PositiveIntegerField(null=True, blank=True)
    min = models.PositiveIntegerField(null=True, blank=True)
    median = models.PositiveIntegerField(null=True, blank=True)
    max = models.PositiveIntegerField(null=True, blank=True)
    p90 = models.PositiveIntegerField(null=True, blank=True)
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(min__isnull=True) | Q(median__isnull=True) | Q(min__lte=F("median")),
                name="roles_band_min_le_median",
                violation_error_message="The median cannot be below the minimum.",
            ),
            models.CheckConstraint(
                condition=Q(median__isnull=True) | Q(max__isnull=True) | Q(median__lte=F("max")),
                name="roles_band_median_le_max",
                violation_error_message="The median cannot be above the maximum.",
            ),
            models.CheckConstraint(
                condition=Q(min__isnull=True) | Q(max__isnull=True) | Q(min__lte=F("max")),
                name="roles_band_min_le_max",
                violation_error_message="The minimum cannot be above the maximum.",
            ),
            models.CheckConstraint(
                condition=Q(p10__isnull=True) | Q(min__isnull=True) | Q(p10__lte=F("min")),
                name="roles_band_p10_le_min",
                violation_error_message="The 10th percentile cannot be above the minimum.",
            ),
            models.CheckConstraint(
                condition=Q(max__isnull=True) | Q(p90__isnull=True) | Q(max__lte=F("p90")),
                name="roles_band_max_le_p90",
                violation_error_message="The 90th percentile cannot be below the maximum.",
            ),
        ]

    def __str__(self) -> str:
        low = f"{self.min:,}" if self.min is not None else "?"
        high = f"{self.max:,}" if self.max is not None else "?"
        return f"{self.currency} {low} to {high}"


# The audit trail (``roles.audit``): one line per recorded model.
audit.track(RoleTemplate, exclude=["source_text"])
audit.track(CompensationBand)
