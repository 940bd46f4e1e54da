"""Template tags of hiring's pages.

``{% application_panels application %}`` renders the panels that apps above hiring add to
the application page (``hiring.extensions.ApplicationPanel``: interviews adds the feedback
summary and the interviews with their scorecards), each with its own template, the way an
inclusion tag would.

Blind review (``hiring.rules.sees_identity``): ``{% candidate_name application %}`` prints the
candidate's name, or the neutral label for a viewer who may not see who it is; without a user in
the context (an email to the whole team) the label shows until the candidate is revealed.
``{{ text|blind_mask:candidate }}`` masks a résumé text (names, contacts, links, schools).
"""

from collections.abc import Iterable

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from hiring import extensions
from hiring.blind import Identity, candidate_label, mask_text
from hiring.models import Application, Candidate, Job
from hiring.rules import is_staff_recruiter, sees_identity

register = template.Library()


@register.simple_tag(takes_context=True)
def application_panels(context: Context, application: Application) -> SafeString:
    user = context["request"].user
    engine = context.template.engine if context.template is not None else template.engines["django"].engine
    parts = []
    for template_name, values in extensions.application_panels(user=user, application=application):
        panel_context = context.new(values)
        if context.get("csrf_token") is not None:
            panel_context["csrf_token"] = context["csrf_token"]
        parts.append(engine.get_template(template_name).render(panel_context))
    return mark_safe("".join(parts))  # each part was rendered (and escaped) by its template


def _user(context: Context):
    return context.get("user") or getattr(context.get("request"), "user", None)


def _sees(context: Context, application: Application) -> bool:
    user = _user(context)
    if user is None:  # an email to the whole team: the label until the candidate is revealed
        return not application.job.blind_review or application.identity_revealed_at is not None
    return sees_identity(user, application)


@register.simple_tag(takes_context=True)
def candidate_name(context: Context, application: Application, job: Job | None = None) -> str:
    """The name or the blind label; ``job`` spares a query where the page has the job already (the digest)."""
    if job is not None:
        application.job = job
    return application.candidate.full_name if _sees(context, application) else candidate_label(application.pk)


@register.simple_tag(takes_context=True)
def application_identity(context: Context, application: Application) -> Identity:
    if _sees(context, application):
        return Identity(hidden=False, name=application.candidate.full_name)
    return Identity(hidden=True, name=candidate_label(application.pk))


@register.simple_tag(takes_context=True)
def candidate_identity(context: Context, candidate: Candidate, applications: Iterable[Application]) -> Identity:
    """A candidate's page or list row: hidden while any of the shown applications is blind to the viewer
    (named by the first of those)."""
    hidden = [application for application in applications if not _sees(context, application)]
    if not hidden:
        return Identity(hidden=False, name=candidate.full_name)
    return Identity(hidden=True, name=candidate_label(min(application.pk for application in hidden)))


@register.filter
def blind_mask(text: str, candidate: Candidate) -> str:
    return mask_text(text, names=[candidate.first_name, candidate.last_name])


@register.simple_tag(takes_context=True)
def digest_name(context: Context, name: str, blind_label: str) -> str:
    """A digest row known only by its values: ``blind_label`` is set while a blind job's candidate is hidden."""
    user = _user(context)
    if blind_label and not (user is not None and is_staff_recruiter(user)):
        return blind_label
    return name
