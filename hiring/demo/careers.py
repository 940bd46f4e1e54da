"""Demo data of the careers site: a published posting per demo job, three applications from the form."""

CAREERS_SOURCES = ["LinkedIn", "Careers page", "Meetup"]


def seed(*, rng, candidates: int, users: dict, stdout) -> None:
    """Publish a posting for each demo job (pay shown on one); three people of the talent pool apply.

    The applicants are demo candidates already on file (so the demo's candidate count stays
    what ``--candidates`` says), which also shows the duplicate-review flag. Idempotent: jobs
    that have a posting are left alone.
    """
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hiring.models import Candidate, Job, Posting
    from hiring.services import careers

    from .pipeline import BIG_JOB, DEMO_JOBS

    created = 0
    for title, _department, _location, _headcount in DEMO_JOBS:
        job = Job.objects.filter(title=title, created_by=users["recruiter@demo.test"]).first()
        if job is None or Posting.objects.filter(job=job).exists():
            continue
        posting = careers.posting_create(job=job)
        remote = posting.workplace == Posting.Workplace.REMOTE
        careers.posting_update(
            posting=posting,
            remote_regions="European Union" if remote else "",
            country="" if remote else "NL",
            show_pay=title == BIG_JOB and posting.pay_min is not None and posting.pay_max is not None,
        )
        posting = careers.posting_publish(posting=posting)
        created += 1
        if title != BIG_JOB:
            continue
        questions = list(posting.questions.all())
        pool = Candidate.objects.exclude(applications__job=job).exclude(email="").order_by("id")[: len(CAREERS_SOURCES)]
        for i, (person, source) in enumerate(zip(pool, CAREERS_SOURCES, strict=False)):
            resume = SimpleUploadedFile(
                f"{person.first_name}-{person.last_name}.txt".lower(),
                f"{person.full_name}\nMachine learning engineer: PyTorch, Kubernetes, feature stores.\n".encode(),
                content_type="text/plain",
            )
            careers.careers_apply(
                posting=posting,
                questions=questions,
                applicant=careers.Applicant(
                    first_name=person.first_name, last_name=person.last_name, email=person.email
                ),
                answers={q.pk: "no" if (i == 2 and q.must_have) else "yes" for q in questions},
                resume=resume,
                origin=careers.Origin(source=source),
                consent_version=settings.PRIVACY_NOTICE_VERSION,
            )
    stdout.write(f"  careers site: {created} postings published")
