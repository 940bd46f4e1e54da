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
