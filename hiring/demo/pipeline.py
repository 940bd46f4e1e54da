"""Demo jobs, candidates and their way through the pipeline (a part of ``hiring.demo.seed``)."""

import datetime

from django.db import connection, transaction
from django.utils import timezone

from hiring import services
from hiring.models import (
    Application,
    Candidate,
    EmailTemplate,
    HiringTeamMember,
    Job,
    Note,
    OfferLetterTemplate,
    RejectionReason,
    StageChange,
    Tag,
)
from roles.models import Competency, RoleTemplate

from .bulk import fresh_tables, insert_rows

# --- Jobs, candidates and the pipeline (``seed`` is a step of ``seed_demo``) -----------------

BIG_JOB = "Staff Machine Learning Architect"
DEMO_JOBS = [
    # title, department, location, headcount
    (BIG_JOB, "ML Platform", "Berlin or remote (EU)", 2),
    ("Senior Machine Learning Engineer", "Applied ML", "Remote (EU)", 3),
    ("ML Infrastructure Lead", "ML Platform", "Amsterdam", 1),
]
SOURCES = ["LinkedIn", "Referral", "Careers page", "Agency", "Conference", "GitHub", "Meetup"]
TAGS = ["python", "pytorch", "distributed-systems", "mlops", "leadership", "research", "relocation", "silver-medalist"]
FIRST_NAMES = (  # noqa: SIM905 - a word list reads better as text
    "Ana Ben Chloe Dmitri Elif Farah Goran Hana Ibrahim Jonas Keiko Lars Mei Nadia Omar Priya Quentin "
    "Rosa Sven Tariq Uma Viktor Wen Ximena Yusuf Zara Amara Bruno Carmen Diego Emil Freya Gita Hugo Ines "
    "Jamal Kaja Luca Marta Nils Olga Pavel Rania Sofia Tomas Ulla Vera Wiktor Yara"
).split()
LAST_NAMES = (  # noqa: SIM905 - a word list reads better as text
    "Abbott Bauer Castillo Dubois Eriksen Fischer Garcia Haddad Ito Jensen Kowalski Larsen Moreau "
    "Nakamura Okafor Petrov Quinn Rossi Schmidt Tanaka Uddin Vogel Wagner Xu Yilmaz Zimmermann Almeida "
    "Brandt Costa Dahl Engel Ferrari Gruber Horvat Ivanova Janssen Keller Lindqvist Novak Olsen Popescu "
    "Rahman Santos Torres Varga Weber"
).split()
CITIES = ["Berlin", "Amsterdam", "Lisbon", "Warsaw", "Madrid", "Stockholm", "Remote", "Paris", "Prague", "Vienna"]
REJECTION_REASONS = [
    "Not enough depth in ML systems design",
    "Experience below the level of the role",
    "Chose another candidate",
    "Candidate withdrew interest",
    "Compensation expectations do not match",
    "Location or work permit",
]
NOTE_TEXTS = [
    "Strong background in **distributed training**; ask about the feature store migration.",
    "Prefers remote; open to quarterly visits to Berlin.",
    "Referred by the platform team. Led an MLOps rebuild at a previous company.",
    "Notice period of three months.",
    "Good conversation about model monitoring and drift; follow up on on-call experience.",
]
# Active applications spread over the stages before "Hired": early stages hold the most.
ACTIVE_STAGE_WEIGHTS = [40, 25, 15, 12, 8]


def _published_template(stdout):
    """The published template the demo jobs come from; a minimal one only when none exists."""

    template = (
        RoleTemplate.objects.published().filter(title=BIG_JOB).order_by("-version").first()
        or RoleTemplate.objects.published().order_by("-version").first()
    )
    if template is not None:
        return template

    template = RoleTemplate.objects.create(
        title=BIG_JOB,
        slug="staff-machine-learning-architect",
        version=1,
        status=RoleTemplate.Status.PUBLISHED,
        published_at=timezone.now(),
        summary="Shapes and leads the machine learning systems of the organisation.",
    )
    for order, (category, name) in enumerate(
        [
            ("technical", "Architectural design"),
            ("technical", "Model lifecycle management"),
            ("domain", "Technology evaluation"),
            ("leadership", "Strategic leadership"),
            ("soft_skill", "Cross-functional collaboration"),
        ]
    ):
        Competency.objects.create(template=template, category=category, name=name, order=order)
    stdout.write("  no published role template found: created a minimal one for the demo jobs")
    return template


