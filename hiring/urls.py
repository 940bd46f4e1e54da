from django.urls import path

from . import views

app_name = "hiring"

urlpatterns = [
    path("jobs/", views.job_list, name="job-list"),
]
