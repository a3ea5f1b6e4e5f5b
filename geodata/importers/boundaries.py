"""Load a boundary set (LAs and regions) from GeoJSON files and a DfE/ONS code lookup.

Everything is checked before anything is written, and everything is written in one
transaction: a malformed or incomplete file changes nothing.
"""

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import geopandas
import shapely
from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry

from geodata.boundary_sets import activate, check
from geodata.import_runs import applied, recorded_run
from geodata.importers.register_files import file_checksum
from geodata.models import Boundary, BoundarySet, ImportRun

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DEFAULT_SET = {
    "name": "utla-2023-buc",
    "description": "Upper-tier LAs, April 2023 geography (ONS codes of 2024), ultra-generalised.",
    "la_file": FIXTURES / "boundaries" / "england_utla_2023_buc.geojson",
    "region_file": FIXTURES / "boundaries" / "england_regions_2024_buc.geojson",
    "lookup_file": FIXTURES / "lookups" / "la_lookup_ons_dfe.csv",
    "ees_file": FIXTURES / "lookups" / "dfe_ees_las.csv",
    "source": (
        "ONS LAD May 2024 BUC dissolved to April 2023 upper-tier LAs and to December 2024 "
        "regions; codes from DfE geo_hierarchy and the DfE EES LA list. See fixtures/README.md."
    ),
    "licence": (
        "Open Government Licence v3.0. Source: Office for National Statistics licensed under "
        "the Open Government Licence v.3.0. Contains OS data © Crown copyright and database "
        "right 2024."
    ),
}

LA_TYPES = {
    "County": "county",
    "Unitary authority": "unitary",
    "Metropolitan district": "metropolitan_district",
    "London borough": "london_borough",
}
LA_CODE = re.compile(r"^E(06|07|08|09|10)\d{6}$")
REGION_CODE = re.compile(r"^E12\d{6}$")
DFE_CODE = re.compile(r"^\d{3}$")
BRITISH_GRID = "EPSG:27700"
# Display geometries are simplified as one coverage, so neighbours keep shared edges.
DISPLAY_TOLERANCE_M = 150
DISPLAY_PRECISION_DEG = 1e-4


class BoundaryImportError(Exception):
    """The files cannot become a boundary set; the message says why."""


@dataclass
class LoadResult:
    boundary_set: BoundarySet
    created: bool
    activated: bool
    problems: list = field(default_factory=list)
    areas: int = 0
    run: ImportRun | None = None


def read_lookup(path):
    """The authoritative list of LAs, keyed by ONS code, with the codes they replaced."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise BoundaryImportError(f"cannot read the LA lookup {path}: {error}") from error
    needed = {"ons_code", "ons_code_2025", "dfe_la_code", "la_type", "region_code"}
    missing = sorted(needed - set(rows[0] if rows else []))
    if missing:
        raise BoundaryImportError(f"the LA lookup {path} lacks columns: {', '.join(missing)}")
    return {row["ons_code"]: row for row in rows}


def read_terminated_authorities(path):
    """Former ONS codes from DfE's LA list, keyed by the DfE code they carried."""
    if not path:
        return {}
    by_dfe_code = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row.get("status") == "terminated" and DFE_CODE.match(row.get("old_la_code", "")):
                by_dfe_code.setdefault(row["old_la_code"], []).append(row)
    return by_dfe_code


def former_codes(lookup_row, terminated_by_dfe_code):
    """Every code that should now resolve to this authority, with a note saying why."""
    codes = []
    if lookup_row["ons_code_2025"] and lookup_row["ons_code_2025"] != lookup_row["ons_code"]:
        codes.append(
            {"code": lookup_row["ons_code_2025"], "scheme": "ons", "note": "ONS recode, May 2025"}
        )
    if lookup_row.get("ons_predecessor_code"):
        codes.append(
            {"code": lookup_row["ons_predecessor_code"], "scheme": "ons", "note": "predecessor"}
        )
    dfe_codes = re.findall(r"\b\d{3}\b", lookup_row.get("dfe_predecessor_la_codes", ""))
    for dfe_code in dfe_codes:
        note = f"predecessor ({lookup_row['dfe_predecessor_la_codes']})"
        codes.append({"code": dfe_code, "scheme": "dfe", "note": note})
    for dfe_code in [*dfe_codes, lookup_row["dfe_la_code"]]:
        for row in terminated_by_dfe_code.get(dfe_code, []):
            if row["new_la_code"] != lookup_row["ons_code"]:
                note = f"{row['la_name']}, to {row['date_of_termination']}"
                codes.append({"code": row["new_la_code"], "scheme": "ons", "note": note})
    unique = {}
    for item in codes:
        unique.setdefault(item["code"], item)
    return list(unique.values())


