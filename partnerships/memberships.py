"""Keeping school memberships on today's URN.

When a school converts to an academy or merges, GIAS gives it a new URN and links the
two. A membership naming the old URN is moved to its successor (only where the chain is
unambiguous), and the move is recorded in the membership's history.
"""

from django.db import transaction

from geodata.successors import current_urn
from partnerships.models import Membership

CHANGE_REASON = "Moved to the school's successor URN (GIAS links)"


@transaction.atomic
def move_memberships_to_successors():
    """Returns [(membership id, old URN, new URN)] for every membership moved."""
    moved = []
    for membership in Membership.objects.select_for_update().filter(school__isnull=False):
        successor = current_urn(membership.school_id)
        if successor != membership.school_id:
            moved.append((membership.pk, membership.school_id, successor))
            membership.school_id = successor
            membership._change_reason = CHANGE_REASON
            membership.save()
    return moved
