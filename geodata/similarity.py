"""Finding local authorities like a given one.

Two methods. `dfe`: DfE's official statistical neighbours. `indicators`: our own, open
and adjustable: each indicator is standardised robustly (minus the median, over the
median absolute deviation, so one extreme area such as the City of London does not
squash everyone else), and areas are compared by a weighted Euclidean distance over the
indicators both have. Missing values are left out of that pair's sum and the weights
re-normalised; a pair that shares less than half of the total weight is not compared.

The matrix is built once per data version (`per_data_version`), so a request only does
the vectorised distance sums (well under 20 ms for 153 areas).
"""

from dataclasses import dataclass

import numpy

from api_core.kept_answers import per_data_version
from geodata.models import Indicator, IndicatorValue, LocalAuthority, StatisticalNeighbour

# Chosen to agree as far as a readable set can with DfE's statistical neighbours (51% mean
# top-10 overlap, docs/similar-areas.md): disadvantage and language count most, then
# density, then a little of school outcomes.
DEFAULT_WEIGHTS = {
    "childpov": 2.0,
    "imd_score": 2.0,
    "prifsm": 1.0,
    "imd_most_deprived": 1.0,
    "ealpri": 2.0,
    "ealsec": 1.0,
    "density": 1.0,
    "attainment8": 0.5,
    "absence": 0.5,
}
MIN_SHARED_WEIGHT = 0.5
# Sizes span orders of magnitude (Rutland to Kent): compared on a log scale.
LOG_SCALE = {"population", "density", "schools"}
MAX_RESULTS = 50


class SimilarityError(ValueError):
    """A request the engine cannot answer; `field` names the parameter at fault."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


@dataclass
class Matrix:
    """Everything an answer needs, read once per data version: the indicator values and
    their robust z-scores, each current authority's summary (as the API shows it), and
    DfE's neighbours. A request then runs no query beyond the data version."""

    authority_ids: list
    index: dict  # authority pk -> row
    row_of_code: dict  # ONS code -> row
    codes: list
    areas: list  # row -> the authority's summary
    indicators: list
    column: dict
    values: numpy.ndarray
    z: numpy.ndarray
    dfe: dict  # row -> [{"rank", "local_authority" (summary), "closeness"}] by rank


SUMMARY_FIELDS = ("ons_code", "dfe_code", "name", "la_type")


def robust_z(column):
    present = column[~numpy.isnan(column)]
    if present.size == 0:
        return column
    median = numpy.median(present)
    spread = 1.4826 * numpy.median(numpy.abs(present - median))
    if spread == 0:
        spread = present.std() or 1.0
    return (column - median) / spread


def matrix():
    """The matrix of the current data version."""
    return per_data_version("similarity-matrix", build_matrix)


def build_matrix():
    """The matrix from the database: one query per table."""
    summaries = {
        row["id"]: row
        for row in LocalAuthority.objects.current()
        .order_by("ons_code")
        .values("id", *SUMMARY_FIELDS)
    }
    authority_ids = list(summaries)
    index = {pk: row for row, pk in enumerate(authority_ids)}
    indicators = list(Indicator.objects.order_by("code"))
    column = {indicator.code: col for col, indicator in enumerate(indicators)}
    values = numpy.full((len(authority_ids), len(indicators)), numpy.nan)
    indicator_column = {indicator.pk: col for col, indicator in enumerate(indicators)}
    for authority_id, indicator_id, value in IndicatorValue.objects.values_list(
        "local_authority_id", "indicator_id", "value"
    ):
        if authority_id in index:
            values[index[authority_id], indicator_column[indicator_id]] = value
    scaled = values.copy()
    for indicator in indicators:
        if indicator.code in LOG_SCALE:
            col = column[indicator.code]
            scaled[:, col] = numpy.log10(numpy.where(scaled[:, col] > 0, scaled[:, col], numpy.nan))
    z = (
        numpy.column_stack([robust_z(scaled[:, c]) for c in range(scaled.shape[1])])
        if values.size
        else values
    )
    areas = [{field: summaries[pk][field] for field in SUMMARY_FIELDS} for pk in authority_ids]
    return Matrix(
        authority_ids=authority_ids,
        index=index,
        row_of_code={area["ons_code"]: row for row, area in enumerate(areas)},
        codes=[area["ons_code"] for area in areas],
        areas=areas,
        indicators=indicators,
        column=column,
        values=values,
        z=z,
        dfe=dfe_lists(index, areas),
    )