def read_features(path, what):
    try:
        frame = geopandas.read_file(path)
    except Exception as error:  # pyogrio raises several types; all mean "unreadable"
        raise BoundaryImportError(f"cannot read the {what} file {path}: {error}") from error
    if frame.empty:
        raise BoundaryImportError(f"the {what} file {path} has no features")
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise BoundaryImportError(f"the {what} file {path} must be in EPSG:4326, not {frame.crs}")
    for column in ("code", "name"):
        if column not in frame.columns:
            raise BoundaryImportError(f"the {what} file {path} has no '{column}' property")
    duplicates = sorted(frame.loc[frame["code"].duplicated(), "code"])
    if duplicates:
        raise BoundaryImportError(f"the {what} file repeats codes: {', '.join(duplicates)}")
    return frame


def repaired_multipolygon(geometry, code):
    """A valid MultiPolygon from whatever the file holds (stray lines and bow-ties dropped)."""
    if geometry is None or geometry.is_empty:
        raise BoundaryImportError(f"{code} has no geometry")
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    polygons = [
        part
        for part in shapely.get_parts(geometry)
        if part.geom_type in ("Polygon", "MultiPolygon")
    ]
    polygons = [p for part in polygons for p in shapely.get_parts(part)]
    if not polygons:
        raise BoundaryImportError(f"{code} has no polygon in its geometry")
    return shapely.MultiPolygon(polygons)


def prepare_geometries(frame):
    """Repair, measure and simplify for display once, at load time."""
    frame = frame.copy()
    frame["geometry"] = [
        repaired_multipolygon(g, c) for g, c in zip(frame.geometry, frame.code, strict=True)
    ]
    projected = frame.to_crs(BRITISH_GRID)
    frame["area_km2"] = (projected.geometry.area / 1e6).round(1)
    simplified = shapely.coverage_simplify(projected.geometry.values, DISPLAY_TOLERANCE_M)
    display = geopandas.GeoSeries(simplified, crs=BRITISH_GRID).to_crs("EPSG:4326")
    display = shapely.set_precision(display.values, DISPLAY_PRECISION_DEG)
    frame["display"] = [
        repaired_multipolygon(d, c) if not d.is_empty else g
        for d, g, c in zip(display, frame.geometry, frame.code, strict=True)
    ]
    return frame


def validate_authorities(frame, lookup):
    problems = []
    bad_codes = sorted(c for c in frame.code if not LA_CODE.match(str(c)))
    if bad_codes:
        problems.append(f"not LA codes: {', '.join(bad_codes)}")
    unknown = sorted(set(frame.code) - set(lookup))
    if unknown:
        problems.append(f"codes not in the LA lookup: {', '.join(unknown)}")
    missing = sorted(set(lookup) - set(frame.code))
    if missing:
        problems.append(
            f"the file is incomplete: {len(missing)} LA(s) of the lookup are missing "
            f"({', '.join(missing[:10])}{'…' if len(missing) > 10 else ''})"
        )
    for row in frame.itertuples():
        expected = lookup.get(row.code)
        if expected is None:
            continue
        dfe_code = str(getattr(row, "dfe_la_code", "") or "")
        if dfe_code and dfe_code != expected["dfe_la_code"]:
            problems.append(
                f"{row.code} has DfE code {dfe_code}, the lookup says {expected['dfe_la_code']}"
            )
        if expected["la_type"] not in LA_TYPES:
            problems.append(f"{row.code} has an unknown LA type {expected['la_type']!r}")
    if problems:
        raise BoundaryImportError("; ".join(problems))


def validate_regions(frame, lookup):
    bad = sorted(c for c in frame.code if not REGION_CODE.match(str(c)))
    if bad:
        raise BoundaryImportError(f"not region (E12) codes: {', '.join(bad)}")
    needed = {row["region_code"] for row in lookup.values()}
    missing = sorted(needed - set(frame.code))
    if missing:
        raise BoundaryImportError(f"the region file lacks regions: {', '.join(missing)}")


