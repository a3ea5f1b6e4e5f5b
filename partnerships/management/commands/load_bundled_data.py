from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Load every bundled real data set in fixtures/ (idempotent: unchanged data is skipped)."

    def handle(self, *args, **options):
        call_command("load_boundaries", stdout=self.stdout, stderr=self.stderr)
        call_command("import_gias_links", stdout=self.stdout, stderr=self.stderr)
        call_command("load_indicators", stdout=self.stdout, stderr=self.stderr)
        call_command("load_partnerships", stdout=self.stdout, stderr=self.stderr)
        call_command("load_la_research", stdout=self.stdout, stderr=self.stderr)
