"""Keeping memberships on today's school and trust identifiers.

When a school converts to an academy or merges, GIAS gives it a new URN and links the
two. A membership naming the old URN is moved to its successor (only where the chain is
unambiguous), and the move is recorded in the membership's history. Likewise a
membership naming a census baseline trust follows it to the GIAS trust that superseded it.
"""

from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse

from geodata.models import LocalAuthority, School, Trust
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


# The organisations a membership suggestion may name, each by its register identifier:
# kind -> (Membership's field, how people call the identifier).
REGISTERED_MEMBERS = {
    Membership.Kind.SCHOOL: ("school", "URN"),
    Membership.Kind.TRUST: ("trust", "group UID"),
    Membership.Kind.LOCAL_AUTHORITY: ("local_authority", "ONS code"),
}


class MemberNotFound(Exception):
    """No organisation of that kind has that identifier; the message says what to check."""


@dataclass
class RegisteredMember:
    """A school, trust or local authority as the register knows it, today."""

    kind: str
    record: object

    @property
    def key(self):
        """How a suggestion stores it: "school:143599", "trust:9001", "local_authority:E08..."."""
        return f"{self.kind}:{self.identifier}"

    @property
    def identifier(self):
        return (
            self.record.ons_code if self.kind == Membership.Kind.LOCAL_AUTHORITY else self.record.pk
        )

    @property
    def name(self):
        return self.record.name

    @property
    def url(self):
        return reverse(
            {"school": "school", "trust": "trust", "local_authority": "area"}[self.kind],
            args=[self.identifier],
        )

    def describe(self):
        """As a moderator reads it: "Trust: Example Trust (group UID 9001)"."""
        kind = Membership.Kind(self.kind).label
        return f"{kind}: {self.name} ({REGISTERED_MEMBERS[self.kind][1]} {self.identifier})"

    def memberships(self, partnership):
        """Its memberships of `partnership` (none, or the one already listed)."""
        field = REGISTERED_MEMBERS[self.kind][0]
        return Membership.objects.filter(partnership=partnership, **{field: self.record})


def find_member(kind, identifier):
    """The school (URN), trust (group UID: GIAS's, or the number a census trust has here) or
    current local authority (ONS or DfE code) that `identifier` names today, following a
    school to its successor and a census trust to the GIAS trust that superseded it.
    Raises MemberNotFound saying what was not found."""
    identifier = str(identifier or "").strip()
    if kind not in REGISTERED_MEMBERS:
        raise MemberNotFound("Choose whether it is a school, a trust or a local authority.")
    if kind == Membership.Kind.LOCAL_AUTHORITY:
        found = list(LocalAuthority.objects.current().resolve(identifier)) if identifier else []
        if len(found) == 1:
            return RegisteredMember(kind, found[0])
        raise MemberNotFound(
            f"“{identifier[:20]}” is not the code of one current local authority: give its ONS "
            "code, like E08000039 (the code in the address of its page on this map)."
        )
    noun = REGISTERED_MEMBERS[kind][1]
    if not identifier.isdigit() or len(identifier) > 9:
        raise MemberNotFound(
            f"Enter the {noun} as a number, like {'143599' if kind == 'school' else '2044'}."
        )
    if kind == Membership.Kind.SCHOOL:
        record = School.objects.filter(urn=current_urn(int(identifier))).first()
    else:
        record = Trust.objects.filter(uid=current_trust_uid(int(identifier))).first()
    if record is None:
        where = (
            "Get Information About Schools"
            if kind == "school"
            else "the address of the trust's page on this map"
        )
        raise MemberNotFound(
            f"No {Membership.Kind(kind).label.lower()} with the {noun} {identifier} is in the "
            f"register this map uses: check the {noun} on {where}."
        )
    return RegisteredMember(kind, record)


def member_from_key(key):
    """The RegisteredMember a suggestion's stored key names, or None if it is gone."""
    kind, _, identifier = (key or "").partition(":")
    try:
        return find_member(kind, identifier)
    except MemberNotFound:
        return None