def _lookups():

    reasons = [
        RejectionReason.objects.get_or_create(name=name, defaults={"order": order})[0]
        for order, name in enumerate(REJECTION_REASONS)
    ]
    EmailTemplate.objects.get_or_create(
        name="Polite rejection",
        defaults={
            "subject": "Your application for {{ job_title }}",
            "body": (
                "Dear {{ candidate_name }},\n\nThank you for the time you gave us while applying for the "
                "{{ job_title }} position. We have decided not to continue with your application this time.\n\n"
                "We wish you all the best,\nThe hiring team"
            ),
        },
    )
    EmailTemplate.objects.get_or_create(
        name="Interview confirmation",
        defaults={
            "kind": EmailTemplate.Kind.OTHER,
            "subject": "Your interview for {{ job_title }}",
            "body": (
                "Hi {{ first_name }},\n\nThis confirms your interview for the {{ job_title }} role on "
                "{{ interview_time }}. Reply to this email if the time does not suit you.\n\n"
                "Best regards,\n{{ recruiter_name }}"
            ),
        },
    )
    OfferLetterTemplate.objects.get_or_create(
        name="Standard offer",
        defaults={
            "body": (
                "# Offer of employment\n\nDear {{ first_name }},\n\nWe are pleased to offer you the role of "
                "**{{ job_title }}**, starting on {{ start_date }}.\n\n- Base salary: {{ currency }} {{ base_salary }} "
                "a year\n- Bonus: {{ bonus }}\n- Equity: {{ equity }}\n\nPlease let us know your answer by "
                "{{ expires_on }}.\n\nWith best wishes,\n\n{{ signer_name }}"
            )
        },
    )

    tags = [Tag.objects.get_or_create(name=name)[0] for name in TAGS]
    return reasons, tags


def seed(*, rng, candidates: int, users: dict, stdout) -> None:
    """Three jobs from the published template, ``candidates`` people and their applications.

    The big job gets ``candidates // 10`` active applications (the benchmark's board). Running
    it again changes nothing: the step stops when the demo jobs exist.
    """

    reasons, tags = _lookups()
    recruiter = users["recruiter@demo.test"]
    if Job.objects.filter(title=BIG_JOB, created_by=recruiter).exists():
        stdout.write("  demo jobs exist already: nothing to do")
        return
    template = _published_template(stdout)
    team = [
        (recruiter, HiringTeamMember.Role.RECRUITER),
        (users["manager@demo.test"], HiringTeamMember.Role.HIRING_MANAGER),
    ]
    team += [
        (users[email], HiringTeamMember.Role.INTERVIEWER)
        for email in ("interviewer@demo.test", "interviewer2@demo.test", "interviewer3@demo.test")
    ]
    now = timezone.now()
    with transaction.atomic():
        jobs = [
            services.job_create(
                template=template,
                title=title,
                department=department,
                location=location,
                headcount=headcount,
                target_date=(now + datetime.timedelta(days=60 + 30 * i)).date(),
                created_by=recruiter,
                team=team,
            )
            for i, (title, department, location, headcount) in enumerate(DEMO_JOBS)
        ]
        stages = {job.pk: list(job.stages.order_by("order").values_list("pk", flat=True)) for job in jobs}
        # Plain tuples written by ``bulk.insert_rows`` (COPY on PostgreSQL). The random draws are
        # the same, in the same order, as when these rows were model instances: same data per seed.
        with fresh_tables(Candidate, Application, StageChange, Candidate.tags.through, Note):
            person_ids, joined = _candidates(rng, candidates, now=now)
            plans = _applications(rng, person_ids, jobs, stages, reasons, now=now, small=candidates <= 2000)
            changes = _history(plans, actor=recruiter)
            tagged = _tags(rng, person_ids, tags)
            notes = _notes(rng, person_ids, joined, author=recruiter)

    _analyze()
    stdout.write(
        f"  {len(jobs)} jobs, {len(person_ids)} candidates, {len(plans)} applications, {changes} stage "
        f"changes, {tagged} tags, {notes} notes"
    )


def _candidates(rng, count: int, *, now: datetime.datetime) -> tuple[list[int], list[datetime.datetime]]:
    """``count`` people; returns their ids and when each joined, in order."""
    people, joined = [], []
    for i in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        created = now - datetime.timedelta(days=rng.uniform(0, 365))
        location, source = rng.choice(CITIES), rng.choice(SOURCES)
        people.append(
            (
                first,
                last,
                f"{first}.{last}.{i}@example.net".lower(),
                f"+49 30 {i:07d}",
                location,
                source,
                [f"https://www.linkedin.com/in/{first}-{last}-{i}".lower()] if i % 3 == 0 else [],
                created,
                created,
            )
        )
        joined.append(created)
    columns = ("first_name", "last_name", "email", "phone", "location", "source", "links", "consent_at", "created_at")
    return insert_rows(Candidate, columns, people), joined


