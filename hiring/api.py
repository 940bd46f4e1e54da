"""hiring's endpoints of the public API (Django REST framework; plumbing in ``hiring.apikit``).

Endpoints: jobs and
their stages, candidates, applications (list, detail, create, move, reject) and role
templates. Reads start from the visibility querysets of ``hiring.rules`` (through the
selectors), writes call the services; permissions are the rules' permissions, so the API
answers exactly what the pages answer. ``config/api.py`` puts the routes together.
"""

from __future__ import annotations

from typing import Any

import rules
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hiring import selectors, services
from hiring.apikit import BearerTokenAuthentication, Conflict, validation_error
from hiring.models import Application, Candidate, EmailTemplate, Job, RejectionReason, Stage
from hiring.rules import applications_visible_to, candidates_visible_to, jobs_visible_to
from roles.models import Competency, RoleTemplate
from roles.services import role_template_load, role_template_publish

# --------------------------------------------------------------------------- plumbing


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (created on your profile page): Authorization: Bearer hire_...",
        }


_ERROR_REF = {"$ref": "#/components/schemas/Error"}
_ERROR_STATUSES = {
    "400": "Invalid input (fields name what is wrong)",
    "401": "No token or session, or the token is not valid",
    "403": "Signed in, but not allowed to do this",
    "404": "Not found, or not visible to you",
    "409": "The record changed or is in a state that forbids this",
    "429": "Too many requests for this token; wait and retry",
}


