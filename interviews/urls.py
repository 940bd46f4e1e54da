from django.urls import path

from . import views

app_name = "interviews"

urlpatterns = [
    path("mine/", views.my_interviews, name="my-interviews"),
]
