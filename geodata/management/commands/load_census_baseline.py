from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from geodata.importers.census import CENSUS_FILE, load_census_baseline
from geodata.models import ImportRun


class Command(BaseCommand):
    help = (
        "Load the DfE school census baseline (January 2023) into the register; schools a "
        "GIAS import has written are left as GIAS has them."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(CENSUS_FILE))
        parser.add_argument(
            "--force", action="store_true", help="Load even if far fewer rows than last time."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; change nothing."
        )

    def handle(self, *args, path, force, dry_run, **options):
        if not Path(path).is_file():
            raise CommandError(f"no such file: {path}")
        run = load_census_baseline(
            path, force=force, dry_run=dry_run, triggered_by="manage.py load_census_baseline"
        )
        if run.status not in (ImportRun.Status.SUCCEEDED, ImportRun.Status.DRY_RUN):
            raise CommandError(run.message)
        self.stdout.write(run.message)
