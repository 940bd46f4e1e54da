"""Panels the interviews app adds to hiring's application page.

``{% application_feedback application %}`` (interviews and scorecards the user may see)
and ``{% application_summary application %}`` (the Celery-built summary). Each tag asks
the interviews selectors, which enforce independent feedback, and renders its template.
"""

from django import template

from interviews import selectors

register = template.Library()


@register.inclusion_tag("interviews/panels/application_feedback.html", takes_context=True)
def application_feedback(context, application) -> dict:
    user = context["request"].user
    return {"application": application, **selectors.application_feedback(user=user, application=application)}


@register.inclusion_tag("interviews/panels/application_summary.html", takes_context=True)
def application_summary(context, application) -> dict:
    user = context["request"].user
    return {"application": application, **selectors.application_summary(user=user, application=application)}
