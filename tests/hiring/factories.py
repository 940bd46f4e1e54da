import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from factory.django import DjangoModelFactory

from hiring import groups
from hiring.models import (
    Application,
    Candidate,
    EmailTemplate,
    HiringTeamMember,
    Job,
    Note,
    Posting,
    RejectionReason,
    Resume,
    Stage,
    Tag,
    User,
)
from tests.roles.factories import PublishedTemplateFactory

DEFAULT_PASSWORD = "correct-horse-battery-staple"


def _role(default: str | None):
    """A post-generation hook putting the user in a role group (``role=`` overrides it)."""

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        name = extracted or default
        if create and name:
            group, _ = Group.objects.get_or_create(name=name)
            self.groups.add(group)
            if name == groups.ADMIN:
                self.is_staff = self.is_superuser = True
        if create:
            self.save()

    return role


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.test")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    role = _role(None)


class AdminFactory(UserFactory):
    role = _role(groups.ADMIN)


class RecruiterFactory(UserFactory):
    role = _role(groups.RECRUITER)


class HiringManagerFactory(UserFactory):
    role = _role(groups.HIRING_MANAGER)


class InterviewerFactory(UserFactory):
    role = _role(groups.INTERVIEWER)


class JobFactory(DjangoModelFactory):
    class Meta:
        model = Job

    template = factory.SubFactory(PublishedTemplateFactory)
    title = factory.LazyAttribute(lambda job: job.template.title)
    department = "Machine Learning"
    location = "Remote"
    status = Job.Status.OPEN


class StageFactory(DjangoModelFactory):
    class Meta:
        model = Stage

    job = factory.SubFactory(JobFactory)
    name = factory.Sequence(lambda n: f"Stage {n}")
    order = factory.Sequence(lambda n: n)


class HiringTeamMemberFactory(DjangoModelFactory):
    class Meta:
        model = HiringTeamMember

    job = factory.SubFactory(JobFactory)
    user = factory.SubFactory(InterviewerFactory)
    role = HiringTeamMember.Role.INTERVIEWER


class CandidateFactory(DjangoModelFactory):
    class Meta:
        model = Candidate

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.Sequence(lambda n: f"candidate{n}@example.test")
    phone = factory.Sequence(lambda n: f"+1555{n:07d}")
    location = factory.Faker("city")
    source = "Referral"


class ApplicationFactory(DjangoModelFactory):
    class Meta:
        model = Application

    candidate = factory.SubFactory(CandidateFactory)
    job = factory.SubFactory(JobFactory)
    stage = factory.LazyAttribute(lambda app: app.job.stages.first() or StageFactory(job=app.job, name="Applied"))
    stage_entered_at = factory.LazyFunction(timezone.now)


# Candidates area (résumés, notes, tags)


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"tag-{n}")


class NoteFactory(DjangoModelFactory):
    class Meta:
        model = Note

    candidate = factory.SubFactory(CandidateFactory)
    author = factory.SubFactory(RecruiterFactory)
    body = "Strong **Python**; ask about evaluation pipelines."


class ResumeFactory(DjangoModelFactory):
    class Meta:
        model = Resume

    candidate = factory.SubFactory(CandidateFactory)
    file = factory.django.FileField(filename="resume.txt", data=b"Machine learning engineer. PyTorch, Kubernetes.")
    original_name = "resume.txt"
    content_type = "text/plain"
    size = 48
    text = "Machine learning engineer. PyTorch, Kubernetes."
    status = Resume.Status.DONE


class RejectionReasonFactory(DjangoModelFactory):
    class Meta:
        model = RejectionReason
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Reason {n}")


class EmailTemplateFactory(DjangoModelFactory):
    class Meta:
        model = EmailTemplate
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Rejection email {n}")
    subject = "Your application for {{ job_title }}"
    body = "Dear {{ candidate_name }},\n\nThank you for applying to {{ job_title }}. We will not continue.\n"


