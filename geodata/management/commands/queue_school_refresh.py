from django.core.management.base import BaseCommand, CommandError
from kombu.exceptions import OperationalError

from geodata.import_runs import close_stale_runs
from geodata.models import ImportRun
from geodata.tasks import refresh_schools


class Command(BaseCommand):
    help = "Queue a refresh of the school register from GIAS (for the Celery worker)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only when no GIAS extract has been imported yet (the census baseline may be "
            "loaded) and no import is running.",
        )

    def handle(self, *args, if_empty, **options):
        close_stale_runs()  # at start-up: runs a stopped process left "running"
        gias = ImportRun.objects.filter(
            source=ImportRun.Source.GIAS_ESTABLISHMENTS,
            status__in=[
                ImportRun.Status.SUCCEEDED,
                ImportRun.Status.RUNNING,
                ImportRun.Status.QUEUED,
            ],
        )
        if if_empty and gias.exists():
            self.stdout.write("A GIAS extract is imported (or importing): no refresh queued.")
            return
        try:
            result = refresh_schools.delay()
        except OperationalError as error:
            raise CommandError(
                f"Could not queue the refresh: Redis (the Celery broker) is unreachable ({error}). "
                "Start Redis and try again, or run `manage.py import_gias` directly."
            ) from error
        self.stdout.write(f"Queued a school register refresh from GIAS (task {result.id}).")
