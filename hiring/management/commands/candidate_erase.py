"""Erase one candidate's personal data on request (the anonymiser retention uses, at once)."""

from django.core.management.base import BaseCommand, CommandError

from hiring.models import Candidate
from hiring.services import privacy


class Command(BaseCommand):
    help = "Remove the candidate's name, contact details, links, résumés and every mention of them; keep the facts."

    def add_arguments(self, parser) -> None:
        parser.add_argument("candidate_id", type=int)
        parser.add_argument("--yes", action="store_true", help="Confirm: the erasure cannot be undone.")

    def handle(self, *args, candidate_id: int, yes: bool, **options) -> None:
        if not yes:
            raise CommandError("Erasure cannot be undone: add --yes to confirm.")
        try:
            done = privacy.candidate_anonymise(candidate_id=candidate_id, reason="erasure request")
        except Candidate.DoesNotExist:
            raise CommandError(f"No candidate with id {candidate_id}.") from None
        self.stdout.write(
            f"Erased candidate {done.candidate_id}: {done.rows_changed} rows rewritten, "
            f"{len(done.files_removed)} files deleted."
        )
