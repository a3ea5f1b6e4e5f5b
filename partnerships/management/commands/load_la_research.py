from django.core.management.base import BaseCommand, CommandError

from partnerships.curated import CuratedDataError
from partnerships.research import RESEARCH_FILE, load_la_research


class Command(BaseCommand):
    help = "Load the LA research records (idempotent; never overwrites moderated edits)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(RESEARCH_FILE))

    def handle(self, *args, path, **options):
        try:
            report = load_la_research(path)
        except CuratedDataError as error:
            raise CommandError(f"LA research not loaded, nothing changed: {error}") from error
        self.stdout.write(
            f"LA research records: {len(report.created)} created, {len(report.updated)} "
            f"updated, {len(report.unchanged)} unchanged."
        )
        if report.kept_human_edits:
            self.stdout.write(
                "Kept moderated edits (curated record not applied): "
                + ", ".join(report.kept_human_edits)
            )
