"""``manage.py report NAME [--job ID] [--since DATE] [--until DATE] [--format json|csv]``: a report for scripts.

JSON is a list of row objects with the CSV's columns (documented in docs/reports.md). The
command sees every job, like an admin; the adverse-impact report is totals only, as on its page.
"""

from __future__ import annotations

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hiring.models import Job
from interviews.reports import REPORTS, ReportFilters
from interviews.reports.present import json_rows, to_csv


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD).") from error


class Command(BaseCommand):
    help = "Print a report as JSON or CSV: " + ", ".join(REPORTS) + "."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=list(REPORTS))
        parser.add_argument("--job", type=int, default=None, help="Only this job (its id).")
        parser.add_argument("--since", default=None, help="From this day (YYYY-MM-DD).")
        parser.add_argument("--until", default=None, help="Up to and including this day (YYYY-MM-DD).")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, **options) -> None:
        report = REPORTS[options["name"]]
        if options["job"] is not None and not Job.objects.filter(pk=options["job"]).exists():
            raise CommandError(f"No job with id {options['job']}.")
        filters = ReportFilters(
            job_id=options["job"],
            since=_day(options["since"]) if options["since"] else None,
            until=_day(options["until"]) if options["until"] else None,
        )
        if filters.since and filters.until and filters.since > filters.until:
            raise CommandError("--since comes after --until.")
        rows = report.run(jobs=Job.objects.all(), filters=filters)
        if options["format"] == "csv":
            self.stdout.write(to_csv(report, rows), ending="")
        else:
            self.stdout.write(json.dumps(json_rows(report, rows), indent=2, ensure_ascii=False))
