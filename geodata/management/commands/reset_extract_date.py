import datetime

from django.core.management.base import BaseCommand, CommandError

from geodata.importers.gias import reset_extract_date
from geodata.importers.register_files import RegisterFileError
from geodata.models import ImportRun


class Command(BaseCommand):
    help = (
        "Undo a wrongly dated GIAS import (e.g. a file named edubasealldata20991231.csv): "
        "give the run, and the schools it dated, the right date, so later extracts are no "
        "longer refused as older. By default the newest-dated successful import is reset "
        "to the day it was imported."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "run", nargs="?", type=int, help="Import run id (default: the newest-dated one)."
        )
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="The right date, YYYY-MM-DD (default: the day the run was imported).",
        )

    def handle(self, *args, run, date, **options):
        runs = ImportRun.objects.filter(source=ImportRun.Source.GIAS_ESTABLISHMENTS)
        if run is None:
            found = (
                runs.filter(status=ImportRun.Status.SUCCEEDED, extract_date__isnull=False)
                .order_by("-extract_date")
                .first()
            )
        else:
            found = runs.filter(pk=run).first()
        if found is None:
            raise CommandError(f"no GIAS establishments import run {run or ''}".strip())
        old = found.extract_date
        try:
            schools = reset_extract_date(found, date, by="manage.py reset_extract_date")
        except RegisterFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Import run {found.pk}: extract date {old} → {found.extract_date}; "
                f"{schools} schools re-dated."
            )
        )
