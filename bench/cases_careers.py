"""The careers site at 200 published postings: the list, a posting page, and the apply POST."""

import itertools
import time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bench.main import Case, Context

POSTINGS = 200


def _ensure_postings(recruiter) -> None:
    """Top the demo's published postings up to POSTINGS (each needs a job of its own)."""
    from hiring.models import Job, Posting

    missing = POSTINGS - Posting.objects.filter(status=Posting.Status.PUBLISHED).count()
    if missing <= 0:
        return
    template_id = Job.objects.filter(created_by=recruiter).values_list("template_id", flat=True).first()
    now = timezone.now()
    jobs = Job.objects.bulk_create(
        Job(template_id=template_id, title=f"Bench role {i}", department=f"Team {i % 7}", location=f"City {i % 11}")
        for i in range(missing)
    )
    Posting.objects.bulk_create(
        Posting(
            job=job,
            slug=f"bench-role-{job.pk}",
            title=job.title,
            team=job.department,
            location=job.location,
            summary="A role for the benchmark.",
            responsibilities="Build\nShip",
            requirements="Python",
            status=Posting.Status.PUBLISHED,
            published_at=now,
        )
        for job in jobs
    )


def cases(ctx: Context) -> list[Case]:
    from hiring.demo import BIG_JOB
    from hiring.forms.careers import form_token
    from hiring.models import Posting, User

    recruiter = User.objects.get(email="recruiter@demo.test")
    _ensure_postings(recruiter)
    posting = Posting.objects.select_related("job").get(job__title=BIG_JOB, job__created_by=recruiter)
    questions = list(posting.questions.values_list("pk", flat=True))
    client = Client()
    counter = itertools.count()

    def get(url: str):
        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    def apply() -> None:
        # A new applicant from a new address each time (the rate limits count per IP and email).
        n = next(counter)
        data = {
            "first_name": "Bench",
            "last_name": f"Applicant {n}",
            "email": f"bench.{n}.{time.monotonic_ns()}@careers.example",
            "consent": "on",
            "form_token": form_token(posting.pk, started=time.time() - 60),
            "resume": SimpleUploadedFile("cv.txt", b"Machine learning engineer.\n", content_type="text/plain"),
            **{f"question_{pk}": "yes" for pk in questions},
        }
        response = client.post(
            reverse("careers:apply", args=[posting.slug]),
            data,
            REMOTE_ADDR=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
        )
        assert response.status_code == 302, response.status_code

    extra = {"postings": Posting.objects.filter(status=Posting.Status.PUBLISHED).count()}
    return [
        Case("careers_index", get(reverse("careers:index")), extra=extra),
        Case("careers_index_filtered", get(reverse("careers:index") + "?team=Team+3&page=2"), extra=extra),
        Case("careers_posting", get(reverse("careers:posting", args=[posting.slug])), extra=extra),
        # Bench runs tasks eagerly: the figure includes the résumé-text and email tasks a worker would run.
        Case("careers_apply_post", apply, extra={**extra, "with_eager_tasks": True}),
    ]
