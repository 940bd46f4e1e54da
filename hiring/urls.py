from django.urls import path

from .views import jobs

app_name = "hiring"

urlpatterns = [
    path("jobs/", jobs.job_list, name="job-list"),
]
