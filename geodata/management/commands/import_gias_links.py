from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from geodata.importers.gias_links import import_links_file
from geodata.models import ImportRun

BUNDLED = Path(settings.BASE_DIR) / "fixtures" / "gias" / "links_edubasealldata_20250727.csv"


class Command(BaseCommand):
    help = "Import GIAS establishment links (predecessors/successors); the bundled file by default."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(BUNDLED))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything and report what would change, then roll back: change nothing.",
        )

    def handle(self, *args, path, dry_run, **options):
        if not Path(path).is_file():
            raise CommandError(f"no such file: {path}")
        with tqdm(
            total=Path(path).stat().st_size,
            unit="B",
            unit_scale=True,
            desc="GIAS links",
            file=self.stderr,
            disable=not self.stderr.isatty(),
        ) as bar:
            run = import_links_file(
                path,
                triggered_by="manage.py import_gias_links",
                progress=bar.update,
                dry_run=dry_run,
            )
        if run.status not in (ImportRun.Status.SUCCEEDED, ImportRun.Status.DRY_RUN):
            raise CommandError(run.message)
        self.stdout.write(run.message)
