"""Keeping memberships on today's school and trust identifiers.

When a school converts to an academy or merges, GIAS gives it a new URN and links the
two. A membership naming the old URN is moved to its successor (only where the chain is
unambiguous), and the move is recorded in the membership's history. Likewise a
membership naming a census baseline trust follows it to the GIAS trust that superseded it.
"""

from django.db import transaction

from geodata.models import Trust
from geodata.successors import current_urn
from geodata.trusts import current_trust_uid
from partnerships.models import Membership

CHANGE_REASON = "Moved to the school's successor URN (GIAS links)"
TRUST_CHANGE_REASON = "Moved to the GIAS trust that superseded the census trust"


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


@transaction.atomic
def move_memberships_to_current_trusts():
    """Returns [(membership id, old uid, new uid)] for every trust membership moved to the
    GIAS trust that superseded a census baseline trust."""
    superseded = Trust.objects.filter(superseded_by__isnull=False).values("uid")
    moved = []
    for membership in Membership.objects.select_for_update().filter(trust_id__in=superseded):
        successor = current_trust_uid(membership.trust_id)
        if successor != membership.trust_id:
            moved.append((membership.pk, membership.trust_id, successor))
            membership.trust_id = successor
            membership._change_reason = TRUST_CHANGE_REASON
            membership.save()
    return moved
