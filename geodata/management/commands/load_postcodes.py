from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from geodata.importers.postcodes import POSTCODES_FILE, load_postcodes
from geodata.models import ImportRun


class Command(BaseCommand):
    help = (
        "Load postcode → local authority: the bundled Code-Point Open file by default, or an "
        "ONS Postcode Directory (ONSPD) CSV. Unchanged files are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(POSTCODES_FILE))
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count, then roll everything back."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even if far fewer rows than last time, or the same file again.",
        )

    def handle(self, *args, path, dry_run, force, **options):
        if not Path(path).is_file():
            raise CommandError(f"no such file: {path}")
        run = load_postcodes(
            path, force=force, dry_run=dry_run, triggered_by="manage.py load_postcodes"
        )
        if run.status not in (ImportRun.Status.SUCCEEDED, ImportRun.Status.DRY_RUN):
            raise CommandError(run.message)
        self.stdout.write(run.message)
