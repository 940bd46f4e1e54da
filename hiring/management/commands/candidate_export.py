"""Export everything stored about one candidate (a data-subject access request) as a zip."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hiring.models import Candidate
from hiring.services import privacy


class Command(BaseCommand):
    help = "Write a zip with every row about the candidate (data.json) and their files (files/)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("candidate_id", type=int)
        parser.add_argument("path", help="Where to write the zip, e.g. candidate-12.zip")

    def handle(self, *args, candidate_id: int, path: str, **options) -> None:
        target = Path(path)
        if target.suffix.lower() != ".zip":
            raise CommandError("The path must end in .zip.")
        if not target.parent.exists():
            raise CommandError(f"The folder {target.parent} does not exist.")
        try:
            data = privacy.candidate_export(candidate_id=candidate_id)
        except Candidate.DoesNotExist:
            raise CommandError(f"No candidate with id {candidate_id}.") from None
        target.write_bytes(data)
        self.stdout.write(f"Wrote {target} ({len(data)} bytes).")
