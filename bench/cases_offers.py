"""The offers list at 500 offers (a page of 50 with each job's hires and each band's verdict)."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.main import Case, Context

OFFERS = 500


def _ensure_offers() -> int:
    from hiring.models import Application, Offer

    missing = OFFERS - Offer.objects.count()
    if missing > 0:
        today = timezone.localdate()
        taken = Offer.objects.values("application_id")
        applications = Application.objects.exclude(pk__in=taken).order_by("pk")[:missing]
        Offer.objects.bulk_create(
            Offer(
                application=application,
                base_salary=80_000 + (application.pk % 90) * 1_000,
                currency="EUR",
                start_date=today + datetime.timedelta(days=40),
                expires_on=today + datetime.timedelta(days=10),
                band_currency="EUR",
                band_min=90_000,
                band_median=110_000,
                band_max=130_000,
                out_of_band=not 90_000 <= 80_000 + (application.pk % 90) * 1_000 <= 130_000,
            )
            for application in applications
        )
    return Offer.objects.count()


def cases(ctx: Context) -> list[Case]:
    from hiring.models import User

    recruiter = User.objects.get(email="recruiter@demo.test")
    offers = _ensure_offers()
    client = Client()
    client.force_login(recruiter)

    def get(url: str):
        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    extra = {"offers": offers}
    return [
        Case("offers_list", get(reverse("hiring:offer-list")), extra=extra),
        Case("offers_list_pending_page_2", get(reverse("hiring:offer-list") + "?status=draft&page=2"), extra=extra),
    ]