def _applications(rng, person_ids: list[int], jobs: list, stages: dict, reasons: list, *, now, small: bool) -> list:
    """Half the people apply: one in ten to the big job as an active application, the others to
    a job each, mostly closed. Returns, per application written, what its history needs:
    (id, the job's stage ids, index of its stage, status, rejection reason, entered, applied)."""
    applications, plans = [], []
    for i, person_id in enumerate(person_ids):
        slot = i % 10
        if slot in (0, 1, 2):
            job = jobs[0]
            status = "active" if slot == 0 or (slot == 2 and small) else rng.choice(["rejected"] * 4 + ["withdrawn"])
        elif slot in (3, 4):
            job = jobs[1 + slot - 3]
            status = "active" if slot == 3 or rng.random() < 0.5 else "rejected"
        else:
            continue  # the rest are in the talent pool, with no application yet
        job_stages = stages[job.pk]
        if status != "active" and rng.random() < 0.01:
            status = "hired"  # a few past hires, taken from the inactive share so active counts stay exact
        if status == "active":
            index = rng.choices(range(len(ACTIVE_STAGE_WEIGHTS)), ACTIVE_STAGE_WEIGHTS)[0]
        elif status == "hired":
            index = len(job_stages) - 1
        else:
            index = rng.choices(range(4), [50, 30, 15, 5])[0]
        entered = now - datetime.timedelta(days=rng.uniform(0, 40), hours=rng.uniform(0, 23))
        applied = entered - datetime.timedelta(days=index * rng.uniform(2, 8))
        reason = rng.choice(reasons) if status == "rejected" else None
        version = index + 1 + (status != "active")
        applications.append(
            (person_id, job.pk, job_stages[index], status, reason and reason.pk, entered, applied, version)
        )
        plans.append((job_stages, index, status, reason.name if reason else "", entered, applied))
    columns = (
        "candidate_id",
        "job_id",
        "stage_id",
        "status",
        "rejection_reason_id",
        "stage_entered_at",
        "applied_at",
        "version",
    )
    ids = insert_rows(Application, columns, applications)
    return [(pk, *plan) for pk, plan in zip(ids, plans, strict=True)]


def _history(plans: list, *, actor) -> int:
    """The stage changes that led each application to its stage, and the one that closed it."""
    changes = []
    for application_id, job_stages, index, status, reason, entered, applied in plans:
        span = (entered - applied) / max(index, 1)
        for step in range(index):
            when = applied + span * (step + 1)
            changes.append(
                (application_id, job_stages[step], job_stages[step + 1], "active", "active", actor.pk, "", when)
            )
        if status != "active":
            when = entered + datetime.timedelta(hours=2)
            stage = job_stages[index]
            changes.append((application_id, stage, stage, "active", status, actor.pk, reason, when))
    columns = (
        "application_id",
        "from_stage_id",
        "to_stage_id",
        "from_status",
        "to_status",
        "actor_id",
        "reason",
        "created_at",
    )
    insert_rows(StageChange, columns, changes, pks=False)
    return len(changes)


def _tags(rng, person_ids: list[int], tags: list) -> int:
    """A quarter of the people get one or two tags."""
    tagged = []
    for person_id in person_ids:
        if rng.random() < 0.25:
            for tag in rng.sample(tags, rng.choice([1, 1, 2])):
                tagged.append((person_id, tag.pk))
    insert_rows(Candidate.tags.through, ("candidate_id", "tag_id"), tagged, pks=False)
    return len(tagged)


def _notes(rng, person_ids: list[int], joined: list, *, author) -> int:
    """A note on one person in ten, written the day after they joined."""
    notes = [
        (person_id, author.pk, rng.choice(NOTE_TEXTS), created + datetime.timedelta(days=1))
        for person_id, created in zip(person_ids, joined, strict=True)
        if rng.random() < 0.1
    ]
    insert_rows(Note, ("candidate_id", "author_id", "body", "created_at"), notes, pks=False)
    return len(notes)


def _analyze() -> None:
    """Refresh PostgreSQL's planner statistics after a bulk load (autovacuum would, later)."""

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE hiring_candidate, hiring_application, hiring_stagechange, hiring_note, hiring_candidate_tags"
            )
