from django.core.management.base import BaseCommand

from geodata.import_runs import close_stale_runs
from geodata.models import ImportRun, School
from geodata.tasks import refresh_schools


class Command(BaseCommand):
    help = "Queue a refresh of the school register from GIAS (for the Celery worker)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only when no school has been loaded yet and no import is running.",
        )

    def handle(self, *args, if_empty, **options):
        close_stale_runs()  # at start-up: runs a stopped process left "running"
        if if_empty and (
            School.objects.exists()
            or ImportRun.objects.filter(
                source=ImportRun.Source.GIAS_ESTABLISHMENTS, status=ImportRun.Status.RUNNING
            ).exists()
        ):
            self.stdout.write("The school register is loaded: no refresh queued.")
            return
        result = refresh_schools.delay()
        self.stdout.write(f"Queued a school register refresh from GIAS (task {result.id}).")
