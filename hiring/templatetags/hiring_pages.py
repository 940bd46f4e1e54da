"""Template tags of hiring's pages.

``{% application_panels application %}`` renders the panels that apps above hiring add to
the application page (``hiring.extensions.ApplicationPanel``: interviews adds the feedback
summary and the interviews with their scorecards), each with its own template, the way an
inclusion tag would.
"""

from django import template
from django.template.context import Context
from django.utils.safestring import SafeString, mark_safe

from hiring import extensions
from hiring.models import Application

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
