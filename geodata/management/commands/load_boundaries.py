from django.core.management.base import BaseCommand, CommandError

from geodata.importers.boundaries import DEFAULT_SET, BoundaryImportError, load_boundary_set


class Command(BaseCommand):
    help = (
        "Load a boundary set of English LAs and regions (by default the bundled real "
        "boundaries) and switch it on once it passes its checks. Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", default=DEFAULT_SET["name"], help="Name of the set.")
        parser.add_argument("--la-file", default=DEFAULT_SET["la_file"])
        parser.add_argument("--region-file", default=DEFAULT_SET["region_file"])
        parser.add_argument("--lookup-file", default=DEFAULT_SET["lookup_file"])
        parser.add_argument("--ees-file", default=DEFAULT_SET["ees_file"])
        parser.add_argument("--description", default=DEFAULT_SET["description"])
        parser.add_argument("--source", default=DEFAULT_SET["source"])
        parser.add_argument("--licence", default=DEFAULT_SET["licence"])
        parser.add_argument(
            "--no-activate",
            action="store_true",
            help="Load and check the set but leave the current one switched on.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check everything and report what would change, then roll back: change nothing.",
        )

    def handle(self, *args, **options):
        try:
            result = load_boundary_set(
                name=options["name"],
                la_file=options["la_file"],
                region_file=options["region_file"],
                lookup_file=options["lookup_file"],
                ees_file=options["ees_file"],
                description=options["description"],
                source=options["source"],
                licence=options["licence"],
                activate_when_checked=not options["no_activate"],
                dry_run=options["dry_run"],
                triggered_by="manage.py load_boundaries",
            )
        except BoundaryImportError as error:
            raise CommandError(f"boundaries not loaded, nothing changed: {error}") from error
        if options["dry_run"]:
            self.stdout.write(result.run.message)
            return
        boundary_set = result.boundary_set
        count = boundary_set.boundaries.count()
        if result.created:
            self.stdout.write(f"Loaded boundary set {boundary_set.name}: {count} areas.")
        else:
            self.stdout.write(f"Boundary set {boundary_set.name} is already loaded: unchanged.")
        if result.problems:
            raise CommandError(
                f"boundary set {boundary_set.name} failed its checks and was not switched on: "
                + "; ".join(result.problems)
            )
        if result.activated:
            self.stdout.write(self.style.SUCCESS(f"Switched on boundary set {boundary_set.name}."))
        elif boundary_set.is_active:
            self.stdout.write(f"Boundary set {boundary_set.name} is the active set.")
        else:
            self.stdout.write(f"Boundary set {boundary_set.name} is loaded but not switched on.")
