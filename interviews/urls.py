from django.urls import path

from .views import scorecards

app_name = "interviews"

urlpatterns = [
    path("mine/", scorecards.my_interviews, name="my-interviews"),
]
