from django.urls import path

from .views import scorecards, summaries

app_name = "interviews"

urlpatterns = [
    path("mine/", scorecards.my_interviews, name="my-interviews"),
    path("applications/<int:application_id>/summary/", summaries.application_summary, name="application-summary"),
    path("applications/<int:application_id>/debrief/", summaries.debrief, name="debrief"),
    path("jobs/<int:job_id>/digest/", summaries.job_digest, name="job-digest"),
]
