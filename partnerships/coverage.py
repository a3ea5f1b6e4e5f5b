"""Coverage: how many of an area's open state-funded schools local partnerships reach.

Most partnerships are open to every school in their areas (or to one phase) rather than
naming members, so two shares are computed per local authority:

- reached: the school is reached by at least one published *local* partnership (scope
  `regional` does not count) covering its area, by that partnership's `reach`: all
  schools; the schools of its phases; or, for any reach, being named as a member
  (directly or through its trust). Reach `unknown` reaches only named members (and leaves
  the LA's reached share not known, below).
- named: the school is named as a member of such a partnership, directly or via its trust.

A part-of-an-LA partnership with a drawn footprint reaches only the schools inside it.

Where a local partnership covering an LA does not say which schools it reaches (reach
`unknown`, or named schools/members only while naming none), the reached count and share
of that LA are not known (None), never a misleading 0%; the named count still is.
"""

from functools import reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q

from api_core.kept_answers import per_data_version
from geodata.models import School
from partnerships.models import Membership, Partnership, Phase

# The schools each partnership phase means, in the register's terms (GIAS phases and types).
PHASE_SCHOOLS = {
    Phase.EARLY_YEARS: Q(phase="Nursery"),
    Phase.PRIMARY: Q(phase__in=["Primary", "Middle deemed primary", "All-through"]),
    Phase.SECONDARY: Q(phase__in=["Secondary", "Middle deemed secondary", "All-through"]),
    Phase.SPECIAL: Q(establishment_type__icontains="special"),
    Phase.ALTERNATIVE_PROVISION: Q(establishment_type__icontains="alternative provision")
    | Q(establishment_type="Pupil referral unit"),
    Phase.POST_16: Q(phase="16 plus") | Q(establishment_type__icontains="16"),
}


def local_partnerships():
    """Published partnerships that count for coverage: all but regional ones."""
    return Partnership.objects.published().exclude(scope=Partnership.Scope.REGIONAL)


def reach_not_recorded():
    """Local partnerships that leave their reach unknown: reach `unknown`, or reaching only
    named schools or members while naming no school or trust (a council as its one named
    member reaches no school). An LA they cover has no known reached share."""
    limited = [Partnership.Reach.NAMED_SCHOOLS, Partnership.Reach.MEMBERS_ONLY]
    names_schools = Membership.objects.filter(
        Q(school__isnull=False) | Q(trust__isnull=False), partnership=OuterRef("pk")
    )
    return local_partnerships().filter(
        Q(reach=Partnership.Reach.UNKNOWN) | Q(reach__in=limited) & ~Exists(names_schools)
    )


def authorities_with_reach_not_known():
    """ONS codes of the LAs covered by a partnership of `reach_not_recorded()`."""
    return set(
        reach_not_recorded()
        .filter(local_authorities__isnull=False)
        .values_list("local_authorities__ons_code", flat=True)
    )


def named_as_member():
    """Condition on School: named as a member of a local partnership, or its trust is."""
    memberships = Membership.objects.filter(partnership__in=local_partnerships())
    return Q(urn__in=memberships.filter(school__isnull=False).values("school_id")) | Q(
        trust__in=memberships.filter(trust__isnull=False).values("trust_id")
    )


def reached_by_a_partnership(named=None):
    """Condition on School: reached by at least one local partnership (see module doc).

    Built from the few local partnerships' reach, phases and areas, so counting it over
    the whole register is one scan, not a subquery per school.
    """
    condition = named if named is not None else named_as_member()
    partnerships = local_partnerships().filter(
        reach__in=[Partnership.Reach.ALL_SCHOOLS, Partnership.Reach.PHASES]
    )
    for partnership in partnerships.prefetch_related("local_authorities"):
        where = Q(local_authority__in=[la.pk for la in partnership.local_authorities.all()])
        if partnership.drawn_footprint:
            where &= Q(location__within=partnership.drawn_footprint)
        if partnership.reach == Partnership.Reach.PHASES:
            phases = [PHASE_SCHOOLS[p] for p in partnership.phases if p in PHASE_SCHOOLS]
            if not phases:
                continue
            where &= reduce(or_, phases)
        condition |= where
    return condition


def counted_schools():
    """Open state-funded schools: what coverage is a share of."""
    return School.objects.open().state_funded()


def coverage_figures(total, reached, named, reach_known=True):
    """The figures the API, map and area page show; `reached` is None when not known."""
    if not reach_known:
        reached = None
    return {
        "open_state_funded_schools": total,
        "reach_known": reach_known,
        "reached": reached,
        "named": named,
        "reached_share": reached / total if total and reached is not None else None,
        "named_member_share": named / total if total else None,
    }


def count_by(queryset, key):
    named = named_as_member()
    return queryset.values(key).annotate(
        total=Count("urn"),
        reached=Count("urn", filter=reached_by_a_partnership(named)),
        named=Count("urn", filter=named),
    )


def coverage_by_authority():
    """{ons_code: coverage figures} for every LA with open state-funded schools.

    `share` repeats `reached_share` for the map's shading.
    """
    coverage = {}
    not_known = authorities_with_reach_not_known()
    for row in count_by(counted_schools(), "local_authority__ons_code"):
        code = row["local_authority__ons_code"]
        figures = coverage_figures(
            row["total"], row["reached"], row["named"], reach_known=code not in not_known
        )
        figures["share"] = figures["reached_share"]
        coverage[code] = figures
    return coverage


def coverage_of_every_authority():
    """`coverage_by_authority()`, once per data version: the region and England figures
    beside every area page are sums of it, and it scans the whole register."""
    return per_data_version("coverage-by-authority", coverage_by_authority)


def combined_coverage(figures):
    """The coverage of several LAs together (a region, England) from theirs: the reached
    share is known only when every one's is."""
    figures = list(figures)
    return coverage_figures(
        sum(c["open_state_funded_schools"] for c in figures),
        sum(c["reached"] or 0 for c in figures),
        sum(c["named"] for c in figures),
        reach_known=all(c["reach_known"] for c in figures),
    )


def coverage_of(local_authority):
    """Coverage figures of one LA (zero schools: shares are None), with the partnerships
    whose unrecorded reach leaves the reached share not known (`reach_not_known_from`)."""
    unrecorded = list(
        reach_not_recorded()
        .filter(local_authorities=local_authority)
        .distinct()
        .order_by("name")
        .values_list("name", flat=True)
    )
    rows = list(
        count_by(counted_schools().filter(local_authority=local_authority), "local_authority")
    )
    row = rows[0] if rows else {"total": 0, "reached": 0, "named": 0}
    figures = coverage_figures(
        row["total"], row["reached"], row["named"], reach_known=not unrecorded
    )
    figures["reach_not_known_from"] = unrecorded
    return figures


def schools_in_partnerships():
    """Open state-funded schools named as members of a local partnership, or via their trust."""
    return counted_schools().filter(named_as_member())
