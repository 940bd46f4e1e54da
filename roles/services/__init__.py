"""Every write to role templates: import, edit (drafts only), publish, version, archive, export/load.

A published (or archived) version is immutable: each service that would change it raises
``ValidationError`` with a message saying what to do instead (make a new version).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from roles.importer import ParsedRole, parse_role_document
from roles.models import CompensationBand, Competency, RatingAnchor, Requirement, Responsibility, RoleTemplate
from roles.scale import LEVELS

BAND_FIELDS = ("p10", "min", "median", "max", "p90")
EXPORT_FORMAT = "role-template/1"


# --------------------------------------------------------------------------- guards


def ensure_editable(template: RoleTemplate) -> None:
    """Refuse to change a published or archived version (they are what jobs and scorecards point at)."""
    if not template.is_editable:
        raise ValidationError(
            f"Version {template.version} of “{template.title}” is {template.get_status_display().lower()} and "
            "cannot be changed. Make a new version to edit it.",
            code="immutable",
        )


def _fresh(template: RoleTemplate) -> RoleTemplate:
    """The template as stored, locked for the rest of the transaction (status checks cannot race)."""
    return RoleTemplate.objects.select_for_update().get(pk=template.pk)


def unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "role"
    slug, n = base, 2
    while RoleTemplate.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# --------------------------------------------------------------------------- import


def _next_version_slot(slug: str) -> int:
    """The next version number of the role ``slug``; its draft in progress, if any, is set aside (archived).

    The rows are locked for the rest of the transaction, so two imports of one role queue up.
    """
    versions = list(RoleTemplate.objects.select_for_update().filter(slug=slug).order_by("version"))
    if not versions:
        return 1
    now = timezone.now()
    for draft in versions:
        if draft.status == RoleTemplate.Status.DRAFT:
            draft.status = RoleTemplate.Status.ARCHIVED
            draft.updated_at = now
            draft.save(update_fields=["status", "updated_at"])
    return versions[-1].version + 1


def previous_version(template: RoleTemplate) -> RoleTemplate | None:
    """The version of the same role just before this one (what a diff compares it with)."""
    return RoleTemplate.objects.filter(slug=template.slug, version__lt=template.version).order_by("-version").first()


@transaction.atomic
def role_template_create_from_parsed(
    *, parsed: ParsedRole, source_text: str = "", source_filename: str = "", new_template: bool = False
) -> RoleTemplate:
    """Persist an importer result as a draft (all or nothing).

    A document whose title matches an existing role becomes that role's next version (same slug);
    the role's unpublished draft, if any, is archived so that one draft stays in progress.
    ``new_template=True`` makes a separate role with a slug of its own instead.
    """
    if new_template:
        slug, version = unique_slug(parsed.title), 1
    else:
        slug = slugify(parsed.title)[:180] or "role"
        version = _next_version_slot(slug)
    template = RoleTemplate(
        title=parsed.title,
        slug=slug,
        version=version,
        level=parsed.level[:80],
        family=parsed.family[:120],
        summary=parsed.summary,
        notes=parsed.notes,
        skipped_parts=list(parsed.skipped),
        source_text=source_text,
        source_filename=source_filename[:255],
    )
    template.full_clean()
    template.save()
    for order, item in enumerate(parsed.competencies, start=1):
        competency = Competency(
            template=template,
            category=item.category,
            name=item.name[:200],
            description=item.description,
            weight=Decimal(str(item.weight)),
            order=order,
            source=item.source[:255],
            anchors_need_review=True,
        )
        competency.full_clean()
        competency.save()
        _write_anchors(competency, item.anchors)
    for order, area in enumerate(parsed.responsibilities, start=1):
        responsibility = Responsibility(
            template=template, area=area.area[:200], items=area.items, order=order, source=area.source[:255]
        )
        responsibility.full_clean()
        responsibility.save()
    for order, needed in enumerate(parsed.requirements, start=1):
        requirement = Requirement(
            template=template,
            kind=needed.kind,
            text=needed.text,
            required=needed.required,
            min_years=needed.min_years,
            order=order,
            source=needed.source[:255],
        )
        requirement.full_clean()
        requirement.save()
    if parsed.compensation is not None:
        band = parsed.compensation
        compensation = CompensationBand(
            template=template,
            currency=band.currency[:3],
            notes=band.notes,
            source=band.source[:255],
            **{name: getattr(band, name) for name in BAND_FIELDS},
        )
        compensation.full_clean()
        compensation.save()
    return template


def role_template_import(
    *,
    document: bytes | str,
    filename: str = "",
    title: str | None = None,
    publish: bool = False,
    new_template: bool = False,
) -> RoleTemplate:
    """Read a role-profile document into a draft (optionally published). Bad input creates nothing.

    A title matching an existing role makes its next version (see ``role_template_create_from_parsed``).
    ``publish=True`` is the caller's confirmation that the generated, unreviewed anchors may go live.
    Raises ``RoleDocumentError`` (a ``ValidationError``) with a message for the person importing.
    """
    parsed = parse_role_document(document, title=title)
    text = document.decode("utf-8-sig") if isinstance(document, bytes) else document
    try:
        with transaction.atomic():
            template = role_template_create_from_parsed(
                parsed=parsed, source_text=text, source_filename=filename, new_template=new_template
            )
            if publish:
                template = role_template_publish(template=template, confirm_unreviewed=True)
    except IntegrityError:
        # Two first imports of the same role at the same moment: the second one lost the race.
        raise ValidationError(
            "Someone imported this role at the same moment; import again to make the next version.", code="race"
        ) from None
    return template


# --------------------------------------------------------------------------- editing drafts


@transaction.atomic
def role_template_update(*, template: RoleTemplate, data: dict[str, Any]) -> RoleTemplate:
    """Change a draft's own fields (title, summary, level, family, notes)."""
    ensure_editable(_fresh(template))
    for name in ("title", "level", "family", "summary", "notes"):  # the slug ties the versions together
        if name in data:
            setattr(template, name, data[name])
    template.full_clean()
    template.save()
    return template


