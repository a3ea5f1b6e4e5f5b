"""Coverage: the share of an area's open state-funded schools that belong to at least one
published local partnership, directly or through their trust. Regional bodies do not count:
they include an area without being its partnership."""

from django.db.models import Count, Exists, OuterRef, Q

from geodata.models import LocalAuthority, School
from partnerships.models import Membership, Partnership


def schools_in_partnerships():
    """Open state-funded schools that are members, or whose trust is a member."""
    published = Q(partnership__published=True) & ~Q(partnership__scope=Partnership.Scope.REGIONAL)
    return (
        School.objects.open()
        .state_funded()
        .filter(
            Exists(Membership.objects.filter(published, school=OuterRef("urn")))
            | Exists(
                Membership.objects.filter(published, trust=OuterRef("trust"), trust__isnull=False)
            )
        )
    )


def coverage_by_authority():
    """{ons_code: {"schools": n, "covered": m, "share": m / n}} for LAs with schools."""
    covered = schools_in_partnerships().values("urn")
    rows = (
        LocalAuthority.objects.current()
        .annotate(
            state_funded=Count(
                "schools",
                filter=Q(schools__in=School.objects.open().state_funded().values("urn")),
            ),
            covered=Count("schools", filter=Q(schools__in=covered)),
        )
        .filter(state_funded__gt=0)
        .values("ons_code", "state_funded", "covered")
    )
    return {
        row["ons_code"]: {
            "schools": row["state_funded"],
            "covered": row["covered"],
            "share": row["covered"] / row["state_funded"],
        }
        for row in rows
    }


def area_coverage(area, state_funded_schools):
    """How many of an area's open state-funded schools are in a partnership, and the share
    (None when the register has no schools there)."""
    covered = schools_in_partnerships().filter(local_authority=area).count()
    return {
        "covered_schools": covered,
        "share": covered / state_funded_schools if state_funded_schools else None,
    }
