"""How partnerships react to what geodata announces (`geodata.signals`)."""

from partnerships.memberships import (
    move_memberships_to_current_trusts,
    move_memberships_to_successors,
)
from partnerships.models import Partnership


def follow_school_successors(sender, run=None, **kwargs):
    """After the register changed, memberships follow schools to their successor URNs."""
    moved = move_memberships_to_successors()
    return f"{len(moved)} memberships moved to their school's successor URN."


def follow_superseded_trusts(sender, run=None, **kwargs):
    """After GIAS brought trust UIDs, memberships naming a census trust follow it."""
    moved = move_memberships_to_current_trusts()
    return f"{len(moved)} memberships moved to the GIAS trust that superseded a census trust."


def refresh_footprints(sender, boundary_set=None, **kwargs):
    """Footprints are unions of LA boundaries: redraw them from the set now shown."""
    for partnership in Partnership.objects.all():
        partnership.refresh_display_footprint()