@transaction.atomic
def role_template_create(*, data: dict[str, Any]) -> RoleTemplate:
    """A new, empty draft typed in by hand."""
    title = data["title"]
    template = RoleTemplate(
        title=title,
        slug=data.get("slug") or unique_slug(title),
        level=data.get("level", ""),
        family=data.get("family", ""),
        summary=data.get("summary", ""),
        notes=data.get("notes", ""),
    )
    template.full_clean()
    template.save()
    return template


def _write_anchors(competency: Competency, anchors: dict[int, str]) -> None:
    """Set the competency's anchor texts by level; an empty text removes that level."""
    existing = {anchor.level: anchor for anchor in competency.anchors.all()}
    for level in LEVELS:
        text = (anchors.get(level) or "").strip()
        anchor = existing.get(level)
        if not text:
            if anchor is not None:
                anchor.delete()
            continue
        if anchor is None:
            anchor = RatingAnchor(competency=competency, level=level, description=text)
        elif anchor.description == text:
            continue
        anchor.description = text
        anchor.full_clean()
        anchor.save()


@transaction.atomic
def competency_save(
    *,
    competency: Competency,
    anchors: dict[int, str] | None = None,
    anchors_reviewed: bool | None = None,
) -> Competency:
    """Create or change a competency of a draft, and optionally its four anchors.

    Editing an anchor text marks the competency's anchors as reviewed by a person.
    """
    ensure_editable(_fresh(competency.template))
    before = {}
    if competency.pk:
        before = {a.level: a.description for a in RatingAnchor.objects.filter(competency_id=competency.pk)}
    if anchors_reviewed is not None:
        competency.anchors_need_review = not anchors_reviewed
    if (
        anchors is not None
        and competency.pk
        and any((anchors.get(level) or "").strip() != before.get(level, "") for level in LEVELS)
    ):
        competency.anchors_need_review = False
    competency.full_clean()
    competency.save()
    if anchors is not None:
        _write_anchors(competency, anchors)
    return competency


@transaction.atomic
def rating_anchor_save(*, anchor: RatingAnchor) -> RatingAnchor:
    ensure_editable(_fresh(anchor.competency.template))
    anchor.full_clean()
    anchor.save()
    Competency.objects.filter(pk=anchor.competency_id).update(anchors_need_review=False)
    return anchor