def to_geos(geometry):
    return GEOSGeometry(memoryview(geometry.wkb), srid=4326)


def load_boundary_set(*, name, la_file, dry_run=False, triggered_by="", **options):
    """Load the files as the boundary set `name`; switch it on if it passes its checks.

    Loading the same files again writes nothing. A different file under an existing
    name is refused, so a set once loaded never changes under anyone's feet. Each load
    is a recorded run (`result.run`); a refused one raises BoundaryImportError too. A
    dry run loads and checks the set, reports, and rolls back.
    """
    outcome = {}

    def work(run):
        result = load(run, name=name, la_file=la_file, **options)
        outcome["result"] = result
        count = result.areas
        run.rows_read = run.created = count if result.created else 0
        run.unchanged = 0 if result.created else count
        verb = "loaded" if result.created else "already loaded, unchanged"
        run.message = f"boundary set {name}: {verb} ({count} areas)"
        if result.problems:
            run.message += "; failed its checks, not switched on: " + "; ".join(result.problems)
        elif result.activated:
            run.message += "; switched on"

    run = recorded_run(
        ImportRun.Source.BOUNDARIES,
        work,
        location=f"{name}: {la_file}",
        refusals=(BoundaryImportError,),
        dry_run=dry_run,
        triggered_by=triggered_by,
    )
    if run.status == ImportRun.Status.REFUSED:
        raise BoundaryImportError(run.message.removeprefix("Refused, nothing changed: "))
    result = outcome["result"]
    result.run = run
    return result


def load(
    run,
    *,
    name,
    la_file,
    region_file,
    lookup_file,
    ees_file=None,
    description="",
    source="",
    licence="",
    activate_when_checked=True,
):
    try:
        checksum = file_checksum(
            la_file, region_file, lookup_file, *([ees_file] if ees_file else [])
        )
    except OSError as error:
        raise BoundaryImportError(f"cannot read {error.filename}: {error.strerror}") from error
    existing = BoundarySet.objects.filter(name=name).first()
    if existing:
        if existing.checksum != checksum:
            raise BoundaryImportError(
                f"a boundary set named {name!r} was loaded from different files; "
                "load the new files under a new name"
            )
        activated = False
        if activate_when_checked and not existing.is_active:
            with applied(run):
                problems = check(existing)
                if not problems:
                    activate(existing)
                    activated = True
            return LoadResult(existing, False, activated, problems, existing.boundaries.count())
        return LoadResult(
            existing, False, False, existing.check_problems, existing.boundaries.count()
        )

    lookup = read_lookup(lookup_file)
    terminated = read_terminated_authorities(ees_file)
    authorities = read_features(la_file, "local authority")
    regions = read_features(region_file, "region")
    validate_authorities(authorities, lookup)
    validate_regions(regions, lookup)
    authorities = prepare_geometries(authorities)
    regions = prepare_geometries(regions)

    with applied(run):
        boundary_set = BoundarySet.objects.create(
            name=name,
            description=description,
            source=source,
            licence=licence,
            checksum=checksum,
        )
        rows = []
        for row in regions.itertuples():
            rows.append(
                Boundary(
                    boundary_set=boundary_set,
                    kind=Boundary.Kind.REGION,
                    code=row.code,
                    name=row.name,
                    geometry=to_geos(row.geometry),
                    display_geometry=to_geos(row.display),
                    area_km2=row.area_km2,
                )
            )
        for row in authorities.itertuples():
            entry = lookup[row.code]
            rows.append(
                Boundary(
                    boundary_set=boundary_set,
                    kind=Boundary.Kind.LOCAL_AUTHORITY,
                    code=row.code,
                    name=row.name,
                    dfe_code=entry["dfe_la_code"],
                    la_type=LA_TYPES[entry["la_type"]],
                    region_code=entry["region_code"],
                    former_codes=former_codes(entry, terminated),
                    geometry=to_geos(row.geometry),
                    display_geometry=to_geos(row.display),
                    area_km2=row.area_km2,
                )
            )
        Boundary.objects.bulk_create(rows)
        problems = check(boundary_set)
        activated = False
        if activate_when_checked and not problems:
            activate(boundary_set)
            activated = True
    return LoadResult(boundary_set, True, activated, problems, len(rows))
