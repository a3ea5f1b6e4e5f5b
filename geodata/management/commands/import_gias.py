import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from geodata.importers.gias import import_gias_file
from geodata.importers.gias_download import DownloadFailed, download, record_failed_attempt
from geodata.models import ImportRun


class Command(BaseCommand):
    help = (
        "Import a GIAS establishments extract (edubasealldata*.csv) from a file or URL. "
        "All or nothing; every attempt is recorded as an import run."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="Path or http(s) URL of an edubasealldata CSV.")
        parser.add_argument(
            "--force",
            action="store_true",
            help=(
                "Import even if the file has far fewer rows than last time, more than 20%% of "
                "its rows rejected, or is older than the extract held."
            ),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything and report what would change, then roll back: change nothing.",
        )

    def handle(self, *args, source, force, dry_run, **options):
        self.dry_run = dry_run
        if source.startswith(("http://", "https://")):
            with tempfile.TemporaryDirectory(prefix="gias-") as folder:
                try:
                    path = download(source, folder)
                except DownloadFailed as error:
                    record_failed_attempt(source, error, "manage.py import_gias")
                    raise CommandError(f"download failed, nothing changed: {error}") from error
                if path is None:
                    error = "the server has no such file (404 or an HTML page)"
                    record_failed_attempt(source, error, "manage.py import_gias")
                    raise CommandError(f"{source}: {error}; nothing changed")
                run = self.import_file(path, source, force)
        else:
            if not Path(source).is_file():
                raise CommandError(f"no such file: {source}")
            run = self.import_file(source, source, force)
        for error in run.errors[:10]:
            self.stderr.write(f"  line {error['line']} (URN {error['urn']}): {error['error']}")
        if run.rejected > 10:
            self.stderr.write(f"  ... {run.rejected - 10} more rejected rows (see the admin)")
        if run.status not in (ImportRun.Status.SUCCEEDED, ImportRun.Status.DRY_RUN):
            raise CommandError(run.message)
        self.stdout.write(self.style.SUCCESS(run.message))

    def import_file(self, path, location, force):
        size = Path(path).stat().st_size
        with tqdm(
            total=size,
            unit="B",
            unit_scale=True,
            desc="GIAS",
            file=self.stderr,
            disable=not self.stderr.isatty(),
        ) as bar:
            return import_gias_file(
                path,
                location=location,
                force=force,
                triggered_by="manage.py import_gias",
                progress=bar.update,
                dry_run=self.dry_run,
            )