def dfe_lists(index, areas):
    """DfE's neighbours of each current authority, by rank (a neighbour no longer current
    is shown as DfE lists it)."""
    lists = {}
    neighbours = StatisticalNeighbour.objects.filter(local_authority_id__in=index).order_by(
        "local_authority_id", "rank"
    )
    former = {}
    for authority_id, neighbour_id, rank, closeness in neighbours.values_list(
        "local_authority_id", "neighbour_id", "rank", "closeness"
    ):
        if neighbour_id in index:
            summary = areas[index[neighbour_id]]
        else:
            if neighbour_id not in former:
                former[neighbour_id] = LocalAuthority.objects.values(*SUMMARY_FIELDS).get(
                    pk=neighbour_id
                )
            summary = former[neighbour_id]
        lists.setdefault(index[authority_id], []).append(
            {"rank": rank, "local_authority": summary, "closeness": closeness}
        )
    return lists


def parse_weights(indicator_codes=None, weights=None, m=None):
    """{code: weight} from the API's comma-separated lists, or the default set."""
    if not indicator_codes:
        if weights:
            raise SimilarityError("weights", "weights need the indicators they apply to")
        return dict(DEFAULT_WEIGHTS)
    codes = [code.strip() for code in indicator_codes.split(",") if code.strip()]
    known = (m or matrix()).column
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise SimilarityError(
            "indicators",
            f"unknown indicator(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}",
        )
    if len(set(codes)) != len(codes):
        raise SimilarityError("indicators", "an indicator is named twice")
    if not weights:
        return dict.fromkeys(codes, 1.0)
    parts = [part.strip() for part in weights.split(",")]
    if len(parts) != len(codes):
        raise SimilarityError(
            "weights", f"{len(parts)} weights given for {len(codes)} indicators: give one each"
        )
    try:
        numbers = [float(part) for part in parts]
    except ValueError:
        raise SimilarityError("weights", "weights must be numbers") from None
    if any(not numpy.isfinite(n) or n < 0 or n > 100 for n in numbers):
        raise SimilarityError("weights", "weights must be between 0 and 100")
    if not any(numbers):
        raise SimilarityError("weights", "at least one weight must be above 0")
    return dict(zip(codes, numbers, strict=True))


def distances(m, weights, rows=None):
    """Weighted distances from each of `rows` (default: all) to every authority."""
    columns = [m.column[code] for code in weights]
    w = numpy.array([weights[code] for code in weights])
    z = m.z[:, columns]
    rows = range(len(m.codes)) if rows is None else rows
    diff = z[None, :, :] - z[list(rows)][:, None, :]
    present = ~numpy.isnan(diff)
    shared = (present * w).sum(axis=2)
    squared = numpy.where(present, diff**2, 0.0) * w
    with numpy.errstate(invalid="ignore", divide="ignore"):
        distance = numpy.sqrt(squared.sum(axis=2) / shared)
    distance[shared < MIN_SHARED_WEIGHT * w.sum()] = numpy.inf
    for position, row in enumerate(rows):
        distance[position, row] = numpy.inf
    return distance, diff


def nearest(m, distance_row, n):
    """Indices of the n nearest, ties broken by ONS code so answers never wobble. Only the
    candidates within a rounding of the n-th nearest are sorted (a handful, not all 153)."""
    candidates = numpy.flatnonzero(numpy.isfinite(distance_row))
    if len(candidates) > n > 0:
        nth = numpy.partition(distance_row[candidates], n - 1)[n - 1]
        candidates = candidates[distance_row[candidates] <= nth + 1e-9]
    return sorted(
        candidates.tolist(), key=lambda i: (round(float(distance_row[i]), 9), m.codes[i])
    )[:n]


def row_of(m, authority):
    """The matrix row of an authority, given as a LocalAuthority or its ONS code."""
    return m.row_of_code[authority] if isinstance(authority, str) else m.index[authority.pk]


def number(value):
    return None if numpy.isnan(value) else float(value)