def document_errors(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """Schema post-processing: the one error format, and the error answers every operation may give."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["code", "message", "fields"],
                "properties": {
                    "code": {"type": "string", "description": "not_found, invalid, conflict, throttled, ..."},
                    "message": {"type": "string"},
                    "fields": {
                        "type": "object",
                        "additionalProperties": {"type": "array", "items": {"type": "string"}},
                    },
                },
            }
        },
    }
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            wanted = {"400", "401", "403", "404", "429"}
            if method in ("post", "patch", "put"):
                wanted.add("409")
            for code in sorted(wanted):
                entry = responses.setdefault(code, {"description": _ERROR_STATUSES[code]})
                entry["content"] = {"application/json": {"schema": _ERROR_REF}}
    return result


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable machine-readable code, e.g. not_found, invalid, conflict.")
    message = serializers.CharField(help_text="A sentence for people.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), help_text="Messages by field name (400 only)."
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorBodySerializer()


def allowed(user: Any, permission: str, obj: Any = None) -> bool:
    return bool(rules.has_perm(permission, user, obj) if obj is not None else rules.has_perm(permission, user))


def require(user: Any, permission: str, obj: Any = None) -> None:
    if not allowed(user, permission, obj):
        raise exceptions.PermissionDenied()


# --------------------------------------------------------------------------- jobs and stages


class StageSerializer(serializers.ModelSerializer):
    class Meta:
        model = Stage
        fields = ["id", "job", "name", "order"]


class JobSerializer(serializers.ModelSerializer):
    stages = StageSerializer(many=True, read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "title",
            "department",
            "location",
            "employment_type",
            "headcount",
            "target_date",
            "status",
            "evidence_required",
            "template",
            "created_at",
            "updated_at",
            "stages",
        ]


class JobFilter(filters.FilterSet):
    class Meta:
        model = Job
        fields = ["status", "department", "template"]


@extend_schema_view(list=extend_schema(summary="Jobs you may see"), retrieve=extend_schema(summary="One job"))
class JobViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    serializer_class = JobSerializer
    filterset_class = JobFilter
    ordering_fields = ["id", "created_at", "title"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Job.objects.none()
        require(self.request.user, "hiring.access_recruiting")
        return selectors.job_list(user=self.request.user).prefetch_related("stages").order_by("-id")

    @extend_schema(summary="The stages of a job, in order", responses=StageSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def stages(self, request: Request, pk: str | None = None) -> Response:
        job = self.get_object()
        return Response(StageSerializer(job.stages.order_by("order", "id"), many=True).data)


# --------------------------------------------------------------------------- candidates


class CandidateSerializer(serializers.ModelSerializer):
    """Contact details, source and tags only for the people who see them on the pages."""

    tags = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    PRIVATE = ("email", "phone", "location", "links", "source", "tags")

    class Meta:
        model = Candidate
        fields = [
            "id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "location",
            "links",
            "source",
            "tags",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {name: {"required": False} for name in ("email", "phone", "location", "links", "source")}

    def to_representation(self, instance: Candidate) -> dict:
        data = super().to_representation(instance)
        if not self.context.get("private"):
            for name in self.PRIVATE:
                data.pop(name, None)
        return data


class CandidateCreateSerializer(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    location = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    source = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False, default=list)
    job = serializers.IntegerField(required=False, allow_null=True, default=None, help_text="Apply to this job too.")


class CandidateFilter(filters.FilterSet):
    source = filters.CharFilter(field_name="source", lookup_expr="iexact")
    email = filters.CharFilter(field_name="email", lookup_expr="iexact")

    class Meta:
        model = Candidate
        fields = ["source", "email"]


@extend_schema_view(
    list=extend_schema(summary="Candidates you may see"),
    retrieve=extend_schema(summary="One candidate"),
    create=extend_schema(
        summary="Add a candidate (and apply them to a job)",
        request=CandidateCreateSerializer,
        responses={201: CandidateSerializer, 409: OpenApiResponse(ErrorSerializer, description="Already on file")},
    ),
)
class CandidateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    serializer_class = CandidateSerializer
    filterset_class = CandidateFilter
    ordering_fields = ["id", "created_at", "last_name"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Candidate.objects.none()
        user = self.request.user
        if self.action == "list":
            require(user, "hiring.list_candidates")
        return candidates_visible_to(user=user).prefetch_related("tags").order_by("-id")

    def get_serializer_context(self) -> dict:
        return {
            **super().get_serializer_context(),
            "private": allowed(self.request.user, "hiring.view_candidate_private"),
        }

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request.user, "hiring.create_candidates")
        form = CandidateCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        job = None
        if data.pop("job") is not None:
            job = get_object_or_404(jobs_visible_to(user=request.user), pk=form.validated_data["job"])
        try:
            candidate = services.candidate_create(**data, job=job, actor=request.user)
        except services.DuplicateCandidate as duplicate:
            raise Conflict(
                f"A candidate with this {duplicate.match} is already on file (id {duplicate.existing.pk})."
            ) from None
        except DjangoValidationError as error:
            raise validation_error(error) from None
        return Response(self.get_serializer(candidate).data, status=status.HTTP_201_CREATED)


# --------------------------------------------------------------------------- applications


class ApplicationSerializer(serializers.ModelSerializer):
    stage_name = serializers.CharField(source="stage.name", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "candidate",
            "job",
            "stage",
            "stage_name",
            "status",
            "rejection_reason",
            "stage_entered_at",
            "applied_at",
            "version",
            "updated_at",
        ]


class ApplicationCreateSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(min_value=1, max_value=2**62)
    job = serializers.IntegerField(min_value=1, max_value=2**62)
    source = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")


class MoveSerializer(serializers.Serializer):
    stage = serializers.IntegerField(min_value=1, max_value=2**62, help_text="A stage of the application's job.")
    version = serializers.IntegerField(
        min_value=1, max_value=2**31, required=False, help_text="The version you read: 409 if it moved since."
    )
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    reason = serializers.IntegerField(min_value=1, max_value=2**62, help_text="A rejection reason's id.")
    email_template = serializers.IntegerField(
        min_value=1, max_value=2**62, required=False, allow_null=True, default=None
    )
    version = serializers.IntegerField(min_value=1, max_value=2**31, required=False)


class ApplicationFilter(filters.FilterSet):
    class Meta:
        model = Application
        fields = ["job", "stage", "status", "candidate"]


@extend_schema_view(
    list=extend_schema(summary="Applications you may see"),
    retrieve=extend_schema(summary="One application"),
    create=extend_schema(
        summary="Apply a candidate to a job",
        request=ApplicationCreateSerializer,
        responses={201: ApplicationSerializer},
    ),
)
class ApplicationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    ordering_fields = ["id", "applied_at", "stage_entered_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Application.objects.none()
        return applications_visible_to(user=self.request.user).select_related("stage").order_by("-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        form = ApplicationCreateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = request.user
        candidate = get_object_or_404(candidates_visible_to(user=user), pk=form.validated_data["candidate"])
        job = get_object_or_404(jobs_visible_to(user=user), pk=form.validated_data["job"])
        require(user, "hiring.apply_candidates")
        try:
            application = services.application_create(
                candidate=candidate, job=job, actor=user, source=form.validated_data["source"]
            )
        except DjangoValidationError as error:
            raise validation_error(error) from None
        application = self.get_queryset().get(pk=application.pk)
        return Response(self.get_serializer(application).data, status=status.HTTP_201_CREATED)

    def _managed(self, pk: str | None) -> Application:
        application = self.get_object()
        require(self.request.user, "hiring.manage_pipeline_obj", application.job)
        return application

    @extend_schema(
        summary="Move an application to another stage of its job",
        request=MoveSerializer,
        responses={200: ApplicationSerializer, 409: OpenApiResponse(ErrorSerializer, description="Moved meanwhile")},
    )
    @action(detail=True, methods=["post"])
    def move(self, request: Request, pk: str | None = None) -> Response:
        application = self._managed(pk)
        form = MoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        stage = Stage.objects.filter(pk=form.validated_data["stage"], job_id=application.job_id).first()
        if stage is None:
            raise exceptions.ValidationError({"stage": ["That stage is not a stage of this application's job."]})
        try:
            services.application_move(
                application=application,
                to_stage=stage,
                actor=request.user,
                expected_version=form.validated_data.get("version"),
                reason=form.validated_data["reason"],
            )
        except services.MoveConflict as conflict:
            raise Conflict(conflict.message) from None
        except DjangoValidationError as error:
            raise validation_error(error) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)

    @extend_schema(
        summary="Reject an application (optionally queue the rejection email)",
        request=RejectSerializer,
        responses={200: ApplicationSerializer, 409: OpenApiResponse(ErrorSerializer, description="Moved meanwhile")},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        application = self._managed(pk)
        form = RejectSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        reason = RejectionReason.objects.filter(pk=form.validated_data["reason"]).first()
        if reason is None:
            raise exceptions.ValidationError({"reason": ["No such rejection reason."]})
        template = None
        if form.validated_data.get("email_template") is not None:
            template = EmailTemplate.objects.filter(pk=form.validated_data["email_template"]).first()
            if template is None:
                raise exceptions.ValidationError({"email_template": ["No such email template."]})
        try:
            services.application_reject(
                application=application,
                reason=reason,
                actor=request.user,
                email_template=template,
                expected_version=form.validated_data.get("version"),
            )
        except services.MoveConflict as conflict:
            raise Conflict(conflict.message) from None
        except DjangoValidationError as error:
            raise validation_error(error) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=application.pk)).data)


# --------------------------------------------------------------------------- role templates


class CompetencySerializer(serializers.ModelSerializer):
    anchors = serializers.SerializerMethodField()

    class Meta:
        model = Competency
        fields = ["id", "name", "category", "description", "weight", "order", "anchors"]

    def get_anchors(self, competency: Competency) -> dict[str, str]:
        return {str(anchor.level): anchor.description for anchor in competency.anchors.all()}


class RoleTemplateSerializer(serializers.ModelSerializer):
    competencies = CompetencySerializer(many=True, read_only=True)

    class Meta:
        model = RoleTemplate
        fields = [
            "id",
            "title",
            "slug",
            "version",
            "status",
            "level",
            "family",
            "summary",
            "published_at",
            "competencies",
        ]


class RoleTemplateDocumentSerializer(serializers.Serializer):
    """A role template document (docs/role-format.md); it becomes a draft."""

    document = serializers.JSONField(help_text="The JSON document of docs/role-format.md.")


class RoleTemplateFilter(filters.FilterSet):
    class Meta:
        model = RoleTemplate
        fields = ["status", "slug"]


@extend_schema_view(
    list=extend_schema(summary="Role templates"),
    retrieve=extend_schema(summary="One role template with its competencies and anchors"),
    create=extend_schema(
        summary="Load a role template document as a draft (admins)",
        request=RoleTemplateDocumentSerializer,
        responses={201: RoleTemplateSerializer},
    ),
)
class RoleTemplateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    serializer_class = RoleTemplateSerializer
    filterset_class = RoleTemplateFilter
    ordering_fields = ["id", "title", "version"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return RoleTemplate.objects.none()
        require(self.request.user, "hiring.read_role_templates")
        return RoleTemplate.objects.prefetch_related("competencies__anchors").order_by("-id")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        require(request.user, "hiring.write_role_templates")
        form = RoleTemplateDocumentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            template = role_template_load(data=form.validated_data["document"])
        except DjangoValidationError as error:
            raise validation_error(error) from None
        except (KeyError, TypeError, ValueError) as error:
            raise exceptions.ValidationError(
                {"document": [f"The document is missing or has a wrong value: {error}"]}
            ) from None
        return Response(
            self.get_serializer(self.get_queryset().get(pk=template.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(summary="Publish a draft (admins)", request=None, responses={200: RoleTemplateSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        template = self.get_object()
        require(request.user, "hiring.write_role_templates")
        try:
            role_template_publish(template=template)
        except DjangoValidationError as error:
            raise validation_error(error) from None
        return Response(self.get_serializer(self.get_queryset().get(pk=template.pk)).data)
