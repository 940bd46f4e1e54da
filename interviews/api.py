"""The interviews app's endpoints: interviews, scorecards, summaries (independent feedback kept) and report rows.

Reads start from ``interviews.rules``' visibility querysets: an interviewer reads their own
scorecards, and colleagues' submitted ones only once they have submitted theirs for the same
application; private notes only for recruiters, admins and hiring managers (and the writer).
Writes go through the scorecard services. Report rows are the pages' figures: the same
permissions, the same filter form, the same ``interviews.reports`` functions, and the columns of
the ``report`` command's JSON. The plumbing (auth, errors, paging) is hiring's.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from hiring.api import ErrorSerializer
from hiring.apikit import Conflict, validation_error
from interviews import services
from interviews.models import ApplicationSummary, CompetencyRating, Interview, Scorecard
from interviews.reports import REPORTS, Report
from interviews.reports.present import json_rows
from interviews.rules import (
    can_read_private_notes,
    interviews_visible_to,
    report_jobs_visible_to,
    scorecards_visible_to,
    summaries_visible_to,
)
from interviews.views.reports import ReportFilterForm

# --------------------------------------------------------------------------- interviews


class InterviewSerializer(serializers.ModelSerializer):
    step_name = serializers.CharField(source="step.name", read_only=True)
    kind = serializers.CharField(source="step.kind", read_only=True)

    class Meta:
        model = Interview
        fields = [
            "id",
            "application",
            "step",
            "step_name",
            "kind",
            "starts_at",
            "ends_at",
            "location",
            "video_url",
            "interviewers",
        ]


class InterviewFilter(filters.FilterSet):
    class Meta:
        model = Interview
        fields = ["application"]


@extend_schema_view(
    list=extend_schema(summary="Interviews you may see"), retrieve=extend_schema(summary="One interview")
)
class InterviewViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    serializer_class = InterviewSerializer
    filterset_class = InterviewFilter
    ordering_fields = ["id", "starts_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Interview.objects.none()
        return (
            interviews_visible_to(user=self.request.user)
            .select_related("step")
            .prefetch_related("interviewers")
            .order_by("-id")
        )


# --------------------------------------------------------------------------- scorecards


class RatingSerializer(serializers.ModelSerializer):
    class Meta:
        model = CompetencyRating
        fields = ["id", "name", "category", "weight", "rating", "not_assessed", "evidence"]


class ScorecardSerializer(serializers.ModelSerializer):
    application = serializers.IntegerField(source="interview.application_id", read_only=True)
    ratings = RatingSerializer(many=True, read_only=True)
    private_note = serializers.SerializerMethodField()

    class Meta:
        model = Scorecard
        fields = [
            "id",
            "interview",
            "application",
            "interviewer",
            "status",
            "overall_recommendation",
            "key_takeaways",
            "private_note",
            "version",
            "submitted_at",
            "updated_at",
            "ratings",
        ]

    def get_private_note(self, card: Scorecard) -> str | None:
        """Only the writer and recruiters, admins and hiring managers read private notes."""
        user = self.context["request"].user
        if card.interviewer_id == user.pk or self.context.get("private_notes"):
            return card.private_note
        return None


class RatingInputSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=2**62)
    rating = serializers.CharField(
        required=False, allow_blank=True, max_length=2, help_text="1-4, “na” (not assessed) or empty."
    )
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=20_000)


class ScorecardUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=2**31, help_text="The version you read.")
    overall_recommendation = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=4)
    key_takeaways = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    private_note = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    ratings = RatingInputSerializer(many=True, required=False)


class ScorecardFilter(filters.FilterSet):
    application = filters.NumberFilter(field_name="interview__application_id")

    class Meta:
        model = Scorecard
        fields = ["interview", "status", "interviewer", "application"]


@extend_schema_view(
    list=extend_schema(summary="Scorecards you may read (yours; colleagues' once you submitted yours)"),
    retrieve=extend_schema(summary="One scorecard"),
)
class ScorecardViewSet(viewsets.ReadOnlyModelViewSet):
    lookup_value_converter = "int"
    serializer_class = ScorecardSerializer
    filterset_class = ScorecardFilter
    ordering_fields = ["id", "submitted_at", "updated_at"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Scorecard.objects.none()
        return (
            scorecards_visible_to(user=self.request.user)
            .select_related("interview")
            .prefetch_related(Prefetch("ratings", queryset=CompetencyRating.objects.order_by("order", "id")))
            .order_by("-id")
        )

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "private_notes": can_read_private_notes(user=self.request.user)}

    def _own(self) -> Scorecard:
        card = self.get_object()
        if card.interviewer_id != self.request.user.pk:
            raise exceptions.PermissionDenied("Only the interviewer who wrote a scorecard may change it.")
        return card

    def _fresh(self, card: Scorecard) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=card.pk)).data)

    @extend_schema(
        summary="Save your draft scorecard",
        request=ScorecardUpdateSerializer,
        responses={200: ScorecardSerializer, 409: OpenApiResponse(ErrorSerializer, description="Submitted or changed")},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        card = self._own()
        form = ScorecardUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        values = form.validated_data
        data: dict[str, str] = {}
        if "overall_recommendation" in values:
            recommendation = values["overall_recommendation"]
            data["overall_recommendation"] = "" if recommendation is None else str(recommendation)
        for name in ("key_takeaways", "private_note"):
            if name in values:
                data[name] = values[name]
        known = {rating.pk for rating in card.ratings.all()}
        for item in values.get("ratings", []):
            if item["id"] not in known:
                raise exceptions.ValidationError({"ratings": [f"Rating {item['id']} is not part of this scorecard."]})
            if "rating" in item:
                data[f"rating-{item['id']}"] = item["rating"]
            if "evidence" in item:
                data[f"evidence-{item['id']}"] = item["evidence"]
        try:
            services.scorecard_save(scorecard_id=card.pk, user=request.user, data=data, version=values["version"])
        except services.ScorecardLocked:
            raise Conflict("The scorecard is submitted: amend it on its page first.") from None
        except services.ScorecardConflict as conflict:
            names = ", ".join(item.label for item in conflict.conflicts)
            raise Conflict(
                f"Changed elsewhere since version {values['version']} (now {conflict.version}): {names}."
            ) from None
        except DjangoValidationError as error:
            raise validation_error(error) from None
        return self._fresh(card)

    @extend_schema(
        summary="Submit your scorecard",
        request=None,
        responses={200: ScorecardSerializer, 409: OpenApiResponse(ErrorSerializer, description="Already submitted")},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        card = self._own()
        try:
            services.scorecard_submit(scorecard_id=card.pk, user=request.user)
        except services.ScorecardLocked:
            raise Conflict("The scorecard is submitted already.") from None
        except DjangoValidationError as error:
            raise validation_error(error) from None
        return self._fresh(card)


# The router offers PATCH only (a scorecard is never created or replaced through the API).
ScorecardViewSet.http_method_names = ["get", "patch", "post", "head", "options"]


# --------------------------------------------------------------------------- summaries


class SummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationSummary
        fields = ["application", "status", "content", "narrative", "backend", "built_at"]


@extend_schema_view(
    list=extend_schema(summary="Feedback summaries you may read"),
    retrieve=extend_schema(summary="The feedback summary of an application"),
)
class SummaryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    lookup_value_converter = "int"
    serializer_class = SummarySerializer
    lookup_field = "application_id"
    ordering_fields = ["id", "built_at"]
    filterset_fields = ["status"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApplicationSummary.objects.none()
        return summaries_visible_to(user=self.request.user).order_by("-id")


# --------------------------------------------------------------------------- reports


class ReportSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="What goes in the address: /api/v1/reports/{name}/.")
    title = serializers.CharField()
    summary = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField(), help_text="The keys of each row, in order.")


class ReportRowsSerializer(ReportSerializer):
    filters = serializers.DictField(
        child=serializers.CharField(), help_text="The filters applied (only those given), as in the query."
    )
    rows = serializers.ListField(
        child=serializers.DictField(),
        help_text="One object per row with exactly the report's columns (docs/reports.md); null where there is "
        "no figure; shares are fractions from 0 to 1.",
    )


def _may_read(user: Any, report: Report) -> bool:
    """As the report pages decide: hiring team members; adverse impact for admins only."""
    if not user.has_perm("interviews.view_reports"):
        return False
    return not report.admin_only or user.has_perm("interviews.view_adverse_impact")


_DAY = {"type": "string", "format": "date"}
_REPORT_PARAMETERS = [
    OpenApiParameter("name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(REPORTS)),
    OpenApiParameter(
        "job",
        {"type": "integer", "minimum": 1, "maximum": 2**62},
        description="Only this job (one of the jobs your figures cover; another answers 400).",
    ),
    OpenApiParameter("since", _DAY, description="Applied (timeliness: interviews ended) on or after this day."),
    OpenApiParameter("until", _DAY, description="Up to and including this day (as ``since``)."),
    OpenApiParameter("family", {"type": "string", "maxLength": 200}, description="The role template's job family."),
    OpenApiParameter("source", {"type": "string", "maxLength": 60}, description="Where applications came from."),
]


class ReportViewSet(viewsets.ViewSet):
    """Reports: their rows are the figures of the report pages, for the jobs the user may see (not paged)."""

    lookup_field = "name"
    lookup_value_converter = "slug"

    @extend_schema(summary="The reports you may read", responses={200: ReportSerializer(many=True)})
    def list(self, request: Request) -> Response:
        if not request.user.has_perm("interviews.view_reports"):
            raise exceptions.NotFound("No such page.")
        readable = [report for report in REPORTS.values() if _may_read(request.user, report)]
        return Response(ReportSerializer(readable, many=True).data)

    @extend_schema(
        summary="A report's rows (the figures of its page)",
        parameters=_REPORT_PARAMETERS,
        responses={200: ReportRowsSerializer},
    )
    def retrieve(self, request: Request, name: str | None = None) -> Response:
        report = REPORTS.get(name or "")
        if report is None or not _may_read(request.user, report):
            raise exceptions.NotFound("No such report.")
        jobs = report_jobs_visible_to(user=request.user)
        form = ReportFilterForm(request.query_params, jobs=jobs)
        if not form.is_valid():
            raise exceptions.ValidationError(
                {("non_field_errors" if key == "__all__" else key): list(errors) for key, errors in form.errors.items()}
            )
        filters = form.filters()
        rows = report.run(jobs=jobs, filters=filters)
        body = ReportSerializer(report).data
        return Response({**body, "filters": filters.as_params(), "rows": json_rows(report, rows)})
