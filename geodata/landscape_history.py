"""How each area's school landscape got here, from the register: successor events by year
(GIAS establishment links: academy conversions, mergers, amalgamations, splits) and the
share of open state-funded schools that are academies now.

A successor event is one GIAS link of a "Successor" type (`SUCCESSOR_EVENT_TYPES`): school
URN was followed by school LinkURN, established on LinkEstablishedDate. The links file
names no LA, so an event is placed in the LA of the new school where the register holds
it, else in the LA of the school it followed; an event whose schools the register holds
neither of counts for England only. Built once per data version: every area page, file
and API answer reads the same numbers.
"""

from collections import defaultdict

from django.db.models import Count, Q

from api_core.kept_answers import per_data_version
from geodata.models import School, SchoolLink, SchoolQuerySet

ENGLAND = "E92000001"
ENGLAND_NAME = "England"
UNDATED = "undated"

# GIAS's names for the successor side of a link (the predecessor side repeats each event).
SUCCESSOR_EVENT_TYPES = (
    "Successor",
    "Successor - merged",
    "Successor - amalgamated",
    "Successor - Split School",
)

# What a successor event is counted as, in the order tables and charts show them.
ACADEMY_CONVERSION = "academy_conversion"
ACADEMY_TO_ACADEMY = "academy_to_academy"
EVENT_KINDS = {
    ACADEMY_CONVERSION: "Academy conversion",
    ACADEMY_TO_ACADEMY: "Academy to academy (new URN)",
    "Successor": "Other successor",
    "Successor - merged": "Successor - merged",
    "Successor - amalgamated": "Successor - amalgamated",
    "Successor - Split School": "Successor - Split School",
}
EVENT_KIND_DESCRIPTIONS = {
    ACADEMY_CONVERSION: (
        "GIAS link type “Successor” whose new school is an academy or free school in the "
        "register, and whose previous school was not one (or is not in the register)."
    ),
    ACADEMY_TO_ACADEMY: (
        "GIAS link type “Successor” from an academy to an academy (a new URN, often on a "
        "change of trust), both in the register."
    ),
    "Successor": "Any other GIAS link of type “Successor”.",
    "Successor - merged": "GIAS link type “Successor - merged”.",
    "Successor - amalgamated": "GIAS link type “Successor - amalgamated”.",
    "Successor - Split School": "GIAS link type “Successor - Split School”.",
}
EVENTS_SOURCE = (
    "Department for Education, Get Information About Schools: establishment links "
    "(links_edubasealldata), as last imported; schools' areas and types from the register."
)
SHARE_SOURCE = (
    "The register (GIAS, or the January 2023 school census until a GIAS extract is "
    "imported): open schools of the state-funded type groups."
)


def event_kind(link_type, new_is_academy, previous_is_academy):
    """What one successor link counts as: an academy conversion, an academy-to-academy
    change, or the link type as GIAS names it."""
    if link_type == "Successor" and new_is_academy:
        return ACADEMY_TO_ACADEMY if previous_is_academy else ACADEMY_CONVERSION
    return link_type


def count_successor_events():
    """{area ONS code or ENGLAND: {year or UNDATED: {kind: count}}}, every successor link
    counted once, for England and for the area it is placed in."""
    links = SchoolLink.objects.filter(link_type__in=SUCCESSOR_EVENT_TYPES).values_list(
        "urn", "linked_urn", "link_type", "established"
    )
    links = list(links)
    urns = {urn for link in links for urn in link[:2]}
    schools = {
        urn: (code, group in SchoolQuerySet.ACADEMY_GROUPS)
        for urn, code, group in School.objects.filter(urn__in=urns).values_list(
            "urn", "local_authority__ons_code", "type_group_code"
        )
    }
    counts = defaultdict(lambda: defaultdict(lambda: defaultdict(int)))
    for previous, new, link_type, established in links:
        new_school = schools.get(new)
        previous_school = schools.get(previous)
        kind = event_kind(
            link_type,
            bool(new_school and new_school[1]),
            bool(previous_school and previous_school[1]),
        )
        year = established.year if established else UNDATED
        counts[ENGLAND][year][kind] += 1
        placed = new_school or previous_school
        if placed:
            counts[placed[0]][year][kind] += 1
    return {
        code: {year: dict(kinds) for year, kinds in years.items()} for code, years in counts.items()
    }


def successor_events():
    """`count_successor_events()`, once per data version."""
    return per_data_version("successor-events", count_successor_events)


def successor_events_of(code):
    """The successor events of one area (ONS code) or of England (`ENGLAND`) as rows in
    year order, dateless last: [{year, counts: {kind: n} for every kind, total}]."""
    years = successor_events().get(code, {})
    dated = sorted(year for year in years if year != UNDATED)
    rows = []
    for year in [*dated, *([UNDATED] if UNDATED in years else [])]:
        counts = {kind: years[year].get(kind, 0) for kind in EVENT_KINDS}
        rows.append({"year": year, "counts": counts, "total": sum(counts.values())})
    return rows


def count_academy_shares():
    """{area ONS code or ENGLAND: {open_state_funded, academies, share}} now."""
    rows = (
        School.objects.open()
        .state_funded()
        .values("local_authority__ons_code")
        .annotate(
            schools=Count("urn"),
            academies=Count("urn", filter=Q(type_group_code__in=SchoolQuerySet.ACADEMY_GROUPS)),
        )
    )
    shares = {}
    for row in rows:
        shares[row["local_authority__ons_code"]] = (row["schools"], row["academies"])
    shares[ENGLAND] = (
        sum(schools for schools, _ in shares.values()),
        sum(academies for _, academies in shares.values()),
    )
    return {
        code: {
            "open_state_funded": schools,
            "academies": academies,
            "share": academies / schools if schools else None,
        }
        for code, (schools, academies) in shares.items()
    }


def academy_shares():
    """`count_academy_shares()`, once per data version."""
    return per_data_version("academy-shares", count_academy_shares)


def academy_share_of(code):
    """Open state-funded schools of an area (or England) and the share that are academies
    or free schools now; zero schools when the register holds none there."""
    empty = {"open_state_funded": 0, "academies": 0, "share": None}
    return academy_shares().get(code, empty)
