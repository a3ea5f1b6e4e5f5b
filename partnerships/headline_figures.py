"""Headline figures at the top of an area page, as ONS area profiles show them: a few key
numbers for the area, each beside its region's and England's.

The figures are the ones the rest of the product already computes, read from the same
kept answers (academy shares from `geodata.landscape_history`, coverage from
`partnerships.coverage`), and combined for the regions and England once per data version:
an area page reads one kept dictionary. A figure the data does not give is None, shown as
"Not known", never as 0 or 0%.
"""

from django.db.models import Count

from api_core.kept_answers import per_data_version
from geodata.landscape_history import ENGLAND, ENGLAND_NAME, academy_shares
from geodata.models import ImportRun, LocalAuthority, School
from partnerships.coverage import combined_coverage, coverage_of_every_authority
from partnerships.models import Partnership

# (key, label, kind): what each figure is, in the order the page shows them.
FIGURES = (
    ("partnerships", "Local partnerships recorded", "count"),
    ("schools", "Open state-funded schools", "count"),
    ("academy_share", "Schools that are academies or free schools", "share"),
    ("reached_share", "Schools reached by a local partnership", "share"),
    ("trusts", "Trusts with open schools", "count"),
)
NOT_KNOWN = "Not known"


def count_headline_figures(shares, coverage):
    """{LA or region ONS code, or ENGLAND: {figure key: value or None}}, for every LA,
    region and England, from the kept academy shares and coverage of every LA. School
    figures are None while no register is loaded."""
    region_of = dict(LocalAuthority.objects.values_list("ons_code", "region__code"))
    regions = set(region_of.values())
    places = [*region_of, *regions, ENGLAND]
    figures = {code: dict.fromkeys(key for key, _, _ in FIGURES) for code in places}

    local = Partnership.objects.published().local()
    for code in places:
        figures[code]["partnerships"] = 0
    for field in ("local_authorities__ons_code", "local_authorities__region__code"):
        for row in (
            local.filter(**{f"{field}__isnull": False})
            .values(field)
            .annotate(n=Count("pk", distinct=True))
        ):
            figures[row[field]]["partnerships"] = row["n"]
    figures[ENGLAND]["partnerships"] = local.count()

    if not ImportRun.objects.register_state()["loaded"]:
        return figures

    trusts = School.objects.open().filter(trust__isnull=False)
    trust_counts = {
        row[field]: row["n"]
        for field in ("local_authority__ons_code", "local_authority__region__code")
        for row in trusts.values(field).annotate(n=Count("trust", distinct=True))
    }
    trust_counts[ENGLAND] = trusts.aggregate(n=Count("trust", distinct=True))["n"]
    for code in places:
        if code == ENGLAND:  # England's own figures, as the comparison page gives them
            schools, academies = shares[ENGLAND]["open_state_funded"], shares[ENGLAND]["academies"]
            reach = combined_coverage(coverage.values())
        else:
            las = [la for la, region in region_of.items() if region == code]
            if code not in regions:
                las = [code]
            schools = sum(shares.get(la, {}).get("open_state_funded", 0) for la in las)
            academies = sum(shares.get(la, {}).get("academies", 0) for la in las)
            reach = combined_coverage(coverage[la] for la in las if la in coverage)
        figures[code].update(
            schools=schools,
            academy_share=academies / schools if schools else None,
            reached_share=reach["reached_share"],
            trusts=trust_counts.get(code, 0),
        )
    return figures


def headline_figures():
    """`count_headline_figures()`, once per data version. Its inputs are kept answers of
    their own, read first: a kept value is not computed inside another's computation."""
    shares, coverage = academy_shares(), coverage_of_every_authority()
    return per_data_version("headline-figures", lambda: count_headline_figures(shares, coverage))


def figure_text(value, kind):
    """A figure as the page shows it: "1,234", "42%", "under 1%" (a share above 0 that
    rounds to 0), or "Not known"."""
    if value is None:
        return NOT_KNOWN
    if kind == "count":
        return f"{value:,}"
    percent = round(100 * value)
    if percent == 0 and value > 0:
        return "under 1%"
    if percent == 100 and value < 1:
        return "over 99%"
    return f"{percent}%"


def headline_figures_of(area):
    """The rows of an area's headline figures: [{key, label, area, region, england}], each
    value as text, with the names of the area's region and England."""
    kept = headline_figures()
    empty = dict.fromkeys(key for key, _, _ in FIGURES)
    places = {
        "area": kept.get(area.ons_code, empty),
        "region": kept.get(area.region.code, empty),
        "england": kept[ENGLAND],
    }
    return {
        "region_name": area.region.name,
        "england_name": ENGLAND_NAME,
        "rows": [
            {
                "key": key,
                "label": label,
                **{place: figure_text(values[key], kind) for place, values in places.items()},
            }
            for key, label, kind in FIGURES
        ],
    }
