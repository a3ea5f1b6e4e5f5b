from django.core.management.base import BaseCommand

from partnerships.memberships import (
    move_memberships_to_current_trusts,
    move_memberships_to_successors,
)


class Command(BaseCommand):
    help = (
        "Move school memberships from closed schools' URNs to their successors' (GIAS links), "
        "and trust memberships from census trusts to the GIAS trusts that superseded them."
    )

    def handle(self, *args, **options):
        moved = move_memberships_to_successors()
        for _, old, new in moved:
            self.stdout.write(f"URN {old} -> {new}")
        self.stdout.write(f"{len(moved)} membership(s) moved.")
        trusts = move_memberships_to_current_trusts()
        for _, old, new in trusts:
            self.stdout.write(f"trust {old} -> {new}")
        self.stdout.write(f"{len(trusts)} trust membership(s) moved.")
