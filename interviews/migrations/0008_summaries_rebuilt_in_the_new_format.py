"""Summaries built before the redesign (content format 1) are rebuilt in format 2.

A ready summary whose stored format is older is marked pending with no message queued, which
is what the sweeper re-enqueues (at most 500 a minute), so each is rebuilt once in the
background; the panel shows the old one as outdated meanwhile. Nothing to undo.
"""

from django.db import migrations
from django.utils import timezone

FORMAT = 2


def request_rebuilds(apps, schema_editor):
    ApplicationSummary = apps.get_model("interviews", "ApplicationSummary")
    older = ApplicationSummary.objects.filter(status="ready").exclude(content__format=FORMAT)
    older.update(status="pending", queued_at=None, requested_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [("interviews", "0007_broader_flagged_phrases")]

    operations = [migrations.RunPython(request_rebuilds, migrations.RunPython.noop)]
