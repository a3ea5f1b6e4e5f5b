from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from geodata.boundary_sets import activate, check
from geodata.models import BoundarySet


class Command(BaseCommand):
    help = "Check a loaded boundary set and switch it on (also to go back to an earlier set)."

    def add_arguments(self, parser):
        parser.add_argument("name", help="Name of a loaded boundary set.")

    def handle(self, *args, name, **options):
        boundary_set = BoundarySet.objects.filter(name=name).first()
        if boundary_set is None:
            known = ", ".join(BoundarySet.objects.values_list("name", flat=True)) or "none"
            raise CommandError(f"no boundary set named {name!r} (loaded sets: {known})")
        with transaction.atomic():
            problems = check(boundary_set)
            if not problems:
                activate(boundary_set)
        if problems:
            raise CommandError(f"{name} not switched on: " + "; ".join(problems))
        self.stdout.write(self.style.SUCCESS(f"Switched on boundary set {name}."))
