"""The landscape over time, for an area or for England: successor events by year and the
academy share now (`geodata.landscape_history`), beside the published local partnerships
by the year they were founded and the year they ceased. One function per series, each
counted once per data version; pages, downloads and the API all read `timeline_of`."""

from collections import Counter, defaultdict

from api_core.kept_answers import per_data_version
from geodata import landscape_history
from geodata.landscape_history import ENGLAND, ENGLAND_NAME, UNDATED
from partnerships.models import Partnership

__all__ = ["ENGLAND", "ENGLAND_NAME", "timeline_of", "timeline_csv_rows", "stacked_bars"]

PARTNERSHIPS_SOURCE = (
    "This map's published local partnerships (regional bodies excluded): the founding year "
    "and, for a ceased partnership, the year of its successor, as their cited sources state."
)
PARTNERSHIP_SERIES = {
    "founded": "Local partnerships founded",
    "ceased": "Local partnerships ceased",
}


def count_partnership_years():
    """{area ONS code or ENGLAND: {"founded": Counter, "ceased": Counter}}, years as keys
    (UNDATED where no source gives the year). A partnership counts in each of its areas
    and once for England; only ceased partnerships count as ceased."""
    counts = defaultdict(lambda: {"founded": Counter(), "ceased": Counter()})
    partnerships = (
        Partnership.objects.published()
        .local()
        .prefetch_related("local_authorities")
        .only("founded_year", "status", "successor_year")
    )
    for partnership in partnerships:
        series = {"founded": partnership.founded_year or UNDATED}
        if partnership.status == Partnership.Status.CEASED:
            series["ceased"] = partnership.successor_year or UNDATED
        codes = {ENGLAND, *(la.ons_code for la in partnership.local_authorities.all())}
        for code in codes:
            for name, year in series.items():
                counts[code][name][year] += 1
    return dict(counts)


def partnership_years_of(code):
    """Rows in year order, undated last: [{year, founded, ceased}]."""
    counts = per_data_version("partnership-years", count_partnership_years).get(code)
    if counts is None:
        return []
    years = set(counts["founded"]) | set(counts["ceased"])
    dated = sorted(year for year in years if year != UNDATED)
    return [
        {"year": year, "founded": counts["founded"][year], "ceased": counts["ceased"][year]}
        for year in [*dated, *([UNDATED] if UNDATED in years else [])]
    ]


def timeline_of(code):
    """Every series of the landscape over time for one area (ONS code) or England."""
    return {
        "code": code,
        "successor_events": landscape_history.successor_events_of(code),
        "event_kinds": [
            {
                "code": kind,
                "label": label,
                "description": landscape_history.EVENT_KIND_DESCRIPTIONS[kind],
            }
            for kind, label in landscape_history.EVENT_KINDS.items()
        ],
        "academy_share": landscape_history.academy_share_of(code),
        "partnerships": partnership_years_of(code),
        "sources": {
            "successor_events": landscape_history.EVENTS_SOURCE,
            "academy_share": landscape_history.SHARE_SOURCE,
            "partnerships": PARTNERSHIPS_SOURCE,
        },
    }


# Colours of the chart's event kinds (Okabe and Ito's palette, distinct under the common
# colour-vision deficiencies); the table beside the chart says every number in words.
KIND_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
CHART_HEIGHT = 160
BAR_WIDTH = 12
BAR_GAP = 4
CHART_LEFT = 36  # room for the axis's numbers


def stacked_bars(rows):
    """The geometry of a stacked bar chart of successor events by dated year, one segment
    per kind (in `EVENT_KINDS` order), for an SVG drawn by the template: no script."""
    dated = [row for row in rows if row["year"] != UNDATED]
    top = max((row["total"] for row in dated), default=0)
    bars = []
    for index, row in enumerate(dated):
        x = CHART_LEFT + index * (BAR_WIDTH + BAR_GAP)
        bottom = CHART_HEIGHT
        segments = []
        for colour, count in zip(KIND_COLOURS, row["counts"].values(), strict=False):
            if not count:
                continue
            height = count / top * CHART_HEIGHT
            bottom -= height
            segments.append({"y": round(bottom, 2), "height": round(height, 2), "fill": colour})
        bars.append(
            {
                "year": row["year"],
                "total": row["total"],
                "x": x,
                "middle": x + BAR_WIDTH / 2,
                "segments": segments,
                "labelled": index % 5 == 0 or index == len(dated) - 1,
            }
        )
    return {
        "bars": bars,
        "top": top,
        "bar_width": BAR_WIDTH,
        "height": CHART_HEIGHT,
        "width": CHART_LEFT + max(len(dated), 1) * (BAR_WIDTH + BAR_GAP),
        "legend": [
            {"label": label, "fill": colour}
            for label, colour in zip(
                landscape_history.EVENT_KINDS.values(), KIND_COLOURS, strict=True
            )
        ],
    }


CSV_HEADER = ["area_code", "area_name", "series", "year", "category", "count", "source"]


def timeline_csv_rows(code, name):
    """One area's (or England's) series as CSV rows: one per year and category."""
    timeline = timeline_of(code)
    sources = timeline["sources"]
    for row in timeline["successor_events"]:
        for kind, label in landscape_history.EVENT_KINDS.items():
            yield [
                code,
                name,
                "successor_events",
                row["year"],
                label,
                row["counts"][kind],
                sources["successor_events"],
            ]
    share = timeline["academy_share"]
    for category, count in [
        ("open state-funded schools", share["open_state_funded"]),
        ("of which academies or free schools", share["academies"]),
    ]:
        yield [code, name, "academy_share_now", "now", category, count, sources["academy_share"]]
    for row in timeline["partnerships"]:
        for series, label in PARTNERSHIP_SERIES.items():
            yield [
                code,
                name,
                f"partnerships_{series}",
                row["year"],
                label,
                row[series],
                sources["partnerships"],
            ]