@transaction.atomic
def template_child_save(*, obj: Responsibility | Requirement | CompensationBand) -> Any:
    """Create or change a responsibility, requirement or pay band of a draft."""
    ensure_editable(_fresh(obj.template))
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def template_child_delete(*, obj: Competency | Responsibility | Requirement | CompensationBand | RatingAnchor) -> None:
    template = obj.competency.template if isinstance(obj, RatingAnchor) else obj.template
    ensure_editable(_fresh(template))
    obj.delete()


@transaction.atomic
def role_template_delete(*, template: RoleTemplate) -> None:
    """Only drafts can be deleted; published versions are archived instead."""
    ensure_editable(_fresh(template))
    template.delete()


# --------------------------------------------------------------------------- lifecycle


def publish_problems(template: RoleTemplate) -> list[str]:
    """What stops a draft from being published, in words an admin can act on."""
    problems = []
    if not template.title.strip():
        problems.append("The template needs a title.")
    competencies = list(template.competencies.prefetch_related("anchors"))
    if not competencies:
        problems.append("Add at least one competency: a scorecard needs something to rate.")
    for competency in competencies:
        levels = {a.level for a in competency.anchors.all() if a.description.strip()}
        missing = [str(level) for level in LEVELS if level not in levels]
        if missing:
            problems.append(f"“{competency.name}” has no anchor for level {', '.join(missing)} (each needs all 4).")
        if not competency.description.strip():
            problems.append(f"“{competency.name}” needs a description.")
    return problems


class UnreviewedAnchorsError(ValidationError):
    """Publishing needs a confirmation: ``count`` competencies still have generated anchors nobody reviewed."""

    def __init__(self, count: int):
        noun = "competency still has" if count == 1 else "competencies still have"
        super().__init__(
            f"{count} {noun} generated rating anchors that nobody has reviewed. Review them first, or confirm "
            "to publish anyway.",
            code="unreviewed_anchors",
        )
        self.count = count


def unreviewed_anchor_count(template: RoleTemplate) -> int:
    """How many competencies of the version have generated anchors nobody has reviewed yet."""
    return template.competencies.filter(anchors_need_review=True).count()


@transaction.atomic
def role_template_publish(*, template: RoleTemplate, confirm_unreviewed: bool = False) -> RoleTemplate:
    """Publish a draft: it becomes the current version; the previous published version is archived.

    The archived version stays for the jobs and scorecards that already use it. While competencies
    have generated anchors nobody reviewed, publishing raises ``UnreviewedAnchorsError`` (saying how
    many) unless ``confirm_unreviewed`` says the person publishing has seen that number and goes ahead.
    """
    current = _fresh(template)
    if current.status != RoleTemplate.Status.DRAFT:
        raise ValidationError(
            f"Version {current.version} is already {current.get_status_display().lower()}; only a draft can be "
            "published.",
            code="not_draft",
        )
    problems = publish_problems(current)
    if problems:
        raise ValidationError(["Cannot publish yet:", *problems], code="incomplete")
    unreviewed = unreviewed_anchor_count(current)
    if unreviewed and not confirm_unreviewed:
        raise UnreviewedAnchorsError(unreviewed)
    now = timezone.now()
    RoleTemplate.objects.filter(slug=current.slug, status=RoleTemplate.Status.PUBLISHED).update(
        status=RoleTemplate.Status.ARCHIVED, updated_at=now
    )
    current.status = RoleTemplate.Status.PUBLISHED
    current.published_at = now
    current.full_clean()
    current.save(update_fields=["status", "published_at", "updated_at"])
    template.status, template.published_at = current.status, current.published_at
    return current


@transaction.atomic
def role_template_archive(*, template: RoleTemplate) -> RoleTemplate:
    """Hide a published version from new jobs; jobs already using it keep it."""
    current = _fresh(template)
    if current.status != RoleTemplate.Status.PUBLISHED:
        raise ValidationError(
            f"Only a published version can be archived (version {current.version} is "
            f"{current.get_status_display().lower()}; delete a draft instead).",
            code="not_published",
        )
    current.status = RoleTemplate.Status.ARCHIVED
    current.save(update_fields=["status", "updated_at"])
    template.status = current.status
    return current


