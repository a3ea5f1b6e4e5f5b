from django.core.management.base import BaseCommand, CommandError

from partnerships.curated import CURATED_FILE, CuratedDataError, load_curated_partnerships


class Command(BaseCommand):
    help = "Load the curated real partnerships (idempotent; never overwrites moderated edits)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(CURATED_FILE))

    def handle(self, *args, path, **options):
        try:
            report = load_curated_partnerships(path)
        except CuratedDataError as error:
            raise CommandError(f"partnerships not loaded, nothing changed: {error}") from error
        self.stdout.write(
            f"Partnerships: {len(report.created)} created, {len(report.updated)} updated, "
            f"{len(report.unchanged)} unchanged."
        )
        if report.unlinked_trust_members:
            self.stdout.write(
                f"{report.unlinked_trust_members} trust members named by census name only "
                "were not linked (no register identifier)."
            )
        if report.kept_human_edits:
            self.stdout.write(
                "Kept moderated edits (curated record not applied): "
                + ", ".join(report.kept_human_edits)
            )
