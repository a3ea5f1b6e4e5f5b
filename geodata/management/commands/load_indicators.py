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

    def handle(self, *args, definitions, values, neighbours, **options):
        for label, run in (
            ("Indicators", load_indicators(definitions, values)),
            ("Statistical neighbours", load_statistical_neighbours(neighbours)),
        ):
            if run.status != ImportRun.Status.SUCCEEDED:
                raise CommandError(f"{label}: {run.message}")
            self.stdout.write(f"{label}: {run.message}")
