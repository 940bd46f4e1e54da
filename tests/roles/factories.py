import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from roles.models import Competency, RatingAnchor, RoleTemplate


class RoleTemplateFactory(DjangoModelFactory):
    class Meta:
        model = RoleTemplate

    title = "Staff Machine Learning Architect"
    slug = factory.Sequence(lambda n: f"staff-ml-architect-{n}")
    version = 1
    status = RoleTemplate.Status.DRAFT
    summary = "Designs and leads machine learning systems."


class PublishedTemplateFactory(RoleTemplateFactory):
    status = RoleTemplate.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class CompetencyFactory(DjangoModelFactory):
    class Meta:
        model = Competency

    template = factory.SubFactory(RoleTemplateFactory)
    category = Competency.Category.TECHNICAL
    name = factory.Sequence(lambda n: f"Competency {n}")
    description = "Builds things that work."
    order = factory.Sequence(lambda n: n)


class RatingAnchorFactory(DjangoModelFactory):
    class Meta:
        model = RatingAnchor

    competency = factory.SubFactory(CompetencyFactory)
    level = 1
    description = "What this level looks like."


ANCHOR_TEXTS = {
    1: "Shows little of this; needs close guidance.",
    2: "Shows some of this with help; gaps remain.",
    3: "Shows this reliably on their own.",
    4: "Shows this at a level others learn from.",
}
CATEGORY_CYCLE = [
    Competency.Category.TECHNICAL,
    Competency.Category.LEADERSHIP,
    Competency.Category.SOFT_SKILL,
    Competency.Category.DOMAIN,
]


class PublishedTemplateWithCompetenciesFactory(PublishedTemplateFactory):
    """``PublishedTemplateWithCompetenciesFactory(competencies=12)``: published, N competencies x 4 anchors."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def competencies(self, create, extracted, **kwargs):
        if not create:
            return
        count = 12 if extracted is None else int(extracted)
        created = Competency.objects.bulk_create(
            [
                Competency(
                    template=self,
                    category=CATEGORY_CYCLE[i % len(CATEGORY_CYCLE)],
                    name=f"Competency {i + 1}",
                    description=f"What competency {i + 1} covers.",
                    order=i + 1,
                )
                for i in range(count)
            ]
        )
        RatingAnchor.objects.bulk_create(
            [
                RatingAnchor(competency=c, level=level, description=text)
                for c in created
                for level, text in ANCHOR_TEXTS.items()
            ]
        )


def make_published_template(competencies: int = 12, **template_fields) -> RoleTemplate:
    """A published template with N competencies (categories in turn), each with its 4 anchors.

    Extra keyword arguments go to the template (``title=...``, ``slug=...``).
    """
    return PublishedTemplateWithCompetenciesFactory(competencies=competencies, **template_fields)