@transaction.atomic
def role_template_new_version(*, template: RoleTemplate) -> RoleTemplate:
    """Copy a published or archived version into a new draft (version + 1); the original is untouched."""
    source = _fresh(template)
    if source.status == RoleTemplate.Status.DRAFT:
        raise ValidationError(f"Version {source.version} is still a draft: edit it directly.", code="is_draft")
    draft = RoleTemplate.objects.filter(slug=source.slug, status=RoleTemplate.Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            f"Version {draft.version} of “{draft.title}” is already a draft: edit or delete it first.",
            code="draft_exists",
        )
    data = role_template_export(template=source)
    latest = RoleTemplate.objects.filter(slug=source.slug).aggregate(v=Max("version"))["v"] or 0
    copy = _create_from_data(
        data,
        slug=source.slug,
        version=latest + 1,
        extra={
            "level": source.level,
            "family": source.family,
            "notes": source.notes,
            "skipped_parts": list(source.skipped_parts),
            "source_text": source.source_text,
            "source_filename": source.source_filename,
        },
        keep_review_flags={c.name: c.anchors_need_review for c in source.competencies.all()},
        sources=_sources(source),
    )
    return copy


def _sources(template: RoleTemplate) -> dict[str, Any]:
    return {
        "competencies": dict(template.competencies.values_list("name", "source")),
        "responsibilities": dict(template.responsibilities.values_list("area", "source")),
        "requirements": {
            (kind, text): src for kind, text, src in template.requirements.values_list("kind", "text", "source")
        },
        "compensation": getattr(getattr(template, "compensation", None), "source", ""),
    }


# --------------------------------------------------------------------------- export / load


def _number(value: Any) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def role_template_export(*, template: RoleTemplate) -> dict[str, Any]:
    """The template as the JSON document of ``export_role`` (see docs/role-format.md)."""
    competencies = template.competencies.prefetch_related("anchors").order_by("order", "id")
    band = CompensationBand.objects.filter(template=template).first()
    return {
        "title": template.title,
        "slug": template.slug,
        "version": template.version,
        "status": template.status,
        "level": template.level,
        "family": template.family,
        "summary": template.summary,
        "competencies": [
            {
                "name": c.name,
                "category": c.category,
                "description": c.description,
                "weight": _number(c.weight),
                "anchors": [{"level": a.level, "description": a.description} for a in c.anchors.all()],
            }
            for c in competencies
        ],
        "responsibilities": [
            {"area": r.area, "items": list(r.items)} for r in template.responsibilities.order_by("order", "id")
        ],
        "requirements": [
            {"kind": r.kind, "text": r.text, "required": r.required, "min_years": r.min_years}
            for r in template.requirements.order_by("order", "id")
        ],
        "compensation": (
            {"currency": band.currency, **{name: getattr(band, name) for name in BAND_FIELDS}}
            if band is not None
            else None
        ),
    }


def _require(condition: object, message: str) -> None:
    if not condition:
        raise ValidationError(message, code="bad_json")


