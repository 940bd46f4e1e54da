"""Print, as JSON, the summary the summary job would store for an application (reads only)."""

import json

from django.core.management.base import BaseCommand, CommandError

from hiring.models import Application
from interviews.summaries import backends as summary_backends
from interviews.summaries import build as summaries


class Command(BaseCommand):
    help = "Print the feedback summary of APPLICATION_ID as JSON (what the summary job would store); writes nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("application_id", type=int)
        parser.add_argument("--indent", type=int, default=2, help="JSON indent (0 for one line).")

    def handle(self, *args, application_id: int, indent: int, **options) -> None:
        application = Application.objects.select_related("job__template", "candidate").filter(pk=application_id).first()
        if application is None:
            raise CommandError(f"Application {application_id} does not exist.")
        head = summaries.load_head(application)
        content = summaries.build_content(summaries.load_inputs(head))
        narrative = summary_backends.narrative_for(content, people=summary_backends.people_to_redact(head))
        content["narrative"] = narrative.text
        content["backend"] = narrative.backend
        if narrative.error:
            content["narrative_error"] = narrative.error
        self.stdout.write(json.dumps(content, indent=indent or None, ensure_ascii=False, default=str))
