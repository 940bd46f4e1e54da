"""The public careers site, mounted at /careers/ (no login)."""

from django.urls import path

from .views import careers

app_name = "careers"

urlpatterns = [
    path("", careers.careers_index, name="index"),
    path("privacy/", careers.privacy_notice, name="privacy"),
    path("status/<str:token>/", careers.application_status, name="status"),
    path("<slug:slug>/", careers.posting_detail, name="posting"),
    path("<slug:slug>/apply/", careers.posting_apply, name="apply"),
    path("<slug:slug>/applied/", careers.posting_applied, name="applied"),
]