def job_with_stages(*, team=(), **kwargs) -> Job:
    """A job opened through the service: default stages, team and interview plan."""
    from hiring.services import job_create

    template = kwargs.pop("template", None) or PublishedTemplateFactory()
    kwargs.setdefault("title", template.title)
    return job_create(template=template, created_by=kwargs.pop("created_by", None), team=team, **kwargs)


def scorecard_for(*, application, interviewer, status="draft", ended_hours_ago: float = 1):
    """An interview of the application (on its job's first plan step) that ended that long ago, with a scorecard.

    The scorecard is made (and, for ``status="submitted"``, filled and submitted) by the scorecard services.
    """
    from datetime import timedelta

    from interviews.models import Interview, InterviewStep
    from interviews.services import scorecards_create_for
    from tests.interviews.factories import scorecard_submitted

    if status not in ("draft", "submitted"):
        raise ValueError(f"A scorecard starts as a draft or is submitted, not {status!r}.")
    step = InterviewStep.objects.filter(plan__job=application.job).first()
    ends = timezone.now() - timedelta(hours=ended_hours_ago)
    interview = Interview.objects.create(
        application=application, step=step, starts_at=ends - timedelta(hours=1), ends_at=ends
    )
    interview.interviewers.add(interviewer)
    card = scorecards_create_for(interview=interview, interviewers=[interviewer])[0]
    return scorecard_submitted(card) if status == "submitted" else card


# Careers site


def careers_template(**kwargs):
    """A published template with responsibilities, two must-have requirements, a nice-to-have and a pay band."""
    from roles.models import CompensationBand, Requirement, Responsibility

    template = PublishedTemplateFactory(**kwargs)
    Responsibility.objects.create(
        template=template, area="Architecture", items=["Design the ML platform", "Review model launches"], order=0
    )
    Requirement.objects.create(
        template=template, kind="experience", text="Building machine learning systems", min_years=5, order=0
    )
    Requirement.objects.create(template=template, kind="skill", text="Python and PyTorch in production", order=1)
    Requirement.objects.create(template=template, kind="skill", text="Kubernetes", required=False, order=2)
    CompensationBand.objects.create(template=template, currency="EUR", min=110_000, median=130_000, max=150_000)
    return template


def published_posting(*, title: str = "Staff Machine Learning Architect", **job_fields):
    """A job opened through the service, its posting drafted from the template and published."""
    from hiring.services.careers import posting_create, posting_publish

    job = job_with_stages(template=careers_template(), title=title, **job_fields)
    posting = posting_create(job=job)
    return posting_publish(posting=posting)


class PostingFactory(DjangoModelFactory):
    """A bare published posting (no questions), for lists and budgets."""

    class Meta:
        model = Posting

    job = factory.SubFactory(JobFactory)
    slug = factory.Sequence(lambda n: f"posting-{n}")
    title = factory.Sequence(lambda n: f"Engineer {n}")
    team = "Machine Learning"
    location = "Berlin"
    country = "DE"
    summary = "Build the systems our models run on."
    responsibilities = "Design systems\nShip them"
    requirements = "Python\nDistributed systems"
    status = Posting.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


def band_for(job, *, currency="EUR", minimum=90_000, median=110_000, maximum=130_000):
    """The pay band of the job's role template (as the role document's salary figures import it)."""
    from roles.models import CompensationBand

    band, _ = CompensationBand.objects.update_or_create(
        template=job.template, defaults={"currency": currency, "min": minimum, "median": median, "max": maximum}
    )
    return band


class OfferLetterTemplateFactory(DjangoModelFactory):
    class Meta:
        model = "hiring.OfferLetterTemplate"

    name = factory.Sequence(lambda n: f"Letter {n}")
    body = (
        "# Offer\n\nDear {{ first_name }},\n\nWe offer you **{{ job_title }}** at {{ currency }} {{ base_salary }}.\n"
    )


def offer_terms(**overrides):
    """Valid offer fields, a month from now."""
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    terms = {
        "base_salary": 115_000,
        "currency": "EUR",
        "start_date": today + datetime.timedelta(days=45),
        "expires_on": today + datetime.timedelta(days=10),
        "bonus": "10% target",
        "equity": "",
        "letter_template": None,
    }
    terms.update(overrides)
    return terms
