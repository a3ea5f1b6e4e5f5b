"""Areas side by side: up to four local authorities, each with its partnerships, what we
know of its council's role, coverage, schools, trusts and the similar-areas indicators,
beside England's figures. The set lives in the address (`?areas=E09000007,E08000025`), so
a comparison can be shared and the back button works."""

import statistics

from django.db.models import Count, Q

from api_core.kept_answers import per_data_version
from geodata.landscape_history import ENGLAND, academy_share_of
from geodata.models import Indicator, IndicatorValue, LocalAuthority, School, Trust
from partnerships.coverage import combined_coverage, coverage_of, coverage_of_every_authority
from partnerships.models import LAResearch, Partnership

MAX_AREAS = 4
TOP_TRUSTS = 3


class ComparisonError(ValueError):
    """A set of areas that cannot be compared, with a message saying why."""


def areas_to_compare(value):
    """The current LAs named by a comma-separated list of codes (ONS, DfE or former), in
    order, each once. Refuses more than `MAX_AREAS`, an unknown code, and a former code
    now split between authorities (naming them)."""
    codes = [code.strip() for code in (value or "").split(",") if code.strip()]
    areas = []
    for code in codes:
        if len(code) > 20:
            raise ComparisonError(f"“{code[:20]}…” is not an area code.")
        matches = list(LocalAuthority.objects.current().resolve(code).order_by("name"))
        if not matches:
            raise ComparisonError(f"No local authority has the code “{code}”.")
        if len(matches) > 1:
            named = ", ".join(f"{la.name} ({la.ons_code})" for la in matches)
            raise ComparisonError(
                f"“{code}” is a former code now covered by several authorities: {named}. "
                "Choose one."
            )
        if matches[0] not in areas:
            areas.append(matches[0])
    if len(areas) > MAX_AREAS:
        raise ComparisonError(
            f"At most {MAX_AREAS} areas can be compared at once; {len(areas)} were given."
        )
    return areas


def area_by_name_or_code(text):
    """The one current LA whose name (any case) or code is `text`, or a ComparisonError."""
    text = (text or "").strip()
    if not text:
        raise ComparisonError("Type the name or code of the area to add.")
    named = LocalAuthority.objects.current().filter(name__iexact=text)
    if named.count() == 1:
        return named.get()
    try:
        areas = areas_to_compare(text.replace(",", " "))
    except ComparisonError:
        raise ComparisonError(f"No local authority is called or has the code “{text}”.") from None
    return areas[0]


def trusts_with_most_schools(area, n=TOP_TRUSTS):
    """The trusts with most open schools in the area: [(trust, schools)]."""
    trusts = (
        Trust.objects.filter(schools__local_authority=area, schools__in=School.objects.open())
        .annotate(local_schools=Count("schools", filter=Q(schools__local_authority=area)))
        .order_by("-local_schools", "name")[:n]
    )
    return [(trust, trust.local_schools) for trust in trusts]


def indicator_medians():
    """{indicator code: median of the LAs' values}: what "England" means for an indicator
    (England's own value is not in the bundled data)."""

    def compute():
        values = {}
        for code, value in IndicatorValue.objects.values_list("indicator__code", "value"):
            values.setdefault(code, []).append(value)
        return {code: statistics.median(found) for code, found in values.items()}

    return per_data_version("indicator-medians", compute)


def area_profile(area):
    """One column of the comparison."""
    partnerships = area.partnerships.published().order_by("name")
    research = LAResearch.objects.with_status().filter(local_authority=area).first()
    values = {
        value.indicator.code: value.value
        for value in area.indicator_values.select_related("indicator")
    }
    return {
        "area": area,
        "local_partnerships": list(partnerships.local()),
        "regional_bodies": list(partnerships.regional()),
        "research": research,
        "coverage": coverage_of(area),
        "schools": academy_share_of(area.ons_code),
        "trusts": trusts_with_most_schools(area),
        "indicators": values,
    }


def england_profile():
    """England's figures beside the areas: partnership counts, coverage, academy share."""
    return {
        "local_partnerships": Partnership.objects.published().local().count(),
        "regional_bodies": Partnership.objects.published().regional().count(),
        # England's reached share is known only when every area's is.
        "coverage": combined_coverage(coverage_of_every_authority().values()),
        "schools": academy_share_of(ENGLAND),
        "indicators": indicator_medians(),
    }


def comparison_of(areas):
    """Everything the comparison page and its CSV show."""
    indicators = list(Indicator.objects.order_by("group", "name"))
    profiles = [area_profile(area) for area in areas]
    england = england_profile()
    for profile in [*profiles, england]:
        profile["indicator_rows"] = [
            {"indicator": indicator, "value": profile["indicators"].get(indicator.code)}
            for indicator in indicators
        ]
    return {"profiles": profiles, "england": england, "indicators": indicators}


def share_text(part, whole):
    return f"{round(100 * part / whole)}%" if whole else ""


def comparison_rows(comparison):
    """The comparison as CSV rows: [measure, each area's value..., England's value]."""
    profiles, england = comparison["profiles"], comparison["england"]

    def names(items):
        return "; ".join(item.name for item in items)

    def research(profile, field):
        record = profile["research"]
        if record is None:
            return ""
        if field == "status":
            return record.get_status_display()
        if field == "council_role":
            return record.get_council_role_display()
        return record.last_verified.isoformat() if record.last_verified else ""

    rows = [
        ["ONS code", *(p["area"].ons_code for p in profiles), ENGLAND],
        ["Local partnerships", *(names(p["local_partnerships"]) for p in profiles), ""],
        [
            "Number of local partnerships",
            *(len(p["local_partnerships"]) for p in profiles),
            england["local_partnerships"],
        ],
        [
            "Regional bodies",
            *(names(p["regional_bodies"]) for p in profiles),
            england["regional_bodies"],
        ],
        ["Council's school-improvement role", *(research(p, "council_role") for p in profiles), ""],
        ["What we know (status)", *(research(p, "status") for p in profiles), ""],
        ["Research last verified", *(research(p, "date") for p in profiles), ""],
    ]
    for label, key in [
        ("Open state-funded schools", "open_state_funded_schools"),
        ("Reached by a local partnership", "reached"),
    ]:
        rows.append([label, *(p["coverage"][key] for p in profiles), england["coverage"][key]])
    rows.append(
        [
            "Academies and free schools among open state-funded schools",
            *(p["schools"]["academies"] for p in profiles),
            england["schools"]["academies"],
        ]
    )
    rows.append(
        [
            "Academy share",
            *(
                share_text(p["schools"]["academies"], p["schools"]["open_state_funded"])
                for p in profiles
            ),
            share_text(england["schools"]["academies"], england["schools"]["open_state_funded"]),
        ]
    )
    rows.append(
        [
            "Trusts with most schools",
            *("; ".join(f"{t.name} ({n})" for t, n in p["trusts"]) for p in profiles),
            "",
        ]
    )
    for indicator in comparison["indicators"]:
        rows.append(
            [
                f"{indicator.name} ({indicator.unit}, {indicator.year})",
                *(p["indicators"].get(indicator.code, "") for p in profiles),
                england["indicators"].get(indicator.code, ""),
            ]
        )
    return rows