def _create_from_data(
    data: dict[str, Any],
    *,
    slug: str,
    version: int,
    extra: dict[str, Any] | None = None,
    keep_review_flags: dict[str, bool] | None = None,
    sources: dict[str, Any] | None = None,
) -> RoleTemplate:
    sources = sources or {}
    fields = {"level": data.get("level") or "", "family": data.get("family") or "", **(extra or {})}
    template = RoleTemplate(
        title=data["title"], slug=slug, version=version, summary=data.get("summary") or "", **fields
    )
    template.full_clean()
    template.save()
    for order, item in enumerate(data.get("competencies") or [], start=1):
        try:
            weight = Decimal(str(item.get("weight", 1) if item.get("weight") is not None else 1))
        except InvalidOperation:
            raise ValidationError(f"Competency “{item.get('name')}”: weight must be a number.") from None
        competency = Competency(
            template=template,
            name=item["name"],
            category=item["category"],
            description=item.get("description") or "",
            weight=weight,
            order=order,
            source=sources.get("competencies", {}).get(item["name"], ""),
            anchors_need_review=(keep_review_flags or {}).get(item["name"], False),
        )
        competency.full_clean()
        competency.save()
        for anchor in item.get("anchors") or []:
            rating = RatingAnchor(competency=competency, level=anchor["level"], description=anchor["description"])
            rating.full_clean()
            rating.save()
    for order, item in enumerate(data.get("responsibilities") or [], start=1):
        _require(isinstance(item.get("items", []), list), "Each responsibility needs a list of items.")
        responsibility = Responsibility(
            template=template,
            area=item["area"],
            items=list(item.get("items") or []),
            order=order,
            source=sources.get("responsibilities", {}).get(item["area"], ""),
        )
        responsibility.full_clean()
        responsibility.save()
    for order, item in enumerate(data.get("requirements") or [], start=1):
        requirement = Requirement(
            template=template,
            kind=item["kind"],
            text=item["text"],
            required=bool(item.get("required", True)),
            min_years=item.get("min_years"),
            order=order,
            source=sources.get("requirements", {}).get((item["kind"], item["text"]), ""),
        )
        requirement.full_clean()
        requirement.save()
    band = data.get("compensation")
    if band:
        compensation = CompensationBand(
            template=template,
            currency=band.get("currency") or "USD",
            source=sources.get("compensation", ""),
            **{name: band.get(name) for name in BAND_FIELDS},
        )
        compensation.full_clean()
        compensation.save()
    return template


def _validate_document(data: Any) -> None:
    _require(isinstance(data, dict), "The JSON must be an object with at least a title.")
    _require(isinstance(data.get("title"), str) and data["title"].strip(), "The JSON needs a non-empty “title”.")
    for key in ("competencies", "responsibilities", "requirements"):
        _require(isinstance(data.get(key, []), list), f"“{key}” must be a list.")
    for key in ("level", "family", "summary"):
        _require(data.get(key) is None or isinstance(data.get(key), str), f"“{key}” must be text.")
    for i, item in enumerate(data.get("competencies") or [], start=1):
        _require(isinstance(item, dict) and item.get("name"), f"Competency {i} needs a “name”.")
        _require(
            item.get("category") in Competency.Category.values,
            f"Competency “{item.get('name')}”: category must be one of {', '.join(Competency.Category.values)}.",
        )
        for anchor in item.get("anchors") or []:
            _require(
                isinstance(anchor, dict) and anchor.get("level") in LEVELS and anchor.get("description"),
                f"Competency “{item['name']}”: each anchor needs a level 1-4 and a description.",
            )
    for i, item in enumerate(data.get("responsibilities") or [], start=1):
        _require(isinstance(item, dict) and item.get("area"), f"Responsibility {i} needs an “area”.")
    for i, item in enumerate(data.get("requirements") or [], start=1):
        _require(isinstance(item, dict) and item.get("text"), f"Requirement {i} needs a “text”.")
        _require(
            item.get("kind") in Requirement.Kind.values,
            f"Requirement {i}: kind must be one of {', '.join(Requirement.Kind.values)}.",
        )
    band = data.get("compensation")
    _require(band is None or isinstance(band, dict), "“compensation” must be an object or null.")
    if band:
        for name in BAND_FIELDS:
            value = band.get(name)
            _require(
                value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 0),
                f"compensation.{name} must be a whole, non-negative number or null.",
            )


@transaction.atomic
def role_template_load(*, data: Any) -> RoleTemplate:
    """Create a draft from an exported document, keeping its content.

    The draft keeps the document's slug. If that slug is unused the version is kept too;
    otherwise the draft becomes the next version of that role. The status is always draft
    (publishing goes through ``role_template_publish`` and its checks).
    """
    _validate_document(data)
    slug = slugify(data.get("slug") or "") or unique_slug(data["title"])
    existing = RoleTemplate.objects.filter(slug=slug)
    draft = existing.filter(status=RoleTemplate.Status.DRAFT).first()
    if draft is not None:
        raise ValidationError(
            f"“{slug}” already has a draft (version {draft.version}): publish or delete it before loading another.",
            code="draft_exists",
        )
    latest = existing.aggregate(v=Max("version"))["v"]
    requested = data.get("version")
    version = requested if latest is None and isinstance(requested, int) and requested >= 1 else (latest or 0) + 1
    return _create_from_data(data, slug=slug, version=version)
