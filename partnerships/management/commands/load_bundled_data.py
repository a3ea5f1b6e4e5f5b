from django.core.management import call_command
from django.core.management.base import BaseCommand

from geodata.models import ImportRun


class Command(BaseCommand):
    help = "Load every bundled real data set in fixtures/ (idempotent: unchanged data is skipped)."

    def handle(self, *args, **options):
        out = {"stdout": self.stdout, "stderr": self.stderr}
        call_command("load_boundaries", **out)
        call_command("import_gias_links", **out)
        call_command("load_indicators", **out)
        gias = ImportRun.objects.filter(
            source=ImportRun.Source.GIAS_ESTABLISHMENTS, status=ImportRun.Status.SUCCEEDED
        )
        if gias.exists():
            self.stdout.write("School census baseline skipped: a GIAS extract is imported.")
        else:
            call_command("load_census_baseline", **out)
        call_command("load_postcodes", **out)
        call_command("load_partnerships", **out)
        call_command("load_la_research", **out)
