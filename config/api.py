"""The public API's routes: /api/v1/ (every app's endpoints), the OpenAPI schema and its docs.

Above all three apps, so one router can hold hiring's and interviews' endpoints while hiring's
``api.py`` imports nothing from interviews. API views answer 401 themselves (token or session),
so the site's sign-in redirect (``LoginRequiredMiddleware``) is turned off for them; the docs
page is a normal page and needs a signed-in session.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required, login_required
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.routers import DefaultRouter
from rest_framework.views import APIView

from hiring import api as hiring_api
from interviews import api as interviews_api


class Router(DefaultRouter):
    include_root_view = False
    include_format_suffixes = False


router = Router(use_regex_path=False)  # <int:pk> paths, like the rest of the site
router.register("jobs", hiring_api.JobViewSet, basename="job")
router.register("candidates", hiring_api.CandidateViewSet, basename="candidate")
router.register("applications", hiring_api.ApplicationViewSet, basename="application")
router.register("role-templates", hiring_api.RoleTemplateViewSet, basename="role-template")
router.register("interviews", interviews_api.InterviewViewSet, basename="interview")
router.register("scorecards", interviews_api.ScorecardViewSet, basename="scorecard")
router.register("summaries", interviews_api.SummaryViewSet, basename="summary")
router.register("reports", interviews_api.ReportViewSet, basename="report")


def _public(patterns: list[Any]) -> list[Any]:
    """Mark every view of ``patterns`` as not needing the site's sign-in (DRF authenticates)."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _public(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            login_not_required(entry.callback)
    return patterns


class NotFoundView(APIView):
    """Any other address under /api/v1/ (an id that is not a number, a typo): the API's 404, in JSON."""

    @extend_schema(exclude=True)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        raise NotFound("No such API address.")


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored sidecar files: no inline script or style (CSP stays strict)."""

    template_name = "api/docs.html"
    url_name = "api:schema"


def _signed_in(view: Any) -> Any:
    """A page for people: the site's sign-in redirect (the REST framework exempts its views from it)."""
    page = login_required(view)
    page.login_required = True
    return page


urlpatterns = [
    path("v1/", include(_public(list(router.urls)))),
    re_path(r"^v1/(?:.*)$", NotFoundView.as_view(), name="not-found"),
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", _signed_in(DocsView.as_view()), name="docs"),
]

app_name = "api"
