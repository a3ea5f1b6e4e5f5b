from django.core.management.base import BaseCommand, CommandError

from geodata.importers.indicators import (
    DEFINITIONS,
    NEIGHBOURS,
    VALUES,
    load_indicators,
    load_statistical_neighbours,
)
from geodata.models import ImportRun


class Command(BaseCommand):
    help = "Load LA indicators and DfE's statistical neighbours (bundled real data by default)."

    def add_arguments(self, parser):
        parser.add_argument("--definitions", default=str(DEFINITIONS))
        parser.add_argument("--values", default=str(VALUES))
        parser.add_argument("--neighbours", default=str(NEIGHBOURS))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything and report what would change, then roll back: change nothing.",
        )

    def handle(self, *args, definitions, values, neighbours, dry_run, **options):
        for label, load in (
            ("Indicators", lambda: load_indicators(definitions, values, dry_run=dry_run)),
            ("Statistical neighbours", lambda: load_statistical_neighbours(neighbours, dry_run)),
        ):
            run = load()
            if run.status not in (ImportRun.Status.SUCCEEDED, ImportRun.Status.DRY_RUN):
                raise CommandError(f"{label}: {run.message}")
            self.stdout.write(f"{label}: {run.message}")
