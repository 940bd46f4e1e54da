"""Demo step: plain-text résumés for some demo candidates, so search by résumé text finds something.

Runs after ``hiring.demo.seed`` (which creates the candidates). The same candidates (the
first ones by id) get a résumé each time, and only if they have none: running the step
again changes nothing. At most ``MAX_RESUMES`` files are written, so it stays quick.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import Exists, OuterRef

from hiring.models import Candidate, Resume

MAX_RESUMES = 200

SKILLS = [
    "Python",
    "PyTorch",
    "TensorFlow",
    "Kubernetes",
    "Spark",
    "feature stores",
    "model monitoring",
    "MLOps",
    "Java",
    "C++",
    "Airflow",
    "vector search",
    "recommendation systems",
    "time-series forecasting",
    "data pipelines",
    "A/B testing",
]
ROLES = ["ML engineer", "Data scientist", "Platform engineer", "Research engineer", "Analytics lead"]
EMPLOYERS = ["Northwind Labs", "Acme Analytics", "Globex Cloud", "Initech AI", "Umbrella Data", "Hooli Search"]


def resume_body(*, candidate: Candidate, rng) -> str:
    skills = rng.sample(SKILLS, 5)
    years = rng.randint(3, 15)
    role, previous = rng.sample(ROLES, 2)
    first, second = rng.sample(EMPLOYERS, 2)
    return "\n".join(
        [
            candidate.full_name,
            f"{role} with {years} years of experience.",
            "",
            "Experience",
            f"{role}, {first}: built and ran production systems with {skills[0]} and {skills[1]}.",
            f"{previous}, {second}: owned {skills[2]} end to end; introduced {skills[3]}.",
            "",
            "Skills",
            ", ".join(skills),
        ]
    )


def seed(*, rng, candidates: int, users: dict, stdout) -> None:
    """Give the first few demo candidates (about one in ten, at most 200) a TXT résumé."""
    wanted = min(MAX_RESUMES, max(5, candidates // 10))
    targets = list(
        Candidate.objects.order_by("id")
        .annotate(has_resume=Exists(Resume.objects.filter(candidate=OuterRef("pk"))))
        .only("id", "first_name", "last_name")[:wanted]
    )
    missing = [candidate for candidate in targets if not candidate.has_resume]
    uploader = users.get("recruiter@demo.test")
    resumes, updated = [], []
    for candidate in missing:
        text = resume_body(candidate=candidate, rng=rng)
        data = text.encode()
        name = default_storage.save(f"resumes/{candidate.pk}/demo-resume.txt", ContentFile(data))
        resumes.append(
            Resume(
                candidate=candidate,
                file=name,
                original_name="resume.txt",
                content_type="text/plain",
                size=len(data),
                text=text,
                status=Resume.Status.DONE,
                uploaded_by=uploader,
            )
        )
        candidate.resume_text = text
        updated.append(candidate)
    Resume.objects.bulk_create(resumes, batch_size=500)
    Candidate.objects.bulk_update(updated, ["resume_text"], batch_size=500)
    if connection.vendor == "postgresql":
        # Fresh statistics after the bulk loads of the demo steps, so the planner picks the indexes.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    stdout.write(f"  demo résumés: {len(resumes)} added ({len(targets) - len(missing)} already there)")
