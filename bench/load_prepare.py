"""Targets for the load test, from the seeded database: jobs, candidates, search terms, scorecards.

Run by ``bench/load`` with the load test's own settings; writes one JSON file. Every draft
scorecard is given to one simulated interviewer only (autosave or submit), so the load test
measures the server, not conflicts between its own users.
"""

import json
import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
INTERVIEWERS = ("interviewer@demo.test", "interviewer2@demo.test", "interviewer3@demo.test")
DRAFTS_PER_INTERVIEWER = 100


def scorecard_target(card) -> dict:
    ratings = list(card.ratings.order_by("pk").values_list("pk", flat=True))
    return {"id": card.pk, "version": card.version, "ratings": ratings, "email": card.interviewer.email}


def main(out: str) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from hiring.demo import BIG_JOB
    from hiring.models import Application, Candidate, Job, User
    from interviews.models import InterviewStep, Scorecard
    from interviews.services import interview_schedule

    job = Job.objects.filter(title=BIG_JOB).order_by("pk").first()
    steps = list(InterviewStep.objects.filter(plan__job=job, focus__isnull=False).distinct().order_by("pk")[:1])
    people = {email: User.objects.get(email=email) for email in INTERVIEWERS}
    busy = set(Scorecard.objects.values_list("interview__application_id", flat=True))
    applications = list(
        Application.objects.filter(job=job, status=Application.Status.ACTIVE)
        .exclude(pk__in=busy)
        .order_by("pk")[: DRAFTS_PER_INTERVIEWER * len(INTERVIEWERS)]
    )
    start = timezone.now() - timedelta(days=1)
    with transaction.atomic():
        for index, application in enumerate(applications):
            person = people[INTERVIEWERS[index % len(INTERVIEWERS)]]
            interview_schedule(
                application=application,
                step=steps[0],
                starts_at=start,
                ends_at=start + timedelta(hours=1),
                interviewers=[person],
                location="Load test room",
            )
    drafts = (
        Scorecard.objects.filter(interviewer__email__in=INTERVIEWERS, status=Scorecard.Status.DRAFT)
        .select_related("interviewer")
        .exclude(ratings__isnull=True)
        .distinct()
        .order_by("pk")
    )
    candidates = list(Candidate.objects.order_by("pk").values_list("pk", flat=True)[:2000])
    names = sorted({name[:4] for name in Candidate.objects.values_list("first_name", flat=True)[:200] if name})
    # One signed-in session per person, made here: fifty people typing a password at once would
    # measure the password hasher (deliberately slow), not the pages.
    sessions = {}
    for email in ("recruiter@demo.test", *INTERVIEWERS):
        client = Client()
        client.force_login(User.objects.get(email=email))
        sessions[email] = client.cookies[settings.SESSION_COOKIE_NAME].value
    targets = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "sessions": sessions,
        "recruiter": "recruiter@demo.test",
        "boards": list(Job.objects.filter(status=Job.Status.OPEN).order_by("pk").values_list("pk", flat=True)),
        "candidates": candidates,
        "searches": [*names[:20], "kubernetes", "python", "berlin"],
        "scorecards": [scorecard_target(card) for card in drafts],
    }
    Path(out).write_text(json.dumps(targets))
    print(f"{len(targets['scorecards'])} draft scorecards, {len(candidates)} candidates, {len(targets['boards'])} jobs")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    raise SystemExit(main(sys.argv[1]))
