"""The application page (the one with the most scorecards, as a recruiter) and a hiring manager's home."""

from django.db.models import Count
from django.test import Client
from django.urls import reverse

from bench.main import Case, Context


def cases(ctx: Context) -> list[Case]:
    from hiring.models import Application, User

    recruiter, manager = (User.objects.get(email=email) for email in ("recruiter@demo.test", "manager@demo.test"))
    application = (
        Application.objects.annotate(
            cards=Count("interviews__scorecards"), changes=Count("stage_changes", distinct=True)
        )
        .order_by("-cards", "-changes", "pk")
        .first()
    )
    as_recruiter, as_manager = Client(), Client()
    as_recruiter.force_login(recruiter)
    as_manager.force_login(manager)

    def get(client: Client, url: str):
        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    extra = {"scorecards": application.cards} if application else {}
    found = []
    if application is not None:
        url = reverse("hiring:application-detail", args=[application.pk])
        found.append(Case("application_page", get(as_recruiter, url), extra=extra))
    found.append(Case("manager_home_needs_decision", get(as_manager, reverse("home"))))
    return found