def similar_by_indicators(authority, weights, n=10, m=None):
    """The n authorities nearest to `authority`, with distances and the values compared."""
    m = m or matrix()
    row = row_of(m, authority)
    columns = [m.column[code] for code in weights]
    distance, diffs = distances(m, weights, [row])
    distance, diff = distance[0], diffs[0]
    results = []
    for rank, i in enumerate(nearest(m, distance, n), start=1):
        comparison = [
            {
                "indicator": code,
                "value": number(m.values[i, col]),
                "reference_value": number(m.values[row, col]),
                "standardised_difference": None
                if numpy.isnan(diff[i, position])
                else round(float(diff[i, position]), 3),
            }
            for position, (code, col) in enumerate(zip(weights, columns, strict=True))
        ]
        results.append(
            {
                "rank": rank,
                "local_authority": m.areas[i],
                "distance": round(float(distance[i]), 4),
                "comparison": comparison,
            }
        )
    return {"results": results}


def dfe_neighbours(authority, n=10, m=None):
    """DfE's statistical neighbours of `authority`, by rank."""
    m = m or matrix()
    return (m.dfe.get(row_of(m, authority)) or [])[:n]


def dfe_neighbour_rows(m, n=10):
    rows = {}
    for authority_id, neighbour_id in StatisticalNeighbour.objects.filter(rank__lte=n).values_list(
        "local_authority_id", "neighbour_id"
    ):
        if authority_id in m.index and neighbour_id in m.index:
            rows.setdefault(m.index[authority_id], set()).add(m.index[neighbour_id])
    return rows


def agreement_with_dfe(weights=None, n=10, neighbours=None):
    """Mean share of DfE's top-n neighbours that our method also puts in its top n."""
    m = matrix()
    weights = weights or DEFAULT_WEIGHTS
    neighbours = neighbours if neighbours is not None else dfe_neighbour_rows(m, n)
    distance, _ = distances(m, weights)
    overlaps = [
        len(set(nearest(m, distance[row], n)) & neighbours[row]) / n
        for row in range(len(m.codes))
        if row in neighbours
    ]
    return sum(overlaps) / len(overlaps) if overlaps else None


def value_of(authority, code, m=None):
    m = m or matrix()
    return number(m.values[row_of(m, authority), m.column[code]])


def comparison(reference, other, weights, m):
    """Values side by side (for DfE's neighbours, which come without our distances)."""
    row, other_row = row_of(m, reference), m.row_of_code.get(other["ons_code"])
    return [
        {
            "indicator": code,
            "value": None if other_row is None else number(m.values[other_row, m.column[code]]),
            "reference_value": number(m.values[row, m.column[code]]),
        }
        for code in weights
    ]


METHODS = ("indicators", "dfe")


def parse_count(text):
    """`n`: how many areas to return, 1 to MAX_RESULTS (default 10)."""
    if text is None or text == "":
        return 10
    try:
        n = int(text)
    except ValueError:
        raise SimilarityError("n", "must be a whole number") from None
    if not 1 <= n <= MAX_RESULTS:
        raise SimilarityError("n", f"must be between 1 and {MAX_RESULTS}")
    return n


def similar_areas_report(authority, method="indicators", indicators=None, weights=None, n=None):
    """Areas like one authority (a LocalAuthority or a current ONS code) by the chosen
    method, with the indicators compared and how far the two methods agree, from the API's
    raw parameters (SimilarityError names a bad one). Plain data in the shape
    `SimilarAreasReportSerializer` documents, built from the per-version matrix alone, so
    a request with new weights runs no query."""
    if method not in METHODS:
        raise SimilarityError("method", "must be 'indicators' or 'dfe'")
    n = parse_count(n)
    m = matrix()
    weights = parse_weights(indicators, weights, m)
    found = similar_by_indicators(authority, weights, n, m)["results"]
    dfe = dfe_neighbours(authority, n, m)
    ours = {result["local_authority"]["ons_code"] for result in found}
    theirs = {result["local_authority"]["ons_code"] for result in dfe}
    if method == "dfe":
        results = [
            {**result, "comparison": comparison(authority, result["local_authority"], weights, m)}
            for result in dfe
        ]
    else:
        results = found
    indicators_by_code = {indicator.code: indicator for indicator in m.indicators}
    return {
        "local_authority": m.areas[row_of(m, authority)],
        "method": method,
        "indicators": [
            {
                "code": code,
                "name": indicators_by_code[code].name,
                "unit": indicators_by_code[code].unit,
                "year": indicators_by_code[code].year,
                "weight": weight,
                "value": value_of(authority, code, m),
            }
            for code, weight in weights.items()
        ],
        "results": results,
        "overlap": {"count": len(ours & theirs), "of": n, "codes": sorted(ours & theirs)},
    }
